// STUB: replaced by the demo host's dev-only routes.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
export const demo = new Hono<AppEnv>();

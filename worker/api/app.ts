// STUB: replaced by the widget API.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
export const api = new Hono<AppEnv>();

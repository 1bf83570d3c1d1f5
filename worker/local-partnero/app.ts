// STUB: replaced by the local Partnero-compatible API.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
export const localPartnero = new Hono<AppEnv>().basePath('/v1');

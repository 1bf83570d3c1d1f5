import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv, Env } from '../env';

/** Origins allowed to call /api from a browser (ALLOWED_ORIGINS, comma-separated). */
export function allowedOrigins(env: Env): string[] {
  return (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o.length > 0 && o !== '*');
}

const allowedCors = cors({
  // Only reached for allowed origins (checked below), so echoing the origin is safe.
  origin: (origin) => origin,
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
  exposeHeaders: ['X-Request-Id', 'Retry-After', 'Server-Timing'],
  credentials: true,
  maxAge: 600,
});

/**
 * CORS for the allow-list only. Hono's cors() sends Allow-Credentials to every origin once
 * credentials are on, so origins outside the list never reach it: they get no CORS headers
 * at all (and a bare 204 to a preflight, which the browser then refuses).
 */
export function corsAllowList(): MiddlewareHandler<AppEnv> {
  return async function corsAllowList(c, next) {
    const origin = c.req.header('Origin');
    if (origin && allowedOrigins(c.env).includes(origin)) {
      c.header('Timing-Allow-Origin', origin);
      return allowedCors(c, next);
    }
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
      return c.body(null, 204, { Vary: 'Origin' });
    }
    await next();
    c.header('Vary', 'Origin', { append: true });
  };
}

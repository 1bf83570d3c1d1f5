import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../hono-env';
import { ApiError } from '../errors';
import { log } from '../log';

const ALLOW_METHODS = ['GET', 'POST', 'OPTIONS'];
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id'];
const EXPOSE_HEADERS = ['X-Request-Id', 'Retry-After', 'Server-Timing'];

const allowedCors = cors({
  // Only reached for allowed origins (checked below), so echoing the origin is safe.
  origin: (origin) => origin,
  allowMethods: ALLOW_METHODS,
  allowHeaders: ALLOW_HEADERS,
  exposeHeaders: EXPOSE_HEADERS,
  credentials: true,
  maxAge: 600,
});

// Origins already reported in this isolate: one log line each, not one per request.
const reported = new Set<string>();
const MAX_REPORTED = 1000;

function reportOnce(origin: string, requestId: string): void {
  if (reported.has(origin)) return;
  if (reported.size >= MAX_REPORTED) reported.clear();
  reported.add(origin);
  log('warn', 'origin not allowed: add it to ALLOWED_ORIGINS', { id: requestId, origin: origin.slice(0, 200), setting: 'ALLOWED_ORIGINS' });
}

/** True for a browser call from the worker's own origin (the widget served beside its API). */
function sameOrigin(c: Context, origin: string): boolean {
  return origin === new URL(c.req.url).origin;
}

/**
 * CORS for ALLOWED_ORIGINS (with credentials) and the worker's own origin. Any other
 * browser origin is refused before anything else runs: 403 origin_not_allowed, readable by
 * that origin (CORS without credentials, so no data and no cookie travel) so the widget can
 * print which origin to add where; the preflight is answered so that the real request is
 * sent and gets that explanation. Each such origin is logged once per isolate. Calls without
 * an Origin (host backends, curl) are not browser calls and pass.
 */
export function corsAllowList(): MiddlewareHandler<AppEnv> {
  return async function corsAllowList(c, next) {
    const origin = c.req.header('Origin');
    if (!origin) return next();
    if (c.var.config.allowedOrigins.has(origin) || sameOrigin(c, origin)) {
      c.header('Timing-Allow-Origin', origin);
      return allowedCors(c, next);
    }
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin', { append: true });
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
      return c.body(null, 204, {
        'Access-Control-Allow-Methods': ALLOW_METHODS.join(','),
        'Access-Control-Allow-Headers': ALLOW_HEADERS.join(','),
        'Access-Control-Max-Age': '600',
      });
    }
    reportOnce(origin, c.get('requestId'));
    throw new ApiError(
      403,
      'origin_not_allowed',
      `This page's origin ${origin.slice(0, 200)} may not call the referral API: add it to the worker's ALLOWED_ORIGINS setting.`,
    );
  };
}

/**
 * CORS for a public endpoint any page may call without credentials (the click beacon of
 * attribution.js, which runs on landing pages of any origin).
 */
export function publicCors(): MiddlewareHandler<AppEnv> {
  return cors({ origin: '*', allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 600 });
}

/**
 * `Cross-Origin-Resource-Policy: cross-origin` on every answer of a public endpoint, errors
 * included. attribution.js's click beacon is a no-cors request from landing pages of any
 * origin: Chromium blocks a `same-origin` answer to it (secureHeaders' default) and logs an
 * error on the landing page's console. Register it before secureHeaders so it runs last.
 */
export function crossOriginResource(): MiddlewareHandler<AppEnv> {
  return async function crossOriginResource(c, next) {
    await next();
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  };
}

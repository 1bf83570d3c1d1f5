import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../hono-env';
import { rateLimited } from '../errors';
import { log } from '../log';

export type RateLimitBinding = 'RL_READ' | 'RL_WRITE' | 'RL_IP';

/** The caller's IP as Cloudflare saw it; "unknown" outside Cloudflare (tests, some dev setups). */
export function clientIp(c: Context): string {
  return c.req.header('CF-Connecting-IP')?.trim() || 'unknown';
}

/**
 * Counts one request against `binding` under `key`, throwing 429 rate_limited when over.
 * A missing or failing binding lets the request through: limits protect upstream, and
 * failing closed would take the widget down with them.
 */
export async function checkRateLimit(c: Context<AppEnv>, binding: RateLimitBinding, key: string): Promise<void> {
  if (!c.var.config.rateLimits) return;
  const limiter = c.env[binding];
  if (!limiter) return;
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (err) {
    log('warn', 'rate limiter failed; request let through', { binding, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  if (!success) throw rateLimited();
}

/** Middleware form of checkRateLimit, with the key derived from the request. */
export function rateLimit(binding: RateLimitBinding, keyOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    await checkRateLimit(c, binding, keyOf(c));
    await next();
  };
}

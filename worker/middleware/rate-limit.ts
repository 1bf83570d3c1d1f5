import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { rateLimited } from '../api/errors';
import { isDemoMode } from '../config';
import { log } from '../log';

export type RateLimitBinding = 'RL_READ' | 'RL_WRITE' | 'RL_IP';

/** The caller's IP as Cloudflare saw it; "unknown" outside Cloudflare (tests, some dev setups). */
export function clientIp(c: Context): string {
  return c.req.header('CF-Connecting-IP')?.trim() || 'unknown';
}

/**
 * Counts one request against `binding` under `key`, throwing 429 rate_limited when over.
 * A missing binding (an environment without [[ratelimits]]) lets the request through:
 * limits protect upstream, and failing closed would take the widget down with them.
 */
export async function checkRateLimit(env: Env, binding: RateLimitBinding, key: string): Promise<void> {
  // Benchmarks measure the worker, not the limiter; never honoured outside demo mode.
  if (env.DISABLE_RATE_LIMITS === 'true' && isDemoMode(env)) return;
  const limiter = env[binding];
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
    await checkRateLimit(c.env, binding, keyOf(c));
    await next();
  };
}

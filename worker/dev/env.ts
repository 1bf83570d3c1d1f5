import type { Env } from '../env';
import type { Variables } from '../hono-env';

/**
 * Bindings and vars of the dev composition (wrangler.dev.toml): the production ones plus
 * what only `npm start`, the demo and the tests have. Nothing under worker/ outside dev/
 * may import this file.
 */
export interface DevEnv extends Env {
  /** Storage of the local Partnero-compatible API. */
  LOCAL_DB?: D1Database;
  /** Bearer key of the local API. */
  LOCAL_API_KEY?: string;
  /** Base of the referral links the local API derives (`<base>?ref=<key>`). */
  REFERRAL_LINK_BASE?: string;
  /** Local API reward per referred purchase: `percent:N`, `fixed:N` or `none`. */
  REWARD_RULE?: string;
  /** Simulated latency of every local API call, ms (benchmarks). */
  LOCAL_API_LATENCY_MS?: string;
  /** "true" turns the rate limits off (benchmarks on `npm start`). */
  DISABLE_RATE_LIMITS?: string;
}

export interface DevAppEnv {
  Bindings: DevEnv;
  Variables: Variables;
}

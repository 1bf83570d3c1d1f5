import { oncePerEnv, parseConfig, type ConfigResult } from '../config';
import { DEV_TOKEN_SECRET } from './dev-secret';
import type { DevEnv } from './env';

/** Base URL the client uses for the in-process local API (never resolved over the network). */
export const LOCAL_PARTNERO_BASE = 'http://local-partnero.internal/v1';

/**
 * The dev composition's configuration: the production rules, plus a built-in token secret
 * when TOKEN_SECRET is unset, plain http to localhost for PARTNERO_API_URL, the local API
 * as the upstream when PARTNERO_API_URL is empty, and DISABLE_RATE_LIMITS for benchmarks.
 */
export function parseDevConfig(env: DevEnv): ConfigResult {
  const result = parseConfig(
    { ...env, TOKEN_SECRET: env.TOKEN_SECRET || DEV_TOKEN_SECRET },
    { allowLoopbackHttp: true, defaultUpstream: { baseUrl: LOCAL_PARTNERO_BASE, apiKey: env.LOCAL_API_KEY ?? '' } },
  );
  if (!result.ok) return result;
  return { ...result, config: { ...result.config, rateLimits: env.DISABLE_RATE_LIMITS !== 'true' } };
}

export const configureDev = oncePerEnv(parseDevConfig);

/** True when the dev composition talks to its embedded local API (no PARTNERO_API_URL). */
export function usesLocalPartnero(env: DevEnv): boolean {
  return !env.PARTNERO_API_URL?.trim();
}

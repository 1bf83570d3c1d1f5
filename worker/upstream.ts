import type { ExecutionContext } from 'hono';
import type { Env } from './env';
import { localPartnero } from './dev/local-partnero/app';
import { createPartneroClient } from './partnero/client';
import type { PartneroClient, PartneroClientOptions } from './partnero/types';

/** Base URL the client uses for the in-process local API (never resolved over the network). */
export const LOCAL_PARTNERO_BASE = 'http://local-partnero.internal/v1';

export function intVar(value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** True when the worker talks to the embedded local Partnero-compatible API. */
export function usesLocalPartnero(env: Env): boolean {
  return !env.PARTNERO_API_URL?.trim();
}

/**
 * The Partnero client for this environment: Partnero over HTTPS when PARTNERO_API_URL is
 * set, otherwise the local API called in-process (no network hop).
 */
export function partneroFor(
  env: Env,
  ctx: ExecutionContext | undefined,
  extra: Pick<PartneroClientOptions, 'onTiming' | 'retries' | 'timeoutMs'> = {},
): PartneroClient {
  const timeoutMs = extra.timeoutMs ?? intVar(env.UPSTREAM_TIMEOUT_MS, 5000, 50, 60_000);
  const remote = env.PARTNERO_API_URL?.trim();
  if (remote) {
    return createPartneroClient({ ...extra, timeoutMs, baseUrl: remote, apiKey: env.PARTNERO_API_KEY ?? '' });
  }
  return createPartneroClient({
    ...extra,
    timeoutMs,
    baseUrl: LOCAL_PARTNERO_BASE,
    apiKey: env.LOCAL_API_KEY ?? '',
    fetch: async (request) => localPartnero.fetch(request, env, ctx),
  });
}

import type { ExecutionContext } from 'hono';
import { upstreamClient } from '../upstream';
import type { PartneroClient, PartneroClientOptions } from '../partnero/types';
import { LOCAL_PARTNERO_BASE, parseDevConfig } from './config';
import type { DevEnv } from './env';
import { localPartnero } from './local-partnero/app';

export { LOCAL_PARTNERO_BASE };

/**
 * The dev composition's fetch: calls to the local API's base URL are served in-process by
 * the local Partnero-compatible API (no network hop); anything else is a real fetch.
 */
export function localFetch(env: DevEnv, ctx: ExecutionContext | undefined): (request: Request) => Promise<Response> {
  return async (request) =>
    request.url.startsWith(`${LOCAL_PARTNERO_BASE}/`) ? localPartnero.fetch(request, env, ctx) : fetch(request);
}

/**
 * A Partnero client for the dev composition's configuration of `env` (tests, scripts, the
 * contract suite): the local API in-process, or PARTNERO_API_URL when set.
 */
export function partneroFor(
  env: DevEnv,
  ctx: ExecutionContext | undefined,
  options: Pick<PartneroClientOptions, 'retries' | 'timeoutMs'> = {},
): PartneroClient {
  const result = parseDevConfig(env);
  if (!result.ok) throw new Error(`dev configuration invalid: ${result.problems.map((p) => p.setting).join(', ')}`);
  return upstreamClient(result.config, localFetch(env, ctx), options);
}

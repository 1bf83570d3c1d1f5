import type { Config } from './config';
import { createPartneroClient } from './partnero/client';
import type { Fetcher, PartneroClient, PartneroClientOptions } from './partnero/types';

/**
 * The Partnero client for a configuration: its base URL and key, its timeout, and the
 * composition's fetch (global fetch in production; the dev composition routes its local
 * API in-process).
 */
export function upstreamClient(
  config: Config,
  fetcher: Fetcher | undefined,
  options: Pick<PartneroClientOptions, 'onTiming' | 'retries' | 'timeoutMs'> = {},
): PartneroClient {
  return createPartneroClient({
    ...options,
    timeoutMs: options.timeoutMs ?? config.upstream.timeoutMs,
    baseUrl: config.upstream.baseUrl,
    apiKey: config.upstream.apiKey,
    ...(fetcher ? { fetch: fetcher } : {}),
  });
}

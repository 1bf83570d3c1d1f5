import type { Config } from './config';
import type { Env } from './env';
import type { PartneroClient, PartneroClientOptions } from './partnero/types';

/** Options of one upstream client: per-request callers tune retries; timing is wired by the app. */
export type UpstreamOptions = Pick<PartneroClientOptions, 'retries' | 'timeoutMs'>;

/** Per-request values set by middleware. */
export interface Variables {
  requestId: string;
  /** The parsed configuration (set for every request once it is valid). */
  config: Config;
  /** A Partnero client for this request, reporting its calls to Server-Timing and the log line. */
  partnero: (options?: UpstreamOptions) => PartneroClient;
  /** The verified customer key (token `sub`); only set behind the auth middleware. */
  customerKey: string;
  /** Optional profile claims from the verified token, used at signup. */
  customerEmail: string | undefined;
  customerName: string | undefined;
  /** The account's creation time on the host (token claim `created_at`, seconds since epoch), when given. */
  customerCreatedAt: number | undefined;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Variables;
}

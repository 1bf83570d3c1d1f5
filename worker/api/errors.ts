import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/widget-api';
import { PartneroError } from '../partnero/types';

/** Seconds a rate-limited caller is told to wait: the period of every rate-limit binding. */
export const RATE_LIMIT_RETRY_AFTER = 60;

/**
 * An expected failure of the widget API. Thrown anywhere behind /api and turned into the
 * envelope `{"error": {"code", "message", ...}}` by the app's single onError.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { fields?: Record<string, string[]>; retryAfter?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** The envelope body for an ApiError. */
export function errorBody(err: ApiError): ApiErrorBody {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
  if (err.extra.fields) body.error.fields = err.extra.fields;
  if (err.extra.retryAfter !== undefined) body.error.retry_after = err.extra.retryAfter;
  return body;
}

/** Sends an ApiError as a response, with Retry-After and any extra headers it carries. */
export function errorResponse(c: Context, err: ApiError): Response {
  if (err.extra.retryAfter !== undefined) c.header('Retry-After', String(err.extra.retryAfter));
  for (const [name, value] of Object.entries(err.extra.headers ?? {})) c.header(name, value);
  return c.json(errorBody(err), err.status);
}

/** 429 with Retry-After, for every rate limit of the API. */
export function rateLimited(retryAfter = RATE_LIMIT_RETRY_AFTER): ApiError {
  return new ApiError(429, 'rate_limited', 'Too many requests. Try again later.', { retryAfter });
}

/** True when an upstream failure is transient: worth a retry later (queue) or stale data now. */
export function isTransientUpstream(err: unknown): err is PartneroError {
  if (!(err instanceof PartneroError)) return false;
  if (err.kind === 'timeout' || err.kind === 'network') return true;
  return err.kind === 'http' && (err.status === 408 || err.status === 429 || err.status >= 500);
}

/** True when upstream answered 404 (customer, or referrer, unknown). */
export function isUpstreamNotFound(err: unknown): err is PartneroError {
  return err instanceof PartneroError && err.kind === 'http' && err.status === 404;
}

/**
 * Maps a client failure to a widget-API error. Upstream bodies never travel to the browser:
 * only a code and our own message. 404 is left to the caller, which knows what was missing.
 */
export function fromUpstream(err: PartneroError): ApiError {
  const retryAfter = err.retryAfter !== undefined && Number.isFinite(err.retryAfter) ? Math.max(1, Math.ceil(err.retryAfter)) : undefined;
  const withRetry = retryAfter !== undefined ? { retryAfter } : {};
  if (err.kind === 'timeout') return new ApiError(504, 'upstream_timeout', 'The referral service did not answer in time. Try again.');
  if (err.kind === 'network') return new ApiError(503, 'upstream_unavailable', 'The referral service is unreachable. Try again shortly.', withRetry);
  if (err.kind === 'http') {
    if (err.status === 404) return new ApiError(404, 'not_found', 'Not found.');
    if (err.status === 408 || err.status === 504) return new ApiError(504, 'upstream_timeout', 'The referral service did not answer in time. Try again.');
    if (err.status === 429 || err.status === 503) {
      return new ApiError(503, 'upstream_unavailable', 'The referral service is busy. Try again shortly.', withRetry);
    }
  }
  return new ApiError(502, 'upstream_error', 'The referral service failed to answer properly.');
}

/** The message of 404 not_found when the token's customer does not exist upstream yet. */
export const CUSTOMER_NOT_FOUND = 'This customer is not in the referral program yet: the host site must call POST /api/signup first.';

/**
 * Rethrows a client failure as the matching ApiError (404 with `notFoundMessage`);
 * anything else is rethrown unchanged for the app's onError.
 */
export function rethrowUpstream(err: unknown, notFoundMessage = CUSTOMER_NOT_FOUND): never {
  if (err instanceof PartneroError) {
    if (isUpstreamNotFound(err)) throw new ApiError(404, 'not_found', notFoundMessage);
    throw fromUpstream(err);
  }
  throw err;
}

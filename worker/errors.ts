import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ApiErrorCode, TokenRefusal } from '../shared/widget-api';
import type { AppEnv } from './hono-env';
import { log } from './log';
import { PartneroError } from './partnero/types';

/** Seconds a rate-limited caller is told to wait: the period of every rate-limit binding. */
export const RATE_LIMIT_RETRY_AFTER = 60;

export interface ApiErrorExtra {
  fields?: Record<string, string[]>;
  retryAfter?: number;
  reason?: TokenRefusal;
  headers?: Record<string, string>;
}

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
    readonly extra: ApiErrorExtra = {},
  ) {
    super(message);
  }
}

/** The envelope body for an ApiError. */
export function errorBody(err: ApiError): ApiErrorBody {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
  if (err.extra.fields) body.error.fields = err.extra.fields;
  if (err.extra.retryAfter !== undefined) body.error.retry_after = err.extra.retryAfter;
  if (err.extra.reason !== undefined) body.error.reason = err.extra.reason;
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

/** The message of 404 not_enrolled: the token's customer is not in the program (yet). */
export const NOT_ENROLLED_MESSAGE = 'This customer has not joined the referral program yet: join with POST /api/enrol.';

/**
 * Maps a client failure to a widget-API error. Upstream bodies never travel to the browser:
 * only a code and our own message. Every /api route acts for the token's customer, so an
 * upstream 404 means that customer is not in the program; a route for which it means
 * something else catches it itself.
 */
export function fromUpstream(err: PartneroError): ApiError {
  const retryAfter = err.retryAfter !== undefined && Number.isFinite(err.retryAfter) ? Math.max(1, Math.ceil(err.retryAfter)) : undefined;
  const withRetry = retryAfter !== undefined ? { retryAfter } : {};
  if (err.kind === 'timeout') return new ApiError(504, 'upstream_timeout', 'The referral service did not answer in time. Try again.');
  if (err.kind === 'network') return new ApiError(503, 'upstream_unavailable', 'The referral service is unreachable. Try again shortly.', withRetry);
  if (err.kind === 'http') {
    if (err.status === 404) return new ApiError(404, 'not_enrolled', NOT_ENROLLED_MESSAGE);
    if (err.status === 408 || err.status === 504) return new ApiError(504, 'upstream_timeout', 'The referral service did not answer in time. Try again.');
    if (err.status === 429 || err.status === 503) {
      return new ApiError(503, 'upstream_unavailable', 'The referral service is busy. Try again shortly.', withRetry);
    }
  }
  return new ApiError(502, 'upstream_error', 'The referral service failed to answer properly.');
}

const HTTP_CODES: Partial<Record<number, ApiErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * The app's one error handler: expected failures (ApiError, HTTPException, an upstream
 * PartneroError) become the envelope; anything else is logged with the request id and
 * answered with a 500 that leaks nothing.
 */
export function handleError(err: Error, c: Context<AppEnv>): Response;
export function handleError<E extends AppEnv>(err: Error, c: Context<E>): Response;
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof PartneroError) {
    const mapped = fromUpstream(err);
    if (mapped.status >= 500) {
      log('warn', 'upstream failed', { id: c.get('requestId'), path: c.req.path.slice(0, 256), kind: err.kind, upstream_status: err.status });
    }
    return errorResponse(c, mapped);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = HTTP_CODES[err.status] ?? 'bad_request';
    return errorResponse(c, new ApiError(err.status, code, err.status === 413 ? 'The request body is too large.' : 'The request was refused.'));
  }
  log(
    'error',
    'unhandled error',
    { id: c.get('requestId'), method: c.req.method, path: c.req.path.slice(0, 256), error: err.name, detail: err.message, stack: err.stack?.slice(0, 2000) },
    c.env,
  );
  return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong. Try again later.'));
}

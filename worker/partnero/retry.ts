/**
 * When the client may send a request again, and how long it waits first. Kept apart from
 * the transport so the policy reads in one place and is tested on its own.
 */

/** What one attempt ended with: an HTTP status, or no response at all. */
export type AttemptOutcome =
  | { type: 'response'; status: number; retryAfterMs: number | undefined }
  | { type: 'timeout' }
  | { type: 'network' };

/** Statuses that mean the server did not process the request, so any method may be resent. */
const NOT_PROCESSED = new Set([429, 503]);

/**
 * True when resending cannot do harm: a GET may be repeated after any transient failure
 * (no response, 408, 429, 5xx); other methods only when the server said it did not process
 * the request (429, 503), because a lost POST response may still have created something.
 */
export function isRetryable(method: string, outcome: AttemptOutcome): boolean {
  if (method === 'GET') {
    if (outcome.type !== 'response') return true;
    return outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
  }
  return outcome.type === 'response' && NOT_PROCESSED.has(outcome.status);
}

/**
 * Milliseconds from a Retry-After header: delta-seconds or an HTTP date. Undefined when the
 * header is absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  // Only an HTTP date (it has a weekday/month name): Date.parse would also read "-1" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter exponential backoff: uniform in [0, base * 2^attempt). `attempt` starts at 0. */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = baseMs * 2 ** Math.min(attempt, 16);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt, or undefined to give up now. A Retry-After longer than
 * `maxRetryAfterMs` is not waited out: the error surfaces (carrying retryAfter) so the
 * caller can queue the work instead of holding a request open.
 */
export function nextDelayMs(
  outcome: AttemptOutcome,
  attempt: number,
  tuning: { backoffBaseMs: number; maxRetryAfterMs: number; random?: () => number },
): number | undefined {
  if (outcome.type === 'response' && outcome.retryAfterMs !== undefined) {
    return outcome.retryAfterMs <= tuning.maxRetryAfterMs ? outcome.retryAfterMs : undefined;
  }
  return backoffMs(attempt, tuning.backoffBaseMs, tuning.random);
}

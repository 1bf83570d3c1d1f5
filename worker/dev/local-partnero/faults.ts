/**
 * Fault injection and call counting for the local Partnero-compatible API, so tests, the demo
 * and benchmarks can make "upstream" fail or stall and can count how often it was called.
 *
 * The state is module-level on purpose: it lives per isolate, which is exactly the scope of
 * one `wrangler dev` process or one test file, and it must survive across requests.
 */

export interface LocalFault {
  /** Status answered instead of handling the request (e.g. 503, 500, 429). Below 400: handle normally after the delay. */
  status: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
  /** Milliseconds to stall each affected request first (to provoke client timeouts). */
  delayMs?: number;
}

export interface LocalApiCalls {
  total: number;
  /** Keyed by method and route pattern, e.g. "GET /v1/customers/:id/stats". */
  byRoute: Record<string, number>;
}

let fault: LocalFault | null = null;
let calls: LocalApiCalls = { total: 0, byRoute: {} };

/**
 * Makes the next `times` requests (all of them when `times` is absent) answer `status` with a
 * Partnero-style body, after waiting `delayMs` when given. `null` clears the fault.
 */
export function setLocalFault(next: LocalFault | null): void {
  if (next === null) {
    fault = null;
    return;
  }
  if (!Number.isInteger(next.status) || next.status < 100 || next.status > 599) {
    throw new RangeError(`setLocalFault: status must be an HTTP status, got ${String(next.status)}`);
  }
  if (next.times !== undefined && (!Number.isInteger(next.times) || next.times < 0)) {
    throw new RangeError(`setLocalFault: times must be a non-negative integer, got ${String(next.times)}`);
  }
  if (next.delayMs !== undefined && (!Number.isFinite(next.delayMs) || next.delayMs < 0)) {
    throw new RangeError(`setLocalFault: delayMs must be a non-negative number, got ${String(next.delayMs)}`);
  }
  fault = next.times === 0 ? null : { ...next };
}

/** The fault currently armed (a copy), or null. */
export function getLocalFault(): LocalFault | null {
  return fault ? { ...fault } : null;
}

/**
 * Takes one use of the armed fault for the current request: the fault to apply, or null.
 * Decrements `times` so concurrent requests share the budget.
 */
export function takeLocalFault(): LocalFault | null {
  if (!fault) return null;
  const current = { ...fault };
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) fault = null;
  }
  return current;
}

/** Counts of every /v1 request the local API received in this isolate since the last reset. */
export function localApiCalls(): LocalApiCalls {
  return { total: calls.total, byRoute: { ...calls.byRoute } };
}

/** Starts counting from zero. */
export function resetLocalApiCalls(): void {
  calls = { total: 0, byRoute: {} };
}

/** Records one request under its route key. */
export function countLocalApiCall(routeKey: string): void {
  calls.total += 1;
  calls.byRoute[routeKey] = (calls.byRoute[routeKey] ?? 0) + 1;
}

/** Partnero-style message for an injected status. */
export function faultMessage(status: number): string {
  switch (status) {
    case 401:
      return 'Unauthenticated.';
    case 403:
      return 'This action is unauthorized.';
    case 404:
      return 'Not Found';
    case 408:
      return 'Request Timeout';
    case 422:
      return 'The given data was invalid.';
    case 429:
      return 'Too Many Attempts.';
    case 502:
      return 'Bad Gateway';
    case 503:
      return 'Service Unavailable';
    case 504:
      return 'Gateway Timeout';
    default:
      return status >= 500 ? 'Server Error' : 'Error';
  }
}

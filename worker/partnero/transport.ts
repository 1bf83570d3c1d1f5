/**
 * One Partnero call: builds the request, runs each attempt under its own timeout (and the
 * caller's signal), retries where that is safe, and turns every failure into a
 * PartneroError. Nothing else ever escapes: an unreadable body, a throwing fetcher or a
 * throwing onTiming callback cannot crash the caller.
 */
import { errorBody } from './parse';
import { isRetryable, nextDelayMs, parseRetryAfter, type AttemptOutcome } from './retry';
import { PartneroError, type CallOptions, type Fetcher, type PartneroClientOptions } from './types';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestSpec {
  method: Method;
  /** Already percent-encoded, relative to the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Serialised as JSON when present. */
  body?: unknown;
  /** False for endpoints whose success body is ignored (delete). */
  expectBody?: boolean;
}

/** Knobs beyond PartneroClientOptions: defaults suit production, tests shorten or observe them. */
export interface TransportTuning {
  /** Base of the full-jitter exponential backoff, default 100 ms. */
  backoffBaseMs?: number;
  /** Longest Retry-After the client waits out; longer ones surface the error. Default 2000 ms. */
  maxRetryAfterMs?: number;
  /** Waits between attempts; rejects when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Source of jitter, default Math.random. */
  random?: () => number;
}

/** A successful (2xx) answer. */
export interface Answer {
  status: number;
  body: unknown;
}

type AttemptResult =
  | { type: 'response'; status: number; headers: Headers; text: string }
  | { type: 'timeout' }
  | { type: 'aborted' }
  | { type: 'network'; message: string };

const MAX_RETRIES = 10;

function abortedError(): PartneroError {
  return new PartneroError('timeout', 0, 'Partnero call aborted by the caller');
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function defaultSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'unknown error';
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Returns `send(spec, opts)`: resolves with the status and parsed JSON body of a 2xx answer
 * (body undefined when `expectBody` is false) and rejects only with PartneroError.
 */
export function createTransport(options: PartneroClientOptions & TransportTuning) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetcher: Fetcher = options.fetch ?? ((request) => fetch(request));
  const defaultTimeout = positive(options.timeoutMs, 5000);
  const retries = Math.min(MAX_RETRIES, Math.max(0, Math.floor(options.retries ?? 2)));
  const tuning = {
    backoffBaseMs: options.backoffBaseMs ?? 100,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 2000,
    random: options.random,
  };
  const sleep = options.sleep ?? defaultSleep;

  function url(spec: RequestSpec): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const qs = params.toString();
    return `${base}${spec.path}${qs ? `?${qs}` : ''}`;
  }

  function report(method: string, path: string, status: number, started: number): void {
    if (!options.onTiming) return;
    try {
      options.onTiming({ method, path, status, ms: Date.now() - started });
    } catch {
      // A broken metrics callback must not fail the call it measures.
    }
  }

  async function attempt(spec: RequestSpec, timeoutMs: number, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    // The in-process local API ignores signals, so the race (not the fetcher) enforces them.
    const abortedPromise = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    abortedPromise.catch(() => undefined);
    try {
      const headers = new Headers({ Accept: 'application/json', Authorization: `Bearer ${options.apiKey}` });
      const init: RequestInit = { method: spec.method, headers, signal: controller.signal };
      if (spec.body !== undefined) {
        headers.set('Content-Type', 'application/json');
        init.body = JSON.stringify(spec.body);
      }
      const request = new Request(url(spec), init);
      const response = await Promise.race([fetcher(request), abortedPromise]);
      const text = await Promise.race([response.text(), abortedPromise]);
      return { type: 'response', status: response.status, headers: response.headers, text };
    } catch (error) {
      if (timedOut) return { type: 'timeout' };
      if (signal?.aborted) return { type: 'aborted' };
      return { type: 'network', message: describe(error) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  function httpError(status: number, headers: Headers, text: string): PartneroError {
    const body = errorBody(text);
    const retryAfterMs = parseRetryAfter(headers.get('Retry-After'));
    return new PartneroError(
      'http',
      status,
      body.message ?? `Partnero answered HTTP ${status}`,
      body.errors,
      retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
    );
  }

  function success(spec: RequestSpec, status: number, text: string): Answer {
    if (spec.expectBody === false) return { status, body: undefined };
    try {
      return { status, body: JSON.parse(text) };
    } catch {
      throw new PartneroError('invalid_response', status, `Partnero answered HTTP ${status} with a body that is not JSON`);
    }
  }

  async function sendOnce(spec: RequestSpec, opts: CallOptions): Promise<Answer> {
    const timeoutMs = positive(opts.timeoutMs, defaultTimeout);
    const signal = opts.signal;
    for (let n = 0; ; n++) {
      if (signal?.aborted) throw abortedError();
      const started = Date.now();
      const result = await attempt(spec, timeoutMs, signal);
      report(spec.method, spec.path, result.type === 'response' ? result.status : 0, started);

      let error: PartneroError;
      let outcome: AttemptOutcome;
      switch (result.type) {
        case 'aborted':
          throw abortedError();
        case 'timeout':
          error = new PartneroError('timeout', 0, `Partnero did not answer within ${timeoutMs} ms`);
          outcome = { type: 'timeout' };
          break;
        case 'network':
          error = new PartneroError('network', 0, `Partnero could not be reached: ${result.message}`);
          outcome = { type: 'network' };
          break;
        case 'response':
          if (result.status >= 200 && result.status < 300) return success(spec, result.status, result.text);
          error = httpError(result.status, result.headers, result.text);
          outcome = {
            type: 'response',
            status: result.status,
            retryAfterMs: parseRetryAfter(result.headers.get('Retry-After')),
          };
          break;
      }
      if (n >= retries || !isRetryable(spec.method, outcome)) throw error;
      const delay = nextDelayMs(outcome, n, tuning);
      if (delay === undefined) throw error;
      await sleep(delay, signal);
    }
  }

  return async function send(spec: RequestSpec, opts: CallOptions = {}): Promise<Answer> {
    try {
      return await sendOnce(spec, opts);
    } catch (error) {
      if (error instanceof PartneroError) throw error;
      // Only reachable through a bug or a hostile fetcher; still a typed error for the caller.
      throw new PartneroError('network', 0, `Partnero call failed: ${describe(error)}`);
    }
  };
}

export type Send = ReturnType<typeof createTransport>;

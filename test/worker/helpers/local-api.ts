import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { Customer } from '../../../shared/partnero';
import type { LocalBindings as Env } from '../../../worker/dev/local-partnero/env';
import { localPartnero } from '../../../worker/dev/local-partnero/app';

/** The bearer key the tests' wrangler.toml configures for the local API. */
export const LOCAL_KEY = env.LOCAL_API_KEY ?? '';

export interface CallOptions {
  /** Authorization header value; default `Bearer <LOCAL_API_KEY>`, null sends none. */
  auth?: string | null;
  /** A raw body sent as is (for malformed JSON). */
  raw?: string;
  /** Env overrides: the request then goes straight to the local API app with this env. */
  env?: Partial<Env>;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A request with `method` that carries `body`, even for GET and HEAD. Real clients send GET
 * bodies (the official PHP SDK does) and workerd hands them to the worker (checked with
 * `wrangler dev` and curl), but workerd's Request constructor refuses to build one. So the body
 * travels in a POST request that reports `method` as its method: what the app reads is then
 * exactly what it reads for such a request arriving over HTTP.
 */
export function requestWithBody(url: string, method: string, init: { headers: Headers; body: string }): Request {
  const carrier = new Request(url, { method: 'POST', headers: init.headers, body: init.body });
  return new Proxy(carrier, {
    get(target, prop) {
      if (prop === 'method') return method;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Calls the local API. Without env overrides it goes through the whole worker
 * (worker/index.ts mounts /v1), so mounting is exercised too. A GET or HEAD with a body goes
 * straight to the local API app (see requestWithBody).
 */
// `any` by default: tests read response fields freely and assert on them, which is the check.
export async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  const auth = options.auth === undefined ? `Bearer ${LOCAL_KEY}` : options.auth;
  if (auth !== null) headers.set('Authorization', auth);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  let payload: string | undefined = options.raw;
  if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const url = `http://local.test${path}`;
  const init: RequestInit = { method, headers, body: payload };
  let res: Response;
  if ((method === 'GET' || method === 'HEAD') && payload !== undefined) {
    const ctx = createExecutionContext();
    res = await localPartnero.fetch(requestWithBody(url, method, { headers, body: payload }), { ...env, ...options.env }, ctx);
    await waitOnExecutionContext(ctx);
  } else if (options.env) {
    const ctx = createExecutionContext();
    res = await localPartnero.fetch(new Request(url, init), { ...env, ...options.env }, ctx);
    await waitOnExecutionContext(ctx);
  } else {
    res = await exports.default.fetch(url, init);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Keep the text: the assertion on it will say what came back.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A unique key for this test run, valid as a customer key. */
export function uid(prefix = 'c'): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A customer as the local API answers it: always with its `key`. */
export type LocalCustomer = Customer & { key: string };

/** Creates a customer and returns it (fails the test when the API refuses). */
export async function createCustomer(input: Record<string, unknown> = {}): Promise<LocalCustomer> {
  const res = await call<{ data: LocalCustomer }>('POST', '/v1/customers', { key: uid(), ...input });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A snapshot of every table, to prove a failed request changed nothing. */
export async function snapshot(): Promise<string> {
  const db = env.LOCAL_DB;
  if (!db) throw new Error('LOCAL_DB binding missing');
  const tables = ['customers', 'clicks', 'transactions', 'balance_entries', 'invites', 'referral_links', 'webhooks', 'webhook_deliveries'];
  const parts = await db.batch(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY pk`)));
  return JSON.stringify(parts.map((p) => p.results));
}

/** Every request the stubbed global `fetch` received: what a webhook receiver would see. */
export interface Received {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/**
 * Replaces global `fetch` (what the webhook consumer POSTs with) by a receiver that records
 * each request and answers `reply` (a status, or an Error to throw as a network failure).
 * Restore it with `vi.restoreAllMocks()`.
 */
export function stubReceiver(reply: (request: Request, n: number) => number | Error = () => 200): Received[] {
  const received: Received[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push({ url: request.url, method: request.method, headers: request.headers, body: await request.text() });
    const outcome = reply(request, received.length);
    if (outcome instanceof Error) throw outcome;
    return new Response([101, 204, 205, 304].includes(outcome) ? null : 'ok', { status: outcome });
  });
  return received;
}

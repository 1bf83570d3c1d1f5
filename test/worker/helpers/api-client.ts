/**
 * Helpers for the widget API tests: tokens, seeded customers (through the real local API),
 * and calls to the real worker app with per-test env overrides.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Customer } from '../../../shared/partnero';
import { mintCustomerToken } from '../../../shared/referral-token.js';
import type { DevEnv as Env } from '../../../worker/dev/env';
import { app } from '../../../worker/dev/index';
import { partneroFor } from '../../../worker/dev/upstream';
import { app as productionApp } from '../../../worker/index';

export const SECRET = env.TOKEN_SECRET ?? '';
export const PREVIOUS_SECRET = env.TOKEN_SECRET_PREVIOUS ?? '';
export const AUDIENCE = env.TOKEN_AUDIENCE ?? 'referral-widget';

let counter = 0;
/** A customer key no other test uses. */
export function uniqueKey(prefix = 'cust'): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A valid token for `sub` (current secret, 15 min) unless options say otherwise. */
export function tokenFor(
  sub: string,
  options: { email?: string; name?: string; ttlSeconds?: number; maxAgeSeconds?: number; secret?: string; audience?: string; now?: number; createdAt?: number } = {},
): Promise<string> {
  return mintCustomerToken({
    secret: options.secret ?? SECRET,
    sub,
    audience: options.audience ?? AUDIENCE,
    ttlSeconds: options.ttlSeconds ?? 900,
    maxAgeSeconds: options.maxAgeSeconds,
    email: options.email,
    name: options.name,
    now: options.now,
    createdAt: options.createdAt,
  });
}

/** The local API through the real client, to seed and inspect upstream state. */
export function upstream(overrides: Partial<Env> = {}) {
  return partneroFor({ ...env, ...overrides }, undefined, { retries: 0 });
}

/** Creates a customer upstream (optionally referred by `referrer`); resolves with its key and upstream record. */
export async function seedCustomer(
  options: { key?: string; email?: string; name?: string; surname?: string; referrer?: string } = {},
): Promise<{ key: string; customer: Customer }> {
  const key = options.key ?? uniqueKey();
  const customer = await upstream().createCustomer({
    key,
    email: options.email ?? `${key}@example.com`,
    name: options.name ?? 'Test',
    ...(options.surname ? { surname: options.surname } : {}),
    ...(options.referrer ? { referring_customer: { key: options.referrer } } : {}),
  });
  return { key, customer };
}

/** A rate limiter that always lets requests through (for tests that send many requests). */
export const unlimited: RateLimit = { limit: async () => ({ success: true }) };
/** A rate limiter that refuses everything. */
export const exhausted: RateLimit = { limit: async () => ({ success: false }) };
/** Rate limits out of the way: the default for tests about something else. */
export const NO_LIMITS: Partial<Env> = { RL_READ: unlimited, RL_WRITE: unlimited, RL_IP: unlimited };

export interface ApiCall {
  method?: string;
  token?: string | null;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string | null;
  headers?: Record<string, string>;
  env?: Partial<Env>;
  /** Call the production composition (worker/index.ts) instead of the dev one. */
  production?: boolean;
}

export interface ApiResult<T = unknown> {
  status: number;
  // `any` by default: tests read fields freely and assert on them, which is the check.
  body: T;
  text: string;
  headers: Headers;
}

/**
 * Calls the real worker app (the dev composition, or the production one) with the test env plus `env` overrides
 * (rate limits off unless overridden), and waits for its waitUntil work.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ApiResult.body
export async function api<T = any>(path: string, call: ApiCall = {}): Promise<ApiResult<T>> {
  const headers = new Headers(call.headers);
  if (call.token) headers.set('Authorization', `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.raw !== undefined && call.raw !== null) body = call.raw;
  else if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const method = call.method ?? (body !== undefined ? 'POST' : 'GET');
  const ctx = createExecutionContext();
  const target = call.production ? productionApp : app;
  const res = await target.fetch(new Request(`http://bff.test${path}`, { method, headers, body }), { ...env, ...NO_LIMITS, ...call.env }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Keep the text: the assertion on it says what came back.
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

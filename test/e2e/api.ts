/**
 * Node-side calls the browser tests make to their worker to arrange a scene: customers
 * through the local Partnero-compatible API (/v1), tokens, purchases, cache purges and
 * upstream faults through the dev-only demo routes (/demo/*).
 */
import { mintCustomerToken } from '../../shared/referral-token.js';
import type { MeResponse } from '../../shared/widget-api';
import { DEV_TOKEN_SECRET } from '../../worker/dev/dev-secret';

/** The local API's key in wrangler.toml (LOCAL_API_KEY). */
export const LOCAL_API_KEY = 'local_dev_key';

/** A customer key no other test uses (matches CUSTOMER_KEY_PATTERN). */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function send(base: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('Content-Type', 'application/json');
  if (path.startsWith('/v1/')) headers.set('Authorization', `Bearer ${LOCAL_API_KEY}`);
  return fetch(`${base}${path}`, {
    ...rest,
    headers,
    ...(json !== undefined ? { method: rest.method ?? 'POST', body: JSON.stringify(json) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
}

/** Sends a request and returns its JSON body, failing loudly on a status other than `expected`. */
async function call<T>(base: string, path: string, init: RequestInit & { json?: unknown } = {}, expected = [200, 201]): Promise<T> {
  const res = await send(base, path, init);
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${init.method ?? (init.json ? 'POST' : 'GET')} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface NewCustomer {
  key: string;
  email: string;
  name?: string;
  surname?: string;
  /** Key of the referring customer. */
  referrer?: string;
}

/** Creates a customer through the local API (`POST /v1/customers`). */
export async function createCustomer(base: string, customer: NewCustomer): Promise<void> {
  const body: Record<string, unknown> = { key: customer.key, email: customer.email };
  if (customer.name !== undefined) body.name = customer.name;
  if (customer.surname !== undefined) body.surname = customer.surname;
  if (customer.referrer !== undefined) body.referring_customer = { key: customer.referrer };
  await call(base, '/v1/customers', { json: body });
}

/** `clicks_count` and `referrals_count` from `GET /v1/customers/{key}/stats`. */
export async function upstreamStats(base: string, key: string): Promise<{ clicks: number; referrals: number }> {
  const { data } = await call<{ data: { clicks_count: number; referrals_count: number } }>(base, `/v1/customers/${encodeURIComponent(key)}/stats`);
  return { clicks: data.clicks_count, referrals: data.referrals_count };
}

/** A customer token from the demo's token URL; `ttl: 0` mints an already expired one. */
export async function demoToken(base: string, customer: string, ttl?: number): Promise<string> {
  const query = new URLSearchParams({ customer });
  if (ttl !== undefined) query.set('ttl', String(ttl));
  const { token } = await call<{ token: string }>(base, `/demo/token?${query}`);
  return token;
}

/**
 * A token that was valid for a minute and expired a minute ago: what a page left open
 * too long holds. Signed with the demo secret `wrangler dev` uses when no TOKEN_SECRET is set. (The demo's `ttl=0` mints a zero-lifetime token, which the worker
 * refuses as malformed rather than expired.)
 */
export function expiredToken(customer: string): Promise<string> {
  return mintCustomerToken({ secret: DEV_TOKEN_SECRET, sub: customer, ttlSeconds: 60, now: Math.floor(Date.now() / 1000) - 120 });
}

/** A purchase by `customerKey`; its referrer is rewarded and its cached /api/me purged. */
export async function purchase(base: string, customerKey: string, amount: number, currency = 'USD'): Promise<void> {
  await call(base, '/demo/purchase', { json: { customer_key: customerKey, amount, currency } });
}

/** Forgets the customer's cached `GET /api/me`. */
export async function purge(base: string, customerKey: string): Promise<void> {
  await call(base, '/demo/purge', { json: { customer_key: customerKey } });
}

/** Makes every local API call fail with `status` (until cleared or `times` calls failed). */
export async function setFault(base: string, fault: { status: number; times?: number; delayMs?: number }): Promise<void> {
  await call(base, '/demo/fault', { json: fault });
}

export async function clearFault(base: string): Promise<void> {
  await call(base, '/demo/fault', { json: { clear: true } });
}

/** `GET /api/me` as the widget sends it: the status and, when 200, the body. */
export async function fetchMe(base: string, token: string): Promise<{ status: number; body: MeResponse | null }> {
  const res = await send(base, '/api/me', { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) {
    await res.body?.cancel();
    return { status: res.status, body: null };
  }
  return { status: res.status, body: (await res.json()) as MeResponse };
}

/** The customer `GET /v1/customers/{key}` stores (with its referrer), or null when there is none. */
export async function upstreamCustomer(base: string, key: string): Promise<{ key: string; referring_customer?: { key?: string } | null } | null> {
  const res = await send(base, `/v1/customers/${encodeURIComponent(key)}`);
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (!res.ok) throw new Error(`GET /v1/customers/${key} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { key: string; referring_customer?: { key?: string } | null } }).data;
}

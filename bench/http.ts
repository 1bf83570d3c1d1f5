/**
 * HTTP helpers for talking to a running worker from the bench: the local Partnero API under
 * /v1 (with the local key), the widget API under /api (with customer tokens) and the demo's
 * dev-only routes. Everything goes to 127.0.0.1.
 */
import { mintCustomerToken } from '../shared/referral-token.js';
import { pool } from './stats.ts';

/** Configuration the bench starts the widget worker with (passed as wrangler vars). */
export const BENCH_LOCAL_KEY = 'bench_local_key';
export const BENCH_TOKEN_SECRET = 'bench-only-token-secret-0123456789abcdef';

/**
 * A client address from 198.18.0.0/15, the range RFC 2544 reserves for benchmarks. Sent as
 * CF-Connecting-IP (wrangler dev keeps a client-sent one; Cloudflare's edge would overwrite
 * it) so load spread over many "clients" is not all counted against one per-IP limit.
 */
export function benchIp(i: number): string {
  const n = i % (2 * 65_536);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text, the caller reports it.
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

const TIMEOUT_MS = 30_000;

export class WorkerClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  /** A /v1 (local Partnero API) call with the local key. */
  async v1<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${this.url}/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${BENCH_LOCAL_KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return answer<T>(res);
  }

  /** A widget API call as customer `token` from client address `ip`. */
  async api<T = unknown>(path: string, token: string, ip: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${this.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'CF-Connecting-IP': ip,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return answer<T>(res);
  }

  /** A dev-only /demo route (DEMO_MODE is on under wrangler dev). */
  async demo<T = unknown>(path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${this.url}/demo${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return answer<T>(res);
  }

  /** Creates each customer upstream (key = id, a unique email), failing the bench on any error. */
  async createCustomers(keys: readonly string[], concurrency = 16, referrer?: string): Promise<void> {
    await pool(keys, concurrency, async (key) => {
      const res = await this.v1('POST', '/customers', {
        key,
        email: `${key}@bench.example.com`,
        name: `Bench ${key}`,
        ...(referrer ? { referring_customer: { key: referrer } } : {}),
      });
      if (res.status !== 200) throw new Error(`bench: creating customer ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    });
  }

  /** Upstream call counts of the local API since the last reset (GET /demo/upstream-calls). */
  async upstreamCalls(): Promise<{ total: number; byRoute: Record<string, number> }> {
    const res = await this.demo<{ total: number; byRoute: Record<string, number> }>('/upstream-calls');
    if (res.status !== 200) throw new Error(`bench: /demo/upstream-calls answered ${res.status}`);
    return res.body;
  }

  async resetUpstreamCalls(): Promise<void> {
    const res = await this.demo('/upstream-calls/reset', {});
    if (res.status !== 200) throw new Error(`bench: /demo/upstream-calls/reset answered ${res.status}`);
  }
}

/** A customer token signed with the bench's TOKEN_SECRET (what a host backend would mint). */
export function tokenFor(customerKey: string, profile: { email?: string; name?: string } = {}): Promise<string> {
  return mintCustomerToken({ secret: BENCH_TOKEN_SECRET, sub: customerKey, ttlSeconds: 3600, ...profile });
}

/** Throws with the answer when `res.status` is not one of `expected`. */
export function expectStatus(what: string, res: Answer, ...expected: number[]): void {
  if (!expected.includes(res.status)) {
    throw new Error(`bench: ${what} answered ${res.status} (expected ${expected.join(' or ')}): ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}

import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DevEnv as Env } from '../../worker/dev/env';
import { setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, exhausted, seedCustomer, tokenFor, uniqueKey, type ApiResult } from './helpers/api-client';
import { captureQueue, deliver } from './helpers/api-queue';
import { REMOTE_API_KEY, REMOTE_ENV, mockRemote } from './helpers/api-remote';

const SECRETS = [REMOTE_API_KEY, env.LOCAL_API_KEY ?? '', env.TOKEN_SECRET ?? '', env.TOKEN_SECRET_PREVIOUS ?? ''].filter((s) => s.length > 0);

let output: string[] = [];
beforeEach(() => {
  output = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(' ')));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  setLocalFault(null);
});

function scan(results: ApiResult[]): void {
  expect(results.length).toBeGreaterThan(0);
  const headerText = (h: Headers) => {
    const lines: string[] = [];
    h.forEach((value, name) => lines.push(`${name}: ${value}`));
    return lines.join('\n');
  };
  const seen = [...results.map((r) => `${headerText(r.headers)}\n\n${r.text}`), ...output].join('\n----\n');
  for (const secret of SECRETS) {
    const at = seen.indexOf(secret);
    expect(at, `a secret (${secret.slice(0, 4)}…) leaked: …${seen.slice(Math.max(0, at - 300), at + 50)}`).toBe(-1);
  }
}

/** Calls every endpoint along its success and failure paths. */
async function exercise(extraEnv: Partial<Env> = {}): Promise<ApiResult[]> {
  const e = extraEnv;
  const { key: referrer } = await seedCustomer();
  const { key } = await seedCustomer({ referrer, email: 'leak-check@example.com' });
  const token = await tokenFor(key);
  const results: ApiResult[] = [];
  const call = async (path: string, options: Parameters<typeof api>[1] = {}) => {
    results.push(await api(path, { ...options, env: { ...e, ...options.env } }));
  };
  for (const path of ['/api/me', '/api/me', '/api/me/referrals?page=1&per_page=5', '/api/me/transactions', '/api/me/balance', '/api/me/stats']) await call(path, { token });
  await call('/api/me/invite', { token, body: { email: 'friend.of.leak@example.com', name: 'Friend' } });
  await call('/api/me/invite', { token, body: { email: 'leak-check@example.com' } });
  await call('/api/me/invite', { token, body: { email: 'nope' } });
  await call('/api/signup', { token: await tokenFor(uniqueKey('leak')), body: { referral_key: referrer } });
  await call('/api/signup', { token, body: { referral_key: referrer } });
  await call('/api/signup', { token, body: { referral_key: key } });
  await call('/api/signup', { token: await tokenFor(uniqueKey('leak')), body: { referral_key: uniqueKey('ghost') } });
  await call('/api/clicks', { body: { referral_key: referrer } });
  await call('/api/clicks', { body: { referral_key: uniqueKey('ghost') } });
  await call('/api/me');
  await call('/api/me', { token: `${token}x` });
  await call('/api/nope', { token });
  await call('/api/me', { method: 'DELETE', token });
  await call('/api/signup', { token, raw: 'x=1', headers: { 'Content-Type': 'text/html' } });
  await call('/api/signup', { token, raw: '{oops' });
  await call('/api/me', { token, env: { RL_READ: exhausted } });
  await call('/api/signup', { token, raw: JSON.stringify({ referral_key: 'x'.repeat(1000) }), env: { MAX_BODY_BYTES: '64' } });
  await call('/api/me', { token, headers: { Origin: 'http://localhost:8787' } });
  return results;
}

describe('the API key never leaves the worker', () => {
  it('with the local API: no response, header or log line carries LOCAL_API_KEY or a token secret', async () => {
    scan(await exercise());
  });

  it('with the local API failing and timing out', async () => {
    const results: ApiResult[] = [];
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    for (const fault of [{ status: 500 }, { status: 401 }, { status: 429 }, { status: 200, delayMs: 1000 }]) {
      setLocalFault(fault);
      const noCache = { ME_CACHE_TTL_SECONDS: '0', ME_STALE_TTL_SECONDS: '0', UPSTREAM_TIMEOUT_MS: '60' };
      results.push(await api('/api/me', { token, env: noCache }));
      results.push(await api('/api/me/stats', { token, env: noCache }));
      const { queue, sent } = captureQueue();
      results.push(await api('/api/signup', { token: await tokenFor(uniqueKey('leak')), body: {}, env: { ...noCache, SIGNUP_QUEUE: queue } }));
      setLocalFault(null);
      await deliver('referral-signups', sent);
      await deliver('referral-signups-dlq', sent);
    }
    scan(results);
  }, 30_000);

  it('with a remote Partnero that echoes the key back in its errors', async () => {
    const remote = mockRemote((request) => {
      const path = new URL(request.url).pathname;
      const echo = `invalid credentials: ${request.headers.get('Authorization')} (${REMOTE_API_KEY})`;
      if (path.endsWith('/stats') || path.endsWith('/clicks') || path.endsWith('/transactions')) {
        return Response.json({ message: echo, errors: { key: [echo] } }, { status: path.endsWith('/stats') ? 401 : 500, headers: { 'X-Debug': REMOTE_API_KEY } });
      }
      if (path.endsWith(':invite')) return Response.json({ message: echo, errors: { email: [`${REMOTE_API_KEY} refused`] } }, { status: 422 });
      return undefined;
    });
    try {
      const results = await exercise(REMOTE_ENV);
      expect(results.some((r) => r.status === 502)).toBe(true);
      scan(results);
    } finally {
      remote.restore();
    }
  });
});

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../worker/dev/index';
import { api, exhausted, seedCustomer, tokenFor, uniqueKey, unlimited } from './helpers/api-client';
import { ALL_ENDPOINTS } from './helpers/api-endpoints';
import { REMOTE_ENV, mockRemote } from './helpers/api-remote';

afterEach(() => vi.restoreAllMocks());

const ALLOWED = 'http://localhost:8787';

describe('request id', () => {
  it('is in every response: success, 401, 404, 405, 413, 429', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const answers = [
      await api('/api/me', { token }),
      await api('/api/me'),
      await api('/api/nope'),
      await api('/api/me', { method: 'DELETE' }),
      await api('/api/signup', { token, raw: JSON.stringify({ referral_key: 'x'.repeat(1500) }), env: { MAX_BODY_BYTES: '1024' } }),
      await api('/api/me', { token, env: { RL_READ: exhausted } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 405, 413, 429]);
    for (const a of answers) expect(a.headers.get('X-Request-Id')).toMatch(/^[\w=-]{8,}$/);
    expect(new Set(answers.map((a) => a.headers.get('X-Request-Id'))).size).toBe(answers.length);
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    expect((await api('/api/nope', { headers: { 'X-Request-Id': 'trace-abc-123' } })).headers.get('X-Request-Id')).toBe('trace-abc-123');
    expect((await api('/api/nope', { headers: { 'X-Request-Id': 'bad id<script>' } })).headers.get('X-Request-Id')).not.toContain('<');
  });
});

describe('structured logs', () => {
  it('writes one JSON line per request with id, method, path, status, ms, upstream time and a customer hash', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const res = await api('/api/me?x=secret-query', { token });
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toEqual({
      level: 'info',
      msg: 'request',
      time: expect.any(String),
      id: res.headers.get('X-Request-Id'),
      method: 'GET',
      path: '/api/me',
      status: 200,
      ms: expect.any(Number),
      upstream_ms: expect.any(Number),
      upstream_calls: 3,
      customer: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(token);
    expect(all).not.toContain('secret-query');
  });
});

describe('CORS', () => {
  it('answers an allowed origin with its CORS headers, credentials allowed', async () => {
    const res = await api('/api/nope', { headers: { Origin: ALLOWED } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('refuses other origins with 403 origin_not_allowed naming the origin and the setting, readable but without credentials', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8788', `${ALLOWED}.evil.example`]) {
      const res = await api('/api/me', { token, headers: { Origin: origin } });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code, origin).toBe('origin_not_allowed');
      expect(res.body.error.message, origin).toContain(origin);
      expect(res.body.error.message, origin).toContain('ALLOWED_ORIGINS');
      expect(res.text, origin).not.toContain('"customer"');
      expect(res.headers.get('Access-Control-Allow-Origin'), origin).toBe(origin);
      expect(res.headers.get('Access-Control-Allow-Credentials'), origin).toBeNull();
    }
  });

  it('logs a refused origin once per isolate, naming it and the setting', async () => {
    const warned = vi.spyOn(console, 'warn');
    const origin = `https://${uniqueKey('shop')}.example`;
    for (let i = 0; i < 3; i += 1) await api('/api/me', { headers: { Origin: origin } });
    const lines = warned.mock.calls.map(([l]) => JSON.parse(String(l)) as Record<string, unknown>).filter((l) => l.origin === origin);
    expect(lines).toEqual([expect.objectContaining({ msg: expect.stringContaining('ALLOWED_ORIGINS'), origin, setting: 'ALLOWED_ORIGINS' })]);
    warned.mockRestore();
  });

  it('lets the worker\'s own origin and calls without an Origin (host backends) through', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    expect((await api('/api/me', { token, headers: { Origin: 'http://bff.test' } })).status).toBe(200);
    expect((await api('/api/me', { token })).status).toBe(200);
  });

  it('handles preflights: allowed origins get methods and headers with credentials, others a 204 without credentials (the real call then explains)', async () => {
    const preflight = (origin: string) =>
      api('/api/me/invite', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } });
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(ok.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(ok.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
    const denied = await preflight('https://evil.example');
    expect(denied.status).toBe(204);
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBe('https://evil.example');
    expect(denied.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('reads the allow-list from ALLOWED_ORIGINS', async () => {
    const res = await api('/api/nope', { headers: { Origin: 'https://shop.example.com' }, env: { ALLOWED_ORIGINS: 'https://a.example, https://shop.example.com/' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example.com');
  });
});

describe('headers on every /api answer', () => {
  it('sends secure headers and no-store', async () => {
    const res = await api('/api/me');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.headers.get('Content-Type')).toContain('application/json');
  });

  it('sends Server-Timing on every answer: the worker\'s own time, and upstream time when upstream was called', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    expect((await api('/api/me/stats', { token })).headers.get('Server-Timing')).toMatch(/^app;dur=[\d.]+, upstream;dur=[\d.]+;desc="2 calls"$/);
    expect((await api('/api/me/stats')).headers.get('Server-Timing')).toMatch(/^app;dur=[\d.]+$/);
    expect((await api('/api/nope')).headers.get('Server-Timing')).toMatch(/^app;dur=[\d.]+$/);
  });
});

describe('routing and bodies', () => {
  it('answers 404 not_found for unknown /api routes, including what the browser must never reach', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['GET', '/api/me/'],
      ['GET', '/api/customers'],
      ['POST', '/api/me/balance/credit'],
      ['POST', '/api/me/archive'],
      ['DELETE', '/api/me/delete'],
      ['PUT', '/api/me/update'],
      ['GET', '/api'],
    ] as const) {
      const res = await api(path, { method, token });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('answers 405 method_not_allowed with Allow, before asking for a token', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/api/me', 'GET'],
      ['PUT', '/api/me/referrals', 'GET'],
      ['POST', '/api/me/balance', 'GET'],
      ['GET', '/api/me/invite', 'POST'],
      ['GET', '/api/signup', 'POST'],
      ['PATCH', '/api/clicks', 'POST'],
    ] as const) {
      const res = await api(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.body.error.code).toBe('method_not_allowed');
      expect(res.headers.get('Allow')).toContain(allow);
    }
  });

  it('limits body size (MAX_BODY_BYTES): 413 payload_too_large, with or without Content-Length', async () => {
    const token = await tokenFor(uniqueKey());
    const big = JSON.stringify({ email: `${'a'.repeat(1500)}@example.com` });
    const declared = await api('/api/me/invite', { token, raw: big, env: { MAX_BODY_BYTES: '1024' } });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request('http://bff.test/api/clicks', { method: 'POST', body: stream, headers: { 'Content-Type': 'application/json' } }),
      { ...env, RL_IP: unlimited, RL_WRITE: unlimited, MAX_BODY_BYTES: '1024' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(413);
  });
});

describe('rate limits', () => {
  it('keys the per-IP limit on CF-Connecting-IP and the read limit on the customer', async () => {
    const { key } = await seedCustomer();
    const seen: Array<[string, string]> = [];
    const recording = (name: string): RateLimit => ({
      limit: async ({ key: k }) => {
        seen.push([name, k]);
        return { success: true };
      },
    });
    await api('/api/me/stats', { token: await tokenFor(key), headers: { 'CF-Connecting-IP': '203.0.113.9' }, env: { RL_IP: recording('ip'), RL_READ: recording('read'), RL_WRITE: recording('write') } });
    expect(seen).toEqual([
      ['ip', 'ip:203.0.113.9'],
      ['read', `read:${key}`],
    ]);
  });

  it('answers 429 rate_limited with Retry-After on every endpoint when the IP is over its limit', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const [method, path] of ALL_ENDPOINTS) {
      const res = await api(path, { method, token, body: method === 'POST' ? {} : undefined, env: { RL_IP: exhausted } });
      expect(res.status, path).toBe(429);
      expect(res.body.error).toMatchObject({ code: 'rate_limited', retry_after: 60 });
      expect(res.headers.get('Retry-After')).toBe('60');
    }
  });

  it('stops one IP with the real RL_IP binding without affecting another IP', async () => {
    const statuses: number[] = [];
    // The limiter counts per wall-clock minute (600 a minute): a burst that crosses a minute
    // boundary starts over, so allow for one crossing (600 + 600 + margin) before giving up.
    for (let i = 0; i < 1300; i += 1) {
      const res = await api('/api/nope', { headers: { 'CF-Connecting-IP': '198.51.100.7' }, env: { RL_IP: env.RL_IP } });
      statuses.push(res.status);
      if (res.status === 429) break;
    }
    expect(statuses.at(-1)).toBe(429);
    expect((await api('/api/nope', { headers: { 'CF-Connecting-IP': '198.51.100.8' }, env: { RL_IP: env.RL_IP } })).status).toBe(404);
  });

  it('turns the limits off with DISABLE_RATE_LIMITS only in the dev composition (benchmarks)', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const limited = { RL_IP: exhausted, RL_READ: exhausted, DISABLE_RATE_LIMITS: 'true' };
    expect((await api('/api/me/stats', { token, env: limited })).status).toBe(200);
    const remote = mockRemote();
    try {
      expect((await api('/api/me/stats', { production: true, token, env: { ...limited, ...REMOTE_ENV } })).status).toBe(429);
    } finally {
      remote.restore();
    }
  });

  it('lets requests through when a limiter fails (limits protect upstream; they must not take the widget down)', async () => {
    const broken: RateLimit = { limit: async () => Promise.reject(new Error('limiter down')) };
    const token = await tokenFor((await seedCustomer()).key);
    expect((await api('/api/me/stats', { token, env: { RL_IP: broken, RL_READ: broken } })).status).toBe(200);
  });
});

describe('unexpected errors', () => {
  it('answers a generic 500 internal_error that leaks nothing, and logs it with the request id', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    const brokenEnv = { ...env, RL_IP: unlimited, RL_READ: unlimited };
    const token = await tokenFor((await seedCustomer()).key);
    // The platform failing where no handler expects it: hashing the cache key.
    vi.spyOn(crypto.subtle, 'digest').mockRejectedValueOnce(new Error('kaboom: internal detail'));
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request('http://bff.test/api/me', { headers: { Authorization: `Bearer ${token}` } }), brokenEnv, ctx);
    await waitOnExecutionContext(ctx);
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(text).not.toContain('kaboom');
    const id = res.headers.get('X-Request-Id');
    expect(id).toBeTruthy();
    const logged = errors.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ id, detail: 'kaboom: internal detail' });
  });
});

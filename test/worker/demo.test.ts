import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevEnv as Env } from '../../worker/dev/env';
import { localApiCalls, resetLocalApiCalls, setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, seedCustomer, uniqueKey, upstream, type ApiCall } from './helpers/api-client';

/** A call to the demo routes of the dev composition. */
const demoApi = (path: string, call: ApiCall = {}) => api(path, call);

function claims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
}

afterEach(() => setLocalFault(null));

describe('demo routes in the production composition', () => {
  it.each([
    ['GET', '/demo/token?customer=alice', undefined],
    ['POST', '/demo/signup-token', { key: 'x1', email: 'x1@example.com' }],
    ['POST', '/demo/purchase', { customer_key: 'x1', amount: 10 }],
    ['POST', '/demo/purge', { customer_key: 'x1' }],
    ['POST', '/demo/fault', { status: 503 }],
    ['GET', '/demo/upstream-calls', undefined],
    ['POST', '/demo/upstream-calls/reset', undefined],
  ])('%s %s answers 404 and does nothing', async (method, path, body) => {
    setLocalFault(null);
    const res = await api(path, { method, body, production: true });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
    expect(res.text).not.toContain('token"');
  });

  it('does not arm a fault', async () => {
    await api('/demo/fault', { body: { status: 503 }, production: true });
    const { key } = await seedCustomer();
    expect((await upstream().getCustomer(key)).id).toBe(key);
  });
});

describe('GET /demo/token', () => {
  it('mints a token the widget API accepts for that customer', async () => {
    const { key } = await seedCustomer({ name: 'Tokened' });
    const res = await demoApi(`/demo/token?customer=${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const me = await api('/api/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.customer.key).toBe(key);
  });

  it('honours ttl (default 900 s) and refuses more than TOKEN_MAX_AGE_SECONDS', async () => {
    const plain = await demoApi('/demo/token?customer=alice');
    const { exp, iat, sub } = claims(plain.body.token);
    expect(sub).toBe('alice');
    expect(Number(exp) - Number(iat)).toBe(900);
    const short = await demoApi('/demo/token?customer=alice&ttl=5');
    const c = claims(short.body.token);
    expect(Number(c.exp) - Number(c.iat)).toBe(5);
    const tooLong = await demoApi('/demo/token?customer=alice&ttl=3601');
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.code).toBe('validation_failed');
  });

  it('mints a genuinely expired token with ttl=0: the API answers 401 token_expired, so widgets renew', async () => {
    const res = await demoApi('/demo/token?customer=alice&ttl=0');
    expect(res.status).toBe(200);
    const me = await api('/api/me', { token: res.body.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('token_expired');
  });

  it('answers 422 for a missing or malformed customer key, never a token', async () => {
    for (const query of ['', '?customer=', '?customer=%3Cscript%3E', '?customer=-lead', `?customer=${'a'.repeat(129)}`, '?customer=ok&ttl=-1', '?customer=ok&ttl=1.5']) {
      const res = await demoApi(`/demo/token${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.text).not.toContain('"token"');
    }
  });

  it('never answers 500 whatever the query string', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 20 }), async (customer, ttl) => {
        const res = await demoApi(`/demo/token?customer=${encodeURIComponent(customer)}&ttl=${encodeURIComponent(ttl)}`);
        expect([200, 422]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('POST /demo/signup-token', () => {
  it('mints a token with the profile claims that POST /api/signup uses to create the customer', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('newbie');
    const res = await demoApi('/demo/signup-token', { body: { key, email: `${key}@example.com`, name: 'Newbie' } });
    expect(res.status).toBe(200);
    expect(claims(res.body.token)).toMatchObject({ sub: key, email: `${key}@example.com`, name: 'Newbie' });
    const signup = await api('/api/signup', { token: res.body.token, body: { referral_key: referrer } });
    expect(signup.status).toBe(201);
    expect(signup.body).toEqual({ result: 'created', customer_key: key, referred_by: referrer });
    const created = await upstream().getCustomer(key);
    expect(created.email).toBe(`${key}@example.com`);
  });

  it('refuses bad input with 4xx, never a 500', async () => {
    expect((await demoApi('/demo/signup-token', { body: { key: 'ok', email: 'not-an-email' } })).status).toBe(422);
    expect((await demoApi('/demo/signup-token', { body: { email: 'a@example.com' } })).status).toBe(422);
    expect((await demoApi('/demo/signup-token', { raw: '{nope' })).status).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const res = await demoApi('/demo/signup-token', { raw: JSON.stringify(body) ?? 'null' });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe('POST /demo/purchase', () => {
  it("credits the referrer, and the referrer's GET /api/me shows it at once (cache purged)", async () => {
    const { key: referrer } = await seedCustomer();
    const { key: friend } = await seedCustomer({ referrer });
    const token = (await demoApi(`/demo/token?customer=${referrer}`)).body.token as string;
    const before = await api('/api/me', { token });
    expect(before.body.balance).toEqual([]);

    const res = await demoApi('/demo/purchase', { body: { customer_key: friend, amount: 120, currency: 'EUR' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 120, currency: 'EUR', customer_key: friend, referrer_key: referrer });
    expect(res.body.reward).toMatchObject({ currency: 'EUR', is_currency: true });

    const after = await api('/api/me', { token });
    expect(after.status).toBe(200);
    expect(after.body.balance).toEqual([{ amount: res.body.reward.amount, currency: 'EUR', is_currency: true }]);
    expect(after.body.balance[0].amount).toBeGreaterThan(0);
  });

  it('defaults the currency to USD and reports no referrer for a customer nobody referred', async () => {
    const { key } = await seedCustomer();
    const res = await demoApi('/demo/purchase', { body: { customer_key: key, amount: 5 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ currency: 'USD', referrer_key: null, reward: null });
  });

  it('answers 404 for an unknown customer and 422 for a bad amount or currency', async () => {
    expect((await demoApi('/demo/purchase', { body: { customer_key: uniqueKey('ghost'), amount: 5 } })).status).toBe(404);
    for (const body of [
      { customer_key: 'x1', amount: 0 },
      { customer_key: 'x1', amount: -3 },
      { customer_key: 'x1', amount: '10' },
      { customer_key: 'x1', amount: 10, currency: 'usd' },
      { customer_key: '<b>', amount: 10 },
    ]) {
      const res = await demoApi('/demo/purchase', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });

  it('never answers 500 for any JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ customer_key: fc.oneof(fc.string(), fc.integer()), amount: fc.oneof(fc.double(), fc.string()), currency: fc.option(fc.string()) }, { requiredKeys: [] }), async (body) => {
        const res = await demoApi('/demo/purchase', { body });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });
});

describe('POST /demo/fault and /demo/upstream-calls', () => {
  it('makes the next upstream calls fail, then clears', async () => {
    const { key } = await seedCustomer();
    const token = (await demoApi(`/demo/token?customer=${key}`)).body.token as string;
    const armed = await demoApi('/demo/fault', { body: { status: 503, times: 100 } });
    expect(armed.status).toBe(200);
    expect(armed.body.fault).toEqual({ status: 503, times: 100 });
    const failing = await api('/api/me', { token });
    expect(failing.status).toBeGreaterThanOrEqual(500);
    expect(failing.body.error.code).toMatch(/^upstream_/);

    const cleared = await demoApi('/demo/fault', { body: { clear: true } });
    expect(cleared.body).toEqual({ fault: null });
    const ok = await api('/api/me', { token });
    expect(ok.status).toBe(200);
  });

  it('refuses a malformed fault with 422 and leaves none armed', async () => {
    for (const body of [{ status: 99 }, { status: 600 }, { status: 503, times: -1 }, { status: 503, delayMs: 1e9 }, { clear: false }, { status: 503, extra: 1 }, {}]) {
      const res = await demoApi('/demo/fault', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const { key } = await seedCustomer();
    expect((await upstream().getCustomer(key)).id).toBe(key);
  });

  it('counts the local API calls since the last reset', async () => {
    const { key } = await seedCustomer();
    const token = (await demoApi(`/demo/token?customer=${key}`)).body.token as string;
    const reset = await demoApi('/demo/upstream-calls/reset', { method: 'POST' });
    expect(reset.body).toEqual({ total: 0, byRoute: {} });
    await api('/api/me', { token });
    const counted = await demoApi('/demo/upstream-calls');
    expect(counted.status).toBe(200);
    expect(counted.body.total).toBe(localApiCalls().total);
    expect(counted.body.total).toBeGreaterThanOrEqual(3);
    resetLocalApiCalls();
  });

  it('answers 409 not_configured when the worker talks to a real Partnero', async () => {
    const res = await demoApi('/demo/upstream-calls', { env: { PARTNERO_API_URL: 'https://partnero.invalid/v1', PARTNERO_API_KEY: 'pk_test_0123456789' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_configured');
  });
});

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { app } from '../../worker/dev/index';
import {
  getLocalFault,
  localApiCalls,
  resetLocalApiCalls,
  setLocalFault,
} from '../../worker/dev/local-partnero/faults';
import { call, createCustomer, LOCAL_KEY, snapshot, uid } from './helpers/local-api';

/** Straight to the local API app (same module instance as the fault state imported here). */
const direct = { env: {} };

describe('auth', () => {
  it.each([
    ['no header', null],
    ['a wrong key', 'Bearer wrong-key'],
    ['the key with another scheme', `Basic ${LOCAL_KEY}`],
    ['an empty bearer', 'Bearer '],
    ['a key with a suffix', `Bearer ${LOCAL_KEY}x`],
  ])('answers 401 Unauthenticated for %s', async (_name, auth) => {
    const res = await call('GET', '/v1/customers', undefined, { auth });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('refuses every request when LOCAL_API_KEY is empty, even an empty bearer', async () => {
    for (const auth of [`Bearer ${LOCAL_KEY}`, 'Bearer ', null]) {
      const res = await call('GET', '/v1/customers', undefined, { auth, env: { LOCAL_API_KEY: '' } });
      expect(res.status).toBe(401);
    }
  });

  it('accepts the bearer scheme in any case', async () => {
    expect((await call('GET', '/v1/customers', undefined, { auth: `bearer ${LOCAL_KEY}` })).status).toBe(200);
  });

  it('writes nothing for an unauthenticated create', async () => {
    const before = await snapshot();
    expect((await call('POST', '/v1/customers', { key: uid() }, { auth: null })).status).toBe(401);
    expect(await snapshot()).toBe(before);
  });
});

describe('routing', () => {
  it('answers 404 for unknown routes', async () => {
    for (const path of ['/v1/nope', '/v1/customers/x/nope', '/v1/customers/', '/v1/customers:nope']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ message: 'Not Found' });
    }
  });

  it('answers 405 with Allow for a wrong method on a known route', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/v1/customers', 'GET, HEAD, POST, PUT'],
      ['GET', '/v1/customers/x/archive', 'POST'],
      ['PATCH', '/v1/customers/x', 'DELETE, GET, HEAD, PUT'],
      ['POST', '/v1/customers:search', 'GET, HEAD'],
      ['PUT', '/v1/transactions', 'GET, HEAD, POST'],
      ['PATCH', '/v1/webhooks/x', 'DELETE, GET, HEAD, PUT'],
      ['POST', '/v1/customer_referral_links/x', 'DELETE, GET, HEAD, PUT'],
      ['GET', '/v1/customers/x/balance/credit', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path, undefined, { auth: null });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('Allow')).toBe(allow);
      expect(res.body.message).toContain(`The ${method} method is not supported`);
    }
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    const c = await createCustomer();
    const before = await snapshot();
    for (const raw of ['{', '{"key": }', 'nul', '[1,2]', '"text"', '42']) {
      const res = await call('POST', '/v1/customers', undefined, { raw });
      expect(res.status, raw).toBe(400);
      expect(typeof res.body.message).toBe('string');
      expect((await call('PUT', `/v1/customers/${c.id}`, undefined, { raw })).status).toBe(400);
    }
    expect(await snapshot()).toBe(before);
  });

  it('is mounted only when PARTNERO_API_URL is empty', async () => {
    const request = () =>
      new Request('http://local.test/v1/customers', { headers: { Authorization: `Bearer ${LOCAL_KEY}` } });
    const ctx = createExecutionContext();
    const remote = await app.fetch(request(), { ...env, PARTNERO_API_URL: 'https://api.partnero.test/v1' }, ctx);
    expect(remote.status).toBe(404);
    expect(await remote.json()).toEqual({ message: 'Not Found' });
    const local = await app.fetch(request(), { ...env, PARTNERO_API_URL: '' }, ctx);
    expect(local.status).toBe(200);
    await waitOnExecutionContext(ctx);
  });
});

describe('referral links from REFERRAL_LINK_BASE', () => {
  it.each([
    ['https://yoursite.com', 'https://yoursite.com?ref=K'],
    ['https://yoursite.com/', 'https://yoursite.com/?ref=K'],
    ['https://shop.test/join?utm_source=friends', 'https://shop.test/join?utm_source=friends&ref=K'],
    ['https://shop.test/join?ref=old#top', 'https://shop.test/join?ref=K#top'],
  ])('builds from %s', async (base, expected) => {
    const key = uid('k');
    const res = await call('POST', '/v1/customers', { key }, { env: { REFERRAL_LINK_BASE: base } });
    expect(res.body.data.referral_link).toBe(expected.replace('K', key));
    expect(res.body.data.referral_links).toEqual([expected.replace('K', key)]);
  });

  it('encodes keys with URL-significant characters', async () => {
    const key = `${uid('k')}+a@b:c`;
    const res = await call('POST', '/v1/customers', { key });
    expect(new URL(res.body.data.referral_link).searchParams.get('ref')).toBe(key);
  });

  it('reports an unusable base as a configuration error', async () => {
    const res = await call('GET', '/v1/customers', undefined, { env: { REFERRAL_LINK_BASE: 'not a url' } });
    expect(res.status).toBe(500);
    expect(res.body.message).toMatch(/REFERRAL_LINK_BASE/);
  });
});

describe('fault injection and call counting', () => {
  afterEach(() => setLocalFault(null));

  it('answers the injected status the given number of times, then recovers', async () => {
    setLocalFault({ status: 503, times: 2 });
    expect(getLocalFault()).toEqual({ status: 503, times: 2 });
    const first = await call('GET', '/v1/customers', undefined, direct);
    expect(first.status).toBe(503);
    expect(first.headers.get('Retry-After')).toBe('1');
    expect(first.body).toEqual({ message: 'Service Unavailable' });
    expect((await call('GET', '/v1/customers', undefined, direct)).status).toBe(503);
    expect(getLocalFault()).toBeNull();
    expect((await call('GET', '/v1/customers', undefined, direct)).status).toBe(200);
  });

  it('keeps failing until cleared when times is absent, and writes nothing meanwhile', async () => {
    setLocalFault({ status: 500 });
    const before = await snapshot();
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/v1/customers', { key: uid() }, direct);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ message: 'Server Error' });
    }
    expect(await snapshot()).toBe(before);
    setLocalFault(null);
    expect((await call('POST', '/v1/customers', { key: uid() }, direct)).status).toBe(200);
  });

  it('answers 429 with Retry-After', async () => {
    setLocalFault({ status: 429, times: 1 });
    const res = await call('GET', '/v1/customers', undefined, direct);
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('1');
  });

  it('delays and then answers normally when the status is not an error', async () => {
    setLocalFault({ status: 200, times: 1, delayMs: 5 });
    expect((await call('GET', '/v1/customers', undefined, direct)).status).toBe(200);
    expect(getLocalFault()).toBeNull();
  });

  it('refuses nonsense faults', () => {
    expect(() => setLocalFault({ status: 42 })).toThrow(RangeError);
    expect(() => setLocalFault({ status: 503, times: -1 })).toThrow(RangeError);
    expect(() => setLocalFault({ status: 503, delayMs: Number.NaN })).toThrow(RangeError);
  });

  it('counts every request by route pattern, including refused ones', async () => {
    const c = await createCustomer();
    resetLocalApiCalls();
    await call('GET', `/v1/customers/${c.id}/stats`, undefined, direct);
    await call('GET', `/v1/customers/${c.id}/stats`, undefined, direct);
    await call('GET', `/v1/customers/${c.id}`, undefined, { ...direct, auth: null });
    await call('PATCH', `/v1/customers/${c.id}`, undefined, direct);
    await call('GET', '/v1/nope', undefined, direct);
    expect(localApiCalls()).toEqual({
      total: 5,
      byRoute: {
        'GET /v1/customers/:id/stats': 2,
        'GET /v1/customers/:id': 1,
        'PATCH /v1/customers/:id': 1,
        'GET (unknown route)': 1,
      },
    });
    resetLocalApiCalls();
    expect(localApiCalls()).toEqual({ total: 0, byRoute: {} });
  });
});

describe('LOCAL_API_LATENCY_MS', () => {
  it('still answers correctly with simulated latency', async () => {
    const res = await call('GET', '/v1/customers', undefined, { env: { LOCAL_API_LATENCY_MS: '5' } });
    expect(res.status).toBe(200);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { clearIsolateMeCache } from '../../worker/cache/me-cache';
import { localApiCalls, resetLocalApiCalls, setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, seedCustomer, tokenFor, uniqueKey, upstream } from './helpers/api-client';

afterEach(() => setLocalFault(null));

describe('GET /api/me', () => {
  it('answers the whole first screen in one request, from parallel upstream calls', async () => {
    const { key } = await seedCustomer({ name: 'Alice', email: 'alice.first@example.com' });
    await seedCustomer({ referrer: key });
    await upstream().creditCustomerBalance(key, { amount: 12.5, amount_units: 'USD', is_currency: true });
    resetLocalApiCalls();
    const res = await api('/api/me', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      customer: { key, name: 'Alice', email: 'alice.first@example.com', status: 'active' },
      referral_link: expect.stringContaining(`ref=${key}`),
      referral_links: [{ key, url: expect.stringContaining(`ref=${key}`), default: true }],
      stats: { clicks: 0, referrals: 1, active_referrals: 1 },
      balance: [{ amount: 12.5, currency: 'USD', is_currency: true }],
      offer: { headline: null, referrer_reward: null, friend_reward: null },
      invites: null,
      stale: false,
      fetched_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(localApiCalls().total).toBe(3);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.headers.get('Server-Timing')).toMatch(/^cache;desc="miss", app;dur=\d+(\.\d+)?, upstream;dur=\d+(\.\d+)?;desc="3 calls"$/);
  });

  it('never passes upstream-only fields (referring customer, metadata, custom fields) to the browser', async () => {
    const { key: referrer } = await seedCustomer({ email: 'the-referrer@example.com' });
    const { key } = await seedCustomer({ referrer });
    const res = await api('/api/me', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.customer).sort()).toEqual(['email', 'key', 'name', 'status']);
    expect(res.text).not.toContain(referrer);
    expect(res.text).not.toContain('the-referrer@example.com');
  });

  it('answers 404 not_enrolled, pointing at /api/enrol, for a customer not in the program yet', async () => {
    const res = await api('/api/me', { token: await tokenFor(uniqueKey('new')) });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_enrolled');
    expect(res.body.error.message).toContain('/api/enrol');
  });

  it('serves a cache hit without calling upstream', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    expect((await api('/api/me', { token })).headers.get('X-Cache')).toBe('MISS');
    resetLocalApiCalls();
    const hit = await api('/api/me', { token });
    expect(hit.status).toBe(200);
    expect(hit.headers.get('X-Cache')).toBe('HIT');
    expect(hit.headers.get('Server-Timing')).toMatch(/^cache;desc="hit", app;dur=\d+(\.\d+)?$/);
    expect(hit.body.stale).toBe(false);
    expect(localApiCalls().total).toBe(0);
  });

  it('shares entries between isolates through the edge cache', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    const first = await api('/api/me', { token });
    clearIsolateMeCache();
    resetLocalApiCalls();
    const second = await api('/api/me', { token });
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect(localApiCalls().total).toBe(0);
  });

  it('coalesces concurrent misses for one customer into a single upstream fan-out', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    resetLocalApiCalls();
    const answers = await Promise.all(Array.from({ length: 12 }, () => api('/api/me', { token, env: { LOCAL_API_LATENCY_MS: '20' } })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(localApiCalls().total).toBe(3);
    expect(new Set(answers.map((a) => a.body.fetched_at)).size).toBe(1);
  });

  it('makes one fan-out per customer when many customers load at once', async () => {
    const keys = await Promise.all(Array.from({ length: 4 }, async () => (await seedCustomer()).key));
    const tokens = await Promise.all(keys.map((k) => tokenFor(k)));
    resetLocalApiCalls();
    const answers = await Promise.all(tokens.flatMap((token) => Array.from({ length: 5 }, () => api('/api/me', { token }))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(localApiCalls().total).toBe(3 * keys.length);
  });

  it('serves stale data, marked stale, when upstream fails after the fresh TTL', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    const env = { ME_CACHE_TTL_SECONDS: '0' };
    const fresh = await api('/api/me', { token, env });
    expect(fresh.body.stale).toBe(false);
    setLocalFault({ status: 500 });
    const stale = await api('/api/me', { token, env });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('X-Cache')).toBe('STALE');
    expect(stale.body).toEqual({ ...fresh.body, stale: true });
    setLocalFault(null);
    const recovered = await api('/api/me', { token, env });
    expect(recovered.body.stale).toBe(false);
  });

  it('serves stale data when upstream refuses the API key too (any failure but "no such customer")', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    const env = { ME_CACHE_TTL_SECONDS: '0' };
    await api('/api/me', { token, env });
    setLocalFault({ status: 401 });
    const stale = await api('/api/me', { token, env });
    expect(stale.status).toBe(200);
    expect(stale.body.stale).toBe(true);
  });

  it('refreshes after the fresh TTL when upstream is healthy', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    const env = { ME_CACHE_TTL_SECONDS: '0' };
    await api('/api/me', { token, env });
    resetLocalApiCalls();
    const again = await api('/api/me', { token, env });
    expect(again.headers.get('X-Cache')).toBe('MISS');
    expect(localApiCalls().total).toBe(3);
  });

  it('maps upstream failures without a cached copy to 502 / 503 / 504, never the raw body', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const noCache = { ME_CACHE_TTL_SECONDS: '0', ME_STALE_TTL_SECONDS: '0' };
    const cases: Array<[number, number, string]> = [
      [500, 502, 'upstream_error'],
      [502, 502, 'upstream_error'],
      [503, 503, 'upstream_unavailable'],
      [429, 503, 'upstream_unavailable'],
      [504, 504, 'upstream_timeout'],
    ];
    for (const [upstreamStatus, status, code] of cases) {
      setLocalFault({ status: upstreamStatus });
      const res = await api('/api/me', { token, env: noCache });
      expect(res.status, `upstream ${upstreamStatus}`).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.text).not.toMatch(/Server Error|Bad Gateway|Service Unavailable|Too Many Attempts|Gateway Timeout/);
    }
  });

  it('answers 504 upstream_timeout when upstream is too slow', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    setLocalFault({ status: 200, delayMs: 2000 });
    const res = await api('/api/me', { token, env: { UPSTREAM_TIMEOUT_MS: '60', ME_CACHE_TTL_SECONDS: '0', ME_STALE_TTL_SECONDS: '0' } });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('upstream_timeout');
  });

  it('answers 502 when upstream refuses the API key (401/403): a server problem, not the customer\'s', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const status of [401, 403]) {
      setLocalFault({ status });
      const res = await api('/api/me', { token, env: { ME_CACHE_TTL_SECONDS: '0', ME_STALE_TTL_SECONDS: '0' } });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('upstream_error');
    }
  });

  it("shows a new referral on the referrer's next load: a signup purges the referrer's cached screen", async () => {
    const { key: referrer } = await seedCustomer();
    const referrerToken = await tokenFor(referrer);
    expect((await api('/api/me', { token: referrerToken })).body.stats.referrals).toBe(0);
    const friend = uniqueKey('friend');
    const signup = await api('/api/signup', { token: await tokenFor(friend), body: { referral_key: referrer } });
    expect(signup.status).toBe(201);
    const after = await api('/api/me', { token: referrerToken });
    expect(after.headers.get('X-Cache')).toBe('MISS');
    expect(after.body.stats.referrals).toBe(1);
  });
});

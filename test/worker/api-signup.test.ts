import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignupMessage } from '../../worker/attribution/message';
import { localApiCalls, resetLocalApiCalls, setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, exhausted, seedCustomer, tokenFor, uniqueKey, upstream } from './helpers/api-client';
import { captureQueue } from './helpers/api-queue';
import { REMOTE_ENV, mockRemote } from './helpers/api-remote';

afterEach(() => setLocalFault(null));

/** How many customers upstream carry `key`, and the referrer of the one that does. */
async function stored(key: string): Promise<{ count: number; referrer: string | null; email: string | null; name: string | null }> {
  const rows = await env
    .LOCAL_DB!.prepare('SELECT c.email, c.name, r.key AS referrer FROM customers c LEFT JOIN customers r ON r.pk = c.referring_customer_pk WHERE c.key = ?1')
    .bind(key)
    .all<{ email: string | null; name: string | null; referrer: string | null }>();
  const row = rows.results[0];
  return { count: rows.results.length, referrer: row?.referrer ?? null, email: row?.email ?? null, name: row?.name ?? null };
}

describe('POST /api/signup', () => {
  it('creates the customer with the referrer from the body, email and name from the token', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('new');
    const res = await api('/api/signup', { token: await tokenFor(key, { email: 'New.Person@example.com', name: 'New Person' }), body: { referral_key: referrer } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ result: 'created', customer_key: key, referred_by: referrer });
    expect(await stored(key)).toEqual({ count: 1, referrer, email: 'New.Person@example.com', name: 'New Person' });
  });

  it('takes the referrer from the partnero_referral cookie when the body has none', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('new');
    const res = await api('/api/signup', { token: await tokenFor(key), raw: '', headers: { Cookie: `other=1; partnero_referral=${encodeURIComponent(referrer)}` } });
    expect(res.status).toBe(201);
    expect(res.body.referred_by).toBe(referrer);
    expect((await stored(key)).referrer).toBe(referrer);
  });

  it('prefers the body field over the cookie', async () => {
    const { key: fromBody } = await seedCustomer();
    const { key: fromCookie } = await seedCustomer();
    const key = uniqueKey('new');
    const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: fromBody }, headers: { Cookie: `partnero_referral=${fromCookie}` } });
    expect(res.body.referred_by).toBe(fromBody);
  });

  it('creates an unattributed customer with no referrer anywhere, and ignores a malformed cookie', async () => {
    const a = uniqueKey('new');
    expect((await api('/api/signup', { token: await tokenFor(a), body: {} })).body).toEqual({ result: 'created', customer_key: a, referred_by: null });
    const b = uniqueKey('new');
    const res = await api('/api/signup', { token: await tokenFor(b), body: { referral_key: '' }, headers: { Cookie: 'partnero_referral=%3Cscript%3E' } });
    expect(res.status).toBe(201);
    expect(res.body.referred_by).toBeNull();
    expect(await stored(b)).toMatchObject({ count: 1, referrer: null });
  });

  it('ignores token profile claims that are not valid (creates without them)', async () => {
    const key = uniqueKey('new');
    const res = await api('/api/signup', { token: await tokenFor(key, { email: 'not an email', name: '' }), body: {} });
    expect(res.status).toBe(201);
    expect(await stored(key)).toMatchObject({ count: 1, email: null, name: null });
  });

  it('refuses a malformed referral key with 422 validation_failed, creating nothing', async () => {
    const key = uniqueKey('new');
    for (const referral_key of ['../x', 'a b', 'x'.repeat(200), 42, ['a'], { key: 'a' }]) {
      const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key } });
      expect(res.status, JSON.stringify(referral_key)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields.referral_key).toBeDefined();
    }
    expect((await stored(key)).count).toBe(0);
  });

  it('refuses self-referral (body or cookie) with 422 self_referral', async () => {
    const key = uniqueKey('self');
    const token = await tokenFor(key);
    const body = await api('/api/signup', { token, body: { referral_key: key } });
    expect(body.status).toBe(422);
    expect(body.body.error.code).toBe('self_referral');
    const cookie = await api('/api/signup', { token, raw: '', headers: { Cookie: `partnero_referral=${key}` } });
    expect(cookie.body.error.code).toBe('self_referral');
    expect((await stored(key)).count).toBe(0);
  });

  it('refuses an unknown or archived referrer with 422 referrer_not_found, creating nothing', async () => {
    const key = uniqueKey('new');
    const unknown = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: uniqueKey('ghost') } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('referrer_not_found');
    const { key: archived } = await seedCustomer();
    await upstream().archiveCustomer(archived);
    const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: archived } });
    expect(res.body.error.code).toBe('referrer_not_found');
    expect((await stored(key)).count).toBe(0);
  });

  it('is idempotent: repeating it, or another referrer later, never changes the stored referrer', async () => {
    const { key: first } = await seedCustomer();
    const { key: second } = await seedCustomer();
    const key = uniqueKey('new');
    const token = await tokenFor(key);
    expect((await api('/api/signup', { token, body: { referral_key: first } })).status).toBe(201);
    const again = await api('/api/signup', { token, body: { referral_key: first } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ result: 'existing', customer_key: key, referred_by: first });
    const other = await api('/api/signup', { token, body: { referral_key: second } });
    expect(other.body).toEqual({ result: 'existing', customer_key: key, referred_by: first });
    expect(await stored(key)).toMatchObject({ count: 1, referrer: first });
  });

  it('answers existing, unchanged, for a customer the host created without a referrer', async () => {
    const { key } = await seedCustomer();
    const { key: referrer } = await seedCustomer();
    const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: referrer } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'existing', customer_key: key, referred_by: null });
    expect((await stored(key)).referrer).toBeNull();
  });

  it('creates exactly one customer, with the right referrer, from N concurrent identical signups', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('dup');
    const token = await tokenFor(key);
    const answers = await Promise.all(Array.from({ length: 20 }, () => api('/api/signup', { token, body: { referral_key: referrer } })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    expect(answers.every((a) => a.body.referred_by === referrer)).toBe(true);
    expect(await stored(key)).toMatchObject({ count: 1, referrer });
  });

  it('keeps the first referrer when concurrent signups name different referrers', async () => {
    const referrers = await Promise.all([seedCustomer(), seedCustomer(), seedCustomer()]);
    const key = uniqueKey('dup');
    const token = await tokenFor(key);
    const answers = await Promise.all(referrers.map((r) => api('/api/signup', { token, body: { referral_key: r.key } })));
    const winner = (await stored(key)).referrer;
    expect((await stored(key)).count).toBe(1);
    expect(answers.every((a) => a.body.referred_by === winner)).toBe(true);
  });

  it("resolves upstream's 'key already taken' (a signup in another isolate won the race) by reading the winner", async () => {
    const { key: winnerReferrer } = await seedCustomer();
    const { key: loserReferrer } = await seedCustomer();
    const key = uniqueKey('race');
    let hidden = true;
    // The other isolate's signup lands between our lookup (which still sees no customer) and our create.
    const remote = mockRemote(async (request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && path.endsWith(`/customers/${key}`) && hidden) {
        hidden = false;
        await upstream().createCustomer({ key, referring_customer: { key: winnerReferrer } });
        return Response.json({ message: 'Not Found' }, { status: 404 });
      }
      return undefined;
    });
    try {
      const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: loserReferrer }, env: REMOTE_ENV });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: 'existing', customer_key: key, referred_by: winnerReferrer });
      expect(remote.seen.some((r) => r.method === 'POST' && new URL(r.url).pathname.endsWith('/customers'))).toBe(true);
    } finally {
      remote.restore();
    }
    expect(await stored(key)).toMatchObject({ count: 1, referrer: winnerReferrer });
  });

  it('queues the signup and answers 202 when upstream fails (5xx, 429, timeout, network)', async () => {
    const { key: referrer } = await seedCustomer();
    const faults = [{ status: 500 }, { status: 503 }, { status: 429 }, { status: 200, delayMs: 2000 }];
    for (const fault of faults) {
      const { queue, sent } = captureQueue();
      const key = uniqueKey('queued');
      setLocalFault(fault);
      const res = await api('/api/signup', { token: await tokenFor(key, { email: 'q@example.com' }), body: { referral_key: referrer }, env: { SIGNUP_QUEUE: queue, UPSTREAM_TIMEOUT_MS: '60' } });
      setLocalFault(null);
      expect(res.status, JSON.stringify(fault)).toBe(202);
      expect(res.body).toEqual({ result: 'queued', customer_key: key, referred_by: referrer });
      expect(sent).toEqual([
        { type: 'signup', customer_key: key, email: 'q@example.com', referral_key: referrer, request_id: res.headers.get('X-Request-Id') ?? undefined, enqueued_at: expect.any(String) },
      ] satisfies SignupMessage[]);
    }
    const { queue, sent } = captureQueue();
    const remote = mockRemote(() => {
      throw new TypeError('Network connection lost.');
    });
    try {
      const res = await api('/api/signup', { token: await tokenFor(uniqueKey('queued')), body: {}, env: { ...REMOTE_ENV, SIGNUP_QUEUE: queue } });
      expect(res.status).toBe(202);
      expect(sent).toHaveLength(1);
    } finally {
      remote.restore();
    }
  });

  it('puts the signup on the real referral-signups queue binding', async () => {
    const key = uniqueKey('queued');
    setLocalFault({ status: 500 });
    const res = await api('/api/signup', { token: await tokenFor(key), body: {} });
    setLocalFault(null);
    expect(res.status).toBe(202);
    expect(res.body.result).toBe('queued');
  });

  it('answers the upstream error (not 202) when the signup can be neither attributed nor queued', async () => {
    setLocalFault({ status: 500 });
    const broken = { send: async () => Promise.reject(new Error('queue down')) } as unknown as Queue<unknown>;
    const res = await api('/api/signup', { token: await tokenFor(uniqueKey()), body: {}, env: { SIGNUP_QUEUE: broken } });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('upstream_error');
  });

  it('is rate-limited per customer with RL_WRITE', async () => {
    const res = await api('/api/signup', { token: await tokenFor(uniqueKey()), body: {}, env: { RL_WRITE: exhausted } });
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('60');
  });

  it('makes no upstream call for refused input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }).filter((s) => !/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/.test(s.trim()) && s.trim() !== ''), async (bad) => {
        resetLocalApiCalls();
        const res = await api('/api/signup', { token: await tokenFor(uniqueKey()), body: { referral_key: bad } });
        expect(res.status).toBe(422);
        expect(localApiCalls().total).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

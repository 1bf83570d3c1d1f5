import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEAD_LETTER_QUEUE, retryDelaySeconds } from '../../worker/attribution/queue';
import { setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, seedCustomer, tokenFor, uniqueKey, upstream } from './helpers/api-client';
import { captureQueue, deliver } from './helpers/api-queue';

const QUEUE = 'referral-signups';

afterEach(() => {
  setLocalFault(null);
  vi.restoreAllMocks();
});

async function stored(key: string): Promise<{ count: number; referrer: string | null }> {
  const rows = await env
    .LOCAL_DB!.prepare('SELECT r.key AS referrer FROM customers c LEFT JOIN customers r ON r.pk = c.referring_customer_pk WHERE c.key = ?1')
    .bind(key)
    .all<{ referrer: string | null }>();
  return { count: rows.results.length, referrer: rows.results[0]?.referrer ?? null };
}

function message(customerKey: string, referralKey: string | null) {
  return { type: 'signup', customer_key: customerKey, referral_key: referralKey, enqueued_at: new Date().toISOString() };
}

describe('signup queue consumer', () => {
  it('loses nothing: a burst of signups during an outage is created exactly once each, with the right referrer, after recovery', async () => {
    const referrers = await Promise.all([seedCustomer(), seedCustomer(), seedCustomer()]);
    const signups = Array.from({ length: 12 }, (_, i) => ({ key: uniqueKey('burst'), referrer: referrers[i % 3]!.key }));
    const { queue, sent } = captureQueue();

    setLocalFault({ status: 500 });
    // Each customer's signup is sent twice (a retrying browser), all while upstream is down.
    const answers = await Promise.all(
      [...signups, ...signups].map(async (s) => api('/api/signup', { token: await tokenFor(s.key), body: { referral_key: s.referrer }, env: { SIGNUP_QUEUE: queue } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(202));
    expect(sent).toHaveLength(24);

    // Still down: every message is retried later, with a backoff delay.
    const during = await deliver(QUEUE, sent);
    expect(during.acked).toEqual([]);
    expect(during.retried).toHaveLength(24);
    expect(during.retried.every((r) => (r.delaySeconds ?? 0) >= 1)).toBe(true);
    for (const s of signups) expect((await stored(s.key)).count).toBe(0);

    // Recovered: the retried delivery (attempt 2) drains the queue.
    setLocalFault(null);
    const after = await deliver(QUEUE, sent, { attempts: 2 });
    expect(after.retried).toEqual([]);
    expect(after.acked).toHaveLength(24);
    for (const s of signups) expect(await stored(s.key)).toEqual({ count: 1, referrer: s.referrer });

    // A late redelivery of the same messages changes nothing.
    const again = await deliver(QUEUE, sent, { attempts: 3 });
    expect(again.acked).toHaveLength(24);
    for (const s of signups) expect(await stored(s.key)).toEqual({ count: 1, referrer: s.referrer });

    // Each referrer's count went up by exactly its share of the burst.
    for (const r of referrers) expect((await upstream().getCustomer(r.key)).referrals_count).toBe(4);
  });

  it("purges the referrer's cached first screen when a queued signup is created", async () => {
    const { key: referrer } = await seedCustomer();
    const token = await tokenFor(referrer);
    expect((await api('/api/me', { token })).body.stats.referrals).toBe(0);
    await deliver(QUEUE, [message(uniqueKey('q'), referrer)]);
    const res = await api('/api/me', { token });
    expect(res.headers.get('X-Cache')).toBe('MISS');
    expect(res.body.stats.referrals).toBe(1);
  });

  it('creates the customer without a referrer (and acks) when the referrer is gone by then', async () => {
    const warn = vi.spyOn(console, 'warn');
    const key = uniqueKey('orphan');
    const result = await deliver(QUEUE, [message(key, uniqueKey('gone'))]);
    expect(result.acked).toEqual(result.ids);
    expect(await stored(key)).toEqual({ count: 1, referrer: null });
    expect(warn.mock.calls.some(([line]) => String(line).includes('referrer gone'))).toBe(true);
  });

  it('acks a message whose customer already exists, without touching its referrer', async () => {
    const { key: original } = await seedCustomer();
    const { key: other } = await seedCustomer();
    const { key } = await seedCustomer({ referrer: original });
    const result = await deliver(QUEUE, [message(key, other)]);
    expect(result.acked).toEqual(result.ids);
    expect(await stored(key)).toEqual({ count: 1, referrer: original });
  });

  it('acks and logs a malformed message instead of retrying it forever', async () => {
    const error = vi.spyOn(console, 'error');
    const result = await deliver(QUEUE, [{ nope: true }, 'text', null, message('../bad', null)]);
    expect(result.acked).toEqual(result.ids);
    expect(error.mock.calls.filter(([line]) => String(line).includes('malformed'))).toHaveLength(4);
  });

  it('retries while upstream fails, with growing delays', async () => {
    setLocalFault({ status: 503 });
    const key = uniqueKey('retry');
    const first = await deliver(QUEUE, [message(key, null)], { attempts: 1 });
    const fifth = await deliver(QUEUE, [message(key, null)], { attempts: 5 });
    expect(first.retried[0]?.delaySeconds).toBeLessThan(fifth.retried[0]?.delaySeconds ?? 0);
    expect((await stored(key)).count).toBe(0);
  });

  it('computes exponential backoff, capped, never below Retry-After', () => {
    for (let attempts = 1; attempts <= 20; attempts += 1) {
      const d = retryDelaySeconds(attempts);
      const base = Math.min(600, 5 * 2 ** (attempts - 1));
      expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      expect(d).toBeLessThanOrEqual(600);
    }
    expect(retryDelaySeconds(1, 120)).toBeGreaterThanOrEqual(120);
    expect(retryDelaySeconds(1, 100_000)).toBe(600);
  });

  it('dead-letter queue: one structured error line per message, then ack', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const key = uniqueKey('dead');
    const result = await deliver(DEAD_LETTER_QUEUE, [message(key, 'someone'), { garbage: 1 }], { attempts: 11 });
    expect(result.acked).toEqual(result.ids);
    const lines = error.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'error', msg: expect.stringContaining('dead-lettered'), customer_key: key, referral_key: 'someone', attempts: 11 });
    expect(lines[1]).toMatchObject({ level: 'error', malformed: true });
    expect((await stored(key)).count).toBe(0);
  });

  it('drains the real queue binding end to end once upstream recovers', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('real-queue');
    setLocalFault({ status: 500 });
    const res = await api('/api/signup', { token: await tokenFor(key), body: { referral_key: referrer } });
    setLocalFault(null);
    expect(res.status).toBe(202);
    await vi.waitFor(async () => expect(await stored(key)).toEqual({ count: 1, referrer }), { timeout: 20_000, interval: 200 });
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import seedSql from '../../demo/seed.sql?raw';
import { call, snapshot } from './helpers/local-api';

/** Runs the seed as `wrangler d1 execute --file` would: statement by statement. */
async function applySeed(): Promise<void> {
  const db = env.LOCAL_DB!;
  const statements = seedSql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
  await db.batch(statements.map((s) => db.prepare(s)));
}

describe('demo/seed.sql', () => {
  it('is idempotent: applying it twice changes nothing', async () => {
    await applySeed();
    const once = await snapshot();
    await applySeed();
    expect(await snapshot()).toBe(once);
  });

  it('gives alice her referrals, clicks, rewards and credited balance', async () => {
    await applySeed();
    const alice = await call('GET', '/v1/customers/alice');
    expect(alice.body.data).toMatchObject({ name: 'Alice', surname: 'Brown', email: 'alice@example.com', referrals_count: 2, status: 'active' });
    const stats = await call('GET', '/v1/customers/alice/stats');
    expect(stats.body.data).toMatchObject({ clicks_count: 5, referrals_count: 2, active_referrals_count: 1 });
    const referrals = await call('GET', '/v1/customers/alice/referrals');
    expect(referrals.body.data.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['erin', 'deleted'],
      ['dave', 'active'],
    ]);
    const txs = await call('GET', '/v1/customers/alice/transactions');
    expect(txs.body.data.map((t: { customer: { id: string }; amount: number; reward: { amount: number } }) => [t.customer.id, t.amount, t.reward.amount])).toEqual([
      ['erin', 45.5, 4.55],
      ['dave', 120, 12],
    ]);
    const balance = await call('GET', '/v1/customers/alice/balance');
    expect(balance.body.data.balance.currency).toEqual([
      { amount: 26.55, amount_units: 'USD', is_currency: true },
      { amount: 100, amount_units: 'points', is_currency: false },
    ]);
    const bob = await call('GET', '/v1/customers/bob/balance');
    expect(bob.body.data.balance.currency).toEqual([{ amount: 8, amount_units: 'EUR', is_currency: true }]);
    const referred = await call('GET', '/v1/customers?refer_status=referred');
    expect(referred.body.meta.total).toBe(4);
  });

  it('gives every customer its default link, and carol a second one', async () => {
    await applySeed();
    for (const key of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']) {
      const links = await call('GET', `/v1/customers/${key}/referral_links`);
      expect(links.body.data[0], key).toMatchObject({ key, default: true });
    }
    const carol = await call('GET', '/v1/customers/carol');
    expect(carol.body.data.referral_link).toBe('http://localhost:8787/demo/?ref=carol');
    expect(carol.body.data.referral_links).toEqual(['http://localhost:8787/demo/?ref=carol', 'http://localhost:8787/demo/?ref=carol-friends']);
    const seeded = await call('GET', '/v1/transactions/seed_tx_dave_1');
    expect(seeded.body.data).toMatchObject({ status: 'active', rewarded: true, updated_at: '2025-05-06T10:00:00.000000Z' });
  });
});

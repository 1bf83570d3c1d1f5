/** Transactions as a resource: create (every buyer form, idempotent keys), list, get, archive, revoke-archive, delete. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../shared/partnero';
import { call, createCustomer, snapshot, uid } from './helpers/local-api';

async function referredPair() {
  const referrer = await createCustomer({ email: `${uid('r')}@example.com` });
  const buyer = await createCustomer({ email: `${uid('b')}@example.com`, referring_customer: { key: referrer.key } });
  return { referrer, buyer };
}

async function buy(body: Record<string, unknown>): Promise<Transaction> {
  const res = await call('POST', '/v1/transactions', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Transaction;
}

async function balance(id: string) {
  return (await call('GET', `/v1/customers/${id}/balance`)).body.data.balance.currency;
}

describe('POST /v1/transactions', () => {
  it('answers the transaction with its status, flags, product and timestamps', async () => {
    const { referrer, buyer } = await referredPair();
    const key = uid('tx');
    const tx = await buy({ key, amount: '19.99', amount_units: 'eur', product_id: 'plan-pro', product_type: 'subscription', customer: { id: buyer.id } });
    expect(tx).toEqual({
      key,
      amount: 19.99,
      amount_units: 'EUR',
      action: 'sale',
      status: 'active',
      rewardable: true,
      rewarded: true,
      product_id: 'plan-pro',
      product_type: 'subscription',
      customer: { id: buyer.id, key: buyer.key, email: buyer.email, name: null, surname: null },
      referring_customer: { id: referrer.id, key: referrer.key, email: referrer.email, name: null, surname: null },
      reward: { amount: 2, amount_units: 'EUR', is_currency: true },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      updated_at: expect.any(String),
      archived_at: null,
    });
  });

  it('finds the buyer by id, key or email (case-insensitive), id winning', async () => {
    const { buyer } = await referredPair();
    const other = await createCustomer();
    for (const customer of [{ id: buyer.id }, { key: buyer.key }, { email: buyer.email!.toUpperCase() }, { id: buyer.id, key: other.key }]) {
      expect((await buy({ key: uid('tx'), amount: 1, customer })).customer.id, JSON.stringify(customer)).toBe(buyer.id);
    }
  });

  it('takes a past created_at (the n8n node’s "Created At")', async () => {
    const { buyer } = await referredPair();
    const tx = await buy({ key: uid('tx'), amount: 5, created_at: '2025-01-31T10:00:00Z', customer: { key: buyer.key } });
    expect(tx.created_at).toBe('2025-01-31T10:00:00.000000Z');
    expect((await call('POST', '/v1/transactions', { key: uid('tx'), amount: 5, created_at: 'yesterday', customer: { key: buyer.key } })).status).toBe(422);
  });

  it('rewards only while the referrer is active, and nothing for rewardable false ("0" from a form)', async () => {
    const { referrer, buyer } = await referredPair();
    await buy({ key: uid('tx'), amount: 100, rewardable: '0', customer: { key: buyer.key } });
    expect(await balance(referrer.id)).toEqual([]);
    await buy({ key: uid('tx'), amount: 100, rewardable: 'true', customer: { key: buyer.key } });
    expect(await balance(referrer.id)).toEqual([{ amount: 10, amount_units: 'USD', is_currency: true }]);
  });
});

describe('a repeated transaction key (property)', () => {
  it('answers the first transaction, 200, and rewards exactly once, whatever the key', async () => {
    const { referrer, buyer } = await referredPair();
    const keys = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((k) => k.trim() !== '' && !['.', '..'].includes(k.trim()));
    let rewards = 0;
    await fc.assert(
      fc.asyncProperty(keys, fc.integer({ min: 1, max: 3 }), async (raw, repeats) => {
        const key = `${uid('p')}-${raw}`;
        const first = await call('POST', '/v1/transactions', { key, amount: 10, customer: { key: buyer.key } });
        expect(first.status).toBe(200);
        rewards += 1;
        expect(first.body.data.key).toBe(key.trim());
        for (let i = 0; i < repeats; i++) {
          const again = await call('POST', '/v1/transactions', { key, amount: 99, action: 'refund', customer: { id: referrer.id } });
          expect(again.status).toBe(200);
          expect(again.body.data).toEqual(first.body.data);
        }
        const got = await call('GET', `/v1/transactions/${encodeURIComponent(key.trim())}`);
        expect(got.status).toBe(200);
        expect(got.body.data.key).toBe(key.trim());
      }),
      { numRuns: 25 },
    );
    expect(await balance(referrer.id)).toEqual([{ amount: rewards, amount_units: 'USD', is_currency: true }]);
  });
});

describe('archive, revoke-archive and delete', () => {
  it('archiving takes the reward out of the balance and the referrer’s list; revoke-archive puts it back once', async () => {
    const { referrer, buyer } = await referredPair();
    const key = uid('tx');
    await buy({ key, amount: 40, customer: { key: buyer.key } });
    expect(await balance(referrer.id)).toEqual([{ amount: 4, amount_units: 'USD', is_currency: true }]);

    const archived = await call('POST', `/v1/transactions/${key}/archive`, { key });
    expect(archived.body.data).toMatchObject({ status: 'archived', rewarded: false, reward: null, archived_at: expect.any(String) });
    expect(await balance(referrer.id)).toEqual([]);
    expect((await call('GET', `/v1/customers/${referrer.id}/transactions`)).body.data).toEqual([]);
    expect((await call('POST', `/v1/transactions/${key}/archive`)).body.data.status).toBe('archived');

    const restored = await Promise.all([call('POST', `/v1/transactions/${key}/revoke-archive`), call('POST', `/v1/transactions/${key}/revoke-archive`)]);
    expect(restored.map((r) => r.status)).toEqual([200, 200]);
    expect(restored[0]!.body.data).toMatchObject({ status: 'active', rewarded: true, reward: { amount: 4 }, archived_at: null });
    expect(await balance(referrer.id)).toEqual([{ amount: 4, amount_units: 'USD', is_currency: true }]);
    expect((await call('GET', `/v1/customers/${referrer.id}/transactions`)).body.data.map((t: Transaction) => t.key)).toEqual([key]);
  });

  it('deleting a rewarded transaction reverses its reward; it is gone', async () => {
    const { referrer, buyer } = await referredPair();
    const keep = uid('keep');
    const refund = uid('refund');
    await buy({ key: keep, amount: 10, customer: { key: buyer.key } });
    await buy({ key: refund, amount: 30, customer: { key: buyer.key } });
    expect(await balance(referrer.id)).toEqual([{ amount: 4, amount_units: 'USD', is_currency: true }]);
    expect((await call('DELETE', `/v1/transactions/${refund}`, { key: refund })).body).toEqual({ data: null, status: 1 });
    expect(await balance(referrer.id)).toEqual([{ amount: 1, amount_units: 'USD', is_currency: true }]);
    for (const [method, path] of [
      ['GET', `/v1/transactions/${refund}`],
      ['DELETE', `/v1/transactions/${refund}`],
      ['POST', `/v1/transactions/${refund}/archive`],
      ['POST', `/v1/transactions/${refund}/revoke-archive`],
    ] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ message: 'Transaction not found.' });
    }
    // The key is free again: a new transaction under it is new, and rewarded.
    await buy({ key: refund, amount: 30, customer: { key: buyer.key } });
    expect(await balance(referrer.id)).toEqual([{ amount: 4, amount_units: 'USD', is_currency: true }]);
  });
});

describe('GET /v1/transactions', () => {
  it('filters by key, buyer, referrer (also as partner_key / partner_email) and status; sorts; pages', async () => {
    const { referrer, buyer } = await referredPair();
    const loner = await createCustomer();
    const a = uid('a');
    const b = uid('b');
    const c = uid('c');
    await buy({ key: a, amount: 1, customer: { key: buyer.key } });
    await buy({ key: b, amount: 2, customer: { key: buyer.key } });
    await buy({ key: c, amount: 3, customer: { key: loner.key } });
    await call('POST', `/v1/transactions/${b}/archive`);
    const keys = async (query: string, body?: unknown) => {
      const res = await call('GET', `/v1/transactions?limit=250&${query}`, body);
      expect(res.status, query).toBe(200);
      return (res.body.data as Transaction[]).map((t) => t.key);
    };
    expect(await keys(`key=${a}`)).toEqual([a]);
    expect(await keys(`customer=${buyer.email}`)).toEqual([b, a]);
    expect(await keys(`customer[key]=${buyer.key}&sort=asc`)).toEqual([a, b]);
    expect(await keys(`referring_customer=${referrer.id}`)).toEqual([b, a]);
    expect(await keys(`partner_key=${referrer.key}&status=active`)).toEqual([a]);
    expect(await keys(`partner_email=${referrer.email}&status=archived`)).toEqual([b]);
    expect(await keys('', { customer: loner.key })).toEqual([c]);
    const paged = await call('GET', `/v1/transactions?customer=${buyer.key}&limit=1&page=2`);
    expect(paged.body.meta).toMatchObject({ current_page: 2, per_page: 1, total: 2, last_page: 2 });
    expect(paged.body.data.map((t: Transaction) => t.key)).toEqual([a]);
  });

  it('refuses a bad status, sort or limit with 422', async () => {
    for (const query of ['status=gone', 'sort=up', 'limit=0', 'customer[]=x']) {
      const res = await call('GET', `/v1/transactions?${query}`);
      expect(res.status, query).toBe(422);
    }
  });

  it('writes nothing when refusing a purchase', async () => {
    const { buyer } = await referredPair();
    const before = await snapshot();
    for (const body of [{ key: uid('t'), amount: -1, customer: { key: buyer.key } }, { key: uid('t'), amount: 1, customer: { key: uid('ghost') } }]) {
      expect([404, 422]).toContain((await call('POST', '/v1/transactions', body)).status);
    }
    expect(await snapshot()).toBe(before);
  });
});

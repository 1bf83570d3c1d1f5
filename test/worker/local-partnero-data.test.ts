import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createCustomer, snapshot, uid } from './helpers/local-api';

async function referredBy(key: string, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await createCustomer({ referring_customer: { key } }));
  return out;
}

describe('GET /v1/customers/{id}/stats', () => {
  it('counts referrals, active referrals and clicks, and builds share links from the referral link', async () => {
    const c = await createCustomer();
    const [first] = await referredBy(c.key, 2);
    await call('POST', `/v1/customers/${first!.id}/archive`);
    for (let i = 0; i < 3; i++) expect((await call('POST', '/v1/clicks', { key: c.key, url: 'https://shop.test/' })).status).toBe(200);

    const res = await call('GET', `/v1/customers/${c.id}/stats`);
    expect(res.status).toBe(200);
    const link = `http://localhost:8787/demo/?ref=${c.key}`;
    expect(res.body.data).toMatchObject({
      customer: { id: c.id, key: c.key },
      clicks_count: 3,
      referrals_count: 2,
      active_referrals_count: 1,
      referral_link: link,
    });
    const share = res.body.data.social_share_links;
    expect(Object.keys(share).sort()).toEqual(['email', 'facebook', 'linkedin', 'telegram', 'twitter', 'whatsapp']);
    for (const href of Object.values(share) as string[]) {
      expect(decodeURIComponent(href), href).toContain(link);
    }
    expect(new URL(share.facebook).searchParams.get('u')).toBe(link);
  });

  it('answers 404 for an unknown customer', async () => {
    expect((await call('GET', `/v1/customers/${uid('ghost')}/stats`)).status).toBe(404);
  });
});

describe('GET /v1/customers/{id}/referrals', () => {
  it('pages through the referrals: last page, page beyond last, limit 250', async () => {
    const c = await createCustomer();
    const refs = await referredBy(c.key, 5);
    await createCustomer(); // not a referral: never listed

    const p1 = await call('GET', `/v1/customers/${c.id}/referrals?limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.body.data.map((x: { id: string }) => x.id)).toEqual([refs[4]!.id, refs[3]!.id]);
    expect(p1.body.meta).toMatchObject({ current_page: 1, from: 1, to: 2, last_page: 3, per_page: 2, total: 5 });
    expect(p1.body.links.next).toBe(`http://local.test/v1/customers/${c.id}/referrals?limit=2&page=2`);

    const last = await call('GET', p1.body.links.last.replace('http://local.test', ''));
    expect(last.body.data.map((x: { id: string }) => x.id)).toEqual([refs[0]!.id]);
    expect(last.body.meta).toMatchObject({ current_page: 3, from: 5, to: 5 });
    expect(last.body.links.next).toBeNull();
    expect(last.body.links.prev).toContain('page=2');

    const beyond = await call('GET', `/v1/customers/${c.id}/referrals?limit=2&page=9`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.meta).toMatchObject({ current_page: 9, from: null, to: null, last_page: 3, total: 5 });
    expect(beyond.body.links.next).toBeNull();

    const all = await call('GET', `/v1/customers/${c.id}/referrals?limit=250`);
    expect(all.body.data).toHaveLength(5);
    expect(all.body.data.every((x: { referring_customer: { id: string } }) => x.referring_customer.id === c.id)).toBe(true);
  });

  it('answers an empty first page for a customer without referrals', async () => {
    const c = await createCustomer();
    const res = await call('GET', `/v1/customers/${c.id}/referrals`);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ total: 0, last_page: 1, from: null, to: null, per_page: 15 });
  });

  it('validates limit and answers 404 for an unknown customer', async () => {
    const c = await createCustomer();
    expect((await call('GET', `/v1/customers/${c.id}/referrals?limit=251`)).status).toBe(422);
    expect((await call('GET', `/v1/customers/${uid('ghost')}/referrals`)).status).toBe(404);
  });
});

describe('POST /v1/transactions and rewards', () => {
  it('rewards the referrer by REWARD_RULE (percent:10), shown in transactions and balance', async () => {
    const referrer = await createCustomer();
    const buyer = await createCustomer({ referring_customer: { key: referrer.key }, email: 'buyer@example.com' });
    const key = uid('tx');
    const res = await call('POST', '/v1/transactions', { key, amount: 19.99, action: 'sale', customer: { key: buyer.key } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      key,
      amount: 19.99,
      amount_units: 'USD',
      action: 'sale',
      customer: { id: buyer.id, key: buyer.key, email: 'buyer@example.com' },
      referring_customer: { id: referrer.id },
      reward: { amount: 2, amount_units: 'USD', is_currency: true },
    });

    const txs = await call('GET', `/v1/customers/${referrer.id}/transactions`);
    expect(txs.status).toBe(200);
    expect(txs.body.data).toHaveLength(1);
    expect(txs.body.data[0]).toEqual(res.body.data);
    expect(txs.body.meta.total).toBe(1);

    const balance = await call('GET', `/v1/customers/${referrer.id}/balance`);
    expect(balance.body.data.balance.currency).toEqual([{ amount: 2, amount_units: 'USD', is_currency: true }]);
  });

  it('rewards in the purchase currency and sums per currency', async () => {
    const referrer = await createCustomer();
    const buyer = await createCustomer({ referring_customer: { id: referrer.id } });
    for (const [amount, units] of [[100, 'eur'], [50, 'EUR'], [10, 'USD']] as const) {
      const r = await call('POST', '/v1/transactions', { key: uid('tx'), amount, amount_units: units, action: 'sale', customer: { id: buyer.id } });
      expect(r.status).toBe(200);
    }
    const balance = await call('GET', `/v1/customers/${referrer.id}/balance`);
    expect(balance.body.data.balance.currency).toEqual([
      { amount: 15, amount_units: 'EUR', is_currency: true },
      { amount: 1, amount_units: 'USD', is_currency: true },
    ]);
  });

  it('gives a fixed reward with fixed:5', async () => {
    const referrer = await createCustomer();
    const buyer = await createCustomer({ referring_customer: { key: referrer.key } });
    const res = await call(
      'POST',
      '/v1/transactions',
      { key: uid('tx'), amount: 123, action: 'sale', customer: { key: buyer.key } },
      { env: { REWARD_RULE: 'fixed:5' } },
    );
    expect(res.body.data.reward).toEqual({ amount: 5, amount_units: 'USD', is_currency: true });
  });

  it('records a purchase by a customer nobody referred without a reward', async () => {
    const buyer = await createCustomer();
    const res = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 10, action: 'sale', customer: { key: buyer.key } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ referring_customer: null, reward: null });
  });

  it('answers a repeated transaction key with the first transaction, rewarding once, even concurrently', async () => {
    const referrer = await createCustomer();
    const buyer = await createCustomer({ referring_customer: { key: referrer.key } });
    const body = { key: uid('tx'), amount: 10, action: 'sale', customer: { key: buyer.key } };
    const results = await Promise.all([call('POST', '/v1/transactions', body), call('POST', '/v1/transactions', body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0]!.body.data).toEqual(results[1]!.body.data);
    const count = await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM transactions WHERE key = ?').bind(body.key).first('n');
    expect(count).toBe(1);
    const balance = await call('GET', `/v1/customers/${referrer.id}/balance`);
    expect(balance.body.data.balance.currency).toEqual([{ amount: 1, amount_units: 'USD', is_currency: true }]);
  });

  it('answers 404 for an unknown buyer and 422 for bad input, writing nothing', async () => {
    const buyer = await createCustomer();
    const before = await snapshot();
    const unknown = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 1, action: 'sale', customer: { key: uid('ghost') } });
    expect(unknown.status).toBe(404);
    for (const body of [
      { amount: 1, action: 'sale', customer: { key: buyer.key } },
      { key: uid('tx'), amount: 0, action: 'sale', customer: { key: buyer.key } },
      { key: uid('tx'), amount: 'ten', action: 'sale', customer: { key: buyer.key } },
      { key: uid('tx'), amount: 1, action: 'x'.repeat(65), customer: { key: buyer.key } },
      { key: uid('tx'), amount: 1, action: 'sale' },
      { key: uid('tx'), amount: 1, action: 'sale', customer: {} },
      { key: uid('tx'), amount: 1, rewardable: 'maybe', customer: { key: buyer.key } },
    ]) {
      const res = await call('POST', '/v1/transactions', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors).toBeTypeOf('object');
    }
    expect(await snapshot()).toBe(before);
  });

  it.each(['percent:', 'percent:0', 'percent:101', 'fixed:-1', 'ten percent', ''])(
    'reports REWARD_RULE %j as a configuration error without writing',
    async (rule) => {
      const buyer = await createCustomer();
      const before = await snapshot();
      const res = await call(
        'POST',
        '/v1/transactions',
        { key: uid('tx'), amount: 10, action: 'sale', customer: { key: buyer.key } },
        { env: { REWARD_RULE: rule } },
      );
      expect(res.status).toBe(500);
      expect(res.body.message).toMatch(/^Local API misconfigured: REWARD_RULE/);
      expect(await snapshot()).toBe(before);
    },
  );
});

describe('balance and balance/credit', () => {
  it('starts empty, then credit returns the updated balance per currency and unit', async () => {
    const c = await createCustomer();
    const empty = await call('GET', `/v1/customers/${c.id}/balance`);
    expect(empty.body).toEqual({
      data: { customer: { id: c.id, key: c.key, email: null, name: null, surname: null }, balance: { currency: [] } },
      status: 1,
    });
    const first = await call('POST', `/v1/customers/${c.id}/balance/credit`, { amount: 10.0, amount_units: 'USD', is_currency: true });
    expect(first.status).toBe(200);
    expect(first.body.data.balance.currency).toEqual([{ amount: 10, amount_units: 'USD', is_currency: true }]);
    await call('POST', `/v1/customers/${c.id}/balance/credit`, { amount: 0.1, amount_units: 'USD', is_currency: true });
    const third = await call('POST', `/v1/customers/${c.id}/balance/credit`, { amount: 0.2, amount_units: 'usd', is_currency: true });
    const points = await call('POST', `/v1/customers/${c.id}/balance/credit`, { amount: 50, amount_units: 'points', is_currency: false });
    expect(third.body.data.balance.currency).toEqual([{ amount: 10.3, amount_units: 'USD', is_currency: true }]);
    expect(points.body.data.balance.currency).toEqual([
      { amount: 10.3, amount_units: 'USD', is_currency: true },
      { amount: 50, amount_units: 'points', is_currency: false },
    ]);
    const balance = await call('GET', `/v1/customers/${c.id}/balance`);
    expect(balance.body.data).toEqual(points.body.data);
  });

  it.each([
    [{ amount_units: 'USD', is_currency: true }, 'amount'],
    [{ amount: 10, is_currency: true }, 'amount_units'],
    [{ amount: 10, amount_units: 'USD' }, 'is_currency'],
    [{ amount: 0, amount_units: 'USD', is_currency: true }, 'amount'],
    [{ amount: -5, amount_units: 'USD', is_currency: true }, 'amount'],
    [{ amount: 'ten', amount_units: 'USD', is_currency: true }, 'amount'],
    [{ amount: 10, amount_units: 'USD', is_currency: 'yes' }, 'is_currency'],
    [{ amount: 10, amount_units: '', is_currency: true }, 'amount_units'],
  ])('refuses %j with 422 on %s, crediting nothing', async (body, field) => {
    const c = await createCustomer();
    const res = await call('POST', `/v1/customers/${c.id}/balance/credit`, body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
    const balance = await call('GET', `/v1/customers/${c.id}/balance`);
    expect(balance.body.data.balance.currency).toEqual([]);
  });

  it('answers 404 for an unknown customer', async () => {
    expect((await call('GET', `/v1/customers/${uid('ghost')}/balance`)).status).toBe(404);
    const credit = await call('POST', `/v1/customers/${uid('ghost')}/balance/credit`, { amount: 1, amount_units: 'USD', is_currency: true });
    expect(credit.status).toBe(404);
  });
});

describe('POST /v1/customers:invite', () => {
  it('stores the invitation and answers it', async () => {
    const email = `${uid('jane')}@example.com`;
    const res = await call('POST', '/v1/customers:invite', { email, name: 'Jane', personalization: { note: 'hi' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ email, name: 'Jane', personalization: { note: 'hi' } });
    const stored = await env.LOCAL_DB!.prepare('SELECT name, personalization FROM invites WHERE email = ?').bind(email).first();
    expect(stored).toEqual({ name: 'Jane', personalization: '{"note":"hi"}' });
  });

  it('requires a valid email', async () => {
    expect((await call('POST', '/v1/customers:invite', { name: 'Jane' })).body.errors).toEqual({ email: ['The email field is required.'] });
    expect((await call('POST', '/v1/customers:invite', { email: 'jane' })).status).toBe(422);
    expect((await call('POST', '/v1/customers:invite', { email: 'j@example.com', personalization: [1] })).status).toBe(422);
  });
});

describe('GET /v1/customers:search', () => {
  it('finds by key, id or email (case-insensitive), answering a list', async () => {
    const email = `${uid('s')}@Example.com`;
    const c = await createCustomer({ id: uid('id'), key: uid('k'), email });
    for (const query of [`key=${c.key}`, `id=${c.id}`, `email=${encodeURIComponent(email.toLowerCase())}`]) {
      const res = await call('GET', `/v1/customers:search?${query}`);
      expect(res.status, query).toBe(200);
      expect(res.body.status).toBe(1);
      expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    }
    const none = await call('GET', `/v1/customers:search?key=${uid('ghost')}`);
    expect(none.body).toEqual({ data: [], status: 1 });
    const mismatch = await call('GET', `/v1/customers:search?key=${c.key}&id=${uid('other')}`);
    expect(mismatch.body.data).toEqual([]);
  });

  it('requires one of key, id or email', async () => {
    const res = await call('GET', '/v1/customers:search');
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['key']);
  });
});

describe('POST /v1/clicks', () => {
  it('counts clicks of the referral link owner', async () => {
    const c = await createCustomer();
    const first = await call('POST', '/v1/clicks', { key: c.key, url: 'https://shop.test/?ref=x' });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ customer: { id: c.id, key: c.key, email: null, name: null, surname: null }, clicks_count: 1 });
    const second = await call('POST', '/v1/clicks', { key: c.key });
    expect(second.body.data.clicks_count).toBe(2);
  });

  it('answers 404 for an unknown key and 422 without one', async () => {
    expect((await call('POST', '/v1/clicks', { key: uid('ghost') })).status).toBe(404);
    expect((await call('POST', '/v1/clicks', {})).status).toBe(422);
  });
});

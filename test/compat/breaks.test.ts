/**
 * The breaks issue 10 lists under "Why", one test each: what Partnero's real clients (the
 * official PHP SDK, the n8n node, the Python SDK) sent that the local API answered wrongly.
 * Every test here failed against the local API before issue 10 and passes now.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createCustomer, uid } from '../worker/helpers/local-api';

async function referredPair() {
  const referrer = await createCustomer({ email: `${uid('r')}@example.com` });
  const buyer = await createCustomer({ email: `${uid('b')}@example.com`, referring_customer: { key: referrer.key } });
  return { referrer, buyer };
}

async function balanceOf(id: string): Promise<unknown[]> {
  const res = await call('GET', `/v1/customers/${id}/balance`);
  expect(res.status).toBe(200);
  return res.body.data.balance.currency;
}

describe('issue 10 breaks: the PHP SDK sends parameters as a JSON body on GET', () => {
  it('list(limit, page, refer_status) honours its body: limit, page and the filter', async () => {
    await referredPair();
    await referredPair();
    const res = await call('GET', '/v1/customers', { limit: 1, page: 2, refer_status: 'referred' });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ per_page: 1, current_page: 2 });
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].referring_customer).not.toBeNull();
  });

  it('search() finds by the id in its body', async () => {
    const c = await createCustomer();
    const res = await call('GET', '/v1/customers:search', { id: c.id });
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });

  it('a body of [] (json_encode([])) is no input: createReferring([]) creates a customer', async () => {
    const created = await call('POST', '/v1/customers', undefined, { raw: '[]' });
    expect(created.status).toBe(200);
    expect(created.body.data.id).toMatch(/^cus_/);
    const c = created.body.data.id as string;
    expect((await call('PUT', `/v1/customers/${c}`, undefined, { raw: '[]' })).status).toBe(200);
    expect((await call('GET', `/v1/customers/${c}`, undefined, { raw: '[]' })).status).toBe(200);
  });
});

describe('issue 10 breaks: update shapes', () => {
  it('n8n and Python: PUT /customers/{id} with the fields flat', async () => {
    const c = await createCustomer({ name: 'Nina', surname: 'Kay' });
    const res = await call('PUT', `/v1/customers/${c.id}`, { name: 'Nadia' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Nadia', surname: 'Kay' });
  });

  it('PHP SDK (Customers::update): PUT /customers naming the customer by key in the body', async () => {
    const c = await createCustomer({ id: uid('id'), key: uid('key') });
    const res = await call('PUT', '/v1/customers', { key: c.key, update: { name: 'John' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: c.id, name: 'John' });
  });
});

describe('issue 10 breaks: Laravel input semantics', () => {
  it('n8n sends every displayed field, empty strings included: they are null, not invalid', async () => {
    const key = uid('n8n');
    const created = await call('POST', '/v1/customers', { key, email: '', name: 'Nadia', surname: '' });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ id: key, email: null, name: 'Nadia', surname: null });
    const updated = await call('PUT', `/v1/customers/${key}`, { email: '', name: 'Nadine', surname: '' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ email: null, name: 'Nadine', surname: null });
  });

  it('strings are trimmed before validation', async () => {
    const key = uid('trim');
    const res = await call('POST', '/v1/customers', { key: `  ${key} `, email: ' Trim@Example.com ' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: key, email: 'Trim@Example.com' });
  });
});

describe('issue 10 breaks: customers as the clients address them', () => {
  it('GET /customers/{email} (the n8n node: "key, ID or email")', async () => {
    const email = `${uid('mail')}@example.com`;
    const c = await createCustomer({ email });
    const res = await call('GET', `/v1/customers/${encodeURIComponent(email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(c.id);
  });

  it('sort=asc lists the oldest first, sort=desc the newest', async () => {
    const first = await createCustomer();
    const second = await createCustomer();
    const ids = async (sort: string) =>
      ((await call('GET', `/v1/customers?limit=250&sort=${sort}`)).body.data as Array<{ id: string }>).map((c) => c.id);
    const asc = await ids('asc');
    const desc = await ids('desc');
    expect(asc.indexOf(first.id)).toBeLessThan(asc.indexOf(second.id));
    expect(desc.indexOf(second.id)).toBeLessThan(desc.indexOf(first.id));
  });

  it('GET /v1/test checks the API key', async () => {
    expect((await call('GET', '/v1/test')).status).toBe(200);
    expect((await call('GET', '/v1/test', undefined, { auth: 'Bearer wrong' })).status).toBe(401);
  });
});

describe('issue 10 breaks: transactions', () => {
  it('action may be omitted: a sale', async () => {
    const { buyer } = await referredPair();
    const res = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 10, customer: { key: buyer.key } });
    expect(res.status).toBe(200);
    expect(res.body.data.action).toBe('sale');
  });

  it('the buyer may be named by customer.email', async () => {
    const { buyer } = await referredPair();
    const res = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 10, customer: { email: buyer.email } });
    expect(res.status).toBe(200);
    expect(res.body.data.customer.id).toBe(buyer.id);
  });

  it('rewardable: false records the purchase without rewarding', async () => {
    const { referrer, buyer } = await referredPair();
    const res = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 10, rewardable: false, customer: { key: buyer.key } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ rewardable: false, rewarded: false, reward: null });
    expect(await balanceOf(referrer.id)).toEqual([]);
  });

  it('the same key twice answers the first transaction with 200 and rewards once', async () => {
    const { referrer, buyer } = await referredPair();
    const body = { key: uid('tx'), amount: 10, customer: { key: buyer.key } };
    const first = await call('POST', '/v1/transactions', body);
    const again = await call('POST', '/v1/transactions', body);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.data).toEqual(first.body.data);
    expect(await balanceOf(referrer.id)).toEqual([{ amount: 1, amount_units: 'USD', is_currency: true }]);
  });

  it('GET /transactions, GET /transactions/{key}, archive, revoke-archive and delete exist', async () => {
    const { buyer } = await referredPair();
    const key = uid('tx');
    expect((await call('POST', '/v1/transactions', { key, amount: 10, customer: { key: buyer.key } })).status).toBe(200);
    const listed = await call('GET', `/v1/transactions?key=${key}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((t: { key: string }) => t.key)).toEqual([key]);
    expect((await call('GET', `/v1/transactions/${key}`)).body.data.key).toBe(key);
    expect((await call('POST', `/v1/transactions/${key}/archive`)).body.data.status).toBe('archived');
    expect((await call('POST', `/v1/transactions/${key}/revoke-archive`)).body.data.status).toBe('active');
    expect((await call('DELETE', `/v1/transactions/${key}`)).status).toBe(200);
    expect((await call('GET', `/v1/transactions/${key}`)).status).toBe(404);
  });
});

describe('issue 10 breaks: referral links are objects', () => {
  it('a customer has a default link object, and may have more', async () => {
    const c = await createCustomer();
    const listed = await call('GET', `/v1/customers/${c.id}/referral_links`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ key: c.key, default: true, is_additional: false, direct_tracking: false, url: expect.stringContaining(`ref=${c.key}`) }),
    ]);
    const extra = await call('POST', '/v1/customer_referral_links', { customer: { key: c.key }, key: uid('link') });
    expect(extra.status).toBe(200);
    expect(extra.body.data).toMatchObject({ default: false, id: expect.any(String) });
    expect((await call('GET', `/v1/customer_referral_links/${extra.body.data.id}`)).status).toBe(200);
  });
});

describe('issue 10 breaks: archived referrers', () => {
  it('an archived referrer earns nothing from its referrals’ purchases until restored', async () => {
    const { referrer, buyer } = await referredPair();
    expect((await call('POST', `/v1/customers/${referrer.id}/archive`)).status).toBe(200);
    const whileArchived = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 100, customer: { key: buyer.key } });
    expect(whileArchived.status).toBe(200);
    expect(whileArchived.body.data.reward).toBeNull();
    expect(await balanceOf(referrer.id)).toEqual([]);
    expect((await call('POST', `/v1/customers/${referrer.id}/revoke-archive`)).status).toBe(200);
    const restored = await call('POST', '/v1/transactions', { key: uid('tx'), amount: 100, customer: { key: buyer.key } });
    expect(restored.body.data.reward).toMatchObject({ amount: 10 });
    expect(await balanceOf(referrer.id)).toEqual([{ amount: 10, amount_units: 'USD', is_currency: true }]);
  });
});

describe('issue 10 breaks: webhooks', () => {
  it('the n8n trigger registers, checks and removes a webhook', async () => {
    const created = await call('POST', '/v1/webhooks', {
      name: 'n8n – workflow',
      url: 'https://n8n.example/webhook/abc',
      events: ['customer.created', 'transaction.created'],
      is_active: true,
    });
    expect(created.status).toBe(200);
    const { key, signature } = created.body.data;
    expect(typeof key).toBe('string');
    expect(typeof signature).toBe('string');
    expect((await call('GET', `/v1/webhooks/${key}`)).status).toBe(200);
    expect((await call('DELETE', `/v1/webhooks/${key}`)).status).toBe(200);
    expect((await call('GET', `/v1/webhooks/${key}`)).status).toBe(404);
    expect(env.LOCAL_DB).toBeDefined();
  });
});

/**
 * The Python SDK simon-offerwell/partnero-sdk (PyPI `partnero` 0.4.0: partnero/customer_api.py,
 * transaction_api.py, webhook_api.py, base_api.py), replayed against the local API: `requests`
 * with `json=` bodies (`json.dumps` spacing), `params=` query strings, a JSON Content-Type even
 * without a body, `Accept: *\/*`; the SDK returns `response.json()` and, on an error, raises with
 * the body's `message`.
 */
import { describe, expect, it } from 'vitest';
import { uid } from '../worker/helpers/local-api';
import { expectReads, python, pythonJsonDumps, replay, seedReferral } from './clients';

const seed = () => seedReferral('py');

describe('json.dumps, as requests sends it', () => {
  it('spaces separators and escapes non-ASCII', () => {
    expect(pythonJsonDumps({ customer: { key: 'k' }, amount: 25.5, events: ['a', 'b'], name: 'Zoë', is_active: true })).toBe(
      '{"customer": {"key": "k"}, "amount": 25.5, "events": ["a", "b"], "name": "Zo\\u00eb", "is_active": true}',
    );
  });
});

describe('CustomerAPI', () => {
  it('list_customers(limit, page): GET customers?limit=&page=', async () => {
    await seed();
    const res = await replay(python('GET', 'customers', { params: { limit: 15, page: 1 } }));
    expectReads(res, 200, { data: 'array', 'meta.total': 'number', status: 'number' });
  });

  it('create_customer(partner_key, customer_key, email, name): the affiliate `partner` is ignored', async () => {
    const run = uid('py');
    const res = await replay(python('POST', 'customers', { data: { partner: { key: 'partner123' }, key: `${run}-c`, email: `${run}@example.com`, name: 'Test User' } }));
    expectReads(res, 200, { 'data.id': 'string', 'data.email': 'string' });
    expect(res.body.data).toMatchObject({ id: `${run}-c`, name: 'Test User', referring_customer: null });
  });

  it('get_customer(email, customer_key): GET customers:search?email=&key=', async () => {
    const { referred } = await seed();
    const res = await replay(python('GET', 'customers:search', { params: { email: referred.email!, key: referred.key } }));
    expectReads(res, 200, { data: 'array', 'data.0.id': 'string' });
    expect(res.body.data[0].id).toBe(referred.id);
  });

  it('get_customer_transactions(customer_key, limit, page)', async () => {
    const { referrer, referred } = await seed();
    await replay(python('POST', 'transactions', { data: { customer: { key: referred.key }, key: uid('tx'), amount: 8, product_id: 'p', product_type: 't', action: 'sale' } }));
    const res = await replay(python('GET', `customers/${referrer.key}/transactions`, { params: { limit: 15, page: 1 } }));
    expectReads(res, 200, { data: 'array', 'data.0.reward.amount': 'number' });
  });

  it('update_customer(customer_key, email, name): PUT customers/{key} with the fields flat', async () => {
    const { run, referred } = await seed();
    const res = await replay(python('PUT', `customers/${referred.key}`, { data: { email: `${run}-new@example.com`, name: 'Nadia' } }));
    expectReads(res, 200, { 'data.email': 'string', 'data.name': 'string' });
    expect(res.body.data).toMatchObject({ email: `${run}-new@example.com`, name: 'Nadia' });
  });

  it('delete_customer(customer_key): DELETE with a JSON Content-Type and no body', async () => {
    const { referred } = await seed();
    expectReads(await replay(python('DELETE', `customers/${referred.key}`)), 200, { status: 'number' });
    // The SDK raises PartneroAPIException(status, body.message).
    expectReads(await replay(python('DELETE', `customers/${referred.key}`)), 404, { message: 'string' });
  });
});

describe('TransactionAPI', () => {
  it('create_transaction(customer_key, transaction_key, amount, product_id, product_type, action)', async () => {
    const { run, referred } = await seed();
    const res = await replay(
      python('POST', 'transactions', { data: { customer: { key: referred.key }, key: `${run}-tx`, amount: 25.5, product_id: 'plan-pro', product_type: 'subscription', action: 'sale' } }),
    );
    expectReads(res, 200, { 'data.key': 'string', 'data.product_id': 'string', 'data.reward.amount': 'number' });
    expect(res.body.data).toMatchObject({ amount: 25.5, product_id: 'plan-pro', product_type: 'subscription', reward: { amount: 2.55 } });
  });

  it('list_transactions(limit, page) and delete_transaction(transaction_key)', async () => {
    const { run, referred } = await seed();
    const key = `${run}-refund`;
    await replay(python('POST', 'transactions', { data: { customer: { key: referred.key }, key, amount: 10, product_id: 'p', product_type: 't', action: 'sale' } }));
    const listed = await replay(python('GET', 'transactions', { params: { limit: 15, page: 1 } }));
    expectReads(listed, 200, { data: 'array', 'data.0.key': 'string', 'meta.total': 'number' });
    expectReads(await replay(python('DELETE', `transactions/${key}`)), 200, { status: 'number' });
  });
});

describe('WebhookAPI', () => {
  it('create_webhook, list_webhooks, fetch_webhook, update_webhook, delete_webhook', async () => {
    const created = await replay(python('POST', 'webhooks', { data: { name: 'Py hook', url: 'https://hooks.example/py', events: ['customer.created', 'reward.created'], is_active: false } }));
    expectReads(created, 200, { 'data.key': 'string', 'data.signature': 'string', 'data.is_active': 'boolean' });
    const key = created.body.data.key as string;
    expectReads(await replay(python('GET', 'webhooks', { params: { limit: 10, page: 1 } })), 200, { data: 'array' });
    expectReads(await replay(python('GET', `webhooks/${key}`)), 200, { 'data.key': 'string' });
    const updated = await replay(python('PUT', `webhooks/${key}`, { data: { name: 'Renamed', is_active: true } }));
    expectReads(updated, 200, { 'data.name': 'string' });
    expect(updated.body.data).toMatchObject({ name: 'Renamed', is_active: true, events: ['customer.created', 'reward.created'] });
    expectReads(await replay(python('DELETE', `webhooks/${key}`)), 200, { status: 'number' });
    expectReads(await replay(python('GET', `webhooks/${key}`)), 404, { message: 'string' });
  });
});

/**
 * The official PHP SDK, partnero/partnero-php v1.0.23 (src/Endpoints/*.php, src/Http/HttpLayer.php),
 * replayed against the local API: every refer-a-friend call, with the body bytes `json_encode`
 * produces (a JSON body on every method, `[]` when empty), and the fields a caller reads from
 * `$response['body']` (decoded only when Content-Type is exactly application/json).
 */
import { describe, expect, it } from 'vitest';
import { uid } from '../worker/helpers/local-api';
import { at, expectReads, php, phpJsonEncode, replay, seedReferral } from './clients';

/** Each test's own referrer and referred customer, by the ids the SDK calls take. */
async function seed() {
  const { run, referrer, referred } = await seedReferral('php');
  return { run, email: referrer.email!, referrerId: referrer.id, referredId: referred.id };
}

describe('json_encode, as the SDK sends it', () => {
  it('escapes slashes and non-ASCII, and encodes an empty array as []', () => {
    expect(phpJsonEncode({ url: 'https://a.example/x', name: 'Zoë' })).toBe('{"url":"https:\\/\\/a.example\\/x","name":"Zo\\u00eb"}');
    expect(phpJsonEncode({})).toBe('[]');
    expect(phpJsonEncode([])).toBe('[]');
  });
});

describe('Partnero\\Endpoints\\Test', () => {
  it('test(): GET test with body []', async () => {
    expectReads(await replay(php('GET', 'test')), 200, { status: 'number' });
  });
});

describe('Partnero\\Endpoints\\Referrals (refer-a-friend customers)', () => {
  it('createReferring(Partner{id, name, email}): POST customers', async () => {
    const run = uid('php');
    const id = `${run}-alice`;
    const res = await replay(php('POST', 'customers', { id, email: `${run}@example.com`, name: 'Alice' }));
    expectReads(res, 200, { 'data.id': 'string', 'data.email': 'string', 'data.referral_link': 'string', 'data.referral_links': 'array', 'data.status': 'string' });
    expect(res.body.data).toMatchObject({ id, key: id });
  });

  it('createReferred(Partner{id, name, email}, Partner{key}): POST customers with referring_customer', async () => {
    const { run, referrerId } = await seed();
    const res = await replay(php('POST', 'customers', { id: `${run}-carol`, email: `c-${run}@example.com`, name: 'Carol', referring_customer: { key: referrerId } }));
    expectReads(res, 200, { 'data.referring_customer.id': 'string' });
    expect(res.body.data.referring_customer.id).toBe(referrerId);
  });

  it('list(limit, page, refer_status): GET customers with the parameters as a JSON body', async () => {
    await seed();
    const res = await replay(php('GET', 'customers', { limit: 1, page: 1, refer_status: 'referred' }));
    expectReads(res, 200, { data: 'array', 'meta.per_page': 'number', 'meta.total': 'number', 'links.next': 'string|null' });
    expect(res.body.meta.per_page).toBe(1);
    expect(res.body.data[0].referring_customer).not.toBeNull();
  });

  it('find(id), listReferred(id), stats(id), balance(id): GET with body []', async () => {
    const { referrerId, referredId } = await seed();
    expectReads(await replay(php('GET', `customers/${referrerId}`)), 200, { 'data.id': 'string' });
    const referred = await replay(php('GET', `customers/${referrerId}/referrals`));
    expectReads(referred, 200, { data: 'array', 'data.0.id': 'string', 'meta.total': 'number' });
    expect(referred.body.data.map((c: { id: string }) => c.id)).toEqual([referredId]);
    expectReads(await replay(php('GET', `customers/${referrerId}/stats`)), 200, { 'data.referrals_count': 'number', 'data.clicks_count': 'number', 'data.referral_link': 'string' });
    expectReads(await replay(php('GET', `customers/${referrerId}/balance`)), 200, { 'data.balance.currency': 'array', 'data.customer.id': 'string' });
  });

  it('search([id => ...]): GET customers:search with the filter as a JSON body', async () => {
    const { referredId } = await seed();
    const res = await replay(php('GET', 'customers:search', { id: referredId }));
    expectReads(res, 200, { data: 'array', 'data.0.id': 'string' });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([referredId]);
  });

  it('update(id, Partner{name}): PUT customers with {id, update}', async () => {
    const { referredId } = await seed();
    const res = await replay(php('PUT', 'customers', { id: referredId, update: { name: 'Mark Doe' } }));
    expectReads(res, 200, { 'data.name': 'string' });
    expect(res.body.data.name).toBe('Mark Doe');
  });

  it('invite(Partner{email}, personalization): POST customers:invite', async () => {
    const res = await replay(php('POST', 'customers:invite', { email: `${uid('friend')}@example.com`, personalization: { personalization_key_1: 'value' } }));
    expectReads(res, 200, { 'data.email': 'string' });
  });

  it('credit(id, BalanceCredit{10, usd, true}): POST customers/{id}/balance/credit', async () => {
    const { referrerId } = await seed();
    const res = await replay({ ...php('POST', `customers/${referrerId}/balance/credit`), body: '{"amount":10.0,"amount_units":"usd","is_currency":true}' });
    expectReads(res, 200, { 'data.balance.currency.0.amount': 'number' });
    expect(res.body.data.balance.currency).toEqual([{ amount: 10, amount_units: 'USD', is_currency: true }]);
  });

  it('delete(id): DELETE customers/{id} with body []', async () => {
    const { referredId } = await seed();
    expectReads(await replay(php('DELETE', `customers/${referredId}`)), 200, { status: 'number' });
    expect((await replay(php('GET', `customers/${referredId}`))).status).toBe(404);
  });
});

describe('Partnero\\Endpoints\\Customers', () => {
  it('update(key, Customer{name, email}): PUT customers with {key, update}', async () => {
    const { referrerId, email } = await seed();
    const res = await replay(php('PUT', 'customers', { key: referrerId, update: { name: 'Alicia', email } }));
    expectReads(res, 200, { 'data.name': 'string' });
    expect(res.body.data).toMatchObject({ id: referrerId, name: 'Alicia' });
  });

  it('find(key) and search(params): GET, search filters in the query string with body []', async () => {
    const { referrerId } = await seed();
    expectReads(await replay(php('GET', `customers/${referrerId}`)), 200, { 'data.id': 'string' });
    const res = await replay(php('GET', 'customers:search', [], { key: referrerId }));
    expectReads(res, 200, { 'data.0.id': 'string' });
    expect(res.body.data[0].id).toBe(referrerId);
  });

  it('list(limit): GET customers with {limit}', async () => {
    await seed();
    const res = await replay(php('GET', 'customers', { limit: 2 }));
    expectReads(res, 200, { data: 'array' });
    expect(res.body.meta.per_page).toBe(2);
  });
});

describe('Partnero\\Endpoints\\CustomerReferralLinks', () => {
  it('list(customerKey, limit): GET customers/{key}/referral_links with {limit}', async () => {
    const { referrerId } = await seed();
    const res = await replay(php('GET', `customers/${referrerId}/referral_links`, { limit: 10 }));
    expectReads(res, 200, { 'data.0.id': 'string', 'data.0.key': 'string', 'data.0.url': 'string', 'data.0.default': 'boolean' });
    expect(res.body.data[0]).toMatchObject({ key: referrerId, default: true });
  });

  it('create(ReferralLink{key}, Partner{id}) with domain_id null and is_additional false; get, update, search, delete', async () => {
    const { run, referrerId } = await seed();
    const res = await replay(php('POST', 'customer_referral_links', { key: `${run}-spring`, domain_id: null, is_additional: false, customer: { id: referrerId } }));
    expectReads(res, 200, { 'data.id': 'string', 'data.key': 'string', 'data.url': 'string', 'data.is_additional': 'boolean' });
    const linkId = res.body.data.id as string;
    expectReads(await replay(php('GET', `customer_referral_links/${linkId}`)), 200, { 'data.key': 'string' });
    const renamed = `${run}-summer`;
    const updated = await replay(php('PUT', `customer_referral_links/${linkId}`, { key: renamed }));
    expectReads(updated, 200, { 'data.key': 'string' });
    expect(updated.body.data.key).toBe(renamed);
    const found = await replay(php('GET', 'customer_referral_links:search', [], { key: renamed }));
    expectReads(found, 200, { 'data.0.id': 'string' });
    expect(at(found.body, 'data.0.id')).toBe(linkId);
    expectReads(await replay(php('DELETE', `customer_referral_links/${linkId}`)), 200, { status: 'number' });
  });
});

describe('Partnero\\Endpoints\\Transactions', () => {
  it('create(Transaction{key, amount, action}, Customer{key}); archive, revokeArchived, delete with {key} in the body', async () => {
    const { run, referredId } = await seed();
    const sale = `${run}-order-1`;
    const res = await replay(php('POST', 'transactions', { key: sale, amount: 99.99, action: 'sale', customer: { key: referredId } }));
    expectReads(res, 200, { 'data.key': 'string', 'data.amount': 'number', 'data.reward': 'object' });
    expect(res.body.data.reward).toMatchObject({ amount: 10, amount_units: 'USD' });
    expectReads(await replay(php('POST', `transactions/${sale}/archive`, { key: sale })), 200, { 'data.status': 'string' });
    expectReads(await replay(php('POST', `transactions/${sale}/revoke-archive`, { key: sale })), 200, { 'data.status': 'string' });
    expectReads(await replay(php('DELETE', `transactions/${sale}`, { key: sale })), 200, { status: 'number' });
    expectReads(await replay(php('DELETE', `transactions/${sale}`, { key: sale })), 404, { message: 'string' });
  });

  it('create without action and with rewardable false (the model drops nulls)', async () => {
    const { run, referredId } = await seed();
    const res = await replay(php('POST', 'transactions', { key: `${run}-order-2`, amount: 10, rewardable: false, customer: { key: referredId } }));
    expectReads(res, 200, { 'data.action': 'string', 'data.reward': 'null' });
    expect(res.body.data.action).toBe('sale');
  });
});

describe('Partnero\\Endpoints\\Webhooks', () => {
  it('create, list(limit, page), find, update, delete', async () => {
    const created = await replay(php('POST', 'webhooks', { name: 'Demo', url: 'https://webhook.site/e68d154a-ad82', events: ['customer.created'] }));
    expectReads(created, 200, { 'data.key': 'string', 'data.signature': 'string', 'data.events': 'array' });
    const key = created.body.data.key as string;
    expect(created.body.data.url).toBe('https://webhook.site/e68d154a-ad82');
    expectReads(await replay(php('GET', 'webhooks', { limit: 50, page: 1 })), 200, { data: 'array', 'meta.per_page': 'number' });
    expectReads(await replay(php('GET', `webhooks/${key}`)), 200, { 'data.key': 'string' });
    const updated = await replay(php('PUT', `webhooks/${key}`, { name: 'Demo 2' }));
    expectReads(updated, 200, { 'data.name': 'string' });
    expect(updated.body.data.name).toBe('Demo 2');
    expectReads(await replay(php('DELETE', `webhooks/${key}`)), 200, { status: 'number' });
  });
});

describe('errors, as HttpErrorHelper maps them', () => {
  it('answers 404 (PartneroHttpNotFoundException) and 422 (…RequestValidationException) with a JSON message', async () => {
    const missing = await replay(php('GET', `customers/${uid('nobody')}`));
    expectReads(missing, 404, { message: 'string' });
    const invalid = await replay(php('POST', 'customers', { email: 'not-an-email' }));
    expectReads(invalid, 422, { message: 'string', errors: 'object' });
  });
});

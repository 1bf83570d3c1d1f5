import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createCustomer, snapshot, uid } from './helpers/local-api';

const CUSTOMER_FIELDS = [
  'email',
  'created_at',
  'updated_at',
  'id',
  'key',
  'name',
  'surname',
  'approved',
  'status',
  'referring_customer',
  'referrals_count',
  'metadata',
  'referral_link',
  'referral_links',
  'custom_fields',
];
const LARAVEL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('POST /v1/customers', () => {
  it('creates a referring customer with the documented fields', async () => {
    const key = uid();
    const res = await call('POST', '/v1/customers', { key, name: 'Alice', surname: 'Brown', email: 'alice@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(1);
    const data = res.body.data;
    expect(Object.keys(data)).toEqual(CUSTOMER_FIELDS);
    expect(data).toMatchObject({
      id: key,
      key,
      email: 'alice@example.com',
      name: 'Alice',
      surname: 'Brown',
      approved: true,
      status: 'active',
      referring_customer: null,
      referrals_count: 0,
      metadata: { date_of_birth: null },
      referral_link: `http://localhost:8787/demo/?ref=${key}`,
      referral_links: [`http://localhost:8787/demo/?ref=${key}`],
      custom_fields: {},
    });
    expect(data.created_at).toMatch(LARAVEL_TIME);
    expect(data.updated_at).toBe(data.created_at);
  });

  it('generates key and id when neither is given, and the link uses the key', async () => {
    const res = await call('POST', '/v1/customers', { email: 'anon@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.data.key).toMatch(/^cus_[0-9a-f]{24}$/);
    expect(res.body.data.id).toBe(res.body.data.key);
    expect(res.body.data.referral_link).toContain(`ref=${res.body.data.key}`);
  });

  it('an empty body creates a customer too (every field is optional)', async () => {
    const res = await call('POST', '/v1/customers', undefined);
    expect(res.status).toBe(200);
    expect(res.body.data.email).toBeNull();
  });

  it('uses the id as key when only the id is given, and keeps both when both are given', async () => {
    const id = uid('id');
    const only = await call('POST', '/v1/customers', { id });
    expect(only.body.data).toMatchObject({ id, key: id });
    const both = await call('POST', '/v1/customers', { id: uid('id'), key: uid('k') });
    expect(both.body.data.id).not.toBe(both.body.data.key);
    expect(both.body.data.referral_link).toContain(`ref=${both.body.data.key}`);
  });

  it('stores the date of birth', async () => {
    const c = await createCustomer({ metadata: { date_of_birth: '1990-01-15' } });
    expect(c.metadata.date_of_birth).toBe('1990-01-15');
  });

  it('attributes to a referrer by key, and the referrer counts it', async () => {
    const referrer = await createCustomer({ name: 'Ref', email: 'ref@example.com' });
    const res = await call('POST', '/v1/customers', { key: uid(), referring_customer: { key: referrer.key } });
    expect(res.status).toBe(200);
    expect(res.body.data.referring_customer).toEqual({
      id: referrer.id,
      key: referrer.key,
      email: 'ref@example.com',
      name: 'Ref',
      surname: null,
    });
    const after = await call('GET', `/v1/customers/${referrer.id}`);
    expect(after.body.data.referrals_count).toBe(1);
  });

  it('lets referring_customer.id win over .key', async () => {
    const byId = await createCustomer({ id: uid('id'), key: uid('k') });
    const byKey = await createCustomer();
    const res = await call('POST', '/v1/customers', { referring_customer: { id: byId.id, key: byKey.key } });
    expect(res.status).toBe(200);
    expect(res.body.data.referring_customer.id).toBe(byId.id);
  });

  it('refuses a referrer that does not exist, writing nothing', async () => {
    const before = await snapshot();
    const key = uid();
    const res = await call('POST', '/v1/customers', { key, referring_customer: { key: uid('ghost') } });
    expect(res.status).toBe(422);
    expect(res.body.errors['referring_customer.key']).toHaveLength(1);
    expect(typeof res.body.message).toBe('string');
    expect(await snapshot()).toBe(before);
  });

  it('refuses a customer referring itself', async () => {
    const key = uid();
    const byKey = await call('POST', '/v1/customers', { key, referring_customer: { key } });
    expect(byKey.status).toBe(422);
    expect(byKey.body.errors['referring_customer.key']).toEqual(['A customer cannot refer itself.']);
    const byId = await call('POST', '/v1/customers', { key, referring_customer: { id: key } });
    expect(byId.status).toBe(422);
    expect(byId.body.errors['referring_customer.id']).toEqual(['A customer cannot refer itself.']);
  });

  it('refuses a key or id that already exists', async () => {
    const existing = await createCustomer();
    const sameKey = await call('POST', '/v1/customers', { key: existing.key, id: uid('id') });
    expect(sameKey.status).toBe(422);
    expect(sameKey.body.errors).toEqual({ key: ['The key has already been taken.'] });
    const sameId = await call('POST', '/v1/customers', { key: uid(), id: existing.id });
    expect(sameId.status).toBe(422);
    expect(sameId.body.errors).toEqual({ id: ['The id has already been taken.'] });
  });

  it('lets only one of two concurrent creates of the same key succeed', async () => {
    const key = uid();
    const results = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/customers', { key })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 422, 422]);
    const count = await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM customers WHERE key = ?').bind(key).first('n');
    expect(count).toBe(1);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 42 }, 'email'],
    [{ key: 'has space' }, 'key'],
    [{ key: 'a/b' }, 'key'],
    [{ name: 'x'.repeat(256) }, 'name'],
    [{ metadata: { date_of_birth: '1990-02-30' } }, 'metadata.date_of_birth'],
    [{ metadata: 'yes' }, 'metadata'],
    [{ referring_customer: 'alice' }, 'referring_customer'],
  ])('answers 422 for %j', async (body, field) => {
    const res = await call('POST', '/v1/customers', body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
  });
});

describe('GET /v1/customers', () => {
  it('lists with Laravel links and meta, newest first', async () => {
    const older = await createCustomer();
    const newer = await createCustomer();
    const total = await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM customers').first<number>('n');
    const res = await call('GET', '/v1/customers?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(1);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([newer.id, older.id]);
    expect(res.body.meta).toEqual({
      current_page: 1,
      from: 1,
      last_page: Math.ceil(Number(total) / 2),
      per_page: 2,
      to: 2,
      total,
      path: 'http://local.test/v1/customers',
    });
    expect(res.body.links.first).toBe('http://local.test/v1/customers?limit=2&page=1');
    expect(res.body.links.prev).toBeNull();
  });

  it('defaults to 15 per page', async () => {
    const res = await call('GET', '/v1/customers');
    expect(res.body.meta.per_page).toBe(15);
  });

  it('filters by refer_status', async () => {
    const referrer = await createCustomer();
    const referred = await createCustomer({ referring_customer: { key: referrer.key } });
    const yes = await call('GET', '/v1/customers?refer_status=referred&limit=250');
    const no = await call('GET', '/v1/customers?refer_status=non_referred&limit=250');
    const ids = (r: typeof yes) => r.body.data.map((c: { id: string }) => c.id);
    expect(ids(yes)).toContain(referred.id);
    expect(ids(yes)).not.toContain(referrer.id);
    expect(ids(no)).toContain(referrer.id);
    expect(ids(no)).not.toContain(referred.id);
    expect(yes.body.data.every((c: { referring_customer: unknown }) => c.referring_customer !== null)).toBe(true);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=251', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['refer_status=everyone', 'refer_status'],
  ])('answers 422 for ?%s', async (query, field) => {
    const res = await call('GET', `/v1/customers?${query}`);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });

  it('accepts limit 250', async () => {
    const res = await call('GET', '/v1/customers?limit=250');
    expect(res.status).toBe(200);
    expect(res.body.meta.per_page).toBe(250);
  });
});

describe('GET /v1/customers/{id}', () => {
  it('finds by id first, then by key', async () => {
    const a = await createCustomer({ id: uid('id'), key: uid('k') });
    expect((await call('GET', `/v1/customers/${a.id}`)).body.data.key).toBe(a.key);
    expect((await call('GET', `/v1/customers/${a.key}`)).body.data.id).toBe(a.id);
    // B's id equals A's key: the id match wins.
    const b = await createCustomer({ id: a.key, key: uid('k') });
    expect((await call('GET', `/v1/customers/${a.key}`)).body.data.id).toBe(b.id);
  });

  it('answers 404 with a message for an unknown customer', async () => {
    const res = await call('GET', `/v1/customers/${uid('nobody')}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Customer not found.' });
  });
});

describe('PUT /v1/customers/{id} and PUT /v1/customers', () => {
  it('updates the given fields only', async () => {
    const c = await createCustomer({ name: 'Alice', surname: 'Brown', email: 'a@example.com' });
    const res = await call('PUT', `/v1/customers/${c.id}`, {
      update: { name: 'Amanda', metadata: { date_of_birth: '1990-01-15' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Amanda', surname: 'Brown', email: 'a@example.com', metadata: { date_of_birth: '1990-01-15' } });
    const got = await call('GET', `/v1/customers/${c.id}`);
    expect(got.body.data.name).toBe('Amanda');
  });

  it('accepts the PHP SDK form {id, update}', async () => {
    const c = await createCustomer();
    const res = await call('PUT', '/v1/customers', { id: c.id, update: { email: 'new@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body.data.email).toBe('new@example.com');
  });

  it('renames the key, and the id follows when it was the key', async () => {
    const c = await createCustomer();
    const next = uid('renamed');
    const res = await call('PUT', `/v1/customers/${c.key}`, { update: { key: next } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: next, key: next });
    expect(res.body.data.referral_link).toContain(`ref=${next}`);
    expect((await call('GET', `/v1/customers/${c.key}`)).status).toBe(404);
    expect((await call('GET', `/v1/customers/${next}`)).status).toBe(200);
  });

  it('renames the key but keeps a distinct id, and referrals stay attached', async () => {
    const c = await createCustomer({ id: uid('id'), key: uid('k') });
    await createCustomer({ referring_customer: { key: c.key } });
    const next = uid('renamed');
    const res = await call('PUT', `/v1/customers/${c.id}`, { update: { key: next } });
    expect(res.body.data).toMatchObject({ id: c.id, key: next, referrals_count: 1 });
  });

  it('refuses renaming to a taken key, changing nothing', async () => {
    const a = await createCustomer();
    const b = await createCustomer();
    const before = await snapshot();
    const res = await call('PUT', `/v1/customers/${a.id}`, { update: { key: b.key } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ 'update.key': ['The key has already been taken.'] });
    expect(await snapshot()).toBe(before);
  });

  it('reads flat fields when there is no update object, and an empty update changes nothing', async () => {
    const c = await createCustomer({ name: 'Alice', surname: 'Brown' });
    const flat = await call('PUT', `/v1/customers/${c.id}`, { name: 'x' });
    expect(flat.status).toBe(200);
    expect(flat.body.data).toMatchObject({ name: 'x', surname: 'Brown' });
    const before = await snapshot();
    const empty = await call('PUT', `/v1/customers/${c.id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual(flat.body.data);
    expect(await snapshot()).toBe(before);
  });

  it('lets update win over flat fields, and leaves null fields unchanged', async () => {
    const c = await createCustomer({ name: 'Alice', surname: 'Brown', email: 'a@example.com' });
    const res = await call('PUT', `/v1/customers/${c.id}`, { name: 'Flat', update: { name: 'Wrapped', surname: null, email: '' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Wrapped', surname: 'Brown', email: 'a@example.com' });
  });

  it('answers 404 for an unknown customer, 422 for a bad email or no customer named', async () => {
    const c = await createCustomer();
    expect((await call('PUT', `/v1/customers/${uid('ghost')}`, { update: {} })).status).toBe(404);
    expect((await call('PUT', '/v1/customers', { id: uid('ghost'), update: {} })).status).toBe(404);
    const bad = await call('PUT', `/v1/customers/${c.id}`, { update: { email: 'nope' } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['update.email']);
    const badFlat = await call('PUT', `/v1/customers/${c.id}`, { email: 'nope' });
    expect(badFlat.status).toBe(422);
    expect(Object.keys(badFlat.body.errors)).toEqual(['email']);
    const notObject = await call('PUT', `/v1/customers/${c.id}`, { update: 'x' });
    expect(notObject.status).toBe(422);
    expect(Object.keys(notObject.body.errors)).toEqual(['update']);
    const noId = await call('PUT', '/v1/customers', { update: {} });
    expect(noId.status).toBe(422);
    expect(Object.keys(noId.body.errors)).toEqual(['id']);
  });

  it('names the customer in a PUT /customers body by id, key or email', async () => {
    const c = await createCustomer({ id: uid('id'), key: uid('key'), email: `${uid('m')}@example.com` });
    for (const [locator, name] of [[{ id: c.id }, 'ById'], [{ key: c.key }, 'ByKey'], [{ email: c.email }, 'ByEmail']] as const) {
      const res = await call('PUT', '/v1/customers', { ...locator, update: { name } });
      expect(res.status, JSON.stringify(locator)).toBe(200);
      expect(res.body.data).toMatchObject({ id: c.id, name });
    }
    const flat = await call('PUT', '/v1/customers', { key: c.key, surname: 'Flat' });
    expect(flat.body.data).toMatchObject({ key: c.key, surname: 'Flat' });
  });
});

describe('DELETE /v1/customers/{id}', () => {
  it('deletes permanently: get answers 404 afterwards', async () => {
    const c = await createCustomer();
    const res = await call('DELETE', `/v1/customers/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: null, status: 1 });
    expect((await call('GET', `/v1/customers/${c.id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/customers/${c.id}`)).status).toBe(404);
  });

  it('leaves its referrals unreferred and takes its clicks, balance and purchases along', async () => {
    const referrer = await createCustomer();
    const buyer = await createCustomer({ referring_customer: { key: referrer.key } });
    await call('POST', '/v1/clicks', { key: referrer.key });
    await call('POST', `/v1/customers/${referrer.id}/balance/credit`, { amount: 5, amount_units: 'USD', is_currency: true });
    const tx = uid('tx');
    expect((await call('POST', '/v1/transactions', { key: tx, amount: 100, action: 'sale', customer: { key: buyer.key } })).status).toBe(200);

    expect((await call('DELETE', `/v1/customers/${referrer.id}`)).status).toBe(200);
    const orphan = await call('GET', `/v1/customers/${buyer.id}`);
    expect(orphan.body.data.referring_customer).toBeNull();
    const db = env.LOCAL_DB!;
    const left = await db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM clicks c JOIN customers x ON x.pk = c.customer_pk WHERE x.key = ?1) AS clicks,
                (SELECT COUNT(*) FROM balance_entries WHERE customer_pk NOT IN (SELECT pk FROM customers)) AS orphans,
                (SELECT referring_customer_pk FROM transactions WHERE key = ?2) AS tx_referrer,
                (SELECT COUNT(*) FROM transactions WHERE key = ?2) AS tx_count`,
      )
      .bind(referrer.key, tx)
      .first();
    expect(left).toEqual({ clicks: 0, orphans: 0, tx_referrer: null, tx_count: 1 });

    // Deleting the buyer removes its purchase.
    expect((await call('DELETE', `/v1/customers/${buyer.id}`)).status).toBe(200);
    expect(await db.prepare('SELECT COUNT(*) AS n FROM transactions WHERE key = ?').bind(tx).first('n')).toBe(0);
  });
});

describe('archive and revoke-archive', () => {
  it('round-trips status deleted and back to active; archived customers still list and get', async () => {
    const c = await createCustomer();
    const archived = await call('POST', `/v1/customers/${c.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body.data.status).toBe('deleted');
    expect((await call('GET', `/v1/customers/${c.id}`)).body.data.status).toBe('deleted');
    const listed = await call('GET', '/v1/customers?limit=250');
    expect(listed.body.data.find((x: { id: string }) => x.id === c.id)?.status).toBe('deleted');
    const restored = await call('POST', `/v1/customers/${c.id}/revoke-archive`);
    expect(restored.status).toBe(200);
    expect(restored.body.data.status).toBe('active');
    expect((await call('GET', `/v1/customers/${c.id}`)).body.data.status).toBe('active');
  });

  it('answers 404 for unknown customers', async () => {
    expect((await call('POST', `/v1/customers/${uid('ghost')}/archive`)).status).toBe(404);
    expect((await call('POST', `/v1/customers/${uid('ghost')}/revoke-archive`)).status).toBe(404);
  });
});

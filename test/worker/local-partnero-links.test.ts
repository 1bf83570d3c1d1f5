/** Referral links as objects: one default per customer, more on demand, every key attributing. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ReferralLink } from '../../shared/partnero';
import { call, createCustomer, snapshot, uid } from './helpers/local-api';

const BASE = 'http://localhost:8787/demo/';

async function links(customerId: string): Promise<ReferralLink[]> {
  const res = await call('GET', `/v1/customers/${customerId}/referral_links`);
  expect(res.status).toBe(200);
  return res.body.data as ReferralLink[];
}

async function addLink(body: Record<string, unknown>): Promise<ReferralLink> {
  const res = await call('POST', '/v1/customer_referral_links', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as ReferralLink;
}

async function defaults(customerPk: string): Promise<number> {
  return Number(
    await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM referral_links l JOIN customers c ON c.pk = l.customer_pk WHERE c.id = ?1 AND l.is_default = 1')
      .bind(customerPk)
      .first('n'),
  );
}

describe('the default link', () => {
  it('is created with the customer, keyed by its key, and is the customer’s referral_link', async () => {
    const c = await createCustomer();
    const [link] = await links(c.id);
    expect(link).toEqual({
      id: expect.stringMatching(/^rl_/),
      key: c.key,
      url: `${BASE}?ref=${c.key}`,
      default: true,
      is_additional: false,
      direct_tracking: false,
      direct_tracking_redirect: false,
      direct_tracking_redirect_url: null,
      domain_id: null,
      customer: { id: c.id, key: c.key, email: null, name: null, surname: null },
      created_at: c.created_at,
      updated_at: c.created_at,
    });
    expect(c.referral_link).toBe(link?.url);
    expect(c.referral_links).toEqual([link?.url]);
  });

  it('follows a key rename; other links keep their keys', async () => {
    const c = await createCustomer();
    const extra = await addLink({ customer: { id: c.id }, key: uid('extra') });
    const next = uid('renamed');
    const renamed = await call('PUT', `/v1/customers/${c.id}`, { update: { key: next } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.referral_link).toBe(`${BASE}?ref=${next}`);
    expect((await links(next)).map((l) => [l.key, l.default])).toEqual([
      [next, true],
      [extra.key, false],
    ]);
  });

  it('refuses a customer key another customer holds as a link, and a rename onto one', async () => {
    const owner = await createCustomer();
    const extra = await addLink({ customer: { key: owner.key }, key: uid('held') });
    const before = await snapshot();
    const created = await call('POST', '/v1/customers', { key: extra.key });
    expect(created.status).toBe(422);
    expect(created.body.errors).toEqual({ key: ['The key has already been taken.'] });
    const other = await createCustomer();
    const mid = await snapshot();
    const renamed = await call('PUT', `/v1/customers/${other.id}`, { update: { key: extra.key } });
    expect(renamed.status).toBe(422);
    expect(renamed.body.errors).toEqual({ 'update.key': ['The key has already been taken.'] });
    expect(await snapshot()).toBe(mid);
    expect(before).not.toBe(mid);
  });
});

describe('more links', () => {
  it('creates a link with a generated key, listed after the default and in the customer’s referral_links', async () => {
    const c = await createCustomer();
    const link = await addLink({ customer: { email: null, key: c.key } });
    expect(link).toMatchObject({ key: expect.stringMatching(/^ref_/), default: false, customer: { id: c.id } });
    expect(link.url).toBe(`${BASE}?ref=${link.key}`);
    expect((await links(c.id)).map((l) => l.key)).toEqual([c.key, link.key]);
    const customer = await call('GET', `/v1/customers/${c.id}`);
    expect(customer.body.data.referral_links).toEqual([`${BASE}?ref=${c.key}`, link.url]);
    expect(customer.body.data.referral_link).toBe(`${BASE}?ref=${c.key}`);
  });

  it('reads the PHP SDK’s camelCase fields where snake_case is absent, snake_case winning', async () => {
    const c = await createCustomer({ email: `${uid('php')}@example.com` });
    const link = await addLink({
      customer: { email: c.email },
      key: uid('php'),
      url: 'https://shop.example/landing?utm=x',
      isAdditional: true,
      is_additional: false,
      directTracking: true,
      directTrackingRedirectUrl: 'https://shop.example/after',
      domain_id: null,
    });
    expect(link).toMatchObject({
      url: `https://shop.example/landing?utm=x&ref=${link.key}`,
      is_additional: false,
      direct_tracking: true,
      direct_tracking_redirect_url: 'https://shop.example/after',
    });
  });

  it('makes a new link the default when asked, leaving exactly one default', async () => {
    const c = await createCustomer();
    const link = await addLink({ customer: { id: c.id }, key: uid('main'), default: true });
    expect(link.default).toBe(true);
    expect((await links(c.id)).map((l) => [l.key, l.default])).toEqual([
      [link.key, true],
      [c.key, false],
    ]);
    expect((await call('GET', `/v1/customers/${c.id}`)).body.data.referral_link).toBe(link.url);
    expect(await defaults(c.id)).toBe(1);
  });

  it('keeps one default when two links are made default at once', async () => {
    const c = await createCustomer();
    const [a, b] = await Promise.all([addLink({ customer: { id: c.id } }), addLink({ customer: { id: c.id } })]);
    await Promise.all([
      call('PUT', `/v1/customer_referral_links/${a.id}`, { default: true }),
      call('PUT', `/v1/customer_referral_links/${b.id}`, { default: true }),
    ]);
    expect(await defaults(c.id)).toBe(1);
  });

  it('attributes a signup and counts a click through any link of the referrer', async () => {
    const referrer = await createCustomer();
    const link = await addLink({ customer: { id: referrer.id }, key: uid('campaign') });
    const friend = await call('POST', '/v1/customers', { key: uid('friend'), referring_customer: { key: link.key } });
    expect(friend.status).toBe(200);
    expect(friend.body.data.referring_customer).toMatchObject({ id: referrer.id });
    expect((await call('POST', '/v1/clicks', { key: link.key })).body.data).toMatchObject({ customer: { id: referrer.id }, clicks_count: 1 });
    expect((await call('GET', `/v1/customers/${referrer.id}/stats`)).body.data).toMatchObject({ referrals_count: 1, clicks_count: 1 });
  });

  it('refuses a key held by another link or another customer, and a customer that does not exist', async () => {
    const a = await createCustomer();
    const b = await createCustomer();
    const taken = await addLink({ customer: { id: a.id }, key: uid('taken') });
    const before = await snapshot();
    for (const key of [taken.key, b.key]) {
      const res = await call('POST', '/v1/customer_referral_links', { customer: { id: a.id }, key });
      expect(res.status, key).toBe(422);
      expect(res.body.errors).toEqual({ key: ['The key has already been taken.'] });
    }
    expect((await call('POST', '/v1/customer_referral_links', { customer: { id: uid('ghost') } })).status).toBe(404);
    const none = await call('POST', '/v1/customer_referral_links', { key: uid('k') });
    expect(none.status).toBe(422);
    expect(Object.keys(none.body.errors)).toEqual(['customer']);
    const badUrl = await call('POST', '/v1/customer_referral_links', { customer: { id: a.id }, url: 'javascript:alert(1)' });
    expect(badUrl.status).toBe(422);
    expect(await snapshot()).toBe(before);
  });

  it('lets only one of two concurrent creates of one key succeed', async () => {
    const a = await createCustomer();
    const b = await createCustomer();
    const key = uid('race');
    const results = await Promise.all([
      call('POST', '/v1/customer_referral_links', { customer: { id: a.id }, key }),
      call('POST', '/v1/customer_referral_links', { customer: { id: b.id }, key }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
  });
});

describe('get, update, delete, search', () => {
  it('gets a link by id or key, updates it, and deletes a non-default one', async () => {
    const c = await createCustomer();
    const link = await addLink({ customer: { id: c.id }, key: uid('edit') });
    expect((await call('GET', `/v1/customer_referral_links/${link.id}`)).body.data).toEqual(link);
    expect((await call('GET', `/v1/customer_referral_links/${link.key}`)).body.data.id).toBe(link.id);
    const rekey = uid('edited');
    const updated = await call('PUT', `/v1/customer_referral_links/${link.id}`, { key: rekey, direct_tracking: true, url: '' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ id: link.id, key: rekey, direct_tracking: true, url: `${BASE}?ref=${rekey}` });
    const deleted = await call('DELETE', `/v1/customer_referral_links/${link.id}`);
    expect(deleted.body).toEqual({ data: null, status: 1 });
    expect((await call('GET', `/v1/customer_referral_links/${link.id}`)).status).toBe(404);
    // Its key no longer attributes.
    expect((await call('POST', '/v1/customers', { key: uid('late'), referring_customer: { key: rekey } })).status).toBe(422);
  });

  it('keeps the default: no un-defaulting it, no deleting it', async () => {
    const c = await createCustomer();
    const [main] = await links(c.id);
    const before = await snapshot();
    const undefault = await call('PUT', `/v1/customer_referral_links/${main!.id}`, { default: false });
    expect(undefault.status).toBe(422);
    expect(Object.keys(undefault.body.errors)).toEqual(['default']);
    const deleted = await call('DELETE', `/v1/customer_referral_links/${main!.id}`);
    expect(deleted.status).toBe(422);
    expect(await snapshot()).toBe(before);
  });

  it('searches by id or key (query or body), answering a list', async () => {
    const c = await createCustomer();
    const link = await addLink({ customer: { id: c.id }, key: uid('find') });
    expect((await call('GET', `/v1/customer_referral_links:search?key=${link.key}`)).body.data.map((l: ReferralLink) => l.id)).toEqual([link.id]);
    expect((await call('GET', '/v1/customer_referral_links:search', { id: link.id })).body.data.map((l: ReferralLink) => l.key)).toEqual([link.key]);
    expect((await call('GET', `/v1/customer_referral_links:search?key=${uid('none')}`)).body.data).toEqual([]);
    expect((await call('GET', '/v1/customer_referral_links:search')).status).toBe(422);
  });

  it('answers 404 for unknown links and customers', async () => {
    for (const [method, path] of [
      ['GET', `/v1/customer_referral_links/${uid('x')}`],
      ['PUT', `/v1/customer_referral_links/${uid('x')}`],
      ['DELETE', `/v1/customer_referral_links/${uid('x')}`],
      ['GET', `/v1/customers/${uid('x')}/referral_links`],
    ] as const) {
      expect((await call(method, path, method === 'PUT' ? { key: uid('y') } : undefined)).status, `${method} ${path}`).toBe(404);
    }
  });

  it('goes with its customer', async () => {
    const c = await createCustomer();
    const link = await addLink({ customer: { id: c.id } });
    expect((await call('DELETE', `/v1/customers/${c.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/customer_referral_links/${link.id}`)).status).toBe(404);
    expect(await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM referral_links WHERE key IN (?1, ?2)').bind(c.key, link.key).first('n')).toBe(0);
  });
});

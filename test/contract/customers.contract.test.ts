/**
 * Contract suite of Partnero's refer-a-friend customers API, exercised through the typed
 * client (worker/partnero). It runs against the embedded local API (in-process, through
 * `partneroFor(env, ctx)`) and, when PARTNERO_API_URL and PARTNERO_API_KEY are set in the
 * environment, the very same cases run against that real Partnero account as well.
 *
 * Cases marked "local only" rely on behaviour this project defines itself (the reward rule
 * in wrangler vars, the click-recording endpoint, exact referral-link bases) and are skipped
 * against a real account.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreditInput, Customer, ListCustomersQuery, ReferStatus } from '../../shared/partnero';
import { localPartnero } from '../../worker/dev/local-partnero/app';
import { createPartneroClient } from '../../worker/partnero/client';
import { PartneroError, type PartneroClient } from '../../worker/partnero/types';
import { LOCAL_PARTNERO_BASE, partneroFor } from '../../worker/dev/upstream';

interface Target {
  name: string;
  /** True for the embedded local API, whose project-defined behaviour may be asserted. */
  local: boolean;
  client: PartneroClient;
  /** The same upstream, called with a wrong API key. */
  wrongKey: PartneroClient;
}

const ctx = createExecutionContext();

function localTarget(): Target {
  return {
    name: 'local API (in-process)',
    local: true,
    client: partneroFor(env, ctx),
    wrongKey: createPartneroClient({
      baseUrl: LOCAL_PARTNERO_BASE,
      apiKey: `wrong-${env.LOCAL_API_KEY ?? ''}`,
      fetch: async (request) => localPartnero.fetch(request, env, ctx),
    }),
  };
}

function remoteTarget(url: string, key: string): Target {
  return {
    name: `real Partnero account (${url})`,
    local: false,
    // The same construction the worker uses in production.
    client: partneroFor({ ...env, PARTNERO_API_URL: url, PARTNERO_API_KEY: key }, ctx, { timeoutMs: 15_000 }),
    wrongKey: createPartneroClient({ baseUrl: url, apiKey: 'definitely-not-a-valid-key', timeoutMs: 15_000 }),
  };
}

/** The error a promise rejects with; fails the test (and keeps what it created for cleanup) when it resolves. */
async function failure(promise: Promise<unknown>, created: (value: unknown) => void): Promise<PartneroError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) {
    created(outcome.value);
    throw new Error(`expected a PartneroError, got ${JSON.stringify(outcome.value)}`);
  }
  expect(outcome.error).toBeInstanceOf(PartneroError);
  return outcome.error as PartneroError;
}

function expectValidation(error: PartneroError, field: (name: string) => boolean): void {
  expect(error.kind).toBe('http');
  expect(error.status).toBe(422);
  expect(typeof error.message).toBe('string');
  expect(error.message).not.toBe('');
  const fields = Object.keys(error.errors ?? {});
  expect(fields.some(field), `422 errors ${JSON.stringify(error.errors)} name the field`).toBe(true);
}

function defineContract(target: Target): void {
  const { client } = target;
  const run = crypto.randomUUID().slice(0, 8);
  let seq = 0;
  /** Ids of every customer this run created, deleted at the end (a real account stays clean). */
  const createdIds = new Set<string>();
  const track = (value: unknown): void => {
    if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') createdIds.add(value.id);
  };
  const uniqueKey = (label: string): string => `ct-${run}-${label}-${++seq}`;

  async function create(label: string, extra: Parameters<PartneroClient['createCustomer']>[0] = {}): Promise<Customer> {
    const key = extra.key ?? uniqueKey(label);
    const customer = await client.createCustomer({ key, email: `${key}@example.com`, name: 'Contract', surname: label, ...extra });
    track(customer);
    return customer;
  }

  const localOnly = target.local ? it : it.skip;

  afterAll(async () => {
    for (const id of createdIds) {
      await client.deleteCustomer(id).catch(() => undefined);
    }
  });

  describe('create and get', () => {
    it('creates a referring customer with every documented field', async () => {
      const key = uniqueKey('alice');
      const customer = await create('alice', { key, name: 'Alice', surname: 'Brown', metadata: { date_of_birth: '1990-01-15' } });
      expect(customer).toMatchObject({
        id: key,
        email: `${key}@example.com`,
        name: 'Alice',
        surname: 'Brown',
        status: 'active',
        approved: true,
        referring_customer: null,
        referrals_count: 0,
        metadata: { date_of_birth: '1990-01-15' },
        custom_fields: {},
      });
      expect(customer.referral_link).toContain(key);
      expect(customer.referral_links).toContain(customer.referral_link);
      expect(Number.isNaN(Date.parse(customer.created_at))).toBe(false);
      expect(Number.isNaN(Date.parse(customer.updated_at))).toBe(false);

      const fetched = await client.getCustomer(key);
      expect(fetched).toMatchObject({ id: key, email: `${key}@example.com`, name: 'Alice', status: 'active' });
    });

    localOnly('derives referral links from REFERRAL_LINK_BASE and the key (local only: the base is ours)', async () => {
      const customer = await create('links');
      const link = new URL(customer.referral_link);
      expect(link.searchParams.get('ref')).toBe(customer.id);
      expect(customer.referral_link.startsWith((env.REFERRAL_LINK_BASE ?? '').replace(/\/$/, ''))).toBe(true);
      expect(customer.referral_links).toEqual([customer.referral_link]);
    });

    it('generates the key and id when none is given', async () => {
      const customer = await client.createCustomer({ email: `${uniqueKey('gen')}@example.com` });
      track(customer);
      expect(customer.id).toEqual(expect.any(String));
      expect(customer.id).not.toBe('');
      expect(await client.getCustomer(customer.id)).toMatchObject({ id: customer.id });
    });

    it('addresses ids with reserved URL characters as one path segment', async () => {
      const key = `ct.${run}:a@b+c-${++seq}`;
      await create('odd', { key, email: `odd-${run}-${seq}@example.com` });
      expect(await client.getCustomer(key)).toMatchObject({ id: key });
      expect((await client.getCustomerStats(key)).referrals_count).toBe(0);
    });

    it('round-trips any key of the accepted key pattern through create, get and search', async () => {
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,40}$/), async (prefix) => {
          const key = `${prefix}-${run}-${++seq}`;
          const created = await create('prop', { key, email: `prop-${run}-${seq}@example.com` });
          expect(created.id).toBe(key);
          expect(await client.getCustomer(key)).toMatchObject({ id: key });
          expect((await client.searchCustomers({ key })).map((c) => c.id)).toEqual([key]);
          await client.deleteCustomer(key);
          createdIds.delete(key);
        }),
        { numRuns: target.local ? 25 : 5 },
      );
    });

    it('answers 404 for an unknown customer on every per-customer endpoint', async () => {
      const ghost = uniqueKey('ghost');
      const calls: [string, () => Promise<unknown>][] = [
        ['get', () => client.getCustomer(ghost)],
        ['update', () => client.updateCustomer(ghost, { name: 'X' })],
        ['update (body style)', () => client.updateCustomer(ghost, { name: 'X' }, { style: 'body' })],
        ['delete', () => client.deleteCustomer(ghost)],
        ['archive', () => client.archiveCustomer(ghost)],
        ['restore', () => client.restoreCustomer(ghost)],
        ['stats', () => client.getCustomerStats(ghost)],
        ['referrals', () => client.getCustomerReferrals(ghost)],
        ['transactions', () => client.getCustomerTransactions(ghost)],
        ['balance', () => client.getCustomerBalance(ghost)],
        ['credit', () => client.creditCustomerBalance(ghost, { amount: 1, amount_units: 'USD', is_currency: true })],
      ];
      for (const [name, call] of calls) {
        const error = await failure(call(), track);
        expect({ name, kind: error.kind, status: error.status }).toEqual({ name, kind: 'http', status: 404 });
        expect(error.message).not.toBe('');
      }
    });
  });

  describe('authentication', () => {
    it('answers 401 with a message for a wrong API key', async () => {
      const calls = [
        () => target.wrongKey.listCustomers(),
        () => target.wrongKey.getCustomer('anyone'),
        () => target.wrongKey.createCustomer({ key: uniqueKey('nokey') }),
      ];
      for (const call of calls) {
        const error = await failure(call(), track);
        expect(error).toMatchObject({ kind: 'http', status: 401 });
        expect(error.message).not.toBe('');
      }
    });
  });

  describe('validation (422, nothing written)', () => {
    it('refuses a bad email', async () => {
      const key = uniqueKey('bademail');
      expectValidation(await failure(client.createCustomer({ key, email: 'not-an-email' }), track), (f) => f === 'email');
      expect(await client.searchCustomers({ key }).catch(() => [])).toEqual([]);
    });

    it('refuses a key that already exists, leaving the first customer untouched', async () => {
      const first = await create('dup', { name: 'First' });
      const error = await failure(client.createCustomer({ key: first.id, name: 'Second' }), track);
      expectValidation(error, (f) => f === 'key' || f === 'id');
      expect(await client.getCustomer(first.id)).toMatchObject({ name: 'First' });
    });

    it('refuses a referrer that does not exist', async () => {
      const key = uniqueKey('orphan');
      const error = await failure(client.createCustomer({ key, referring_customer: { key: uniqueKey('nobody') } }), track);
      expectValidation(error, (f) => f.startsWith('referring_customer'));
      expect(await client.searchCustomers({ key }).catch(() => [])).toEqual([]);
    });

    it('refuses a customer referring itself', async () => {
      const key = uniqueKey('self');
      const error = await failure(client.createCustomer({ key, referring_customer: { key } }), track);
      expectValidation(error, (f) => f.startsWith('referring_customer'));
      expect(await client.searchCustomers({ key }).catch(() => [])).toEqual([]);
    });

    it('refuses limit 0 and 251, on lists and per-customer lists', async () => {
      const referrer = await create('limits');
      for (const limit of [0, 251]) {
        expectValidation(await failure(client.listCustomers({ limit }), track), (f) => f === 'limit');
        expectValidation(await failure(client.getCustomerReferrals(referrer.id, { limit }), track), (f) => f === 'limit');
      }
    });

    it('accepts exactly the limits 1 to 250', async () => {
      await create('anylimit');
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, 1, 250, 251)), async (limit) => {
          const outcome = await client.listCustomers({ limit }).catch((error: unknown) => error);
          if (limit >= 1 && limit <= 250) {
            expect(outcome).not.toBeInstanceOf(Error);
            expect(outcome).toMatchObject({ meta: { per_page: limit } });
          } else {
            expect(outcome).toBeInstanceOf(PartneroError);
            expectValidation(outcome as PartneroError, (f) => f === 'limit');
          }
        }),
        { numRuns: target.local ? 40 : 8 },
      );
    });

    it('refuses an unknown refer_status', async () => {
      // A deliberately invalid value: the typed client would not let it through otherwise.
      const query = { refer_status: 'everyone' as ReferStatus } satisfies ListCustomersQuery;
      expectValidation(await failure(client.listCustomers(query), track), (f) => f === 'refer_status');
    });

    it('refuses a credit with any field missing, crediting nothing', async () => {
      const customer = await create('credit422');
      const full: CreditInput = { amount: 10, amount_units: 'USD', is_currency: true };
      for (const missing of ['amount', 'amount_units', 'is_currency'] as const) {
        const input: Partial<CreditInput> = { ...full };
        delete input[missing];
        // Deliberately incomplete input, to check the server's validation.
        const error = await failure(client.creditCustomerBalance(customer.id, input as CreditInput), track);
        expectValidation(error, (f) => f === missing);
      }
      const balance = await client.getCustomerBalance(customer.id);
      expect(balance.balance.currency.filter((e) => e.amount !== 0)).toEqual([]);
    });
  });

  describe('list and pagination', () => {
    it('lists with the documented envelope and default limit 15', async () => {
      await create('list');
      const page = await client.listCustomers();
      expect(page.status).toBe(1);
      expect(page.meta.per_page).toBe(15);
      expect(page.meta.current_page).toBe(1);
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.data.length).toBeLessThanOrEqual(15);
      expect(page.meta.total).toBeGreaterThanOrEqual(page.data.length);
      expect(page.links.prev).toBeNull();
      expect(page.links.first).toEqual(expect.any(String));
    });

    it('accepts the limit bounds 1 and 250', async () => {
      await create('bounds');
      const one = await client.listCustomers({ limit: 1 });
      expect(one.data).toHaveLength(1);
      expect(one.meta.per_page).toBe(1);
      const most = await client.listCustomers({ limit: 250 });
      expect(most.meta.per_page).toBe(250);
      expect(most.data.length).toBe(Math.min(250, most.meta.total));
    });

    it('pages through a known set: first, last and past-the-end pages', async () => {
      const referrer = await create('pager');
      const referred: string[] = [];
      for (let i = 0; i < 3; i++) referred.push((await create(`paged${i}`, { referring_customer: { key: referrer.id } })).id);

      const first = await client.getCustomerReferrals(referrer.id, { limit: 2, page: 1 });
      expect(first.data).toHaveLength(2);
      expect(first.meta).toMatchObject({ current_page: 1, last_page: 2, per_page: 2, total: 3, from: 1, to: 2 });
      expect(first.links.prev).toBeNull();
      expect(first.links.next).toEqual(expect.any(String));

      const last = await client.getCustomerReferrals(referrer.id, { limit: 2, page: 2 });
      expect(last.data).toHaveLength(1);
      expect(last.meta).toMatchObject({ current_page: 2, last_page: 2, total: 3, from: 3, to: 3 });
      expect(last.links.next).toBeNull();
      expect(last.links.prev).toEqual(expect.any(String));

      const past = await client.getCustomerReferrals(referrer.id, { limit: 2, page: 3 });
      expect(past.data).toEqual([]);
      expect(past.meta).toMatchObject({ current_page: 3, total: 3, from: null, to: null });

      const seen = [...first.data, ...last.data].map((c) => c.id).sort();
      expect(seen).toEqual([...referred].sort());
    });

    it('filters by refer_status', async () => {
      const referrer = await create('filter');
      await create('filtered', { referring_customer: { key: referrer.id } });
      const referred = await client.listCustomers({ refer_status: 'referred', limit: 250 });
      expect(referred.data.length).toBeGreaterThan(0);
      for (const c of referred.data) expect(c.referring_customer).not.toBeNull();
      const nonReferred = await client.listCustomers({ refer_status: 'non_referred', limit: 250 });
      expect(nonReferred.data.length).toBeGreaterThan(0);
      for (const c of nonReferred.data) expect(c.referring_customer).toBeNull();
    });
  });

  describe('update', () => {
    it('updates fields by PUT /customers/{id} and the change persists', async () => {
      const customer = await create('upd');
      const updated = await client.updateCustomer(customer.id, { name: 'Amanda', metadata: { date_of_birth: '1990-01-15' } });
      expect(updated).toMatchObject({ id: customer.id, name: 'Amanda', surname: customer.surname, metadata: { date_of_birth: '1990-01-15' } });
      expect(await client.getCustomer(customer.id)).toMatchObject({ name: 'Amanda', metadata: { date_of_birth: '1990-01-15' } });
    });

    it('updates by PUT /customers with {id, update}, as the PHP SDK sends it', async () => {
      const customer = await create('sdk');
      const updated = await client.updateCustomer(customer.id, { surname: 'Sdk', email: `${customer.id}.new@example.com` }, { style: 'body' });
      expect(updated).toMatchObject({ id: customer.id, surname: 'Sdk', email: `${customer.id}.new@example.com` });
      expect(await client.getCustomer(customer.id)).toMatchObject({ surname: 'Sdk' });
    });

    it('refuses a bad email on update and keeps the old one', async () => {
      const customer = await create('updbad');
      expectValidation(await failure(client.updateCustomer(customer.id, { email: 'nope' }), track), (f) => f.endsWith('email'));
      expect(await client.getCustomer(customer.id)).toMatchObject({ email: customer.email });
    });

    it('renames the key: search finds the new key, not the old, and the link follows', async () => {
      const customer = await create('rename');
      const newKey = uniqueKey('renamed');
      const renamed = await client.updateCustomer(customer.id, { key: newKey });
      track(renamed);
      expect(renamed.referral_link).toContain(newKey);
      const byNew = await client.searchCustomers({ key: newKey });
      expect(byNew.map((c) => c.email)).toEqual([customer.email]);
      expect(await client.searchCustomers({ key: customer.id }).catch(() => [])).toEqual([]);
    });

    it('refuses renaming to a key that already exists', async () => {
      const a = await create('taken');
      const b = await create('taker');
      expectValidation(await failure(client.updateCustomer(b.id, { key: a.id }), track), (f) => f.endsWith('key'));
      expect(await client.getCustomer(b.id)).toMatchObject({ email: b.email });
    });
  });

  describe('archive, restore, delete', () => {
    it('archives (status deleted) and restores (status active)', async () => {
      const customer = await create('arch');
      expect(await client.archiveCustomer(customer.id)).toMatchObject({ id: customer.id, status: 'deleted' });
      expect(await client.getCustomer(customer.id)).toMatchObject({ status: 'deleted' });
      expect(await client.restoreCustomer(customer.id)).toMatchObject({ id: customer.id, status: 'active' });
      expect(await client.getCustomer(customer.id)).toMatchObject({ status: 'active' });
    });

    it('deletes permanently: get and a second delete answer 404', async () => {
      const customer = await create('del');
      await expect(client.deleteCustomer(customer.id)).resolves.toBeUndefined();
      createdIds.delete(customer.id);
      expect(await failure(client.getCustomer(customer.id), track)).toMatchObject({ kind: 'http', status: 404 });
      expect(await failure(client.deleteCustomer(customer.id), track)).toMatchObject({ kind: 'http', status: 404 });
    });
  });

  describe('search and invite', () => {
    it('finds a customer by key, by id and by email', async () => {
      const customer = await create('find');
      for (const query of [{ key: customer.id }, { id: customer.id }, { email: customer.email ?? '' }]) {
        const found = await client.searchCustomers(query);
        expect(found.map((c) => c.id)).toEqual([customer.id]);
      }
    });

    it('finds nothing for an unknown key (an empty list, or 404)', async () => {
      const outcome = await client.searchCustomers({ key: uniqueKey('nobody') }).catch((error: unknown) => error);
      if (outcome instanceof PartneroError) expect(outcome.status).toBe(404);
      else expect(outcome).toEqual([]);
    });

    it('invites a potential customer by email', async () => {
      const email = `${uniqueKey('invitee')}@example.com`;
      const invite = await client.inviteCustomer({ email, name: 'Jane' });
      expect(invite).toMatchObject({ email, name: 'Jane' });
    });

    it('refuses an invite without a valid email', async () => {
      expectValidation(await failure(client.inviteCustomer({ email: 'jane' }), track), (f) => f === 'email');
    });
  });

  describe('referrals, stats, transactions, balance', () => {
    it('attributes a referred signup (by key and by id) and counts it for the referrer', async () => {
      const referrer = await create('referrer');
      const byKey = await create('viakey', { referring_customer: { key: referrer.id } });
      expect(byKey.referring_customer).toMatchObject({ id: referrer.id });
      const byId = await create('viaid', { referring_customer: { id: referrer.id } });
      expect(byId.referring_customer).toMatchObject({ id: referrer.id });

      expect((await client.getCustomer(referrer.id)).referrals_count).toBe(2);
      const referrals = await client.getCustomerReferrals(referrer.id);
      expect(referrals.data.map((c) => c.id).sort()).toEqual([byKey.id, byId.id].sort());
      expect(referrals.meta.total).toBe(2);
      const stats = await client.getCustomerStats(referrer.id);
      expect(stats.referrals_count).toBe(2);
    });

    it('prefers referring_customer.id over .key when both are given', async () => {
      const byId = await create('winner');
      const byKey = await create('loser');
      const referred = await create('both', { referring_customer: { id: byId.id, key: byKey.id } });
      expect(referred.referring_customer).toMatchObject({ id: byId.id });
      expect((await client.getCustomer(byId.id)).referrals_count).toBe(1);
      expect((await client.getCustomer(byKey.id)).referrals_count).toBe(0);
    });

    it('answers stats for a new customer with zero counts', async () => {
      const customer = await create('stats');
      const stats = await client.getCustomerStats(customer.id);
      expect(stats.referrals_count).toBe(0);
      expect(stats.clicks_count).toBe(0);
    });

    localOnly('counts recorded clicks and lists social share links in stats (local only: /clicks is ours)', async () => {
      const customer = await create('clicks');
      await client.recordClick({ key: customer.id, url: 'https://example.com/landing' });
      const click = await client.recordClick({ key: customer.id });
      expect(click).toMatchObject({ customer: { id: customer.id }, clicks_count: 2 });
      const stats = await client.getCustomerStats(customer.id);
      expect(stats).toMatchObject({ clicks_count: 2, referrals_count: 0, active_referrals_count: 0, referral_link: customer.referral_link });
      for (const link of Object.values(stats.social_share_links)) expect(link).toContain(encodeURIComponent(customer.referral_link));
      expect(Object.keys(stats.social_share_links).length).toBeGreaterThan(0);
    });

    localOnly('refuses a click for an unknown key (local only)', async () => {
      const error = await failure(client.recordClick({ key: uniqueKey('nobody') }), track);
      expect(error.kind).toBe('http');
      expect([404, 422]).toContain(error.status);
    });

    it('credits a balance and reads it back', async () => {
      const customer = await create('credit');
      const empty = await client.getCustomerBalance(customer.id);
      expect(empty.balance.currency.filter((e) => e.amount !== 0)).toEqual([]);

      const credited = await client.creditCustomerBalance(customer.id, { amount: 10, amount_units: 'USD', is_currency: true });
      expect(credited.balance.currency).toContainEqual(expect.objectContaining({ amount: 10, amount_units: 'USD', is_currency: true }));
      await client.creditCustomerBalance(customer.id, { amount: 5.5, amount_units: 'USD', is_currency: true });

      const balance = await client.getCustomerBalance(customer.id);
      expect(balance.customer).toMatchObject({ id: customer.id });
      expect(balance.balance.currency).toContainEqual(expect.objectContaining({ amount: 15.5, amount_units: 'USD', is_currency: true }));
    });

    it('keeps non-currency credit (points) apart from money', async () => {
      const customer = await create('points');
      await client.creditCustomerBalance(customer.id, { amount: 3, amount_units: 'USD', is_currency: true });
      const balance = await client.creditCustomerBalance(customer.id, { amount: 7, amount_units: 'points', is_currency: false });
      expect(balance.balance.currency).toContainEqual(expect.objectContaining({ amount: 3, amount_units: 'USD', is_currency: true }));
      expect(balance.balance.currency).toContainEqual(expect.objectContaining({ amount: 7, amount_units: 'points', is_currency: false }));
    });

    it('refuses a purchase by an unknown customer', async () => {
      const error = await failure(
        client.createTransaction({ key: uniqueKey('tx'), amount: 10, action: 'sale', customer: { key: uniqueKey('nobody') } }),
        track,
      );
      expect(error.kind).toBe('http');
      expect([404, 422]).toContain(error.status);
    });

    it('records a purchase by a customer', async () => {
      const customer = await create('buyer');
      const key = uniqueKey('tx');
      const tx = await client.createTransaction({ key, amount: 25, amount_units: 'USD', action: 'sale', customer: { key: customer.id } });
      expect(tx).toMatchObject({ key, amount: 25 });
    });

    localOnly('rewards the referrer of a buyer by REWARD_RULE and lists the purchase (local only: the rule is ours)', async () => {
      const referrer = await create('earner');
      const buyer = await create('referredbuyer', { referring_customer: { key: referrer.id } });
      const loner = await create('loner');
      const key = uniqueKey('tx');
      const tx = await client.createTransaction({ key, amount: 200, amount_units: 'USD', action: 'sale', customer: { key: buyer.id } });

      const expected = expectedReward(env.REWARD_RULE, 200);
      expect(tx).toMatchObject({ key, amount: 200, amount_units: 'USD', action: 'sale', customer: { id: buyer.id }, referring_customer: { id: referrer.id } });
      expect(tx.reward).toMatchObject({ amount: expected, amount_units: 'USD', is_currency: true });

      const listed = await client.getCustomerTransactions(referrer.id);
      expect(listed.data.map((t) => t.key)).toEqual([key]);
      expect(listed.meta.total).toBe(1);
      const balance = await client.getCustomerBalance(referrer.id);
      expect(balance.balance.currency).toContainEqual(expect.objectContaining({ amount: expected, amount_units: 'USD' }));

      const unreferred = await client.createTransaction({ key: uniqueKey('tx'), amount: 50, action: 'sale', customer: { key: loner.id } });
      expect(unreferred.reward).toBeNull();
      expect(unreferred.referring_customer).toBeNull();
      expect((await client.getCustomerTransactions(loner.id)).data).toEqual([]);
    });

    localOnly('answers a repeated transaction key with the first transaction, rewarding once (local only)', async () => {
      const referrer = await create('dupearner');
      const buyer = await create('dupbuyer', { referring_customer: { key: referrer.id } });
      const key = uniqueKey('tx');
      const first = await client.createTransaction({ key, amount: 100, amount_units: 'USD', action: 'sale', customer: { key: buyer.id } });
      const again = await client.createTransaction({ key, amount: 100, amount_units: 'USD', action: 'sale', customer: { key: buyer.id } });
      expect(again).toEqual(first);
      const balance = await client.getCustomerBalance(referrer.id);
      expect(balance.balance.currency).toEqual([expect.objectContaining({ amount: expectedReward(env.REWARD_RULE, 100), amount_units: 'USD' })]);
    });
  });
}

/** The referrer's reward for a purchase of `amount` under a wrangler REWARD_RULE ("percent:N" or "fixed:N"). */
function expectedReward(rule: string | undefined, amount: number): number {
  const [kind, value] = (rule ?? '').split(':');
  const n = Number(value);
  if (kind === 'fixed') return n;
  if (kind === 'percent') return Math.round(amount * n) / 100;
  throw new Error(`the contract suite does not know REWARD_RULE ${JSON.stringify(rule)}`);
}

const local = localTarget();
describe(`customers API contract: ${local.name}`, () => {
  defineContract(local);
});

const remoteUrl = env.CONTRACT_PARTNERO_API_URL?.trim() ?? '';
const remoteKey = env.CONTRACT_PARTNERO_API_KEY?.trim() ?? '';
if (remoteUrl && remoteKey) {
  describe(`customers API contract: real Partnero account (${remoteUrl})`, { timeout: 60_000 }, () => {
    defineContract(remoteTarget(remoteUrl, remoteKey));
  });
} else {
  const reason = 'skipped: set PARTNERO_API_URL and PARTNERO_API_KEY to run the contract suite against a real Partnero account';
  console.log(`customers API contract (real Partnero account) ${reason}`);
  describe.skip(`customers API contract: real Partnero account (${reason})`, () => {
    it('runs the same cases as the local API', () => undefined);
  });
}

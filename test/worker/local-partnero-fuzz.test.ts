import fc from 'fast-check';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCustomer, snapshot, type LocalCustomer } from './helpers/local-api';

/** Field names the endpoints know, so generated bodies often get past the first check. */
const FIELDS = [
  'key', 'id', 'email', 'name', 'surname', 'metadata', 'date_of_birth', 'referring_customer', 'update',
  'amount', 'amount_units', 'is_currency', 'action', 'customer', 'url', 'personalization', '__proto__', 'constructor',
  'rewardable', 'product_id', 'created_at', 'default', 'is_additional', 'isAdditional', 'direct_tracking', 'domain_id',
  'events', 'is_active', 'limit', 'page', 'sort',
];

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  jsonValue,
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(jsonValue, fc.dictionary(fc.constantFrom(...FIELDS), jsonValue)), { maxKeys: 6 }),
);
const rawBody = fc.oneof(fc.string({ maxLength: 80 }), body.map((b) => JSON.stringify(b) ?? ''));

const OK_STATUSES = [200, 400, 404, 405, 413, 422];

let customer: LocalCustomer;
let linkId: string;
let webhookKey: string;
let transactionKey: string;
beforeAll(async () => {
  const referrer = await createCustomer();
  customer = await createCustomer({ referring_customer: { key: referrer.key } });
  linkId = (await call('POST', '/v1/customer_referral_links', { customer: { id: customer.id } })).body.data.id;
  // Inactive: fuzzed events must not be delivered anywhere.
  webhookKey = (await call('POST', '/v1/webhooks', { url: 'https://receiver.example/fuzz', events: ['customer.created'], is_active: false })).body.data.key;
  transactionKey = `fuzz-${crypto.randomUUID()}`;
  await call('POST', '/v1/transactions', { key: transactionKey, amount: 1, customer: { key: customer.key } });
});

afterAll(async () => {
  // A fuzzed body may have created an active webhook: nothing must be delivered after the run.
  await env.LOCAL_DB!.prepare('UPDATE webhooks SET is_active = 0').run();
});

/** Every endpoint that reads a body; `:id` is the fuzzed customer, filled in at run time. */
const WRITES: Array<[string, string]> = [
  ['POST', '/v1/customers'],
  ['PUT', '/v1/customers'],
  ['PUT', '/v1/customers/:id'],
  ['POST', '/v1/customers/:id/balance/credit'],
  ['POST', '/v1/customers:invite'],
  ['POST', '/v1/transactions'],
  ['POST', '/v1/transactions/:tx/archive'],
  ['POST', '/v1/clicks'],
  ['POST', '/v1/customer_referral_links'],
  ['PUT', '/v1/customer_referral_links/:link'],
  ['POST', '/v1/webhooks'],
  ['PUT', '/v1/webhooks/:hook'],
  ['GET', '/v1/customers'],
  ['GET', '/v1/transactions'],
];
const withId = (path: string) =>
  path.replace(':id', customer.id).replace(':link', linkId).replace(':hook', webhookKey).replace(':tx', encodeURIComponent(transactionKey));

/** Values near the edges of what the schemas accept. */
const edgy = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 1e-5, 1e9, 1e9 + 1, 1e308, '10', '', ' ', null, true, 'USD', 'usd', 'points', '1990-02-29', '2000-02-29'),
  fc.string({ maxLength: 20 }),
);

describe('fuzzed input never gives a 500 and a refused request changes nothing', () => {
  it.each(WRITES)('%s %s with generated JSON bodies', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (raw) => {
        const before = await snapshot();
        const res = await call(method, withId(path), undefined, { raw });
        expect(OK_STATUSES, `${raw} -> ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
        if (res.status !== 200) {
          expect(typeof res.body.message).toBe('string');
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('near-valid credits, purchases and customers', async () => {
    const cases = fc.oneof(
      fc.record({ amount: edgy, amount_units: edgy, is_currency: edgy }, { requiredKeys: [] }).map((b) => ['POST', withId('/v1/customers/:id/balance/credit'), b] as const),
      fc
        .record({ key: fc.oneof(fc.uuid(), edgy), amount: edgy, amount_units: edgy, action: edgy }, { requiredKeys: [] })
        .map((b) => ['POST', '/v1/transactions', { ...b, customer: { key: customer.key } }] as const),
      fc
        .record({ email: edgy, name: edgy, metadata: fc.record({ date_of_birth: edgy }), key: edgy }, { requiredKeys: [] })
        .map((b) => ['POST', '/v1/customers', { ...b, referring_customer: { key: customer.key } }] as const),
      fc
        .record({ email: edgy, name: edgy, surname: edgy, key: edgy, metadata: fc.record({ date_of_birth: edgy }) }, { requiredKeys: [] })
        .map((u) => ['PUT', withId('/v1/customers/:id'), { update: u }] as const),
      fc
        .record({ email: edgy, name: edgy, surname: edgy, metadata: fc.record({ date_of_birth: edgy }) }, { requiredKeys: [] })
        .map((u) => ['PUT', withId('/v1/customers/:id'), u] as const),
      fc
        .record({ key: fc.oneof(fc.uuid(), edgy), amount: edgy, rewardable: edgy, created_at: edgy, customer: fc.record({ email: edgy }, { requiredKeys: [] }) }, { requiredKeys: [] })
        .map((b) => ['POST', '/v1/transactions', b] as const),
      fc
        .record({ key: edgy, url: edgy, default: edgy, isAdditional: edgy, domain_id: edgy }, { requiredKeys: [] })
        .map((b) => ['POST', '/v1/customer_referral_links', { ...b, customer: { key: customer.key } }] as const),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([method, path, payload]) => {
        const before = await snapshot();
        const res = await call(method, path, payload);
        expect([200, 404, 422], `${JSON.stringify(payload)} -> ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
        if (res.status !== 200) expect(await snapshot()).toBe(before);
        // Keep the fuzzed customer's key stable for the next runs.
        if (res.status === 200 && method === 'PUT') {
          const back = await call('PUT', `/v1/customers/${res.body.data.id}`, { update: { key: customer.key } });
          if (back.status === 200) customer = back.body.data;
        }
      }),
      { numRuns: 80 },
    );
  });

  it('query strings on the list, search, referrals and transactions endpoints', async () => {
    const paths = ['/v1/customers', '/v1/customers:search', `/v1/customers/${customer.id}/referrals`, `/v1/customers/${customer.id}/transactions`];
    const param = fc.tuple(
      fc.oneof(fc.constantFrom('limit', 'page', 'refer_status', 'key', 'id', 'email'), fc.string({ maxLength: 8 })),
      fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('0', '250', '251', '1e3', '-0', ' 1', 'referred')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.array(param, { maxLength: 4 }), async (path, params) => {
        const before = await snapshot();
        const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await call('GET', `${path}?${query}`);
        expect([200, 422], `${path}?${query} -> ${res.status}`).toContain(res.status);
        if (res.status === 200) expect(res.body.status).toBe(1);
        else expect(res.body.errors).toBeTypeOf('object');
        expect(await snapshot()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it('arbitrary path identifiers', async () => {
    const suffixes = ['', '/stats', '/referrals', '/transactions', '/balance', '/archive', '/balance/credit'];
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(...suffixes), async (id, suffix) => {
        const method = suffix === '/archive' || suffix === '/balance/credit' ? 'POST' : 'GET';
        const res = await call(method, `/v1/customers/${encodeURIComponent(id)}${suffix}`, method === 'POST' ? {} : undefined);
        expect([200, 404, 405, 422], `${id}${suffix} -> ${res.status}`).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

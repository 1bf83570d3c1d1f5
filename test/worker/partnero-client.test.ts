import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { localPartnero } from '../../worker/dev/local-partnero/app';
import { createPartneroClient, type TransportTuning } from '../../worker/partnero/client';
import { backoffMs, isRetryable, parseRetryAfter } from '../../worker/partnero/retry';
import { PartneroError, type PartneroClient, type PartneroClientOptions } from '../../worker/partnero/types';

const BASE = 'https://partnero.test/v1';

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Reply = Response | Error | ((request: Request) => Response | Promise<Response>);

/** A fetcher that records every request and answers with the given replies in order (the last repeats). */
function fakeFetch(...replies: Reply[]) {
  const seen: Seen[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const text = await request.text();
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error('no reply configured');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(request);
    return reply.clone();
  };
  return { fetch, seen };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const CUSTOMER = {
  id: 'alice',
  email: 'alice@example.com',
  name: 'Alice',
  surname: 'Brown',
  status: 'active',
  approved: true,
  referring_customer: null,
  referrals_count: 0,
  metadata: { date_of_birth: null },
  referral_link: 'https://example.com/?ref=alice',
  referral_links: ['https://example.com/?ref=alice'],
  custom_fields: {},
  created_at: '2025-05-09T17:42:13.000000Z',
  updated_at: '2025-05-09T17:42:13.000000Z',
};
const PAGE = {
  data: [CUSTOMER],
  links: { first: `${BASE}/customers?page=1`, last: `${BASE}/customers?page=1`, prev: null, next: null },
  meta: { current_page: 1, from: 1, last_page: 1, per_page: 15, to: 1, total: 1, path: `${BASE}/customers` },
  status: 1,
};
const BALANCE = { customer: { id: 'alice', key: 'alice' }, balance: { currency: [{ amount: 10, amount_units: 'USD', is_currency: true }] } };
const TRANSACTION = {
  key: 'tx1',
  amount: 100,
  amount_units: 'USD',
  action: 'sale',
  customer: { id: 'bob', key: 'bob' },
  referring_customer: { id: 'alice', key: 'alice' },
  reward: { amount: 10, amount_units: 'USD', is_currency: true },
  created_at: '2025-05-09T17:42:13.000000Z',
};

const LINK = { id: 'rl_1', key: 'alice', url: 'https://example.com/?ref=alice', default: true, is_additional: false, direct_tracking: false };
const WEBHOOK = {
  key: 'wh_1',
  name: 'n8n',
  url: 'https://n8n.example/w',
  events: ['transaction.created'],
  is_active: true,
  signature: 'secret',
  created_at: '2025-05-09T17:42:13.000000Z',
  updated_at: '2025-05-09T17:42:13.000000Z',
};

/** Fast tuning: no real waiting, and every requested wait is recorded. */
function client(fetch: PartneroClientOptions['fetch'], extra: Partial<PartneroClientOptions & TransportTuning> = {}) {
  const waits: number[] = [];
  const timings: { method: string; path: string; status: number }[] = [];
  const c = createPartneroClient({
    baseUrl: `${BASE}/`,
    apiKey: 'secret-key',
    fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onTiming: ({ method, path, status }) => timings.push({ method, path, status }),
    ...extra,
  });
  return { c, waits, timings };
}

async function rejection(promise: Promise<unknown>): Promise<PartneroError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PartneroError);
    return error as PartneroError;
  }
  throw new Error('expected a rejection');
}

describe('each endpoint sends the documented request', () => {
  const cases: {
    name: string;
    reply: unknown;
    call: (c: PartneroClient) => Promise<unknown>;
    method: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
  }[] = [
    {
      name: 'createCustomer',
      reply: { data: CUSTOMER, status: 1 },
      call: (c) => c.createCustomer({ key: 'alice', email: 'alice@example.com', referring_customer: { key: 'zed' } }),
      method: 'POST',
      path: '/v1/customers',
      body: { key: 'alice', email: 'alice@example.com', referring_customer: { key: 'zed' } },
    },
    {
      name: 'listCustomers',
      reply: PAGE,
      call: (c) => c.listCustomers({ limit: 5, page: 2, refer_status: 'referred' }),
      method: 'GET',
      path: '/v1/customers',
      query: { limit: '5', page: '2', refer_status: 'referred' },
    },
    { name: 'listCustomers (no query)', reply: PAGE, call: (c) => c.listCustomers(), method: 'GET', path: '/v1/customers', query: {} },
    { name: 'getCustomer', reply: { data: CUSTOMER, status: 1 }, call: (c) => c.getCustomer('alice'), method: 'GET', path: '/v1/customers/alice' },
    {
      name: 'updateCustomer (path style)',
      reply: { data: CUSTOMER, status: 1 },
      call: (c) => c.updateCustomer('alice', { name: 'Amanda', key: 'amanda' }),
      method: 'PUT',
      path: '/v1/customers/alice',
      body: { update: { name: 'Amanda', key: 'amanda' } },
    },
    {
      name: 'updateCustomer (PHP SDK body style)',
      reply: { data: CUSTOMER, status: 1 },
      call: (c) => c.updateCustomer('alice', { name: 'Amanda' }, { style: 'body' }),
      method: 'PUT',
      path: '/v1/customers',
      body: { id: 'alice', update: { name: 'Amanda' } },
    },
    { name: 'deleteCustomer', reply: null, call: (c) => c.deleteCustomer('alice'), method: 'DELETE', path: '/v1/customers/alice' },
    {
      name: 'archiveCustomer',
      reply: { data: { ...CUSTOMER, status: 'deleted' }, status: 1 },
      call: (c) => c.archiveCustomer('alice'),
      method: 'POST',
      path: '/v1/customers/alice/archive',
    },
    {
      name: 'restoreCustomer',
      reply: { data: CUSTOMER, status: 1 },
      call: (c) => c.restoreCustomer('alice'),
      method: 'POST',
      path: '/v1/customers/alice/revoke-archive',
    },
    {
      name: 'inviteCustomer',
      reply: { data: { email: 'jane@example.com', name: 'Jane', personalization: {}, created_at: 'x' }, status: 1 },
      call: (c) => c.inviteCustomer({ email: 'jane@example.com', name: 'Jane' }),
      method: 'POST',
      path: '/v1/customers:invite',
      body: { email: 'jane@example.com', name: 'Jane' },
    },
    {
      name: 'searchCustomers',
      reply: { data: [CUSTOMER], status: 1 },
      call: (c) => c.searchCustomers({ email: 'alice@example.com' }),
      method: 'GET',
      path: '/v1/customers:search',
      query: { email: 'alice@example.com' },
    },
    {
      name: 'getCustomerStats',
      reply: { data: { customer: { id: 'alice' }, clicks_count: 3, referrals_count: 1 }, status: 1 },
      call: (c) => c.getCustomerStats('alice'),
      method: 'GET',
      path: '/v1/customers/alice/stats',
    },
    {
      name: 'getCustomerReferrals',
      reply: PAGE,
      call: (c) => c.getCustomerReferrals('alice', { limit: 250 }),
      method: 'GET',
      path: '/v1/customers/alice/referrals',
      query: { limit: '250' },
    },
    {
      name: 'getCustomerTransactions',
      reply: { ...PAGE, data: [TRANSACTION] },
      call: (c) => c.getCustomerTransactions('alice', { page: 3 }),
      method: 'GET',
      path: '/v1/customers/alice/transactions',
      query: { page: '3' },
    },
    {
      name: 'getCustomerBalance',
      reply: { data: BALANCE, status: 1 },
      call: (c) => c.getCustomerBalance('alice'),
      method: 'GET',
      path: '/v1/customers/alice/balance',
    },
    {
      name: 'creditCustomerBalance',
      reply: { data: BALANCE, status: 1 },
      call: (c) => c.creditCustomerBalance('alice', { amount: 10, amount_units: 'USD', is_currency: true }),
      method: 'POST',
      path: '/v1/customers/alice/balance/credit',
      body: { amount: 10, amount_units: 'USD', is_currency: true },
    },
    {
      name: 'createTransaction',
      reply: { data: TRANSACTION, status: 1 },
      call: (c) => c.createTransaction({ key: 'tx1', amount: 100, action: 'sale', customer: { key: 'bob' } }),
      method: 'POST',
      path: '/v1/transactions',
      body: { key: 'tx1', amount: 100, action: 'sale', customer: { key: 'bob' } },
    },
    {
      name: 'recordClick',
      reply: { data: { customer: { id: 'alice' }, clicks_count: 4 }, status: 1 },
      call: (c) => c.recordClick({ key: 'alice', url: 'https://example.com/' }),
      method: 'POST',
      path: '/v1/clicks',
      body: { key: 'alice', url: 'https://example.com/' },
    },
    {
      name: 'updateCustomer (flat style, as the n8n node and the Python SDK send it)',
      reply: { data: CUSTOMER, status: 1 },
      call: (c) => c.updateCustomer('alice', { name: 'Nadia' }, { style: 'flat' }),
      method: 'PUT',
      path: '/v1/customers/alice',
      body: { name: 'Nadia' },
    },
    {
      name: 'listCustomers (sort)',
      reply: PAGE,
      call: (c) => c.listCustomers({ sort: 'asc' }),
      method: 'GET',
      path: '/v1/customers',
      query: { sort: 'asc' },
    },
    {
      name: 'createTransaction (no action, buyer by email, not rewardable)',
      reply: { data: TRANSACTION, status: 1 },
      call: (c) => c.createTransaction({ key: 'tx1', amount: 5, customer: { email: 'bob@example.com' }, rewardable: false }),
      method: 'POST',
      path: '/v1/transactions',
      body: { key: 'tx1', amount: 5, customer: { email: 'bob@example.com' }, rewardable: false },
    },
    {
      name: 'listTransactions',
      reply: { ...PAGE, data: [TRANSACTION] },
      call: (c) => c.listTransactions({ limit: 10, key: 'tx1', customer: 'bob', referring_customer: 'alice', status: 'archived', sort: 'asc' }),
      method: 'GET',
      path: '/v1/transactions',
      query: { limit: '10', key: 'tx1', customer: 'bob', referring_customer: 'alice', status: 'archived', sort: 'asc' },
    },
    { name: 'getTransaction', reply: { data: TRANSACTION, status: 1 }, call: (c) => c.getTransaction('tx/1'), method: 'GET', path: '/v1/transactions/tx%2F1' },
    { name: 'archiveTransaction', reply: { data: TRANSACTION, status: 1 }, call: (c) => c.archiveTransaction('tx1'), method: 'POST', path: '/v1/transactions/tx1/archive' },
    {
      name: 'restoreTransaction',
      reply: { data: TRANSACTION, status: 1 },
      call: (c) => c.restoreTransaction('tx1'),
      method: 'POST',
      path: '/v1/transactions/tx1/revoke-archive',
    },
    { name: 'deleteTransaction', reply: null, call: (c) => c.deleteTransaction('tx1'), method: 'DELETE', path: '/v1/transactions/tx1' },
    {
      name: 'getCustomerReferralLinks',
      reply: { ...PAGE, data: [LINK] },
      call: (c) => c.getCustomerReferralLinks('alice', { limit: 10 }),
      method: 'GET',
      path: '/v1/customers/alice/referral_links',
      query: { limit: '10' },
    },
    {
      name: 'createReferralLink',
      reply: { data: LINK, status: 1 },
      call: (c) => c.createReferralLink({ customer: { key: 'alice' }, key: 'alice-spring', default: true }),
      method: 'POST',
      path: '/v1/customer_referral_links',
      body: { customer: { key: 'alice' }, key: 'alice-spring', default: true },
    },
    { name: 'getReferralLink', reply: { data: LINK, status: 1 }, call: (c) => c.getReferralLink('rl_1'), method: 'GET', path: '/v1/customer_referral_links/rl_1' },
    {
      name: 'updateReferralLink (only the fields given)',
      reply: { data: LINK, status: 1 },
      call: (c) => c.updateReferralLink('rl_1', { key: 'alice-summer', url: undefined }),
      method: 'PUT',
      path: '/v1/customer_referral_links/rl_1',
      body: { key: 'alice-summer' },
    },
    { name: 'deleteReferralLink', reply: null, call: (c) => c.deleteReferralLink('rl_1'), method: 'DELETE', path: '/v1/customer_referral_links/rl_1' },
    {
      name: 'searchReferralLinks',
      reply: { data: [LINK], status: 1 },
      call: (c) => c.searchReferralLinks({ key: 'alice' }),
      method: 'GET',
      path: '/v1/customer_referral_links:search',
      query: { key: 'alice' },
    },
    {
      name: 'createWebhook',
      reply: { data: WEBHOOK, status: 1 },
      call: (c) => c.createWebhook({ name: 'n8n', url: 'https://n8n.example/w', events: ['transaction.created'], is_active: true }),
      method: 'POST',
      path: '/v1/webhooks',
      body: { name: 'n8n', url: 'https://n8n.example/w', events: ['transaction.created'], is_active: true },
    },
    { name: 'listWebhooks', reply: { ...PAGE, data: [WEBHOOK] }, call: (c) => c.listWebhooks({ page: 2 }), method: 'GET', path: '/v1/webhooks', query: { page: '2' } },
    { name: 'getWebhook', reply: { data: WEBHOOK, status: 1 }, call: (c) => c.getWebhook('wh_1'), method: 'GET', path: '/v1/webhooks/wh_1' },
    {
      name: 'updateWebhook',
      reply: { data: WEBHOOK, status: 1 },
      call: (c) => c.updateWebhook('wh_1', { is_active: false }),
      method: 'PUT',
      path: '/v1/webhooks/wh_1',
      body: { is_active: false },
    },
    { name: 'deleteWebhook', reply: null, call: (c) => c.deleteWebhook('wh_1'), method: 'DELETE', path: '/v1/webhooks/wh_1' },
    {
      name: 'listWebhookDeliveries',
      reply: { ...PAGE, data: [{ id: 'wd_1', event: 'customer.created', status: 'delivered', attempts: 1 }] },
      call: (c) => c.listWebhookDeliveries('wh_1'),
      method: 'GET',
      path: '/v1/webhooks/wh_1/deliveries',
      query: {},
    },
    { name: 'testConnection', reply: { data: { message: 'ok' }, status: 1 }, call: (c) => c.testConnection(), method: 'GET', path: '/v1/test' },
  ];

  for (const t of cases) {
    it(t.name, async () => {
      const f = fakeFetch(t.reply === null ? new Response(null, { status: 204 }) : json(t.reply));
      const { c } = client(f.fetch);
      await t.call(c);
      expect(f.seen).toHaveLength(1);
      const [req] = f.seen;
      expect(req?.method).toBe(t.method);
      expect(req?.url.origin).toBe('https://partnero.test');
      expect(req?.url.pathname).toBe(t.path);
      if (t.query) {
        const query: Record<string, string> = {};
        req?.url.searchParams.forEach((value, name) => {
          query[name] = value;
        });
        expect(query).toEqual(t.query);
      }
      expect(req?.headers.get('authorization')).toBe('Bearer secret-key');
      expect(req?.headers.get('accept')).toBe('application/json');
      expect(req?.body).toEqual(t.body);
      expect(req?.headers.get('content-type')).toBe(t.body === undefined ? null : 'application/json');
    });
  }
});

describe('answers', () => {
  it('unwraps data and keeps unknown fields at every level', async () => {
    const f = fakeFetch(json({ data: { ...CUSTOMER, tier: 'gold', metadata: { date_of_birth: null, team: 'x' } }, status: 1 }));
    const customer = await client(f.fetch).c.getCustomer('alice');
    expect(customer).toEqual({ ...CUSTOMER, tier: 'gold', metadata: { date_of_birth: null, team: 'x' } });
  });

  it('tolerates missing optional fields with neutral defaults', async () => {
    const f = fakeFetch(json({ data: { id: 7, referral_link: 'https://x/?ref=7' }, status: 1 }));
    const customer = await client(f.fetch).c.getCustomer('7');
    expect(customer).toMatchObject({
      id: '7',
      email: null,
      status: 'active',
      referrals_count: 0,
      referring_customer: null,
      referral_links: ['https://x/?ref=7'],
      metadata: { date_of_birth: null },
      custom_fields: {},
    });
  });

  it('fills pagination links and meta when a list omits them', async () => {
    const f = fakeFetch(json({ data: [CUSTOMER, { ...CUSTOMER, id: 'b' }], status: 1 }));
    const page = await client(f.fetch).c.listCustomers();
    expect(page.data.map((c) => c.id)).toEqual(['alice', 'b']);
    expect(page.links).toEqual({ first: null, last: null, prev: null, next: null });
    expect(page.meta).toMatchObject({ current_page: 1, last_page: 1, total: 2 });
  });

  it('reads search answers given as a list, a single customer or null', async () => {
    for (const [data, ids] of [
      [[CUSTOMER], ['alice']],
      [CUSTOMER, ['alice']],
      [null, []],
    ] as const) {
      const f = fakeFetch(json({ data, status: 1 }));
      const found = await client(f.fetch).c.searchCustomers({ key: 'alice' });
      expect(found.map((c) => c.id)).toEqual(ids);
    }
  });

  it('resolves delete on 200 with a body, 200 without, and 204', async () => {
    for (const reply of [json({ data: null, status: 1 }), new Response('', { status: 200 }), new Response(null, { status: 204 })]) {
      const f = fakeFetch(reply);
      await expect(client(f.fetch).c.deleteCustomer('alice')).resolves.toBeUndefined();
    }
  });

  it('surfaces 422 with message and field errors, without retrying', async () => {
    const f = fakeFetch(json({ message: 'The email must be valid.', errors: { email: ['The email must be valid.'], junk: 5 } }, 422));
    const error = await rejection(client(f.fetch).c.createCustomer({ email: 'nope' }));
    expect(error).toMatchObject({ kind: 'http', status: 422, message: 'The email must be valid.', errors: { email: ['The email must be valid.'] } });
    expect(f.seen).toHaveLength(1);
  });

  it('surfaces 401 and 404 with Partnero’s message', async () => {
    const f = fakeFetch(json({ message: 'Unauthenticated.' }, 401));
    expect(await rejection(client(f.fetch).c.getCustomer('a'))).toMatchObject({ kind: 'http', status: 401, message: 'Unauthenticated.' });
    const g = fakeFetch(new Response('<html>gone</html>', { status: 404 }));
    expect(await rejection(client(g.fetch).c.getCustomer('a'))).toMatchObject({ kind: 'http', status: 404, errors: undefined });
  });

  it('rejects a 2xx whose body is not JSON as invalid_response', async () => {
    const f = fakeFetch(new Response('<html>ok</html>', { status: 200 }));
    expect(await rejection(client(f.fetch).c.getCustomer('a'))).toMatchObject({ kind: 'invalid_response', status: 200 });
  });

  it('rejects an envelope without data, and a customer without id, as invalid_response', async () => {
    const f = fakeFetch(json({ status: 1 }, 201));
    expect(await rejection(client(f.fetch).c.createCustomer({}))).toMatchObject({ kind: 'invalid_response', status: 201 });
    const g = fakeFetch(json({ data: { email: 'a@b.c' }, status: 1 }));
    expect(await rejection(client(g.fetch).c.getCustomer('a'))).toMatchObject({ kind: 'invalid_response' });
    const h = fakeFetch(json({ data: { not: 'a list' }, status: 1 }));
    expect(await rejection(client(h.fetch).c.listCustomers())).toMatchObject({ kind: 'invalid_response' });
  });

  it('encodes ids as one path segment', async () => {
    const f = fakeFetch(json({ data: CUSTOMER, status: 1 }));
    await client(f.fetch).c.getCustomer('a/b?c#d e%');
    expect(f.seen[0]?.url.pathname).toBe('/v1/customers/a%2Fb%3Fc%23d%20e%25');
  });

  it('refuses ids that cannot be a path segment without sending anything', async () => {
    const f = fakeFetch(json({ data: CUSTOMER, status: 1 }));
    for (const id of ['', '.', '..']) {
      expect(await rejection(client(f.fetch).c.getCustomer(id))).toMatchObject({ kind: 'http', status: 404 });
    }
    expect(f.seen).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a GET after 503 and then succeeds', async () => {
    const f = fakeFetch(json({ message: 'down' }, 503), json({ data: CUSTOMER, status: 1 }));
    const { c, timings } = client(f.fetch);
    await expect(c.getCustomer('alice')).resolves.toMatchObject({ id: 'alice' });
    expect(f.seen).toHaveLength(2);
    expect(timings).toEqual([
      { method: 'GET', path: '/customers/alice', status: 503 },
      { method: 'GET', path: '/customers/alice', status: 200 },
    ]);
  });

  it('retries a GET after a network error and after a timeout', async () => {
    const f = fakeFetch(new TypeError('connection reset'), () => new Promise<Response>(() => undefined), json({ data: CUSTOMER, status: 1 }));
    const { c, timings } = client(f.fetch, { timeoutMs: 20 });
    await expect(c.getCustomer('alice')).resolves.toMatchObject({ id: 'alice' });
    expect(timings.map((t) => t.status)).toEqual([0, 0, 200]);
  });

  it('never retries a POST after 500, 502, a network error or a timeout', async () => {
    for (const reply of [json({ message: 'boom' }, 500), json({}, 502), new TypeError('reset'), () => new Promise<Response>(() => undefined)]) {
      const f = fakeFetch(reply, json({ data: CUSTOMER, status: 1 }));
      await rejection(client(f.fetch, { timeoutMs: 20 }).c.createCustomer({ key: 'x' }));
      expect(f.seen).toHaveLength(1);
    }
  });

  it('retries a POST after 429 with Retry-After: 0 and after 503', async () => {
    const f = fakeFetch(json({ message: 'slow down' }, 429, { 'Retry-After': '0' }), json({}, 503), json({ data: CUSTOMER, status: 1 }, 201));
    const { c, waits } = client(f.fetch);
    await expect(c.createCustomer({ key: 'alice' })).resolves.toMatchObject({ id: 'alice' });
    expect(f.seen).toHaveLength(3);
    expect(waits[0]).toBe(0);
  });

  it('waits what Retry-After asks (seconds or HTTP date) when within the cap', async () => {
    const f = fakeFetch(json({}, 429, { 'Retry-After': '1' }), json({ data: CUSTOMER, status: 1 }));
    const { c, waits } = client(f.fetch);
    await c.getCustomer('alice');
    expect(waits).toEqual([1000]);

    const date = new Date(Date.now() + 60_000).toUTCString();
    const g = fakeFetch(json({}, 503, { 'Retry-After': date }), json({ data: CUSTOMER, status: 1 }));
    const second = client(g.fetch, { maxRetryAfterMs: 120_000 });
    await second.c.getCustomer('alice');
    expect(second.waits).toHaveLength(1);
    expect(second.waits[0]).toBeGreaterThan(0);
    expect(second.waits[0]).toBeLessThanOrEqual(60_000);
  });

  it('surfaces a Retry-After beyond the cap at once, with retryAfter, so callers can queue', async () => {
    const f = fakeFetch(json({ message: 'Too Many Attempts.' }, 429, { 'Retry-After': '60' }), json({ data: CUSTOMER, status: 1 }));
    const error = await rejection(client(f.fetch).c.getCustomer('alice'));
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfter: 60, message: 'Too Many Attempts.' });
    expect(f.seen).toHaveLength(1);
  });

  it('backs off with jitter when no Retry-After is sent', async () => {
    const f = fakeFetch(json({}, 503), json({}, 503), json({ data: CUSTOMER, status: 1 }));
    const { c, waits } = client(f.fetch, { random: () => 0.5, backoffBaseMs: 100 });
    await c.getCustomer('alice');
    expect(waits).toEqual([50, 100]);
  });

  it('gives up after the configured number of retries with the last error', async () => {
    const f = fakeFetch(json({ message: 'still down' }, 503));
    const error = await rejection(client(f.fetch, { retries: 3 }).c.getCustomer('alice'));
    expect(error).toMatchObject({ kind: 'http', status: 503, message: 'still down' });
    expect(f.seen).toHaveLength(4);
    const g = fakeFetch(json({}, 503));
    await rejection(client(g.fetch).c.getCustomer('alice'));
    expect(g.seen).toHaveLength(3);
  });

  it('does not retry a GET on 4xx other than 408 and 429', async () => {
    for (const status of [400, 401, 403, 404, 405, 422]) {
      const f = fakeFetch(json({ message: 'no' }, status));
      await rejection(client(f.fetch).c.getCustomer('alice'));
      expect(f.seen).toHaveLength(1);
    }
  });

  it('policy: GET retryable on transient failures, other methods only on 429/503', () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect(isRetryable(method, { type: 'network' })).toBe(false);
      expect(isRetryable(method, { type: 'timeout' })).toBe(false);
      expect(isRetryable(method, { type: 'response', status: 500, retryAfterMs: undefined })).toBe(false);
      expect(isRetryable(method, { type: 'response', status: 429, retryAfterMs: undefined })).toBe(true);
      expect(isRetryable(method, { type: 'response', status: 503, retryAfterMs: undefined })).toBe(true);
    }
    expect(isRetryable('GET', { type: 'response', status: 502, retryAfterMs: undefined })).toBe(true);
    expect(isRetryable('GET', { type: 'response', status: 404, retryAfterMs: undefined })).toBe(false);
  });

  it('parses Retry-After seconds and dates, ignoring garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('keeps backoff within [0, base * 2^attempt)', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, base, r) => {
        const ms = backoffMs(n, base, () => r);
        return ms >= 0 && ms < base * 2 ** Math.min(n, 16);
      }),
    );
  });
});

describe('timeouts and aborts', () => {
  const hang = (): Promise<Response> => new Promise<Response>(() => undefined);

  it('rejects with kind timeout and status 0 when upstream never answers', async () => {
    const f = fakeFetch(hang);
    const { c, timings } = client(f.fetch, { timeoutMs: 20, retries: 0 });
    expect(await rejection(c.getCustomer('alice'))).toMatchObject({ kind: 'timeout', status: 0 });
    expect(timings).toEqual([{ method: 'GET', path: '/customers/alice', status: 0 }]);
  });

  it('lets one call override the default timeout', async () => {
    const f = fakeFetch(hang);
    const { c } = client(f.fetch, { timeoutMs: 60_000, retries: 0 });
    expect(await rejection(c.createCustomer({}, { timeoutMs: 10 }))).toMatchObject({ kind: 'timeout', status: 0 });
  });

  it('times out a body that never finishes', async () => {
    const stalled = (): Response => new Response(new ReadableStream({ start: () => undefined }), { status: 200 });
    const f = fakeFetch(stalled);
    expect(await rejection(client(f.fetch, { timeoutMs: 20, retries: 0 }).c.getCustomer('a'))).toMatchObject({ kind: 'timeout' });
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const f = fakeFetch(hang);
    const controller = new AbortController();
    const pending = client(f.fetch, { timeoutMs: 60_000 }).c.getCustomer('alice', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await rejection(pending)).toMatchObject({ kind: 'timeout', status: 0 });
    expect(f.seen).toHaveLength(1);

    const g = fakeFetch(json({ data: CUSTOMER, status: 1 }));
    const already = AbortSignal.abort();
    expect(await rejection(client(g.fetch).c.getCustomer('alice', { signal: already }))).toMatchObject({ kind: 'timeout' });
    expect(g.seen).toHaveLength(0);
  });

  it('reports a network failure as kind network, status 0', async () => {
    const f = fakeFetch(new TypeError('DNS failure'));
    expect(await rejection(client(f.fetch, { retries: 0 }).c.getCustomer('a'))).toMatchObject({ kind: 'network', status: 0 });
  });

  it('survives a throwing onTiming callback', async () => {
    const f = fakeFetch(json({ data: CUSTOMER, status: 1 }));
    const c = createPartneroClient({
      baseUrl: BASE,
      apiKey: 'k',
      fetch: f.fetch,
      onTiming: () => {
        throw new Error('metrics down');
      },
    });
    await expect(c.getCustomer('alice')).resolves.toMatchObject({ id: 'alice' });
  });
});

describe('properties', () => {
  it('sends any addressable id as exactly one path segment that decodes back to it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom('.', '/', '%', '2', 'e', '?', '#', ' ', '\\', ':', '\uD800', '\uDC00', 'é'), maxLength: 6 }),
        ),
        async (id) => {
        const f = fakeFetch((request) => json({ data: { ...CUSTOMER, id: decodeURIComponent(new URL(request.url).pathname.split('/')[4] ?? '') }, status: 1 }));
        const { c } = client(f.fetch);
        try {
          const got = await c.getCustomerStats(id);
          const segments = f.seen[0]?.url.pathname.split('/') ?? [];
          expect(segments).toHaveLength(5);
          expect(segments[4]).toBe('stats');
          expect(decodeURIComponent(segments[3] ?? '')).toBe(id);
          expect(got.customer).toEqual({ id: expect.any(String) });
        } catch (error) {
          expect(error).toBeInstanceOf(PartneroError);
          expect(error).toMatchObject({ kind: 'http', status: 404 });
          expect(f.seen).toHaveLength(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('always resolves or rejects with a PartneroError, whatever upstream answers', async () => {
    const NULL_BODY = new Set([204, 205, 304]);
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((data) => JSON.stringify({ data, status: 1 })),
      fc.jsonValue().map((data) => JSON.stringify({ data: [data], status: 1 })),
      fc.record({ message: fc.jsonValue(), errors: fc.jsonValue() }).map((b) => JSON.stringify(b)),
    );
    const calls: ((c: PartneroClient) => Promise<unknown>)[] = [
      (c) => c.getCustomer('a'),
      (c) => c.listCustomers(),
      (c) => c.searchCustomers({ key: 'a' }),
      (c) => c.getCustomerStats('a'),
      (c) => c.getCustomerBalance('a'),
      (c) => c.getCustomerTransactions('a'),
      (c) => c.createTransaction({ key: 't', amount: 1, action: 'sale', customer: { key: 'a' } }),
      (c) => c.inviteCustomer({ email: 'a@b.c' }),
      (c) => c.recordClick({ key: 'a' }),
      (c) => c.deleteCustomer('a'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        bodies,
        fc.option(fc.oneof(fc.constantFrom('0', '1', '999', 'garbage', 'Wed, 21 Oct 2015 07:28:00 GMT'), fc.string())),
        fc.nat(calls.length - 1),
        async (status, body, retryAfter, which) => {
          const headers: Record<string, string> = {};
          if (retryAfter !== null && /^[\t\x20-\x7e]*$/.test(retryAfter)) headers['Retry-After'] = retryAfter;
          const reply = (): Response => new Response(NULL_BODY.has(status) ? null : body, { status, headers });
          const f = fakeFetch(reply);
          const call = calls[which];
          if (!call) return;
          try {
            await call(client(f.fetch).c);
            expect(status).toBeGreaterThanOrEqual(200);
            expect(status).toBeLessThan(300);
          } catch (error) {
            expect(error).toBeInstanceOf(PartneroError);
            const e = error as PartneroError;
            if (status >= 300) expect(e).toMatchObject({ kind: 'http', status });
            else expect(e.kind).toBe('invalid_response');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('lenient readers of the new answers', () => {
  it('reads a referral link without an id or a key (from ?ref=), keeping unknown fields', async () => {
    const f = fakeFetch(json({ data: [{ url: 'https://x.example/?ref=k1', clicks: 3 }, { key: 'k2', id: 9, default: 1 }], status: 1 }));
    const links = await client(f.fetch).c.searchReferralLinks({ key: 'k' });
    expect(links).toEqual([
      { id: 'k1', key: 'k1', url: 'https://x.example/?ref=k1', default: false, is_additional: false, direct_tracking: false, customer: null, clicks: 3 },
      { id: '9', key: 'k2', url: '', default: true, is_additional: false, direct_tracking: false, customer: null },
    ]);
    const none = fakeFetch(json({ data: [{ url: 'https://x.example/' }], status: 1 }));
    expect((await rejection(client(none.fetch).c.searchReferralLinks({ key: 'k' }))).kind).toBe('invalid_response');
  });

  it('reads a bare transaction as an active rewarded sale when it shows a reward', async () => {
    const f = fakeFetch(json({ data: { key: 'tx', amount: '12.5', reward: { amount: 1 }, extra: true }, status: 1 }));
    expect(await client(f.fetch).c.getTransaction('tx')).toMatchObject({
      key: 'tx',
      amount: 12.5,
      action: 'sale',
      status: 'active',
      rewardable: true,
      rewarded: true,
      reward: { amount: 1, amount_units: '', is_currency: true },
      extra: true,
    });
  });

  it('reads a webhook by its key (or id), and refuses one without either', async () => {
    const f = fakeFetch(json({ data: { id: 42, url: 'https://h.example', events: ['customer.created', 7] }, status: 1 }));
    expect(await client(f.fetch).c.getWebhook('42')).toMatchObject({ key: '42', events: ['customer.created'], is_active: true, signature: '', name: null });
    const bad = fakeFetch(json({ data: { url: 'https://h.example' }, status: 1 }));
    expect((await rejection(client(bad.fetch).c.getWebhook('x'))).kind).toBe('invalid_response');
  });
});

describe('every function against the local API', () => {
  const ctx = createExecutionContext();
  const called = new Set<string>();
  const base = createPartneroClient({
    baseUrl: 'http://local-partnero.internal/v1',
    apiKey: env.LOCAL_API_KEY ?? '',
    fetch: async (request) => localPartnero.fetch(request, env, ctx),
  });
  /** The client, noting which functions the tests below call. */
  const local = new Proxy(base, {
    get(target, prop, receiver) {
      if (typeof prop === 'string') called.add(prop);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const key = (label: string) => `cl-${label}-${crypto.randomUUID().slice(0, 8)}`;

  afterAll(() => {
    expect([...called].sort()).toEqual(Object.keys(base).sort());
  });

  it('customers: create, get by key and email, list, search, update in every style, archive, restore, delete, test', async () => {
    await local.testConnection();
    const alice = await local.createCustomer({ key: key('alice'), email: `${key('a')}@example.com`, name: 'Alice' });
    expect((await local.getCustomer(alice.email!)).id).toBe(alice.id);
    expect((await local.listCustomers({ limit: 250, sort: 'asc' })).data.map((c) => c.id)).toContain(alice.id);
    expect((await local.searchCustomers({ email: alice.email! })).map((c) => c.id)).toEqual([alice.id]);
    expect((await local.updateCustomer(alice.id, { name: 'A1' })).name).toBe('A1');
    expect((await local.updateCustomer(alice.id, { name: 'A2' }, { style: 'body' })).name).toBe('A2');
    expect((await local.updateCustomer(alice.id, { name: 'A3' }, { style: 'flat' })).name).toBe('A3');
    expect((await local.archiveCustomer(alice.id)).status).toBe('deleted');
    expect((await local.restoreCustomer(alice.id)).status).toBe('active');
    expect(await local.inviteCustomer({ email: `${key('f')}@example.com` })).toMatchObject({ name: null });
    await local.deleteCustomer(alice.id);
    expect((await rejection(local.getCustomer(alice.id))).status).toBe(404);
  });

  it('referrals, stats, balance, credit, clicks and transactions with their rewards', async () => {
    const referrer = await local.createCustomer({ key: key('ref') });
    const buyer = await local.createCustomer({ key: key('buyer'), referring_customer: { key: referrer.key as string } });
    await local.recordClick({ key: referrer.key as string });
    expect((await local.getCustomerReferrals(referrer.id)).data.map((c) => c.id)).toEqual([buyer.id]);
    expect(await local.getCustomerStats(referrer.id)).toMatchObject({ clicks_count: 1, referrals_count: 1 });
    const tx = await local.createTransaction({ key: key('tx'), amount: 30, customer: { key: buyer.key as string } });
    expect(tx).toMatchObject({ action: 'sale', status: 'active', rewarded: true, reward: { amount: 3 } });
    expect((await local.getCustomerTransactions(referrer.id)).data.map((t) => t.key)).toEqual([tx.key]);
    expect((await local.listTransactions({ referring_customer: referrer.id })).data.map((t) => t.key)).toEqual([tx.key]);
    expect((await local.getTransaction(tx.key)).key).toBe(tx.key);
    expect((await local.archiveTransaction(tx.key)).reward).toBeNull();
    expect((await local.getCustomerBalance(referrer.id)).balance.currency).toEqual([]);
    expect((await local.restoreTransaction(tx.key)).reward).toMatchObject({ amount: 3 });
    const credited = await local.creditCustomerBalance(referrer.id, { amount: 2, amount_units: 'USD', is_currency: true });
    expect(credited.balance.currency).toEqual([{ amount: 5, amount_units: 'USD', is_currency: true }]);
    await local.deleteTransaction(tx.key);
    expect((await local.getCustomerBalance(referrer.id)).balance.currency).toEqual([{ amount: 2, amount_units: 'USD', is_currency: true }]);
  });

  it('referral links: list, create, get, update, search, delete', async () => {
    const c = await local.createCustomer({ key: key('links') });
    expect((await local.getCustomerReferralLinks(c.id)).data).toEqual([expect.objectContaining({ key: c.key, default: true })]);
    const link = await local.createReferralLink({ customer: { id: c.id }, key: key('l') });
    expect((await local.getReferralLink(link.id)).key).toBe(link.key);
    const moved = await local.updateReferralLink(link.id, { default: true });
    expect(moved.default).toBe(true);
    expect((await local.getCustomer(c.id)).referral_link).toBe(moved.url);
    expect((await local.searchReferralLinks({ key: link.key })).map((l) => l.id)).toEqual([link.id]);
    const old = (await local.getCustomerReferralLinks(c.id)).data.find((l) => !l.default)!;
    await local.deleteReferralLink(old.id);
    expect((await rejection(local.getReferralLink(old.id))).status).toBe(404);
  });

  it('webhooks: create, list, get, update, deliveries, delete', async () => {
    const hook = await local.createWebhook({ name: 'client', url: 'https://hooks.example/client', events: ['customer.created'], is_active: false });
    expect(hook.signature).toMatch(/^[0-9a-f]{64}$/);
    expect((await local.listWebhooks({ limit: 250 })).data.map((w) => w.key)).toContain(hook.key);
    expect((await local.getWebhook(hook.key)).url).toBe(hook.url);
    expect((await local.updateWebhook(hook.key, { name: 'renamed' })).name).toBe('renamed');
    expect((await local.listWebhookDeliveries(hook.key)).data).toEqual([]);
    await local.deleteWebhook(hook.key);
    expect((await rejection(local.getWebhook(hook.key))).status).toBe(404);
  });
});

/**
 * The n8n community node partnero/n8n-nodes-partnero (nodes/Partnero/resources/**, the
 * PartneroTrigger node and the credential's test request), replayed against the local API:
 * every customer and transaction operation a refer-a-friend program uses, with every displayed
 * field sent (empty strings included), `extractData` reading `data`, "Return All" following
 * `links.next`, and the trigger registering, checking, verifying and removing its webhook.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebhookPayload } from '../../shared/partnero';
import { webhookSignature } from '../../worker/partnero/webhooks';
import { WEBHOOK_QUEUE } from '../../worker/dev/local-partnero/webhooks/deliver';
import { captureQueue, deliver } from '../worker/helpers/api-queue';
import { call, stubReceiver, uid } from '../worker/helpers/local-api';
import { expectReads, n8n, replay, seedReferral } from './clients';

afterEach(() => {
  vi.restoreAllMocks();
});

const seed = () => seedReferral('n8n');

describe('credentials', () => {
  it('Test: GET /test with the bearer key answers 2xx; a wrong key answers 401', async () => {
    expectReads(await replay(n8n('GET', '/test')), 200);
    const wrong = n8n('GET', '/test');
    expectReads(await replay({ ...wrong, headers: { ...wrong.headers, Authorization: 'Bearer not-the-key' } }), 401, { message: 'string' });
  });
});

describe('Customer', () => {
  it('Create (attribute to a referring customer by key): every field sent, blank ones as ""', async () => {
    const { run, referrer } = await seed();
    const res = await replay(n8n('POST', '/customers', { body: { key: `${run}-nadia`, email: '', name: 'Nadia', surname: '', referring_customer: { key: referrer.key } } }));
    expectReads(res, 200, { 'data.id': 'string', 'data.referring_customer.key': 'string' });
    expect(res.body.data).toMatchObject({ id: `${run}-nadia`, email: null, surname: null });
  });

  it('Create with the default "Partner" attribution: the affiliate field is ignored by a refer-a-friend program', async () => {
    const { run } = await seed();
    const res = await replay(n8n('POST', '/customers', { body: { key: `${run}-pat`, email: `${run}-pat@example.com`, name: '', surname: '', partner: { key: 'aff-1' } } }));
    expectReads(res, 200, { 'data.id': 'string' });
    expect(res.body.data.referring_customer).toBeNull();
  });

  it('Get by key, ID or email', async () => {
    const { referred } = await seed();
    for (const value of [referred.key, referred.id, referred.email!]) {
      const res = await replay(n8n('GET', `/customers/${encodeURIComponent(value)}`));
      expectReads(res, 200, { 'data.id': 'string' });
      expect(res.body.data.id).toBe(referred.id);
    }
  });

  it('Get Many: limit 50 and sort; Return All follows links.next (limit 100) until null', async () => {
    await seed();
    await seed();
    const first = await replay(n8n('GET', '/customers', { qs: { limit: 50, sort: 'asc' } }));
    expectReads(first, 200, { data: 'array', 'links.next': 'string|null' });
    const createdAt = first.body.data.map((c: { created_at: string }) => c.created_at);
    expect([...createdAt].sort()).toEqual(createdAt);

    // Return All, with a page small enough to need following: the next URL is absolute.
    const seen: string[] = [];
    let request = n8n('GET', '/customers', { qs: { limit: 1, sort: 'desc' } });
    for (let pages = 0; pages < 500; pages++) {
      const res = await replay(request);
      expectReads(res, 200, { data: 'array', 'links.next': 'string|null' });
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      if (!res.body.links.next) break;
      const next = new URL(res.body.links.next as string);
      request = { ...request, path: `${next.pathname}${next.search}` };
    }
    expect(seen.length).toBe(first.body.meta.total);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('Search by email, key or ID (value in the query string)', async () => {
    const { referred } = await seed();
    for (const [by, value] of [['email', referred.email!], ['key', referred.key], ['id', referred.id]] as const) {
      const res = await replay(n8n('GET', '/customers:search', { qs: { [by]: value, limit: 50 } }));
      expectReads(res, 200, { data: 'array', 'data.0.id': 'string' });
      expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([referred.id]);
    }
  });

  it('Update: PUT /customers/{id} with the fields flat, blank ones as ""', async () => {
    const { referred } = await seed();
    const res = await replay(n8n('PUT', `/customers/${referred.id}`, { body: { email: '', name: 'Nadia', surname: '' } }));
    expectReads(res, 200, { 'data.name': 'string' });
    expect(res.body.data).toMatchObject({ name: 'Nadia', email: referred.email });
  });

  it('Archive and Unarchive: POST without a body', async () => {
    const { referrer } = await seed();
    const archived = await replay(n8n('POST', `/customers/${referrer.id}/archive`));
    expectReads(archived, 200, { 'data.status': 'string' });
    expect(archived.body.data.status).toBe('deleted');
    const restored = await replay(n8n('POST', `/customers/${referrer.id}/revoke-archive`));
    expect(restored.body.data.status).toBe('active');
  });

  it('Get Transactions: the purchases the customer earned from', async () => {
    const { referrer, referred } = await seed();
    await call('POST', '/v1/transactions', { key: uid('tx'), amount: 10, customer: { key: referred.key } });
    const res = await replay(n8n('GET', `/customers/${referrer.id}/transactions`));
    expectReads(res, 200, { data: 'array', 'data.0.key': 'string', 'data.0.reward.amount': 'number' });
  });

  it('Delete', async () => {
    const { referred } = await seed();
    expectReads(await replay(n8n('DELETE', `/customers/${referred.id}`)), 200);
    expectReads(await replay(n8n('GET', `/customers/${referred.id}`)), 404, { message: 'string' });
  });
});

describe('Transaction', () => {
  it('Create by customer email, with the additional fields (blank currency and date, rewardable false)', async () => {
    const { run, referred } = await seed();
    const res = await replay(
      n8n('POST', '/transactions', {
        body: {
          customer: { email: referred.email },
          amount: 49.99,
          key: `${run}-inv-1`,
          action: 'sale',
          created_at: '',
          amount_units: '',
          discount_amount: 0,
          discount_code: '',
          gross_amount: 0,
          product_id: '',
          rewardable: false,
        },
      }),
    );
    expectReads(res, 200, { 'data.key': 'string', 'data.amount': 'number', 'data.amount_units': 'string', 'data.reward': 'null' });
    expect(res.body.data).toMatchObject({ amount_units: 'USD', rewardable: false, customer: { id: referred.id } });
  });

  it('Create with only the required fields: a rewarded sale; the same key again changes nothing', async () => {
    const { run, referred } = await seed();
    const request = n8n('POST', '/transactions', { body: { customer: { key: referred.key }, amount: 20, key: `${run}-inv-2` } });
    const first = await replay(request);
    expectReads(first, 200, { 'data.action': 'string', 'data.reward.amount': 'number' });
    expect((await replay(request)).body.data).toEqual(first.body.data);
  });

  it('Get, Get Many (key filter, sort, limit), Archive, Unarchive, Delete', async () => {
    const { run, referred, referrer } = await seed();
    const key = `${run}-inv-3`;
    await replay(n8n('POST', '/transactions', { body: { customer: { id: referred.id }, amount: 30, key } }));
    expectReads(await replay(n8n('GET', `/transactions/${key}`)), 200, { 'data.key': 'string', 'data.reward': 'object' });
    const many = await replay(n8n('GET', '/transactions', { qs: { limit: 50, sort: 'desc', key } }));
    expectReads(many, 200, { data: 'array', 'links.next': 'string|null' });
    expect(many.body.data.map((t: { key: string }) => t.key)).toEqual([key]);
    const byPartner = await replay(n8n('GET', '/transactions', { qs: { limit: 50, partner_key: referrer.key } }));
    expect(byPartner.body.data.map((t: { key: string }) => t.key)).toEqual([key]);
    expectReads(await replay(n8n('POST', `/transactions/${key}/archive`)), 200, { 'data.status': 'string' });
    expectReads(await replay(n8n('POST', `/transactions/${key}/revoke-archive`)), 200, { 'data.status': 'string' });
    expectReads(await replay(n8n('DELETE', `/transactions/${key}`)), 200);
    expectReads(await replay(n8n('GET', `/transactions/${key}`)), 404, { message: 'string' });
  });
});

describe('Partnero Trigger', () => {
  it('registers (reads data.key and data.signature), checks, receives a delivery it can verify, and removes its webhook', async () => {
    const { run, referred } = await seed();
    const created = await replay(
      n8n('POST', '/webhooks', {
        body: { name: 'n8n – Sales to CRM', url: `https://n8n.example/webhook/${run}/webhook`, events: ['transaction.created'], is_active: true },
      }),
    );
    expectReads(created, 200, { 'data.key': 'string', 'data.signature': 'string' });
    const { key, signature } = created.body.data as { key: string; signature: string };
    expectReads(await replay(n8n('GET', `/webhooks/${key}`)), 200);

    // A sale, and its delivery to the trigger's URL.
    const { queue, sent } = captureQueue();
    await call('POST', '/v1/transactions', { key: `${run}-sale`, amount: 12, customer: { key: referred.key } }, { env: { LOCAL_WEBHOOK_QUEUE: queue } });
    const received = stubReceiver();
    await deliver(WEBHOOK_QUEUE, sent);
    const delivery = received.find((r) => r.url === `https://n8n.example/webhook/${run}/webhook`);
    expect(delivery).toBeDefined();
    // What the trigger does: HMAC-SHA256 of the raw body with the stored signature, hex, compared to the header.
    expect(delivery!.headers.get('signature')).toBe(await webhookSignature(signature, delivery!.body));
    expect(delivery!.headers.get('signature')).not.toBe(await webhookSignature('another-secret', delivery!.body));
    const payload = JSON.parse(delivery!.body) as WebhookPayload;
    expect(payload).toMatchObject({ event: 'transaction.created', webhook_key: key, url: delivery!.url, data: { key: `${run}-sale` } });

    expectReads(await replay(n8n('DELETE', `/webhooks/${key}`)), 200);
    // checkExists after removal: the GET fails, so the trigger forgets the key.
    expectReads(await replay(n8n('GET', `/webhooks/${key}`)), 404, { message: 'string' });
  });

  it('an event the program does not support is refused when the workflow is activated', async () => {
    const res = await replay(n8n('POST', '/webhooks', { body: { name: 'n8n – Leads', url: 'https://n8n.example/webhook/x', events: ['lead.submitted'], is_active: true } }));
    expectReads(res, 422, { message: 'string', errors: 'object' });
  });
});

/**
 * Webhooks of the local API, delivered for real: a subscription, the events a purchase raises,
 * the queue consumer POSTing them signed to the receiver (global fetch, stubbed here), retries
 * with backoff, the dead-letter queue, and the delivery log readable through the API.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Webhook, WebhookPayload } from '../../shared/partnero';
import { MAX_DELIVERY_ATTEMPTS, WEBHOOK_DEAD_LETTER_QUEUE, WEBHOOK_QUEUE } from '../../worker/dev/local-partnero/webhooks/deliver';
import { verifyWebhookSignature, webhookSignature } from '../../worker/partnero/webhooks';
import { captureQueue, deliver } from './helpers/api-queue';
import { call, createCustomer, stubReceiver, uid } from './helpers/local-api';

// Each test starts without subscriptions: a webhook left active would also receive the events
// of later tests (through the real queue, whose consumer runs in this runtime too).
afterEach(async () => {
  vi.restoreAllMocks();
  await env.LOCAL_DB!.batch([env.LOCAL_DB!.prepare('DELETE FROM webhook_deliveries'), env.LOCAL_DB!.prepare('DELETE FROM webhooks')]);
});

const RECEIVER = 'https://receiver.example/hooks/partnero';

async function subscribe(events: string[], extra: Record<string, unknown> = {}): Promise<Webhook> {
  const res = await call('POST', '/v1/webhooks', { name: uid('hook'), url: `${RECEIVER}/${uid('w')}`, events, is_active: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Webhook;
}

/** Sends a request with a capturing webhook queue and answers the response and the queued messages. */
async function withQueue(method: string, path: string, body?: unknown) {
  const { queue, sent } = captureQueue();
  const res = await call(method, path, body, { env: { LOCAL_WEBHOOK_QUEUE: queue } });
  return { res, sent };
}

/** The deliveries recorded for `webhook`, oldest first. */
async function deliveries(webhook: Webhook) {
  const res = await call('GET', `/v1/webhooks/${webhook.key}/deliveries?sort=asc&limit=250`);
  expect(res.status).toBe(200);
  return res.body.data as Array<{ id: string; event: string; status: string; attempts: number; response_status: number | null; last_error: string | null; payload: WebhookPayload }>;
}

/** Queue messages (captured) that carry deliveries of `webhook`. */
async function messagesFor(webhook: Webhook, sent: unknown[]): Promise<unknown[]> {
  const ids = new Set((await deliveries(webhook)).map((d) => d.id));
  return sent.filter((m) => ids.has((m as { delivery_id: string }).delivery_id));
}

async function referredBuyer() {
  const referrer = await createCustomer({ email: `${uid('r')}@example.com` });
  const buyer = await createCustomer({ referring_customer: { key: referrer.key } });
  return { referrer, buyer };
}

describe('a purchase, delivered to a subscribed receiver', () => {
  it('POSTs a correctly signed transaction.created and reward.created; the wrong secret fails the check', async () => {
    const webhook = await subscribe(['transaction.created', 'reward.created']);
    const { referrer, buyer } = await referredBuyer();
    const key = uid('tx');
    const { res, sent } = await withQueue('POST', '/v1/transactions', { key, amount: 50, customer: { key: buyer.key } });
    expect(res.status).toBe(200);

    const mine = await messagesFor(webhook, sent);
    expect(mine).toHaveLength(2);
    const received = stubReceiver();
    const outcome = await deliver(WEBHOOK_QUEUE, mine);
    expect(outcome.acked).toHaveLength(2);
    expect(outcome.retried).toEqual([]);

    expect(received.map((r) => [r.method, r.url])).toEqual([
      ['POST', webhook.url],
      ['POST', webhook.url],
    ]);
    const payloads = received.map((r) => JSON.parse(r.body) as WebhookPayload);
    expect(payloads.map((p) => p.event).sort()).toEqual(['reward.created', 'transaction.created']);
    for (const r of received) {
      expect(r.headers.get('content-type')).toBe('application/json');
      const signature = r.headers.get('signature');
      expect(signature).toBe(await webhookSignature(webhook.signature, r.body));
      expect(await verifyWebhookSignature(webhook.signature, r.body, signature)).toBe(true);
      expect(await verifyWebhookSignature(`${webhook.signature}x`, r.body, signature)).toBe(false);
      expect(await verifyWebhookSignature(webhook.signature, `${r.body} `, signature)).toBe(false);
    }
    const transaction = payloads.find((p) => p.event === 'transaction.created')!;
    expect(transaction).toMatchObject({
      webhook_key: webhook.key,
      url: webhook.url,
      timestamp: expect.any(Number),
      created_at: expect.stringMatching(/Z$/),
      data: { key, amount: 50, customer: { key: buyer.key }, referring_customer: { key: referrer.key }, reward: { amount: 5, amount_units: 'USD' } },
    });
    const reward = payloads.find((p) => p.event === 'reward.created')!;
    expect(reward.data).toMatchObject({ amount: 5, amount_units: 'USD', is_currency: true, customer: { key: referrer.key }, transaction: { key } });

    const log = await deliveries(webhook);
    expect(log.map((d) => [d.event, d.status, d.attempts, d.response_status])).toEqual([
      ['transaction.created', 'delivered', 1, 200],
      ['reward.created', 'delivered', 1, 200],
    ]);
  });

  it('raises no reward event for a purchase that earned nothing, and no events for a repeated key', async () => {
    const webhook = await subscribe(['transaction.created', 'reward.created', 'customer.rewarded']);
    const loner = await createCustomer();
    const key = uid('tx');
    const first = await withQueue('POST', '/v1/transactions', { key, amount: 10, customer: { key: loner.key } });
    expect((await messagesFor(webhook, first.sent)).length).toBe(1);
    const again = await withQueue('POST', '/v1/transactions', { key, amount: 10, customer: { key: loner.key } });
    expect(again.res.status).toBe(200);
    expect(again.sent).toEqual([]);
    expect((await deliveries(webhook)).map((d) => d.event)).toEqual(['transaction.created']);
  });
});

describe('through the real queue', () => {
  it('a purchase made through the worker reaches the receiver asynchronously, signed', async () => {
    const received = stubReceiver();
    const webhook = await subscribe(['transaction.created', 'reward.created']);
    const { buyer } = await referredBuyer();
    const key = uid('tx');
    expect((await call('POST', '/v1/transactions', { key, amount: 20, customer: { key: buyer.key } })).status).toBe(200);
    // The dev composition's queue consumer runs in this runtime: wait for its log to say delivered.
    await vi.waitFor(
      async () => {
        expect((await deliveries(webhook)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(received).toHaveLength(2);
    for (const r of received) expect(await verifyWebhookSignature(webhook.signature, r.body, r.headers.get('signature'))).toBe(true);
    expect(received.map((r) => (JSON.parse(r.body) as WebhookPayload).event).sort()).toEqual(['reward.created', 'transaction.created']);
  });
});

describe('customer events', () => {
  it('delivers customer.created, customer.updated, customer.credited and customer.deleted with the customer', async () => {
    const webhook = await subscribe(['customer.created', 'customer.updated', 'customer.credited', 'customer.deleted']);
    const key = uid('evt');
    await withQueue('POST', '/v1/customers', { key, name: 'Eve' });
    await withQueue('PUT', `/v1/customers/${key}`, { name: 'Evelyn' });
    await withQueue('POST', `/v1/customers/${key}/archive`);
    await withQueue('POST', `/v1/customers/${key}/balance/credit`, { amount: 3, amount_units: 'USD', is_currency: true });
    await withQueue('DELETE', `/v1/customers/${key}`);
    const log = (await deliveries(webhook)).filter((d) => {
      const data = d.payload.data as { key?: string; customer?: { key?: string } };
      return data.key === key || data.customer?.key === key;
    });
    expect(log.map((d) => d.event)).toEqual(['customer.created', 'customer.updated', 'customer.updated', 'customer.credited', 'customer.deleted']);
    expect(log.map((d) => (d.payload.data as { name?: string; status?: string }).name ?? null)).toEqual(['Eve', 'Evelyn', 'Evelyn', null, 'Evelyn']);
    expect(log[2]?.payload.data).toMatchObject({ status: 'deleted' });
    expect(log[3]?.payload.data).toMatchObject({ credit: { amount: 3, amount_units: 'USD' }, balance: { currency: [{ amount: 3 }] } });
  });

  it('records nothing for a webhook that is inactive or not subscribed to the event', async () => {
    const inactive = await subscribe(['customer.created'], { is_active: false });
    const other = await subscribe(['transaction.deleted']);
    const { sent } = await withQueue('POST', '/v1/customers', { key: uid('quiet') });
    expect(await messagesFor(inactive, sent)).toEqual([]);
    expect(await messagesFor(other, sent)).toEqual([]);
    expect(await deliveries(inactive)).toEqual([]);
  });

  it('keeps deliveries pending when there is no queue binding', async () => {
    const webhook = await subscribe(['customer.created']);
    const key = uid('pending');
    const res = await call('POST', '/v1/customers', { key }, { env: { LOCAL_WEBHOOK_QUEUE: undefined } });
    expect(res.status).toBe(200);
    const mine = (await deliveries(webhook)).filter((d) => (d.payload.data as { key: string }).key === key);
    expect(mine.map((d) => [d.status, d.attempts])).toEqual([['pending', 0]]);
  });
});

describe('retries and the delivery log', () => {
  it('retries a failed attempt with backoff, logs it, and delivers on a later attempt', async () => {
    const webhook = await subscribe(['customer.created']);
    const { sent } = await withQueue('POST', '/v1/customers', { key: uid('retry') });
    const [message] = await messagesFor(webhook, sent);
    stubReceiver(() => 503);
    const first = await deliver(WEBHOOK_QUEUE, [message]);
    expect(first.retried).toEqual([expect.objectContaining({ delaySeconds: 5 })]);
    expect((await deliveries(webhook))[0]).toMatchObject({ status: 'retrying', attempts: 1, response_status: 503, last_error: 'HTTP 503' });

    vi.restoreAllMocks();
    stubReceiver(() => new TypeError('Network connection lost.'));
    const second = await deliver(WEBHOOK_QUEUE, [message], { attempts: 2 });
    expect(second.retried).toEqual([expect.objectContaining({ delaySeconds: 20 })]);
    expect((await deliveries(webhook))[0]).toMatchObject({ status: 'retrying', attempts: 2, response_status: null, last_error: expect.stringContaining('Network connection lost') });

    vi.restoreAllMocks();
    const received = stubReceiver(() => 204);
    const third = await deliver(WEBHOOK_QUEUE, [message], { attempts: 3 });
    expect(third.acked).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect((await deliveries(webhook))[0]).toMatchObject({ status: 'delivered', attempts: 3, response_status: 204, last_error: null });

    // A redelivered message of a delivered event is not sent again.
    const repeat = await deliver(WEBHOOK_QUEUE, [message], { attempts: 1 });
    expect(repeat.acked).toHaveLength(1);
    expect(received).toHaveLength(1);
  });

  it('gives up after the last attempt, and the dead-letter queue marks a stranded delivery failed', async () => {
    const webhook = await subscribe(['customer.created']);
    const { sent } = await withQueue('POST', '/v1/customers', { key: uid('gone') });
    const { sent: sent2 } = await withQueue('POST', '/v1/customers', { key: uid('dlq') });
    const [last] = await messagesFor(webhook, sent);
    const [stranded] = await messagesFor(webhook, sent2);
    stubReceiver(() => 500);
    const final = await deliver(WEBHOOK_QUEUE, [last], { attempts: MAX_DELIVERY_ATTEMPTS });
    expect(final.acked).toHaveLength(1);
    expect(final.retried).toEqual([]);
    const dead = await deliver(WEBHOOK_DEAD_LETTER_QUEUE, [stranded]);
    expect(dead.acked).toHaveLength(1);
    expect((await deliveries(webhook)).map((d) => d.status)).toEqual(['failed', 'failed']);
  });

  it('acknowledges, without sending, a malformed message and one whose webhook is gone or deactivated', async () => {
    const gone = await subscribe(['customer.created']);
    const paused = await subscribe(['customer.created']);
    const { sent } = await withQueue('POST', '/v1/customers', { key: uid('orphan') });
    const [forGone] = await messagesFor(gone, sent);
    const [forPaused] = await messagesFor(paused, sent);
    expect((await call('DELETE', `/v1/webhooks/${gone.key}`)).status).toBe(200);
    expect((await call('PUT', `/v1/webhooks/${paused.key}`, { is_active: false })).status).toBe(200);
    const received = stubReceiver();
    const outcome = await deliver(WEBHOOK_QUEUE, [forGone, forPaused, { type: 'nonsense' }, 'garbage']);
    expect(outcome.acked).toHaveLength(4);
    expect(received).toEqual([]);
    expect((await deliveries(paused))[0]).toMatchObject({ status: 'failed', last_error: expect.stringContaining('deactivated') });
  });

  it('is dispatched by queue name: the signup queue still reaches the production consumer', async () => {
    const outcome = await deliver('referral-signups', [{ type: 'nonsense' }]);
    // The production consumer drops malformed signups with an ack, as before.
    expect(outcome.acked).toHaveLength(1);
  });
});

describe('subscriptions', () => {
  it('creates with a key and a secret, lists, updates partially and deletes', async () => {
    const webhook = await subscribe(['customer.created', 'customer.created']);
    expect(webhook).toMatchObject({ events: ['customer.created'], is_active: true, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = await call('GET', '/v1/webhooks?limit=250');
    expect(listed.body.data.map((w: Webhook) => w.key)).toContain(webhook.key);
    const updated = await call('PUT', `/v1/webhooks/${webhook.key}`, { name: 'Renamed', events: ['transaction.created'], url: '' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ name: 'Renamed', events: ['transaction.created'], url: webhook.url, signature: webhook.signature });
    expect((await call('DELETE', `/v1/webhooks/${webhook.key}`)).body).toEqual({ data: null, status: 1 });
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${webhook.key}`],
      ['PUT', `/v1/webhooks/${webhook.key}`],
      ['DELETE', `/v1/webhooks/${webhook.key}`],
      ['GET', `/v1/webhooks/${webhook.key}/deliveries`],
    ] as const) {
      const res = await call(method, path, method === 'PUT' ? { name: 'x' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ message: 'Webhook not found.' });
    }
  });

  it.each([
    [{ url: 'https://x.example/h', events: ['partner.created'] }, 'events.0'],
    [{ url: 'https://x.example/h', events: [] }, 'events'],
    [{ url: 'https://x.example/h', events: 'customer.created' }, 'events'],
    [{ url: 'ftp://x.example/h', events: ['customer.created'] }, 'url'],
    [{ events: ['customer.created'] }, 'url'],
    [{ url: 'https://x.example/h', events: ['customer.created'], is_active: 'sometimes' }, 'is_active'],
  ])('refuses %j with 422 on %s, creating nothing', async (body, field) => {
    const before = await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM webhooks').first('n');
    const res = await call('POST', '/v1/webhooks', body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
    expect(await env.LOCAL_DB!.prepare('SELECT COUNT(*) AS n FROM webhooks').first('n')).toBe(before);
  });

  it('refuses a key that is taken', async () => {
    const key = uid('wh');
    expect((await call('POST', '/v1/webhooks', { key, url: RECEIVER, events: ['customer.created'] })).status).toBe(200);
    const again = await call('POST', '/v1/webhooks', { key, url: RECEIVER, events: ['customer.created'] });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual({ key: ['The key has already been taken.'] });
  });
});

/**
 * Consumer of the local API's webhook queue (wrangler.dev.toml): POSTs each recorded delivery to
 * its subscriber over real `fetch`, signed as Partnero signs them, and keeps the delivery log.
 * A failed attempt (no answer, or not 2xx) is retried with exponential backoff; after
 * MAX_DELIVERY_ATTEMPTS the delivery is marked `failed`. The dead-letter queue catches what the
 * consumer itself could not finish and marks it `failed` too.
 */
import * as v from 'valibot';
import { webhookSignature } from '../../../partnero/webhooks';
import type { LocalBindings } from '../env';
import { timestamp } from '../present';

export const WEBHOOK_QUEUE = 'partnero-local-webhooks';
export const WEBHOOK_DEAD_LETTER_QUEUE = 'partnero-local-webhooks-dlq';

/** Attempts before a delivery is given up (wrangler.dev.toml: max_retries = 5, so 6 attempts). */
export const MAX_DELIVERY_ATTEMPTS = 6;
/** One attempt may take this long before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 500;

/** True for the queues this consumer owns (the dev entry dispatches on `batch.queue`). */
export function isLocalWebhookQueue(queue: string): boolean {
  return queue === WEBHOOK_QUEUE || queue === WEBHOOK_DEAD_LETTER_QUEUE;
}

/** Delay before attempt `attempts + 1`: 5 s, 20 s, 80 s, 320 s, 1280 s (capped at an hour). */
export function deliveryRetryDelaySeconds(attempts: number): number {
  return Math.min(3600, 5 * 4 ** Math.max(0, attempts - 1));
}

const messageSchema = v.object({ type: v.literal('local_partnero_webhook'), delivery_id: v.pipe(v.string(), v.maxLength(64)) });

interface PendingDelivery {
  pk: number;
  url: string;
  payload: string;
  status: string;
  secret: string;
  is_active: number;
}

type Fetcher = (request: Request) => Promise<Response>;

/** What one attempt came to: a response status, or the reason none came. */
type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function attempt(delivery: PendingDelivery, fetcher: Fetcher): Promise<Attempt> {
  try {
    const request = new Request(delivery.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': 'Partnero-Local-Webhooks/1.0',
        Signature: await webhookSignature(delivery.secret, delivery.payload),
      },
      body: delivery.payload,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      redirect: 'manual',
    });
    const response = await fetcher(request);
    // The body is not needed; reading it lets the connection be reused.
    await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, status: null, error: text.slice(0, MAX_ERROR_CHARS) };
  }
}

async function markFailed(db: D1Database, id: string, error: string): Promise<void> {
  await db
    .prepare(`UPDATE webhook_deliveries SET status = 'failed', last_error = COALESCE(?2, last_error), updated_at = ?3 WHERE id = ?1 AND status <> 'delivered'`)
    .bind(id, error, timestamp())
    .run();
}

async function deliverOne(message: Message<unknown>, db: D1Database, deadLetter: boolean, fetcher: Fetcher): Promise<void> {
  const parsed = v.safeParse(messageSchema, message.body);
  if (!parsed.success) {
    console.error(`local-partnero: malformed webhook message ${message.id} dropped`);
    message.ack();
    return;
  }
  const id = parsed.output.delivery_id;
  if (deadLetter) {
    await markFailed(db, id, 'Given up: the delivery queue exhausted its retries.');
    message.ack();
    return;
  }
  const delivery = await db
    .prepare(
      `SELECT d.pk, d.url, d.payload, d.status, w.secret, w.is_active
       FROM webhook_deliveries d JOIN webhooks w ON w.pk = d.webhook_pk WHERE d.id = ?1`,
    )
    .bind(id)
    .first<PendingDelivery>();
  // Its webhook was deleted (deliveries go with it), or it already arrived: nothing to do.
  if (!delivery || delivery.status === 'delivered' || delivery.status === 'failed') {
    message.ack();
    return;
  }
  if (delivery.is_active !== 1) {
    await markFailed(db, id, 'Not sent: the webhook was deactivated.');
    message.ack();
    return;
  }
  const result = await attempt(delivery, fetcher);
  const now = timestamp();
  if (result.ok) {
    await db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, response_status = ?2,
                last_error = NULL, delivered_at = ?3, updated_at = ?3 WHERE pk = ?1`,
      )
      .bind(delivery.pk, result.status, now)
      .run();
    message.ack();
    return;
  }
  const final = message.attempts >= MAX_DELIVERY_ATTEMPTS;
  await db
    .prepare(
      `UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, response_status = ?3, last_error = ?4, updated_at = ?5
       WHERE pk = ?1`,
    )
    .bind(delivery.pk, final ? 'failed' : 'retrying', result.status, result.error, now)
    .run();
  if (final) message.ack();
  else message.retry({ delaySeconds: deliveryRetryDelaySeconds(message.attempts) });
}

/**
 * Handles one batch of the webhook queue or its dead-letter queue. `fetcher` sends the POSTs
 * (global fetch by default, resolved at call time so tests can intercept it).
 */
export async function handleWebhookQueue(
  batch: MessageBatch<unknown>,
  env: LocalBindings,
  fetcher: Fetcher = (request) => fetch(request),
): Promise<void> {
  const db = env.LOCAL_DB;
  if (!db) {
    console.error('local-partnero: webhook queue consumer has no LOCAL_DB binding; retrying later');
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  const deadLetter = batch.queue === WEBHOOK_DEAD_LETTER_QUEUE;
  for (const message of batch.messages) {
    try {
      await deliverOne(message, db, deadLetter, fetcher);
    } catch (error) {
      console.error(`local-partnero: webhook message ${message.id} failed in the consumer`, error);
      message.retry({ delaySeconds: deliveryRetryDelaySeconds(message.attempts) });
    }
  }
}

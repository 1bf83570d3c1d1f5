import type { WebhookEvent } from '../../../../shared/partnero';
import type { LocalContext, WebhookDeliveryMessage } from '../env';
import { timestamp } from '../present';

/**
 * Records one delivery of `event` for every active webhook subscribed to it and queues them.
 * The body is built once, here, and stored as the exact bytes that will be signed and sent:
 * `{"event", "url", "webhook_key", "created_at", "timestamp", "data"}` (the fields Partnero's
 * deliveries carry per its n8n node, plus `timestamp` in Unix seconds).
 *
 * Runs right after the write it reports (not in the same transaction): a failure here is logged
 * and never turns a successful write into an error answer.
 */
export async function emit(c: LocalContext, event: WebhookEvent, data: unknown): Promise<void> {
  const db = c.env.LOCAL_DB;
  if (!db) return;
  try {
    const now = new Date();
    const { results } = await db
      .prepare(
        `INSERT INTO webhook_deliveries (id, webhook_pk, event, url, payload, status, attempts, created_at, updated_at)
         SELECT 'wd_' || lower(hex(randomblob(12))), w.pk, ?1, w.url,
                json_object('event', ?1, 'url', w.url, 'webhook_key', w.key, 'created_at', ?2, 'timestamp', ?3, 'data', json(?4)),
                'pending', 0, ?2, ?2
         FROM webhooks w
         WHERE w.is_active = 1 AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE json_each.value = ?1)
         RETURNING id`,
      )
      .bind(event, timestamp(now), Math.floor(now.getTime() / 1000), JSON.stringify(data ?? null))
      .all<{ id: string }>();
    if (results.length === 0) return;
    const queue = c.env.LOCAL_WEBHOOK_QUEUE;
    if (!queue) {
      console.warn(`local-partnero: ${results.length} webhook deliveries of ${event} stay pending: no LOCAL_WEBHOOK_QUEUE binding`);
      return;
    }
    await queue.sendBatch(
      results.map((r): MessageSendRequest<WebhookDeliveryMessage> => ({ body: { type: 'local_partnero_webhook', delivery_id: r.id } })),
    );
  } catch (error) {
    console.error(`local-partnero: could not record or queue ${event} webhook deliveries`, error);
  }
}

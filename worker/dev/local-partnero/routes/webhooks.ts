import { Hono } from 'hono';
import type { LocalContext, LocalEnv } from '../env';
import { constraintError, LocalApiError, notFound } from '../errors';
import { input } from '../input';
import { listEnvelope, parsePage } from '../pagination';
import { presentDelivery, presentWebhook, timestamp, type DeliveryRow, type WebhookRow } from '../present';
import { ok, pathParam, storage } from '../request';
import { createWebhookSchema, parseInput, updateWebhookSchema } from '../schemas';
import { pageWhere } from '../store';
import { newSecret } from '../webhooks/sign';

/**
 * Webhook subscriptions, as the n8n node's trigger and the PHP and Python SDKs manage them:
 * `POST /webhooks {name, url, events, is_active}` answers the webhook with its `key` and its
 * signing secret (`signature`); `GET|PUT|DELETE /webhooks/{key}`. Deliveries: webhooks/.
 */

const webhookNotFound = () => notFound('Webhook');

async function webhookByKey(db: D1Database, key: string): Promise<WebhookRow> {
  const row = await db.prepare('SELECT * FROM webhooks WHERE key = ?1').bind(key).first<WebhookRow>();
  if (!row) throw webhookNotFound();
  return row;
}

async function createWebhook(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const fields = parseInput(createWebhookSchema, input(c));
  const key = fields.key ?? `wh_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const now = timestamp();
  let row: WebhookRow | null;
  try {
    row = await db
      .prepare(
        `INSERT INTO webhooks (key, name, url, events, is_active, secret, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING *`,
      )
      .bind(key, fields.name ?? null, fields.url, JSON.stringify(fields.events), fields.is_active === false ? 0 : 1, newSecret(), now)
      .first<WebhookRow>();
  } catch (error) {
    throw constraintError(error) ?? error;
  }
  if (!row) throw new LocalApiError(409, 'The webhook was changed concurrently. Please retry.');
  return ok(c, presentWebhook(row));
}

async function listWebhooks(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const page = parsePage(input(c));
  const sql = { select: 'SELECT * FROM webhooks', countFrom: 'webhooks', orderBy: 'pk' };
  const { rows, total } = await pageWhere<WebhookRow>(db, sql, '1 = 1', [], page);
  return c.json(listEnvelope(c.req.url, rows.map(presentWebhook), total, page));
}

async function getWebhook(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  return ok(c, presentWebhook(await webhookByKey(db, pathParam(c, 'key', webhookNotFound))));
}

/** Partial update: only the fields given (non-null) change. */
async function updateWebhook(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await webhookByKey(db, pathParam(c, 'key', webhookNotFound));
  const fields = parseInput(updateWebhookSchema, input(c));
  const updated = await db
    .prepare(
      `UPDATE webhooks SET name = COALESCE(?2, name), url = COALESCE(?3, url), events = COALESCE(?4, events),
              is_active = COALESCE(?5, is_active), updated_at = ?6
       WHERE pk = ?1 RETURNING *`,
    )
    .bind(
      row.pk,
      fields.name ?? null,
      fields.url ?? null,
      fields.events ? JSON.stringify(fields.events) : null,
      fields.is_active == null ? null : fields.is_active ? 1 : 0,
      timestamp(),
    )
    .first<WebhookRow>();
  if (!updated) throw webhookNotFound();
  return ok(c, presentWebhook(updated));
}

/** Deletes the subscription and its delivery log; queued deliveries are dropped by the consumer. */
async function deleteWebhook(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await webhookByKey(db, pathParam(c, 'key', webhookNotFound));
  await db.batch([
    db.prepare('DELETE FROM webhook_deliveries WHERE webhook_pk = ?1').bind(row.pk),
    db.prepare('DELETE FROM webhooks WHERE pk = ?1').bind(row.pk),
  ]);
  return ok(c, null);
}

/** `GET /webhooks/{key}/deliveries` (local extension): the delivery log, newest first. */
async function listDeliveries(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await webhookByKey(db, pathParam(c, 'key', webhookNotFound));
  const page = parsePage(input(c));
  const sql = { select: 'SELECT * FROM webhook_deliveries', countFrom: 'webhook_deliveries', orderBy: 'pk' };
  const { rows, total } = await pageWhere<DeliveryRow>(db, sql, 'webhook_pk = ?1', [row.pk], page);
  return c.json(listEnvelope(c.req.url, rows.map(presentDelivery), total, page));
}

export const webhooks = new Hono<LocalEnv>()
  .post('/webhooks', createWebhook)
  .get('/webhooks', listWebhooks)
  .get('/webhooks/:key', getWebhook)
  .put('/webhooks/:key', updateWebhook)
  .delete('/webhooks/:key', deleteWebhook)
  .get('/webhooks/:key/deliveries', listDeliveries);

import { Hono } from 'hono';
import type { LocalContext, LocalEnv } from '../env';
import { constraintError, customerNotFound, fieldError, LocalApiError, notFound, validationError } from '../errors';
import { input, textParam } from '../input';
import { listEnvelope, parsePage } from '../pagination';
import { presentLink, timestamp, type LinkRow } from '../present';
import { ok, pathCustomer, pathParam, storage } from '../request';
import { createLinkSchema, foldLinkFields, parseInput, updateLinkSchema, type LinkFields } from '../schemas';
import { findCustomerBy, namedBy, pageOf } from '../store';

/**
 * Referral links as objects (`{id, key, url, default, is_additional, direct_tracking, ...}`).
 * Every customer has one default link, created with it (a trigger, migration 0002); it may have
 * more. Any link's key attributes signups to its customer (`referring_customer.key`), so a key
 * is unique across every link and may not be another customer's key.
 */

const LINK_SELECT = `
SELECT l.*, c.id AS c_id, c.key AS c_key, c.email AS c_email, c.name AS c_name, c.surname AS c_surname
FROM referral_links l JOIN customers c ON c.pk = l.customer_pk`;

const linkNotFound = () => notFound('Referral link');

/** The link a path names: by its `id`, else by its `key`. */
async function linkAt(c: LocalContext, db: D1Database): Promise<LinkRow> {
  const value = pathParam(c, 'id', linkNotFound);
  const row = await db
    .prepare(`${LINK_SELECT} WHERE l.id = ?1 OR l.key = ?1 ORDER BY (l.id = ?1) DESC LIMIT 1`)
    .bind(value)
    .first<LinkRow>();
  if (!row) throw linkNotFound();
  return row;
}

function generatedLinkKey(): string {
  return `ref_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** 422 unless `key` is free: no link has it, and no other customer is called that. */
async function assertKeyFree(db: D1Database, key: string, customerPk: number, exceptLinkPk: number | null): Promise<void> {
  const clash = await db
    .prepare(
      `SELECT 1 FROM referral_links WHERE key = ?1 AND pk IS NOT ?3
       UNION ALL SELECT 1 FROM customers WHERE key = ?1 AND pk <> ?2 LIMIT 1`,
    )
    .bind(key, customerPk, exceptLinkPk)
    .first();
  if (clash) throw fieldError('key', 'The key has already been taken.');
}

function flag(value: boolean | null | undefined): number | null {
  return value == null ? null : value ? 1 : 0;
}

async function run(db: D1Database, statements: D1PreparedStatement[]): Promise<D1Result[]> {
  try {
    return await db.batch(statements);
  } catch (error) {
    throw constraintError(error) ?? error;
  }
}

/** `GET /customers/{id}/referral_links`: the customer's links, the default first, then the oldest. */
async function listCustomerLinks(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const page = parsePage(input(c));
  const customer = await pathCustomer(c, db);
  const { rows, total } = await pageOf<LinkRow>(
    db,
    db
      .prepare(`${LINK_SELECT} WHERE l.customer_pk = ?1 ORDER BY l.is_default DESC, l.pk LIMIT ?2 OFFSET ?3`)
      .bind(customer.pk, page.limit, page.offset),
    db.prepare('SELECT COUNT(*) AS total FROM referral_links WHERE customer_pk = ?1').bind(customer.pk),
  );
  return c.json(listEnvelope(c.req.url, rows.map((r) => presentLink(r, base)), total, page));
}

/**
 * `POST /customer_referral_links {customer: {id|key|email}, key?, url?, default?, ...}`.
 * `default: true` makes it the default in the same batch that takes the flag off the old one.
 */
async function createLink(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const fields = parseInput(createLinkSchema, foldLinkFields(input(c)));
  const named = namedBy(fields.customer);
  if (!named) throw fieldError('customer', 'The customer.id, customer.key or customer.email field is required.');
  const customer = await findCustomerBy(db, ...named);
  if (!customer) throw customerNotFound();
  const key = fields.key ?? generatedLinkKey();
  await assertKeyFree(db, key, customer.pk, null);
  const id = `rl_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const now = timestamp();
  const makeDefault = fields.default === true;
  const statements: D1PreparedStatement[] = [];
  if (makeDefault) {
    statements.push(db.prepare('UPDATE referral_links SET is_default = 0, updated_at = ?2 WHERE customer_pk = ?1 AND is_default = 1').bind(customer.pk, now));
  }
  statements.push(
    // Inserted from the customer's row (gone meanwhile: nothing inserted), and never under another customer's key.
    db
      .prepare(
        `INSERT INTO referral_links (id, key, customer_pk, is_default, is_additional, url, direct_tracking, direct_tracking_redirect,
                                     direct_tracking_redirect_url, domain_id, created_at, updated_at)
         SELECT ?1, ?2, pk, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10 FROM customers
         WHERE pk = ?11 AND NOT EXISTS (SELECT 1 FROM customers WHERE key = ?2 AND pk <> ?11)`,
      )
      .bind(
        id,
        key,
        makeDefault ? 1 : 0,
        flag(fields.is_additional) ?? 0,
        fields.url ?? null,
        flag(fields.direct_tracking) ?? 0,
        flag(fields.direct_tracking_redirect) ?? 0,
        fields.direct_tracking_redirect_url ?? null,
        fields.domain_id ?? null,
        now,
        customer.pk,
      ),
    db.prepare(`${LINK_SELECT} WHERE l.id = ?1`).bind(id),
  );
  const results = await run(db, statements);
  const row = results.at(-1)?.results?.[0] as LinkRow | undefined;
  if (!row) throw new LocalApiError(409, 'The customer or the key was changed concurrently. Please retry.');
  return ok(c, presentLink(row, base));
}

async function getLink(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  return ok(c, presentLink(await linkAt(c, db), base));
}

/** `PUT /customer_referral_links/{id}`: only the fields given change; `default: true` moves the default here. */
async function updateLink(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const row = await linkAt(c, db);
  const fields: LinkFields = parseInput(updateLinkSchema, foldLinkFields(input(c)));
  if (fields.default === false && row.is_default === 1) {
    throw fieldError('default', 'A customer keeps one default link: make another link the default instead.');
  }
  if (fields.key != null && fields.key !== row.key) await assertKeyFree(db, fields.key, row.customer_pk, row.pk);
  const now = timestamp();
  const statements: D1PreparedStatement[] = [];
  if (fields.default === true && row.is_default !== 1) {
    statements.push(db.prepare('UPDATE referral_links SET is_default = 0, updated_at = ?2 WHERE customer_pk = ?1 AND is_default = 1').bind(row.customer_pk, now));
  }
  statements.push(
    db
      .prepare(
        `UPDATE referral_links SET key = COALESCE(?2, key), is_default = COALESCE(?3, is_default),
                is_additional = COALESCE(?4, is_additional), url = COALESCE(?5, url),
                direct_tracking = COALESCE(?6, direct_tracking), direct_tracking_redirect = COALESCE(?7, direct_tracking_redirect),
                direct_tracking_redirect_url = COALESCE(?8, direct_tracking_redirect_url), domain_id = COALESCE(?9, domain_id),
                updated_at = ?10
         WHERE pk = ?1 AND NOT EXISTS (SELECT 1 FROM customers WHERE key = ?2 AND pk <> ?11)`,
      )
      .bind(
        row.pk,
        fields.key ?? null,
        fields.default === true ? 1 : null,
        flag(fields.is_additional),
        fields.url ?? null,
        flag(fields.direct_tracking),
        flag(fields.direct_tracking_redirect),
        fields.direct_tracking_redirect_url ?? null,
        fields.domain_id ?? null,
        now,
        row.customer_pk,
      ),
    db.prepare(`${LINK_SELECT} WHERE l.pk = ?1`).bind(row.pk),
  );
  const results = await run(db, statements);
  const updated = results.at(-1)?.results?.[0] as LinkRow | undefined;
  if (!updated) throw linkNotFound();
  return ok(c, presentLink(updated, base));
}

/** `DELETE /customer_referral_links/{id}`; the default link stays (make another the default first). */
async function deleteLink(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await linkAt(c, db);
  if (row.is_default === 1) {
    throw validationError({ id: ['The default referral link cannot be deleted: make another link the default first.'] });
  }
  await db.prepare('DELETE FROM referral_links WHERE pk = ?1 AND is_default = 0').bind(row.pk).run();
  return ok(c, null);
}

/** `GET /customer_referral_links:search?id=|key=`: matching links as a list (the PHP SDK's search). */
async function searchLinks(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const id = textParam(c, 'id');
  const key = textParam(c, 'key');
  if (id === undefined && key === undefined) {
    throw validationError({ id: ['The id field is required when key is not present.'] });
  }
  const where: string[] = [];
  const values: string[] = [];
  if (id !== undefined) where.push(`l.id = ?${values.push(id)}`);
  if (key !== undefined) where.push(`l.key = ?${values.push(key)}`);
  const { results } = await db
    .prepare(`${LINK_SELECT} WHERE ${where.join(' AND ')} ORDER BY l.pk LIMIT 250`)
    .bind(...values)
    .all<LinkRow>();
  return ok(c, results.map((r) => presentLink(r, base)));
}

export const referralLinks = new Hono<LocalEnv>()
  .get('/customers/:id/referral_links', listCustomerLinks)
  .post('/customer_referral_links', createLink)
  .get('/customer_referral_links:search', searchLinks)
  .get('/customer_referral_links/:id', getLink)
  .put('/customer_referral_links/:id', updateLink)
  .delete('/customer_referral_links/:id', deleteLink);

import { Hono } from 'hono';
import type { LocalContext, LocalEnv } from '../env';
import { constraintError, customerNotFound, fieldError, LocalApiError, validationError } from '../errors';
import { input } from '../input';
import { listEnvelope, parsePage } from '../pagination';
import { presentCustomer, timestamp, type CustomerRow } from '../present';
import { ok, pathCustomer, storage } from '../request';
import {
  bodyLocatorSchema,
  createCustomerSchema,
  parseInput,
  updateFieldsSchema,
  wrappedUpdateSchema,
  type UpdateFields,
} from '../schemas';
import { customerByPk, findCustomer, findReferrer, pageOfCustomers } from '../store';
import { emit } from '../webhooks/emit';

/** A key for a customer created without one: unguessable and valid as `?ref=`. */
function generatedKey(): string {
  return `cus_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** Runs a write, turning constraint failures (taken keys, vanished referrers) into 4xx. */
async function write<T>(work: () => Promise<T>, renameField?: (field: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const mapped = constraintError(error);
    if (!mapped) throw error;
    if (renameField && mapped.errors) {
      const errors = Object.fromEntries(Object.entries(mapped.errors).map(([k, v]) => [renameField(k), v]));
      throw validationError(errors);
    }
    throw mapped;
  }
}

/**
 * `POST /customers`. A referrer is named by `referring_customer.id` (winning) or `.key`, which
 * may be the key of any of its referral links (the `partnero_referral` cookie holds the link's
 * key). An archived customer does not count as a referrer until it is restored.
 */
async function createCustomer(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const fields = parseInput(createCustomerSchema, input(c));
  let key = fields.key ?? undefined;
  let id = fields.id ?? undefined;
  if (key === undefined && id === undefined) key = id = generatedKey();
  key ??= id as string;
  id ??= key;

  const ref = fields.referring_customer;
  const refField = ref?.id != null ? 'referring_customer.id' : ref?.key != null ? 'referring_customer.key' : null;
  const refValue = ref?.id ?? ref?.key ?? null;
  let referrer: CustomerRow | null = null;
  if (refField && refValue !== null) {
    if (refValue === id || refValue === key) {
      throw fieldError(refField, 'A customer cannot refer itself.');
    }
    referrer = await findReferrer(db, refField === 'referring_customer.id' ? 'id' : 'key', refValue);
    if (!referrer || referrer.status !== 'active') {
      throw fieldError(refField, `The selected ${refField} is invalid: no such customer.`);
    }
  }

  const taken: Record<string, string[]> = {};
  const existing = await db
    .prepare('SELECT key, id FROM customers WHERE key = ?1 OR id = ?2 UNION ALL SELECT key, NULL FROM referral_links WHERE key = ?1')
    .bind(key, id)
    .all<{ key: string; id: string | null }>();
  if (existing.results.some((r) => r.key === key)) taken.key = ['The key has already been taken.'];
  if (existing.results.some((r) => r.id === id)) taken.id = ['The id has already been taken.'];
  if (Object.keys(taken).length > 0) throw validationError(taken);

  const now = timestamp();
  const values = [id, key, fields.email ?? null, fields.name ?? null, fields.surname ?? null, fields.metadata?.date_of_birth ?? null, now];
  // One statement: the default referral link is inserted with it by a trigger (migration 0002).
  const result = await write(() =>
    referrer
      ? // Inserting from the referrer's row makes a referrer deleted or archived meanwhile insert nothing.
        db
          .prepare(
            `INSERT INTO customers (id, key, email, name, surname, date_of_birth, created_at, updated_at, referring_customer_pk)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, pk FROM customers WHERE pk = ?8 AND status = 'active' RETURNING pk`,
          )
          .bind(...values, referrer.pk)
          .first<{ pk: number }>()
      : db
          .prepare(
            `INSERT INTO customers (id, key, email, name, surname, date_of_birth, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING pk`,
          )
          .bind(...values)
          .first<{ pk: number }>(),
  );
  // (`meta.changes` would count the trigger's link too: RETURNING says what was inserted.)
  if (!result) {
    if (refField) throw fieldError(refField, `The selected ${refField} is invalid: no such customer.`);
    throw new LocalApiError(409, 'The customer was changed concurrently. Please retry.');
  }
  const row = await customerByPk(db, result.pk);
  if (!row) throw new LocalApiError(409, 'The customer was changed concurrently. Please retry.');
  const customer = presentCustomer(row, base);
  await emit(c, 'customer.created', customer);
  return ok(c, customer);
}

async function listCustomers(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const params = input(c);
  const status = params.refer_status ?? null;
  const errors: Record<string, string[]> =
    status === null || status === 'referred' || status === 'non_referred'
      ? {}
      : { refer_status: ['The selected refer status is invalid (referred or non_referred).'] };
  const page = parsePage(params, errors);
  const where =
    status === 'referred'
      ? 'c.referring_customer_pk IS NOT NULL'
      : status === 'non_referred'
        ? 'c.referring_customer_pk IS NULL'
        : '1 = 1';
  const { rows, total } = await pageOfCustomers(db, where, [], page);
  return c.json(listEnvelope(c.req.url, rows.map((r) => presentCustomer(r, base)), total, page));
}

async function getCustomer(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  return ok(c, presentCustomer(await pathCustomer(c, db), base));
}

/**
 * The fields of an update in the shapes Partnero's clients send: `{"update": {...}}` (the
 * documented form and the PHP SDK's), or the fields flat (`{"name": "Nadia"}`: the n8n node and
 * the Python SDK). `update` wins when it is there. `identifiers` are body fields that name the
 * customer rather than change it (`PUT /customers` without a path id). `prefix` is where the
 * fields were found, for error paths.
 */
function parseUpdate(body: Record<string, unknown>, identifiers: readonly string[]): { fields: UpdateFields; prefix: string } {
  if (body.update !== undefined && body.update !== null) {
    return { fields: parseInput(wrappedUpdateSchema, body).update, prefix: 'update.' };
  }
  const flat = Object.fromEntries(Object.entries(body).filter(([k]) => !identifiers.includes(k)));
  return { fields: parseInput(updateFieldsSchema(''), flat), prefix: '' };
}

async function applyUpdate(c: LocalContext, row: CustomerRow, update: UpdateFields, prefix: string): Promise<Response> {
  const { db, base } = storage(c);
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (sql: string, value: unknown) => {
    params.push(value);
    sets.push(sql.replaceAll('?', `?${params.length}`));
  };
  // Null leaves a field as it is (schemas.ts updateFieldsSchema).
  if (update.email != null) set('email = ?', update.email);
  if (update.name != null) set('name = ?', update.name);
  if (update.surname != null) set('surname = ?', update.surname);
  if (update.metadata?.date_of_birth != null) set('date_of_birth = ?', update.metadata.date_of_birth);
  const keyField = `${prefix}key`;
  if (update.key != null && update.key !== row.key) {
    const newKey = update.key;
    // The id follows a rename when it was the key (the usual case: id defaults to the key).
    const newId = row.id === row.key ? newKey : row.id;
    const clash = await db
      .prepare(
        `SELECT 1 FROM customers WHERE pk <> ?1 AND (key = ?2 OR id = ?3)
         UNION ALL SELECT 1 FROM referral_links WHERE key = ?2 AND NOT (customer_pk = ?1 AND key = ?4) LIMIT 1`,
      )
      .bind(row.pk, newKey, newId, row.key)
      .first();
    if (clash) throw fieldError(keyField, 'The key has already been taken.');
    // SQLite evaluates every SET expression against the row as it was before the update.
    set('id = CASE WHEN id = key THEN ? ELSE id END', newKey);
    set('key = ?', newKey);
  }
  if (sets.length === 0) return ok(c, presentCustomer(row, base));
  set('updated_at = ?', timestamp());
  params.push(row.pk);
  // One statement; a trigger renames the link that carried the old key (migration 0002).
  await write(
    () => db.prepare(`UPDATE customers SET ${sets.join(', ')} WHERE pk = ?${params.length}`).bind(...params).run(),
    (f) => (f === 'key' || f === 'id' ? keyField : f),
  );
  const updated = await customerByPk(db, row.pk);
  if (!updated) throw customerNotFound();
  const customer = presentCustomer(updated, base);
  await emit(c, 'customer.updated', customer);
  return ok(c, customer);
}

/** `PUT /customers/{id}`: `{update: {...}}` or the fields flat. */
async function updateCustomerByPath(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const body = input(c);
  const row = await pathCustomer(c, db);
  const { fields, prefix } = parseUpdate(body, []);
  return applyUpdate(c, row, fields, prefix);
}

const BODY_IDENTIFIERS = ['id', 'key', 'email'] as const;

/**
 * `PUT /customers` naming the customer in the body: `{id, update}` (the PHP SDK's Referrals),
 * `{key, update}` (its Customers) or `{email, update}`; the fields may also be flat, in which
 * case `id`, `key` and `email` only name the customer.
 */
async function updateCustomerByBody(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const body = input(c);
  const locator = parseInput(bodyLocatorSchema, body);
  const named = locator.id ?? locator.key ?? locator.email;
  if (named == null) throw fieldError('id', 'The id field is required when none of key / email are present.');
  const row = await findCustomer(db, named);
  if (!row) throw customerNotFound();
  const { fields, prefix } = parseUpdate(body, BODY_IDENTIFIERS);
  return applyUpdate(c, row, fields, prefix);
}

/**
 * Permanent delete, in one batch: the customers it referred become unreferred, purchases it
 * was rewarded for keep existing without a referrer, and its own links, clicks, balance and
 * purchases go with it (rewards others already earned from those purchases stay in their balances).
 */
async function deleteCustomer(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const row = await pathCustomer(c, db);
  const now = timestamp();
  await write(() =>
    db.batch([
      db
        .prepare('UPDATE customers SET referring_customer_pk = NULL, updated_at = ?2 WHERE referring_customer_pk = ?1')
        .bind(row.pk, now),
      db.prepare('UPDATE transactions SET referring_customer_pk = NULL WHERE referring_customer_pk = ?1').bind(row.pk),
      db
        .prepare(
          'UPDATE balance_entries SET transaction_pk = NULL WHERE transaction_pk IN (SELECT pk FROM transactions WHERE customer_pk = ?1)',
        )
        .bind(row.pk),
      db.prepare('DELETE FROM balance_entries WHERE customer_pk = ?1').bind(row.pk),
      db.prepare('DELETE FROM clicks WHERE customer_pk = ?1').bind(row.pk),
      db.prepare('DELETE FROM transactions WHERE customer_pk = ?1').bind(row.pk),
      db.prepare('DELETE FROM referral_links WHERE customer_pk = ?1').bind(row.pk),
      db.prepare('DELETE FROM customers WHERE pk = ?1').bind(row.pk),
    ]),
  );
  await emit(c, 'customer.deleted', presentCustomer(row, base));
  return ok(c, null);
}

/**
 * Archive (`deleted`) and restore (`active`). While archived a customer earns nothing from its
 * referrals' purchases and cannot be named as a referrer; restoring brings both back (for what
 * happens next, not retroactively).
 */
function setStatus(status: 'active' | 'deleted') {
  return async (c: LocalContext): Promise<Response> => {
    const { db, base } = storage(c);
    const row = await pathCustomer(c, db);
    if (row.status === status) return ok(c, presentCustomer(row, base));
    await db
      .prepare('UPDATE customers SET status = ?1, updated_at = ?2 WHERE pk = ?3')
      .bind(status, timestamp(), row.pk)
      .run();
    const updated = await customerByPk(db, row.pk);
    if (!updated) throw customerNotFound();
    const customer = presentCustomer(updated, base);
    await emit(c, 'customer.updated', customer);
    return ok(c, customer);
  };
}

export const customers = new Hono<LocalEnv>()
  .post('/customers', createCustomer)
  .get('/customers', listCustomers)
  .put('/customers', updateCustomerByBody)
  .get('/customers/:id', getCustomer)
  .put('/customers/:id', updateCustomerByPath)
  .delete('/customers/:id', deleteCustomer)
  .post('/customers/:id/archive', setStatus('deleted'))
  .post('/customers/:id/revoke-archive', setStatus('active'));

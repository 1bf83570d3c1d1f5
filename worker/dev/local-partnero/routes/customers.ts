import { constraintError, customerNotFound, fieldError, LocalApiError, validationError } from '../errors';
import { listEnvelope, parsePage } from '../pagination';
import { presentCustomer, timestamp, type CustomerRow } from '../present';
import { jsonBody, ok, pathCustomer, storage, type LocalContext } from '../request';
import {
  createCustomerSchema,
  parseInput,
  updateByBodySchema,
  updateByPathSchema,
} from '../schemas';
import { customerByPk, findCustomer, findCustomerBy, pageOfCustomers } from '../store';
import type { RouteDef } from './types';

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

async function createCustomer(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const input = parseInput(createCustomerSchema, await jsonBody(c));
  let key = input.key ?? undefined;
  let id = input.id ?? undefined;
  if (key === undefined && id === undefined) key = id = generatedKey();
  key ??= id as string;
  id ??= key;

  // `referring_customer.id` wins over `.key` (Partnero's rule for the partnero_referral cookie).
  const ref = input.referring_customer;
  const refField = ref?.id != null ? 'referring_customer.id' : ref?.key != null ? 'referring_customer.key' : null;
  const refValue = ref?.id ?? ref?.key ?? null;
  let referrer: CustomerRow | null = null;
  if (refField && refValue !== null) {
    if (refValue === id || refValue === key) {
      throw fieldError(refField, 'A customer cannot refer itself.');
    }
    referrer = await findCustomerBy(db, refField === 'referring_customer.id' ? 'id' : 'key', refValue);
    if (!referrer) throw fieldError(refField, `The selected ${refField} is invalid: no such customer.`);
  }

  const taken: Record<string, string[]> = {};
  const existing = await db
    .prepare('SELECT key, id FROM customers WHERE key = ?1 OR id = ?2')
    .bind(key, id)
    .all<{ key: string; id: string }>();
  if (existing.results.some((r) => r.key === key)) taken.key = ['The key has already been taken.'];
  if (existing.results.some((r) => r.id === id)) taken.id = ['The id has already been taken.'];
  if (Object.keys(taken).length > 0) throw validationError(taken);

  const now = timestamp();
  const values = [id, key, input.email ?? null, input.name ?? null, input.surname ?? null, input.metadata?.date_of_birth ?? null, now];
  const result = await write(() =>
    referrer
      ? // Inserting from the referrer's row makes a concurrently deleted referrer insert nothing.
        db
          .prepare(
            `INSERT INTO customers (id, key, email, name, surname, date_of_birth, created_at, updated_at, referring_customer_pk)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, pk FROM customers WHERE pk = ?8`,
          )
          .bind(...values, referrer.pk)
          .run()
      : db
          .prepare(
            `INSERT INTO customers (id, key, email, name, surname, date_of_birth, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)`,
          )
          .bind(...values)
          .run(),
  );
  if (result.meta.changes !== 1 && refField) {
    throw fieldError(refField, `The selected ${refField} is invalid: no such customer.`);
  }
  const row = await customerByPk(db, Number(result.meta.last_row_id));
  if (!row) throw new LocalApiError(409, 'The customer was changed concurrently. Please retry.');
  return ok(c, presentCustomer(row, base));
}

async function listCustomers(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const status = c.req.query('refer_status');
  const errors: Record<string, string[]> =
    status === undefined || status === '' || status === 'referred' || status === 'non_referred'
      ? {}
      : { refer_status: ['The selected refer status is invalid (referred or non_referred).'] };
  const page = parsePage((n) => c.req.query(n), errors);
  const where =
    status === 'referred'
      ? 'c.referring_customer_pk IS NOT NULL'
      : status === 'non_referred'
        ? 'c.referring_customer_pk IS NULL'
        : '1 = 1';
  const { rows, total } = await pageOfCustomers(db, where, [], page.limit, page.offset);
  return c.json(listEnvelope(c.req.url, rows.map((r) => presentCustomer(r, base)), total, page));
}

async function getCustomer(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  return ok(c, presentCustomer(await pathCustomer(c, db), base));
}

async function applyUpdate(
  c: LocalContext,
  row: CustomerRow,
  update: { email?: string; name?: string | null; surname?: string | null; key?: string; metadata?: { date_of_birth?: string | null } | null },
): Promise<Response> {
  const { db, base } = storage(c);
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (sql: string, value: unknown) => {
    params.push(value);
    sets.push(sql.replaceAll('?', `?${params.length}`));
  };
  if (update.email !== undefined) set('email = ?', update.email);
  if (update.name !== undefined) set('name = ?', update.name);
  if (update.surname !== undefined) set('surname = ?', update.surname);
  if (update.metadata?.date_of_birth !== undefined) set('date_of_birth = ?', update.metadata.date_of_birth);
  if (update.key !== undefined && update.key !== row.key) {
    const newKey = update.key;
    // The id follows a rename when it was the key (the usual case: id defaults to the key).
    const newId = row.id === row.key ? newKey : row.id;
    const clash = await db
      .prepare('SELECT 1 FROM customers WHERE pk <> ?1 AND (key = ?2 OR id = ?3) LIMIT 1')
      .bind(row.pk, newKey, newId)
      .first();
    if (clash) throw fieldError('update.key', 'The key has already been taken.');
    // SQLite evaluates every SET expression against the row as it was before the update.
    set('id = CASE WHEN id = key THEN ? ELSE id END', newKey);
    set('key = ?', newKey);
  }
  set('updated_at = ?', timestamp());
  params.push(row.pk);
  await write(
    () => db.prepare(`UPDATE customers SET ${sets.join(', ')} WHERE pk = ?${params.length}`).bind(...params).run(),
    (f) => (f === 'key' || f === 'id' ? 'update.key' : f),
  );
  const updated = await customerByPk(db, row.pk);
  if (!updated) throw customerNotFound();
  return ok(c, presentCustomer(updated, base));
}

async function updateCustomerByPath(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const body = await jsonBody(c);
  const row = await pathCustomer(c, db);
  const input = parseInput(updateByPathSchema, body);
  return applyUpdate(c, row, input.update);
}

/** `PUT /v1/customers` with `{id, update}`, as the official PHP SDK sends it. */
async function updateCustomerByBody(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const input = parseInput(updateByBodySchema, await jsonBody(c));
  const row = await findCustomer(db, input.id);
  if (!row) throw customerNotFound();
  return applyUpdate(c, row, input.update);
}

/**
 * Permanent delete, in one batch: the customers it referred become unreferred, purchases it
 * was rewarded for keep existing without a referrer, and its own clicks, balance and purchases
 * go with it (rewards others already earned from those purchases stay in their balances).
 */
async function deleteCustomer(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
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
      db.prepare('DELETE FROM customers WHERE pk = ?1').bind(row.pk),
    ]),
  );
  return ok(c, null);
}

function setStatus(status: 'active' | 'deleted') {
  return async (c: LocalContext): Promise<Response> => {
    const { db, base } = storage(c);
    const row = await pathCustomer(c, db);
    await db
      .prepare('UPDATE customers SET status = ?1, updated_at = ?2 WHERE pk = ?3')
      .bind(status, timestamp(), row.pk)
      .run();
    const updated = await customerByPk(db, row.pk);
    if (!updated) throw customerNotFound();
    return ok(c, presentCustomer(updated, base));
  };
}

export const customerRoutes: RouteDef[] = [
  { method: 'POST', path: '/customers', handler: createCustomer },
  { method: 'GET', path: '/customers', handler: listCustomers },
  { method: 'PUT', path: '/customers', handler: updateCustomerByBody },
  { method: 'GET', path: '/customers/:id', handler: getCustomer },
  { method: 'PUT', path: '/customers/:id', handler: updateCustomerByPath },
  { method: 'DELETE', path: '/customers/:id', handler: deleteCustomer },
  { method: 'POST', path: '/customers/:id/archive', handler: setStatus('deleted') },
  { method: 'POST', path: '/customers/:id/revoke-archive', handler: setStatus('active') },
];

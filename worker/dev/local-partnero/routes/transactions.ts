import { Hono } from 'hono';
import type { Transaction } from '../../../../shared/partnero';
import { parseRewardRule, rewardE4 } from '../config';
import type { LocalContext, LocalEnv } from '../env';
import { constraintError, customerNotFound, fieldError, LocalApiError, notFound } from '../errors';
import { input } from '../input';
import { listEnvelope, parsePage } from '../pagination';
import { presentTransaction, timestamp, toE4, type TransactionRow } from '../present';
import { ok, pathParam, storage } from '../request';
import { parseInput, transactionSchema } from '../schemas';
import { findCustomerBy, namedBy, pageOfTransactions, TRANSACTION_SELECT, transactionByKey } from '../store';
import { emit } from '../webhooks/emit';

/**
 * Transactions as a resource: create, list, get, archive, revoke-archive, delete. A purchase by
 * a referred customer credits its referrer the REWARD_RULE reward (in the purchase's currency),
 * in the same batch as the purchase; archiving or deleting it takes the reward back out.
 */

const transactionNotFound = () => notFound('Transaction');

async function transactionAt(c: LocalContext, db: D1Database): Promise<TransactionRow> {
  const row = await transactionByKey(db, pathParam(c, 'key', transactionNotFound));
  if (!row) throw transactionNotFound();
  return row;
}

async function batch(db: D1Database, statements: D1PreparedStatement[]): Promise<D1Result[]> {
  try {
    return await db.batch(statements);
  } catch (error) {
    throw constraintError(error) ?? error;
  }
}

/** The transaction a batch ended by selecting it, or a 409 when it vanished meanwhile. */
function selected(results: D1Result[]): TransactionRow {
  const row = results.at(-1)?.results?.[0] as TransactionRow | undefined;
  if (!row) throw new LocalApiError(409, 'The transaction was changed concurrently. Please retry.');
  return row;
}

/** `reward.created` and `customer.rewarded`: what a referrer was credited, and for which purchase. */
async function emitReward(c: LocalContext, transaction: Transaction): Promise<void> {
  if (!transaction.reward || !transaction.referring_customer) return;
  const reward = {
    ...transaction.reward,
    customer: transaction.referring_customer,
    transaction: { key: transaction.key, amount: transaction.amount, amount_units: transaction.amount_units, action: transaction.action },
    created_at: transaction.created_at,
  };
  await emit(c, 'reward.created', reward);
  await emit(c, 'customer.rewarded', reward);
}

/**
 * `POST /transactions`. The buyer is `customer.{id|key|email}`; `action` defaults to `sale`;
 * `rewardable: false` records it without a reward; the referrer earns only while it is active.
 * The same `key` again answers the transaction it already names, 200, and rewards nothing more:
 * `ON CONFLICT DO NOTHING` and a per-request nonce decide, so even two concurrent repeats
 * create and reward exactly once.
 */
async function createTransaction(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const fields = parseInput(transactionSchema, input(c));
  // A bad REWARD_RULE is reported before anything is written.
  const rule = parseRewardRule(c.env.REWARD_RULE);
  const amountE4 = toE4(fields.amount);
  if (amountE4 <= 0) throw fieldError('amount', 'The amount field must be at least 0.0001.');
  const named = namedBy(fields.customer);
  if (!named) throw fieldError('customer', 'The customer.id, customer.key or customer.email field is required.');

  const existing = await transactionByKey(db, fields.key);
  if (existing) return ok(c, presentTransaction(existing));

  const buyer = await findCustomerBy(db, ...named);
  if (!buyer) throw customerNotFound();

  const units = (fields.amount_units ?? 'USD').toUpperCase();
  const reward = fields.rewardable === false ? null : rewardE4(rule, amountE4);
  const createdAt = fields.created_at ? timestamp(new Date(fields.created_at)) : timestamp();
  const now = timestamp();
  const nonce = crypto.randomUUID();
  const results = await batch(db, [
    // The referrer is read at write time, and rewarded only while it is active.
    db
      .prepare(
        `INSERT INTO transactions (key, customer_pk, referring_customer_pk, amount_e4, amount_units, action, status, rewardable,
                                   product_id, product_type, reward_amount_e4, reward_units, reward_is_currency,
                                   create_nonce, created_at, updated_at)
         SELECT ?1, b.pk, b.referring_customer_pk, ?2, ?3, ?4, 'active', ?5, ?6, ?7,
                CASE WHEN r.status = 'active' THEN ?8 END,
                CASE WHEN r.status = 'active' AND ?8 IS NOT NULL THEN ?3 END,
                CASE WHEN r.status = 'active' AND ?8 IS NOT NULL THEN 1 END,
                ?9, ?10, ?11
         FROM customers b LEFT JOIN customers r ON r.pk = b.referring_customer_pk
         WHERE b.pk = ?12
         ON CONFLICT (key) DO NOTHING`,
      )
      .bind(
        fields.key,
        amountE4,
        units,
        fields.action ?? 'sale',
        fields.rewardable === false ? 0 : 1,
        fields.product_id ?? null,
        fields.product_type ?? null,
        reward,
        nonce,
        createdAt,
        now,
        buyer.pk,
      ),
    // Only the request that inserted the row credits its reward (the unique index allows one).
    db
      .prepare(
        `INSERT OR IGNORE INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, transaction_pk, created_at)
         SELECT referring_customer_pk, reward_amount_e4, reward_units, 1, 'reward', pk, ?3
         FROM transactions WHERE key = ?1 AND create_nonce = ?2 AND reward_amount_e4 IS NOT NULL AND referring_customer_pk IS NOT NULL`,
      )
      .bind(fields.key, nonce, now),
    db.prepare(`${TRANSACTION_SELECT} WHERE t.key = ?1`).bind(fields.key),
  ]);
  const row = results.at(-1)?.results?.[0] as TransactionRow | undefined;
  // Nothing inserted and nothing there: the buyer was deleted between our read and the write.
  if (!row) throw customerNotFound();
  const transaction = presentTransaction(row);
  if (row.create_nonce === nonce) {
    await emit(c, 'transaction.created', transaction);
    await emitReward(c, transaction);
  }
  return ok(c, transaction);
}

/** A list filter naming a customer: a plain value (id, key or email) or `{id|key|email}`. */
function customerFilter(value: unknown, alias: 'c' | 'r', field: string, params: unknown[]): string {
  const n = params.length + 1;
  if (typeof value === 'string' || typeof value === 'number') {
    params.push(String(value));
    return `(${alias}.id = ?${n} OR ${alias}.key = ?${n} OR ${alias}.email = ?${n} COLLATE NOCASE)`;
  }
  const named = typeof value === 'object' && value !== null ? namedBy(value as Record<string, string | null>) : null;
  if (!named || typeof named[1] !== 'string') throw fieldError(field, `The ${field.replace(/_/g, ' ')} field must be a string.`);
  params.push(named[1]);
  return named[0] === 'email' ? `${alias}.email = ?${n} COLLATE NOCASE` : `${alias}.${named[0]} = ?${n}`;
}

/**
 * `GET /transactions`: every transaction, newest first (`sort=asc` for oldest), filtered by
 * `key`, `status` (`active`/`archived`), `customer` (the buyer) and `referring_customer` (the
 * referrer it rewarded; `partner_key` / `partner_email`, the n8n node's filters, mean the same).
 */
async function listTransactions(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const params = input(c);
  const where: string[] = [];
  const values: unknown[] = [];
  const errors: Record<string, string[]> = {};
  if (params.key != null) {
    values.push(String(params.key));
    where.push(`t.key = ?${values.length}`);
  }
  if (params.status != null) {
    if (params.status !== 'active' && params.status !== 'archived') errors.status = ['The selected status is invalid (active or archived).'];
    else {
      values.push(params.status);
      where.push(`t.status = ?${values.length}`);
    }
  }
  if (params.customer != null) where.push(customerFilter(params.customer, 'c', 'customer', values));
  if (params.referring_customer != null) where.push(customerFilter(params.referring_customer, 'r', 'referring_customer', values));
  if (params.partner_key != null) where.push(customerFilter({ key: params.partner_key }, 'r', 'partner_key', values));
  if (params.partner_email != null) where.push(customerFilter({ email: params.partner_email }, 'r', 'partner_email', values));
  const page = parsePage(params, errors);
  const { rows, total } = await pageOfTransactions(db, where.length > 0 ? where.join(' AND ') : '1 = 1', values, page);
  return c.json(listEnvelope(c.req.url, rows.map(presentTransaction), total, page));
}

async function getTransaction(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  return ok(c, presentTransaction(await transactionAt(c, db)));
}

/**
 * Archive and revoke-archive. Archived, a transaction stays listed (`status: archived`) and its
 * reward leaves the referrer's balance; restored, the reward it had earned is credited back
 * (the unique reward index allows it once, however many restores race).
 */
function setTransactionStatus(status: 'active' | 'archived') {
  return async (c: LocalContext): Promise<Response> => {
    const { db } = storage(c);
    const row = await transactionAt(c, db);
    if (row.status === status) return ok(c, presentTransaction(row));
    const now = timestamp();
    const reward =
      status === 'archived'
        ? db.prepare(`DELETE FROM balance_entries WHERE transaction_pk = ?1 AND source = 'reward'`).bind(row.pk)
        : db
            .prepare(
              `INSERT OR IGNORE INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, transaction_pk, created_at)
               SELECT referring_customer_pk, reward_amount_e4, reward_units, COALESCE(reward_is_currency, 1), 'reward', pk, ?2
               FROM transactions WHERE pk = ?1 AND status = 'active' AND reward_amount_e4 IS NOT NULL AND referring_customer_pk IS NOT NULL`,
            )
            .bind(row.pk, now);
    const results = await batch(db, [
      db
        .prepare(`UPDATE transactions SET status = ?2, archived_at = CASE WHEN ?2 = 'archived' THEN ?3 END, updated_at = ?3 WHERE pk = ?1`)
        .bind(row.pk, status, now),
      reward,
      db.prepare(`${TRANSACTION_SELECT} WHERE t.pk = ?1`).bind(row.pk),
    ]);
    return ok(c, presentTransaction(selected(results)));
  };
}

/** Delete (a refund): the transaction and the reward it earned are gone. */
async function deleteTransaction(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await transactionAt(c, db);
  await batch(db, [
    db.prepare(`DELETE FROM balance_entries WHERE transaction_pk = ?1 AND source = 'reward'`).bind(row.pk),
    db.prepare('DELETE FROM transactions WHERE pk = ?1').bind(row.pk),
  ]);
  await emit(c, 'transaction.deleted', presentTransaction(row));
  return ok(c, null);
}

export const transactions = new Hono<LocalEnv>()
  .post('/transactions', createTransaction)
  .get('/transactions', listTransactions)
  .get('/transactions/:key', getTransaction)
  .delete('/transactions/:key', deleteTransaction)
  .post('/transactions/:key/archive', setTransactionStatus('archived'))
  .post('/transactions/:key/revoke-archive', setTransactionStatus('active'));


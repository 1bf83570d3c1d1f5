import type { Click } from '../../../../shared/partnero';
import { parseRewardRule, rewardE4 } from '../config';
import { constraintError, customerNotFound, fieldError, LocalApiError } from '../errors';
import { customerRef, presentTransaction, timestamp, toE4, type TransactionRow } from '../present';
import { jsonBody, ok, storage, type LocalContext } from '../request';
import { clickSchema, parseInput, transactionSchema } from '../schemas';
import { findCustomerBy, TRANSACTION_SELECT } from '../store';
import type { RouteDef } from './types';

/**
 * A purchase by a customer. When the buyer was referred, the referrer is credited the
 * REWARD_RULE reward in the purchase's currency, in the same batch as the purchase itself.
 */
async function createTransaction(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const input = parseInput(transactionSchema, await jsonBody(c));
  // A bad REWARD_RULE is reported before anything is written.
  const rule = parseRewardRule(c.env.REWARD_RULE);
  const amountE4 = toE4(input.amount);
  if (amountE4 <= 0) throw fieldError('amount', 'The amount field must be at least 0.0001.');
  const { id, key } = input.customer;
  if (id == null && key == null) throw fieldError('customer', 'The customer.id or customer.key field is required.');
  // `customer.id` wins over `.key`, as for referring_customer.
  const buyer = id != null ? await findCustomerBy(db, 'id', id) : await findCustomerBy(db, 'key', key as string);
  if (!buyer) throw customerNotFound();
  const taken = await db.prepare('SELECT 1 FROM transactions WHERE key = ?1').bind(input.key).first();
  if (taken) throw fieldError('key', 'The key has already been taken.');

  const units = (input.amount_units ?? 'USD').toUpperCase();
  const referrerPk = buyer.referring_customer_pk;
  const reward = referrerPk === null ? null : rewardE4(rule, amountE4);
  const now = timestamp();
  const statements = [
    db
      .prepare(
        `INSERT INTO transactions (key, customer_pk, referring_customer_pk, amount_e4, amount_units, action,
                                   reward_amount_e4, reward_units, reward_is_currency, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
      )
      .bind(input.key, buyer.pk, referrerPk, amountE4, units, input.action, reward, reward === null ? null : units, reward === null ? null : 1, now),
  ];
  if (reward !== null && referrerPk !== null) {
    statements.push(
      db
        .prepare(
          `INSERT INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, transaction_pk, created_at)
           SELECT ?1, ?2, ?3, 1, 'reward', pk, ?4 FROM transactions WHERE key = ?5`,
        )
        .bind(referrerPk, reward, units, now, input.key),
    );
  }
  statements.push(db.prepare(`${TRANSACTION_SELECT} WHERE t.key = ?1`).bind(input.key));
  let results: D1Result[];
  try {
    results = await db.batch(statements);
  } catch (error) {
    throw constraintError(error) ?? error;
  }
  const row = results.at(-1)?.results?.[0] as TransactionRow | undefined;
  if (!row) throw new LocalApiError(409, 'The transaction was changed concurrently. Please retry.');
  return ok(c, presentTransaction(row));
}

/** A visit through a referral link (`?ref=KEY`), counted in the referrer's stats. */
async function recordClick(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const input = parseInput(clickSchema, await jsonBody(c));
  const customer = await findCustomerBy(db, 'key', input.key);
  if (!customer) throw customerNotFound();
  const [inserted, count] = await db.batch([
    db
      .prepare('INSERT INTO clicks (customer_pk, url, created_at) SELECT pk, ?2, ?3 FROM customers WHERE pk = ?1')
      .bind(customer.pk, input.url ?? null, timestamp()),
    db.prepare('SELECT COUNT(*) AS n FROM clicks WHERE customer_pk = ?1').bind(customer.pk),
  ]);
  if (inserted?.meta.changes !== 1) throw customerNotFound();
  const click: Click = {
    customer: customerRef(customer),
    clicks_count: Number((count?.results?.[0] as { n?: number } | undefined)?.n ?? 0),
  };
  return ok(c, click);
}

export const neighbourRoutes: RouteDef[] = [
  { method: 'POST', path: '/transactions', handler: createTransaction },
  { method: 'POST', path: '/clicks', handler: recordClick },
];

import { Hono } from 'hono';
import type { LocalContext, LocalEnv } from '../env';
import { customerNotFound, fieldError } from '../errors';
import { input } from '../input';
import { listEnvelope, parsePage } from '../pagination';
import {
  presentBalance,
  presentCustomer,
  presentStats,
  presentTransaction,
  timestamp,
  toE4,
  type BalanceRow,
} from '../present';
import { ok, pathCustomer, storage } from '../request';
import { creditSchema, parseInput } from '../schemas';
import { BALANCE_SELECT, balanceOf, pageOfCustomers, pageOfTransactions } from '../store';
import { emit } from '../webhooks/emit';

async function stats(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const row = await pathCustomer(c, db);
  const counts = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM clicks WHERE customer_pk = ?1) AS clicks,
              (SELECT COUNT(*) FROM customers WHERE referring_customer_pk = ?1 AND status = 'active') AS active`,
    )
    .bind(row.pk)
    .first<{ clicks: number; active: number }>();
  return ok(c, presentStats(row, base, { clicks: counts?.clicks ?? 0, active: counts?.active ?? 0 }));
}

async function referrals(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const page = parsePage(input(c));
  const row = await pathCustomer(c, db);
  const { rows, total } = await pageOfCustomers(db, 'c.referring_customer_pk = ?1', [row.pk], page);
  return c.json(listEnvelope(c.req.url, rows.map((r) => presentCustomer(r, base)), total, page));
}

/**
 * Purchases made by the customers this one referred, each with the reward it earned it.
 * Archived purchases are left out: their reward is not in the balance.
 */
async function transactions(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const page = parsePage(input(c));
  const row = await pathCustomer(c, db);
  const { rows, total } = await pageOfTransactions(db, "t.referring_customer_pk = ?1 AND t.status = 'active'", [row.pk], page);
  return c.json(listEnvelope(c.req.url, rows.map(presentTransaction), total, page));
}

async function balance(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await pathCustomer(c, db);
  return ok(c, presentBalance(row, await balanceOf(db, row.pk)));
}

async function credit(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await pathCustomer(c, db);
  const fields = parseInput(creditSchema, input(c));
  const amountE4 = toE4(fields.amount);
  if (amountE4 <= 0) throw fieldError('amount', 'The amount field must be at least 0.0001.');
  // Currency codes are case-insensitive: "usd" and "USD" are one balance.
  const units = fields.is_currency ? fields.amount_units.toUpperCase() : fields.amount_units;
  const [inserted, sums] = await db.batch([
    db
      .prepare(
        `INSERT INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, created_at)
         SELECT pk, ?2, ?3, ?4, 'credit', ?5 FROM customers WHERE pk = ?1`,
      )
      .bind(row.pk, amountE4, units, fields.is_currency ? 1 : 0, timestamp()),
    db.prepare(BALANCE_SELECT).bind(row.pk),
  ]);
  // The customer was deleted between our read and the write: nothing was credited.
  if (inserted?.meta.changes !== 1) throw customerNotFound();
  const balance = presentBalance(row, (sums?.results ?? []) as BalanceRow[]);
  await emit(c, 'customer.credited', {
    ...balance,
    credit: { amount: fields.amount, amount_units: units, is_currency: fields.is_currency },
  });
  return ok(c, balance);
}

export const customerData = new Hono<LocalEnv>()
  .get('/customers/:id/stats', stats)
  .get('/customers/:id/referrals', referrals)
  .get('/customers/:id/transactions', transactions)
  .get('/customers/:id/balance', balance)
  .post('/customers/:id/balance/credit', credit);

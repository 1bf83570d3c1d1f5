import { customerNotFound, fieldError } from '../errors';
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
import { jsonBody, ok, pathCustomer, storage, type LocalContext } from '../request';
import { creditSchema, parseInput } from '../schemas';
import { BALANCE_SELECT, balanceOf, pageOfCustomers, pageOfReferralTransactions } from '../store';
import type { RouteDef } from './types';

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
  const page = parsePage((n) => c.req.query(n));
  const row = await pathCustomer(c, db);
  const { rows, total } = await pageOfCustomers(db, 'c.referring_customer_pk = ?1', [row.pk], page.limit, page.offset);
  return c.json(listEnvelope(c.req.url, rows.map((r) => presentCustomer(r, base)), total, page));
}

/** Purchases made by the customers this one referred (each with the reward it earned). */
async function transactions(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const page = parsePage((n) => c.req.query(n));
  const row = await pathCustomer(c, db);
  const { rows, total } = await pageOfReferralTransactions(db, row.pk, page.limit, page.offset);
  return c.json(listEnvelope(c.req.url, rows.map(presentTransaction), total, page));
}

async function balance(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const row = await pathCustomer(c, db);
  return ok(c, presentBalance(row, await balanceOf(db, row.pk)));
}

async function credit(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const body = await jsonBody(c);
  const row = await pathCustomer(c, db);
  const input = parseInput(creditSchema, body);
  const amountE4 = toE4(input.amount);
  if (amountE4 <= 0) throw fieldError('amount', 'The amount field must be at least 0.0001.');
  // Currency codes are case-insensitive: "usd" and "USD" are one balance.
  const units = input.is_currency ? input.amount_units.toUpperCase() : input.amount_units;
  const [inserted, sums] = await db.batch([
    db
      .prepare(
        `INSERT INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, created_at)
         SELECT pk, ?2, ?3, ?4, 'credit', ?5 FROM customers WHERE pk = ?1`,
      )
      .bind(row.pk, amountE4, units, input.is_currency ? 1 : 0, timestamp()),
    db.prepare(BALANCE_SELECT).bind(row.pk),
  ]);
  // The customer was deleted between our read and the write: nothing was credited.
  if (inserted?.meta.changes !== 1) throw customerNotFound();
  return ok(c, presentBalance(row, (sums?.results ?? []) as BalanceRow[]));
}

export const customerDataRoutes: RouteDef[] = [
  { method: 'GET', path: '/customers/:id/stats', handler: stats },
  { method: 'GET', path: '/customers/:id/referrals', handler: referrals },
  { method: 'GET', path: '/customers/:id/transactions', handler: transactions },
  { method: 'GET', path: '/customers/:id/balance', handler: balance },
  { method: 'POST', path: '/customers/:id/balance/credit', handler: credit },
];

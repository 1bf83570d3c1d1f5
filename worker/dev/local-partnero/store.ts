import type { BalanceRow, CustomerRow, TransactionRow } from './present';

/**
 * D1 queries shared by the routes. Every read of a customer goes through CUSTOMER_SELECT so
 * `referrals_count` and `referring_customer` are always derived from stored rows.
 */

export const CUSTOMER_SELECT = `
SELECT c.pk, c.id, c.key, c.email, c.name, c.surname, c.status, c.approved, c.date_of_birth,
       c.created_at, c.updated_at, c.referring_customer_pk,
       (SELECT COUNT(*) FROM customers x WHERE x.referring_customer_pk = c.pk) AS referrals_count,
       r.id AS r_id, r.key AS r_key, r.email AS r_email, r.name AS r_name, r.surname AS r_surname
FROM customers c LEFT JOIN customers r ON r.pk = c.referring_customer_pk`;

export const TRANSACTION_SELECT = `
SELECT t.key, t.amount_e4, t.amount_units, t.action, t.reward_amount_e4, t.reward_units,
       t.reward_is_currency, t.created_at,
       c.id AS c_id, c.key AS c_key, c.email AS c_email, c.name AS c_name, c.surname AS c_surname,
       r.id AS r_id, r.key AS r_key, r.email AS r_email, r.name AS r_name, r.surname AS r_surname
FROM transactions t JOIN customers c ON c.pk = t.customer_pk
LEFT JOIN customers r ON r.pk = t.referring_customer_pk`;

/** The customer a path identifier names: its `id` first, then its `key`. */
export async function findCustomer(db: D1Database, identifier: string): Promise<CustomerRow | null> {
  return db
    .prepare(`${CUSTOMER_SELECT} WHERE c.id = ?1 OR c.key = ?1 ORDER BY (c.id = ?1) DESC LIMIT 1`)
    .bind(identifier)
    .first<CustomerRow>();
}

export async function findCustomerBy(db: D1Database, column: 'id' | 'key', value: string): Promise<CustomerRow | null> {
  // `column` is one of two literals, never input.
  return db.prepare(`${CUSTOMER_SELECT} WHERE c.${column} = ?1`).bind(value).first<CustomerRow>();
}

export async function customerByPk(db: D1Database, pk: number): Promise<CustomerRow | null> {
  return db.prepare(`${CUSTOMER_SELECT} WHERE c.pk = ?1`).bind(pk).first<CustomerRow>();
}

/** One page of customers matching `where` (newest first), and how many match in all. */
export async function pageOfCustomers(
  db: D1Database,
  where: string,
  params: unknown[],
  limit: number,
  offset: number,
): Promise<{ rows: CustomerRow[]; total: number }> {
  const n = params.length;
  const [rows, count] = await db.batch([
    db
      .prepare(`${CUSTOMER_SELECT} WHERE ${where} ORDER BY c.pk DESC LIMIT ?${n + 1} OFFSET ?${n + 2}`)
      .bind(...params, limit, offset),
    db.prepare(`SELECT COUNT(*) AS total FROM customers c WHERE ${where}`).bind(...params),
  ]);
  return {
    rows: (rows?.results ?? []) as CustomerRow[],
    total: Number((count?.results?.[0] as { total?: number } | undefined)?.total ?? 0),
  };
}

/** One page of the transactions `referrerPk` earned from (newest first), and the total. */
export async function pageOfReferralTransactions(
  db: D1Database,
  referrerPk: number,
  limit: number,
  offset: number,
): Promise<{ rows: TransactionRow[]; total: number }> {
  const [rows, count] = await db.batch([
    db
      .prepare(`${TRANSACTION_SELECT} WHERE t.referring_customer_pk = ?1 ORDER BY t.pk DESC LIMIT ?2 OFFSET ?3`)
      .bind(referrerPk, limit, offset),
    db.prepare('SELECT COUNT(*) AS total FROM transactions WHERE referring_customer_pk = ?1').bind(referrerPk),
  ]);
  return {
    rows: (rows?.results ?? []) as TransactionRow[],
    total: Number((count?.results?.[0] as { total?: number } | undefined)?.total ?? 0),
  };
}

export const BALANCE_SELECT = `
SELECT amount_units, is_currency, SUM(amount_e4) AS amount_e4 FROM balance_entries
WHERE customer_pk = ?1 GROUP BY amount_units, is_currency ORDER BY is_currency DESC, amount_units`;

export async function balanceOf(db: D1Database, customerPk: number): Promise<BalanceRow[]> {
  const { results } = await db.prepare(BALANCE_SELECT).bind(customerPk).all<BalanceRow>();
  return results;
}

import type { BalanceRow, CustomerRow, TransactionRow } from './present';

/**
 * D1 queries shared by the routes. Every read of a customer goes through CUSTOMER_SELECT so
 * `referrals_count`, `referring_customer` and the referral links are always derived from
 * stored rows.
 */

export const CUSTOMER_SELECT = `
SELECT c.pk, c.id, c.key, c.email, c.name, c.surname, c.status, c.approved, c.date_of_birth,
       c.created_at, c.updated_at, c.referring_customer_pk,
       (SELECT COUNT(*) FROM customers x WHERE x.referring_customer_pk = c.pk) AS referrals_count,
       (SELECT json_group_array(json_object('key', l.key, 'url', l.url))
          FROM (SELECT key, url FROM referral_links WHERE customer_pk = c.pk ORDER BY is_default DESC, pk) l) AS links_json,
       r.id AS r_id, r.key AS r_key, r.email AS r_email, r.name AS r_name, r.surname AS r_surname
FROM customers c LEFT JOIN customers r ON r.pk = c.referring_customer_pk`;

export const TRANSACTION_SELECT = `
SELECT t.pk, t.key, t.amount_e4, t.amount_units, t.action, t.status, t.rewardable, t.product_id, t.product_type,
       t.reward_amount_e4, t.reward_units, t.reward_is_currency, t.created_at, t.updated_at, t.archived_at,
       t.create_nonce, t.referring_customer_pk,
       c.id AS c_id, c.key AS c_key, c.email AS c_email, c.name AS c_name, c.surname AS c_surname,
       r.id AS r_id, r.key AS r_key, r.email AS r_email, r.name AS r_name, r.surname AS r_surname
FROM transactions t JOIN customers c ON c.pk = t.customer_pk
LEFT JOIN customers r ON r.pk = t.referring_customer_pk`;

/**
 * The customer an identifier names, as Partnero resolves "key, ID or email": its `id` first,
 * then its `key`, then its email (case-insensitive; the oldest customer when several share it).
 */
export async function findCustomer(db: D1Database, identifier: string): Promise<CustomerRow | null> {
  return db
    .prepare(
      `${CUSTOMER_SELECT} WHERE c.id = ?1 OR c.key = ?1 OR c.email = ?1 COLLATE NOCASE
       ORDER BY (c.id = ?1) DESC, (c.key = ?1) DESC, c.pk LIMIT 1`,
    )
    .bind(identifier)
    .first<CustomerRow>();
}

export type CustomerField = 'id' | 'key' | 'email';

/** The customer whose `field` is `value` (email case-insensitive, the oldest first). */
export async function findCustomerBy(db: D1Database, field: CustomerField, value: string): Promise<CustomerRow | null> {
  // `field` is one of three literals, never input.
  const where = field === 'email' ? 'c.email = ?1 COLLATE NOCASE' : `c.${field} = ?1`;
  return db.prepare(`${CUSTOMER_SELECT} WHERE ${where} ORDER BY c.pk LIMIT 1`).bind(value).first<CustomerRow>();
}

/** A customer named in a body by `{id | key | email}`: the first field given decides, in that order. */
export function namedBy(ref: { id?: string | null; key?: string | null; email?: string | null } | null | undefined): [CustomerField, string] | null {
  if (ref?.id != null) return ['id', ref.id];
  if (ref?.key != null) return ['key', ref.key];
  if (ref?.email != null) return ['email', ref.email];
  return null;
}

/**
 * The referrer a signup names. `referring_customer.key` is the `partnero_referral` cookie, which
 * holds whichever link the visitor followed: a customer key or the key of any of its links.
 */
export async function findReferrer(db: D1Database, field: 'id' | 'key', value: string): Promise<CustomerRow | null> {
  if (field === 'id') return findCustomerBy(db, 'id', value);
  return db
    .prepare(
      `${CUSTOMER_SELECT} WHERE c.key = ?1 OR c.pk = (SELECT customer_pk FROM referral_links WHERE key = ?1)
       ORDER BY (c.key = ?1) DESC LIMIT 1`,
    )
    .bind(value)
    .first<CustomerRow>();
}

export async function customerByPk(db: D1Database, pk: number): Promise<CustomerRow | null> {
  return db.prepare(`${CUSTOMER_SELECT} WHERE c.pk = ?1`).bind(pk).first<CustomerRow>();
}

export type SortOrder = 'asc' | 'desc';

/** Runs a page query and its count in one batch (one consistent snapshot). */
export async function pageOf<Row>(
  db: D1Database,
  select: D1PreparedStatement,
  count: D1PreparedStatement,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, total] = await db.batch([select, count]);
  return {
    rows: (rows?.results ?? []) as Row[],
    total: Number((total?.results?.[0] as { total?: number } | undefined)?.total ?? 0),
  };
}

/**
 * One page of `select … WHERE where`, ordered by `orderBy` (newest first unless `sort` is
 * `asc`), and how many rows of `countFrom` match `where`. `select`, `countFrom`, `where` and
 * `orderBy` are SQL written in this module and the routes, never input; values go in `params`.
 */
export async function pageWhere<Row>(
  db: D1Database,
  sql: { select: string; countFrom: string; orderBy: string },
  where: string,
  params: unknown[],
  page: { limit: number; offset: number; sort?: SortOrder },
): Promise<{ rows: Row[]; total: number }> {
  const n = params.length;
  const order = page.sort === 'asc' ? 'ASC' : 'DESC';
  return pageOf<Row>(
    db,
    db
      .prepare(`${sql.select} WHERE ${where} ORDER BY ${sql.orderBy} ${order} LIMIT ?${n + 1} OFFSET ?${n + 2}`)
      .bind(...params, page.limit, page.offset),
    db.prepare(`SELECT COUNT(*) AS total FROM ${sql.countFrom} WHERE ${where}`).bind(...params),
  );
}

/** One page of customers matching `where` (over CUSTOMER_SELECT's `c`), newest first unless `sort` is `asc`. */
export function pageOfCustomers(
  db: D1Database,
  where: string,
  params: unknown[],
  page: { limit: number; offset: number; sort?: SortOrder },
): Promise<{ rows: CustomerRow[]; total: number }> {
  return pageWhere<CustomerRow>(db, { select: CUSTOMER_SELECT, countFrom: 'customers c', orderBy: 'c.pk' }, where, params, page);
}

/** One page of transactions matching `where` (over TRANSACTION_SELECT's aliases), and the total. */
export function pageOfTransactions(
  db: D1Database,
  where: string,
  params: unknown[],
  page: { limit: number; offset: number; sort?: SortOrder },
): Promise<{ rows: TransactionRow[]; total: number }> {
  const countFrom = 'transactions t JOIN customers c ON c.pk = t.customer_pk LEFT JOIN customers r ON r.pk = t.referring_customer_pk';
  return pageWhere<TransactionRow>(db, { select: TRANSACTION_SELECT, countFrom, orderBy: 't.pk' }, where, params, page);
}

export async function transactionByKey(db: D1Database, key: string): Promise<TransactionRow | null> {
  return db.prepare(`${TRANSACTION_SELECT} WHERE t.key = ?1`).bind(key).first<TransactionRow>();
}

export const BALANCE_SELECT = `
SELECT amount_units, is_currency, SUM(amount_e4) AS amount_e4 FROM balance_entries
WHERE customer_pk = ?1 GROUP BY amount_units, is_currency ORDER BY is_currency DESC, amount_units`;

export async function balanceOf(db: D1Database, customerPk: number): Promise<BalanceRow[]> {
  const { results } = await db.prepare(BALANCE_SELECT).bind(customerPk).all<BalanceRow>();
  return results;
}

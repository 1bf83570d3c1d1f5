import { referralLinkBase } from './config';
import type { LocalContext } from './env';
import { customerNotFound, LocalConfigError } from './errors';
import type { CustomerRow, LinkBase } from './present';
import { findCustomer } from './store';

export type { LocalContext } from './env';

/** What every handler needs: the database and the referral link base, both checked. */
export function storage(c: LocalContext): { db: D1Database; base: LinkBase } {
  const db = c.env.LOCAL_DB;
  if (!db) throw new LocalConfigError('the D1 binding LOCAL_DB is missing (see wrangler.dev.toml [[d1_databases]]).');
  const url = referralLinkBase(c.env);
  return { db, base: { url, raw: c.env.REFERRAL_LINK_BASE ?? '' } };
}

/** A path parameter (`:id`, `:key`), or the 404 `missing` when it is empty. */
export function pathParam(c: LocalContext, name: string, missing = customerNotFound): string {
  const value = c.req.param(name);
  if (value === undefined || value === '') throw missing();
  return value;
}

/** The customer named by the `{id}` path parameter (id, key or email), or a 404. */
export async function pathCustomer(c: LocalContext, db: D1Database): Promise<CustomerRow> {
  const row = await findCustomer(db, pathParam(c, 'id'));
  if (!row) throw customerNotFound();
  return row;
}

/** Partnero's success envelope. */
export function ok<T>(c: LocalContext, data: T): Response {
  return c.json({ data, status: 1 }, 200);
}

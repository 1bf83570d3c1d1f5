import type { Context } from 'hono';
import type { DevAppEnv as AppEnv } from '../env';
import { referralLinkBase } from './config';
import { customerNotFound, LocalApiError, LocalConfigError } from './errors';
import type { CustomerRow, LinkBase } from './present';
import { findCustomer } from './store';

export type LocalContext = Context<AppEnv>;

/** Largest request body the local API reads. */
const MAX_BODY_CHARS = 1_048_576;

/** What every handler needs: the database and the referral link base, both checked. */
export function storage(c: LocalContext): { db: D1Database; base: LinkBase } {
  const db = c.env.LOCAL_DB;
  if (!db) throw new LocalConfigError('the D1 binding LOCAL_DB is missing (see wrangler.dev.toml [[d1_databases]]).');
  const url = referralLinkBase(c.env);
  return { db, base: { url, raw: c.env.REFERRAL_LINK_BASE ?? '' } };
}

/**
 * The request's JSON body as an object. An empty body is `{}` (Laravel reads it as no
 * input); malformed JSON or a non-object is a 400, as Partnero answers.
 */
export async function jsonBody(c: LocalContext): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.length > MAX_BODY_CHARS) throw new LocalApiError(413, 'The request body is too large.');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LocalApiError(400, 'Malformed JSON in the request body.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LocalApiError(400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** The `{id}` path parameter. */
export function pathId(c: LocalContext): string {
  const id = c.req.param('id');
  if (id === undefined || id === '') throw customerNotFound();
  return id;
}

/** The customer named by the `{id}` path parameter (id first, then key), or a 404. */
export async function pathCustomer(c: LocalContext, db: D1Database): Promise<CustomerRow> {
  const row = await findCustomer(db, pathId(c));
  if (!row) throw customerNotFound();
  return row;
}

/** Partnero's success envelope. */
export function ok<T>(c: LocalContext, data: T): Response {
  return c.json({ data, status: 1 }, 200);
}

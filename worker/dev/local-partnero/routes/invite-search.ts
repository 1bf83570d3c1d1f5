import { Hono } from 'hono';
import type { Invite } from '../../../../shared/partnero';
import type { LocalContext, LocalEnv } from '../env';
import { validationError } from '../errors';
import { input, textParam } from '../input';
import { presentCustomer, timestamp, type CustomerRow } from '../present';
import { ok, storage } from '../request';
import { inviteSchema, parseInput } from '../schemas';
import { CUSTOMER_SELECT } from '../store';

/** Search answers at most this many customers (an email may be shared). */
const SEARCH_LIMIT = 250;
const SEARCH_VALUE_MAX = 254;

/** Records the invitation (the local API sends no email) and answers it. */
async function invite(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const fields = parseInput(inviteSchema, input(c));
  const invitation: Invite = {
    email: fields.email,
    name: fields.name ?? null,
    personalization: fields.personalization ?? {},
    created_at: timestamp(),
  };
  await db
    .prepare('INSERT INTO invites (email, name, personalization, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(invitation.email, invitation.name, JSON.stringify(invitation.personalization), invitation.created_at)
    .run();
  return ok(c, invitation);
}

/**
 * Customers matching every given filter: `key`, `id`, `email` (case-insensitive), from the query
 * string or the body (the PHP SDK's Referrals::search sends a JSON body on GET).
 */
async function search(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const filters: Array<[string, string]> = [];
  const errors: Record<string, string[]> = {};
  for (const [name, column] of [
    ['key', 'c.key = ?'],
    ['id', 'c.id = ?'],
    ['email', 'c.email = ? COLLATE NOCASE'],
  ] as const) {
    const value = textParam(c, name);
    if (value === undefined) continue;
    if (value.length > SEARCH_VALUE_MAX) errors[name] = [`The ${name} field must not be greater than ${SEARCH_VALUE_MAX} characters.`];
    else filters.push([column, value]);
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  if (filters.length === 0) {
    throw validationError({ key: ['The key field is required when none of id / email are present.'] });
  }
  const where = filters.map(([sql], i) => sql.replace('?', `?${i + 1}`)).join(' AND ');
  const { results } = await db
    .prepare(`${CUSTOMER_SELECT} WHERE ${where} ORDER BY c.pk DESC LIMIT ${SEARCH_LIMIT}`)
    .bind(...filters.map(([, value]) => value))
    .all<CustomerRow>();
  return ok(c, results.map((r) => presentCustomer(r, base)));
}

/** `GET /test`: the API-key check the n8n credential and the PHP SDK's `test()` call first. */
function test(c: LocalContext): Response {
  return ok(c, { message: 'The API key is valid.' });
}

export const inviteSearch = new Hono<LocalEnv>()
  .post('/customers:invite', invite)
  .get('/customers:search', search)
  .get('/test', test);

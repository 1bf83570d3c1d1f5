import type { Invite } from '../../../../shared/partnero';
import { validationError } from '../errors';
import { presentCustomer, timestamp, type CustomerRow } from '../present';
import { jsonBody, ok, storage, type LocalContext } from '../request';
import { inviteSchema, parseInput } from '../schemas';
import { CUSTOMER_SELECT } from '../store';
import type { RouteDef } from './types';

/** Search answers at most this many customers (an email may be shared). */
const SEARCH_LIMIT = 250;
const SEARCH_VALUE_MAX = 254;

/** Records the invitation (the local API sends no email) and answers it. */
async function invite(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const input = parseInput(inviteSchema, await jsonBody(c));
  const invitation: Invite = {
    email: input.email,
    name: input.name ?? null,
    personalization: input.personalization ?? {},
    created_at: timestamp(),
  };
  await db
    .prepare('INSERT INTO invites (email, name, personalization, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(invitation.email, invitation.name, JSON.stringify(invitation.personalization), invitation.created_at)
    .run();
  return ok(c, invitation);
}

/** Customers matching every given filter: `key`, `id`, `email` (case-insensitive). */
async function search(c: LocalContext): Promise<Response> {
  const { db, base } = storage(c);
  const filters: Array<[string, string]> = [];
  const errors: Record<string, string[]> = {};
  for (const [name, column] of [
    ['key', 'c.key = ?'],
    ['id', 'c.id = ?'],
    ['email', 'c.email = ? COLLATE NOCASE'],
  ] as const) {
    const value = c.req.query(name);
    if (value === undefined || value === '') continue;
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

export const inviteSearchRoutes: RouteDef[] = [
  { method: 'POST', path: '/customers:invite', handler: invite },
  { method: 'GET', path: '/customers:search', handler: search },
];

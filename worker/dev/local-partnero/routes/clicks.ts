import { Hono } from 'hono';
import type { Click } from '../../../../shared/partnero';
import type { LocalContext, LocalEnv } from '../env';
import { customerNotFound } from '../errors';
import { input } from '../input';
import { customerRef, timestamp } from '../present';
import { ok, storage } from '../request';
import { clickSchema, parseInput } from '../schemas';
import { findReferrer } from '../store';

/**
 * `POST /clicks` (a local extension, not Partnero's API): a visit through a referral link,
 * `{key}` being the `?ref=` key (any link of the customer), counted in the customer's stats.
 */
async function recordClick(c: LocalContext): Promise<Response> {
  const { db } = storage(c);
  const fields = parseInput(clickSchema, input(c));
  const customer = await findReferrer(db, 'key', fields.key);
  if (!customer) throw customerNotFound();
  const [inserted, count] = await db.batch([
    db
      .prepare('INSERT INTO clicks (customer_pk, url, created_at) SELECT pk, ?2, ?3 FROM customers WHERE pk = ?1')
      .bind(customer.pk, fields.url ?? null, timestamp()),
    db.prepare('SELECT COUNT(*) AS n FROM clicks WHERE customer_pk = ?1').bind(customer.pk),
  ]);
  if (inserted?.meta.changes !== 1) throw customerNotFound();
  const click: Click = {
    customer: customerRef(customer),
    clicks_count: Number((count?.results?.[0] as { n?: number } | undefined)?.n ?? 0),
  };
  return ok(c, click);
}

export const clicks = new Hono<LocalEnv>().post('/clicks', recordClick);

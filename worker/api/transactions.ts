import { Hono } from 'hono';
import type { Paged, TransactionItem } from '../../shared/widget-api';
import type { AppEnv } from '../env';
import { upstreamFor } from './client';
import { rethrowUpstream } from './errors';
import { pageQuery } from './input';
import { toPaged, toTransactionItem } from './present';

/** `GET /api/me/transactions?page&per_page`: purchases of referred friends and what they earned this customer. */
export const transactions = new Hono<AppEnv>().get('/', async (c) => {
  const query = pageQuery(c);
  const customerKey = c.get('customerKey');
  try {
    const list = await upstreamFor(c).getCustomerTransactions(customerKey, { page: query.page, limit: query.per_page });
    const body: Paged<TransactionItem> = toPaged(list, query, (t) => toTransactionItem(t, customerKey));
    return c.json(body);
  } catch (err) {
    rethrowUpstream(err);
  }
});

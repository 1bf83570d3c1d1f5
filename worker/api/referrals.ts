import { Hono } from 'hono';
import type { Paged, ReferralItem } from '../../shared/widget-api';
import type { AppEnv } from '../env';
import { upstreamFor } from './client';
import { rethrowUpstream } from './errors';
import { pageQuery } from './input';
import { toPaged, toReferralItem } from './present';

/** `GET /api/me/referrals?page&per_page`: the customer's referred friends, masked. */
export const referrals = new Hono<AppEnv>().get('/', async (c) => {
  const query = pageQuery(c);
  try {
    const list = await upstreamFor(c).getCustomerReferrals(c.get('customerKey'), { page: query.page, limit: query.per_page });
    const body: Paged<ReferralItem> = toPaged(list, query, toReferralItem);
    return c.json(body);
  } catch (err) {
    rethrowUpstream(err);
  }
});

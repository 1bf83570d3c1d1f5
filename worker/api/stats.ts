import { Hono } from 'hono';
import type { MeStats } from '../../shared/widget-api';
import type { AppEnv } from '../env';
import { upstreamFor } from './client';
import { rethrowUpstream } from './errors';
import { toStats } from './present';

/** `GET /api/me/stats`: clicks and referral counts. */
export const stats = new Hono<AppEnv>().get('/', async (c) => {
  try {
    const body: MeStats = toStats(await upstreamFor(c).getCustomerStats(c.get('customerKey')));
    return c.json(body);
  } catch (err) {
    rethrowUpstream(err);
  }
});

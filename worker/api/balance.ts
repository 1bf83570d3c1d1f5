import { Hono } from 'hono';
import type { BalanceResponse } from '../../shared/widget-api';
import type { AppEnv } from '../env';
import { upstreamFor } from './client';
import { rethrowUpstream } from './errors';
import { toBalance } from './present';

/** `GET /api/me/balance`: the reward balance, per currency or unit (never cached: it changes on purchases). */
export const balance = new Hono<AppEnv>().get('/', async (c) => {
  try {
    const body: BalanceResponse = { balance: toBalance(await upstreamFor(c).getCustomerBalance(c.get('customerKey'))) };
    return c.json(body);
  } catch (err) {
    rethrowUpstream(err);
  }
});

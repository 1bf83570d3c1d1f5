import { Hono } from 'hono';
import type { MeResponse } from '../../shared/widget-api';
import type { AppEnv } from '../env';
import { loadMe, type MeData } from '../cache/me-cache';
import type { PartneroClient } from '../partnero/types';
import { executionCtx, upstreamFor } from './client';
import { PartneroError } from '../partnero/types';
import { isUpstreamNotFound, rethrowUpstream } from './errors';
import { toBalance, toCustomerState, toReferralLinks, toStats } from './present';

/** The first screen from upstream: customer, stats and balance fetched in parallel. */
export async function fetchMeData(client: PartneroClient, customerKey: string): Promise<MeData> {
  const [customer, stats, balance] = await Promise.all([
    client.getCustomer(customerKey),
    client.getCustomerStats(customerKey),
    client.getCustomerBalance(customerKey),
  ]);
  const links = toReferralLinks(customer, customerKey);
  return {
    customer: {
      key: customerKey,
      name: typeof customer.name === 'string' ? customer.name : null,
      email: typeof customer.email === 'string' ? customer.email : null,
      status: toCustomerState(customer.status),
    },
    referral_link: links[0]?.url ?? null,
    referral_links: links,
    stats: toStats(stats, customer),
    balance: toBalance(balance),
    offer: { headline: null, referrer_reward: null, friend_reward: null },
    invites: null,
  };
}

/** `GET /api/me`: the widget's whole first screen, cached per customer. */
export const me = new Hono<AppEnv>().get('/', async (c) => {
  const customerKey = c.get('customerKey');
  const ctx = executionCtx(c);
  try {
    const result = await loadMe(c.env, customerKey, () => fetchMeData(upstreamFor(c), customerKey), {
      // Any upstream failure but "no such customer" is better answered with the last known screen.
      serveStaleOn: (err) => err instanceof PartneroError && !isUpstreamNotFound(err),
      waitUntil: ctx ? (p) => ctx.waitUntil(p) : undefined,
    });
    c.header('X-Cache', result.source.toUpperCase());
    c.header('Server-Timing', `cache;desc="${result.source}"`, { append: true });
    const body: MeResponse = { ...result.data, stale: result.source === 'stale', fetched_at: new Date(result.fetchedAt).toISOString() };
    return c.json(body);
  } catch (err) {
    rethrowUpstream(err);
  }
});

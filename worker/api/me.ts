import type { Handler } from 'hono';
import type { MeResponse } from '../../shared/widget-api';
import { loadMe, type MeData } from '../cache/me-cache';
import { afterResponse } from '../context';
import type { AppEnv } from '../hono-env';
import { isUpstreamNotFound } from '../errors';
import { withCustomer } from '../identity';
import { PartneroError, type PartneroClient } from '../partnero/types';
import { toBalance, toCustomerState, toReferralLinks, toStats } from './present';

/**
 * The first screen from upstream: customer, stats and balance fetched in parallel, in one
 * round trip; by the customer's own id again when the key named someone else.
 */
export async function fetchMeData(client: PartneroClient, customerKey: string): Promise<MeData> {
  const {
    customer,
    value: [stats, balance],
  } = await withCustomer(client, customerKey, (id) => Promise.all([client.getCustomerStats(id), client.getCustomerBalance(id)]));
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
export const me: Handler<AppEnv> = async (c) => {
  const customerKey = c.get('customerKey');
  const result = await loadMe(c.var.config, customerKey, () => fetchMeData(c.var.partnero(), customerKey), {
    // Any upstream failure but "no such customer" is better answered with the last known screen.
    serveStaleOn: (err) => err instanceof PartneroError && !isUpstreamNotFound(err),
    later: (work) => afterResponse(c, work),
  });
  c.header('X-Cache', result.source.toUpperCase());
  c.header('Server-Timing', `cache;desc="${result.source}"`, { append: true });
  const body: MeResponse = { ...result.data, stale: result.source === 'stale', fetched_at: new Date(result.fetchedAt).toISOString() };
  return c.json(body);
};

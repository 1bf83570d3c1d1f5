/**
 * The /api/me/* reads beyond the first screen: referred friends, rewards, balance and stats
 * of the token's customer. Each is one upstream round trip: the read runs beside the
 * customer lookup that proves the key is this customer's (see withCustomer).
 */
import type { Handler } from 'hono';
import type { BalanceResponse, MeStats, Paged, ReferralItem, TransactionItem } from '../../shared/widget-api';
import type { AppEnv } from '../hono-env';
import { withCustomer } from '../identity';
import { pageQuery } from './input';
import { toBalance, toPaged, toReferralItem, toStats, toTransactionItem } from './present';

/** `GET /api/me/referrals?page&per_page`: the customer's referred friends, masked. */
export const referrals: Handler<AppEnv> = async (c) => {
  const query = pageQuery(c);
  const client = c.var.partnero();
  const { value: list } = await withCustomer(client, c.get('customerKey'), (id) => client.getCustomerReferrals(id, { page: query.page, limit: query.per_page }));
  const body: Paged<ReferralItem> = toPaged(list, query, toReferralItem);
  return c.json(body);
};

/** `GET /api/me/transactions?page&per_page`: purchases of referred friends and what they earned this customer. */
export const transactions: Handler<AppEnv> = async (c) => {
  const query = pageQuery(c);
  const client = c.var.partnero();
  const { customer, value: list } = await withCustomer(client, c.get('customerKey'), (id) =>
    client.getCustomerTransactions(id, { page: query.page, limit: query.per_page }),
  );
  const body: Paged<TransactionItem> = toPaged(list, query, (t) => toTransactionItem(t, customer));
  return c.json(body);
};

/** `GET /api/me/balance`: the reward balance, per currency or unit (never cached: it changes on purchases). */
export const balance: Handler<AppEnv> = async (c) => {
  const client = c.var.partnero();
  const { value } = await withCustomer(client, c.get('customerKey'), (id) => client.getCustomerBalance(id));
  const body: BalanceResponse = { balance: toBalance(value) };
  return c.json(body);
};

/** `GET /api/me/stats`: clicks and referral counts. */
export const stats: Handler<AppEnv> = async (c) => {
  const client = c.var.partnero();
  const { customer, value } = await withCustomer(client, c.get('customerKey'), (id) => client.getCustomerStats(id));
  const body: MeStats = toStats(value, customer);
  return c.json(body);
};

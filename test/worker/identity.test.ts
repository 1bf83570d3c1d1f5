/**
 * Tokens name a customer by Partnero key. Partnero's GET /customers/{id} resolves its path
 * by id first, so a customer X whose id equals customer Y's key answers for Y's key: the
 * worker must still show Y its own screen, never X's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor, uniqueKey, upstream } from './helpers/api-client';

let x: { key: string; id: string };
let y: { key: string; id: string };

beforeAll(async () => {
  const yKey = uniqueKey('y');
  // X first, with an id equal to the key Y is about to get.
  const xKey = uniqueKey('x');
  await upstream().createCustomer({ key: xKey, id: yKey, email: `${xKey}@example.com`, name: 'Xavier' });
  const yId = uniqueKey('yid');
  await upstream().createCustomer({ key: yKey, id: yId, email: `${yKey}@example.com`, name: 'Yvonne' });
  x = { key: xKey, id: yKey };
  y = { key: yKey, id: yId };
  // X earns something Y does not, so a mix-up would show in the numbers too.
  await upstream().creditCustomerBalance(x.key, { amount: 99, amount_units: 'USD', is_currency: true });
  await upstream().createCustomer({ key: uniqueKey('friend'), referring_customer: { key: x.key } });
});

describe('identity by key', () => {
  it('shows Y its own first screen although X\'s id is Y\'s key', async () => {
    // The premise: the path lookup by Y's key answers with X.
    expect((await upstream().getCustomer(y.key)).name).toBe('Xavier');
    const res = await api('/api/me', { token: await tokenFor(y.key) });
    expect(res.status).toBe(200);
    expect(res.body.customer).toEqual({ key: y.key, name: 'Yvonne', email: `${y.key}@example.com`, status: 'active' });
    expect(res.body.referral_links.map((l: { key: string }) => l.key)).toEqual([y.key]);
    expect(res.body.balance).toEqual([]);
    expect(res.body.stats.referrals).toBe(0);
    expect(res.text).not.toContain('Xavier');
  });

  it('scopes every /api/me route to Y', async () => {
    const token = await tokenFor(y.key);
    expect((await api('/api/me/balance', { token })).body).toEqual({ balance: [] });
    expect((await api('/api/me/stats', { token })).body).toMatchObject({ referrals: 0 });
    expect((await api('/api/me/referrals', { token })).body).toMatchObject({ items: [], total: 0 });
    expect((await api('/api/me/transactions', { token })).body).toMatchObject({ items: [], total: 0 });
  });

  it('still shows X its own screen, found by its key', async () => {
    const res = await api('/api/me', { token: await tokenFor(x.key) });
    expect(res.status).toBe(200);
    expect(res.body.customer.name).toBe('Xavier');
    expect(res.body.balance).toEqual([{ amount: 99, currency: 'USD', is_currency: true }]);
    expect(res.body.stats.referrals).toBe(1);
  });

  it('treats a signup by Y as existing, not as X', async () => {
    const res = await api('/api/signup', { token: await tokenFor(y.key), body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'existing', customer_key: y.key, referred_by: null });
  });
});

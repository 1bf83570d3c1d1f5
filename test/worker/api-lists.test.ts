import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { maskEmail, shortName } from '../../worker/api/present';
import { setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, seedCustomer, tokenFor, uniqueKey, upstream } from './helpers/api-client';

afterEach(() => setLocalFault(null));

describe('masking', () => {
  it('masks emails as first character, ***, domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskEmail('Bob.Smith@Example.COM')).toBe('B***@example.com');
    expect(maskEmail('not-an-email')).toBeNull();
    expect(maskEmail('@example.com')).toBeNull();
    expect(maskEmail(null)).toBeNull();
  });

  it('never lets more than the first character of the local part through', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        const local = email.slice(0, email.lastIndexOf('@'));
        expect(masked).toBe(`${Array.from(local)[0]}***@${email.slice(email.lastIndexOf('@') + 1).toLowerCase()}`);
      }),
    );
  });

  it('reduces names to first name and initial', () => {
    expect(shortName('Jane', 'Doe')).toBe('Jane D.');
    expect(shortName('Jane Mary Doe', null)).toBe('Jane D.');
    expect(shortName('Jane', null)).toBe('Jane');
    expect(shortName(null, 'doe')).toBe('D.');
    expect(shortName('  ', null)).toBeNull();
    expect(shortName(42, {})).toBeNull();
  });

  it('never lets a surname through beyond its initial', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.stringMatching(/^[a-z]{3,20}$/), (first, surname) => {
        const out = shortName(first, surname) ?? '';
        expect(out).not.toContain(surname);
      }),
    );
  });
});

describe('GET /api/me/referrals', () => {
  it('lists referred friends, masked and paginated', async () => {
    const { key } = await seedCustomer();
    for (let i = 0; i < 3; i += 1) {
      await seedCustomer({ referrer: key, name: `Friend${i}`, surname: 'Lastname', email: `friend${i}.${key}@example.org` });
    }
    const token = await tokenFor(key);
    const first = await api('/api/me/referrals?per_page=2', { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, per_page: 2, total: 3, last_page: 2 });
    expect(first.body.items).toHaveLength(2);
    for (const item of first.body.items) {
      expect(item).toEqual({ name: expect.stringMatching(/^Friend\d L\.$/), email: 'f***@example.org', status: 'active', stage: 'signed_up', created_at: expect.any(String) });
    }
    expect(first.text).not.toContain('Lastname');
    expect(first.text).not.toContain(key);
    const second = await api('/api/me/referrals?per_page=2&page=2', { token });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.page).toBe(2);
  });

  it('shows an archived friend (Partnero status deleted) as archived', async () => {
    const { key } = await seedCustomer();
    const { key: friend } = await seedCustomer({ referrer: key });
    await upstream().archiveCustomer(friend);
    const res = await api('/api/me/referrals', { token: await tokenFor(key) });
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['archived']);
  });

  it('answers an empty page for a customer with no referrals', async () => {
    const { key } = await seedCustomer();
    const res = await api('/api/me/referrals', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], page: 1, per_page: 10, total: 0, last_page: 1 });
  });

  it('refuses bad paging with 422 validation_failed', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const q of ['per_page=0', 'per_page=51', 'page=0', 'page=-1', 'page=abc', 'per_page=1.5', 'page=99999999999']) {
      const res = await api(`/api/me/referrals?${q}`, { token });
      expect(res.status, q).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toBeDefined();
    }
  });

  it('answers 404 for a customer not in the program, and maps upstream failures', async () => {
    expect((await api('/api/me/referrals', { token: await tokenFor(uniqueKey()) })).status).toBe(404);
    const token = await tokenFor((await seedCustomer()).key);
    setLocalFault({ status: 500 });
    const res = await api('/api/me/referrals', { token });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('upstream_error');
  });
});

describe('GET /api/me/transactions', () => {
  it("lists friends' purchases with what they earned this customer", async () => {
    const { key } = await seedCustomer();
    const { key: friend } = await seedCustomer({ referrer: key, name: 'Bob', surname: 'Buyer' });
    await upstream().createTransaction({ key: uniqueKey('tx'), amount: 200, amount_units: 'USD', action: 'sale', customer: { key: friend } });
    const res = await api('/api/me/transactions', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, total: 1, last_page: 1 });
    expect(res.body.items).toEqual([
      { amount: 200, currency: 'USD', action: 'sale', reward: { amount: 20, currency: 'USD', is_currency: true }, customer_name: 'Bob B.', created_at: expect.any(String) },
    ]);
    expect(res.text).not.toContain(friend);
    expect(res.text).not.toContain('Buyer');
  });

  it('refuses bad paging and answers 404 for an unknown customer', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    expect((await api('/api/me/transactions?per_page=100', { token })).status).toBe(422);
    expect((await api('/api/me/transactions', { token: await tokenFor(uniqueKey()) })).status).toBe(404);
  });

  it('maps an upstream timeout to 504', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    setLocalFault({ status: 200, delayMs: 2000 });
    const res = await api('/api/me/transactions', { token, env: { UPSTREAM_TIMEOUT_MS: '60' } });
    expect(res.status).toBe(504);
  });
});

describe('GET /api/me/balance and /api/me/stats', () => {
  it('answers the balance per currency, fresh after a purchase', async () => {
    const { key } = await seedCustomer();
    const token = await tokenFor(key);
    expect((await api('/api/me/balance', { token })).body).toEqual({ balance: [] });
    const { key: friend } = await seedCustomer({ referrer: key });
    await upstream().createTransaction({ key: uniqueKey('tx'), amount: 50, amount_units: 'EUR', action: 'sale', customer: { key: friend } });
    const res = await api('/api/me/balance', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ balance: [{ amount: 5, currency: 'EUR', is_currency: true }] });
  });

  it('answers clicks and referral counts', async () => {
    const { key } = await seedCustomer();
    await seedCustomer({ referrer: key });
    await upstream().recordClick({ key });
    await upstream().recordClick({ key });
    const res = await api('/api/me/stats', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clicks: 2, referrals: 1, active_referrals: 1 });
  });

  it('answers 404 for an unknown customer and 503 when upstream is unavailable', async () => {
    const unknown = await tokenFor(uniqueKey());
    expect((await api('/api/me/balance', { token: unknown })).status).toBe(404);
    expect((await api('/api/me/stats', { token: unknown })).status).toBe(404);
    const token = await tokenFor((await seedCustomer()).key);
    setLocalFault({ status: 503 });
    for (const path of ['/api/me/balance', '/api/me/stats']) {
      const res = await api(path, { token });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('upstream_unavailable');
    }
  });
});

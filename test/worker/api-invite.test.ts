import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, exhausted, seedCustomer, tokenFor, uniqueKey } from './helpers/api-client';

afterEach(() => setLocalFault(null));

interface InviteRow {
  email: string;
  name: string | null;
  personalization: string;
}

async function invitesTo(email: string): Promise<InviteRow[]> {
  const rows = await env.LOCAL_DB!.prepare('SELECT email, name, personalization FROM invites WHERE email = ?1').bind(email).all<InviteRow>();
  return rows.results;
}

describe('POST /api/me/invite', () => {
  it("invites a friend through customers:invite with the customer's name and referral link", async () => {
    const { key } = await seedCustomer({ name: 'Alice' });
    const friend = `${uniqueKey('friend')}@example.net`;
    const res = await api('/api/me/invite', { token: await tokenFor(key), body: { email: `  ${friend}  `, name: 'Bob' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invited: true, email: friend, already_invited: false });
    const rows = await invitesTo(friend);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe('Bob');
    expect(JSON.parse(rows[0]?.personalization ?? '{}')).toEqual({ referrer_name: 'Alice', referral_link: expect.stringContaining(`ref=${key}`) });
  });

  it('refuses an invalid email with 422 validation_failed on the email field, sending nothing', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    for (const body of [{ email: 'not-an-email' }, { email: '' }, {}, { email: 42 }, { email: `${'a'.repeat(250)}@example.com` }, { email: 'x@example.com', name: '' }, { email: 'x@example.com', name: 'n'.repeat(101) }]) {
      const res = await api('/api/me/invite', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields ?? {}).length).toBeGreaterThan(0);
    }
    expect(await invitesTo('not-an-email')).toHaveLength(0);
  });

  it("refuses the customer's own email, in any case, whether stored upstream or in the token", async () => {
    const { key } = await seedCustomer({ email: 'me.myself@example.com' });
    const token = await tokenFor(key, { email: 'other.address@example.com' });
    for (const email of ['me.myself@example.com', 'ME.Myself@Example.com', 'Other.Address@example.com']) {
      const res = await api('/api/me/invite', { token, body: { email } });
      expect(res.status, email).toBe(422);
      expect(res.body.error.code, email).toBe('self_referral');
      expect(res.body.error.fields).toEqual({ email: [expect.any(String)] });
      expect(await invitesTo(email)).toHaveLength(0);
    }
  });

  it('is rate-limited per customer with RL_WRITE: 429 rate_limited with Retry-After', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const res = await api('/api/me/invite', { token, body: { email: 'friend@example.com' }, env: { RL_WRITE: exhausted } });
    expect(res.status).toBe(429);
    expect(res.body.error).toEqual({ code: 'rate_limited', message: expect.any(String), retry_after: 60 });
    expect(res.headers.get('Retry-After')).toBe('60');
  });

  it('stops a burst from one customer with the real rate-limit binding', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      const res = await api('/api/me/invite', { token, body: { email: `burst${i}.${uniqueKey()}@example.com` }, env: { RL_WRITE: env.RL_WRITE } });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(10);
    expect(statuses).toContain(429);
  });

  it('answers 404 for a customer not in the program, and maps upstream failures', async () => {
    const missing = await api('/api/me/invite', { token: await tokenFor(uniqueKey()), body: { email: 'friend@example.com' } });
    expect(missing.status).toBe(404);
    const token = await tokenFor((await seedCustomer()).key);
    setLocalFault({ status: 502 });
    const res = await api('/api/me/invite', { token, body: { email: 'friend@example.com' } });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('upstream_error');
  });

  it('needs a JSON body: 415 for other content types, 400 for malformed JSON', async () => {
    const token = await tokenFor((await seedCustomer()).key);
    const form = await api('/api/me/invite', { token, raw: 'email=a@b.co', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
    const broken = await api('/api/me/invite', { token, raw: '{"email": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('bad_request');
  });
});

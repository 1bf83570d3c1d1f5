import { afterEach, describe, expect, it } from 'vitest';
import { setLocalFault } from '../../worker/dev/local-partnero/faults';
import { api, exhausted, seedCustomer, uniqueKey, upstream } from './helpers/api-client';

afterEach(() => setLocalFault(null));

async function clicksOf(key: string): Promise<number> {
  return (await upstream().getCustomerStats(key)).clicks_count;
}

describe('POST /api/clicks (public)', () => {
  it('records a click on a referral link: 204, no token needed', async () => {
    const { key } = await seedCustomer();
    const res = await api('/api/clicks', { body: { referral_key: key, url: 'https://shop.example.com/landing?ref=x' } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await clicksOf(key)).toBe(1);
  });

  it('accepts text/plain bodies (sendBeacon, CORS simple requests)', async () => {
    const { key } = await seedCustomer();
    const res = await api('/api/clicks', { raw: JSON.stringify({ referral_key: key }), headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(res.status).toBe(204);
    expect(await clicksOf(key)).toBe(1);
  });

  it('answers 204 for an unknown referrer too, so the endpoint does not reveal which keys exist', async () => {
    const known = await api('/api/clicks', { body: { referral_key: (await seedCustomer()).key } });
    const unknown = await api('/api/clicks', { body: { referral_key: uniqueKey('nobody') } });
    expect(unknown.status).toBe(204);
    expect(unknown.text).toBe(known.text);
  });

  it('answers 204 even when upstream fails (a lost click is not worth a visitor-facing error)', async () => {
    const { key } = await seedCustomer();
    setLocalFault({ status: 500 });
    const res = await api('/api/clicks', { body: { referral_key: key } });
    expect(res.status).toBe(204);
  });

  it('validates the key and the url: 422 validation_failed', async () => {
    for (const body of [{}, { referral_key: '' }, { referral_key: '<script>' }, { referral_key: 'ok', url: 'javascript:alert(1)' }, { referral_key: 'ok', url: 'x'.repeat(3000) }, { referral_key: 'ok', url: 12 }]) {
      const res = await api('/api/clicks', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('needs JSON (or text/plain JSON): 415 otherwise, 400 when malformed', async () => {
    expect((await api('/api/clicks', { raw: 'referral_key=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await api('/api/clicks', { raw: '{', headers: { 'Content-Type': 'text/plain' } })).status).toBe(400);
    expect((await api('/api/clicks', { raw: '' })).status).toBe(400);
  });

  it('is rate-limited per IP and referrer, and per IP overall', async () => {
    const { key } = await seedCustomer();
    const perReferrer = await api('/api/clicks', { body: { referral_key: key }, env: { RL_WRITE: exhausted } });
    expect(perReferrer.status).toBe(429);
    const perIp = await api('/api/clicks', { body: { referral_key: key }, env: { RL_IP: exhausted } });
    expect(perIp.status).toBe(429);
    expect(perIp.headers.get('Retry-After')).toBe('60');
    expect(await clicksOf(key)).toBe(0);
  });
});

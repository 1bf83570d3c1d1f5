/**
 * What a page on another origin needs from the worker beyond CORS: the click beacon of
 * attribution.js is a no-cors request, so its answers must allow cross-origin embedding
 * (Cross-Origin-Resource-Policy), or Chromium blocks them and logs an error on every landing
 * page. The customer's data keeps the same-origin policy (its calls are CORS requests).
 */
import { describe, expect, it } from 'vitest';
import { api, seedCustomer, tokenFor } from './helpers/api-client';

const LANDING = 'https://www.landing.example';

describe('Cross-Origin-Resource-Policy', () => {
  it('is cross-origin, with Access-Control-Allow-Origin *, on every answer of /api/clicks', async () => {
    const { key } = await seedCustomer();
    const headers = { Origin: LANDING, 'Content-Type': 'text/plain' };
    const answers = [
      await api('/api/clicks', { raw: JSON.stringify({ referral_key: key, url: `${LANDING}/?ref=${key}` }), headers }),
      await api('/api/clicks', { raw: '{"referral_key": "no spaces allowed"}', headers }),
      await api('/api/clicks', { method: 'OPTIONS', headers: { Origin: LANDING, 'Access-Control-Request-Method': 'POST' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([204, 422, 204]);
    for (const res of answers) {
      expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
  });

  it('stays same-origin on the customer API, which browsers reach only with CORS', async () => {
    const { key } = await seedCustomer();
    const res = await api('/api/me/stats', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  });
});

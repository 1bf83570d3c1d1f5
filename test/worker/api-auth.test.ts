import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenRefusal } from '../../shared/widget-api';
import { DEV_TOKEN_SECRET } from '../../worker/dev/dev-secret';
import { AUDIENCE, PREVIOUS_SECRET, SECRET, api, seedCustomer, tokenFor, uniqueKey } from './helpers/api-client';
import { CUSTOMER_ENDPOINTS } from './helpers/api-endpoints';
import { b64url, craftToken, hmac, nowSeconds } from './helpers/api-tokens';
import { REMOTE_ENV, mockRemote } from './helpers/api-remote';

let key: string;
beforeAll(async () => {
  ({ key } = await seedCustomer());
});

/** Claims of a valid token for the seeded customer, to be spoiled one way at a time. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = nowSeconds() - 10;
  return { sub: key, aud: AUDIENCE, iat, exp: iat + 600, ...overrides };
}

/** A 401 with the named reason (and code token_expired only for that reason), logged the same way. */
async function expectRefused(token: string | null, reason: TokenRefusal, raw?: string) {
  const logged = vi.spyOn(console, 'log');
  const res = await api('/api/me/stats', raw !== undefined ? { headers: { Authorization: raw } } : { token });
  expect(res.status).toBe(401);
  const code = reason === 'token_expired' ? 'token_expired' : 'unauthorized';
  expect(res.body).toEqual({ error: { code, reason, message: expect.any(String) } });
  if (reason !== 'missing') {
    const lines = logged.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('customer token refused'));
    expect(lines.map((line) => JSON.parse(line).reason)).toEqual([reason]);
  }
  logged.mockRestore();
  expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="referral-widget"/);
  expect(res.headers.get('X-Request-Id')).toBeTruthy();
  expect(res.text).not.toContain(key);
}

describe('customer token: accepted', () => {
  it('accepts a token minted with shared/referral-token.js', async () => {
    const res = await api('/api/me/stats', { token: await tokenFor(key) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clicks: 0, referrals: 0, active_referrals: 0 });
  });

  it('accepts a token signed with the previous secret during a rotation', async () => {
    const res = await api('/api/me/stats', { token: await tokenFor(key, { secret: PREVIOUS_SECRET }) });
    expect(res.status).toBe(200);
  });

  it('keeps accepting old tokens after the secrets rotate, until the previous secret is removed', async () => {
    const oldToken = await tokenFor(key, { secret: SECRET });
    const rotated = { TOKEN_SECRET: 'a-brand-new-secret-0123456789abcdef', TOKEN_SECRET_PREVIOUS: SECRET };
    expect((await api('/api/me/stats', { token: oldToken, env: rotated })).status).toBe(200);
    const newToken = await tokenFor(key, { secret: rotated.TOKEN_SECRET });
    expect((await api('/api/me/stats', { token: newToken, env: rotated })).status).toBe(200);
    const done = { TOKEN_SECRET: rotated.TOKEN_SECRET, TOKEN_SECRET_PREVIOUS: '' };
    expect((await api('/api/me/stats', { token: oldToken, env: done })).status).toBe(401);
  });

  it('accepts the scheme name in any case and tolerates clock skew of a few seconds on iat', async () => {
    const token = await craftToken({ payload: claims({ iat: nowSeconds() + 5, exp: nowSeconds() + 600 }), secret: SECRET });
    const res = await api('/api/me/stats', { headers: { Authorization: `bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('honours nbf once it has passed', async () => {
    const token = await craftToken({ payload: claims({ nbf: nowSeconds() - 5 }), secret: SECRET });
    expect((await api('/api/me/stats', { token })).status).toBe(200);
  });
});

describe('customer token: the attack list', () => {
  it('refuses a missing token', async () => {
    await expectRefused(null, 'missing');
  });

  it('refuses other schemes and malformed headers', async () => {
    const token = await tokenFor(key);
    await expectRefused(null, 'missing', `Basic ${btoa('a:b')}`);
    await expectRefused(null, 'missing', token);
    await expectRefused(null, 'missing', 'Bearer');
    await expectRefused(null, 'missing', `Bearer ${token} extra`);
  });

  it('answers token_expired for an expired but otherwise valid token', async () => {
    const iat = nowSeconds() - 1000;
    await expectRefused(await craftToken({ payload: claims({ iat, exp: iat + 600 }), secret: SECRET }), 'token_expired');
  });

  it('answers unauthorized (not token_expired) for an expired token with a bad signature', async () => {
    const iat = nowSeconds() - 1000;
    await expectRefused(await craftToken({ payload: claims({ iat, exp: iat + 600 }), secret: 'not-the-secret-0123456789abcdefghij' }), 'bad_signature');
  });

  it('refuses a token that is not valid yet (nbf in the future) or issued in the future', async () => {
    await expectRefused(await craftToken({ payload: claims({ nbf: nowSeconds() + 600 }), secret: SECRET }), 'not_yet_valid');
    await expectRefused(await craftToken({ payload: claims({ iat: nowSeconds() + 600, exp: nowSeconds() + 1200 }), secret: SECRET }), 'not_yet_valid');
  });

  it('refuses a wrong or missing audience', async () => {
    await expectRefused(await tokenFor(key, { audience: 'another-app' }), 'bad_audience');
    const { aud: _aud, ...noAud } = claims();
    await expectRefused(await craftToken({ payload: noAud, secret: SECRET }), 'bad_audience');
  });

  it('refuses a wrong signature', async () => {
    await expectRefused(await tokenFor(key, { secret: 'someone-elses-secret-0123456789abcdef' }), 'bad_signature');
  });

  it('refuses alg none, whatever its spelling, with or without a signature', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await expectRefused(await craftToken({ header: { alg, typ: 'JWT' }, payload: claims(), secret: SECRET, sign: 'none' }), 'malformed');
      await expectRefused(await craftToken({ header: { alg, typ: 'JWT' }, payload: claims(), secret: SECRET }), 'malformed');
    }
  });

  it('refuses other algorithms even when signed with the right secret (HS512, HS384, RS256 key confusion)', async () => {
    await expectRefused(await craftToken({ header: { alg: 'HS512', typ: 'JWT' }, payload: claims(), secret: SECRET, sign: 'SHA-512' }), 'malformed');
    await expectRefused(await craftToken({ header: { alg: 'HS384', typ: 'JWT' }, payload: claims(), secret: SECRET, sign: 'SHA-384' }), 'malformed');
    await expectRefused(await craftToken({ header: { alg: 'RS256', typ: 'JWT' }, payload: claims(), secret: SECRET }), 'malformed');
    await expectRefused(await craftToken({ header: { typ: 'JWT' }, payload: claims(), secret: SECRET }), 'malformed');
  });

  it('refuses a tampered payload (sub swapped after signing)', async () => {
    const victim = (await seedCustomer()).key;
    const token = await tokenFor(key);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64url(JSON.stringify(claims({ sub: victim })))}.${signature}`;
    const res = await api('/api/me', { token: forged });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(victim);
  });

  it('refuses an oversized token, even a correctly signed one', async () => {
    await expectRefused(await craftToken({ payload: claims({ pad: 'x'.repeat(5000) }), secret: SECRET }), 'malformed');
  });

  it('refuses a lifetime longer than TOKEN_MAX_AGE_SECONDS, and missing exp or iat', async () => {
    await expectRefused(await tokenFor(key, { ttlSeconds: 7200, maxAgeSeconds: 7200 }), 'token_too_long_lived');
    const { exp: _exp, ...noExp } = claims();
    await expectRefused(await craftToken({ payload: noExp, secret: SECRET }), 'malformed');
    const { iat: _iat, ...noIat } = claims();
    await expectRefused(await craftToken({ payload: noIat, secret: SECRET }), 'malformed');
    await expectRefused(await craftToken({ payload: claims({ exp: 'soon' }), secret: SECRET }), 'malformed');
  });

  it('refuses a created_at that is not a time before the token', async () => {
    for (const created_at of ['yesterday', -1, nowSeconds() + 3600, null]) {
      await expectRefused(await craftToken({ payload: claims({ created_at }), secret: SECRET }), 'malformed');
    }
    expect((await api('/api/me/stats', { token: await tokenFor(key, { createdAt: nowSeconds() - 86_400 }) })).status).toBe(200);
  });

  it('refuses a sub that is not a customer key', async () => {
    for (const sub of ['', ' ', '../admin', 'a b', 'x'.repeat(200), 42, null, ['a']]) {
      await expectRefused(await craftToken({ payload: claims({ sub }), secret: SECRET }), 'malformed');
    }
  });

  it('refuses a header that is not a JWT header (typ, crit, not JSON)', async () => {
    await expectRefused(await craftToken({ header: { alg: 'HS256', typ: 'at+jwt' }, payload: claims(), secret: SECRET }), 'malformed');
    await expectRefused(await craftToken({ header: { alg: 'HS256', crit: ['exp'] }, payload: claims(), secret: SECRET }), 'malformed');
    const input = `${b64url('not json')}.${b64url(JSON.stringify(claims()))}`;
    await expectRefused(`${input}.${await hmac('SHA-256', SECRET, input)}`, 'malformed');
  });

  it('never answers anything but 401 to arbitrary strings as tokens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.base64String({ maxLength: 300 }), fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.'))), async (junk) => {
        const res = await api('/api/me/stats', { headers: { Authorization: `Bearer ${junk}` } });
        expect(res.status).toBe(401);
      }),
      { numRuns: 60 },
    );
  });
});

describe('customer token: configuration', () => {
  it('answers 503 not_configured naming TOKEN_SECRET when the production worker has no secret', async () => {
    const res = await api('/api/me', { production: true, token: await tokenFor(key), env: { ...REMOTE_ENV, TOKEN_SECRET: '', TOKEN_SECRET_PREVIOUS: '' } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'not_configured', message: expect.stringContaining('TOKEN_SECRET is required') } });
  });

  it('accepts the built-in dev secret only in the dev composition, and only with no secret set', async () => {
    const token = await tokenFor(key, { secret: DEV_TOKEN_SECRET });
    expect((await api('/api/me/stats', { token, env: { TOKEN_SECRET: '', TOKEN_SECRET_PREVIOUS: '' } })).status).toBe(200);
    expect((await api('/api/me/stats', { token })).status).toBe(401);
    const remote = mockRemote();
    try {
      const prod = await api('/api/me/stats', { production: true, token, env: { ...REMOTE_ENV, TOKEN_SECRET: '', TOKEN_SECRET_PREVIOUS: '' } });
      expect(prod.status).toBe(503);
    } finally {
      remote.restore();
    }
  });

  it('checks the audience configured in TOKEN_AUDIENCE', async () => {
    const token = await tokenFor(key, { audience: 'shop-widget' });
    expect((await api('/api/me/stats', { token, env: { TOKEN_AUDIENCE: 'shop-widget' } })).status).toBe(200);
    expect((await api('/api/me/stats', { token })).status).toBe(401);
  });

  it('does not ask for a token on the public click endpoint, and asks for one everywhere else', async () => {
    const anon = uniqueKey();
    for (const [method, path] of CUSTOMER_ENDPOINTS) {
      const res = await api(path, { method, body: method === 'POST' ? { email: `${anon}@example.com` } : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await api('/api/clicks', { body: { referral_key: key } })).status).toBe(204);
  });
});

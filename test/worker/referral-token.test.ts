/**
 * The token rules exist once (shared/referral-token.js): the mint helper host backends copy
 * and the worker's verifier apply the same claim check, so a minted token always verifies,
 * a tampered one never does, and a token the worker would refuse cannot be minted at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_KEY_PATTERN, TOKEN_RULES, mintCustomerToken, signupCustomer } from '../../shared/referral-token.js';
import { verifyCustomerToken } from '../../worker/auth/verify-token';
import { NUMERIC_SETTINGS } from '../../worker/config';
import { api, seedCustomer, tokenFor, uniqueKey } from './helpers/api-client';
import { b64url } from './helpers/api-tokens';

const SECRET = 'property-test-secret-0123456789abcdef';
const NOW = 1_780_000_000;

const customerKey = fc.stringMatching(CUSTOMER_KEY_PATTERN);
const mintable = fc.record({
  sub: customerKey,
  audience: fc.oneof(fc.constant(TOKEN_RULES.defaultAudience), fc.string({ minLength: 1, maxLength: 40 })),
  maxAgeSeconds: fc.integer({ min: TOKEN_RULES.maxAgeSeconds.min, max: TOKEN_RULES.maxAgeSeconds.max }),
  ttlFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  email: fc.option(fc.emailAddress(), { nil: undefined }),
  name: fc.option(fc.string({ minLength: 1, maxLength: 100 }), { nil: undefined }),
  age: fc.option(fc.integer({ min: 0, max: 10 * 365 * 86_400 }), { nil: undefined }),
});

function decode(part: string): Uint8Array {
  const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

describe('shared/referral-token.js: one set of rules', () => {
  it('is what the worker configuration allows for TOKEN_MAX_AGE_SECONDS', () => {
    const { min, max, default: fallback } = TOKEN_RULES.maxAgeSeconds;
    expect(NUMERIC_SETTINGS.TOKEN_MAX_AGE_SECONDS).toEqual({ min, max, fallback });
  });

  it('mints tokens the worker always accepts, with the claims it was given', async () => {
    await fc.assert(
      fc.asyncProperty(mintable, async (o) => {
        const ttlSeconds = Math.max(1, Math.floor(o.ttlFraction * o.maxAgeSeconds));
        const createdAt = o.age === undefined ? undefined : NOW - o.age;
        const token = await mintCustomerToken({ secret: SECRET, sub: o.sub, audience: o.audience, maxAgeSeconds: o.maxAgeSeconds, ttlSeconds, email: o.email, name: o.name, createdAt, now: NOW });
        expect(token.length).toBeLessThanOrEqual(TOKEN_RULES.maxTokenLength);
        const result = await verifyCustomerToken(token, { secrets: [SECRET], audience: o.audience, maxAgeSeconds: o.maxAgeSeconds, now: NOW });
        if (!result.ok) throw new Error(`refused: ${result.reason} (${result.detail})`);
        expect(result.claims.customerKey).toBe(o.sub);
        expect(result.claims.exp).toBe(NOW + ttlSeconds);
        expect(result.claims.createdAt).toBe(createdAt);
      }),
      { numRuns: 150 },
    );
  });

  it('never accepts a token whose header, claims or signature were changed', async () => {
    await fc.assert(
      fc.asyncProperty(customerKey, fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 255 }), async (sub, part, at, flip) => {
        const token = await mintCustomerToken({ secret: SECRET, sub, now: NOW });
        const parts = token.split('.');
        const bytes = decode(parts[part] ?? '');
        const i = at % bytes.length;
        bytes[i] = (bytes[i] ?? 0) ^ flip;
        parts[part] = b64url(bytes);
        const result = await verifyCustomerToken(parts.join('.'), { secrets: [SECRET], audience: TOKEN_RULES.defaultAudience, maxAgeSeconds: 3600, now: NOW });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['bad_signature', 'malformed']).toContain(result.reason);
      }),
      { numRuns: 200 },
    );
  });

  it('is refused as bad_signature under another secret, and as bad_audience for another audience', async () => {
    const token = await mintCustomerToken({ secret: SECRET, sub: 'alice', now: NOW });
    const check = { audience: TOKEN_RULES.defaultAudience, maxAgeSeconds: 3600, now: NOW };
    expect(await verifyCustomerToken(token, { ...check, secrets: ['another-secret-of-32-bytes-or-more!!'] })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verifyCustomerToken(token, { ...check, secrets: [SECRET], audience: 'other' })).toMatchObject({ ok: false, reason: 'bad_audience' });
  });

  it('refuses to mint, naming the option, what the worker would refuse', async () => {
    const base = { secret: SECRET, sub: 'alice', now: NOW };
    const cases: Array<[Partial<Parameters<typeof mintCustomerToken>[0]>, RegExp]> = [
      [{ secret: 'short' }, /secret must be the worker's TOKEN_SECRET, at least 32 bytes/],
      [{ sub: '../admin' }, /sub must be a customer key/],
      [{ sub: '' }, /sub must be a customer key/],
      [{ ttlSeconds: 7200 }, /ttlSeconds must be a whole number from 1 to 3600/],
      [{ ttlSeconds: 0 }, /ttlSeconds/],
      [{ ttlSeconds: 1.5 }, /ttlSeconds/],
      [{ maxAgeSeconds: 10 }, /maxAgeSeconds must be a whole number from 60 to 86400/],
      [{ createdAt: NOW * 1000 }, /createdAt looks like milliseconds/],
      [{ createdAt: -5 }, /createdAt must be a Date or seconds/],
      [{ createdAt: NOW + 3600 }, /would refuse this token \(malformed: created_at\)/],
      [{ audience: '' }, /audience must be a non-empty string/],
      [{ name: 'x'.repeat(5000) }, /over 4096 characters/],
    ];
    for (const [override, message] of cases) {
      await expect(mintCustomerToken({ ...base, ...override }), JSON.stringify(override).slice(0, 80)).rejects.toThrow(message);
    }
  });

  it('takes createdAt as a Date too', async () => {
    const token = await mintCustomerToken({ secret: SECRET, sub: 'alice', now: NOW, createdAt: new Date((NOW - 60) * 1000) });
    const result = await verifyCustomerToken(token, { secrets: [SECRET], audience: TOKEN_RULES.defaultAudience, maxAgeSeconds: 3600, now: NOW });
    expect(result).toMatchObject({ ok: true, claims: { createdAt: NOW - 60 } });
  });
});

/** The real dev app behind a fetch, as a host backend reaches the worker. */
const workerFetch: typeof fetch = async (input, init) => {
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  const res = await api(new URL(String(input)).pathname, {
    method: init?.method ?? 'GET',
    raw: typeof init?.body === 'string' ? init.body : null,
    headers,
  });
  return new Response(res.text || null, { status: res.status, headers: res.headers });
};

describe('signupCustomer (the host backend\'s signup hook)', () => {
  const workerUrl = 'https://refer.example.com/';

  it('creates the customer attributed to the referrer in the cookie', async () => {
    const { key: referrer } = await seedCustomer();
    const key = uniqueKey('new');
    const outcome = await signupCustomer({ workerUrl, token: await tokenFor(key), referralKey: referrer, fetch: workerFetch });
    expect(outcome).toEqual({ ok: true, result: 'created', customer_key: key, referred_by: referrer, dropped: null });
    expect(await signupCustomer({ workerUrl, token: await tokenFor(key), referralKey: referrer, fetch: workerFetch })).toMatchObject({ ok: true, result: 'existing', referred_by: referrer });
  });

  it('drops a referral the worker refuses and creates the customer unattributed', async () => {
    const key = uniqueKey('new');
    const unknown = uniqueKey('nobody');
    expect(await signupCustomer({ workerUrl, token: await tokenFor(key), referralKey: unknown, fetch: workerFetch })).toEqual({
      ok: true,
      result: 'created',
      customer_key: key,
      referred_by: null,
      dropped: { referral_key: unknown, code: 'referrer_not_found' },
    });
    expect(await signupCustomer({ workerUrl, token: await tokenFor(key), referralKey: key, fetch: workerFetch })).toMatchObject({
      ok: true,
      result: 'existing',
      dropped: { referral_key: key, code: 'self_referral' },
    });
  });

  it('drops a referral refused as attribution_window_closed (an account older than the window) and signs up without it', async () => {
    const bodies: string[] = [];
    const worker: typeof fetch = async (_url, init) => {
      const body = String(init?.body);
      bodies.push(body);
      return body.includes('referral_key')
        ? Response.json({ error: { code: 'attribution_window_closed', message: 'Too old.' } }, { status: 409 })
        : Response.json({ result: 'created', customer_key: 'old-user', referred_by: null }, { status: 201 });
    };
    expect(await signupCustomer({ workerUrl, token: 'x.y.z', referralKey: 'alice', fetch: worker })).toEqual({
      ok: true,
      result: 'created',
      customer_key: 'old-user',
      referred_by: null,
      dropped: { referral_key: 'alice', code: 'attribution_window_closed' },
    });
    expect(bodies).toEqual(['{"referral_key":"alice"}', '{}']);
  });

  it('reports a refused token with its reason, and an unreachable worker, without throwing', async () => {
    const token = await tokenFor(uniqueKey('new'), { secret: 'not-the-worker-secret-0123456789abcdef' });
    expect(await signupCustomer({ workerUrl, token, fetch: workerFetch })).toMatchObject({ ok: false, status: 401, code: 'unauthorized', reason: 'bad_signature' });
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await signupCustomer({ workerUrl, token, fetch: down })).toEqual({ ok: false, status: 0, code: 'network_error', reason: null, message: 'fetch failed' });
  });
});

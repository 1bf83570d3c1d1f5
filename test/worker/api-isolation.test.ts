import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET, api, seedCustomer, tokenFor, uniqueKey, upstream } from './helpers/api-client';
import { CUSTOMER_ENDPOINTS } from './helpers/api-endpoints';
import { b64url, craftToken, nowSeconds } from './helpers/api-tokens';

/** A customer with data that is recognisably theirs wherever it shows up. */
interface Seeded {
  key: string;
  /** Strings that belong to this customer and must never appear in another customer's answers. */
  markers: string[];
}

const POOL_SIZE = 5;
let pool: Seeded[] = [];

beforeAll(async () => {
  pool = [];
  for (let i = 0; i < POOL_SIZE; i += 1) {
    const tag = crypto.randomUUID().slice(0, 8);
    const key = `iso${i}-${tag}`;
    const email = `owner${tag}@owner-${tag}.example`;
    await seedCustomer({ key, email, name: `Owner${tag}` });
    const friendDomain = `friends-${tag}.example`;
    for (let f = 0; f < 2; f += 1) {
      const { key: friend } = await seedCustomer({ email: `f${f}${tag}@${friendDomain}`, name: `Friend${tag}`, surname: 'Zed', referrer: key });
      await upstream().createTransaction({ key: uniqueKey(`tx${tag}`), amount: 10 + i, amount_units: 'USD', action: 'sale', customer: { key: friend } });
    }
    await upstream().creditCustomerBalance(key, { amount: 100 + i, amount_units: `PTS${tag.toUpperCase()}`, is_currency: false });
    await upstream().recordClick({ key });
    pool.push({ key, markers: [key, email, `Owner${tag}`, friendDomain, `Friend${tag}`, `PTS${tag.toUpperCase()}`] });
  }
});

function othersMarkers(self: number): string[] {
  return pool.filter((_, i) => i !== self).flatMap((c) => c.markers);
}

function expectNoLeak(text: string, self: number, context: string): void {
  for (const marker of othersMarkers(self)) expect(text.includes(marker), `${context}: leaked ${marker}`).toBe(false);
}

describe('cross-customer access', () => {
  it("sees each customer's own markers in their own answers (so the leak checks below are not vacuous)", async () => {
    for (const [i, customer] of pool.entries()) {
      const token = await tokenFor(customer.key);
      const texts = await Promise.all(['/api/me', '/api/me/referrals', '/api/me/transactions', '/api/me/balance'].map(async (p) => (await api(p, { token })).text));
      const all = texts.join('\n');
      for (const marker of customer.markers) expect(all, `customer ${i} lacks ${marker}`).toContain(marker);
    }
  });

  it("answers only ever carry the token's own customer's data, whatever else the request names", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: POOL_SIZE - 1 }),
        fc.nat({ max: POOL_SIZE - 1 }),
        fc.constantFrom(...CUSTOMER_ENDPOINTS),
        fc.constantFrom('query', 'header', 'cookie', 'body', 'path'),
        async (self, target, [method, path], vector) => {
          const victim = pool[target]!.key;
          const token = await tokenFor(pool[self]!.key);
          const headers: Record<string, string> = {};
          let url: string = path;
          let body: unknown = method === 'POST' ? (path.endsWith('invite') ? { email: `someone-${uniqueKey()}@elsewhere.example` } : {}) : undefined;
          // Every way a request could try to name another customer besides the token.
          if (vector === 'query') url = `${path}?customer=${victim}&key=${victim}&id=${victim}&sub=${victim}`;
          if (vector === 'header') Object.assign(headers, { 'X-Customer-Key': victim, 'X-Forwarded-User': victim });
          if (vector === 'cookie') headers.Cookie = `customer_key=${victim}; partnero_referral=${victim}`;
          if (vector === 'body' && method === 'POST') body = { ...(body as object), customer_key: victim, key: victim, sub: victim, id: victim };
          if (vector === 'path') url = `${path}/${victim}`;
          const res = await api(url, { method, token, body, headers });
          expect(res.status, `${method} ${url}`).toBeLessThan(500);
          if (self !== target) expectNoLeak(res.text, self, `${method} ${url} via ${vector}`);
          if (method === 'GET' && path === '/api/me' && vector !== 'path') expect(res.body.customer.key).toBe(pool[self]!.key);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a token altered anywhere never opens another customer, and at most its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: POOL_SIZE - 1 }), fc.nat(), fc.integer({ min: 1, max: 63 }), async (self, position, xor) => {
        const token = await tokenFor(pool[self]!.key);
        const at = position % token.length;
        const code = token.charCodeAt(at) ^ xor;
        const mutated = `${token.slice(0, at)}${String.fromCharCode(code < 32 || code > 126 ? 65 : code)}${token.slice(at + 1)}`;
        const res = await api('/api/me', { token: mutated });
        if (res.status === 200) expect(res.body.customer.key).toBe(pool[self]!.key);
        else expect(res.status).toBe(401);
        expectNoLeak(res.text, self, 'mutated token');
      }),
      { numRuns: 150 },
    );
  });

  it("a token re-signed with a guessed secret, or claiming another customer's sub, is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: POOL_SIZE - 1 }), fc.string({ minLength: 32, maxLength: 64 }), async (target, guess) => {
        fc.pre(guess !== SECRET);
        const iat = nowSeconds();
        const forged = await craftToken({ payload: { sub: pool[target]!.key, aud: 'referral-widget', iat, exp: iat + 300 }, secret: guess });
        const res = await api('/api/me', { token: forged });
        expect(res.status).toBe(401);
        for (const marker of pool[target]!.markers) expect(res.text.includes(marker)).toBe(false);
        // The same claims spliced onto a genuine token's signature.
        const genuine = (await tokenFor(pool[(target + 1) % POOL_SIZE]!.key)).split('.');
        const spliced = `${genuine[0]}.${b64url(JSON.stringify({ sub: pool[target]!.key, aud: 'referral-widget', iat, exp: iat + 300 }))}.${genuine[2]}`;
        expect((await api('/api/me', { token: spliced })).status).toBe(401);
      }),
      { numRuns: 40 },
    );
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, seedCustomer, tokenFor } from './helpers/api-client';
import { ALL_ENDPOINTS } from './helpers/api-endpoints';

let token = '';
let key = '';
beforeAll(async () => {
  ({ key } = await seedCustomer());
  token = await tokenFor(key);
});

/** Bodies from outside: any JSON, near-miss shapes, raw text and bytes, broken encodings. */
const bodyArb = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record(
    {
      email: fc.oneof(fc.emailAddress(), fc.string(), fc.jsonValue()),
      name: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
      referral_key: fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,20}$/), fc.jsonValue()),
      url: fc.oneof(fc.webUrl(), fc.string(), fc.jsonValue()),
      // Computed: a literal `__proto__:` would set the prototype instead of adding the key.
      ['__proto__']: fc.jsonValue(),
      constructor: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 500 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => String.fromCharCode(...bytes)),
  fc.constant('{"email": "a@b.co", "email": 1}'),
  fc.constant('\uFEFF{"referral_key":"abc"}'),
  fc.constant('{"referral_key":"\\ud800"}'),
);

const contentTypeArb = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
  'application/jsonx',
  ';;;',
);

/** Query strings from outside: known names with odd values, unknown names, broken escapes. */
const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('page', 'per_page', 'customer', 'limit', '__proto__', ''), fc.string({ maxLength: 10 })),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom('%ZZ', '%', '%00', '1e3', '-0', '0x10', ' 1', '1 ', '١')),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

function expectEnvelopeIfError(res: { status: number; body: unknown }, context: string): void {
  expect(res.status, context).toBeLessThan(500);
  if (res.status >= 400 && res.status !== 405) {
    expect(res.body, context).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  }
}

describe('fuzzed input never gives a 500', () => {
  for (const [method, path] of ALL_ENDPOINTS) {
    it(`${method} ${path}: fuzzed ${method === 'POST' ? 'bodies and content types' : 'query strings'}`, async () => {
      await fc.assert(
        fc.asyncProperty(bodyArb, contentTypeArb, queryArb, fc.boolean(), async (body, contentType, query, withToken) => {
          const url = `${path}${query ? `?${query}` : ''}`;
          const res = await api(url, {
            method,
            token: withToken ? token : null,
            raw: method === 'POST' ? body : undefined,
            headers: method === 'POST' && contentType ? { 'Content-Type': contentType } : {},
          });
          expectEnvelopeIfError(res, `${method} ${url} [${contentType}] ${body.slice(0, 80)}`);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('random paths and methods under /api answer 404/405/401 in the envelope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom('me', 'referrals', 'invite', '..', '.', '%2e%2e', 'signup', 'clicks', ''), fc.string({ maxLength: 8 }).map(encodeURIComponent)), { maxLength: 4 }),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        async (segments, method) => {
          const res = await api(`/api/${segments.join('/')}`, { method, token, raw: method === 'GET' || method === 'HEAD' ? undefined : '{}' });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fuzzed headers (Authorization, Cookie, Origin, X-Request-Id, CF-Connecting-IP) never give a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          Authorization: fc.oneof(fc.string(), fc.constant(`Bearer ${'a'.repeat(10_000)}`), fc.string().map((s) => `Bearer ${s}`)),
          Cookie: fc.oneof(fc.string(), fc.string().map((s) => `partnero_referral=${s}`), fc.constant('partnero_referral=%E0%A4%A')),
          Origin: fc.oneof(fc.webUrl(), fc.string()),
          'X-Request-Id': fc.string({ maxLength: 300 }),
          'CF-Connecting-IP': fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
        }),
        fc.constantFrom(...ALL_ENDPOINTS),
        async (headers, [method, path]) => {
          const safe = Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)).map(([k, v]) => [k, v.trim()]));
          const res = await api(path, { method, raw: method === 'POST' ? '{}' : undefined, headers: safe });
          expectEnvelopeIfError(res, `${method} ${path} ${JSON.stringify(safe).slice(0, 200)}`);
        },
      ),
      { numRuns: 120 },
    );
  });
});

/**
 * The Python and PHP token snippets of docs/host-backend.md, run as written: the Python one
 * mints byte for byte the token the JavaScript helper mints for the same claims (a property
 * over random claims), and the worker answers its token 200 and a wrong secret's 401
 * bad_signature. PHP runs only where `php` is installed (npm test never needs it).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_KEY_PATTERN, TOKEN_RULES, mintCustomerToken } from '../../shared/referral-token.js';
import type { ApiErrorBody, MeResponse } from '../../shared/widget-api';
import { verifyCustomerToken } from '../../worker/auth/verify-token';
import { startWorker, type RunningWorker } from './harness';
import { onlyBlock } from './snippets';

const DOC = 'docs/host-backend.md';
const SECRET = 'snippet-test-token-secret-0123456789abcdef';
const WRONG_SECRET = 'not-the-worker-secret-0123456789abcdef';

interface Case {
  secret: string;
  sub: string;
  ttl: number;
  audience: string;
  now: number;
  extra: { email?: string; name?: string; created_at?: number };
}

/** Runs the doc's Python function once per case (one process for all), one token a line. */
function pythonTokens(cases: readonly Case[]): string[] {
  const driver = `
import sys
for line in sys.stdin:
    c = json.loads(line)
    print(mint_customer_token(c["secret"], c["sub"], c["ttl"], c["audience"], c["now"], **c["extra"]))
`;
  const run = spawnSync('python3', ['-c', onlyBlock(DOC, 'python') + driver], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    env: { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' },
  });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim().split('\n');
}

/** Runs the doc's PHP function: a token for `sub`. */
function phpToken(secret: string, sub: string): string {
  const code = `${onlyBlock(DOC, 'php').replace(/^<\?php\s*/, '')}\necho mint_customer_token($argv[1], $argv[2], 600, 'referral-widget', ['email' => 'alice@example.com']);`;
  const run = spawnSync('php', ['-r', code, secret, sub], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`php failed (${run.status}): ${run.stderr}${run.stdout}`);
  return run.stdout.trim();
}

const hasPhp = spawnSync('php', ['--version']).status === 0;

const claimCase = fc.record({
  sub: fc.stringMatching(CUSTOMER_KEY_PATTERN),
  ttl: fc.integer({ min: 1, max: TOKEN_RULES.maxAgeSeconds.default }),
  audience: fc.oneof(fc.constant(TOKEN_RULES.defaultAudience), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 })),
  now: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
  email: fc.option(fc.emailAddress(), { nil: undefined }),
  name: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { nil: undefined }),
  age: fc.option(fc.integer({ min: 0, max: 400_000_000 }), { nil: undefined }),
});

describe('the Python snippet', () => {
  it('mints exactly the token mintCustomerToken mints, for random claims, and the worker accepts it', async () => {
    const samples = fc.sample(claimCase, { numRuns: 200, seed: 12 });
    const cases: Case[] = samples.map((s) => ({
      secret: SECRET,
      sub: s.sub,
      ttl: s.ttl,
      audience: s.audience,
      now: s.now,
      extra: {
        ...(s.email !== undefined ? { email: s.email } : {}),
        ...(s.name !== undefined ? { name: s.name } : {}),
        ...(s.age !== undefined ? { created_at: s.now - s.age } : {}),
      },
    }));
    const fromPython = pythonTokens(cases);
    expect(fromPython).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const js = await mintCustomerToken({ secret: c.secret, sub: c.sub, ttlSeconds: c.ttl, audience: c.audience, now: c.now, email: c.extra.email, name: c.extra.name, createdAt: c.extra.created_at });
      expect(fromPython[i], JSON.stringify(c)).toBe(js);
      const verdict = await verifyCustomerToken(fromPython[i] ?? '', { secrets: [SECRET], audience: c.audience, maxAgeSeconds: TOKEN_RULES.maxAgeSeconds.default, now: c.now });
      expect(verdict.ok, JSON.stringify(c)).toBe(true);
    }
  });
});

describe('snippet tokens against the worker', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker({ seed: true, vars: { TOKEN_SECRET: SECRET } });
  }, 120_000);
  afterAll(async () => worker?.stop());

  async function me(token: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${worker.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  }

  it('answers a Python token 200 with the customer, and a wrong secret\'s 401 bad_signature', async () => {
    const [good, wrong, tooLong] = pythonTokens([
      { secret: SECRET, sub: 'alice', ttl: 600, audience: 'referral-widget', now: Math.floor(Date.now() / 1000), extra: { email: 'alice@example.com' } },
      { secret: WRONG_SECRET, sub: 'alice', ttl: 600, audience: 'referral-widget', now: Math.floor(Date.now() / 1000), extra: {} },
      { secret: SECRET, sub: 'alice', ttl: 7200, audience: 'referral-widget', now: Math.floor(Date.now() / 1000), extra: {} },
    ]);
    const ok = await me(good ?? '');
    expect(ok.status).toBe(200);
    expect((ok.body as MeResponse).customer.key).toBe('alice');
    const refused = await me(wrong ?? '');
    expect(refused.status).toBe(401);
    expect((refused.body as ApiErrorBody).error).toMatchObject({ code: 'unauthorized', reason: 'bad_signature' });
    expect((await me(tooLong ?? '')).body).toMatchObject({ error: { reason: 'token_too_long_lived' } });
  });

  it.skipIf(!hasPhp)('answers a PHP token 200, and a wrong secret\'s 401 bad_signature (only where php is installed)', async () => {
    const ok = await me(phpToken(SECRET, 'alice'));
    expect(ok.status).toBe(200);
    expect((ok.body as MeResponse).customer.key).toBe('alice');
    expect((await me(phpToken(WRONG_SECRET, 'alice'))).body).toMatchObject({ error: { reason: 'bad_signature' } });
  });
});

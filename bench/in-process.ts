/**
 * The worker's own cost per request, without an emulator in the way: the production
 * composition's `app.fetch` called N times in this Node process (upstream stubbed in
 * memory, cache warm, the platform's bindings replaced by in-memory doubles) against the
 * floor: a bare Hono app that verifies the same HS256 token with hono/jwt and returns the
 * same JSON. Also times the pieces of a cached GET /api/me one by one, so the difference
 * between the two has names.
 *
 * The worker is bundled by esbuild (as wrangler would) into a temporary module first: its
 * sources use extensionless imports that Node cannot load directly.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verify } from 'hono/jwt';
import { ROOT } from '../test/e2e/wrangler-process.ts';

export interface InProcessRow {
  name: string;
  /** Median over rounds of the mean µs per call within a round. */
  us: number;
}

export interface InProcessResult {
  iterations: number;
  rounds: number;
  floor: InProcessRow;
  production: InProcessRow;
  /** production ÷ floor; target ≤ 1.5. */
  ratio: number;
  variants: InProcessRow[];
  pieces: InProcessRow[];
}

interface Bundle {
  productionApp: { fetch(request: Request, env: object, ctx: object): Response | Promise<Response> };
  bareApp: { fetch(request: Request, env: object, ctx: object): Response | Promise<Response> };
  verifyCustomerToken(token: string, options: { secrets: readonly string[]; audience: string; maxAgeSeconds: number }): Promise<{ ok: boolean }>;
  hashKey(value: string): Promise<string>;
  redactSecrets(text: string, env: object): string;
  mintCustomerToken(options: { secret: string; sub: string; ttlSeconds?: number }): Promise<string>;
  parseConfig(env: object): unknown;
}

const SECRET = 'bench-in-process-secret-0123456789abcdef';
const REMOTE = 'https://partnero.bench.invalid/v1';

/** The module the bench imports: the production app and the pieces it is made of, plus the floor. */
const ENTRY = `
import { Hono } from 'hono';
import { verify } from 'hono/jwt';
export { app as productionApp } from './worker/index.ts';
export { verifyCustomerToken } from './worker/auth/verify-token.ts';
export { hashKey, redactSecrets } from './worker/log.ts';
export { mintCustomerToken } from './shared/referral-token.js';
export { parseConfig } from './worker/config.ts';

let body;
export const bareApp = new Hono().get('/api/me', async (c) => {
  const token = (c.req.header('Authorization') ?? '').slice(7);
  const payload = await verify(token, c.env.TOKEN_SECRET, 'HS256');
  body ??= JSON.parse(c.env.BODY);
  return c.json({ ...body, customer: { ...body.customer, key: payload.sub } });
});
`;

async function loadBundle(): Promise<{ bundle: Bundle; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'referral-bench-inproc-'));
  const outfile = join(dir, 'bundle.mjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outfile,
    logLevel: 'warning',
  });
  const bundle = (await import(pathToFileURL(outfile).href)) as Bundle;
  return { bundle, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Canned Partnero answers for the one customer the bench asks about. */
function stubUpstream(key: string): (input: RequestInfo | URL) => Promise<Response> {
  const customer = {
    id: key,
    key,
    name: 'Bench',
    email: 'bench@example.com',
    status: 'active',
    referrals_count: 3,
    referral_link: `https://shop.example/?ref=${key}`,
    referral_links: [`https://shop.example/?ref=${key}`],
  };
  const answers: Record<string, unknown> = {
    [`/customers/${key}`]: customer,
    [`/customers/${key}/stats`]: { clicks_count: 12, referrals_count: 3, active_referrals_count: 2 },
    [`/customers/${key}/balance`]: { customer, balance: { currency: [{ amount: 26.5, amount_units: 'USD', is_currency: true }] } },
  };
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const data = answers[url.pathname.replace(/^\/v1/, '')];
    if (data === undefined) return Response.json({ message: 'Not Found' }, { status: 404 });
    return Response.json({ data, status: 1 });
  };
}

const limiter = { limit: async () => ({ success: true }) };

function ctx() {
  const pending: Array<Promise<unknown>> = [];
  return { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => undefined, props: {}, pending };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Mean µs per call of `run` over `iterations`. */
async function batch(iterations: number, run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) await run();
  return ((performance.now() - started) * 1000) / iterations;
}

/** Mean µs per call of `run` over `iterations`, median over `rounds` rounds (after one warm-up round). */
async function time(name: string, iterations: number, rounds: number, run: () => Promise<unknown>): Promise<InProcessRow> {
  const means: number[] = [];
  for (let r = 0; r <= rounds; r += 1) {
    const us = await batch(iterations, run);
    if (r > 0) means.push(us);
  }
  return { name, us: round2(median(means)) };
}

/**
 * The candidates timed in interleaved rounds (A B C, A B C, ...), so that a machine that
 * slows down or speeds up during the run weighs on all of them alike; each candidate's
 * figure is its median, and its ratio to the first the median of the per-round ratios.
 */
async function interleaved(
  candidates: Array<{ name: string; run: () => Promise<unknown> }>,
  iterations: number,
  rounds: number,
): Promise<Array<InProcessRow & { ratio: number }>> {
  const us = candidates.map(() => [] as number[]);
  for (let r = 0; r <= rounds; r += 1) {
    for (const [i, c] of candidates.entries()) {
      const mean = await batch(iterations, c.run);
      if (r > 0) us[i]?.push(mean);
    }
  }
  const base = us[0] ?? [];
  return candidates.map((c, i) => {
    const own = us[i] ?? [];
    return { name: c.name, us: round2(median(own)), ratio: round2(median(own.map((v, r) => v / (base[r] ?? Number.NaN)))) };
  });
}

export async function measureInProcess(options: { iterations: number; rounds: number }): Promise<InProcessResult> {
  const { bundle, remove } = await loadBundle();
  const key = 'bench-customer';
  const realFetch = globalThis.fetch;
  const realLog = console.log;
  globalThis.fetch = stubUpstream(key) as typeof fetch;
  // The log line is still built (JSON, redaction, customer hash); only the terminal write is dropped.
  console.log = () => undefined;
  try {
    const token = await bundle.mintCustomerToken({ secret: SECRET, sub: key, ttlSeconds: 3600 });
    const headers = { Authorization: `Bearer ${token}` };
    const env = { PARTNERO_API_URL: REMOTE, PARTNERO_API_KEY: 'pk_bench', TOKEN_SECRET: SECRET, ALLOWED_ORIGINS: 'https://shop.example', RL_IP: limiter, RL_READ: limiter, RL_WRITE: limiter };
    const call = async (app: Bundle['productionApp'], e: object) => {
      const c = ctx();
      const res = await app.fetch(new Request('https://refer.example/api/me', { headers }), e, c);
      const text = await res.text();
      await Promise.all(c.pending);
      if (res.status !== 200) throw new Error(`in-process bench: ${res.status} ${text.slice(0, 200)}`);
      return text;
    };
    // Warm the cache, and take the body the floor will answer with.
    const productionBody = await call(bundle.productionApp, env);
    const parsed = JSON.parse(productionBody) as Record<string, unknown>;
    const bareEnv = { TOKEN_SECRET: SECRET, BODY: JSON.stringify(parsed) };
    await call(bundle.bareApp, bareEnv);

    const { iterations, rounds } = options;
    const withoutLimits = { ...env, RL_IP: undefined, RL_READ: undefined, RL_WRITE: undefined };
    const [floor, production, ...variants] = await interleaved(
      [
        { name: 'bare Hono + hono/jwt verify + same JSON', run: () => call(bundle.bareApp, bareEnv) },
        { name: 'production app, cached GET /api/me', run: () => call(bundle.productionApp, env) },
        { name: 'production app, no rate-limit bindings', run: () => call(bundle.productionApp, withoutLimits) },
      ],
      iterations,
      rounds,
    );
    if (!floor || !production) throw new Error('in-process bench: nothing measured');

    const line = JSON.stringify({ level: 'info', msg: 'request', time: new Date().toISOString(), id: crypto.randomUUID(), method: 'GET', path: '/api/me', status: 200, ms: 1.2 });
    const digestInput = new TextEncoder().encode(`me:${REMOTE}:${key}`);
    const pieces = [
      await time('token verify: worker (hono/jwt, HMAC key imported once per isolate)', iterations, rounds, () =>
        bundle.verifyCustomerToken(token, { secrets: [SECRET], audience: 'referral-widget', maxAgeSeconds: 3600 }),
      ),
      await time('token verify: floor (hono/jwt from the secret string, key imported per call)', iterations, rounds, () => verify(token, SECRET, 'HS256')),
      await time('SHA-256 digest, uncached (crypto.subtle)', iterations, rounds, () => crypto.subtle.digest('SHA-256', digestInput)),
      await time('customer-key digest as the worker takes it (remembered per isolate; cache URL and log tag)', iterations, rounds, () => bundle.hashKey(`me:${REMOTE}:${key}`)),
      await time('log line: JSON + secret redaction', iterations, rounds, async () => bundle.redactSecrets(line, env)),
      await time('request id (crypto.randomUUID)', iterations, rounds, async () => crypto.randomUUID()),
      await time('response JSON of the first screen', iterations, rounds, async () => JSON.stringify(parsed)),
      await time('parse the configuration (once per isolate; for scale)', Math.max(1, Math.floor(iterations / 10)), rounds, async () => bundle.parseConfig(env)),
    ];
    return { iterations, rounds, floor, production, ratio: production.ratio, variants, pieces };
  } finally {
    globalThis.fetch = realFetch;
    console.log = realLog;
    remove();
  }
}

// `node bench/in-process.ts`: this measurement alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await measureInProcess({ iterations: 2000, rounds: 5 });
  console.log(JSON.stringify(result, null, 2));
}

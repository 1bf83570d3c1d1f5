/**
 * What plain `wrangler deploy` ships is the product and nothing else. The dry-run bundle of
 * the top-level wrangler.toml (no --env, no --config) must hold none of the dev
 * composition: no dev token secret, no local API key or code, no demo routes. And the
 * production worker run with no secrets must explain itself, not crash or answer 502.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN_SECRET } from '../../worker/dev/dev-secret';
import { ROOT, runWrangler, startWranglerDev, type DevProcess } from './wrangler-process';

describe('the production bundle (wrangler deploy --dry-run)', () => {
  let out: string;
  let code: string;
  let sources: string[];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'referral-dry-run-'));
    // Exactly what a user types: the top-level config, no --env.
    await runWrangler(['deploy', '--dry-run', '--outdir', out]);
    const js = readdirSync(out).filter((f) => f.endsWith('.js'));
    code = js.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    sources = readdirSync(out)
      .filter((f) => f.endsWith('.js.map'))
      .flatMap((f) => (JSON.parse(readFileSync(join(out, f), 'utf8')) as { sources: string[] }).sources);
    const gzip = gzipSync(Buffer.from(code), { level: 9 }).length;
    console.info(`production bundle: ${Buffer.byteLength(code)} B raw, ${gzip} B gzip, ${sources.length} source files`);
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('is built from the product sources only: nothing under worker/dev/', () => {
    expect(sources.some((s) => s.includes('worker/index.ts'))).toBe(true);
    expect(sources.filter((s) => /worker\/dev\//.test(s))).toEqual([]);
    expect(sources.filter((s) => /local-partnero|\/demo\//.test(s))).toEqual([]);
  });

  it('holds none of the dev strings', () => {
    for (const needle of [DEV_TOKEN_SECRET, 'local_dev_key', '/demo/token', 'signup-token', 'local-partnero', 'LOCAL_DB', 'balance_entries', 'REWARD_RULE']) {
      expect(code.includes(needle), needle).toBe(false);
    }
  });
});

describe('the production worker with no secrets (wrangler dev on wrangler.toml)', () => {
  let worker: DevProcess;
  let dir: string;

  beforeAll(async () => {
    // A copy of wrangler.toml in a folder of its own, so no local .dev.vars can lend it secrets.
    dir = mkdtempSync(join(tmpdir(), 'referral-prod-dev-'));
    const assets = join(dir, 'assets');
    mkdirSync(assets);
    cpSync(join(ROOT, 'dist', 'public'), assets, { recursive: true });
    const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
      .replace(/^main = ".*"$/m, `main = ${JSON.stringify(join(ROOT, 'worker', 'index.ts'))}`)
      .replace(/^directory = ".*"$/m, `directory = ${JSON.stringify(assets)}`);
    writeFileSync(join(dir, 'wrangler.toml'), toml);
    worker = await startWranglerDev({
      config: join(dir, 'wrangler.toml'),
      persistTo: join(dir, 'state'),
      vars: { TOKEN_SECRET: 'short' },
      readyPath: '/healthz',
      readyTimeoutMs: 90_000,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    });
  }, 120_000);

  afterAll(async () => worker?.stop());

  it('answers /api/me 503 not_configured naming TOKEN_SECRET and PARTNERO_API_KEY, never their values', async () => {
    const res = await fetch(`${worker.url}/api/me`, { headers: { Authorization: 'Bearer x.y.z' } });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_configured');
    expect(body.error.message).toContain('TOKEN_SECRET must be at least 32 bytes');
    expect(body.error.message).toContain('PARTNERO_API_KEY is required');
    expect(body.error.message).not.toContain('short');
  });

  it('says what is wrong at /healthz', async () => {
    const res = await fetch(`${worker.url}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; problems: Array<{ setting: string }> };
    expect(body.status).toBe('not_configured');
    expect(body.problems.map((p) => p.setting).sort()).toEqual(['PARTNERO_API_KEY', 'TOKEN_SECRET']);
  });

  it('has no local API and no demo routes', async () => {
    for (const path of ['/v1/customers', '/demo/token?customer=alice', '/demo/']) {
      const res = await fetch(`${worker.url}${path}`, { headers: { Authorization: 'Bearer local_dev_key' } });
      expect(res.status, path).toBe(404);
    }
  });

  it('logs the problem once, naming the settings', () => {
    const lines = worker.log().split('\n').filter((l) => l.includes('configuration invalid'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toContain('TOKEN_SECRET');
    expect(lines.join('\n')).not.toContain('"short"');
  });
});

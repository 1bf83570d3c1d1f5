/**
 * `npm start -- --allow-origin http://localhost:3000`: a host site on another port may call
 * the local worker's /api for that run, on top of the configured ALLOWED_ORIGINS, and the
 * start prints the origins it allows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredAllowedOrigins, mergeOrigins, takeAllowOrigins } from '../../scripts/dev-vars';
import { ROOT, freePort } from './wrangler-process';

describe('--allow-origin arguments', () => {
  it('are taken out of the arguments wrangler gets, repeatable, in both spellings', () => {
    expect(takeAllowOrigins(['--allow-origin', 'http://localhost:3000', '--port', '9000', '--allow-origin=https://app.example.com/'])).toEqual({
      added: ['http://localhost:3000', 'https://app.example.com'],
      invalid: [],
      rest: ['--port', '9000'],
    });
  });

  it('refuse what is not exactly an origin', () => {
    const values = ['localhost:3000', 'http://localhost:3000/path', '*', 'ftp://x.example', 'https://u:p@x.example', ''];
    expect(takeAllowOrigins(values.flatMap((v) => ['--allow-origin', v])).invalid).toEqual(values);
  });

  it('join the configured origins, ranked as wrangler ranks them (--var, .dev.vars, wrangler.dev.toml)', () => {
    const toml = 'http://localhost:8787';
    expect(configuredAllowedOrigins([], {}, toml)).toBe(toml);
    expect(configuredAllowedOrigins([], { ALLOWED_ORIGINS: 'https://a.example' }, toml)).toBe('https://a.example');
    expect(configuredAllowedOrigins(['--var', 'ALLOWED_ORIGINS:https://b.example'], { ALLOWED_ORIGINS: 'https://a.example' }, toml)).toBe('https://b.example');
    expect(mergeOrigins('http://localhost:8787, http://127.0.0.1:8787', ['http://localhost:3000', 'http://localhost:8787'])).toEqual([
      'http://localhost:8787',
      'http://127.0.0.1:8787',
      'http://localhost:3000',
    ]);
  });
});

describe('npm start -- --allow-origin (a real start)', () => {
  let child: ChildProcess;
  let output = '';
  let base = '';
  const state = mkdtempSync(join(tmpdir(), 'referral-start-'));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      ['scripts/start.ts', '--allow-origin', 'http://localhost:3000', '--allow-origin=http://app.example.test:4000', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--show-interactive-dev-session=false'],
      { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 110_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      const up = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`npm start did not answer:\n${output}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 120_000);

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(state, { recursive: true, force: true });
  });

  it('prints the origins it allows, the configured ones and the added ones', () => {
    expect(output).toContain(
      'Browser origins allowed to call /api (ALLOWED_ORIGINS, with --allow-origin): http://localhost:8787, http://127.0.0.1:8787, http://localhost:3000, http://app.example.test:4000',
    );
  });

  it('gives the added origins CORS on /api, and still refuses others with origin_not_allowed', async () => {
    for (const origin of ['http://localhost:3000', 'http://app.example.test:4000', 'http://localhost:8787']) {
      const res = await fetch(`${base}/api/me`, { headers: { Origin: origin } });
      expect(res.status, origin).toBe(401);
      expect(res.headers.get('Access-Control-Allow-Origin'), origin).toBe(origin);
      expect(res.headers.get('Access-Control-Allow-Credentials'), origin).toBe('true');
    }
    const other = await fetch(`${base}/api/me`, { headers: { Origin: 'http://localhost:3001' } });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });
});

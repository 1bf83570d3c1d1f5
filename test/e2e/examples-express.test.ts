/**
 * examples/express in Chromium on three origins (see ./examples.ts): the README's embed
 * section as a developer follows it, with the example's own server, run by Node as is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './browser';
import { COOKIE_DOMAIN, joinFlowMissing, joinFromWidget, notEnrolledCustomer, referredSignup, threeOrigins, tokenEndpoint, workerOrigin } from './examples';
import { ROOT } from './wrangler-process';

const origins = await threeOrigins();
const e2e = useE2E(origins.e2e);
// The oldest Node the example promises (the machine's own, 20) when there is one; else the tests' Node.
const NODE = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;

let server: ChildProcess;
let output = '';

beforeAll(async () => {
  server = spawn(NODE, [join(ROOT, 'examples', 'express', 'server.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(origins.hostPort),
      HOST: '127.0.0.1',
      REFERRAL_WORKER_URL: workerOrigin(e2e),
      // Node cannot resolve *.example.test: the server reaches the worker on its loopback address.
      REFERRAL_API_URL: e2e.url,
      COOKIE_DOMAIN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Example host on')) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`examples/express did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => {
  server?.kill();
});

describe('examples/express on three origins', () => {
  it('credits alice when a friend lands on www with her link and signs up on app', async () => {
    await referredSignup(e2e, origins);
    expect(output).not.toMatch(/POST \/api\/signup:|not honoured/);
  });

  it('serves /referral-token to the signed-in customer only, never cached, with created_at from the user record', async () => {
    await tokenEndpoint(e2e, origins);
  });

  it('shows a signed-in customer who is not in the program the worker\'s not_enrolled answer', async () => {
    await notEnrolledCustomer(e2e, origins);
  });

  it('lets a customer who is not in the program join from the widget', async (ctx) => {
    const missing = await joinFlowMissing(e2e);
    if (missing) {
      // Straight to stderr: vitest keeps console output of tests that did not fail to itself.
      process.stderr.write(`\nexamples/express: ${missing}\n`);
      ctx.skip(missing);
    }
    await joinFromWidget(e2e, await notEnrolledCustomer(e2e, origins));
  });

  it('says which origin to add when the worker does not allow it', async () => {
    const tab = await e2e.open();
    // The same example reached on a host name the worker was not told about.
    const other = `http://shop.${COOKIE_DOMAIN}:${origins.hostPort}`;
    tab.allowConsoleErrors(/403|origin_not_allowed|ALLOWED_ORIGINS/);
    const answer = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me' && r.request().method() === 'GET');
    await tab.page.goto(`${other}/login`);
    await tab.page.getByLabel('Email').fill('alice@example.com');
    await tab.page.getByLabel('Password').fill('alice');
    await tab.page.getByRole('button', { name: 'Sign in' }).click();
    const me = await answer;
    expect(me.status()).toBe(403);
    const body = (await me.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain(other);
    expect(body.error.message).toContain('ALLOWED_ORIGINS');
  });
});

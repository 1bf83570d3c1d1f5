/**
 * examples/hono-worker in Chromium on three origins (see ./examples.ts): the same host site
 * as a Worker, run by this repository's wrangler with the example's own wrangler.toml.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { useE2E } from './browser';
import { COOKIE_DOMAIN, joinFlowMissing, joinFromWidget, notEnrolledCustomer, referredSignup, threeOrigins, tokenEndpoint, workerOrigin } from './examples';
import { ROOT, startWranglerDev, type DevProcess } from './wrangler-process';

const origins = await threeOrigins();
const e2e = useE2E(origins.e2e);
let host: DevProcess;

beforeAll(async () => {
  const state = mkdtempSync(join(tmpdir(), 'referral-example-host-'));
  host = await startWranglerDev({
    config: join(ROOT, 'examples', 'hono-worker', 'wrangler.toml'),
    port: origins.hostPort,
    persistTo: state,
    vars: {
      REFERRAL_WORKER_URL: workerOrigin(e2e),
      // workerd here cannot resolve *.example.test: the example reaches the worker on its loopback address.
      REFERRAL_API_URL: e2e.url,
      COOKIE_DOMAIN,
    },
    readyPath: '/login',
    readyTimeoutMs: 90_000,
    cleanup: () => rmSync(state, { recursive: true, force: true }),
  });
}, 120_000);

afterAll(async () => {
  await host?.stop();
});

describe('examples/hono-worker on three origins', () => {
  it('credits alice when a friend lands on www with her link and signs up on app', async () => {
    await referredSignup(e2e, origins);
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
      process.stderr.write(`\nexamples/hono-worker: ${missing}\n`);
      ctx.skip(missing);
    }
    await joinFromWidget(e2e, await notEnrolledCustomer(e2e, origins));
  });
});

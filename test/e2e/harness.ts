/**
 * End-to-end harness: a real `wrangler dev` on a free loopback port with its own fresh D1
 * state, for the browser tests, the curl examples and the benchmarks.
 *
 * Assumes `npm run build` has run (dist/dev holds the bundles and demo pages); the directory is created
 * when missing so wrangler's [assets] still starts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_CONFIG, ROOT, freePort, runWrangler, startWranglerDev } from './wrangler-process.ts';

export { ROOT, freePort };

export interface StartOptions {
  /** Wrangler vars overriding wrangler.toml (`--var K:V`), e.g. REFERRAL_LINK_BASE. */
  vars?: Record<string, string>;
  /** Apply demo/seed.sql after the migrations (default false). */
  seed?: boolean;
}

export interface RunningWorker {
  /** e.g. http://127.0.0.1:53123 (no trailing slash). */
  url: string;
  port: number;
  /** Stops wrangler and everything it started, and removes the temporary state. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/**
 * Starts the worker with fresh D1 state (migrations, plus the demo seed when asked) on a
 * free port of 127.0.0.1 and resolves once it answers HTTP.
 */
export async function startWorker(options: StartOptions = {}): Promise<RunningWorker> {
  mkdirSync(join(ROOT, 'dist', 'dev'), { recursive: true });
  const persistTo = mkdtempSync(join(tmpdir(), 'referral-widget-e2e-'));
  const cleanup = () => rmSync(persistTo, { recursive: true, force: true });
  try {
    await runWrangler(['d1', 'migrations', 'apply', 'LOCAL_DB', '--local', '--config', DEV_CONFIG, '--persist-to', persistTo]);
    if (options.seed) {
      await runWrangler(['d1', 'execute', 'LOCAL_DB', '--local', '--config', DEV_CONFIG, '--persist-to', persistTo, '--file', join('demo', 'seed.sql')]);
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  const { url, port, stop } = await startWranglerDev({
    persistTo,
    vars: options.vars,
    // /v1 without a key answers 401 quickly.
    readyPath: '/v1/customers',
    readyTimeoutMs: READY_TIMEOUT_MS,
    cleanup,
  });
  return { url, port, stop };
}

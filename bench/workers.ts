/**
 * Starts the workers the bench measures, each a real `wrangler dev` on a free 127.0.0.1 port
 * with its own fresh state, started by test/e2e/wrangler-process.ts as the e2e harness's are.
 *
 * Unlike test/e2e/harness.ts (which runs the project's wrangler.dev.toml as is), the bench
 * writes a copy of wrangler.dev.toml into a temporary directory with absolute paths, so that
 *  - the static assets come from a private copy of dist/public plus the bench pages
 *    (a concurrent `npm run build` elsewhere cannot pull files from under a measurement);
 *  - a variant without the [[ratelimits]] bindings can run (the worker lets requests
 *    through when a binding is absent), to separate the limiter's cost from the rest.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_CONFIG, ROOT, runWrangler, startWranglerDev, type DevProcess } from '../test/e2e/wrangler-process.ts';

const READY_TIMEOUT_MS = 120_000;

export type BenchWorker = DevProcess;

/** Replaces `key = "..."` on its own line, failing loudly when wrangler.toml changed shape. */
function setLine(toml: string, key: string, value: string): string {
  const pattern = new RegExp(`^${key} = ".*"$`, 'm');
  if (!pattern.test(toml)) throw new Error(`bench: wrangler.toml has no line \`${key} = "..."\``);
  return toml.replace(pattern, `${key} = ${JSON.stringify(value)}`);
}

/**
 * wrangler.toml with absolute paths, the given assets directory, and optionally without the
 * top-level [[ratelimits]] blocks (the production environment's are left alone).
 */
export function benchConfig(assetsDir: string, rateLimits: boolean): string {
  let toml = readFileSync(DEV_CONFIG, 'utf8');
  toml = setLine(toml, 'main', join(ROOT, 'worker', 'dev', 'index.ts'));
  toml = setLine(toml, 'directory', assetsDir);
  toml = setLine(toml, 'migrations_dir', join(ROOT, 'worker', 'dev', 'local-partnero', 'migrations'));
  if (!rateLimits) {
    const before = toml;
    toml = toml.replace(/^\[\[ratelimits\]\]\n(?:[^\n[].*\n)*/gm, '');
    if (toml === before || /^\[\[ratelimits\]\]/m.test(toml)) throw new Error('bench: could not remove [[ratelimits]] from wrangler.toml');
  }
  return toml;
}

/** A private copy of dist/dev with the bench pages under /bench/. */
export function assetsCopy(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'referral-bench-assets-'));
  cpSync(join(ROOT, 'dist', 'dev'), dir, { recursive: true });
  mkdirSync(join(dir, 'bench'), { recursive: true });
  cpSync(join(ROOT, 'bench', 'pages'), join(dir, 'bench'), { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StartOptions {
  /** Full text of the wrangler config to run. */
  config: string;
  vars?: Record<string, string>;
  /** Apply the D1 migrations first (the widget worker; not the bare one). */
  migrate: boolean;
}

/** Starts `wrangler dev` with `config` and resolves once it answers HTTP. */
export async function startBenchWorker(options: StartOptions): Promise<BenchWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'referral-bench-worker-'));
  const configPath = join(dir, 'wrangler.toml');
  writeFileSync(configPath, options.config);
  const persistTo = join(dir, 'state');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (options.migrate) await runWrangler(['d1', 'migrations', 'apply', 'LOCAL_DB', '--local', '--config', configPath, '--persist-to', persistTo]);
  } catch (error) {
    cleanup();
    throw error;
  }

  return startWranglerDev({
    persistTo,
    config: configPath,
    vars: options.vars,
    logLevel: 'warn',
    readyPath: '/__bench_ready',
    readyTimeoutMs: READY_TIMEOUT_MS,
    cleanup,
  });
}

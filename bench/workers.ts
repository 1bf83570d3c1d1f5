/**
 * Starts the workers the bench measures, each a real `wrangler dev` on a free 127.0.0.1 port
 * with its own fresh state, in its own process group so stopping reaches workerd too.
 *
 * Unlike test/e2e/harness.ts (which runs the project's wrangler.toml as is), the bench
 * writes a copy of wrangler.toml into a temporary directory with absolute paths, so that
 *  - the static assets come from a private copy of dist/public plus the bench pages
 *    (a concurrent `npm run build` elsewhere cannot pull files from under a measurement);
 *  - a variant without the [[ratelimits]] bindings can run (the worker lets requests
 *    through when a binding is absent), to separate the limiter's cost from the rest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../test/e2e/harness.ts';

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const READY_TIMEOUT_MS = 120_000;
const MAX_LOG_CHARS = 20_000;

export interface BenchWorker {
  /** e.g. http://127.0.0.1:53123 */
  url: string;
  /** The last lines wrangler printed (for error reports). */
  log(): string;
  stop(): Promise<void>;
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };
}

function runWrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-MAX_LOG_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}

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
  let toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  toml = setLine(toml, 'main', join(ROOT, 'worker', 'index.ts'));
  toml = setLine(toml, 'directory', assetsDir);
  toml = setLine(toml, 'migrations_dir', join(ROOT, 'migrations'));
  if (!rateLimits) {
    const before = toml;
    toml = toml.replace(/^\[\[ratelimits\]\]\n(?:[^\n[].*\n)*/gm, '');
    if (toml === before || /^\[\[ratelimits\]\]/m.test(toml)) throw new Error('bench: could not remove [[ratelimits]] from wrangler.toml');
  }
  return toml;
}

/** A private copy of dist/public with the bench pages under /bench/. */
export function assetsCopy(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'referral-bench-assets-'));
  cpSync(join(ROOT, 'dist', 'public'), dir, { recursive: true });
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
    if (options.migrate) await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--config', configPath, '--persist-to', persistTo]);
  } catch (error) {
    cleanup();
    throw error;
  }

  const port = await freePort();
  const inspectorPort = await freePort();
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    process.execPath,
    [
      WRANGLER, 'dev',
      '--config', configPath,
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-port', String(inspectorPort),
      '--persist-to', persistTo,
      '--show-interactive-dev-session=false',
      '--log-level', 'warn',
      ...vars,
    ],
    { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(child);
    cleanup();
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited ${child.exitCode} before answering:\n${output}`);
    }
    try {
      await fetch(`${url}/__bench_ready`, { signal: AbortSignal.timeout(2_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`wrangler dev did not answer on ${url} within ${READY_TIMEOUT_MS} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { url, log: () => output, stop };
}

/**
 * End-to-end harness: a real `wrangler dev` on a free loopback port with its own fresh D1
 * state, for the browser tests, the curl examples and the benchmarks.
 *
 * Assumes `npm run build` has run (dist/public holds the bundles); the directory is created
 * when missing so wrangler's [assets] still starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const READY_TIMEOUT_MS = 90_000;
const MAX_LOG_CHARS = 20_000;

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? 'true', NO_COLOR: '1' };
}

/** A port the OS says is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Runs a wrangler command to completion, rejecting with its output when it fails. */
function wrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-MAX_LOG_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/** Kills the whole process group (wrangler starts workerd beneath it), then waits for exit. */
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

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited ${child.exitCode} before answering:\n${log()}`);
    try {
      // Any HTTP answer means the worker runs; /v1 without a key answers 401 quickly.
      await fetch(`${url}/v1/customers`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${READY_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Starts the worker with fresh D1 state (migrations, plus the demo seed when asked) on a
 * free port of 127.0.0.1 and resolves once it answers HTTP.
 */
export async function startWorker(options: StartOptions = {}): Promise<RunningWorker> {
  mkdirSync(join(ROOT, 'dist', 'public'), { recursive: true });
  const persistTo = mkdtempSync(join(tmpdir(), 'referral-widget-e2e-'));
  const cleanup = () => rmSync(persistTo, { recursive: true, force: true });
  try {
    await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
    if (options.seed) {
      await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', join('demo', 'seed.sql')]);
    }
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
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-port', String(inspectorPort),
      '--persist-to', persistTo,
      '--show-interactive-dev-session=false',
      ...vars,
    ],
    // Its own process group, so stop() reaches workerd too.
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
  try {
    await waitUntilAnswering(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
}

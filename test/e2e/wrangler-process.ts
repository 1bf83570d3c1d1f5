/**
 * Running wrangler as a child process: one-off commands (D1 migrations, seeding) and a
 * `wrangler dev` on a free 127.0.0.1 port in its own process group, stopped together with
 * the workerd it starts. Shared by test/e2e/harness.ts and bench/workers.ts; no test-runner
 * imports here, so plain Node can load it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
/** The dev composition's config (local API, demo, dev secret): what `npm start`, the tests and the bench run. */
export const DEV_CONFIG = join(ROOT, 'wrangler.dev.toml');
const MAX_LOG_CHARS = 20_000;

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? 'true', NO_COLOR: '1' };
}

/** Keeps the last MAX_LOG_CHARS of what `child` prints, for error reports. */
function tail(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
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
export function runWrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const log = tail(child);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(' ')} exited ${code}:\n${log()}`)),
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

async function waitUntilAnswering(url: string, path: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited ${child.exitCode} before answering:\n${log()}`);
    try {
      // Any HTTP answer means the worker runs.
      await fetch(`${url}${path}`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

export interface DevOptions {
  /** D1 and other local state (`--persist-to`). */
  persistTo: string;
  /** The wrangler config (`--config`); the dev composition's by default. */
  config?: string;
  /** The port to listen on (all of 127.0.0.1's names); a free one by default. */
  port?: number;
  /** Wrangler vars overriding the config (`--var K:V`). */
  vars?: Record<string, string>;
  /** `--log-level`; wrangler's default when absent. */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** Path fetched until it answers, any status (e.g. one that answers quickly without work). */
  readyPath: string;
  readyTimeoutMs: number;
  /** Runs once the process group is gone, however the start or stop ends (e.g. removes state). */
  cleanup(): void;
}

export interface DevProcess {
  /** e.g. http://127.0.0.1:53123 (no trailing slash). */
  url: string;
  port: number;
  /** The last lines wrangler printed (for error reports). */
  log(): string;
  /** Stops wrangler and everything it started, then runs `cleanup`. */
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` on a free port of 127.0.0.1 in its own process group and resolves
 * once it answers HTTP; when it does not, stops it (and cleans up) before rejecting.
 */
export async function startWranglerDev(options: DevOptions): Promise<DevProcess> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    process.execPath,
    [
      WRANGLER, 'dev',
      '--config', options.config ?? DEV_CONFIG,
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-port', String(inspectorPort),
      '--persist-to', options.persistTo,
      '--show-interactive-dev-session=false',
      ...(options.logLevel ? ['--log-level', options.logLevel] : []),
      ...vars,
    ],
    // Its own process group, so stop() reaches workerd too.
    { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const log = tail(child);

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(child);
    options.cleanup();
  };
  try {
    await waitUntilAnswering(url, options.readyPath, child, log, options.readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, log, stop };
}

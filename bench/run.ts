/**
 * `npm run bench`: every figure of issue 5 in one run, printed as one table (each figure
 * against its baseline where it has one) and written to bench/results.json.
 *
 *   1 bundle sizes        widget.js / attribution.js vs budgets and the Preact + signals floor
 *   2 first screen        GET /api/me cold / warm vs L and vs a naive sequential client
 *   3 upstream protection concurrent cold loads vs upstream calls made
 *   4 throughput          cached GET /api/me vs a bare Hono handler, autocannon
 *   5 browser             Chromium navigation → link visible, widget vs naive widget
 *   6 attribution         signups/s healthy and on the queue path, final customer count
 *   7 cost floor          the production app's own µs per cached GET /api/me, in process, vs bare Hono + hono/jwt
 *
 * Everything runs against `wrangler dev` on 127.0.0.1 with fresh state. Loops are bounded in
 * count and time. The bench never fails on a figure; it exits 1 when a measurement breaks
 * (a worker does not start, a request answers what it never should).
 *
 * `npm run bench -- --quick` takes smaller samples (for checking the bench itself) and
 * writes its JSON to the system temp directory instead of bench/results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../test/e2e/harness.ts';
import { launchChromium } from '../test/e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { measureInProcess } from './in-process.ts';
import { BENCH_LOCAL_KEY, BENCH_TOKEN_SECRET, WorkerClient } from './http.ts';
import { measureLatency } from './latency.ts';
import { rowsOf, type Results } from './report.ts';
import { measureSignups } from './signups.ts';
import { measureSizes } from './sizes.ts';
import { formatTable, markdownTable } from './table.ts';
import { cachedLoadRequests, compare, warmCache } from './throughput.ts';
import { measureUpstream } from './upstream.ts';
import { assetsCopy, benchConfig, startBenchWorker, type BenchWorker } from './workers.ts';

const quick = process.argv.includes('--quick');
const LATENCY_MS = 50;
const SETTINGS = {
  upstreamLatencyMs: LATENCY_MS,
  latencySamples: quick ? 20 : 100,
  herdLoads: 50,
  herdCustomers: 10,
  throughputConnections: 16,
  throughputSeconds: quick ? 2 : 5,
  throughputRounds: 3,
  throughputWarmupSeconds: 1,
  throughputCustomers: 200,
  browserLoads: quick ? 3 : 15,
  signups: quick ? 20 : 100,
  signupConcurrency: 10,
  signupRepeatEvery: 10,
  drainBoundSeconds: 180,
  inProcessIterations: quick ? 300 : 2000,
  inProcessRounds: quick ? 3 : 7,
};
/** Past this, something hangs: stop everything and fail rather than run forever. */
const OVERALL_TIMEOUT_MS = 20 * 60_000;

const running = new Set<BenchWorker>();
/** Temporary directories to remove however the run ends. */
const cleanups: Array<() => void> = [];
const started = performance.now();
const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;

function step(what: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.error(`[bench ${s}s] ${what}`);
}

async function start(what: string, config: string, vars: Record<string, string>, migrate: boolean): Promise<BenchWorker> {
  step(`starting ${what}`);
  const worker = await startBenchWorker({ config, vars, migrate });
  running.add(worker);
  return worker;
}

async function stop(worker: BenchWorker): Promise<void> {
  running.delete(worker);
  await worker.stop();
}

function machine(chromiumVersion: string) {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  const wranglerVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'wrangler', 'package.json'), 'utf8')) as { version: string }).version;
  return {
    nproc: availableParallelism(),
    cpu: mhz ? `${model} (${Math.round(Number(mhz))} MHz)` : model,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    /** 1-minute load average at the start and the end: the machine is shared, so read the figures with it. */
    loadAverage: { start: loadAtStart, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
    node: process.version,
    os: `${process.platform} ${release()}`,
    wrangler: wranglerVersion,
    chromium: chromiumVersion,
  };
}

async function chromiumVersion(): Promise<string> {
  const browser = await launchChromium();
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const prefix = `b${Date.now().toString(36)}`;
  const vars = { LOCAL_API_LATENCY_MS: String(LATENCY_MS), LOCAL_API_KEY: BENCH_LOCAL_KEY, TOKEN_SECRET: BENCH_TOKEN_SECRET };

  step('npm run build, sizes and floors');
  const sizes = await measureSizes();

  // First, while nothing else runs: it measures µs.
  step(`in-process cost floor (${SETTINGS.inProcessRounds} rounds × ${SETTINGS.inProcessIterations} requests)`);
  const inProcess = await measureInProcess({ iterations: SETTINGS.inProcessIterations, rounds: SETTINGS.inProcessRounds });
  const assets = assetsCopy();
  cleanups.push(assets.remove);
  const main = await start('the widget worker (L = 50 ms)', benchConfig(assets.dir, true), vars, true);
  const client = new WorkerClient(main.url);

  step(`first-screen latency (${SETTINGS.latencySamples} samples each)`);
  const latency = await measureLatency(client, { prefix, samples: SETTINGS.latencySamples, latencyMs: LATENCY_MS });

  step('upstream protection');
  const upstream = await measureUpstream(client, { prefix, loads: SETTINGS.herdLoads, customers: SETTINGS.herdCustomers, fanOut: latency.fanOut });

  step(`Chromium time to link (${SETTINGS.browserLoads} loads each)`);
  const browser = await measureBrowser(client, { prefix, loads: SETTINGS.browserLoads, latencyMs: LATENCY_MS });

  step('throughput: preparing cached customers');
  const requests = await cachedLoadRequests(client, prefix, SETTINGS.throughputCustomers);
  const sampleBody = await warmCache(client, requests);
  const bareConfig = readFileSync(join(ROOT, 'bench', 'wrangler.bare.toml'), 'utf8').replace(
    /^main = ".*"$/m,
    `main = ${JSON.stringify(join(ROOT, 'bench', 'bare-worker.ts'))}`,
  );
  const [noLimits, bare, bareLog] = await Promise.all([
    start('the widget worker without rate-limit bindings', benchConfig(assets.dir, false), vars, true),
    start('the bare Hono worker', bareConfig, { BARE_BODY: sampleBody }, false),
    start('the bare Hono worker with a log line', bareConfig, { BARE_BODY: sampleBody, BARE_LOG: '1' }, false),
  ]);
  const bareCheck = await fetch(`${bare.url}/api/me`);
  const bareBody = await bareCheck.text();
  if (bareCheck.status !== 200 || bareBody.length !== sampleBody.length) {
    throw new Error(`bench: the bare worker answered ${bareCheck.status} with ${bareBody.length} B, not ${sampleBody.length} B`);
  }
  const noLimitsClient = new WorkerClient(noLimits.url);
  const noLimitsRequests = await cachedLoadRequests(noLimitsClient, prefix, SETTINGS.throughputCustomers);
  const cannonOptions = { connections: SETTINGS.throughputConnections, durationS: SETTINGS.throughputSeconds, warmupS: SETTINGS.throughputWarmupSeconds };

  step(`throughput: ${SETTINGS.throughputRounds} interleaved rounds of ${SETTINGS.throughputSeconds} s per target`);
  const compared = await compare(
    [
      { name: 'real', url: main.url, requests, before: () => warmCache(client, requests) },
      { name: 'realNoLimits', url: noLimits.url, requests: noLimitsRequests, before: () => warmCache(noLimitsClient, noLimitsRequests) },
      { name: 'bareLog', url: bareLog.url, requests },
      { name: 'bare', url: bare.url, requests },
    ],
    SETTINGS.throughputRounds,
    cannonOptions,
  );
  const best = (name: string) => {
    const run = compared.best[name];
    if (!run) throw new Error(`bench: no throughput run for ${name}`);
    return run;
  };
  await Promise.all([stop(noLimits), stop(bare), stop(bareLog)]);

  step(`attribution: ${SETTINGS.signups} signups healthy, ${SETTINGS.signups} failing, then the queue drain`);
  const signups = await measureSignups(client, {
    prefix,
    signups: SETTINGS.signups,
    concurrency: SETTINGS.signupConcurrency,
    repeatEvery: SETTINGS.signupRepeatEvery,
    drainBoundSeconds: SETTINGS.drainBoundSeconds,
    latencyMs: LATENCY_MS,
  });
  await stop(main);

  const results: Results = {
    sizes,
    latency,
    upstream,
    throughput: {
      real: best('real'),
      realNoLimits: best('realNoLimits'),
      bareLog: best('bareLog'),
      bare: best('bare'),
      bodyBytes: sampleBody.length,
      rounds: SETTINGS.throughputRounds,
      runs: compared.runs,
    },
    browser,
    signups,
    inProcess,
  };
  const rows = rowsOf(results);
  console.log(`\n${formatTable(rows)}\n`);
  const out = {
    generated_at: new Date().toISOString(),
    duration_s: Math.round((performance.now() - started) / 1000),
    quick,
    machine: machine(await chromiumVersion()),
    settings: SETTINGS,
    results,
    table: rows,
    markdown: markdownTable(rows),
  };
  const file = quick ? join(tmpdir(), 'referral-bench-results.quick.json') : join(ROOT, 'bench', 'results.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  step(`wrote ${file}`);
}

async function stopAll(): Promise<void> {
  await Promise.all([...running].map((w) => stop(w).catch(() => undefined)));
  for (const cleanup of cleanups.splice(0)) cleanup();
}

const guard = setTimeout(() => {
  console.error(`bench: still running after ${OVERALL_TIMEOUT_MS / 60_000} min; stopping.`);
  void stopAll().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);
guard.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  for (const w of running) console.error(`--- wrangler output (${w.url}) ---\n${w.log().slice(-4000)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

/**
 * Throughput on 127.0.0.1 with autocannon (bounded in time, fixed connections): cached
 * `GET /api/me` against a bare Hono handler in the same runtime answering the same bytes.
 *
 * The worker's rate limits (300 reads/min per customer, 600 requests/min per IP) would turn
 * a load test into a 429 test, and the worker has no switch to turn them off. So the load
 * is spread over many customers (each with a cached first screen) and many client addresses
 * (CF-Connecting-IP from the RFC 2544 benchmark range): every request still pays for both
 * limiter checks, none trips them, and any 429 is counted and reported.
 */
import autocannon, { type RequestSpec, type Result } from 'autocannon';
import { benchIp, expectStatus, tokenFor, type WorkerClient } from './http.ts';
import { pool } from './stats.ts';

export interface ThroughputRun {
  target: string;
  connections: number;
  durationS: number;
  requestsPerSecond: number;
  total: number;
  latencyMs: { p50: number; p97_5: number; p99: number; mean: number };
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

export interface CannonOptions {
  connections: number;
  durationS: number;
  warmupS: number;
}

function toRun(target: string, result: Result, options: CannonOptions): ThroughputRun {
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count;
  return {
    target,
    connections: options.connections,
    durationS: result.duration,
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, mean: Math.round(result.latency.mean * 100) / 100 },
    non2xx: result.non2xx,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export interface Target {
  name: string;
  url: string;
  requests: RequestSpec[];
  /** Runs before each of this target's measured runs (e.g. re-warming its cache). */
  before?: () => Promise<unknown>;
}

export interface Compared {
  /** The best run of each target (its highest req/s): noise on a shared machine only slows a run down. */
  best: Record<string, ThroughputRun>;
  /** Every run, in order. */
  runs: ThroughputRun[];
}

/**
 * Runs every target `rounds` times, interleaved (A B C, A B C), so a noisy moment on the
 * machine does not land on one target only, and keeps each target's best run.
 */
export async function compare(targets: readonly Target[], rounds: number, options: CannonOptions): Promise<Compared> {
  const runs: ThroughputRun[] = [];
  const best: Record<string, ThroughputRun> = {};
  for (let round = 0; round < rounds; round++) {
    for (const t of targets) {
      await t.before?.();
      const run = await cannon(t.name, t.url, t.requests, options);
      runs.push(run);
      const prev = best[t.name];
      if (!prev || run.requestsPerSecond > prev.requestsPerSecond) best[t.name] = run;
    }
  }
  return { best, runs };
}

/** A short unmeasured run (JIT, connection setup), then the measured one. */
export async function cannon(target: string, url: string, requests: RequestSpec[], options: CannonOptions): Promise<ThroughputRun> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`bench: load only goes to 127.0.0.1, not ${url}`);
  const base = { url, connections: options.connections, pipelining: 1, timeout: 10, requests };
  await autocannon({ ...base, duration: options.warmupS });
  const result = await autocannon({ ...base, duration: options.durationS });
  const run = toRun(target, result, options);
  if (run.total === 0 || (run.statuses['200'] ?? 0) === 0) throw new Error(`bench: ${target}: no successful request (${JSON.stringify(run)})`);
  return run;
}

const loadKeys = new WeakMap<RequestSpec, string>();

function keyOf(r: RequestSpec, i: number): string {
  const key = loadKeys.get(r);
  if (!key) throw new Error(`bench: load request ${i} has no customer`);
  return key;
}

/** Creates `count` customers and their tokens: the requests of a spread, all-cached load. */
export async function cachedLoadRequests(client: WorkerClient, prefix: string, count: number): Promise<RequestSpec[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}-tp-${i}`);
  await client.createCustomers(keys);
  const tokens = await Promise.all(keys.map((k) => tokenFor(k)));
  return tokens.map((token, i) => {
    const spec: RequestSpec = { method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': benchIp(100_000 + i) } };
    loadKeys.set(spec, keys[i] as string);
    return spec;
  });
}

/**
 * Purges and reloads every customer's first screen, so the measured run right after is all
 * cache hits whose TTL has just started; resolves one real body, for the bare baseline to
 * answer the same bytes.
 */
export async function warmCache(client: WorkerClient, requests: RequestSpec[]): Promise<string> {
  const bodies = await pool(requests, 8, async (r, i) => {
    expectStatus('POST /demo/purge', await client.demo('/purge', { customer_key: keyOf(r, i) }), 200);
    const token = (r.headers?.authorization ?? '').replace(/^Bearer /, '');
    const res = await client.api('/me', token, r.headers?.['cf-connecting-ip'] ?? '198.18.0.1');
    expectStatus('warming /api/me', res, 200);
    return JSON.stringify(res.body);
  });
  return bodies[0] ?? '{}';
}

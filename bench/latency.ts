/**
 * First-screen latency with a simulated upstream latency L per call: `GET /api/me` with a
 * cold cache (a customer never loaded before, so a full upstream fan-out), warm (the same
 * customer again: a cache hit), and the naive baseline, a client making the same upstream
 * calls /api/me makes (customer, stats, balance) one after another straight against /v1.
 *
 * The three are interleaved per sample, so a noisy moment on the machine hits all of them.
 */
import { benchIp, expectStatus, tokenFor, type WorkerClient } from './http.ts';
import { pool, ratio, summarize, timed, type Summary } from './stats.ts';

export interface LatencyResult {
  latencyMs: number;
  cold: Summary;
  /** The upstream part of the cold answers, as the worker timed it (Server-Timing upstream;dur). */
  coldUpstream: Summary;
  warm: Summary;
  naive: Summary;
  /** Upstream calls one cold /api/me made (its fan-out). */
  fanOut: number;
  naiveCalls: number;
  /** Answers that did not come from where they should (X-Cache). */
  unexpectedCache: number;
  ratios: { coldOverL: number; naiveOverCold: number; warmOverCold: number; naiveOverColdP95: number; warmOverColdP95: number };
}

/** The upstream calls /api/me makes, as a naive widget would make them itself. */
export const NAIVE_PATHS = (key: string) => [`/customers/${key}`, `/customers/${key}/stats`, `/customers/${key}/balance`];

export async function measureLatency(client: WorkerClient, options: { prefix: string; samples: number; latencyMs: number }): Promise<LatencyResult> {
  const { prefix, samples, latencyMs } = options;
  const warmupKeys = Array.from({ length: 10 }, (_, i) => `${prefix}-lat-warmup-${i}`);
  const keys = Array.from({ length: samples }, (_, i) => `${prefix}-lat-${i}`);
  await client.createCustomers([...warmupKeys, ...keys]);
  const tokens = await Promise.all(keys.map((k) => tokenFor(k)));

  // A fresh isolate compiles and warms its code paths on the first requests: not measured.
  await pool(warmupKeys, 2, async (key, i) => {
    const token = await tokenFor(key);
    expectStatus('warm-up /api/me', await client.api('/me', token, benchIp(60_000 + i)), 200);
    expectStatus('warm-up /api/me', await client.api('/me', token, benchIp(60_000 + i)), 200);
    for (const path of NAIVE_PATHS(key)) expectStatus(`warm-up /v1${path}`, await client.v1('GET', path), 200);
  });

  // The fan-out of one cold load, counted by the local API.
  const probe = `${prefix}-lat-probe`;
  await client.createCustomers([probe]);
  await client.resetUpstreamCalls();
  expectStatus('probe /api/me', await client.api('/me', await tokenFor(probe), benchIp(61_000)), 200);
  const fanOut = (await client.upstreamCalls()).total;

  const cold: number[] = [];
  const coldUpstream: number[] = [];
  const warm: number[] = [];
  const naive: number[] = [];
  let unexpectedCache = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const token = tokens[i] as string;
    const ip = benchIp(i);

    const c = await timed(() => client.api('/me', token, ip));
    expectStatus('cold /api/me', c.value, 200);
    if (c.value.headers.get('X-Cache') !== 'MISS') unexpectedCache++;
    cold.push(c.ms);
    const dur = /upstream;dur=([\d.]+)/.exec(c.value.headers.get('Server-Timing') ?? '')?.[1];
    if (dur !== undefined) coldUpstream.push(Number(dur));

    const w = await timed(() => client.api('/me', token, ip));
    expectStatus('warm /api/me', w.value, 200);
    if (w.value.headers.get('X-Cache') !== 'HIT') unexpectedCache++;
    warm.push(w.ms);

    const n = await timed(async () => {
      for (const path of NAIVE_PATHS(key)) expectStatus(`naive /v1${path}`, await client.v1('GET', path), 200);
    });
    naive.push(n.ms);
  }

  const s = { cold: summarize(cold), coldUpstream: summarize(coldUpstream), warm: summarize(warm), naive: summarize(naive) };
  return {
    latencyMs,
    ...s,
    fanOut,
    naiveCalls: NAIVE_PATHS('x').length,
    unexpectedCache,
    ratios: {
      coldOverL: ratio(s.cold.p50, latencyMs),
      naiveOverCold: ratio(s.naive.p50, s.cold.p50),
      warmOverCold: ratio(s.warm.p50, s.cold.p50),
      naiveOverColdP95: ratio(s.naive.p95, s.cold.p95),
      warmOverColdP95: ratio(s.warm.p95, s.cold.p95),
    },
  };
}

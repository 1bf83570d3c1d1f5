/** Turns the measured results into the rows of the bench's table (value ÷ baseline = ratio). */
import type { BrowserResult } from './browser.ts';
import type { InProcessResult } from './in-process.ts';
import type { LatencyResult } from './latency.ts';
import type { SignupPhase, SignupResult } from './signups.ts';
import type { SizeRow, SizesResult } from './sizes.ts';
import { ratio, type Summary } from './stats.ts';
import { ms, times, type Row } from './table.ts';
import type { ThroughputRun } from './throughput.ts';
import type { UpstreamResult } from './upstream.ts';

export interface Results {
  sizes: SizesResult;
  latency: LatencyResult;
  upstream: UpstreamResult;
  throughput: {
    real: ThroughputRun;
    realNoLimits: ThroughputRun;
    bareLog: ThroughputRun;
    bare: ThroughputRun;
    bodyBytes: number;
    rounds: number;
    runs: ThroughputRun[];
  };
  browser: BrowserResult;
  signups: SignupResult;
  inProcess: InProcessResult;
}

const pct = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} ms`;
const bytes = (r: SizeRow) => `${r.raw} / ${r.gzip} / ${r.brotli} B`;
const statuses = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([code, n]) => `${n}×${code}`)
    .join(' ');

function sizeRows(sizes: SizesResult): Row[] {
  const section = '1 Bundle size (raw / gzip-9 / brotli-11)';
  const floor = sizes.floors[0];
  const rows: Row[] = [];
  for (const f of sizes.files) {
    const budget = f.budget ?? Number.NaN;
    rows.push({
      section,
      figure: `${f.file}`,
      value: bytes(f),
      baseline: `budget ${budget} B gzip`,
      ratio: times(ratio(f.gzip, budget)),
      target: '≤ 1.00× (gzip)',
    });
    if (f.file === 'widget.js' && floor) {
      rows.push({
        section,
        figure: 'widget.js vs floor',
        value: `${f.gzip} B gzip`,
        baseline: `${floor.file}: ${floor.gzip} B gzip`,
        ratio: times(ratio(f.gzip, floor.gzip)),
        target: 'report',
      });
    }
  }
  for (const fl of sizes.floors) rows.push({ section, figure: `floor: ${fl.file}`, value: bytes(fl), baseline: '', ratio: '', target: '' });
  return rows;
}

function latencyRows(l: LatencyResult): Row[] {
  const section = `2 First screen, L = ${l.latencyMs} ms (p50 / p95 / p99, n=${l.cold.n})`;
  return [
    { section, figure: `GET /api/me cold (${l.fanOut} upstream calls in parallel)`, value: pct(l.cold), baseline: `L = ${l.latencyMs} ms`, ratio: times(l.ratios.coldOverL), target: '≈ 1 L' },
    {
      section,
      figure: '  of which upstream (Server-Timing)',
      value: pct(l.coldUpstream),
      baseline: `L = ${l.latencyMs} ms`,
      ratio: times(ratio(l.coldUpstream.p50, l.latencyMs)),
      target: '≈ 1 L',
    },
    { section, figure: 'GET /api/me warm (cache hit)', value: pct(l.warm), baseline: `cold p50 ${ms(l.cold.p50)} ms`, ratio: times(l.ratios.warmOverCold), target: '≪ 1' },
    {
      section,
      figure: `naive: ${l.naiveCalls} sequential /v1 calls`,
      value: pct(l.naive),
      baseline: `cold p50 ${ms(l.cold.p50)} ms`,
      ratio: times(l.ratios.naiveOverCold),
      target: `≈ ${l.naiveCalls}× (report)`,
    },
  ];
}

function upstreamRows(u: UpstreamResult): Row[] {
  const section = `3 Upstream protection (fan-out = ${u.fanOut} calls)`;
  const row = (figure: string, r: UpstreamResult['oneCustomer']): Row => ({
    section,
    figure,
    value: `${r.upstreamCalls} calls = ${r.fanOutsPerCustomer.toFixed(2)} fan-out/customer (${statuses(r.statuses)})`,
    baseline: `naive ${r.naiveCalls} calls`,
    ratio: times(ratio(r.upstreamCalls, r.naiveCalls)),
    target: '1 fan-out/customer/TTL',
  });
  return [
    row(`${u.oneCustomer.loads} concurrent loads, 1 customer, cold`, u.oneCustomer),
    row(`same burst again within the TTL`, u.oneCustomerAgain),
    row(`${u.manyCustomers.loads} loads, ${u.manyCustomers.customers} customers × ${u.manyCustomers.loads / u.manyCustomers.customers}, cold`, u.manyCustomers),
  ];
}

function throughputRows(t: Results['throughput']): Row[] {
  const run = t.bare;
  const section = `4 Throughput, 127.0.0.1, ${run.connections} connections, best of ${t.rounds} × ${Math.round(run.durationS)} s (req/s; latency p50 / p97.5 / p99)`;
  const value = (r: ThroughputRun) =>
    `${r.requestsPerSecond} req/s; ${r.latencyMs.p50} / ${r.latencyMs.p97_5} / ${r.latencyMs.p99} ms; ${r.non2xx} non-2xx${r.errors ? `, ${r.errors} errors` : ''}`;
  const base = `bare Hono ${t.bare.requestsPerSecond} req/s`;
  return [
    { section, figure: 'cached GET /api/me (auth, limits, cache, headers)', value: value(t.real), baseline: base, ratio: times(ratio(t.real.requestsPerSecond, t.bare.requestsPerSecond)), target: 'report' },
    { section, figure: 'same without rate-limit bindings', value: value(t.realNoLimits), baseline: base, ratio: times(ratio(t.realNoLimits.requestsPerSecond, t.bare.requestsPerSecond)), target: 'report' },
    { section, figure: 'bare Hono + one JSON log line per request', value: value(t.bareLog), baseline: base, ratio: times(ratio(t.bareLog.requestsPerSecond, t.bare.requestsPerSecond)), target: 'report' },
    { section, figure: `bare Hono handler, same ${t.bodyBytes} B body`, value: value(t.bare), baseline: '', ratio: '', target: '' },
  ];
}

function browserRows(b: BrowserResult): Row[] {
  const section = `5 Chromium: navigation start → link visible, L = ${b.latencyMs} ms (p50 / p95 / p99, n=${b.loads})`;
  const base = `widget cold p50 ${ms(b.widgetCold.p50)} ms`;
  return [
    { section, figure: 'widget.js, cold cache (new customer)', value: pct(b.widgetCold), baseline: '', ratio: '', target: '' },
    { section, figure: 'widget.js, warm cache', value: pct(b.widgetWarm), baseline: base, ratio: times(b.ratios.widgetWarmOverCold), target: '< 1' },
    { section, figure: '  where the time goes (p50s)', value: steps(b.milestones.widgetCold), baseline: '', ratio: '', target: '' },
    { section, figure: 'naive widget, 4 sequential fetches', value: pct(b.naive4), baseline: base, ratio: times(b.ratios.naive4OverWidgetCold), target: '> 1' },
    { section, figure: '  where the time goes (p50s)', value: steps(b.milestones.naive4), baseline: '', ratio: '', target: '' },
    { section, figure: 'naive widget, 3 sequential fetches', value: pct(b.naive3), baseline: base, ratio: times(b.ratios.naive3OverWidgetCold), target: '> 1' },
  ];
}

/** "HTML received 12 → widget.js end 40 → …" in ms. */
function steps(m: Record<string, number>): string {
  return Object.entries(m)
    .filter(([k]) => !k.endsWith(' start') || k === '/api/me start')
    .map(([k, v]) => `${k.replace(/ end$/, '')} ${Math.round(v)}`)
    .join(' → ');
}

function signupRows(s: SignupResult): Row[] {
  const section = `6 Attribution, POST /api/signup, L = ${s.latencyMs} ms`;
  const value = (p: SignupPhase) => `${p.signupsPerSecond}/s (${p.requests} in ${p.seconds} s, c=${p.concurrency}; ${statuses(p.statuses)})`;
  return [
    { section, figure: 'upstream healthy', value: value(s.healthy), baseline: '', ratio: '', target: '' },
    {
      section,
      figure: 'upstream failing 503 (queue path)',
      value: value(s.failing),
      baseline: `healthy ${s.healthy.signupsPerSecond}/s`,
      ratio: times(ratio(s.failing.signupsPerSecond, s.healthy.signupsPerSecond)),
      target: 'all 202',
    },
    {
      section,
      figure: 'customers created upstream (right referrer)',
      value: `${s.created} (${s.createdHealthy} + ${s.createdFailing} after ${s.drainSeconds} s drain); ${s.wrongReferrer} wrong referrer; referrals_count ${s.referrerCount}`,
      baseline: `${s.distinct} distinct signups`,
      ratio: times(ratio(s.created, s.distinct)),
      target: '1.00×',
    },
  ];
}

function inProcessRows(p: InProcessResult): Row[] {
  const section = `7 Cost floor in process (Node, upstream stubbed, cache warm; µs per request, median of ${p.rounds} × ${p.iterations})`;
  const us = (n: number) => `${n.toFixed(1)} µs`;
  return [
    { section, figure: p.production.name, value: us(p.production.us), baseline: `floor ${us(p.floor.us)}`, ratio: times(p.ratio), target: '≤ 1.5×' },
    ...p.variants.map((v) => ({ section, figure: v.name, value: us(v.us), baseline: `floor ${us(p.floor.us)}`, ratio: times(ratio(v.us, p.floor.us)), target: 'report' })),
    { section, figure: p.floor.name, value: us(p.floor.us), baseline: '', ratio: '', target: '' },
    ...p.pieces.map((piece) => ({ section, figure: `  piece: ${piece.name}`, value: us(piece.us), baseline: '', ratio: '', target: '' })),
  ];
}

export function rowsOf(r: Results): Row[] {
  return [
    ...sizeRows(r.sizes),
    ...latencyRows(r.latency),
    ...upstreamRows(r.upstream),
    ...throughputRows(r.throughput),
    ...browserRows(r.browser),
    ...signupRows(r.signups),
    ...inProcessRows(r.inProcess),
  ];
}

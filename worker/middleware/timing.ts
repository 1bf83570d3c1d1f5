import type { Context } from 'hono';

/** Upstream calls made while serving one request. */
export interface UpstreamTiming {
  calls: number;
  /** Wall-clock time spent waiting on upstream (overlapping parallel calls counted once), ms. */
  ms: number;
  intervals: Array<[number, number]>;
}

// Keyed by the request's Context: the same object for the whole middleware chain, parent
// app and mounted sub-apps alike, and collected with it.
const timings = new WeakMap<Context, UpstreamTiming>();

/** The request's upstream timing record, created on first use. */
export function upstreamTiming(c: Context): UpstreamTiming {
  let t = timings.get(c);
  if (!t) {
    t = { calls: 0, ms: 0, intervals: [] };
    timings.set(c, t);
  }
  return t;
}

/** Length of the union of intervals: parallel calls overlapping in time count once. */
export function unionLength(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = Number.NEGATIVE_INFINITY;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const [start, end] of sorted) {
    if (start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = start;
      curEnd = end;
    } else if (end > curEnd) {
      curEnd = end;
    }
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** Records one finished upstream attempt that took `ms` and ended now. */
export function recordUpstream(c: Context, ms: number): void {
  const t = upstreamTiming(c);
  const end = performance.now();
  t.calls += 1;
  t.intervals.push([end - Math.max(0, ms), end]);
  t.ms = unionLength(t.intervals);
}

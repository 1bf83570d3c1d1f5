/**
 * Per-customer cache of the `GET /api/me` first screen: a small in-isolate map in front of
 * the edge cache (Cache API, shared by the isolates of a data centre), concurrent misses
 * for one customer coalesced into a single upstream fan-out, and stale entries kept for
 * ME_STALE_TTL_SECONDS so they can be served when upstream fails.
 */
import type { MeResponse } from '../../shared/widget-api';
import type { Config } from '../config';
import { hashKey, log } from '../log';

/** The cached first screen: everything but the per-answer `stale` flag. */
export type MeData = Omit<MeResponse, 'stale' | 'fetched_at'>;

interface Entry {
  v: 1;
  data: MeData;
  /** ms since epoch the data came from upstream. */
  fetchedAt: number;
}

export type CacheSource = 'hit' | 'miss' | 'stale';

export interface MeResult {
  data: MeData;
  fetchedAt: number;
  source: CacheSource;
}

const MEMORY_MAX_ENTRIES = 1000;
const memory = new Map<string, Entry>();
const inflight = new Map<string, Promise<Entry>>();
// Bumped by purgeMe, so a fan-out that started before a purge does not write its older data back.
const generations = new Map<string, number>();

/**
 * Internal URL of a customer's entry. The key is hashed (never stored in clear in the
 * cache) together with the upstream it came from, so local and Partnero data never mix.
 */
export async function meCacheUrl(config: Config, customerKey: string): Promise<string> {
  const scope = config.upstream.baseUrl;
  return `https://bff-cache.internal/api/me/${await hashKey(`me:${scope}:${customerKey}`)}`;
}

// A named cache rather than caches.default: the same edge cache semantics, and typed the
// same under the DOM lib that the project's JSX settings pull into the worker build.
const CACHE_NAME = 'bff-me';

async function edgeCache(): Promise<Cache | undefined> {
  return typeof caches !== 'undefined' ? caches.open(CACHE_NAME) : undefined;
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return e.v === 1 && typeof e.fetchedAt === 'number' && typeof e.data === 'object' && e.data !== null;
}

function remember(url: string, entry: Entry): void {
  memory.delete(url);
  memory.set(url, entry);
  if (memory.size > MEMORY_MAX_ENTRIES) {
    const oldest = memory.keys().next().value;
    if (oldest !== undefined) memory.delete(oldest);
  }
}

async function read(url: string, staleMs: number): Promise<Entry | undefined> {
  const now = Date.now();
  const local = memory.get(url);
  if (local && now - local.fetchedAt < staleMs) return local;
  try {
    const cache = await edgeCache();
    if (!cache) return undefined;
    const res = await cache.match(url);
    if (!res) return undefined;
    const parsed: unknown = await res.json();
    if (!isEntry(parsed) || now - parsed.fetchedAt >= staleMs) return undefined;
    if (!local || parsed.fetchedAt > local.fetchedAt) remember(url, parsed);
    return parsed;
  } catch (err) {
    log('warn', 'me cache read failed', { error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

async function write(url: string, entry: Entry, staleMs: number): Promise<void> {
  remember(url, entry);
  if (staleMs <= 0) return;
  try {
    const cache = await edgeCache();
    if (!cache) return;
    await cache.put(
      url,
      new Response(JSON.stringify(entry), {
        headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${Math.ceil(staleMs / 1000)}` },
      }),
    );
  } catch (err) {
    log('warn', 'me cache write failed', { error: err instanceof Error ? err.message : String(err) });
  }
}

export interface LoadOptions {
  /** Decides whether a failure of `fetch` may be answered with stale data. */
  serveStaleOn: (err: unknown) => boolean;
  /** Keeps the edge-cache write alive after the response (or waits for it). */
  later: (work: Promise<unknown>) => Promise<void>;
}

/**
 * The first screen of `customerKey`: fresh from cache, else from `fetch` (one call at a
 * time per customer in this isolate), else, when `fetch` fails in a way `serveStaleOn`
 * accepts, the stale entry. Other failures propagate.
 */
export async function loadMe(config: Config, customerKey: string, fetch: () => Promise<MeData>, options: LoadOptions): Promise<MeResult> {
  const { freshMs, staleMs } = config.meCache;
  const url = await meCacheUrl(config, customerKey);
  const cached = await read(url, staleMs);
  if (cached && Date.now() - cached.fetchedAt < freshMs) return { data: cached.data, fetchedAt: cached.fetchedAt, source: 'hit' };

  let pending = inflight.get(url);
  if (!pending) {
    const generation = generations.get(url) ?? 0;
    pending = (async () => {
      const entry: Entry = { v: 1, data: await fetch(), fetchedAt: Date.now() };
      if ((generations.get(url) ?? 0) !== generation) return entry;
      await options.later(write(url, entry, staleMs));
      return entry;
    })();
    inflight.set(url, pending);
    // Cleared once settled, whoever is still waiting on it.
    pending.then(
      () => inflight.delete(url),
      () => inflight.delete(url),
    );
  }
  try {
    const entry = await pending;
    return { data: entry.data, fetchedAt: entry.fetchedAt, source: 'miss' };
  } catch (err) {
    if (cached && options.serveStaleOn(err)) return { data: cached.data, fetchedAt: cached.fetchedAt, source: 'stale' };
    throw err;
  }
}

/** Forgets a customer's cached first screen (this isolate and this data centre's edge cache). */
export async function purgeMe(config: Config, customerKey: string): Promise<void> {
  const url = await meCacheUrl(config, customerKey);
  memory.delete(url);
  inflight.delete(url);
  if (generations.size > 10_000) generations.clear();
  generations.set(url, (generations.get(url) ?? 0) + 1);
  try {
    await (await edgeCache())?.delete(url);
  } catch (err) {
    log('warn', 'me cache purge failed', { error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Empties this isolate's layer only (the edge cache stays), as a fresh isolate would see it:
 * for tests and benchmarks of the shared edge layer.
 */
export function clearIsolateMeCache(): void {
  memory.clear();
}

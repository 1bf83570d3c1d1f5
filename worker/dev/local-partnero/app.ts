import { Hono } from 'hono';
import type { DevAppEnv as AppEnv } from '../env';
import { latencyMs } from './config';
import { LocalApiError } from './errors';
import { countLocalApiCall, faultMessage, takeLocalFault } from './faults';
import { matchRoute, ROUTES } from './route-table';

/**
 * The local Partnero-compatible API: Partnero's refer-a-friend customers API (and the
 * transactions and clicks it needs) served from D1 under /v1. worker/index.ts mounts it only
 * when no PARTNERO_API_URL is configured; the worker's Partnero client also calls it
 * in-process. See docs/local-api.md.
 */
export const localPartnero = new Hono<AppEnv>().basePath('/v1');

/** Waits `ms`, or less if the caller gave up (its request was aborted). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

/**
 * Compares the presented key with the configured one in constant time: both are hashed to
 * 32 bytes first, so neither the length nor the first differing byte shows in the timing.
 */
async function keyMatches(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

localPartnero.use(async (c, next) => {
  const route = matchRoute(c.req.method, new URL(c.req.url).pathname);
  countLocalApiCall(route.key);

  await sleep(latencyMs(c.env), c.req.raw.signal);

  const fault = takeLocalFault();
  if (fault) {
    await sleep(fault.delayMs ?? 0, c.req.raw.signal);
    if (fault.status >= 400) {
      const headers: Record<string, string> = fault.status === 503 || fault.status === 429 ? { 'Retry-After': '1' } : {};
      return c.json({ message: faultMessage(fault.status) }, fault.status as 400, headers);
    }
  }

  if (route.kind === 'not_found') return c.json({ message: 'Not Found' }, 404);
  if (route.kind === 'wrong_method') {
    const path = new URL(c.req.url).pathname.slice(1);
    return c.json(
      { message: `The ${c.req.method} method is not supported for route ${path}. Supported methods: ${route.allow.join(', ')}.` },
      405,
      { Allow: route.allow.join(', ') },
    );
  }

  const expected = c.env.LOCAL_API_KEY ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
  // An empty configured key refuses everything rather than accepting an empty bearer.
  if (expected === '' || !match?.[1] || !(await keyMatches(match[1], expected))) {
    return c.json({ message: 'Unauthenticated.' }, 401);
  }
  await next();
});

for (const route of ROUTES) {
  localPartnero.on(route.method, route.path, (c) => route.handler(c));
}

localPartnero.notFound((c) => c.json({ message: 'Not Found' }, 404));

localPartnero.onError((error, c) => {
  if (error instanceof LocalApiError) {
    if (error.status >= 500) console.error(`local-partnero: ${error.message}`);
    return c.json(error.body(), error.status as 400, error.headers);
  }
  console.error('local-partnero: unexpected error', error);
  return c.json({ message: 'Server Error' }, 500);
});

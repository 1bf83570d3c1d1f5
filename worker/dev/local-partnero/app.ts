import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { latencyMs } from './config';
import type { LocalEnv } from './env';
import { LocalApiError } from './errors';
import { countLocalApiCall, faultMessage, takeLocalFault } from './faults';
import { laravelInput } from './input';
import { clicks } from './routes/clicks';
import { customerData } from './routes/customer-data';
import { customers } from './routes/customers';
import { inviteSearch } from './routes/invite-search';
import { referralLinks } from './routes/referral-links';
import { transactions } from './routes/transactions';
import { webhooks } from './routes/webhooks';
import { matchRoute } from './routing';

/**
 * The local Partnero-compatible API: Partnero's refer-a-friend API (customers, referral links,
 * transactions, webhooks) served from D1 under /v1, one plain Hono app whose routes are the
 * only route table. The dev composition mounts it when no PARTNERO_API_URL is configured; the
 * worker's Partnero client also calls it in-process. See docs/local-api.md and
 * docs/partnero-compatibility.md.
 */
export const localPartnero = new Hono<LocalEnv>().basePath('/v1');

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

/**
 * What happens before any route: the call is counted under its route pattern, the simulated
 * latency and any injected fault apply, then 404 and 405 (told apart from Hono's own routes)
 * and finally auth, in Laravel's order (routing before the auth middleware).
 */
const gate = createMiddleware<LocalEnv>(async (c, next) => {
  const path = new URL(c.req.url).pathname;
  const route = matchRoute(localPartnero, c.req.method, path);
  countLocalApiCall(route.key);

  await sleep(latencyMs(c.env), c.req.raw.signal);

  const fault = takeLocalFault();
  if (fault) {
    await sleep(fault.delayMs ?? 0, c.req.raw.signal);
    if (fault.status >= 400) {
      const headers: Record<string, string> = fault.status === 503 || fault.status === 429 ? { 'Retry-After': '1' } : {};
      throw new LocalApiError(fault.status, faultMessage(fault.status), undefined, headers);
    }
  }

  if (route.kind === 'not_found') throw new LocalApiError(404, 'Not Found');
  if (route.kind === 'wrong_method') {
    throw new LocalApiError(
      405,
      `The ${c.req.method} method is not supported for route ${path.slice(1)}. Supported methods: ${route.allow.join(', ')}.`,
      undefined,
      { Allow: route.allow.join(', ') },
    );
  }

  const expected = c.env.LOCAL_API_KEY ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
  // An empty configured key refuses everything rather than accepting an empty bearer.
  if (expected === '' || !match?.[1] || !(await keyMatches(match[1], expected))) {
    throw new LocalApiError(401, 'Unauthenticated.');
  }
  await next();
});

localPartnero.use(gate, laravelInput);

localPartnero
  .route('/', customers)
  .route('/', customerData)
  .route('/', inviteSearch)
  .route('/', referralLinks)
  .route('/', transactions)
  .route('/', clicks)
  .route('/', webhooks);

localPartnero.notFound(() => {
  throw new LocalApiError(404, 'Not Found');
});

/** The one error handler: Partnero's envelope for expected failures, a bare 500 for the rest. */
localPartnero.onError((error, c) => {
  if (error instanceof LocalApiError) {
    if (error.status >= 500) console.error(`local-partnero: ${error.message}`);
    return c.json(error.body(), error.status as 400, error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json({ message: error.message || 'Bad Request' }, error.status);
  }
  console.error('local-partnero: unexpected error', error);
  return c.json({ message: 'Server Error' }, 500);
});

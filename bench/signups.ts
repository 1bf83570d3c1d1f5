/**
 * Attribution throughput: signups per second through `POST /api/signup`, first with the
 * upstream healthy (201), then with every upstream call failing 503 so signups take the
 * queue path (202). Then the fault is cleared, the queue is given a bounded time to drain,
 * and every customer is looked up upstream: the count created must equal the count of
 * distinct signups, each with the right referrer. Some signups are sent twice on purpose
 * (a double submit): they must not create anything twice.
 */
import { benchIp, expectStatus, tokenFor, type WorkerClient } from './http.ts';
import { pool, sleep, timed } from './stats.ts';

export interface SignupPhase {
  /** Requests sent (distinct customers plus repeats). */
  requests: number;
  distinct: number;
  concurrency: number;
  seconds: number;
  signupsPerSecond: number;
  /** Answers by status, e.g. {"201": 100, "200": 10}. */
  statuses: Record<string, number>;
}

export interface SignupResult {
  latencyMs: number;
  healthy: SignupPhase;
  failing: SignupPhase;
  /** Seconds from clearing the fault until every queued signup existed upstream (or the bound). */
  drainSeconds: number;
  drainBoundSeconds: number;
  /** Customers found upstream with the right referrer, per phase and in total. */
  createdHealthy: number;
  createdFailing: number;
  created: number;
  distinct: number;
  /** Found upstream but with another referrer (or none). */
  wrongReferrer: number;
  /** The referrer's referrals_count at the end, against the distinct signups. */
  referrerCount: number;
}

interface Signup {
  key: string;
  token: string;
  ip: string;
}

async function makeSignups(prefix: string, phase: string, count: number, ipBase: number): Promise<Signup[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const key = `${prefix}-su-${phase}-${i}`;
      return { key, token: await tokenFor(key, { email: `${key}@bench.example.com`, name: `Signup ${i}` }), ip: benchIp(ipBase + i) };
    }),
  );
}

/** Every `repeatEvery`-th signup is sent again right after the first pass (a double submit). */
async function runPhase(client: WorkerClient, referrer: string, signups: Signup[], concurrency: number, repeatEvery: number): Promise<SignupPhase> {
  const repeats = signups.filter((_, i) => i % repeatEvery === 0);
  const all = [...signups, ...repeats];
  const statuses: Record<string, number> = {};
  const { ms } = await timed(() =>
    pool(all, concurrency, async (s) => {
      const res = await client.api('/signup', s.token, s.ip, { referral_key: referrer });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }),
  );
  const seconds = ms / 1000;
  return {
    requests: all.length,
    distinct: signups.length,
    concurrency,
    seconds: Math.round(seconds * 100) / 100,
    signupsPerSecond: Math.round((all.length / seconds) * 10) / 10,
    statuses,
  };
}

/** Looks each customer up upstream: 'ok' (right referrer), 'wrong' or 'missing'. */
async function lookUp(client: WorkerClient, keys: readonly string[], referrer: string): Promise<Map<string, 'ok' | 'wrong' | 'missing'>> {
  const found = new Map<string, 'ok' | 'wrong' | 'missing'>();
  await pool(keys, 16, async (key) => {
    const res = await client.v1<{ data: Array<{ key?: string; referring_customer?: { key?: string; id?: string } | null }> }>(
      'GET',
      `/customers:search?key=${encodeURIComponent(key)}`,
    );
    expectStatus('GET /v1/customers:search', res, 200);
    const match = res.body.data.filter((c) => c.key === key);
    if (match.length > 1) throw new Error(`bench: customer ${key} exists ${match.length} times upstream`);
    const ref = match[0]?.referring_customer;
    found.set(key, match.length === 0 ? 'missing' : ref?.key === referrer || ref?.id === referrer ? 'ok' : 'wrong');
  });
  return found;
}

export async function measureSignups(
  client: WorkerClient,
  options: { prefix: string; signups: number; concurrency: number; repeatEvery: number; drainBoundSeconds: number; latencyMs: number },
): Promise<SignupResult> {
  const { prefix, signups, concurrency, repeatEvery, drainBoundSeconds, latencyMs } = options;
  const referrer = `${prefix}-su-referrer`;
  await client.createCustomers([referrer]);
  const healthySignups = await makeSignups(prefix, 'ok', signups, 200_000);
  const failingSignups = await makeSignups(prefix, 'down', signups, 210_000);

  const healthy = await runPhase(client, referrer, healthySignups, concurrency, repeatEvery);

  let failing: SignupPhase;
  expectStatus('POST /demo/fault', await client.demo('/fault', { status: 503 }), 200);
  try {
    failing = await runPhase(client, referrer, failingSignups, concurrency, repeatEvery);
  } finally {
    expectStatus('POST /demo/fault clear', await client.demo('/fault', { clear: true }), 200);
  }

  // Bounded wait for the queue consumer's retries (5 s backoff, doubling) to get through.
  const keys = failingSignups.map((s) => s.key);
  const cleared = performance.now();
  let state = await lookUp(client, keys, referrer);
  while ([...state.values()].some((v) => v === 'missing') && performance.now() - cleared < drainBoundSeconds * 1000) {
    await sleep(2_000);
    state = await lookUp(client, keys, referrer);
  }
  const drainSeconds = Math.round((performance.now() - cleared) / 100) / 10;

  const healthyState = await lookUp(client, healthySignups.map((s) => s.key), referrer);
  const count = (m: Map<string, string>, v: string) => [...m.values()].filter((x) => x === v).length;
  const ref = await client.v1<{ data: { referrals_count?: number } }>('GET', `/customers/${referrer}`);
  expectStatus('GET referrer', ref, 200);
  const createdHealthy = count(healthyState, 'ok');
  const createdFailing = count(state, 'ok');
  return {
    latencyMs,
    healthy,
    failing,
    drainSeconds,
    drainBoundSeconds,
    createdHealthy,
    createdFailing,
    created: createdHealthy + createdFailing,
    distinct: healthySignups.length + failingSignups.length,
    wrongReferrer: count(healthyState, 'wrong') + count(state, 'wrong'),
    referrerCount: ref.body.data.referrals_count ?? -1,
  };
}

/**
 * Upstream protection: N concurrent first-screen loads with a cold cache, for one customer
 * and for M customers (N/M each), counting the calls the local API received. The target is
 * one fan-out per customer per TTL; a widget calling upstream itself would make N fan-outs.
 */
import { benchIp, tokenFor, type WorkerClient } from './http.ts';

export interface HerdRun {
  customers: number;
  loads: number;
  upstreamCalls: number;
  /** upstreamCalls / (customers × fan-out): 1 means one fan-out per customer. */
  fanOutsPerCustomer: number;
  /** Calls a widget calling upstream itself would have made (loads × fan-out). */
  naiveCalls: number;
  /** Answers by status, e.g. {"200": 50}. */
  statuses: Record<string, number>;
}

export interface UpstreamResult {
  fanOut: number;
  oneCustomer: HerdRun;
  /** The same burst again at once, within the TTL: should cost nothing upstream. */
  oneCustomerAgain: HerdRun;
  manyCustomers: HerdRun;
}

async function burst(client: WorkerClient, keys: readonly string[], loads: number, fanOut: number, ipBase: number): Promise<HerdRun> {
  const tokens = await Promise.all(keys.map((k) => tokenFor(k)));
  await client.resetUpstreamCalls();
  // Round-robin over the customers so their loads overlap in time.
  const answers = await Promise.all(
    Array.from({ length: loads }, (_, i) => client.api('/me', tokens[i % keys.length] as string, benchIp(ipBase + i))),
  );
  const calls = (await client.upstreamCalls()).total;
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  if (!answers.some((a) => a.status === 200)) throw new Error(`bench: no burst load succeeded: ${JSON.stringify(statuses)}`);
  return {
    customers: keys.length,
    loads,
    upstreamCalls: calls,
    fanOutsPerCustomer: Math.round((calls / (keys.length * fanOut)) * 100) / 100,
    naiveCalls: loads * fanOut,
    statuses,
  };
}

export async function measureUpstream(
  client: WorkerClient,
  options: { prefix: string; loads: number; customers: number; fanOut: number },
): Promise<UpstreamResult> {
  const { prefix, loads, customers, fanOut } = options;
  const one = [`${prefix}-herd-one`];
  const many = Array.from({ length: customers }, (_, i) => `${prefix}-herd-many-${i}`);
  await client.createCustomers([...one, ...many]);
  const oneCustomer = await burst(client, one, loads, fanOut, 70_000);
  const oneCustomerAgain = await burst(client, one, loads, fanOut, 70_000 + loads);
  const manyCustomers = await burst(client, many, loads, fanOut, 70_000 + 2 * loads);
  return { fanOut, oneCustomer, oneCustomerAgain, manyCustomers };
}

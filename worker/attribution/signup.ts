/**
 * Signup attribution, shared by `POST /api/signup` and the queue consumer: create the
 * customer upstream with its referrer, idempotently. Repeats, concurrent duplicates and
 * customers that already exist never produce a second customer or a changed referrer.
 */
import type { CustomerRef } from '../../shared/partnero';
import { findCustomerByKey } from '../identity';
import { PartneroError, type PartneroClient } from '../partnero/types';

export interface SignupInput {
  customerKey: string;
  email?: string | undefined;
  name?: string | undefined;
  /** Already validated, never equal to customerKey. */
  referralKey: string | null;
}

export interface SignupOutcome {
  result: 'created' | 'existing';
  /** The referrer recorded upstream (for `existing`, the one already stored). */
  referredBy: string | null;
}

/** The referrer does not exist upstream (or is archived): attribution to it is impossible. */
export class ReferrerNotFoundError extends Error {
  override readonly name = 'ReferrerNotFoundError';
  constructor(readonly referralKey: string) {
    super('The referrer does not exist.');
  }
}

function fieldErrors(err: unknown, prefix: string): boolean {
  if (!(err instanceof PartneroError) || err.kind !== 'http' || err.status !== 422 || !err.errors) return false;
  return Object.keys(err.errors).some((field) => field === prefix || field.startsWith(`${prefix}.`));
}

/** "Already exists": 409 (some integrations), or 422 on the key/id field. */
function isAlreadyExists(err: unknown): boolean {
  if (err instanceof PartneroError && err.kind === 'http' && err.status === 409) return true;
  return fieldErrors(err, 'key') || fieldErrors(err, 'id');
}

/** The key of a referring customer as upstream reports it. */
export function referrerKeyOf(ref: CustomerRef | null | undefined): string | null {
  if (!ref || typeof ref !== 'object') return null;
  if (typeof ref.key === 'string' && ref.key) return ref.key;
  return typeof ref.id === 'string' && ref.id ? ref.id : null;
}

async function attribute(client: PartneroClient, input: SignupInput): Promise<SignupOutcome> {
  // Both lookups at once: one upstream round trip instead of two on every new signup.
  const [existing, referrer] = await Promise.allSettled([
    findCustomerByKey(client, input.customerKey),
    input.referralKey ? findCustomerByKey(client, input.referralKey) : Promise.resolve(null),
  ]);
  if (existing.status === 'rejected') throw existing.reason;
  if (existing.value) return { result: 'existing', referredBy: referrerKeyOf(existing.value.referring_customer) };

  if (input.referralKey) {
    // Only now does the referrer matter: an existing customer never needed it.
    if (referrer.status === 'rejected') throw referrer.reason;
    if (!referrer.value || referrer.value.status === 'deleted') throw new ReferrerNotFoundError(input.referralKey);
  }
  try {
    await client.createCustomer({
      key: input.customerKey,
      ...(input.email ? { email: input.email } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.referralKey ? { referring_customer: { key: input.referralKey } } : {}),
    });
    return { result: 'created', referredBy: input.referralKey };
  } catch (err) {
    if (isAlreadyExists(err)) {
      // Someone else (another isolate, the queue, the host backend) created it first: theirs stands.
      const winner = await findCustomerByKey(client, input.customerKey);
      if (winner) return { result: 'existing', referredBy: referrerKeyOf(winner.referring_customer) };
    }
    if (input.referralKey && fieldErrors(err, 'referring_customer')) throw new ReferrerNotFoundError(input.referralKey);
    throw err;
  }
}

// Concurrent signups of one customer in this isolate share one attribution.
const inflight = new Map<string, Promise<SignupOutcome>>();

/**
 * Creates `input.customerKey` upstream attributed to `input.referralKey`, or reports the
 * customer that already exists (its referrer unchanged). Concurrent calls for one customer
 * in this isolate share one upstream attempt (the first reports `created`, the others
 * `existing`); across isolates, upstream's "already exists" answer is resolved by reading
 * the winner back.
 * Rejects with ReferrerNotFoundError, or with the client's PartneroError.
 */
export function attributeSignup(client: PartneroClient, input: SignupInput): Promise<SignupOutcome> {
  const pending = inflight.get(input.customerKey);
  // Only the first caller created the customer; the ones that joined it see it as existing.
  if (pending) return pending.then((outcome) => ({ ...outcome, result: 'existing' }));
  const attempt = attribute(client, input);
  inflight.set(input.customerKey, attempt);
  attempt.then(
    () => inflight.delete(input.customerKey),
    () => inflight.delete(input.customerKey),
  );
  return attempt;
}

import * as v from 'valibot';
import { CUSTOMER_KEY_PATTERN } from '../../shared/partnero';
import type { Env } from '../env';

/** A signup that could not reach upstream, waiting on the `referral-signups` queue. */
export interface SignupMessage {
  type: 'signup';
  customer_key: string;
  email?: string;
  name?: string;
  referral_key: string | null;
  /** The request that enqueued it, to follow one signup through the logs. */
  request_id?: string;
  /** ISO 8601. */
  enqueued_at: string;
}

const key = v.pipe(v.string(), v.regex(CUSTOMER_KEY_PATTERN));

/** Schema of a queue message body: the consumer trusts nothing it did not validate. */
export const signupMessageSchema = v.object({
  type: v.literal('signup'),
  customer_key: key,
  email: v.optional(v.pipe(v.string(), v.maxLength(254))),
  name: v.optional(v.pipe(v.string(), v.maxLength(100))),
  referral_key: v.nullable(key),
  request_id: v.optional(v.pipe(v.string(), v.maxLength(255))),
  enqueued_at: v.pipe(v.string(), v.maxLength(64)),
});

/**
 * Puts a signup on SIGNUP_QUEUE for the consumer to retry.
 * Rejects when there is no queue or it refuses the message (the caller answers 503).
 */
export async function enqueueSignup(env: Env, message: SignupMessage): Promise<void> {
  if (!env.SIGNUP_QUEUE) throw new Error('SIGNUP_QUEUE is not bound');
  await env.SIGNUP_QUEUE.send(message, { contentType: 'json' });
}

/**
 * Consumer of the `referral-signups` queue (signups that met an upstream outage) and of its
 * dead-letter queue. Every message goes through the same idempotent attribution as
 * `POST /api/signup`, so a message delivered twice, or a signup that also succeeded
 * directly, still yields exactly one customer.
 */
import * as v from 'valibot';
import { purgeMe } from '../cache/me-cache';
import type { Config } from '../config';
import type { Env } from '../env';
import { isTransientUpstream } from '../errors';
import { log } from '../log';
import { PartneroError, type PartneroClient } from '../partnero/types';
import { signupMessageSchema } from './message';
import { ReferrerNotFoundError, attributeSignup, type SignupInput } from './signup';

/** Queue whose messages are given up on: each is logged once and acknowledged. */
export const DEAD_LETTER_QUEUE = 'referral-signups-dlq';

const BASE_DELAY_SECONDS = 5;
const MAX_DELAY_SECONDS = 600;

/**
 * Delay before retry number `attempts` (1 after the first failure): 5 s doubling up to
 * 10 min, never shorter than upstream's Retry-After, with a little jitter so a burst of
 * retried signups does not hit upstream in lockstep.
 */
export function retryDelaySeconds(attempts: number, retryAfter?: number): number {
  const exponential = Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exponential * (0.8 + Math.random() * 0.4));
  const floor = retryAfter !== undefined && Number.isFinite(retryAfter) ? Math.ceil(retryAfter) : 0;
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, jittered, floor));
}

function errorText(err: unknown): string {
  if (err instanceof PartneroError) return `${err.kind} ${err.status}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** What the consumer needs from the composition it runs in. */
export interface QueueDeps {
  config: Config;
  client: () => PartneroClient;
}

async function processSignup(message: Message<unknown>, env: Env, deps: QueueDeps): Promise<void> {
  const parsed = v.safeParse(signupMessageSchema, message.body);
  if (!parsed.success) {
    // Cannot ever succeed: retrying would only delay the same answer.
    log('error', 'signup message malformed; dropped', { message_id: message.id, attempts: message.attempts }, env);
    message.ack();
    return;
  }
  const body = parsed.output;
  const input: SignupInput = {
    customerKey: body.customer_key,
    email: body.email,
    name: body.name,
    referralKey: body.referral_key && body.referral_key !== body.customer_key ? body.referral_key : null,
  };
  const fields = { message_id: message.id, attempts: message.attempts, request_id: body.request_id, customer_key: body.customer_key };
  try {
    const client = deps.client();
    let outcome;
    try {
      outcome = await attributeSignup(client, input);
    } catch (err) {
      if (!(err instanceof ReferrerNotFoundError)) throw err;
      // The customer still signed up: create them unattributed rather than lose them.
      log('warn', 'queued signup: referrer gone, creating without referrer', { ...fields, referral_key: err.referralKey }, env);
      outcome = await attributeSignup(client, { ...input, referralKey: null });
    }
    if (outcome.result === 'created' && outcome.referredBy) await purgeMe(deps.config, outcome.referredBy);
    log('info', 'queued signup attributed', { ...fields, result: outcome.result, referred_by: outcome.referredBy }, env);
    message.ack();
  } catch (err) {
    const delaySeconds = retryDelaySeconds(message.attempts, err instanceof PartneroError ? err.retryAfter : undefined);
    log(
      isTransientUpstream(err) ? 'warn' : 'error',
      'queued signup failed; will retry',
      { ...fields, delay_seconds: delaySeconds, error: errorText(err) },
      env,
    );
    message.retry({ delaySeconds });
  }
}

function deadLetter(message: Message<unknown>, env: Env): void {
  const parsed = v.safeParse(signupMessageSchema, message.body);
  const body = parsed.success ? parsed.output : undefined;
  log(
    'error',
    'signup dead-lettered: retries exhausted, attribution needs a manual replay',
    {
      message_id: message.id,
      attempts: message.attempts,
      customer_key: body?.customer_key,
      referral_key: body?.referral_key,
      request_id: body?.request_id,
      enqueued_at: body?.enqueued_at,
      malformed: !parsed.success,
    },
    env,
  );
  message.ack();
}

/** How long messages wait when the worker's configuration is invalid (someone has to fix it). */
const NOT_CONFIGURED_DELAY_SECONDS = 300;

/**
 * The worker's `queue` handler: signups are attributed (ack), or retried with exponential
 * backoff while upstream fails; the dead-letter queue logs one error line per message.
 * With an invalid configuration nothing can be attributed: every message waits.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, deps: QueueDeps | { problems: string }): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE || batch.queue.endsWith('-dlq')) {
    for (const message of batch.messages) deadLetter(message, env);
    return;
  }
  if ('problems' in deps) {
    log('error', 'queued signups wait: configuration invalid', { queue: batch.queue, messages: batch.messages.length, detail: deps.problems });
    batch.retryAll({ delaySeconds: NOT_CONFIGURED_DELAY_SECONDS });
    return;
  }
  await Promise.all(batch.messages.map((message) => processSignup(message, env, deps)));
}

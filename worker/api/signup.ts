import type { Handler } from 'hono';
import { getCookie } from 'hono/cookie';
import * as v from 'valibot';
import { CUSTOMER_KEY_PATTERN } from '../../shared/partnero';
import { REFERRAL_COOKIE, type SignupResponse } from '../../shared/widget-api';
import { enqueueSignup } from '../attribution/message';
import { ReferrerNotFoundError, attributeSignup, type SignupOutcome } from '../attribution/signup';
import { purgeMe } from '../cache/me-cache';
import type { AppEnv } from '../hono-env';
import { log } from '../log';
import { ApiError, isTransientUpstream } from '../errors';
import { checkRateLimit } from '../middleware/rate-limit';
import { customerKeySchema, readJson } from './input';

const signupSchema = v.object({
  // "" and null mean "no referrer in the body" (attribution.js sends what it has).
  referral_key: v.optional(v.nullable(v.union([v.literal(''), customerKeySchema], 'Must be a referral key.'))),
});

/**
 * `POST /api/signup {referral_key?}`: attributes the token's customer to a referrer (body
 * field, else the `partnero_referral` cookie). 201 created, 200 existing (referrer never
 * changed), 202 queued when upstream is failing, 422 self_referral / referrer_not_found /
 * validation_failed.
 */
export const signup: Handler<AppEnv> = async (c) => {
  const input = await readJson(c, signupSchema, { emptyAs: {} });
  const customerKey = c.get('customerKey');
  await checkRateLimit(c, 'RL_WRITE', `signup:${customerKey}`);

  let referralKey: string | null = input.referral_key || null;
  if (!referralKey) {
    const cookie = getCookie(c, REFERRAL_COOKIE)?.trim();
    if (cookie && CUSTOMER_KEY_PATTERN.test(cookie)) referralKey = cookie;
    // A malformed cookie (another tool's format, tampering) is ignored rather than blocking the signup.
    else if (cookie) log('warn', 'malformed referral cookie ignored', { id: c.get('requestId') });
  }
  if (referralKey === customerKey) {
    throw new ApiError(422, 'self_referral', 'A customer cannot refer themselves.');
  }

  const email = c.get('customerEmail');
  const name = c.get('customerName');
  let outcome: SignupOutcome;
  try {
    // No inline retries: a failing upstream sends the signup to the queue, which retries with
    // backoff, so the browser gets its 202 after one attempt instead of waiting out Retry-After.
    outcome = await attributeSignup(c.var.partnero({ retries: 0 }), { customerKey, email, name, referralKey });
  } catch (err) {
    if (err instanceof ReferrerNotFoundError) {
      throw new ApiError(422, 'referrer_not_found', 'The referral key does not belong to a customer of this program.', {
        fields: { referral_key: ['Unknown referrer.'] },
      });
    }
    if (!isTransientUpstream(err)) throw err;
    try {
      await enqueueSignup(c.env, {
        type: 'signup',
        customer_key: customerKey,
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
        referral_key: referralKey,
        request_id: c.get('requestId'),
        enqueued_at: new Date().toISOString(),
      });
    } catch (queueErr) {
      log('error', 'signup could not be queued', { id: c.get('requestId'), error: queueErr instanceof Error ? queueErr.message : String(queueErr) }, c.env);
      throw err;
    }
    log('warn', 'signup queued: upstream failing', { id: c.get('requestId') });
    const queued: SignupResponse = { result: 'queued', customer_key: customerKey, referred_by: referralKey };
    return c.json(queued, 202);
  }

  if (outcome.result === 'created' && outcome.referredBy) {
    // Awaited, so the referrer's widget shows the new referral on its very next load.
    await purgeMe(c.var.config, outcome.referredBy);
  }
  const body: SignupResponse = { result: outcome.result, customer_key: customerKey, referred_by: outcome.referredBy };
  return c.json(body, outcome.result === 'created' ? 201 : 200);
};

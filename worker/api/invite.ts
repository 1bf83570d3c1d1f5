import type { Handler } from 'hono';
import * as v from 'valibot';
import type { InviteResponse } from '../../shared/widget-api';
import type { AppEnv } from '../hono-env';
import { ApiError } from '../errors';
import { getCustomerByKey } from '../identity';
import { checkRateLimit } from '../middleware/rate-limit';
import { PartneroError } from '../partnero/types';
import { emailSchema, readJson } from './input';

const inviteSchema = v.object({
  email: emailSchema,
  name: v.optional(v.pipe(v.string('Must be a string.'), v.trim(), v.minLength(1, 'Must not be empty.'), v.maxLength(100, 'Must be at most 100 characters.'))),
});

const sameEmail = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.toLowerCase();

/**
 * Which of the browser's fields upstream refused, in our own words: upstream's text never
 * reaches the browser (it could carry anything, even credentials echoed back).
 */
function upstreamFieldErrors(err: PartneroError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (err.errors?.name) fields.name = ['The referral service refused this name.'];
  if (err.errors?.email || !fields.name) fields.email = ['The referral service refused this address.'];
  return fields;
}

/**
 * `POST /api/me/invite {email, name?}`: emails a friend an invitation carrying this
 * customer's referral link. Tight per-customer rate limit (RL_WRITE); never the customer's
 * own address.
 */
export const invite: Handler<AppEnv> = async (c) => {
  const input = await readJson(c, inviteSchema);
  const customerKey = c.get('customerKey');
  await checkRateLimit(c, 'RL_WRITE', `invite:${customerKey}`);
  const client = c.var.partnero();
  const customer = await getCustomerByKey(client, customerKey);
  if (sameEmail(customer.email, input.email) || sameEmail(c.get('customerEmail'), input.email)) {
    // The same code as a self-referral at signup, so the widget can say what is wrong.
    throw new ApiError(422, 'self_referral', 'You cannot invite yourself.', { fields: { email: ['This is your own email address.'] } });
  }
  const referralLink = typeof customer.referral_link === 'string' ? customer.referral_link : null;
  const referrerName = (typeof customer.name === 'string' && customer.name) || c.get('customerName') || null;
  try {
    await client.inviteCustomer({
      email: input.email,
      ...(input.name ? { name: input.name } : {}),
      personalization: { referrer_name: referrerName, referral_link: referralLink },
    });
  } catch (err) {
    if (err instanceof PartneroError && err.kind === 'http' && err.status === 422) {
      throw new ApiError(422, 'validation_failed', 'The invitation was refused.', { fields: upstreamFieldErrors(err) });
    }
    throw err;
  }
  // Interim: the daily cap and per-recipient dedupe (issue 14) replace this with counted values.
  const body: InviteResponse = { invited: true, email: input.email, already_invited: false, remaining_today: Number.MAX_SAFE_INTEGER };
  return c.json(body, 201);
};

import { Hono } from 'hono';
import * as v from 'valibot';
import { customerKeySchema, readJson } from '../../api/input';
import { purgeMe } from '../../cache/me-cache';
import { ApiError, isUpstreamNotFound } from '../../errors';
import type { DevAppEnv as AppEnv } from '../env';

const purchaseSchema = v.object({
  customer_key: customerKeySchema,
  amount: v.pipe(v.number('Must be a number.'), v.finite('Must be a number.'), v.minValue(0.01, 'Must be at least 0.01.'), v.maxValue(1_000_000, 'Must be at most 1000000.')),
  currency: v.optional(v.pipe(v.string('Must be a string.'), v.regex(/^[A-Z]{3}$/, 'Must be a 3-letter currency code such as USD.')), 'USD'),
});

const purgeSchema = v.object({ customer_key: customerKeySchema });

/** Purchases by referred friends (their referrer earns a reward) and cache purging, for the demo. */
export const purchases = new Hono<AppEnv>()
  .post('/purchase', async (c) => {
    const input = await readJson(c, purchaseSchema);
    const transaction = await c.var
      .partnero()
      .createTransaction({
        key: `demo_${crypto.randomUUID()}`,
        amount: input.amount,
        amount_units: input.currency,
        action: 'sale',
        customer: { key: input.customer_key },
      })
      .catch((err: unknown) => {
        throw isUpstreamNotFound(err) ? new ApiError(404, 'not_found', 'No customer with this key.') : err;
      });
    // The referrer's balance just changed: its cached first screen must not hide that.
    const referrer = transaction.referring_customer?.key;
    if (referrer) await purgeMe(c.var.config, referrer);
    return c.json(
      {
        key: transaction.key,
        amount: transaction.amount,
        currency: transaction.amount_units,
        customer_key: input.customer_key,
        referrer_key: referrer ?? null,
        reward: transaction.reward ? { amount: transaction.reward.amount, currency: transaction.reward.amount_units, is_currency: transaction.reward.is_currency } : null,
      },
      201,
    );
  })
  .post('/purge', async (c) => {
    const input = await readJson(c, purgeSchema);
    await purgeMe(c.var.config, input.customer_key);
    return c.json({ purged: input.customer_key });
  });

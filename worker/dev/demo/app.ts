/**
 * Dev-only routes of the demo host site (demo/*.html), under /demo. They exist only in the
 * dev composition: they mint tokens for any customer, create purchases and break the
 * upstream on purpose, which no real deployment may allow.
 *
 *   GET  /demo/token?customer=KEY[&ttl=s]      {token} for a customer (the widget's token URL)
 *   POST /demo/signup-token {key, email, name?} {token} for a new customer, with profile claims
 *   POST /demo/purchase {customer_key, amount, currency?}  a purchase by a (referred) customer
 *   POST /demo/purge {customer_key}             forget the customer's cached GET /api/me
 *   POST /demo/fault {status, times?, delayMs?} | {clear: true}   break the local API
 *   GET  /demo/upstream-calls, POST /demo/upstream-calls/reset     count local API calls
 */
import { Hono } from 'hono';
import { limitBody } from '../../middleware/body-limit';
import type { DevAppEnv } from '../env';
import { faults } from './faults';
import { purchases } from './purchase';
import { tokens } from './tokens';

export const demo = new Hono<DevAppEnv>();

demo.use(async (c, next) => {
  await next();
  // Tokens and counters: never cached anywhere.
  c.header('Cache-Control', 'no-store');
});
demo.use(limitBody());
demo.route('/', tokens);
demo.route('/', purchases);
demo.route('/', faults);

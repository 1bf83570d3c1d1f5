import { Hono } from 'hono';
import * as v from 'valibot';
import { mintCustomerToken } from '../../../shared/referral-token.js';
import { customerKeySchema, emailSchema, readJson, validate } from '../../api/input';
import type { Config } from '../../config';
import type { DevAppEnv as AppEnv } from '../env';

/** Default lifetime of demo tokens: short, so the widget's renewal is exercised. */
const DEFAULT_TTL = 900;

const ttlSchema = (max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,6}$/, 'ttl must be a whole number of seconds.'),
      v.transform(Number),
      v.number(),
      // 0 mints a token that is already expired: handy to show the renewal path.
      v.maxValue(max, `ttl must be at most ${max}.`),
    ),
  );

const nameSchema = v.pipe(v.string('Must be a string.'), v.trim(), v.minLength(1, 'Must not be empty.'), v.maxLength(100, 'Must be at most 100 characters.'));

const signupSchema = v.object({
  key: customerKeySchema,
  email: emailSchema,
  name: v.optional(nameSchema),
});

/** Mints with the worker's own current secret and audience: the tokens it will accept. */
async function mint(config: Config, sub: string, ttlSeconds: number, profile: { email?: string; name?: string } = {}): Promise<string> {
  const secret = config.tokens.secrets[0] ?? '';
  const { audience, maxAgeSeconds } = config.tokens;
  // ttl=0 asks for a token that has already expired (to show renewal): issue it a minute in
  // the past so it is a genuinely expired token, not one with an impossible zero lifetime.
  const now = Math.floor(Date.now() / 1000);
  return ttlSeconds === 0
    ? mintCustomerToken({ secret, sub, audience, maxAgeSeconds, ttlSeconds: 60, now: now - 120, ...profile })
    : mintCustomerToken({ secret, sub, audience, maxAgeSeconds, ttlSeconds, ...profile });
}

/** Token minting for the demo pages: what a host backend does after its own login. */
export const tokens = new Hono<AppEnv>()
  .get('/token', async (c) => {
    const query = validate(
      v.object({ customer: customerKeySchema, ttl: ttlSchema(c.var.config.tokens.maxAgeSeconds) }),
      { customer: c.req.query('customer') ?? '', ttl: c.req.query('ttl') },
      'The query string is invalid.',
    );
    return c.json({ token: await mint(c.var.config, query.customer, Math.min(query.ttl ?? DEFAULT_TTL, c.var.config.tokens.maxAgeSeconds)) });
  })
  .post('/signup-token', async (c) => {
    const input = await readJson(c, signupSchema);
    const profile = input.name === undefined ? { email: input.email } : { email: input.email, name: input.name };
    return c.json({ token: await mint(c.var.config, input.key, Math.min(DEFAULT_TTL, c.var.config.tokens.maxAgeSeconds), profile) });
  });

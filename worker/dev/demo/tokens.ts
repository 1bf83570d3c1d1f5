import { Hono } from 'hono';
import * as v from 'valibot';
import { mintCustomerToken } from '../../../shared/token';
import { ApiError } from '../../api/errors';
import { customerKeySchema, emailSchema, readJson, validate } from '../../api/input';
import { signingSecret, tokenAudience } from '../../config';
import type { AppEnv, Env } from '../../env';
import { intVar } from '../../upstream';

/** Default lifetime of demo tokens: short, so the widget's renewal is exercised. */
const DEFAULT_TTL = 900;

function maxTtl(env: Env): number {
  return intVar(env.TOKEN_MAX_AGE_SECONDS, 3600, 1, 86_400);
}

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

async function mint(env: Env, sub: string, ttlSeconds: number, profile: { email?: string; name?: string } = {}): Promise<string> {
  const secret = signingSecret(env);
  if (!secret) throw new ApiError(503, 'not_configured', 'No token secret is configured.');
  // ttl=0 asks for a token that has already expired (to show renewal): issue it a minute in
  // the past so it is a genuinely expired token, not one with an impossible zero lifetime.
  const now = Math.floor(Date.now() / 1000);
  return ttlSeconds === 0
    ? mintCustomerToken({ secret, sub, audience: tokenAudience(env), ttlSeconds: 60, now: now - 120, ...profile })
    : mintCustomerToken({ secret, sub, audience: tokenAudience(env), ttlSeconds, ...profile });
}

/** Token minting for the demo pages: what a host backend does after its own login. */
export const tokens = new Hono<AppEnv>()
  .get('/token', async (c) => {
    const query = validate(
      v.object({ customer: customerKeySchema, ttl: ttlSchema(maxTtl(c.env)) }),
      { customer: c.req.query('customer') ?? '', ttl: c.req.query('ttl') },
      'The query string is invalid.',
    );
    return c.json({ token: await mint(c.env, query.customer, query.ttl ?? DEFAULT_TTL) });
  })
  .post('/signup-token', async (c) => {
    const input = await readJson(c, signupSchema);
    const profile = input.name === undefined ? { email: input.email } : { email: input.email, name: input.name };
    return c.json({ token: await mint(c.env, input.key, DEFAULT_TTL, profile) });
  });

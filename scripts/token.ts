/**
 * `npm run token -- <customerKey> [--email e] [--name n] [--ttl seconds] [--audience a]`:
 * prints a customer token for local use (the widget's `data-token`, curl against /api).
 *
 * The secret is TOKEN_SECRET from the environment, else from .dev.vars, else — with a
 * warning — the demo-only DEV_TOKEN_SECRET, which `npm start` (the dev composition) accepts
 * while no TOKEN_SECRET is set. Only the token goes to stdout, so `$(npm run -s token -- alice)`
 * works.
 */
import { parseArgs } from 'node:util';
import { TOKEN_RULES, mintCustomerToken } from '../shared/referral-token.js';
import { DEV_TOKEN_SECRET } from '../worker/dev/dev-secret.ts';
import { readDevVars } from './dev-vars.ts';

function fail(message: string): never {
  console.error(`npm run token: ${message}`);
  console.error('usage: npm run token -- <customerKey> [--email e] [--name n] [--ttl seconds] [--audience a]');
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      audience: { type: 'string' },
    },
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
const { values, positionals } = parsed;
const customerKey = positionals[0];
if (!customerKey || positionals.length > 1) fail('give exactly one customer key');
// The mint helper checks the key, the lifetime and the secret against the token rules and says what is wrong.
const ttl = values.ttl === undefined ? TOKEN_RULES.defaultTtlSeconds : Number(values.ttl);

const devVars = readDevVars();
let secret = process.env.TOKEN_SECRET || devVars.TOKEN_SECRET;
if (!secret) {
  secret = DEV_TOKEN_SECRET;
  console.error('npm run token: TOKEN_SECRET is not set (environment or .dev.vars); using the demo-only dev secret.');
  console.error('  Only the dev composition (npm start) accepts it, and only while no TOKEN_SECRET is configured.');
}
const audience = values.audience || process.env.TOKEN_AUDIENCE || devVars.TOKEN_AUDIENCE || TOKEN_RULES.defaultAudience;
const maxAge = process.env.TOKEN_MAX_AGE_SECONDS || devVars.TOKEN_MAX_AGE_SECONDS;

try {
  const token = await mintCustomerToken({
    secret,
    sub: customerKey,
    audience,
    ttlSeconds: ttl,
    ...(maxAge ? { maxAgeSeconds: Number(maxAge) } : {}),
    email: values.email,
    name: values.name,
  });
  process.stdout.write(`${token}\n`);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

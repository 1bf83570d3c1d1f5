// @ts-check
/**
 * Customer tokens of the referral widget: the rules, the claim check the worker runs,
 * `mintCustomerToken()` for host backends and `signupCustomer()`, their signup hook. The
 * worker's verifier, its configuration, `npm run token`, the demo, the tests and the
 * examples all import this one file, so a rule exists once and a minted token cannot drift
 * from what the worker accepts.
 *
 * Plain JavaScript with no dependencies (WebCrypto, TextEncoder, btoa): it runs unchanged in
 * Node >= 20, Bun, Deno, Cloudflare Workers and browsers. Copy it into your backend.
 *
 * A token is a JWT signed with HMAC-SHA-256 whose `sub` is your customer's key in the
 * Partnero program; the worker believes nothing else about who the customer is.
 */

/** A customer key: 1-128 of A-Z a-z 0-9 . _ : @ + -, starting with a letter or digit. */
export const CUSTOMER_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;

/** Every rule a customer token follows. The worker's TOKEN_* settings move within these. */
export const TOKEN_RULES = Object.freeze({
  /** The only accepted algorithm (`alg` of the header); anything else is refused. */
  algorithm: 'HS256',
  /** Default of the worker's TOKEN_AUDIENCE: the `aud` a token must carry. */
  defaultAudience: 'referral-widget',
  /** TOKEN_MAX_AGE_SECONDS: the longest accepted lifetime (`exp - iat`), its range and default. */
  maxAgeSeconds: Object.freeze({ min: 60, max: 86_400, default: 3600 }),
  /** Lifetime `mintCustomerToken` gives a token unless told otherwise: short, the widget renews. */
  defaultTtlSeconds: 900,
  /** Tolerated difference between your server's clock and the worker's, for `iat` and `nbf`. */
  clockSkewSeconds: 30,
  /** Longest accepted token, in characters: far above a real one, far below anything abusive. */
  maxTokenLength: 4096,
  /** Shortest accepted secret (TOKEN_SECRET), in bytes: HS256 wants a key as long as its hash. */
  minSecretBytes: 32,
  /** Claims the worker requires. */
  requiredClaims: Object.freeze(['sub', 'aud', 'iat', 'exp']),
  /** Claims the worker reads when present. */
  optionalClaims: Object.freeze(['nbf', 'email', 'name', 'created_at']),
});

/**
 * Why the worker refuses a token's claims: the `reason` of its 401 (also `malformed` and
 * `bad_signature` for the token's form and signature, checked before the claims).
 * @typedef {'malformed' | 'bad_audience' | 'token_expired' | 'token_too_long_lived' | 'not_yet_valid'} ClaimRefusal
 */

/**
 * @typedef {object} ClaimCheck
 * @property {string} audience The `aud` required (the worker's TOKEN_AUDIENCE).
 * @property {number} maxAgeSeconds The longest lifetime allowed (the worker's TOKEN_MAX_AGE_SECONDS).
 * @property {number} now Seconds since the epoch.
 */

/**
 * @param {unknown} value
 * @returns {value is number}
 */
const isTime = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * What the claim check answers: the claims the worker relies on, or the first rule broken.
 * @typedef {{ ok: true, sub: string, iat: number, exp: number, createdAt: number | undefined }
 *   | { ok: false, reason: ClaimRefusal, detail: string }} ClaimVerdict
 */

/**
 * The claim rules of the worker, in the order it applies them. A token that has only expired
 * is `token_expired` (the widget renews it); every other refusal wins over expiry.
 * @param {Record<string, unknown>} claims The decoded payload.
 * @param {ClaimCheck} check
 * @returns {ClaimVerdict}
 */
export function checkClaims(claims, check) {
  const { sub, aud, iat, exp, nbf, created_at: createdAt } = claims;
  const skew = TOKEN_RULES.clockSkewSeconds;
  /** @type {(reason: ClaimRefusal, detail: string) => ClaimVerdict} */
  const refuse = (reason, detail) => ({ ok: false, reason, detail });
  if (!(Array.isArray(aud) ? aud : [aud]).includes(check.audience)) return refuse('bad_audience', 'aud');
  if (typeof sub !== 'string' || !CUSTOMER_KEY_PATTERN.test(sub)) return refuse('malformed', 'sub');
  if (!isTime(iat)) return refuse('malformed', 'iat');
  if (!isTime(exp)) return refuse('malformed', 'exp');
  if (iat > check.now + skew) return refuse('not_yet_valid', 'iat_future');
  if (exp <= iat || exp - iat > check.maxAgeSeconds) return refuse('token_too_long_lived', 'lifetime');
  if (nbf !== undefined && !isTime(nbf)) return refuse('malformed', 'nbf');
  if (isTime(nbf) && nbf > check.now + skew) return refuse('not_yet_valid', 'nbf');
  if (exp <= check.now) return refuse('token_expired', 'expired');
  if (createdAt === undefined) return { ok: true, sub, iat, exp, createdAt: undefined };
  // Optional, but a present one must be a time (seconds) no later than the token itself.
  if (!isTime(createdAt) || createdAt < 0 || createdAt > iat + skew) return refuse('malformed', 'created_at');
  return { ok: true, sub, iat, exp, createdAt };
}

/**
 * @typedef {object} MintOptions
 * @property {string} secret The worker's TOKEN_SECRET (at least 32 bytes). Keep it on your server.
 * @property {string} sub The customer's key in your Partnero program (your user id).
 * @property {string} [email] Used when the customer is created (signup, joining from the widget).
 * @property {string} [name] Likewise.
 * @property {number | Date} [createdAt] When the customer's account was created on your site
 *   (seconds since the epoch, or a Date): the worker honours a referral only within the
 *   attribution window after it.
 * @property {number} [ttlSeconds] Lifetime, default 900 (15 minutes).
 * @property {string} [audience] Must equal the worker's TOKEN_AUDIENCE (default "referral-widget").
 * @property {number} [maxAgeSeconds] The worker's TOKEN_MAX_AGE_SECONDS if you changed it (default 3600): a longer ttlSeconds is refused here rather than by the worker.
 * @property {number} [now] The clock, seconds since the epoch (tests).
 */

const encoder = new TextEncoder();

/** @param {Uint8Array} bytes */
function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {unknown} value */
const base64urlJson = (value) => base64url(encoder.encode(JSON.stringify(value)));

/** @param {string} problem */
const misuse = (problem) => new TypeError(`mintCustomerToken: ${problem}`);

/**
 * @param {number | Date | undefined} value
 * @returns {number | undefined}
 */
function seconds(value) {
  if (value === undefined) return undefined;
  const s = value instanceof Date ? value.getTime() / 1000 : value;
  if (!isTime(s) || s < 0) throw misuse('createdAt must be a Date or seconds since the epoch');
  // Ten digits of seconds reach the year 2286; thirteen are milliseconds.
  if (s >= 1e11) throw misuse('createdAt looks like milliseconds: pass seconds since the epoch (or a Date)');
  return Math.floor(s);
}

/**
 * Returns a signed customer token for the widget (`data-token-url` / `data-token`) and for
 * `POST /api/signup`. Throws a TypeError naming the option when the token would be refused by
 * a worker with the same TOKEN_AUDIENCE and TOKEN_MAX_AGE_SECONDS.
 * @param {MintOptions} options
 * @returns {Promise<string>}
 */
export async function mintCustomerToken(options) {
  const { secret, sub, email, name } = options;
  const audience = options.audience ?? TOKEN_RULES.defaultAudience;
  const ttl = options.ttlSeconds ?? TOKEN_RULES.defaultTtlSeconds;
  const maxAge = options.maxAgeSeconds ?? TOKEN_RULES.maxAgeSeconds.default;
  const range = TOKEN_RULES.maxAgeSeconds;
  if (typeof secret !== 'string' || encoder.encode(secret).length < TOKEN_RULES.minSecretBytes) {
    throw misuse(`secret must be the worker's TOKEN_SECRET, at least ${TOKEN_RULES.minSecretBytes} bytes`);
  }
  if (typeof sub !== 'string' || !CUSTOMER_KEY_PATTERN.test(sub)) {
    throw misuse('sub must be a customer key: 1-128 of A-Z a-z 0-9 . _ : @ + -, starting with a letter or digit');
  }
  if (typeof audience !== 'string' || audience === '') throw misuse('audience must be a non-empty string');
  if (!Number.isInteger(maxAge) || maxAge < range.min || maxAge > range.max) {
    throw misuse(`maxAgeSeconds must be a whole number from ${range.min} to ${range.max} (the worker's TOKEN_MAX_AGE_SECONDS)`);
  }
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > maxAge) {
    throw misuse(`ttlSeconds must be a whole number from 1 to ${maxAge} (TOKEN_MAX_AGE_SECONDS; pass maxAgeSeconds if you raised it)`);
  }
  if (email !== undefined && typeof email !== 'string') throw misuse('email must be a string');
  if (name !== undefined && typeof name !== 'string') throw misuse('name must be a string');
  const createdAt = seconds(options.createdAt);
  const iat = Math.floor(options.now ?? Date.now() / 1000);

  /** @type {Record<string, string | number>} */
  const claims = { sub, aud: audience, iat, exp: iat + ttl };
  if (email !== undefined) claims.email = email;
  if (name !== undefined) claims.name = name;
  if (createdAt !== undefined) claims.created_at = createdAt;
  const verdict = checkClaims(claims, { audience, maxAgeSeconds: maxAge, now: iat });
  if (!verdict.ok) throw misuse(`the worker would refuse this token (${verdict.reason}: ${verdict.detail})`);

  const signingInput = `${base64urlJson({ alg: TOKEN_RULES.algorithm, typ: 'JWT' })}.${base64urlJson(claims)}`;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput)));
  const token = `${signingInput}.${base64url(signature)}`;
  if (token.length > TOKEN_RULES.maxTokenLength) throw misuse(`the token is over ${TOKEN_RULES.maxTokenLength} characters: shorten email or name`);
  return token;
}

/**
 * @param {unknown} value
 * @returns {Record<string, unknown>}
 */
const record = (value) => (typeof value === 'object' && value !== null ? /** @type {Record<string, unknown>} */ (value) : {});

/**
 * What `signupCustomer` reports: the worker's answer (`created`, `existing`, or `queued` while
 * Partnero is failing), with the referral it dropped and why, if any; or why the call failed.
 * @typedef {{ ok: true, result: 'created' | 'existing' | 'queued', customer_key: string, referred_by: string | null, dropped: { referral_key: string, code: string } | null }
 *   | { ok: false, status: number, code: string, reason: string | null, message: string }} SignupOutcome
 */

/**
 * @typedef {object} SignupOptions
 * @property {string} workerUrl The referral worker, e.g. https://refer.example.com (as your server reaches it).
 * @property {string} token A token for the customer who just signed up (`mintCustomerToken`).
 * @property {string | null} [referralKey] The `partnero_referral` cookie's value from the signup request.
 * @property {number} [timeoutMs] Per call, default 10000.
 * @property {typeof fetch} [fetch] The fetch to use (tests, or a Workers service binding's `fetch`).
 */

/**
 * Your signup hook: tells the worker that the token's customer signed up, referred by
 * `referralKey` (`POST /api/signup`, idempotent: repeating it is safe). A referral the worker
 * refuses (422 self_referral, referrer_not_found or a malformed key; attribution_window_closed
 * for an account older than the window) is dropped and the customer is created without it,
 * as the worker advises. Never throws: a failure is reported, and must not block your own
 * signup.
 * @param {SignupOptions} options
 * @returns {Promise<SignupOutcome>}
 */
export async function signupCustomer(options) {
  const send = options.fetch ?? fetch;
  const url = `${options.workerUrl.replace(/\/+$/, '')}/api/signup`;
  /** @param {string | null} key @returns {Promise<{ status: number, body: Record<string, unknown> }>} */
  const call = async (key) => {
    const res = await send(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(key ? { referral_key: key } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    return { status: res.status, body: record(await res.json().catch(() => null)) };
  };
  const key = options.referralKey || null;
  try {
    let answer = await call(key);
    let dropped = null;
    const refused = record(answer.body.error).code;
    if (key && (answer.status === 422 || refused === 'attribution_window_closed')) {
      dropped = { referral_key: key, code: typeof refused === 'string' ? refused : `http_${answer.status}` };
      answer = await call(null);
    }
    const { result, customer_key: customerKey, referred_by: referredBy } = answer.body;
    if (answer.status < 300 && (result === 'created' || result === 'existing' || result === 'queued') && typeof customerKey === 'string') {
      return { ok: true, result, customer_key: customerKey, referred_by: typeof referredBy === 'string' ? referredBy : null, dropped };
    }
    const error = record(answer.body.error);
    const text = (/** @type {unknown} */ value) => (typeof value === 'string' ? value : null);
    return { ok: false, status: answer.status, code: text(error.code) ?? `http_${answer.status}`, reason: text(error.reason), message: text(error.message) ?? '' };
  } catch (error) {
    return { ok: false, status: 0, code: 'network_error', reason: null, message: error instanceof Error ? error.message : String(error) };
  }
}

import { verify } from 'hono/jwt';
import { JwtTokenSignatureMismatched } from 'hono/utils/jwt/types';
import * as v from 'valibot';
import { TOKEN_RULES, checkClaims } from '../../shared/referral-token.js';
import type { TokenRefusal } from '../../shared/widget-api';

/** The customer a verified token speaks for. */
export interface CustomerClaims {
  customerKey: string;
  email: string | undefined;
  name: string | undefined;
  /** When the customer's account was created on the host site (`created_at`, seconds), for the attribution window. */
  createdAt: number | undefined;
  exp: number;
}

/** Why a token was refused (the 401's `reason`, also logged): see TokenRefusal in the contract. */
export type VerifyResult = { ok: true; claims: CustomerClaims } | { ok: false; reason: Exclude<TokenRefusal, 'missing'>; detail: string };

export interface VerifyOptions {
  secrets: readonly string[];
  audience: string;
  maxAgeSeconds: number;
  /** Seconds since epoch; defaults to the clock. */
  now?: number;
}

const emailClaim = v.pipe(v.string(), v.trim(), v.maxLength(254), v.email());
const nameClaim = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));

function decodeHeaderAlg(token: string): unknown {
  const [part] = token.split('.');
  try {
    const json = atob((part ?? '').replace(/-/g, '+').replace(/_/g, '/'));
    const header: unknown = JSON.parse(json);
    return typeof header === 'object' && header !== null && 'alg' in header ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

// Secrets imported as HMAC keys once per isolate: importing is as dear as verifying, and
// handing hono a CryptoKey also keeps it from reading a secret that contains "PRIVATE" as PEM.
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    if (keys.size >= 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

function fail(reason: Exclude<TokenRefusal, 'missing'>, detail: string): VerifyResult {
  return { ok: false, reason, detail };
}

/**
 * Verifies a customer token: HS256 only (checked before anything else, so `none` and
 * asymmetric algorithms never reach a verifier), signature against each secret (current,
 * then previous), audience, and the claims the widget depends on: `sub` a valid customer
 * key, `iat` and `exp` present, a lifetime within `maxAgeSeconds`, `nbf` honoured.
 * `token_expired` is reported only for a token that is otherwise valid, so the widget
 * renews it rather than signing out.
 */
export async function verifyCustomerToken(token: string, options: VerifyOptions): Promise<VerifyResult> {
  if (token.length === 0 || token.length > TOKEN_RULES.maxTokenLength) return fail('malformed', 'length');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return fail('malformed', 'format');
  if (decodeHeaderAlg(token) !== TOKEN_RULES.algorithm) return fail('malformed', 'alg');

  let payload: Record<string, unknown> | undefined;
  for (const secret of options.secrets) {
    try {
      // Only the signature here: hono checks aud, exp, nbf and iat before it, which would
      // call a forged token "expired" or "for another audience". They are checked below.
      payload = await verify(token, await hmacKey(secret), { alg: TOKEN_RULES.algorithm, exp: false, nbf: false, iat: false });
      break;
    } catch (err) {
      if (err instanceof JwtTokenSignatureMismatched) continue;
      return fail('malformed', err instanceof Error ? err.name : 'invalid');
    }
  }
  if (!payload) return fail('bad_signature', 'signature');

  // The claim rules are the ones the mint helpers check too (shared/referral-token.js).
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const verdict = checkClaims(payload, { audience: options.audience, maxAgeSeconds: options.maxAgeSeconds, now });
  if (!verdict.ok) return fail(verdict.reason, verdict.detail);

  const email = v.safeParse(emailClaim, payload.email);
  const name = v.safeParse(nameClaim, payload.name);
  return {
    ok: true,
    claims: {
      customerKey: verdict.sub,
      email: email.success ? email.output : undefined,
      name: name.success ? name.output : undefined,
      createdAt: verdict.createdAt,
      exp: verdict.exp,
    },
  };
}

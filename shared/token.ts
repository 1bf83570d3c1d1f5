/**
 * Minting of customer tokens, for host backends. Dependency-free: WebCrypto and
 * TextEncoder only, so it runs unchanged in Node >= 20, Deno, Bun and Workers.
 * Copy this file into your backend or import it from the package.
 *
 * A token is a JWT (HS256) whose `sub` is the host's customer key: the worker trusts
 * nothing else to say who the customer is.
 */

export interface MintOptions {
  /** The shared secret (the worker's TOKEN_SECRET). At least 32 characters. */
  secret: string;
  /** The customer's key in your Partnero program (your user id). */
  sub: string;
  /** Must equal the worker's TOKEN_AUDIENCE (default "referral-widget"). */
  audience?: string;
  /** Lifetime in seconds, default 900 (15 min); the worker refuses more than TOKEN_MAX_AGE_SECONDS. */
  ttlSeconds?: number;
  /** Used when the customer is created at signup. */
  email?: string;
  name?: string;
  /** When the customer's account was created on your site (seconds since epoch): closes the attribution window. */
  createdAt?: number;
  /** Override the clock (seconds since epoch), for tests. */
  now?: number;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlJson(value: unknown): string {
  return base64url(encoder.encode(JSON.stringify(value)));
}

/** Returns a signed customer token for the widget (`data-token`) and `POST /api/signup`. */
export async function mintCustomerToken(options: MintOptions): Promise<string> {
  const { secret, sub, audience = 'referral-widget', ttlSeconds = 900, email, name, createdAt } = options;
  if (secret.length < 32) throw new Error('mintCustomerToken: secret must be at least 32 characters');
  if (!sub) throw new Error('mintCustomerToken: sub (customer key) is required');
  const iat = Math.floor(options.now ?? Date.now() / 1000);
  const payload: Record<string, string | number> = { sub, aud: audience, iat, exp: iat + ttlSeconds };
  if (email !== undefined) payload.email = email;
  if (name !== undefined) payload.name = name;
  if (createdAt !== undefined) payload.created_at = Math.floor(createdAt);
  const signingInput = `${base64urlJson({ alg: 'HS256', typ: 'JWT' })}.${base64urlJson(payload)}`;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput)));
  return `${signingInput}.${base64url(signature)}`;
}

/** Hand-made JWTs for the token attack tests: any header, any payload, any signature. */
const encoder = new TextEncoder();

export function b64url(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
  let binary = '';
  for (const b of data) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function hmac(hash: 'SHA-256' | 'SHA-384' | 'SHA-512', secret: string, input: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign']);
  return b64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input))));
}

export interface CraftOptions {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
  secret: string;
  /** HMAC hash used for the signature; 'none' leaves it empty. Defaults from header.alg. */
  sign?: 'SHA-256' | 'SHA-384' | 'SHA-512' | 'none';
}

/** Signs `payload` under `header` (default HS256/JWT) exactly as given, with no claim checks. */
export async function craftToken(options: CraftOptions): Promise<string> {
  const header = options.header ?? { alg: 'HS256', typ: 'JWT' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(options.payload))}`;
  const sign = options.sign ?? 'SHA-256';
  return `${input}.${sign === 'none' ? '' : await hmac(sign, options.secret, input)}`;
}

/** Seconds since epoch. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

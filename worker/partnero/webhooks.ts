/**
 * Partnero's webhook signatures: every delivery carries header `Signature`, the lowercase hex
 * HMAC-SHA256 of the raw request body keyed with the webhook's secret (the `signature` field
 * Partnero answers when the webhook is created). Receivers verify the raw bytes before parsing.
 */

const encoder = new TextEncoder();

async function hmac(secret: string, body: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
}

/** The `Signature` header value Partnero sends for `body` under `secret`. */
export async function webhookSignature(secret: string, body: string): Promise<string> {
  return Array.from(await hmac(secret, body), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * True when `signature` (the header, hex in any case) is `body` signed with `secret`. Compares
 * in constant time; a missing or malformed header is simply false.
 */
export async function verifyWebhookSignature(secret: string, body: string, signature: string | null | undefined): Promise<boolean> {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const expected = await hmac(secret, body);
  const given = signature.trim().toLowerCase();
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    diff |= (expected[i] ?? 0) ^ Number.parseInt(given.slice(i * 2, i * 2 + 2), 16);
  }
  return diff === 0;
}

import type { Env } from './env';

/** One structured log line: JSON on a single line, so Workers Logs can index the fields. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Names of settings whose values are credentials: API keys and secrets, whatever the composition. */
const SECRET_NAME = /(_KEY|SECRET)(_PREVIOUS)?$/;

/**
 * Values that must never reach a log line, whatever an error message happens to contain.
 * Short values are skipped: redacting "" or "1" would mangle every line.
 */
function secretValues(env: Env | undefined): string[] {
  if (!env) return [];
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= 6)
    .map(([, value]) => value as string);
}

/** Replaces every configured secret in `text` with `[redacted]`. */
export function redactSecrets(text: string, env: Env | undefined): string {
  let out = text;
  for (const secret of secretValues(env)) out = out.split(secret).join('[redacted]');
  // A bearer credential that slipped into a message is cut too, whoever it belongs to.
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]');
}

/**
 * Writes one JSON line. `env` lets the line be scrubbed of the worker's secrets, which
 * matters for lines that carry error messages from elsewhere.
 */
export function log(level: LogLevel, msg: string, fields: LogFields = {}, env?: Env): void {
  const line = redactSecrets(JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields }), env);
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

const encoder = new TextEncoder();

// Digests already computed in this isolate: the same few customers are hashed on every one of
// their requests (cache URL, log tag), and a digest is the dearest step of a cached answer.
const digests = new Map<string, string>();
const MAX_DIGESTS = 5000;

/**
 * SHA-256 of `value` in hex: a stable, non-reversible name for a customer key (cache URLs,
 * log lines), remembered per isolate.
 */
export async function hashKey(value: string): Promise<string> {
  const known = digests.get(value);
  if (known !== undefined) return known;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  if (digests.size >= MAX_DIGESTS) digests.delete(digests.keys().next().value ?? '');
  digests.set(value, hex);
  return hex;
}

/** First 16 hex characters of hashKey: enough to correlate, short enough to read. */
export async function customerTag(customerKey: string): Promise<string> {
  return (await hashKey(`customer:${customerKey}`)).slice(0, 16);
}

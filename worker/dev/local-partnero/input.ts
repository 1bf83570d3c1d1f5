import { createMiddleware } from 'hono/factory';
import type { Input, LocalContext, LocalEnv } from './env';
import { LocalApiError } from './errors';

/**
 * Laravel's request input, which is what Partnero (a Laravel app) validates, in the one place
 * every route reads it from:
 *
 * - parameters are the query string merged with the body on every method, GET included
 *   (the official PHP SDK sends `list()` filters as a JSON body on GET); on a clash the body
 *   wins, as in Laravel's `$request->all()` (`json + query`, shallow);
 * - `a[b]=1&a[c][]=2` in a query string (or a form body) nests, as PHP parses it;
 * - a JSON body of `[]` or `null` is no input (PHP's `json_encode([])` is what the SDK sends
 *   when it has nothing to say), so is an empty body;
 * - every string is trimmed and an empty string becomes null (Laravel's TrimStrings and
 *   ConvertEmptyStringsToNull middleware), before any validation;
 * - unknown fields are kept; schemas ignore what they do not know.
 *
 * Where we stay stricter than Laravel (docs/partnero-compatibility.md): malformed JSON and a JSON
 * body that is a scalar or a non-empty array answer 400 instead of being read as no input.
 */

/** Largest request body the local API reads. */
const MAX_BODY_CHARS = 1_048_576;
/** Deeper input is refused (Laravel's json_decode stops at 512; nothing real nests this far). */
const MAX_DEPTH = 64;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property, so a key such as `__proto__` stays data and never reaches a prototype. */
function setOwn(target: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function tooDeep(): LocalApiError {
  return new LocalApiError(400, 'The request input is nested too deeply.');
}

/** Trims every string and turns empty strings into null, at every depth. */
export function normalize(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw tooDeep();
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (Array.isArray(value)) return value.map((item) => normalize(item, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, normalize(v, depth + 1));
    return out;
  }
  return value;
}

/** The path of a PHP-style parameter name: `a[b][]` → ['a', 'b', ''] (empty: append). */
function nameSegments(name: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(name);
  if (!m?.[1] || !m[2]) return [name];
  return [m[1], ...Array.from(m[2].matchAll(/\[([^[\]]*)\]/g), (s) => s[1] ?? '')];
}

/**
 * Query-string (or form) parameters as PHP reads them: brackets nest, `[]` appends, a repeated
 * plain name keeps its last value.
 */
export function parseParams(params: URLSearchParams): Input {
  const out: Input = {};
  const pairs: Array<[string, string]> = [];
  params.forEach((value, name) => pairs.push([name, value]));
  for (const [name, value] of pairs) {
    const segments = nameSegments(name);
    if (segments.length > MAX_DEPTH) throw tooDeep();
    let node: Record<string, unknown> | unknown[] = out;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const key = segment === '' && Array.isArray(node) ? String(node.length) : segment;
      if (last) {
        setOwn(node, key, value);
        return;
      }
      const nextIsAppend = segments[i + 1] === '';
      const existing: unknown = (node as Record<string, unknown>)[key];
      const child =
        Object.hasOwn(node, key) && typeof existing === 'object' && existing !== null
          ? (existing as Record<string, unknown> | unknown[])
          : nextIsAppend
            ? []
            : {};
      setOwn(node, key, child);
      node = child;
    });
  }
  return out;
}

/** The body as input: JSON (or a form), with `[]`, `null` and nothing at all meaning no input. */
async function bodyInput(c: LocalContext): Promise<Input> {
  const text = await c.req.text();
  if (text.length > MAX_BODY_CHARS) throw new LocalApiError(413, 'The request body is too large.');
  if (text.trim() === '') return {};
  const type = c.req.header('Content-Type') ?? '';
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) return parseParams(new URLSearchParams(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LocalApiError(400, 'Malformed JSON in the request body.');
  }
  if (parsed === null || (Array.isArray(parsed) && parsed.length === 0)) return {};
  if (!isPlainObject(parsed)) throw new LocalApiError(400, 'The request body must be a JSON object.');
  return parsed;
}

/** The merged, normalised input of a request (body over query). */
export async function readInput(c: LocalContext): Promise<Input> {
  const query = parseParams(new URL(c.req.url).searchParams);
  const body = await bodyInput(c);
  const merged: Input = {};
  for (const [k, v] of Object.entries(query)) setOwn(merged, k, v);
  for (const [k, v] of Object.entries(body)) setOwn(merged, k, v);
  return normalize(merged) as Input;
}

/** Reads the input once per request, for every route behind it. */
export const laravelInput = createMiddleware<LocalEnv>(async (c, next) => {
  c.set('input', await readInput(c));
  await next();
});

/** The request's input (set by `laravelInput`). */
export function input(c: LocalContext): Input {
  return c.get('input');
}

/** One parameter, as a trimmed non-empty string, or undefined (numbers are read as their text). */
export function textParam(c: LocalContext, name: string): string | undefined {
  const value = input(c)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * How Partnero's real clients put a request on the wire, written from their public sources (not
 * vendored): the official PHP SDK partnero/partnero-php v1.0.23, the n8n community node
 * partnero/n8n-nodes-partnero, and the Python SDK simon-offerwell/partnero-sdk (PyPI `partnero`
 * 0.4.0). Each builder gives the exact method, path, query, headers and body bytes; `replay`
 * sends them to the local API and `expectReads` checks the response fields the client parses.
 */
import { expect } from 'vitest';
import { call, createCustomer, LOCAL_KEY, uid, type CallResult } from '../worker/helpers/local-api';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface WireRequest {
  method: Method;
  /** Path and query under /v1, as the client builds it. */
  path: string;
  headers: Record<string, string>;
  /** The body bytes; undefined when the client sends none. */
  body?: string;
}

/**
 * PHP's `json_encode` with default flags: `/` escaped as `\/`, non-ASCII as `\uXXXX`, and an
 * empty PHP array (`[]`, which is also what an empty "object" is in PHP) encoded as `[]`.
 */
export function phpJsonEncode(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 ? [] : v,
  );
  return text
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python's `json.dumps` defaults (what `requests` sends for `json=`): `", "` and `": "`, ASCII only. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`);
  return `{${entries.join(', ')}}`;
}

/** PHP's http_build_query for flat parameters (what the SDK appends for `search()`). */
function httpBuildQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, '+')}`)
    .join('&');
}

const bearer = (): string => `Bearer ${LOCAL_KEY}`;

/**
 * partnero-php: AbstractEndpoint::call → HttpLayer, which always sends a JSON body
 * (`json_encode($body)`, `[]` when empty) on every method, GET included, with the plugins'
 * headers: Bearer auth, `Content-Type: application/json` (ContentTypePlugin, the body is JSON),
 * `Accept: application/json`, `User-Agent: partnero-php/v1`, `Sdk-Version: v1.0.23`.
 */
export function php(method: Method, uri: string, body: unknown = [], search?: Record<string, string>): WireRequest {
  const query = search && Object.keys(search).length > 0 ? `?${httpBuildQuery(search)}` : '';
  return {
    method,
    path: `/v1/${uri}${query}`,
    headers: {
      Authorization: bearer(),
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'partnero-php/v1',
      'Sdk-Version': 'v1.0.23',
    },
    body: phpJsonEncode(body),
  };
}

/**
 * n8n-nodes-partnero: declarative routing with requestDefaults `Accept` and `Content-Type:
 * application/json`, the credential's `Authorization: Bearer`; body fields (`routing.send`
 * type body, dotted properties nested) as compact JSON, `qs` as the query string; GETs carry no
 * body. Every displayed field is sent, empty strings included.
 */
export function n8n(method: Method, url: string, options: { qs?: Record<string, string | number>; body?: unknown } = {}): WireRequest {
  const qs = options.qs ? new URLSearchParams(Object.entries(options.qs).map(([k, v]) => [k, String(v)])).toString() : '';
  return {
    method,
    path: `/v1${url}${qs ? `?${qs}` : ''}`,
    headers: { Authorization: bearer(), Accept: 'application/json', 'Content-Type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  };
}

/**
 * partnero (Python): BaseAPI.send_request → `requests.Session.request(method, url,
 * headers={Authorization, Content-Type: application/json}, json=data, params=params)`; no body
 * when `data` is None (the Content-Type header is sent anyway), requests' own `Accept: *\/*` and
 * User-Agent.
 */
export function python(method: Method, endpoint: string, options: { data?: unknown; params?: Record<string, string | number> } = {}): WireRequest {
  const params = options.params ? new URLSearchParams(Object.entries(options.params).map(([k, v]) => [k, String(v)])).toString() : '';
  return {
    method,
    path: `/v1/${endpoint}${params ? `?${params}` : ''}`,
    headers: {
      Authorization: bearer(),
      'Content-Type': 'application/json',
      Accept: '*/*',
      'User-Agent': 'python-requests/2.32.3',
      'Accept-Encoding': 'gzip, deflate',
    },
    body: options.data === undefined ? undefined : pythonJsonDumps(options.data),
  };
}

/** Sends a wire request to the local API exactly as built. */
export async function replay<T = any>(request: WireRequest): Promise<CallResult<T>> {
  const { Authorization, ...headers } = request.headers;
  return call<T>(request.method, request.path, undefined, {
    auth: Authorization ?? null,
    headers,
    ...(request.body === undefined ? {} : { raw: request.body }),
  });
}

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | 'string|null' | 'number|null' | 'object|null';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The value at a dot path (`data.0.key`), or undefined. */
export function at(body: unknown, path: string): unknown {
  let node: unknown = body;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Asserts the answer's status, that its Content-Type is exactly `application/json` (the PHP SDK
 * decodes the body only then: `match ($contentType) { 'application/json' => json_decode(...) }`),
 * and the type of every field the client reads.
 */
export function expectReads(res: CallResult, status: number, reads: Record<string, FieldType> = {}): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/json');
  for (const [path, type] of Object.entries(reads)) {
    expect(type.split('|'), `${path} is ${typeOf(at(res.body, path))}: ${JSON.stringify(res.body).slice(0, 300)}`).toContain(typeOf(at(res.body, path)));
  }
}

/**
 * Each test's own referrer and the customer it referred (created directly, not through the
 * client shapes under test), keyed `<run>-alice` and `<run>-bob`.
 */
export async function seedReferral(prefix: string) {
  const run = uid(prefix);
  const referrer = await createCustomer({ key: `${run}-alice`, email: `${run}-alice@example.com`, name: 'Alice' });
  const referred = await createCustomer({ key: `${run}-bob`, email: `${run}-bob@example.com`, referring_customer: { key: referrer.key } });
  return { run, referrer, referred };
}

import type { Context } from 'hono';
import * as v from 'valibot';
import { CUSTOMER_KEY_PATTERN } from '../../shared/partnero';
import type { AppEnv } from '../hono-env';
import { ApiError } from '../errors';

type AnySchema = v.GenericSchema<unknown, unknown>;

function fieldsOf(issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): Record<string, string[]> {
  const flat = v.flatten(issues);
  const fields: Record<string, string[]> = {};
  if (flat.root) fields._ = [...flat.root];
  for (const [path, messages] of Object.entries(flat.nested ?? {})) if (messages) fields[path] = [...messages];
  if (flat.other) fields._ = [...(fields._ ?? []), ...flat.other];
  return fields;
}

/** Throws 422 validation_failed with per-field messages unless `data` matches `schema`. */
export function validate<S extends AnySchema>(schema: S, data: unknown, message = 'The request is invalid.'): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (!result.success) throw new ApiError(422, 'validation_failed', message, { fields: fieldsOf(result.issues) });
  return result.output;
}

function isJsonMediaType(contentType: string | undefined, acceptText: boolean): boolean {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media)) return true;
  return acceptText && media === 'text/plain';
}

export interface ReadJsonOptions {
  /** Accept `text/plain` too: what navigator.sendBeacon sends, and a CORS "simple" request. */
  acceptText?: boolean;
  /** Value used when the body is empty; without it an empty body is malformed JSON. */
  emptyAs?: unknown;
}

/**
 * Reads and validates a JSON request body: 415 unsupported_media_type without a JSON
 * content type, 400 bad_request for malformed JSON, 422 validation_failed for the wrong
 * shape. The size limit is enforced before (body-limit middleware).
 */
export async function readJson<S extends AnySchema>(
  c: Context<AppEnv>,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<v.InferOutput<S>> {
  const text = await c.req.text();
  if (text.trim() === '' && options.emptyAs !== undefined) return validate(schema, options.emptyAs);
  if (!isJsonMediaType(c.req.header('Content-Type'), options.acceptText ?? false)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid JSON.');
  }
  return validate(schema, data);
}

/** A customer key as it may travel in `?ref=`, cookies and bodies. */
export const customerKeySchema = v.pipe(
  v.string('Must be a string.'),
  v.trim(),
  v.regex(CUSTOMER_KEY_PATTERN, 'Must be a referral key: 1-128 letters, digits or . _ : @ + -, starting with a letter or digit.'),
);

/** An email address, trimmed; lengths as in RFC 5321. */
export const emailSchema = v.pipe(
  v.string('Must be a string.'),
  v.trim(),
  v.maxLength(254, 'Must be at most 254 characters.'),
  v.email('Must be a valid email address.'),
);

const pageNumber = (max: number, label: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,9}$/, `${label} must be a whole number.`),
    v.transform(Number),
    v.number(),
    v.minValue(1, `${label} must be at least 1.`),
    v.maxValue(max, `${label} must be at most ${max}.`),
  );

const pageQuerySchema = v.object({
  page: v.optional(pageNumber(100_000, 'page'), '1'),
  per_page: v.optional(pageNumber(50, 'per_page'), '10'),
});

/** `?page` (default 1) and `?per_page` (1-50, default 10) of the paginated /api lists. */
export function pageQuery(c: Context<AppEnv>): { page: number; per_page: number } {
  return validate(
    pageQuerySchema,
    { page: c.req.query('page'), per_page: c.req.query('per_page') },
    'The query string is invalid.',
  );
}

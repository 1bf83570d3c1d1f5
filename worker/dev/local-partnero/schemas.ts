import * as v from 'valibot';
import { CUSTOMER_KEY_PATTERN, WEBHOOK_EVENTS } from '../../../shared/partnero';
import { validationError } from './errors';

/**
 * Request schemas of the local API. They see the input after input.ts (query merged with the
 * body, strings trimmed, empty strings null), so `nullish` is what Laravel calls `nullable`.
 * Messages follow Laravel's wording, since that is what Partnero (a Laravel app) answers; every
 * failure becomes a 422 with `errors` per dot path. Unknown fields are ignored (v.object strips
 * them), never an error.
 */

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Currency codes and point units: "USD", "points", "EUR". */
const UNITS_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
/** Largest amount accepted, so ten-thousandths stay exact integers. */
export const MAX_AMOUNT = 1_000_000_000;

const field = (name: string) => name.replace(/_/g, ' ');

/** A message that says "required" for a missing value and `wrong` otherwise. */
function typeMessage(name: string, wrong: string) {
  return (issue: { input: unknown }) =>
    issue.input === undefined || issue.input === null ? `The ${field(name)} field is required.` : `The ${field(name)} field ${wrong}`;
}

const requiredString = (name: string) => v.string(typeMessage(name, 'must be a string.'));

/** Identifiers may arrive as JSON numbers (`"key": 123`); they are read as their digits. */
const integerText = v.pipe(
  v.number(),
  v.safeInteger(),
  v.transform((n) => String(n)),
);

const identifier = (name: string) =>
  v.pipe(
    v.union([requiredString(name), integerText], typeMessage(name, 'must be a string.')),
    v.regex(CUSTOMER_KEY_PATTERN, `The ${field(name)} field format is invalid.`),
  );

const email = (name: string) =>
  v.pipe(
    requiredString(name),
    v.maxLength(254, `The ${field(name)} field must not be greater than 254 characters.`),
    v.regex(EMAIL_PATTERN, `The ${field(name)} field must be a valid email address.`),
  );

const shortText = (name: string, max = 255) =>
  v.pipe(requiredString(name), v.maxLength(max, `The ${field(name)} field must not be greater than ${max} characters.`));

function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateOfBirth = v.nullish(
  v.pipe(
    requiredString('date_of_birth'),
    v.check(isCalendarDate, 'The date of birth field must be a valid date (YYYY-MM-DD).'),
  ),
);

const metadata = v.nullish(
  v.object({ date_of_birth: dateOfBirth }, 'The metadata field must be an object.'),
);

/** Laravel's `boolean`: true, false, 1, 0, "1", "0" (and "true"/"false", which query strings carry). */
const boolean = (name: string) =>
  v.pipe(
    v.union([v.boolean(), v.picklist([0, 1, '0', '1', 'true', 'false'])], typeMessage(name, 'must be true or false.')),
    v.transform((b) => b === true || b === 1 || b === '1' || b === 'true'),
  );

/** Laravel's `numeric`: a JSON number or a numeric string ("19.99"). */
const amount = v.pipe(
  v.union(
    [
      v.number(),
      v.pipe(
        v.string(),
        v.regex(/^-?\d{1,12}(\.\d{1,12})?$/),
        v.transform((s) => Number(s)),
      ),
    ],
    typeMessage('amount', 'must be a number.'),
  ),
  v.finite('The amount field must be a number.'),
  v.gtValue(0, 'The amount field must be greater than 0.'),
  v.maxValue(MAX_AMOUNT, `The amount field must not be greater than ${MAX_AMOUNT}.`),
);

const units = v.pipe(
  requiredString('amount_units'),
  v.regex(UNITS_PATTERN, 'The amount units field format is invalid.'),
);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = (name: string) =>
  v.pipe(
    shortText(name, 2048),
    v.check(isHttpUrl, `The ${field(name)} field must be a valid URL.`),
  );

/** `{id | key | email}` naming an existing customer in a body. */
const customerLocator = (name: string) =>
  v.object(
    {
      id: v.nullish(identifier(`${name}.id`)),
      key: v.nullish(identifier(`${name}.key`)),
      email: v.nullish(shortText(`${name}.email`, 254)),
    },
    typeMessage(name, 'must be an object.'),
  );

export const createCustomerSchema = v.object({
  key: v.nullish(identifier('key')),
  id: v.nullish(identifier('id')),
  email: v.nullish(email('email')),
  name: v.nullish(shortText('name')),
  surname: v.nullish(shortText('surname')),
  metadata,
  referring_customer: v.nullish(
    v.object(
      { key: v.nullish(identifier('referring_customer.key')), id: v.nullish(identifier('referring_customer.id')) },
      'The referring customer field must be an object.',
    ),
  ),
});

/**
 * The fields an update may change. Null (an empty form field, after ConvertEmptyStringsToNull)
 * leaves a field as it is: the n8n node sends every field it displays, and a blank one is not a
 * request to erase. `prefix` is where the fields sit (`update.` or flat).
 */
export function updateFieldsSchema(prefix: string) {
  return v.object(
    {
      email: v.nullish(email(`${prefix}email`)),
      name: v.nullish(shortText(`${prefix}name`)),
      surname: v.nullish(shortText(`${prefix}surname`)),
      key: v.nullish(identifier(`${prefix}key`)),
      metadata,
    },
    typeMessage(prefix.replace(/\.$/, '') || 'update', 'must be an object.'),
  );
}
export type UpdateFields = v.InferOutput<ReturnType<typeof updateFieldsSchema>>;
export const wrappedUpdateSchema = v.object({ update: updateFieldsSchema('update.') });

/** `PUT /customers` names the customer in the body: by `id` (the PHP SDK's Referrals), `key` (its Customers) or `email`. */
export const bodyLocatorSchema = v.object({
  id: v.nullish(identifier('id')),
  key: v.nullish(identifier('key')),
  email: v.nullish(shortText('email', 254)),
});

export const creditSchema = v.object({
  amount,
  amount_units: units,
  is_currency: boolean('is_currency'),
});

export const inviteSchema = v.object({
  email: email('email'),
  name: v.nullish(shortText('name')),
  personalization: v.nullish(
    v.pipe(
      v.custom<Record<string, unknown>>(
        (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
        'The personalization field must be an object.',
      ),
      v.check((x) => JSON.stringify(x).length <= 16_384, 'The personalization field is too large.'),
    ),
  ),
});

const transactionKey = v.pipe(
  v.union([requiredString('key'), integerText], typeMessage('key', 'must be a string.')),
  v.maxLength(255, 'The key field must not be greater than 255 characters.'),
);

function isDateTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value));
}

export const transactionSchema = v.object({
  key: transactionKey,
  amount,
  amount_units: v.nullish(units),
  // Partnero records a sale when the action is left out (the n8n node and the PHP SDK may omit it).
  action: v.nullish(shortText('action', 64)),
  customer: customerLocator('customer'),
  rewardable: v.nullish(boolean('rewardable')),
  product_id: v.nullish(shortText('product_id')),
  product_type: v.nullish(shortText('product_type')),
  created_at: v.nullish(v.pipe(requiredString('created_at'), v.check(isDateTime, 'The created at field must be a valid date.'))),
});

export const clickSchema = v.object({
  key: identifier('key'),
  url: v.nullish(shortText('url', 2048)),
});

/**
 * A referral link's settable fields. The PHP SDK's ReferralLink model serialises camelCase
 * (`isAdditional`, `directTracking`, ...) next to the snake_case the API reads; `linkFields`
 * below folds them, snake_case winning (that is what Partnero, a Laravel app, reads).
 */
const linkFields = {
  key: v.nullish(identifier('key')),
  url: v.nullish(httpUrl('url')),
  default: v.nullish(boolean('default')),
  is_additional: v.nullish(boolean('is_additional')),
  direct_tracking: v.nullish(boolean('direct_tracking')),
  direct_tracking_redirect: v.nullish(boolean('direct_tracking_redirect')),
  direct_tracking_redirect_url: v.nullish(httpUrl('direct_tracking_redirect_url')),
  domain_id: v.nullish(v.pipe(v.number('The domain id field must be an integer.'), v.safeInteger('The domain id field must be an integer.'))),
};

const CAMEL_LINK_FIELDS: Record<string, string> = {
  isAdditional: 'is_additional',
  directTracking: 'direct_tracking',
  directTrackingRedirect: 'direct_tracking_redirect',
  directTrackingRedirectUrl: 'direct_tracking_redirect_url',
  domainId: 'domain_id',
};

/** The input with the PHP SDK's camelCase link fields read as snake_case where snake_case is absent. */
export function foldLinkFields(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const [camel, snake] of Object.entries(CAMEL_LINK_FIELDS)) {
    if ((out[snake] === undefined || out[snake] === null) && input[camel] !== undefined) {
      Object.defineProperty(out, snake, { value: input[camel], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

export const createLinkSchema = v.object({ ...linkFields, customer: customerLocator('customer') });
export const updateLinkSchema = v.object(linkFields);
export type LinkFields = v.InferOutput<typeof updateLinkSchema>;

const events = v.pipe(
  v.array(
    v.picklist(WEBHOOK_EVENTS, (issue) => `The selected ${String(issue.input)} event is invalid (${WEBHOOK_EVENTS.join(', ')}).`),
    typeMessage('events', 'must be an array.'),
  ),
  v.minLength(1, 'The events field must have at least 1 item.'),
  v.transform((list) => [...new Set(list)]),
);

export const createWebhookSchema = v.object({
  key: v.nullish(identifier('key')),
  name: v.nullish(shortText('name', 100)),
  url: httpUrl('url'),
  events,
  is_active: v.nullish(boolean('is_active')),
});

export const updateWebhookSchema = v.object({
  name: v.nullish(shortText('name', 100)),
  url: v.nullish(httpUrl('url')),
  events: v.nullish(events),
  is_active: v.nullish(boolean('is_active')),
});

/**
 * Validates `input` against `schema`, or throws the 422 Partnero answers, with every
 * failing field under its dot path.
 */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const errors: Record<string, string[]> = {};
  for (const issue of result.issues) {
    const path = v.getDotPath(issue) ?? 'body';
    // A missing key is reported by its parent object, whose message is about the parent.
    const message = issue.input === undefined ? `The ${field(path)} field is required.` : issue.message;
    const list = errors[path] ?? [];
    if (!list.includes(message)) list.push(message);
    errors[path] = list;
  }
  throw validationError(errors);
}

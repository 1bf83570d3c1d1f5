import * as v from 'valibot';
import { CUSTOMER_KEY_PATTERN } from '../../../shared/partnero';
import { validationError } from './errors';

/**
 * Request schemas of the local API. Messages follow Laravel's wording, since that is what
 * Partnero (a Laravel app) answers; every failure becomes a 422 with `errors` per dot path.
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

const identifier = (name: string) =>
  v.pipe(requiredString(name), v.regex(CUSTOMER_KEY_PATTERN, `The ${field(name)} field format is invalid.`));

const email = (name: string) =>
  v.pipe(
    requiredString(name),
    v.maxLength(254, `The ${field(name)} field must not be greater than 254 characters.`),
    v.regex(EMAIL_PATTERN, `The ${field(name)} field must be a valid email address.`),
  );

const shortText = (name: string) =>
  v.pipe(requiredString(name), v.maxLength(255, `The ${field(name)} field must not be greater than 255 characters.`));

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

const amount = v.pipe(
  v.number(typeMessage('amount', 'must be a number.')),
  v.finite('The amount field must be a number.'),
  v.gtValue(0, 'The amount field must be greater than 0.'),
  v.maxValue(MAX_AMOUNT, `The amount field must not be greater than ${MAX_AMOUNT}.`),
);

const units = v.pipe(
  requiredString('amount_units'),
  v.regex(UNITS_PATTERN, 'The amount units field format is invalid.'),
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

export const updateFieldsSchema = v.object(
  {
    email: v.optional(email('update.email')),
    name: v.nullish(shortText('update.name')),
    surname: v.nullish(shortText('update.surname')),
    key: v.optional(identifier('update.key')),
    metadata,
  },
  typeMessage('update', 'must be an object.'),
);

export const updateByPathSchema = v.object({ update: updateFieldsSchema });
export const updateByBodySchema = v.object({ id: identifier('id'), update: updateFieldsSchema });

export const creditSchema = v.object({
  amount,
  amount_units: units,
  is_currency: v.boolean(typeMessage('is_currency', 'must be true or false.')),
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

export const transactionSchema = v.object({
  key: v.pipe(
    requiredString('key'),
    v.minLength(1, 'The key field is required.'),
    v.maxLength(255, 'The key field must not be greater than 255 characters.'),
  ),
  amount,
  amount_units: v.nullish(units),
  action: v.pipe(
    requiredString('action'),
    v.minLength(1, 'The action field is required.'),
    v.maxLength(64, 'The action field must not be greater than 64 characters.'),
  ),
  customer: v.object(
    { id: v.nullish(identifier('customer.id')), key: v.nullish(identifier('customer.key')) },
    typeMessage('customer', 'must be an object.'),
  ),
});

export const clickSchema = v.object({
  key: identifier('key'),
  url: v.nullish(
    v.pipe(requiredString('url'), v.maxLength(2048, 'The url field must not be greater than 2048 characters.')),
  ),
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
    (errors[path] ??= []).push(message);
  }
  throw validationError(errors);
}

import type { PartneroErrorBody } from '../../../shared/partnero';

/**
 * An expected failure of the local API, answered with Partnero's error body:
 * `{"message"}`, plus `{"errors": {"field": ["..."]}}` for 422.
 */
export class LocalApiError extends Error {
  override readonly name = 'LocalApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  /** The JSON body Partnero would send. */
  body(): PartneroErrorBody {
    return this.errors ? { message: this.message, errors: this.errors } : { message: this.message };
  }
}

/** A 422 with Laravel's message: the first error, and how many more there are. */
export function validationError(errors: Record<string, string[]>): LocalApiError {
  const all = Object.values(errors).flat();
  const first = all[0] ?? 'The given data was invalid.';
  const more = all.length - 1;
  const message = more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first;
  return new LocalApiError(422, message, errors);
}

/** A 422 about one field. */
export function fieldError(field: string, message: string): LocalApiError {
  return validationError({ [field]: [message] });
}

export function customerNotFound(): LocalApiError {
  return new LocalApiError(404, 'Customer not found.');
}

/** A 404 for another resource: `notFound('Transaction')` → "Transaction not found.". */
export function notFound(what: string): LocalApiError {
  return new LocalApiError(404, `${what} not found.`);
}

/** The local API's configuration is unusable: a clear message for the operator, never a crash. */
export class LocalConfigError extends LocalApiError {
  constructor(message: string) {
    super(500, `Local API misconfigured: ${message}`);
  }
}

/** Maps a D1 constraint failure to the 422 Partnero answers for a taken identifier, or null. */
export function constraintError(error: unknown): LocalApiError | null {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  if (/UNIQUE constraint failed: customers\.key/.test(text)) return fieldError('key', 'The key has already been taken.');
  if (/UNIQUE constraint failed: customers\.id/.test(text)) return fieldError('id', 'The id has already been taken.');
  // A customer's default link carries its key, so a key held by any link is taken too.
  if (/UNIQUE constraint failed: (transactions|referral_links|webhooks)\.key/.test(text)) {
    return fieldError('key', 'The key has already been taken.');
  }
  // A referenced customer vanished between our read and the write (a concurrent delete).
  if (/FOREIGN KEY constraint failed/.test(text)) {
    return new LocalApiError(409, 'A referenced customer was changed concurrently. Please retry.');
  }
  return null;
}

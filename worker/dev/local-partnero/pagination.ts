import type { ListEnvelope, SortOrder } from '../../../shared/partnero';
import type { Input } from './env';
import { validationError } from './errors';

export const DEFAULT_LIMIT = 15;
export const MAX_LIMIT = 250;
/** Far beyond any real page, small enough that the OFFSET stays an exact integer. */
const MAX_PAGE = 1_000_000_000;

export interface Page {
  limit: number;
  page: number;
  offset: number;
  sort: SortOrder;
}

/** An integer parameter: a JSON number or its digits in a string (Laravel's `integer` rule). */
function intParam(name: string, raw: unknown, fallback: number, min: number, max: number, errors: Record<string, string[]>): number {
  // A missing or empty parameter (`?limit=` became null) counts as absent, as Laravel's `nullable` does.
  if (raw === undefined || raw === null) return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    errors[name] = [`The ${name} field must be an integer.`];
    return fallback;
  }
  if (n < min || n > max) {
    errors[name] = [`The ${name} field must be between ${min} and ${max}.`];
    return fallback;
  }
  return n;
}

/**
 * Reads `limit` (1-250, default 15), `page` (default 1) and `sort` (`desc`, newest first, by
 * default; or `asc`) from the request's input, or throws a 422 with `extraErrors` included.
 */
export function parsePage(input: Input, extraErrors: Record<string, string[]> = {}): Page {
  const errors: Record<string, string[]> = { ...extraErrors };
  const limit = intParam('limit', input.limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
  const page = intParam('page', input.page, 1, 1, MAX_PAGE, errors);
  const sort = input.sort ?? 'desc';
  if (sort !== 'asc' && sort !== 'desc') errors.sort = ['The selected sort is invalid (asc or desc).'];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return { limit, page, offset: (page - 1) * limit, sort: sort === 'asc' ? 'asc' : 'desc' };
}

/**
 * Laravel's paginated envelope. Links repeat the request's other query parameters (limit,
 * filters) so following `next` keeps the same listing.
 */
export function listEnvelope<T>(requestUrl: string, items: T[], total: number, page: Page): ListEnvelope<T> {
  const url = new URL(requestUrl);
  const path = `${url.origin}${url.pathname}`;
  const lastPage = Math.max(1, Math.ceil(total / page.limit));
  const linkTo = (n: number) => {
    const params = new URLSearchParams(url.search);
    params.set('page', String(n));
    return `${path}?${params.toString()}`;
  };
  const from = items.length > 0 ? page.offset + 1 : null;
  return {
    data: items,
    links: {
      first: linkTo(1),
      last: linkTo(lastPage),
      prev: page.page > 1 ? linkTo(Math.min(page.page - 1, lastPage)) : null,
      next: page.page < lastPage ? linkTo(page.page + 1) : null,
    },
    meta: {
      current_page: page.page,
      from,
      last_page: lastPage,
      per_page: page.limit,
      to: from === null ? null : page.offset + items.length,
      total,
      path,
    },
    status: 1,
  };
}

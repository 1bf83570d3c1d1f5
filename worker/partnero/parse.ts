/**
 * Lenient readers of Partnero's response bodies. Partnero publishes no strict schema, so
 * each reader checks only the minimal shape a caller relies on (an object, a customer id),
 * keeps every unknown field, fills documented fields that are missing with neutral
 * defaults, and replaces a field of the wrong type by that default so the TypeScript type
 * stays honest. Anything worse throws ShapeError, which the client turns into a
 * PartneroError of kind `invalid_response`.
 */
import type {
  BalanceEntry,
  Click,
  Customer,
  CustomerBalance,
  CustomerRef,
  CustomerStats,
  Invite,
  ListEnvelope,
  PageLinks,
  PageMeta,
  ReferralLink,
  Reward,
  SharePlatform,
  Transaction,
  Webhook,
  WebhookDelivery,
} from '../../shared/partnero';

/** The body does not have the minimal shape of the expected answer. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, what: string): Obj {
  if (!isObject(value)) throw new ShapeError(`${what} is not an object`);
  return value;
}

/** Identifiers may arrive as numbers from some APIs; callers always get strings. */
function identifier(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return fallback;
}

function numOrNull(value: unknown): number | null {
  const n = num(value, Number.NaN);
  return Number.isNaN(n) ? null : n;
}

function bool(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return fallback;
}

/** Reads the `{data, status}` envelope every Partnero answer is wrapped in. */
export function envelope(body: unknown): Obj & { data: unknown } {
  const env = object(body, 'response body');
  if (!('data' in env)) throw new ShapeError('response envelope has no data');
  return env as Obj & { data: unknown };
}

/** A compact customer inside another object; `key` stands in for a missing `id`. */
export function customerRef(value: unknown, what = 'customer'): CustomerRef {
  const o = object(value, what);
  const id = identifier(o.id) ?? identifier(o.key);
  if (id === undefined) throw new ShapeError(`${what} has no id`);
  const ref: CustomerRef = { ...o, id };
  const key = identifier(o.key);
  if (key !== undefined) ref.key = key;
  else delete ref.key;
  return ref;
}

function optionalRef(value: unknown, what: string): CustomerRef | null {
  return isObject(value) ? customerRef(value, what) : null;
}

/** A customer of the refer-a-friend program. Requires an id; everything else is lenient. */
export function customer(value: unknown): Customer {
  const o = object(value, 'customer');
  const id = identifier(o.id);
  if (id === undefined) throw new ShapeError('customer has no id');
  const links = Array.isArray(o.referral_links) ? o.referral_links.filter((l): l is string => typeof l === 'string') : [];
  const link = typeof o.referral_link === 'string' ? o.referral_link : (links[0] ?? '');
  const metadata = isObject(o.metadata) ? o.metadata : {};
  return {
    ...o,
    id,
    email: strOrNull(o.email),
    name: strOrNull(o.name),
    surname: strOrNull(o.surname),
    // Partnero only documents `active` and `deleted`; a customer without a status is not archived.
    status: str(o.status, 'active'),
    approved: bool(o.approved, true),
    referring_customer: optionalRef(o.referring_customer, 'referring_customer'),
    referrals_count: num(o.referrals_count, 0),
    metadata: { ...metadata, date_of_birth: strOrNull(metadata.date_of_birth) },
    referral_link: link,
    referral_links: links.length > 0 || link === '' ? links : [link],
    custom_fields: isObject(o.custom_fields) ? o.custom_fields : {},
    created_at: str(o.created_at, ''),
    updated_at: str(o.updated_at, ''),
  };
}

const EMPTY_LINKS: PageLinks = { first: null, last: null, prev: null, next: null };

/**
 * A Laravel-style paginated list. `links` and `meta` are filled from the page itself when
 * upstream leaves them out, so callers can always read `meta.total` and `links.next`.
 */
export function list<T>(body: unknown, item: (value: unknown) => T): ListEnvelope<T> {
  const env = envelope(body);
  if (!Array.isArray(env.data)) throw new ShapeError('list data is not an array');
  const data = env.data.map(item);
  const rawLinks = isObject(env.links) ? env.links : {};
  const links: PageLinks = { ...EMPTY_LINKS };
  for (const name of ['first', 'last', 'prev', 'next'] as const) links[name] = strOrNull(rawLinks[name]);
  const m = isObject(env.meta) ? env.meta : {};
  const meta: PageMeta = {
    ...m,
    current_page: num(m.current_page, 1),
    from: numOrNull(m.from),
    last_page: num(m.last_page, 1),
    per_page: num(m.per_page, data.length),
    to: numOrNull(m.to),
    total: num(m.total, data.length),
    path: str(m.path, ''),
  };
  return { ...env, data, links: { ...rawLinks, ...links }, meta, status: num(env.status, 1) };
}

/** Search may answer a list, a single customer, or null (nothing found): always an array. */
export function customers(data: unknown): Customer[] {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) return data.map(customer);
  return [customer(data)];
}

function balanceEntry(value: unknown): BalanceEntry {
  const o = object(value, 'balance entry');
  return { ...o, amount: num(o.amount, 0), amount_units: str(o.amount_units, ''), is_currency: bool(o.is_currency, true) };
}

/** `{customer, balance: {currency: [...]}}`; a bare array under `balance` is read as the currency list. */
export function balance(value: unknown): CustomerBalance {
  const o = object(value, 'balance');
  const raw = Array.isArray(o.balance) ? { currency: o.balance } : isObject(o.balance) ? o.balance : {};
  const entries = Array.isArray(raw.currency) ? raw.currency.map(balanceEntry) : [];
  return { ...o, customer: optionalRef(o.customer, 'balance customer') ?? { id: '' }, balance: { ...raw, currency: entries } };
}

const PLATFORMS: readonly SharePlatform[] = ['twitter', 'facebook', 'linkedin', 'whatsapp', 'telegram', 'email'];

/** Customer stats: the local API's shape, with whatever else a real account sends kept. */
export function stats(value: unknown): CustomerStats {
  const o = object(value, 'stats');
  const rawShare = isObject(o.social_share_links) ? o.social_share_links : {};
  const share: CustomerStats['social_share_links'] = {};
  for (const platform of PLATFORMS) {
    const link = rawShare[platform];
    if (typeof link === 'string') share[platform] = link;
  }
  const referrals = num(o.referrals_count, 0);
  return {
    ...o,
    customer: optionalRef(o.customer, 'stats customer') ?? { id: '' },
    clicks_count: num(o.clicks_count, 0),
    referrals_count: referrals,
    active_referrals_count: num(o.active_referrals_count, referrals),
    referral_link: str(o.referral_link, ''),
    social_share_links: { ...rawShare, ...share },
  };
}

function reward(value: unknown): Reward | null {
  if (!isObject(value)) return null;
  return { ...value, amount: num(value.amount, 0), amount_units: str(value.amount_units, ''), is_currency: bool(value.is_currency, true) };
}

/**
 * A purchase and the reward it earned the referrer. Without `status` it is active; without
 * `rewarded`, it was rewarded when a reward is shown; without `rewardable`, it was rewardable.
 */
export function transaction(value: unknown): Transaction {
  const o = object(value, 'transaction');
  const earned = reward(o.reward);
  const created = str(o.created_at, '');
  return {
    ...o,
    key: identifier(o.key) ?? '',
    amount: num(o.amount, 0),
    amount_units: str(o.amount_units, ''),
    // Partnero records a sale when no action is given.
    action: str(o.action, 'sale'),
    status: str(o.status, 'active'),
    rewardable: bool(o.rewardable, true),
    rewarded: bool(o.rewarded, earned !== null),
    customer: optionalRef(o.customer, 'transaction customer') ?? { id: '' },
    referring_customer: optionalRef(o.referring_customer, 'transaction referring_customer'),
    reward: earned,
    created_at: created,
    updated_at: str(o.updated_at, created),
  };
}

/** A referral link object. Requires a key or a url; the key is read from `?ref=` when missing. */
export function referralLink(value: unknown): ReferralLink {
  const o = object(value, 'referral link');
  const url = str(o.url, '');
  let key = identifier(o.key);
  if (key === undefined && url !== '') {
    try {
      key = new URL(url).searchParams.get('ref') ?? undefined;
    } catch {
      key = undefined;
    }
  }
  if (key === undefined) throw new ShapeError('referral link has no key');
  return {
    ...o,
    id: identifier(o.id) ?? key,
    key,
    url,
    default: bool(o.default, false),
    is_additional: bool(o.is_additional, false),
    direct_tracking: bool(o.direct_tracking, false),
    customer: optionalRef(o.customer, 'referral link customer'),
  };
}

/** Search may answer a list, a single link, or null: always an array. */
export function referralLinks(data: unknown): ReferralLink[] {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) return data.map(referralLink);
  return [referralLink(data)];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

/** A webhook subscription. Requires its key (what GET/PUT/DELETE address it by). */
export function webhook(value: unknown): Webhook {
  const o = object(value, 'webhook');
  const key = identifier(o.key) ?? identifier(o.id);
  if (key === undefined) throw new ShapeError('webhook has no key');
  return {
    ...o,
    key,
    name: strOrNull(o.name),
    url: str(o.url, ''),
    events: stringList(o.events),
    is_active: bool(o.is_active, true),
    signature: str(o.signature, ''),
    created_at: str(o.created_at, ''),
    updated_at: str(o.updated_at, ''),
  };
}

/** One entry of a webhook's delivery log (local API extension). */
export function webhookDelivery(value: unknown): WebhookDelivery {
  const o = object(value, 'webhook delivery');
  return {
    ...o,
    id: identifier(o.id) ?? '',
    event: str(o.event, ''),
    url: str(o.url, ''),
    status: str(o.status, 'pending'),
    attempts: num(o.attempts, 0),
    response_status: numOrNull(o.response_status),
    last_error: strOrNull(o.last_error),
    payload: o.payload ?? null,
    created_at: str(o.created_at, ''),
    updated_at: str(o.updated_at, ''),
    delivered_at: strOrNull(o.delivered_at),
  };
}

/** The invitation Partnero records when it emails a potential customer. */
export function invite(value: unknown): Invite {
  const o = object(value, 'invite');
  return {
    ...o,
    email: str(o.email, ''),
    name: strOrNull(o.name),
    personalization: isObject(o.personalization) ? o.personalization : {},
    created_at: str(o.created_at, ''),
  };
}

/** A recorded referral-link click and the referrer's new click count. */
export function click(value: unknown): Click {
  const o = object(value, 'click');
  return { ...o, customer: optionalRef(o.customer, 'click customer') ?? { id: '' }, clicks_count: num(o.clicks_count, 0) };
}

/** Partnero's 4xx/5xx body: its `message` and, for 422, `errors` (each field's messages). */
export function errorBody(text: string): { message?: string; errors?: Record<string, string[]> } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(body)) return {};
  const out: { message?: string; errors?: Record<string, string[]> } = {};
  if (typeof body.message === 'string' && body.message !== '') out.message = body.message;
  if (isObject(body.errors)) {
    const entries: [string, string[]][] = [];
    for (const [field, messages] of Object.entries(body.errors)) {
      const list: unknown[] = Array.isArray(messages) ? messages : [messages];
      const strings = list.filter((m): m is string => typeof m === 'string');
      if (strings.length > 0) entries.push([field, strings]);
    }
    // fromEntries defines own properties, so a field named `__proto__` stays a plain field.
    if (entries.length > 0) out.errors = Object.fromEntries(entries);
  }
  return out;
}

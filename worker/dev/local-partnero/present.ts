import type {
  BalanceEntry,
  Customer,
  CustomerBalance,
  CustomerRef,
  CustomerStats,
  ReferralLink,
  SharePlatform,
  Transaction,
  Webhook,
  WebhookDelivery,
} from '../../../shared/partnero';
import { referralLink } from './config';

/**
 * Row shapes read from D1 and their conversion to Partnero's wire shapes
 * (shared/partnero.ts). Amounts are stored in ten-thousandths.
 */

export interface CustomerRow {
  pk: number;
  id: string;
  key: string;
  email: string | null;
  name: string | null;
  surname: string | null;
  status: string;
  approved: number;
  date_of_birth: string | null;
  created_at: string;
  updated_at: string;
  referring_customer_pk: number | null;
  referrals_count: number;
  /** JSON array of `{key, url}`, the default link first (store.ts CUSTOMER_SELECT). */
  links_json: string | null;
  r_id: string | null;
  r_key: string | null;
  r_email: string | null;
  r_name: string | null;
  r_surname: string | null;
}

export interface TransactionRow {
  pk: number;
  key: string;
  amount_e4: number;
  amount_units: string;
  action: string;
  status: string;
  rewardable: number;
  product_id: string | null;
  product_type: string | null;
  reward_amount_e4: number | null;
  reward_units: string | null;
  reward_is_currency: number | null;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
  create_nonce: string | null;
  referring_customer_pk: number | null;
  c_id: string;
  c_key: string;
  c_email: string | null;
  c_name: string | null;
  c_surname: string | null;
  r_id: string | null;
  r_key: string | null;
  r_email: string | null;
  r_name: string | null;
  r_surname: string | null;
}

export interface LinkRow {
  pk: number;
  id: string;
  key: string;
  customer_pk: number;
  is_default: number;
  is_additional: number;
  url: string | null;
  direct_tracking: number;
  direct_tracking_redirect: number;
  direct_tracking_redirect_url: string | null;
  domain_id: number | null;
  created_at: string;
  updated_at: string;
  c_id: string;
  c_key: string;
  c_email: string | null;
  c_name: string | null;
  c_surname: string | null;
}

export interface WebhookRow {
  pk: number;
  key: string;
  name: string | null;
  url: string;
  events: string;
  is_active: number;
  secret: string;
  created_at: string;
  updated_at: string;
}

export interface DeliveryRow {
  id: string;
  event: string;
  url: string;
  payload: string;
  status: string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface BalanceRow {
  amount_units: string;
  is_currency: number;
  amount_e4: number;
}

/** Where referral links point (REFERRAL_LINK_BASE, parsed and as written). */
export interface LinkBase {
  url: URL;
  raw: string;
}

/** Laravel's timestamp format (microseconds), which Partnero answers. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function fromE4(value: number): number {
  return value / 10_000;
}

export function toE4(value: number): number {
  return Math.round(value * 10_000);
}

/** The URL of a link: its own landing page, or REFERRAL_LINK_BASE, with `ref=<key>`. */
export function linkFor(base: LinkBase, key: string, landing?: string | null): string {
  if (landing) {
    try {
      return referralLink(new URL(landing), landing, key);
    } catch {
      // Stored landing pages are validated on the way in; an unreadable one falls back to the base.
    }
  }
  return referralLink(base.url, base.raw, key);
}

/** The customer's links (`{key, url}`, default first) from CUSTOMER_SELECT's JSON column. */
function storedLinks(row: CustomerRow): Array<{ key: string; url: string | null }> {
  try {
    const parsed: unknown = JSON.parse(row.links_json ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (l): l is { key: string; url: string | null } => typeof l === 'object' && l !== null && typeof (l as { key?: unknown }).key === 'string',
    );
  } catch {
    return [];
  }
}

/** The compact customer form used inside other objects. */
export function customerRef(row: { id: string; key: string; email: string | null; name: string | null; surname: string | null }): CustomerRef {
  return { id: row.id, key: row.key, email: row.email, name: row.name, surname: row.surname };
}

function prefixedRef(row: {
  [k: string]: unknown;
}, prefix: 'r_' | 'c_'): CustomerRef | null {
  const id = row[`${prefix}id`];
  const key = row[`${prefix}key`];
  if (typeof id !== 'string' || typeof key !== 'string') return null;
  const text = (name: string) => {
    const value = row[`${prefix}${name}`];
    return typeof value === 'string' ? value : null;
  };
  return { id, key, email: text('email'), name: text('name'), surname: text('surname') };
}

/** A customer as Partnero shows it (field order as on the customers page, plus `key`). */
export function presentCustomer(row: CustomerRow, base: LinkBase): Customer {
  const links = storedLinks(row).map((l) => linkFor(base, l.key, l.url));
  // Every customer has a default link (a trigger creates it); the key is the fallback regardless.
  const link = links[0] ?? linkFor(base, row.key);
  return {
    email: row.email,
    created_at: row.created_at,
    updated_at: row.updated_at,
    id: row.id,
    key: row.key,
    name: row.name,
    surname: row.surname,
    approved: row.approved === 1,
    status: row.status,
    referring_customer: prefixedRef({ ...row }, 'r_'),
    referrals_count: row.referrals_count,
    metadata: { date_of_birth: row.date_of_birth },
    referral_link: link,
    referral_links: links.length > 0 ? links : [link],
    custom_fields: {},
  };
}

/**
 * A transaction. `reward` is what is credited to the referrer right now: null when none was
 * earned, and while the transaction is archived (its reward is out of the balance then).
 */
export function presentTransaction(row: TransactionRow): Transaction {
  const customer = prefixedRef({ ...row }, 'c_');
  const credited = row.status === 'active' && row.reward_amount_e4 !== null && row.reward_units !== null;
  return {
    key: row.key,
    amount: fromE4(row.amount_e4),
    amount_units: row.amount_units,
    action: row.action,
    status: row.status,
    rewardable: row.rewardable === 1,
    rewarded: credited,
    product_id: row.product_id,
    product_type: row.product_type,
    // The buyer always exists: transactions are deleted with their customer.
    customer: customer ?? { id: row.c_id },
    referring_customer: prefixedRef({ ...row }, 'r_'),
    reward:
      credited && row.reward_amount_e4 !== null && row.reward_units !== null
        ? { amount: fromE4(row.reward_amount_e4), amount_units: row.reward_units, is_currency: row.reward_is_currency === 1 }
        : null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? row.created_at,
    archived_at: row.archived_at,
  };
}

/** A referral link object, as `/customers/{id}/referral_links` and `/customer_referral_links` answer it. */
export function presentLink(row: LinkRow, base: LinkBase): ReferralLink {
  return {
    id: row.id,
    key: row.key,
    url: linkFor(base, row.key, row.url),
    default: row.is_default === 1,
    is_additional: row.is_additional === 1,
    direct_tracking: row.direct_tracking === 1,
    direct_tracking_redirect: row.direct_tracking_redirect === 1,
    direct_tracking_redirect_url: row.direct_tracking_redirect_url,
    domain_id: row.domain_id,
    customer: prefixedRef({ ...row }, 'c_'),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function eventList(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

/** A webhook subscription; `signature` is its signing secret (the name the n8n node reads). */
export function presentWebhook(row: WebhookRow): Webhook {
  return {
    key: row.key,
    name: row.name,
    url: row.url,
    events: eventList(row.events),
    is_active: row.is_active === 1,
    signature: row.secret,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** One entry of a webhook's delivery log (a local extension). */
export function presentDelivery(row: DeliveryRow): WebhookDelivery {
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = row.payload;
  }
  return {
    id: row.id,
    event: row.event,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    response_status: row.response_status,
    last_error: row.last_error,
    payload,
    created_at: row.created_at,
    updated_at: row.updated_at,
    delivered_at: row.delivered_at,
  };
}

export function presentBalance(row: CustomerRow, entries: BalanceRow[]): CustomerBalance {
  const currency: BalanceEntry[] = entries.map((e) => ({
    amount: fromE4(e.amount_e4),
    amount_units: e.amount_units,
    is_currency: e.is_currency === 1,
  }));
  return { customer: customerRef(row), balance: { currency } };
}

/** Share links for each platform the widget offers, all carrying the referral link. */
export function shareLinks(link: string): Record<SharePlatform, string> {
  const text = 'Join me and get a reward:';
  const withParams = (href: string, params: Record<string, string>) => {
    const url = new URL(href);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  };
  return {
    twitter: withParams('https://twitter.com/intent/tweet', { text, url: link }),
    facebook: withParams('https://www.facebook.com/sharer/sharer.php', { u: link }),
    linkedin: withParams('https://www.linkedin.com/sharing/share-offsite/', { url: link }),
    whatsapp: withParams('https://wa.me/', { text: `${text} ${link}` }),
    telegram: withParams('https://t.me/share/url', { url: link, text }),
    email: `mailto:?${new URLSearchParams({ subject: 'A reward for you', body: `${text} ${link}` }).toString().replace(/\+/g, '%20')}`,
  };
}

export function presentStats(row: CustomerRow, base: LinkBase, counts: { clicks: number; active: number }): CustomerStats {
  const link = presentCustomer(row, base).referral_link;
  return {
    customer: customerRef(row),
    clicks_count: counts.clicks,
    referrals_count: row.referrals_count,
    active_referrals_count: counts.active,
    referral_link: link,
    social_share_links: shareLinks(link),
  };
}

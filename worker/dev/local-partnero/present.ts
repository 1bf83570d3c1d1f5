import type {
  BalanceEntry,
  Customer,
  CustomerBalance,
  CustomerRef,
  CustomerStats,
  SharePlatform,
  Transaction,
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
  r_id: string | null;
  r_key: string | null;
  r_email: string | null;
  r_name: string | null;
  r_surname: string | null;
}

export interface TransactionRow {
  key: string;
  amount_e4: number;
  amount_units: string;
  action: string;
  reward_amount_e4: number | null;
  reward_units: string | null;
  reward_is_currency: number | null;
  created_at: string;
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

export function linkFor(base: LinkBase, key: string): string {
  return referralLink(base.url, base.raw, key);
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
  const link = linkFor(base, row.key);
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
    referral_links: [link],
    custom_fields: {},
  };
}

export function presentTransaction(row: TransactionRow): Transaction {
  const customer = prefixedRef({ ...row }, 'c_');
  return {
    key: row.key,
    amount: fromE4(row.amount_e4),
    amount_units: row.amount_units,
    action: row.action,
    // The buyer always exists: transactions are deleted with their customer.
    customer: customer ?? { id: row.c_id },
    referring_customer: prefixedRef({ ...row }, 'r_'),
    reward:
      row.reward_amount_e4 === null || row.reward_units === null
        ? null
        : {
            amount: fromE4(row.reward_amount_e4),
            amount_units: row.reward_units,
            is_currency: row.reward_is_currency === 1,
          },
    created_at: row.created_at,
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
  const link = linkFor(base, row.key);
  return {
    customer: customerRef(row),
    clicks_count: counts.clicks,
    referrals_count: row.referrals_count,
    active_referrals_count: counts.active,
    referral_link: link,
    social_share_links: shareLinks(link),
  };
}

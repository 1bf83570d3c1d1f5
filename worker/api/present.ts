/**
 * Reduction of upstream objects to what the browser may see. Upstream is parsed leniently
 * (Partnero publishes no strict schema), so every field is checked, never cast.
 */
import type { BalanceEntry, Customer, CustomerBalance, CustomerRef, CustomerStats, ListEnvelope, Transaction } from '../../shared/partnero';
import { hasKey } from '../identity';
import type { CustomerState, MeStats, MoneyAmount, Paged, ReferralItem, ReferralLink, TransactionItem } from '../../shared/widget-api';

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

function count(value: unknown): number | null {
  const n = num(value);
  return n !== null && n >= 0 ? Math.floor(n) : null;
}

/** `alice@example.com` → `a***@example.com`; anything that is not an email → null. */
export function maskEmail(value: unknown): string | null {
  const email = str(value);
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  const first = Array.from(email.slice(0, at))[0] ?? '';
  return `${first}***@${email.slice(at + 1).toLowerCase()}`;
}

/** First name and the initial of the surname: ("Jane", "Doe") → "Jane D."; ("Jane Doe", null) → "Jane D.". */
export function shortName(name: unknown, surname?: unknown): string | null {
  const words = (str(name) ?? '').split(/\s+/).filter(Boolean);
  const first = words[0];
  const last = str(surname) ?? (words.length > 1 ? words[words.length - 1] : null);
  if (!first) {
    const initial = last ? Array.from(last)[0] : undefined;
    return initial ? `${initial.toUpperCase()}.` : null;
  }
  const firstShort = Array.from(first).slice(0, 40).join('');
  const initial = last ? Array.from(last)[0] : undefined;
  return initial ? `${firstShort} ${initial.toUpperCase()}.` : firstShort;
}

function money(entry: Partial<BalanceEntry> | null | undefined): MoneyAmount | null {
  if (!entry || typeof entry !== 'object') return null;
  const amount = num(entry.amount);
  const currency = str(entry.amount_units);
  if (amount === null || !currency) return null;
  return { amount, currency, is_currency: entry.is_currency !== false };
}

/** The balance entries of a balance answer, one per currency or unit. */
export function toBalance(balance: CustomerBalance): MoneyAmount[] {
  const entries: unknown = balance?.balance?.currency;
  if (!Array.isArray(entries)) return [];
  return entries.map((e: Partial<BalanceEntry>) => money(e)).filter((m): m is MoneyAmount => m !== null);
}

/** Clicks and referral counts, falling back to the customer's own count when stats lack one. */
export function toStats(stats: CustomerStats, customer?: Customer): MeStats {
  const referrals = count(stats?.referrals_count) ?? count(customer?.referrals_count) ?? 0;
  return {
    clicks: count(stats?.clicks_count) ?? 0,
    referrals,
    active_referrals: count(stats?.active_referrals_count) ?? referrals,
  };
}

/** Partnero's `deleted` is an archived (restorable) customer; anything else is active. */
export function toCustomerState(status: unknown): CustomerState {
  return status === 'deleted' || status === 'archived' ? 'archived' : 'active';
}

/** The key a referral link carries in `?ref=` (or its last `/r/KEY` segment), else null. */
function linkKey(url: string): string | null {
  try {
    const parsed = new URL(url);
    const ref = parsed.searchParams.get('ref');
    if (ref) return ref;
    const match = /\/r\/([^/?#]+)\/?$/.exec(parsed.pathname);
    return match?.[1] ? decodeURIComponent(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The customer's referral links as objects, the default first: Partnero's customer object
 * carries them as URLs (`referral_link` is the default), each naming its key in `?ref=`.
 */
export function toReferralLinks(customer: Customer, customerKey: string): ReferralLink[] {
  const urls = Array.isArray(customer.referral_links) ? customer.referral_links.filter((l): l is string => typeof l === 'string' && l !== '') : [];
  const fallback = str(customer.referral_link) ?? urls[0] ?? null;
  const ordered = fallback ? [fallback, ...urls.filter((u) => u !== fallback)] : urls;
  return ordered.map((url, i) => ({ key: linkKey(url) ?? customerKey, url, default: i === 0 }));
}

/** A referred friend, reduced: masked email, short name, status, date. */
export function toReferralItem(customer: Customer): ReferralItem {
  return {
    name: shortName(customer.name, customer.surname),
    email: maskEmail(customer.email),
    status: toCustomerState(customer.status),
    stage: 'signed_up',
    created_at: str(customer.created_at) ?? '',
  };
}

function refersTo(ref: CustomerRef | null | undefined, owner: Customer): boolean {
  if (!ref || typeof ref !== 'object') return true; // the endpoint lists this customer's referrals' purchases
  return ref.id === owner.id || (typeof ref.key === 'string' && hasKey(owner, ref.key));
}

/** A purchase by a referred friend; `reward` only when it was `owner`'s reward. */
export function toTransactionItem(t: Transaction, owner: Customer): TransactionItem {
  return {
    amount: num(t.amount) ?? 0,
    currency: str(t.amount_units) ?? '',
    action: str(t.action) ?? 'sale',
    reward: refersTo(t.referring_customer, owner) ? money(t.reward) : null,
    customer_name: shortName(t.customer?.name, t.customer?.surname),
    created_at: str(t.created_at) ?? '',
  };
}

/** An upstream list page as the widget API's Paged, items mapped by `map`. */
export function toPaged<T, U>(list: ListEnvelope<T>, requested: { page: number; per_page: number }, map: (item: T) => U): Paged<U> {
  const items = Array.isArray(list?.data) ? list.data.map(map) : [];
  const meta = list?.meta;
  const perPage = count(meta?.per_page) || requested.per_page;
  const total = count(meta?.total) ?? items.length;
  return {
    items,
    page: count(meta?.current_page) || requested.page,
    per_page: perPage,
    total,
    last_page: count(meta?.last_page) || Math.max(1, Math.ceil(total / perPage)),
  };
}

/**
 * Partnero refer-a-friend customers API: the wire contract, as documented on Partnero's
 * customers API page (../shared/spec in the team repo) plus the verified notes.
 * Both the typed client (worker/partnero) and the local Partnero-compatible API
 * (worker/local-partnero) are written against these types.
 *
 * Responses are parsed leniently: every object type keeps unknown fields
 * (`[extra: string]: unknown`) because Partnero documents no strict schema.
 */

/** `{"data": ..., "status": 1}` */
export interface Envelope<T> {
  data: T;
  status: number;
  [extra: string]: unknown;
}

/** Laravel-style pagination links and meta. */
export interface PageLinks {
  first: string | null;
  last: string | null;
  prev: string | null;
  next: string | null;
}
export interface PageMeta {
  current_page: number;
  from: number | null;
  last_page: number;
  per_page: number;
  to: number | null;
  total: number;
  path: string;
  [extra: string]: unknown;
}
export interface ListEnvelope<T> {
  data: T[];
  links: PageLinks;
  meta: PageMeta;
  status: number;
  [extra: string]: unknown;
}

/** Error bodies: `{"message"}`, and for 422 also `{"errors": {"field": ["..."]}}`. */
export interface PartneroErrorBody {
  message: string;
  errors?: Record<string, string[]>;
  [extra: string]: unknown;
}

export type CustomerStatus = 'active' | 'deleted';

/** The compact form of a customer inside another object (referring_customer, transaction.customer). */
export interface CustomerRef {
  id: string;
  key?: string;
  email?: string | null;
  name?: string | null;
  surname?: string | null;
  [extra: string]: unknown;
}

export interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  surname: string | null;
  /** `active`, or `deleted` once archived. Other values are kept as strings. */
  status: CustomerStatus | (string & {});
  approved: boolean;
  referring_customer: CustomerRef | null;
  referrals_count: number;
  metadata: { date_of_birth: string | null; [extra: string]: unknown };
  referral_link: string;
  referral_links: string[];
  custom_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}

export interface CreateCustomerInput {
  /** Unique customer key; generated when absent. */
  key?: string;
  /** Alternative identifier; defaults to the key. */
  id?: string;
  email?: string;
  name?: string;
  surname?: string;
  metadata?: { date_of_birth?: string | null };
  /** Attribution: `id` wins when both are given. */
  referring_customer?: { key?: string; id?: string };
}

export interface UpdateCustomerFields {
  email?: string;
  name?: string;
  surname?: string;
  /** Renames the customer's key. */
  key?: string;
  metadata?: { date_of_birth?: string | null };
}

export type ReferStatus = 'referred' | 'non_referred';

export interface PageQuery {
  /** 1-250, default 15. */
  limit?: number;
  /** default 1. */
  page?: number;
}
export interface ListCustomersQuery extends PageQuery {
  refer_status?: ReferStatus;
}

export interface SearchCustomersQuery {
  key?: string;
  id?: string;
  email?: string;
}

export interface InviteInput {
  email: string;
  name?: string;
  personalization?: Record<string, unknown>;
}
export interface Invite {
  email: string;
  name: string | null;
  personalization: Record<string, unknown>;
  created_at: string;
  [extra: string]: unknown;
}

export type SharePlatform = 'twitter' | 'facebook' | 'linkedin' | 'whatsapp' | 'telegram' | 'email';

/**
 * Customer stats. Partnero says stats carry "referral statistics, click counts, and social
 * share links" without publishing the shape: the local API answers this shape, and the
 * client keeps whatever else a real account sends.
 */
export interface CustomerStats {
  customer: CustomerRef;
  clicks_count: number;
  referrals_count: number;
  /** Referred customers whose status is `active`. */
  active_referrals_count: number;
  referral_link: string;
  social_share_links: Partial<Record<SharePlatform, string>>;
  [extra: string]: unknown;
}

export interface BalanceEntry {
  amount: number;
  amount_units: string;
  is_currency: boolean;
  [extra: string]: unknown;
}
/** `{"customer": {...}, "balance": {"currency": [...]}}` (partnero-notes.md). */
export interface CustomerBalance {
  customer: CustomerRef;
  balance: { currency: BalanceEntry[]; [extra: string]: unknown };
  [extra: string]: unknown;
}
export interface CreditInput {
  amount: number;
  amount_units: string;
  is_currency: boolean;
}

export interface Reward {
  amount: number;
  amount_units: string;
  is_currency: boolean;
  [extra: string]: unknown;
}

/** A purchase by a (referred) customer, and the reward it earned its referrer. */
export interface Transaction {
  key: string;
  amount: number;
  amount_units: string;
  action: string;
  customer: CustomerRef;
  referring_customer: CustomerRef | null;
  reward: Reward | null;
  created_at: string;
  [extra: string]: unknown;
}
export interface CreateTransactionInput {
  /** Unique transaction key (idempotency: the same key is refused as a duplicate). */
  key: string;
  amount: number;
  /** Currency code, default USD. */
  amount_units?: string;
  action: string;
  customer: { id?: string; key?: string };
}

/** A recorded referral-link click (local API neighbour; counted in stats). */
export interface ClickInput {
  /** The referring customer's key, as in `?ref=KEY`. */
  key: string;
  /** Where the click landed (optional). */
  url?: string;
}
export interface Click {
  customer: CustomerRef;
  clicks_count: number;
  [extra: string]: unknown;
}

/** Pattern of a customer key that may travel in `?ref=`, cookies and tokens (defined with the token rules). */
export { CUSTOMER_KEY_PATTERN } from './referral-token.js';

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
  /** The default referral link's URL. */
  referral_link: string;
  /** Every referral link's URL, the default first (the objects: `/customers/{id}/referral_links`). */
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

/** A customer named in a request body: the first of `id`, `key`, `email` given decides. */
export interface CustomerLocator {
  id?: string;
  key?: string;
  email?: string;
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
/** List order: newest first (`desc`, the default) or oldest first. */
export type SortOrder = 'asc' | 'desc';

export interface PageQuery {
  /** 1-250, default 15. */
  limit?: number;
  /** default 1. */
  page?: number;
  sort?: SortOrder;
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

export type TransactionStatus = 'active' | 'archived';

/** A purchase by a (referred) customer, and the reward it earned its referrer. */
export interface Transaction {
  key: string;
  amount: number;
  amount_units: string;
  action: string;
  /** `active`, or `archived` (its reward is out of the balance until revoke-archive). */
  status: TransactionStatus | (string & {});
  /** False when it was recorded with `rewardable: false`. */
  rewardable: boolean;
  /** True while a reward for it is credited to the referrer. */
  rewarded: boolean;
  customer: CustomerRef;
  referring_customer: CustomerRef | null;
  /** The reward credited to the referrer for it (null when none, or while archived). */
  reward: Reward | null;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}
export interface CreateTransactionInput {
  /** Transaction key (the order or invoice id); repeating one answers the first transaction. */
  key: string;
  amount: number;
  /** Currency code, default USD. */
  amount_units?: string;
  /** Default `sale`. */
  action?: string;
  /** The buyer. */
  customer: CustomerLocator;
  /** False records the purchase without rewarding anyone. Default true. */
  rewardable?: boolean;
  product_id?: string;
  product_type?: string;
}
export interface ListTransactionsQuery extends PageQuery {
  /** Only the transaction with this key. */
  key?: string;
  /** Only purchases by this customer (id, key or email). */
  customer?: string;
  /** Only purchases that rewarded (or would reward) this referrer (id, key or email). */
  referring_customer?: string;
  status?: TransactionStatus;
}

/** A referral link of a customer. Its key attributes signups (`referring_customer.key`). */
export interface ReferralLink {
  id: string;
  key: string;
  url: string;
  /** The customer's default link (exactly one per customer). */
  default: boolean;
  is_additional: boolean;
  direct_tracking: boolean;
  direct_tracking_redirect?: boolean;
  direct_tracking_redirect_url?: string | null;
  domain_id?: number | null;
  /** The customer it belongs to (absent in some answers). */
  customer?: CustomerRef | null;
  created_at?: string;
  updated_at?: string;
  [extra: string]: unknown;
}
export interface CreateReferralLinkInput {
  customer: CustomerLocator;
  /** Generated when absent. */
  key?: string;
  /** Landing page (absolute http(s) URL); default the program's. */
  url?: string;
  /** Make it the customer's default link. */
  default?: boolean;
  is_additional?: boolean;
  direct_tracking?: boolean;
  direct_tracking_redirect?: boolean;
  direct_tracking_redirect_url?: string;
  domain_id?: number;
}
export type UpdateReferralLinkInput = Omit<CreateReferralLinkInput, 'customer'>;
export interface SearchReferralLinksQuery {
  id?: string;
  key?: string;
}

/** Events a refer-a-friend program's webhooks can subscribe to. */
export const WEBHOOK_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.credited',
  'customer.rewarded',
  'transaction.created',
  'transaction.deleted',
  'reward.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook subscription. `signature` is the secret that signs its deliveries. */
export interface Webhook {
  key: string;
  name: string | null;
  url: string;
  events: string[];
  is_active: boolean;
  signature: string;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}
export interface CreateWebhookInput {
  name?: string;
  url: string;
  events: string[];
  is_active?: boolean;
}
export type UpdateWebhookInput = Partial<CreateWebhookInput>;

/**
 * The JSON body of a delivery, POSTed to the subscribed URL with header `Signature`: the hex
 * HMAC-SHA256 of the raw body with the webhook's secret.
 */
export interface WebhookPayload {
  event: string;
  data: unknown;
  /** Unix seconds. */
  timestamp: number;
  created_at: string;
  webhook_key: string;
  url: string;
  [extra: string]: unknown;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** One delivery attempt series of one event (local API extension). */
export interface WebhookDelivery {
  id: string;
  event: string;
  url: string;
  status: DeliveryStatus | (string & {});
  attempts: number;
  /** HTTP status of the last attempt, null when none answered. */
  response_status: number | null;
  last_error: string | null;
  payload: unknown;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  [extra: string]: unknown;
}

/** A recorded referral-link click (local API neighbour; counted in stats). */
export interface ClickInput {
  /** The key of a referral link (or its customer), as in `?ref=KEY`. */
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

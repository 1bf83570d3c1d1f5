/**
 * The widget-facing API of the worker (`/api/*`): what the browser may see.
 * The widget (widget/) and the worker (worker/api) both import these types.
 * Only safe fields travel: never another customer's data, never raw upstream bodies.
 */

/** Every error of `/api/*`: `{"error": {"code", "message"}}`. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    /** Field-level problems for `validation_failed`. */
    fields?: Record<string, string[]>;
    /** Seconds until a rate-limited request may be retried (also in `Retry-After`). */
    retry_after?: number;
  };
}

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'token_expired'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'self_referral'
  | 'referrer_not_found'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'not_configured'
  | 'internal_error';

export interface MoneyAmount {
  amount: number;
  /** ISO 4217 code when `is_currency`, otherwise a unit name such as "points". */
  currency: string;
  is_currency: boolean;
}

/** `GET /api/me`: the whole first screen. */
export interface MeResponse {
  customer: {
    key: string;
    name: string | null;
    email: string | null;
    status: string;
  };
  referral_link: string | null;
  referral_links: string[];
  stats: MeStats;
  balance: MoneyAmount[];
  /** True when upstream failed and cached data was served instead. */
  stale: boolean;
  /** ISO 8601 time the data was fetched from upstream. */
  fetched_at: string;
}

/** `GET /api/me/stats` */
export interface MeStats {
  clicks: number;
  referrals: number;
  active_referrals: number;
}

/** `GET /api/me/balance` */
export interface BalanceResponse {
  balance: MoneyAmount[];
}

export interface Paged<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
  last_page: number;
}

/** One referred friend, with personal data reduced. */
export interface ReferralItem {
  /** First name and initial of the surname ("Jane D."), or null. */
  name: string | null;
  /** Masked email ("j***@example.com"), or null. */
  email: string | null;
  status: string;
  created_at: string;
}

export interface TransactionItem {
  amount: number;
  currency: string;
  action: string;
  /** What the current customer earned from it. */
  reward: MoneyAmount | null;
  /** The referred buyer, reduced as in ReferralItem. */
  customer_name: string | null;
  created_at: string;
}

/** `POST /api/me/invite` */
export interface InviteRequest {
  email: string;
  name?: string;
}
export interface InviteResponse {
  invited: true;
  email: string;
}

/** `POST /api/signup`: attribute the token's customer to a referrer. */
export interface SignupRequest {
  /** Referrer key from attribution.js; the `partnero_referral` cookie is used when absent. */
  referral_key?: string;
}
export interface SignupResponse {
  /** created: the customer was created now; existing: it already existed (unchanged); queued: upstream is down, it will be created. */
  result: 'created' | 'existing' | 'queued';
  customer_key: string;
  /** The referrer recorded for the customer (for `existing`, the one already stored). */
  referred_by: string | null;
}

/** `POST /api/clicks` (public, used by attribution.js). */
export interface ClickRequest {
  referral_key: string;
  url?: string;
}

/** Name of the first-party cookie that carries the referrer's key (PartneroJS's name). */
export const REFERRAL_COOKIE = 'partnero_referral';

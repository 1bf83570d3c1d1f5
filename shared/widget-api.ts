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
    /** Why a customer token was refused (401 only): machine-readable, also in the worker's log. */
    reason?: TokenRefusal;
  };
}

/** Why a customer token was refused. `token_expired` is also the error code, so the widget renews. */
export type TokenRefusal =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'bad_audience'
  | 'token_expired'
  | 'token_too_long_lived'
  | 'not_yet_valid';

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
  | 'internal_error'
  /** `GET /api/me` (and the other /api/me routes) for a customer who has not joined the program: show the invitation to join. */
  | 'not_enrolled'
  /** A write (invite, enrol, clicks for their link) by a customer whose referral account is archived. */
  | 'customer_archived'
  /** The daily invitation cap is reached; `retry_after` says when the day rolls over. */
  | 'invite_limit'
  /** `POST /api/signup` for an account older than the attribution window. */
  | 'attribution_window_closed'
  /** An /api call from a browser origin that is not in ALLOWED_ORIGINS (the message names the origin). */
  | 'origin_not_allowed';

export interface MoneyAmount {
  amount: number;
  /** ISO 4217 code when `is_currency`, otherwise a unit name such as "points". */
  currency: string;
  is_currency: boolean;
}

/** `active`, or `archived` (Partnero status `deleted`, restorable): the widget shows a calm "paused" state. */
export type CustomerState = 'active' | 'archived';

/** One of the customer's referral links (Partnero referral-link objects, reduced). */
export interface ReferralLink {
  /** The key the link carries (`?ref=KEY` / `/r/KEY`). */
  key: string;
  url: string;
  /** Exactly one link is the default; the widget shows it first. */
  default: boolean;
}

/** A reward as the program defines it, for the offer headline. */
export type Reward =
  | { kind: 'percent'; value: number }
  | { kind: 'fixed'; value: number; currency: string };

/** What the program offers, from the worker's configuration (null fields: the widget's generic text). */
export interface ProgramOffer {
  /** Free text set by the host (OFFER_HEADLINE): wins over the rewards when set. */
  headline: string | null;
  /** What the customer earns when a referred friend buys. */
  referrer_reward: Reward | null;
  /** What the referred friend gets. */
  friend_reward: Reward | null;
}

/** How many invitations the customer may still send today. */
export interface InviteAllowance {
  per_day: number;
  remaining_today: number;
}

/** `GET /api/me`: the whole first screen. */
export interface MeResponse {
  customer: {
    key: string;
    name: string | null;
    email: string | null;
    status: CustomerState;
  };
  /** The default link's URL (null when the program gave none). */
  referral_link: string | null;
  /** Every link of the customer, the default one first. */
  referral_links: ReferralLink[];
  stats: MeStats;
  balance: MoneyAmount[];
  offer: ProgramOffer;
  /** Null when the customer cannot invite (archived) or invitations are off. */
  invites: InviteAllowance | null;
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

/** How far a referred friend got: signed up, bought something, earned the referrer a reward. */
export type ReferralStage = 'signed_up' | 'purchased' | 'rewarded';

/** One referred friend, with personal data reduced. */
export interface ReferralItem {
  /** First name and initial of the surname ("Jane D."), or null. */
  name: string | null;
  /** Masked email ("j***@example.com"), or null. */
  email: string | null;
  /** `active` or `archived`. */
  status: CustomerState;
  stage: ReferralStage;
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
/**
 * 201 when sent now; 200 with `already_invited: true` (nothing sent) when this customer
 * invited the same address in the last 30 days. Over the daily cap: 429 `invite_limit`.
 */
export interface InviteResponse {
  invited: true;
  email: string;
  already_invited: boolean;
  remaining_today: number;
}

/**
 * `POST /api/enrol`: the token's customer joins the program (idempotent). The referral
 * cookie (or `referral_key`) is honoured within the attribution window, ignored after it.
 * Answers like signup: 201 created, 200 existing, 202 queued.
 */
export interface EnrolRequest {
  referral_key?: string;
}
export type EnrolResponse = SignupResponse;

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

import type {
  Click,
  ClickInput,
  CreateCustomerInput,
  CreateReferralLinkInput,
  CreateTransactionInput,
  CreateWebhookInput,
  CreditInput,
  Customer,
  CustomerBalance,
  CustomerStats,
  Invite,
  InviteInput,
  ListCustomersQuery,
  ListEnvelope,
  ListTransactionsQuery,
  PageQuery,
  ReferralLink,
  SearchCustomersQuery,
  SearchReferralLinksQuery,
  Transaction,
  UpdateCustomerFields,
  UpdateReferralLinkInput,
  UpdateWebhookInput,
  Webhook,
  WebhookDelivery,
} from '../../shared/partnero';

/** Per-call options of every client function. */
export interface CallOptions {
  /** Overrides the client's default timeout for this call (ms). */
  timeoutMs?: number;
  /** Aborts the call from outside. */
  signal?: AbortSignal;
}

/**
 * How `updateCustomer` sends the update: `path` is `PUT /customers/{id}` with `{update}` (the
 * documented form), `body` is `PUT /customers` with `{id, update}` (the PHP SDK's), `flat` is
 * `PUT /customers/{id}` with the fields flat (the n8n node's and the Python SDK's).
 */
export type UpdateStyle = 'path' | 'body' | 'flat';

/**
 * One typed function per endpoint of Partnero's refer-a-friend API (customers, referral links,
 * transactions, webhooks), plus the local API's click recording. Every function resolves with the
 * unwrapped `data` (or the whole list envelope for paginated lists) and rejects with a
 * `PartneroError`.
 */
export interface PartneroClient {
  createCustomer(input: CreateCustomerInput, opts?: CallOptions): Promise<Customer>;
  listCustomers(query?: ListCustomersQuery, opts?: CallOptions): Promise<ListEnvelope<Customer>>;
  getCustomer(id: string, opts?: CallOptions): Promise<Customer>;
  updateCustomer(id: string, update: UpdateCustomerFields, opts?: CallOptions & { style?: UpdateStyle }): Promise<Customer>;
  /** Permanent. */
  deleteCustomer(id: string, opts?: CallOptions): Promise<void>;
  /** Soft delete: status becomes `deleted`. */
  archiveCustomer(id: string, opts?: CallOptions): Promise<Customer>;
  /** Undo archive: status back to `active`. */
  restoreCustomer(id: string, opts?: CallOptions): Promise<Customer>;
  inviteCustomer(input: InviteInput, opts?: CallOptions): Promise<Invite>;
  searchCustomers(query: SearchCustomersQuery, opts?: CallOptions): Promise<Customer[]>;
  getCustomerStats(id: string, opts?: CallOptions): Promise<CustomerStats>;
  getCustomerReferrals(id: string, query?: PageQuery, opts?: CallOptions): Promise<ListEnvelope<Customer>>;
  getCustomerTransactions(id: string, query?: PageQuery, opts?: CallOptions): Promise<ListEnvelope<Transaction>>;
  getCustomerBalance(id: string, opts?: CallOptions): Promise<CustomerBalance>;
  creditCustomerBalance(id: string, input: CreditInput, opts?: CallOptions): Promise<CustomerBalance>;
  /** A repeated key answers the transaction already recorded under it. */
  createTransaction(input: CreateTransactionInput, opts?: CallOptions): Promise<Transaction>;
  listTransactions(query?: ListTransactionsQuery, opts?: CallOptions): Promise<ListEnvelope<Transaction>>;
  getTransaction(key: string, opts?: CallOptions): Promise<Transaction>;
  /** Its reward leaves the referrer's balance until `restoreTransaction`. */
  archiveTransaction(key: string, opts?: CallOptions): Promise<Transaction>;
  restoreTransaction(key: string, opts?: CallOptions): Promise<Transaction>;
  /** Permanent (a refund): the reward it earned is taken back. */
  deleteTransaction(key: string, opts?: CallOptions): Promise<void>;
  /** The customer's referral links as objects, the default first. */
  getCustomerReferralLinks(id: string, query?: PageQuery, opts?: CallOptions): Promise<ListEnvelope<ReferralLink>>;
  createReferralLink(input: CreateReferralLinkInput, opts?: CallOptions): Promise<ReferralLink>;
  getReferralLink(id: string, opts?: CallOptions): Promise<ReferralLink>;
  updateReferralLink(id: string, input: UpdateReferralLinkInput, opts?: CallOptions): Promise<ReferralLink>;
  deleteReferralLink(id: string, opts?: CallOptions): Promise<void>;
  searchReferralLinks(query: SearchReferralLinksQuery, opts?: CallOptions): Promise<ReferralLink[]>;
  /** Registers a webhook; the answer's `signature` is the secret its deliveries are signed with. */
  createWebhook(input: CreateWebhookInput, opts?: CallOptions): Promise<Webhook>;
  listWebhooks(query?: PageQuery, opts?: CallOptions): Promise<ListEnvelope<Webhook>>;
  getWebhook(key: string, opts?: CallOptions): Promise<Webhook>;
  updateWebhook(key: string, input: UpdateWebhookInput, opts?: CallOptions): Promise<Webhook>;
  deleteWebhook(key: string, opts?: CallOptions): Promise<void>;
  /** The delivery log of a webhook (a local API extension: Partnero has no such endpoint). */
  listWebhookDeliveries(key: string, query?: PageQuery, opts?: CallOptions): Promise<ListEnvelope<WebhookDelivery>>;
  /** `GET /test`: resolves when the API key is accepted (the check Partnero's clients run first). */
  testConnection(opts?: CallOptions): Promise<void>;
  /** A local API extension (`POST /v1/clicks`); Partnero counts clicks through PartneroJS. */
  recordClick(input: ClickInput, opts?: CallOptions): Promise<Click>;
}

export type PartneroErrorKind = 'http' | 'timeout' | 'network' | 'invalid_response';

/** Every failure of the client. `status` is the HTTP status, or 0 when no response arrived. */
export class PartneroError extends Error {
  override readonly name = 'PartneroError';
  constructor(
    readonly kind: PartneroErrorKind,
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string[]>,
    /** Seconds from a Retry-After header, when upstream sent one. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Sends a request somewhere: global `fetch` for Partnero, or the local API's in-process `fetch`. */
export type Fetcher = (request: Request) => Promise<Response>;

export interface PartneroClientOptions {
  /** e.g. `https://api.partnero.com/v1` (no trailing slash needed). */
  baseUrl: string;
  apiKey: string;
  /** Defaults to global fetch. */
  fetch?: Fetcher;
  /** Per-call timeout, default 5000 ms. */
  timeoutMs?: number;
  /** Extra attempts for safe requests (GET) and for 429/503, default 2. */
  retries?: number;
  /** Called after every upstream attempt with its duration, for Server-Timing and logs. */
  onTiming?: (entry: { method: string; path: string; status: number; ms: number }) => void;
}

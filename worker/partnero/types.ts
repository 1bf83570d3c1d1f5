import type {
  Click,
  ClickInput,
  CreateCustomerInput,
  CreateTransactionInput,
  CreditInput,
  Customer,
  CustomerBalance,
  CustomerStats,
  Invite,
  InviteInput,
  ListCustomersQuery,
  ListEnvelope,
  PageQuery,
  SearchCustomersQuery,
  Transaction,
  UpdateCustomerFields,
} from '../../shared/partnero';

/** Per-call options of every client function. */
export interface CallOptions {
  /** Overrides the client's default timeout for this call (ms). */
  timeoutMs?: number;
  /** Aborts the call from outside. */
  signal?: AbortSignal;
}

/** How `updateCustomer` addresses the customer: `PUT /customers/{id}` (documented) or `PUT /customers` with `{id, update}` (PHP SDK). */
export type UpdateStyle = 'path' | 'body';

/**
 * One typed function per endpoint of Partnero's refer-a-friend customers API, plus the
 * neighbours the product needs (transactions, clicks). Every function resolves with the
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
  createTransaction(input: CreateTransactionInput, opts?: CallOptions): Promise<Transaction>;
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

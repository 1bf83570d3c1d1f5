/**
 * The typed Partnero client: one function per endpoint of the refer-a-friend API (customers,
 * referral links, transactions, webhooks; and the local API's clicks). Used against Partnero over
 * HTTPS and against the embedded local API in-process (see worker/upstream.ts).
 */
import type { Customer, ListEnvelope, PageQuery } from '../../shared/partnero';
import * as parse from './parse';
import { createTransport, type Answer, type RequestSpec, type TransportTuning } from './transport';
import { PartneroError, type CallOptions, type PartneroClient, type PartneroClientOptions } from './types';

export type { TransportTuning } from './transport';

/**
 * A path segment for an id that may contain anything. `.` and `..` (and the empty string)
 * cannot be addressed: URL parsing folds them into the parent path, so the request would
 * reach a different endpoint. Such a customer cannot be found through the API, hence a 404
 * raised before anything is sent.
 */
function segment(id: string): string {
  const unaddressable = new PartneroError('http', 404, `The id ${JSON.stringify(id)} cannot be addressed in a URL path`);
  if (id === '' || id === '.' || id === '..') throw unaddressable;
  try {
    return encodeURIComponent(id);
  } catch {
    // A lone surrogate has no UTF-8 form, so no stored customer can carry that id.
    throw unaddressable;
  }
}

function customerPath(id: string, rest = ''): string {
  return `/customers/${segment(id)}${rest}`;
}

function page(query: PageQuery | undefined): RequestSpec['query'] {
  return { limit: query?.limit, page: query?.page, sort: query?.sort };
}

/** Only the fields that are set, so an update never sends a null that could mean "clear". */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Creates a client for one Partnero program (base URL + API key). Every function resolves
 * with the unwrapped `data` (or the whole envelope for paginated lists, with `links` and
 * `meta` always present) and rejects only with PartneroError:
 * - `http`: non-2xx, with `status`, Partnero's `message`, its 422 `errors`, and `retryAfter`;
 * - `timeout`: an attempt outlived its timeout (`timeoutMs`, default 5000, per call
 *   overridable; each attempt gets the full timeout) or the caller's signal aborted;
 * - `network`: no response;
 * - `invalid_response`: a 2xx whose body is not JSON or lacks the expected minimal shape.
 *
 * GETs are retried (`retries`, default 2) after no response, 408, 429 and 5xx; any method
 * after 429 or 503, which mean the request was not processed. Retry-After is honoured up to
 * `maxRetryAfterMs` (2 s); a longer one surfaces the error at once so the caller can queue.
 */
export function createPartneroClient(options: PartneroClientOptions & TransportTuning): PartneroClient {
  const send = createTransport(options);

  /** Runs a reader over the answer; a shape mismatch becomes `invalid_response`. */
  async function read<T>(answer: Promise<Answer>, reader: (body: unknown) => T): Promise<T> {
    const { status, body } = await answer;
    try {
      return reader(body);
    } catch (error) {
      if (error instanceof PartneroError) throw error;
      const detail = error instanceof parse.ShapeError ? error.message : 'unreadable answer';
      throw new PartneroError('invalid_response', status, `Partnero's answer has an unexpected shape: ${detail}`);
    }
  }

  /**
   * Turns a synchronous failure (an unaddressable id) into a rejection, and guarantees that
   * nothing but a PartneroError ever reaches the caller.
   */
  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof PartneroError) throw error;
      throw new PartneroError('network', 0, `Partnero call failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  }

  function dataOf<T>(spec: () => RequestSpec, opts: CallOptions | undefined, reader: (value: unknown) => T): Promise<T> {
    return call(() => read(send(spec(), opts), (body) => reader(parse.envelope(body).data)));
  }

  function listOf<T>(spec: () => RequestSpec, opts: CallOptions | undefined, reader: (value: unknown) => T): Promise<ListEnvelope<T>> {
    return call(() => read(send(spec(), opts), (body) => parse.list(body, reader)));
  }

  return {
    createCustomer: (input, opts) => dataOf(() => ({ method: 'POST', path: '/customers', body: input }), opts, parse.customer),

    listCustomers: (query, opts) =>
      listOf<Customer>(
        () => ({ method: 'GET', path: '/customers', query: { ...page(query), refer_status: query?.refer_status } }),
        opts,
        parse.customer,
      ),

    getCustomer: (id, opts) => dataOf(() => ({ method: 'GET', path: customerPath(id) }), opts, parse.customer),

    updateCustomer: (id, update, opts) =>
      dataOf(
        (): RequestSpec => {
          switch (opts?.style) {
            case 'body':
              return { method: 'PUT', path: '/customers', body: { id, update } };
            case 'flat':
              return { method: 'PUT', path: customerPath(id), body: update };
            default:
              return { method: 'PUT', path: customerPath(id), body: { update } };
          }
        },
        opts,
        parse.customer,
      ),

    deleteCustomer: (id, opts) =>
      call(async () => {
        await send({ method: 'DELETE', path: customerPath(id), expectBody: false }, opts);
      }),

    archiveCustomer: (id, opts) => dataOf(() => ({ method: 'POST', path: customerPath(id, '/archive') }), opts, parse.customer),

    restoreCustomer: (id, opts) =>
      dataOf(() => ({ method: 'POST', path: customerPath(id, '/revoke-archive') }), opts, parse.customer),

    inviteCustomer: (input, opts) => dataOf(() => ({ method: 'POST', path: '/customers:invite', body: input }), opts, parse.invite),

    searchCustomers: (query, opts) =>
      dataOf(
        () => ({ method: 'GET', path: '/customers:search', query: { key: query.key, id: query.id, email: query.email } }),
        opts,
        parse.customers,
      ),

    getCustomerStats: (id, opts) => dataOf(() => ({ method: 'GET', path: customerPath(id, '/stats') }), opts, parse.stats),

    getCustomerReferrals: (id, query, opts) =>
      listOf(() => ({ method: 'GET', path: customerPath(id, '/referrals'), query: page(query) }), opts, parse.customer),

    getCustomerTransactions: (id, query, opts) =>
      listOf(() => ({ method: 'GET', path: customerPath(id, '/transactions'), query: page(query) }), opts, parse.transaction),

    getCustomerBalance: (id, opts) => dataOf(() => ({ method: 'GET', path: customerPath(id, '/balance') }), opts, parse.balance),

    creditCustomerBalance: (id, input, opts) =>
      dataOf(() => ({ method: 'POST', path: customerPath(id, '/balance/credit'), body: input }), opts, parse.balance),

    createTransaction: (input, opts) => dataOf(() => ({ method: 'POST', path: '/transactions', body: input }), opts, parse.transaction),

    listTransactions: (query, opts) =>
      listOf(
        () => ({
          method: 'GET',
          path: '/transactions',
          query: {
            ...page(query),
            key: query?.key,
            customer: query?.customer,
            referring_customer: query?.referring_customer,
            status: query?.status,
          },
        }),
        opts,
        parse.transaction,
      ),

    getTransaction: (key, opts) => dataOf(() => ({ method: 'GET', path: `/transactions/${segment(key)}` }), opts, parse.transaction),

    archiveTransaction: (key, opts) =>
      dataOf(() => ({ method: 'POST', path: `/transactions/${segment(key)}/archive` }), opts, parse.transaction),

    restoreTransaction: (key, opts) =>
      dataOf(() => ({ method: 'POST', path: `/transactions/${segment(key)}/revoke-archive` }), opts, parse.transaction),

    deleteTransaction: (key, opts) =>
      call(async () => {
        await send({ method: 'DELETE', path: `/transactions/${segment(key)}`, expectBody: false }, opts);
      }),

    getCustomerReferralLinks: (id, query, opts) =>
      listOf(() => ({ method: 'GET', path: customerPath(id, '/referral_links'), query: page(query) }), opts, parse.referralLink),

    createReferralLink: (input, opts) =>
      dataOf(() => ({ method: 'POST', path: '/customer_referral_links', body: input }), opts, parse.referralLink),

    getReferralLink: (id, opts) =>
      dataOf(() => ({ method: 'GET', path: `/customer_referral_links/${segment(id)}` }), opts, parse.referralLink),

    updateReferralLink: (id, input, opts) =>
      dataOf(() => ({ method: 'PUT', path: `/customer_referral_links/${segment(id)}`, body: defined(input) }), opts, parse.referralLink),

    deleteReferralLink: (id, opts) =>
      call(async () => {
        await send({ method: 'DELETE', path: `/customer_referral_links/${segment(id)}`, expectBody: false }, opts);
      }),

    searchReferralLinks: (query, opts) =>
      dataOf(() => ({ method: 'GET', path: '/customer_referral_links:search', query: { id: query.id, key: query.key } }), opts, parse.referralLinks),

    createWebhook: (input, opts) => dataOf(() => ({ method: 'POST', path: '/webhooks', body: input }), opts, parse.webhook),

    listWebhooks: (query, opts) => listOf(() => ({ method: 'GET', path: '/webhooks', query: page(query) }), opts, parse.webhook),

    getWebhook: (key, opts) => dataOf(() => ({ method: 'GET', path: `/webhooks/${segment(key)}` }), opts, parse.webhook),

    updateWebhook: (key, input, opts) =>
      dataOf(() => ({ method: 'PUT', path: `/webhooks/${segment(key)}`, body: defined(input) }), opts, parse.webhook),

    deleteWebhook: (key, opts) =>
      call(async () => {
        await send({ method: 'DELETE', path: `/webhooks/${segment(key)}`, expectBody: false }, opts);
      }),

    listWebhookDeliveries: (key, query, opts) =>
      listOf(() => ({ method: 'GET', path: `/webhooks/${segment(key)}/deliveries`, query: page(query) }), opts, parse.webhookDelivery),

    testConnection: (opts) =>
      call(async () => {
        await send({ method: 'GET', path: '/test', expectBody: false }, opts);
      }),

    recordClick: (input, opts) => dataOf(() => ({ method: 'POST', path: '/clicks', body: input }), opts, parse.click),
  };
}

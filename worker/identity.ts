/**
 * Who a customer key names. Tokens, the `partnero_referral` cookie and referral links all
 * carry a customer's Partnero *key*; Partnero's `GET /customers/{id}` resolves its path by
 * id as well, so a customer whose id happens to equal another customer's key would answer
 * for them. Every lookup by key goes through here and accepts only the customer whose key
 * it is.
 */
import type { Customer } from '../shared/partnero';
import { PartneroError, type PartneroClient } from './partnero/types';

/**
 * True when `customer` is the one whose key is `key`. Partnero's customer objects may omit
 * `key` (the documented answer shows only `id`, which is then the key), so without a key
 * field the id must equal it.
 */
export function hasKey(customer: Customer, key: string): boolean {
  return typeof customer.key === 'string' && customer.key !== '' ? customer.key === key : customer.id === key;
}

function isNotFound(err: unknown): boolean {
  return err instanceof PartneroError && err.kind === 'http' && err.status === 404;
}

/**
 * Resolves a key whose path lookup answered with another customer (one whose id is this
 * key): Partnero's search by key, keeping only an exact key match, or the single result
 * when search results carry no key.
 */
async function searchByKey(client: PartneroClient, key: string, other: Customer): Promise<Customer | null> {
  const found = await client.searchCustomers({ key });
  const exact = found.find((c) => c.key === key);
  if (exact) return exact;
  const keyless = found.filter((c) => (typeof c.key !== 'string' || c.key === '') && c.id !== other.id);
  return keyless.length === 1 ? (keyless[0] ?? null) : null;
}

/**
 * The customer whose key is `key`, or null when there is none. One `GET /customers/{key}`
 * (Partnero resolves the path by id, key or email: a 404 means no customer has this key);
 * a search only when that answer is another customer.
 */
export async function findCustomerByKey(client: PartneroClient, key: string): Promise<Customer | null> {
  let byPath: Customer;
  try {
    byPath = await client.getCustomer(key);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  return hasKey(byPath, key) ? byPath : searchByKey(client, key, byPath);
}

/**
 * Runs `read` for the customer whose key is `key`, speculatively in parallel with the
 * customer lookup (by key as path), so the usual case costs one round trip. When the lookup
 * shows the path named another customer, `read` runs again with the right customer's id.
 */
export async function withCustomer<T>(client: PartneroClient, key: string, read: (id: string) => Promise<T>): Promise<{ customer: Customer; value: T }> {
  const [byPath, speculative] = await Promise.allSettled([client.getCustomer(key), read(key)]);
  if (byPath.status === 'fulfilled' && hasKey(byPath.value, key)) {
    if (speculative.status === 'rejected') throw speculative.reason;
    return { customer: byPath.value, value: speculative.value };
  }
  if (byPath.status === 'rejected' && !isNotFound(byPath.reason)) throw byPath.reason;
  const customer = byPath.status === 'fulfilled' ? await searchByKey(client, key, byPath.value) : null;
  if (!customer) throw new PartneroError('http', 404, 'No customer with this key');
  return { customer, value: await read(customer.id) };
}

/** Like findCustomerByKey, but a missing customer is upstream's 404 (mapped to not_enrolled by the API). */
export async function getCustomerByKey(client: PartneroClient, key: string): Promise<Customer> {
  const customer = await findCustomerByKey(client, key);
  if (!customer) throw new PartneroError('http', 404, 'No customer with this key');
  return customer;
}

/**
 * The widget API's endpoints as [method, path], for tests that must hold on every one of
 * them (auth, rate limits, fuzzing, cross-customer isolation): one list, so an endpoint
 * added to the API is added to all of those tests at once.
 */

/** The endpoints that act for the customer in the token (all but the public click one). */
export const CUSTOMER_ENDPOINTS = [
  ['GET', '/api/me'],
  ['GET', '/api/me/referrals'],
  ['GET', '/api/me/transactions'],
  ['GET', '/api/me/balance'],
  ['GET', '/api/me/stats'],
  ['POST', '/api/me/invite'],
  ['POST', '/api/signup'],
] as const;

/** Every endpoint: the customer ones and the public POST /api/clicks. */
export const ALL_ENDPOINTS = [...CUSTOMER_ENDPOINTS, ['POST', '/api/clicks']] as const;

import type { MiddlewareHandler } from 'hono';
import type { TokenRefusal } from '../../shared/widget-api';
import type { AppEnv } from '../hono-env';
import { ApiError } from '../errors';
import { log } from '../log';
import { verifyCustomerToken } from './verify-token';

const CHALLENGE = 'Bearer realm="referral-widget"';

const MESSAGES: Record<TokenRefusal, string> = {
  missing: 'A customer token is required (Authorization: Bearer <token>).',
  malformed: 'The customer token is not a well-formed HS256 JWT with sub, iat and exp.',
  bad_signature: 'The customer token is not signed with this worker\'s TOKEN_SECRET.',
  bad_audience: 'The customer token\'s aud is not this worker\'s TOKEN_AUDIENCE.',
  token_expired: 'The customer token has expired.',
  token_too_long_lived: 'The customer token lives longer than TOKEN_MAX_AGE_SECONDS allows.',
  not_yet_valid: 'The customer token is not valid yet (iat or nbf in the future: check the host\'s clock).',
};

function refuse(reason: TokenRefusal): ApiError {
  return new ApiError(401, reason === 'token_expired' ? 'token_expired' : 'unauthorized', MESSAGES[reason], {
    reason,
    headers: { 'WWW-Authenticate': reason === 'missing' ? CHALLENGE : `${CHALLENGE}, error="invalid_token"` },
  });
}

/**
 * Requires a valid customer token (`Authorization: Bearer <jwt>`) and sets `customerKey`
 * from its verified `sub` (plus `customerEmail` / `customerName` when those claims are
 * valid). Nothing else in a request can say who the customer is. Every refusal is a 401
 * with a machine-readable `reason`, logged the same way; `token_expired` (the error code
 * too) only for an otherwise valid token, so the widget renews rather than signs out.
 */
export function requireCustomer(): MiddlewareHandler<AppEnv> {
  return async function requireCustomer(c, next) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    if (!match?.[1]) throw refuse('missing');
    const { tokens } = c.var.config;
    const result = await verifyCustomerToken(match[1], { secrets: tokens.secrets, audience: tokens.audience, maxAgeSeconds: tokens.maxAgeSeconds });
    if (!result.ok) {
      log('info', 'customer token refused', { id: c.get('requestId'), reason: result.reason, detail: result.detail });
      throw refuse(result.reason);
    }
    c.set('customerKey', result.claims.customerKey);
    c.set('customerEmail', result.claims.email);
    c.set('customerName', result.claims.name);
    c.set('customerCreatedAt', result.claims.createdAt);
    await next();
  };
}

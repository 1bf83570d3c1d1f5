import type { MiddlewareHandler } from 'hono';
import { tokenAudience, tokenSecrets } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../api/errors';
import { log } from '../log';
import { intVar } from '../upstream';
import { verifyCustomerToken } from './verify-token';

const CHALLENGE = 'Bearer realm="referral-widget"';

/**
 * Requires a valid customer token (`Authorization: Bearer <jwt>`) and sets `customerKey`
 * from its verified `sub` (plus `customerEmail` / `customerName` when the claims are valid).
 * Nothing else in a request can say who the customer is. Every failure is 401 with
 * `unauthorized`, or `token_expired` for an expired but otherwise valid token; 503
 * not_configured when no secret is set outside demo mode.
 */
export function requireCustomer(): MiddlewareHandler<AppEnv> {
  return async function requireCustomer(c, next) {
    const secrets = tokenSecrets(c.env);
    if (secrets.length === 0) {
      log('error', 'TOKEN_SECRET is not set; customer tokens cannot be verified', { id: c.get('requestId') });
      throw new ApiError(503, 'not_configured', 'The referral widget is not configured on this server.');
    }
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError(401, 'unauthorized', 'A customer token is required (Authorization: Bearer <token>).', {
        headers: { 'WWW-Authenticate': CHALLENGE },
      });
    }
    const result = await verifyCustomerToken(match[1], {
      secrets,
      audience: tokenAudience(c.env),
      maxAgeSeconds: intVar(c.env.TOKEN_MAX_AGE_SECONDS, 3600, 1, 7 * 24 * 3600),
    });
    if (!result.ok) {
      log('info', 'customer token refused', { id: c.get('requestId'), reason: result.reason });
      const expired = result.code === 'token_expired';
      throw new ApiError(401, result.code, expired ? 'The customer token has expired.' : 'The customer token is invalid.', {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` },
      });
    }
    c.set('customerKey', result.claims.customerKey);
    c.set('customerEmail', result.claims.email);
    c.set('customerName', result.claims.name);
    await next();
  };
}

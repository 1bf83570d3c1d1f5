/**
 * The widget API under /api: what a browser may see and do for the customer in its token,
 * and nothing else (no credit, delete, archive, update or customer list).
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env';
import { requireCustomer } from '../auth/middleware';
import { bodyLimitFromEnv } from '../middleware/body-limit';
import { corsAllowList } from '../middleware/cors';
import { clientIp, rateLimit } from '../middleware/rate-limit';
import { balance } from './balance';
import { clicks } from './clicks';
import { ApiError } from './errors';
import { invite } from './invite';
import { me } from './me';
import { referrals } from './referrals';
import { signup } from './signup';
import { stats } from './stats';
import { transactions } from './transactions';

/** Every /api route and its methods: anything else is 404 or 405 before auth runs. */
export const API_ROUTES: Record<string, readonly string[]> = {
  '/me': ['GET'],
  '/me/referrals': ['GET'],
  '/me/transactions': ['GET'],
  '/me/balance': ['GET'],
  '/me/stats': ['GET'],
  '/me/invite': ['POST'],
  '/signup': ['POST'],
  '/clicks': ['POST'],
};

const NEEDS_CUSTOMER = new Set(Object.keys(API_ROUTES).filter((path) => path !== '/clicks'));

export const api = new Hono<AppEnv>();

api.use('*', async (c, next) => {
  await next();
  // Per-customer data: never stored by the browser or a shared cache.
  c.header('Cache-Control', 'private, no-store');
});
api.use('*', corsAllowList());
api.use(
  '*',
  secureHeaders({
    // A JSON API: nothing to render, frame or script.
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
  }),
);
// Before routing, so floods of unknown paths count against the caller's IP too.
api.use('*', rateLimit('RL_IP', (c) => `ip:${clientIp(c)}`));
api.use('*', async (c, next) => {
  const path = c.req.path.replace(/^\/api/, '') || '/';
  const methods = API_ROUTES[path];
  if (!methods) throw new ApiError(404, 'not_found', 'No such endpoint.');
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  if (!methods.includes(method)) {
    throw new ApiError(405, 'method_not_allowed', `Use ${methods.join(' or ')} for this endpoint.`, {
      headers: { Allow: [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ') },
    });
  }
  await next();
});
api.use('*', bodyLimitFromEnv());
api.use('*', async (c, next) => {
  const path = c.req.path.replace(/^\/api/, '');
  if (!NEEDS_CUSTOMER.has(path)) return next();
  return requireCustomer()(c, next);
});
api.use('*', async (c, next) => {
  // Reads are limited per customer generously; invite and signup more tightly in their handlers.
  if (c.req.method === 'GET') return rateLimit('RL_READ', (ctx) => `read:${ctx.get('customerKey')}`)(c, next);
  return next();
});

api.route('/me/referrals', referrals);
api.route('/me/transactions', transactions);
api.route('/me/balance', balance);
api.route('/me/stats', stats);
api.route('/me/invite', invite);
api.route('/me', me);
api.route('/signup', signup);
api.route('/clicks', clicks);

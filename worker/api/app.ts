/**
 * The widget API under /api: what a browser may see and do for the customer in its token,
 * and nothing else (no credit, delete, archive, update or customer list). This file is the
 * route table: every route, its guards and its handler, in Hono's own routes.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { requireCustomer } from '../auth/middleware';
import type { AppEnv } from '../hono-env';
import { limitBody } from '../middleware/body-limit';
import { corsAllowList, crossOriginResource, publicCors } from '../middleware/cors';
import { clientIp, rateLimit } from '../middleware/rate-limit';
import { clicks } from './clicks';
import { balance, referrals, stats, transactions } from './customer-data';
import { invite } from './invite';
import { me } from './me';
import { signup } from './signup';

const customer = requireCustomer();
// Reads are limited per customer generously; invite and signup more tightly in their handlers.
const readLimit = rateLimit('RL_READ', (c) => `read:${c.get('customerKey')}`);
const body = limitBody();

export const api = new Hono<AppEnv>();

api.use(async (c, next) => {
  await next();
  // Per-customer data: never stored by the browser or a shared cache.
  c.header('Cache-Control', 'private, no-store');
});
// Before secureHeaders, so the beacon's answers say cross-origin over its same-origin default.
api.use('/clicks', crossOriginResource());
api.use(
  secureHeaders({
    // A JSON API: nothing to render, frame or script. The headers that only concern pages
    // (old IE, Flash, DNS prefetch, agent clusters, openers) are left out: each one is a
    // header on every answer and protects nothing here.
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
);
// Before routing, so floods of unknown paths count against the caller's IP too.
api.use(rateLimit('RL_IP', (c) => `ip:${clientIp(c)}`));

// Public, called by attribution.js from landing pages of any origin: registered before the
// origin allow-list, which therefore never runs for it.
api.options('/clicks', publicCors());
api.post('/clicks', publicCors(), body, clicks);

api.use(corsAllowList());

api.get('/me', customer, readLimit, me);
api.get('/me/referrals', customer, readLimit, referrals);
api.get('/me/transactions', customer, readLimit, transactions);
api.get('/me/balance', customer, readLimit, balance);
api.get('/me/stats', customer, readLimit, stats);
api.post('/me/invite', customer, body, invite);
api.post('/signup', customer, body, signup);

/**
 * The example host sites (examples/express, examples/hono-worker) in Chromium on three
 * origins, as every real customer embeds the widget:
 *   http://www.example.test:H   the landing page (attribution.js, data-domain=example.test)
 *   http://app.example.test:H   the host app: login, signup, account page, /referral-token
 *   http://refer.example.test:W the referral worker (dev composition), ALLOWED_ORIGINS = the app
 * www and app are the same example server under two host names (two origins); Chromium maps
 * every *.example.test name to 127.0.0.1. The flows here are the same for both examples.
 */
import { expect } from 'vitest';
import { upstreamCustomer, upstreamStats } from './api';
import { eventually, failedResource, type E2E, type E2EOptions, type Tab } from './browser';
import { freePort } from './wrangler-process';

/** The cookie domain the landing page and the app share. */
export const COOKIE_DOMAIN = 'example.test';

export interface ThreeOrigins {
  hostPort: number;
  /** The host app's origin. */
  app: string;
  /** The landing page's origin (same server, another host name). */
  landing: string;
  /** useE2E options: a worker that allows the app's origin and links to the landing page. */
  e2e: E2EOptions;
}

/** Picks the host's port and the worker's settings for one test file. */
export async function threeOrigins(): Promise<ThreeOrigins> {
  const hostPort = await freePort();
  const app = `http://app.${COOKIE_DOMAIN}:${hostPort}`;
  const landing = `http://www.${COOKIE_DOMAIN}:${hostPort}`;
  return {
    hostPort,
    app,
    landing,
    e2e: {
      seed: true,
      chromiumArgs: [`--host-resolver-rules=MAP *.${COOKIE_DOMAIN} 127.0.0.1`],
      vars: { ALLOWED_ORIGINS: app, REFERRAL_LINK_BASE: `${landing}/` },
    },
  };
}

/** The worker as browsers reach it: its own origin, a third one. */
export function workerOrigin(e2e: E2E): string {
  return `http://refer.${COOKIE_DOMAIN}:${new URL(e2e.url).port}`;
}

/** Stats the widget shows ("1,234" → 1234). */
async function statValue(text: Promise<string>): Promise<number> {
  return Number((await text).replace(/[^\d]/g, ''));
}

/** Signs in on the example's login form and waits for the widget's first screen or error. */
export async function signIn(tab: Tab, app: string, email: string, password: string): Promise<void> {
  await tab.page.goto(`${app}/login`);
  await tab.page.getByLabel('Email').fill(email);
  await tab.page.getByLabel('Password').fill(password);
  await tab.page.getByRole('button', { name: 'Sign in' }).click();
  await tab.page.waitForURL(`${app}/account`);
}

/**
 * A friend lands on www with alice's link, signs up on app (the backend's signup hook sends
 * the cookie's referrer to POST /api/signup), gets their own widget, and alice's widget
 * counts one more referral.
 */
export async function referredSignup(e2e: E2E, origins: ThreeOrigins): Promise<void> {
  const before = await upstreamStats(e2e.url, 'alice');

  const friend = await e2e.open();
  const { page, context } = friend;
  await page.goto(`${origins.landing}/?ref=alice`);
  // attribution.js (from the worker's origin) stored the referrer for the parent domain and sent the click beacon.
  await eventually(async () => (await context.cookies(origins.app)).find((c) => c.name === 'partnero_referral')?.value).toBe('alice');
  const cookie = (await context.cookies(origins.app)).find((c) => c.name === 'partnero_referral');
  expect(cookie?.domain).toBe(`.${COOKIE_DOMAIN}`);
  await eventually(async () => (await upstreamStats(e2e.url, 'alice')).clicks).toBe(before.clicks + 1);

  await page.goto(`${origins.app}/signup`);
  await page.getByLabel('Email').fill('sam.friend@example.com');
  await page.getByLabel('Name').fill('Sam Friend');
  await page.getByLabel('Password').fill('secret');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${origins.app}/account`);
  expect(await page.getByTestId('notice').innerText()).toBe('Welcome! Referred by alice.');

  // The new customer's own widget: their referral link, which points at the landing page.
  const link = page.locator('#referrals').getByTestId('link');
  await link.waitFor();
  const href = new URL((await link.getAttribute('href')) ?? '');
  expect(href.origin).toBe(origins.landing);
  const friendKey = href.searchParams.get('ref') ?? '';
  expect(friendKey).toMatch(/^u-/);
  expect((await upstreamCustomer(e2e.url, friendKey))?.referring_customer?.key).toBe('alice');
  expect((await upstreamStats(e2e.url, 'alice')).referrals).toBe(before.referrals + 1);

  // Alice, signed in on the host, sees the new referral in her widget.
  const alice = await e2e.open();
  await signIn(alice, origins.app, 'alice@example.com', 'alice');
  const referrals = alice.page.locator('#referrals').getByTestId('referrals');
  await referrals.waitFor();
  expect(await statValue(referrals.innerText())).toBe(before.referrals + 1);
  expect(alice.responses.filter((r) => new URL(r.url).pathname === '/api/me').map((r) => r.status)).toEqual([200]);
}

/**
 * Dana has an account on the host but is not in the referral program: the widget's
 * GET /api/me answers 404 not_enrolled. Resolves with her signed-in tab.
 */
export async function notEnrolledCustomer(e2e: E2E, origins: ThreeOrigins): Promise<Tab> {
  expect(await upstreamCustomer(e2e.url, 'dana')).toBeNull();
  const tab = await e2e.open();
  tab.allowConsoleErrors(failedResource(404));
  const answer = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me' && r.request().method() === 'GET');
  await signIn(tab, origins.app, 'dana@example.com', 'dana');
  const me = await answer;
  expect(me.status()).toBe(404);
  expect(((await me.json()) as { error: { code: string } }).error.code).toBe('not_enrolled');
  return tab;
}

/**
 * Why the join flow cannot run yet, or null when it can. It needs two pieces built beside
 * this branch for issue 12: the worker's POST /api/enrol and the widget's join invitation.
 * Probes without a token, so nothing is created: 404 = no such route, 401 = it is there.
 * TODO(issue 12): remove this guard and its callers' skip once both have landed on main.
 */
export async function joinFlowMissing(e2e: E2E): Promise<string | null> {
  const missing: string[] = [];
  const enrol = await fetch(`${e2e.url}/api/enrol`, { method: 'POST' });
  await enrol.body?.cancel();
  if (enrol.status === 404) missing.push('the worker has no POST /api/enrol yet (404)');
  const widget = await (await fetch(`${e2e.url}/widget.js`)).text();
  if (!widget.includes('/enrol')) missing.push('widget.js has no join invitation yet (it never calls /api/enrol)');
  return missing.length > 0 ? `join flow skipped: ${missing.join('; ')}` : null;
}

/** Dana joins from the widget's invitation: one customer created, and her widget shows her link. */
export async function joinFromWidget(e2e: E2E, tab: Tab): Promise<void> {
  const widget = tab.page.locator('#referrals');
  const join = widget.getByRole('button', { name: /join/i });
  await join.waitFor();
  const enrolled = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/enrol' && r.request().method() === 'POST');
  await join.click();
  expect((await enrolled).status()).toBe(201);
  const link = widget.getByTestId('link');
  await link.waitFor();
  expect(new URL((await link.getAttribute('href')) ?? '').searchParams.get('ref')).toBe('dana');
  expect((await upstreamCustomer(e2e.url, 'dana'))?.key).toBe('dana');

  // Back on the page later: no invitation, the link at once.
  await tab.page.reload();
  await widget.getByTestId('link').waitFor();
  expect(await widget.getByRole('button', { name: /join/i }).count()).toBe(0);
}

/**
 * The example's token endpoint: the signed-in customer's token (sub, created_at from the user
 * record, a lifetime the worker accepts), never cached; 401 when signed out.
 */
export async function tokenEndpoint(e2e: E2E, origins: ThreeOrigins): Promise<void> {
  // Fetched by the page itself, as the widget does: the browser resolves *.example.test, Node does not.
  const fetchToken = (tab: Tab) =>
    tab.page.evaluate(async () => {
      const res = await fetch('/referral-token');
      return { status: res.status, cacheControl: res.headers.get('Cache-Control'), body: await res.text() };
    });
  const signedOut = await e2e.open();
  signedOut.allowConsoleErrors(failedResource(401));
  await signedOut.page.goto(`${origins.app}/login`);
  expect(await fetchToken(signedOut)).toMatchObject({ status: 401, cacheControl: 'private, no-store' });

  const alice = await e2e.open();
  await signIn(alice, origins.app, 'alice@example.com', 'alice');
  const res = await fetchToken(alice);
  expect(res).toMatchObject({ status: 200, cacheControl: 'private, no-store' });
  const { token } = JSON.parse(res.body) as { token: string };
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({ sub: 'alice', aud: 'referral-widget', email: 'alice@example.com', created_at: 1746090000 });
  expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
}

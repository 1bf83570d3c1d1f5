/**
 * What a signed-in customer does with the widget in a real browser: copy the link (real
 * clipboard), share it (links, new tab without an opener), open the lazily loaded QR code,
 * and invite friends by email up to the rate limit.
 */
import { describe, expect, it } from 'vitest';
import { createCustomer, uniqueKey } from './api';
import { eventually, failedResource, focusedInWidget, useE2E, widgetEvents, type Tab } from './browser';

const e2e = useE2E({ seed: true });

/** Opens the demo account page of `customer` and waits until the referral link is shown. */
async function openAccount(tab: Tab, customer: string) {
  await tab.page.goto(`${e2e.url}/demo/account.html?customer=${encodeURIComponent(customer)}&theme=light`);
  const widget = tab.page.locator('#widget');
  await widget.getByTestId('link').waitFor();
  return widget;
}

/** A customer of its own, so rate limits and invites of one test never touch another. */
async function freshCustomer(prefix: string): Promise<string> {
  const key = uniqueKey(prefix);
  await createCustomer(e2e.url, { key, email: `${key}@example.com`, name: 'Test', surname: 'Referrer' });
  return key;
}

const RATE_LIMIT_PERIOD_MS = 60_000;
const rateLimitWindow = () => Math.floor(Date.now() / RATE_LIMIT_PERIOD_MS);

/**
 * wrangler dev's rate limiter counts in windows aligned to the wall clock (a new one every
 * whole minute). A burst that straddled two windows would never be refused, so when less
 * than 20 s of the current window are left, this waits for the next one to begin (a bounded
 * wait for a clock condition, at most 20 s). Returns the window the burst runs in.
 */
async function startEarlyInRateLimitWindow(): Promise<number> {
  const left = RATE_LIMIT_PERIOD_MS - (Date.now() % RATE_LIMIT_PERIOD_MS);
  if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return rateLimitWindow();
}

describe('copy', () => {
  it('copies the link to the clipboard, says "Link copied" and fires referral:copied', async () => {
    const tab = await e2e.open({ clipboard: true });
    const widget = await openAccount(tab, 'alice');
    const link = await widget.getByTestId('link').getAttribute('href');
    expect(link).toMatch(/^https?:\/\/.+\?ref=alice$/);

    await widget.getByTestId('copy').click();
    expect(await tab.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await eventually(() => widget.getByTestId('live').textContent()).toBe('Link copied');
    expect(await widget.getByTestId('copy').innerText()).toBe('Link copied');
    expect(await widgetEvents(tab.page)).toEqual([{ type: 'referral:copied', detail: { url: link }, target: 'widget' }]);
  });
});

describe('share', () => {
  const NETWORKS = ['x', 'facebook', 'linkedin', 'whatsapp', 'telegram', 'email'] as const;
  const PREFIXES: Record<(typeof NETWORKS)[number], string> = {
    x: 'https://x.com/',
    facebook: 'https://www.facebook.com/',
    linkedin: 'https://www.linkedin.com/',
    whatsapp: 'https://wa.me/',
    telegram: 'https://t.me/',
    email: 'mailto:',
  };

  it('links every network to the encoded referral link, in a new tab without an opener', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, 'alice');
    const link = (await widget.getByTestId('link').getAttribute('href'))!;
    for (const network of NETWORKS) {
      const share = widget.getByTestId(`share-${network}`);
      const href = (await share.getAttribute('href'))!;
      expect(href.startsWith(PREFIXES[network]), `${network}: ${href}`).toBe(true);
      expect(href, network).toContain(encodeURIComponent(link));
      // The raw link (with its unencoded "?" and "=") never appears inside the share URL.
      expect(href, network).not.toContain(link);
      expect((await share.getAttribute('rel'))?.split(/\s+/), network).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
      expect(await share.getAttribute('target'), network).toBe(network === 'email' ? null : '_blank');
    }
  });

  it('opens a share page in a new tab with no window.opener and fires referral:shared', async () => {
    const tab = await e2e.open();
    // No internet: the share sites answer from here.
    await tab.context.route(/^https:\/\/(x\.com|www\.facebook\.com|www\.linkedin\.com|wa\.me|t\.me)\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>share</title><p>shared' }),
    );
    const widget = await openAccount(tab, 'alice');
    const link = (await widget.getByTestId('link').getAttribute('href'))!;

    for (const network of ['x', 'telegram'] as const) {
      const [popup] = await Promise.all([tab.context.waitForEvent('page'), widget.getByTestId(`share-${network}`).click()]);
      await popup.waitForLoadState('domcontentloaded');
      expect(popup.url().startsWith(PREFIXES[network])).toBe(true);
      expect(decodeURIComponent(popup.url())).toContain(link);
      expect(await popup.evaluate(() => window.opener)).toBeNull();
      await popup.close();
    }
    expect(tab.page.url()).toContain('/demo/account');
    expect(await widgetEvents(tab.page)).toEqual([
      { type: 'referral:shared', detail: { network: 'x' }, target: 'widget' },
      { type: 'referral:shared', detail: { network: 'telegram' }, target: 'widget' },
    ]);
  });
});

describe('QR code', () => {
  it('fetches chunks/qr.js only when the QR section is opened, then shows an SVG', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, 'alice');
    const qrRequests = () => tab.requests.filter((url) => new URL(url).pathname === '/chunks/qr.js');
    // The first screen is complete (link, stats, lists' summaries) without the QR chunk.
    await widget.getByTestId('referrals').waitFor();
    expect(qrRequests()).toEqual([]);
    expect(await widget.getByTestId('qr').count()).toBe(0);

    await widget.getByTestId('qr-section').locator('summary').click();
    const qr = widget.getByTestId('qr');
    await qr.waitFor();
    expect(qrRequests()).toHaveLength(1);
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect(await qr.getAttribute('role')).toBe('img');
    expect((await qr.getAttribute('aria-label'))?.length).toBeGreaterThan(0);
    expect((await qr.locator('path').getAttribute('d'))?.length).toBeGreaterThan(100);
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThan(100);

    // Closing and opening again reuses the loaded chunk.
    await widget.getByTestId('qr-section').locator('summary').click();
    await widget.getByTestId('qr-section').locator('summary').click();
    await qr.waitFor();
    expect(qrRequests()).toHaveLength(1);
  });
});

describe('invite', () => {
  it('refuses a malformed address in the browser, without a request', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, await freshCustomer('inviter'));
    const email = widget.getByTestId('invite-email');
    await email.fill('not-an-address');
    await widget.getByTestId('invite-submit').click();
    const error = widget.getByTestId('invite-error');
    await error.waitFor();
    expect(await error.innerText()).toBe('Enter a valid email address, like name@example.com.');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await focusedInWidget(widget)).toBe('invite-email');
    expect(tab.requests.some((url) => url.endsWith('/api/me/invite'))).toBe(false);
    expect(await widgetEvents(tab.page)).toEqual([]);
  });

  it('refuses the customer\'s own address with the server\'s answer', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(422));
    const customer = await freshCustomer('self');
    const widget = await openAccount(tab, customer);
    await widget.getByTestId('invite-email').fill(`${customer}@example.com`);
    await widget.getByTestId('invite-submit').click();
    const error = widget.getByTestId('invite-error');
    await error.waitFor();
    // The worker refuses with 422 (its field message says "own email address"); the widget
    // must say so, not claim the address is malformed.
    expect(await error.innerText()).toBe('That is your own email address. Invite a friend instead.');
    expect(await widget.getByTestId('invite-email').getAttribute('aria-invalid')).toBe('true');
  });

  it('sends an invitation, then explains the rate limit after ten', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(429));
    const widget = await openAccount(tab, await freshCustomer('inviter'));
    const sent = widget.getByTestId('invite-sent');

    // RL_WRITE allows 10 invitations a minute per customer, counted in wall-clock minutes.
    const minute = await startEarlyInRateLimitWindow();
    const invited: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const friend = `friend${i}-${uniqueKey('x')}@example.com`;
      await widget.getByTestId('invite-email').fill(friend);
      if (i === 1) await widget.getByTestId('invite-name').fill('Pat Friend');
      await widget.getByTestId('invite-submit').click();
      await eventually(() => sent.textContent()).toBe(`Invitation sent to ${friend}.`);
      invited.push(friend);
      if (i === 1) {
        // The form is cleared for the next friend and the confirmation announced.
        expect(await widget.getByTestId('invite-email').inputValue()).toBe('');
        expect(await widget.getByTestId('invite-name').inputValue()).toBe('');
        await eventually(() => widget.getByTestId('live').textContent()).toBe(`Invitation sent to ${friend}.`);
      }
    }
    const events = await widgetEvents(tab.page);
    expect(events).toEqual(invited.map((email) => ({ type: 'referral:invited', detail: { email }, target: 'widget' })));

    await widget.getByTestId('invite-email').fill(`one-too-many-${uniqueKey('x')}@example.com`);
    await widget.getByTestId('invite-submit').click();
    const error = widget.getByTestId('invite-error');
    await error.waitFor();
    expect(rateLimitWindow(), 'the burst must fit in one rate-limit window').toBe(minute);
    expect(await error.innerText()).toMatch(/^You have sent a lot of invitations\. Try again in \d+ (seconds?|minutes?)\.$/);
    expect(await sent.count()).toBe(0);
    // Not the address's fault: the field is not marked invalid, and the text stays for a retry.
    expect(await widget.getByTestId('invite-email').getAttribute('aria-invalid')).toBe('false');
    expect(await widget.getByTestId('invite-email').inputValue()).toMatch(/^one-too-many-/);
    const last = (await widgetEvents(tab.page)).at(-1);
    expect(last).toMatchObject({ type: 'referral:error', detail: { code: 'rate_limited' }, target: 'widget' });
  });
});

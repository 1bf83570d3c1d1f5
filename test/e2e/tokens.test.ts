/**
 * Customer tokens in a real browser: an expired token is renewed once through the token
 * URL (or the ESM `getToken` callback) and the widget renders; with no way to renew, or a
 * renewal that is refused too, it shows the signed-out state and stops asking.
 */
import { describe, expect, it } from 'vitest';
import { expiredToken } from './api';
import { eventually, failedResource, hostHtml, openHostPage, useE2E, widgetEvents, type Tab } from './browser';

const e2e = useE2E({ seed: true });

const path = (url: string) => new URL(url).pathname;
/** Statuses of the widget's `GET /api/me` answers, in order. */
const meStatuses = (tab: Tab) => tab.responses.filter((r) => path(r.url) === '/api/me').map((r) => r.status);
const tokenFetches = (tab: Tab) => tab.requests.filter((url) => path(url) === '/demo/token');

describe('token expiry and renewal', () => {
  it('renews an expired data-token once through data-token-url, then renders', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(401));
    const expired = await expiredToken('alice');
    await openHostPage(
      tab,
      e2e.url,
      hostHtml(`<div id="w"></div>
        <script src="/widget.js" data-token="${expired}" data-token-url="/demo/token?customer=alice" data-target="#w" data-theme="light"></script>`),
    );
    const widget = tab.page.locator('#w');
    await widget.getByTestId('link').waitFor();
    expect(await widget.getByTestId('link').getAttribute('href')).toMatch(/\?ref=alice$/);
    expect(meStatuses(tab)).toEqual([401, 200]);
    expect(tokenFetches(tab)).toHaveLength(1);
    expect(await widget.getByTestId('signed-out').count()).toBe(0);
    expect(await widgetEvents(tab.page)).toEqual([]);
  });

  it('renews through the ES module\'s getToken callback', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(401));
    const expired = await expiredToken('bob');
    await openHostPage(
      tab,
      e2e.url,
      hostHtml(`<div id="w"></div>
        <script type="module">
          import { mount } from '/widget.esm.js';
          window.tokenCalls = 0;
          mount(document.getElementById('w'), {
            token: ${JSON.stringify(expired)},
            theme: 'light',
            getToken: async () => {
              window.tokenCalls++;
              return (await (await fetch('/demo/token?customer=bob')).json()).token;
            },
          });
        </script>`),
    );
    const widget = tab.page.locator('#w');
    await widget.getByTestId('link').waitFor();
    expect(await widget.getByTestId('link').getAttribute('href')).toMatch(/\?ref=bob$/);
    expect(await tab.page.evaluate(() => (window as unknown as { tokenCalls: number }).tokenCalls)).toBe(1);
    expect(meStatuses(tab)).toEqual([401, 200]);
  });

  it('shows signed-out when the renewed token is expired too, after exactly one renewal', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(401));
    // The demo page's token URL with ttl=0 only ever hands out expired tokens.
    await tab.page.goto(`${e2e.url}/demo/account.html?customer=alice&ttl=0`);
    const widget = tab.page.locator('#widget');
    const out = widget.getByTestId('signed-out');
    await out.waitFor();
    expect(await out.innerText()).toContain('You are signed out.');
    expect(await widget.getByTestId('retry').isVisible()).toBe(true);
    expect(await widget.getByTestId('link').count()).toBe(0);
    // First token, 401, one renewal, 401: then it stops.
    expect(tokenFetches(tab)).toHaveLength(2);
    expect(meStatuses(tab)).toEqual([401, 401]);
    await eventually(() => widget.getByTestId('live').textContent()).toContain('You are signed out.');
    expect(await widgetEvents(tab.page)).toEqual([
      // ttl=0 tokens are issued already expired.
      { type: 'referral:error', detail: { code: 'token_expired', message: expect.stringContaining('signed out') }, target: 'widget' },
    ]);
  });

  it('shows signed-out for an expired static token with no token URL, and "Try again" asks once more', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(401));
    const expired = await expiredToken('alice');
    await openHostPage(tab, e2e.url, hostHtml(`<div id="w"></div><script src="/widget.js" data-token="${expired}" data-target="#w"></script>`));
    const widget = tab.page.locator('#w');
    await widget.getByTestId('signed-out').waitFor();
    expect(meStatuses(tab)).toEqual([401]);
    expect(tokenFetches(tab)).toEqual([]);

    await widget.getByTestId('retry').click();
    await eventually(() => meStatuses(tab)).toEqual([401, 401]);
    await widget.getByTestId('signed-out').waitFor();
    expect(await widget.getByTestId('link').count()).toBe(0);
  });
});

/**
 * Hostile values in a real browser: names from the API are text, never markup, and a
 * referral link that is not http(s) is never a link. The fixture fails any test during
 * which a dialog (`alert(1)`) opened.
 */
import type { Locator, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CustomerState, MeResponse, Paged, ReferralItem, ReferralStage } from '../../shared/widget-api';
import { createCustomer, purchase, uniqueKey } from './api';
import { useE2E, type Tab } from './browser';

const e2e = useE2E({ seed: true });

const IMG = '<img src=x onerror=alert(1)>';
/** The same, without spaces: survives the API's "first name + initial" reduction whole. */
const IMG_ONE_WORD = '<img/src/onerror=alert(1)>';

/** Elements no API value may ever turn into (the QR code's SVG is not opened in these tests). */
function markupInWidget(widget: Locator): Promise<string[]> {
  return widget.evaluate((host) =>
    Array.from(host.shadowRoot!.querySelectorAll('img, svg, script, iframe, object, embed, b'), (el) => el.outerHTML),
  );
}

async function openList(widget: Locator, testid: 'rw-referrals' | 'rw-transactions'): Promise<Locator> {
  const list = widget.getByTestId(testid);
  await list.locator('summary').click();
  const rows = list.locator('tbody tr');
  await rows.first().waitFor();
  return rows;
}

describe('names from the API', () => {
  it('render a friend named <img src=x onerror=alert(1)> as text, in referrals and reward history', async () => {
    const referrer = uniqueKey('xss-ref');
    await createCustomer(e2e.url, { key: referrer, email: `${referrer}@example.com`, name: IMG, surname: '<script>alert(3)</script>' });
    const friend = uniqueKey('xss-friend');
    await createCustomer(e2e.url, { key: friend, email: `${friend}@example.com`, name: IMG, surname: '<svg onload=alert(2)>', referrer });
    const other = uniqueKey('xss-other');
    await createCustomer(e2e.url, { key: other, email: `${other}@example.com`, name: IMG_ONE_WORD, referrer });
    await purchase(e2e.url, friend, 20);
    await purchase(e2e.url, other, 30);

    const tab = await e2e.open();
    await tab.page.goto(`${e2e.url}/demo/account.html?customer=${referrer}&theme=light`);
    const widget = tab.page.locator('#widget');
    await widget.getByTestId('link').waitFor();

    const referrals = await openList(widget, 'rw-referrals');
    const names = await referrals.locator('td:first-child').allTextContents();
    // The API reduces names to first word + initial; whatever is left arrives as text.
    expect(names.sort()).toEqual(['<img <.', IMG_ONE_WORD].sort());
    const transactions = await openList(widget, 'rw-transactions');
    expect((await transactions.locator('td:nth-child(2)').allTextContents()).sort()).toEqual(['<img <.', IMG_ONE_WORD].sort());

    expect(await markupInWidget(widget)).toEqual([]);
    expect(await tab.page.locator('img').count()).toBe(0);
  });
});

describe('hostile values served as the API (routed)', () => {
  function me(link: string): MeResponse {
    return {
      customer: { key: 'alice', name: IMG, email: 'alice@example.com', status: 'active' },
      referral_link: link,
      referral_links: [{ key: 'alice', url: link, default: true }],
      stats: { clicks: 3, referrals: 1, active_referrals: 1 },
      balance: [{ amount: 5, currency: '<img src=x onerror=alert(4)>', is_currency: false }],
      offer: { headline: IMG, referrer_reward: null, friend_reward: null },
      invites: { per_day: 20, remaining_today: 20 },
      stale: false,
      fetched_at: new Date().toISOString(),
    };
  }
  const json = (route: Route, body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

  async function openWithLink(tab: Tab, link: string): Promise<Locator> {
    await tab.page.route((url) => url.pathname === '/api/me', (route) => json(route, me(link)));
    await tab.page.goto(`${e2e.url}/demo/account.html?customer=alice&theme=light`);
    const widget = tab.page.locator('#widget');
    await widget.getByTestId('link-section').waitFor();
    return widget;
  }

  const LINKS = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    '  javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/?ref=alice',
  ];

  for (const link of LINKS) {
    it(`shows the referral link ${JSON.stringify(link)} as plain text, with nothing to click`, async () => {
      const tab = await e2e.open();
      const widget = await openWithLink(tab, link);
      const shown = widget.getByTestId('link');
      expect(await shown.evaluate((el) => el.tagName)).toBe('P');
      expect(await shown.textContent()).toBe(link);
      expect(await widget.evaluate((host) => host.shadowRoot!.querySelectorAll('a, [href], [src], [onerror], [onclick]').length)).toBe(0);
      // No copy, share or QR for a link that is not http(s).
      for (const testid of ['copy', 'share-section', 'qr-section']) expect(await widget.getByTestId(testid).count(), testid).toBe(0);
      // The rest of the widget still works, and shows the hostile unit as text.
      expect(await widget.getByTestId('clicks').textContent()).toBe('3');
      expect(await widget.getByTestId('balance').locator('dd').textContent()).toBe('5 <img src=x onerror=alert(4)>');

      // Clicking and pressing keys around it does nothing.
      const before = tab.page.url();
      await shown.click();
      await shown.dblclick();
      await tab.page.keyboard.press('Enter');
      await widget.getByTestId('root').locator('h2').click();
      await tab.page.keyboard.press('Tab');
      await tab.page.keyboard.press('Enter');
      expect(tab.page.url()).toBe(before);
      expect(tab.context.pages()).toHaveLength(1);
      expect(await markupInWidget(widget)).toEqual([]);
    });
  }

  it('renders list fields that carry markup as text', async () => {
    const tab = await e2e.open();
    const referral: ReferralItem = {
      name: IMG,
      email: '"><svg onload=alert(1)>',
      // Never sent by the API; the widget must still render whatever arrives as text.
      status: '<b onmouseover=alert(1)>active</b>' as CustomerState,
      stage: '<i>rewarded</i>' as ReferralStage,
      created_at: 'javascript:alert(1)',
    };
    const page: Paged<ReferralItem> = { items: [referral], page: 1, per_page: 10, total: 1, last_page: 1 };
    await tab.page.route((url) => url.pathname === '/api/me/referrals', (route) => json(route, page));
    const widget = await openWithLink(tab, 'https://shop.example/?ref=alice');
    // An http(s) link is a real link with the usual controls.
    expect(await widget.getByTestId('link').evaluate((el) => el.tagName)).toBe('A');
    expect(await widget.getByTestId('link').getAttribute('href')).toBe('https://shop.example/?ref=alice');

    const rows = await openList(widget, 'rw-referrals');
    expect(await rows.locator('td').allTextContents()).toEqual([IMG, '"><svg onload=alert(1)>', '<b onmouseover=alert(1)>active</b>', '']);
    await rows.locator('td').nth(2).hover();
    expect(await markupInWidget(widget)).toEqual([]);
  });
});

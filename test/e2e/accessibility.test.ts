/**
 * Accessibility in a real browser: axe-core (which walks open shadow roots) finds no
 * violation on the demo account page in light and dark, in every state of the widget;
 * and the widget works from the keyboard alone, with a visible focus ring.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { clearFault, createCustomer, setFault, uniqueKey } from './api';
import { computedStyle, eventually, failedResource, focusedInWidget, useE2E, widgetEvents, type Tab } from './browser';
import { ROOT } from './harness';

const e2e = useE2E({ seed: true });
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

afterEach(async () => {
  await clearFault(e2e.url);
});

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Runs axe on the whole document (shadow roots included) and lists its violations, readably. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(n.target)}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
  );
}

async function openAccount(tab: Tab, query: string): Promise<Locator> {
  await tab.page.goto(`${e2e.url}/demo/account.html?${query}`);
  return tab.page.locator('#widget');
}

async function freshCustomer(): Promise<string> {
  const key = uniqueKey('a11y');
  await createCustomer(e2e.url, { key, email: `${key}@example.com`, name: 'Ada', surname: 'Lovelace' });
  return key;
}

describe('axe-core', () => {
  it('looks inside the widget\'s shadow root (a nameless button planted there is reported)', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, 'customer=alice&theme=light');
    await widget.getByTestId('link').waitFor();
    await widget.evaluate((host) => {
      const planted = document.createElement('button');
      planted.id = 'planted';
      host.shadowRoot!.querySelector('[data-testid=root]')!.append(planted);
    });
    const violations = await axeViolations(tab.page);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^button-name .*\[\["#widget","#planted"\]\]/);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`finds no violation in the full widget (${theme}): QR, lists, an invalid invite field`, async () => {
      const tab = await e2e.open();
      const widget = await openAccount(tab, `customer=alice&theme=${theme}`);
      await widget.getByTestId('link').waitFor();
      await widget.getByTestId('qr-section').locator('summary').click();
      await widget.getByTestId('qr').waitFor();
      for (const list of ['rw-referrals', 'rw-transactions']) {
        await widget.getByTestId(list).locator('summary').click();
        await widget.getByTestId(list).locator('tbody tr').first().waitFor();
      }
      await widget.getByTestId('invite-email').fill('not-an-address');
      await widget.getByTestId('invite-submit').click();
      await widget.getByTestId('invite-error').waitFor();
      expect(await axeViolations(tab.page)).toEqual([]);
    });

    it(`finds no violation in the empty and error states (${theme})`, async () => {
      const tab = await e2e.open();
      tab.allowConsoleErrors(failedResource(503), failedResource(502), failedResource(504));
      const widget = await openAccount(tab, `customer=${await freshCustomer()}&theme=${theme}`);
      await widget.getByTestId('empty').waitFor();
      expect(await axeViolations(tab.page)).toEqual([]);

      // Never loaded, so nothing cached: the fault shows the error state.
      const unlucky = await freshCustomer();
      await setFault(e2e.url, { status: 503 });
      const failing = await openAccount(tab, `customer=${unlucky}&theme=${theme}`);
      await failing.getByTestId('error').waitFor();
      expect(await axeViolations(tab.page)).toEqual([]);
    });
  }

  it('finds no violation when signed out, in Arabic, and in auto theme with a dark system preference', async () => {
    const tab = await e2e.open({ colorScheme: 'dark' });
    tab.allowConsoleErrors(failedResource(401));
    const out = await openAccount(tab, 'customer=alice&theme=light&ttl=0');
    await out.getByTestId('signed-out').waitFor();
    expect(await axeViolations(tab.page)).toEqual([]);

    const ar = await openAccount(tab, 'customer=alice&theme=dark&locale=ar');
    await ar.getByTestId('link').waitFor();
    expect(await ar.getByTestId('root').getAttribute('dir')).toBe('rtl');
    expect(await axeViolations(tab.page)).toEqual([]);

    const auto = await openAccount(tab, 'customer=alice&theme=auto');
    await auto.getByTestId('link').waitFor();
    // prefers-color-scheme: dark reached the widget: its background is dark.
    expect((await computedStyle(auto.getByTestId('root'), ['background-color']))['background-color']).toBe('rgb(22, 24, 29)');
    expect(await axeViolations(tab.page)).toEqual([]);
  });
});

describe('keyboard', () => {
  /** Presses Tab until `testid` has focus inside the widget (at most `max` times); returns the path. */
  async function tabTo(page: Page, widget: Locator, testid: string, max = 40): Promise<string[]> {
    const path: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const now = await focusedInWidget(widget);
      path.push(now);
      if (now === testid) return path;
    }
    throw new Error(`focus never reached ${testid}; it went ${path.join(' → ')}`);
  }

  it('tabs through link, copy, share, QR, invite and lists in order, with a visible focus ring', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, 'customer=alice&theme=light');
    await widget.getByTestId('link').waitFor();

    // From the host page's last control before the widget (the view form's button).
    await tab.page.locator('[data-testid=view-form] button').focus();
    const path = await tabTo(tab.page, widget, 'invite-submit');
    expect(path.filter((p) => p !== 'outside')).toEqual([
      'link',
      'copy',
      'share-x',
      'share-facebook',
      'share-linkedin',
      'share-whatsapp',
      'share-telegram',
      'share-email',
      'tag:summary',
      'invite-email',
      'invite-name',
      'invite-submit',
    ]);
    // Nothing of the widget was skipped on the way in: focus entered at the link.
    expect(path[0]).toBe('link');

    // Every control shows a ring when reached by keyboard.
    for (const testid of ['link', 'copy', 'share-x', 'invite-email', 'invite-submit']) {
      const el = widget.getByTestId(testid);
      await el.focus();
      const ring = await el.evaluate((node) => {
        const s = getComputedStyle(node);
        return { visible: node.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
      });
      expect(ring.visible, testid).toBe(true);
      expect(ring.outline !== 'none' && ring.width >= 2 ? 'outline' : ring.shadow !== 'none' ? 'shadow' : 'none', testid).not.toBe('none');
    }

    // Past the invite form: the two lists' summaries, then out of the widget.
    await widget.getByTestId('invite-submit').focus();
    const rest: string[] = [];
    for (let i = 0; i < 3; i++) {
      await tab.page.keyboard.press('Tab');
      rest.push(await focusedInWidget(widget));
    }
    expect(rest).toEqual(['tag:summary', 'tag:summary', 'outside']);
  });

  it('Enter and Space on the copy button copy the link', async () => {
    const tab = await e2e.open({ clipboard: true });
    const widget = await openAccount(tab, 'customer=alice&theme=light');
    await widget.getByTestId('link').waitFor();
    const link = await widget.getByTestId('link').getAttribute('href');
    await tab.page.evaluate(() => navigator.clipboard.writeText('nothing yet'));

    await widget.getByTestId('copy').focus();
    await tab.page.keyboard.press('Enter');
    await eventually(async () => (await widgetEvents(tab.page)).length).toBe(1);
    expect(await tab.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await eventually(() => widget.getByTestId('live').textContent()).toBe('Link copied');

    await tab.page.evaluate(() => navigator.clipboard.writeText('cleared'));
    await tab.page.keyboard.press('Space');
    await eventually(async () => (await widgetEvents(tab.page)).length).toBe(2);
    expect(await tab.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // Announced again although the text is the same (an invisible variation).
    expect((await widget.getByTestId('live').textContent())?.trim()).toBe('Link copied');
    // Focus stayed on the button for the next action.
    expect(await focusedInWidget(widget)).toBe('copy');
    expect((await widgetEvents(tab.page)).map((e) => e.type)).toEqual(['referral:copied', 'referral:copied']);
  });

  it('opens the lists with Enter and submits the invite form from the keyboard', async () => {
    const tab = await e2e.open();
    const widget = await openAccount(tab, `customer=${await freshCustomer()}&theme=light`);
    await widget.getByTestId('link').waitFor();

    await widget.getByTestId('qr-section').locator('summary').focus();
    await tab.page.keyboard.press('Enter');
    await widget.getByTestId('qr').waitFor();

    await widget.getByTestId('invite-email').focus();
    await tab.page.keyboard.type('keyboard-friend@example.com');
    await tab.page.keyboard.press('Tab');
    expect(await focusedInWidget(widget)).toBe('invite-name');
    await tab.page.keyboard.type('Kay Board');
    await tab.page.keyboard.press('Enter');
    await eventually(() => widget.getByTestId('invite-sent').textContent()).toBe('Invitation sent to keyboard-friend@example.com.');
    expect(await widgetEvents(tab.page)).toEqual([{ type: 'referral:invited', detail: { email: 'keyboard-friend@example.com' }, target: 'widget' }]);
  });
});

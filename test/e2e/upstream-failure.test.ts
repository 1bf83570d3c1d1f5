/**
 * The widget when Partnero (here the local API with an injected fault) fails: an error
 * state with "Try again" that recovers once upstream is back, and cached data served with
 * a stale notice once the cache's fresh lifetime (1 s in this file) has passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clearFault, createCustomer, demoToken, fetchMe, setFault, uniqueKey } from './api';
import { eventually, failedResource, focusedInWidget, useE2E, widgetEvents, type Tab } from './browser';

const e2e = useE2E({ seed: true, vars: { ME_CACHE_TTL_SECONDS: '1' } });

afterEach(async () => {
  await clearFault(e2e.url);
});

/** A customer no other test has loaded, so nothing of it is cached. */
async function freshCustomer(): Promise<string> {
  const key = uniqueKey('upstream');
  await createCustomer(e2e.url, { key, email: `${key}@example.com`, name: 'Uma', surname: 'Stream' });
  return key;
}

function openAccount(tab: Tab, customer: string) {
  return tab.page.goto(`${e2e.url}/demo/account.html?customer=${encodeURIComponent(customer)}&theme=light`);
}

describe('upstream failure', () => {
  it('shows the error state with a retry button, and "Try again" recovers once upstream is back', async () => {
    const tab = await e2e.open();
    tab.allowConsoleErrors(failedResource(503), failedResource(502), failedResource(504));
    const customer = await freshCustomer();
    await setFault(e2e.url, { status: 503 });

    await openAccount(tab, customer);
    const widget = tab.page.locator('#widget');
    const error = widget.getByTestId('error');
    await error.waitFor();
    expect(await error.innerText()).toContain('We could not load your referral rewards.');
    expect(await widget.getByTestId('link').count()).toBe(0);
    await eventually(() => widget.getByTestId('live').textContent()).toBe('We could not load your referral rewards.');
    const [event] = await widgetEvents(tab.page);
    expect(event).toMatchObject({ type: 'referral:error', detail: { code: expect.stringMatching(/^upstream_/) }, target: 'widget' });

    await clearFault(e2e.url);
    await widget.getByTestId('retry').click();
    await widget.getByTestId('link').waitFor();
    expect(await widget.getByTestId('link').getAttribute('href')).toMatch(new RegExp(`\\?ref=${customer}$`));
    expect(await widget.getByTestId('error').count()).toBe(0);
    expect(await widget.getByTestId('stale').count()).toBe(0);
    // Keyboard users land on the widget's heading, not on <body>.
    await eventually(() => focusedInWidget(widget)).toBe('tag:h2');
    // A new customer: the empty state nudges to share, and no list request was needed.
    expect(await widget.getByTestId('empty').innerText()).toContain('No referrals yet');
    expect(tab.requests.some((url) => new URL(url).pathname === '/api/me/referrals')).toBe(false);
  });

  it('serves the cached screen with a stale notice when upstream fails after the cache went stale', async () => {
    const tab = await e2e.open();
    const customer = await freshCustomer();
    await openAccount(tab, customer);
    const widget = tab.page.locator('#widget');
    await widget.getByTestId('link').waitFor();
    expect(await widget.getByTestId('stale').count()).toBe(0);
    const clicks = await widget.getByTestId('clicks').innerText();

    await setFault(e2e.url, { status: 503 });
    // Past the 1 s fresh lifetime, /api/me answers from the stale copy.
    const token = await demoToken(e2e.url, customer);
    await eventually(async () => (await fetchMe(e2e.url, token)).body?.stale ?? false).toBe(true);

    await tab.page.reload();
    const stale = widget.getByTestId('stale');
    await stale.waitFor();
    expect(await stale.innerText()).toBe('These figures may be out of date: we could not refresh them just now.');
    expect(await widget.getByTestId('link').getAttribute('href')).toMatch(new RegExp(`\\?ref=${customer}$`));
    expect(await widget.getByTestId('clicks').innerText()).toBe(clicks);
    expect(await widget.getByTestId('error').count()).toBe(0);
    expect(await widgetEvents(tab.page)).toEqual([]);

    // Upstream back: the next load is fresh again.
    await clearFault(e2e.url);
    await eventually(async () => (await fetchMe(e2e.url, token)).body?.stale ?? true).toBe(false);
    await tab.page.reload();
    await widget.getByTestId('link').waitFor();
    expect(await widget.getByTestId('stale').count()).toBe(0);
  });
});

/**
 * The whole chain on the embedded default, in a real browser: a friend lands through
 * alice's link (attribution.js stores the referrer and records a click), signs up on the
 * demo's signup page, and alice's widget then shows one more referral, masked.
 */
import { describe, expect, it } from 'vitest';
import { upstreamStats, uniqueKey } from './api';
import { eventually, useE2E } from './browser';

const e2e = useE2E({ seed: true });

/** Reads a stat the widget shows ("1,234" → 1234). */
async function statValue(text: Promise<string>): Promise<number> {
  return Number((await text).replace(/[^\d]/g, ''));
}

describe('landing → signup → referrer widget', () => {
  it('attributes a new signup to alice, and her widget shows one more (masked) referral', async () => {
    const { page, context } = await e2e.open();
    const widget = page.locator('#widget');

    // Alice's widget before: how many referrals and clicks.
    await page.goto(`${e2e.url}/demo/account.html?customer=alice`);
    await widget.getByTestId('referrals').waitFor();
    const referralsBefore = await statValue(widget.getByTestId('referrals').innerText());
    const clicksBefore = await statValue(widget.getByTestId('clicks').innerText());
    const upstreamBefore = await upstreamStats(e2e.url, 'alice');
    expect(referralsBefore).toBe(upstreamBefore.referrals);

    // A friend arrives with ?ref=alice: cookie stored, click recorded, banner shown.
    await page.goto(`${e2e.url}/demo/?ref=alice`);
    await eventually(() => page.getByTestId('referrer').innerText()).toBe('alice');
    const cookie = (await context.cookies()).find((c) => c.name === 'partnero_referral');
    expect(cookie?.value).toBe('alice');
    expect(cookie?.sameSite).toBe('Lax');
    await eventually(async () => (await upstreamStats(e2e.url, 'alice')).clicks).toBe(upstreamBefore.clicks + 1);

    // Sign up through the demo's form (token minted for the new customer, then POST /api/signup).
    await page.getByTestId('go-signup').click();
    await page.waitForURL(/\/demo\/signup(\.html)?$/);
    expect(await page.getByTestId('referrer').innerText()).toBe('alice');
    const friend = uniqueKey('friend');
    await page.getByTestId('signup-key').fill(friend);
    await page.getByTestId('signup-email').fill(`${friend}@example.com`);
    await page.getByTestId('signup-name').fill('Sam Friendly');
    await page.getByTestId('signup-submit').click();
    await eventually(() => page.getByTestId('signup-result').innerText()).toContain('Signed up: created, referred by alice');
    expect((await upstreamStats(e2e.url, 'alice')).referrals).toBe(referralsBefore + 1);

    // Alice's widget after: the signup purged her cached /api/me, so the count is fresh.
    await page.goto(`${e2e.url}/demo/account.html?customer=alice`);
    await widget.getByTestId('referrals').waitFor();
    expect(await statValue(widget.getByTestId('referrals').innerText())).toBe(referralsBefore + 1);
    expect(await statValue(widget.getByTestId('clicks').innerText())).toBe(clicksBefore + 1);

    // The new friend is in the list, masked: first name + initial, masked email.
    const list = widget.getByTestId('rw-referrals');
    await list.locator('summary').click();
    const row = list.locator('tbody tr', { hasText: 'Sam F.' });
    await eventually(() => row.count()).toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe('Sam F.');
    expect(cells[1]).toBe('f***@example.com');
    expect(cells[2]).toBe('Active');
    const widgetText = await widget.getByTestId('root').innerText();
    expect(widgetText).not.toContain(friend);
    expect(widgetText).not.toContain('Friendly');
  });
});

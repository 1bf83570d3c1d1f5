/**
 * `node scripts/screenshots.ts` (after `npm run build`): the README's pictures of the
 * widget, taken in Debian's Chromium from the demo account page of the seeded customer
 * alice, light and dark. Writes docs/screenshots/widget-light.png and widget-dark.png.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/e2e/chromium.ts';
import { ROOT, startWorker } from '../test/e2e/harness.ts';

const OUT = join(ROOT, 'docs', 'screenshots');
/** README images should stay light to clone and to render. */
const MAX_BYTES = 300_000;

const worker = await startWorker({ seed: true });
const browser = await launchChromium();
try {
  mkdirSync(OUT, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({
      viewport: { width: 880, height: 1200 },
      deviceScaleFactor: 2,
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: theme,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${worker.url}/demo/account.html?customer=alice&theme=${theme}`);
    const widget = page.locator('#widget');
    await widget.getByTestId('link').waitFor();
    // Show the masked referral list too: it is what the widget is for.
    const referrals = widget.getByTestId('rw-referrals');
    await referrals.locator('summary').click();
    await referrals.locator('tbody tr').first().waitFor();
    await page.evaluate(() => document.fonts.ready);
    const file = join(OUT, `widget-${theme}.png`);
    await widget.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    const bytes = statSync(file).size;
    console.log(`${file}: ${Math.round(bytes / 1024)} KB`);
    if (bytes > MAX_BYTES) throw new Error(`${file} is ${bytes} bytes, over ${MAX_BYTES}`);
    await context.close();
  }
} finally {
  await browser.close();
  await worker.stop();
}

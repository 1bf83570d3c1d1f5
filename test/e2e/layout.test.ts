/**
 * How the widget sits in a host page, in a real browser: no style leaks either way
 * through its shadow root, a mirrored layout in Arabic, and several widgets on one page
 * that each keep their own state.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { computedStyle, eventually, hostHtml, openHostPage, useE2E, widgetEvents, type Tab, type WidgetWindow } from './browser';

const e2e = useE2E({ seed: true });

/** Properties a page could plausibly break: text, box, colours, layout mode. */
const PROPERTIES = [
  'color', 'background-color', 'font-size', 'font-family', 'font-weight', 'font-style', 'line-height',
  'letter-spacing', 'word-spacing', 'text-transform', 'text-align', 'text-decoration-line', 'display',
  'direction', 'visibility', 'box-sizing', 'margin-top', 'margin-left', 'padding-top', 'padding-left',
  'border-top-width', 'border-top-style', 'border-top-color', 'border-top-left-radius', 'cursor',
  'outline-style', 'list-style-type', 'opacity',
] as const;

/** Widget elements whose looks are compared, by a CSS selector inside the host. */
const WIDGET_PARTS = [
  '[data-testid=root]',
  '[data-testid=root] > h2',
  '[data-testid=root] > p',
  '[data-testid=link-section] h3',
  '[data-testid=link]',
  '[data-testid=copy]',
  '[data-testid=share-section] li',
  '[data-testid=share-x]',
  '[data-testid=share-email]',
  '[data-testid=qr-section] summary',
  '[data-testid=stats-section] dl',
  '[data-testid=balance] dt',
  '[data-testid=clicks]',
  '[data-testid=invite-form] label',
  '[data-testid=invite-email]',
  '[data-testid=invite-submit]',
  '[data-testid=rw-referrals] summary',
] as const;

/** A page stylesheet that tries to restyle everything it can reach. */
const HOSTILE_CSS = `
* { color: red !important; font-size: 40px !important; display: block !important; font-family: "Times New Roman", serif !important;
    line-height: 3 !important; letter-spacing: 4px !important; word-spacing: 9px !important; text-transform: uppercase !important;
    text-align: right !important; font-style: italic !important; box-sizing: content-box !important; cursor: wait !important;
    opacity: 0.9 !important; list-style-type: square !important; }
a { color: lime !important; text-decoration: none !important; font-weight: 900 !important; }
button { background: yellow !important; border: 5px dashed red !important; padding: 30px !important; border-radius: 0 !important; }
input { border: 0 !important; background: black !important; padding: 0 !important; }
h2, h3, p, dl, dd, dt, ul, li, section, summary, table, td, th, label, form, details {
  margin: 50px !important; padding: 50px !important; background: pink !important; border: 3px solid blue !important; }
.rw, .row, .lv, .pri, .pill, .box, .note, .mu, .st, .bd, .sk, .qr, .sr, .light, .dark, .auto { all: unset !important; color: red !important; }
[data-testid] { outline: 5px solid orange !important; visibility: hidden !important; }
:focus-visible { outline: none !important; }
html, body, main, #w { direction: rtl !important; }
`;

async function styles(host: Locator, selectors: readonly string[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const selector of selectors) out[selector] = await computedStyle(host.locator(selector).first(), PROPERTIES);
  return out;
}

const WIDGET_PAGE = hostHtml(`<h1>Host</h1>
  <div id="w"></div>
  <script src="/widget.js" data-token-url="/demo/token?customer=alice" data-target="#w" data-theme="light"></script>`);

describe('style isolation', () => {
  it('a hostile host stylesheet changes nothing inside the widget', async () => {
    const tab = await e2e.open();
    await openHostPage(tab, e2e.url, WIDGET_PAGE);
    const widget = tab.page.locator('#w');
    await widget.getByTestId('rw-referrals').waitFor();
    const before = await styles(widget, WIDGET_PARTS);
    const root = widget.getByTestId('root');
    const sizeBefore = await root.boundingBox();

    await tab.page.addStyleTag({ content: HOSTILE_CSS });
    // The hostile sheet did apply to the page itself.
    expect((await computedStyle(tab.page.locator('h1'), ['color'])).color).toBe('rgb(255, 0, 0)');
    const after = await styles(widget, WIDGET_PARTS);
    expect(after).toEqual(before);
    // Same width given by the page, so the same height: nothing inside grew or shrank.
    const sizeAfter = await root.boundingBox();
    expect(sizeAfter?.width).toBe(sizeBefore?.width);
    expect(sizeAfter?.height).toBe(sizeBefore?.height);
  });

  it('the widget\'s styles change nothing on the host page, even elements with its class names', async () => {
    const tab = await e2e.open();
    await openHostPage(
      tab,
      e2e.url,
      hostHtml(`<div id="probe">
          <div class="rw light"><h2>Heading</h2><h3>Sub heading</h3><p class="mu">Muted text</p>
            <section><p class="box note bad">Boxed note</p></section>
            <div class="row"><a class="lv" href="#x">Link value</a><button class="pri" type="button">Primary</button><a class="pill" href="#y">Pill</a></div>
            <dl class="st"><div class="box"><dt>Term</dt><dd>Definition</dd></div></dl>
            <ul><li>Item</li></ul>
            <details><summary>Summary</summary></details>
            <form><label for="x">Label</label><input id="x"><button>Send</button></form>
            <table><thead><tr><th>Head</th></tr></thead><tbody><tr><td><span class="bd" data-s="active">Badge</span></td></tr></tbody></table>
            <span class="sr">Screen reader</span><div class="sk">Skeleton</div><div class="qr">QR</div>
          </div>
        </div>
        <div id="w"></div>
        <script src="/widget.js"></script>`),
    );
    const page = tab.page;
    const probe = () =>
      page.locator('#probe, #probe *').evaluateAll((els, props) =>
        els.map((el) => {
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName,
            // Page coordinates: opening the widget's sections scrolls the viewport.
            box: [box.x + scrollX, box.y + scrollY, box.width, box.height],
            style: Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)])),
          };
        }),
      [...PROPERTIES]);
    const sheets = () => page.evaluate(() => ({ document: document.styleSheets.length, adopted: document.adoptedStyleSheets.length }));
    const before = await probe();
    const sheetsBefore = await sheets();

    await page.evaluate(() => {
      (window as unknown as WidgetWindow).ReferralWidget.mount(document.getElementById('w')!, { tokenUrl: '/demo/token?customer=alice', theme: 'light' });
    });
    const widget = page.locator('#w');
    await widget.getByTestId('link').waitFor();
    // Everything the widget can show: the QR code and the lists too.
    await widget.getByTestId('qr-section').locator('summary').click();
    await widget.getByTestId('qr').waitFor();
    await widget.getByTestId('rw-referrals').locator('summary').click();
    await widget.getByTestId('rw-referrals').locator('tbody tr').first().waitFor();

    expect(await probe()).toEqual(before);
    expect(await sheets()).toEqual(sheetsBefore);
  });
});

describe('right-to-left', () => {
  /** Where things are in the widget of `locale`. */
  async function layout(tab: Tab, locale: string) {
    await tab.page.goto(`${e2e.url}/demo/account.html?customer=alice&theme=light&locale=${locale}`);
    const widget = tab.page.locator('#widget');
    await widget.getByTestId('copy').waitFor();
    const root = widget.getByTestId('root');
    const box = async (testid: string) => (await widget.getByTestId(testid).boundingBox())!;
    // The heading's text itself, not its (full-width) block.
    const title = await root.locator('h2').evaluate((h2) => {
      const range = document.createRange();
      range.selectNodeContents(h2);
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, text: h2.textContent };
    });
    return {
      dir: await root.getAttribute('dir'),
      lang: await root.getAttribute('lang'),
      direction: (await computedStyle(root, ['direction'])).direction,
      root: (await root.boundingBox())!,
      title,
      link: await box('link'),
      copy: await box('copy'),
      shareX: await box('share-x'),
      shareFacebook: await box('share-facebook'),
    };
  }
  const chunkRequests = (tab: Tab) =>
    tab.responses.filter((r) => /^\/chunks\/i18n-[a-z]+\.js$/.test(new URL(r.url).pathname)).map((r) => `${new URL(r.url).pathname} ${r.status}`);

  it('Arabic loads its chunk, sets dir="rtl" and mirrors the layout of English', async () => {
    const en = await e2e.open();
    const ltr = await layout(en, 'en');
    expect(chunkRequests(en)).toEqual([]);
    expect(ltr).toMatchObject({ dir: 'ltr', direction: 'ltr' });

    const ar = await e2e.open();
    const rtl = await layout(ar, 'ar');
    expect(chunkRequests(ar)).toEqual(['/chunks/i18n-ar.js 200']);
    expect(rtl).toMatchObject({ dir: 'rtl', lang: 'ar', direction: 'rtl' });
    expect(rtl.title.text).toBe('ادعُ صديقًا');
    expect(await ar.page.locator('#widget').getByTestId('copy').innerText()).toBe('نسخ الرابط');

    // English: link then copy button, left to right; Arabic: the copy button on the left.
    expect(ltr.copy.x).toBeGreaterThan(ltr.link.x + ltr.link.width - 1);
    expect(rtl.copy.x + rtl.copy.width).toBeLessThan(rtl.link.x + 1);
    // Share buttons in reading order: X first, at the left in English, at the right in Arabic.
    expect(ltr.shareX.x).toBeLessThan(ltr.shareFacebook.x);
    expect(rtl.shareX.x).toBeGreaterThan(rtl.shareFacebook.x);
    // Text starts at the leading edge: the heading hugs the left (en) or right (ar) side.
    const inset = 21; // 1px border + 20px padding of the widget root.
    expect(Math.abs(ltr.title.left - (ltr.root.x + inset))).toBeLessThan(2);
    expect(Math.abs(rtl.root.x + rtl.root.width - inset - rtl.title.right)).toBeLessThan(2);
  });
});

describe('several widgets on one page', () => {
  it('render and behave independently; mounting twice replaces, removing unmounts', async () => {
    const tab = await e2e.open({ clipboard: true });
    await openHostPage(
      tab,
      e2e.url,
      hostHtml(`<referral-widget id="a" token-url="/demo/token?customer=alice" theme="light"></referral-widget>
        <referral-widget id="b" token-url="/demo/token?customer=bob" theme="dark" locale="de"></referral-widget>
        <div id="c"></div>
        <script src="/widget.js"></script>
        <script>
          ReferralWidget.mount(document.getElementById('c'), { tokenUrl: '/demo/token?customer=carol', theme: 'light', sections: 'link,stats' });
        </script>`),
    );
    const a = tab.page.locator('#a');
    const b = tab.page.locator('#b');
    const c = tab.page.locator('#c');
    for (const w of [a, b, c]) await w.getByTestId('link').waitFor();

    expect(await a.getByTestId('link').getAttribute('href')).toMatch(/\?ref=alice$/);
    expect(await b.getByTestId('link').getAttribute('href')).toMatch(/\?ref=bob$/);
    expect(await c.getByTestId('link').getAttribute('href')).toMatch(/\?ref=carol$/);
    expect(await a.getByTestId('copy').innerText()).toBe('Copy link');
    expect(await b.getByTestId('copy').innerText()).toBe('Link kopieren');
    expect(await a.getByTestId('root').getAttribute('class')).toBe('rw light');
    expect(await b.getByTestId('root').getAttribute('class')).toBe('rw dark');
    // Only the sections c asked for.
    expect(await c.getByTestId('stats-section').count()).toBe(1);
    for (const testid of ['share-section', 'qr-section', 'invite-section', 'rw-referrals']) expect(await c.getByTestId(testid).count(), testid).toBe(0);

    // Copying in a announces in a only, and the event names a.
    await a.getByTestId('copy').click();
    await eventually(() => a.getByTestId('live').textContent()).toBe('Link copied');
    expect(await b.getByTestId('live').textContent()).toBe('');
    expect(await b.getByTestId('copy').innerText()).toBe('Link kopieren');
    expect(await widgetEvents(tab.page)).toEqual([{ type: 'referral:copied', detail: { url: expect.stringMatching(/\?ref=alice$/) }, target: 'a' }]);

    // Opening a's QR code leaves b's closed.
    await a.getByTestId('qr-section').locator('summary').click();
    await a.getByTestId('qr').waitFor();
    expect(await b.getByTestId('qr-section').locator('details').getAttribute('open')).toBeNull();

    // Mounting again on c replaces its widget: still exactly one.
    await tab.page.evaluate(() => {
      (window as unknown as WidgetWindow).ReferralWidget.mount(document.getElementById('c')!, { tokenUrl: '/demo/token?customer=carol', theme: 'dark' });
    });
    await c.getByTestId('share-section').waitFor();
    expect(await c.evaluate((el) => el.shadowRoot!.querySelectorAll('[data-testid=root]').length)).toBe(1);
    expect(await c.getByTestId('root').getAttribute('class')).toBe('rw dark');

    // An attribute change re-renders b; removing a unmounts it, leaving b and c alone.
    await b.evaluate((el) => el.setAttribute('theme', 'light'));
    await eventually(() => b.getByTestId('root').getAttribute('class')).toBe('rw light');
    await b.getByTestId('link').waitFor();
    await a.evaluate((el) => el.remove());
    expect(await tab.page.locator('referral-widget').count()).toBe(1);
    expect(await b.getByTestId('link').getAttribute('href')).toMatch(/\?ref=bob$/);
    expect(await c.getByTestId('link').getAttribute('href')).toMatch(/\?ref=carol$/);
  });
});

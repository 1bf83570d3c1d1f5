/**
 * Time to rendered widget in headless Chromium: from navigation start to the referral link
 * being in the widget's shadow root with a layout box, for the real widget (a customer
 * never loaded before, and one whose first screen is cached) and for the naive widget of
 * bench/pages/naive.html, which fetches the upstream resources itself one after another.
 *
 * Every load gets a fresh browser context (empty HTTP cache, as a first visit), and the
 * variants are interleaved per round so a noisy moment hits all of them.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium.ts';
import { BENCH_LOCAL_KEY, benchIp, expectStatus, tokenFor, type WorkerClient } from './http.ts';
import { ratio, summarize, type Summary } from './stats.ts';

/**
 * Runs before any page script: watches every shadow root the page attaches and records
 * performance.now() (ms since navigation start) once a [data-testid="link"] inside one
 * has a non-empty box. A MutationObserver fires right after the DOM change, before paint.
 */
const LINK_WATCH = `(() => {
  const attach = Element.prototype.attachShadow;
  const check = (root) => {
    if (window.__benchLinkAt !== undefined) return;
    const el = root.querySelector('[data-testid="link"]');
    if (!el) return;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) window.__benchLinkAt = performance.now();
  };
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => check(root)).observe(root, { childList: true, subtree: true, characterData: true });
    return root;
  };
})();`;

/** Median milestones of a load, ms since navigation start (HTML received, each request, link). */
export type Milestones = Record<string, number>;

export interface BrowserResult {
  loads: number;
  latencyMs: number;
  /** Milliseconds from navigation start to the link in the DOM with a box. */
  widgetCold: Summary;
  widgetWarm: Summary;
  naive4: Summary;
  naive3: Summary;
  ratios: { naive4OverWidgetCold: number; naive3OverWidgetCold: number; widgetWarmOverCold: number };
  /** Where the time of a median load goes (p50 of each milestone). */
  milestones: { widgetCold: Milestones; naive4: Milestones };
}

interface Load {
  linkAt: number;
  milestones: Milestones;
}

/** Resource Timing of the page's own requests, as labelled milestones. */
function collectMilestones(): Record<string, number> {
  const out: Record<string, number> = {};
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) out['HTML received'] = nav.responseEnd;
  let v1 = 0;
  for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const path = new URL(e.name).pathname;
    const label = path === '/widget.js' ? 'widget.js' : path === '/api/me' ? '/api/me' : path.startsWith('/v1/') ? `fetch ${++v1}` : '';
    if (!label) continue;
    out[`${label} start`] = e.startTime;
    out[`${label} end`] = e.responseEnd;
  }
  return out;
}

function medianMilestones(loads: readonly Load[]): Milestones {
  const keys = [...new Set(loads.flatMap((l) => Object.keys(l.milestones)))];
  const out: Milestones = {};
  for (const k of keys) out[k] = summarize(loads.map((l) => l.milestones[k]).filter((x): x is number => x !== undefined)).p50;
  out['link visible'] = summarize(loads.map((l) => l.linkAt)).p50;
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[1] - b[1]));
}

async function timeToLink(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext();
  try {
    await context.addInitScript(LINK_WATCH);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit', timeout: 30_000 });
    try {
      await page.waitForFunction(() => (window as unknown as { __benchLinkAt?: number }).__benchLinkAt !== undefined, undefined, {
        timeout: 20_000,
        polling: 50,
      });
    } catch {
      throw new Error(`bench: the link never showed on ${url.replace(/[?&](token|k)=[^&]*/g, '')} (title: ${await page.title()})`);
    }
    const linkAt = await page.evaluate(() => (window as unknown as { __benchLinkAt: number }).__benchLinkAt);
    return { linkAt, milestones: await page.evaluate(collectMilestones) };
  } finally {
    await context.close();
  }
}

export async function measureBrowser(client: WorkerClient, options: { prefix: string; loads: number; latencyMs: number }): Promise<BrowserResult> {
  const { prefix, loads, latencyMs } = options;
  const cold = Array.from({ length: loads + 2 }, (_, i) => `${prefix}-page-${i}`);
  const warmKey = `${prefix}-page-warm`;
  await client.createCustomers([...cold, warmKey]);
  const warmToken = await tokenFor(warmKey);

  const browser = await launchChromium();
  const samples = { widgetCold: [] as Load[], widgetWarm: [] as Load[], naive4: [] as Load[], naive3: [] as Load[] };
  try {
    const widgetUrl = async (key: string) => `${client.url}/bench/widget?token=${encodeURIComponent(await tokenFor(key))}`;
    const naiveUrl = (key: string, n: 3 | 4) => `${client.url}/bench/naive?customer=${encodeURIComponent(key)}&n=${n}&k=${BENCH_LOCAL_KEY}`;

    // Browser and worker warm-up (first context, first compile of each page): not measured.
    await timeToLink(browser, await widgetUrl(cold[loads] as string));
    await timeToLink(browser, naiveUrl(cold[loads + 1] as string, 4));

    for (let i = 0; i < loads; i++) {
      const key = cold[i] as string;
      // Refresh the warm customer's cache entry so the "warm" load is a hit whatever the TTL.
      expectStatus('warming /api/me', await client.api('/me', warmToken, benchIp(90_000 + i)), 200);
      samples.widgetCold.push(await timeToLink(browser, await widgetUrl(key)));
      samples.widgetWarm.push(await timeToLink(browser, await widgetUrl(warmKey)));
      samples.naive4.push(await timeToLink(browser, naiveUrl(key, 4)));
      samples.naive3.push(await timeToLink(browser, naiveUrl(key, 3)));
    }
  } finally {
    await browser.close();
  }
  const linkTimes = (loads: Load[]) => summarize(loads.map((l) => l.linkAt));
  const s = {
    widgetCold: linkTimes(samples.widgetCold),
    widgetWarm: linkTimes(samples.widgetWarm),
    naive4: linkTimes(samples.naive4),
    naive3: linkTimes(samples.naive3),
  };
  return {
    loads,
    latencyMs,
    ...s,
    ratios: {
      naive4OverWidgetCold: ratio(s.naive4.p50, s.widgetCold.p50),
      naive3OverWidgetCold: ratio(s.naive3.p50, s.widgetCold.p50),
      widgetWarmOverCold: ratio(s.widgetWarm.p50, s.widgetCold.p50),
    },
    milestones: { widgetCold: medianMilestones(samples.widgetCold), naive4: medianMilestones(samples.naive4) },
  };
}

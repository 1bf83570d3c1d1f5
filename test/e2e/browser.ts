/**
 * Shared fixture of the real-browser tests: Debian's Chromium driven by playwright-core,
 * one `wrangler dev` per test file, a fresh browser context per test, and a check after
 * every test that the page threw nothing, logged no unexpected console error and never
 * opened a dialog (so an XSS `alert(1)` anywhere fails the test that caused it).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium';
import { startWorker, type RunningWorker, type StartOptions } from './harness';

/** The widget's DOM events, as a page records them (see recordEvents). */
export interface RecordedEvent {
  type: string;
  detail: unknown;
  /** `id` of the element the event was dispatched on (the widget's host). */
  target: string;
}

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
}

/** One page in its own browser context, with everything it reported. */
export interface Tab {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions and unhandled rejections of the page. */
  pageErrors: string[];
  /** `console.error` messages, including Chromium's "Failed to load resource" lines. */
  consoleErrors: string[];
  /** Messages of every dialog (alert, confirm, prompt) that opened; each was dismissed. */
  dialogs: string[];
  /** Every request the context made, in order (absolute URLs). */
  requests: string[];
  responses: RecordedResponse[];
  /** Console errors matching one of these are expected (e.g. the 503 a failure test causes). */
  allowConsoleErrors(...patterns: RegExp[]): void;
}

export interface TabOptions extends BrowserContextOptions {
  /** Grant clipboard-read and clipboard-write to the worker's origin. */
  clipboard?: boolean;
}

export interface E2E {
  /** The worker of this test file, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly browser: Browser;
  /** A fresh context and page, closed and checked after the current test. */
  open(options?: TabOptions): Promise<Tab>;
}

export const EVENT_TYPES = ['referral:copied', 'referral:shared', 'referral:invited', 'referral:error'] as const;

/**
 * Runs in every page before its scripts: records the widget's events (they bubble and are
 * composed, so the document sees them) in `window.__rwEvents`.
 */
function recordEvents(types: readonly string[]): void {
  const w = window as unknown as { __rwEvents: unknown[] };
  w.__rwEvents = [];
  for (const type of types) {
    document.addEventListener(type, (event) => {
      const target = event.target instanceof Element ? event.target.id : '';
      w.__rwEvents.push({ type, detail: (event as CustomEvent).detail, target });
    });
  }
}

export interface E2EOptions extends StartOptions {
  /** More Chromium flags, e.g. `--host-resolver-rules=MAP *.example.test 127.0.0.1` for several hostnames. */
  chromiumArgs?: string[];
}

/**
 * Registers the hooks of one e2e test file: a worker (`startWorker(options)`) and a
 * browser for the whole file, a context per `open()`, closed after each test, which then
 * fails on page errors, unexpected console errors or dialogs.
 */
export function useE2E({ chromiumArgs, ...options }: E2EOptions = {}): E2E {
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let tabs: Tab[] = [];

  beforeAll(async () => {
    // Both at once (each takes seconds); whichever started is kept so afterAll stops it.
    const [started, launched] = await Promise.allSettled([startWorker(options), launchChromium(chromiumArgs)]);
    if (started.status === 'fulfilled') worker = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  afterEach(async () => {
    const done = tabs;
    tabs = [];
    const problems: string[] = [];
    for (const tab of done) {
      await tab.context.close().catch(() => {});
      const allowed = (tab as TabState).allowed;
      problems.push(
        ...tab.pageErrors.map((e) => `page error: ${e}`),
        ...tab.consoleErrors.filter((e) => !allowed.some((re) => re.test(e))).map((e) => `console error: ${e}`),
        ...tab.dialogs.map((d) => `dialog opened: ${d}`),
      );
    }
    if (problems.length) throw new Error(`The browser reported problems:\n${problems.join('\n')}`);
  });

  const e2e: E2E = {
    get url() {
      if (!worker) throw new Error('the worker is not started yet (use e2e.url inside tests or hooks)');
      return worker.url;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet');
      return browser;
    },
    async open({ clipboard, ...contextOptions }: TabOptions = {}) {
      const context = await e2e.browser.newContext({
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
        ...contextOptions,
      });
      if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.url });
      await context.addInitScript(recordEvents, EVENT_TYPES);
      const page = await context.newPage();
      const tab: TabState = {
        page,
        context,
        pageErrors: [],
        consoleErrors: [],
        dialogs: [],
        requests: [],
        responses: [],
        allowed: [],
        allowConsoleErrors(...patterns) {
          this.allowed.push(...patterns);
        },
      };
      watch(tab, page);
      // Popups (share links) are pages of the same context: watch them too.
      context.on('page', (popup) => popup !== page && watch(tab, popup));
      context.on('request', (request) => tab.requests.push(request.url()));
      context.on('response', (response) =>
        tab.responses.push({ method: response.request().method(), url: response.url(), status: response.status() }),
      );
      tabs.push(tab);
      return tab;
    },
  };
  return e2e;
}

interface TabState extends Tab {
  allowed: RegExp[];
}

function watch(tab: Tab, page: Page): void {
  page.on('pageerror', (error) => tab.pageErrors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') tab.consoleErrors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    tab.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
}

/** The script-tag build's global (`window.ReferralWidget`), for page.evaluate callbacks. */
export interface WidgetWindow {
  ReferralWidget: { mount(el: HTMLElement, options: Record<string, unknown>): () => void };
}

/** The widget events the page recorded so far. */
export function widgetEvents(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() => (window as unknown as { __rwEvents: RecordedEvent[] }).__rwEvents);
}

/**
 * Serves `html` at `<worker>/e2e/<name>` for this tab and opens it: a host page of our own
 * on the worker's origin, so /widget.js, its chunks and /api are same-origin as in the demo.
 */
export async function openHostPage(tab: Tab, base: string, html: string, name = 'host.html'): Promise<void> {
  const url = `${base}/e2e/${name}`;
  await tab.page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await tab.page.goto(url);
}

/** A minimal host page: `body` inside a document with a title, language and main landmark. */
export function hostHtml(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget host</title>${head}</head><body><main>${body}</main></body></html>`;
}

/**
 * `data-testid` of the element focused inside the host's shadow root (`tag:<name>` when it
 * has none, `outside` when focus is not in this widget).
 */
export function focusedInWidget(host: Locator): Promise<string> {
  return host.evaluate((el) => {
    const active = el.shadowRoot?.activeElement;
    if (!active) return 'outside';
    return active.getAttribute('data-testid') ?? `tag:${active.tagName.toLowerCase()}`;
  });
}

/** Computed values of `properties` for the element behind `locator`. */
export function computedStyle(locator: Locator, properties: readonly string[]): Promise<Record<string, string>> {
  return locator.evaluate(
    (el, props) => {
      const style = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    },
    [...properties],
  );
}

/** Matches the line Chromium logs for a failed HTTP response with this status. */
export function failedResource(status: number): RegExp {
  return new RegExp(`Failed to load resource: the server responded with a status of ${status}\\b`);
}

/**
 * `expect.poll` with a timeout for a noisy machine: the condition is re-read every 100 ms
 * for up to 20 s (vitest's own default gives up after one second).
 */
export function eventually<T>(read: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

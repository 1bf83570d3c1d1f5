/**
 * Shared helpers of the widget tests: a fake widget API behind a stubbed fetch, fixtures,
 * and a mount that returns handles on the shadow DOM.
 */
import { afterEach, expect, vi } from 'vitest';
import type { MeResponse, Paged } from '../../shared/widget-api.ts';
import { mountWidget } from '../../widget/app/mount.tsx';
import type { MountOptions } from '../../widget/types.ts';
import { chunkLoads, failChunks } from './fake-chunks.ts';

export const API = 'https://api.test';
export const BASE = 'https://cdn.test/widget.js';

export interface Call {
  url: URL;
  method: string;
  auth: string | null;
  body: unknown;
}
export interface Reply {
  status?: number;
  body?: unknown;
  text?: string;
}
export type Handler = (call: Call) => Reply | Response | Promise<Reply | Response>;

/** A JSON response. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The widget API's error envelope. */
export function apiError(status: number, code: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error: { code, message: `server says ${code}`, ...extra } } };
}

/** Replaces fetch with `handler`; returns the log of every call made. */
export function stubFetch(handler: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), location.href);
      const headers = new Headers(init.headers);
      const raw = typeof init.body == 'string' ? init.body : undefined;
      const call: Call = { url, method: init.method ?? 'GET', auth: headers.get('Authorization'), body: raw ? JSON.parse(raw) : undefined };
      calls.push(call);
      const reply = await handler(call);
      if (reply instanceof Response) return reply;
      if (reply.text !== undefined) return new Response(reply.text, { status: reply.status ?? 200, headers: { 'Content-Type': 'text/plain' } });
      return json(reply.status ?? 200, reply.body ?? {});
    }),
  );
  return calls;
}

/** A GET /api/me answer for alice, with `overrides` merged in. */
export function meFixture(overrides: Partial<MeResponse> = {}): MeResponse {
  return {
    customer: { key: 'alice', name: 'Alice', email: 'alice@example.com', status: 'active' },
    referral_link: 'https://shop.example/?ref=alice',
    referral_links: [{ key: 'alice', url: 'https://shop.example/?ref=alice', default: true }],
    offer: { headline: null, referrer_reward: null, friend_reward: null },
    invites: { per_day: 20, remaining_today: 20 },
    stats: { clicks: 5, referrals: 2, active_referrals: 1 },
    balance: [{ amount: 26.55, currency: 'USD', is_currency: true }],
    stale: false,
    fetched_at: '2025-05-09T09:00:00.000Z',
    ...overrides,
  };
}

/** One page of a paginated list. */
export function paged<T>(items: T[], page = 1, lastPage = 1): Paged<T> {
  return { items, page, per_page: 10, total: items.length + (lastPage - 1) * 10, last_page: lastPage };
}

/** A fake API that answers GET /api/me with `me` (or a handler) and 404 for anything else. */
export function meApi(me: MeResponse | Handler = meFixture(), more: Record<string, Handler> = {}): Call[] {
  return stubFetch((call) => {
    const path = call.url.pathname;
    if (more[path]) return more[path](call);
    if (path == '/api/me') return typeof me == 'function' ? me(call) : { body: me };
    return apiError(404, 'not_found');
  });
}

export interface Mounted {
  el: HTMLElement;
  root: ShadowRoot;
  unmount: () => void;
  $<E extends Element = HTMLElement>(selector: string): E | null;
  $$(selector: string): Element[];
  byTestId<E extends Element = HTMLElement>(id: string): E | null;
  /** Waits until an element with this data-testid exists, and returns it. */
  find<E extends Element = HTMLElement>(id: string): Promise<E>;
  text(): string;
}

/** Mounts a widget on a new element in the body (token "t1", API at https://api.test by default). */
export function mount(options: MountOptions = {}, el: HTMLElement = document.createElement('div')): Mounted {
  if (!el.isConnected) document.body.append(el);
  const unmount = mountWidget(el, { token: 't1', apiOrigin: API, ...options }, BASE);
  return handles(el, unmount);
}

/** Handles on the shadow DOM of a widget mounted on `el`. */
export function handles(el: HTMLElement, unmount: () => void = () => {}): Mounted {
  const root = el.shadowRoot!;
  const m: Mounted = {
    el,
    root,
    unmount,
    $: <E extends Element>(s: string) => root.querySelector<E>(s),
    $$: (s) => [...root.querySelectorAll(s)],
    byTestId: <E extends Element>(id: string) => root.querySelector<E>(`[data-testid="${id}"]`),
    find: async <E extends Element>(id: string) => {
      await vi.waitFor(() => expect(m.byTestId(id), `[data-testid=${id}]`).not.toBeNull());
      return m.byTestId<E>(id)!;
    },
    text: () => root.textContent ?? '',
  };
  return m;
}

export interface WidgetsPerTest {
  /** Mounts like `mount()`; the widget is unmounted after the test. */
  widget: (...args: Parameters<typeof mount>) => Mounted;
  /** Hands a widget mounted some other way to the same after-test unmount. */
  track: (w: Mounted) => Mounted;
}

/**
 * For a test file: after each of its tests, unmounts every widget from `widget()`/`track()`,
 * empties the body, restores stubbed globals and clears the fake chunks' log and failures,
 * so no test sees another's widgets, fetch or chunks. Call at the file's top level.
 */
export function widgetsPerTest(): WidgetsPerTest {
  const mounted: Mounted[] = [];
  afterEach(() => {
    for (const w of mounted.splice(0)) w.unmount();
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
    chunkLoads.length = 0;
    failChunks.clear();
  });
  const track = (w: Mounted) => {
    mounted.push(w);
    return w;
  };
  return { widget: (...args) => track(mount(...args)), track };
}

/** The events of `types` dispatched on (or bubbling through) `target`, in order. */
export function recordEvents(target: EventTarget, types: string[]): Array<{ type: string; detail: unknown; composed: boolean; bubbles: boolean }> {
  const seen: Array<{ type: string; detail: unknown; composed: boolean; bubbles: boolean }> = [];
  for (const type of types) {
    target.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail, composed: e.composed, bubbles: e.bubbles }));
  }
  return seen;
}

/** Opens a <details> the way a click on its summary does (happy-dom may not fire toggle itself). */
export function openDetails(details: HTMLDetailsElement): void {
  if (!details.open) details.open = true;
  details.dispatchEvent(new Event('toggle'));
}

/** Submits a form the way the browser does on Enter (a cancelable submit event). */
export function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

/** Replaces navigator with one whose `props` are overridden (the rest is the real one). */
export function fakeNavigator(props: Record<string, unknown>): void {
  const fake = Object.create(navigator, Object.fromEntries(Object.entries(props).map(([k, value]) => [k, { value, configurable: true }])));
  vi.stubGlobal('navigator', fake);
}

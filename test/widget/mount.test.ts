import { describe, expect, it, vi } from 'vitest';
import { mountWidget } from '../../widget/app/mount.tsx';
import { defineElement } from '../../widget/element.ts';
import { apiError, API, BASE, fakeNavigator, handles, meApi, meFixture, recordEvents, stubFetch, widgetsPerTest } from './helpers.ts';

vi.mock('../../widget/app/chunks.ts', () => import('./fake-chunks.ts'));

// The widget's tsconfig has no Node types (it is browser code); the test runner is Node 22.
declare const process: { cwd(): string; getBuiltinModule(id: 'node:fs'): { readFileSync(path: string, encoding: 'utf8'): string } };
const readSource = (path: string) => process.getBuiltinModule('node:fs').readFileSync(`${process.cwd()}/${path}`, 'utf8');

const { widget, track } = widgetsPerTest();

describe('mount', () => {
  it('renders into an open shadow root with the stylesheet adopted', async () => {
    meApi();
    const w = widget();
    await w.find('link');
    expect(w.el.shadowRoot?.mode).toBe('open');
    expect(w.el.children).toHaveLength(0);
    expect(w.root.adoptedStyleSheets).toHaveLength(1);
    expect(w.byTestId('root')!.classList.contains('rw')).toBe(true);
  });

  it('ships a stylesheet that resets inherited host styles and themes only through --rw-* properties', () => {
    // Under vitest the widget's ?inline import is empty: check the source the build minifies.
    const css = readSource('widget/app/styles.css');
    const docs = readSource('docs/widget.md');
    expect(css).toMatch(/:host\s*\{\s*all:\s*initial;/);
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\s*\{\s*\.auto/);
    const hostProps = new Set([...css.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]).filter((p) => !/^--(a|af|bg|fg|mu|sf|bd|ok|okb|er|erb|fo|r)$/.test(p!)));
    expect([...hostProps].every((p) => p!.startsWith('--rw-'))).toBe(true);
    for (const p of hostProps) expect(docs, `${p} documented`).toContain(`\`${p}\``);
  });

  it('falls back to a <style> element where constructable stylesheets are missing', async () => {
    meApi();
    const el = document.createElement('div');
    document.body.append(el);
    const root = el.attachShadow({ mode: 'open' });
    Object.defineProperty(root, 'adoptedStyleSheets', {
      get: () => [],
      set: () => {
        throw new TypeError('not supported');
      },
    });
    const unmount = mountWidget(el, { token: 't', apiOrigin: API }, BASE);
    const w = handles(el, unmount);
    track(w);
    await w.find('link');
    expect(root.querySelectorAll('style')).toHaveLength(1);
    unmount();
    expect(root.querySelectorAll('style')).toHaveLength(0);
  });

  it.each(['light', 'dark', 'auto'] as const)('puts theme %s on the widget root', async (theme) => {
    meApi();
    const w = widget({ theme });
    await w.find('link');
    expect(w.byTestId('root')!.className).toBe(`rw ${theme}`);
  });

  it('treats an unknown theme as auto', async () => {
    meApi();
    const w = widget({ theme: 'neon' as 'auto' });
    await w.find('link');
    expect(w.byTestId('root')!.className).toBe('rw auto');
  });

  it('is idempotent: mounting again on the same element replaces the widget, never duplicates it', async () => {
    const calls = meApi();
    const el = document.createElement('div');
    const first = widget({ token: 'one' }, el);
    await first.find('link');
    const second = widget({ token: 'two', theme: 'dark' }, el);
    await second.find('link');
    expect(el.shadowRoot!.querySelectorAll('[data-testid="root"]')).toHaveLength(1);
    expect(el.shadowRoot!.children).toHaveLength(1);
    expect(el.shadowRoot!.adoptedStyleSheets).toHaveLength(1);
    expect(second.byTestId('root')!.className).toBe('rw dark');
    expect(calls.map((c) => c.auth)).toEqual(['Bearer one', 'Bearer two']);
    // The replaced mount's unmount no longer touches the current widget.
    first.unmount();
    expect(second.byTestId('root')).not.toBeNull();
  });

  it('unmount removes everything it added, and late answers change nothing', async () => {
    let answer: (r: Response) => void = () => {};
    stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const el = document.createElement('div');
    const w = widget({}, el);
    const events = recordEvents(el, ['referral:error']);
    await w.find('loading');
    w.unmount();
    expect(el.shadowRoot!.childNodes).toHaveLength(0);
    expect(el.shadowRoot!.adoptedStyleSheets).toHaveLength(0);
    answer(new Response('{"error":{"code":"internal_error","message":"x"}}', { status: 500 }));
    await new Promise((r) => setTimeout(r, 10));
    expect(el.shadowRoot!.childNodes).toHaveLength(0);
    expect(events).toHaveLength(0);
    w.unmount();
  });

  it('aborts requests still in flight when unmounted', async () => {
    let signal: AbortSignal | undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => {
        signal = init.signal ?? undefined;
        return new Promise(() => {});
      }),
    );
    const w = widget();
    await vi.waitFor(() => expect(signal).toBeDefined());
    w.unmount();
    expect(signal!.aborted).toBe(true);
  });

  it('keeps several widgets on one page independent', async () => {
    stubFetch((call) =>
      call.auth == 'Bearer a'
        ? { body: meFixture({ referral_link: 'https://shop.example/?ref=a', stats: { clicks: 1, referrals: 1, active_referrals: 1 } }) }
        : apiError(503, 'upstream_unavailable'),
    );
    fakeNavigator({ clipboard: { writeText: async () => {} } });
    const a = widget({ token: 'a' });
    const b = widget({ token: 'b', locale: 'de' });
    const eventsA = recordEvents(a.el, ['referral:copied', 'referral:error']);
    const eventsB = recordEvents(b.el, ['referral:copied', 'referral:error']);
    await a.find('link');
    await b.find('error');
    expect(a.byTestId('error')).toBeNull();
    expect(a.byTestId('clicks')!.textContent).toBe('1');
    expect(a.$('h2')!.textContent).toBe('Refer a friend');
    expect(b.$('h2')!.textContent).toBe('Freunde werben');
    a.byTestId('copy')!.click();
    await vi.waitFor(() => expect(eventsA.map((e) => e.type)).toEqual(['referral:copied']));
    expect(eventsB.map((e) => e.type)).toEqual(['referral:error']);
    expect(a.byTestId('live')!.textContent).toBe('Link copied');
    expect(b.byTestId('live')!.textContent).not.toContain('copied');
  });

  it('sends requests to the API origin given, or to the origin the widget was loaded from', async () => {
    const calls = meApi();
    const el = document.createElement('div');
    document.body.append(el);
    const unmount = mountWidget(el, { token: 't' }, 'https://widgets.example/v1/widget.js');
    await handles(el).find('link');
    unmount();
    const w = widget({ apiOrigin: 'https://api.example/' });
    await w.find('link');
    expect(calls.map((c) => c.url.href)).toEqual(['https://widgets.example/api/me', 'https://api.example/api/me']);
  });
});

describe('<referral-widget>', () => {
  defineElement(BASE);

  it('mounts from its attributes, remounts when one changes, and unmounts when removed', async () => {
    const calls = meApi();
    const el = document.createElement('referral-widget');
    el.setAttribute('token', 'el-token');
    el.setAttribute('api-origin', API);
    el.setAttribute('theme', 'dark');
    el.setAttribute('sections', 'link,stats');
    document.body.append(el);
    const w = handles(el);
    await w.find('link');
    expect(w.byTestId('root')!.className).toBe('rw dark');
    expect(w.byTestId('share-section')).toBeNull();
    expect(calls[0]!.auth).toBe('Bearer el-token');

    el.setAttribute('locale', 'fr');
    await vi.waitFor(() => expect(w.$('h2')?.textContent).toBe('Parrainez un ami'));
    expect(el.shadowRoot!.querySelectorAll('[data-testid="root"]')).toHaveLength(1);

    el.remove();
    expect(el.shadowRoot!.childNodes).toHaveLength(0);
  });

  it('is defined once, however often the bundle runs', () => {
    const Before = customElements.get('referral-widget');
    defineElement('https://other.example/widget.js');
    expect(customElements.get('referral-widget')).toBe(Before);
  });

  it('dispatches its events on the element, bubbling and composed', async () => {
    meApi();
    fakeNavigator({ clipboard: { writeText: async () => {} } });
    const el = document.createElement('referral-widget');
    el.setAttribute('token', 't');
    el.setAttribute('api-origin', API);
    const wrapper = document.createElement('section');
    wrapper.append(el);
    document.body.append(wrapper);
    const events = recordEvents(wrapper, ['referral:copied']);
    (await handles(el).find('copy')).click();
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ bubbles: true, composed: true });
    el.remove();
  });
});

describe('script tag (widget.js entry)', () => {
  // A type happy-dom does not try to download: the entry only reads the tag's attributes.
  const inertScript = () => Object.assign(document.createElement('script'), { type: 'text/x-widget-test' });

  async function runEntry(script: HTMLScriptElement): Promise<void> {
    Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
    vi.resetModules();
    await import('../../widget/index.ts');
    Reflect.deleteProperty(document, 'currentScript');
  }

  it('mounts right after its own tag, with the API origin of its src, and exposes mount()', async () => {
    const calls = meApi();
    const script = inertScript();
    script.src = 'https://refer.example/widget.js';
    script.dataset.token = 'tag-token';
    script.dataset.theme = 'light';
    document.body.append(script);
    await runEntry(script);
    const host = script.nextElementSibling as HTMLElement;
    expect(host.tagName).toBe('DIV');
    const w = handles(host);
    await w.find('link');
    expect(w.byTestId('root')!.className).toBe('rw light');
    expect(calls[0]!.url.href).toBe('https://refer.example/api/me');
    expect(calls[0]!.auth).toBe('Bearer tag-token');
    expect(typeof window.ReferralWidget?.mount).toBe('function');
    track(handles(host, () => window.ReferralWidget!.mount(host, { token: 'x', apiOrigin: API })()));
  });

  it('mounts into data-target, with data-api-origin and data-token-url', async () => {
    const calls = stubFetch((call) => (call.url.pathname == '/my/token' ? { body: { token: 'minted' } } : { body: meFixture() }));
    const target = document.createElement('div');
    target.id = 'here';
    document.body.append(target);
    const script = inertScript();
    script.src = 'https://cdn.example/widget.js';
    script.dataset.tokenUrl = '/my/token';
    script.dataset.apiOrigin = 'https://api.example';
    script.dataset.target = '#here';
    document.body.append(script);
    await runEntry(script);
    const w = handles(target);
    await w.find('link');
    expect(script.nextElementSibling).toBeNull();
    expect(calls.map((c) => c.url.href)).toEqual([`${location.origin}/my/token`, 'https://api.example/api/me']);
  });

  it('only defines the element when the tag has no token or token URL', async () => {
    const calls = meApi();
    const script = inertScript();
    script.src = 'https://cdn.example/widget.js';
    document.body.append(script);
    await runEntry(script);
    expect(script.nextElementSibling).toBeNull();
    expect(calls).toHaveLength(0);
  });
});

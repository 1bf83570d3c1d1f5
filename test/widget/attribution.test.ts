import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CUSTOMER_KEY_PATTERN } from '../../shared/partnero.ts';
import { fakeNavigator, json, stubFetch } from './helpers.ts';

const DAY = 86400;
/** The real document.cookie accessor, wherever happy-dom defines it on the prototype chain. */
function findCookieAccessor(): PropertyDescriptor {
  for (let proto: object | null = Object.getPrototypeOf(document); proto; proto = Object.getPrototypeOf(proto)) {
    const found = Object.getOwnPropertyDescriptor(proto, 'cookie');
    if (found) return found;
  }
  throw new Error('no document.cookie accessor');
}
const cookieAccessor = findCookieAccessor();
let writes: string[] = [];
let beacons: Array<{ url: string; body: string }> = [];

/** Goes to `url` (happy-dom's own navigation-free URL change). */
const visit = (url: string) => (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);

/** Runs attribution.js as a fresh page load would, with `data` as its data-* attributes. */
async function runScript(data: Record<string, string> = {}, src = 'https://refer.example/attribution.js'): Promise<void> {
  // A type happy-dom does not download: the script only reads its tag.
  const script = Object.assign(document.createElement('script'), { type: 'text/x-attribution-test', src });
  Object.assign(script.dataset, data);
  document.head.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  vi.resetModules();
  await import('../../widget/attribution.ts');
  Reflect.deleteProperty(document, 'currentScript');
}

/** The value of our cookie as the browser stores it. */
const stored = () => document.cookie.match(/(?:^|; )partnero_referral=([^;]*)/)?.[1] ?? null;

beforeEach(() => {
  writes = [];
  beacons = [];
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookieAccessor.get!.call(document),
    set: (value: string) => {
      writes.push(value);
      cookieAccessor.set!.call(document, value);
    },
  });
  fakeNavigator({
    sendBeacon: (url: string, body: string) => {
      beacons.push({ url, body });
      return true;
    },
  });
});

afterEach(() => {
  Reflect.deleteProperty(document, 'cookie');
  for (const domain of ['', '; Domain=example.com', '; Domain=shop.example']) document.cookie = `partnero_referral=; Max-Age=0; Path=/${domain}`;
  sessionStorage.clear();
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
  delete window.PartneroReferral;
  visit('http://localhost:3000/');
});

describe('the referral cookie', () => {
  it('stores a valid ?ref= first-party for 30 days, Path=/, SameSite=Lax, no Domain and no Secure on http', async () => {
    visit('http://shop.example/landing?ref=alice');
    await runScript();
    expect(writes).toEqual([`partnero_referral=alice; Path=/; Max-Age=${30 * DAY}; SameSite=Lax`]);
    expect(stored()).toBe('alice');
    expect(window.PartneroReferral!.key()).toBe('alice');
  });

  it('adds Secure on https, the configured parent Domain and lifetime', async () => {
    visit('https://www.example.com/?ref=alice.b%2Bc%40x');
    await runScript({ domain: 'example.com', days: '60' });
    expect(writes).toEqual([`partnero_referral=alice.b+c@x; Path=/; Max-Age=${60 * DAY}; SameSite=Lax; Domain=example.com; Secure`]);
  });

  it('keeps the default lifetime for a data-days that is not a positive number', async () => {
    for (const days of ['-5', '0', 'soon']) {
      visit(`http://shop.example/?ref=alice&d=${days}`);
      document.cookie = 'partnero_referral=; Max-Age=0; Path=/';
      writes = [];
      await runScript({ days });
      expect(writes, days).toEqual([`partnero_referral=alice; Path=/; Max-Age=${30 * DAY}; SameSite=Lax`]);
    }
  });

  it('is first-touch by default: an existing valid referrer stays', async () => {
    visit('http://shop.example/?ref=alice');
    document.cookie = 'partnero_referral=bob; Path=/';
    writes = [];
    await runScript();
    expect(writes).toEqual([]);
    expect(window.PartneroReferral!.key()).toBe('bob');
  });

  it('replaces the referrer with data-touch="last"', async () => {
    visit('http://shop.example/?ref=alice');
    document.cookie = 'partnero_referral=bob; Path=/';
    await runScript({ touch: 'last' });
    expect(window.PartneroReferral!.key()).toBe('alice');
  });

  it('replaces an existing cookie that is not a valid key, even first-touch', async () => {
    visit('http://shop.example/?ref=alice');
    document.cookie = 'partnero_referral=%3Cscript%3E; Path=/';
    await runScript();
    expect(window.PartneroReferral!.key()).toBe('alice');
  });

  it.each(['', '-dash', '<script>', 'a b', 'a/b', 'x'.repeat(129), 'ünïcode'])('never stores the invalid key %j, nor overwrites with it', async (bad) => {
    visit(`http://shop.example/?ref=${encodeURIComponent(bad)}`);
    document.cookie = 'partnero_referral=bob; Path=/';
    writes = [];
    await runScript({ touch: 'last' });
    expect(writes).toEqual([]);
    expect(window.PartneroReferral!.key()).toBe('bob');
    expect(beacons).toEqual([]);
  });

  it('accepts exactly the keys CUSTOMER_KEY_PATTERN accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 140 }), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,130}$/)), async (ref) => {
        visit(`http://shop.example/?ref=${encodeURIComponent(ref)}`);
        document.cookie = 'partnero_referral=; Max-Age=0; Path=/';
        sessionStorage.clear();
        writes = [];
        await runScript({ touch: 'last' });
        expect(writes.length).toBe(CUSTOMER_KEY_PATTERN.test(ref) ? 1 : 0);
        expect(window.PartneroReferral!.key()).toBe(CUSTOMER_KEY_PATTERN.test(ref) ? ref : null);
      }),
      { numRuns: 60 },
    );
  });

  it('reads the parameter named by data-param', async () => {
    visit('http://shop.example/?ref=wrong&via=alice');
    await runScript({ param: 'via' });
    expect(window.PartneroReferral!.key()).toBe('alice');
  });

  it("reads a cookie PartneroJS set (same name, plain key; percent-encoding tolerated)", async () => {
    visit('http://shop.example/no-ref');
    document.cookie = 'other=1; Path=/';
    document.cookie = 'partnero_referral=carol%40shop; Path=/';
    await runScript();
    expect(window.PartneroReferral!.key()).toBe('carol@shop');
  });
});

describe('the click', () => {
  it('is sent once per landing with sendBeacon, as text/plain JSON to the API origin of the script', async () => {
    visit('http://shop.example/landing?ref=alice');
    await runScript();
    await runScript();
    expect(beacons).toEqual([{ url: 'https://refer.example/api/clicks', body: JSON.stringify({ referral_key: 'alice', url: 'http://shop.example/landing?ref=alice' }) }]);
  });

  it('counts another landing page, and goes to data-api-origin when given', async () => {
    visit('http://shop.example/a?ref=alice');
    await runScript({ apiOrigin: 'https://api.example' });
    visit('http://shop.example/b?ref=alice');
    await runScript({ apiOrigin: 'https://api.example' });
    expect(beacons.map((b) => b.url)).toEqual(['https://api.example/api/clicks', 'https://api.example/api/clicks']);
  });

  it('is recorded even when first-touch keeps the old referrer (the new one was still clicked)', async () => {
    visit('http://shop.example/?ref=alice');
    document.cookie = 'partnero_referral=bob; Path=/';
    await runScript();
    expect(beacons.map((b) => JSON.parse(b.body).referral_key)).toEqual(['alice']);
  });

  it('is not sent without a valid ?ref=', async () => {
    visit('http://shop.example/');
    await runScript();
    expect(beacons).toEqual([]);
  });

  it('falls back to fetch with keepalive when the beacon is refused', async () => {
    fakeNavigator({ sendBeacon: () => false });
    const calls: RequestInit[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => (calls.push(init), new Response(null, { status: 204 }))));
    visit('http://shop.example/?ref=alice');
    await runScript();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', keepalive: true, body: JSON.stringify({ referral_key: 'alice', url: 'http://shop.example/?ref=alice' }) });
    expect(calls[0]!.headers).toBeUndefined();
  });
});

describe('signup code', () => {
  it('fills hidden inputs marked data-partnero-referral, now and at DOMContentLoaded', async () => {
    document.body.innerHTML = '<form><input type="hidden" name="ref" data-partnero-referral><input type="hidden" name="other"></form>';
    visit('http://shop.example/?ref=alice');
    await runScript();
    expect(document.querySelector<HTMLInputElement>('[name=ref]')!.value).toBe('alice');
    expect(document.querySelector<HTMLInputElement>('[name=other]')!.value).toBe('');
    document.body.insertAdjacentHTML('beforeend', '<input type="hidden" id="late" data-partnero-referral>');
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(document.querySelector<HTMLInputElement>('#late')!.value).toBe('alice');
  });

  it('signup(token) POSTs /api/signup with the token and the stored key', async () => {
    visit('http://shop.example/?ref=alice');
    await runScript();
    const calls = stubFetch(() => ({ status: 201, body: { result: 'created', customer_key: 'new', referred_by: 'alice' } }));
    await expect(window.PartneroReferral!.signup('tok')).resolves.toEqual({ result: 'created', customer_key: 'new', referred_by: 'alice' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.href).toBe('https://refer.example/api/signup');
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.auth).toBe('Bearer tok');
    expect(calls[0]!.body).toEqual({ referral_key: 'alice' });
  });

  it('signup(token) sends an empty body without a referrer, and rejects with the error body', async () => {
    visit('http://shop.example/');
    await runScript();
    const calls = stubFetch(() => json(401, { error: { code: 'unauthorized', message: 'no' } }));
    await expect(window.PartneroReferral!.signup('bad')).rejects.toEqual({ error: { code: 'unauthorized', message: 'no' } });
    expect(calls[0]!.body).toEqual({});
  });
});

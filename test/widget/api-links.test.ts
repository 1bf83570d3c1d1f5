import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../../widget/app/api.ts';
import { NETWORKS, safeHttpUrl, shareUrl } from '../../widget/app/links.ts';
import { apiError, stubFetch } from './helpers.ts';

afterEach(() => vi.unstubAllGlobals());

describe('safeHttpUrl', () => {
  it('keeps http(s) URLs and refuses every other scheme or non-URL', () => {
    expect(safeHttpUrl('https://shop.example/?ref=a')).toBe('https://shop.example/?ref=a');
    expect(safeHttpUrl('HTTP://Shop.Example')).toBe('http://shop.example/');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', '\tjavascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'mailto:a@b.c', '//x.example', '/relative', '', null, 42, {}]) {
      expect(safeHttpUrl(bad), String(bad)).toBeNull();
    }
  });

  it('never answers a URL whose scheme is not http or https', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `javascript:${s}`)), (value) => {
        const safe = safeHttpUrl(value);
        if (safe !== null) expect(['http:', 'https:']).toContain(new URL(safe).protocol);
      }),
    );
  });
});

describe('shareUrl', () => {
  it('carries the exact link and text through percent-encoding for every network', () => {
    const expected = (url: string, text: string, subject: string): Record<string, Record<string, string>> => ({
      x: { text, url },
      facebook: { u: url },
      linkedin: { url },
      whatsapp: { text: `${text} ${url}` },
      telegram: { url, text },
      email: { subject, body: `${text} ${url}` },
    });
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), fc.string(), (url, text, subject) => {
        for (const [network] of NETWORKS) {
          const built = new URL(shareUrl(network, url, text, subject));
          expect(built.protocol).toBe(network == 'email' ? 'mailto:' : 'https:');
          expect(Object.fromEntries(new URLSearchParams(built.search))).toEqual(expected(url, text, subject)[network]);
          // A mail client does not read + as a space: spaces must travel as %20, and + as %2B.
          if (network == 'email') expect(built.search).not.toContain('+');
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('createApi', () => {
  it('shares one renewal between concurrent 401s and retries each request once', async () => {
    let tokenFetches = 0;
    const calls = stubFetch((call) => {
      if (call.url.pathname == '/token') {
        tokenFetches += 1;
        return { body: { token: 'fresh' } };
      }
      return call.auth == 'Bearer fresh' ? { body: { ok: call.url.pathname } } : apiError(401, 'token_expired');
    });
    const api = createApi({ apiOrigin: 'https://api.test', token: 'old', tokenUrl: '/token', signal: new AbortController().signal });
    const results = await Promise.all([api.call('/me'), api.call('/me/referrals?page=1'), api.call('/me/transactions?page=1')]);
    expect(results).toEqual([{ ok: '/api/me' }, { ok: '/api/me/referrals' }, { ok: '/api/me/transactions' }]);
    expect(tokenFetches).toBe(1);
    expect(calls.filter((c) => c.url.pathname.startsWith('/api'))).toHaveLength(6);
  });

  it('turns error envelopes, bodies that are not JSON and network failures into ApiError', async () => {
    const api = createApi({ apiOrigin: 'https://api.test', token: 't', signal: new AbortController().signal });
    stubFetch(() => apiError(429, 'rate_limited', { retry_after: 7 }));
    await expect(api.call('/me/invite', { email: 'a@b.co' })).rejects.toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 7 });
    vi.unstubAllGlobals();
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(api.call('/me')).rejects.toMatchObject({ status: 502, code: 'http_502' });
    vi.unstubAllGlobals();
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await api.call('/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('sends JSON bodies as POST with the bearer token', async () => {
    const calls = stubFetch(() => ({ status: 201, body: { invited: true } }));
    const api = createApi({ apiOrigin: 'https://api.test', token: 't', signal: new AbortController().signal });
    await api.call('/me/invite', { email: 'a@b.co' });
    expect(calls[0]).toMatchObject({ method: 'POST', auth: 'Bearer t', body: { email: 'a@b.co' } });
  });
});

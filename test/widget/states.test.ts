import { describe, expect, it, vi } from 'vitest';
import { apiError, meApi, meFixture, recordEvents, stubFetch, widgetsPerTest } from './helpers.ts';

vi.mock('../../widget/app/chunks.ts', () => import('./fake-chunks.ts'));

const { widget } = widgetsPerTest();

describe('first screen', () => {
  it('shows a loading skeleton, then the content of one GET /api/me', async () => {
    let answer: (r: Response) => void = () => {};
    const calls = stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const w = widget();
    const loading = await w.find('loading');
    expect(w.byTestId('root')!.getAttribute('aria-busy')).toBe('true');
    expect(loading.textContent).toContain('Loading your referral rewards');
    expect(w.byTestId('link')).toBeNull();

    answer(new Response(JSON.stringify(meFixture()), { status: 200 }));
    const link = await w.find<HTMLAnchorElement>('link');
    expect(link.tagName).toBe('A');
    expect(link.getAttribute('href')).toBe('https://shop.example/?ref=alice');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.textContent).toBe('https://shop.example/?ref=alice');
    expect(w.byTestId('clicks')!.textContent).toBe('5');
    expect(w.byTestId('referrals')!.textContent).toBe('2');
    expect(w.byTestId('balance')!.textContent).toContain('$26.55');
    expect(w.byTestId('loading')).toBeNull();
    expect(w.byTestId('root')!.getAttribute('aria-busy')).toBe('false');

    expect(calls.map((c) => `${c.method} ${c.url.href}`)).toEqual(['GET https://api.test/api/me']);
    expect(calls[0]!.auth).toBe('Bearer t1');
  });

  it('renders semantic structure: one h2, h3 per section, a polite live region, labelled controls', async () => {
    meApi();
    const w = widget();
    await w.find('link');
    expect(w.$$('h2').map((h) => h.textContent)).toEqual(['Refer a friend']);
    expect(w.$$('h3').length).toBeGreaterThanOrEqual(6);
    const live = w.byTestId('live')!;
    expect(live.getAttribute('role')).toBe('status');
    expect(live.getAttribute('aria-live')).toBe('polite');
    for (const input of w.$$('input')) {
      expect(w.$(`label[for="${input.id}"]`), input.id).not.toBeNull();
    }
    for (const section of w.$$('section[aria-labelledby]')) {
      expect(w.$(`#${section.getAttribute('aria-labelledby')}`)).not.toBeNull();
    }
    expect(w.$$('button').every((b) => b.getAttribute('type'))).toBe(true);
  });

  it('shows only the sections asked for', async () => {
    meApi();
    const w = widget({ sections: 'link,stats' });
    await w.find('link');
    expect(w.byTestId('share-section')).toBeNull();
    expect(w.byTestId('qr-section')).toBeNull();
    expect(w.byTestId('invite-section')).toBeNull();
    expect(w.byTestId('rw-referrals')).toBeNull();
    expect(w.byTestId('balance')).toBeNull();
    expect(w.byTestId('clicks')).not.toBeNull();
  });

  it('treats an unknown or empty section list as all sections', async () => {
    meApi();
    const w = widget({ sections: 'nonsense, ' });
    await w.find('link');
    for (const id of ['share-section', 'qr-section', 'stats-section', 'invite-section', 'rw-referrals', 'rw-transactions']) {
      expect(w.byTestId(id), id).not.toBeNull();
    }
  });
});

describe('empty, stale, error and signed-out states', () => {
  it('nudges to share when there are no referrals yet, without requesting the lists', async () => {
    const calls = meApi(meFixture({ stats: { clicks: 0, referrals: 0, active_referrals: 0 }, balance: [] }));
    const w = widget();
    const empty = await w.find('empty');
    expect(empty.textContent).toMatch(/No referrals yet\. Share your link/);
    expect(w.byTestId('balance')!.textContent).toContain('None yet');
    expect(calls).toHaveLength(1);
  });

  it('shows a stale-data notice when the API served cached data', async () => {
    meApi(meFixture({ stale: true }));
    const w = widget();
    const notice = await w.find('stale');
    expect(notice.textContent).toMatch(/may be out of date/);
    expect(w.byTestId('link')).not.toBeNull();
  });

  it('has no stale notice for fresh data', async () => {
    meApi();
    const w = widget();
    await w.find('link');
    expect(w.byTestId('stale')).toBeNull();
  });

  it('shows an error with a retry button that recovers', async () => {
    let fail = true;
    const calls = meApi(() => (fail ? apiError(503, 'upstream_unavailable') : { body: meFixture() }));
    const w = widget();
    const events = recordEvents(w.el, ['referral:error']);
    const error = await w.find('error');
    expect(error.textContent).toContain('We could not load your referral rewards.');
    expect(w.byTestId('live')!.textContent).toContain('We could not load your referral rewards.');
    expect(events).toEqual([{ type: 'referral:error', detail: { code: 'upstream_unavailable', message: 'Something went wrong. Please try again.' }, composed: true, bubbles: true }]);

    fail = false;
    w.byTestId('retry')!.click();
    await w.find('link');
    expect(w.byTestId('error')).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('shows the error state when the network fails or the answer is not a first screen', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const w1 = widget();
    await w1.find('error');
    vi.unstubAllGlobals();
    meApi(() => ({ body: { hello: 'world' } }));
    const w2 = widget();
    await w2.find('error');
  });

  it('shows the signed-out state on 401 when there is no way to renew the token', async () => {
    const calls = meApi(() => apiError(401, 'token_expired'));
    const w = widget();
    const events = recordEvents(w.el, ['referral:error']);
    const out = await w.find('signed-out');
    expect(out.textContent).toContain('You are signed out');
    expect(w.byTestId('error')).toBeNull();
    expect(calls).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ code: 'token_expired' });
  });

  it('is signed out at once, without a request, when given no token at all', async () => {
    const calls = meApi();
    const w = widget({ token: undefined });
    await w.find('signed-out');
    expect(calls).toHaveLength(0);
  });
});

describe('token renewal', () => {
  it('renews an expired token once through the token URL and retries the request', async () => {
    const calls = stubFetch((call) => {
      if (call.url.pathname == '/token') return { body: { token: 'fresh' } };
      return call.auth == 'Bearer fresh' ? { body: meFixture() } : apiError(401, 'token_expired');
    });
    const w = widget({ token: 'old', tokenUrl: '/token' });
    await w.find('link');
    expect(calls.map((c) => `${c.url.pathname} ${c.auth ?? ''}`)).toEqual(['/api/me Bearer old', '/token ', '/api/me Bearer fresh']);
  });

  it('fetches the first token from the token URL (JSON or plain text) when none is given', async () => {
    const calls = stubFetch((call) => (call.url.pathname == '/token' ? { text: '  plain-token\n' } : call.auth == 'Bearer plain-token' ? { body: meFixture() } : apiError(401, 'unauthorized')));
    const w = widget({ token: undefined, tokenUrl: '/token' });
    await w.find('link');
    expect(calls.map((c) => c.url.pathname)).toEqual(['/token', '/api/me']);
  });

  it('renews through getToken() and prefers it over the token URL', async () => {
    const getToken = vi.fn(async () => 'from-callback');
    const calls = stubFetch((call) => (call.auth == 'Bearer from-callback' ? { body: meFixture() } : apiError(401, 'token_expired')));
    const w = widget({ token: 'old', tokenUrl: '/never', getToken });
    await w.find('link');
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.url.pathname)).toEqual(['/api/me', '/api/me']);
  });

  it('signs out when the renewed token is refused too: one renewal, no loop', async () => {
    const calls = stubFetch((call) => (call.url.pathname == '/token' ? { body: { token: 'also-bad' } } : apiError(401, 'unauthorized')));
    const w = widget({ token: 'old', tokenUrl: '/token' });
    await w.find('signed-out');
    expect(calls.map((c) => c.url.pathname)).toEqual(['/api/me', '/token', '/api/me']);
  });

  it('signs out when the token URL fails or answers no token', async () => {
    for (const reply of [{ status: 500, body: {} }, { body: { nope: 1 } }, { text: '' }]) {
      vi.unstubAllGlobals();
      const calls = stubFetch((call) => (call.url.pathname == '/token' ? reply : apiError(401, 'token_expired')));
      const w = widget({ token: 'old', tokenUrl: '/token' });
      await w.find('signed-out');
      expect(calls.filter((c) => c.url.pathname == '/token')).toHaveLength(1);
    }
  });
});

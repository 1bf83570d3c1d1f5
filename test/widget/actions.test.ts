import { describe, expect, it, vi } from 'vitest';
import type { CustomerState, ReferralItem, ReferralStage, TransactionItem } from '../../shared/widget-api.ts';
import { chunkLoads, failChunks } from './fake-chunks.ts';
import { apiError, fakeNavigator, meApi, meFixture, openDetails, paged, recordEvents, submit, widgetsPerTest, type Handler, type Mounted } from './helpers.ts';

vi.mock('../../widget/app/chunks.ts', () => import('./fake-chunks.ts'));

const { widget } = widgetsPerTest();

describe('copy', () => {
  it('copies with the Clipboard API, announces "Link copied" and fires referral:copied', async () => {
    const writeText = vi.fn(async () => {});
    fakeNavigator({ clipboard: { writeText } });
    meApi();
    const w = widget();
    const events = recordEvents(document.body, ['referral:copied']);
    (await w.find('copy')).click();
    await vi.waitFor(() => expect(w.byTestId('live')!.textContent).toBe('Link copied'));
    expect(writeText).toHaveBeenCalledWith('https://shop.example/?ref=alice');
    expect(w.byTestId('copy')!.textContent).toBe('Link copied');
    expect(events).toEqual([{ type: 'referral:copied', detail: { url: 'https://shop.example/?ref=alice' }, composed: true, bubbles: true }]);
  });

  it('announces again when copied twice (a screen reader hears it each time)', async () => {
    fakeNavigator({ clipboard: { writeText: async () => {} } });
    meApi();
    const w = widget();
    const copy = await w.find('copy');
    copy.click();
    await vi.waitFor(() => expect(w.byTestId('live')!.textContent).toBe('Link copied'));
    copy.click();
    await vi.waitFor(() => expect(w.byTestId('live')!.textContent).toBe('Link copied\u00a0'));
  });

  it('falls back to a selected textarea and execCommand when the Clipboard API refuses', async () => {
    fakeNavigator({ clipboard: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    meApi();
    const w = widget();
    const events = recordEvents(w.el, ['referral:copied']);
    const copy = await w.find('copy');
    // What execCommand('copy') would copy: the selected textarea inside the shadow root.
    let copied: string | undefined;
    const exec = vi.fn(() => {
      copied = w.$<HTMLTextAreaElement>('textarea')?.value;
      return true;
    });
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    const select = vi.spyOn(HTMLTextAreaElement.prototype, 'select');
    copy.click();
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(exec).toHaveBeenCalledWith('copy');
    expect(select).toHaveBeenCalled();
    expect(copied).toBe('https://shop.example/?ref=alice');
    expect(w.$('textarea')).toBeNull();
    expect(w.byTestId('live')!.textContent).toBe('Link copied');
    select.mockRestore();
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('tells the user to copy by hand when no way of copying works, without the event', async () => {
    fakeNavigator({ clipboard: undefined });
    meApi();
    const w = widget();
    const events = recordEvents(w.el, ['referral:copied']);
    (await w.find('copy')).click();
    await vi.waitFor(() => expect(w.byTestId('live')!.textContent).toMatch(/Could not copy/));
    expect(events).toHaveLength(0);
  });
});

describe('share', () => {
  it('builds each network link with the referral link percent-encoded, opened safely', async () => {
    meApi(meFixture({ referral_link: 'https://shop.example/?ref=a+b&x=1' }));
    const w = widget();
    await w.find('share-section');
    const href = (id: string) => w.byTestId<HTMLAnchorElement>(`share-${id}`)!.getAttribute('href')!;
    const enc = encodeURIComponent('https://shop.example/?ref=a+b&x=1');
    const text = encodeURIComponent('Join me and get a reward:');
    expect(href('x')).toBe(`https://x.com/intent/post?text=${text}&url=${enc}`);
    expect(href('facebook')).toBe(`https://www.facebook.com/sharer/sharer.php?u=${enc}`);
    expect(href('linkedin')).toBe(`https://www.linkedin.com/sharing/share-offsite/?url=${enc}`);
    expect(href('whatsapp')).toBe(`https://wa.me/?text=${encodeURIComponent('Join me and get a reward: https://shop.example/?ref=a+b&x=1')}`);
    expect(href('telegram')).toBe(`https://t.me/share/url?url=${enc}&text=${text}`);
    expect(href('email')).toBe(`mailto:?subject=${encodeURIComponent('A reward for you')}&body=${encodeURIComponent('Join me and get a reward: https://shop.example/?ref=a+b&x=1')}`);
    for (const id of ['x', 'facebook', 'linkedin', 'whatsapp', 'telegram']) {
      const a = w.byTestId(`share-${id}`)!;
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(new URL(a.getAttribute('href')!).searchParams.get(id == 'facebook' ? 'u' : id == 'whatsapp' ? 'text' : 'url')).toContain('https://shop.example/?ref=a+b&x=1');
    }
    expect(w.byTestId('share-email')!.getAttribute('target')).toBeNull();
  });

  it('fires referral:shared with the network on click', async () => {
    meApi();
    const w = widget();
    const events = recordEvents(w.el, ['referral:shared']);
    const link = await w.find('share-telegram');
    link.addEventListener('click', (e) => e.preventDefault());
    link.click();
    expect(events.map((e) => e.detail)).toEqual([{ network: 'telegram' }]);
  });

  it('offers the native share sheet only where navigator.share exists', async () => {
    meApi();
    const plain = widget();
    await plain.find('share-section');
    expect(plain.byTestId('share-native')).toBeNull();

    const share = vi.fn(async () => {});
    fakeNavigator({ share });
    const w = widget();
    const events = recordEvents(w.el, ['referral:shared']);
    (await w.find('share-native')).click();
    await vi.waitFor(() => expect(events.map((e) => e.detail)).toEqual([{ network: 'native' }]));
    expect(share).toHaveBeenCalledWith({ title: 'Refer a friend', text: 'Join me and get a reward:', url: 'https://shop.example/?ref=alice' });
  });

  it('does not count a dismissed share sheet as shared', async () => {
    fakeNavigator({ share: () => Promise.reject(new DOMException('cancelled', 'AbortError')) });
    meApi();
    const w = widget();
    const events = recordEvents(w.el, ['referral:shared', 'referral:error']);
    (await w.find('share-native')).click();
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([]);
  });
});

describe('QR code', () => {
  it('loads its chunk only when opened, then draws an SVG path of the link', async () => {
    meApi();
    const w = widget();
    const section = await w.find('qr-section');
    expect(chunkLoads).toEqual([]);
    openDetails(section.querySelector('details')!);
    const svg = await w.find<SVGSVGElement>('qr');
    expect(chunkLoads).toEqual(['https://cdn.test/chunks/qr.js']);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('QR code of your referral link');
    expect(svg.querySelector('path')!.getAttribute('d')).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    openDetails(section.querySelector('details')!);
    expect(chunkLoads).toHaveLength(1);
  });

  it('says so when the chunk fails, and tries again on the next opening', async () => {
    failChunks.add('qr');
    meApi();
    const w = widget();
    const details = (await w.find('qr-section')).querySelector('details')!;
    openDetails(details);
    await vi.waitFor(() => expect(details.textContent).toContain('Something went wrong'));
    failChunks.clear();
    details.open = false;
    openDetails(details);
    await w.find('qr');
  });
});

describe('invite', () => {
  const inviteApi = (handler: Handler) => meApi(meFixture(), { '/api/me/invite': handler });

  const fill = (w: Mounted, email: string, name = '') => {
    w.byTestId<HTMLInputElement>('invite-email')!.value = email;
    w.byTestId<HTMLInputElement>('invite-name')!.value = name;
    submit(w.byTestId<HTMLFormElement>('invite-form')!);
  };

  it('refuses an invalid address before sending, with a described, invalid field', async () => {
    const calls = inviteApi(() => ({ status: 201, body: { invited: true, email: 'x' } }));
    const w = widget();
    await w.find('invite-form');
    for (const bad of ['', 'nope', 'a@b', 'a b@example.com', '@example.com']) {
      fill(w, bad);
      const error = await w.find('invite-error');
      expect(error.textContent).toBe('Enter a valid email address, like name@example.com.');
      const input = w.byTestId('invite-email')!;
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe(error.id);
    }
    expect(calls.filter((c) => c.url.pathname == '/api/me/invite')).toHaveLength(0);
  });

  it('sends the invite, confirms it, clears the form and fires referral:invited', async () => {
    const calls = inviteApi((call) => ({ status: 201, body: { invited: true, email: (call.body as { email: string }).email } }));
    const w = widget();
    const events = recordEvents(w.el, ['referral:invited']);
    await w.find('invite-form');
    fill(w, '  friend@example.com ', 'Sam');
    const sent = await w.find('invite-sent');
    expect(sent.textContent).toBe('Invitation sent to friend@example.com.');
    expect(w.byTestId('live')!.textContent).toBe('Invitation sent to friend@example.com.');
    expect(events.map((e) => e.detail)).toEqual([{ email: 'friend@example.com' }]);
    const invite = calls.find((c) => c.url.pathname == '/api/me/invite')!;
    expect(invite.method).toBe('POST');
    expect(invite.auth).toBe('Bearer t1');
    expect(invite.body).toEqual({ email: 'friend@example.com', name: 'Sam' });
    expect(w.byTestId<HTMLInputElement>('invite-email')!.value).toBe('');
    expect(w.byTestId('invite-error')).toBeNull();
  });

  it('explains a rate limit with the time to wait from retry_after', async () => {
    inviteApi(() => apiError(429, 'rate_limited', { retry_after: 42 }));
    const w = widget();
    const events = recordEvents(w.el, ['referral:error', 'referral:invited']);
    await w.find('invite-form');
    fill(w, 'friend@example.com');
    const error = await w.find('invite-error');
    expect(error.textContent).toBe('You have sent a lot of invitations. Try again in 42 seconds.');
    expect(w.byTestId('invite-email')!.getAttribute('aria-invalid')).toBe('false');
    expect(events).toEqual([expect.objectContaining({ type: 'referral:error', detail: { code: 'rate_limited', message: error.textContent } })]);
  });

  it('rounds long waits up to minutes', async () => {
    inviteApi(() => apiError(429, 'rate_limited', { retry_after: 61 }));
    const w = widget();
    await w.find('invite-form');
    fill(w, 'friend@example.com');
    expect((await w.find('invite-error')).textContent).toBe('You have sent a lot of invitations. Try again in 2 minutes.');
  });

  it("refuses the customer's own address and server-side validation failures on the field", async () => {
    let code = 'self_referral';
    inviteApi(() => apiError(422, code));
    const w = widget();
    await w.find('invite-form');
    fill(w, 'alice@example.com');
    expect((await w.find('invite-error')).textContent).toBe('That is your own email address. Invite a friend instead.');
    expect(w.byTestId('invite-email')!.getAttribute('aria-invalid')).toBe('true');
    code = 'validation_failed';
    fill(w, 'weird@example.com');
    await vi.waitFor(() => expect(w.byTestId('invite-error')!.textContent).toBe('Enter a valid email address, like name@example.com.'));
  });
});

describe('lists', () => {
  const referral = (i: number): ReferralItem => ({ name: `Friend ${i}.`, email: `f${i}***@example.com`, status: i % 2 ? 'active' : 'archived', stage: 'signed_up', created_at: '2025-05-02T10:00:00Z' });

  it('loads referrals when opened, with masked data, status badges and pagination', async () => {
    const calls = meApi(meFixture({ stats: { clicks: 1, referrals: 12, active_referrals: 6 } }), {
      '/api/me/referrals': (call) => {
        const page = Number(call.url.searchParams.get('page'));
        return { body: paged(page == 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(referral) : [11, 12].map(referral), page, 2) };
      },
    });
    const w = widget();
    const section = await w.find('rw-referrals');
    expect(section.querySelector('summary')!.textContent).toBe('Show 12 referrals');
    expect(calls.some((c) => c.url.pathname == '/api/me/referrals')).toBe(false);
    openDetails(section.querySelector('details')!);
    await vi.waitFor(() => expect(section.querySelectorAll('tbody tr')).toHaveLength(10));
    expect(calls.at(-1)!.url.search).toBe('?page=1&per_page=10');
    expect([...section.querySelectorAll('th')].map((th) => [th.textContent, th.getAttribute('scope')])).toEqual([
      ['Friend', 'col'],
      ['Email', 'col'],
      ['Status', 'col'],
      ['Date', 'col'],
    ]);
    const first = section.querySelector('tbody tr')!;
    expect([...first.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['Friend 1.', 'f1***@example.com', 'Active', 'May 2, 2025']);
    expect(section.querySelector('[data-s="archived"]')!.textContent).toBe('Removed');
    expect(section.textContent).toContain('Page 1 of 2');
    expect(w.byTestId('prev')!.getAttribute('aria-disabled')).toBe('true');

    w.byTestId('next')!.click();
    await vi.waitFor(() => expect(section.querySelectorAll('tbody tr')).toHaveLength(2));
    expect(calls.at(-1)!.url.search).toBe('?page=2&per_page=10');
    expect(w.byTestId('live')!.textContent).toBe('Page 2 of 2');
    expect(w.byTestId('next')!.getAttribute('aria-disabled')).toBe('true');
    const before = calls.length;
    w.byTestId('next')!.click();
    expect(calls).toHaveLength(before);
  });

  it('uses the singular for one referral, and shows an unknown status as it is', async () => {
    meApi(meFixture({ stats: { clicks: 1, referrals: 1, active_referrals: 1 } }), {
      '/api/me/referrals': () => ({ body: paged([{ name: null, email: null, status: 'on_hold', created_at: 'not a date' }]) }),
    });
    const w = widget();
    const section = await w.find('rw-referrals');
    expect(section.querySelector('summary')!.textContent).toBe('Show 1 referral');
    openDetails(section.querySelector('details')!);
    await vi.waitFor(() => expect(section.querySelectorAll('tbody td')).toHaveLength(4));
    expect([...section.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['—', '—', 'on_hold', '']);
  });

  it('loads transactions with amounts and rewards formatted per currency', async () => {
    const tx: TransactionItem = { amount: 120, currency: 'EUR', action: 'sale', reward: { amount: 12, currency: 'EUR', is_currency: true }, customer_name: 'Dave M.', created_at: '2025-05-06T10:00:00Z' };
    meApi(meFixture(), { '/api/me/transactions': () => ({ body: paged([tx, { ...tx, reward: null, currency: 'USD', amount: 5 }]) }) });
    const w = widget();
    const section = await w.find('rw-transactions');
    openDetails(section.querySelector('details')!);
    await vi.waitFor(() => expect(section.querySelectorAll('tbody tr')).toHaveLength(2));
    const rows = [...section.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['May 6, 2025', 'Dave M.', '€120.00', '€12.00'],
      ['May 6, 2025', 'Dave M.', '$5.00', '—'],
    ]);
  });

  it('offers a retry when a list fails to load, and the retry recovers', async () => {
    let fail = true;
    meApi(meFixture(), { '/api/me/referrals': () => (fail ? apiError(502, 'upstream_error') : { body: paged([referral(1)]) }) });
    const w = widget();
    const section = await w.find('rw-referrals');
    openDetails(section.querySelector('details')!);
    await vi.waitFor(() => expect(section.textContent).toContain('Something went wrong'));
    fail = false;
    section.querySelector<HTMLButtonElement>('details button')!.click();
    await vi.waitFor(() => expect(section.querySelectorAll('tbody tr')).toHaveLength(1));
  });

  it('signs the whole widget out when a list request is refused with 401', async () => {
    meApi(meFixture(), { '/api/me/referrals': () => apiError(401, 'token_expired') });
    const w = widget();
    openDetails((await w.find('rw-referrals')).querySelector('details')!);
    await w.find('signed-out');
  });
});

describe('balance', () => {
  it('formats each balance with Intl per currency, and units such as points as number + unit', async () => {
    meApi(
      meFixture({
        balance: [
          { amount: 26.55, currency: 'USD', is_currency: true },
          { amount: 8, currency: 'EUR', is_currency: true },
          { amount: 1234.5, currency: 'points', is_currency: false },
          { amount: 5, currency: 'NOT-A-CODE', is_currency: true },
        ],
      }),
    );
    const w = widget();
    const balance = await w.find('balance');
    expect([...balance.querySelectorAll('dd')].map((dd) => dd.textContent)).toEqual(['$26.55', '€8.00', '1,234.5 points', '5 NOT-A-CODE']);
  });
});

describe('safety', () => {
  it('renders hostile API strings as text: no element is created from them', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    // The API never sends these statuses; the widget must still render whatever arrives as text.
    const evilState = evil as CustomerState;
    meApi(meFixture({ customer: { key: 'k', name: evil, email: evil, status: evilState } }), {
      '/api/me/referrals': () => ({ body: paged([{ name: evil, email: evil, status: evilState, stage: evil as ReferralStage, created_at: evil }]) }),
      '/api/me/transactions': () => ({ body: paged([{ amount: 1, currency: 'USD', action: evil, reward: { amount: 1, currency: evil, is_currency: false }, customer_name: evil, created_at: evil }]) }),
    });
    const w = widget();
    openDetails((await w.find('rw-referrals')).querySelector('details')!);
    openDetails(w.byTestId('rw-transactions')!.querySelector('details')!);
    await vi.waitFor(() => expect(w.$$('tbody tr')).toHaveLength(2));
    expect(w.$$('img')).toHaveLength(0);
    expect(w.$$('*').flatMap((el) => [...el.attributes].map((a) => a.name)).filter((name) => name.startsWith('on'))).toEqual([]);
    expect(w.text()).toContain(evil);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'not a url', '//evil.example/x'])(
    'shows the referral link %j as plain text only: no link, no share, no QR',
    async (link) => {
      meApi(meFixture({ referral_link: link }));
      const w = widget();
      const shown = await w.find('link');
      expect(shown.tagName).toBe('P');
      expect(shown.textContent).toBe(link);
      expect(w.$$('a').filter((a) => !/^(https?|mailto):/.test(a.getAttribute('href') ?? ''))).toHaveLength(0);
      expect(w.$$('a[href]').every((a) => !a.getAttribute('href')!.toLowerCase().includes('javascript'))).toBe(true);
      expect(w.byTestId('copy')).toBeNull();
      expect(w.byTestId('share-section')).toBeNull();
      expect(w.byTestId('qr-section')).toBeNull();
    },
  );

  it('shows nothing of the link sections when there is no link', async () => {
    meApi(meFixture({ referral_link: null }));
    const w = widget();
    await w.find('stats-section');
    expect(w.byTestId('link-section')).toBeNull();
    expect(w.byTestId('share-section')).toBeNull();
  });
});

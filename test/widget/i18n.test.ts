import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { optionsFrom } from '../../widget/app/config.ts';
import { createFmt, LANGUAGES, pickLocale } from '../../widget/app/i18n.ts';
import { en } from '../../widget/app/messages/en.ts';
import { chunkLoads, failChunks } from './fake-chunks.ts';
import { fakeNavigator, meApi, meFixture, widgetsPerTest } from './helpers.ts';

vi.mock('../../widget/app/chunks.ts', () => import('./fake-chunks.ts'));

const { widget } = widgetsPerTest();

describe('pickLocale', () => {
  it('takes the requested tag first, then the browser languages, then English', () => {
    expect(pickLocale('de-CH', ['fr'])).toEqual({ tag: 'de-CH', lang: 'de' });
    expect(pickLocale('xx', ['pt-BR', 'fr-CA', 'de'])).toEqual({ tag: 'fr-CA', lang: 'fr' });
    expect(pickLocale(undefined, ['ar-EG'])).toEqual({ tag: 'ar-EG', lang: 'ar' });
    expect(pickLocale('es_MX', [])).toEqual({ tag: 'es-MX', lang: 'es' });
    expect(pickLocale(undefined, ['ja', 'zh'])).toEqual({ tag: 'en', lang: 'en' });
    expect(pickLocale('EN-gb', [])).toEqual({ tag: 'en-GB', lang: 'en' });
  });

  it('always answers a supported language and a tag Intl accepts, whatever it is given', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 20 })), fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), (requested, browser) => {
        const locale = pickLocale(requested ?? undefined, browser);
        expect(LANGUAGES).toContain(locale.lang);
        expect(() => new Intl.NumberFormat(locale.tag)).not.toThrow();
      }),
    );
  });
});

describe('every language', () => {
  it.each(['es', 'de', 'fr', 'ar'])('%s has every English key, with the same placeholders', async (lang) => {
    const messages = ((await import(`../../widget/app/messages/${lang}.ts`)) as { default: Record<string, string> }).default;
    for (const [key, text] of Object.entries(en)) {
      const translated = messages[key] ?? messages[`${key.replace(/_other$/, '')}_other`];
      expect(translated, `${lang}.${key}`).toBeTruthy();
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      if (!/^refShow_/.test(key)) expect(holes(translated!), `${lang}.${key}`).toEqual(holes(text));
    }
  });
});

describe('formatting', () => {
  it('picks plural forms with Intl.PluralRules, including Arabic dual and few', async () => {
    const ar = ((await import('../../widget/app/messages/ar.ts')) as { default: Record<string, string> }).default;
    const f = createFmt({ tag: 'ar', lang: 'ar' }, ar);
    expect(f.p('refShow', 1)).toBe('عرض إحالة واحدة');
    expect(f.p('refShow', 2)).toBe('عرض إحالتين');
    expect(f.p('refShow', 3)).toContain('إحالات');
    expect(f.dir).toBe('rtl');
    const e = createFmt({ tag: 'en', lang: 'en' }, {});
    expect([e.p('refShow', 1), e.p('refShow', 1000)]).toEqual(['Show 1 referral', 'Show 1,000 referrals']);
  });

  it('formats money per locale and currency', () => {
    const de = createFmt({ tag: 'de-DE', lang: 'de' }, {});
    expect(de.money({ amount: 26.55, currency: 'USD', is_currency: true })).toBe('26,55\u00a0$');
    expect(de.money({ amount: 1234.5, currency: 'points', is_currency: false })).toBe('1.234,5 points');
    expect(createFmt({ tag: 'ja-JP', lang: 'en' }, {}).money({ amount: 500, currency: 'JPY', is_currency: true })).toBe('￥500');
  });

  it('lets host messages override texts, keeping placeholders working', () => {
    const f = createFmt({ tag: 'en', lang: 'en' }, {}, { title: 'Give $10, get $10', inviteSent: 'Sent to {email}!' });
    expect(f.t('title')).toBe('Give $10, get $10');
    expect(f.t('inviteSent', { email: 'a@b.c' })).toBe('Sent to a@b.c!');
    expect(f.t('copy')).toBe('Copy link');
  });
});

describe('languages in the widget', () => {
  it('loads a language chunk on demand and renders in it', async () => {
    meApi();
    const w = widget({ locale: 'de' });
    await w.find('link');
    expect(chunkLoads).toEqual(['https://cdn.test/chunks/i18n-de.js']);
    expect(w.$('h2')!.textContent).toBe('Freunde werben');
    expect(w.byTestId('copy')!.textContent).toBe('Link kopieren');
    expect(w.byTestId('balance')!.textContent).toContain('26,55');
    expect(w.byTestId('root')!.getAttribute('lang')).toBe('de');
    expect(w.byTestId('root')!.getAttribute('dir')).toBe('ltr');
  });

  it('sets dir="rtl" on the widget root for Arabic', async () => {
    meApi();
    const w = widget({ locale: 'ar' });
    await w.find('link');
    const root = w.byTestId('root')!;
    expect(root.getAttribute('dir')).toBe('rtl');
    expect(root.getAttribute('lang')).toBe('ar');
    expect(w.$('h2')!.textContent).toBe('ادعُ صديقًا');
  });

  it('follows navigator.languages when no locale is given', async () => {
    fakeNavigator({ languages: ['fr-CA', 'en'] });
    meApi();
    const w = widget();
    await w.find('link');
    expect(w.$('h2')!.textContent).toBe('Parrainez un ami');
    expect(w.byTestId('root')!.getAttribute('lang')).toBe('fr-CA');
  });

  it('needs no chunk for English', async () => {
    meApi();
    const w = widget({ locale: 'en-GB' });
    await w.find('link');
    expect(chunkLoads).toEqual([]);
    expect(w.byTestId('root')!.getAttribute('lang')).toBe('en-GB');
  });

  it('stays in English (left to right) when the language chunk fails to load', async () => {
    failChunks.add('i18n-ar');
    meApi();
    const w = widget({ locale: 'ar' });
    await w.find('link');
    expect(w.$('h2')!.textContent).toBe('Refer a friend');
    expect(w.byTestId('root')!.getAttribute('dir')).toBe('ltr');
    expect(w.byTestId('root')!.getAttribute('lang')).toBe('en');
  });

  it('applies host messages on top of a loaded language', async () => {
    meApi(meFixture({ stats: { clicks: 0, referrals: 0, active_referrals: 0 } }));
    const w = widget({ locale: 'es', messages: { title: '¡Gana 10 €!' } });
    await w.find('empty');
    expect(w.$('h2')!.textContent).toBe('¡Gana 10 €!');
    expect(w.byTestId('empty')!.textContent).toMatch(/^Aún no tienes recomendaciones/);
  });
});

describe('optionsFrom (data-* and element attributes)', () => {
  it('reads every attribute, leaving absent ones undefined', () => {
    const attrs: Record<string, string> = { token: 't', 'token-url': '/tok', 'api-origin': 'https://api.x', locale: 'fr', theme: 'dark', sections: 'link,qr', messages: '{"title":"Hi","copy":3}' };
    expect(optionsFrom((n) => attrs[n])).toEqual({ token: 't', tokenUrl: '/tok', apiOrigin: 'https://api.x', locale: 'fr', theme: 'dark', sections: 'link,qr', messages: { title: 'Hi' } });
    expect(optionsFrom(() => null)).toEqual({ messages: {} });
  });

  it('ignores data-messages that is not a JSON object', () => {
    for (const bad of ['{', '["a","b"]', '"x"', '42', 'null']) {
      const messages = optionsFrom((n) => (n == 'messages' ? bad : null)).messages;
      expect(Object.keys(messages ?? {}), bad).toEqual([]);
    }
  });
});

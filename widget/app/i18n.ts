import type { MoneyAmount } from '../../shared/widget-api.ts';
import { en, type Messages } from './messages/en.ts';

/** Languages with a message file; every one but English is a lazily loaded chunk. */
export const LANGUAGES = ['en', 'es', 'de', 'fr', 'ar'] as const;
const RTL = ['ar', 'he', 'fa', 'ur'];

export interface Locale {
  /** The tag Intl formats with (the host's or browser's own tag, e.g. `de-CH`). */
  tag: string;
  /** The message file it uses (`de`). */
  lang: string;
}

/** Picks the first supported language of the requested tag, then the browser's languages. */
export function pickLocale(requested: string | undefined, browser: readonly string[] = navigator.languages ?? []): Locale {
  for (const want of [requested, ...browser]) {
    if (!want) continue;
    const lang = want.toLowerCase().split(/[-_]/)[0]!;
    if (!(LANGUAGES as readonly string[]).includes(lang)) continue;
    try {
      return { tag: Intl.getCanonicalLocales(want.replace('_', '-'))[0]!, lang };
    } catch {
      return { tag: lang, lang };
    }
  }
  return { tag: 'en', lang: 'en' };
}

/** Texts and Intl formatters for one locale. */
export interface Fmt {
  tag: string;
  dir: 'ltr' | 'rtl';
  /** The text of `key` with `{placeholders}` filled. */
  t(key: keyof typeof en, vars?: Record<string, string | number>): string;
  /** The plural form of `key` for `n` (`key_one`, `key_other`, ...), with `{n}` filled. */
  p(key: string, n: number): string;
  /** The label of a referral status (`active` -> "Active"); unknown statuses as they are. */
  st(status: string): string;
  num(n: number): string;
  money(m: MoneyAmount): string;
  date(iso: string): string;
  /** "in 30 seconds", "in 2 minutes". */
  inTime(seconds: number): string;
}

/** Builds the formatter of a locale from its messages (English underneath, host overrides on top). */
export function createFmt(locale: Locale, messages: Partial<Messages>, overrides: Partial<Record<string, string>> = {}): Fmt {
  const m: Messages = { ...en, ...messages, ...overrides };
  const { tag } = locale;
  const nf = new Intl.NumberFormat(tag);
  const fill = (s: string, vars: Record<string, string | number> = {}) =>
    s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));
  const f: Fmt = {
    tag,
    dir: RTL.includes(locale.lang) ? 'rtl' : 'ltr',
    t: (key, vars) => fill(m[key], vars),
    p: (key, n) => fill(m[`${key}_${new Intl.PluralRules(tag).select(n)}`] ?? m[`${key}_other`] ?? key, { n: nf.format(n) }),
    st: (status) => m[`st_${status}`] ?? status,
    num: (n) => nf.format(n),
    money: ({ amount, currency, is_currency }) => {
      if (is_currency) {
        try {
          return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(amount);
        } catch {
          // Not an ISO 4217 code: show it as a unit below.
        }
      }
      return `${nf.format(amount)} ${currency}`;
    },
    date: (iso) => {
      // Only ISO 8601: engines "parse" almost any string into some date.
      const d = new Date(/^\d{4}-\d\d-\d\d/.test(iso) ? iso : NaN);
      return isNaN(+d) ? '' : new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }).format(d);
    },
    inTime: (s) => {
      const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
      return s < 60 ? rtf.format(Math.max(1, Math.ceil(s)), 'second') : rtf.format(Math.ceil(s / 60), 'minute');
    },
  };
  return f;
}

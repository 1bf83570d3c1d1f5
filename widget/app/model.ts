import { signal, type Signal } from '@preact/signals-core';
import type { MeResponse, Paged, ReferralItem, TransactionItem } from '../../shared/widget-api.ts';
import type { MountOptions, ReferralEventDetail, Section } from '../types.ts';
import { SECTIONS } from '../types.ts';
import { ApiError, createApi, isAuthError, type Api } from './api.ts';
import { loadChunk } from './chunks.ts';
import { createFmt, pickLocale, type Fmt } from './i18n.ts';
import type { Messages } from './messages/en.ts';
import type { QrShape } from './qr.ts';

export type Status = 'loading' | 'ready' | 'error' | 'out';

/** One paginated list (referrals or transactions), loaded when its section is opened. */
export interface Pager<T> {
  data: Signal<Paged<T> | null>;
  busy: Signal<boolean>;
  failed: Signal<boolean>;
  go(page: number): Promise<void>;
}

/** What the invite form shows: an error (and whether it is about the email field), a confirmation. */
export interface InviteState {
  error?: string;
  field?: boolean;
  sent?: string;
  busy?: boolean;
}

/**
 * The state and actions of one widget instance, all in signals: the UI is a pure function
 * of them (mount.tsx re-renders when one changes). Nothing is shared between instances.
 */
export interface Model {
  host: HTMLElement;
  root: ShadowRoot;
  base: string;
  theme: string;
  sections: ReadonlySet<Section>;
  api: Api;
  status: Signal<Status>;
  me: Signal<MeResponse | null>;
  /** Texts and formatters; null until the language chunk arrived. */
  fmt: Signal<Fmt | null>;
  /** Text of the polite live region. */
  live: Signal<string>;
  /** The copy button shows "Copied" for a moment. */
  copied: Signal<boolean>;
  qr: Signal<QrShape | 'loading' | 'failed' | null>;
  invite: Signal<InviteState>;
  referrals: Pager<ReferralItem>;
  transactions: Pager<TransactionItem>;
  load(): Promise<void>;
  loadQr(url: string): void;
  say(text: string): void;
  emit<K extends keyof ReferralEventDetail>(type: K, detail: ReferralEventDetail[K]): void;
  /** Reports a failed call (event + signed-out state on 401) and returns the text to show. */
  fail(e: unknown): string;
  dispose(): void;
}

/** Sections from an array or a comma-separated list; unknown names are ignored, none means all. */
export function parseSections(value: MountOptions['sections']): Set<Section> {
  const list = typeof value == 'string' ? value.split(',').map((s) => s.trim()) : (value ?? []);
  const set = new Set(SECTIONS.filter((s) => list.includes(s)));
  return set.size ? set : new Set(SECTIONS);
}

const isMe = (v: unknown): v is MeResponse => {
  const me = v as MeResponse | null;
  return !!me && typeof me.customer == 'object' && typeof me.stats == 'object' && Array.isArray(me.balance);
};

/** Creates the model of one widget mounted on `host` (events are dispatched there). */
export function createModel(host: HTMLElement, root: ShadowRoot, options: MountOptions, base: string): Model {
  const abort = new AbortController();
  const gone = () => abort.signal.aborted;
  const apiOrigin = (options.apiOrigin || new URL(base).origin).replace(/\/+$/, '');
  const api = createApi({ ...options, apiOrigin, signal: abort.signal });
  const status = signal<Status>('loading');
  const fmt = signal<Fmt | null>(null);
  const live = signal('');

  const locale = pickLocale(options.locale);
  // Resolves (never rejects) once the texts are there; a language chunk that fails to load
  // leaves the widget in English.
  const ready: Promise<void> = (
    locale.lang == 'en'
      ? Promise.resolve(null)
      : loadChunk<{ default: Messages }>(base, `i18n-${locale.lang}`).then(
          (mod) => mod.default,
          () => null,
        )
  ).then((msgs) => {
    fmt.value = createFmt(msgs || locale.lang == 'en' ? locale : { tag: 'en', lang: 'en' }, msgs ?? {}, options.messages);
  });

  const emit: Model['emit'] = (type, detail) => {
    if (!gone()) host.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  };

  const fail = (e: unknown): string => {
    const f = fmt.value!;
    const code = e instanceof ApiError ? e.code : 'internal_error';
    const auth = isAuthError(e);
    const message =
      code == 'rate_limited'
        ? f.t('rateLimited', { when: f.inTime((e as ApiError).retryAfter ?? 60) })
        : f.t(code == 'self_referral' ? 'selfInvite' : code == 'validation_failed' ? 'badEmail' : auth ? 'signedOut' : 'failed');
    if (auth) status.value = 'out';
    emit('referral:error', { code, message });
    return message;
  };

  const pager = <T>(path: string): Pager<T> => {
    const data = signal<Paged<T> | null>(null);
    const busy = signal(false);
    const failed = signal(false);
    return {
      data,
      busy,
      failed,
      async go(page) {
        busy.value = true;
        failed.value = false;
        try {
          data.value = await api.call<Paged<T>>(`${path}?page=${page}&per_page=10`);
        } catch (e) {
          if (gone()) return;
          failed.value = true;
          fail(e);
        }
        busy.value = false;
      },
    };
  };

  const m: Model = {
    host,
    root,
    base,
    theme: options.theme == 'light' || options.theme == 'dark' ? options.theme : 'auto',
    sections: parseSections(options.sections),
    api,
    status,
    me: signal(null),
    fmt,
    live,
    copied: signal(false),
    qr: signal(null),
    invite: signal({}),
    referrals: pager('/me/referrals'),
    transactions: pager('/me/transactions'),
    async load() {
      status.value = 'loading';
      let text: 'error' | 'signedOut' | '' = '';
      try {
        const [data] = await Promise.all([api.call<unknown>('/me'), ready]);
        if (!isMe(data)) throw new ApiError(200, 'bad_response');
        m.me.value = data;
        status.value = 'ready';
      } catch (e) {
        await ready;
        if (gone()) return;
        const auth = isAuthError(e);
        if (!auth) status.value = 'error';
        fail(e);
        text = auth ? 'signedOut' : 'error';
      }
      if (text) m.say(fmt.value!.t(text));
    },
    loadQr(url) {
      if (m.qr.value && m.qr.value != 'failed') return;
      m.qr.value = 'loading';
      loadChunk<typeof import('./qr.ts')>(base, 'qr').then(
        (mod) => (m.qr.value = mod.qrShape(url)),
        () => (m.qr.value = 'failed'),
      );
    },
    say(text) {
      // Same text twice still has to be announced again: vary it invisibly.
      live.value = live.value == text ? `${text}\u00a0` : text;
    },
    emit,
    fail,
    dispose: () => abort.abort(),
  };
  return m;
}

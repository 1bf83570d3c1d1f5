/**
 * Public types of the widget's JavaScript API (widget.esm.js `mount`) and of the DOM
 * events it dispatches on its host element.
 */

/** The parts of the widget a host can show, in display order. */
export const SECTIONS = ['link', 'share', 'qr', 'stats', 'balance', 'invite', 'referrals', 'transactions'] as const;
export type Section = (typeof SECTIONS)[number];

export type Theme = 'light' | 'dark' | 'auto';

/** Host overrides of the widget's texts, by message key (see widget/app/messages/en.ts). */
export type MessageOverrides = Partial<Record<string, string>>;

export interface MountOptions {
  /** A customer token minted by the host backend. */
  token?: string;
  /** GET URL answering `{"token": "..."}` or the bare token as text; used first when no token is given, and to renew an expired one. */
  tokenUrl?: string;
  /** Returns a fresh token; used like `tokenUrl` (wins over it). */
  getToken?: () => string | Promise<string>;
  /** Origin of the widget API (`https://refer.example.com`); default: the origin the widget was loaded from. */
  apiOrigin?: string;
  /** BCP 47 tag such as `de` or `es-MX`; default: the browser's languages. */
  locale?: string;
  /** Default `auto` (follows prefers-color-scheme). */
  theme?: Theme;
  /** Sections to show (array, or a comma-separated list); default: all. */
  sections?: readonly Section[] | string;
  /** Text overrides, merged over the chosen language. */
  messages?: MessageOverrides;
}

/** Removes the widget and everything it attached. Safe to call twice. */
export type Unmount = () => void;

/** `detail` of each event dispatched on the host element (bubbles, composed). */
export interface ReferralEventDetail {
  'referral:copied': { url: string };
  'referral:shared': { network: string };
  'referral:invited': { email: string };
  'referral:error': { code: string; message: string };
}

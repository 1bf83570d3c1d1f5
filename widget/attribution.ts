/**
 * attribution.js, for landing pages (≤ 1 KB gzip):
 *   <script src="https://refer.example.com/attribution.js" data-domain="example.com"></script>
 * Runs at once, before a SPA router can rewrite the URL: a valid `?ref=KEY` is stored in
 * the first-party cookie `partnero_referral` (PartneroJS's name and plain-key format) and
 * its click recorded once. data-*: param (default "ref"), domain (parent domain shared by
 * subdomains; omitted when unset), days (default 30), touch ("first" default, or "last"),
 * api-origin (default: this script's origin).
 */
import type { SignupResponse } from '../shared/widget-api.ts';

declare global {
  interface Window {
    PartneroReferral?: {
      /** The stored referrer key, or null. */
      key(): string | null;
      /** POSTs /api/signup for the token's customer with the stored key; rejects with the error body. */
      signup(token: string): Promise<SignupResponse>;
    };
  }
}

(() => {
  const d = document;
  const script = d.currentScript as HTMLScriptElement | null;
  const data = script?.dataset ?? {};
  const NAME = 'partnero_referral';
  // Same as CUSTOMER_KEY_PATTERN in shared/partnero.ts, inlined to stay tiny.
  const valid = (key: string | null | undefined): key is string => !!key && /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/.test(key);
  const origin = data.apiOrigin || new URL(script?.src || location.href).origin;

  const key = (): string | null => {
    const found = d.cookie.match(/(?:^|;\s*)partnero_referral=([^;]*)/);
    let value = found?.[1];
    try {
      value = value && decodeURIComponent(value);
    } catch {
      value = '';
    }
    return valid(value) ? value : null;
  };

  const ref = new URLSearchParams(location.search).get(data.param || 'ref');
  const days = Number(data.days) > 0 ? Number(data.days) : 30;
  if (valid(ref)) {
    if (data.touch == 'last' || !key()) {
      d.cookie =
        `${NAME}=${ref}; Path=/; Max-Age=${Math.round(86400 * days)}; SameSite=Lax` +
        (data.domain ? `; Domain=${data.domain}` : '') +
        (location.protocol == 'https:' ? '; Secure' : '');
    }
    // Once per landing: a reload or a second copy of this script does not count again.
    const seen = `${NAME}:${ref}:${location.pathname}${location.search}`;
    let first = true;
    try {
      first = !sessionStorage.getItem(seen);
      sessionStorage.setItem(seen, '1');
    } catch {
      // No storage (privacy mode): count this landing.
    }
    if (first) {
      // text/plain keeps the beacon a simple CORS request (no preflight); the body is JSON.
      const body = JSON.stringify({ referral_key: ref, url: location.href });
      const url = `${origin}/api/clicks`;
      if (!navigator.sendBeacon?.(url, body)) void fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {});
    }
  }

  const fill = () => {
    const k = key();
    if (k) d.querySelectorAll<HTMLInputElement>('input[data-partnero-referral]').forEach((input) => (input.value = k));
  };
  fill();
  d.addEventListener('DOMContentLoaded', fill);

  window.PartneroReferral = {
    key,
    signup: (token) => {
      const k = key();
      return fetch(`${origin}/api/signup`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(k ? { referral_key: k } : {}),
      }).then((res) => res.json().then((body: unknown) => (res.ok ? (body as SignupResponse) : Promise.reject(body))));
    },
  };
})();

/**
 * widget.js, the script-tag entry:
 *   <script src="https://refer.example.com/widget.js" data-token-url="/referral-token"></script>
 * Reads its own tag once (document.currentScript exists only now), defines
 * `<referral-widget>`, and mounts a widget when the tag carries a token or token URL.
 */
import { optionsFrom } from './app/config.ts';
import { mountWidget } from './app/mount.tsx';
import { defineElement } from './element.ts';
import type { MountOptions, Unmount } from './types.ts';

declare global {
  interface Window {
    /** The script-tag build's JavaScript API (same as widget.esm.js `mount`). */
    ReferralWidget?: { mount(el: HTMLElement, options?: MountOptions): Unmount };
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || location.href;

defineElement(base);
window.ReferralWidget = { mount: (el, options = {}) => mountWidget(el, options, base) };

if (script && (script.dataset.token || script.dataset.tokenUrl)) {
  const options = optionsFrom((n) => script.getAttribute(`data-${n}`));
  const selector = script.dataset.target;
  const place = () => {
    let host: HTMLElement | null = null;
    try {
      host = selector ? document.querySelector<HTMLElement>(selector) : null;
    } catch {
      // An invalid selector falls back to the default placement.
    }
    if (!host) {
      host = document.createElement('div');
      // Right after the tag; a tag in <head> puts the widget at the start of <body>.
      if (script.parentNode == document.head) document.body.prepend(host);
      else script.after(host);
    }
    mountWidget(host, options, base);
  };
  if (document.readyState == 'loading' && (selector || script.parentNode == document.head)) {
    document.addEventListener('DOMContentLoaded', place);
  } else place();
}

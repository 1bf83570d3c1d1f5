import type { Unmount } from './types.ts';
import { ATTRIBUTES, optionsFrom } from './app/config.ts';
import { mountWidget } from './app/mount.tsx';

/**
 * Defines `<referral-widget token-url="..." theme="dark">`: it mounts when connected,
 * remounts when an attribute changes and unmounts when removed. Safe to call twice.
 */
export function defineElement(base: string): void {
  if (typeof customElements == 'undefined' || customElements.get('referral-widget')) return;
  customElements.define(
    'referral-widget',
    class extends HTMLElement {
      static get observedAttributes() {
        return ATTRIBUTES;
      }
      u: Unmount | undefined;
      connectedCallback() {
        this.u = mountWidget(this, optionsFrom((n) => this.getAttribute(n)), base);
      }
      disconnectedCallback() {
        this.u?.();
        this.u = undefined;
      }
      attributeChangedCallback() {
        if (this.u) this.connectedCallback();
      }
    },
  );
}

/**
 * widget.esm.js: `import { mount } from '.../widget.esm.js'`. Importing it also defines
 * the `<referral-widget>` element. Lazy chunks load from next to this module.
 */
import { mountWidget } from './app/mount.tsx';
import { defineElement } from './element.ts';
import type { MountOptions, Unmount } from './types.ts';

export type { MountOptions, MessageOverrides, ReferralEventDetail, Section, Theme, Unmount } from './types.ts';

const base = import.meta.url;

/**
 * Mounts the referral widget in `el` (inside an open shadow root) and returns `unmount`.
 * Mounting again on the same element replaces the widget. Events (`referral:copied`,
 * `referral:shared`, `referral:invited`, `referral:error`) are dispatched on `el`.
 */
export function mount(el: HTMLElement, options: MountOptions = {}): Unmount {
  return mountWidget(el, options, base);
}

defineElement(base);

import { effect } from '@preact/signals-core';
import { render } from 'preact';
import type { MountOptions, Unmount } from '../types.ts';
import { createModel } from './model.ts';
import { applyStyles } from './styles.ts';
import { App } from './ui/App.tsx';

// Which widget each host element carries, so a second mount replaces the first.
const mounted = new WeakMap<Element, Unmount>();

/**
 * Renders a widget into `el`'s open shadow root and loads its data. Mounting again on the
 * same element replaces the previous widget (never a second copy). `base` is the URL the
 * lazy chunks are resolved against and whose origin is the default API origin.
 */
export function mountWidget(el: HTMLElement, options: MountOptions, base: string): Unmount {
  mounted.get(el)?.();
  const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const unstyle = applyStyles(root);
  const container = document.createElement('div');
  root.append(container);
  const m = createModel(el, root, options, base);
  // The UI is a pure function of the model's signals: whatever a render read, a change of
  // it renders again (a small tree, so one root subscription is enough).
  const stop = effect(() => render(<App m={m} />, container));
  void m.load();
  const unmount = () => {
    if (mounted.get(el) != unmount) return;
    mounted.delete(el);
    m.dispose();
    stop();
    render(null, container);
    container.remove();
    unstyle();
  };
  mounted.set(el, unmount);
  return unmount;
}

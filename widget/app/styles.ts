import css from './styles.css?inline';

// One constructed sheet, shared by every widget on the page (it never changes).
let sheet: CSSStyleSheet | undefined;

/**
 * Gives the shadow root the widget's stylesheet: a constructable stylesheet through
 * adoptedStyleSheets where supported, a <style> element otherwise. Returns the undo.
 */
export function applyStyles(root: ShadowRoot): () => void {
  try {
    if (!sheet) {
      const s = new CSSStyleSheet();
      s.replaceSync(css);
      sheet = s;
    }
    const own = sheet;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets.filter((s) => s != own), own];
    return () => {
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s != own);
    };
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
    return () => style.remove();
  }
}

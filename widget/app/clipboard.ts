/**
 * Copies text: the Clipboard API first, then a selected textarea and execCommand('copy')
 * for browsers or contexts (insecure origins, some webviews) without it. Focus goes back
 * to where it was, so keyboard users stay on the copy button.
 */
export async function copyText(text: string, root: ShadowRoot): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fall through to the legacy path.
  }
  const back = root.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.cssText = 'position:fixed;top:0;opacity:0';
  root.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    // ok stays false: the caller tells the user to copy by hand.
  }
  area.remove();
  back?.focus();
  return ok;
}

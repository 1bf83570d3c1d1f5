import type { MountOptions, Theme } from '../types.ts';

/** The attributes `<referral-widget>` reads; the script tag reads the same names as `data-*`. */
export const ATTRIBUTES = ['token', 'token-url', 'api-origin', 'locale', 'theme', 'sections', 'messages'];

/**
 * Mount options from attribute-like strings (`get('token-url')`). Absent or empty values
 * stay undefined so defaults apply; `messages` is JSON whose string values override texts.
 */
export function optionsFrom(get: (name: string) => string | null | undefined): MountOptions {
  const value = (name: string) => get(name) || undefined;
  let messages: Record<string, string> | undefined;
  try {
    const parsed: unknown = JSON.parse(value('messages') ?? '{}');
    if (parsed && typeof parsed == 'object' && !Array.isArray(parsed)) {
      messages = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v == 'string') messages[k] = v;
    }
  } catch {
    // Invalid JSON: keep the built-in texts.
  }
  return {
    token: value('token'),
    tokenUrl: value('token-url'),
    apiOrigin: value('api-origin'),
    locale: value('locale'),
    theme: value('theme') as Theme | undefined,
    sections: value('sections'),
    messages,
  };
}

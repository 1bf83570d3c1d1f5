/** The URL if it parses with protocol http: or https:, otherwise null (never link `javascript:` and friends). */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value != 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol == 'https:' || url.protocol == 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Share targets, in display order: [network id, visible label]. */
export const NETWORKS = [
  ['x', 'X'],
  ['facebook', 'Facebook'],
  ['linkedin', 'LinkedIn'],
  ['whatsapp', 'WhatsApp'],
  ['telegram', 'Telegram'],
  ['email', ''],
] as const;
export type Network = (typeof NETWORKS)[number][0];

const query = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

/**
 * The share URL of `network` for the referral link `url` with a message `text`. Every
 * value is percent-encoded (encodeURIComponent, so `mailto:` keeps spaces as %20).
 */
export function shareUrl(network: Network, url: string, text: string, subject: string): string {
  switch (network) {
    case 'x':
      return `https://x.com/intent/post?${query({ text, url })}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?${query({ u: url })}`;
    case 'linkedin':
      return `https://www.linkedin.com/sharing/share-offsite/?${query({ url })}`;
    case 'whatsapp':
      return `https://wa.me/?${query({ text: `${text} ${url}` })}`;
    case 'telegram':
      return `https://t.me/share/url?${query({ url, text })}`;
    case 'email':
      return `mailto:?${query({ subject, body: `${text} ${url}` })}`;
  }
}

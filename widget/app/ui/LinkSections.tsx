import { copyText } from '../clipboard.ts';
import type { Fmt } from '../i18n.ts';
import { NETWORKS, shareUrl } from '../links.ts';
import type { Model } from '../model.ts';

interface Props {
  m: Model;
  f: Fmt;
  /** The referral link, already checked to be http(s). */
  url: string;
}

/** The referral link and its copy button ("Copied" shown on the button and announced). */
export function LinkSection({ m, f, url }: Props) {
  const copy = async () => {
    const ok = await copyText(url, m.root);
    m.say(f.t(ok ? 'copied' : 'copyFailed'));
    if (ok) {
      m.copied.value = true;
      setTimeout(() => (m.copied.value = false), 2500);
      m.emit('referral:copied', { url });
    }
  };
  return (
    <section aria-labelledby="rw-link" data-testid="link-section">
      <h3 id="rw-link">{f.t('linkLabel')}</h3>
      <div class="row">
        <a class="lv" href={url} target="_blank" rel="noopener noreferrer" data-testid="link">
          {url}
        </a>
        <button type="button" class="pri" onClick={copy} data-testid="copy">
          {f.t(m.copied.value ? 'copied' : 'copy')}
        </button>
      </div>
    </section>
  );
}

/** Share links for each network, plus the browser's share sheet where there is one. */
export function ShareSection({ m, f, url }: Props) {
  const text = f.t('shareText');
  const native = () =>
    navigator.share({ title: f.t('title'), text, url }).then(
      () => m.emit('referral:shared', { network: 'native' }),
      // Dismissing the share sheet is not an error.
      () => {},
    );
  return (
    <section aria-labelledby="rw-share" data-testid="share-section">
      <h3 id="rw-share">{f.t('share')}</h3>
      <ul class="row">
        {NETWORKS.map(([id, label]) => (
          <li key={id}>
            <a
              class="pill"
              href={shareUrl(id, url, text, f.t('emailSubject'))}
              // A new tab for web share pages; mailto: opens the mail app in place.
              target={id == 'email' ? undefined : '_blank'}
              rel="noopener noreferrer"
              data-testid={`share-${id}`}
              onClick={() => m.emit('referral:shared', { network: id })}
            >
              {label || f.t('email')}
            </a>
          </li>
        ))}
        {'share' in navigator && (
          <li>
            <button type="button" onClick={native} data-testid="share-native">
              {f.t('shareNative')}
            </button>
          </li>
        )}
      </ul>
    </section>
  );
}

/** The QR code of the link; its chunk is only fetched when the section is opened. */
export function QrSection({ m, f, url }: Props) {
  const qr = m.qr.value;
  const side = qr && typeof qr == 'object' ? qr.size + 8 : 0;
  return (
    <section data-testid="qr-section">
      <details onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && m.loadQr(url)}>
        <summary>{f.t('qrShow')}</summary>
        {qr && typeof qr == 'object' ? (
          <svg class="qr" role="img" aria-label={f.t('qrLabel')} viewBox={`-4 -4 ${side} ${side}`} data-testid="qr">
            <path d={qr.d} />
          </svg>
        ) : qr == 'failed' ? (
          <p class="bad">{f.t('failed')}</p>
        ) : (
          <div class="sk qr" />
        )}
      </details>
    </section>
  );
}

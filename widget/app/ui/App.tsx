import { safeHttpUrl } from '../links.ts';
import type { Model } from '../model.ts';
import { InviteSection } from './Invite.tsx';
import { LinkSection, QrSection, ShareSection } from './LinkSections.tsx';
import { ReferralsSection, TransactionsSection } from './Lists.tsx';
import { StatsSection } from './Stats.tsx';

/** The whole widget: a state (loading, signed out, error) or the content, plus one live region. */
export function App({ m }: { m: Model }) {
  const f = m.fmt.value;
  const status = m.status.value;
  const me = m.me.value;
  const has = (s: Parameters<Model['sections']['has']>[0]) => m.sections.has(s);
  // After "Try again" the button is gone: put keyboard focus back at the top of the widget.
  const retry = () => m.load().then(() => m.root.querySelector('h2')?.focus());
  const loading = !f || status == 'loading';
  const url = me && safeHttpUrl(me.referral_link);

  let body;
  if (loading) {
    body = (
      <div data-testid="loading">
        {f && <p class="sr">{f.t('loading')}</p>}
        <div class="sk" style={{ width: '70%' }} />
        <div class="sk" />
        <div class="sk" style={{ width: '45%' }} />
      </div>
    );
  } else if (status != 'ready' || !me) {
    const out = status == 'out';
    body = (
      <div class="box note" data-testid={out ? 'signed-out' : 'error'}>
        <p>{f.t(out ? 'signedOut' : 'error')}</p>
        <button type="button" class="pri" onClick={retry} data-testid="retry" style={{ marginTop: '8px' }}>
          {f.t('retry')}
        </button>
      </div>
    );
  } else {
    const props = { m, f, url: url ?? '' };
    body = (
      <>
        {me.stale && (
          <p class="box note" data-testid="stale">
            {f.t('stale')}
          </p>
        )}
        {has('link') &&
          (url ? (
            <LinkSection {...props} />
          ) : (
            me.referral_link && (
              // Not http(s): shown as plain text, never as a link.
              <section aria-labelledby="rw-link" data-testid="link-section">
                <h3 id="rw-link">{f.t('linkLabel')}</h3>
                <p class="lv" data-testid="link">
                  {me.referral_link}
                </p>
              </section>
            )
          ))}
        {url && has('share') && <ShareSection {...props} />}
        {url && has('qr') && <QrSection {...props} />}
        {(has('stats') || has('balance')) && <StatsSection m={m} f={f} me={me} />}
        {has('invite') && <InviteSection m={m} f={f} />}
        {has('referrals') && <ReferralsSection m={m} f={f} count={me.stats.referrals} />}
        {has('transactions') && <TransactionsSection m={m} f={f} count={me.stats.referrals} />}
      </>
    );
  }

  return (
    <div class={`rw ${m.theme}`} dir={f?.dir} lang={f?.tag} aria-busy={loading} data-testid="root">
      {f && (
        <>
          <h2 tabIndex={-1}>
            {f.t('title')}
          </h2>
          <p class="mu">{f.t('intro')}</p>
        </>
      )}
      <div role="status" aria-live="polite" class="sr" data-testid="live">
        {m.live.value}
      </div>
      {body}
    </div>
  );
}

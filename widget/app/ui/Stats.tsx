import type { MeResponse } from '../../../shared/widget-api.ts';
import type { Fmt } from '../i18n.ts';
import type { Model } from '../model.ts';

/** Clicks, referrals and the reward balance (one line per currency or unit). */
export function StatsSection({ m, f, me }: { m: Model; f: Fmt; me: MeResponse }) {
  const has = (s: 'stats' | 'balance') => m.sections.has(s);
  return (
    <section aria-labelledby="rw-stats" data-testid="stats-section">
      <h3 id="rw-stats">{f.t('stats')}</h3>
      <dl class="st">
        {has('stats') && (
          <>
            <div class="box">
              <dt>{f.t('clicks')}</dt>
              <dd data-testid="clicks">{f.num(me.stats.clicks)}</dd>
            </div>
            <div class="box">
              <dt>{f.t('referred')}</dt>
              <dd data-testid="referrals">{f.num(me.stats.referrals)}</dd>
            </div>
          </>
        )}
        {has('balance') && (
          <div class="box" data-testid="balance">
            <dt>{f.t('rewards')}</dt>
            {me.balance.length ? (
              me.balance.map((b) => <dd key={b.currency}>{f.money(b)}</dd>)
            ) : (
              <dd>{f.t('none')}</dd>
            )}
          </div>
        )}
      </dl>
    </section>
  );
}

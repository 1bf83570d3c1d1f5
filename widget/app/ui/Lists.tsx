import type { ComponentChildren } from 'preact';
import type { ReferralItem, TransactionItem } from '../../../shared/widget-api.ts';
import type { Fmt } from '../i18n.ts';
import type { Model, Pager } from '../model.ts';

interface ListProps<T> {
  m: Model;
  f: Fmt;
  id: string;
  pager: Pager<T>;
  title: string;
  summary: string;
  /** Shown instead of the list when there is nothing to list (no request made). */
  empty: string | false;
  head: string[];
  row: (item: T) => ComponentChildren;
}

/** A titled, paginated table that loads its first page when opened. */
function List<T>({ m, f, id, pager, title, summary, empty, head, row }: ListProps<T>) {
  const d = pager.data.value;
  const busy = pager.busy.value;
  const go = async (page: number) => {
    if (busy || !d || page < 1 || page > d.last_page) return;
    await pager.go(page);
    const now = pager.data.value;
    if (now) m.say(f.t('page', { page: f.num(now.page), pages: f.num(now.last_page) }));
  };
  const toggle = (e: Event) => {
    if ((e.currentTarget as HTMLDetailsElement).open && !d && !busy) void pager.go(1);
  };
  return (
    <section aria-labelledby={id} data-testid={id}>
      <h3 id={id}>{title}</h3>
      {empty ? (
        <p class="box mu" data-testid={id == 'rw-referrals' ? 'empty' : 'tx-empty'}>
          {empty}
        </p>
      ) : (
        <details onToggle={toggle}>
          <summary>{summary}</summary>
          {pager.failed.value ? (
            <p class="bad">
              {f.t('failed')}{' '}
              <button type="button" onClick={() => pager.go(d?.page ?? 1)}>
                {f.t('retry')}
              </button>
            </p>
          ) : !d ? (
            <div class="sk" />
          ) : !d.items.length ? (
            <p class="mu">{f.t('txEmpty')}</p>
          ) : (
            <>
              <table aria-busy={busy}>
                <thead>
                  <tr>
                    {head.map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>{d.items.map(row)}</tbody>
              </table>
              {d.last_page > 1 && (
                <div class="row pg">
                  {/* aria-disabled instead of disabled: the button keeps keyboard focus at either end. */}
                  <button type="button" aria-disabled={d.page <= 1} onClick={() => go(d.page - 1)} data-testid="prev">
                    {f.t('prev')}
                  </button>
                  <span>{f.t('page', { page: f.num(d.page), pages: f.num(d.last_page) })}</span>
                  <button type="button" aria-disabled={d.page >= d.last_page} onClick={() => go(d.page + 1)} data-testid="next">
                    {f.t('next')}
                  </button>
                </div>
              )}
            </>
          )}
        </details>
      )}
    </section>
  );
}

// <bdi>: a Latin name keeps its own direction inside a right-to-left table.
const dash = (s: string | null | undefined) => <bdi>{s || '—'}</bdi>;

/** The referred friends (masked by the API), with status badges. */
export function ReferralsSection({ m, f, count }: { m: Model; f: Fmt; count: number }) {
  return (
    <List<ReferralItem>
      m={m}
      f={f}
      id="rw-referrals"
      pager={m.referrals}
      title={f.t('refTitle')}
      summary={f.p('refShow', count)}
      empty={!count && f.t('empty')}
      head={[f.t('friend'), f.t('email'), f.t('status'), f.t('date')]}
      row={(r) => (
        <tr>
          <td>{dash(r.name)}</td>
          <td>{dash(r.email)}</td>
          <td>
            <span class="bd" data-s={r.status}>
              {f.st(r.status)}
            </span>
          </td>
          <td>{f.date(r.created_at)}</td>
        </tr>
      )}
    />
  );
}

/** Purchases of referred friends and what each earned the customer. */
export function TransactionsSection({ m, f, count }: { m: Model; f: Fmt; count: number }) {
  return (
    <List<TransactionItem>
      m={m}
      f={f}
      id="rw-transactions"
      pager={m.transactions}
      title={f.t('txTitle')}
      summary={f.t('txShow')}
      empty={!count && f.t('txEmpty')}
      head={[f.t('date'), f.t('friend'), f.t('purchase'), f.t('reward')]}
      row={(t) => (
        <tr>
          <td>{f.date(t.created_at)}</td>
          <td>{dash(t.customer_name)}</td>
          <td>{f.money({ amount: t.amount, currency: t.currency, is_currency: true })}</td>
          <td>{t.reward ? f.money(t.reward) : '—'}</td>
        </tr>
      )}
    />
  );
}

/**
 * The portfolio dashboard, the first screen after unlock: approvals running out, the case
 * pipeline, overdue findings and conditions, record follow-ups, clearances running out and the
 * highest residual risks. Every item links to where it can be acted on.
 */
import { useEffect, type ReactNode } from 'react';
import type { MessageKey } from '../../../shared/i18n';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { useLanguage } from '../stores/preferences';
import { useLevelLabel, useOnScreen } from '../stores/register';
import { useRisks } from '../stores/risks';
import { useFormat } from '../format';

function Card({
  id,
  title,
  count,
  children,
}: {
  id: string;
  title: string;
  count: number;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <section className="panel card" aria-labelledby={`${id}-title`} data-testid={`dash-${id}`}>
      <h2 id={`${id}-title`}>
        {title} <span className="card__count">{count}</span>
      </h2>
      {count === 0 ? <p className="muted">{t(`dash.empty.${id}` as MessageKey)}</p> : children}
    </section>
  );
}

/** Where each first-hour step is done. */
const FIRST_RUN_LINKS = {
  system: hrefFor('systems'),
  criteria: hrefFor('risks'),
  identity: hrefFor('settings'),
  exchange: hrefFor('exports'),
} as const;

export function Dashboard() {
  const t = useT();
  const format = useFormat();
  const language = useLanguage();
  const levelLabel = useLevelLabel();
  const matrix = useRisks((s) => s.matrix);
  const loadRisks = useRisks((s) => s.load);
  const { data: summary } = useLoad(() => callRaw('dashboard:summary', {}), []);
  // The risk set-up is the shared store's (stores/risks.ts), refreshed here.
  useEffect(() => {
    void loadRisks();
  }, [loadRisks]);
  useOnScreen(summary?.levels ?? []);
  if (!summary) {
    return null;
  }
  const levelName = (id: string) => matrix?.levels.find((l) => l.id === id)?.[language] ?? '…';
  const levelColour = (id: string) => matrix?.levels.find((l) => l.id === id)?.colour ?? '#888';
  const active = summary.pipeline.filter((p) => p.count > 0);
  const max = Math.max(1, ...active.map((p) => p.count));
  const firstRun = summary.firstRun.some((s) => !s.done);
  return (
    <div className="dashboard">
      {firstRun ? (
        <section
          className="panel card first-run"
          aria-labelledby="first-run-title"
          data-testid="first-run"
        >
          <h2 id="first-run-title">{t('firstRun.title')}</h2>
          <p className="help">{t('firstRun.intro')}</p>
          <ol>
            {summary.firstRun.map((s) => (
              <li key={s.step} className={s.done ? 'done' : undefined}>
                <span aria-hidden="true">{s.done ? '✓ ' : '○ '}</span>
                <a href={FIRST_RUN_LINKS[s.step]}>{t(`firstRun.${s.step}`)}</a>{' '}
                <span className="help">{t(s.done ? 'firstRun.done' : 'firstRun.todo')}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <Card id="approvals" title={t('dash.approvals')} count={summary.approvals.length}>
        <p className="windows">
          {summary.approvalWindows.map((w) => (
            <span key={w.days} className="window" data-testid={`window-${w.days}`}>
              {t('dash.within', { days: w.days, n: w.count })}
            </span>
          ))}
        </p>
        <ul className="dash-list">
          {summary.approvals.map((a) => (
            <li key={a.id}>
              <a
                href={
                  a.kind === 'decision'
                    ? hrefFor('cases', a.id)
                    : a.kind === 'record'
                      ? hrefFor('records', a.id)
                      : a.systemId
                        ? hrefFor('systems', a.systemId)
                        : hrefFor('systems')
                }
              >
                {a.title}
              </a>{' '}
              <span className={a.daysLeft <= 30 ? 'due due--soon' : 'due'}>
                {t('dash.validTo', { date: a.validTo, days: a.daysLeft })}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card
        id="pipeline"
        title={t('dash.pipeline')}
        count={active.reduce((n, p) => n + p.count, 0)}
      >
        <ul className="pipeline">
          {active.map((p) => (
            <li key={p.state}>
              <a href={hrefFor('cases', `state:${p.state}`)} data-testid={`pipeline-${p.state}`}>
                <span className="pipeline__label">{t(`state.${p.state}`)}</span>
                <span
                  className="pipeline__bar"
                  style={{ width: `${Math.max(8, (p.count / max) * 100)}%` }}
                  aria-hidden="true"
                />
                <span className="pipeline__count">{p.count}</span>
              </a>
            </li>
          ))}
        </ul>
      </Card>
      <Card id="standing" title={t('dash.standing')} count={summary.standing.length}>
        <ul className="dash-list">
          {summary.standing.map((x) => (
            <li key={x.systemId} data-testid="standing">
              <a href={hrefFor('systems', x.systemId)}>{x.system}</a>{' '}
              <span className={x.state === 'multiple' ? 'due due--late' : 'due'}>
                {t(`dash.standing.${x.state}`)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card id="overdue" title={t('dash.overdue')} count={summary.overdue.length}>
        <ul className="dash-list">
          {summary.overdue.map((f) => (
            <li key={f.id}>
              <a href={hrefFor('cases', f.caseId)}>
                <span className="mono">{f.caseRef}</span> {f.title}
              </a>{' '}
              <span className="due due--late">
                {t(`dash.kind.${f.kind}`)} · {t(`severity.${f.severity}` as MessageKey)} ·{' '}
                {t('dash.daysOverdue', { days: f.daysOverdue })}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card id="followups" title={t('dash.followUps')} count={summary.followUps.length}>
        <ul className="dash-list">
          {summary.followUps.map((r) => (
            <li key={r.id}>
              <a href={hrefFor('records', r.id)}>{r.title}</a>{' '}
              <span className={r.overdue ? 'due due--late' : 'due'}>
                {r.counterpart} · {format.day(r.due)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card id="clearances" title={t('dash.clearances')} count={summary.clearances.length}>
        <ul className="dash-list">
          {summary.clearances.map((c) => (
            <li key={`${c.personId}${c.domain}${c.level}`}>
              <a href={hrefFor('people')}>{c.name}</a>{' '}
              <span className={c.expired ? 'due due--late' : 'due'}>
                {levelLabel(c.level, c.domain)} · {format.day(c.expiresOn)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card id="risks" title={t('dash.risks')} count={summary.risks.length}>
        <ul className="dash-list">
          {summary.risks.map((r) => (
            <li key={r.id}>
              <span
                className="level-badge__swatch"
                style={{ background: levelColour(r.residualLevel) }}
                aria-hidden="true"
              />
              <a href={hrefFor('risks', r.id)}>
                <span className="mono">{r.ref}</span> {r.threatEvent}
              </a>{' '}
              <span className="due">
                {levelName(r.residualLevel)} · {r.system} · {t(`acceptance.${r.acceptance}`)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

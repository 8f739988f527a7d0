/**
 * One risk: what it is, where it stands, its acceptance (and who may give it under the vault's
 * criteria), the trend over its reviews, and the review form. Accepting records the risk as it
 * stands; a later review flags the acceptance for renewal.
 */
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { riskNoteText } from '../../../shared/i18n';
import { TEXT_MAX } from '../../../shared/limits';
import { addMonths } from '../../../shared/risk';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { Field } from '../components/Field';
import { RiskTrend } from '../components/RiskCharts';
import { useFormat } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { useLanguage } from '../stores/preferences';
import { useOnScreen } from '../stores/register';
import { useRisks } from '../stores/risks';
import { useVault } from '../stores/vault';
import { RiskForm } from './RiskForm';
import { LevelBadge, useRiskChoices } from './Risks';
import { useUnsavedForm } from '../stores/unsaved';

type Detail = ResponseOf<'risks:get'>;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function Acceptance({ detail, onAccepted }: { detail: Detail; onAccepted: () => void }) {
  const t = useT();
  const format = useFormat();
  const role = useVault((s) => s.status?.profile?.role);
  const months = useRisks((s) => s.setup?.criteria?.maxAcceptanceMonths ?? 12);
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState(() => addMonths(today(), Math.min(12, months)));
  const [message, setMessage] = useState<string | null>(null);
  const form = useFormErrors();
  const clean = useUnsavedForm(justification, '', {
    form: 'risk-acceptance',
    restore: setJustification,
  });
  const { risk } = detail;
  const mayAccept =
    risk.authority === 'owner' || (risk.authority === 'accreditor' && role === 'accreditor');
  return (
    <section className="panel" aria-labelledby="acceptance-title" data-testid="risk-acceptance">
      <h2 id="acceptance-title">{t('risk.acceptance')}</h2>
      <p data-testid="acceptance-status">
        {t(`acceptance.${risk.acceptance.status}`)}
        {risk.acceptance.by
          ? ` — ${t('risk.acceptedBy', {
              by: risk.acceptance.by,
              on: risk.acceptance.on ?? '',
              until: risk.acceptance.expiresOn ?? '',
            })}`
          : ''}
      </p>
      {risk.acceptance.status === 'reaccept' ? (
        <p className="warning" role="note">
          {t('risk.reacceptNote')}
        </p>
      ) : null}
      <p className="help">{t(`authority.${risk.authority}.help`)}</p>
      {risk.acceptance.status !== 'accepted' && mayAccept ? (
        <form
          {...form.element}
          data-form="risk-acceptance"
          className="form-grid"
          aria-label={t('risk.accept')}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void callRaw('risks:accept', {
              id: risk.id,
              acceptance: { justification, expiresOn },
            }).then((r) => {
              if (r.ok) {
                form.clear();
                clean();
                setJustification('');
                setMessage(t('risk.accepted'));
                onAccepted();
                return;
              }
              // A refusal whose reason belongs to a field is said on that field.
              const reason = r.error.details?.reason;
              const field =
                reason === 'JUSTIFICATION_REQUIRED'
                  ? 'justification'
                  : reason === 'EXPIRY_IN_PAST' || reason === 'EXPIRY_TOO_FAR'
                    ? 'expiresOn'
                    : null;
              if (typeof reason === 'string' && field) {
                setMessage(null);
                form.showOn(field, `acceptRefusal.${reason}` as Parameters<typeof t>[0]);
              } else if (typeof reason === 'string') {
                form.clear();
                setMessage(t(`acceptRefusal.${reason}` as Parameters<typeof t>[0]));
              } else {
                setMessage(null);
                form.show(r.error);
              }
            });
          }}
        >
          <Field
            label={t('risk.justification')}
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
            error={form.error('justification')}
            limit={TEXT_MAX.justification}
          />
          <Field
            label={t('risk.expiresOn')}
            type="date"
            value={expiresOn}
            onChange={(e) => setExpiresOn(e.target.value)}
            error={form.error('expiresOn')}
          />
          <FormProblem form={form} />
          <button type="submit">{t('risk.accept')}</button>
        </form>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {detail.acceptances.length ? (
        <table className="table">
          <caption>{t('risk.acceptances')}</caption>
          <tbody>
            {detail.acceptances.map((a) => (
              <tr key={`${a.on}${a.by}${a.expiresOn}`}>
                <td>{format.day(a.on)}</td>
                <td>
                  {a.by} ({t(`authority.${a.authority as 'owner' | 'accreditor'}`)})
                  {a.received ? (
                    <div className="muted">
                      {t('risk.acceptance.received', { claimed: a.claimedBy ?? '—' })}
                    </div>
                  ) : null}
                </td>
                <td>{a.justification}</td>
                <td>
                  {t('risk.until')} {format.day(a.expiresOn)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function RiskDetail({ id }: { id: string }) {
  const t = useT();
  const format = useFormat();
  const language = useLanguage();
  const matrix = useRisks((s) => s.matrix);
  const load = useRisks((s) => s.load);
  const { data: detail, reload } = useLoad(() => callRaw('risks:get', { id }), [id]);
  const { systems, cases } = useRiskChoices();
  // The risk set-up is the shared store's (stores/risks.ts), refreshed here.
  useEffect(() => {
    void load();
  }, [load]);
  useOnScreen(systems.find((s) => s.id === detail?.risk.systemId)?.levels ?? []);
  if (!detail || !matrix) {
    return null;
  }
  const { risk } = detail;
  return (
    <div className="case-detail">
      <p>
        <a href={hrefFor('risks')}>{t('risk.back')}</a>
      </p>
      <section className="panel" aria-labelledby="risk-title">
        <h2 id="risk-title">
          <span className="mono">{risk.ref}</span> {risk.threatEvent}
        </h2>
        <dl className="facts">
          <div className="facts__row">
            <dt>{t('risk.system')}</dt>
            <dd>
              <a href={hrefFor('systems', risk.systemId)}>{risk.system}</a>
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.case')}</dt>
            <dd>
              {risk.caseId ? <a href={hrefFor('cases', risk.caseId)}>{risk.caseRef}</a> : '—'}
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.scope')}</dt>
            <dd>{risk.scope}</dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.inherent')}</dt>
            <dd data-testid="inherent-level">
              <LevelBadge matrix={matrix} level={risk.inherentLevel} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.treatment')}</dt>
            <dd>{t(`treatment.${risk.treatment}`)}</dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.residual')}</dt>
            <dd data-testid="residual-level">
              <LevelBadge matrix={matrix} level={risk.residualLevel} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t('risk.requirements')}</dt>
            <dd>{risk.requirementIds.join(', ') || '—'}</dd>
          </div>
        </dl>
      </section>
      <Acceptance detail={detail} onAccepted={reload} />
      <section className="panel" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('risk.reviews')}</h2>
        <RiskTrend matrix={matrix} reviews={detail.reviews} />
        <ol className="history">
          {detail.reviews.map((r) => (
            <li key={`${r.at}${r.note}`}>
              {format.time(r.at)} · {r.actor} · {riskNoteText(language, r.note)}
            </li>
          ))}
        </ol>
      </section>
      <RiskForm
        key={risk.updatedAt}
        matrix={matrix}
        risk={risk}
        systems={systems}
        cases={cases}
        onSaved={reload}
      />
    </div>
  );
}

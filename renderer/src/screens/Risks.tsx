/**
 * The risk register across systems and cases: the vault's acceptance criteria (set before any
 * assessment), heat maps of inherent and residual risk whose cells filter the register, the
 * movement from inherent to residual, and the register itself with each risk's acceptance.
 */
import { useEffect, useMemo, useState } from 'react';
import type { InfoDomain } from '../../../shared/classification';
import type { RiskRow } from '../../../shared/contract';
import { errorMessage } from '../../../shared/i18n';
import { combinedImpact, type RiskMatrix } from '../../../shared/risk';
import { ConfirmButton } from '../components/Confirm';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { FileButton } from '../components/FileButton';
import { Field, SelectField } from '../components/Field';
import { HeatMap, RiskMovement, type Cell } from '../components/RiskCharts';
import { TableHead } from '../components/TableHead';
import { useFormat } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { useIssues, useT } from '../i18n';
import { hrefFor } from '../router';
import { useLanguage } from '../stores/preferences';
import { useOnScreen } from '../stores/register';
import { useRisks } from '../stores/risks';
import { useVault } from '../stores/vault';
import { RiskForm } from './RiskForm';
import { PAGE, ShowMore } from '../components/ShowMore';
import { useOpenForRestore } from '../stores/unsaved';

interface SystemChoice {
  id: string;
  label: string;
  levels: { domain: InfoDomain; level: string }[];
}

export function useRiskChoices() {
  const registered = useLoad(() => callRaw('systems:list', {}), []);
  const opened = useLoad(() => callRaw('cases:list', {}), []);
  const systems = useMemo<SystemChoice[]>(
    () =>
      (registered.data?.systems ?? []).map((s) => ({
        id: s.id,
        label: `${s.ref} ${s.name}`,
        levels: s.levels,
      })),
    [registered.data],
  );
  const cases = useMemo(
    () =>
      (opened.data?.cases ?? []).map((c) => ({
        id: c.id,
        label: `${c.ref} ${c.title}`,
        systemId: c.systemId,
      })),
    [opened.data],
  );
  return { systems, cases };
}

function Criteria({ onSaved }: { onSaved: () => void }) {
  const t = useT();
  const format = useFormat();
  const fieldIssues = useIssues();
  const language = useLanguage();
  const setup = useRisks((s) => s.setup);
  // The matrix of the criteria in force (the store derives it once).
  const inForce = useRisks((s) => s.matrix);
  const [matrixId, setMatrixId] = useState(setup?.criteria?.matrixId ?? setup?.defaultId ?? '');
  const matrix = setup?.matrices.find((m) => m.id === matrixId) ?? null;
  const [owner, setOwner] = useState(setup?.criteria?.ownerAcceptsUpTo ?? '');
  const [accreditor, setAccreditor] = useState(setup?.criteria?.accreditorAcceptsUpTo ?? '');
  const [months, setMonths] = useState(String(setup?.criteria?.maxAcceptanceMonths ?? 12));
  const [message, setMessage] = useState<string | null>(null);
  const form = useFormErrors();
  const [open, setOpen] = useState(!setup?.criteria);
  // What a change of matrix touches: every risk is rescaled, every acceptance must be renewed.
  const touched = useLoad(
    () => (open && setup?.criteria ? callRaw('risks:list', {}) : null),
    [open, setup?.criteria],
  );
  const impact = touched.data
    ? {
        risks: touched.data.risks.length,
        accepted: touched.data.risks.filter((x) => x.acceptance.status === 'accepted').length,
      }
    : null;
  const save = () =>
    callRaw('risks:setCriteria', {
      matrixId,
      ownerAcceptsUpTo: owner,
      accreditorAcceptsUpTo: accreditor,
      maxAcceptanceMonths: Number(months),
    }).then((r) => {
      if (r.ok) {
        form.clear();
        setMessage(t('risk.criteria.saved', { moved: r.value.moved.length }));
        setOpen(false);
        onSaved();
      } else {
        setMessage(null);
        form.show(r.error);
      }
    });
  if (!setup) {
    return null;
  }
  const levelChoices = (m: RiskMatrix | null) =>
    (m?.levels ?? []).map((l) => (
      <option key={l.id} value={l.id}>
        {l[language]}
      </option>
    ));
  const current = setup.criteria;
  return (
    <section className="panel" aria-labelledby="criteria-title" data-testid="risk-criteria">
      <h2 id="criteria-title">{t('risk.criteria')}</h2>
      {current ? (
        <p>
          {t('risk.criteria.current', {
            matrix: inForce?.name[language] ?? '',
            owner: inForce?.levels.find((l) => l.id === current.ownerAcceptsUpTo)?.[language] ?? '',
            accreditor:
              inForce?.levels.find((l) => l.id === current.accreditorAcceptsUpTo)?.[language] ?? '',
            months: current.maxAcceptanceMonths,
            by: current.setBy,
            at: format.day(current.setAt.slice(0, 10)),
          })}{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => setOpen(!open)}
            aria-expanded={open}
          >
            {t('risk.criteria.change')}
          </button>
        </p>
      ) : (
        <p className="help">{t('risk.criteria.first')}</p>
      )}
      {open ? (
        <form
          {...form.element}
          data-form="risk-criteria"
          className="form-grid"
          aria-label={t('risk.criteria')}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <SelectField
            label={t('risk.matrix')}
            value={matrixId}
            error={form.error('matrixId')}
            onChange={(e) => {
              setMatrixId(e.target.value);
              setOwner('');
              setAccreditor('');
            }}
          >
            {setup.matrices.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name[language]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('risk.criteria.owner')}
            value={owner}
            error={form.error('ownerAcceptsUpTo')}
            onChange={(e) => setOwner(e.target.value)}
          >
            <option value="">—</option>
            {levelChoices(matrix)}
          </SelectField>
          <SelectField
            label={t('risk.criteria.accreditor')}
            value={accreditor}
            error={form.error('accreditorAcceptsUpTo')}
            onChange={(e) => setAccreditor(e.target.value)}
          >
            <option value="">—</option>
            {levelChoices(matrix)}
          </SelectField>
          <Field
            label={t('risk.criteria.months')}
            type="number"
            min={1}
            max={60}
            value={months}
            onChange={(e) => setMonths(e.target.value)}
            error={form.error('maxAcceptanceMonths')}
          />
          <FormProblem form={form} />
          {current && matrixId !== current.matrixId ? (
            <ConfirmButton
              label={t('risk.criteria.save')}
              testId="criteria-save"
              impact={
                <p>
                  {t('risk.criteria.impact', {
                    risks: impact?.risks ?? 0,
                    accepted: impact?.accepted ?? 0,
                  })}
                </p>
              }
              onConfirm={save}
            />
          ) : (
            <button type="submit">{t('risk.criteria.save')}</button>
          )}
          <FileButton
            label={t('risk.matrix.import')}
            accept="application/json,.json"
            onFile={(file) => {
              void file.text().then(async (content) => {
                let parsed: unknown;
                try {
                  parsed = JSON.parse(content);
                } catch {
                  setMessage(t('risk.matrix.notJson'));
                  return;
                }
                const r = await callRaw('risks:importMatrix', { matrix: parsed });
                if (r.ok) {
                  setMessage(t('risk.matrix.imported', { id: r.value.id }));
                  onSaved();
                } else {
                  setMessage(
                    [errorMessage(language, r.error.code), ...fieldIssues.lines(r.error)].join(
                      ' · ',
                    ),
                  );
                }
              });
            }}
          />
        </form>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {setup.recalculations.length ? (
        <details>
          <summary>{t('risk.recalculations', { n: setup.recalculations.length })}</summary>
          <ul>
            {setup.recalculations.map((r) => (
              <li key={r.at}>
                {t('risk.recalculation', {
                  from: r.from,
                  to: r.to,
                  moved: r.moved.length,
                  actor: r.actor,
                  at: format.time(r.at),
                })}
                {r.moved.length
                  ? `: ${r.moved.map((m) => `${m.residual[0]}→${m.residual[1]}`).join(', ')}`
                  : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

export function LevelBadge({ matrix, level }: { matrix: RiskMatrix; level: string | null }) {
  const language = useLanguage();
  const found = matrix.levels.find((l) => l.id === level);
  if (!found) {
    return <span>—</span>;
  }
  return (
    <span className="level-badge" style={{ borderColor: found.colour }} data-level={found.id}>
      <span
        className="level-badge__swatch"
        style={{ background: found.colour }}
        aria-hidden="true"
      />
      {found[language]}
    </span>
  );
}

export function Risks({ param }: { param: string | null }) {
  const t = useT();
  const format = useFormat();
  const setup = useRisks((s) => s.setup);
  const matrix = useRisks((s) => s.matrix);
  const load = useRisks((s) => s.load);
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const initialCase = param?.startsWith('case:') ? param.slice(5) : '';
  const initialSystem = param?.startsWith('system:') ? param.slice(7) : '';
  const [systemId, setSystemId] = useState(initialSystem);
  const [caseId, setCaseId] = useState(initialCase);
  const [cell, setCell] = useState<Cell | null>(null);
  const [adding, setAdding] = useState(false);
  // Kept text for this form, chosen after unlock: the form opens to take it back.
  useOpenForRestore('risk', setAdding);
  const { systems, cases } = useRiskChoices();

  // The risk set-up is the shared store's (stores/risks.ts), refreshed here.
  useEffect(() => {
    void load();
  }, [load]);
  const listed = useLoad(() => {
    const filter: { systemId?: string; caseId?: string } = {};
    if (systemId) {
      filter.systemId = systemId;
    }
    if (caseId) {
      filter.caseId = caseId;
    }
    return callRaw('risks:list', filter);
  }, [systemId, caseId]);
  const { reload } = listed;
  const risks: RiskRow[] = listed.data?.risks ?? [];
  // Rows drawn: a page at a time, so all of a large register stays quick to show. Each answer
  // starts again at one page.
  const [paged, setPaged] = useState<{ of: unknown; limit: number } | null>(null);
  const limit = paged && paged.of === listed.data ? paged.limit : PAGE;
  const setLimit = (next: number) => setPaged({ of: listed.data, limit: next });
  const shownSystems = new Set(risks.map((r) => r.systemId));
  useOnScreen(systems.filter((s) => shownSystems.has(s.id)).flatMap((s) => s.levels));

  const visible = cell
    ? risks.filter((r) =>
        cell.kind === 'residual'
          ? r.residualLikelihood === cell.likelihood && r.residualImpact === cell.impact
          : r.likelihood === cell.likelihood && combinedImpact(r) === cell.impact,
      )
    : risks;

  return (
    <div className="register">
      <Criteria
        key={setup?.criteria?.setAt ?? 'none'}
        onSaved={() => {
          void load();
          reload();
        }}
      />
      {matrix ? (
        <>
          <div className="toolbar">
            <SelectField
              className="filter"
              label={t('risk.filter.system')}
              value={systemId}
              onChange={(e) => setSystemId(e.target.value)}
            >
              <option value="">{t('systems.filter.any')}</option>
              {systems.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </SelectField>
            <SelectField
              className="filter"
              label={t('risk.filter.case')}
              value={caseId}
              onChange={(e) => setCaseId(e.target.value)}
            >
              <option value="">{t('systems.filter.any')}</option>
              {cases.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </SelectField>
            <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
              {t('risk.new')}
            </button>
          </div>
          {adding ? (
            <RiskForm
              matrix={matrix}
              risk={null}
              systems={systems}
              cases={cases}
              initialSystem={systemId}
              initialCase={caseId}
              onSaved={(id) => {
                window.location.hash = hrefFor('risks', id);
              }}
            />
          ) : null}
          <div className="charts">
            <HeatMap
              matrix={matrix}
              kind="inherent"
              risks={risks}
              selected={cell}
              onSelect={setCell}
            />
            <HeatMap
              matrix={matrix}
              kind="residual"
              risks={risks}
              selected={cell}
              onSelect={setCell}
            />
            <RiskMovement matrix={matrix} risks={visible} />
          </div>
          <p className="count" role="status" data-testid="risks-count">
            {cell
              ? t('risk.count.filtered', { n: visible.length, total: risks.length })
              : t('risk.count', { n: risks.length })}
            {cell ? (
              <button type="button" className="secondary" onClick={() => setCell(null)}>
                {t('risk.clearCell')}
              </button>
            ) : null}
          </p>
          <table className="table">
            <TableHead
              columns={
                [
                  'risk.col.ref',
                  'risk.col.system',
                  'risk.col.event',
                  'risk.col.inherent',
                  'risk.col.treatment',
                  'risk.col.residual',
                  'risk.col.acceptance',
                ] as const
              }
            />
            <tbody>
              {visible.slice(0, limit).map((r) => (
                <tr key={r.id} data-testid="risk-row">
                  <td>
                    <a href={hrefFor('risks', r.id)} className="mono">
                      {r.ref}
                    </a>
                  </td>
                  <td>
                    {r.system}
                    {r.caseRef ? <div className="muted mono">{r.caseRef}</div> : null}
                  </td>
                  <td>
                    {r.threatEvent}
                    <div className="muted">{r.scope}</div>
                  </td>
                  <td>
                    <LevelBadge matrix={matrix} level={r.inherentLevel} />
                  </td>
                  <td>{t(`treatment.${r.treatment}`)}</td>
                  <td>
                    <LevelBadge matrix={matrix} level={r.residualLevel} />
                  </td>
                  <td data-testid="acceptance">
                    {t(`acceptance.${r.acceptance.status}`)}
                    {r.acceptance.status !== 'accepted' ? (
                      <div className="muted">
                        {t(`authority.${r.authority}`)}
                        {r.authority === 'accreditor' && !accreditor
                          ? ` (${t('risk.needsAccreditor')})`
                          : ''}
                      </div>
                    ) : (
                      <div className="muted">{format.day(r.acceptance.expiresOn)}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ShowMore
            shown={Math.min(limit, visible.length)}
            total={visible.length}
            onMore={() => setLimit(limit + PAGE)}
            testId="risks-more"
          />
        </>
      ) : null}
    </div>
  );
}

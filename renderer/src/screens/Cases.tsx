/** Accreditation cases: the list by state, and opening a new case for a system. */
import { useState } from 'react';
import { CASE_STATES, CASE_TYPES, type CaseState } from '../../../shared/lifecycle';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { ChoiceField } from '../components/Field';
import { EntityForm, orNull, text } from '../components/EntityForm';
import { TableHead } from '../components/TableHead';
import { useT } from '../i18n';
import { useLanguage } from '../stores/preferences';
import { hrefFor } from '../router';
import { useOnScreen } from '../stores/register';
import { EmptyRow } from '../components/EmptyRow';

export function Cases({ initialState }: { initialState?: string }) {
  const t = useT();
  const [state, setState] = useState<CaseState | undefined>(
    CASE_STATES.find((s) => s === initialState),
  );
  const listed = useLoad(() => callRaw('cases:list', state ? { state } : {}), [state]);
  const cases = listed.data?.cases ?? [];
  // Until the first answer, an empty list means 'not read yet', not 'nothing here'.
  const loaded = listed.data !== undefined;
  const [adding, setAdding] = useState(false);
  useOnScreen(cases.flatMap((c) => c.levels));
  const language = useLanguage();
  const catalogued = useLoad(() => callRaw('catalogues:list', {}), []);
  const catalogues = (catalogued.data?.catalogues ?? []).map((c) => ({
    value: c.id,
    label: `${c.name[language]} ${c.version} (${t('cases.requirements', { n: c.requirements })})`,
  }));
  const registered = useLoad(() => callRaw('systems:list', {}), []);
  const systems = (registered.data?.systems ?? []).map((s) => ({
    id: s.id,
    label: `${s.ref} ${s.name}`,
  }));

  return (
    <div className="register">
      <div className="toolbar">
        <ChoiceField
          className="filter"
          label={t('cases.filter.state')}
          value={state ?? ''}
          choices={CASE_STATES}
          render={(s) => t(`state.${s}`)}
          onChange={(v) => setState(v || undefined)}
          empty={t('systems.filter.any')}
        />
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t('cases.new')}
        </button>
      </div>
      {adding ? (
        <EntityForm
          name="case"
          title={t('cases.new')}
          fields={[
            {
              name: 'systemId',
              label: t('cases.system'),
              kind: 'select',
              empty: '—',
              options: systems.map((s) => ({ value: s.id, label: s.label })),
            },
            {
              name: 'type',
              label: t('cases.type'),
              kind: 'select',
              options: CASE_TYPES.map((c) => ({ value: c, label: t(`caseType.${c}`) })),
            },
            {
              name: 'catalogueId',
              label: t('cases.catalogue'),
              kind: 'select',
              options: catalogues,
            },
            { name: 'deadline', label: t('cases.deadline'), kind: 'date' },
          ]}
          initial={{ type: 'initial', catalogueId: catalogues[0]?.value ?? '' }}
          onSubmit={async (v) => {
            const r = await callRaw('cases:create', {
              systemId: text(v.systemId),
              type: text(v.type) as (typeof CASE_TYPES)[number],
              deadline: orNull(v.deadline),
              ...(text(v.catalogueId) ? { catalogueId: text(v.catalogueId) } : {}),
            });
            if (r.ok) {
              window.location.hash = hrefFor('cases', r.value.id);
              return { ok: true };
            }
            return r;
          }}
        />
      ) : null}
      <p className="count" role="status" data-testid="cases-count">
        {t('cases.count', { n: cases.length })}
      </p>
      <table className="table">
        <TableHead
          columns={
            [
              'cases.col.ref',
              'cases.col.system',
              'cases.col.type',
              'cases.col.state',
              'cases.col.progress',
              'cases.col.findings',
            ] as const
          }
        />
        <tbody>
          {loaded && cases.length === 0 ? <EmptyRow span={6} text={t('empty.cases')} /> : null}
          {cases.map((c) => (
            <tr key={c.id} data-testid="case-row">
              <td>
                <a href={hrefFor('cases', c.id)} className="mono">
                  {c.ref}
                </a>
              </td>
              <td>{c.system}</td>
              <td>{t(`caseType.${c.type as (typeof CASE_TYPES)[number]}`)}</td>
              <td>{t(`state.${c.state}`)}</td>
              <td>
                <progress
                  max={c.progress.total || 1}
                  value={c.progress.assessed}
                  aria-label={`${c.ref} ${t('cases.col.progress')}`}
                />{' '}
                {c.progress.assessed}/{c.progress.total}
              </td>
              <td>{c.openFindings}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

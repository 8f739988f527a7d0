/** People and their clearances, with warnings for expired and soon-expiring clearances. */
import { useState } from 'react';
import type { z } from 'zod';
import type { PersonRowSchema } from '../../../shared/contract';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { CsvTools } from '../components/CsvTools';
import { TableHead } from '../components/TableHead';
import { useT } from '../i18n';
import { useLevelLabel } from '../stores/register';
import { PersonForm, RetireButton, type Existing } from './RegisterForms';
import { useFormat } from '../format';
import { EmptyRow } from '../components/EmptyRow';

type Person = z.infer<typeof PersonRowSchema>;

export function People() {
  const t = useT();
  const format = useFormat();
  const label = useLevelLabel();
  const [onlyExpiring, setOnlyExpiring] = useState(false);
  const [retired, setRetired] = useState(false);
  const [editing, setEditing] = useState<{
    existing: Existing;
    others: Person['clearances'];
  } | null>(null);
  const { data, reload } = useLoad(
    () =>
      callRaw('people:list', {
        ...(onlyExpiring ? { expiringWithinDays: 90 } : {}),
        includeRetired: retired,
      }),
    [onlyExpiring, retired],
  );
  const people: Person[] = data?.people ?? [];
  // Until the first answer, an empty list means 'not read yet', not 'nothing here'.
  const loaded = data !== undefined;
  const edit = (p: Person) => {
    const [first, ...others] = p.clearances;
    setEditing({
      existing: {
        id: p.id,
        values: {
          name: p.name,
          organisationId: p.organisationId ?? '',
          email: p.email,
          briefedOn: p.briefedOn ?? '',
          level: first?.level ?? '',
          domain: first?.domain ?? 'national',
          issuingBody: first?.issuingBody ?? '',
          expiresOn: first?.expiresOn ?? '',
        },
      },
      others,
    });
  };
  return (
    <div className="register">
      <div className="toolbar">
        <label className="radio">
          <input
            type="checkbox"
            checked={onlyExpiring}
            onChange={(e) => setOnlyExpiring(e.target.checked)}
          />
          {t('people.expiring')}
        </label>
        <label className="radio">
          <input type="checkbox" checked={retired} onChange={(e) => setRetired(e.target.checked)} />
          {t('people.retired')}
        </label>
        <CsvTools kind="people" importable onImported={reload} />
      </div>
      <PersonForm
        key={editing?.existing.id ?? 'new-person'}
        existing={editing?.existing}
        otherClearances={editing?.others}
        onDone={() => {
          setEditing(null);
          reload();
        }}
      />
      <p className="count" role="status" data-testid="people-count">
        {t('people.count', { n: people.length })}
      </p>
      <div className="table-scroll" tabIndex={0} aria-label={t('nav.people')}>
        <table className="table">
          <TableHead
            columns={[
              'col.name',
              'col.organisation',
              'col.clearance',
              'col.briefed',
              'col.actions',
            ]}
          />
          <tbody>
            {loaded && people.length === 0 ? <EmptyRow span={5} text={t('empty.people')} /> : null}
            {people.map((p) => (
              <tr
                key={p.id}
                className={p.retiredAt ? 'row--retired' : p.expired ? 'row--overdue' : undefined}
                data-testid="person-row"
              >
                <td>{p.name}</td>
                <td>{p.organisation ?? '—'}</td>
                <td>
                  {p.clearances.map((c, i) => (
                    <div key={i}>
                      {label(c.level, c.domain)} ({t(`domain.${c.domain}`)}), {c.issuingBody} →{' '}
                      {format.day(c.expiresOn)}
                    </div>
                  ))}
                  {p.expired ? (
                    <strong className="badge badge--danger">{t('people.expired')}</strong>
                  ) : null}
                  {!p.expired && p.expiringSoon ? (
                    <strong className="badge badge--warn">{t('people.expiringSoon')}</strong>
                  ) : null}
                </td>
                <td>{format.day(p.briefedOn)}</td>
                <td>
                  <span className="row-actions">
                    <button type="button" className="secondary" onClick={() => edit(p)}>
                      {t('action.edit')}
                    </button>
                    {p.retiredAt ? (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() =>
                          void call('register:retire', {
                            kind: 'person',
                            id: p.id,
                            retired: false,
                          }).then(reload)
                        }
                      >
                        {t('action.reinstate')}
                      </button>
                    ) : (
                      <RetireButton kind="person" id={p.id} name={p.name} onDone={reload} />
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

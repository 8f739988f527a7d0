/** People and their clearances, with warnings for expired and soon-expiring clearances. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { PersonRowSchema } from '../../../shared/contract';
import { call } from '../api';
import { CsvTools } from '../components/CsvTools';
import { TableHead } from '../components/TableHead';
import { useT } from '../i18n';
import { useLevelLabel } from '../stores/register';
import { PersonForm } from './RegisterForms';

type Person = z.infer<typeof PersonRowSchema>;

export function People() {
  const t = useT();
  const label = useLevelLabel();
  const [onlyExpiring, setOnlyExpiring] = useState(false);
  const [people, setPeople] = useState<Person[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void call('people:list', onlyExpiring ? { expiringWithinDays: 90 } : {}).then(
      (r) => live && r && setPeople(r.people),
    );
    return () => {
      live = false;
    };
  }, [onlyExpiring, version]);
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
        <CsvTools kind="people" importable onImported={() => setVersion((v) => v + 1)} />
      </div>
      <PersonForm onDone={() => setVersion((v) => v + 1)} />
      <p className="count" role="status" data-testid="people-count">
        {t('people.count', { n: people.length })}
      </p>
      <div className="table-scroll" tabIndex={0} aria-label={t('nav.people')}>
        <table className="table">
          <TableHead columns={['col.name', 'col.organisation', 'col.clearance', 'col.briefed']} />
          <tbody>
            {people.map((p) => (
              <tr
                key={p.id}
                className={p.expired ? 'row--overdue' : undefined}
                data-testid="person-row"
              >
                <td>{p.name}</td>
                <td>{p.organisation ?? '—'}</td>
                <td>
                  {p.clearances.map((c, i) => (
                    <div key={i}>
                      {label(c.level, c.domain)} ({t(`domain.${c.domain}`)}), {c.issuingBody} →{' '}
                      {c.expiresOn}
                    </div>
                  ))}
                  {p.expired ? (
                    <strong className="badge badge--danger">{t('people.expired')}</strong>
                  ) : null}
                  {!p.expired && p.expiringSoon ? (
                    <strong className="badge badge--warn">{t('people.expiringSoon')}</strong>
                  ) : null}
                </td>
                <td>{p.briefedOn ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

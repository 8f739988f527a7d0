/** The security-authority records towards NATO and the EU, with the "overdue / due in 30 days" view. */
import { useState } from 'react';
import {
  RECORD_STATUSES,
  RECORD_TYPES,
  type RecordFilter,
  type RecordRow,
} from '../../../shared/register';
import { callRaw } from '../api';
import { useLoad, useSettled } from '../load';
import { ChoiceField } from '../components/Field';
import { AttachButton } from '../components/AttachButton';
import { CsvTools } from '../components/CsvTools';
import { TableHead } from '../components/TableHead';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { RecordForm } from './RecordForm';
import { useLevelLabel, useOnScreen } from '../stores/register';
import { useFormat } from '../format';
import { EmptyRow } from '../components/EmptyRow';
import { PAGE, ShowMore } from '../components/ShowMore';
import { useOpenForRestore } from '../stores/unsaved';

export function Records() {
  const t = useT();
  const format = useFormat();
  const label = useLevelLabel();
  const [view, setView] = useState<'all' | 'due'>('all');
  const [type, setType] = useState<RecordFilter['type']>();
  const [status, setStatus] = useState<RecordFilter['status']>();
  const [search, setSearch] = useState('');
  // A page of the register at a time (a new filter starts again at the first); `total` is how
  // many match.
  const filterKey = JSON.stringify([view, type, status, search]);
  const [page, setPage] = useState({ key: filterKey, limit: PAGE });
  const limit = page.key === filterKey ? page.limit : PAGE;
  const [adding, setAdding] = useState(false);
  // Kept text for this form, chosen after unlock: the form opens to take it back.
  useOpenForRestore('record', setAdding);
  const filter: RecordFilter = { limit };
  if (type) {
    filter.type = type;
  }
  if (status) {
    filter.status = status;
  }
  if (search) {
    filter.search = search;
  }
  if (view === 'due') {
    filter.dueWithinDays = 30;
  }
  // Asked once typing pauses: not a call per key.
  const asked = useSettled(JSON.stringify(filter), 100);
  const listed = useLoad(() => callRaw('records:list', JSON.parse(asked) as RecordFilter), [asked]);
  const { reload } = listed;
  const records: RecordRow[] = listed.data?.records ?? [];
  const total = listed.data?.total ?? 0;
  // Until the first answer, an empty list means 'not read yet', not 'nothing here'.
  const loaded = listed.data !== undefined;

  useOnScreen(
    records
      .filter((r) => r.markingLevel && r.markingDomain)
      .map((r) => ({ domain: r.markingDomain ?? 'national', level: r.markingLevel ?? '' })),
  );

  return (
    <div className="register">
      <div className="toolbar" role="search">
        <div className="segmented" role="group" aria-label={t('nav.records')}>
          {(['all', 'due'] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              className={view === v ? 'tab tab--active' : 'tab'}
              onClick={() => setView(v)}
            >
              {t(v === 'all' ? 'records.view.all' : 'records.view.due')}
            </button>
          ))}
        </div>
        <label className="filter filter--grow">
          <span>{t('records.search')}</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <ChoiceField
          className="filter"
          label={t('records.filter.type')}
          value={type ?? ''}
          choices={RECORD_TYPES}
          render={(x) => t(`recordType.${x}`)}
          onChange={(v) => setType(v || undefined)}
          empty={t('systems.filter.any')}
        />
        <ChoiceField
          className="filter"
          label={t('records.filter.status')}
          value={status ?? ''}
          choices={RECORD_STATUSES}
          render={(x) => t(`recordStatus.${x}`)}
          onChange={(v) => setStatus(v || undefined)}
          empty={t('systems.filter.any')}
        />
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t('records.new')}
        </button>
        <CsvTools kind="records" importable={false} />
      </div>
      {adding ? (
        <RecordForm
          onDone={() => {
            setAdding(false);
            reload();
          }}
        />
      ) : null}
      <p className="count" role="status" data-testid="records-count">
        {t('records.count', { n: total })}
      </p>
      <div className="table-scroll" tabIndex={0} aria-label={t('nav.records')}>
        <table className="table">
          <TableHead
            columns={
              [
                'col.type',
                'col.title',
                'col.counterpart',
                'col.followUp',
                'col.status',
                'col.marking',
                'record.attachments',
              ] as const
            }
          />
          <tbody>
            {loaded && records.length === 0 ? (
              <EmptyRow span={7} text={t('empty.records')} />
            ) : null}
            {records.map((r) => (
              <tr
                key={r.id}
                className={r.overdue ? 'row--overdue' : undefined}
                data-testid="record-row"
              >
                <td>{t(`recordType.${r.type}`)}</td>
                <td>
                  <a href={hrefFor('records', r.id)}>{r.title}</a>
                </td>
                <td>
                  {r.counterpart}
                  {/* Their reference and ours, under whom they belong to. */}
                  <div className="muted" title={t('col.refs')}>
                    <span className="mono">{r.theirRef || '—'}</span> /{' '}
                    <span className="mono">{r.ourRef || '—'}</span>
                  </div>
                </td>
                <td>
                  {format.day(r.followUpDue)}
                  {r.overdue ? (
                    <strong className="badge badge--danger"> {t('records.overdue')}</strong>
                  ) : null}
                </td>
                <td>{t(`recordStatus.${r.status}`)}</td>
                <td>
                  {r.markingLevel ? label(r.markingLevel, r.markingDomain ?? 'national') : '—'}
                </td>
                <td>
                  <span data-testid="attachment-count">{r.attachments}</span>{' '}
                  <AttachButton recordId={r.id} title={r.title} onDone={reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ShowMore
        shown={records.length}
        total={total}
        onMore={() => setPage({ key: filterKey, limit: limit + PAGE })}
        testId="records-more"
      />
    </div>
  );
}

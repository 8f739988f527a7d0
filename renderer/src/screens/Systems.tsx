/**
 * The register of classified systems: search, filter by domain, level, mode, phase and owner,
 * sort, and a virtualised list that stays smooth at thousands of rows. A row opens the
 * system's detail.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { create } from 'zustand';
import { DOMAINS } from '../../../shared/classification';
import { MODES, PHASES, type SystemFilter, type SystemRow } from '../../../shared/register';
import { callRaw } from '../api';
import { together, useLoad, type Outcome } from '../load';
import { ChoiceField, SelectField } from '../components/Field';
import { CsvTools } from '../components/CsvTools';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { useLevelLabel, useOnScreen, useRegister } from '../stores/register';
import { registerReset } from '../stores/reset';
import { useFormat } from '../format';

/** The register's filter, kept while the user is on other screens (cleared on lock). */
interface SystemsStore {
  filter: SystemFilter;
  setFilter: (patch: Partial<SystemFilter>) => void;
}

export const useSystems = create<SystemsStore>((set, get) => ({
  filter: { sort: 'ref', descending: false },
  setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
}));
registerReset(() => useSystems.setState({ filter: { sort: 'ref', descending: false } }));

/** The systems the filter finds, and how many there are in all. */
function listSystems(filter: SystemFilter): Promise<Outcome<[SystemRow[], number]>> {
  const asked = Object.fromEntries(
    Object.entries(filter).filter(([, v]) => v !== '' && v !== undefined),
  ) as SystemFilter;
  return together(callRaw('systems:list', asked), callRaw('systems:list', {})).then((r) =>
    r.ok ? { ok: true, value: [r.value[0].systems, r.value[1].systems.length] } : r,
  );
}

function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  render,
}: {
  label: string;
  value: T | undefined;
  options: readonly T[];
  onChange: (v: T | undefined) => void;
  render: (v: T) => string;
}) {
  const t = useT();
  return (
    <ChoiceField
      className="filter"
      label={label}
      value={value ?? ''}
      choices={options}
      render={(o) => render(o)}
      onChange={(v) => onChange(v || undefined)}
      empty={t('systems.filter.any')}
    />
  );
}

export function Systems() {
  const t = useT();
  const format = useFormat();
  const label = useLevelLabel();
  const { filter, setFilter } = useSystems();
  const listed = useLoad(() => listSystems(filter), [filter]);
  const [systems, total] = listed.data ?? [[], 0];
  const scheme = useRegister((s) => s.scheme);
  const organisations = useRegister((s) => s.organisations);
  const [search, setSearch] = useState(filter.search ?? '');
  const parent = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setFilter({ search: search || undefined }), 120);
    return () => clearTimeout(timer);
  }, [search, setFilter]);

  useOnScreen(systems.flatMap((s) => s.levels));

  // TanStack Virtual returns fresh functions each render by design; this component is not
  // memoised by the React Compiler, which is what the rule warns about.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: systems.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 44,
    overscan: 12,
  });
  const orgIds = organisations.map((o) => o.id);
  const orgName = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;

  return (
    <div className="register">
      <div className="toolbar" role="search">
        <label className="filter filter--grow">
          <span>{t('systems.search')}</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <Select
          label={t('systems.filter.domain')}
          value={filter.domain}
          options={DOMAINS}
          onChange={(domain) => setFilter({ domain })}
          render={(d) => t(`domain.${d}`)}
        />
        <Select
          label={t('systems.filter.level')}
          value={filter.level}
          options={scheme?.levels.map((l) => l.code) ?? []}
          onChange={(level) => setFilter({ level })}
          render={(c) => label(c, filter.domain ?? 'national')}
        />
        <Select
          label={t('systems.filter.mode')}
          value={filter.mode}
          options={MODES}
          onChange={(mode) => setFilter({ mode })}
          render={(m) => t(`mode.${m}`)}
        />
        <Select
          label={t('systems.filter.phase')}
          value={filter.phase}
          options={PHASES}
          onChange={(phase) => setFilter({ phase })}
          render={(p) => t(`phase.${p}`)}
        />
        <Select
          label={t('systems.filter.owner')}
          value={filter.ownerOrgId}
          options={orgIds}
          onChange={(ownerOrgId) => setFilter({ ownerOrgId })}
          render={orgName}
        />
        <SelectField
          className="filter"
          label={t('systems.sort')}
          value={`${filter.sort ?? 'ref'}:${filter.descending ? 'desc' : 'asc'}`}
          onChange={(e) => {
            const [sort, dir] = e.target.value.split(':') as [
              NonNullable<SystemFilter['sort']>,
              string,
            ];
            setFilter({ sort, descending: dir === 'desc' });
          }}
        >
          {(['ref', 'name', 'level', 'nextReview', 'phase'] as const).flatMap((k) => [
            <option key={`${k}:asc`} value={`${k}:asc`}>{`${t(`systems.sort.${k}`)} ↑`}</option>,
            <option key={`${k}:desc`} value={`${k}:desc`}>{`${t(`systems.sort.${k}`)} ↓`}</option>,
          ])}
        </SelectField>
        <a className="button" href={hrefFor('systems', 'new')}>
          {t('systems.new')}
        </a>
      </div>
      <CsvTools kind="systems" importable onImported={listed.reload} />
      <p className="count" role="status" data-testid="systems-count">
        {t('systems.count', { shown: systems.length, total })}
      </p>
      <div className="grid-head" aria-hidden="true">
        <span>{t('systems.col.ref')}</span>
        <span>{t('systems.col.name')}</span>
        <span>{t('systems.col.levels')}</span>
        <span>{t('systems.col.mode')}</span>
        <span>{t('systems.col.phase')}</span>
        <span>{t('systems.col.review')}</span>
      </div>
      <div ref={parent} className="grid-scroll" tabIndex={0} aria-label={t('nav.systems')}>
        {total === 0 ? (
          <div className="empty-inline">
            <h2>{t('empty.systems.title')}</h2>
            <p>{t('empty.systems.body')}</p>
          </div>
        ) : systems.length === 0 ? (
          <p className="empty-inline">{t('systems.noMatch')}</p>
        ) : null}
        <ul className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const s = systems[item.index];
            if (!s) {
              return null;
            }
            return (
              <li
                key={s.id}
                className="grid-row"
                style={{ transform: `translateY(${item.start}px)` }}
                aria-posinset={item.index + 1}
                aria-setsize={systems.length}
              >
                <a href={hrefFor('systems', s.id)} data-testid="system-row">
                  <span className="mono">{s.ref}</span>
                  <span>{s.name}</span>
                  <span>
                    {s.levels
                      .map((l) => `${t(`domain.${l.domain}`)}: ${label(l.level, l.domain)}`)
                      .join(' · ')}
                  </span>
                  <span>{t(`mode.${s.mode}`)}</span>
                  <span>{t(`phase.${s.phase}`)}</span>
                  <span>{format.day(s.nextReview)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

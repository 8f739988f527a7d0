/**
 * One system with tabs: profile, sites, components, interconnections, people, records,
 * history. Consistency problems are shown on the rows they concern (and listed on the profile).
 */
import { useCallback, useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { SystemDetail as Detail } from '../../../shared/contract';
import type { MessageKey } from '../../../shared/i18n';
import type { Violation } from '../../../shared/rules';
import { call } from '../api';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { useLevelLabel, useOnScreen } from '../stores/register';
import { AssignPersonForm, ComponentForm, InterconnectionForm, SiteForm } from './RegisterForms';
import { SystemForm } from './SystemForm';

const TABS = [
  'profile',
  'sites',
  'components',
  'interconnections',
  'people',
  'records',
  'history',
] as const;
type Tab = (typeof TABS)[number];

function Problems({ violations }: { violations: Violation[] }) {
  const t = useT();
  if (violations.length === 0) {
    return null;
  }
  return (
    <ul className="problems" data-testid="problems">
      {violations.map((v, i) => (
        <li key={i}>{t(`rule.${v.code}` as MessageKey, v.params)}</li>
      ))}
    </ul>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) {
    return <p className="empty-inline">{empty}</p>;
  }
  return (
    <table className="table">
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells, i) => (
          <tr key={i}>
            {cells.map((c, j) => (
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SystemDetail({ id }: { id: string }) {
  const t = useT();
  const label = useLevelLabel();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [tab, setTab] = useState<Tab>('profile');
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let live = true;
    void call('systems:get', { id }).then((value) => {
      if (live && value) {
        setDetail(value);
      }
    });
    return () => {
      live = false;
    };
  }, [id, version]);
  useOnScreen(detail ? detail.system.levels : []);

  if (!detail) {
    return null;
  }
  const { system } = detail;
  const on = (entity: Violation['entity'], entityId: string) =>
    detail.violations.filter((v) => v.entity === entity && v.entityId === entityId);
  const siteName = (siteId: string | null) =>
    detail.sites.find((s) => s.id === siteId)?.name ?? '—';
  const productName = (productId: string | null) =>
    detail.products.find((p) => p.id === productId)?.name ?? '—';

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const index = TABS.indexOf(tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index + TABS.length - 1) % TABS.length
          : -1;
    if (next >= 0) {
      event.preventDefault();
      const target = TABS[next] ?? 'profile';
      setTab(target);
      document.getElementById(`tab-${target}`)?.focus();
    }
  }

  const panels: Record<Tab, ReactNode> = {
    profile: editing ? (
      <SystemForm
        existing={system}
        onDone={() => {
          setEditing(false);
          reload();
        }}
      />
    ) : (
      <>
        <dl className="facts">
          {(
            [
              ['system.field.ref', system.ref],
              ['system.field.name', system.name],
              ['system.field.purpose', system.purpose],
              ['system.field.phase', t(`phase.${system.phase}`)],
              ['system.field.mode', t(`mode.${system.mode}`)],
              [
                'system.field.levels',
                system.levels
                  .map((l) => `${t(`domain.${l.domain}`)}: ${label(l.level, l.domain)}`)
                  .join(' · '),
              ],
              ['system.field.userCount', String(system.userCount)],
              ['system.field.minClearance', label(system.minClearance)],
              ['system.field.boundary', system.boundary],
              ['system.field.nextReview', system.nextReview ?? '—'],
            ] as [MessageKey, string][]
          ).map(([k, v]) => (
            <div key={k} className="facts__row">
              <dt>{t(k)}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <section aria-labelledby="violations-title" className="violations">
          <h2 id="violations-title">{t('system.violations')}</h2>
          {detail.violations.length === 0 ? (
            <p>{t('system.violations.none')}</p>
          ) : (
            <Problems violations={detail.violations} />
          )}
        </section>
        <button type="button" onClick={() => setEditing(true)}>
          {t('systems.edit')}
        </button>
      </>
    ),
    sites: (
      <>
        <Table
          head={[
            t('col.name'),
            t('col.address'),
            t('col.areaClass'),
            t('col.maxLevel'),
            t('col.tempestZone'),
            t('col.inspection'),
          ]}
          rows={detail.sites.map((s) => [
            s.name,
            s.address,
            s.areaClass,
            label(s.maxLevel),
            s.tempestZone,
            `${s.lastInspection ?? '—'} / ${s.nextInspection ?? '—'}`,
          ])}
          empty={t('empty.list')}
        />
        <SiteForm systemId={system.id} onDone={reload} />
      </>
    ),
    components: (
      <>
        <Table
          head={[
            t('col.kind'),
            t('col.product'),
            t('col.site'),
            t('col.level'),
            t('col.crypto'),
            t('col.approvedProduct'),
            t('col.problems'),
          ]}
          rows={detail.components.map((c) => [
            t(`componentKind.${c.kind}` as MessageKey),
            `${c.product} ${c.version}`.trim(),
            siteName(c.siteId),
            label(c.level),
            c.crypto ? t('yes') : t('no'),
            productName(c.approvedProductId),
            <Problems key="p" violations={on('component', c.id)} />,
          ])}
          empty={t('empty.list')}
        />
        <ComponentForm systemId={system.id} onDone={reload} />
      </>
    ),
    interconnections: (
      <>
        <Table
          head={[
            t('col.peer'),
            t('col.levels'),
            t('col.domain'),
            t('col.boundary'),
            t('col.direction'),
            t('col.approval'),
            t('col.validUntil'),
            t('col.problems'),
          ]}
          rows={detail.interconnections.map((i) => [
            i.peer,
            `${label(i.localLevel, i.domain)} / ${label(i.peerLevel, i.domain)}`,
            t(`domain.${i.domain}`),
            i.boundaryProductId ? productName(i.boundaryProductId) : i.boundaryDevice || '—',
            t(`direction.${i.direction}` as MessageKey),
            t(`approval.${i.approvalStatus}` as MessageKey),
            i.validUntil ?? '—',
            <Problems key="p" violations={on('interconnection', i.id)} />,
          ])}
          empty={t('empty.list')}
        />
        <InterconnectionForm systemId={system.id} onDone={reload} />
      </>
    ),
    people: (
      <>
        <Table
          head={[t('col.name'), t('col.role'), t('col.clearance'), t('col.problems')]}
          rows={detail.people.map((p) => [
            p.name,
            p.role,
            p.clearances
              .map(
                (c) => `${label(c.level, c.domain)} (${t(`domain.${c.domain}`)}) → ${c.expiresOn}`,
              )
              .join('; '),
            <Problems key="p" violations={on('person', p.id)} />,
          ])}
          empty={t('empty.list')}
        />
        <AssignPersonForm systemId={system.id} onDone={reload} />
      </>
    ),
    records: (
      <Table
        head={[
          t('col.type'),
          t('col.title'),
          t('col.counterpart'),
          t('col.followUp'),
          t('col.status'),
        ]}
        rows={detail.records.map((r) => [
          t(`recordType.${r.type}`),
          r.title,
          r.counterpart,
          r.followUpDue ?? '—',
          t(`recordStatus.${r.status}`),
        ])}
        empty={t('empty.list')}
      />
    ),
    history: (
      <Table
        head={[t('col.when'), t('col.who'), t('col.what'), t('col.changes')]}
        rows={detail.history.map((h) => [
          new Date(h.at).toLocaleString(),
          h.actor,
          h.action,
          <code key="c">{h.changes.slice(0, 300)}</code>,
        ])}
        empty={t('empty.list')}
      />
    ),
  };

  return (
    <div className="detail">
      <p>
        <a href={hrefFor('systems')}>← {t('systems.back')}</a>
      </p>
      <h2 className="detail__title">
        <span className="mono">{system.ref}</span> {system.name}
      </h2>
      <div role="tablist" aria-label={system.name} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            id={`tab-${name}`}
            role="tab"
            type="button"
            className={tab === name ? 'tab tab--active' : 'tab'}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={onTabKey}
          >
            {t(`system.tab.${name}`)}
            {name !== 'profile' &&
            name !== 'history' &&
            detail.violations.some(
              (v) =>
                (name === 'components' && v.entity === 'component') ||
                (name === 'interconnections' && v.entity === 'interconnection') ||
                (name === 'people' && v.entity === 'person'),
            )
              ? ' ⚠'
              : ''}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        className="tabpanel"
        tabIndex={0}
      >
        {panels[tab]}
      </div>
    </div>
  );
}

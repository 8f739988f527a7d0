/**
 * One system with tabs: profile, sites, components, interconnections, people, records,
 * history. Consistency problems are shown on the rows they concern (and listed on the profile).
 */
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { SystemDetail as Detail } from '../../../shared/contract';
import type { MessageKey } from '../../../shared/i18n';
import type { Violation } from '../../../shared/rules';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { ConfirmButton } from '../components/Confirm';
import type { Values } from '../components/EntityForm';
import type { Retirable } from '../../../shared/register';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { SelectField } from '../components/Field';
import { useAuditText, useCoded, useFormat } from '../format';
import { useLanguage } from '../stores/preferences';
import { useLevelLabel, useOnScreen, useRegister } from '../stores/register';
import { useRisks } from '../stores/risks';
import { useOpenForRestore, useUnsaved } from '../stores/unsaved';
import {
  AssignPersonForm,
  ComponentForm,
  InterconnectionForm,
  RetireButton,
  SiteForm,
  type Existing,
} from './RegisterForms';
import { SystemForm } from './SystemForm';

const TABS = [
  'profile',
  'sites',
  'components',
  'interconnections',
  'people',
  'cases',
  'risks',
  'records',
  'history',
] as const;
type Tab = (typeof TABS)[number];

function Problems({ violations }: { violations: Violation[] }) {
  const t = useT();
  const label = useLevelLabel();
  const scheme = useRegister((s) => s.scheme);
  const codes = new Set(scheme?.levels.map((l) => l.code) ?? []);
  // A rule names levels by their code; a person reads them by their label.
  const named = (params: Record<string, string | number> | undefined) =>
    Object.fromEntries(
      Object.entries(params ?? {}).map(([k, v]) => [
        k,
        typeof v === 'string' && codes.has(v) ? label(v) : v,
      ]),
    );
  if (violations.length === 0) {
    return null;
  }
  return (
    <ul className="problems" data-testid="problems">
      {violations.map((v, i) => (
        <li key={i}>{t(`rule.${v.code}` as MessageKey, named(v.params))}</li>
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

/** A row's present values as a form holds them (absent becomes empty). */
function valuesOf(row: Record<string, unknown>, keys: string[]): Values {
  return Object.fromEntries(
    keys.map((k) => {
      const v = row[k];
      return [
        k,
        typeof v === 'boolean'
          ? v
          : typeof v === 'string' || typeof v === 'number'
            ? String(v)
            : '',
      ];
    }),
  );
}

const SITE_KEYS = [
  'name',
  'address',
  'areaClass',
  'maxLevel',
  'tempestZone',
  'lastInspection',
  'nextInspection',
];
const COMPONENT_KEYS = [
  'kind',
  'product',
  'version',
  'siteId',
  'level',
  'tempestLevel',
  'crypto',
  'approvedProductId',
];
const INTERCONNECTION_KEYS = [
  'peerSystemId',
  'peerName',
  'localLevel',
  'peerLevel',
  'domain',
  'boundaryProductId',
  'boundaryDevice',
  'direction',
  'approvalStatus',
  'validUntil',
];

/** Edit and retire for one row of the system's register. */
function RowActions({
  kind,
  id,
  name,
  onEdit,
  onDone,
}: {
  kind: Retirable;
  id: string;
  name: string;
  onEdit: () => void;
  onDone: () => void;
}) {
  const t = useT();
  return (
    <span className="row-actions">
      <button type="button" className="secondary" onClick={onEdit}>
        {t('action.edit')}
      </button>
      <RetireButton kind={kind} id={id} name={name} onDone={onDone} />
    </span>
  );
}

/** Findings and conditions of the system's cases still open past their due date. */
function Overdue({ detail }: { detail: Detail }) {
  const t = useT();
  const format = useFormat();
  if (detail.overdue.length === 0) {
    return null;
  }
  return (
    <section className="panel" data-testid="system-overdue">
      <h2>{t('sysApproval.overdue', { n: detail.overdue.length })}</h2>
      <ul>
        {detail.overdue.map((f) => (
          <li key={f.id}>
            <a href={hrefFor('cases', f.caseId)}>
              <span className="mono">{f.caseRef}</span> {f.title}
            </a>{' '}
            <span className="due due--late">
              {t(`dash.kind.${f.kind}`)} · {format.day(f.dueDate)}
              {f.owner ? ` · ${f.owner}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The approval in force (or suspended, or due), and anything outside its scope now. */
function ApprovalCard({ detail }: { detail: Detail }) {
  const t = useT();
  const { approval, significantChanges } = detail;
  if (!approval) {
    return (
      <section className="panel approval-card" data-testid="approval">
        <h2>{t('sysApproval.title')}</h2>
        <p>{t('sysApproval.none')}</p>
      </section>
    );
  }
  const warn = significantChanges.length > 0 && !approval.renewing;
  return (
    <section
      className={warn ? 'panel approval-card approval-card--warning' : 'panel approval-card'}
      data-testid="approval"
    >
      <h2>{t('sysApproval.title')}</h2>
      <p>
        <a href={hrefFor('cases', approval.caseId)}>
          {t('sysApproval.line', {
            type: t(`decisionType.${approval.decisionType}`),
            ref: approval.decisionRef,
            caseRef: approval.caseRef,
            state: t(`state.${approval.state}`),
            validTo: approval.validTo ?? '—',
          })}
        </a>
      </p>
      {significantChanges.length > 0 ? (
        <p className={warn ? 'warning' : 'help'} data-testid="significant-changes">
          {t('sysApproval.changes', {
            list: significantChanges
              .map((c) => t(`change.${c.kind}`, { label: c.label }))
              .join(', '),
          })}
        </p>
      ) : null}
      {approval.renewing ? <p className="help">{t('sysApproval.renewing')}</p> : null}
      {warn ? (
        <button
          type="button"
          onClick={() =>
            void call('cases:create', {
              systemId: detail.system.id,
              type: 'significant_change',
            }).then((r) => {
              if (r) {
                window.location.hash = hrefFor('cases', r.id);
              }
            })
          }
        >
          {t('sysApproval.open')}
        </button>
      ) : null}
    </section>
  );
}

/** The system's cases (each with its state and decision), newest first. */
function SystemCases({ systemId }: { systemId: string }) {
  const t = useT();
  const format = useFormat();
  const { data } = useLoad(() => callRaw('cases:list', { systemId }), [systemId]);
  const cases = data?.cases ?? [];
  return (
    <Table
      head={[t('cases.col.ref'), t('cases.col.type'), t('cases.col.state'), t('cases.deadline')]}
      rows={cases.map((c) => [
        <a key="a" href={hrefFor('cases', c.id)} className="mono">
          {c.ref}
        </a>,
        t(`caseType.${c.type}` as MessageKey),
        t(`state.${c.state}`),
        c.deadline ? format.day(c.deadline) : '—',
      ])}
      empty={t('system.cases.none')}
    />
  );
}

/** The system's risk register (its own risks and its cases'), highest residual first. */
function SystemRisks({ systemId }: { systemId: string }) {
  const t = useT();
  const { data } = useLoad(() => callRaw('risks:list', { systemId }), [systemId]);
  const risks = data?.risks ?? [];
  const loadMatrix = useRisks((s) => s.load);
  // The matrix is the shared store's (stores/risks.ts), refreshed here.
  useEffect(() => {
    void loadMatrix();
  }, [systemId, loadMatrix]);
  return (
    <Table
      head={[
        t('risk.col.ref'),
        t('risk.col.event'),
        t('risk.col.residual'),
        t('risk.col.acceptance'),
      ]}
      rows={risks.map((r) => [
        <a key="a" href={hrefFor('risks', r.id)} className="mono">
          {r.ref}
        </a>,
        r.threatEvent,
        r.residualLevel ? <RiskLevel key="l" id={r.residualLevel} /> : '—',
        t(`acceptance.${r.acceptance.status}`),
      ])}
      empty={t('system.risks.none')}
    />
  );
}

/** A risk level by its name in the matrix in force. */
function RiskLevel({ id }: { id: string }) {
  const language = useLanguage();
  const matrix = useRisks((s) => s.matrix);
  return <>{matrix?.levels.find((l) => l.id === id)?.[language] ?? '…'}</>;
}

/** The system's audit trail as sentences, filtered by who and what, changes as old → new. */
function History({ detail }: { detail: Detail }) {
  const t = useT();
  const format = useFormat();
  const organisations = useRegister((s) => s.organisations);
  const names = useMemo(
    () =>
      Object.fromEntries([
        [detail.system.id, `${detail.system.ref} ${detail.system.name}`],
        ...detail.sites.map((x) => [x.id, x.name]),
        ...detail.components.map((x) => [x.id, x.product]),
        ...detail.interconnections.map((x) => [x.id, x.peer]),
        ...detail.interconnections.flatMap((x) =>
          x.peerSystemId ? [[x.peerSystemId, x.peer]] : [],
        ),
        ...detail.people.map((x) => [x.id, x.name]),
        ...detail.products.map((x) => [x.id, x.name]),
        ...detail.records.map((x) => [x.id, x.title]),
        ...organisations.map((x) => [x.id, x.name]),
      ]) as Record<string, string>,
    [detail, organisations],
  );
  const audit = useAuditText(names);
  const [who, setWho] = useState('');
  const [what, setWhat] = useState('');
  const actors = [...new Set(detail.history.map((h) => h.actor))];
  const actions = [...new Set(detail.history.map((h) => h.action))];
  const rows = detail.history.filter(
    (h) => (!who || h.actor === who) && (!what || h.action === what),
  );
  return (
    <>
      <div className="toolbar">
        <SelectField
          className="filter"
          label={t('history.filter.who')}
          value={who}
          onChange={(e) => setWho(e.target.value)}
        >
          <option value="">{t('history.filter.all')}</option>
          {actors.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <SelectField
          className="filter"
          label={t('history.filter.what')}
          value={what}
          onChange={(e) => setWhat(e.target.value)}
        >
          <option value="">{t('history.filter.all')}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {audit.action(a)}
            </option>
          ))}
        </SelectField>
      </div>
      <Table
        head={[t('col.when'), t('col.who'), t('col.what'), t('col.changes')]}
        rows={rows.map((h) => [
          format.time(h.at),
          h.actor,
          <span key="w" className="history-what" data-testid="history-what">
            {audit.action(h.action)}
            {h.entityId !== detail.system.id ? (
              // Which site, component or interconnection: by its name then (today's as a hint).
              <span className="entry" data-testid="history-entry">
                {audit.named(h.entityId, h.entityName ? { [h.entityId]: h.entityName } : null)}
              </span>
            ) : null}
          </span>,
          <ul key="c" className="changes" data-testid="history-changes">
            {audit.changes(h.changes, h.action, h.names).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>,
        ])}
        empty={t('empty.list')}
      />
    </>
  );
}

export function SystemDetail({ id }: { id: string }) {
  const t = useT();
  const format = useFormat();
  const guard = useUnsaved((s) => s.guard);
  const coded = useCoded();
  const label = useLevelLabel();
  const { data: detail, reload } = useLoad(() => callRaw('systems:get', { id }), [id]);
  const [tab, setTab] = useState<Tab>('profile');
  const [editing, setEditing] = useState(false);
  // Kept text for this form, chosen after unlock: the form opens to take it back.
  useOpenForRestore('system', setEditing);
  const [editRow, setEditRow] = useState<{ kind: string; existing: Existing } | null>(null);
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

  const done = () => {
    setEditRow(null);
    reload();
  };
  const editing_ = (kind: string) => (editRow?.kind === kind ? editRow.existing : undefined);
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
        <ApprovalCard detail={detail} />
        <Overdue detail={detail} />
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
              ['system.field.userCount', format.number(system.userCount)],
              ['system.field.minClearance', label(system.minClearance)],
              ['system.field.boundary', system.boundary],
              ['system.field.nextReview', format.day(system.nextReview)],
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
            t('col.actions'),
          ]}
          rows={detail.sites.map((s) => [
            s.name,
            s.address,
            s.areaClass,
            label(s.maxLevel),
            s.tempestZone,
            `${format.day(s.lastInspection)} / ${format.day(s.nextInspection)}`,
            <span key="a" className="row-actions">
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  setEditRow({
                    kind: 'site',
                    existing: { id: s.id, values: valuesOf(s, SITE_KEYS) },
                  })
                }
              >
                {t('action.edit')}
              </button>
              <ConfirmButton
                label={t('action.unassign')}
                className="secondary"
                impact={t('unassignSite.impact', { name: s.name })}
                onConfirm={async () => {
                  const r = await call('systems:unassignSite', {
                    systemId: system.id,
                    siteId: s.id,
                  });
                  if (r) {
                    reload();
                  }
                }}
              />
            </span>,
          ])}
          empty={t('empty.list')}
        />
        <SiteForm
          key={editRow?.existing.id ?? 'new-site'}
          systemId={system.id}
          onDone={done}
          existing={editing_('site')}
        />
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
            t('col.actions'),
          ]}
          rows={detail.components.map((c) => [
            t(`componentKind.${c.kind}` as MessageKey),
            `${c.product} ${c.version}`.trim(),
            siteName(c.siteId),
            label(c.level),
            c.crypto ? t('yes') : t('no'),
            productName(c.approvedProductId),
            <Problems key="p" violations={on('component', c.id)} />,
            <RowActions
              key="a"
              kind="component"
              id={c.id}
              name={c.product}
              onDone={reload}
              onEdit={() =>
                setEditRow({
                  kind: 'component',
                  existing: { id: c.id, values: valuesOf(c, COMPONENT_KEYS) },
                })
              }
            />,
          ])}
          empty={t('empty.list')}
        />
        <ComponentForm
          key={editRow?.existing.id ?? 'new-component'}
          systemId={system.id}
          onDone={done}
          existing={editing_('component')}
        />
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
            t('col.actions'),
          ]}
          rows={detail.interconnections.map((i) => [
            i.peer,
            `${label(i.localLevel, i.domain)} / ${label(i.peerLevel, i.domain)}`,
            t(`domain.${i.domain}`),
            i.boundaryProductId ? productName(i.boundaryProductId) : i.boundaryDevice || '—',
            t(`direction.${i.direction}` as MessageKey),
            t(`approval.${i.approvalStatus}` as MessageKey),
            format.day(i.validUntil),
            <Problems key="p" violations={on('interconnection', i.id)} />,
            <RowActions
              key="a"
              kind="interconnection"
              id={i.id}
              name={i.peer}
              onDone={reload}
              onEdit={() =>
                setEditRow({
                  kind: 'interconnection',
                  existing: { id: i.id, values: valuesOf(i, INTERCONNECTION_KEYS) },
                })
              }
            />,
          ])}
          empty={t('empty.list')}
        />
        <InterconnectionForm
          key={editRow?.existing.id ?? 'new-interconnection'}
          systemId={system.id}
          onDone={done}
          existing={editing_('interconnection')}
        />
      </>
    ),
    people: (
      <>
        <Table
          head={[
            t('col.name'),
            t('col.role'),
            t('col.clearance'),
            t('col.problems'),
            t('col.actions'),
          ]}
          rows={detail.people.map((p) => [
            p.name,
            coded('personRole', p.role),
            p.clearances
              .map(
                (c) =>
                  `${label(c.level, c.domain)} (${t(`domain.${c.domain}`)}) → ${format.day(c.expiresOn)}`,
              )
              .join('; '),
            <Problems key="p" violations={on('person', p.id)} />,
            <ConfirmButton
              key="a"
              label={t('action.unassign')}
              className="secondary"
              impact={t('unassign.impact', { name: p.name, role: coded('personRole', p.role) })}
              onConfirm={async () => {
                const r = await call('systems:unassignPerson', {
                  systemId: system.id,
                  personId: p.id,
                  role: p.role,
                });
                if (r) {
                  reload();
                }
              }}
            />,
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
          format.day(r.followUpDue),
          t(`recordStatus.${r.status}`),
        ])}
        empty={t('empty.list')}
      />
    ),
    cases: <SystemCases systemId={system.id} />,
    risks: <SystemRisks systemId={system.id} />,
    history: <History detail={detail} />,
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
            onClick={() => name !== tab && guard(() => setTab(name))}
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

/**
 * The portfolio dashboard (issue 6): what needs the accreditor's attention across every system,
 * computed in one pass of indexed queries so it stays fast on a large register. Each item
 * carries what the UI needs to open the place where it can be acted on.
 */
import type { Database } from 'sql.js';
import type { InfoDomain } from '../../shared/classification';
import { CASE_STATES, UNDER_WAY, type CaseState } from '../../shared/lifecycle';
import { optional, queryRows, text } from '../db/query';
import type { Vault } from '../vault/vault';
import { addDays } from '../../shared/days';
import { today as todayOf } from './clock';
import { outsideApproval, type ApprovalScope, type SystemNow } from '../../shared/approval-scope';
import type { RiskService } from '../areas/risks/use-cases';
import type { RegisterService } from '../areas/register/use-cases';

const all = queryRows;
const s = text;
const n = optional;

const APPROVAL_RECORDS = [
  'statement_of_compliance',
  'interconnection_approval',
  'crypto_approval',
  'tempest_approval',
];

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const WINDOWS = [30, 90, 180] as const;

type StandingState =
  | 'multiple'
  | 'suspended'
  | 'reaccreditation_due'
  | 'expired'
  | 'withdrawn'
  | 'none'
  | 'beyond_approval';

export class DashboardService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: Pick<RegisterService, 'scheme'>,
    private readonly risks: RiskService,
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  summary(day = todayOf(), topRisks = 10) {
    const horizon = addDays(day, WINDOWS[WINDOWS.length - 1]!);
    const windowOf = (date: string) => WINDOWS.find((w) => daysBetween(day, date) <= w) ?? 180;
    const systemIds = new Set<string>();

    const approvals = [
      ...all(
        this.db,
        `SELECT r.id, r.title, r.type, r.valid_to, (SELECT min(rs.system_id) FROM record_systems rs WHERE rs.record_id = r.id) AS system_id
         FROM records r WHERE r.valid_to BETWEEN ? AND ? AND r.type IN (${APPROVAL_RECORDS.map(() => '?').join(',')})`,
        [day, horizon, ...APPROVAL_RECORDS],
      ).map((r) => ({
        kind: 'record' as const,
        id: s(r.id),
        title: s(r.title),
        type: s(r.type),
        systemId: n(r.system_id),
        validTo: s(r.valid_to),
      })),
      ...all(
        this.db,
        `SELECT i.id, i.system_id, COALESCE(NULLIF(i.peer_name, ''), (SELECT p.ref FROM systems p WHERE p.id = i.peer_system_id), '') AS peer_name, i.valid_until, s.ref FROM interconnections i JOIN systems s ON s.id = i.system_id
         WHERE i.retired_at IS NULL AND i.valid_until BETWEEN ? AND ?`,
        [day, horizon],
      ).map((r) => ({
        kind: 'interconnection' as const,
        id: s(r.id),
        title: `${s(r.ref)} ↔ ${s(r.peer_name)}`,
        type: 'interconnection',
        systemId: n(r.system_id),
        validTo: s(r.valid_until),
      })),
      ...all(
        this.db,
        `SELECT d.id, d.ref, d.type, d.valid_to, c.id AS case_id, c.system_id, s.ref AS system_ref, s.name AS system_name
         FROM decisions d JOIN cases c ON c.id = d.case_id JOIN systems s ON s.id = c.system_id
         WHERE d.valid_to BETWEEN ? AND ? AND c.state IN ('in_force','reaccreditation_due','decided')`,
        [day, horizon],
      ).map((r) => ({
        kind: 'decision' as const,
        id: s(r.case_id),
        title: `${s(r.ref)} ${s(r.system_ref)} ${s(r.system_name)}`,
        type: s(r.type),
        systemId: n(r.system_id),
        validTo: s(r.valid_to),
      })),
    ]
      .map((a) => ({ ...a, daysLeft: daysBetween(day, a.validTo), window: windowOf(a.validTo) }))
      .sort((a, b) => a.validTo.localeCompare(b.validTo));
    approvals.forEach((a) => a.systemId && systemIds.add(a.systemId));

    const counts = new Map(
      all(this.db, 'SELECT state, count(*) AS c FROM cases GROUP BY state').map((r) => [
        s(r.state),
        Number(r.c),
      ]),
    );
    const pipeline = CASE_STATES.map((state: CaseState) => ({
      state,
      count: counts.get(state) ?? 0,
    }));

    const overdue = all(
      this.db,
      `SELECT f.id, f.kind, f.severity, f.title, f.due_date, f.owner, c.id AS case_id, c.ref AS case_ref, c.system_id
       FROM findings f JOIN cases c ON c.id = f.case_id
       WHERE f.due_date < ? AND f.status IN ('open','in_progress') ORDER BY f.due_date LIMIT 50`,
      [day],
    ).map((r) => {
      systemIds.add(s(r.system_id));
      return {
        id: s(r.id),
        kind: s(r.kind) as 'finding' | 'condition',
        severity: s(r.severity),
        title: s(r.title),
        dueDate: s(r.due_date),
        daysOverdue: daysBetween(s(r.due_date), day),
        owner: s(r.owner),
        caseId: s(r.case_id),
        caseRef: s(r.case_ref),
      };
    });

    const followUps = all(
      this.db,
      `SELECT id, title, type, counterpart, follow_up_due FROM records
       WHERE follow_up_due <= ? AND status <> 'closed' ORDER BY follow_up_due LIMIT 50`,
      [addDays(day, 30)],
    ).map((r) => ({
      id: s(r.id),
      title: s(r.title),
      type: s(r.type),
      counterpart: s(r.counterpart),
      due: s(r.follow_up_due),
      overdue: s(r.follow_up_due) < day,
    }));

    const clearances = all(
      this.db,
      `SELECT p.id, p.name, c.level, c.domain, c.expires_on FROM clearances c JOIN people p ON p.id = c.person_id
       WHERE p.retired_at IS NULL AND c.expires_on <= ? ORDER BY c.expires_on LIMIT 50`,
      [addDays(day, 90)],
    ).map((r) => ({
      personId: s(r.id),
      name: s(r.name),
      level: s(r.level),
      domain: s(r.domain) as InfoDomain,
      expiresOn: s(r.expires_on),
      expired: s(r.expires_on) < day,
    }));

    // One approval in force per system: any other state is flagged (operational systems only;
    // planned, in test or decommissioned ones may rightly have none).
    const standing: { systemId: string; system: string; state: StandingState }[] = all(
      this.db,
      `SELECT s.id, s.ref, s.name, s.phase,
         (SELECT count(*) FROM cases c WHERE c.system_id = s.id AND c.state IN ('in_force', 'reaccreditation_due')) AS in_force,
         (SELECT group_concat(c.state, ';') FROM cases c WHERE c.system_id = s.id
            AND c.state IN ('suspended', 'reaccreditation_due', 'expired', 'withdrawn')) AS states
       FROM systems s ORDER BY s.ref`,
    ).flatMap((r) => {
      const inForce = Number(r.in_force);
      const states = s(r.states).split(';').filter(Boolean);
      const flag: StandingState | null =
        inForce > 1
          ? 'multiple'
          : states.includes('suspended')
            ? 'suspended'
            : states.includes('reaccreditation_due')
              ? 'reaccreditation_due'
              : inForce === 0 && s(r.phase) === 'operational'
                ? states.includes('expired')
                  ? 'expired'
                  : states.includes('withdrawn')
                    ? 'withdrawn'
                    : 'none'
                : null;
      return flag ? [{ systemId: s(r.id), system: `${s(r.ref)} ${s(r.name)}`, state: flag }] : [];
    });
    standing.push(...this.beyondApproval(new Set(standing.map((x) => x.systemId))));

    // The first hour: what a new vault still lacks, until everything is done.
    const count = (sql: string) => Number(all(this.db, sql)[0]?.c ?? 0);
    const firstRun = [
      { step: 'system' as const, done: count('SELECT count(*) AS c FROM systems') > 0 },
      { step: 'criteria' as const, done: this.risks.criteria() !== null },
      {
        step: 'identity' as const,
        done: count("SELECT count(*) AS c FROM signing_identities WHERE usage = 'signing'") > 0,
      },
      {
        step: 'exchange' as const,
        done: count("SELECT count(*) AS c FROM trusted_certificates WHERE role <> 'documents'") > 0,
      },
    ];

    const highest = this.risks.highestResidual(topRisks);
    highest.forEach((r) => systemIds.add(r.systemId));

    const ids = [...systemIds];
    const levels = ids.length
      ? all(
          this.db,
          `SELECT DISTINCT domain, level FROM system_levels WHERE system_id IN (${ids.map(() => '?').join(',')})`,
          ids,
        ).map((r) => ({ domain: s(r.domain) as InfoDomain, level: s(r.level) }))
      : [];

    return {
      today: day,
      approvals,
      approvalWindows: WINDOWS.map((w) => ({
        days: w,
        count: approvals.filter((a) => a.daysLeft <= w).length,
      })),
      pipeline,
      standing,
      firstRun,
      overdue,
      followUps,
      clearances,
      risks: highest.map((r) => ({
        id: r.id,
        ref: r.ref,
        system: r.system,
        scope: r.scope,
        threatEvent: r.threatEvent,
        residualLevel: r.residualLevel,
        residualRank: r.residualRank,
        acceptance: r.acceptance.status,
      })),
      levels,
    };
  }

  /**
   * Systems whose approval in force no longer covers them (a level raised above it, a domain, a
   * site or an interconnection it did not name) while no re-accreditation is under way: a
   * significant change the accreditor has not yet taken up. `flagged` already have a flag.
   */
  private beyondApproval(flagged: Set<string>) {
    const approvals = new Map<string, { name: string; scope: ApprovalScope }>();
    for (const r of all(
      this.db,
      `SELECT c.system_id, s.ref, s.name, d.levels, d.sites, d.interconnections
       FROM cases c JOIN decisions d ON d.case_id = c.id AND d.status = 'issued'
         JOIN systems s ON s.id = c.system_id
       WHERE c.state IN ('in_force', 'reaccreditation_due')
         AND d.type IN ('full_approval', 'interim_approval', 'approval_to_test', 'amendment')
         AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.system_id = c.system_id AND o.id <> c.id
           AND o.type IN ('reaccreditation', 'significant_change')
           AND o.state IN (${UNDER_WAY.map((x) => `'${x}'`).join(', ')}))
       ORDER BY s.ref, d.rowid DESC`,
    )) {
      const id = s(r.system_id);
      if (!flagged.has(id) && !approvals.has(id)) {
        approvals.set(id, {
          name: `${s(r.ref)} ${s(r.name)}`,
          scope: {
            levels: JSON.parse(s(r.levels)) as ApprovalScope['levels'],
            sites: JSON.parse(s(r.sites)) as string[],
            interconnections: JSON.parse(s(r.interconnections)) as string[],
          },
        });
      }
    }
    if (approvals.size === 0) {
      return [];
    }
    const ids = [...approvals.keys()];
    const marks = ids.map(() => '?').join(', ');
    const now = new Map<string, SystemNow>(
      ids.map((id) => [id, { levels: [], sites: [], interconnections: [], components: [] }]),
    );
    for (const r of all(
      this.db,
      `SELECT system_id, domain, level FROM system_levels WHERE system_id IN (${marks})`,
      ids,
    )) {
      now.get(s(r.system_id))!.levels.push({ domain: s(r.domain), level: s(r.level) });
    }
    for (const r of all(
      this.db,
      `SELECT ss.system_id, x.name FROM system_sites ss JOIN sites x ON x.id = ss.site_id
       WHERE ss.system_id IN (${marks})`,
      ids,
    )) {
      now.get(s(r.system_id))!.sites.push({ name: s(r.name) });
    }
    for (const r of all(
      this.db,
      `SELECT system_id, id, local_level, domain FROM interconnections
       WHERE retired_at IS NULL AND system_id IN (${marks})`,
      ids,
    )) {
      now.get(s(r.system_id))!.interconnections.push({
        id: s(r.id),
        peer: '',
        localLevel: s(r.local_level),
        domain: s(r.domain),
      });
    }
    for (const r of all(
      this.db,
      `SELECT system_id, product, level FROM components
       WHERE retired_at IS NULL AND system_id IN (${marks})`,
      ids,
    )) {
      now.get(s(r.system_id))!.components!.push({ product: s(r.product), level: s(r.level) });
    }
    const scheme = this.register.scheme();
    return ids.flatMap((id) => {
      const { name, scope } = approvals.get(id)!;
      return outsideApproval(scope, now.get(id)!, (l) => scheme.rank(l)).length > 0
        ? [{ systemId: id, system: name, state: 'beyond_approval' as const }]
        : [];
    });
  }
}

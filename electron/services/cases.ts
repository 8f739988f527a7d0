/**
 * Accreditation cases: one approval procedure for one system. A case freezes the catalogue
 * version it uses and instantiates the requirements that apply to its system; the owner answers
 * (statement, status), the accreditor judges (verdict, comment, findings); the lifecycle moves
 * only through shared/lifecycle.ts, each step recorded with who, when and why. The
 * completeness check says what is missing before a case can move on.
 *
 * Longer than 500 lines: the area's SQL, rules and use cases together, until the split by
 * capability into repository, domain and use cases.
 */
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Database, SqlValue } from 'sql.js';
import type { CatalogueDiff } from '../../shared/catalogue';
import type {
  Blocker,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  ITEM_STATUSES,
  VERDICTS,
} from '../../shared/cases';
import {
  CaseFilter,
  CaseInput,
  DisposalInput,
  editable,
  EvidenceMeta,
  FindingInput,
  ItemUpdate,
} from '../../shared/cases';
import type { InfoDomain } from '../../shared/classification';
import { AppError } from '../../shared/errors';
import { systemReason } from '../../shared/i18n';
import { addMonths } from '../../shared/risk';
import {
  canTransition,
  nextStates,
  type CaseState,
  type TransitionContext,
  type CaseType,
  type DecisionType,
} from '../../shared/lifecycle';
import { caseSense, disposalSense, findingSense, todayOf } from '../../shared/sense';
import { newRef } from '../db/refs';
import { optional, queryRows, text } from '../db/query';
import type { Vault } from '../vault/vault';
import { now as clockNow } from './clock';
import { approvalPolicy, validityPolicy } from './policy';
import { signaturesNeeded } from '../areas/decisions/four-eyes';
import { approvalActedOn } from '../areas/decisions/repository';
import { caseRequirements, refuseNonsense, senseToday } from './sense';
import { today } from './clock';
import { PREVIEW_MAX_BYTES, type RegisterService } from '../areas/register/use-cases';

export { PREVIEW_MAX_BYTES };
import type { RiskService } from '../areas/risks/use-cases';
import type { CatalogueService } from '../areas/catalogues/use-cases';
import { namedRead } from '../vault/blobs';
import type { FinishedUpload } from './uploads';

/** Larger files are not sent to the window for preview (they stay in the blob store). */

const all = queryRows;
const s = text;
const n = optional;

/** How the history names the workbench when it takes a step itself (time, supersession). */
const MISSING_TEXT: Partial<Record<Blocker, string>> = {
  not_assessed: 'not assessed',
  no_statement: 'no statement',
  no_justification: 'not applicable without justification',
};

/** One step in a finding's (or condition's) status history, inside the caller's change. */
export function findingEvent(
  db: Database,
  findingId: string,
  from: string | null,
  to: string,
  note: string,
  actor: string,
  at: string,
): void {
  db.run(
    'INSERT INTO finding_events (finding_id, from_status, to_status, note, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
    [findingId, from, to, note, actor, at],
  );
}

/** The owner's part of the blockers: what the completeness check still misses. */
function missingOf(found: { requirementId: string; problem: Blocker }[]): string[] {
  return found.flatMap((b) => {
    const text = MISSING_TEXT[b.problem];
    return text ? [`${b.requirementId}: ${text}`] : [];
  });
}

export const WORKBENCH = 'Accreditation Workbench';

/** A state change and its line in the case's history, inside the caller's vault change. */
export function recordStep(
  db: Database,
  caseId: string,
  from: CaseState,
  to: CaseState,
  who: { name: string; role: string; reason: string; at: string },
): void {
  db.run('UPDATE cases SET state = ?, updated_at = ? WHERE id = ?', [to, who.at, caseId]);
  db.run(
    'INSERT INTO case_transitions (case_id, from_state, to_state, actor_name, actor_role, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [caseId, from, to, who.name, who.role, who.reason, who.at],
  );
}

export class CaseService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
    private readonly risks: RiskService,
    /** The catalogues a case's checklist comes from. */
    readonly catalogues: CatalogueService,
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  /** How a case's catalogue differs from the newest version of the same catalogue (null: none newer). */
  catalogueDiff(caseId: string): { version: string; diff: CatalogueDiff } | null {
    const row = this.caseRow(caseId);
    return this.catalogues.diffToNewest(s(row.catalogue_id), s(row.catalogue_version));
  }

  // ---- cases ------------------------------------------------------------------------------

  async createCase(raw: unknown): Promise<string> {
    const input = CaseInput.parse(raw);
    const detail = this.register.getSystem(input.systemId);
    refuseNonsense(caseSense(input, { today: senseToday() }));
    const catalogue = await this.catalogues.current(input.catalogueId);
    const requirements = this.catalogues.requirementsFor(
      catalogue,
      this.catalogues.systemProfile(input.systemId),
    );
    const id = randomUUID();
    const ref = newRef(this.db, 'CASE');
    const now = clockNow().toISOString();
    await this.vault().change(
      {
        action: 'case.create',
        entityType: 'case',
        entityId: id,
        changes: {
          ...input,
          catalogue: `${catalogue.id}@${catalogue.version}`,
          requirements: requirements.length,
        },
      },
      (db) => {
        db.run(
          `INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, deadline, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
          [
            id,
            ref,
            input.systemId,
            input.type,
            input.title || `${detail.system.ref} ${detail.system.name}`,
            catalogue.id,
            catalogue.version,
            input.deadline ?? null,
            now,
            now,
          ],
        );
        requirements.forEach((r, position) =>
          db.run(
            'INSERT INTO checklist_items (case_id, requirement_id, area, position, updated_at) VALUES (?, ?, ?, ?, ?)',
            [id, r.id, r.area, position, now],
          ),
        );
      },
    );
    return id;
  }

  listCases(raw: unknown = {}) {
    const filter = CaseFilter.parse(raw);
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.state) {
      where.push('c.state = ?');
      params.push(filter.state);
    }
    if (filter.systemId) {
      where.push('c.system_id = ?');
      params.push(filter.systemId);
    }
    return all(
      this.db,
      `SELECT c.id, c.ref, c.type, c.state, c.title, c.deadline, c.updated_at, c.system_id, s.ref AS system_ref, s.name AS system_name,
         (SELECT count(*) FROM checklist_items i WHERE i.case_id = c.id) AS total,
         (SELECT count(*) FROM checklist_items i WHERE i.case_id = c.id AND i.status <> 'not_assessed') AS assessed,
         (SELECT count(*) FROM findings f WHERE f.case_id = c.id AND f.status IN ('open','in_progress')) AS open_findings,
         (SELECT group_concat(domain || '=' || level, ';') FROM system_levels l WHERE l.system_id = c.system_id) AS levels
       FROM cases c JOIN systems s ON s.id = c.system_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.updated_at DESC`,
      params,
    ).map((r) => ({
      id: s(r.id),
      ref: s(r.ref),
      type: s(r.type),
      state: s(r.state) as CaseState,
      title: s(r.title),
      deadline: n(r.deadline),
      systemId: s(r.system_id),
      system: `${s(r.system_ref)} ${s(r.system_name)}`,
      progress: { assessed: Number(r.assessed), total: Number(r.total) },
      openFindings: Number(r.open_findings),
      levels: s(r.levels)
        .split(';')
        .filter(Boolean)
        .map((pair) => {
          const [domain, level] = pair.split('=');
          return { domain: domain as InfoDomain, level: level ?? '' };
        }),
    }));
  }

  private caseRow(id: string): Record<string, SqlValue> {
    const row = all(this.db, 'SELECT * FROM cases WHERE id = ?', [id])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    return row;
  }

  /** What the completeness check still misses, item by item. */
  missing(caseId: string): string[] {
    return missingOf(this.blockers(caseId, []));
  }

  /**
   * Everything that holds the case back, requirement by requirement: the owner's answers the
   * completeness check misses, the accreditor's verdicts the approval policy asks for, and the
   * requirements found wanting that neither an accepted risk nor a condition covers.
   */
  blockers(caseId: string, unaccepted?: string[]): { requirementId: string; problem: Blocker }[] {
    const policy = approvalPolicy();
    const found: { requirementId: string; problem: Blocker }[] = [];
    for (const r of all(
      this.db,
      'SELECT requirement_id, status, statement, justification, verdict FROM checklist_items WHERE case_id = ? ORDER BY position',
      [caseId],
    )) {
      const requirementId = s(r.requirement_id);
      const status = s(r.status);
      if (status === 'not_assessed') {
        found.push({ requirementId, problem: 'not_assessed' });
      } else if (s(r.statement).trim() === '') {
        found.push({ requirementId, problem: 'no_statement' });
      } else if (status === 'not_applicable' && s(r.justification).trim() === '') {
        found.push({ requirementId, problem: 'no_justification' });
      }
      if (policy.verdictOnEveryRequirement && s(r.verdict) === 'none') {
        found.push({ requirementId, problem: 'no_verdict' });
      }
    }
    for (const requirementId of unaccepted ?? this.risks.unacceptedNonCompliant(caseId)) {
      found.push({ requirementId, problem: 'no_cover' });
    }
    return found;
  }

  /** The facts the lifecycle guards look at, as they stand now. */
  transitionContext(
    caseId: string,
    reason: string,
    unacceptedIds = this.risks.unacceptedNonCompliant(caseId),
  ): TransitionContext {
    const unaccepted = unacceptedIds.length;
    const decision = all(
      this.db,
      'SELECT type, status, valid_to, signatures_required FROM decisions WHERE case_id = ? ORDER BY created_at DESC LIMIT 1',
      [caseId],
    )[0];
    const openFindings = Number(
      all(
        this.db,
        "SELECT count(*) AS c FROM findings WHERE case_id = ? AND status IN ('open','in_progress')",
        [caseId],
      )[0]?.c ?? 0,
    );
    // The approval's end: its latest issued decision that has one (a suspension ends nothing).
    const validity = all(
      this.db,
      "SELECT valid_to FROM decisions WHERE case_id = ? AND status = 'issued' AND valid_to IS NOT NULL ORDER BY created_at DESC LIMIT 1",
      [caseId],
    )[0];
    // One pass over the checklist serves the completeness check and the verdicts.
    const checklist = this.blockers(caseId, []);
    return {
      role: this.vault().actor.role,
      reason,
      missing: missingOf(checklist),
      withoutVerdict: checklist
        .filter((b) => b.problem === 'no_verdict')
        .map((b) => b.requirementId),
      openFindings,
      unacceptedNonCompliant: unaccepted,
      unacceptedIds,
      decision: decision
        ? // Signed means every signature it needs: a four-eyes decision awaits its second.
          { type: s(decision.type) as DecisionType, signed: s(decision.status) === 'issued' }
        : null,
      validTo: validity ? s(validity.valid_to) : null,
      today: today(),
      disposalVerified:
        all(this.db, 'SELECT 1 FROM case_disposals WHERE case_id = ?', [caseId]).length > 0,
      supersededBy: this.supersededBy(caseId),
      belowLevel: this.belowLevel(caseId),
    };
  }

  /**
   * Whether the decision the case's approval stands on (the newest issued approval, or the
   * amendment or reinstatement that last set its validity: SETS_VALIDITY) took fewer signatures
   * than its system's level now asks (raised after, round 20r): it does not take force again at
   * that level. Judged on that decision whatever came after it (round 20t: an amendment awaiting
   * its countersignature, the case's newest decision, hid the approval from the check).
   */
  private belowLevel(caseId: string): boolean {
    const approval = approvalActedOn(this.db, caseId);
    if (!approval) {
      return false;
    }
    const systemId = s(
      all(this.db, 'SELECT system_id FROM cases WHERE id = ?', [caseId])[0]?.system_id,
    );
    const systemLevels = this.register.getSystem(systemId).system.levels;
    const needs = signaturesNeeded(
      this.db,
      this.register,
      { caseId, systemId, systemLevels },
      approval.type,
    );
    return approval.signaturesRequired < needs;
  }

  /**
   * The case whose approval took force over this one's: another case of the same system in
   * force, approved later. Only then may an approval still in force be closed.
   */
  private supersededBy(caseId: string): string | null {
    const row = all(
      this.db,
      `SELECT o.ref FROM cases c JOIN cases o ON o.system_id = c.system_id AND o.id <> c.id
       WHERE c.id = ? AND o.state IN ('in_force', 'reaccreditation_due')
         AND (SELECT max(created_at) FROM decisions WHERE case_id = o.id AND status = 'issued')
           > coalesce((SELECT max(created_at) FROM decisions WHERE case_id = c.id AND status = 'issued'), '')
       LIMIT 1`,
      [caseId],
    )[0];
    return row ? s(row.ref) : null;
  }

  getCase(id: string) {
    const row = this.caseRow(id);
    const catalogue = this.catalogues.stored(s(row.catalogue_id), s(row.catalogue_version));
    const texts = new Map((catalogue?.requirements ?? []).map((r) => [r.id, r]));
    const items = all(
      this.db,
      'SELECT * FROM checklist_items WHERE case_id = ? ORDER BY position',
      [id],
    ).map((r) => {
      const req = texts.get(s(r.requirement_id));
      return {
        requirementId: s(r.requirement_id),
        area: s(r.area),
        text: req?.text ?? '',
        textDa: req?.translations?.da?.text ?? null,
        severity: req?.severity ?? 'minor',
        expectedEvidence: req?.evidence ?? [],
        status: s(r.status) as (typeof ITEM_STATUSES)[number],
        statement: s(r.statement),
        justification: s(r.justification),
        verdict: s(r.verdict) as (typeof VERDICTS)[number],
        assessorComment: s(r.assessor_comment),
        evidence: all(
          this.db,
          'SELECT evidence_id FROM evidence_links WHERE case_id = ? AND requirement_id = ?',
          [id, s(r.requirement_id)],
        ).map((e) => s(e.evidence_id)),
      };
    });
    const byArea = new Map<string, { area: string; assessed: number; total: number }>();
    for (const item of items) {
      const entry = byArea.get(item.area) ?? { area: item.area, assessed: 0, total: 0 };
      entry.total++;
      if (item.status !== 'not_assessed') {
        entry.assessed++;
      }
      byArea.set(item.area, entry);
    }
    const state = s(row.state) as CaseState;
    const unaccepted = this.risks.unacceptedNonCompliant(id);
    const ctx = this.transitionContext(id, 'check', unaccepted);
    return {
      id,
      ref: s(row.ref),
      type: s(row.type) as CaseType,
      state,
      title: s(row.title),
      systemId: s(row.system_id),
      systemLevels: this.register.getSystem(s(row.system_id)).system.levels,
      deadline: n(row.deadline),
      catalogue: { id: s(row.catalogue_id), version: s(row.catalogue_version) },
      // Came in a package from the other side: an authority answers such a case with its own.
      received: all(this.db, 'SELECT 1 FROM case_exchange WHERE case_id = ?', [id]).length > 0,
      progress: [...byArea.values()],
      items,
      missing: ctx.missing,
      blockers: this.blockers(id, unaccepted),
      unaccepted,
      next: nextStates(state).map((to) => ({
        to,
        verdict: canTransition(state, to, { ...ctx, reason: 'a reason' }),
      })),
      history: all(
        this.db,
        'SELECT from_state, to_state, actor_name, actor_role, reason, at FROM case_transitions WHERE case_id = ? ORDER BY seq',
        [id],
      ).map((h) => ({
        from: s(h.from_state),
        to: s(h.to_state),
        actor: s(h.actor_name),
        role: s(h.actor_role),
        reason: s(h.reason),
        at: s(h.at),
      })),
      findings: all(this.db, 'SELECT * FROM findings WHERE case_id = ? ORDER BY created_at', [
        id,
      ]).map((f) => ({
        id: s(f.id),
        requirementId: n(f.requirement_id),
        kind: s(f.kind),
        severity: s(f.severity) as (typeof FINDING_SEVERITIES)[number],
        title: s(f.title),
        description: s(f.description),
        recommendedAction: s(f.recommended_action),
        owner: s(f.owner),
        dueDate: n(f.due_date),
        status: s(f.status) as (typeof FINDING_STATUSES)[number],
        history: all(
          this.db,
          'SELECT from_status, to_status, note, actor, at FROM finding_events WHERE finding_id = ? ORDER BY seq',
          [s(f.id)],
        ).map((e) => ({
          from: n(e.from_status),
          to: s(e.to_status),
          note: s(e.note),
          actor: s(e.actor),
          at: s(e.at),
        })),
      })),
      evidence: all(this.db, 'SELECT * FROM evidence WHERE case_id = ? ORDER BY uploaded_at', [
        id,
      ]).map((e) => ({
        id: s(e.id),
        type: s(e.type),
        title: s(e.title),
        version: s(e.version),
        author: s(e.author),
        effectiveDate: n(e.effective_date),
        markingLevel: n(e.marking_level),
        markingDomain: n(e.marking_domain),
        fileName: s(e.file_name),
        sha256: s(e.sha256),
        size: Number(e.size),
        reviewStatus: s(e.review_status),
        uploadedAt: s(e.uploaded_at),
        address: s(e.blob_address),
      })),
    };
  }

  /** The owner answers (status, statement, justification); the accreditor judges (verdict, comment). */
  async updateItem(caseId: string, requirementId: string, raw: unknown): Promise<void> {
    await this.updateItems(caseId, [requirementId], raw);
  }

  /**
   * One update applied to several checklist items in one change (the bulk toolbar, the CLI's
   * CSV): each item is checked as alone, and nothing is written if any is refused.
   */
  async updateItems(caseId: string, requirementIds: string[], raw: unknown): Promise<number> {
    const update = ItemUpdate.parse(raw);
    const role = this.vault().actor.role;
    const answering = ['status', 'statement', 'justification'].some(
      (k) => (update as Record<string, unknown>)[k] !== undefined,
    );
    const judging = update.verdict !== undefined || update.assessorComment !== undefined;
    if (judging && role !== 'accreditor') {
      throw new AppError('VALIDATION_FAILED', 'Only an accreditor gives verdicts', {
        issues: [{ path: ['verdict'], message: 'accreditor only' }],
      });
    }
    const state = s(this.caseRow(caseId).state) as CaseState;
    const may = editable(state, role);
    if ((answering && !may.answers) || (judging && !may.verdicts)) {
      throw new AppError('ITEM_LOCKED', 'The checklist item cannot change in this state', {
        state,
        part: answering && !may.answers ? 'answers' : 'verdicts',
      });
    }
    const columns: Record<string, string> = {
      status: 'status',
      statement: 'statement',
      justification: 'justification',
      verdict: 'verdict',
      assessorComment: 'assessor_comment',
    };
    const given = Object.entries(columns).flatMap(([key, column]) => {
      const value = (update as Record<string, string | undefined>)[key];
      return value === undefined ? [] : [{ key, column, value }];
    });
    const changed: { requirementId: string; changes: Record<string, unknown> }[] = [];
    for (const requirementId of new Set(requirementIds)) {
      const current = all(
        this.db,
        'SELECT * FROM checklist_items WHERE case_id = ? AND requirement_id = ?',
        [caseId, requirementId],
      )[0];
      if (!current) {
        throw new AppError('NOT_FOUND', `No such checklist item: ${requirementId}`);
      }
      const changes: Record<string, unknown> = {};
      for (const { key, column, value } of given) {
        if (value !== s(current[column])) {
          changes[key] = [s(current[column]), value];
        }
      }
      if (Object.keys(changes).length > 0) {
        changed.push({ requirementId, changes });
      }
    }
    if (changed.length === 0) {
      return 0;
    }
    await this.vault().change(
      {
        action: 'checklist.update',
        entityType: 'case',
        entityId: caseId,
        changes:
          changed.length === 1
            ? { requirementId: changed[0]!.requirementId, ...changed[0]!.changes }
            : {
                requirementIds: changed.map((c) => c.requirementId),
                set: Object.fromEntries(given.map((g) => [g.key, g.value])),
              },
      },
      (db) => {
        const at = new Date().toISOString();
        for (const { requirementId } of changed) {
          for (const { column, value } of given) {
            db.run(
              `UPDATE checklist_items SET ${column} = ?, updated_at = ? WHERE case_id = ? AND requirement_id = ?`,
              [value, at, caseId, requirementId],
            );
          }
        }
      },
    );
    return changed.length;
  }

  /** Moves a case to another state when the lifecycle allows it; otherwise says why not. */
  async transition(caseId: string, to: CaseState, reason: string): Promise<void> {
    const from = s(this.caseRow(caseId).state) as CaseState;
    const verdict = canTransition(from, to, this.transitionContext(caseId, reason));
    if (!verdict.ok) {
      throw new AppError('TRANSITION_REFUSED', 'The case cannot move to that state now', {
        reason: verdict.code,
        ...verdict.params,
      });
    }
    const actor = this.vault().actor;
    const at = new Date().toISOString();
    await this.vault().change(
      {
        action: 'case.transition',
        entityType: 'case',
        entityId: caseId,
        changes: { state: [from, to], reason },
      },
      (db) => {
        recordStep(db, caseId, from, to, { name: actor.name, role: actor.role, reason, at });
        if (from === 'decided' && to === 'in_force') {
          this.supersedeOthers(db, caseId, at);
        }
      },
    );
  }

  /**
   * One approval in force per system: when a case's approval takes force, the system's earlier
   * approvals (in force, due for re-accreditation or suspended) close as superseded — inside the
   * caller's vault change, each step checked by the lifecycle.
   */
  supersedeOthers(db: Database, caseId: string, at: string): string[] {
    const me = all(db, 'SELECT ref, system_id FROM cases WHERE id = ?', [caseId])[0];
    if (!me) {
      return [];
    }
    const others = all(
      db,
      "SELECT id, state FROM cases WHERE system_id = ? AND id <> ? AND state IN ('in_force', 'reaccreditation_due', 'suspended')",
      [s(me.system_id), caseId],
    );
    const reason = systemReason('superseded', s(me.ref));
    for (const other of others) {
      const from = s(other.state) as CaseState;
      const ctx = {
        ...this.transitionContext(s(other.id), reason),
        role: 'accreditor' as const,
        supersededBy: s(me.ref),
      };
      const verdict = canTransition(from, 'closed', ctx);
      if (!verdict.ok) {
        throw new AppError('TRANSITION_REFUSED', 'An earlier approval cannot be superseded', {
          reason: verdict.code,
        });
      }
      recordStep(db, s(other.id), from, 'closed', { name: WORKBENCH, role: 'system', reason, at });
    }
    return others.map((o) => s(o.id));
  }

  /**
   * The steps time takes by itself: an approval past its end expires, and one within the
   * re-accreditation window of its end falls due. Run at unlock and daily while open; each
   * step is recorded as the workbench's, checked by the lifecycle like any other.
   */
  async applyTime(now = today()): Promise<{ caseId: string; to: CaseState }[]> {
    const window = validityPolicy().reaccreditationDueMonths;
    const due = all(
      this.db,
      `SELECT c.id, c.state, (SELECT valid_to FROM decisions d WHERE d.case_id = c.id AND d.status = 'issued'
         AND d.valid_to IS NOT NULL ORDER BY d.created_at DESC LIMIT 1) AS valid_to
       FROM cases c WHERE c.state IN ('in_force', 'reaccreditation_due', 'suspended')`,
    ).flatMap((r) => {
      const validTo = n(r.valid_to);
      if (!validTo) {
        return [];
      }
      const from = s(r.state) as CaseState;
      const to: CaseState | null =
        validTo < now
          ? 'expired'
          : from === 'in_force' && addMonths(now, window) >= validTo
            ? 'reaccreditation_due'
            : null;
      return to ? [{ caseId: s(r.id), from, to, validTo }] : [];
    });
    if (!due.length) {
      return [];
    }
    const at = new Date().toISOString();
    await this.vault().change(
      {
        action: 'case.time',
        entityType: 'vault',
        entityId: 'cases',
        changes: { steps: due.map((d) => [d.caseId, d.from, d.to, d.validTo]) },
      },
      (db) => {
        for (const d of due) {
          const reason = systemReason(d.to === 'expired' ? 'expired' : 'due', d.validTo);
          const ctx = { ...this.transitionContext(d.caseId, reason), role: 'accreditor' as const };
          if (canTransition(d.from, d.to, { ...ctx, today: now }).ok) {
            recordStep(db, d.caseId, d.from, d.to, { name: WORKBENCH, role: 'system', reason, at });
          }
        }
      },
    );
    return due.map((d) => ({ caseId: d.caseId, to: d.to }));
  }

  /** How the disposal of a decommissioned system was verified: the condition of closing it. */
  async recordDisposal(caseId: string, raw: unknown): Promise<void> {
    const input = DisposalInput.parse(raw);
    const opened = this.caseRow(caseId);
    const state = s(opened.state) as CaseState;
    if (this.vault().actor.role !== 'accreditor') {
      throw new AppError('TRANSITION_REFUSED', 'Only an accreditor verifies disposal', {
        reason: 'ACCREDITOR_ONLY',
      });
    }
    if (state !== 'decommissioned') {
      throw new AppError('TRANSITION_REFUSED', 'Disposal is verified for a decommissioned system', {
        reason: 'NOT_A_TRANSITION',
        state,
      });
    }
    const evidence = input.evidenceIds.map((id) => {
      const row = all(this.db, 'SELECT title, sha256 FROM evidence WHERE id = ? AND case_id = ?', [
        id,
        caseId,
      ])[0];
      if (!row) {
        throw new AppError('VALIDATION_FAILED', 'No such evidence in this case', {
          issues: [{ path: ['evidenceIds'], message: 'unknown evidence' }],
        });
      }
      return { id, title: s(row.title), sha256: s(row.sha256) };
    });
    // Verified on a day that has come, and not before the case was opened (anywhere on Earth).
    refuseNonsense(
      disposalSense(input, {
        today: senseToday(),
        openedOn: todayOf(new Date(s(opened.created_at))).earliest,
      }),
    );
    const actor = this.vault().actor;
    await this.vault().change(
      {
        action: 'case.disposal',
        entityType: 'case',
        entityId: caseId,
        changes: { ...input, evidence },
      },
      (db) =>
        db.run(
          `INSERT OR REPLACE INTO case_disposals (case_id, verified_by, method, evidence, verified_on, recorded_at, recorded_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            caseId,
            input.verifiedBy,
            input.method,
            JSON.stringify(evidence),
            input.verifiedOn,
            new Date().toISOString(),
            actor.name,
          ],
        ),
    );
  }

  disposal(caseId: string) {
    const row = all(this.db, 'SELECT * FROM case_disposals WHERE case_id = ?', [caseId])[0];
    return row
      ? {
          verifiedBy: s(row.verified_by),
          method: s(row.method),
          verifiedOn: s(row.verified_on),
          evidence: JSON.parse(s(row.evidence)) as { id: string; title: string; sha256: string }[],
          recordedBy: s(row.recorded_by),
          recordedAt: s(row.recorded_at),
        }
      : null;
  }

  async addFinding(caseId: string, raw: unknown): Promise<string> {
    const input = FindingInput.parse(raw);
    this.caseRow(caseId);
    // A deadline not already past; a requirement the case has.
    refuseNonsense(
      findingSense(input, {
        today: senseToday(),
        requirements: caseRequirements(this.db, caseId),
      }),
    );
    const id = randomUUID();
    const now = clockNow().toISOString();
    await this.vault().change(
      {
        action: 'finding.create',
        entityType: 'finding',
        entityId: id,
        changes: { caseId, ...input },
      },
      (db) => {
        db.run(
          `INSERT INTO findings (id, case_id, requirement_id, kind, severity, title, description, recommended_action, owner, due_date, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
          [
            id,
            caseId,
            input.requirementId ?? null,
            input.kind,
            input.severity,
            input.title,
            input.description,
            input.recommendedAction,
            input.owner,
            input.dueDate ?? null,
            now,
            now,
          ],
        );
        findingEvent(db, id, null, 'open', '', this.vault().actor.name, now);
      },
    );
    return id;
  }

  async setFindingStatus(
    findingId: string,
    status: (typeof FINDING_STATUSES)[number],
    note = '',
  ): Promise<void> {
    const row = all(this.db, 'SELECT status FROM findings WHERE id = ?', [findingId])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such finding');
    }
    if (
      (status === 'verified' || status === 'accepted_as_risk') &&
      this.vault().actor.role !== 'accreditor'
    ) {
      throw new AppError('VALIDATION_FAILED', 'Only an accreditor verifies findings', {
        issues: [{ path: ['status'], message: 'accreditor only' }],
      });
    }
    await this.vault().change(
      {
        action: 'finding.status',
        entityType: 'finding',
        entityId: findingId,
        changes: { status: [s(row.status), status], ...(note ? { note } : {}) },
      },
      (db) => {
        const at = new Date().toISOString();
        db.run('UPDATE findings SET status = ?, updated_at = ? WHERE id = ?', [
          status,
          at,
          findingId,
        ]);
        findingEvent(db, findingId, s(row.status), status, note, this.vault().actor.name, at);
      },
    );
  }

  /** The accreditor's review of a piece of evidence. */
  async reviewEvidence(
    evidenceId: string,
    status: 'submitted' | 'accepted' | 'rejected' | 'superseded',
  ): Promise<void> {
    if (this.vault().actor.role !== 'accreditor') {
      throw new AppError('VALIDATION_FAILED', 'Only an accreditor reviews evidence', {
        issues: [{ path: ['status'], message: 'accreditor only' }],
      });
    }
    const row = all(this.db, 'SELECT review_status FROM evidence WHERE id = ?', [evidenceId])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such evidence');
    }
    await this.vault().change(
      {
        action: 'evidence.review',
        entityType: 'evidence',
        entityId: evidenceId,
        changes: { reviewStatus: [s(row.review_status), status] },
      },
      (db) => db.run('UPDATE evidence SET review_status = ? WHERE id = ?', [status, evidenceId]),
    );
  }

  /** The content of a piece of evidence for the in-app preview (integrity-checked as it is read). */
  async evidenceContent(evidenceId: string, maxBytes = PREVIEW_MAX_BYTES) {
    const row = all(
      this.db,
      'SELECT blob_address, file_name, title, size FROM evidence WHERE id = ?',
      [evidenceId],
    )[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such evidence');
    }
    if (Number(row.size) > maxBytes) {
      throw new AppError('PREVIEW_TOO_LARGE', 'The file is too large to preview', {
        size: Number(row.size),
      });
    }
    return {
      fileName: s(row.file_name),
      data: await buffer(
        namedRead(this.vault().blobs.read(s(row.blob_address)), evidenceId, s(row.title)),
      ),
    };
  }

  /** Records an uploaded document as evidence of the case, linked to requirements. */
  async addEvidence(caseId: string, upload: FinishedUpload, raw: unknown): Promise<string> {
    const meta = EvidenceMeta.parse(raw);
    this.caseRow(caseId);
    // Linked to requirements of this case's checklist only, and marked by a level of the scheme
    // in a domain (both, or neither).
    const items = new Set(
      all(this.db, 'SELECT requirement_id FROM checklist_items WHERE case_id = ?', [caseId]).map(
        (r) => s(r.requirement_id),
      ),
    );
    const refuse = (path: (string | number)[], message: string) =>
      new AppError('VALIDATION_FAILED', message, { issues: [{ path, code: 'custom', message }] });
    meta.requirementIds.forEach((r, i) => {
      if (!items.has(r)) {
        throw refuse(['requirementIds', i], 'not a requirement of this case');
      }
    });
    if (meta.markingLevel && !this.register.scheme().level(meta.markingLevel)) {
      throw refuse(['markingLevel'], 'not a level of the classification scheme');
    }
    if (Boolean(meta.markingLevel) !== Boolean(meta.markingDomain)) {
      throw refuse(
        [meta.markingLevel ? 'markingDomain' : 'markingLevel'],
        'a marking has both a level and a domain',
      );
    }
    const id = randomUUID();
    await this.vault().change(
      {
        action: 'evidence.add',
        entityType: 'evidence',
        entityId: id,
        changes: { caseId, ...meta, sha256: upload.sha256, size: upload.size },
      },
      (db) => {
        db.run(
          `INSERT INTO evidence (id, case_id, type, title, version, author, effective_date, marking_level, marking_domain, blob_address, file_name, sha256, size, uploaded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            caseId,
            meta.type,
            meta.title,
            meta.version,
            meta.author,
            meta.effectiveDate ?? null,
            meta.markingLevel ?? null,
            meta.markingDomain ?? null,
            upload.address,
            upload.name,
            upload.sha256,
            upload.size,
            new Date().toISOString(),
          ],
        );
        for (const requirementId of meta.requirementIds) {
          db.run(
            'INSERT INTO evidence_links (case_id, requirement_id, evidence_id) VALUES (?, ?, ?)',
            [caseId, requirementId, id],
          );
        }
      },
    );
    return id;
  }
}

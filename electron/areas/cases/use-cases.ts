/**
 * Accreditation cases: one approval procedure for one system. A case freezes the catalogue
 * version it uses and instantiates the requirements that apply to its system; the owner answers
 * (statement, status), the accreditor judges (verdict, comment, findings); the lifecycle moves
 * only through shared/lifecycle.ts, each step recorded with who, when and why. The
 * completeness check says what is missing before a case can move on. The SQL is the
 * repository's (./repository.ts); what other areas write into a case is ./steps.ts.
 *
 * Longer than 500 lines: one method per thing a user does with a case — its checklist, findings,
 * evidence, lifecycle and disposal — each with the guards it owes.
 */
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Database } from 'sql.js';
import type { CatalogueDiff } from '../../../shared/catalogue';
import type { Blocker, FINDING_STATUSES } from '../../../shared/cases';
import {
  CaseFilter,
  CaseInput,
  DisposalInput,
  editable,
  EvidenceMeta,
  FindingInput,
  ItemUpdate,
} from '../../../shared/cases';
import { AppError } from '../../../shared/errors';
import { systemReason } from '../../../shared/i18n';
import { addMonths } from '../../../shared/risk';
import {
  canTransition,
  nextStates,
  type CaseState,
  type TransitionContext,
} from '../../../shared/lifecycle';
import { caseSense, disposalSense, findingSense, todayOf } from '../../../shared/sense';
import { text } from '../../db/query';
import { newRef } from '../../db/refs';
import type { Vault } from '../../vault/vault';
import { namedRead } from '../../vault/blobs';
import { now as clockNow, today } from '../../services/clock';
import { approvalPolicy, validityPolicy } from '../../services/policy';
import { caseRequirements, refuseNonsense, senseToday } from '../../services/sense';
import type { FinishedUpload } from '../../services/uploads';
import { approvalActedOn, signaturesNeeded } from '../decisions/four-eyes';
import { PREVIEW_MAX_BYTES, type RegisterService } from '../register/use-cases';
import type { RiskService } from '../risks/use-cases';
import type { CatalogueService } from '../catalogues/use-cases';
import * as repo from './repository';
import { WORKBENCH } from './steps';

export { PREVIEW_MAX_BYTES };

const MISSING_TEXT: Partial<Record<Blocker, string>> = {
  not_assessed: 'not assessed',
  no_statement: 'no statement',
  no_justification: 'not applicable without justification',
};

/** The owner's part of the blockers: what the completeness check still misses. */
function missingOf(found: { requirementId: string; problem: Blocker }[]): string[] {
  return found.flatMap((b) => {
    const text = MISSING_TEXT[b.problem];
    return text ? [`${b.requirementId}: ${text}`] : [];
  });
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
    return this.catalogues.diffToNewest(row.catalogueId, row.catalogueVersion);
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
      (db) =>
        repo.insertCase(
          db,
          {
            id,
            ref,
            systemId: input.systemId,
            type: input.type,
            title: input.title || `${detail.system.ref} ${detail.system.name}`,
            catalogueId: catalogue.id,
            catalogueVersion: catalogue.version,
            deadline: input.deadline ?? null,
          },
          requirements,
          now,
        ),
    );
    return id;
  }

  listCases(raw: unknown = {}) {
    return repo.cases(this.db, CaseFilter.parse(raw));
  }

  private caseRow(id: string) {
    const row = repo.caseRow(this.db, id);
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
    for (const r of repo.checklist(this.db, caseId)) {
      const { requirementId, status } = r;
      if (status === 'not_assessed') {
        found.push({ requirementId, problem: 'not_assessed' });
      } else if (r.statement.trim() === '') {
        found.push({ requirementId, problem: 'no_statement' });
      } else if (status === 'not_applicable' && r.justification.trim() === '') {
        found.push({ requirementId, problem: 'no_justification' });
      }
      if (policy.verdictOnEveryRequirement && r.verdict === 'none') {
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
    const decision = repo.newestDecision(this.db, caseId);
    // One pass over the checklist serves the completeness check and the verdicts.
    const checklist = this.blockers(caseId, []);
    return {
      role: this.vault().actor.role,
      reason,
      missing: missingOf(checklist),
      withoutVerdict: checklist
        .filter((b) => b.problem === 'no_verdict')
        .map((b) => b.requirementId),
      openFindings: repo.openFindings(this.db, caseId),
      unacceptedNonCompliant: unacceptedIds.length,
      unacceptedIds,
      decision: decision
        ? // Signed means every signature it needs: a four-eyes decision awaits its second.
          { type: decision.type, signed: decision.issued }
        : null,
      // The approval's end: its latest issued decision that has one (a suspension ends nothing).
      validTo: repo.validTo(this.db, caseId),
      today: today(),
      disposalVerified: repo.disposalVerified(this.db, caseId),
      // Only when another approval took force later may an approval still in force be closed.
      supersededBy: repo.supersededBy(this.db, caseId),
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
    const systemId = repo.caseRow(this.db, caseId)?.systemId ?? '';
    const systemLevels = this.register.getSystem(systemId).system.levels;
    const needs = signaturesNeeded(
      this.db,
      this.register,
      { caseId, systemId, systemLevels },
      approval.type,
    );
    return approval.signaturesRequired < needs;
  }

  getCase(id: string) {
    const row = this.caseRow(id);
    const catalogue = this.catalogues.stored(row.catalogueId, row.catalogueVersion);
    const texts = new Map((catalogue?.requirements ?? []).map((r) => [r.id, r]));
    const items = repo.checklist(this.db, id).map((r) => {
      const req = texts.get(r.requirementId);
      return {
        requirementId: r.requirementId,
        area: r.area,
        text: req?.text ?? '',
        textDa: req?.translations?.da?.text ?? null,
        severity: req?.severity ?? 'minor',
        expectedEvidence: req?.evidence ?? [],
        status: r.status,
        statement: r.statement,
        justification: r.justification,
        verdict: r.verdict,
        assessorComment: r.assessorComment,
        evidence: repo.linkedEvidence(this.db, id, r.requirementId),
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
    const { state } = row;
    const unaccepted = this.risks.unacceptedNonCompliant(id);
    const ctx = this.transitionContext(id, 'check', unaccepted);
    return {
      id,
      ref: row.ref,
      type: row.type,
      state,
      title: row.title,
      systemId: row.systemId,
      systemLevels: this.register.getSystem(row.systemId).system.levels,
      deadline: row.deadline,
      catalogue: { id: row.catalogueId, version: row.catalogueVersion },
      // Came in a package from the other side: an authority answers such a case with its own.
      received: repo.received(this.db, id),
      progress: [...byArea.values()],
      items,
      missing: ctx.missing,
      blockers: this.blockers(id, unaccepted),
      unaccepted,
      next: nextStates(state).map((to) => ({
        to,
        verdict: canTransition(state, to, { ...ctx, reason: 'a reason' }),
      })),
      history: repo.history(this.db, id),
      findings: repo.findings(this.db, id),
      evidence: repo.evidenceOf(this.db, id),
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
    const { state } = this.caseRow(caseId);
    const may = editable(state, role);
    if ((answering && !may.answers) || (judging && !may.verdicts)) {
      throw new AppError('ITEM_LOCKED', 'The checklist item cannot change in this state', {
        state,
        part: answering && !may.answers ? 'answers' : 'verdicts',
      });
    }
    const columns: Record<string, repo.ItemColumn> = {
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
      const current = repo.itemCells(this.db, caseId, requirementId);
      if (!current) {
        throw new AppError('NOT_FOUND', `No such checklist item: ${requirementId}`);
      }
      const changes: Record<string, unknown> = {};
      for (const { key, column, value } of given) {
        const before = text(current[column]);
        if (value !== before) {
          changes[key] = [before, value];
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
            repo.setItem(db, caseId, requirementId, column, value, at);
          }
        }
      },
    );
    return changed.length;
  }

  /** Moves a case to another state when the lifecycle allows it; otherwise says why not. */
  async transition(caseId: string, to: CaseState, reason: string): Promise<void> {
    const from = this.caseRow(caseId).state;
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
        repo.writeStep(db, caseId, from, to, { name: actor.name, role: actor.role, reason, at });
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
    const me = repo.caseRow(db, caseId);
    if (!me) {
      return [];
    }
    const others = repo.othersStanding(db, me.systemId, caseId);
    const reason = systemReason('superseded', me.ref);
    for (const other of others) {
      const ctx = {
        ...this.transitionContext(other.id, reason),
        role: 'accreditor' as const,
        supersededBy: me.ref,
      };
      const verdict = canTransition(other.state, 'closed', ctx);
      if (!verdict.ok) {
        throw new AppError('TRANSITION_REFUSED', 'An earlier approval cannot be superseded', {
          reason: verdict.code,
        });
      }
      repo.writeStep(db, other.id, other.state, 'closed', {
        name: WORKBENCH,
        role: 'system',
        reason,
        at,
      });
    }
    return others.map((o) => o.id);
  }

  /**
   * The steps time takes by itself: an approval past its end expires, and one within the
   * re-accreditation window of its end falls due. Run at unlock and daily while open; each
   * step is recorded as the workbench's, checked by the lifecycle like any other.
   */
  async applyTime(now = today()): Promise<{ caseId: string; to: CaseState }[]> {
    const window = validityPolicy().reaccreditationDueMonths;
    const due = repo.standingApprovals(this.db).flatMap((r) => {
      const { validTo } = r;
      if (!validTo) {
        return [];
      }
      const from = r.state;
      const to: CaseState | null =
        validTo < now
          ? 'expired'
          : from === 'in_force' && addMonths(now, window) >= validTo
            ? 'reaccreditation_due'
            : null;
      return to ? [{ caseId: r.id, from, to, validTo }] : [];
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
            repo.writeStep(db, d.caseId, d.from, d.to, {
              name: WORKBENCH,
              role: 'system',
              reason,
              at,
            });
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
    const { state } = opened;
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
      const found = repo.evidence(this.db, id, caseId);
      if (!found) {
        throw new AppError('VALIDATION_FAILED', 'No such evidence in this case', {
          issues: [{ path: ['evidenceIds'], message: 'unknown evidence' }],
        });
      }
      return { id, title: found.title, sha256: found.sha256 };
    });
    // Verified on a day that has come, and not before the case was opened (anywhere on Earth).
    refuseNonsense(
      disposalSense(input, {
        today: senseToday(),
        openedOn: todayOf(new Date(opened.createdAt)).earliest,
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
        repo.writeDisposal(db, caseId, {
          verifiedBy: input.verifiedBy,
          method: input.method,
          evidence,
          verifiedOn: input.verifiedOn,
          recordedBy: actor.name,
        }),
    );
  }

  disposal(caseId: string) {
    return repo.disposal(this.db, caseId);
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
        repo.insertFinding(db, id, caseId, input, now);
        repo.findingEvent(db, id, null, 'open', '', this.vault().actor.name, now);
      },
    );
    return id;
  }

  async setFindingStatus(
    findingId: string,
    status: (typeof FINDING_STATUSES)[number],
    note = '',
  ): Promise<void> {
    const was = repo.findingStatus(this.db, findingId);
    if (was === null) {
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
        changes: { status: [was, status], ...(note ? { note } : {}) },
      },
      (db) => {
        const at = new Date().toISOString();
        repo.setFindingStatus(db, findingId, status, at);
        repo.findingEvent(db, findingId, was, status, note, this.vault().actor.name, at);
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
    const found = repo.evidence(this.db, evidenceId);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such evidence');
    }
    await this.vault().change(
      {
        action: 'evidence.review',
        entityType: 'evidence',
        entityId: evidenceId,
        changes: { reviewStatus: [found.reviewStatus, status] },
      },
      (db) => repo.setReview(db, evidenceId, status),
    );
  }

  /** The content of a piece of evidence for the in-app preview (integrity-checked as it is read). */
  async evidenceContent(evidenceId: string, maxBytes = PREVIEW_MAX_BYTES) {
    const found = repo.evidence(this.db, evidenceId);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such evidence');
    }
    if (found.size > maxBytes) {
      throw new AppError('PREVIEW_TOO_LARGE', 'The file is too large to preview', {
        size: found.size,
      });
    }
    return {
      fileName: found.fileName,
      data: await buffer(
        namedRead(this.vault().blobs.read(found.address), evidenceId, found.title),
      ),
    };
  }

  /** Records an uploaded document as evidence of the case, linked to requirements. */
  async addEvidence(caseId: string, upload: FinishedUpload, raw: unknown): Promise<string> {
    const meta = EvidenceMeta.parse(raw);
    this.caseRow(caseId);
    // Linked to requirements of this case's checklist only, and marked by a level of the scheme
    // in a domain (both, or neither).
    const items = repo.requirementIds(this.db, caseId);
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
      (db) => repo.insertEvidence(db, id, caseId, meta, upload, new Date().toISOString()),
    );
    return id;
  }
}

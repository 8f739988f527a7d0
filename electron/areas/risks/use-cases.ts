/**
 * The risk register (issue 6): risks per system (and per case), scored on the vault's matrix,
 * accepted under the vault's criteria by whoever the criteria name, and re-flagged when they
 * change after acceptance. One method per thing a user does or asks; each composes the
 * arithmetic (shared/risk.ts), the area's rules (rules.ts), its storage (repository.ts, the only
 * SQL) and the vault's change, which writes the audit row in the same transaction. It stores
 * what the arithmetic computes, records every review for the trend, and records what moved
 * when the matrix changes.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'sql.js';
import { AppError } from '../../../shared/errors';
import {
  AcceptanceInput,
  assess,
  canAccept,
  criteriaIssues,
  fingerprint,
  outOfScale,
  parseMatrix,
  recalculate,
  RiskCriteriaSchema,
  RiskFilter,
  RiskInput,
  type Assessed,
  type Movement,
  type ReceivedAcceptanceRefusal,
  type RiskCriteria,
  type RiskMatrix,
  type RiskSubstance,
} from '../../../shared/risk';
import { requirementRule, residualRule } from '../../../shared/sense';
import { approvalPolicy } from '../../services/policy';
import { today } from '../../services/clock';
import { caseRequirements, refuseNonsense } from '../../services/sense';
import type { Vault } from '../../vault/vault';
import * as repo from './repository';
import { receivedRefusal, residualHere, riskView, type JudgeContext, type RiskView } from './rules';

export type { RiskView } from './rules';

export class RiskService {
  constructor(private readonly vault: () => Vault) {}

  private get db(): Database {
    return this.vault().database;
  }

  // ---- matrices and criteria -------------------------------------------------------------

  /**
   * Every matrix the vault can use: the shipped ones and those imported into it or received,
   * none of which stands in for a shipped one (an id is one matrix wherever it is looked up).
   */
  matrices(): RiskMatrix[] {
    const shipped = repo.builtinMatrices().matrices;
    const ids = new Set(shipped.map((m) => m.id));
    return [...shipped, ...repo.importedMatrices(this.db).filter((m) => !ids.has(m.id))];
  }

  matrix(id: string): RiskMatrix {
    const found = this.matrices().find((m) => m.id === id);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such risk matrix');
    }
    return found;
  }

  /** The shipped matrix a new vault's criteria start from. */
  defaultMatrixId(): string {
    return repo.builtinMatrices().default;
  }

  /** Imports a custom matrix (validated; ids must be new). */
  async importMatrix(input: unknown): Promise<{ id: string }> {
    const parsed = parseMatrix(input);
    if (!parsed.ok) {
      throw new AppError('VALIDATION_FAILED', 'The risk matrix is not valid', {
        issues: parsed.issues,
      });
    }
    const { matrix } = parsed;
    if (this.matrices().some((m) => m.id === matrix.id)) {
      throw new AppError('VALIDATION_FAILED', 'A matrix with that id exists', {
        issues: [{ path: ['id'], message: `${matrix.id} exists` }],
      });
    }
    await this.vault().change(
      {
        action: 'risk.matrix.import',
        entityType: 'risk_matrix',
        entityId: matrix.id,
        changes: { size: `${matrix.likelihood.length}x${matrix.impact.length}` },
      },
      (db) => repo.insertMatrix(db, matrix, false, new Date().toISOString()),
    );
    return { id: matrix.id };
  }

  criteria(): (RiskCriteria & { setBy: string; setAt: string }) | null {
    return repo.readCriteria(this.db);
  }

  private requireCriteria(): RiskCriteria {
    const criteria = this.criteria();
    if (!criteria) {
      throw new AppError('RISK_CRITERIA_MISSING', 'Set the risk acceptance criteria first');
    }
    return criteria;
  }

  /**
   * Sets the vault's acceptance criteria. Choosing another matrix rescales every risk onto it
   * and records which risks moved to another level.
   */
  async setCriteria(raw: unknown): Promise<{ moved: Movement[] }> {
    const criteria = RiskCriteriaSchema.parse(raw);
    const matrix = this.matrix(criteria.matrixId);
    const issues = criteriaIssues(matrix, criteria);
    if (issues.length) {
      throw new AppError('VALIDATION_FAILED', 'The criteria do not fit the matrix', {
        issues: issues.map((field) => ({ path: [field], message: 'not a level of the matrix' })),
      });
    }
    const before = this.criteria();
    const actor = this.vault().actor;
    const at = new Date().toISOString();
    const rows = before && before.matrixId !== matrix.id ? repo.allSubstances(this.db) : [];
    const recalculated = before
      ? recalculate(this.matrix(before.matrixId), matrix, rows)
      : { risks: [], moved: [] };
    const moved = recalculated.moved;
    await this.vault().change(
      {
        action: 'risk.criteria.set',
        entityType: 'risk_criteria',
        entityId: '1',
        changes: { before, after: criteria, moved: moved.length },
      },
      (db) => {
        if (!repo.hasMatrix(db, matrix.id)) {
          repo.insertMatrix(db, matrix, true, at);
        }
        repo.writeCriteria(db, criteria, actor.name, at);
        for (const r of recalculated.risks) {
          repo.rescore(db, r, matrix.id, at);
          this.recordReview(db, r.id, `matrix ${before?.matrixId} → ${matrix.id}`, matrix.id, {
            inherent: r.assessed.inherent,
            residual: r.assessed.residual,
          });
        }
        if (before && before.matrixId !== matrix.id) {
          repo.insertRecalculation(db, before.matrixId, matrix.id, moved, actor.name, at);
        }
      },
    );
    return { moved };
  }

  recalculations() {
    return repo.recalculations(this.db);
  }

  private recordReview(
    db: Database,
    riskId: string,
    note: string,
    matrixId: string,
    levels: Assessed,
  ): void {
    repo.insertReview(db, riskId, {
      at: new Date().toISOString(),
      actor: this.vault().actor.name,
      note,
      matrixId,
      levels,
    });
  }

  // ---- the register -----------------------------------------------------------------------

  private validated(raw: unknown, criteria: RiskCriteria) {
    const input = RiskInput.parse(raw);
    const matrix = this.matrix(criteria.matrixId);
    const bad = outOfScale(matrix, input);
    if (bad.length) {
      throw new AppError('VALIDATION_FAILED', 'A score is outside the matrix', {
        issues: bad.map((field) => ({ path: [field], message: 'outside the matrix' })),
      });
    }
    if (!repo.systemExists(this.db, input.systemId)) {
      throw new AppError('NOT_FOUND', 'No such system');
    }
    if (input.caseId) {
      if (repo.systemOfCase(this.db, input.caseId) !== input.systemId) {
        throw new AppError('VALIDATION_FAILED', 'The case is not about that system', {
          issues: [{ path: ['caseId'], message: 'not a case of the system' }],
        });
      }
    }
    for (const f of input.findingIds) {
      if (!repo.findingExists(this.db, f)) {
        throw new AppError('VALIDATION_FAILED', 'A linked finding does not exist', {
          issues: [{ path: ['findingIds'], message: `${f} does not exist` }],
        });
      }
    }
    const assessed = assess(matrix, input);
    // The rules of sense: what remains is not more than there was; a requirement the risk is
    // linked to is on the case's checklist.
    const requirements = input.caseId ? caseRequirements(this.db, input.caseId) : null;
    refuseNonsense([
      ...residualRule(assessed.inherent, assessed.residual),
      ...(requirements
        ? input.requirementIds.flatMap((id, i) =>
            requirementRule(id, requirements, ['requirementIds', i]),
          )
        : []),
    ]);
    return { input, matrix, assessed };
  }

  async createRisk(raw: unknown): Promise<string> {
    const criteria = this.requireCriteria();
    const { input, matrix, assessed } = this.validated(raw, criteria);
    const id = randomUUID();
    const ref = repo.nextRiskRef(this.db);
    const now = new Date().toISOString();
    await this.vault().change(
      { action: 'risk.create', entityType: 'risk', entityId: id, changes: { ref, ...input } },
      (db) => {
        repo.insertRisk(
          db,
          { id, ref, systemId: input.systemId, createdAt: now },
          input,
          matrix.id,
          assessed,
        );
        repo.replaceLinks(db, id, input);
        this.recordReview(db, id, 'created', matrix.id, assessed);
      },
    );
    return id;
  }

  /** Updates a risk; an acceptance of its earlier state is then flagged for re-acceptance. */
  async updateRisk(id: string, raw: unknown): Promise<void> {
    const criteria = this.requireCriteria();
    const before = this.getRisk(id);
    const { input, matrix, assessed } = this.validated(raw, criteria);
    if (input.systemId !== before.systemId) {
      throw new AppError('VALIDATION_FAILED', 'A risk stays with its system', {
        issues: [{ path: ['systemId'], message: 'cannot move a risk to another system' }],
      });
    }
    const now = new Date().toISOString();
    await this.vault().change(
      {
        action: 'risk.update',
        entityType: 'risk',
        entityId: id,
        changes: {
          residual: [before.residualLevel, assessed.residual.id],
          inherent: [before.inherentLevel, assessed.inherent?.id ?? null],
          ...input,
        },
      },
      (db) => {
        repo.updateRisk(db, id, input, matrix.id, assessed, now);
        repo.replaceLinks(db, id, input);
        this.recordReview(db, id, 'reviewed', matrix.id, assessed);
      },
    );
  }

  /** Accepts a risk's residual level as it stands now, if the criteria let this user do so. */
  async acceptRisk(id: string, raw: unknown): Promise<void> {
    const criteria = this.requireCriteria();
    const input = AcceptanceInput.parse(raw);
    const risk = this.getRisk(id);
    const matrix = this.matrix(criteria.matrixId);
    const actor = this.vault().actor;
    // On this vault's matrix, as the register shows it and as a received acceptance is judged.
    const residual = residualHere(risk, { matrix, matrices: () => this.matrices() });
    if (residual === null) {
      throw new AppError('RISK_ACCEPTANCE_REFUSED', 'The risk cannot be accepted', {
        reason: 'NOT_ACCEPTABLE',
      });
    }
    const verdict = canAccept({
      matrix,
      criteria,
      residualIndex: residual,
      treatment: risk.treatment,
      role: actor.role,
      input,
      today: today(),
    });
    if (!verdict.ok) {
      throw new AppError('RISK_ACCEPTANCE_REFUSED', 'The risk cannot be accepted', {
        reason: verdict.code,
      });
    }
    const snapshot = { ...risk, acceptance: undefined };
    await this.vault().change(
      {
        action: 'risk.accept',
        entityType: 'risk',
        entityId: id,
        changes: {
          residual: risk.residualLevel,
          authority: verdict.authority,
          expiresOn: input.expiresOn,
          justification: input.justification,
        },
      },
      (db) =>
        repo.insertAcceptance(db, {
          riskId: id,
          acceptedBy: actor.name,
          role: actor.role,
          authority: verdict.authority,
          justification: input.justification,
          acceptedOn: today(),
          expiresOn: input.expiresOn,
          fingerprint: fingerprint(risk),
          snapshot: JSON.stringify(snapshot),
          at: new Date().toISOString(),
        }),
    );
  }

  listRisks(raw: unknown = {}): RiskView[] {
    const filter = RiskFilter.parse(raw);
    return this.query({ by: 'filter', systemId: filter.systemId, caseId: filter.caseId });
  }

  /** The risks with the highest residual level across all systems. */
  highestResidual(limit: number): RiskView[] {
    return this.query({ by: 'highest', limit });
  }

  /** What this vault judges acceptances by, today. */
  private judgeContext(): JudgeContext {
    const criteria = this.criteria();
    const matrix = criteria ? this.matrix(criteria.matrixId) : null;
    return { criteria, matrix, day: today(), matrices: () => this.matrices() };
  }

  private query(selection: repo.RiskSelection): RiskView[] {
    const context = this.judgeContext();
    const { risks, links, acceptances } = repo.readRisks(this.db, selection);
    return risks.map((r) => riskView(r, links.get(r.id), acceptances.get(r.id) ?? [], context));
  }

  /**
   * Why an acceptance received in a package does not count here (null: it does): this vault's
   * criteria must let `role` accept the risk's residual level, on this vault's matrix, for the
   * term it runs (shared/risk.ts, acceptanceValidHere). Without criteria nothing counts.
   */
  receivedRefusal(
    risk: RiskSubstance,
    role: string,
    acceptedOn: string,
    expiresOn: string,
    context: {
      criteria?: RiskCriteria | null;
      matrix?: RiskMatrix | null;
      day?: string;
    } = {},
  ): ReceivedAcceptanceRefusal | null {
    const criteria = context.criteria === undefined ? this.criteria() : context.criteria;
    const matrix =
      context.matrix === undefined
        ? criteria
          ? this.matrix(criteria.matrixId)
          : null
        : context.matrix;
    return receivedRefusal(risk, role, acceptedOn, expiresOn, {
      criteria,
      matrix,
      day: context.day ?? today(),
      matrices: () => this.matrices(),
    });
  }

  getRisk(id: string): RiskView {
    const risk = this.query({ by: 'id', id })[0];
    if (!risk) {
      throw new AppError('NOT_FOUND', 'No such risk');
    }
    return risk;
  }

  /** The reviews of a risk (oldest first) and its acceptances: the trend and the record. */
  riskHistory(id: string) {
    this.getRisk(id);
    return {
      reviews: repo.reviewsOf(this.db, id),
      acceptances: repo.acceptancesOf(this.db, id).map((a) => ({
        by: a.acceptedBy,
        role: a.role,
        authority: a.authority,
        justification: a.justification,
        on: a.acceptedOn,
        expiresOn: a.expiresOn,
        residualLevel: a.residualLevel,
        /** Received in a package: kept as the sender's claim, with the name the package gave. */
        received: a.origin === 'received',
        claimedBy: a.claimedBy,
      })),
    };
  }

  /**
   * Non-compliant requirements of a case that no currently accepted risk covers: a risk of the
   * case (or of its system, outside any case) linked to the requirement, whose acceptance is
   * current (not expired, and the risk unchanged since).
   */
  unacceptedNonCompliant(caseId: string): string[] {
    const systemId = repo.systemOfCase(this.db, caseId);
    if (systemId === null) {
      return [];
    }
    const covered = new Set(
      this.query({ by: 'case', caseId, systemId })
        .filter((r) => r.acceptance.status === 'accepted')
        .flatMap((r) => r.requirementIds),
    );
    // A condition of the decision, tied to the requirement, covers it as an accepted risk does.
    for (const requirement of repo.conditionRequirements(this.db, caseId)) {
      covered.add(requirement);
    }
    // Found wanting: the owner says so, or the accreditor disagrees with a claim that it is met.
    return repo
      .wantingRequirements(this.db, caseId, approvalPolicy().partialNeedsRiskOrCondition)
      .filter((id) => !covered.has(id));
  }
}

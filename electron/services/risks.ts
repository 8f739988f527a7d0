/**
 * The risk register (issue 6): risks per system (and per case), scored on the vault's matrix,
 * accepted under the vault's criteria by whoever the criteria name, and re-flagged when they
 * change after acceptance. The arithmetic is in shared/risk.ts; this service stores what it
 * computes, records every review for the trend, and records what moved when the matrix changes.
 *
 * Longer than 500 lines: the area's SQL, rules and use cases together, until the split by
 * capability into repository, domain and use cases.
 */
import { requirementRule, residualRule } from '../../shared/sense';
import { caseRequirements, refuseNonsense } from './sense';
import { RISK_FIELDS } from '../db/columns';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import { AppError } from '../../shared/errors';
import {
  AcceptanceInput,
  acceptanceAuthority,
  acceptanceStatus,
  acceptanceValidHere,
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
  type AcceptanceStatus,
  type Authority,
  type Movement,
  type ReceivedAcceptanceRefusal,
  type RiskCriteria,
  type RiskMatrix,
  type RiskSubstance,
  type Treatment,
} from '../../shared/risk';
import { newRef } from '../db/refs';
import { optional, queryRows, text } from '../db/query';
import { approvalPolicy } from './policy';
import type { Vault } from '../vault/vault';
import { today } from './register';

export const MATRICES_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'resources',
  'risk',
  'matrices.json',
);

const all = queryRows;
const s = text;
const n = optional;
const int = (v: SqlValue | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

let shipped: { default: string; matrices: RiskMatrix[] } | null = null;

/** The matrices that ship with the application (validated once). */
export function builtinMatrices(): { default: string; matrices: RiskMatrix[] } {
  if (!shipped) {
    const raw = JSON.parse(readFileSync(MATRICES_FILE, 'utf8')) as {
      default: string;
      matrices: unknown[];
    };
    const matrices = raw.matrices.map((m) => {
      const parsed = parseMatrix(m);
      if (!parsed.ok) {
        throw new AppError('INTERNAL', 'A shipped risk matrix is invalid');
      }
      return parsed.matrix;
    });
    shipped = { default: raw.default, matrices };
  }
  return shipped;
}

export interface RiskView extends RiskSubstance {
  id: string;
  ref: string;
  systemId: string;
  system: string;
  caseId: string | null;
  caseRef: string | null;
  measures: string;
  owner: string;
  reviewDate: string | null;
  inherentLevel: string | null;
  inherentRank: number | null;
  residualLevel: string;
  residualRank: number;
  authority: Authority;
  acceptance: {
    /** A received acceptance this vault's criteria do not allow reads owner_/authority_not_valid. */
    status: AcceptanceStatus;
    /** Who accepted: for an acceptance received in a package, the certificate that signed it. */
    by: string | null;
    role: string | null;
    on: string | null;
    expiresOn: string | null;
    justification: string | null;
  };
  requirementIds: string[];
  findingIds: string[];
  updatedAt: string;
}

/** What an acceptance accepts, from a stored risk row (shared/risk.ts, fingerprint). */
export function substance(r: Record<string, SqlValue>): RiskSubstance {
  return {
    matrixId: s(r.matrix_id),
    scope: s(r.scope),
    threatSource: s(r.threat_source),
    threatEvent: s(r.threat_event),
    vulnerability: s(r.vulnerability),
    confidentiality: int(r.impact_c),
    integrity: int(r.impact_i),
    availability: int(r.impact_a),
    authenticity: int(r.impact_auth),
    likelihood: Number(r.likelihood),
    treatment: s(r.treatment) as Treatment,
    residualLikelihood: Number(r.residual_likelihood),
    residualImpact: Number(r.residual_impact),
  };
}

function riskValues(
  input: ReturnType<typeof RiskInput.parse>,
  matrixId: string,
  assessed: ReturnType<typeof assess>,
  now: string,
): SqlValue[] {
  return [
    input.caseId ?? null,
    matrixId,
    input.scope,
    input.threatSource,
    input.threatEvent,
    input.vulnerability,
    input.confidentiality,
    input.integrity,
    input.availability,
    input.authenticity,
    input.likelihood,
    assessed.inherent?.id ?? null,
    assessed.inherent?.index ?? null,
    input.treatment,
    input.measures,
    input.residualLikelihood,
    input.residualImpact,
    assessed.residual.id,
    assessed.residual.index,
    input.owner,
    input.reviewDate ?? null,
    now,
  ];
}

export class RiskService {
  constructor(private readonly vault: () => Vault) {}

  private get db(): Database {
    return this.vault().database;
  }

  // ---- matrices and criteria -------------------------------------------------------------

  /** Every matrix the vault can use: the shipped ones and those imported into it. */
  matrices(): RiskMatrix[] {
    const imported = all(this.db, 'SELECT json FROM risk_matrices WHERE builtin = 0 ORDER BY id')
      .map((r) => parseMatrix(JSON.parse(s(r.json))))
      .flatMap((p) => (p.ok ? [p.matrix] : []));
    return [...builtinMatrices().matrices, ...imported];
  }

  matrix(id: string): RiskMatrix {
    const found = this.matrices().find((m) => m.id === id);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such risk matrix');
    }
    return found;
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
      (db) =>
        db.run('INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 0, ?)', [
          matrix.id,
          JSON.stringify(matrix),
          new Date().toISOString(),
        ]),
    );
    return { id: matrix.id };
  }

  criteria(): (RiskCriteria & { setBy: string; setAt: string }) | null {
    const row = all(this.db, 'SELECT * FROM risk_criteria WHERE id = 1')[0];
    if (!row) {
      return null;
    }
    return {
      matrixId: s(row.matrix_id),
      ownerAcceptsUpTo: s(row.owner_accepts_up_to),
      accreditorAcceptsUpTo: s(row.accreditor_accepts_up_to),
      maxAcceptanceMonths: Number(row.max_acceptance_months),
      setBy: s(row.set_by),
      setAt: s(row.set_at),
    };
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
    let moved: Movement[] = [];
    const rows = before && before.matrixId !== matrix.id ? all(this.db, 'SELECT * FROM risks') : [];
    const recalculated = before
      ? recalculate(
          this.matrix(before.matrixId),
          matrix,
          rows.map((r) => ({ id: s(r.id), ...substance(r) })),
        )
      : { risks: [], moved: [] };
    moved = recalculated.moved;
    await this.vault().change(
      {
        action: 'risk.criteria.set',
        entityType: 'risk_criteria',
        entityId: '1',
        changes: { before, after: criteria, moved: moved.length },
      },
      (db) => {
        const stored = all(db, 'SELECT 1 FROM risk_matrices WHERE id = ?', [matrix.id]).length;
        if (!stored) {
          db.run('INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 1, ?)', [
            matrix.id,
            JSON.stringify(matrix),
            at,
          ]);
        }
        db.run(
          `INSERT INTO risk_criteria (id, matrix_id, owner_accepts_up_to, accreditor_accepts_up_to, max_acceptance_months, set_by, set_at)
           VALUES (1, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET matrix_id = excluded.matrix_id, owner_accepts_up_to = excluded.owner_accepts_up_to,
             accreditor_accepts_up_to = excluded.accreditor_accepts_up_to, max_acceptance_months = excluded.max_acceptance_months,
             set_by = excluded.set_by, set_at = excluded.set_at`,
          [
            matrix.id,
            criteria.ownerAcceptsUpTo,
            criteria.accreditorAcceptsUpTo,
            criteria.maxAcceptanceMonths,
            actor.name,
            at,
          ],
        );
        for (const r of recalculated.risks) {
          db.run(
            `UPDATE risks SET matrix_id = ?, impact_c = ?, impact_i = ?, impact_a = ?, impact_auth = ?, likelihood = ?,
               residual_likelihood = ?, residual_impact = ?, inherent_level = ?, inherent_rank = ?, residual_level = ?, residual_rank = ?, updated_at = ?
             WHERE id = ?`,
            [
              matrix.id,
              r.confidentiality,
              r.integrity,
              r.availability,
              r.authenticity,
              r.likelihood,
              r.residualLikelihood,
              r.residualImpact,
              r.assessed.inherent?.id ?? null,
              r.assessed.inherent?.index ?? null,
              r.assessed.residual.id,
              r.assessed.residual.index,
              at,
              r.id,
            ],
          );
          this.recordReview(db, r.id, `matrix ${before?.matrixId} → ${matrix.id}`, matrix.id, {
            inherent: r.assessed.inherent,
            residual: r.assessed.residual,
          });
        }
        if (before && before.matrixId !== matrix.id) {
          db.run(
            'INSERT INTO risk_recalculations (from_matrix, to_matrix, moved, actor, at) VALUES (?, ?, ?, ?, ?)',
            [before.matrixId, matrix.id, JSON.stringify(moved), actor.name, at],
          );
        }
      },
    );
    return { moved };
  }

  recalculations() {
    return all(this.db, 'SELECT * FROM risk_recalculations ORDER BY seq').map((r) => ({
      from: s(r.from_matrix),
      to: s(r.to_matrix),
      moved: JSON.parse(s(r.moved)) as Movement[],
      actor: s(r.actor),
      at: s(r.at),
    }));
  }

  private recordReview(
    db: Database,
    riskId: string,
    note: string,
    matrixId: string,
    levels: {
      inherent: { id: string; index: number } | null;
      residual: { id: string; index: number };
    },
  ): void {
    db.run(
      `INSERT INTO risk_reviews (risk_id, at, actor, note, matrix_id, inherent_level, inherent_rank, residual_level, residual_rank)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        riskId,
        new Date().toISOString(),
        this.vault().actor.name,
        note,
        matrixId,
        levels.inherent?.id ?? null,
        levels.inherent?.index ?? null,
        levels.residual.id,
        levels.residual.index,
      ],
    );
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
    if (!all(this.db, 'SELECT 1 FROM systems WHERE id = ?', [input.systemId]).length) {
      throw new AppError('NOT_FOUND', 'No such system');
    }
    if (input.caseId) {
      const c = all(this.db, 'SELECT system_id FROM cases WHERE id = ?', [input.caseId])[0];
      if (!c || s(c.system_id) !== input.systemId) {
        throw new AppError('VALIDATION_FAILED', 'The case is not about that system', {
          issues: [{ path: ['caseId'], message: 'not a case of the system' }],
        });
      }
    }
    for (const f of input.findingIds) {
      if (!all(this.db, 'SELECT 1 FROM findings WHERE id = ?', [f]).length) {
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

  private writeLinks(
    db: Database,
    id: string,
    input: { requirementIds: string[]; findingIds: string[] },
  ) {
    db.run('DELETE FROM risk_links WHERE risk_id = ?', [id]);
    for (const target of new Set(input.requirementIds)) {
      db.run("INSERT INTO risk_links (risk_id, kind, target) VALUES (?, 'requirement', ?)", [
        id,
        target,
      ]);
    }
    for (const target of new Set(input.findingIds)) {
      db.run("INSERT INTO risk_links (risk_id, kind, target) VALUES (?, 'finding', ?)", [
        id,
        target,
      ]);
    }
  }

  async createRisk(raw: unknown): Promise<string> {
    const criteria = this.requireCriteria();
    const { input, matrix, assessed } = this.validated(raw, criteria);
    const id = randomUUID();
    const ref = newRef(this.db, 'RISK');
    const now = new Date().toISOString();
    await this.vault().change(
      { action: 'risk.create', entityType: 'risk', entityId: id, changes: { ref, ...input } },
      (db) => {
        db.run(
          `INSERT INTO risks (id, ref, system_id, created_at, ${RISK_FIELDS.join(', ')})
           VALUES (${['?', '?', '?', '?', ...RISK_FIELDS.map(() => '?')].join(', ')})`,
          [id, ref, input.systemId, now, ...riskValues(input, matrix.id, assessed, now)],
        );
        this.writeLinks(db, id, input);
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
        db.run(`UPDATE risks SET ${RISK_FIELDS.map((f) => `${f} = ?`).join(', ')} WHERE id = ?`, [
          ...riskValues(input, matrix.id, assessed, now),
          id,
        ]);
        this.writeLinks(db, id, input);
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
    const verdict = canAccept({
      matrix,
      criteria,
      residualIndex: risk.residualRank,
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
        db.run(
          `INSERT INTO risk_acceptances (risk_id, accepted_by, role, authority, justification, accepted_on, expires_on, fingerprint, snapshot, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            actor.name,
            actor.role,
            verdict.authority,
            input.justification,
            today(),
            input.expiresOn,
            fingerprint(risk),
            JSON.stringify(snapshot),
            new Date().toISOString(),
          ],
        ),
    );
  }

  listRisks(raw: unknown = {}): RiskView[] {
    const filter = RiskFilter.parse(raw);
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.systemId) {
      where.push('r.system_id = ?');
      params.push(filter.systemId);
    }
    if (filter.caseId) {
      where.push('r.case_id = ?');
      params.push(filter.caseId);
    }
    return this.query(where.length ? `WHERE ${where.join(' AND ')}` : '', params);
  }

  /** The risks with the highest residual level across all systems. */
  highestResidual(limit: number): RiskView[] {
    return this.query('', [], limit);
  }

  private query(where: string, params: SqlValue[], limit?: number): RiskView[] {
    const criteria = this.criteria();
    const matrix = criteria ? this.matrix(criteria.matrixId) : null;
    const day = today();
    const links = new Map<string, { requirement: string[]; finding: string[] }>();
    const rows = all(
      this.db,
      `SELECT r.*, s.ref AS system_ref, s.name AS system_name, c.ref AS case_ref
       FROM risks r JOIN systems s ON s.id = r.system_id LEFT JOIN cases c ON c.id = r.case_id
       ${where} ORDER BY r.residual_rank DESC, r.residual_likelihood * r.residual_impact DESC, r.ref
       ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
      params,
    );
    const linkRows = limit
      ? all(
          this.db,
          `SELECT risk_id, kind, target FROM risk_links WHERE risk_id IN (${rows.map(() => '?').join(',')}) ORDER BY target`,
          rows.map((r) => r.id ?? null),
        )
      : all(
          this.db,
          `SELECT l.risk_id, l.kind, l.target FROM risk_links l JOIN risks r ON r.id = l.risk_id ${where} ORDER BY l.target`,
          params,
        );
    for (const l of linkRows) {
      const entry = links.get(s(l.risk_id)) ?? { requirement: [], finding: [] };
      entry[s(l.kind) as 'requirement' | 'finding'].push(s(l.target));
      links.set(s(l.risk_id), entry);
    }
    // Every acceptance of these risks, newest first.
    const acceptanceRows = limit
      ? all(
          this.db,
          `SELECT * FROM risk_acceptances WHERE risk_id IN (${rows.map(() => '?').join(',')}) ORDER BY seq DESC`,
          rows.map((r) => r.id ?? null),
        )
      : all(
          this.db,
          `SELECT a.* FROM risk_acceptances a JOIN risks r ON r.id = a.risk_id ${where} ORDER BY a.seq DESC`,
          params,
        );
    const acceptancesOf = new Map<string, Record<string, SqlValue>[]>();
    for (const a of acceptanceRows) {
      acceptancesOf.set(s(a.risk_id), [...(acceptancesOf.get(s(a.risk_id)) ?? []), a]);
    }
    return rows.map((r) => {
      const sub = substance(r);
      const link = links.get(s(r.id));
      const { status, acceptance: a } = this.judgeAcceptances(
        sub,
        acceptancesOf.get(s(r.id)) ?? [],
        { criteria, matrix, day },
      );
      return {
        ...sub,
        id: s(r.id),
        ref: s(r.ref),
        systemId: s(r.system_id),
        system: `${s(r.system_ref)} ${s(r.system_name)}`,
        caseId: n(r.case_id),
        caseRef: n(r.case_ref),
        measures: s(r.measures),
        owner: s(r.owner),
        reviewDate: n(r.review_date),
        inherentLevel: n(r.inherent_level),
        inherentRank: int(r.inherent_rank),
        residualLevel: s(r.residual_level),
        residualRank: Number(r.residual_rank),
        authority:
          matrix && criteria
            ? acceptanceAuthority(matrix, criteria, Number(r.residual_rank))
            : 'none',
        acceptance: {
          status,
          by: a ? n(a.accepted_by) : null,
          role: a ? n(a.role) : null,
          on: a ? n(a.accepted_on) : null,
          expiresOn: a ? n(a.expires_on) : null,
          justification: a ? n(a.justification) : null,
        },
        requirementIds: link?.requirement ?? [],
        findingIds: link?.finding ?? [],
        updatedAt: s(r.updated_at),
      };
    });
  }

  /**
   * A risk's acceptance status from its acceptances (newest first), as this vault judges them:
   * the newest acceptance valid here — made here, or received and allowed by this vault's
   * criteria (receivedRefusal) — decides, so a later claim that is not valid here never masks a
   * valid one. Without a valid one, the newest claim shows for what it is (the other side's,
   * not valid here); without any, 'none'. Returns the acceptance the status is about.
   */
  private judgeAcceptances(
    sub: RiskSubstance,
    acceptances: Record<string, SqlValue>[],
    context: { criteria: RiskCriteria | null; matrix: RiskMatrix | null; day: string },
  ): { status: AcceptanceStatus; acceptance: Record<string, SqlValue> | null } {
    const statusOf = (a: Record<string, SqlValue>): AcceptanceStatus =>
      acceptanceStatus(
        sub,
        { fingerprint: s(a.fingerprint), expiresOn: s(a.expires_on) },
        context.day,
      );
    const validHere = (a: Record<string, SqlValue>) =>
      a.origin !== 'received' ||
      this.receivedRefusal(sub, s(a.role), s(a.accepted_on), s(a.expires_on), context) === null;
    // A current acceptance valid here stands, whatever was claimed after it.
    const current = acceptances.find((a) => validHere(a) && statusOf(a) === 'accepted');
    if (current) {
      return { status: 'accepted', acceptance: current };
    }
    const latest = acceptances[0];
    if (!latest) {
      return { status: 'none', acceptance: null };
    }
    // Nothing current counts here: a current claim is shown for what it is (the sender's, not
    // valid here); otherwise the newest acceptance valid here says why (re-accept, expired).
    const valid = acceptances.find(validHere);
    const claimed = statusOf(latest);
    if (claimed === 'accepted') {
      return {
        status: latest.role === 'accreditor' ? 'authority_not_valid' : 'owner_not_valid',
        acceptance: latest,
      };
    }
    return valid
      ? { status: statusOf(valid), acceptance: valid }
      : { status: claimed, acceptance: latest };
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
    const riskMatrix =
      matrix?.id === risk.matrixId ? matrix : this.matrices().find((m) => m.id === risk.matrixId);
    if (!criteria || !matrix || !riskMatrix) {
      return 'NOT_ACCEPTABLE';
    }
    return acceptanceValidHere({
      matrix,
      criteria,
      riskMatrix,
      risk,
      role,
      acceptedOn,
      expiresOn,
      today: context.day ?? today(),
    });
  }

  getRisk(id: string): RiskView {
    const risk = this.query('WHERE r.id = ?', [id])[0];
    if (!risk) {
      throw new AppError('NOT_FOUND', 'No such risk');
    }
    return risk;
  }

  /** The reviews of a risk (oldest first) and its acceptances: the trend and the record. */
  riskHistory(id: string) {
    this.getRisk(id);
    return {
      reviews: all(this.db, 'SELECT * FROM risk_reviews WHERE risk_id = ? ORDER BY seq', [id]).map(
        (r) => ({
          at: s(r.at),
          actor: s(r.actor),
          note: s(r.note),
          matrixId: s(r.matrix_id),
          inherentLevel: n(r.inherent_level),
          inherentRank: int(r.inherent_rank),
          residualLevel: s(r.residual_level),
          residualRank: Number(r.residual_rank),
        }),
      ),
      acceptances: all(this.db, 'SELECT * FROM risk_acceptances WHERE risk_id = ? ORDER BY seq', [
        id,
      ]).map((a) => ({
        by: s(a.accepted_by),
        role: s(a.role),
        authority: s(a.authority),
        justification: s(a.justification),
        on: s(a.accepted_on),
        expiresOn: s(a.expires_on),
        residualLevel: s((JSON.parse(s(a.snapshot)) as { residualLevel?: string }).residualLevel),
        /** Received in a package: kept as the sender's claim, with the name the package gave. */
        received: s(a.origin) === 'received',
        claimedBy: n(a.claimed_by),
      })),
    };
  }

  /**
   * Non-compliant requirements of a case that no currently accepted risk covers: a risk of the
   * case (or of its system, outside any case) linked to the requirement, whose acceptance is
   * current (not expired, and the risk unchanged since).
   */
  unacceptedNonCompliant(caseId: string): string[] {
    const c = all(this.db, 'SELECT system_id FROM cases WHERE id = ?', [caseId])[0];
    if (!c) {
      return [];
    }
    const covered = new Set(
      this.query('WHERE r.case_id = ? OR (r.system_id = ? AND r.case_id IS NULL)', [
        caseId,
        s(c.system_id),
      ])
        .filter((r) => r.acceptance.status === 'accepted')
        .flatMap((r) => r.requirementIds),
    );
    // A condition of the decision, tied to the requirement, covers it as an accepted risk does.
    for (const f of all(
      this.db,
      "SELECT requirement_id FROM findings WHERE case_id = ? AND kind = 'condition' AND requirement_id IS NOT NULL",
      [caseId],
    )) {
      covered.add(s(f.requirement_id));
    }
    const wanting = approvalPolicy().partialNeedsRiskOrCondition
      ? "('non_compliant', 'partially')"
      : "('non_compliant')";
    // Found wanting: the owner says so, or the accreditor disagrees with a claim that it is met.
    return all(
      this.db,
      `SELECT requirement_id FROM checklist_items WHERE case_id = ?
         AND (status IN ${wanting} OR (verdict = 'disagreed' AND status <> 'not_assessed'))
       ORDER BY position`,
      [caseId],
    )
      .map((r) => s(r.requirement_id))
      .filter((id) => !covered.has(id));
  }
}

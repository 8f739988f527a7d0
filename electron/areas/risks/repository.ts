/**
 * The risk register's storage: the only code that speaks SQL to its tables (risk_matrices,
 * risk_criteria, risks, risk_links, risk_acceptances, risk_reviews, risk_recalculations), and
 * the matrices that ship with the application. Rows are typed here, as they leave the database;
 * nothing above this file reads a column by name — except the exchange, whose packages carry
 * rows column by column (electron/exchange/content.ts), and which reads and writes them here.
 *
 * Functions of the database they run on: the vault's for reads, the one `vault.change` hands
 * its job for writes, so a write lands in the change's transaction with its audit row.
 *
 * Longer than 500 lines: every statement on the area's seven tables lives here and nowhere
 * else — the register's, and those the exchange reads and writes column by column — with the
 * typing of each row it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import { AppError } from '../../../shared/errors';
import {
  parseMatrix,
  type Assessed,
  type Movement,
  type RiskCriteria,
  type RiskInput,
  type RiskMatrix,
  type RiskSubstance,
  type Treatment,
} from '../../../shared/risk';
import { RISK_FIELDS } from '../../db/columns';
import { optional, queryRows, text } from '../../db/query';
import { newRef } from '../../db/refs';
import { ACCEPTANCE_COLUMNS, RISK_COLUMNS } from '../../exchange/content';
import { RESOURCES } from '../resources';
import type { AcceptanceRecord, RiskLinks, RiskRecord } from './rules';

const all = queryRows;
const s = text;
const n = optional;
const int = (v: SqlValue | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

type Row = Record<string, SqlValue>;

/** A risk's input as the use cases parsed it. */
export type ParsedRiskInput = ReturnType<typeof RiskInput.parse>;

// ---- the matrices that ship ---------------------------------------------------------------

export const MATRICES_FILE = join(RESOURCES, 'risk', 'matrices.json');

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

// ---- matrices and criteria ------------------------------------------------------------------

/** The matrices imported into the vault, by id (one that no longer parses is left out). */
export function importedMatrices(db: Database): RiskMatrix[] {
  return all(db, 'SELECT json FROM risk_matrices WHERE builtin = 0 ORDER BY id')
    .map((r) => parseMatrix(JSON.parse(s(r.json))))
    .flatMap((p) => (p.ok ? [p.matrix] : []));
}

/** Whether the vault stores the matrix (a shipped one is stored once criteria name it). */
export function hasMatrix(db: Database, id: string): boolean {
  return all(db, 'SELECT 1 FROM risk_matrices WHERE id = ?', [id]).length > 0;
}

export function insertMatrix(db: Database, matrix: RiskMatrix, builtin: boolean, at: string): void {
  db.run('INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, ?, ?)', [
    matrix.id,
    JSON.stringify(matrix),
    builtin ? 1 : 0,
    at,
  ]);
}

/**
 * The vault's row for a shipped matrix (a risk's matrix must be a row), stored from this vault's
 * own copy when the vault has none: a risk received on a shipped matrix the vault's criteria do
 * not name.
 */
export function keepShippedMatrix(db: Database, id: string, at: string): void {
  const shipped = builtinMatrices().matrices.find((m) => m.id === id);
  if (shipped && !hasMatrix(db, id)) {
    insertMatrix(db, shipped, true, at);
  }
}

/**
 * Keeps a matrix a package brought, unless the vault has one of that id; of a shipped id, the
 * vault's own copy (the package's was compared with it and found the same).
 */
export function keepReceivedMatrix(db: Database, matrix: RiskMatrix, at: string): void {
  if (builtinMatrices().matrices.some((m) => m.id === matrix.id)) {
    keepShippedMatrix(db, matrix.id, at);
    return;
  }
  db.run(
    'INSERT OR IGNORE INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 0, ?)',
    [matrix.id, JSON.stringify(matrix), at],
  );
}

export type StoredCriteria = RiskCriteria & { setBy: string; setAt: string };

export function readCriteria(db: Database): StoredCriteria | null {
  const row = all(db, 'SELECT * FROM risk_criteria WHERE id = 1')[0];
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

export function writeCriteria(db: Database, criteria: RiskCriteria, by: string, at: string): void {
  db.run(
    `INSERT INTO risk_criteria (id, matrix_id, owner_accepts_up_to, accreditor_accepts_up_to, max_acceptance_months, set_by, set_at)
     VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET matrix_id = excluded.matrix_id, owner_accepts_up_to = excluded.owner_accepts_up_to,
       accreditor_accepts_up_to = excluded.accreditor_accepts_up_to, max_acceptance_months = excluded.max_acceptance_months,
       set_by = excluded.set_by, set_at = excluded.set_at`,
    [
      criteria.matrixId,
      criteria.ownerAcceptsUpTo,
      criteria.accreditorAcceptsUpTo,
      criteria.maxAcceptanceMonths,
      by,
      at,
    ],
  );
}

// ---- recalculation onto another matrix ---------------------------------------------------

/** Every risk's substance, to rescale onto another matrix. */
export function allSubstances(db: Database): (RiskSubstance & { id: string })[] {
  return all(db, 'SELECT * FROM risks').map((r) => ({ id: s(r.id), ...substanceOf(r) }));
}

/** Stores a risk's scores and levels rescaled onto `matrixId`. */
export function rescore(
  db: Database,
  r: RiskSubstance & { id: string; assessed: Assessed },
  matrixId: string,
  at: string,
): void {
  db.run(
    `UPDATE risks SET matrix_id = ?, impact_c = ?, impact_i = ?, impact_a = ?, impact_auth = ?, likelihood = ?,
       residual_likelihood = ?, residual_impact = ?, inherent_level = ?, inherent_rank = ?, residual_level = ?, residual_rank = ?, updated_at = ?
     WHERE id = ?`,
    [
      matrixId,
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
}

export function insertRecalculation(
  db: Database,
  from: string,
  to: string,
  moved: Movement[],
  actor: string,
  at: string,
): void {
  db.run(
    'INSERT INTO risk_recalculations (from_matrix, to_matrix, moved, actor, at) VALUES (?, ?, ?, ?, ?)',
    [from, to, JSON.stringify(moved), actor, at],
  );
}

export function recalculations(
  db: Database,
): { from: string; to: string; moved: Movement[]; actor: string; at: string }[] {
  return all(db, 'SELECT * FROM risk_recalculations ORDER BY seq').map((r) => ({
    from: s(r.from_matrix),
    to: s(r.to_matrix),
    moved: JSON.parse(s(r.moved)) as Movement[],
    actor: s(r.actor),
    at: s(r.at),
  }));
}

// ---- the register -----------------------------------------------------------------------

/** What an acceptance accepts, from a risk's columns: a stored row, or one a package brings. */
export function substanceOf(r: Row): RiskSubstance {
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
    // The column's CHECK admits the treatments only.
    treatment: s(r.treatment) as Treatment,
    residualLikelihood: Number(r.residual_likelihood),
    residualImpact: Number(r.residual_impact),
  };
}

/** A risk's input and assessment, in RISK_FIELDS' order. */
function fieldValues(
  input: ParsedRiskInput,
  matrixId: string,
  assessed: Assessed,
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

/** The next free risk reference of the vault. */
export function nextRiskRef(db: Database): string {
  return newRef(db, 'RISK');
}

export function insertRisk(
  db: Database,
  risk: { id: string; ref: string; systemId: string; createdAt: string },
  input: ParsedRiskInput,
  matrixId: string,
  assessed: Assessed,
): void {
  db.run(
    `INSERT INTO risks (id, ref, system_id, created_at, ${RISK_FIELDS.join(', ')})
     VALUES (${['?', '?', '?', '?', ...RISK_FIELDS.map(() => '?')].join(', ')})`,
    [
      risk.id,
      risk.ref,
      risk.systemId,
      risk.createdAt,
      ...fieldValues(input, matrixId, assessed, risk.createdAt),
    ],
  );
}

export function updateRisk(
  db: Database,
  id: string,
  input: ParsedRiskInput,
  matrixId: string,
  assessed: Assessed,
  now: string,
): void {
  db.run(`UPDATE risks SET ${RISK_FIELDS.map((f) => `${f} = ?`).join(', ')} WHERE id = ?`, [
    ...fieldValues(input, matrixId, assessed, now),
    id,
  ]);
}

/** Replaces a risk's links with these (each once). */
export function replaceLinks(
  db: Database,
  id: string,
  input: { requirementIds: string[]; findingIds: string[] },
): void {
  db.run('DELETE FROM risk_links WHERE risk_id = ?', [id]);
  for (const target of new Set(input.requirementIds)) {
    db.run("INSERT INTO risk_links (risk_id, kind, target) VALUES (?, 'requirement', ?)", [
      id,
      target,
    ]);
  }
  for (const target of new Set(input.findingIds)) {
    db.run("INSERT INTO risk_links (risk_id, kind, target) VALUES (?, 'finding', ?)", [id, target]);
  }
}

function insertReviewRow(db: Database, values: SqlValue[]): void {
  db.run(
    `INSERT INTO risk_reviews (risk_id, at, actor, note, matrix_id, inherent_level, inherent_rank, residual_level, residual_rank)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values,
  );
}

/** Records a review of a risk: its levels at that moment, for the trend. */
export function insertReview(
  db: Database,
  riskId: string,
  review: { at: string; actor: string; note: string; matrixId: string; levels: Assessed },
): void {
  insertReviewRow(db, [
    riskId,
    review.at,
    review.actor,
    review.note,
    review.matrixId,
    review.levels.inherent?.id ?? null,
    review.levels.inherent?.index ?? null,
    review.levels.residual.id,
    review.levels.residual.index,
  ]);
}

export function insertAcceptance(
  db: Database,
  a: Omit<AcceptanceRecord, 'origin' | 'claimedBy'> & { snapshot: string; at: string },
): void {
  db.run(
    `INSERT INTO risk_acceptances (risk_id, accepted_by, role, authority, justification, accepted_on, expires_on, fingerprint, snapshot, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      a.riskId,
      a.acceptedBy,
      a.role,
      a.authority,
      a.justification,
      a.acceptedOn,
      a.expiresOn,
      a.fingerprint,
      a.snapshot,
      a.at,
    ],
  );
}

/** Which risks a read is about. */
export type RiskSelection =
  | { by: 'filter'; systemId?: string | undefined; caseId?: string | undefined }
  | { by: 'id'; id: string }
  /** A case's risks, and its system's outside any case. */
  | { by: 'case'; caseId: string; systemId: string }
  /** The `limit` risks of highest residual level across all systems. */
  | { by: 'highest'; limit: number };

function selection(sel: RiskSelection): { where: string; params: SqlValue[]; limit?: number } {
  switch (sel.by) {
    case 'filter': {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (sel.systemId) {
        where.push('r.system_id = ?');
        params.push(sel.systemId);
      }
      if (sel.caseId) {
        where.push('r.case_id = ?');
        params.push(sel.caseId);
      }
      return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
    }
    case 'id':
      return { where: 'WHERE r.id = ?', params: [sel.id] };
    case 'case':
      return {
        where: 'WHERE r.case_id = ? OR (r.system_id = ? AND r.case_id IS NULL)',
        params: [sel.caseId, sel.systemId],
      };
    case 'highest':
      return { where: '', params: [], limit: sel.limit };
  }
}

function acceptanceOf(a: Row): AcceptanceRecord {
  return {
    riskId: s(a.risk_id),
    acceptedBy: s(a.accepted_by),
    role: s(a.role),
    authority: s(a.authority),
    justification: s(a.justification),
    acceptedOn: s(a.accepted_on),
    expiresOn: s(a.expires_on),
    fingerprint: s(a.fingerprint),
    origin: s(a.origin),
    claimedBy: n(a.claimed_by),
  };
}

/**
 * The risks selected, highest residual level first (then the larger residual product, then by
 * reference), with their links and every acceptance of each (newest first).
 */
export function readRisks(
  db: Database,
  sel: RiskSelection,
): {
  risks: RiskRecord[];
  links: Map<string, RiskLinks>;
  acceptances: Map<string, AcceptanceRecord[]>;
} {
  const { where, params, limit } = selection(sel);
  const rows = all(
    db,
    `SELECT r.*, s.ref AS system_ref, s.name AS system_name, c.ref AS case_ref
     FROM risks r JOIN systems s ON s.id = r.system_id LEFT JOIN cases c ON c.id = r.case_id
     ${where} ORDER BY r.residual_rank DESC, r.residual_likelihood * r.residual_impact DESC, r.ref
     ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
    params,
  );
  // A risk's links and acceptances: of the rows read when a limit cut them, else by the same
  // selection (a list of thousands of ids would exceed what one statement may bind).
  const ofRisks = (table: string, columns: string, order: string): Row[] =>
    limit
      ? all(
          db,
          `SELECT ${columns} FROM ${table} x WHERE x.risk_id IN (${rows.map(() => '?').join(',')}) ORDER BY ${order}`,
          rows.map((r) => r.id ?? null),
        )
      : all(
          db,
          `SELECT ${columns} FROM ${table} x JOIN risks r ON r.id = x.risk_id ${where} ORDER BY ${order}`,
          params,
        );
  const links = new Map<string, RiskLinks>();
  const linkRows = ofRisks('risk_links', 'x.risk_id, x.kind, x.target', 'x.target');
  for (const l of linkRows) {
    const entry = links.get(s(l.risk_id)) ?? { requirement: [], finding: [] };
    // The column's CHECK admits these two kinds only.
    entry[s(l.kind) as keyof RiskLinks].push(s(l.target));
    links.set(s(l.risk_id), entry);
  }
  const acceptanceRows = ofRisks('risk_acceptances', 'x.*', 'x.seq DESC');
  const acceptances = new Map<string, AcceptanceRecord[]>();
  for (const a of acceptanceRows) {
    acceptances.set(s(a.risk_id), [...(acceptances.get(s(a.risk_id)) ?? []), acceptanceOf(a)]);
  }
  return {
    risks: rows.map((r) => ({
      substance: substanceOf(r),
      id: s(r.id),
      ref: s(r.ref),
      systemId: s(r.system_id),
      systemRef: s(r.system_ref),
      systemName: s(r.system_name),
      caseId: n(r.case_id),
      caseRef: n(r.case_ref),
      measures: s(r.measures),
      owner: s(r.owner),
      reviewDate: n(r.review_date),
      inherentLevel: n(r.inherent_level),
      inherentRank: int(r.inherent_rank),
      residualLevel: s(r.residual_level),
      residualRank: Number(r.residual_rank),
      updatedAt: s(r.updated_at),
    })),
    links,
    acceptances,
  };
}

/** A risk's reviews, oldest first: the trend. */
export function reviewsOf(db: Database, riskId: string) {
  return all(db, 'SELECT * FROM risk_reviews WHERE risk_id = ? ORDER BY seq', [riskId]).map(
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
  );
}

/** The residual level a kept snapshot says was accepted ('' where it says none it can read). */
function snapshotLevel(snapshot: string): string {
  try {
    const level = (JSON.parse(snapshot) as { residualLevel?: unknown } | null)?.residualLevel;
    return typeof level === 'string' ? level : '';
  } catch {
    return '';
  }
}

/** A risk's acceptances, oldest first, each with the residual level it accepted. */
export function acceptancesOf(
  db: Database,
  riskId: string,
): (AcceptanceRecord & { residualLevel: string })[] {
  return all(db, 'SELECT * FROM risk_acceptances WHERE risk_id = ? ORDER BY seq', [riskId]).map(
    (a) => ({
      ...acceptanceOf(a),
      residualLevel: snapshotLevel(s(a.snapshot)),
    }),
  );
}

// ---- other areas' tables, read for the risk rules ----------------------------------------
// Read here, never written, until the register's and the cases' areas have repositories.

export function systemExists(db: Database, id: string): boolean {
  return all(db, 'SELECT 1 FROM systems WHERE id = ?', [id]).length > 0;
}

/** The system a case is about (null: no such case). */
export function systemOfCase(db: Database, caseId: string): string | null {
  const c = all(db, 'SELECT system_id FROM cases WHERE id = ?', [caseId])[0];
  return c ? s(c.system_id) : null;
}

export function findingExists(db: Database, id: string): boolean {
  return all(db, 'SELECT 1 FROM findings WHERE id = ?', [id]).length > 0;
}

/** The requirements a condition of the case's decision is tied to. */
export function conditionRequirements(db: Database, caseId: string): string[] {
  return all(
    db,
    "SELECT requirement_id FROM findings WHERE case_id = ? AND kind = 'condition' AND requirement_id IS NOT NULL",
    [caseId],
  ).map((f) => s(f.requirement_id));
}

/**
 * The case's requirements found wanting, in checklist order: the owner says so (non-compliant,
 * and partially compliant where `partial`), or the accreditor disagrees with a claim that it is met.
 */
export function wantingRequirements(db: Database, caseId: string, partial: boolean): string[] {
  const wanting = partial ? "('non_compliant', 'partially')" : "('non_compliant')";
  return all(
    db,
    `SELECT requirement_id FROM checklist_items WHERE case_id = ?
       AND (status IN ${wanting} OR (verdict = 'disagreed' AND status <> 'not_assessed'))
     ORDER BY position`,
    [caseId],
  ).map((r) => s(r.requirement_id));
}

// ---- the exchange: risks as packages carry them, column by column -----------------------------

/**
 * What this side may send about a case's risks (electron/exchange/scope.ts): the risks made
 * here (of the case, and of its system without a case) with their links, and the acceptances
 * made here of any risk of the case — for an owner (`ownRisksOnly`), of its own risks only —
 * and the matrices they are scored on.
 */
export function packageRisks(
  db: Database,
  caseId: string,
  systemId: string,
  ownRisksOnly: boolean,
) {
  const ofCase = 'case_id = ? OR (system_id = ? AND case_id IS NULL)';
  const risks = all(
    db,
    `SELECT ${RISK_COLUMNS.join(', ')} FROM risks WHERE (${ofCase}) AND origin = 'here' ORDER BY ref`,
    [caseId, systemId],
  );
  const ids = risks.map((r) => s(r.id));
  const inList = ids.map(() => '?').join(',');
  return {
    risks,
    riskLinks: ids.length
      ? all(db, `SELECT risk_id, kind, target FROM risk_links WHERE risk_id IN (${inList})`, ids)
      : [],
    acceptances: all(
      db,
      `SELECT ${ACCEPTANCE_COLUMNS.join(', ')} FROM risk_acceptances
       WHERE origin = 'here' AND risk_id IN (SELECT id FROM risks WHERE (${ofCase})${ownRisksOnly ? " AND origin = 'here'" : ''}) ORDER BY seq`,
      [caseId, systemId],
    ),
    matrices: all(
      db,
      'SELECT json FROM risk_matrices WHERE id IN (SELECT DISTINCT matrix_id FROM risks WHERE case_id = ? OR (system_id = ? AND case_id IS NULL))',
      [caseId, systemId],
    ).map((m) => JSON.parse(s(m.json)) as unknown),
  };
}

/** A stored risk's columns (null: none of that id). */
export function riskRow(db: Database, id: string): Row | null {
  return all(db, 'SELECT * FROM risks WHERE id = ?', [id])[0] ?? null;
}

export function riskExists(db: Database, id: string): boolean {
  return all(db, 'SELECT 1 FROM risks WHERE id = ?', [id]).length > 0;
}

/** Whether another risk here has the reference. */
export function riskRefTaken(db: Database, ref: string, id: string): boolean {
  return all(db, 'SELECT 1 FROM risks WHERE ref = ? AND id <> ?', [ref, id]).length > 0;
}

/** A risk's stored review date (null: no such risk). */
export function storedReviewDate(db: Database, id: string): { reviewDate: SqlValue } | null {
  const row = all(db, 'SELECT review_date FROM risks WHERE id = ?', [id])[0];
  return row ? { reviewDate: row.review_date ?? null } : null;
}

export function linksOfRisk(db: Database, id: string): { kind: string; target: string }[] {
  return all(db, 'SELECT kind, target FROM risk_links WHERE risk_id = ?', [id]).map((l) => ({
    kind: s(l.kind),
    target: s(l.target),
  }));
}

/** The acceptance of a risk made at `at`, as its columns (null: none). */
export function acceptanceRowAt(db: Database, riskId: string, at: string): Row | null {
  return (
    all(db, 'SELECT * FROM risk_acceptances WHERE risk_id = ? AND at = ?', [riskId, at])[0] ?? null
  );
}

/** Adds a risk the other side sent, with the columns given. */
export function insertRiskRow(db: Database, values: Row): void {
  const columns = Object.keys(values);
  db.run(
    `INSERT INTO risks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    columns.map((k) => values[k] ?? null),
  );
}

/** Changes a risk the other side sent before (never one made here). */
export function updateReceivedRisk(db: Database, id: SqlValue, values: Row, now: string): void {
  const set = Object.keys(values);
  db.run(
    `UPDATE risks SET ${set.map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ? AND origin = 'received'`,
    [...set.map((k) => values[k] ?? null), now, id],
  );
}

/** Replaces a received risk's links with the package's. */
export function replaceReceivedLinks(
  db: Database,
  id: SqlValue,
  links: { kind: string; target: string }[],
): void {
  db.run('DELETE FROM risk_links WHERE risk_id = ?', [id]);
  for (const l of links) {
    db.run('INSERT OR IGNORE INTO risk_links (risk_id, kind, target) VALUES (?, ?, ?)', [
      id,
      l.kind,
      l.target,
    ]);
  }
}

/** Records what a package brought to a risk, and from whom, as a review. */
export function insertReceivedReview(
  db: Database,
  values: Row,
  review: { at: string; actor: string; note: string },
): void {
  insertReviewRow(db, [
    values.id ?? null,
    review.at,
    review.actor,
    review.note,
    values.matrix_id ?? null,
    values.inherent_level ?? null,
    values.inherent_rank ?? null,
    values.residual_level ?? null,
    values.residual_rank ?? null,
  ]);
}

/**
 * The snapshot of a risk kept with an acceptance received for it: the risk as this vault holds
 * it once the package is applied (what the acceptance's history shows), not the sender's.
 */
export function receivedSnapshot(db: Database, riskId: string): string {
  const r = riskRow(db, riskId);
  return JSON.stringify(
    r
      ? {
          id: s(r.id),
          ref: s(r.ref),
          matrixId: s(r.matrix_id),
          inherentLevel: n(r.inherent_level),
          residualLevel: s(r.residual_level),
          residualRank: Number(r.residual_rank),
          treatment: s(r.treatment),
          received: true,
        }
      : { id: riskId, received: true },
  );
}

/** Adds an acceptance the other side sent, with the columns given. */
export function insertAcceptanceRow(db: Database, columns: readonly string[], values: Row): void {
  db.run(
    `INSERT INTO risk_acceptances (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    columns.map((k) => values[k] ?? null),
  );
}

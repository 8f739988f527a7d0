/**
 * The cases' storage: the only code that speaks SQL to their tables — cases, checklist_items,
 * case_transitions, findings and finding_events, evidence and evidence_links, case_disposals.
 * Rows are typed here, as they leave the database; writes run on the database `vault.change`
 * hands its job, in the change's transaction beside its audit row.
 *
 * Three reads look at the decisions' table, each a fact the lifecycle's guards need about the
 * case's own decisions: its newest decision, the end of its approval, and which other case's
 * approval took force later. They stay here, read only, until the decisions have a repository
 * of their own.
 *
 * Longer than 500 lines: every statement on the cases' eight tables, with the typing of each
 * row it reads.
 */
import type { Database, SqlValue } from 'sql.js';
import type {
  CaseFilter,
  EvidenceMeta,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  FindingInput,
  ITEM_STATUSES,
  VERDICTS,
} from '../../../shared/cases';
import type { InfoDomain } from '../../../shared/classification';
import type { CaseState, CaseType, DecisionType } from '../../../shared/lifecycle';
import { optional, queryRows, text } from '../../db/query';

const all = queryRows;
const s = text;
const n = optional;

// ---- cases -------------------------------------------------------------------------------------

export function caseRow(db: Database, id: string) {
  const row = all(db, 'SELECT * FROM cases WHERE id = ?', [id])[0];
  return row
    ? {
        id: s(row.id),
        ref: s(row.ref),
        systemId: s(row.system_id),
        type: s(row.type) as CaseType,
        state: s(row.state) as CaseState,
        title: s(row.title),
        catalogueId: s(row.catalogue_id),
        catalogueVersion: s(row.catalogue_version),
        deadline: n(row.deadline),
        createdAt: s(row.created_at),
      }
    : null;
}

export function insertCase(
  db: Database,
  c: {
    id: string;
    ref: string;
    systemId: string;
    type: string;
    title: string;
    catalogueId: string;
    catalogueVersion: string;
    deadline: string | null;
  },
  requirements: readonly { id: string; area: string }[],
  now: string,
): void {
  db.run(
    `INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, deadline, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
    [
      c.id,
      c.ref,
      c.systemId,
      c.type,
      c.title,
      c.catalogueId,
      c.catalogueVersion,
      c.deadline,
      now,
      now,
    ],
  );
  requirements.forEach((r, position) =>
    db.run(
      'INSERT INTO checklist_items (case_id, requirement_id, area, position, updated_at) VALUES (?, ?, ?, ?, ?)',
      [c.id, r.id, r.area, position, now],
    ),
  );
}

export function cases(db: Database, filter: ReturnType<typeof CaseFilter.parse>) {
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
    db,
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

/** Whether the case came in a package from the other side. */
export function received(db: Database, caseId: string): boolean {
  return all(db, 'SELECT 1 FROM case_exchange WHERE case_id = ?', [caseId]).length > 0;
}

/** A state change and its line in the case's history. */
export function writeStep(
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

export function history(db: Database, caseId: string) {
  return all(
    db,
    'SELECT from_state, to_state, actor_name, actor_role, reason, at FROM case_transitions WHERE case_id = ? ORDER BY seq',
    [caseId],
  ).map((h) => ({
    from: s(h.from_state),
    to: s(h.to_state),
    actor: s(h.actor_name),
    role: s(h.actor_role),
    reason: s(h.reason),
    at: s(h.at),
  }));
}

/** The system's other cases whose approval stands (in force, due, suspended). */
export function othersStanding(db: Database, systemId: string, caseId: string) {
  return all(
    db,
    "SELECT id, state FROM cases WHERE system_id = ? AND id <> ? AND state IN ('in_force', 'reaccreditation_due', 'suspended')",
    [systemId, caseId],
  ).map((r) => ({ id: s(r.id), state: s(r.state) as CaseState }));
}

// ---- what the lifecycle's guards read of the case's decisions ---------------------------------------

/** The case's newest decision, issued or awaiting its countersignature. */
export function newestDecision(db: Database, caseId: string) {
  const row = all(
    db,
    'SELECT type, status FROM decisions WHERE case_id = ? ORDER BY rowid DESC LIMIT 1',
    [caseId],
  )[0];
  return row ? { type: s(row.type) as DecisionType, issued: s(row.status) === 'issued' } : null;
}

/** The approval's end: its latest issued decision that has one (a suspension ends nothing). */
export function validTo(db: Database, caseId: string): string | null {
  const row = all(
    db,
    "SELECT valid_to FROM decisions WHERE case_id = ? AND status = 'issued' AND valid_to IS NOT NULL ORDER BY rowid DESC LIMIT 1",
    [caseId],
  )[0];
  return row ? s(row.valid_to) : null;
}

/**
 * The case whose approval took force over this one's: another case of the same system in force,
 * approved later.
 */
export function supersededBy(db: Database, caseId: string): string | null {
  const row = all(
    db,
    `SELECT o.ref FROM cases c JOIN cases o ON o.system_id = c.system_id AND o.id <> c.id
     WHERE c.id = ? AND o.state IN ('in_force', 'reaccreditation_due')
       AND (SELECT max(rowid) FROM decisions WHERE case_id = o.id AND status = 'issued')
         > coalesce((SELECT max(rowid) FROM decisions WHERE case_id = c.id AND status = 'issued'), 0)
     LIMIT 1`,
    [caseId],
  )[0];
  return row ? s(row.ref) : null;
}

/** The approvals standing, each with the end of its validity (the steps time takes). */
export function standingApprovals(db: Database) {
  return all(
    db,
    `SELECT c.id, c.state, (SELECT valid_to FROM decisions d WHERE d.case_id = c.id AND d.status = 'issued'
       AND d.valid_to IS NOT NULL ORDER BY d.rowid DESC LIMIT 1) AS valid_to
     FROM cases c WHERE c.state IN ('in_force', 'reaccreditation_due', 'suspended')`,
  ).map((r) => ({ id: s(r.id), state: s(r.state) as CaseState, validTo: n(r.valid_to) }));
}

// ---- the checklist -------------------------------------------------------------------------------

export function checklist(db: Database, caseId: string) {
  return all(db, 'SELECT * FROM checklist_items WHERE case_id = ? ORDER BY position', [caseId]).map(
    (r) => ({
      requirementId: s(r.requirement_id),
      area: s(r.area),
      status: s(r.status) as (typeof ITEM_STATUSES)[number],
      statement: s(r.statement),
      justification: s(r.justification),
      verdict: s(r.verdict) as (typeof VERDICTS)[number],
      assessorComment: s(r.assessor_comment),
    }),
  );
}

/** The checklist item's stored cells by column, or undefined. */
export function itemCells(
  db: Database,
  caseId: string,
  requirementId: string,
): Record<string, SqlValue> | undefined {
  return all(db, 'SELECT * FROM checklist_items WHERE case_id = ? AND requirement_id = ?', [
    caseId,
    requirementId,
  ])[0];
}

/** The columns of a checklist item a user sets. */
export type ItemColumn = 'status' | 'statement' | 'justification' | 'verdict' | 'assessor_comment';

export function setItem(
  db: Database,
  caseId: string,
  requirementId: string,
  column: ItemColumn,
  value: string,
  at: string,
): void {
  db.run(
    `UPDATE checklist_items SET ${column} = ?, updated_at = ? WHERE case_id = ? AND requirement_id = ?`,
    [value, at, caseId, requirementId],
  );
}

/** The case's requirement ids. */
export function requirementIds(db: Database, caseId: string): Set<string> {
  return new Set(
    all(db, 'SELECT requirement_id FROM checklist_items WHERE case_id = ?', [caseId]).map((r) =>
      s(r.requirement_id),
    ),
  );
}

/** The evidence linked to one requirement of the case. */
export function linkedEvidence(db: Database, caseId: string, requirementId: string): string[] {
  return all(
    db,
    'SELECT evidence_id FROM evidence_links WHERE case_id = ? AND requirement_id = ?',
    [caseId, requirementId],
  ).map((e) => s(e.evidence_id));
}

// ---- findings ------------------------------------------------------------------------------------

/** One step in a finding's (or condition's) status history. */
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

/** A decision's condition, tracked as a finding of the case from the day it is issued. */
export function insertCondition(
  db: Database,
  id: string,
  caseId: string,
  row: {
    requirement_id: string | null;
    title: string;
    description: string;
    owner: string;
    due_date: string | null;
  },
  now: string,
): void {
  db.run(
    `INSERT INTO findings (id, case_id, requirement_id, kind, severity, title, description, recommended_action, owner, due_date, status, created_at, updated_at)
     VALUES (?, ?, ?, 'condition', 'major', ?, ?, '', ?, ?, 'open', ?, ?)`,
    [id, caseId, row.requirement_id, row.title, row.description, row.owner, row.due_date, now, now],
  );
}

/** The first condition of the case with this description (a decision's, by its reference). */
export function conditionByDescription(
  db: Database,
  caseId: string,
  description: string,
): string | null {
  const [found] = all(
    db,
    "SELECT id FROM findings WHERE case_id = ? AND kind = 'condition' AND description = ? ORDER BY created_at LIMIT 1",
    [caseId, description],
  );
  return found ? s(found.id) : null;
}

/** A finding gone with its history (a condition of a decision that never took force). */
export function deleteFinding(db: Database, findingId: string): void {
  db.run('DELETE FROM finding_events WHERE finding_id = ?', [findingId]);
  db.run('DELETE FROM findings WHERE id = ?', [findingId]);
}

export function openFindings(db: Database, caseId: string): number {
  return Number(
    all(
      db,
      "SELECT count(*) AS c FROM findings WHERE case_id = ? AND status IN ('open','in_progress')",
      [caseId],
    )[0]?.c ?? 0,
  );
}

export function insertFinding(
  db: Database,
  id: string,
  caseId: string,
  input: ReturnType<typeof FindingInput.parse>,
  now: string,
): void {
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
}

export function findingStatus(db: Database, findingId: string): string | null {
  const row = all(db, 'SELECT status FROM findings WHERE id = ?', [findingId])[0];
  return row ? s(row.status) : null;
}

export function setFindingStatus(db: Database, findingId: string, status: string, at: string) {
  db.run('UPDATE findings SET status = ?, updated_at = ? WHERE id = ?', [status, at, findingId]);
}

export function findings(db: Database, caseId: string) {
  return all(db, 'SELECT * FROM findings WHERE case_id = ? ORDER BY created_at', [caseId]).map(
    (f) => ({
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
        db,
        'SELECT from_status, to_status, note, actor, at FROM finding_events WHERE finding_id = ? ORDER BY seq',
        [s(f.id)],
      ).map((e) => ({
        from: n(e.from_status),
        to: s(e.to_status),
        note: s(e.note),
        actor: s(e.actor),
        at: s(e.at),
      })),
    }),
  );
}

// ---- evidence and disposal -------------------------------------------------------------------------

export function evidenceOf(db: Database, caseId: string) {
  return all(db, 'SELECT * FROM evidence WHERE case_id = ? ORDER BY uploaded_at', [caseId]).map(
    (e) => ({
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
    }),
  );
}

/** One piece of evidence, or null; `caseId` limits it to that case's. */
export function evidence(db: Database, evidenceId: string, caseId?: string) {
  const row = all(
    db,
    `SELECT title, sha256, review_status, blob_address, file_name, size FROM evidence WHERE id = ?${caseId === undefined ? '' : ' AND case_id = ?'}`,
    caseId === undefined ? [evidenceId] : [evidenceId, caseId],
  )[0];
  return row
    ? {
        title: s(row.title),
        sha256: s(row.sha256),
        reviewStatus: s(row.review_status),
        address: s(row.blob_address),
        fileName: s(row.file_name),
        size: Number(row.size),
      }
    : null;
}

export function setReview(db: Database, evidenceId: string, status: string): void {
  db.run('UPDATE evidence SET review_status = ? WHERE id = ?', [status, evidenceId]);
}

export function insertEvidence(
  db: Database,
  id: string,
  caseId: string,
  meta: ReturnType<typeof EvidenceMeta.parse>,
  upload: { address: string; name: string; sha256: string; size: number },
  at: string,
): void {
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
      at,
    ],
  );
  for (const requirementId of meta.requirementIds) {
    db.run('INSERT INTO evidence_links (case_id, requirement_id, evidence_id) VALUES (?, ?, ?)', [
      caseId,
      requirementId,
      id,
    ]);
  }
}

export function disposalVerified(db: Database, caseId: string): boolean {
  return all(db, 'SELECT 1 FROM case_disposals WHERE case_id = ?', [caseId]).length > 0;
}

export function writeDisposal(
  db: Database,
  caseId: string,
  d: {
    verifiedBy: string;
    method: string;
    evidence: { id: string; title: string; sha256: string }[];
    verifiedOn: string;
    recordedBy: string;
  },
): void {
  db.run(
    `INSERT OR REPLACE INTO case_disposals (case_id, verified_by, method, evidence, verified_on, recorded_at, recorded_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      caseId,
      d.verifiedBy,
      d.method,
      JSON.stringify(d.evidence),
      d.verifiedOn,
      new Date().toISOString(),
      d.recordedBy,
    ],
  );
}

export function disposal(db: Database, caseId: string) {
  const row = all(db, 'SELECT * FROM case_disposals WHERE case_id = ?', [caseId])[0];
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

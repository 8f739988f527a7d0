/**
 * The decisions' storage: the only code of the vault issuing decisions that speaks SQL to their
 * tables (decisions, decision_signatures, dossier_snapshots, documents), typed as they leave the
 * database; and the levels a system held, as the audit trail records them, that a decision's
 * four eyes is judged by. Writes run on the database `vault.change` hands its job. (The exchange
 * still writes a received decision's rows column by column in its apply stage.)
 */
import type { Database, SqlValue } from 'sql.js';
import { SETS_VALIDITY } from '../../../shared/decisions';
import type { DecisionType } from '../../../shared/lifecycle';
import { optional, queryRows, text } from '../../db/query';

/** The approval a case stands on: what the newest issued decision with an end of validity says. */
export interface ApprovalActedOn {
  /** The decision's type (one of SETS_VALIDITY). */
  type: DecisionType;
  validFrom: string | null;
  validTo: string;
  /** How many signatures that decision took (two: four eyes). */
  signaturesRequired: 1 | 2;
}

/**
 * The approval in force on a case as this vault holds it — the newest issued decision that
 * sets an end of validity (an approval, or the amendment or reinstatement that last set it:
 * SETS_VALIDITY; whatever another decision's row says); null when none. A decision still
 * awaiting its countersignature is not in force.
 */
export function approvalActedOn(db: Database, caseId: string): ApprovalActedOn | null {
  const [row] = queryRows(
    db,
    `SELECT type, valid_from, valid_to, signatures_required FROM decisions WHERE case_id = ? AND status = 'issued' AND valid_to IS NOT NULL AND type IN (${SETS_VALIDITY.map(() => '?').join(', ')}) ORDER BY rowid DESC LIMIT 1`,
    [caseId, ...SETS_VALIDITY],
  );
  return row
    ? {
        type: text(row.type) as DecisionType,
        validFrom: optional(row.valid_from),
        validTo: text(row.valid_to),
        signaturesRequired: Number(row.signatures_required) === 2 ? 2 : 1,
      }
    : null;
}

/**
 * Every level a system held since its newest approval was issued (an issued decision of a type
 * that sets a validity, on any of its cases), or since it was registered where none was: the
 * levels each change of its record left and took, as the audit trail holds them (round 20q: one
 * accreditor lowered a SECRET system to RESTRICTED, issued a full approval alone, and put the
 * level back). A level lowered after an approval thus counts once more, at the next. "Since" is
 * by the trail's order (its sequence, which the chain fixes), never by the clock that dated the
 * rows (round 20r: a change made with the clock set back was dated before the approval). Its
 * parts count the same way (partLevelsHeldSince; round 20u: a SECRET component retired or
 * lowered before a one-signature approval, and put back after). Level codes.
 */
export function levelsHeldSince(db: Database, systemId: string): string[] {
  const since = heldSince(db, systemId);
  // A change holds its levels as [before, after]; the record made holds them as made.
  const own = queryRows(
    db,
    `SELECT changes FROM audit_log WHERE entity_type = 'system' AND entity_id = ?
      AND action IN ('system.create', 'system.update') AND seq > ?`,
    [systemId, since],
  ).flatMap((row) => codesIn(changesOf(row.changes).levels));
  return [...own, ...partLevelsHeldSince(db, systemId, since)];
}

/**
 * The level codes a trail row's value names, however nested: a code, a level's `{ domain, level }`,
 * or a list of them (a change's [before, after], a record's levels).
 */
function codesIn(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(codesIn);
  }
  if (typeof value === 'string') {
    return [value];
  }
  return value && typeof value === 'object' ? codesIn((value as { level?: unknown }).level) : [];
}

/** The trail's sequence of the row that issued the system's newest approval here, or brought it. */
function heldSince(db: Database, systemId: string): number {
  const types = SETS_VALIDITY.map(() => '?').join(', ');
  return Number(
    queryRows(
      db,
      `SELECT max(a.seq) AS seq FROM audit_log a
        JOIN decisions d ON d.status = 'issued' AND d.type IN (${types})
        JOIN cases c ON c.id = d.case_id AND c.system_id = ?
        WHERE (a.action = 'decision.issue' AND a.entity_id = d.id)
           OR (a.action = 'package.received' AND a.entity_id = c.id
               AND json_valid(a.changes) AND EXISTS (
                 SELECT 1 FROM json_each(a.changes, '$.decisions') r WHERE r.value = d.ref))`,
      [...SETS_VALIDITY, systemId],
    )[0]?.seq ?? 0,
  );
}

/** A trail row's changes: the JSON the audit log writes, an object. */
function changesOf(changes: SqlValue | undefined): Record<string, unknown> {
  return JSON.parse(text(changes)) as Record<string, unknown>;
}

/**
 * The levels the system's parts held since `since` (a trail sequence): each live part's level
 * now; each part with a row in the window (made, changed, retired, reinstated) at the level its
 * record keeps, and every level its rows there made or changed (a change holds [before, after]).
 * A part retired before the window and untouched since holds nothing.
 */
function partLevelsHeldSince(db: Database, systemId: string, since: number): string[] {
  const parts = queryRows(
    db,
    `SELECT 'component' AS kind, id, level, retired_at FROM components WHERE system_id = ?
     UNION ALL SELECT 'interconnection', id, local_level, retired_at FROM interconnections
       WHERE system_id = ?`,
    [systemId, systemId],
  );
  const rows = queryRows(
    db,
    `SELECT entity_id, changes FROM audit_log
      WHERE entity_type IN ('component', 'interconnection') AND seq > ?
        AND entity_id IN (${parts.map(() => '?').join(', ')})`,
    [since, ...parts.map((p) => text(p.id))],
  );
  const touched = new Set(rows.map((r) => text(r.entity_id)));
  return [
    ...parts
      .filter((p) => p.retired_at === null || touched.has(text(p.id)))
      .map((p) => text(p.level)),
    ...rows.flatMap((r) => {
      const changes = changesOf(r.changes);
      return [...codesIn(changes.level), ...codesIn(changes.localLevel)];
    }),
  ];
}

// ---- a case's decision, its letter and the dossier it was taken on ------------------------------

export interface DecisionRecord {
  id: string;
  ref: string;
  type: DecisionType;
  validFrom: string | null;
  validTo: string | null;
  acceptedRisks: { ref: string; residualLevel: string; expiresOn: string | null }[];
  dossierSha256: string;
  signer: string;
  signerFingerprint: string;
  signedAt: string;
  pdfSha256: string;
  pdfBlob: string;
  createdBy: string;
  /** 'awaiting_countersignature' until a four-eyes decision has its second signature. */
  status: 'awaiting_countersignature' | 'issued';
  signaturesRequired: 1 | 2;
  signatures: {
    field: string;
    subject: string;
    fingerprint: string;
    signedAt: string;
    signedBy: string;
  }[];
}

/**
 * The case's newest decision with its signatures, issued or awaiting its countersignature. Newest
 * is the last this vault recorded (its rowid), never by the clock that dated it: a decision dated
 * a year ahead by one accreditor's clock would otherwise stay "newest" over every decision made
 * after it (rounds 20x and 20y). Every reader of a case's decisions orders them so.
 */
export function latestDecision(db: Database, caseId: string): DecisionRecord | null {
  const r = queryRows(db, 'SELECT * FROM decisions WHERE case_id = ? ORDER BY rowid DESC LIMIT 1', [
    caseId,
  ])[0];
  if (!r) {
    return null;
  }
  const signatures = queryRows(
    db,
    'SELECT seq, field, signer_subject, signer_fingerprint, signed_at, signed_by FROM decision_signatures WHERE decision_id = ? ORDER BY seq',
    [text(r.id)],
  ).map((x) => ({
    field: text(x.field),
    subject: text(x.signer_subject),
    fingerprint: text(x.signer_fingerprint),
    signedAt: text(x.signed_at),
    signedBy: text(x.signed_by),
  }));
  return {
    id: text(r.id),
    ref: text(r.ref),
    type: text(r.type) as DecisionType,
    validFrom: optional(r.valid_from),
    validTo: optional(r.valid_to),
    acceptedRisks: JSON.parse(text(r.accepted_risks)) as DecisionRecord['acceptedRisks'],
    dossierSha256: text(r.dossier_sha256),
    signer: text(r.signer_subject),
    signerFingerprint: text(r.signer_fingerprint),
    signedAt: text(r.signed_at),
    pdfSha256: text(r.pdf_sha256),
    pdfBlob: text(r.pdf_blob),
    createdBy: text(r.created_by),
    status: text(r.status) as DecisionRecord['status'],
    signaturesRequired: Number(r.signatures_required) as 1 | 2,
    signatures,
  };
}

/** Where a decision's signed letter is kept, by the decision's id (null: no such decision). */
export function letterAddress(db: Database, decisionId: string): string | null {
  const row = queryRows(db, 'SELECT pdf_blob FROM decisions WHERE id = ?', [decisionId])[0];
  return row ? text(row.pdf_blob) : null;
}

/** A kept dossier's canonical JSON, by its SHA-256. */
export function keptDossier(db: Database, sha256: string): string | null {
  const row = queryRows(db, 'SELECT json FROM dossier_snapshots WHERE sha256 = ?', [sha256])[0];
  return row ? text(row.json) : null;
}

/** The dossier the case's newest decision was taken on, with the decision's reference. */
export function decidedDossier(db: Database, caseId: string): { ref: string; json: string } | null {
  const row = queryRows(
    db,
    `SELECT d.ref, s.json FROM decisions d JOIN dossier_snapshots s ON s.sha256 = d.dossier_sha256
     WHERE d.case_id = ? ORDER BY d.rowid DESC LIMIT 1`,
    [caseId],
  )[0];
  return row ? { ref: text(row.ref), json: text(row.json) } : null;
}

/** A decision's terms as its record holds them and its letter binds their hash. */
export interface DecisionTerms {
  ref: string;
  type: DecisionType;
  levels: string;
  mode: string;
  sites: string;
  interconnections: string;
  valid_from: string | null;
  valid_to: string | null;
  accepted_risks: string;
  conditions: string;
  dossier_sha256: string;
  signatures_required: 1 | 2;
  language: string;
  created_at: string;
  created_by: string;
}

/** A signature on a decision's letter, in the field it was written in. */
export interface SignatureRow {
  field: string;
  subject: string;
  fingerprint: string;
  signedAt: string;
  signedBy: string;
}

/**
 * A decision issued here: its record, its first signature, and the dossier it was taken on,
 * kept by its hash (the letter cites it; packages carry it).
 */
export function insertDecision(
  db: Database,
  d: {
    id: string;
    caseId: string;
    terms: DecisionTerms;
    letter: { address: string; sha256: string };
    status: 'awaiting_countersignature' | 'issued';
    first: SignatureRow;
    dossier: { sha256: string; json: string; at: string };
  },
): void {
  const { terms } = d;
  db.run(
    `INSERT INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, valid_from, valid_to, accepted_risks, conditions, dossier_sha256, language,
       signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by, signatures_required, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      d.id,
      terms.ref,
      d.caseId,
      terms.type,
      terms.levels,
      terms.mode,
      terms.sites,
      terms.interconnections,
      terms.valid_from,
      terms.valid_to,
      terms.accepted_risks,
      terms.conditions,
      terms.dossier_sha256,
      terms.language,
      d.first.subject,
      d.first.fingerprint,
      d.first.signedAt,
      d.letter.address,
      d.letter.sha256,
      terms.created_at,
      terms.created_by,
      terms.signatures_required,
      d.status,
    ] as SqlValue[],
  );
  insertSignature(db, d.id, 1, d.first);
  db.run(
    'INSERT OR IGNORE INTO dossier_snapshots (sha256, case_id, json, created_at) VALUES (?, ?, ?, ?)',
    [d.dossier.sha256, d.caseId, d.dossier.json, d.dossier.at],
  );
}

function insertSignature(db: Database, decisionId: string, seq: 1 | 2, sig: SignatureRow): void {
  db.run(
    `INSERT INTO decision_signatures (decision_id, seq, field, signer_subject, signer_fingerprint, signed_at, signed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [decisionId, seq, sig.field, sig.subject, sig.fingerprint, sig.signedAt, sig.signedBy],
  );
}

/** The countersigned letter replaces the first, and the decision is issued. */
export function countersigned(
  db: Database,
  decisionId: string,
  letter: { address: string; sha256: string },
  second: SignatureRow,
): void {
  db.run("UPDATE decisions SET pdf_blob = ?, pdf_sha256 = ?, status = 'issued' WHERE id = ?", [
    letter.address,
    letter.sha256,
    decisionId,
  ]);
  insertSignature(db, decisionId, 2, second);
}

/** The conditions a decision's record holds, as JSON ('[]' when none). */
export function conditionsOf(db: Database, decisionId: string): string {
  const [record] = queryRows(db, 'SELECT conditions FROM decisions WHERE id = ?', [decisionId]);
  return text(record?.conditions) || '[]';
}

/** A decision that never took force, gone with its signatures. */
export function deleteDecision(db: Database, decisionId: string): void {
  db.run('DELETE FROM decision_signatures WHERE decision_id = ?', [decisionId]);
  db.run('DELETE FROM decisions WHERE id = ?', [decisionId]);
}

/** A document of a case as issued (rendered, and signed where it is signed). */
export function insertDocument(
  db: Database,
  doc: {
    id: string;
    caseId: string;
    kind: string;
    title: string;
    language: string;
    stored: { address: string; sha256: string; size: number };
    signed: boolean;
    createdBy: string;
  },
): void {
  db.run(
    `INSERT INTO documents (id, case_id, kind, title, language, blob_address, sha256, size, signed, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      doc.id,
      doc.caseId,
      doc.kind,
      doc.title,
      doc.language,
      doc.stored.address,
      doc.stored.sha256,
      doc.stored.size,
      doc.signed ? 1 : 0,
      new Date().toISOString(),
      doc.createdBy,
    ],
  );
}

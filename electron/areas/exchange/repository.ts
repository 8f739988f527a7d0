/**
 * The exchange's own tables: the exchange log (every package sent and received) and each case's
 * exchange so far (the last package received), and what the stages read of a system's levels and
 * an evidence file's links.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'sql.js';
import type { PackageKind } from '../../../shared/exchange';
import { queryRows as all, text as s } from '../../db/query';

/** The case's exchange so far: the last package received (its number and digest). */
export function exchangeOf(db: Database, caseId: string) {
  const row = all(db, 'SELECT * FROM case_exchange WHERE case_id = ?', [caseId])[0];
  return row
    ? {
        seq: Number(row.seq),
        digest: s(row.digest),
        transitionsUpto: Number(row.transitions_upto),
      }
    : null;
}

/** The highest sequence number this vault sent in a case (0 for none). */
export function lastSent(db: Database, caseId: string): number {
  return Number(
    all(db, "SELECT max(seq) AS m FROM exchange_log WHERE case_id = ? AND direction = 'sent'", [
      caseId,
    ])[0]?.m ?? 0,
  );
}

/** One line of the exchange log, written inside the caller's vault change. */
export function logRow(
  db: Database,
  /** Who in this vault sent or received it. */
  actor: string,
  entry: {
    direction: 'sent' | 'received';
    kind: PackageKind;
    caseId: string;
    caseRef: string;
    counterpart: string;
    fingerprint: string;
    digest: string;
    size: number;
    seq: number;
    marking: string;
    summary: unknown;
    /** The sender's audit anchor a received package cited, and when it says it was made. */
    anchor?: { rows: number; head: string; madeAt: string };
  },
): void {
  db.run(
    `INSERT INTO exchange_log (id, direction, kind, case_id, case_ref, counterpart, fingerprint, sha256, size, summary, at, actor, seq, marking, anchor_rows, anchor_head, made_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      randomUUID(),
      entry.direction,
      entry.kind,
      entry.caseId,
      entry.caseRef,
      entry.counterpart,
      entry.fingerprint,
      entry.digest,
      entry.size,
      JSON.stringify(entry.summary),
      new Date().toISOString(),
      actor,
      entry.seq,
      entry.marking,
      entry.anchor?.rows ?? null,
      entry.anchor?.head ?? null,
      entry.anchor?.madeAt ?? null,
    ],
  );
}

/** The exchange log, newest first: what was sent and received, when, by whom. */
export function exchangeLog(db: Database) {
  return all(
    db,
    // The case is a link where it is in this vault (it is not, once disposed of).
    `SELECT l.*, c.id AS here FROM exchange_log l LEFT JOIN cases c ON c.id = l.case_id
     ORDER BY l.at DESC`,
  ).map((r) => ({
    direction: s(r.direction),
    kind: s(r.kind),
    caseId: r.here === null ? null : s(r.here),
    caseRef: s(r.case_ref),
    counterpart: s(r.counterpart),
    fingerprint: s(r.fingerprint),
    sha256: s(r.sha256),
    size: Number(r.size),
    sequence: r.seq === null ? null : Number(r.seq),
    marking: s(r.marking),
    at: s(r.at),
    actor: s(r.actor),
  }));
}

/** The requirements an evidence file is linked to here. */
export function linksOfEvidence(db: Database, evidenceId: string): string[] {
  return all(db, 'SELECT requirement_id FROM evidence_links WHERE evidence_id = ?', [
    evidenceId,
  ]).map((l) => s(l.requirement_id));
}

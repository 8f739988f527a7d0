/**
 * The decisions' storage, as far as it has moved here from electron/services/decisions.ts: the
 * statements more than one area reads (the vault issuing a decision, the exchange judging one
 * that arrives), typed as they leave the database; and the levels a system held, as the audit
 * trail records them, that a decision's four eyes is judged by.
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
    `SELECT type, valid_from, valid_to, signatures_required FROM decisions WHERE case_id = ? AND status = 'issued' AND valid_to IS NOT NULL AND type IN (${SETS_VALIDITY.map(() => '?').join(', ')}) ORDER BY created_at DESC LIMIT 1`,
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

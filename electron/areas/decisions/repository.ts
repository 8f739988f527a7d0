/**
 * The decisions' storage, as far as it has moved here from electron/services/decisions.ts: the
 * statements more than one area reads (the vault issuing a decision, the exchange judging one
 * that arrives), typed as they leave the database.
 */
import type { Database } from 'sql.js';
import { SETS_VALIDITY } from '../../../shared/decisions';
import { optional, queryRows, text } from '../../db/query';

/** The approval a case stands on: what the newest issued decision with an end of validity says. */
export interface ApprovalActedOn {
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
    `SELECT valid_from, valid_to, signatures_required FROM decisions WHERE case_id = ? AND status = 'issued' AND valid_to IS NOT NULL AND type IN (${SETS_VALIDITY.map(() => '?').join(', ')}) ORDER BY created_at DESC LIMIT 1`,
    [caseId, ...SETS_VALIDITY],
  );
  return row
    ? {
        validFrom: optional(row.valid_from),
        validTo: text(row.valid_to),
        signaturesRequired: Number(row.signatures_required) === 2 ? 2 : 1,
      }
    : null;
}

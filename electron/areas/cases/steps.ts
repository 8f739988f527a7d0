/**
 * What other areas write into a case inside their own vault change: a step of its lifecycle with
 * its line in the history (a decision taking force, a package's step), a step of a finding's or
 * condition's status history, and the conditions a decision makes (or, withdrawn before it took
 * force, unmakes). The decisions and the exchange reach the cases here, never through their
 * repository.
 */
import type { Database } from 'sql.js';
import { conditionByDescription, deleteFinding, findingEvent, insertCondition } from './repository';

export { writeStep as recordStep, findingEvent } from './repository';

/** How the history names the workbench when it takes a step itself (time, supersession). */
export const WORKBENCH = 'Accreditation Workbench';

/** A decision's condition as an open finding of the case, its history opened by the decision. */
export function addCondition(
  db: Database,
  id: string,
  caseId: string,
  row: Parameters<typeof insertCondition>[3],
  by: { ref: string; actor: string; at: string },
): void {
  insertCondition(db, id, caseId, row, by.at);
  findingEvent(db, id, null, 'open', by.ref, by.actor, by.at);
}

/** The first condition of the case a decision made with this description, and its history. */
export function removeCondition(db: Database, caseId: string, description: string): void {
  const found = conditionByDescription(db, caseId, description);
  if (found) {
    deleteFinding(db, found);
  }
}

/**
 * How many signatures a decision needs here: the four-eyes policy
 * (resources/decisions/four-eyes.json) at the highest level its system holds, or held since its
 * newest approval (levelsHeldSince) — or a level one of its components handles or an
 * interconnection's local end holds (partLevels; round 20t: parts at SECRET on a system registered
 * RESTRICTED) — and as many as the approval it acts on took (an amendment or a reinstatement). One rule for the vault issuing a decision, the import judging one, and the
 * lifecycle putting an approval in force.
 */
import type { Database } from 'sql.js';
import type { ClassificationScheme, InfoDomain } from '../../../shared/classification';
import { signaturesRequired } from '../../../shared/decisions';
import type { DecisionType } from '../../../shared/lifecycle';
import { fourEyesPolicy } from '../../services/policy';
import { approvalActedOn, levelsHeldSince, partLevels } from './repository';

export function signaturesNeeded(
  db: Database,
  scheme: ClassificationScheme,
  on: { caseId: string; systemId: string; systemLevels: { domain: InfoDomain; level: string }[] },
  type: DecisionType,
): 1 | 2 {
  const levels = [
    ...on.systemLevels.map((l) => l.level),
    ...levelsHeldSince(db, on.systemId).map((l) => l.level),
    ...partLevels(db, on.systemId),
  ];
  return signaturesRequired(
    fourEyesPolicy(),
    type,
    Math.max(0, ...levels.map((l) => scheme.rank(l))),
    (code) => scheme.rank(code),
    approvalActedOn(db, on.caseId)?.signaturesRequired,
  );
}

/**
 * How many signatures a decision needs here: the four-eyes policy
 * (resources/decisions/four-eyes.json) at the highest level its system holds, or held since its
 * newest approval (levelsHeldSince), and as many as the approval it acts on took (an amendment or
 * a reinstatement). One rule for the vault issuing a decision, the import judging one, and the
 * lifecycle putting an approval in force.
 */
import type { Database } from 'sql.js';
import type { ClassificationScheme, InfoDomain } from '../../../shared/classification';
import { signaturesRequired } from '../../../shared/decisions';
import type { DecisionType } from '../../../shared/lifecycle';
import { fourEyesPolicy } from '../../services/policy';
import { approvalActedOn, levelsHeldSince } from './repository';

export function signaturesNeeded(
  db: Database,
  scheme: ClassificationScheme,
  on: { caseId: string; systemId: string; systemLevels: { domain: InfoDomain; level: string }[] },
  type: DecisionType,
): 1 | 2 {
  const held = levelsHeldSince(db, on.systemId).map((l) => ({
    ...l,
    domain: l.domain as InfoDomain,
  }));
  const top = scheme.highestMarking([...on.systemLevels, ...held])?.code;
  return signaturesRequired(
    fourEyesPolicy(),
    type,
    scheme.rank(top),
    (code) => scheme.rank(code),
    approvalActedOn(db, on.caseId)?.signaturesRequired,
  );
}

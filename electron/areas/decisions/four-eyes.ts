/**
 * How many signatures a decision needs here: the four-eyes policy
 * (resources/decisions/four-eyes.json) at the highest level its system holds, or held since its
 * newest approval, or a level one of its components handles or an interconnection's local end
 * holds or held since (levelsHeldSince; round 20t: parts at SECRET on a system registered
 * RESTRICTED), each ranked as the vault's schemes ranked it, and as many as the approval it acts
 * on took (an amendment or a reinstatement). One rule for the vault issuing a decision, the import judging one, and the
 * lifecycle putting an approval in force.
 */
import type { Database } from 'sql.js';
import type { InfoDomain } from '../../../shared/classification';
import { signaturesRequired } from '../../../shared/decisions';
import type { DecisionType } from '../../../shared/lifecycle';
import { fourEyesPolicy } from '../../services/policy';
import { approvalActedOn, levelsHeldSince } from './repository';

/** The decision a case's approval stands on (the cases' lifecycle guards read it). */
export { approvalActedOn };
import type { RegisterService } from '../register/use-cases';

export function signaturesNeeded(
  db: Database,
  register: Pick<RegisterService, 'scheme' | 'ranksKnown'>,
  on: { caseId: string; systemId: string; systemLevels: { domain: InfoDomain; level: string }[] },
  type: DecisionType,
): 1 | 2 {
  const levels = [...on.systemLevels.map((l) => l.level), ...levelsHeldSince(db, on.systemId)];
  // A level the scheme in force dropped ranks as it did in the scheme that had it (round 20u).
  const known = register.ranksKnown();
  const rank = (code: string) => known.get(code) ?? 0;
  const scheme = register.scheme();
  return signaturesRequired(
    fourEyesPolicy(),
    type,
    Math.max(0, ...levels.map(rank)),
    (code) => scheme.rank(code),
    approvalActedOn(db, on.caseId)?.signaturesRequired,
  );
}

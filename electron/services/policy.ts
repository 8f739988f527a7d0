/**
 * The accreditation policy the workbench applies, as data in `resources/decisions/` (national
 * practice is [UNCONFIRMED]: these are configurable defaults, shown in Settings): how long a
 * decision is valid, when re-accreditation falls due, which decisions need four eyes, and what
 * an approval requires of the checklist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FourEyesPolicy } from '../../shared/decisions';
import { DECISION_TYPES } from '../../shared/lifecycle';

const dir = join(import.meta.dirname, '..', '..', 'resources', 'decisions');
export const VALIDITY_FILE = join(dir, 'validity.json');
export const FOUR_EYES_FILE = join(dir, 'four-eyes.json');
export const APPROVAL_POLICY_FILE = join(dir, 'approval-policy.json');

const Months = z.number().int().min(1).max(240);
const ByType = z.partialRecord(z.enum(DECISION_TYPES), Months);

export const ValidityPolicy = z
  .object({
    $comment: z.string().optional(),
    default: ByType,
    byLevel: z.record(z.string(), ByType),
    /** How many months before an approval ends the system shows "re-accreditation due". */
    reaccreditationDueMonths: Months,
  })
  .strict();
export type ValidityPolicy = z.infer<typeof ValidityPolicy>;

export const ApprovalPolicy = z
  .object({
    $comment: z.string().optional(),
    /** Every applicable requirement has an accreditor's verdict before "decision pending". */
    verdictOnEveryRequirement: z.boolean(),
    /** A partially compliant requirement needs an accepted risk or a condition, as a non-compliant one does. */
    partialNeedsRiskOrCondition: z.boolean(),
  })
  .strict();
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

const cache = new Map<string, unknown>();
function load<T>(file: string, schema: z.ZodType<T>): T {
  if (!cache.has(file)) {
    cache.set(file, schema.parse(JSON.parse(readFileSync(file, 'utf8'))));
  }
  return cache.get(file) as T;
}

export const validityPolicy = () => load(VALIDITY_FILE, ValidityPolicy);
export const fourEyesPolicy = () => load(FOUR_EYES_FILE, FourEyesPolicy);
export const approvalPolicy = () => load(APPROVAL_POLICY_FILE, ApprovalPolicy);

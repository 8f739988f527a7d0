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
import { APPROVING, DECISION_TYPES, type DecisionType } from '../../shared/lifecycle';

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
    /**
     * The longest validity, in months from its first day, of each approving decision type (an
     * amendment: of the approval it amends). A rule of sense (shared/sense.ts) holds every
     * decision to it; no default may exceed it.
     */
    maximum: ByType,
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const type of APPROVING) {
      if (policy.maximum[type] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['maximum', type],
          message: 'a maximum for each approving type',
        });
      }
    }
    const defaults: [string[], Partial<Record<DecisionType, number>>][] = [
      [['default'], policy.default],
      ...Object.entries(policy.byLevel).map(
        ([level, byType]): [string[], Partial<Record<DecisionType, number>>] => [
          ['byLevel', level],
          byType,
        ],
      ),
    ];
    for (const [path, byType] of defaults) {
      for (const [type, months] of Object.entries(byType)) {
        const max = policy.maximum[type as DecisionType];
        if (max !== undefined && months !== undefined && months > max) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, type],
            message: 'longer than the maximum',
          });
        }
      }
    }
  });
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

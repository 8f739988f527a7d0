/** Accreditation cases as the core and the UI exchange them (inputs are zod schemas). */
import { z } from 'zod';
import { TEXT_MAX } from './limits';
import { DomainSchema } from './classification';
import { CASE_STATES, CASE_TYPES, type CaseState, type Role } from './lifecycle';
import { IsoDate } from './register';

export const ITEM_STATUSES = [
  'not_assessed',
  'compliant',
  'partially',
  'non_compliant',
  'not_applicable',
  'compensated',
] as const;
export const VERDICTS = ['none', 'agreed', 'disagreed'] as const;
/** Why a requirement holds a case back (see the case service's blockers). */
export const BLOCKERS = [
  'not_assessed',
  'no_statement',
  'no_justification',
  'no_verdict',
  'no_cover',
] as const;
export type Blocker = (typeof BLOCKERS)[number];
export const FINDING_SEVERITIES = ['critical', 'major', 'minor', 'observation'] as const;
export const FINDING_STATUSES = [
  'open',
  'in_progress',
  'resolved',
  'verified',
  'accepted_as_risk',
] as const;
export const EVIDENCE_TYPES = [
  'ssrs',
  'sisrs',
  'secops_user',
  'secops_admin',
  'risk_assessment',
  'network_diagram',
  'test_plan',
  'test_report',
  'tempest_report',
  'crypto_plan',
  'inventory',
  'incident_procedure',
  'continuity_plan',
  'statement_of_compliance',
  'other',
] as const;

export const CaseInput = z
  .object({
    systemId: z.string().uuid(),
    type: z.enum(CASE_TYPES),
    title: z.string().trim().max(300).default(''),
    deadline: IsoDate.nullable().optional(),
    /** The catalogue to assess against (its newest version); the shipped baseline by default. */
    catalogueId: z.string().trim().min(1).max(80).optional(),
  })
  .strict();
export type CaseInput = z.input<typeof CaseInput>;

export const ItemUpdate = z
  .object({
    status: z.enum(ITEM_STATUSES).optional(),
    statement: z.string().max(TEXT_MAX.statement).optional(),
    justification: z.string().max(TEXT_MAX.justification).optional(),
    verdict: z.enum(VERDICTS).optional(),
    assessorComment: z.string().max(TEXT_MAX.assessorComment).optional(),
  })
  .strict();
export type ItemUpdate = z.infer<typeof ItemUpdate>;

/** How the disposal of a decommissioned system was verified. */
export const DisposalInput = z
  .object({
    verifiedBy: z.string().trim().min(2).max(200),
    method: z.string().trim().min(3).max(4000),
    verifiedOn: IsoDate,
    evidenceIds: z.array(z.string().uuid()).max(50).default([]),
  })
  .strict();

export const FindingInput = z
  .object({
    requirementId: z
      .string()
      .regex(/^[A-Z]{2,5}-\d{2,3}$/)
      .nullable()
      .optional(),
    kind: z.enum(['finding', 'condition']).default('finding'),
    severity: z.enum(FINDING_SEVERITIES),
    title: z.string().trim().min(3).max(TEXT_MAX.findingTitle),
    description: z.string().max(8000).default(''),
    recommendedAction: z.string().max(4000).default(''),
    owner: z.string().max(TEXT_MAX.owner).default(''),
    dueDate: IsoDate.nullable().optional(),
  })
  .strict();
export type FindingInput = z.input<typeof FindingInput>;

export const EvidenceMeta = z
  .object({
    type: z.enum(EVIDENCE_TYPES),
    title: z.string().trim().min(1).max(300),
    version: z.string().max(40).default(''),
    author: z.string().max(200).default(''),
    effectiveDate: IsoDate.nullable().optional(),
    markingLevel: z
      .string()
      .regex(/^[A-Z][A-Z_]{1,30}$/)
      .nullable()
      .optional(),
    markingDomain: DomainSchema.nullable().optional(),
    requirementIds: z
      .array(z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/))
      .max(200)
      .default([]),
  })
  .strict();
export type EvidenceMeta = z.input<typeof EvidenceMeta>;

export const CaseFilter = z
  .object({ state: z.enum(CASE_STATES).optional(), systemId: z.string().uuid().optional() })
  .strict();

/** States in which the owner's answers (status, statement, justification) may change. */
export const ANSWER_STATES: readonly CaseState[] = ['draft', 'returned', 'awaiting_remediation'];
/** States in which the accreditor gives verdicts and comments. */
export const REVIEW_STATES: readonly CaseState[] = [
  'intake',
  'under_review',
  'verification',
  'awaiting_remediation',
  'decision_pending',
];

/**
 * Who may change what, when: the owner prepares (answers) while the case is with them; the
 * accreditor reviews (verdicts) while it is with the authority. Once submitted, the answers are
 * the owner's record and stay as they were until the case comes back for remediation.
 */
export function editable(state: CaseState, role: Role): { answers: boolean; verdicts: boolean } {
  return {
    // The owner answers while the case is with it; an accreditor only fills in a draft it
    // registers itself (a dossier delivered on paper), never over an owner's answers.
    answers: ANSWER_STATES.includes(state) && (role === 'system_owner' || state === 'draft'),
    verdicts: role === 'accreditor' && REVIEW_STATES.includes(state),
  };
}

/** Decisions, signing identities and documents as the core and the UI exchange them. */
import { z } from 'zod';
import { TEXT_MAX } from './limits';
import { APPROVING, DECISION_TYPES } from './lifecycle';
import { IsoDate } from './register';

/** A smart card's PIN: passed through to the token for one signature, never stored or logged. */
export const Pin = z.string().min(4).max(64);

/**
 * A condition of a decision: data, tracked afterwards as a finding of kind "condition" — what
 * must be done, who answers for it and by when (it is overdue after that day, on the dashboard),
 * and, where it answers one, the requirement of the case (chosen from the case's checklist; it
 * then covers that requirement as an accepted risk would). The rules of sense hold its deadline
 * and requirement (shared/sense.ts).
 */
export const ConditionInput = z
  .object({
    text: z.string().trim().min(3).max(TEXT_MAX.conditionText),
    owner: z.string().trim().min(1).max(TEXT_MAX.owner),
    dueDate: IsoDate,
    requirementId: z.string().trim().max(20).nullable().optional(),
  })
  .strict();
export type ConditionInput = z.input<typeof ConditionInput>;

export const DecisionInput = z
  .object({
    type: z.enum(DECISION_TYPES),
    /** Defaults: today, and today plus the configured validity for the type and level. */
    validFrom: IsoDate.nullable().optional(),
    validTo: IsoDate.nullable().optional(),
    conditions: z.array(ConditionInput).max(100).default([]),
    identityId: z.string().uuid(),
    language: z.enum(['da', 'en']).default('da'),
    reason: z.string().trim().min(3).max(TEXT_MAX.reason),
    /** The token's PIN when the identity lives on a smart card or HSM; used once, never kept. */
    pin: Pin.optional(),
  })
  .strict();
export type DecisionInput = z.input<typeof DecisionInput>;

/** The keys a self-signed identity can have. */
export const KEY_ALGORITHMS = ['rsa-3072', 'ec-p256', 'ec-p384'] as const;

export const SelfSignedInput = z
  .object({
    label: z.string().trim().min(1).max(200),
    commonName: z.string().trim().min(2).max(TEXT_MAX.commonName),
    organisation: z.string().trim().min(2).max(TEXT_MAX.certificateOrganisation),
    validYears: z.number().int().min(1).max(10).default(3),
    algorithm: z.enum(KEY_ALGORITHMS).default('rsa-3072'),
    /** A signing key, or a separate key that receives encrypted packages. */
    usage: z.enum(['signing', 'encryption']).default('signing'),
  })
  .strict();

export const DocumentRequest = z
  .object({
    caseId: z.string().uuid(),
    kind: z.enum(['dossier-report', 'risk-acceptance']),
    language: z.enum(['da', 'en']).default('da'),
    /** Signing applies to the residual-risk acceptance (the decision letter is always signed). */
    identityId: z.string().uuid().nullable().optional(),
    pin: Pin.optional(),
  })
  .strict();

export const CountersignInput = z
  .object({
    identityId: z.string().uuid(),
    pin: Pin.optional(),
    reason: z.string().trim().min(3).max(TEXT_MAX.reason),
    language: z.enum(['da', 'en']).default('da'),
  })
  .strict();

/** Why a decision awaiting its countersignature is withdrawn before it took force. */
export const DiscardInput = z
  .object({ reason: z.string().trim().min(3).max(TEXT_MAX.reason) })
  .strict();

/** Certificate subject fields that can name a person, compared to tell two signers apart. */
export const PERSON_FIELDS = ['commonName', 'serialNumber', 'email', 'pseudonym', 'uid'] as const;

/**
 * When two certificates name the same person (four eyes): when any of `fields` has a value in
 * both (compared without regard to case, accents' composition or spacing). When no listed field
 * is in both, they cannot be told apart, and count as the same person.
 */
export const SamePersonPolicy = z
  .object({
    $comment: z.string().optional(),
    fields: z.array(z.enum(PERSON_FIELDS)).min(1),
  })
  .strict();
export type SamePersonPolicy = z.infer<typeof SamePersonPolicy>;

/** The person policy when four-eyes.json names none: common name, serial number, e-mail. */
export const DEFAULT_SAME_PERSON: SamePersonPolicy = {
  fields: ['commonName', 'serialNumber', 'email'],
};

/**
 * Which decisions need a countersignature (decision types from a level, by rank, upwards), and
 * when two signers are one person.
 */
export const FourEyesPolicy = z
  .object({
    $comment: z.string().optional(),
    samePerson: SamePersonPolicy.optional(),
    rules: z
      .array(
        z
          .object({
            types: z.array(z.enum(DECISION_TYPES)).min(1),
            fromLevel: z.string().min(1),
          })
          .strict(),
      )
      .max(50),
  })
  .strict();
export type FourEyesPolicy = z.infer<typeof FourEyesPolicy>;

/**
 * The decisions that act on an approval in force rather than decide a case: an amendment may
 * move its end of validity or change its conditions, a reinstatement puts it back in force.
 * Each takes as many signatures as the approval itself would (round 20j: one accreditor alone
 * extended a SECRET approval two had signed by an amendment).
 */
export const ACTS_ON_APPROVAL: readonly (typeof DECISION_TYPES)[number][] = [
  'amendment',
  'reinstatement',
];

/**
 * The decisions that set the end of an approval's validity: an approval, an amendment (which may
 * move it), a reinstatement (which restores it). Every other decision ends nothing.
 */
export const SETS_VALIDITY: readonly (typeof DECISION_TYPES)[number][] = [
  ...APPROVING,
  ...ACTS_ON_APPROVAL,
];

/**
 * How many signatures a decision of `type` needs on a system whose highest level has rank
 * `rank`, given a way to read a level code's rank (0 when unknown): two where a rule lists the
 * type from a level the system reaches. A decision that acts on an approval (ACTS_ON_APPROVAL)
 * also takes two where an approval of the system would, or where the approval it acts on took
 * two (`approvalTook`, as the vault holds it: the system's level may have changed since).
 */
export function signaturesRequired(
  policy: FourEyesPolicy,
  type: (typeof DECISION_TYPES)[number],
  rank: number,
  rankOf: (code: string) => number,
  approvalTook: number = 1,
): 1 | 2 {
  const needs = (t: (typeof DECISION_TYPES)[number]) =>
    policy.rules.some((r) => r.types.includes(t) && rank > 0 && rank >= rankOf(r.fromLevel));
  const actsOn = ACTS_ON_APPROVAL.includes(type);
  return needs(type) || (actsOn && (approvalTook >= 2 || APPROVING.some(needs))) ? 2 : 1;
}

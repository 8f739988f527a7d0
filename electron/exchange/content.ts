/**
 * What a package's JSON parts hold, as the receiver accepts it. Every row is checked field by
 * field (the columns a receiver writes are fixed lists here, never names from a package); the
 * fields that steer the import (states, kinds, verdicts) are checked against their enums, the
 * rest by type and size, and the database's own constraints catch what is left.
 */
import { z } from 'zod';
import { FINDING_STATUSES, ITEM_STATUSES, VERDICTS } from '../../shared/cases';
import { DomainSchema } from '../../shared/classification';
import { CASE_STATES, CASE_TYPES, DECISION_TYPES } from '../../shared/lifecycle';
import { TEXT_MAX } from '../../shared/limits';
import { RISK_FIELDS } from '../db/columns';

const Text = z.string().max(1_000_000);
const Cell = z.union([Text, z.number(), z.null()]);
const Int = z.number().int();

/** An object of exactly these columns (each a string, a number or null). */
function row<const K extends string>(columns: readonly K[]) {
  return z.object(Object.fromEntries(columns.map((c) => [c, Cell])) as Record<K, typeof Cell>);
}

/** The risk columns a package may set. */
export const RISK_COLUMNS = ['id', 'ref', 'system_id', 'created_at', ...RISK_FIELDS] as const;
/** A text of at most `max` characters (and at least `min` once trimmed), as RiskInput bounds it. */
const Bounded = (max: number, min = 0) =>
  z
    .string()
    .max(max)
    .refine((v) => v.trim().length >= min, `at least ${min} characters`);

/**
 * A risk's texts are bounded as local entry bounds them (shared/risk.ts, RiskInput): a package
 * stores nothing a person could not have typed here.
 */
export const RiskRow = row(RISK_COLUMNS).extend({
  id: Text,
  ref: Text,
  system_id: Text,
  scope: Bounded(300, 2),
  threat_source: Bounded(300),
  threat_event: Bounded(1000, 2),
  vulnerability: Bounded(1000),
  measures: Bounded(4000),
  owner: Bounded(TEXT_MAX.owner),
});

export const RiskLinkRow = z.object({
  risk_id: Text,
  kind: z.enum(['requirement', 'finding']),
  target: Text,
});

export const ACCEPTANCE_COLUMNS = [
  'risk_id',
  'accepted_by',
  'role',
  'authority',
  'justification',
  'accepted_on',
  'expires_on',
  'fingerprint',
  'snapshot',
  'at',
] as const;
export const AcceptanceRow = row(ACCEPTANCE_COLUMNS).extend({ risk_id: Text, at: Text });

export const FINDING_COLUMNS = [
  'id',
  'requirement_id',
  'kind',
  'severity',
  'title',
  'description',
  'recommended_action',
  'owner',
  'due_date',
  'status',
  'created_at',
  'updated_at',
] as const;
export const FindingRow = row(FINDING_COLUMNS).extend({
  id: Text,
  kind: z.enum(['finding', 'condition']),
  status: z.enum(FINDING_STATUSES),
});

export const EVIDENCE_COLUMNS = [
  'id',
  'type',
  'title',
  'version',
  'author',
  'effective_date',
  'marking_level',
  'marking_domain',
  'file_name',
  'sha256',
  'size',
  'uploaded_at',
] as const;
export const EvidenceRow = row(EVIDENCE_COLUMNS).extend({
  id: Text,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: Int.min(0),
  /** The part of the package that holds the file. */
  part: Text,
  /** The requirements the owner linked it to. */
  requirements: z.array(Text).default([]),
});

export const SubmissionContent = z.object({
  case: z.object({
    id: Text,
    ref: Text,
    type: z.enum(CASE_TYPES),
    /** The owner's state when it sent the package: what the authority's case moves to. */
    state: z.enum(['submitted', 'awaiting_remediation']),
    title: Text,
    catalogue_id: Text,
    catalogue_version: Text,
    deadline: Text.nullable(),
  }),
  catalogue: z.unknown(),
  system: z.object({
    id: Text,
    ref: Text,
    name: Text,
    purpose: Text,
    phase: Text,
    mode: Text,
    user_count: Int,
    min_clearance: Text.nullable(),
    boundary: Text,
    next_review: Text.nullable(),
  }),
  levels: z.array(z.object({ domain: DomainSchema, level: Text })),
  checklist: z.array(
    z.object({
      requirement_id: Text,
      area: Text,
      position: Int,
      status: z.enum(ITEM_STATUSES),
      statement: Text,
      justification: Text,
    }),
  ),
  evidence: z.array(EvidenceRow),
  risks: z.array(RiskRow),
  riskLinks: z.array(RiskLinkRow),
  acceptances: z.array(AcceptanceRow),
  matrices: z.array(z.unknown()),
  /** The owner's audit trail about the case (for the authority to read; not replayed). */
  audit: z.array(z.record(z.string(), Cell)),
});
export type SubmissionContent = z.infer<typeof SubmissionContent>;

export const DECISION_COLUMNS = [
  'id',
  'ref',
  'type',
  'levels',
  'mode',
  'sites',
  'interconnections',
  'valid_from',
  'valid_to',
  'accepted_risks',
  'conditions',
  'dossier_sha256',
  'language',
  'signer_subject',
  'signer_fingerprint',
  'signed_at',
  'created_at',
  'created_by',
  'signatures_required',
] as const;

export const DecisionContent = z.object({
  case: z.object({ id: Text, ref: Text, state: z.enum(CASE_STATES) }),
  /** The authority's steps on the case, numbered in its vault; the receiver applies the new ones. */
  transitions: z.array(
    z.object({
      seq: Int,
      from: z.enum(CASE_STATES),
      to: z.enum(CASE_STATES),
      actor: Text,
      reason: Text,
      at: Text,
    }),
  ),
  findings: z.array(FindingRow),
  verdicts: z.array(
    z.object({ requirement_id: Text, verdict: z.enum(VERDICTS), assessor_comment: Text }),
  ),
  risks: z.array(RiskRow),
  riskLinks: z.array(RiskLinkRow),
  acceptances: z.array(AcceptanceRow),
  matrices: z.array(z.unknown()),
  /**
   * Every issued decision of the case, oldest first, each with its signatures; the letter,
   * dossier and dossier report of the n-th travel as PARTS.letter(n), dossier(n) and report(n).
   */
  decisions: z
    .array(
      row(DECISION_COLUMNS).extend({
        id: Text,
        ref: Text,
        type: z.enum(DECISION_TYPES),
        created_at: Text,
        dossier_sha256: z.string().regex(/^[0-9a-f]{64}$/),
        signatures: z.array(
          z.object({
            seq: Int,
            field: Text,
            signer_subject: Text,
            signer_fingerprint: Text,
            signed_at: Text,
            signed_by: Text,
          }),
        ),
      }),
    )
    .max(100),
});
export type DecisionContent = z.infer<typeof DecisionContent>;

/** The part names a package uses. */
export const PARTS = {
  submission: 'parts/submission.json',
  decision: 'parts/decision.json',
  letter: (n: number) => `parts/decision-${n + 1}.pdf`,
  dossier: (n: number) => `parts/dossier-${n + 1}.json`,
  dossierReport: (n: number) => `parts/dossier-report-${n + 1}.pdf`,
  evidence: (i: number) => `parts/evidence-${String(i + 1).padStart(4, '0')}`,
} as const;

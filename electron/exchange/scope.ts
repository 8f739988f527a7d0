/**
 * What a package may create or change in the vault that receives it, by kind — the list
 * docs/package-format.md ("What a package may change") prints. A package carries only what its
 * sender's role may decide about the one case it names (and that case's system); the sender is
 * whoever signed it, trusted in the role its kind needs, never what the manifest says.
 *
 * The import (electron/areas/exchange/authorise.ts and apply.ts) writes exactly the columns listed here, to rows of
 * the package's case and system only, and refuses anything else with its reason:
 *
 * - NOT_SENDERS_ROW: a row that exists here by that id and was not made by the sender (a risk of
 *   the authority's, rewritten by an owner), or a row the kind may not change at all;
 * - OUTSIDE_CASE: a row of another case or system than the package's, by its own columns or by
 *   the row it already is here;
 * - ACCEPTANCE_NOT_SENDERS: an acceptance in another role than the signer's (one claimed in the
 *   accreditor's name, in an owner's submission);
 * - STEP_NOT_SENDERS: a lifecycle step that is the other side's (shared/lifecycle.ts, stepTakers);
 * - CATALOGUE_UNKNOWN: a case whose catalogue this vault does not hold, the same by content hash
 *   (the shipped baseline: the copy in resources/). A package never adds or changes a catalogue:
 *   catalogues are what every other case and every new case's default here are built from.
 *
 * A new case's checklist is this vault's: the requirements of its catalogue that apply to the
 * system as known here (CaseService.requirementsFor, as when the authority opens a case), and
 * the package brings only the owner's answers to those; answers to others are not taken (the
 * preview and the audit row list them).
 *
 * What the sender's own rows may say is its own affair; what they count for here is not: an
 * acceptance that arrives is kept as the sender's claim, attributed to the signer, and counts
 * towards a guard only if this vault's criteria allow it (shared/risk.ts, acceptanceValidHere).
 * A risk's levels are computed here from its scores, never taken from the package.
 */
import type { PackageKind } from '../../shared/exchange';
import type { Role } from '../../shared/lifecycle';
import { RISK_FIELDS } from '../db/columns';

/** Rows of one kind: whether a package may add them, and which columns of its own it may change. */
export interface RowScope {
  create: boolean;
  /** Columns of an existing row (the sender's own, of this case) the package may set. */
  change: readonly string[];
}

export interface PackageScope {
  /** The role the signer must be trusted in; every row and step is attributed to it. */
  sender: Role;
  /** Catalogues: none, ever; a submitted case must use one this vault already has. */
  catalogues: RowScope;
  /** The system: a new one (bound to its signer); an existing system is the receiver's record. */
  system: RowScope;
  /** The case: a new one, which then moves only by the sender's steps. */
  case: RowScope;
  /** Checklist items of the case: the owner's answers, or the accreditor's verdicts. */
  checklist: RowScope;
  evidence: RowScope;
  findings: RowScope;
  /** Risks of the case, or of its system outside any case; the sender's own only. */
  risks: RowScope;
  /** A risk's links go with the risk: the sender's risks' links are the package's. */
  riskLinks: RowScope;
  /**
   * Acceptances, added as the signer's claim in its role: an owner's of the owner's own risks
   * only (NOT_SENDERS_ROW otherwise); the authority's of any risk of the case.
   */
  acceptances: RowScope;
  /** Decisions with their letter, dossier and report. */
  decisions: RowScope;
}

const NONE: RowScope = { create: false, change: [] };

/**
 * The risk columns a sender may not set: the risk's case (fixed when it is created), the levels and
 * ranks (the receiver computes them from its own matrix) and the time of change (the receiver's).
 */
const RISK_KEPT_BY_RECEIVER = [
  'case_id',
  'inherent_level',
  'inherent_rank',
  'residual_level',
  'residual_rank',
  'updated_at',
] as const;

type RiskChange = Exclude<(typeof RISK_FIELDS)[number], (typeof RISK_KEPT_BY_RECEIVER)[number]>;

/** The risk columns a sender may change on its own risks: every stored field but those above. */
export const RISK_CHANGES: readonly RiskChange[] = RISK_FIELDS.filter(
  (f): f is RiskChange => !(RISK_KEPT_BY_RECEIVER as readonly string[]).includes(f),
);

export const PACKAGE_SCOPE: Readonly<Record<PackageKind, PackageScope>> = {
  /** The system owner's submission to the authority. */
  submission: {
    sender: 'system_owner',
    catalogues: NONE,
    system: { create: true, change: [] },
    case: { create: true, change: [] },
    /** Items are this vault's (create: the requirements that apply here); answers are the owner's. */
    checklist: { create: true, change: ['status', 'statement', 'justification'] },
    evidence: { create: true, change: [] },
    findings: NONE,
    risks: { create: true, change: RISK_CHANGES },
    riskLinks: { create: true, change: [] },
    acceptances: { create: true, change: [] },
    decisions: NONE,
  },
  /** The authority's answer: its steps, findings, verdicts, risks, acceptances and decisions. */
  decision: {
    sender: 'accreditor',
    catalogues: NONE,
    system: NONE,
    case: NONE,
    checklist: { create: false, change: ['verdict', 'assessor_comment'] },
    evidence: NONE,
    findings: {
      create: true,
      change: [
        'requirement_id',
        'kind',
        'severity',
        'title',
        'description',
        'recommended_action',
        'owner',
        'due_date',
        'status',
        'updated_at',
      ],
    },
    risks: { create: true, change: RISK_CHANGES },
    riskLinks: { create: true, change: [] },
    acceptances: { create: true, change: [] },
    decisions: { create: true, change: [] },
  },
};

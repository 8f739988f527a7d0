/**
 * The lifecycle of an accreditation case (docs/domain.md) as a pure state machine: the states,
 * the transitions between them, and the guards that refuse a transition with a reason the UI
 * can translate. The case service records every transition with who, when and why.
 */

export const CASE_STATES = [
  'draft',
  'submitted',
  'intake',
  'returned',
  'under_review',
  'verification',
  'awaiting_remediation',
  'decision_pending',
  'decided',
  'in_force',
  'reaccreditation_due',
  'suspended',
  'withdrawn',
  'expired',
  'decommissioned',
  'closed',
  'cancelled',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_TYPES = [
  'initial',
  'reaccreditation',
  'significant_change',
  'interconnection',
  'interim_extension',
  'decommissioning',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const DECISION_TYPES = [
  'full_approval',
  'interim_approval',
  'approval_to_test',
  'refusal',
  'suspension',
  'withdrawal',
  'reinstatement',
  'amendment',
] as const;
export type DecisionType = (typeof DECISION_TYPES)[number];
export const APPROVING: readonly DecisionType[] = [
  'full_approval',
  'interim_approval',
  'approval_to_test',
];

/**
 * The decisions an accreditor may issue in a state, and the step each one makes once signed
 * (null: the case stays where it is). The first decision decides the case; an approval in force
 * is suspended, withdrawn or amended by decisions of their own, and a suspension is lifted by a
 * reinstatement: each a letter, a signature and a package, like the first.
 */
export const DECISION_EFFECTS: Readonly<
  Partial<Record<CaseState, Partial<Record<DecisionType, CaseState | null>>>>
> = {
  decision_pending: {
    full_approval: 'decided',
    interim_approval: 'decided',
    approval_to_test: 'decided',
    refusal: 'decided',
  },
  in_force: { suspension: 'suspended', withdrawal: 'withdrawn', amendment: null },
  reaccreditation_due: { suspension: 'suspended', withdrawal: 'withdrawn', amendment: null },
  suspended: { reinstatement: 'in_force', withdrawal: 'withdrawn' },
};

/** The decision types that may be issued in a state (none: no decision is taken there). */
export function decisionsIn(state: CaseState): DecisionType[] {
  return Object.keys(DECISION_EFFECTS[state] ?? {}) as DecisionType[];
}

/** Who takes a step: a person in a role, or the workbench itself (time-based steps). */
export type Role = 'accreditor' | 'system_owner';

/** Facts about the case the guards look at; the case service computes them. */
export interface TransitionContext {
  role: Role;
  /** The reason the user gave (some transitions require one). */
  reason: string;
  /** What the completeness check still misses (empty when complete). */
  missing: string[];
  openFindings: number;
  /**
   * Requirements found wanting (non-compliant, partially compliant where the approval policy
   * says so, or judged otherwise by the accreditor) with neither an accepted residual risk nor a
   * condition of the decision.
   */
  unacceptedNonCompliant: number;
  /** Those requirements by id, where known (named in the refusal). */
  unacceptedIds?: string[];
  /** Requirements still without the accreditor's verdict, where the approval policy needs one. */
  withoutVerdict?: string[];
  decision: { type: DecisionType; signed: boolean } | null;
  /** YYYY-MM-DD of the decision's end of validity, and today. */
  validTo: string | null;
  today: string;
  disposalVerified: boolean;
  /** The case whose approval took force over this one's (its reference), if any. */
  supersededBy?: string | null;
  /**
   * The case's approval took fewer signatures than its system's level now asks (raised since):
   * it does not take force at that level.
   */
  belowLevel?: boolean;
}

export type RefusalCode =
  | 'NOT_A_TRANSITION'
  | 'TERMINAL_STATE'
  | 'ACCREDITOR_ONLY'
  | 'REASON_REQUIRED'
  | 'INCOMPLETE'
  | 'NO_OPEN_FINDINGS'
  | 'DECISION_MISSING'
  | 'DECISION_NOT_SIGNED'
  | 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK'
  | 'DECISION_NOT_APPROVING'
  | 'DECISION_APPROVING'
  | 'STILL_VALID'
  | 'DISPOSAL_NOT_VERIFIED'
  | 'DECISION_REQUIRED'
  | 'APPROVAL_BELOW_LEVEL'
  | 'NOT_SUPERSEDED'
  | 'VERDICTS_MISSING';

export type Verdict =
  { ok: true } | { ok: false; code: RefusalCode; params?: Record<string, string> };

type Guard = (ctx: TransitionContext) => Verdict;

const ok: Verdict = { ok: true };
const accreditor: Guard = (c) =>
  c.role === 'accreditor' ? ok : { ok: false, code: 'ACCREDITOR_ONLY' };
const reasoned: Guard = (c) =>
  c.reason.trim().length >= 3 ? ok : { ok: false, code: 'REASON_REQUIRED' };
const complete: Guard = (c) =>
  c.missing.length === 0
    ? ok
    : { ok: false, code: 'INCOMPLETE', params: { missing: String(c.missing.length) } };
const findingsIssued: Guard = (c) =>
  c.openFindings > 0 ? ok : { ok: false, code: 'NO_OPEN_FINDINGS' };
/** Up to eight ids, then how many more: what a refusal can name in one line. */
function shortList(ids: readonly string[]): string {
  return ids.length > 8 ? `${ids.slice(0, 8).join(', ')} … (+${ids.length - 8})` : ids.join(', ');
}

const signedDecision: Guard = (c) => {
  if (!c.decision) {
    return { ok: false, code: 'DECISION_MISSING' };
  }
  if (!c.decision.signed) {
    return { ok: false, code: 'DECISION_NOT_SIGNED' };
  }
  if (APPROVING.includes(c.decision.type) && c.unacceptedNonCompliant > 0) {
    return {
      ok: false,
      code: 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK',
      params: {
        count: String(c.unacceptedNonCompliant),
        ids: shortList(c.unacceptedIds ?? []),
      },
    };
  }
  return ok;
};
const approving: Guard = (c) =>
  c.decision && APPROVING.includes(c.decision.type)
    ? ok
    : { ok: false, code: 'DECISION_NOT_APPROVING' };
const refusing: Guard = (c) =>
  c.decision && !APPROVING.includes(c.decision.type)
    ? ok
    : { ok: false, code: 'DECISION_APPROVING' };
const lapsed: Guard = (c) =>
  c.validTo !== null && c.validTo < c.today ? ok : { ok: false, code: 'STILL_VALID' };
const disposed: Guard = (c) =>
  c.disposalVerified ? ok : { ok: false, code: 'DISPOSAL_NOT_VERIFIED' };
/** The step is taken by a signed decision of this type (the case's latest). */
const decidedBy =
  (type: DecisionType): Guard =>
  (c) =>
    c.decision?.type === type && c.decision.signed
      ? ok
      : { ok: false, code: 'DECISION_REQUIRED', params: { type } };
const judged: Guard = (c) =>
  (c.withoutVerdict ?? []).length === 0
    ? ok
    : { ok: false, code: 'VERDICTS_MISSING', params: { count: String(c.withoutVerdict?.length) } };
const superseded: Guard = (c) => (c.supersededBy ? ok : { ok: false, code: 'NOT_SUPERSEDED' });
/** An approval takes force only at a level its signatures meet (four eyes; round 20r). */
const coversLevel: Guard = (c) => (c.belowLevel ? { ok: false, code: 'APPROVAL_BELOW_LEVEL' } : ok);

const all =
  (...guards: Guard[]): Guard =>
  (c) => {
    for (const g of guards) {
      const v = g(c);
      if (!v.ok) {
        return v;
      }
    }
    return ok;
  };

const PRE_DECISION: CaseState[] = [
  'draft',
  'submitted',
  'intake',
  'returned',
  'under_review',
  'verification',
  'awaiting_remediation',
  'decision_pending',
];

/** Every allowed transition and its guard. */
export const TRANSITIONS: Readonly<Partial<Record<CaseState, Partial<Record<CaseState, Guard>>>>> =
  {
    draft: { submitted: complete },
    submitted: { intake: accreditor },
    intake: { returned: all(accreditor, reasoned), under_review: all(accreditor, complete) },
    returned: { draft: () => ok },
    under_review: {
      verification: accreditor,
      awaiting_remediation: all(accreditor, findingsIssued),
      decision_pending: all(accreditor, judged),
    },
    verification: {
      under_review: accreditor,
      awaiting_remediation: all(accreditor, findingsIssued),
      decision_pending: all(accreditor, judged),
    },
    awaiting_remediation: { under_review: accreditor, verification: accreditor },
    decision_pending: { decided: all(accreditor, signedDecision), under_review: accreditor },
    decided: {
      in_force: all(accreditor, approving, coversLevel),
      closed: all(accreditor, refusing),
    },
    in_force: {
      reaccreditation_due: accreditor,
      suspended: all(accreditor, reasoned, decidedBy('suspension')),
      withdrawn: all(accreditor, reasoned, decidedBy('withdrawal')),
      expired: all(accreditor, lapsed),
      decommissioned: accreditor,
      closed: all(accreditor, superseded),
    },
    reaccreditation_due: {
      in_force: all(accreditor, coversLevel),
      suspended: all(accreditor, reasoned, decidedBy('suspension')),
      withdrawn: all(accreditor, reasoned, decidedBy('withdrawal')),
      expired: all(accreditor, lapsed),
      decommissioned: accreditor,
      // Still valid while it is due: closed only when a newer approval takes its place.
      closed: all(accreditor, superseded),
    },
    suspended: {
      in_force: all(accreditor, reasoned, decidedBy('reinstatement')),
      withdrawn: all(accreditor, reasoned, decidedBy('withdrawal')),
      expired: all(accreditor, lapsed),
      decommissioned: accreditor,
      closed: all(accreditor, superseded),
    },
    withdrawn: { closed: accreditor },
    expired: { closed: accreditor, decommissioned: accreditor },
    decommissioned: { closed: all(accreditor, disposed) },
  };

// Cancelled by the applicant (or the authority) from any state before the decision.
for (const state of PRE_DECISION) {
  TRANSITIONS[state]!.cancelled = reasoned;
}

export const TERMINAL: readonly CaseState[] = ['closed', 'cancelled'];

/**
 * A case on its way to a decision: a re-accreditation or significant-change case in one of these
 * states is under way, and the system's approval in force is flagged no longer once it no longer
 * covers the system. A case decided (a refusal), or ended in any other way, is not (round 20t: a
 * refused re-accreditation left decided silenced the dashboard's flag).
 */
export const UNDER_WAY: readonly CaseState[] = [
  'draft',
  'submitted',
  'intake',
  'returned',
  'under_review',
  'verification',
  'awaiting_remediation',
  'decision_pending',
];

/** Whether `from → to` may happen now, and if not, why. */
export function canTransition(from: CaseState, to: CaseState, ctx: TransitionContext): Verdict {
  if (TERMINAL.includes(from)) {
    return { ok: false, code: 'TERMINAL_STATE' };
  }
  const guard = TRANSITIONS[from]?.[to];
  if (!guard) {
    return { ok: false, code: 'NOT_A_TRANSITION' };
  }
  return guard(ctx);
}

/**
 * The steps that are the system owner's (docs/domain.md): it sends its case (draft → submitted)
 * and takes a returned case back to work on it (returned → draft). Cancelling before the decision
 * is open to either side; every other step is the authority's. A package brings only the steps
 * its sender's role takes (electron/exchange/scope.ts).
 */
export const OWNER_STEPS: readonly (readonly [CaseState, CaseState])[] = [
  ['draft', 'submitted'],
  ['returned', 'draft'],
];

/** Who takes the step `from → to`: the roles whose package may bring it. */
export function stepTakers(from: CaseState, to: CaseState): readonly Role[] {
  if (to === 'cancelled') {
    return ['system_owner', 'accreditor'];
  }
  return OWNER_STEPS.some(([f, t]) => f === from && t === to) ? ['system_owner'] : ['accreditor'];
}

/** The states reachable from `from` (ignoring guards): what the UI offers. */
export function nextStates(from: CaseState): CaseState[] {
  return Object.keys(TRANSITIONS[from] ?? {}) as CaseState[];
}

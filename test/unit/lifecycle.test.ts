import { describe, expect, it } from 'vitest';
import {
  canTransition,
  CASE_STATES,
  DECISION_EFFECTS,
  decisionsIn,
  nextStates,
  stepTakers,
  TRANSITIONS,
  type CaseState,
  type DecisionType,
  type TransitionContext,
} from '../../shared/lifecycle';

const PRE_DECISION_STATES = [
  'draft',
  'submitted',
  'intake',
  'returned',
  'under_review',
  'verification',
  'awaiting_remediation',
  'decision_pending',
];

/** A context in which every guard passes: only the graph decides. */
const permissive: TransitionContext = {
  role: 'accreditor',
  reason: 'documented reason',
  missing: [],
  openFindings: 1,
  unacceptedNonCompliant: 0,
  decision: { type: 'full_approval', signed: true },
  validTo: '2020-01-01',
  today: '2026-11-27',
  disposalVerified: true,
  supersededBy: 'X-CASE-2026-0002',
};

/** The decision a step after the first approval is taken by (written out independently). */
const TAKEN_BY: Partial<Record<string, DecisionType>> = {
  'in_force→suspended': 'suspension',
  'reaccreditation_due→suspended': 'suspension',
  'in_force→withdrawn': 'withdrawal',
  'reaccreditation_due→withdrawn': 'withdrawal',
  'suspended→withdrawn': 'withdrawal',
  'suspended→in_force': 'reinstatement',
  // decided → closed is the path of a refusal: it needs a refusing decision
  'decided→closed': 'refusal',
};

function contextFor(from: CaseState, to: CaseState): TransitionContext {
  const type = TAKEN_BY[`${from}→${to}`];
  return type ? { ...permissive, decision: { type, signed: true } } : permissive;
}

/** The allowed graph, written out independently of the implementation. */
const ALLOWED: Record<CaseState, CaseState[]> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['intake', 'cancelled'],
  intake: ['returned', 'under_review', 'cancelled'],
  returned: ['draft', 'cancelled'],
  under_review: ['verification', 'awaiting_remediation', 'decision_pending', 'cancelled'],
  verification: ['under_review', 'awaiting_remediation', 'decision_pending', 'cancelled'],
  awaiting_remediation: ['under_review', 'verification', 'cancelled'],
  decision_pending: ['decided', 'under_review', 'cancelled'],
  decided: ['in_force', 'closed'],
  in_force: [
    'reaccreditation_due',
    'suspended',
    'withdrawn',
    'expired',
    'decommissioned',
    'closed',
  ],
  reaccreditation_due: [
    'in_force',
    'suspended',
    'withdrawn',
    'expired',
    'decommissioned',
    'closed',
  ],
  suspended: ['in_force', 'withdrawn', 'expired', 'decommissioned', 'closed'],
  withdrawn: ['closed'],
  expired: ['closed', 'decommissioned'],
  decommissioned: ['closed'],
  closed: [],
  cancelled: [],
};

describe('case lifecycle: every pair of states', () => {
  const pairs = CASE_STATES.flatMap((from) => CASE_STATES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const verdict = canTransition(from, to, permissive);
    const expected = ALLOWED[from].includes(to);
    expect(canTransition(from, to, contextFor(from, to)).ok, `${from} → ${to}`).toBe(expected);
    if (!expected) {
      expect(verdict).toEqual({
        ok: false,
        code: ['closed', 'cancelled'].includes(from) ? 'TERMINAL_STATE' : 'NOT_A_TRANSITION',
      });
    }
  });

  it('offers exactly the allowed next states', () => {
    for (const state of CASE_STATES) {
      expect(nextStates(state).sort()).toEqual([...ALLOWED[state]].sort());
    }
    expect(Object.keys(TRANSITIONS).length).toBe(15);
  });
});

describe('guards refuse with a reason', () => {
  const cases: [string, CaseState, CaseState, Partial<TransitionContext>, string][] = [
    [
      'submission with something missing',
      'draft',
      'submitted',
      { missing: ['PER-01 statement'] },
      'INCOMPLETE',
    ],
    [
      'intake by a system owner',
      'submitted',
      'intake',
      { role: 'system_owner' },
      'ACCREDITOR_ONLY',
    ],
    ['return without a reason', 'intake', 'returned', { reason: ' ' }, 'REASON_REQUIRED'],
    ['review of an incomplete dossier', 'intake', 'under_review', { missing: ['x'] }, 'INCOMPLETE'],
    [
      'remediation without findings',
      'under_review',
      'awaiting_remediation',
      { openFindings: 0 },
      'NO_OPEN_FINDINGS',
    ],
    [
      'decision without a decision',
      'decision_pending',
      'decided',
      { decision: null },
      'DECISION_MISSING',
    ],
    [
      'decision without signature',
      'decision_pending',
      'decided',
      { decision: { type: 'full_approval', signed: false } },
      'DECISION_NOT_SIGNED',
    ],
    [
      'approval while a non-compliant requirement has no accepted risk',
      'decision_pending',
      'decided',
      { unacceptedNonCompliant: 2 },
      'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK',
    ],
    [
      'interim approval likewise',
      'decision_pending',
      'decided',
      { unacceptedNonCompliant: 1, decision: { type: 'interim_approval', signed: true } },
      'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK',
    ],
    [
      'in force after a refusal',
      'decided',
      'in_force',
      { decision: { type: 'refusal', signed: true } },
      'DECISION_NOT_APPROVING',
    ],
    ['closed after an approval', 'decided', 'closed', {}, 'DECISION_APPROVING'],
    [
      'an approval in force closed by hand',
      'in_force',
      'closed',
      { supersededBy: null },
      'NOT_SUPERSEDED',
    ],
    [
      'an approval due for re-accreditation (still valid) closed by hand',
      'reaccreditation_due',
      'closed',
      { supersededBy: null },
      'NOT_SUPERSEDED',
    ],
    ['expiry while still valid', 'in_force', 'expired', { validTo: '2030-01-01' }, 'STILL_VALID'],
    [
      'suspension without a reason',
      'in_force',
      'suspended',
      { reason: '', decision: { type: 'suspension', signed: true } },
      'REASON_REQUIRED',
    ],
    // After the first approval, every step of substance is a signed decision of its own.
    ['suspension as a bare state change', 'in_force', 'suspended', {}, 'DECISION_REQUIRED'],
    [
      'suspension by a decision awaiting its countersignature',
      'in_force',
      'suspended',
      { decision: { type: 'suspension', signed: false } },
      'DECISION_REQUIRED',
    ],
    ['withdrawal as a bare state change', 'suspended', 'withdrawn', {}, 'DECISION_REQUIRED'],
    [
      'reinstatement by a suspension',
      'suspended',
      'in_force',
      { decision: { type: 'suspension', signed: true } },
      'DECISION_REQUIRED',
    ],
    [
      'closing an approval in force that nothing superseded',
      'in_force',
      'closed',
      { supersededBy: null },
      'NOT_SUPERSEDED',
    ],
    [
      'closing a decommissioned system before disposal is verified',
      'decommissioned',
      'closed',
      { disposalVerified: false },
      'DISPOSAL_NOT_VERIFIED',
    ],
    ['cancelling without a reason', 'under_review', 'cancelled', { reason: '' }, 'REASON_REQUIRED'],
  ];
  it.each(cases)('%s', (_name, from, to, over, code) => {
    expect(canTransition(from, to, { ...permissive, ...over })).toMatchObject({ ok: false, code });
  });

  it('at the edges: a reason of three characters, an approval that ends today', () => {
    const returned = (reason: string) =>
      canTransition('intake', 'returned', { ...permissive, reason });
    expect(returned('  ab  ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(returned('abc')).toEqual({ ok: true });
    // Valid through the day it ends; expired from the day after.
    const expire = (validTo: string | null) =>
      canTransition('in_force', 'expired', { ...permissive, validTo });
    expect(expire('2026-11-27')).toMatchObject({ ok: false, code: 'STILL_VALID' });
    expect(expire('2026-11-26')).toEqual({ ok: true });
    expect(expire(null)).toMatchObject({ ok: false, code: 'STILL_VALID' });
    // The refusals that count say how many.
    expect(
      canTransition('draft', 'submitted', { ...permissive, missing: ['a', 'b'] }),
    ).toMatchObject({ params: { missing: '2' } });
    expect(canTransition('in_force', 'suspended', { ...permissive, decision: null })).toMatchObject(
      { code: 'DECISION_REQUIRED', params: { type: 'suspension' } },
    );
  });

  it('which decisions may be issued where, and the step each one makes', () => {
    expect(decisionsIn('decision_pending').sort()).toEqual(
      ['approval_to_test', 'full_approval', 'interim_approval', 'refusal'].sort(),
    );
    expect(decisionsIn('in_force').sort()).toEqual(['amendment', 'suspension', 'withdrawal']);
    expect(decisionsIn('suspended').sort()).toEqual(['reinstatement', 'withdrawal']);
    expect(decisionsIn('under_review')).toEqual([]);
    // Each effect is a step the graph allows, taken by that decision.
    for (const [from, effects] of Object.entries(DECISION_EFFECTS)) {
      for (const [type, to] of Object.entries(effects)) {
        if (to) {
          expect(ALLOWED[from as CaseState], `${type} from ${from}`).toContain(to);
        }
      }
    }
  });

  it('an approval held back by requirements names them, eight at most', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `PER-${String(i + 1).padStart(2, '0')}`);
    const at = (unacceptedIds: string[]) =>
      canTransition('decision_pending', 'decided', {
        ...permissive,
        unacceptedNonCompliant: unacceptedIds.length,
        unacceptedIds,
      });
    expect(at(ids.slice(0, 2))).toEqual({
      ok: false,
      code: 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK',
      params: { count: '2', ids: 'PER-01, PER-02' },
    });
    expect(at(ids)).toMatchObject({
      params: { count: '10', ids: `${ids.slice(0, 8).join(', ')} … (+2)` },
    });
  });

  it('a refusal may be decided even with non-compliant requirements', () => {
    expect(
      canTransition('decision_pending', 'decided', {
        ...permissive,
        unacceptedNonCompliant: 3,
        decision: { type: 'refusal', signed: true },
      }),
    ).toEqual({ ok: true });
  });

  it('the owner may submit and cancel; the rest is the accreditor’s', () => {
    const owner = { ...permissive, role: 'system_owner' as const };
    expect(canTransition('draft', 'submitted', owner).ok).toBe(true);
    expect(canTransition('draft', 'cancelled', owner).ok).toBe(true);
    expect(canTransition('returned', 'draft', owner).ok).toBe(true);
    expect(canTransition('under_review', 'decision_pending', owner)).toMatchObject({
      ok: false,
      code: 'ACCREDITOR_ONLY',
    });
  });
  it('who takes each step: the owner its two, either side a cancellation, the authority every other', () => {
    const takers = Object.entries(TRANSITIONS).flatMap(([from, tos]) =>
      Object.keys(tos ?? {}).map((to): [string, string] => [
        `${from} → ${to}`,
        stepTakers(from as CaseState, to as CaseState).join(' '),
      ]),
    );
    const by = (who: string) => takers.filter(([, t]) => t === who).map(([step]) => step);
    expect(by('system_owner')).toEqual(['draft → submitted', 'returned → draft']);
    expect(by('system_owner accreditor')).toEqual(
      PRE_DECISION_STATES.map((from) => `${from} → cancelled`),
    );
    expect(by('accreditor')).toHaveLength(takers.length - 2 - PRE_DECISION_STATES.length);
    // Every step the authority takes is one its guard keeps from the owner too.
    const owner = { ...permissive, role: 'system_owner' as const };
    for (const step of by('accreditor')) {
      const [from, to] = step.split(' → ') as [CaseState, CaseState];
      expect(canTransition(from, to, owner), step).toMatchObject({ ok: false });
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  canTransition,
  CASE_STATES,
  nextStates,
  TRANSITIONS,
  type CaseState,
  type TransitionContext,
} from '../../shared/lifecycle';

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
};

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
  in_force: ['reaccreditation_due', 'suspended', 'withdrawn', 'expired', 'decommissioned'],
  reaccreditation_due: [
    'in_force',
    'suspended',
    'withdrawn',
    'expired',
    'decommissioned',
    'closed',
  ],
  suspended: ['in_force', 'withdrawn', 'expired', 'decommissioned'],
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
    // decided → closed is the path of a refusal: it needs a refusing decision
    const ctx =
      from === 'decided' && to === 'closed'
        ? { ...permissive, decision: { type: 'refusal' as const, signed: true } }
        : permissive;
    const expected = ALLOWED[from].includes(to);
    expect(canTransition(from, to, ctx).ok, `${from} → ${to}`).toBe(expected);
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
    ['expiry while still valid', 'in_force', 'expired', { validTo: '2030-01-01' }, 'STILL_VALID'],
    ['suspension without a reason', 'in_force', 'suspended', { reason: '' }, 'REASON_REQUIRED'],
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
});

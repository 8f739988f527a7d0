import { describe, expect, it } from 'vitest';
import { editable } from '../../shared/cases';
import { CASE_STATES } from '../../shared/lifecycle';

describe('who may change what, state by state', () => {
  const answers = new Set(['draft', 'returned', 'awaiting_remediation']);
  const review = new Set([
    'intake',
    'under_review',
    'verification',
    'awaiting_remediation',
    'decision_pending',
  ]);
  it.each(CASE_STATES.flatMap((s) => [[s, 'accreditor'] as const, [s, 'system_owner'] as const]))(
    '%s as %s',
    (state, role) => {
      expect(editable(state, role)).toEqual({
        answers: answers.has(state) && (role === 'system_owner' || state === 'draft'),
        verdicts: role === 'accreditor' && review.has(state),
      });
    },
  );
});

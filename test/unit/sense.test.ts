/**
 * The rules of sense (shared/sense.ts), one by one: each refused from the side that must be
 * refused, and passed at the boundary that must pass; every code translated and shown on its
 * field; the validity policy's maximum checked against its defaults.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidityPolicy, VALIDITY_FILE } from '../../electron/services/policy';
import { translate, type MessageKey } from '../../shared/i18n';
import { da } from '../../shared/i18n/da';
import { en } from '../../shared/i18n/en';
import { issuesByField, issuesByPath, issueText } from '../../shared/i18n/issues';
import {
  carriedValidityRule,
  caseSense,
  closingSense,
  conditionSense,
  decisionSense,
  deadlineRule,
  disposalSense,
  findingSense,
  happenedRule,
  personSense,
  recordSense,
  requirementRule,
  SENSE_CODES,
  siteSense,
  todayOf,
  validityRule,
  type SenseIssue,
} from '../../shared/sense';

/** Noon UTC on 5 Dec 2026: today is the 5th everywhere from UTC−12 to UTC+11, the 6th east of that. */
const NOON = new Date('2026-12-05T12:00:00Z');
const today = todayOf(NOON);
const keys = (issues: SenseIssue[]) => issues.map((i) => [i.path.join('.'), i.key]);

describe('today, as the rules see it', () => {
  it('is every day that is today somewhere on Earth (UTC−12 … UTC+14)', () => {
    expect(todayOf(NOON)).toEqual({ earliest: '2026-12-05', latest: '2026-12-06' });
    // Just after midnight UTC it is still yesterday west of Greenwich.
    expect(todayOf(new Date('2026-12-05T00:30:00Z'))).toEqual({
      earliest: '2026-12-04',
      latest: '2026-12-05',
    });
    // Late in the UTC evening, Denmark has reached tomorrow; so has the rule.
    expect(todayOf(new Date('2026-12-05T23:30:00Z'))).toEqual({
      earliest: '2026-12-05',
      latest: '2026-12-06',
    });
  });
});

describe('validity: ends after it starts, has not ended, within the maximum', () => {
  const v = { validFrom: '2026-12-05', issuedOn: '2026-12-05', maxMonths: 60 };
  it('refuses an end on or before the start — the approval of the issue: valid to 1.1.2025, issued 5.12.2026', () => {
    expect(keys(validityRule({ ...v, validTo: '2025-01-01' }))).toEqual([
      ['validTo', 'VALIDITY_ENDS_BEFORE_START'],
    ]);
    expect(keys(validityRule({ ...v, validTo: '2026-12-05' }))).toEqual([
      ['validTo', 'VALIDITY_ENDS_BEFORE_START'],
    ]);
    // The boundary: one day is a validity.
    expect(validityRule({ ...v, validTo: '2026-12-06' })).toEqual([]);
  });

  it('refuses a validity that has ended before the decision is issued (a start in the past)', () => {
    const old = { ...v, validFrom: '2026-01-01' };
    expect(keys(validityRule({ ...old, validTo: '2026-12-04' }))).toEqual([
      ['validTo', 'VALIDITY_ENDED'],
    ]);
    expect(validityRule({ ...old, validTo: '2026-12-05' })).toEqual([]);
  });

  it('refuses more than the maximum, counted in months from the first day', () => {
    expect(validityRule({ ...v, validTo: '2031-12-05' })).toEqual([]);
    const [problem] = validityRule({ ...v, validTo: '2031-12-06' });
    expect(problem).toMatchObject({
      path: ['validTo'],
      key: 'VALIDITY_TOO_LONG',
      params: { months: '60', latest: '2031-12-05' },
    });
    // No maximum: any end after the start.
    expect(validityRule({ ...v, maxMonths: null, validTo: '2099-01-01' })).toEqual([]);
    // The last day of a shorter month.
    expect(
      validityRule({
        validFrom: '2026-08-31',
        issuedOn: '2026-08-31',
        maxMonths: 6,
        validTo: '2027-02-28',
      }),
    ).toEqual([]);
    expect(
      keys(
        validityRule({
          validFrom: '2026-08-31',
          issuedOn: '2026-08-31',
          maxMonths: 6,
          validTo: '2027-03-01',
        }),
      ),
    ).toEqual([['validTo', 'VALIDITY_TOO_LONG']]);
  });

  it('only a decision that sets validity carries an end; a reinstatement carries the approval’s (round 20k)', () => {
    const at = (type: string, validTo: string | null, sets: boolean, current: string | null) =>
      keys(carriedValidityRule({ type, validTo, sets, current }));
    expect(at('suspension', '2099-12-31', false, '2029-01-01')).toEqual([
      ['validTo', 'VALIDITY_NOT_CARRIED'],
    ]);
    expect(at('suspension', null, false, '2029-01-01')).toEqual([]);
    expect(at('reinstatement', '2099-12-31', true, '2029-01-01')).toEqual([
      ['validTo', 'VALIDITY_NOT_RESTORED'],
    ]);
    expect(at('reinstatement', null, true, '2029-01-01')).toEqual([
      ['validTo', 'VALIDITY_NOT_RESTORED'],
    ]);
    expect(at('reinstatement', '2029-01-01', true, '2029-01-01')).toEqual([]);
    // Where the approval it restores is not known, the rule has nothing to compare.
    expect(at('reinstatement', '2099-12-31', true, null)).toEqual([]);
    // An amendment sets its own (within the maximum: validityRule's).
    expect(at('amendment', '2099-12-31', true, '2029-01-01')).toEqual([]);
    expect(
      carriedValidityRule(
        { type: 'reinstatement', validTo: null, sets: true, current: '2029-01-01' },
        ['decisions', 2, 'valid_to'],
      )[0],
    ).toMatchObject({ path: ['decisions', 2, 'valid_to'], params: { day: '2029-01-01' } });
  });

  it('a decision: its validity when it carries one, and each condition at its row', () => {
    const ctx = { today, maxMonths: 36, requirements: new Set(['PER-01']) };
    expect(decisionSense({ validFrom: '2026-12-05', validTo: null, conditions: [] }, ctx)).toEqual(
      [],
    );
    expect(
      keys(
        decisionSense(
          {
            validFrom: '2026-12-05',
            validTo: '2025-01-01',
            conditions: [
              { dueDate: '2026-12-05', requirementId: 'PER-01' },
              { dueDate: '2026-12-04', requirementId: 'XYZ-99' },
            ],
          },
          ctx,
        ),
      ),
    ).toEqual([
      ['validTo', 'VALIDITY_ENDS_BEFORE_START'],
      ['conditions.0.dueDate', 'CONDITION_AFTER_VALIDITY'],
      ['conditions.1.dueDate', 'DEADLINE_PASSED'],
      ['conditions.1.requirementId', 'UNKNOWN_REQUIREMENT'],
    ]);
    // A condition is due while the approval stands: on its last day at the latest.
    const conditions = (dueDate: string) => ({
      validFrom: '2026-12-05',
      validTo: '2028-06-01',
      conditions: [{ dueDate, requirementId: 'PER-01' }],
    });
    expect(keys(decisionSense(conditions('2028-06-02'), ctx))).toEqual([
      ['conditions.0.dueDate', 'CONDITION_AFTER_VALIDITY'],
    ]);
    expect(decisionSense(conditions('2028-06-01'), ctx)).toEqual([]);
  });
});

describe('what has happened is not dated after today', () => {
  it.each([
    ['VERIFIED_IN_FUTURE', 'verifiedOn'],
    ['CLOSED_IN_FUTURE', 'closedOn'],
    ['RECEIVED_IN_FUTURE', 'receivedOn'],
    ['BRIEFED_IN_FUTURE', 'briefedOn'],
    ['INSPECTED_IN_FUTURE', 'lastInspection'],
  ] as const)('%s: the day after today is refused, today passes', (key, field) => {
    expect(keys(happenedRule('2026-12-07', today, key, [field]))).toEqual([[field, key]]);
    expect(happenedRule('2026-12-06', today, key, [field])).toEqual([]);
    expect(happenedRule('1999-01-01', today, key, [field])).toEqual([]);
    expect(happenedRule(null, today, key, [field])).toEqual([]);
  });

  it('a briefing in 2030, a site inspected next year, a disposal verified tomorrow', () => {
    expect(keys(personSense({ briefedOn: '2030-01-01' }, { today }))).toEqual([
      ['briefedOn', 'BRIEFED_IN_FUTURE'],
    ]);
    expect(personSense({ briefedOn: '2026-12-05' }, { today })).toEqual([]);
    expect(keys(siteSense({ lastInspection: '2027-06-01' }, { today }))).toEqual([
      ['lastInspection', 'INSPECTED_IN_FUTURE'],
    ]);
    expect(siteSense({ lastInspection: null }, { today })).toEqual([]);
    const opened = { today, openedOn: '2026-11-01' };
    expect(keys(disposalSense({ verifiedOn: '2026-12-07' }, opened))).toEqual([
      ['verifiedOn', 'VERIFIED_IN_FUTURE'],
    ]);
    expect(disposalSense({ verifiedOn: '2026-12-05' }, opened)).toEqual([]);
  });
});

describe('nothing closed before it was received or opened', () => {
  it('a disposal verified before its case was opened', () => {
    const ctx = { today, openedOn: '2026-11-01' };
    expect(keys(disposalSense({ verifiedOn: '2026-10-31' }, ctx))).toEqual([
      ['verifiedOn', 'VERIFIED_BEFORE_OPENED'],
    ]);
    expect(disposalSense({ verifiedOn: '2026-11-01' }, ctx)).toEqual([]);
  });

  it('a record closed before it was received, or sent', () => {
    const ctx = { today, sentOn: '2026-10-01', receivedOn: '2026-11-10' };
    expect(keys(closingSense({ closedOn: '2026-11-09' }, ctx))).toEqual([
      ['closedOn', 'CLOSED_BEFORE_RECEIVED'],
    ]);
    expect(closingSense({ closedOn: '2026-11-10' }, ctx)).toEqual([]);
    expect(
      keys(
        closingSense({ closedOn: '2026-09-30' }, { today, sentOn: '2026-10-01', receivedOn: null }),
      ),
    ).toEqual([['closedOn', 'CLOSED_BEFORE_RECEIVED']]);
    expect(keys(closingSense({ closedOn: '2026-12-07' }, ctx))).toEqual([
      ['closedOn', 'CLOSED_IN_FUTURE'],
    ]);
    expect(
      closingSense({ closedOn: '2026-12-06' }, { today, sentOn: null, receivedOn: null }),
    ).toEqual([]);
  });

  it('a closed record’s receipt or sending is not moved after its closing', () => {
    const before = { followUpDue: null, closedOn: '2026-11-20' };
    expect(keys(recordSense({ receivedOn: '2026-11-21' }, { today, before }))).toEqual([
      ['receivedOn', 'RECEIVED_AFTER_CLOSED'],
    ]);
    expect(keys(recordSense({ sentOn: '2026-11-21' }, { today, before }))).toEqual([
      ['sentOn', 'RECEIVED_AFTER_CLOSED'],
    ]);
    expect(
      recordSense({ receivedOn: '2026-11-20', sentOn: '2026-11-01' }, { today, before }),
    ).toEqual([]);
    expect(keys(recordSense({ receivedOn: '2030-01-01' }, { today }))).toEqual([
      ['receivedOn', 'RECEIVED_IN_FUTURE'],
    ]);
  });
});

describe('a deadline is not already past when it is set', () => {
  it('yesterday (everywhere) is refused; today passes', () => {
    expect(keys(deadlineRule('2026-12-04', today, ['dueDate']))).toEqual([
      ['dueDate', 'DEADLINE_PASSED'],
    ]);
    expect(deadlineRule('2026-12-05', today, ['dueDate'])).toEqual([]);
    expect(deadlineRule(null, today, ['dueDate'])).toEqual([]);
  });

  it('a case’s deadline, a finding’s, a condition’s, a record’s follow-up', () => {
    expect(keys(caseSense({ deadline: '2026-01-01' }, { today }))).toEqual([
      ['deadline', 'DEADLINE_PASSED'],
    ]);
    expect(caseSense({ deadline: '2027-01-01' }, { today })).toEqual([]);
    const ctx = { today, requirements: new Set(['PER-01']) };
    expect(keys(findingSense({ dueDate: '2026-11-01' }, ctx))).toEqual([
      ['dueDate', 'DEADLINE_PASSED'],
    ]);
    expect(keys(conditionSense({ dueDate: '2020-01-01' }, ctx, ['conditions', 2]))).toEqual([
      ['conditions.2.dueDate', 'DEADLINE_PASSED'],
    ]);
    expect(keys(recordSense({ followUpDue: '2020-01-01' }, { today }))).toEqual([
      ['followUpDue', 'DEADLINE_PASSED'],
    ]);
  });

  it('a follow-up set before and passed since is overdue, not wrong: only a new or moved one is held to it', () => {
    const before = { followUpDue: '2026-11-01', closedOn: null };
    expect(recordSense({ followUpDue: '2026-11-01' }, { today, before })).toEqual([]);
    expect(keys(recordSense({ followUpDue: '2026-11-02' }, { today, before }))).toEqual([
      ['followUpDue', 'DEADLINE_PASSED'],
    ]);
    expect(recordSense({ followUpDue: null }, { today, before })).toEqual([]);
  });
});

describe('a requirement named is on the case', () => {
  it('refuses one the case does not have', () => {
    const requirements = new Set(['PER-01', 'PHY-03']);
    expect(keys(requirementRule('XYZ-99', requirements, ['requirementId']))).toEqual([
      ['requirementId', 'UNKNOWN_REQUIREMENT'],
    ]);
    expect(requirementRule('PER-01', requirements, ['requirementId'])).toEqual([]);
    expect(requirementRule(null, requirements, ['requirementId'])).toEqual([]);
    expect(findingSense({ requirementId: 'PHY-03' }, { today, requirements })).toEqual([]);
  });
});

describe('every rule is translated and shown on its field', () => {
  it('has a text of its own in Danish and in English', () => {
    for (const code of SENSE_CODES) {
      const key = `issue.${code}` as MessageKey;
      expect(Object.hasOwn(da, key), code).toBe(true);
      expect(Object.hasOwn(en, key), code).toBe(true);
      expect(translate('da', key), code).not.toBe(translate('en', key));
    }
    const texts = SENSE_CODES.map((c) => translate('en', `issue.${c}` as MessageKey));
    expect(new Set(texts).size).toBe(SENSE_CODES.length);
  });

  it('reads on the field in the user’s language, its days written the reader’s way', () => {
    const [ends] = validityRule({
      validFrom: '2026-12-05',
      validTo: '2025-01-01',
      issuedOn: '2026-12-05',
      maxMonths: 36,
    });
    expect(issuesByField('da', [ends!])).toEqual({
      validTo: 'Gyldigheden skal slutte efter den begynder (5.12.2026).',
    });
    expect(issueText('en', ends!)).toBe('The validity must end after it starts (5 Dec 2026).');
    // The English text travels as the message (what the command line prints).
    expect(ends!.message).toBe('The validity must end after it starts (5 Dec 2026).');
    // Inside a request that wraps the entry, and in a form with rows.
    const row = conditionSense({ requirementId: 'XYZ-99' }, { today, requirements: new Set() }, [
      'decision',
      'conditions',
      0,
    ]);
    expect(issuesByPath('da', row)).toEqual({
      'conditions.0.requirementId': 'XYZ-99 er ikke et krav i denne sag.',
    });
    expect(
      issuesByField('en', [
        {
          path: ['disposal', 'verifiedOn'],
          key: 'VERIFIED_IN_FUTURE',
          params: { day: '2026-12-06' },
        },
      ]),
    ).toEqual({
      verifiedOn:
        'Disposal cannot have been verified on a day still to come (6 Dec 2026 at the latest).',
    });
  });
});

describe('the validity policy', () => {
  const shipped = JSON.parse(readFileSync(VALIDITY_FILE, 'utf8')) as Record<string, unknown>;
  it('ships a maximum for every approving type, no default above it', () => {
    const policy = ValidityPolicy.parse(shipped);
    expect(policy.maximum).toMatchObject({
      full_approval: 60,
      interim_approval: 12,
      approval_to_test: 12,
    });
  });

  it('refuses a default longer than the maximum, and a missing maximum', () => {
    const longer = ValidityPolicy.safeParse({
      ...shipped,
      byLevel: { TOP_SECRET: { full_approval: 61 } },
    });
    expect(longer.success).toBe(false);
    expect(longer.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'byLevel.TOP_SECRET.full_approval',
    ]);
    const missing = ValidityPolicy.safeParse({ ...shipped, maximum: { full_approval: 60 } });
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'maximum.interim_approval',
      'maximum.approval_to_test',
    ]);
  });
});

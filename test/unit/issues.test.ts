import { describe, expect, it } from 'vitest';
import { issueText, issuesByField } from '../../shared/i18n/issues';
import { RecordInput, SiteInput, SystemInput } from '../../shared/register';

/** The issues a schema reports for a value, as the IPC layer passes them on. */
function issuesOf(
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return (
    result.error as {
      issues: {
        path: (string | number)[];
        code: string;
        message: string;
        minimum?: number;
        maximum?: number;
        origin?: string;
      }[];
    }
  ).issues;
}

describe('validation problems in the user language', () => {
  it('names each field with a Danish sentence, never the validator text', () => {
    const issues = issuesOf(SystemInput, {
      ref: 'bad ref!',
      name: '',
      phase: 'operational',
      mode: 'dedicated',
      levels: [],
      userCount: 1,
      nextReview: '1900-01-01',
    });
    expect(issuesByField('da', issues)).toEqual({
      ref: 'Kun bogstaver, tal, punktum, bindestreg eller understregning.',
      name: 'Udfyld feltet.',
      levels: 'Angiv mindst ét informationsdomæne med dets højeste niveau.',
      nextReview: 'En dato mellem 1950 og 2100.',
    });
    expect(issuesByField('en', issues).name).toBe('Fill this in.');
  });

  it('says which date comes first, which date does not exist, and what is too long', () => {
    expect(
      issuesByField(
        'da',
        issuesOf(SiteInput, {
          name: 'x'.repeat(201),
          maxLevel: 'SECRET',
          lastInspection: '2027-02-30',
        }),
      ),
    ).toEqual({
      name: 'For langt: højst 200 tegn.',
      lastInspection: 'Datoen findes ikke i kalenderen.',
    });
    expect(
      issuesByField(
        'en',
        issuesOf(RecordInput, {
          type: 'other',
          title: 't',
          counterpart: 'c',
          status: 'open',
          validFrom: '2027-01-02',
          validTo: '2027-01-01',
        }),
      ),
    ).toEqual({ validTo: 'This date must come after the one before it.' });
  });

  it('names the field inside a request that wraps the entry', () => {
    expect(
      issuesByField('en', [
        { path: ['closing', 'outcome'], code: 'too_small', minimum: 1, origin: 'string' },
      ]),
    ).toEqual({ outcome: 'Fill this in.' });
    expect(issuesByField('en', [{ path: ['id'], code: 'invalid_format' }])).toEqual({
      id: 'Not in the expected form.',
    });
  });

  it("translates the core's own checks by their key, with their values", () => {
    expect(
      issueText('da', {
        path: ['maxLevel'],
        code: 'custom',
        message: 'x',
        key: 'unknownLevel',
        params: { code: 'TOP' },
      }),
    ).toBe('TOP er ikke et niveau i klassifikationsskemaet.');
    expect(
      issueText('da', {
        path: ['email'],
        code: 'invalid_format',
        message: 'Invalid email address',
      }),
    ).toBe('En e-mailadresse, fx navn@eksempel.dk.');
    expect(issueText('en', { path: ['x'], code: 'something_new', message: 'raw' })).toBe(
      'This value is not valid.',
    );
  });
});

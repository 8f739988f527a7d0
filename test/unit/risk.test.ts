import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATRICES_FILE } from '../../electron/areas/risks/repository';
import {
  acceptanceAuthority,
  acceptanceStatus,
  acceptanceValidHere,
  addMonths,
  assess,
  canAccept,
  combinedImpact,
  criteriaIssues,
  fingerprint,
  levelIndex,
  outOfScale,
  parseMatrix,
  recalculate,
  rescale,
  RiskCriteriaSchema,
  RiskInput,
  type RiskCriteria,
  type RiskMatrix,
  type RiskSubstance,
} from '../../shared/risk';
import { heatMapCells, movementArrows, trendLines } from '../../shared/risk-charts';

const shipped = JSON.parse(readFileSync(MATRICES_FILE, 'utf8')) as {
  default: string;
  matrices: unknown[];
};
function matrix(id: string): RiskMatrix {
  const found = shipped.matrices.map((m) => parseMatrix(m)).find((p) => p.ok && p.matrix.id === id);
  if (!found?.ok) {
    throw new Error(`no matrix ${id}`);
  }
  return found.matrix;
}
const m5 = matrix('nist-5x5');
const m4 = matrix('standard-4x4');
const m3 = matrix('simple-3x3');

const criteria: RiskCriteria = {
  matrixId: 'nist-5x5',
  ownerAcceptsUpTo: 'low',
  accreditorAcceptsUpTo: 'high',
  maxAcceptanceMonths: 24,
};

const risk: RiskSubstance = {
  matrixId: 'nist-5x5',
  scope: 'Server room',
  threatSource: 'Intruder',
  threatEvent: 'Unauthorised entry',
  vulnerability: 'No alarm',
  confidentiality: 4,
  integrity: 2,
  availability: null,
  authenticity: null,
  likelihood: 3,
  treatment: 'reduce',
  residualLikelihood: 2,
  residualImpact: 3,
};

describe('risk matrices as data', () => {
  it('ships valid 5×5, 4×4 and 3×3 matrices, the 5×5 with the five NIST-style levels', () => {
    expect(shipped.default).toBe('nist-5x5');
    expect(shipped.matrices.map((m) => parseMatrix(m).ok)).toEqual([true, true, true]);
    expect(m5.levels.map((l) => l.en)).toEqual([
      'Very low',
      'Low',
      'Moderate',
      'High',
      'Very high',
    ]);
    expect([m5, m4, m3].map((m) => `${m.likelihood.length}x${m.impact.length}`)).toEqual([
      '5x5',
      '4x4',
      '3x3',
    ]);
    for (const m of [m5, m4, m3]) {
      expect(m.levels.every((l) => l.da.length > 0 && l.en.length > 0)).toBe(true);
    }
  });

  // Each broken matrix is refused with exactly these problems (path: message), nothing more.
  const FALLS = 'the level must not fall as likelihood or impact rises';
  const broken: [string, (m: RiskMatrix) => unknown, string[]][] = [
    [
      'a row is missing',
      (m) => ({ ...m, grid: m.grid.slice(1) }),
      ['grid: the grid needs 5 rows, one per likelihood'],
    ],
    [
      'a row is short',
      (m) => ({ ...m, grid: [m.grid[0]!.slice(1), ...m.grid.slice(1)] }),
      ['grid.0: row 1 needs 5 cells, one per impact'],
    ],
    [
      'a cell names a level that does not exist',
      (m) => ({ ...m, grid: [[0, 0, 0, 1, 9], ...m.grid.slice(1)] }),
      ['grid.0.4: cell refers to level 10, but there are 5 levels', `grid.1.4: ${FALLS}`],
    ],
    [
      'a cell names the level just past the last',
      (m) => ({ ...m, grid: [...m.grid.slice(0, 4), [1, 2, 3, 4, 5]] }),
      ['grid.4.4: cell refers to level 6, but there are 5 levels'],
    ],
    [
      'the level falls as impact rises',
      (m) => ({ ...m, grid: [[0, 0, 0, 1, 0], ...m.grid.slice(1)] }),
      [`grid.0.4: ${FALLS}`],
    ],
    [
      'the level falls as likelihood rises',
      (m) => ({ ...m, grid: [...m.grid.slice(0, 4), [0, 0, 0, 0, 0]] }),
      [0, 1, 2, 3, 4].map((i) => `grid.4.${i}: ${FALLS}`),
    ],
    [
      'two levels share an id',
      (m) => ({ ...m, levels: m.levels.map((l) => ({ ...l, id: 'same' })) }),
      ['levels: level ids must be unique'],
    ],
    [
      'a colour is not a colour',
      (m) => ({ ...m, levels: [{ ...m.levels[0]!, colour: 'red' }, ...m.levels.slice(1)] }),
      ['levels.0.colour: Invalid string: must match pattern /^#[0-9a-fA-F]{6}$/'],
    ],
    [
      'a label lacks Danish',
      (m) => ({ ...m, impact: [{ en: 'x' }, ...m.impact.slice(1)] }),
      ['impact.0.da: Invalid input: expected string, received undefined'],
    ],
    ['an unknown field', (m) => ({ ...m, extra: true }), [': Unrecognized key: "extra"']],
    [
      'one level only',
      (m) => ({ ...m, levels: m.levels.slice(0, 1), grid: m.grid.map((r) => r.map(() => 0)) }),
      ['levels: Too small: expected array to have >=2 items'],
    ],
  ];
  it.each(broken)('refuses a matrix where %s, naming the place', (_, mutate, expected) => {
    const parsed = parseMatrix(mutate(m5));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(expected);
    }
  });

  it('takes a flat matrix (every cell the lowest level) and a steadily rising one', () => {
    const flat = { ...m5, grid: m5.grid.map((r) => r.map(() => 0)) };
    expect(parseMatrix(flat)).toEqual({ ok: true, matrix: flat });
    const rising = { ...m5, grid: m5.grid.map((r, l) => r.map((_, i) => Math.min(4, l + i))) };
    expect(parseMatrix(rising).ok).toBe(true);
  });
});

describe('level arithmetic', () => {
  const table: [string, number, number, string][] = [
    ['m5', 1, 1, 'very_low'],
    ['m5', 1, 5, 'low'],
    ['m5', 3, 3, 'moderate'],
    ['m5', 4, 4, 'high'],
    ['m5', 5, 5, 'very_high'],
    ['m5', 5, 1, 'low'],
    ['m5', 2, 5, 'moderate'],
    ['m4', 1, 1, 'low'],
    ['m4', 4, 4, 'very_high'],
    ['m4', 3, 3, 'high'],
    ['m3', 1, 1, 'low'],
    ['m3', 2, 2, 'moderate'],
    ['m3', 3, 3, 'high'],
  ];
  it.each(table)('%s: likelihood %i × impact %i is %s', (name, l, i, level) => {
    const m = { m5, m4, m3 }[name]!;
    expect(m.levels[levelIndex(m, l, i)]!.id).toBe(level);
  });

  it('refuses scores outside the matrix', () => {
    expect(() => levelIndex(m3, 4, 1)).toThrow(RangeError);
    expect(() => levelIndex(m5, 0, 1)).toThrow(RangeError);
    expect(() => levelIndex(m5, 2.5, 1)).toThrow(RangeError);
    expect(outOfScale(m3, { ...risk, confidentiality: 4, residualLikelihood: 0 })).toEqual([
      'residualLikelihood',
      'confidentiality',
    ]);
    expect(outOfScale(m5, risk)).toEqual([]);
  });

  it('takes the worst impact on any property, and none when nothing is affected', () => {
    expect(
      combinedImpact({ confidentiality: 2, integrity: 4, availability: 1, authenticity: null }),
    ).toBe(4);
    expect(
      combinedImpact({
        confidentiality: null,
        integrity: null,
        availability: null,
        authenticity: 5,
      }),
    ).toBe(5);
    expect(
      combinedImpact({
        confidentiality: null,
        integrity: null,
        availability: null,
        authenticity: null,
      }),
    ).toBeNull();
  });

  it('assesses inherent (likelihood × worst impact) and residual levels', () => {
    expect(assess(m5, risk)).toEqual({
      inherent: { index: 2, id: 'moderate' },
      residual: { index: 1, id: 'low' },
    });
    expect(assess(m5, { ...risk, confidentiality: null, integrity: null }).inherent).toBeNull();
  });

  const rescales: [number, number, number, number][] = [
    [1, 5, 3, 1],
    [2, 5, 3, 2],
    [3, 5, 3, 2],
    [4, 5, 3, 3],
    [5, 5, 3, 3],
    [1, 3, 5, 1],
    [2, 3, 5, 3],
    [3, 3, 5, 5],
    [4, 4, 4, 4],
    [2, 4, 5, 2],
    [3, 4, 5, 4],
  ];
  it.each(rescales)('rescales %i on a %i-scale to %i-scale as %i', (v, from, to, out) => {
    expect(rescale(v, from, to)).toBe(out);
  });

  it('rescaling keeps both ends and never reverses order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 7 }), (from, to) => {
        expect(rescale(1, from, to)).toBe(1);
        expect(rescale(from, from, to)).toBe(to);
        for (let v = 1; v < from; v++) {
          expect(rescale(v + 1, from, to)).toBeGreaterThanOrEqual(rescale(v, from, to));
        }
      }),
    );
  });

  it('a higher likelihood or impact never gives a lower level in any shipped matrix (property)', () => {
    for (const m of [m5, m4, m3]) {
      const L = m.likelihood.length;
      const I = m.impact.length;
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: L }),
          fc.integer({ min: 1, max: I }),
          fc.integer({ min: 1, max: L }),
          fc.integer({ min: 1, max: I }),
          (l1, i1, l2, i2) => {
            if (l2 >= l1 && i2 >= i1) {
              expect(levelIndex(m, l2, i2)).toBeGreaterThanOrEqual(levelIndex(m, l1, i1));
            }
          },
        ),
      );
    }
  });

  it('changing the matrix rescales every risk and reports exactly the ones whose level moved', () => {
    const risks = [
      { ...risk, id: 'a' }, // moderate/low on 5×5
      {
        ...risk,
        id: 'b',
        confidentiality: 5,
        likelihood: 5,
        residualLikelihood: 5,
        residualImpact: 5,
      },
      {
        ...risk,
        id: 'c',
        confidentiality: 1,
        integrity: 1,
        likelihood: 1,
        residualLikelihood: 1,
        residualImpact: 1,
      },
    ];
    const { risks: out, moved } = recalculate(m5, m3, risks);
    expect(out.map((r) => [r.id, r.assessed.inherent?.id, r.assessed.residual.id])).toEqual([
      ['a', 'high', 'moderate'],
      ['b', 'high', 'high'],
      ['c', 'low', 'low'],
    ]);
    expect(out[0]).toMatchObject({ confidentiality: 3, integrity: 2, likelihood: 2 });
    expect(moved).toEqual([
      { id: 'a', inherent: ['moderate', 'high'], residual: ['low', 'moderate'] },
      { id: 'b', inherent: ['very_high', 'high'], residual: ['very_high', 'high'] },
      { id: 'c', inherent: ['very_low', 'low'], residual: ['very_low', 'low'] },
    ]);
    expect(recalculate(m5, m5, risks).moved).toEqual([]);
  });
});

describe('acceptance criteria and acceptance', () => {
  it('checks the criteria against the matrix', () => {
    expect(criteriaIssues(m5, criteria)).toEqual([]);
    expect(criteriaIssues(m5, { ...criteria, ownerAcceptsUpTo: 'nope' })).toEqual([
      'ownerAcceptsUpTo',
    ]);
    expect(
      criteriaIssues(m5, { ...criteria, ownerAcceptsUpTo: 'high', accreditorAcceptsUpTo: 'low' }),
    ).toEqual(['accreditorAcceptsUpTo']);
    expect(criteriaIssues(m3, criteria)).toEqual(['matrixId']);
    expect(
      criteriaIssues(m3, { ...criteria, matrixId: 'simple-3x3', ownerAcceptsUpTo: 'very_low' }),
    ).toEqual(['ownerAcceptsUpTo']);
  });

  const authority: [string, string][] = [
    ['very_low', 'owner'],
    ['low', 'owner'],
    ['moderate', 'accreditor'],
    ['high', 'accreditor'],
    ['very_high', 'none'],
  ];
  it.each(authority)('a residual %s risk may be accepted by: %s', (level, who) => {
    const index = m5.levels.findIndex((l) => l.id === level);
    expect(acceptanceAuthority(m5, criteria, index)).toBe(who);
  });

  const today = '2026-11-27';
  const good = { justification: 'Compensated by the alarm link.', expiresOn: '2027-11-27' };
  const cases: [string, Partial<Parameters<typeof canAccept>[0]>, string][] = [
    ['an owner within the criteria', { role: 'system_owner', residualIndex: 1 }, 'ok:owner'],
    ['an accreditor within the owner limit', { role: 'accreditor', residualIndex: 0 }, 'ok:owner'],
    ['an owner above the criteria', { role: 'system_owner', residualIndex: 2 }, 'ACCREDITOR_ONLY'],
    ['an accreditor above the criteria', { role: 'accreditor', residualIndex: 3 }, 'ok:accreditor'],
    ['anyone above every limit', { role: 'accreditor', residualIndex: 4 }, 'NOT_ACCEPTABLE'],
    ['an avoided risk', { treatment: 'avoid' }, 'TREATMENT_AVOID'],
    [
      'a short justification',
      { input: { ...good, justification: 'ok' } },
      'JUSTIFICATION_REQUIRED',
    ],
    ['an expiry today', { input: { ...good, expiresOn: today } }, 'EXPIRY_IN_PAST'],
    [
      'an expiry beyond the limit',
      { input: { ...good, expiresOn: '2028-11-28' } },
      'EXPIRY_TOO_FAR',
    ],
    [
      'an expiry exactly at the limit',
      { input: { ...good, expiresOn: '2028-11-27' } },
      'ok:accreditor',
    ],
  ];
  it.each(cases)('%s → %s', (_, override, expected) => {
    const verdict = canAccept({
      matrix: m5,
      criteria,
      residualIndex: 2,
      treatment: 'reduce',
      role: 'accreditor',
      input: good,
      today,
      ...override,
    });
    expect(verdict.ok ? `ok:${verdict.authority}` : verdict.code).toBe(expected);
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-27', 24)).toBe('2028-11-27');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('an acceptance covers the risk as it was; a change or the expiry ends it', () => {
    const accepted = { fingerprint: fingerprint(risk), expiresOn: '2027-06-30' };
    expect(acceptanceStatus(risk, null, '2026-11-27')).toBe('none');
    expect(acceptanceStatus(risk, accepted, '2026-11-27')).toBe('accepted');
    expect(acceptanceStatus(risk, accepted, '2027-07-01')).toBe('expired');
    for (const change of [
      { residualLikelihood: 3 },
      { likelihood: 4 },
      { threatEvent: 'Another event' },
      { treatment: 'share' as const },
      { matrixId: 'simple-3x3' },
      { availability: 2 },
    ]) {
      expect(acceptanceStatus({ ...risk, ...change }, accepted, '2026-11-27')).toBe('reaccept');
    }
  });
});

describe('an acceptance received in a package counts only under this vault’s criteria', () => {
  // This vault: the owner accepts up to "low", an accreditor up to "high", for 12 months at most.
  const criteria: RiskCriteria = {
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 12,
  };
  const scores = (residualLikelihood: number, residualImpact: number) => ({
    likelihood: 5,
    confidentiality: 5,
    integrity: null,
    availability: null,
    authenticity: null,
    residualLikelihood,
    residualImpact,
    treatment: 'accept' as const,
  });
  const today = '2026-06-01';
  const base = {
    matrix: m5,
    criteria,
    riskMatrix: m5,
    role: 'system_owner',
    acceptedOn: '2026-05-01',
    expiresOn: '2027-05-01',
    today,
  };
  const table: [string, Partial<Parameters<typeof acceptanceValidHere>[0]>, string | null][] = [
    ['the owner, a low risk, for a year', { risk: scores(2, 2) }, null],
    // The report's attack: an owner accepting a very high risk under its own loose criteria.
    ['the owner, a very high risk', { risk: scores(5, 5) }, 'NOT_ACCEPTABLE'],
    ['the owner, a moderate risk (the accreditor’s)', { risk: scores(3, 3) }, 'ACCREDITOR_ONLY'],
    ['an accreditor, a high risk', { risk: scores(4, 4), role: 'accreditor' }, null],
    [
      'an accreditor, a very high risk',
      { risk: scores(5, 5), role: 'accreditor' },
      'NOT_ACCEPTABLE',
    ],
    ['a role that is neither', { risk: scores(1, 1), role: 'auditor' }, 'UNKNOWN_ROLE'],
    [
      'a risk to be avoided',
      { risk: { ...scores(1, 1), treatment: 'avoid' as const } },
      'TREATMENT_AVOID',
    ],
    ['valid to 2099', { risk: scores(1, 1), expiresOn: '2099-12-31' }, 'EXPIRY_TOO_FAR'],
    [
      'the longest term, to the day',
      { risk: scores(1, 1), acceptedOn: '2026-05-01', expiresOn: '2027-05-01' },
      null,
    ],
    [
      'a day past the longest term',
      { risk: scores(1, 1), acceptedOn: '2026-05-01', expiresOn: '2027-05-02' },
      'EXPIRY_TOO_FAR',
    ],
    [
      'accepted on a day still to come',
      { risk: scores(1, 1), acceptedOn: '2098-01-01', expiresOn: '2098-06-01' },
      'ACCEPTED_LATER',
    ],
    ['ending before it begins', { risk: scores(1, 1), expiresOn: '2026-04-01' }, 'EXPIRY_IN_PAST'],
    ['not a day', { risk: scores(1, 1), expiresOn: 'never' }, 'EXPIRY_IN_PAST'],
    // A risk scored on the sender's own matrix is rescaled onto this vault's: a 3×3 "high"
    // corner is this vault's very high, whatever the sender's matrix calls it.
    ['a 3×3 corner, rescaled', { risk: scores(3, 3), riskMatrix: m3 }, 'NOT_ACCEPTABLE'],
    ['a 3×3 low cell, rescaled', { risk: scores(1, 1), riskMatrix: m3 }, null],
    ['scores off the matrix', { risk: scores(6, 6) }, 'NOT_ACCEPTABLE'],
  ];
  for (const [name, args, expected] of table) {
    it(`${name} → ${expected ?? 'counts'}`, () => {
      expect(acceptanceValidHere({ ...base, risk: scores(1, 1), ...args })).toBe(expected);
    });
  }
});

describe('risk pictures', () => {
  it('a heat map has one cell per matrix cell and counts every risk once', () => {
    const points = [
      { likelihood: 1, impact: 1 },
      { likelihood: 1, impact: 1 },
      { likelihood: 5, impact: 5 },
    ];
    const { cells, width, height } = heatMapCells(m5, points);
    expect(cells).toHaveLength(25);
    expect(cells.reduce((n, c) => n + c.count, 0)).toBe(3);
    const top = cells.find((c) => c.likelihood === 5 && c.impact === 5)!;
    const bottom = cells.find((c) => c.likelihood === 1 && c.impact === 1)!;
    expect(top.y).toBeLessThan(bottom.y);
    expect(top.fill).toBe(m5.levels[4]!.colour);
    expect(width).toBeGreaterThan(top.x);
    expect(height).toBeGreaterThan(bottom.y);
  });

  it('draws an arrow per assessed risk, marking those that treatment moved', () => {
    const arrows = movementArrows(m5, [
      { ...risk, id: 'a', ref: 'R-1' },
      { ...risk, id: 'b', ref: 'R-2', residualLikelihood: 3, residualImpact: 4 },
      { ...risk, id: 'c', ref: 'R-3', confidentiality: null, integrity: null },
    ]);
    expect(arrows.map((a) => [a.label, a.moved])).toEqual([
      ['R-1', true],
      ['R-2', false],
    ]);
    // Two risks in the same inherent cell are drawn apart.
    expect([arrows[0]!.x1, arrows[0]!.y1]).not.toEqual([arrows[1]!.x1, arrows[1]!.y1]);
  });

  it('plots the trend with higher levels higher up', () => {
    const { residual } = trendLines(5, [
      { at: '1', inherentRank: 3, residualRank: 1 },
      { at: '2', inherentRank: 3, residualRank: 3 },
    ]);
    expect(residual[1]!.y).toBeLessThan(residual[0]!.y);
    expect(residual[1]!.x).toBeGreaterThan(residual[0]!.x);
  });
});

describe('at the edges', () => {
  const accept = (justification: string, expiresOn: string) =>
    canAccept({
      matrix: m5,
      criteria,
      residualIndex: 1,
      treatment: 'reduce',
      role: 'system_owner',
      input: { justification, expiresOn },
      today: '2026-11-27',
    });

  it('a justification of ten characters, an expiry from tomorrow to the longest allowed', () => {
    expect(accept(' 123456789 ', '2027-01-01')).toEqual({
      ok: false,
      code: 'JUSTIFICATION_REQUIRED',
    });
    expect(accept('1234567890', '2027-01-01')).toEqual({ ok: true, authority: 'owner' });
    expect(accept('1234567890', '2026-11-27')).toEqual({ ok: false, code: 'EXPIRY_IN_PAST' });
    expect(accept('1234567890', '2026-11-28').ok).toBe(true);
    expect(accept('1234567890', '2028-11-27').ok).toBe(true);
    expect(accept('1234567890', '2028-11-28')).toEqual({ ok: false, code: 'EXPIRY_TOO_FAR' });
  });

  it('an acceptance holds through the day it ends', () => {
    const accepted = { fingerprint: fingerprint(risk), expiresOn: '2026-11-27' };
    expect(acceptanceStatus(risk, accepted, '2026-11-27')).toBe('accepted');
    expect(acceptanceStatus(risk, accepted, '2026-11-28')).toBe('expired');
  });

  it('criteria: the accreditor may accept as much as the owner, not less; unknown levels are named', () => {
    expect(criteriaIssues(m5, { ...criteria, accreditorAcceptsUpTo: 'low' })).toEqual([]);
    expect(criteriaIssues(m5, { ...criteria, accreditorAcceptsUpTo: 'very_low' })).toEqual([
      'accreditorAcceptsUpTo',
    ]);
    expect(
      criteriaIssues(m5, { ...criteria, ownerAcceptsUpTo: 'nope', accreditorAcceptsUpTo: 'nope' }),
    ).toEqual(['ownerAcceptsUpTo', 'accreditorAcceptsUpTo']);
    expect(criteriaIssues(m5, { ...criteria, matrixId: 'other' })).toEqual(['matrixId']);
    const valid = { ...criteria };
    expect(RiskCriteriaSchema.safeParse(valid).success).toBe(true);
    for (const bad of [
      { ...valid, maxAcceptanceMonths: 0 },
      { ...valid, maxAcceptanceMonths: 61 },
      { ...valid, maxAcceptanceMonths: 1.5 },
      { ...valid, matrixId: 'Nist' },
      { ...valid, ownerAcceptsUpTo: 'Low' },
      { ...valid, accreditorAcceptsUpTo: '1high' },
      { ...valid, extra: 1 },
    ]) {
      expect(RiskCriteriaSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(RiskCriteriaSchema.safeParse({ ...valid, maxAcceptanceMonths: 60 }).success).toBe(true);
    expect(RiskCriteriaSchema.safeParse({ ...valid, maxAcceptanceMonths: 1 }).success).toBe(true);
  });

  it('months are added as the calendar has them', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-27', 14)).toBe('2028-01-27');
    expect(addMonths('2026-03-05', -3)).toBe('2025-12-05');
    expect(rescale(3, 5, 5)).toBe(3);
  });

  it('a risk as entered: the texts and references it must have', () => {
    const ok = {
      systemId: '6f1c1f36-5f0b-4c36-9d55-3c1c2f0a4e10',
      caseId: null,
      scope: 'LA',
      threatEvent: 'An',
      confidentiality: 1,
      integrity: null,
      availability: 7,
      authenticity: null,
      likelihood: 1,
      treatment: 'reduce',
      residualLikelihood: 1,
      residualImpact: 1,
      reviewDate: null,
      requirementIds: ['PER-01', 'ABCDE-123'],
    };
    const parsed = RiskInput.safeParse(ok);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({
      threatSource: '',
      vulnerability: '',
      measures: '',
      owner: '',
      findingIds: [],
    });
    for (const bad of [
      { ...ok, scope: ' L ' },
      { ...ok, threatEvent: 'x' },
      { ...ok, likelihood: 0 },
      { ...ok, availability: 8 },
      { ...ok, requirementIds: ['per-01'] },
      { ...ok, requirementIds: ['ABCDEF-01'] },
      { ...ok, requirementIds: ['P-01'] },
      { ...ok, requirementIds: ['PER-1'] },
      { ...ok, requirementIds: ['PER-0001'] },
      { ...ok, scope: 'x'.repeat(301) },
    ]) {
      expect(RiskInput.safeParse(bad).success, JSON.stringify(bad).slice(0, 120)).toBe(false);
    }
  });
});

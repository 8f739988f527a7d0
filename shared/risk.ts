/**
 * Risk assessment arithmetic (docs/domain.md): matrices as data, the level a likelihood and an
 * impact give, the rescaling a change of matrix needs, the vault's acceptance criteria and who
 * may accept a residual risk. Pure: the risk service stores what these functions compute, the
 * UI and the CLI show it, and the tests pin it in tables.
 */
import { z } from 'zod';
import { TEXT_MAX } from './limits';
import { IsoDate } from './register';

const Label = z.object({
  en: z.string().trim().min(1).max(60),
  da: z.string().trim().min(1).max(60),
});

export const RiskMatrixSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
    name: Label,
    likelihood: z.array(Label).min(2).max(7),
    impact: z.array(Label).min(2).max(7),
    levels: z
      .array(
        Label.extend({
          id: z.string().regex(/^[a-z][a-z_]{1,30}$/),
          colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
        }),
      )
      .min(2)
      .max(7),
    /** grid[likelihood - 1][impact - 1] is an index into `levels`. */
    grid: z.array(z.array(z.number().int().min(0))),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = new Set(m.levels.map((l) => l.id));
    if (ids.size !== m.levels.length) {
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'level ids must be unique' });
    }
    if (m.grid.length !== m.likelihood.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['grid'],
        message: `the grid needs ${m.likelihood.length} rows, one per likelihood`,
      });
      return;
    }
    m.grid.forEach((row, l) => {
      if (row.length !== m.impact.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['grid', l],
          message: `row ${l + 1} needs ${m.impact.length} cells, one per impact`,
        });
        return;
      }
      row.forEach((cell, i) => {
        if (cell >= m.levels.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['grid', l, i],
            message: `cell refers to level ${cell + 1}, but there are ${m.levels.length} levels`,
          });
        }
        // A higher likelihood or a higher impact must never give a lower level.
        if ((i > 0 && cell < row[i - 1]!) || (l > 0 && cell < (m.grid[l - 1]?.[i] ?? 0))) {
          ctx.addIssue({
            code: 'custom',
            path: ['grid', l, i],
            message: 'the level must not fall as likelihood or impact rises',
          });
        }
      });
    });
  });
export type RiskMatrix = z.infer<typeof RiskMatrixSchema>;

export function parseMatrix(
  input: unknown,
):
  | { ok: true; matrix: RiskMatrix }
  | { ok: false; issues: { path: (string | number)[]; message: string }[] } {
  const parsed = RiskMatrixSchema.safeParse(input);
  if (parsed.success) {
    return { ok: true, matrix: parsed.data };
  }
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: i.message,
    })),
  };
}

/** The level index a likelihood and an impact (both 1-based) give in a matrix. */
export function levelIndex(matrix: RiskMatrix, likelihood: number, impact: number): number {
  const cell = matrix.grid[likelihood - 1]?.[impact - 1];
  if (cell === undefined || !Number.isInteger(likelihood) || !Number.isInteger(impact)) {
    throw new RangeError(
      `likelihood ${likelihood} / impact ${impact} is outside the ${matrix.likelihood.length}×${matrix.impact.length} matrix`,
    );
  }
  return cell;
}

export interface Impacts {
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
  authenticity: number | null;
}

/** A risk's impact is its worst impact on any property (null when it affects none). */
export function combinedImpact(impacts: Impacts): number | null {
  const values = [
    impacts.confidentiality,
    impacts.integrity,
    impacts.availability,
    impacts.authenticity,
  ].filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

/** Maps a 1-based position on one scale onto a scale of another length, keeping the ends. */
export function rescale(value: number, from: number, to: number): number {
  if (from === to) {
    return value;
  }
  return Math.round(((value - 1) * (to - 1)) / (from - 1)) + 1;
}

export const TREATMENTS = ['reduce', 'accept', 'avoid', 'share'] as const;
export type Treatment = (typeof TREATMENTS)[number];

/** The scores of a risk as the user enters them. */
export interface RiskScores extends Impacts {
  likelihood: number;
  residualLikelihood: number;
  residualImpact: number;
}

export interface Assessed {
  inherent: { index: number; id: string } | null;
  residual: { index: number; id: string };
}

/** The inherent and residual level of a risk in a matrix. */
export function assess(matrix: RiskMatrix, scores: RiskScores): Assessed {
  const impact = combinedImpact(scores);
  const inherent = impact === null ? null : levelIndex(matrix, scores.likelihood, impact);
  const residual = levelIndex(matrix, scores.residualLikelihood, scores.residualImpact);
  return {
    inherent: inherent === null ? null : { index: inherent, id: matrix.levels[inherent]!.id },
    residual: { index: residual, id: matrix.levels[residual]!.id },
  };
}

/** Checks that every score lies on the matrix's scales; returns the offending fields. */
export function outOfScale(matrix: RiskMatrix, scores: RiskScores): string[] {
  const L = matrix.likelihood.length;
  const I = matrix.impact.length;
  const bad: string[] = [];
  const check = (field: keyof RiskScores, max: number, nullable: boolean) => {
    const v = scores[field];
    if (v === null ? !nullable : !Number.isInteger(v) || v < 1 || v > max) {
      bad.push(field);
    }
  };
  check('likelihood', L, false);
  check('residualLikelihood', L, false);
  check('residualImpact', I, false);
  for (const f of ['confidentiality', 'integrity', 'availability', 'authenticity'] as const) {
    check(f, I, true);
  }
  return bad;
}

/** The same scores expressed on another matrix's scales. */
export function rescaleScores(from: RiskMatrix, to: RiskMatrix, scores: RiskScores): RiskScores {
  const l = (v: number) => rescale(v, from.likelihood.length, to.likelihood.length);
  const i = (v: number | null) =>
    v === null ? null : rescale(v, from.impact.length, to.impact.length);
  return {
    likelihood: l(scores.likelihood),
    residualLikelihood: l(scores.residualLikelihood),
    residualImpact: i(scores.residualImpact)!,
    confidentiality: i(scores.confidentiality),
    integrity: i(scores.integrity),
    availability: i(scores.availability),
    authenticity: i(scores.authenticity),
  };
}

/**
 * A risk's residual level index on `matrix` (the criteria's), rescaled from its own: the one computation
 * of who may accept a risk — in the register, here, on receipt. Null when the scores do not fit.
 */
export function residualIndexOn(
  matrix: RiskMatrix,
  riskMatrix: RiskMatrix,
  risk: RiskScores,
): number | null {
  try {
    const scores = riskMatrix.id === matrix.id ? risk : rescaleScores(riskMatrix, matrix, risk);
    return levelIndex(matrix, scores.residualLikelihood, scores.residualImpact);
  } catch {
    return null;
  }
}

export interface Movement {
  id: string;
  inherent: [string | null, string | null];
  residual: [string, string];
}

/**
 * Recalculates risks when the vault changes matrix: rescales their scores and says which
 * risks moved to another level (by level id), so the change can be recorded and reviewed.
 */
export function recalculate<R extends RiskScores & { id: string }>(
  from: RiskMatrix,
  to: RiskMatrix,
  risks: readonly R[],
): { risks: (R & { assessed: Assessed })[]; moved: Movement[] } {
  const moved: Movement[] = [];
  const out = risks.map((risk) => {
    const before = assess(from, risk);
    const scores = rescaleScores(from, to, risk);
    const after = assess(to, scores);
    const inherent: [string | null, string | null] = [
      before.inherent?.id ?? null,
      after.inherent?.id ?? null,
    ];
    if (inherent[0] !== inherent[1] || before.residual.id !== after.residual.id) {
      moved.push({ id: risk.id, inherent, residual: [before.residual.id, after.residual.id] });
    }
    return { ...risk, ...scores, assessed: after };
  });
  return { risks: out, moved };
}

// ---- acceptance criteria and acceptance -----------------------------------------------------

export const RiskCriteriaSchema = z
  .object({
    matrixId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
    /** Residual levels up to this one the risk owner may accept. */
    ownerAcceptsUpTo: z.string().regex(/^[a-z][a-z_]{1,30}$/),
    /** Above the owner's limit, only an accreditor may accept, and only up to this level. */
    accreditorAcceptsUpTo: z.string().regex(/^[a-z][a-z_]{1,30}$/),
    /** The longest an acceptance may run before it must be renewed. */
    maxAcceptanceMonths: z.number().int().min(1).max(60),
  })
  .strict();
export type RiskCriteria = z.infer<typeof RiskCriteriaSchema>;

/** Criteria problems against a matrix (unknown level ids, limits in the wrong order). */
export function criteriaIssues(matrix: RiskMatrix, criteria: RiskCriteria): string[] {
  const owner = matrix.levels.findIndex((l) => l.id === criteria.ownerAcceptsUpTo);
  const accreditor = matrix.levels.findIndex((l) => l.id === criteria.accreditorAcceptsUpTo);
  const issues: string[] = [];
  if (criteria.matrixId !== matrix.id) {
    issues.push('matrixId');
  }
  if (owner < 0) {
    issues.push('ownerAcceptsUpTo');
  }
  if (accreditor < 0 || accreditor < owner) {
    issues.push('accreditorAcceptsUpTo');
  }
  return issues;
}

export type Authority = 'owner' | 'accreditor' | 'none';

/** Who may accept a residual risk at this level under the criteria ('none': treat it further). */
export function acceptanceAuthority(
  matrix: RiskMatrix,
  criteria: RiskCriteria,
  residualIndex: number,
): Authority {
  const owner = matrix.levels.findIndex((l) => l.id === criteria.ownerAcceptsUpTo);
  const accreditor = matrix.levels.findIndex((l) => l.id === criteria.accreditorAcceptsUpTo);
  if (residualIndex <= owner) {
    return 'owner';
  }
  return residualIndex <= accreditor ? 'accreditor' : 'none';
}

export type AcceptanceRefusal =
  | 'ACCREDITOR_ONLY'
  | 'NOT_ACCEPTABLE'
  | 'JUSTIFICATION_REQUIRED'
  | 'EXPIRY_IN_PAST'
  | 'EXPIRY_TOO_FAR'
  | 'TREATMENT_AVOID';

export const AcceptanceInput = z
  .object({
    justification: z.string().max(TEXT_MAX.justification),
    expiresOn: IsoDate,
  })
  .strict();
export type AcceptanceInput = z.infer<typeof AcceptanceInput>;

/** Adds whole months to a YYYY-MM-DD date (clamping to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whether `role` may accept this residual risk now, with this justification and expiry. */
export function canAccept(args: {
  matrix: RiskMatrix;
  criteria: RiskCriteria;
  residualIndex: number;
  treatment: Treatment;
  role: 'accreditor' | 'system_owner';
  input: AcceptanceInput;
  today: string;
}): { ok: true; authority: Authority } | { ok: false; code: AcceptanceRefusal } {
  const { matrix, criteria, residualIndex, role, input, today } = args;
  if (args.treatment === 'avoid') {
    return { ok: false, code: 'TREATMENT_AVOID' };
  }
  const authority = acceptanceAuthority(matrix, criteria, residualIndex);
  if (authority === 'none') {
    return { ok: false, code: 'NOT_ACCEPTABLE' };
  }
  if (authority === 'accreditor' && role !== 'accreditor') {
    return { ok: false, code: 'ACCREDITOR_ONLY' };
  }
  if (input.justification.trim().length < 10) {
    return { ok: false, code: 'JUSTIFICATION_REQUIRED' };
  }
  if (input.expiresOn <= today) {
    return { ok: false, code: 'EXPIRY_IN_PAST' };
  }
  if (input.expiresOn > addMonths(today, criteria.maxAcceptanceMonths)) {
    return { ok: false, code: 'EXPIRY_TOO_FAR' };
  }
  return { ok: true, authority };
}

/** The fields whose change means an acceptance no longer covers the risk. */
export interface RiskSubstance extends RiskScores {
  scope: string;
  threatSource: string;
  threatEvent: string;
  vulnerability: string;
  treatment: Treatment;
  matrixId: string;
}

/** A canonical rendering of what was accepted: equal strings mean the same risk. */
export function fingerprint(risk: RiskSubstance): string {
  const keys: (keyof RiskSubstance)[] = [
    'matrixId',
    'scope',
    'threatSource',
    'threatEvent',
    'vulnerability',
    'confidentiality',
    'integrity',
    'availability',
    'authenticity',
    'likelihood',
    'treatment',
    'residualLikelihood',
    'residualImpact',
  ];
  return JSON.stringify(keys.map((k) => [k, risk[k]]));
}

/**
 * 'owner_not_valid' and 'authority_not_valid': an acceptance the other side sent in a package,
 * current there, that this vault's own criteria do not allow (acceptanceValidHere): it is shown
 * as the sender's claim and covers nothing here.
 */
export type AcceptanceStatus =
  'none' | 'accepted' | 'reaccept' | 'expired' | 'owner_not_valid' | 'authority_not_valid';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type ReceivedAcceptanceRefusal =
  | 'TREATMENT_AVOID'
  | 'NOT_ACCEPTABLE'
  | 'ACCREDITOR_ONLY'
  | 'ACCEPTED_LATER'
  | 'EXPIRY_IN_PAST'
  | 'EXPIRY_TOO_FAR'
  | 'UNKNOWN_ROLE';

/**
 * Whether an acceptance received by package counts here: this vault's criteria must let the
 * sender's role accept the risk's residual level on this vault's matrix (residualIndexOn) for
 * the term it runs (from a day not after today, within the longest term). Null when it counts.
 */
export function acceptanceValidHere(args: {
  matrix: RiskMatrix;
  criteria: RiskCriteria;
  /** The matrix the risk is scored on (the vault's, or the one the package brought). */
  riskMatrix: RiskMatrix;
  risk: RiskScores & { treatment: Treatment };
  role: string;
  acceptedOn: string;
  expiresOn: string;
  today: string;
}): ReceivedAcceptanceRefusal | null {
  const { matrix, criteria, risk } = args;
  if (args.role !== 'system_owner' && args.role !== 'accreditor') {
    return 'UNKNOWN_ROLE';
  }
  if (risk.treatment === 'avoid') {
    return 'TREATMENT_AVOID';
  }
  const residual = residualIndexOn(matrix, args.riskMatrix, risk);
  if (residual === null) {
    return 'NOT_ACCEPTABLE';
  }
  const authority = acceptanceAuthority(matrix, criteria, residual);
  if (authority === 'none') {
    return 'NOT_ACCEPTABLE';
  }
  if (authority === 'accreditor' && args.role !== 'accreditor') {
    return 'ACCREDITOR_ONLY';
  }
  if (!DAY.test(args.acceptedOn) || args.acceptedOn > args.today) {
    return 'ACCEPTED_LATER';
  }
  if (!DAY.test(args.expiresOn) || args.expiresOn <= args.acceptedOn) {
    return 'EXPIRY_IN_PAST';
  }
  if (args.expiresOn > addMonths(args.acceptedOn, criteria.maxAcceptanceMonths)) {
    return 'EXPIRY_TOO_FAR';
  }
  return null;
}

/** The state of a risk's latest acceptance: current, flagged for re-acceptance, or lapsed. */
export function acceptanceStatus(
  risk: RiskSubstance,
  acceptance: { fingerprint: string; expiresOn: string } | null,
  today: string,
): AcceptanceStatus {
  if (!acceptance) {
    return 'none';
  }
  if (acceptance.fingerprint !== fingerprint(risk)) {
    return 'reaccept';
  }
  return acceptance.expiresOn < today ? 'expired' : 'accepted';
}

// ---- inputs ---------------------------------------------------------------------------------

const Score = z.number().int().min(1).max(7);

export const RiskInput = z
  .object({
    systemId: z.string().uuid(),
    caseId: z.string().uuid().nullable().optional(),
    scope: z.string().trim().min(2).max(300),
    threatSource: z.string().trim().max(300).default(''),
    threatEvent: z.string().trim().min(2).max(1000),
    vulnerability: z.string().trim().max(1000).default(''),
    confidentiality: Score.nullable(),
    integrity: Score.nullable(),
    availability: Score.nullable(),
    authenticity: Score.nullable().default(null),
    likelihood: Score,
    treatment: z.enum(TREATMENTS),
    measures: z.string().max(4000).default(''),
    residualLikelihood: Score,
    residualImpact: Score,
    owner: z.string().max(TEXT_MAX.owner).default(''),
    reviewDate: IsoDate.nullable().optional(),
    requirementIds: z
      .array(z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/))
      .max(100)
      .default([]),
    findingIds: z.array(z.string().uuid()).max(100).default([]),
  })
  .strict();
export type RiskInput = z.input<typeof RiskInput>;

export const RiskFilter = z
  .object({
    systemId: z.string().uuid().optional(),
    caseId: z.string().uuid().optional(),
  })
  .strict();
export type RiskFilter = z.input<typeof RiskFilter>;

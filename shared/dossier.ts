/**
 * The dossier a decision is taken on, as data: the case, the system, every checklist answer and
 * verdict, the evidence by hash, the findings, the risks with their levels, and the risk matrix
 * that names the levels. A decision cites the SHA-256 of its canonical JSON (RFC 8785); the
 * vault keeps that JSON, the decision package carries it, and the dossier report of a decided
 * case is drawn from it, so the letter, the report and both vaults show one hash — and anyone
 * can recompute it from the file.
 */
import { z } from 'zod';
import { DomainSchema } from './classification';
import { RiskMatrixSchema } from './risk';

export const DOSSIER_FORMAT = 'awb-dossier';

const Point = z.object({ likelihood: z.number().int(), impact: z.number().int() }).strict();
const Nullable = z.string().nullable();

export const DossierSnapshotSchema = z
  .object({
    format: z.literal(DOSSIER_FORMAT),
    version: z.literal(1),
    case: z
      .object({
        id: z.string(),
        ref: z.string(),
        type: z.string(),
        state: z.string(),
        title: z.string(),
        catalogue: z.object({ id: z.string(), version: z.string() }).strict(),
      })
      .strict(),
    system: z
      .object({
        id: z.string(),
        ref: z.string(),
        name: z.string(),
        mode: z.string(),
        levels: z.array(z.object({ domain: DomainSchema, level: z.string() }).strict()),
      })
      .strict(),
    checklist: z.array(
      z
        .object({
          requirementId: z.string(),
          area: z.string(),
          status: z.string(),
          statement: z.string(),
          justification: z.string(),
          verdict: z.string(),
          assessorComment: z.string(),
          evidence: z.array(z.string()),
        })
        .strict(),
    ),
    evidence: z.array(
      z
        .object({
          id: z.string(),
          type: z.string(),
          title: z.string(),
          version: z.string(),
          fileName: z.string(),
          sha256: z.string(),
          size: z.number().int(),
          reviewStatus: z.string(),
        })
        .strict(),
    ),
    findings: z.array(
      z
        .object({
          id: z.string(),
          kind: z.string(),
          requirementId: Nullable,
          severity: z.string(),
          title: z.string(),
          owner: z.string(),
          dueDate: Nullable,
          status: z.string(),
        })
        .strict(),
    ),
    risks: z.array(
      z
        .object({
          ref: z.string(),
          threatEvent: z.string(),
          scope: z.string(),
          treatment: z.string(),
          inherentLevel: Nullable,
          residualLevel: Nullable,
          inherent: Point.nullable(),
          residual: Point,
          acceptance: z.object({ status: z.string(), expiresOn: Nullable }).strict(),
        })
        .strict(),
    ),
    matrix: RiskMatrixSchema.nullable(),
  })
  .strict();
export type DossierSnapshot = z.infer<typeof DossierSnapshotSchema>;

/** The keyword a letter carries, signed, naming the dossier it was decided on. */
export const DOSSIER_KEYWORD = 'dossier-sha256:';

/**
 * The value a document's keywords give after `prefix`: of the one keyword that has it. None, an
 * empty one, or two (two values are two readings of one document) give null.
 */
export function keywordValue(keywords: string | null | undefined, prefix: string): string | null {
  const values = (keywords ?? '')
    .split(/\s+/)
    .filter((word) => word.startsWith(prefix))
    .map((word) => word.slice(prefix.length));
  return values.length === 1 && values[0] !== '' ? values[0]! : null;
}

/** The dossier hash a document's keywords cite, if they cite one. */
export function citedDossier(keywords: string | null | undefined): string | null {
  const hash = keywordValue(keywords, DOSSIER_KEYWORD);
  return hash !== null && /^[0-9a-f]{64}$/.test(hash) ? hash : null;
}

/** One checklist answer as the dossier (and `awb cases show`) records it. */
export type ChecklistAnswer = DossierSnapshot['checklist'][number];

/** An item of a case's checklist reduced to its answer: what the owner said and the verdict on it. */
export function checklistAnswer(i: ChecklistAnswer): ChecklistAnswer {
  return {
    requirementId: i.requirementId,
    area: i.area,
    status: i.status,
    statement: i.statement,
    justification: i.justification,
    verdict: i.verdict,
    assessorComment: i.assessorComment,
    evidence: i.evidence,
  };
}

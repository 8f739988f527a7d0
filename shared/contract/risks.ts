/** The risk register: matrices, acceptance criteria, risks and their acceptances. */
import { z } from 'zod';
import {
  AcceptanceInput,
  RiskCriteriaSchema,
  RiskFilter,
  RiskInput,
  RiskMatrixSchema,
  TREATMENTS,
} from '../risk';
import { IdInput, IdOutput, Nullable, invoke } from './common';

const Score = z.number().int().nullable();
const Movement = z.object({
  id: z.string(),
  inherent: z.tuple([Nullable, Nullable]),
  residual: z.tuple([z.string(), z.string()]),
});
export const ACCEPTANCE_STATUSES = [
  'none',
  'accepted',
  'reaccept',
  'expired',
  'owner_not_valid',
  'authority_not_valid',
] as const;

export const RiskRowSchema = z.object({
  id: z.string(),
  ref: z.string(),
  systemId: z.string(),
  system: z.string(),
  caseId: Nullable,
  caseRef: Nullable,
  matrixId: z.string(),
  scope: z.string(),
  threatSource: z.string(),
  threatEvent: z.string(),
  vulnerability: z.string(),
  confidentiality: Score,
  integrity: Score,
  availability: Score,
  authenticity: Score,
  likelihood: z.number().int(),
  treatment: z.enum(TREATMENTS),
  measures: z.string(),
  residualLikelihood: z.number().int(),
  residualImpact: z.number().int(),
  owner: z.string(),
  reviewDate: Nullable,
  inherentLevel: Nullable,
  inherentRank: Score,
  residualLevel: z.string(),
  residualRank: z.number().int(),
  authority: z.enum(['owner', 'accreditor', 'none']),
  acceptance: z.object({
    status: z.enum(ACCEPTANCE_STATUSES),
    by: Nullable,
    role: Nullable,
    on: Nullable,
    expiresOn: Nullable,
    justification: Nullable,
  }),
  requirementIds: z.array(z.string()),
  findingIds: z.array(z.string()),
  updatedAt: z.string(),
});
export type RiskRow = z.infer<typeof RiskRowSchema>;

export const risksChannels = {
  'risks:matrices': invoke(
    z.object({}).strict(),
    z
      .object({
        matrices: z.array(RiskMatrixSchema),
        defaultId: z.string(),
        criteria: RiskCriteriaSchema.extend({ setBy: z.string(), setAt: z.string() }).nullable(),
        recalculations: z.array(
          z.object({
            from: z.string(),
            to: z.string(),
            moved: z.array(Movement),
            actor: z.string(),
            at: z.string(),
          }),
        ),
      })
      .strict(),
  ),
  'risks:importMatrix': invoke(
    z.object({ matrix: z.unknown() }).strict(),
    z.object({ id: z.string() }).strict(),
  ),
  'risks:setCriteria': invoke(RiskCriteriaSchema, z.object({ moved: z.array(Movement) }).strict()),
  'risks:list': invoke(RiskFilter, z.object({ risks: z.array(RiskRowSchema) }).strict()),
  'risks:get': invoke(
    IdInput,
    z
      .object({
        risk: RiskRowSchema,
        reviews: z.array(
          z.object({
            at: z.string(),
            actor: z.string(),
            note: z.string(),
            matrixId: z.string(),
            inherentLevel: Nullable,
            inherentRank: Score,
            residualLevel: z.string(),
            residualRank: z.number().int(),
          }),
        ),
        acceptances: z.array(
          z.object({
            by: z.string(),
            role: z.string(),
            authority: z.string(),
            justification: z.string(),
            on: z.string(),
            expiresOn: z.string(),
            residualLevel: z.string(),
            received: z.boolean(),
            claimedBy: Nullable,
          }),
        ),
      })
      .strict(),
  ),
  'risks:create': invoke(RiskInput, IdOutput),
  'risks:update': invoke(
    z.object({ id: z.string().uuid(), risk: RiskInput }).strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'risks:accept': invoke(
    z.object({ id: z.string().uuid(), acceptance: AcceptanceInput }).strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
} as const;

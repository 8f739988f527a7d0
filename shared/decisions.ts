/** Decisions, signing identities and documents as the core and the UI exchange them. */
import { z } from 'zod';
import { DECISION_TYPES } from './lifecycle';
import { IsoDate } from './register';

export const ConditionInput = z
  .object({
    text: z.string().trim().min(3).max(2000),
    dueDate: IsoDate.nullable().optional(),
    owner: z.string().max(200).default(''),
  })
  .strict();

export const DecisionInput = z
  .object({
    type: z.enum(DECISION_TYPES),
    /** Defaults: today, and today plus the configured validity for the type and level. */
    validFrom: IsoDate.nullable().optional(),
    validTo: IsoDate.nullable().optional(),
    conditions: z.array(ConditionInput).max(100).default([]),
    identityId: z.string().uuid(),
    language: z.enum(['da', 'en']).default('da'),
    reason: z.string().trim().min(3).max(4000),
  })
  .strict();
export type DecisionInput = z.input<typeof DecisionInput>;

export const SelfSignedInput = z
  .object({
    label: z.string().trim().min(1).max(200),
    commonName: z.string().trim().min(2).max(64),
    organisation: z.string().trim().min(2).max(64),
    validYears: z.number().int().min(1).max(10).default(3),
  })
  .strict();

export const DocumentRequest = z
  .object({
    caseId: z.string().uuid(),
    kind: z.enum(['dossier-report', 'risk-acceptance']),
    language: z.enum(['da', 'en']).default('da'),
    /** Signing applies to the residual-risk acceptance (the decision letter is always signed). */
    identityId: z.string().uuid().nullable().optional(),
  })
  .strict();

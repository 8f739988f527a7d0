/**
 * Accreditation cases: the checklist, evidence, findings, the lifecycle, catalogues, the approval
 * policy, disposals.
 */
import { z } from 'zod';
import { TEXT_MAX } from '../limits';
import { DomainSchema } from '../classification';
import {
  BLOCKERS,
  CaseFilter,
  CaseInput,
  DisposalInput,
  EvidenceMeta,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  FindingInput,
  ITEM_STATUSES,
  ItemUpdate,
  VERDICTS,
} from '../cases';
import { CASE_STATES, CASE_TYPES } from '../lifecycle';
import { Empty, IdInput, IdOutput, Nullable, Uuid, invoke } from './common';

export const CaseDetailSchema = z.object({
  id: z.string(),
  ref: z.string(),
  type: z.enum(CASE_TYPES),
  state: z.enum(CASE_STATES),
  title: z.string(),
  systemId: z.string(),
  systemLevels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
  deadline: Nullable,
  catalogue: z.object({ id: z.string(), version: z.string() }),
  /** A package about the case has come from the other side (an authority answers only such). */
  received: z.boolean(),
  progress: z.array(z.object({ area: z.string(), assessed: z.number(), total: z.number() })),
  items: z.array(
    z.object({
      requirementId: z.string(),
      area: z.string(),
      text: z.string(),
      textDa: Nullable,
      severity: z.string(),
      expectedEvidence: z.array(z.string()),
      status: z.enum(ITEM_STATUSES),
      statement: z.string(),
      justification: z.string(),
      verdict: z.enum(VERDICTS),
      assessorComment: z.string(),
      evidence: z.array(z.string()),
    }),
  ),
  missing: z.array(z.string()),
  blockers: z.array(z.object({ requirementId: z.string(), problem: z.enum(BLOCKERS) })),
  unaccepted: z.array(z.string()),
  next: z.array(
    z.object({
      to: z.enum(CASE_STATES),
      verdict: z.union([
        z.object({ ok: z.literal(true) }),
        z.object({
          ok: z.literal(false),
          code: z.string(),
          params: z.record(z.string(), z.string()).optional(),
        }),
      ]),
    }),
  ),
  history: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      actor: z.string(),
      role: z.string(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
  findings: z.array(
    z.object({
      id: z.string(),
      requirementId: Nullable,
      kind: z.string(),
      severity: z.enum(FINDING_SEVERITIES),
      title: z.string(),
      description: z.string(),
      recommendedAction: z.string(),
      owner: z.string(),
      dueDate: Nullable,
      status: z.enum(FINDING_STATUSES),
      history: z.array(
        z.object({
          from: Nullable,
          to: z.string(),
          note: z.string(),
          actor: z.string(),
          at: z.string(),
        }),
      ),
    }),
  ),
  evidence: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      title: z.string(),
      version: z.string(),
      author: z.string(),
      effectiveDate: Nullable,
      markingLevel: Nullable,
      markingDomain: Nullable,
      fileName: z.string(),
      sha256: z.string(),
      size: z.number(),
      reviewStatus: z.string(),
      uploadedAt: z.string(),
      address: z.string(),
    }),
  ),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const casesChannels = {
  'cases:list': invoke(
    CaseFilter,
    z
      .object({
        cases: z.array(
          z.object({
            id: z.string(),
            ref: z.string(),
            type: z.string(),
            state: z.enum(CASE_STATES),
            title: z.string(),
            deadline: Nullable,
            systemId: z.string(),
            system: z.string(),
            progress: z.object({ assessed: z.number(), total: z.number() }),
            openFindings: z.number(),
            levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
          }),
        ),
      })
      .strict(),
  ),
  'cases:create': invoke(CaseInput, IdOutput),
  'cases:get': invoke(IdInput, CaseDetailSchema),
  'cases:setFindingStatus': invoke(
    z
      .object({
        findingId: z.string().uuid(),
        status: z.enum(FINDING_STATUSES),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'cases:updateItem': invoke(
    z
      .object({ caseId: z.string().uuid(), requirementId: z.string().max(20), update: ItemUpdate })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'settings:policy': invoke(
    Empty,
    z
      .object({
        approval: z.object({
          verdictOnEveryRequirement: z.boolean(),
          partialNeedsRiskOrCondition: z.boolean(),
        }),
        validity: z.object({
          default: z.record(z.string(), z.number()),
          byLevel: z.record(z.string(), z.record(z.string(), z.number())),
          reaccreditationDueMonths: z.number(),
          /** The longest validity of each approving type (months): a rule of sense. */
          maximum: z.record(z.string(), z.number()),
        }),
        fourEyes: z.array(z.object({ types: z.array(z.string()), fromLevel: z.string() })),
      })
      .strict(),
  ),
  'cases:recordDisposal': invoke(
    z.object({ caseId: Uuid, disposal: DisposalInput }).strict(),
    z.object({ recorded: z.literal(true) }).strict(),
  ),
  'cases:disposal': invoke(
    IdInput,
    z
      .object({
        disposal: z
          .object({
            verifiedBy: z.string(),
            method: z.string(),
            verifiedOn: z.string(),
            evidence: z.array(z.object({ id: z.string(), title: z.string(), sha256: z.string() })),
            recordedBy: z.string(),
            recordedAt: z.string(),
          })
          .nullable(),
      })
      .strict(),
  ),
  'cases:updateItems': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        requirementIds: z.array(z.string().max(20)).min(1).max(2000),
        update: ItemUpdate,
      })
      .strict(),
    z.object({ updated: z.number().int() }).strict(),
  ),
  'cases:transition': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        to: z.enum(CASE_STATES),
        reason: z.string().max(TEXT_MAX.reason),
      })
      .strict(),
    z.object({ state: z.enum(CASE_STATES) }).strict(),
  ),
  'cases:addFinding': invoke(
    z.object({ caseId: z.string().uuid(), finding: FindingInput }).strict(),
    IdOutput,
  ),
  'cases:reviewEvidence': invoke(
    z
      .object({
        evidenceId: z.string().uuid(),
        status: z.enum(['submitted', 'accepted', 'rejected', 'superseded']),
      })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'cases:addEvidence': invoke(
    z
      .object({ caseId: z.string().uuid(), uploadId: z.string().uuid(), meta: EvidenceMeta })
      .strict(),
    IdOutput,
  ),
  'catalogues:list': invoke(
    Empty,
    z
      .object({
        catalogues: z.array(
          z.object({
            id: z.string(),
            name: z.object({ da: z.string(), en: z.string() }),
            version: z.string(),
            requirements: z.number().int(),
            baseline: z.boolean(),
          }),
        ),
      })
      .strict(),
  ),
  'cases:catalogueDiff': invoke(
    IdInput,
    z
      .object({
        newer: z
          .object({
            version: z.string(),
            diff: z.object({
              added: z.array(z.string()),
              removed: z.array(z.string()),
              changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
            }),
          })
          .nullable(),
      })
      .strict(),
  ),
  'catalogues:import': invoke(
    z.object({ catalogue: z.unknown() }).strict(),
    z
      .object({
        id: z.string(),
        version: z.string(),
        diff: z
          .object({
            added: z.array(z.string()),
            removed: z.array(z.string()),
            changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
          })
          .nullable(),
      })
      .strict(),
  ),
} as const;

/** Decisions and documents: issue, countersign, preview and verify. */
import { z } from 'zod';
import { CountersignInput, DecisionInput, DiscardInput, DocumentRequest } from '../decisions';
import { DECISION_TYPES } from '../lifecycle';
import { Base64, Nullable, invoke } from './common';
import { VerificationSchema } from './signing';

export const decisionsChannels = {
  'decisions:get': invoke(
    z.object({ caseId: z.string().uuid() }).strict(),
    z
      .object({
        decision: z
          .object({
            id: z.string(),
            ref: z.string(),
            type: z.enum(DECISION_TYPES),
            validFrom: Nullable,
            validTo: Nullable,
            acceptedRisks: z.array(
              z.object({ ref: z.string(), residualLevel: z.string(), expiresOn: Nullable }),
            ),
            dossierSha256: z.string(),
            signer: z.string(),
            signerFingerprint: z.string(),
            signedAt: z.string(),
            pdfSha256: z.string(),
            createdBy: z.string(),
            status: z.enum(['awaiting_countersignature', 'issued']),
            signaturesRequired: z.union([z.literal(1), z.literal(2)]),
            signatures: z.array(
              z.object({
                field: z.string(),
                subject: z.string(),
                fingerprint: z.string(),
                signedAt: z.string(),
                signedBy: z.string(),
              }),
            ),
          })
          .nullable(),
        defaults: z.record(z.string(), Nullable),
        /** The longest validity (months from its first day) of each type here; null: none chosen. */
        maximum: z.record(z.string(), z.number().int().nullable()),
        dossierSha256: z.string(),
      })
      .strict(),
  ),
  'decisions:issue': invoke(
    z.object({ caseId: z.string().uuid(), decision: DecisionInput }).strict(),
    z
      .object({
        id: z.string(),
        ref: z.string(),
        pdfSha256: z.string(),
        status: z.enum(['awaiting_countersignature', 'issued']),
      })
      .strict(),
  ),
  'decisions:countersign': invoke(
    z.object({ caseId: z.string().uuid(), countersign: CountersignInput }).strict(),
    z.object({ pdfSha256: z.string() }).strict(),
  ),
  'decisions:discard': invoke(
    z.object({ caseId: z.string().uuid(), discard: DiscardInput }).strict(),
    z.object({ ref: z.string() }).strict(),
  ),
  'decisions:preview': invoke(
    z.object({ caseId: z.string().uuid(), decision: DecisionInput }).strict(),
    z.object({ pdf: z.string() }).strict(),
  ),
  'documents:issue': invoke(
    DocumentRequest,
    z.object({ id: z.string(), sha256: z.string(), pdf: z.string() }).strict(),
  ),
  'documents:decisionPdf': invoke(
    z.object({ caseId: z.string().uuid() }).strict(),
    z.object({ pdf: z.string(), verification: VerificationSchema }).strict(),
  ),
  'documents:verify': invoke(
    z.object({ pdf: Base64(50 * 1024 * 1024) }).strict(),
    VerificationSchema,
  ),
} as const;

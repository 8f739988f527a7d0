/** Signed packages across the air gap: recipients, export, inspection, import and the log. */
import { z } from 'zod';
import { PACKAGE_KINDS, PREVIEW_TABLES } from '../exchange';
import { DomainSchema } from '../classification';
import { AbsolutePath, Empty, Nullable, invoke } from './common';

const PackagePreview = z.object({
  kind: z.enum(['submission', 'decision']),
  caseId: z.string(),
  caseRef: z.string(),
  caseExists: z.boolean(),
  sender: z.string(),
  signer: z.string(),
  sequence: z.number().int(),
  marking: z.string(),
  /** The levels the signed marking stands for here: what the classification banner shows. */
  levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
  encrypted: z.boolean(),
  changes: z.array(
    z.discriminatedUnion('what', [
      z.object({ what: z.literal('system'), ref: z.string(), added: z.boolean() }),
      z.object({
        what: z.literal('case'),
        ref: z.string(),
        added: z.boolean(),
        states: z.array(z.string()),
      }),
      z.object({
        what: z.enum(['answers', 'evidence', 'risks', 'findings', 'verdicts']),
        n: z.number().int(),
      }),
      z.object({ what: z.literal('decision'), ref: z.string(), type: z.string() }),
      z.object({ what: z.literal('catalogue'), ref: z.string(), sha256: z.string() }),
      z.object({ what: z.literal('notApplicable'), refs: z.array(z.string()) }),
      z.object({
        what: z.literal('row'),
        table: z.enum(PREVIEW_TABLES),
        ref: z.string(),
        added: z.boolean(),
        fields: z.array(z.object({ field: z.string(), from: Nullable, to: Nullable })),
        valid: z.boolean().optional(),
      }),
    ]),
  ),
});

export const exchangeChannels = {
  'packages:recipients': invoke(
    z.object({ kind: z.enum(PACKAGE_KINDS) }).strict(),
    z
      .object({
        recipients: z.array(
          z.object({ fingerprint: z.string(), subject: z.string(), notAfter: z.string() }),
        ),
      })
      .strict(),
  ),
  'packages:export': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        kind: z.enum(PACKAGE_KINDS),
        identityId: z.string().uuid(),
        folder: AbsolutePath,
        /** The recipient's encryption certificate; may be left out when only one is trusted. */
        recipient: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable()
          .optional(),
        pin: z.string().max(256).nullable().optional(),
      })
      .strict(),
    z
      .object({
        file: z.string(),
        sha256: z.string(),
        size: z.number(),
        parts: z.number(),
        sequence: z.number().int(),
        recipient: z.string(),
        encrypted: z.literal(true),
      })
      .strict(),
  ),
  'packages:pickFile': invoke(Empty, z.object({ file: z.string().nullable() }).strict()),
  'packages:inspect': invoke(z.object({ file: AbsolutePath }).strict(), PackagePreview),
  'packages:import': invoke(z.object({ file: AbsolutePath }).strict(), PackagePreview),
  'packages:log': invoke(
    z.object({}).strict(),
    z
      .object({
        entries: z.array(
          z.object({
            direction: z.string(),
            kind: z.string(),
            /** The case, where it is in this vault (the log keeps the reference regardless). */
            caseId: Nullable,
            caseRef: z.string(),
            counterpart: z.string(),
            fingerprint: z.string(),
            sha256: z.string(),
            size: z.number(),
            sequence: z.number().int().nullable(),
            marking: z.string(),
            at: z.string(),
            actor: z.string(),
          }),
        ),
      })
      .strict(),
  ),
} as const;

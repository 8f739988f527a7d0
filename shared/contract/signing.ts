/** Signing identities (software and token) and the trust store. */
import { z } from 'zod';
import { TRUST_ROLES } from '../exchange';
import { SelfSignedInput } from '../decisions';
import { DECISION_TYPES } from '../lifecycle';
import {
  FILE_STATUSES,
  FOUR_EYES_REFUSALS,
  INDICATIONS,
  SIGNATURE_REASONS,
  SIGNATURE_WARNINGS,
  SUB_INDICATIONS,
} from '../signatures';
import { Base64, Empty, IdInput, IdOutput, Nullable, invoke } from './common';

const CertificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
});

export const VerificationSchema = z.object({
  valid: z.boolean(),
  status: z.enum(FILE_STATUSES),
  indication: z.enum(INDICATIONS),
  subIndication: z.enum(SUB_INDICATIONS).nullable(),
  reason: z.enum(SIGNATURE_REASONS).nullable(),
  revisions: z.number().int(),
  unsignedFields: z.array(z.string()),
  fourEyes: z
    .object({ reason: z.enum(FOUR_EYES_REFUSALS), detail: z.string() })
    .nullable()
    .optional(),
  declaration: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('unreadable') }),
      z.object({
        kind: z.literal('declared'),
        reference: z.string(),
        type: z.enum(DECISION_TYPES),
        level: z.string().nullable(),
        declared: z.union([z.literal(1), z.literal(2)]),
        required: z.union([z.literal(1), z.literal(2)]),
      }),
    ])
    .optional(),
  notADecision: z.boolean().optional(),
  signatures: z.array(
    z.object({
      field: z.string(),
      status: z.enum(['valid', 'invalid', 'indeterminate']),
      indication: z.enum(INDICATIONS),
      subIndication: z.enum(SUB_INDICATIONS).nullable(),
      reason: z.enum(SIGNATURE_REASONS).nullable(),
      detail: z.string().nullable(),
      warnings: z.array(z.enum(SIGNATURE_WARNINGS)),
      signer: CertificateSummarySchema.nullable(),
      path: z.array(CertificateSummarySchema),
      claimedTime: z.string().nullable(),
      revision: z.number().int().nullable(),
      coversWholeFile: z.boolean(),
      subFilter: z.string().nullable(),
      level: z.enum(['PAdES-B-B', 'CMS']).nullable(),
    }),
  ),
});

const IdentityRow = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['pkcs12', 'self_signed', 'pkcs11']),
  usage: z.enum(['signing', 'encryption']),
  token: z.string().nullable(),
  algorithm: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
  expired: z.boolean(),
  daysLeft: z.number().int(),
});

export const signingChannels = {
  'identities:list': invoke(
    z.object({}).strict(),
    z
      .object({
        identities: z.array(IdentityRow),
        trusted: z.array(
          z.object({
            fingerprint: z.string(),
            subject: z.string(),
            issuer: z.string(),
            notAfter: z.string(),
            addedAt: z.string(),
            addedBy: z.string(),
            role: z.enum(TRUST_ROLES),
            canSign: z.boolean(),
            canEncrypt: z.boolean(),
          }),
        ),
        crls: z.array(
          z.object({
            fingerprint: z.string(),
            issuer: z.string(),
            thisUpdate: z.string(),
            nextUpdate: Nullable,
            entries: z.number().int(),
            stale: z.boolean(),
            addedAt: z.string(),
            addedBy: z.string(),
          }),
        ),
        /** The configured PKCS#11 module's file name (null when none is configured). */
        pkcs11Module: Nullable,
      })
      .strict(),
  ),
  'identities:createSelfSigned': invoke(SelfSignedInput, IdOutput),
  'identities:chooseModule': invoke(Empty, z.object({ pkcs11Module: Nullable }).strict()),
  'identities:tokenCertificates': invoke(
    Empty,
    z
      .object({
        certificates: z.array(
          CertificateSummarySchema.extend({
            tokenSerial: z.string(),
            tokenLabel: z.string(),
            keyId: z.string(),
            label: z.string(),
          }),
        ),
      })
      .strict(),
  ),
  'identities:addToken': invoke(
    z
      .object({
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
        label: z.string().trim().min(1).max(200),
        chainPem: z
          .string()
          .max(256 * 1024)
          .optional(),
      })
      .strict(),
    IdOutput,
  ),
  'identities:importKeyFile': invoke(
    z
      .object({
        label: z.string().trim().min(1).max(200),
        data: Base64(1024 * 1024),
        password: z.string().max(1000),
        usage: z.enum(['signing', 'encryption']).default('signing'),
      })
      .strict(),
    IdOutput,
  ),
  'identities:certificate': invoke(IdInput, z.object({ pem: z.string() }).strict()),
  /** The certificates a counterpart needs: this signing identity's chain and every encryption certificate. */
  'identities:exchangeCertificates': invoke(IdInput, z.object({ pem: z.string() }).strict()),
  /** What a certificate file holds (subject, SHA-256 fingerprint), shown before it is trusted. */
  'trust:inspect': invoke(
    z.object({ pem: z.string().max(256 * 1024) }).strict(),
    z
      .object({
        certificates: z.array(
          z
            .object({
              subject: z.string(),
              issuer: z.string(),
              notAfter: z.string(),
              fingerprint: z.string(),
            })
            .strict(),
        ),
      })
      .strict(),
  ),
  /**
   * Trusts the certificates of a file once the user compared their fingerprints with the sender
   * by another channel: `compared` holds those fingerprints (none: TRUST_NOT_COMPARED).
   */
  'trust:add': invoke(
    z
      .object({
        pem: z.string().max(256 * 1024),
        role: z.enum(TRUST_ROLES).default('documents'),
        compared: z.array(z.string().max(200)).max(100).default([]),
      })
      .strict(),
    z.object({ fingerprints: z.array(z.string()) }).strict(),
  ),
  'trust:setRole': invoke(
    z
      .object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/), role: z.enum(TRUST_ROLES) })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'trust:addCrl': invoke(
    z.object({ data: Base64(16 * 1024 * 1024) }).strict(),
    z.object({ fingerprint: z.string() }).strict(),
  ),
  'trust:removeCrl': invoke(
    z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    z.object({ removed: z.literal(true) }).strict(),
  ),
  'trust:remove': invoke(
    z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    z.object({ removed: z.literal(true) }).strict(),
  ),
} as const;

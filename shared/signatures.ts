/**
 * What a signature check can say, as stable codes both sides translate: the reason a signature
 * is refused, and the warnings that accompany one that passes. One code per reason, so a forged
 * letter, an untrusted signer and a damaged file read differently.
 */
import type { DecisionType } from './lifecycle';

export const SIGNATURE_REASONS = [
  'NOT_SIGNED',
  'MALFORMED_SIGNATURE',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'WEAK_ALGORITHM',
  'MODIFIED_AFTER_SIGNING',
  'SIGNER_NOT_TRUSTED',
  'CHAIN_INCOMPLETE',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_REVOKED',
  'KEY_USAGE',
  'UNSUPPORTED_CRITICAL_EXTENSION',
  /** Path building ran out of its budget (a mesh of cross-certificates, say). */
  'CHAIN_TOO_COMPLEX',
  /** An object defined twice in one revision (two entries, or twice in an object stream). */
  'DUPLICATE_OBJECT',
  /** A cross-reference a viewer would rebuild: unknown entry types, odd widths, out of order. */
  'XREF_INVALID',
  /** Anything else two readers could read differently (`6.0 0 R`, a /Length that misses endstream). */
  'AMBIGUOUS_STRUCTURE',
  /**
   * Content readers show differently from the same signed bytes: optional content, actions or
   * JavaScript, form fields other than signature fields, annotations with their own appearance,
   * print-only or hidden signature widgets.
   */
  'DYNAMIC_CONTENT',
  /**
   * The letter holds what a decision letter never holds (an embedded font, an image, a pattern,
   * an operator outside the letter's): the workbench cannot vouch that every reader shows it alike.
   */
  'OUTSIDE_LETTER_PROFILE',
  /** A later revision holds objects a countersignature does not write. */
  'UNEXPECTED_OBJECT',
  /** Two signature fields show one signature value. */
  'SHARED_SIGNATURE_VALUE',
  /** No CRL covers a certificate on the path: whether it is revoked is not known. */
  'REVOCATION_UNKNOWN',
  /** The CRL that covers a certificate on the path is past its next update. */
  'REVOCATION_STALE',
] as const;
export type SignatureReason = (typeof SIGNATURE_REASONS)[number];

/**
 * Why the signer of an explanation of a broken audit trail (or a suspected rollback) does not
 * count (docs/vault.md, "A broken trail"), beside the signature's own reasons: its identity
 * was not added before the damage, or not within the part of the trail this machine's head
 * memory vouches for.
 */
export const EXPLANATION_SIGNER_REASONS = [
  'SIGNER_NOT_BEFORE_BREAK',
  'SIGNER_NOT_VOUCHED',
] as const;
export type ExplanationSignerReason = (typeof EXPLANATION_SIGNER_REASONS)[number];

/**
 * The verdict after ETSI EN 319 102-1 (§5.1.3): TOTAL-PASSED, TOTAL-FAILED (the signature is
 * proven wrong: its format, its hash, its cryptography, a revocation) or INDETERMINATE (what is
 * known does not show it valid: no trusted chain, a certificate out of its validity, an algorithm
 * no longer accepted, revocation not known).
 */
export const INDICATIONS = ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'] as const;
export type Indication = (typeof INDICATIONS)[number];

export const SUB_INDICATIONS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'NOT_YET_VALID',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
  'SIG_CONSTRAINTS_FAILURE',
] as const;
export type SubIndication = (typeof SUB_INDICATIONS)[number];

/** Each refusal's place in the standard's verdicts. */
export const REASON_INDICATION: Record<string, { indication: Indication; sub: SubIndication }> = {
  NOT_SIGNED: { indication: 'INDETERMINATE', sub: 'SIGNED_DATA_NOT_FOUND' },
  MALFORMED_SIGNATURE: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  DUPLICATE_OBJECT: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  XREF_INVALID: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  AMBIGUOUS_STRUCTURE: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  DYNAMIC_CONTENT: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  OUTSIDE_LETTER_PROFILE: { indication: 'INDETERMINATE', sub: 'SIG_CONSTRAINTS_FAILURE' },
  DIGEST_MISMATCH: { indication: 'TOTAL_FAILED', sub: 'HASH_FAILURE' },
  MODIFIED_AFTER_SIGNING: { indication: 'TOTAL_FAILED', sub: 'HASH_FAILURE' },
  UNEXPECTED_OBJECT: { indication: 'TOTAL_FAILED', sub: 'HASH_FAILURE' },
  SHARED_SIGNATURE_VALUE: { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' },
  SIGNATURE_INVALID: { indication: 'TOTAL_FAILED', sub: 'SIG_CRYPTO_FAILURE' },
  CERTIFICATE_REVOKED: { indication: 'TOTAL_FAILED', sub: 'REVOKED' },
  WEAK_ALGORITHM: { indication: 'INDETERMINATE', sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' },
  SIGNER_NOT_TRUSTED: { indication: 'INDETERMINATE', sub: 'NO_CERTIFICATE_CHAIN_FOUND' },
  CHAIN_INCOMPLETE: { indication: 'INDETERMINATE', sub: 'NO_CERTIFICATE_CHAIN_FOUND' },
  CHAIN_TOO_COMPLEX: { indication: 'INDETERMINATE', sub: 'CERTIFICATE_CHAIN_GENERAL_FAILURE' },
  CERTIFICATE_EXPIRED: { indication: 'INDETERMINATE', sub: 'OUT_OF_BOUNDS_NO_POE' },
  CERTIFICATE_NOT_YET_VALID: { indication: 'INDETERMINATE', sub: 'NOT_YET_VALID' },
  KEY_USAGE: { indication: 'INDETERMINATE', sub: 'CHAIN_CONSTRAINTS_FAILURE' },
  UNSUPPORTED_CRITICAL_EXTENSION: { indication: 'INDETERMINATE', sub: 'CHAIN_CONSTRAINTS_FAILURE' },
  REVOCATION_UNKNOWN: { indication: 'INDETERMINATE', sub: 'TRY_LATER' },
  REVOCATION_STALE: { indication: 'INDETERMINATE', sub: 'TRY_LATER' },
};

/** The standard's verdict for a reason (null: TOTAL-PASSED). */
export function indicationOf(reason: SignatureReason | null): {
  indication: Indication;
  sub: SubIndication | null;
} {
  if (reason === null) {
    return { indication: 'TOTAL_PASSED', sub: null };
  }
  return REASON_INDICATION[reason] ?? { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' };
}

/**
 * What a file is, for a decision: every signature TOTAL-PASSED and no field left empty
 * ('valid'); every signature passed but a reserved field still empty ('awaiting_countersignature');
 * or its verdict otherwise. Each has its own exit code in `awb verify`.
 */
export const FILE_STATUSES = [
  'valid',
  'awaiting_countersignature',
  'invalid',
  'indeterminate',
] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** `awb verify`'s exit code per file status (2 is a usage error). */
export const VERIFY_EXIT: Record<FileStatus, number> = {
  valid: 0,
  invalid: 1,
  indeterminate: 3,
  awaiting_countersignature: 4,
};

export const SIGNATURE_WARNINGS = [
  /** A CRL for a certificate on the path is past its nextUpdate. */
  'CRL_STALE',
  /** No CRL in the trust store covers a certificate on the path. */
  'REVOCATION_UNCHECKED',
  /** The signature is CMS but not PAdES baseline B-B (no signing-certificate-v2, or a CMS signing-time). */
  'NOT_PADES',
] as const;
export type SignatureWarning = (typeof SIGNATURE_WARNINGS)[number];

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  fingerprint: string;
}

/** One signature of a PDF, as the verifier found it. */
export interface SignatureReport {
  /** The signature field's fully qualified name. */
  field: string;
  /**
   * 'valid' (TOTAL-PASSED): intact and from a trusted, valid signer whose revocation status is
   * known; 'invalid' (TOTAL-FAILED) or 'indeterminate' otherwise, with the reason.
   */
  status: 'valid' | 'invalid' | 'indeterminate';
  indication: Indication;
  subIndication: SubIndication | null;
  reason: SignatureReason | null;
  /** A short technical note on the reason (English, for logs and experts). */
  detail: string | null;
  warnings: SignatureWarning[];
  signer: CertificateSummary | null;
  /** The path from the signer to the trust anchor it ends at (signer first). */
  path: CertificateSummary[];
  /** The time the signature claims (/M or signing-time): not vouched for by anyone. */
  claimedTime: string | null;
  /** The revision (1 = original) whose end the signature covers, and how many the file has. */
  revision: number | null;
  /** Whether the signature covers the whole file as it is. */
  coversWholeFile: boolean;
  subFilter: string | null;
  /** 'PAdES-B-B' for ETSI.CAdES.detached with signing-certificate-v2 and no CMS signing-time. */
  level: 'PAdES-B-B' | 'CMS' | null;
}

/**
 * Why two signatures are not two people (electron/signing/four-eyes.ts): the same key, one
 * issued with the other's key, the same person by the policy, not trusted as an authority, or
 * trusted only as itself rather than certified by a CA trusted as the authority.
 */
export const FOUR_EYES_REFUSALS = [
  'SAME_KEY',
  'ISSUED_BY_FIRST_SIGNER',
  'SAME_PERSON',
  'NOT_TRUSTED_AS_AUTHORITY',
  'NOT_CERTIFIED_BY_AUTHORITY',
  /** A letter whose decision needs four eyes with one signature: no second person at all. */
  'NO_SECOND_SIGNATURE',
] as const;
export type FourEyesRefusal = (typeof FOUR_EYES_REFUSALS)[number];

/**
 * What a letter's signed keywords declare of its decision, read by a verifier that holds no
 * record of it (`awb verify`, the Exchange screen): a decision of a type and level needing one
 * or two signatures (`required`: what it declares, or more where this installation's rules ask
 * more); nothing (`none`: four eyes judged only where two signed); or a declaration that cannot
 * be read as the workbench writes it (`unreadable`: held to two signatures).
 */
export type LetterDeclaration =
  | { kind: 'none' }
  | { kind: 'unreadable' }
  | {
      kind: 'declared';
      reference: string;
      type: DecisionType;
      /** The system's highest level code, null for none. */
      level: string | null;
      declared: 1 | 2;
      required: 1 | 2;
    };

export interface PdfVerification {
  /**
   * True when the file has at least one signature, every one is TOTAL-PASSED, and no signature
   * field is left empty: only then does it stand for a decision.
   */
  valid: boolean;
  status: FileStatus;
  /** The verdict over all signatures: the worst of theirs (TOTAL-FAILED before INDETERMINATE). */
  indication: Indication;
  subIndication: SubIndication | null;
  /** The first refusal, for one-line reports (null when every signature passed). */
  reason: SignatureReason | null;
  revisions: number;
  signatures: SignatureReport[];
  /** Signature fields without a value (reserved for a signer still to come). */
  unsignedFields: string[];
  /**
   * Where a file of two signatures was refused because its signers are not two people (judged
   * after the signatures, through anchors trusted as an authority), why.
   */
  fourEyes?: { reason: FourEyesRefusal; detail: string } | null;
  /** What four eyes was judged by: the decision the letter declares (set where it was judged). */
  declaration?: LetterDeclaration;
  /**
   * Judged as a decision letter (`awb verify --role authority`): a letter whose keywords
   * declare no decision as the workbench writes them is not taken as one.
   */
  notADecision?: boolean;
}

/**
 * A file refused after its signatures were judged, for a rule beyond them (e.g. four eyes): each
 * signature's report is kept, the file is TOTAL-FAILED and its reason is the caller's to name.
 */
export function refuseFile(verification: PdfVerification): PdfVerification {
  return {
    ...verification,
    valid: false,
    status: 'invalid',
    indication: 'TOTAL_FAILED',
    subIndication: null,
    reason: null,
  };
}

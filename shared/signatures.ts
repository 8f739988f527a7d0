/**
 * What a signature check can say, as stable codes both sides translate: the reason a signature
 * is refused, and the warnings that accompany one that passes. One code per reason, so a forged
 * letter, an untrusted signer and a damaged file read differently.
 */
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
] as const;
export type SignatureReason = (typeof SIGNATURE_REASONS)[number];

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
  /** 'valid': intact and from a trusted, valid signer; otherwise the reason it is not. */
  status: 'valid' | 'invalid';
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

export interface PdfVerification {
  /** True when the file has at least one signature and every one is valid. */
  valid: boolean;
  /** The first refusal, for one-line reports (null when valid). */
  reason: SignatureReason | null;
  revisions: number;
  signatures: SignatureReport[];
}

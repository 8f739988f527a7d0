/**
 * The exchange of packages as both sides see it: the kinds, and the reasons a package is
 * refused — one each, so a wrong recipient, an untrusted sender, a replay and a wrong role read
 * differently, in the command line and the window.
 */
export const PACKAGE_KINDS = ['submission', 'decision'] as const;

/**
 * What a trusted certificate may do beyond verifying documents: send decision packages (and
 * receive submissions: 'authority') or send submissions (and receive decisions: 'owner').
 */
export const TRUST_ROLES = ['documents', 'authority', 'owner'] as const;
export type TrustRole = (typeof TRUST_ROLES)[number];

export function isTrustRole(value: unknown): value is TrustRole {
  return typeof value === 'string' && (TRUST_ROLES as readonly string[]).includes(value);
}
export type PackageKind = (typeof PACKAGE_KINDS)[number];

export const PACKAGE_REASONS = [
  'NOT_A_PACKAGE',
  'MALFORMED',
  'PATH_TRAVERSAL',
  'LINK',
  'TOO_LARGE',
  'TOO_MANY_ENTRIES',
  'TOO_DEEP',
  'DUPLICATE_ENTRY',
  'UNLISTED_ENTRY',
  'MISSING_PART',
  'HASH_MISMATCH',
  'WRONG_RECIPIENT',
  'DECRYPTION_FAILED',
  'SIGNATURE_INVALID',
  'MARKING_MISMATCH',
  'UNTRUSTED_SENDER',
  'WRONG_SENDER_ROLE',
  'NOT_SYSTEM_OWNER',
  'WRONG_KIND',
  'PACKAGE_REPLAYED',
  'PACKAGE_STALE',
  'OUT_OF_SEQUENCE',
  'TRANSITION_NOT_ALLOWED',
  'REFERENCE_CLASH',
  'DOSSIER_MISMATCH',
  'UNKNOWN_CASE',
  /** A decision that needs four eyes whose letter is not signed by two people trusted as the authority. */
  'FOUR_EYES_NOT_MET',
] as const;
export type PackageReason = (typeof PACKAGE_REASONS)[number];

export function isPackageReason(value: unknown): value is PackageReason {
  return typeof value === 'string' && (PACKAGE_REASONS as readonly string[]).includes(value);
}

/**
 * One thing an import would change, as data: the window and the command line each say it in
 * their language (see previewLine).
 */
export type PreviewChange =
  | { what: 'system'; ref: string; added: boolean }
  | { what: 'case'; ref: string; added: boolean; states: string[] }
  | { what: 'answers' | 'evidence' | 'risks' | 'findings' | 'verdicts'; n: number }
  | { what: 'decision'; ref: string; type: string };

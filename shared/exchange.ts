/**
 * The exchange of packages as both sides see it: the kinds, and the reasons a package is
 * refused — one each, so a wrong recipient, an untrusted sender, a replay and a wrong role read
 * differently, in the command line and the window.
 */
export const PACKAGE_KINDS = ['submission', 'decision'] as const;

/**
 * The lifecycle steps at which an owner's submission package is sent: for assessment, or with
 * the remediation asked for. The core refuses it at any other (NOT_SENT_NOW); the window offers
 * it disabled then, saying which step it needs.
 */
export const SUBMISSION_SENT_IN = ['submitted', 'awaiting_remediation'] as const;

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
  /**
   * A decision record whose reference or terms (type, validity, scope, accepted risks, dossier,
   * signatures required) are not those its signed letter binds.
   */
  'DECISION_MISMATCH',
  'UNKNOWN_CASE',
  /** A decision that needs four eyes whose letter is not signed by two people trusted as the authority. */
  'FOUR_EYES_NOT_MET',
  /** A later package (after the first of its case) that names no previous package. */
  'PREVIOUS_MISSING',
  /** The signed marking is below the level this vault knows for the system. */
  'MARKING_BELOW_SYSTEM',
  /** A row by id that exists here and is not the sender's own (the other side's risk, say). */
  'NOT_SENDERS_ROW',
  /** A row of another case or system than the one the package is about. */
  'OUTSIDE_CASE',
  /** An acceptance in another role than the one the signer is trusted in. */
  'ACCEPTANCE_NOT_SENDERS',
  /** A lifecycle step that is the other side's to take (shared/lifecycle.ts, stepTakers). */
  'STEP_NOT_SENDERS',
  /**
   * A row that breaks a rule of sense (shared/sense.ts): a validity that ends before it starts,
   * a deadline already past when it was set, a requirement the case does not have.
   */
  'IMPOSSIBLE_CONTENT',
  /**
   * A submission whose case uses a catalogue this vault does not hold by that id and version,
   * the same by content hash (or, for the shipped baseline, the copy shipped with the
   * application): a package never adds or changes a catalogue.
   */
  'CATALOGUE_UNKNOWN',
  /**
   * A submission whose risks are scored on a matrix this vault does not hold, or holds otherwise:
   * the owner scores on the authority's criteria, and a package never adds or changes them.
   */
  'MATRIX_UNKNOWN',
  /** A system level the package names that this vault's classification scheme does not know. */
  'LEVEL_UNKNOWN',
  /** The sender's audit trail is shorter than a package of theirs cited before (rolled back). */
  'SENDER_TRAIL_SHORTER',
  /** The sender's trail is as long as one cited before but ends otherwise (forked). */
  'SENDER_TRAIL_FORKED',
  /**
   * A system the submission creates that local entry would refuse (shared/register.ts,
   * SystemInput): no levels, a domain twice, a reference or a text outside its bounds.
   */
  'SYSTEM_INVALID',
  /** An evidence item marked above the package's signed marking (read by this vault's scheme). */
  'MARKING_BELOW_EVIDENCE',
  /** Dated before the newest package already taken from the same signer, in any case. */
  'PACKAGE_BACKDATED',
  /** Dated more than PACKAGE_CLOCK_SKEW_MINUTES ahead of this vault's clock. */
  'PACKAGE_FROM_FUTURE',
  /** A `replyTo` naming an encryption certificate that is not the system's bound owner's. */
  'REPLY_TO_NOT_OWNER',
  /** One evidence id for two files: twice in the package, or one held here with other content. */
  'EVIDENCE_ID_REUSED',
  /** Two rows of one table of the package with the same id (or, for answers and verdicts, requirement). */
  'DUPLICATE_ROW',
  /** A verdict changed by a package while the case is not under review, here or on the package's steps. */
  'VERDICT_LOCKED',
] as const;

/**
 * How far ahead of the receiver's clock a package's `createdAt` may be (two machines' clocks
 * differ a little); a package dated later is PACKAGE_FROM_FUTURE.
 */
export const PACKAGE_CLOCK_SKEW_MINUTES = 10;
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
  | { what: 'decision'; ref: string; type: string }
  /** The catalogue the case uses: this vault's own copy, by id, version and content hash. */
  | { what: 'catalogue'; ref: string; sha256: string }
  /** Answers to requirements that do not apply to the system here: not taken. */
  | { what: 'notApplicable'; refs: string[] }
  | PreviewRow;

/** The rows a package adds or changes, each named in previews and in the import's audit row. */
export const PREVIEW_TABLES = [
  'system',
  'case',
  'sender',
  'answer',
  'verdict',
  'evidence',
  'risk',
  'acceptance',
  'finding',
  'matrix',
] as const;
export type PreviewTable = (typeof PREVIEW_TABLES)[number];

/**
 * One row a package adds or changes, field by field (from → to; from is null for a new row).
 * Values are as stored, shortened to PREVIEW_VALUE_MAX characters. An acceptance is added with
 * `valid` saying whether this vault's criteria let it count.
 */
export interface PreviewRow {
  what: 'row';
  table: PreviewTable;
  ref: string;
  added: boolean;
  fields: { field: string; from: string | null; to: string | null }[];
  valid?: boolean;
}

export const PREVIEW_VALUE_MAX = 120;

/**
 * Stable error codes: the only failure vocabulary that crosses a process boundary.
 * The renderer and the CLI translate a code (see shared/i18n); the English `message`
 * that travels with it is a fallback for logs, never shown instead of the translation.
 * Codes are append-only: never rename or reuse one.
 */
export const ERROR_CODES = [
  // IPC and generic
  'VALIDATION_FAILED',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'NOT_FOUND',
  'EXTERNAL_URL_REFUSED',
  'PREFERENCES_UNAVAILABLE',
  // vault
  'WRONG_PASSPHRASE',
  'CORRUPTED_HEADER',
  'CORRUPTED_BODY',
  'TRUNCATED',
  'CORRUPTED_CONTENT',
  'NEWER_VERSION',
  'UNSAFE_PARAMETERS',
  'EXTERNAL_CHANGE',
  'LOCKED_BY_OTHER',
  'VAULT_LOCKED',
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'FOLDER_NOT_WRITABLE',
  'WEAK_PASSPHRASE',
  'WRONG_RECOVERY_KEY',
  'AUDIT_CHAIN_BROKEN',
  'SAVE_FAILED',
  'NO_GENERATION',
  'BLOB_CORRUPTED',
  'TRANSITION_REFUSED',
  // risk assessment
  'RISK_CRITERIA_MISSING',
  'RISK_ACCEPTANCE_REFUSED',
  // documents, signatures, exchange
  'DOCUMENT_TIMEOUT',
  'DOCUMENT_FAILED',
  'SIGNING_IDENTITY_INVALID',
  'WRONG_P12_PASSWORD',
  'NO_SIGNING_IDENTITY',
  'SIGNATURE_INVALID',
  'PACKAGE_REJECTED',
  'PREVIEW_TOO_LARGE',
  'ITEM_LOCKED',
  // signatures: smart cards and HSMs, four eyes
  'PKCS11_UNAVAILABLE',
  'PKCS11_FAILED',
  'TOKEN_NOT_FOUND',
  'WRONG_PIN',
  'PIN_LOCKED',
  'COUNTERSIGNATURE_REFUSED',
  // vault integrity
  'VAULT_BUSY',
  // exchange v2
  'EXPORT_REFUSED',
  'NO_RECIPIENT',
  // signatures round two: tokens whose certificate and key disagree, tokens removed
  'TOKEN_KEY_MISMATCH',
  'TOKEN_NOT_PRESENT',
  // four eyes: a decision that needs two signs only with a certificate a CA vouches for
  'FOUR_EYES_SIGNER_NOT_CERTIFIED',
  // the exchange round two: an encryption key exported for checking packages by hand
  'KEY_EXPORT_REFUSED',
  // vault round two: a broken trail stops the vault, rollback, a journaled re-key
  'VAULT_READ_ONLY',
  'ROLLBACK_SUSPECTED',
  'REKEY_PENDING',
  'NO_AUDIT_BREAK',
  // a re-key past its new main file: only the new passphrase finishes it
  'REKEY_UNFINISHED',
  // kept form text in a file the vault's current key does not open (left by an old key)
  'DRAFTS_STALE',
  // a copy of vault data under a name the workbench never writes, which a re-key removes
  'STRAY_COPY',
  // trust after comparison: a certificate is trusted only once its fingerprint was compared
  'TRUST_NOT_COMPARED',
  'TRUST_FINGERPRINT_MISMATCH',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Machine-readable detail attached to an error; must never contain secrets, SQL or paths. */
export type ErrorDetails = Record<string, unknown> | undefined;

/**
 * The one error type the core throws on purpose. Anything else that escapes a handler is
 * reported as INTERNAL without its message (it might contain SQL, a path or a key).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details?: ErrorDetails) {
    super(message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

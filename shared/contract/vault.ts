/**
 * The vault: its state, creation, unlock and recovery, drafts kept across a lock, re-keying,
 * generations, the explanation of a broken trail.
 */
import { z } from 'zod';
import { REF_PREFIX } from '../references';
import { TEXT_MAX } from '../limits';
import { ERROR_CODES } from '../errors';
import { Empty, FolderSchema, event, invoke } from './common';

export const VaultStateSchema = z.enum(['none', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof VaultStateSchema>;

const PassphraseSchema = z.string().min(1).max(1024);

export const RoleSchema = z.enum(['accreditor', 'system_owner']);

export const ProfileSchema = z
  .object({
    name: z.string().trim().min(1).max(TEXT_MAX.name),
    organisation: z.string().trim().min(1).max(TEXT_MAX.organisation),
    role: RoleSchema,
    /** The prefix of the vault's references; chosen at creation (default: the organisation's initials). */
    referencePrefix: z.string().regex(REF_PREFIX).optional(),
  })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * Unsaved form text the renderer hands to the core to keep across a lock (issue 22): the screen
 * (its route), the form's name on it and the form's value. Sealed beside the vault, never plain.
 */
export const DraftSchema = z
  .object({
    route: z.string().max(500),
    form: z.string().min(1).max(100),
    value: z.unknown(),
  })
  .strict();
export type Draft = z.infer<typeof DraftSchema>;
/** At most 256 KiB of drafts (as JSON): a form's text, not a file. */
export const DRAFTS_MAX_BYTES = 256 * 1024;
export const DraftsSchema = z
  .array(DraftSchema)
  .max(50)
  .refine((drafts) => JSON.stringify(drafts).length <= DRAFTS_MAX_BYTES, {
    message: 'drafts too large',
  });

/** Why the vault is locked: by the user, after the idle time, or by the system (suspend, screen lock). */
export const LockReasonSchema = z
  .object({
    reason: z.enum(['user', 'idle', 'system']),
    /** The idle time that passed, in minutes (reason 'idle'). */
    minutes: z.number().int().optional(),
    /** How many forms' unsaved text the lock kept (sealed), to offer after unlock. */
    kept: z.number().int().optional(),
  })
  .strict();
export type LockReason = z.infer<typeof LockReasonSchema>;

export const VaultStatusSchema = z
  .object({
    state: VaultStateSchema,
    folder: z.string().nullable(),
    profile: ProfileSchema.nullable(),
    recoveryKey: z
      .object({ present: z.boolean(), createdAt: z.string().nullable(), confirmed: z.boolean() })
      .strict()
      .nullable(),
    audit: z
      .object({
        intact: z.boolean(),
        rows: z.number().int(),
        brokenAt: z.number().int().optional(),
      })
      .strict()
      .nullable(),
    /**
     * The database checks run right after unlock (SQLite integrity and foreign keys, the whole
     * audit chain): still running, passed, or failed (then nothing is saved until restored).
     */
    integrity: z.enum(['checking', 'ok', 'failed']).nullable(),
    /** Groups of the new recovery key the user must type back (1-based), while unconfirmed. */
    confirmGroups: z.array(z.number().int()).nullable(),
    /** While locked in this run: why it locked (the lock screen says so). */
    locked: LockReasonSchema.nullable().optional(),
    /**
     * Set while the vault is read-only: its audit trail is broken (the first break, with the
     * hash expected there and the one found), or it does not reach a head it reached before (a
     * rollback, suspected: the head not reached and the vault file's), until a signed
     * explanation is recorded.
     */
    readOnly: z
      .object({
        reason: z.enum(['AUDIT_CHAIN_BROKEN', 'ROLLBACK_SUSPECTED']),
        row: z.number().int(),
        kind: z.enum(['link', 'content', 'sequence', 'anchor', 'signature']),
        expected: z.string(),
        found: z.string(),
        /** The rollback is one a restore of this vault made (since the last explanation). */
        restored: z.literal(true).optional(),
      })
      .strict()
      .nullable()
      .optional(),
    /** Kept generations whose audit trail the vault file does not reach (rollback suspected). */
    rollback: z
      .array(
        z
          .object({
            generation: z.number().int(),
            rows: z.number().int(),
            mainRows: z.number().int(),
          })
          .strict(),
      )
      .optional(),
    /** What this unlock did with a re-key an earlier process left unfinished. */
    rekey: z
      .object({ state: z.enum(['finished', 'undone', 'refused']), code: z.string().optional() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

export const GenerationSchema = z
  .object({ generation: z.number().int(), size: z.number().int(), modifiedAt: z.string() })
  .strict();

export const vaultChannels = {
  'vault:status': invoke(Empty, VaultStatusSchema),
  'vault:create': invoke(
    z
      .object({ folder: FolderSchema, passphrase: PassphraseSchema, profile: ProfileSchema })
      .strict(),
    z.object({ recoveryKey: z.string(), status: VaultStatusSchema }).strict(),
  ),
  'vault:confirmRecoveryKey': invoke(
    z
      .object({
        answers: z
          .array(
            z.object({ group: z.number().int().min(1).max(20), text: z.string().max(64) }).strict(),
          )
          .min(1)
          .max(20),
      })
      .strict(),
    VaultStatusSchema,
  ),
  'vault:unlock': invoke(
    z.object({ folder: FolderSchema, passphrase: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:recover': invoke(
    z
      .object({
        folder: FolderSchema,
        recoveryKey: z.string().min(1).max(200),
        newPassphrase: PassphraseSchema,
      })
      .strict(),
    VaultStatusSchema,
  ),
  /** Locks the vault; the drafts are the forms' unsaved text, kept sealed until the next unlock. */
  'vault:lock': invoke(z.object({ drafts: DraftsSchema.optional() }).strict(), VaultStatusSchema),
  /** The forms' unsaved text now (replacing what was kept): sealed beside the vault at once. */
  'vault:keepDrafts': invoke(
    z.object({ drafts: DraftsSchema }).strict(),
    z.object({ kept: z.number().int() }).strict(),
  ),
  /** The unsaved text kept when the vault last locked, until the forms answer (restored or discarded). */
  'vault:takeDrafts': invoke(Empty, z.object({ drafts: z.array(DraftSchema) }).strict()),
  'vault:changePassphrase': invoke(
    z.object({ current: PassphraseSchema, next: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:newRecoveryKey': invoke(
    z.object({ current: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:pendingRecoveryKey': invoke(
    Empty,
    z.object({ recoveryKey: z.string().nullable() }).strict(),
  ),
  'vault:generations': invoke(
    z.object({ folder: FolderSchema }).strict(),
    z.object({ generations: z.array(GenerationSchema) }).strict(),
  ),
  'vault:restore': invoke(
    z
      .object({
        folder: FolderSchema,
        generation: z.number().int().min(1).max(9),
        passphrase: PassphraseSchema,
      })
      .strict(),
    VaultStatusSchema,
  ),
  'vault:pickFolder': invoke(Empty, z.object({ folder: z.string().nullable() }).strict()),
  /**
   * Records the signed explanation of a broken audit trail (read-only until then): an audit
   * row citing every break, signed with one of the vault's signing identities; the trail is
   * anchored again and the vault saved.
   */
  'vault:explainBreak': invoke(
    z
      .object({
        text: z.string().trim().min(1).max(4000),
        identityId: z.string().uuid(),
        pin: z.string().max(256).nullable().optional(),
      })
      .strict(),
    z
      .object({ row: z.number().int(), breaks: z.number().int(), status: VaultStatusSchema })
      .strict(),
  ),
  'vault:stateChanged': event(z.object({ state: VaultStateSchema }).strict()),
  'vault:saveFailed': event(z.object({ code: z.enum(ERROR_CODES) }).strict()),
} as const;

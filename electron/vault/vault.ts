/**
 * A vault folder: `vault.awb` (the container), `vault.awb.1…3` (previous generations),
 * `blobs/` (evidence, sealed one file each), `vault.lock`. This module owns the keys, the
 * open database and the atomic save (docs/architecture.md):
 *
 *   no open transaction → export (pragmas re-applied) → on-disk fingerprint still ours
 *   (else EXTERNAL_CHANGE, nothing written) → seal → temp file in the folder, 0600, write,
 *   fsync, close → rotate generations (.2→.3, .1→.2, hard link main→.1) → rename temp over
 *   main → fsync the folder.
 *
 * The main file name always points at a complete container: rotation links rather than
 * moves, and the final rename is atomic. A failure at any step leaves the previous state and
 * removes the temp file.
 *
 * A vault whose audit trail is broken (the chain, or the header's anchor) opens read-only:
 * every change and every save is refused (VAULT_READ_ONLY) until a signed explanation of the
 * break is recorded (`explainBreak`), which anchors the trail again. A re-key is journaled
 * (rekey-journal.ts): a process killed at any step has it finished at the next unlock.
 *
 * Longer than 500 lines: the vault's life and its crash-safe save (generations, journal, re-key)
 * in one class whose invariants span its methods.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { AppError, isAppError } from '../../shared/errors';
import { REF_PREFIX, suggestPrefix } from '../../shared/references';
import {
  anchorBreak,
  anchorMismatch,
  appendAudit,
  auditHead,
  breakKey,
  EXPLANATION_ACTION,
  explainedBreaks,
  rowHashAt,
  verifyAuditChain,
  walkAuditChain,
  type Actor,
  type AuditBreak,
  type AuditEntry,
  type ChainReport,
} from '../db/audit';
import { checkInBackground, type IntegrityReport } from '../db/checks';
import {
  checkIntegrity,
  exportDatabase,
  loadSqlJs,
  LATEST_SCHEMA_VERSION,
  openDatabase,
  schemaVersion,
  WriteQueue,
} from '../db/engine';
import type { CmsSigner } from '../signing/cms';
import {
  decodeContainer,
  decodeHeader,
  FORMAT_VERSION,
  MAX_HEADER_BYTES,
  sealParts,
  SLOT_PASSPHRASE,
  SLOT_RECOVERY,
  unwrapKey,
  wrapKey,
  openBody,
  type AuditAnchor,
  type Decoded,
  type KeySlot,
  type VaultHeader,
} from './container';
import { BlobStore } from './blobs';
import {
  acknowledgedHeads,
  explanationFault,
  explanationDamage,
  explanationFaults,
  explanationSignerFault,
  identitiesAdded,
  vouchedPrefix,
  explanationStatement,
  signStatement,
  type ExplanationRecord,
  type TrailHead,
} from './explanation';
import type { HeadMemory } from './head-memory';
import { ImportJournal } from './import-journal';
import {
  DRAFTS_FILE,
  openDrafts,
  readDraftsFile,
  removeDraftsFile,
  sealDrafts,
  writeDraftsFile,
} from './drafts';
import { folderInventory, isFolderFile } from './inventory';
import { nodeFs, sameFingerprint, type Fingerprint, type FsOps } from './fsops';
import {
  checkConfigKdf,
  checkKdfParams,
  deriveKey,
  KDF_ARGON2ID,
  kdfUpgrade,
  SHIPPED_KDF,
  SHIPPED_LIMITS,
  type KdfLimits,
  type KdfParams,
} from './kdf';
import { FolderLock } from './lockfile';
import { generateRecoveryKey, parseRecoveryKey, recoveryKek } from './recovery';
import {
  inspectJournal,
  journalAuthentic,
  macJournal,
  openBack,
  openForward,
  openRecoveryKey,
  readJournal,
  removeJournal,
  sealBack,
  sealForward,
  sealRecoveryKey,
  slotsFromJson,
  slotsToJson,
  writeJournal,
  type RekeyJournalData,
  type RekeyStep,
} from './rekey-journal';

export const VAULT_FILE = 'vault.awb';
export const LOCK_FILE = 'vault.lock';
export const BLOB_DIR = 'blobs';
const TEMP_MARK = '.tmp-';
const ADDRESS = /^[0-9a-f]{64}$/;

export interface VaultConfig {
  /** What new passphrase slots are derived with, and what weaker headers are re-wrapped to. */
  kdf: KdfParams;
  /** The headers refused outright (below `minimum`, above `ceiling`). */
  limits: KdfLimits;
  generations: number;
  fs: FsOps;
  now: () => Date;
  /**
   * Told each step of a re-key as it is reached (with the evidence file's number at
   * `evidence`): the kill tests stop the process there. Never set in the shipped configuration.
   */
  rekeyStep?: (step: RekeyStep, n: number) => void;
  /**
   * The newest audit head this machine has seen for each vault, kept outside the vault folder
   * (head-memory.ts): a main file whose trail does not reach it is ROLLBACK_SUSPECTED. The app
   * and the command line set it; without it only the kept generations can tell.
   */
  heads?: HeadMemory;
}

/**
 * What ships. Tests pass their own config (a cheap KDF only a test can declare, kdf.ts);
 * any other config below the shipped floor is refused by `checkConfigKdf` before anything runs.
 */
export const PRODUCTION_CONFIG: Readonly<VaultConfig> = Object.freeze({
  kdf: SHIPPED_KDF,
  limits: SHIPPED_LIMITS,
  generations: 3,
  fs: nodeFs,
  now: () => new Date(),
});

export interface Profile {
  name: string;
  organisation: string;
  role: Actor['role'];
  /** The prefix of the vault's references (default: the organisation's initials). */
  referencePrefix?: string;
}

export type Secret = { passphrase: string } | { recoveryKey: string };

/**
 * Why a vault is read-only: its trail is broken (the first break), or it does not reach a head
 * it reached before (a rollback, suspected: `row` is the main trail's length, `expected` the
 * head not reached, `found` the main trail's head).
 */
export interface ReadOnlyState {
  reason: 'AUDIT_CHAIN_BROKEN' | 'ROLLBACK_SUSPECTED';
  row: number;
  kind: AuditBreak['kind'];
  expected: string;
  found: string;
  /** A rollback a restore of this trail made (no explanation since): the user's own, usually. */
  restored?: true;
}

/**
 * A head the main file's trail does not reach (longer, or another branch): a kept generation's
 * (`generation` 1…n), or the newest head this machine remembers for the vault (`generation` 0).
 */
/** The generation a rollback finding names when it comes from a kept damaged copy. */
export const COPY_GENERATION = -1;

export interface RollbackFinding {
  /** The kept generation, 0 for this machine's memory, COPY_GENERATION for a damaged copy. */
  generation: number;
  rows: number;
  head: string;
  mainRows: number;
}

/** What the unlock did with a re-key it found unfinished. */
export type RekeyNotice =
  | { state: 'finished' }
  | { state: 'undone'; code: string }
  /** A file in the journal's place that was no journal of this vault's: removed, not acted on. */
  | { state: 'refused'; code: 'REKEY_JOURNAL_FOREIGN' };

export function vaultPath(folder: string, generation = 0): string {
  return join(folder, generation === 0 ? VAULT_FILE : `${VAULT_FILE}.${generation}`);
}

/** Removes temp files a crashed save left behind (they never hold anything not elsewhere). */
export function cleanStaleTemps(folder: string): number {
  let removed = 0;
  for (const dir of [folder, join(folder, BLOB_DIR)]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.includes(TEMP_MARK)) {
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}

export function listGenerations(
  folder: string,
  config: Pick<VaultConfig, 'generations'> = PRODUCTION_CONFIG,
) {
  const out: { generation: number; size: number; modifiedAt: string }[] = [];
  for (let g = 1; g <= config.generations; g++) {
    try {
      const s = statSync(vaultPath(folder, g));
      out.push({ generation: g, size: s.size, modifiedAt: s.mtime.toISOString() });
    } catch {
      // not there
    }
  }
  return out;
}

async function readContainer(path: string, fs: FsOps, limits: KdfLimits): Promise<Decoded> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('VAULT_NOT_FOUND', 'No vault in this folder');
    }
    throw error;
  }
  return decodeContainer(bytes, { maxSchemaVersion: LATEST_SCHEMA_VERSION, limits });
}

/** The header of a container file, from its first bytes only; null when absent or damaged. */
export function peekHeader(path: string, limits: KdfLimits): VaultHeader | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const prefix = Buffer.alloc(MAX_HEADER_BYTES);
    const length = readSync(fd, prefix, 0, prefix.length, 0);
    return decodeHeader(prefix.subarray(0, length), {
      maxSchemaVersion: LATEST_SCHEMA_VERSION,
      limits,
    }).header;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export async function unlockDataKey(decoded: Decoded, secret: Secret): Promise<Buffer> {
  const { header } = decoded;
  if ('passphrase' in secret) {
    const kek = await deriveKey(secret.passphrase, header.salt, header.kdf);
    const slot = header.slots.find((s) => s.type === SLOT_PASSPHRASE);
    const key = slot ? unwrapKey(kek, slot) : null;
    kek.fill(0);
    if (!key) {
      throw new AppError('WRONG_PASSPHRASE', 'Passphrase does not open the vault');
    }
    return key;
  }
  const bytes = parseRecoveryKey(secret.recoveryKey);
  const kek = recoveryKek(bytes);
  bytes.fill(0);
  const slot = header.slots.find((s) => s.type === SLOT_RECOVERY);
  const key = slot ? unwrapKey(kek, slot) : null;
  kek.fill(0);
  if (!key) {
    throw new AppError('WRONG_RECOVERY_KEY', 'Recovery key does not open the vault');
  }
  return key;
}

/**
 * The old data key of an unfinished re-key, through its journal: the new passphrase (or the
 * new recovery key) opens the journal's new key slots, and the new data key the old one.
 */
async function journalOldKey(
  journal: RekeyJournalData,
  secret: Secret,
  limits: KdfLimits,
): Promise<Buffer | null> {
  const slots = slotsFromJson(journal.header.slots);
  let newKey: Buffer | null;
  if ('passphrase' in secret) {
    checkKdfParams(KDF_ARGON2ID, journal.header.kdf, limits);
    const kek = await deriveKey(
      secret.passphrase,
      Buffer.from(journal.header.salt, 'hex'),
      journal.header.kdf,
    );
    const slot = slots.find((s) => s.type === SLOT_PASSPHRASE);
    newKey = slot ? unwrapKey(kek, slot) : null;
    kek.fill(0);
  } else {
    const bytes = parseRecoveryKey(secret.recoveryKey);
    const kek = recoveryKek(bytes);
    bytes.fill(0);
    const slot = slots.find((s) => s.type === SLOT_RECOVERY);
    newKey = slot ? unwrapKey(kek, slot) : null;
    kek.fill(0);
  }
  if (!newKey) {
    return null;
  }
  const old = openBack(newKey, journal);
  newKey.fill(0);
  return old;
}

/**
 * An unlock whose secret does not open the main file of a committed re-key (the old
 * passphrase or recovery key, after the new main file was written): the re-key is finished
 * by the new passphrase only — the old secret must never reach the new key — but everything
 * the journal lists under the old key that can go without the new key goes now, so that the
 * old secret opens nothing in the folder: the generations whose passphrase slot is not the
 * main file's (or, undecodable, the very files listed), the damaged copies whose header shows
 * another slot, the temp files;
 * and the journal drops the new key sealed under the old one. Evidence files under their old
 * addresses stay until the new passphrase finishes the re-key (whether one is still referred
 * to is in the database, under the new key); no file left holds an old key slot, so the old
 * secret alone opens none of them. Returns how many files went.
 */
async function removeOldKeyFiles(
  folder: string,
  journal: RekeyJournalData,
  header: VaultHeader,
  config: VaultConfig,
): Promise<number> {
  const { fs } = config;
  let removed = 0;
  const remove = async (path: string) => {
    try {
      await fs.unlink(path);
      removed++;
    } catch {
      // absent, or not removable now: the new passphrase's unlock tries again
    }
  };
  // `back` (the old data key sealed under the new one) stays: only the new key opens it, and
  // the new passphrase's unlock needs it to carry kept form text not carried yet.
  if (journal.forward || !journal.committed) {
    journal.committed = true;
    delete journal.forward;
    try {
      writeJournal(folder, journal);
    } catch {
      // a folder that cannot be written now: the next unlock marks it again
    }
  }
  const current = header.slots.find((s) => s.type === SLOT_PASSPHRASE);
  const listed = new Map(journal.old.generations.map((g) => [g.name, g.fingerprint]));
  for (const file of folderInventory(folder)) {
    if (file.kind !== 'generation') {
      continue;
    }
    const path = join(folder, file.path);
    const g = peekHeader(path, config.limits);
    const slot = g?.slots.find((s) => s.type === SLOT_PASSPHRASE);
    const underOld = g
      ? !slot || !current || !sameSlot(slot, current) || !g.salt.equals(header.salt)
      : listed.has(file.path) &&
        listed.get(file.path) === fingerprintText(await fs.fingerprint(path));
    if (underOld) {
      await remove(path);
    }
  }
  // A damaged copy goes only when its header shows another key slot than the main file's (a
  // journal planted in the folder, met by a mistyped passphrase, removed a copy a restore kept).
  // One whose header does not read cannot be told: it stays until the new passphrase's unlock,
  // which has the journal's MAC to trust (the usual damage that makes one restore is there).
  for (const copy of journal.old.copies) {
    if (isFolderFile(copy.name, 'damaged-copy') || isFolderFile(copy.name, 'stray-copy')) {
      const path = join(folder, copy.name);
      const c = peekHeader(path, config.limits);
      const slot = c?.slots.find((s) => s.type === SLOT_PASSPHRASE);
      const underOld = c !== null && (!slot || !current || !sameSlot(slot, current));
      if (underOld) {
        await remove(path);
      }
    }
  }
  for (const temp of journal.old.temps) {
    if (temp.includes('.tmp-') && !temp.includes('..')) {
      await remove(join(folder, temp));
    }
  }
  await fs.syncDir(folder).catch(() => undefined);
  return removed;
}

/** Databases from this size up are checked in a worker thread after unlock. */
const WORKER_CHECKS_FROM = 4 * 1024 * 1024;

/** Every column that names an evidence file in the blob store. */
const BLOB_REFERENCES: [table: string, column: string][] = [
  ['evidence', 'blob_address'],
  ['record_attachments', 'blob_address'],
  ['decisions', 'pdf_blob'],
  ['documents', 'blob_address'],
];

/** The distinct blob addresses the database refers to. */
export function referencedAddresses(db: Database): string[] {
  const all = new Set<string>();
  for (const [table, column] of BLOB_REFERENCES) {
    for (const row of db.exec(`SELECT DISTINCT ${column} FROM ${table}`)[0]?.values ?? []) {
      all.add(String(row[0]));
    }
  }
  return [...all];
}

function fingerprintText(f: Fingerprint | null): string | null {
  return f ? `${f.ino}:${f.size}:${f.mtimeNs}` : null;
}

export interface OpenOptions {
  /** Open a previous generation instead of the main file (read for restore). */
  generation?: number;
  /**
   * Re-wrap a passphrase slot weaker than the configuration's KDF (default true). `vault check`
   * reads without writing, so it says false.
   */
  upgradeKdf?: boolean;
  /** Migrate a first-format container (no anchor) at once, with its audit row (default true). */
  migrateFormat?: boolean;
}

/** The passphrase slot a KDF upgrade replaced: generations still carrying it are re-wrapped. */
interface ReplacedSlot {
  salt: Buffer;
  kdf: KdfParams;
  slot: KeySlot;
}

function sameKdf(a: KdfParams, b: KdfParams): boolean {
  return (
    a.memoryKiB === b.memoryKiB && a.iterations === b.iterations && a.parallelism === b.parallelism
  );
}

function sameSlot(a: KeySlot, b: KeySlot): boolean {
  return a.type === b.type && a.nonce.equals(b.nonce) && a.wrapped.equals(b.wrapped);
}

function readOnlyError(state: ReadOnlyState): AppError {
  return new AppError(
    'VAULT_READ_ONLY',
    state.reason === 'ROLLBACK_SUSPECTED'
      ? 'The vault file may have been rolled back: the vault is read-only'
      : 'The audit trail is broken: the vault is read-only',
    { reason: state.reason, row: state.row },
  );
}

/** Thrown by an unlock that cannot open a re-keyed main file: only the new passphrase can. */
function rekeyUnfinishedError(removed: number): AppError {
  return new AppError(
    'REKEY_UNFINISHED',
    'A re-key is unfinished: unlock with the new passphrase to finish it',
    { removed },
  );
}

export class Vault {
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  readonly writes: WriteQueue;
  /** Set by the owner to learn that a committed change awaits saving. */
  onDirty: () => void = () => undefined;
  /**
   * Counts committed changes; `persisted` is the count the last written image held. A save
   * records the count it exported, so a change committed while it writes stays unsaved.
   */
  private committed = 0;
  private persisted = 0;
  /** The evidence store (keys derived from the data key, dropped on close, new on re-key). */
  private blobStore: BlobStore;
  /** Set while the vault is re-keyed: changes and evidence wait for it to finish. */
  private busy = false;
  /** The database checks run after unlock: pending until they finish, then their verdict. */
  private integrityState: 'checking' | 'ok' | 'failed' = 'ok';
  private checked: Promise<void> = Promise.resolve();
  /** Told when the checks after unlock have finished (the UI then shows their verdict). */
  onChecked: () => void = () => undefined;
  /** Set by a KDF upgrade until the kept generations no longer carry the weaker slot. */
  private replacedSlot: ReplacedSlot | null = null;
  /**
   * The head the trail must end at: the header's anchor at unlock (null in a first-format
   * container), then each saved or explained head.
   */
  private anchor: AuditAnchor | null = null;
  /** The container format the main file was read in (1: no anchor, migrated once). */
  private formatVersion = FORMAT_VERSION;
  /** Every break of the trail, worked out when first asked for (the trail does not change). */
  private breaksCache: AuditBreak[] | null = null;
  /** Kept generations the main file's trail does not reach, found at unlock. */
  private rollbackFindings: RollbackFinding[] = [];
  /** What the unlock did with an unfinished re-key, if it found one. */
  private rekeyState: RekeyNotice | null = null;

  private constructor(
    readonly folder: string,
    private db: Database,
    private dataKey: Buffer,
    private salt: Buffer,
    private kdf: KdfParams,
    private slots: KeySlot[],
    private fingerprint: Fingerprint | null,
    private readonly lock: FolderLock,
    private readonly config: VaultConfig,
    readonly actor: Actor,
    private auditReport: ChainReport,
  ) {
    this.blobStore = this.guardedStore(dataKey);
    this.writes = new WriteQueue(
      () => {
        // Every write goes through here: a vault with a broken trail takes none.
        this.assertWritable();
        return this.database;
      },
      () => {
        this.committed++;
        this.breaksCache = null;
        this.onDirty();
      },
    );
  }

  private guardedStore(dataKey: Buffer): BlobStore {
    const store = new BlobStore(join(this.folder, BLOB_DIR), dataKey);
    store.beforeWrite = () => this.assertWritable();
    return store;
  }

  /** Creates a vault in an empty (or new) folder; returns it open, with the recovery key text. */
  static async create(
    folder: string,
    passphrase: string,
    profile: Profile,
    config: VaultConfig = PRODUCTION_CONFIG,
  ): Promise<{ vault: Vault; recoveryKey: string }> {
    checkConfigKdf(config);
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      mkdirSync(join(folder, BLOB_DIR), { recursive: true, mode: 0o700 });
    } catch {
      throw new AppError('FOLDER_NOT_WRITABLE', 'Cannot create the vault folder');
    }
    if ((await config.fs.fingerprint(vaultPath(folder))) !== null) {
      throw new AppError('VAULT_EXISTS', 'The folder already holds a vault');
    }
    const lock = FolderLock.acquire(join(folder, LOCK_FILE));
    try {
      const dataKey = randomBytes(32);
      const salt = randomBytes(32);
      const kek = await deriveKey(passphrase, salt, config.kdf);
      const recovery = generateRecoveryKey();
      const rKek = recoveryKek(recovery.bytes);
      const slots = [wrapKey(kek, dataKey, SLOT_PASSPHRASE), wrapKey(rKek, dataKey, SLOT_RECOVERY)];
      kek.fill(0);
      rKek.fill(0);
      recovery.bytes.fill(0);
      const db = await openDatabase();
      const now = config.now();
      const { referencePrefix, ...person } = profile;
      const prefix = referencePrefix ?? suggestPrefix(profile.organisation);
      if (!REF_PREFIX.test(prefix)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'The reference prefix is 2-10 capital letters or digits',
          {
            field: 'referencePrefix',
          },
        );
      }
      const actor: Actor = { id: randomUUID(), ...person };
      db.run('BEGIN');
      db.run(
        'INSERT INTO users (id, name, organisation, role, created_at) VALUES (?, ?, ?, ?, ?)',
        [actor.id, actor.name, actor.organisation, actor.role, now.toISOString()],
      );
      const meta: [string, string][] = [
        ['vault_id', randomUUID()],
        ['created_at', now.toISOString()],
        ['owner_id', actor.id],
        ['recovery_key_created_at', now.toISOString()],
        ['ref_prefix', prefix],
      ];
      for (const [key, value] of meta) {
        db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [key, value]);
      }
      appendAudit(
        db,
        actor,
        {
          action: 'vault.create',
          entityType: 'vault',
          entityId: meta[0]?.[1] ?? '',
          changes: { profile: { ...person, referencePrefix: prefix } },
        },
        now,
      );
      db.run('COMMIT');
      const vault = new Vault(
        folder,
        db,
        dataKey,
        salt,
        config.kdf,
        slots,
        null,
        lock,
        config,
        actor,
        { intact: true, rows: 1 },
      );
      vault.anchor = auditHead(db);
      // A vault made here is what the folder holds now, whatever this machine saw in it before.
      try {
        config.heads?.bind(folder, meta[0]?.[1] ?? '');
      } catch {
        // a memory that cannot be written must not stop the vault
      }
      await vault.save();
      return { vault, recoveryKey: recovery.text };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Opens a vault with its passphrase or recovery key. At unlock of the main file: a re-key
   * left unfinished is finished (or, if it cannot be, undone), evidence an unfinished import
   * left is removed, kept generations the trail does not reach are noted (rollback), a weaker
   * passphrase slot is re-wrapped and a first-format container migrated.
   */
  static async open(
    folder: string,
    secret: Secret,
    config: VaultConfig = PRODUCTION_CONFIG,
    options: OpenOptions = {},
  ): Promise<Vault> {
    checkConfigKdf(config);
    const lock = FolderLock.acquire(join(folder, LOCK_FILE));
    let vault: Vault | null = null;
    try {
      cleanStaleTemps(folder);
      const found = inspectJournal(folder);
      const journal = found.state === 'journal' ? found.journal : null;
      if (options.generation && journal && !(journal.committed && journal.cleaned)) {
        // A generation is under the old key until the re-key is finished: restoring one would
        // undo it. The main file's unlock finishes it first.
        throw new AppError('REKEY_PENDING', 'A re-key is unfinished: unlock the vault first');
      }
      const path = vaultPath(folder, options.generation ?? 0);
      const fingerprint = options.generation
        ? await config.fs.fingerprint(vaultPath(folder))
        : await config.fs.fingerprint(path);
      // The file's bytes are needed only until the body is decrypted: nothing keeps them after.
      const { header, image, dataKey } = await readContainer(path, config.fs, config.limits).then(
        async (decoded) => {
          let key: Buffer;
          try {
            key = await unlockDataKey(decoded, secret);
          } catch (error) {
            // A re-key under way: the new passphrase opens its journal, and the old key with it.
            const committed =
              !options.generation &&
              journal !== null &&
              decoded.header.salt.equals(Buffer.from(journal.header.salt, 'hex'));
            const old =
              !options.generation && journal && !journal.committed && !committed
                ? await journalOldKey(journal, secret, config.limits)
                : null;
            if (old) {
              key = old;
            } else if (
              committed &&
              journal &&
              !journal.cleaned &&
              isAppError(error) &&
              (error.code === 'WRONG_PASSPHRASE' || error.code === 'WRONG_RECOVERY_KEY')
            ) {
              // Past its new main file, a re-key is finished by the new passphrase only (the
              // old secret must not reach the new key). What needs no key goes now: every file
              // the journal lists under the old key, so that the old secret opens nothing.
              const removed = await removeOldKeyFiles(folder, journal, decoded.header, config);
              throw rekeyUnfinishedError(removed);
            } else {
              throw error;
            }
          }
          return { header: decoded.header, image: openBody(decoded, key), dataKey: key };
        },
      );
      // sql.js keeps this Buffer as its in-memory file (its slice() of a Buffer shares memory):
      // the image must not be zeroed or handed on; the checks get a copy of their own.
      const db = await openDatabase(image, { deferChecks: true });
      const migrated = header.schemaVersion !== schemaVersion(db);
      const ownerId = db.exec("SELECT value FROM vault_meta WHERE key = 'owner_id'")[0]
        ?.values[0]?.[0];
      const owner = db.exec('SELECT id, name, organisation, role FROM users WHERE id = ?', [
        String(ownerId),
      ])[0]?.values[0];
      if (!owner) {
        db.close();
        throw new AppError('CORRUPTED_CONTENT', 'The vault has no owner');
      }
      const actor: Actor = {
        id: String(owner[0]),
        name: String(owner[1]),
        organisation: String(owner[2]),
        role: String(owner[3]) as Actor['role'],
      };
      const opened = new Vault(
        folder,
        db,
        dataKey,
        header.salt,
        header.kdf,
        header.slots,
        fingerprint,
        lock,
        config,
        actor,
        { intact: true, rows: 0 },
      );
      vault = opened;
      opened.anchor = header.audit;
      opened.formatVersion = header.formatVersion;
      // At once: the header's anchor and the explanations' signatures (the whole chain follows).
      opened.auditReport = opened.unlockReport();
      if (migrated) {
        // A migration has checked the database already; the chain is checked here too.
        opened.committed++; // write the new schema back
        opened.applyChecks({
          integrity: 'ok',
          foreignKeyViolations: 0,
          chain: verifyAuditChain(db),
        });
      } else if (image.length < WORKER_CHECKS_FROM) {
        // A small database checks in milliseconds: a worker would cost more than it saves.
        opened.integrityState = 'checking';
        opened.checked = new Promise<void>((resolve) =>
          setImmediate(() => {
            opened.applyChecks(opened.checkHere());
            resolve();
          }),
        );
      } else {
        opened.integrityState = 'checking';
        opened.checked = checkInBackground(Uint8Array.prototype.slice.call(image)).then(
          (report) => opened.applyChecks(report ?? opened.checkHere()),
          () => opened.applyChecks(opened.checkHere()),
        );
      }
      // No change is committed before the checks have given their verdict.
      opened.writes.after(opened.checked);
      if (!options.generation) {
        // A re-key interrupted at any step is finished now (or undone, if it cannot be) — not
        // over a suspected rollback: that vault takes nothing until it is explained.
        // A file in the journal's place that is no journal of this program's is not acted on.
        if (found.state === 'foreign') {
          opened.refuseJournal();
        }
        const before = journal ? await opened.findRollback() : [];
        if (journal && !before.length) {
          await opened.resumeRekey(journal, header);
        }
        // A re-key of an older version, interrupted after its new file was written.
        if (opened.meta('rekey_leftovers')) {
          await opened.removeLeftovers().catch((error: unknown) => {
            if (!isAppError(error) || error.code !== 'VAULT_READ_ONLY') {
              throw error;
            }
          });
        }
        // An import interrupted before its vault was saved left evidence nothing refers to.
        ImportJournal.resolve(folder, new Set(referencedAddresses(opened.db)), (address) =>
          opened.blobStore.pathOf(address),
        );
        // What was found before the re-key's journal was acted on stands: a rollback found
        // then is not forgotten, whatever happened to the folder since.
        opened.rollbackFindings = before.length ? before : await opened.findRollback();
        if (opened.auditReport.intact && !opened.rollbackFindings.length) {
          opened.rememberHead(auditHead(opened.database));
        }
      }
      // A passphrase slot weaker than the configuration's KDF (an older version's, or a
      // header between the minimum and the floor) is re-wrapped now; the next save writes it.
      // Not on a trail already known broken: that vault has other things to settle first.
      const upgrade = kdfUpgrade(opened.kdf, config.kdf);
      if (
        upgrade &&
        options.upgradeKdf !== false &&
        'passphrase' in secret &&
        opened.auditReport.intact &&
        opened.salt.equals(header.salt)
      ) {
        try {
          await opened.upgradeKdf(secret.passphrase, upgrade);
        } catch (error) {
          // A trail the full walk finds broken takes no upgrade: read-only until explained.
          if (!isAppError(error) || error.code !== 'VAULT_READ_ONLY') {
            throw error;
          }
        }
      }
      // A first-format container has no anchor: migrated once, with an audit row saying so.
      if (opened.formatVersion === 1 && !options.generation && options.migrateFormat !== false) {
        await opened.migrateFormat();
      }
      return opened;
    } catch (error) {
      if (vault) {
        await vault.close({ discard: true }).catch(() => undefined);
      } else {
        lock.release();
      }
      throw error;
    }
  }

  /**
   * Records that a first-format container (no anchor) becomes format 2, and saves it: from now
   * on its header anchors the trail. A trail found broken is not migrated until explained.
   */
  /** The audit entry that says a first-format container was migrated (the anchor added). */
  private formatMigratedEntry() {
    return {
      action: 'vault.format_migrated',
      entityType: 'vault',
      entityId: this.meta('vault_id') ?? '',
      changes: { format: [1, FORMAT_VERSION], anchor: 'added' },
    };
  }

  private async migrateFormat(): Promise<void> {
    try {
      await this.change(this.formatMigratedEntry(), () => undefined);
    } catch (error) {
      if (isAppError(error) && error.code === 'VAULT_READ_ONLY') {
        return;
      }
      throw error;
    }
    this.formatVersion = FORMAT_VERSION;
    // A save that fails now leaves the change pending: the next save writes it.
    await this.save().catch(() => undefined);
  }

  /**
   * Wraps the data key again under `target` (a new salt, the same passphrase) and records it
   * in the audit trail with the parameters from and to. The data key, the recovery slot and
   * the evidence are unchanged: the passphrase was just proved, only its slot gets stronger.
   */
  private async upgradeKdf(passphrase: string, target: KdfParams): Promise<void> {
    const from = { ...this.kdf };
    const old = this.slots.find((s) => s.type === SLOT_PASSPHRASE);
    const salt = randomBytes(32);
    const kek = await deriveKey(passphrase, salt, target);
    const slot = wrapKey(kek, this.dataKey, SLOT_PASSPHRASE);
    kek.fill(0);
    const previous = { salt: this.salt, kdf: this.kdf, slots: this.slots };
    this.salt = salt;
    this.kdf = { ...target };
    this.slots = [slot, ...this.slots.filter((s) => s.type !== SLOT_PASSPHRASE)];
    try {
      await this.change(
        {
          action: 'vault.kdfUpgrade',
          entityType: 'vault',
          entityId: this.meta('vault_id') ?? '',
          changes: { kdf: [from, { ...target }] },
        },
        () => undefined,
      );
    } catch (error) {
      Object.assign(this, previous);
      throw error;
    }
    this.replacedSlot = old ? { salt: previous.salt, kdf: from, slot: old } : null;
  }

  /**
   * After a KDF upgrade has been saved: the kept generations that still carry the replaced
   * passphrase slot (same salt, parameters and wrapped key, so the same data key) are sealed
   * again with the new slot, each atomically (temp file, fsync, rename). A generation under
   * another slot (an older passphrase, another key) is left as it is; one that cannot be
   * written now is tried again after the next save.
   */
  private async rewrapGenerations(replaced: ReplacedSlot): Promise<void> {
    const { fs } = this.config;
    const passphraseSlot = this.slots.find((s) => s.type === SLOT_PASSPHRASE);
    if (!passphraseSlot) {
      return;
    }
    let complete = true;
    for (let g = 1; g <= this.config.generations; g++) {
      const path = vaultPath(this.folder, g);
      let decoded: Decoded;
      try {
        decoded = decodeContainer(await fs.readFile(path), {
          maxSchemaVersion: LATEST_SCHEMA_VERSION,
          limits: this.config.limits,
        });
      } catch {
        continue; // absent or damaged: nothing to re-wrap
      }
      const { header } = decoded;
      const slot = header.slots.find((s) => s.type === SLOT_PASSPHRASE);
      if (
        !slot ||
        header.formatVersion !== FORMAT_VERSION ||
        !header.salt.equals(replaced.salt) ||
        !sameKdf(header.kdf, replaced.kdf) ||
        !sameSlot(slot, replaced.slot)
      ) {
        continue;
      }
      let image: Buffer;
      try {
        image = openBody(decoded, this.dataKey);
      } catch {
        continue; // its body does not authenticate: damaged, and `vault check` says so
      }
      const temp = `${path}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
      let created = false;
      try {
        const parts = sealParts(
          {
            schemaVersion: header.schemaVersion,
            kdfId: KDF_ARGON2ID,
            kdf: this.kdf,
            salt: this.salt,
            slots: [passphraseSlot, ...header.slots.filter((s) => s.type !== SLOT_PASSPHRASE)],
            audit: header.audit,
          },
          this.dataKey,
          image,
        );
        const file = await fs.createExclusive(temp, 0o600);
        created = true;
        try {
          try {
            await file.writeAll(parts);
          } finally {
            image.fill(0);
          }
          await file.sync();
        } finally {
          await file.close();
        }
        await fs.rename(temp, path);
        created = false;
      } catch {
        complete = false;
        if (created) {
          await fs.unlink(temp).catch(() => undefined);
        }
      }
    }
    await fs.syncDir(this.folder).catch(() => undefined);
    if (complete && this.replacedSlot === replaced) {
      this.replacedSlot = null;
    }
  }

  /** The database checks in this thread (when no worker could run them). */
  private checkHere(): IntegrityReport {
    if (this.closed) {
      return { integrity: 'ok', foreignKeyViolations: 0, chain: this.auditReport };
    }
    let integrity: IntegrityReport['integrity'] = 'ok';
    try {
      checkIntegrity(this.db);
    } catch {
      integrity = 'failed';
    }
    return { integrity, foreignKeyViolations: 0, chain: verifyAuditChain(this.db) };
  }

  private applyChecks(report: IntegrityReport): void {
    if (this.closed) {
      return;
    }
    this.integrityState = report.integrity;
    // The header anchor's verdict stands unless the full walk finds an earlier break.
    const anchored = this.auditReport;
    const walked = report.chain;
    if (!walked.intact && (anchored.intact || (walked.brokenAt ?? 0) < (anchored.brokenAt ?? 0))) {
      this.auditReport = walked;
    }
    this.onChecked();
  }

  /**
   * The trail's verdict available at once: the header's anchor, and the signatures of the
   * explanations it holds (the full walk of the chain runs after unlock).
   */
  private unlockReport(): ChainReport {
    const rows = auditHead(this.db).rows;
    const faults = this.uncitedFaults();
    // An explanation whose signature fails explains nothing: the whole walk, here and now, so
    // that the first break shown is the earliest (the one it claimed to explain, if earlier).
    const first = (
      faults.length ? this.breaks() : this.anchor ? [anchorBreak(this.db, this.anchor)] : []
    )
      .filter((b): b is AuditBreak => b !== null)
      .sort((a, b) => a.row - b.row)[0];
    return first ? { intact: false, rows, brokenAt: first.row } : { intact: true, rows };
  }

  /** Explanation rows whose signature fails, and which no later valid explanation cites. */
  private uncitedFaults(): AuditBreak[] {
    const faults = explanationFaults(this.db, this.meta('vault_id') ?? '', this.headHistory());
    if (!faults.length) {
      return [];
    }
    const invalid = new Set(faults.map((f) => f.row));
    const explained = explainedBreaks(this.db, (seq) => !invalid.has(seq));
    return faults.filter((f) => !((explained.get(breakKey(f)) ?? 0) > f.row));
  }

  /**
   * Every break of the trail no valid explanation covers, in trail order: the chain walked
   * through (past each break), the explanations' signatures, and the header's anchor.
   */
  breaks(): AuditBreak[] {
    if (this.breaksCache) {
      return this.breaksCache;
    }
    const db = this.database;
    const faults = explanationFaults(db, this.meta('vault_id') ?? '', this.headHistory());
    const invalid = new Set(faults.map((f) => f.row));
    const explained = explainedBreaks(db, (seq) => !invalid.has(seq));
    const walk = walkAuditChain(db, { explained, all: true });
    const uncited = faults.filter((f) => !((explained.get(breakKey(f)) ?? 0) > f.row));
    const anchor = this.anchor ? anchorBreak(db, this.anchor) : null;
    this.breaksCache = [...walk.breaks, ...uncited, ...(anchor ? [anchor] : [])].sort(
      (a, b) => a.row - b.row,
    );
    return this.breaksCache;
  }

  /** The audit trail's state: the header anchor at unlock, then the whole chain once walked. */
  get audit(): ChainReport {
    return this.auditReport;
  }

  /**
   * Null while changes are taken; else why not, with the first break: a broken trail makes
   * the vault read-only until a signed explanation is recorded.
   */
  get readOnly(): ReadOnlyState | null {
    if (this.auditReport.intact) {
      const suspect = this.rollbackFindings[0];
      if (!suspect || this.closed) {
        return null;
      }
      // A trail that no longer reaches a head it reached: read-only as a broken trail is, so
      // that ordinary use cannot rotate the evidence out of the generations and the memory.
      const head = auditHead(this.db);
      // Made by a restore recorded in this trail since the last explanation: said so, not as a
      // copy put in place by someone.
      const last = this.db.exec(
        "SELECT action FROM audit_log WHERE action IN ('vault.restoreGeneration', 'vault.breakExplained') ORDER BY seq DESC LIMIT 1",
      )[0]?.values[0]?.[0];
      return {
        reason: 'ROLLBACK_SUSPECTED',
        row: head.rows,
        kind: 'anchor',
        expected: suspect.head,
        found: head.head,
        ...(last === 'vault.restoreGeneration' ? { restored: true as const } : {}),
      };
    }
    const row = this.auditReport.brokenAt ?? 0;
    const first = this.closed
      ? undefined
      : (this.breaks().find((b) => b.row === row) ?? this.breaks()[0]);
    return {
      reason: 'AUDIT_CHAIN_BROKEN',
      row,
      kind: first?.kind ?? 'link',
      expected: first?.expected ?? '',
      found: first?.found ?? '',
    };
  }

  /** Kept generations whose trail the main file does not reach (a rollback, suspected). */
  get rollback(): RollbackFinding[] {
    return this.rollbackFindings;
  }

  /** What the unlock did with an unfinished re-key (null when there was none). */
  get rekeyNotice(): RekeyNotice | null {
    return this.rekeyState;
  }

  private assertWritable(): void {
    if (!this.auditReport.intact || this.rollbackFindings.length) {
      throw readOnlyError(this.readOnly!);
    }
  }

  /**
   * Tells the machine's memory (VaultConfig.heads) the trail's head: called with each head
   * written to the main file, and at unlock when the trail is whole and reaches every head it
   * should. Only a head that is at least as new is ever given.
   */
  private rememberHead(head: TrailHead): void {
    const id = this.closed ? null : this.meta('vault_id');
    if (!id || !this.config.heads) {
      return;
    }
    try {
      // Never backwards: a head the trail does not reach stays until a signed explanation has
      // named it (then it is acknowledged, and the new head replaces it).
      const acknowledged = acknowledgedHeads(this.db);
      if (
        this.rememberedHeads().some(
          (known) =>
            anchorMismatch(this.db, known) !== null &&
            !acknowledged.has(`${known.rows}:${known.head}`),
        )
      ) {
        return;
      }
      this.config.heads.remember(id, head);
      this.config.heads.bind(this.folder, id);
    } catch {
      // a memory that cannot be written must not stop the vault
    }
  }

  /** The container format the main file was read in (1 until migrated). */
  get format(): number {
    return this.formatVersion;
  }

  /** Whether the database checks after unlock are still running, passed, or failed. */
  get integrity(): 'checking' | 'ok' | 'failed' {
    return this.integrityState;
  }

  /** Resolves when the checks after unlock have finished. */
  checksDone(): Promise<void> {
    return this.checked;
  }

  get database(): Database {
    if (this.closed) {
      throw new AppError('VAULT_LOCKED', 'The vault is locked');
    }
    return this.db;
  }

  /** The evidence store of this vault. */
  get blobs(): BlobStore {
    this.assertNotBusy();
    return this.blobStore;
  }

  private assertNotBusy(): void {
    if (this.busy) {
      throw new AppError('VAULT_BUSY', 'The vault is being re-keyed; try again when it is done');
    }
  }

  /** Whether a committed change is not yet in the file on disk. */
  get isDirty(): boolean {
    return this.committed !== this.persisted;
  }

  get hasRecoverySlot(): boolean {
    return this.slots.some((s) => s.type === SLOT_RECOVERY);
  }

  meta(key: string): string | null {
    const value = this.database.exec('SELECT value FROM vault_meta WHERE key = ?', [key])[0]
      ?.values[0]?.[0];
    return value === undefined || value === null ? null : String(value);
  }

  /** Runs a change in the writer queue with its audit row in the same transaction. */
  change<T>(entry: AuditEntry, job: (db: Database) => T): Promise<T> {
    this.assertNotBusy();
    return this.writes.write((db) => {
      const result = job(db);
      appendAudit(db, this.actor, entry, this.config.now());
      return result;
    });
  }

  /** Saves now (queued behind a save in progress). */
  save(): Promise<void> {
    const next = this.saving.then(() => this.saveOnce());
    this.saving = next.catch(() => undefined);
    return next;
  }

  private async saveOnce(): Promise<void> {
    // Nothing is written before the checks after unlock have passed: a damaged database must
    // not replace a good generation.
    await this.checked;
    if (this.integrityState === 'failed') {
      throw new AppError('CORRUPTED_CONTENT', 'The database failed its checks; it is not saved', {
        reason: 'INTEGRITY_CHECK_FAILED',
      });
    }
    // A broken trail is never written as if it were whole: no save, no new anchor, no rotation.
    this.assertWritable();
    await this.writes.idle();
    this.assertWritable();
    // The count of the changes this image holds: taken with the export, nothing awaits between.
    const generation = this.committed;
    const anchor = auditHead(this.database);
    const image = exportDatabase(this.database);
    await this.writeImage(image, anchor, schemaVersion(this.database), {
      dataKey: this.dataKey,
      salt: this.salt,
      kdf: this.kdf,
      slots: this.slots,
      rotate: true,
    });
    this.anchor = anchor;
    this.rememberHead(anchor);
    // Only what the image held is saved: a change committed meanwhile keeps the vault dirty.
    this.persisted = Math.max(this.persisted, generation);
    // A KDF upgrade is on disk now: the generations still carrying the old slot follow.
    if (this.replacedSlot) {
      await this.rewrapGenerations(this.replacedSlot);
    }
  }

  /**
   * The atomic write of one image (docs/architecture.md): fingerprint still ours, seal, temp file (0600,
   * write, fsync, close), rotate the generations (unless re-keying, where the old file must
   * not become a generation), rename over the main file, fsync the folder.
   */
  private async writeImage(
    image: Uint8Array,
    anchor: AuditAnchor,
    schema: number,
    keys: {
      dataKey: Buffer;
      salt: Buffer;
      kdf: KdfParams;
      slots: KeySlot[];
      rotate: boolean;
      beforeRename?: () => void;
    },
  ): Promise<void> {
    const { fs } = this.config;
    const main = vaultPath(this.folder);
    const onDisk = await fs.fingerprint(main);
    if (this.fingerprint === null ? onDisk !== null : !sameFingerprint(onDisk, this.fingerprint)) {
      throw new AppError('EXTERNAL_CHANGE', 'The vault file changed since it was read');
    }
    const parts = sealParts(
      {
        schemaVersion: schema,
        kdfId: KDF_ARGON2ID,
        kdf: keys.kdf,
        salt: keys.salt,
        slots: keys.slots,
        audit: anchor,
      },
      keys.dataKey,
      image,
    );
    const temp = `${main}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    let created = false;
    let rotating: Promise<void> = Promise.resolve();
    try {
      fs.step?.('open');
      const file = await fs.createExclusive(temp, 0o600);
      created = true;
      // The generations rotate while the image is written: the main file is linked, never
      // moved, so its name points at a complete container throughout.
      rotating = onDisk !== null && keys.rotate ? this.rotate(main) : Promise.resolve();
      rotating.catch(() => undefined);
      let written: Fingerprint;
      try {
        fs.step?.('write');
        try {
          await file.writeAll(parts);
        } finally {
          image.fill(0);
        }
        fs.step?.('fsync');
        await file.sync();
        written = await file.fingerprint();
      } finally {
        try {
          fs.step?.('close');
        } finally {
          await file.close();
        }
      }
      await rotating;
      keys.beforeRename?.();
      fs.step?.('rename');
      await fs.rename(temp, main);
      created = false;
      this.fingerprint = written;
      fs.step?.('dirsync');
      await fs.syncDir(this.folder);
    } catch (error) {
      await rotating.catch(() => undefined);
      if (created) {
        await fs.unlink(temp).catch(() => undefined);
      }
      if (error instanceof AppError) {
        throw error;
      }
      throw new AppError('SAVE_FAILED', 'The vault could not be saved');
    }
  }

  /** .2→.3, .1→.2, then main→.1 as a hard link (a copy where the file system has none). */
  private async rotate(main: string): Promise<void> {
    const { fs, generations } = this.config;
    fs.step?.('rotate');
    for (let g = generations - 1; g >= 1; g--) {
      const from = vaultPath(this.folder, g);
      if ((await fs.fingerprint(from)) !== null) {
        await fs.rename(from, vaultPath(this.folder, g + 1));
      }
    }
    const first = vaultPath(this.folder, 1);
    if (generations >= 1) {
      fs.step?.('link');
      await fs.unlink(first).catch(() => undefined);
      try {
        await fs.link(main, first);
      } catch {
        const temp = `${first}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
        await fs.copyFile(main, temp);
        await fs.rename(temp, first);
      }
    }
  }

  /** Whether `passphrase` opens this vault's passphrase slot. */
  private async provePassphrase(passphrase: string): Promise<void> {
    const kek = await deriveKey(passphrase, this.salt, this.kdf);
    const slot = this.slots.find((s) => s.type === SLOT_PASSPHRASE);
    const check = slot ? unwrapKey(kek, slot) : null;
    kek.fill(0);
    const ok = check?.equals(this.dataKey) ?? false;
    check?.fill(0);
    if (!ok) {
      throw new AppError('WRONG_PASSPHRASE', 'Current passphrase is wrong');
    }
  }

  /** Whether `secret` (the passphrase or the recovery key) opens this vault's own key slot. */
  private async prove(secret: Secret): Promise<void> {
    if ('passphrase' in secret) {
      await this.provePassphrase(secret.passphrase);
      return;
    }
    const bytes = parseRecoveryKey(secret.recoveryKey);
    const kek = recoveryKek(bytes);
    bytes.fill(0);
    const slot = this.slots.find((s) => s.type === SLOT_RECOVERY);
    const check = slot ? unwrapKey(kek, slot) : null;
    kek.fill(0);
    const ok = check?.equals(this.dataKey) ?? false;
    check?.fill(0);
    if (!ok) {
      throw new AppError('WRONG_RECOVERY_KEY', 'The recovery key does not open this vault');
    }
  }

  private step(step: RekeyStep, n = 0): void {
    this.config.rekeyStep?.(step, n);
  }

  /**
   * Re-keys the vault: a new data key; every referenced evidence file sealed again under it
   * (streamed, with progress); the database written under it with a new passphrase slot
   * (`next`, or the current passphrase again) and a new recovery key, which is returned (shown
   * once). Then every file of the folder under the old key is removed — kept generations,
   * damaged copies, evidence nothing refers to, temp files — after being listed in the
   * re-key's audit row, so the old passphrase and the old recovery key open nothing in the
   * folder. `proof` is the current passphrase, or the recovery key (a recovery: then `next` is
   * required).
   *
   * The re-key is journaled (rekey-journal.ts) before its first new file appears: a process
   * that dies at any step has it finished at the next unlock, by the old secret or the new
   * passphrase; one that fails before its new main file is written is undone.
   */
  async rekey(
    proof: string | Secret,
    next: string | null,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ recoveryKey: string }> {
    const secret: Secret = typeof proof === 'string' ? { passphrase: proof } : proof;
    if (next === null && !('passphrase' in secret)) {
      throw new AppError('VALIDATION_FAILED', 'A recovery sets a new passphrase', {
        issues: [{ path: ['next'], code: 'custom', message: 'a new passphrase is required' }],
      });
    }
    await this.prove(secret);
    await this.checked;
    if (this.integrityState === 'failed') {
      throw new AppError('CORRUPTED_CONTENT', 'The database failed its checks; it is not re-keyed');
    }
    this.assertWritable();
    await this.writes.idle();
    await this.saving;
    this.assertNotBusy();
    this.assertWritable();
    // From the inventory on, no evidence file comes or goes but the re-key's own.
    this.busy = true;
    try {
      return await this.rekeyHeld(secret, next, onProgress);
    } finally {
      this.busy = false;
    }
  }

  private async rekeyHeld(
    secret: Secret,
    next: string | null,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ recoveryKey: string }> {
    const newKey = randomBytes(32);
    const salt = randomBytes(32);
    const passphrase = next ?? (secret as { passphrase: string }).passphrase;
    const kek = await deriveKey(passphrase, salt, this.config.kdf);
    const recovery = generateRecoveryKey();
    const rKek = recoveryKek(recovery.bytes);
    const slots = [wrapKey(kek, newKey, SLOT_PASSPHRASE), wrapKey(rKek, newKey, SLOT_RECOVERY)];
    kek.fill(0);
    rKek.fill(0);
    recovery.bytes.fill(0);
    const draft: Omit<RekeyJournalData, 'mac'> = {
      version: 1,
      startedAt: this.config.now().toISOString(),
      reason: !('passphrase' in secret) ? 'recover' : next === null ? 'recoveryKey' : 'passphrase',
      header: {
        salt: salt.toString('hex'),
        kdf: { ...this.config.kdf },
        slots: slotsToJson(slots),
      },
      forward: sealForward(this.dataKey, newKey),
      back: sealBack(newKey, this.dataKey),
      committed: false,
      cleaned: false,
      recoveryKey: sealRecoveryKey(newKey, recovery.text),
      old: await this.oldFiles(),
    };
    const journal: RekeyJournalData = { ...draft, mac: macJournal(this.dataKey, newKey, draft) };
    try {
      writeJournal(this.folder, journal);
    } catch {
      throw new AppError('SAVE_FAILED', 'The re-key could not be started');
    }
    this.step('journal');
    try {
      await this.rollForward(journal, newKey, onProgress);
    } catch (error) {
      if (!journal.committed) {
        await this.undoRekey(journal);
      }
      throw error;
    }
    return { recoveryKey: recovery.text };
  }

  /** Every file of the folder a re-key leaves behind under the old key, listed before. */
  private async oldFiles(): Promise<RekeyJournalData['old']> {
    const files = folderInventory(this.folder);
    const live = new Set(referencedAddresses(this.db));
    const { fs } = this.config;
    const old: RekeyJournalData['old'] = {
      generations: [],
      copies: [],
      blobs: [],
      unreferenced: [],
      temps: [],
    };
    for (const file of files) {
      const name = file.path;
      if (file.kind === 'generation') {
        old.generations.push({
          name,
          fingerprint: fingerprintText(await fs.fingerprint(join(this.folder, name))),
        });
      } else if (file.kind === 'damaged-copy' || file.kind === 'stray-copy') {
        let sha256 = '';
        try {
          sha256 = createHash('sha256')
            .update(await fs.readFile(join(this.folder, name)))
            .digest('hex');
        } catch {
          sha256 = '';
        }
        old.copies.push({ name, size: file.size, sha256 });
      } else if (file.kind === 'evidence') {
        const address = name.slice(BLOB_DIR.length + 1);
        old.blobs.push(address);
        if (!live.has(address)) {
          old.unreferenced.push(address);
        }
      } else if (file.kind === 'temp') {
        old.temps.push(name);
      }
    }
    return old;
  }

  /**
   * Carries a journaled re-key through from wherever it stands while the main file is still
   * under the old key (this vault's): every referenced evidence file sealed under the new key,
   * the new image written (no rotation: the old file must not become a generation), the
   * journal marked committed, then the old files removed.
   */
  private async rollForward(
    journal: RekeyJournalData,
    newKey: Buffer,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    await this.checked;
    if (this.integrityState === 'failed') {
      throw new AppError('CORRUPTED_CONTENT', 'The database failed its checks; it is not re-keyed');
    }
    this.assertWritable();
    await this.writes.idle();
    this.busy = true;
    const dir = join(this.folder, BLOB_DIR);
    const newStore = this.guardedStore(newKey);
    let adopted = false;
    let copy: Database | null = null;
    try {
      const refs = referencedAddresses(this.db);
      const sizes = refs.map((a) => {
        try {
          return statSync(join(dir, a)).size;
        } catch {
          return 0;
        }
      });
      const total = sizes.reduce((a, b) => a + b, 0);
      let done = 0;
      const moved = new Map<string, string>();
      for (const [i, address] of refs.entries()) {
        const before = done;
        const stored = await newStore.put(this.blobStore.read(address), (bytes) =>
          onProgress?.(Math.min(total, before + bytes), total),
        );
        done = before + (sizes[i] ?? 0);
        moved.set(address, stored.address);
        this.step('evidence', i + 1);
      }
      // The new image: a copy of the database with its evidence references moved, and the
      // re-key in the audit trail, listing every file under the old key that is removed.
      const SQL = await loadSqlJs();
      copy = new SQL.Database(exportDatabase(this.db));
      copy.run('PRAGMA foreign_keys = ON');
      copy.run('BEGIN');
      for (const [table, column] of BLOB_REFERENCES) {
        for (const [from, to] of moved) {
          copy.run(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`, [to, from]);
        }
      }
      copy.run("DELETE FROM vault_meta WHERE key = 'rekey_leftovers'");
      copy.run(
        "INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('recovery_key_created_at', ?)",
        [this.config.now().toISOString()],
      );
      copy.run("DELETE FROM vault_meta WHERE key = 'recovery_key_confirmed_at'");
      appendAudit(
        copy,
        this.actor,
        {
          action: 'vault.rekey',
          entityType: 'vault',
          entityId: this.meta('vault_id') ?? '',
          changes: {
            reason: journal.reason,
            evidenceFiles: refs.length,
            passphrase: journal.reason === 'recoveryKey' ? 'kept' : 'changed',
            recoveryKey: 'replaced',
            removed: {
              generations: journal.old.generations.map((g) => g.name),
              damagedCopies: journal.old.copies.filter((c) => isFolderFile(c.name, 'damaged-copy')),
              strayCopies: journal.old.copies.filter((c) => isFolderFile(c.name, 'stray-copy')),
              unreferencedEvidence: journal.old.unreferenced,
              temps: journal.old.temps,
            },
          },
        },
        this.config.now(),
      );
      copy.run('COMMIT');
      const slots = slotsFromJson(journal.header.slots);
      const salt = Buffer.from(journal.header.salt, 'hex');
      await this.writeImage(exportDatabase(copy), auditHead(copy), schemaVersion(copy), {
        dataKey: newKey,
        salt,
        kdf: journal.header.kdf,
        slots,
        rotate: false,
        beforeRename: () => this.step('image'),
      });
      // Written: the vault now lives under the new key.
      journal.committed = true;
      this.step('commit');
      this.carryDrafts(this.dataKey, newKey);
      const old = this.db;
      this.db = copy;
      copy = null;
      old.close();
      this.dataKey.fill(0);
      this.dataKey = newKey;
      this.blobStore.wipe();
      this.blobStore = newStore;
      adopted = true;
      this.salt = salt;
      this.kdf = { ...journal.header.kdf };
      this.slots = slots;
      this.anchor = auditHead(this.db);
      this.rememberHead(this.anchor);
      this.formatVersion = FORMAT_VERSION;
      this.breaksCache = null;
      // The generations are removed below: none is left to re-wrap.
      this.replacedSlot = null;
      this.persisted = this.committed;
      this.auditReport = { intact: true, rows: auditHead(this.db).rows };
    } catch (error) {
      copy?.close();
      if (!adopted) {
        newStore.wipe();
      }
      if (journal.committed) {
        // Past the new file, nothing is undone: the next unlock finishes what is left.
        return;
      }
      throw error instanceof AppError
        ? error
        : new AppError('SAVE_FAILED', 'The vault could not be re-keyed');
    } finally {
      this.busy = false;
    }
    // The old key's openers go: the journal keeps only what finishing and showing need.
    delete journal.forward;
    delete journal.back;
    try {
      writeJournal(this.folder, journal);
    } catch {
      // the next unlock sees the new file and marks it committed then
    }
    this.step('committed');
    await this.finishRekey(journal);
  }

  /**
   * Removes every file under the old key a committed re-key listed: the kept generations
   * (and any generation whose passphrase slot is not the current one), the damaged copies, the
   * evidence files under their old addresses or referred to by nothing, the temp files. Then
   * the journal keeps only the new recovery key until it has been shown.
   */
  private async finishRekey(journal: RekeyJournalData): Promise<void> {
    const { fs } = this.config;
    let complete = true;
    const remove = async (path: string) => {
      try {
        await fs.unlink(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          complete = false; // tried again at the next unlock
        }
      }
    };
    const current = this.slots.find((s) => s.type === SLOT_PASSPHRASE);
    const listed = new Map(journal.old.generations.map((g) => [g.name, g.fingerprint]));
    for (const file of folderInventory(this.folder)) {
      if (file.kind !== 'generation') {
        continue;
      }
      const path = join(this.folder, file.path);
      const header = peekHeader(path, this.config.limits);
      const slot = header?.slots.find((s) => s.type === SLOT_PASSPHRASE);
      const underOld = header
        ? !slot || !current || !sameSlot(slot, current) || !header.salt.equals(this.salt)
        : listed.has(file.path) &&
          listed.get(file.path) === fingerprintText(await fs.fingerprint(path));
      if (underOld) {
        await remove(path);
      }
    }
    this.step('generations');
    for (const copy of journal.old.copies) {
      await remove(join(this.folder, copy.name));
    }
    this.step('copies');
    const live = new Set(referencedAddresses(this.db));
    for (const address of journal.old.blobs) {
      if (!live.has(address) && ADDRESS.test(address)) {
        await remove(join(this.folder, BLOB_DIR, address));
      }
    }
    this.step('evidence-removed');
    for (const temp of journal.old.temps) {
      await remove(join(this.folder, temp));
    }
    // Kept form text not carried to the new key (the process died before): it goes too.
    const drafts = readDraftsFile(this.folder);
    if (drafts && !this.openDrafts(drafts)) {
      await remove(join(this.folder, DRAFTS_FILE));
    }
    await fs.syncDir(this.folder).catch(() => undefined);
    await fs.syncDir(join(this.folder, BLOB_DIR)).catch(() => undefined);
    if (complete) {
      journal.cleaned = true;
      try {
        if (journal.recoveryKey) {
          writeJournal(this.folder, journal);
        } else {
          removeJournal(this.folder);
        }
      } catch {
        // the next unlock cleans again (nothing is left to remove) and writes it then
      }
    }
    this.step('cleaned');
  }

  /**
   * Undoes a re-key whose new main file was never written: the evidence files it sealed (every
   * one not in the folder when it began) and its journal are removed. The vault stays as it was.
   */
  private async undoRekey(journal: RekeyJournalData): Promise<void> {
    const before = new Set([...journal.old.blobs, ...referencedAddresses(this.db)]);
    const dir = join(this.folder, BLOB_DIR);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    for (const name of names) {
      if (ADDRESS.test(name) && !before.has(name)) {
        await this.config.fs.unlink(join(dir, name)).catch(() => undefined);
      }
    }
    cleanStaleTemps(this.folder);
    try {
      removeJournal(this.folder);
    } catch {
      // tried again at the next unlock
    }
  }

  /**
   * At unlock: a journaled re-key the last process did not finish. Committed (the main file
   * carries the journal's new slots): its old files are removed. Not committed: with the old
   * data key this unlock has, it is carried through (a broken or damaged vault undoes it).
   */
  private async resumeRekey(journal: RekeyJournalData, header: VaultHeader): Promise<void> {
    const committed = header.salt.equals(Buffer.from(journal.header.salt, 'hex'));
    // The main file the journal wrote is opened by the new data key; the one it began from, by
    // the old. Either way the key this unlock holds must carry the journal's MAC.
    if (!journalAuthentic(this.dataKey, journal, committed ? 'new' : 'old')) {
      this.refuseJournal();
      return;
    }
    if (committed) {
      if (!journal.committed || journal.forward || journal.back) {
        // Killed between the new main file and carrying the kept form text: `back` (the old
        // data key sealed under the new one, which this unlock has) still opens it, so it is
        // sealed again under the new key before `back` goes. No old secret is involved.
        this.carryDraftsBack(journal);
        journal.committed = true;
        delete journal.forward;
        delete journal.back;
        try {
          writeJournal(this.folder, journal);
        } catch {
          // a folder that cannot be written now: the next unlock marks it again
        }
      }
      const wasClean = journal.cleaned;
      await this.finishRekey(journal);
      if (!wasClean) {
        this.rekeyState = { state: 'finished' };
      }
      return;
    }
    if (journal.committed) {
      // Marked committed, yet the main file is not the one it wrote: not this vault's journal.
      removeJournal(this.folder);
      return;
    }
    const newKey = openForward(this.dataKey, journal);
    if (!newKey) {
      await this.undoRekey(journal);
      this.rekeyState = { state: 'undone', code: 'WRONG_PASSPHRASE' };
      return;
    }
    try {
      await this.rollForward(journal, newKey);
      this.rekeyState = { state: 'finished' };
    } catch (error) {
      newKey.fill(0);
      await this.undoRekey(journal);
      this.rekeyState = { state: 'undone', code: isAppError(error) ? error.code : 'SAVE_FAILED' };
    }
  }

  /**
   * A re-key journal that is not this vault's (not of the journal's shape, or its MAC does not
   * hold under the key this unlock has): nothing it says is done. It is removed, so that it
   * neither blocks a restore nor speaks at the next unlock, and the unlock says so.
   */
  private refuseJournal(): void {
    try {
      removeJournal(this.folder);
    } catch {
      // a folder that cannot be written now: the next unlock refuses it again
    }
    this.rekeyState = { state: 'refused', code: 'REKEY_JOURNAL_FOREIGN' };
  }

  /**
   * A re-key's kept form text (`drafts.awb`), sealed again from the old key to the new, so no
   * old secret opens it and no typed text is lost; a file the old key does not open is removed.
   */
  private carryDrafts(oldKey: Buffer, newKey: Buffer): void {
    const sealed = readDraftsFile(this.folder);
    if (!sealed) {
      return;
    }
    const id = this.meta('vault_id') ?? '';
    const plain = openDrafts(oldKey, id, sealed);
    try {
      if (plain) {
        writeDraftsFile(this.folder, sealDrafts(newKey, id, plain));
      } else {
        removeDraftsFile(this.folder);
      }
    } catch {
      // Not written under the new key: finishRekey removes what the new key cannot open.
    } finally {
      plain?.fill(0);
    }
  }

  /**
   * At unlock, a committed re-key's journal still holding `back`: kept form text the new key
   * does not open yet is carried from the old key `back` gives. Drafts already under the new
   * key, or that the old key does not open either, are left as they are (finishRekey removes
   * the latter).
   */
  private carryDraftsBack(journal: RekeyJournalData): void {
    const sealed = readDraftsFile(this.folder);
    if (!journal.back || !sealed) {
      return;
    }
    const current = this.openDrafts(sealed);
    if (current) {
      current.fill(0);
      return;
    }
    const oldKey = openBack(this.dataKey, journal);
    if (!oldKey) {
      return;
    }
    const id = this.meta('vault_id') ?? '';
    const plain = openDrafts(oldKey, id, sealed);
    oldKey.fill(0);
    if (!plain) {
      return;
    }
    try {
      writeDraftsFile(this.folder, sealDrafts(this.dataKey, id, plain));
    } catch {
      // Not written: finishRekey removes what the new key cannot open, as before.
    } finally {
      plain.fill(0);
    }
  }

  /** Seals unsaved form text for `drafts.awb` under this vault's data key (drafts.ts). */
  sealDrafts(plain: Buffer): Buffer {
    return sealDrafts(this.dataKey, this.meta('vault_id') ?? '', plain);
  }

  /** The drafts `sealDrafts` sealed, or null if they were sealed under another key or vault. */
  openDrafts(sealed: Buffer): Buffer | null {
    return openDrafts(this.dataKey, this.meta('vault_id') ?? '', sealed);
  }

  /**
   * The new recovery key of the last re-key, if it has not been shown yet (it is kept, sealed
   * under the new data key, in the re-key journal until `recoveryKeyShown`).
   */
  pendingRecoveryKey(): string | null {
    const journal = readJournal(this.folder);
    if (!journal?.committed || !journal.recoveryKey) {
      return null;
    }
    return openRecoveryKey(this.dataKey, journal);
  }

  /** The new recovery key has been shown: it is dropped from the journal (and the journal with it). */
  recoveryKeyShown(): void {
    const journal = readJournal(this.folder);
    if (!journal?.committed) {
      return;
    }
    if (journal.cleaned) {
      removeJournal(this.folder);
    } else {
      delete journal.recoveryKey;
      writeJournal(this.folder, journal);
    }
  }

  /**
   * Removes what a re-key of an older version left for later (its note `rekey_leftovers`):
   * the generations and evidence files under the old key.
   */
  private async removeLeftovers(): Promise<void> {
    const note = this.meta('rekey_leftovers');
    if (!note) {
      return;
    }
    const leftovers = JSON.parse(note) as {
      blobs: string[];
      generations: { generation: number; fingerprint: string | null }[];
    };
    const { fs } = this.config;
    let complete = true;
    const remove = async (path: string) => {
      try {
        await fs.unlink(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          complete = false; // tried again at the next unlock
        }
      }
    };
    for (const g of leftovers.generations) {
      const path = vaultPath(this.folder, g.generation);
      // Only the very file the re-key saw: a generation written since is under the new key.
      if (fingerprintText(await fs.fingerprint(path)) === g.fingerprint) {
        await remove(path);
      }
    }
    const live = new Set(referencedAddresses(this.db));
    for (const address of leftovers.blobs) {
      if (!live.has(address)) {
        await remove(this.blobStore.pathOf(address));
      }
    }
    await fs.syncDir(this.folder).catch(() => undefined);
    if (!complete) {
      return;
    }
    await this.change(
      {
        action: 'vault.rekeyCleanup',
        entityType: 'vault',
        entityId: this.meta('vault_id') ?? '',
        changes: {
          generations: leftovers.generations.length,
          evidenceFiles: leftovers.blobs.length,
        },
      },
      (db) => db.run("DELETE FROM vault_meta WHERE key = 'rekey_leftovers'"),
    );
    await this.save();
  }

  /**
   * The kept generations whose audit trail the main file's does not reach: a trail longer than
   * the main file's, or another branch of it, is what a main file rolled back to an older copy
   * leaves. A generation's header anchor the main trail reaches is enough; any other is opened
   * (with this data key) and its own trail's head compared. Heads a signed explanation
   * acknowledged are not reported (a restore's row acknowledges none); generations under another
   * key cannot be judged.
   */
  private async findRollback(): Promise<RollbackFinding[]> {
    const out: RollbackFinding[] = [];
    const db = this.database;
    const mainRows = auditHead(db).rows;
    const acknowledged = acknowledgedHeads(db);
    for (const g of listGenerations(this.folder, this.config)) {
      const head = await this.unreachedHead(vaultPath(this.folder, g.generation), acknowledged);
      if (head) {
        out.push({ generation: g.generation, rows: head.rows, head: head.head, mainRows });
      }
    }
    // The newest head this machine saw: no kept generation needs to be left to tell.
    for (const remembered of this.rememberedHeads().reverse()) {
      if (
        anchorMismatch(db, remembered) !== null &&
        !acknowledged.has(`${remembered.rows}:${remembered.head}`) &&
        !out.some((f) => f.rows === remembered.rows && f.head === remembered.head)
      ) {
        out.unshift({ generation: 0, rows: remembered.rows, head: remembered.head, mainRows });
      }
    }
    // A kept damaged copy (`vault.awb.damaged-*`, the main file a restore replaced) whose body
    // still opens and whose trail the main file does not reach: the restore went back past work
    // that was whole, with no memory on this machine needed to tell (round 21q: a one-step
    // restore over an intact main file, on a machine that had not seen the vault, left it
    // writable). A copy whose body no longer opens claims a head nothing vouches for: restoring
    // over a damaged file is the recovery it is kept for (the restore's row names its claim).
    for (const file of folderInventory(this.folder)) {
      if (file.kind !== 'damaged-copy') {
        continue;
      }
      const head = await this.unreachedHead(join(this.folder, file.path), acknowledged);
      if (head && !out.some((f) => f.rows === head.rows && f.head === head.head)) {
        out.push({ generation: COPY_GENERATION, rows: head.rows, head: head.head, mainRows });
      }
    }
    return out;
  }

  /**
   * The trail head of the kept file at `path` (a generation or a damaged copy) when the main
   * trail does not reach it and no explanation acknowledged it; null otherwise, and for a file
   * whose header or body does not open. The header's claim is read first: a file whose claimed
   * head the main trail vouches for is not decrypted at every unlock (the claim is the body's
   * associated data, so a false claim leaves a body that does not open).
   */
  private async unreachedHead(path: string, acknowledged: Set<string>): Promise<TrailHead | null> {
    const db = this.database;
    const vouched = (h: TrailHead): boolean =>
      anchorMismatch(db, h) === null || acknowledged.has(`${h.rows}:${h.head}`);
    const header = peekHeader(path, this.config.limits);
    if (!header || (header.audit && vouched(header.audit))) {
      return null;
    }
    const head = await this.generationHead(path);
    return head && !vouched(head) ? head : null;
  }

  /**
   * Every head the machine's memory holds for this vault, oldest first (empty if none): what
   * vouches for the signers of explanations, at explanation time and when re-judged.
   */
  private headHistory(): TrailHead[] {
    const heads = this.config.heads;
    try {
      return heads ? this.memoryIds().flatMap((id) => heads.history(id)) : [];
    } catch {
      return [];
    }
  }

  /**
   * The ids this machine's memory judges the vault by: its own, and the id of the vault this
   * machine last saw in its folder when that is another (a rolled-back copy given a new id is
   * judged by the heads of the vault it replaced).
   */
  private memoryIds(): string[] {
    if (!this.config.heads) {
      return [];
    }
    // A vault whose id was removed or emptied is still judged by its folder's (21m V2).
    const id = this.meta('vault_id');
    const own = id ? [id] : [];
    try {
      const before = this.config.heads.vaultAt(this.folder);
      return before && before !== id ? [...own, before] : own;
    } catch {
      return own;
    }
  }

  /** Keeps `head` in the machine's memory for this vault (it vouched for an explanation). */
  private pinHead(head: TrailHead): void {
    const id = this.meta('vault_id');
    if (!id || !this.config.heads) {
      return;
    }
    try {
      this.config.heads.pin(id, head);
    } catch {
      // a memory that cannot be written must not stop the vault
    }
  }

  /**
   * The newest heads the machine's memory holds for this vault: its own, and that of the vault
   * it last saw in this folder when that is another (none if nothing is remembered).
   */
  private rememberedHeads(): TrailHead[] {
    const heads = this.config.heads;
    try {
      return heads
        ? this.memoryIds()
            .map((id) => heads.recall(id))
            .filter((h): h is TrailHead => h !== null)
        : [];
    } catch {
      return [];
    }
  }

  /** The head of a kept generation's own trail, if it opens with this data key. */
  private async generationHead(path: string): Promise<TrailHead | null> {
    let image: Buffer;
    try {
      const decoded = decodeContainer(await this.config.fs.readFile(path), {
        maxSchemaVersion: LATEST_SCHEMA_VERSION,
        limits: this.config.limits,
      });
      image = openBody(decoded, this.dataKey);
    } catch {
      return null;
    }
    const SQL = await loadSqlJs();
    let db: Database | null = null;
    try {
      db = new SQL.Database(image);
      return auditHead(db);
    } catch {
      return null;
    } finally {
      db?.close();
      image.fill(0);
    }
  }

  /**
   * Records the signed explanation of a broken trail and anchors the trail again. The row
   * cites every break no explanation covers yet (row, kind, expected and found hashes), the
   * kept generations the trail does not reach, the accreditor's text and the signer's
   * certificate, with a detached CMS signature over all of it (`signer`: a signing identity of
   * the vault). The vault is then saved: the header anchors the explanation's row, and the
   * breaks it cites are passed by every later walk of the chain, by this app and by `vault
   * check` (which keeps reporting them as explained).
   */
  async explainBreak(input: {
    text: string;
    signer: CmsSigner;
    signerSubject: string;
  }): Promise<{ row: number; breaks: AuditBreak[] }> {
    await this.checked;
    if (this.integrityState === 'failed') {
      throw new AppError('CORRUPTED_CONTENT', 'The database failed its checks; it is not saved', {
        reason: 'INTEGRITY_CHECK_FAILED',
      });
    }
    await this.writes.idle();
    await this.saving;
    this.assertNotBusy();
    const text = input.text.trim();
    if (!text) {
      throw new AppError('VALIDATION_FAILED', 'The explanation needs a text', {
        issues: [{ path: ['text'], code: 'too_small', message: 'the explanation needs a text' }],
      });
    }
    this.breaksCache = null;
    const breaks = this.auditReport.intact ? [] : this.breaks();
    const rollback = await this.findRollback();
    // A suspected rollback is explained as a break is: signed, citing the heads not reached.
    if (!rollback.length && (!breaks.length || this.auditReport.intact)) {
      throw new AppError(
        'NO_AUDIT_BREAK',
        'The audit trail is intact: there is nothing to explain',
      );
    }
    const [own] = input.signer.chain;
    if (!own) {
      throw new AppError('NO_SIGNING_IDENTITY', 'The signer has no certificate');
    }
    const fingerprint = createHash('sha256').update(own).digest('hex');
    // Only an identity the trail shows added before the damage, in the part of the trail this
    // machine's head memory vouches for, vouches for it (a rollback cites no break: its
    // damage is bounded by the memory alone). The same rule re-judges the row at every unlock.
    const nextRow = auditHead(this.db).rows + 1;
    const damage = explanationDamage(nextRow, breaks);
    const vouched = vouchedPrefix(this.db, this.headHistory(), damage);
    const signerFault = explanationSignerFault(
      identitiesAdded(this.db),
      fingerprint,
      damage,
      vouched,
    );
    if (signerFault) {
      throw new AppError(
        'SIGNATURE_INVALID',
        signerFault === 'SIGNER_NOT_VOUCHED'
          ? 'Only a signing identity added where this computer saw the trail as it is may explain it'
          : 'Only a signing identity added before the break may explain it',
        { reason: signerFault },
      );
    }
    const vaultId = this.meta('vault_id') ?? '';
    const at = this.config.now();
    const record: Omit<ExplanationRecord, 'signature'> = {
      breaks,
      text,
      previousHead: auditHead(this.db),
      generations: rollback.map((r) => ({ rows: r.rows, head: r.head })),
      signer: { fingerprint, subject: input.signerSubject },
    };
    const statement = explanationStatement({
      vaultId,
      at: at.toISOString(),
      actor: this.actor,
      record,
    });
    const signature = await signStatement(statement, input.signer);
    // A token that signed with another key than its certificate's is caught here, not later.
    const fault = explanationFault(statement, { signature, signer: record.signer });
    if (fault) {
      throw new AppError('SIGNATURE_INVALID', 'The explanation signature does not verify', {
        reason: fault,
      });
    }
    const migrate = this.formatVersion === 1;
    // The one write a broken vault takes: in one transaction, in this turn (no other write can
    // come between), past the write queue that refuses every other.
    await this.writes.idle();
    const db = this.database;
    if (auditHead(db).head !== record.previousHead.head) {
      throw new AppError('EXTERNAL_CHANGE', 'The trail changed while the explanation was signed');
    }
    let row = 0;
    db.run('BEGIN');
    try {
      row = appendAudit(
        db,
        this.actor,
        {
          action: EXPLANATION_ACTION,
          entityType: 'vault',
          entityId: vaultId,
          changes: { ...record, signature },
        },
        at,
      ).seq;
      if (migrate) {
        appendAudit(
          db,
          this.actor,
          {
            action: 'vault.format_migrated',
            entityType: 'vault',
            entityId: vaultId,
            changes: { format: [1, FORMAT_VERSION], anchor: 'added' },
          },
          at,
        );
      }
      db.run('COMMIT');
    } catch (error) {
      db.run('ROLLBACK');
      throw error;
    }
    this.committed++;
    // The remembered head that vouched for the signer stays in the memory from now on, so
    // that thinning never takes away what re-judges this row at the next unlock.
    const vouchedHash = vouched ? rowHashAt(this.db, vouched) : null;
    if (vouchedHash) {
      this.pinHead({ rows: vouched!, head: vouchedHash });
    }
    // The trail is anchored at its new head: the next save writes it into the header.
    this.anchor = auditHead(this.db);
    this.breaksCache = null;
    const left = this.breaks();
    this.auditReport = left[0]
      ? { intact: false, rows: auditHead(this.db).rows, brokenAt: left[0].row }
      : { intact: true, rows: auditHead(this.db).rows };
    if (migrate) {
      this.formatVersion = FORMAT_VERSION;
    }
    this.rollbackFindings = await this.findRollback();
    await this.save();
    return { row, breaks };
  }

  /**
   * Makes the open (previous-generation) content the main file again: the damaged main is
   * kept beside it as vault.awb.damaged-<time>, never deleted (a re-key removes it, after
   * listing it). The restore's audit row names the heads of the other kept generations, of the
   * damaged file and the one this machine remembers: their trails are longer than the restored
   * one, on purpose. A restore that leaves any of them behind is a rollback like any other: the
   * vault stays read-only (`ROLLBACK_SUSPECTED`) until a signed explanation names them. The row
   * is not signed, so it cannot be what acknowledges them.
   */
  async restoreAsMain(): Promise<void> {
    const main = vaultPath(this.folder);
    const { fs } = this.config;
    const skipped: TrailHead[] = [];
    for (const g of listGenerations(this.folder, this.config)) {
      const header = peekHeader(vaultPath(this.folder, g.generation), this.config.limits);
      if (header?.audit) {
        skipped.push({ rows: header.audit.rows, head: header.audit.head });
      }
    }
    const damaged = peekHeader(main, this.config.limits);
    if (damaged?.audit) {
      skipped.push({ rows: damaged.audit.rows, head: damaged.audit.head });
    }
    // The newest head this machine saw is left behind too, on purpose: named with the rest.
    skipped.push(...this.rememberedHeads());
    const db = this.database;
    const generations = skipped
      .filter((h) => anchorMismatch(db, h) !== null)
      .filter((h, i, all) => all.findIndex((o) => o.rows === h.rows && o.head === h.head) === i);
    // A generation whose own trail is broken is read-only: refused before the main file is
    // touched (the refusal came after it was renamed, and left the folder without one).
    await this.checked;
    if (!this.auditReport.intact) {
      throw readOnlyError(this.readOnly!);
    }
    let kept: string | null = null;
    if ((await fs.fingerprint(main)) !== null) {
      const stamp = this.config.now().toISOString().replace(/[:.]/g, '-');
      kept = `${main}.damaged-${stamp}`;
      await fs.rename(main, kept);
    }
    this.fingerprint = null;
    try {
      await this.change(
        {
          action: 'vault.restoreGeneration',
          entityType: 'vault',
          entityId: this.meta('vault_id') ?? '',
          changes: generations.length ? { generations } : {},
        },
        () => undefined,
      );
      if (this.formatVersion === 1) {
        await this.change(this.formatMigratedEntry(), () => undefined);
        this.formatVersion = FORMAT_VERSION;
      }
      await this.save();
    } catch (error) {
      // Nothing written in its place: the main file goes back where it was.
      if (kept !== null && (await fs.fingerprint(main)) === null) {
        await fs.rename(kept, main);
      }
      throw error;
    }
    this.rollbackFindings = await this.findRollback();
  }

  /**
   * Saves if needed, closes the database, drops the keys and releases the folder. If the save
   * fails the vault stays open and the error is thrown: a committed change is never dropped
   * (unless `discard` says the caller has decided to). A read-only vault (a broken trail) took
   * no change, so there is nothing to save.
   */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (this.closed) {
      return;
    }
    if (!options.discard) {
      // Until nothing is queued and the file holds every commit: a change made while a save
      // wrote is saved by the next round, never dropped.
      for (;;) {
        await this.writes.idle();
        await this.saving;
        if (!this.isDirty) {
          break;
        }
        try {
          await this.save();
        } catch (error) {
          if (isAppError(error) && error.code === 'VAULT_READ_ONLY') {
            break;
          }
          throw error;
        }
      }
    }
    this.closed = true;
    this.db.close();
    this.dataKey.fill(0);
    this.blobStore.wipe();
    this.lock.release();
  }
}

export { type ChainReport };
export { decodeContainer };
export type { Decoded };

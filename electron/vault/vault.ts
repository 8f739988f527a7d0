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
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { AppError } from '../../shared/errors';
import { REF_PREFIX, suggestPrefix } from '../../shared/references';
import {
  anchorMismatch,
  appendAudit,
  auditHead,
  verifyAuditChain,
  type Actor,
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
import {
  decodeContainer,
  FORMAT_VERSION,
  sealParts,
  SLOT_PASSPHRASE,
  SLOT_RECOVERY,
  unwrapKey,
  wrapKey,
  openBody,
  type AuditAnchor,
  type Decoded,
  type KeySlot,
} from './container';
import { BlobStore } from './blobs';
import { ImportJournal } from './import-journal';
import { nodeFs, sameFingerprint, type Fingerprint, type FsOps } from './fsops';
import {
  checkConfigKdf,
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

export const VAULT_FILE = 'vault.awb';
export const LOCK_FILE = 'vault.lock';
export const BLOB_DIR = 'blobs';
const TEMP_MARK = '.tmp-';

export interface VaultConfig {
  /** What new passphrase slots are derived with, and what weaker headers are re-wrapped to. */
  kdf: KdfParams;
  /** The headers refused outright (below `minimum`, above `ceiling`). */
  limits: KdfLimits;
  generations: number;
  fs: FsOps;
  now: () => Date;
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
 * The audit trail against the anchor the header was written with: the trail must reach the
 * anchored row with the anchored hash, and end there. A trail cut short, or rows rewritten,
 * show as broken at the first row that no longer matches.
 */
function anchoredReport(db: Database, anchor: AuditAnchor | null): ChainReport {
  const head = auditHead(db);
  if (!anchor) {
    return { intact: true, rows: head.rows };
  }
  if (head.rows < anchor.rows) {
    return { intact: false, rows: head.rows, brokenAt: head.rows + 1 };
  }
  const mismatch = anchorMismatch(db, anchor);
  if (mismatch !== null) {
    return { intact: false, rows: head.rows, brokenAt: mismatch };
  }
  if (head.rows > anchor.rows) {
    return { intact: false, rows: head.rows, brokenAt: anchor.rows + 1 };
  }
  return { intact: true, rows: head.rows };
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
    this.blobStore = new BlobStore(join(folder, BLOB_DIR), dataKey);
    this.writes = new WriteQueue(
      () => this.database,
      () => {
        this.committed++;
        this.onDirty();
      },
    );
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
      await vault.save();
      return { vault, recoveryKey: recovery.text };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Opens a vault with its passphrase or recovery key. */
  static async open(
    folder: string,
    secret: Secret,
    config: VaultConfig = PRODUCTION_CONFIG,
    options: OpenOptions = {},
  ): Promise<Vault> {
    checkConfigKdf(config);
    const lock = FolderLock.acquire(join(folder, LOCK_FILE));
    try {
      cleanStaleTemps(folder);
      const path = vaultPath(folder, options.generation ?? 0);
      const fingerprint = options.generation
        ? await config.fs.fingerprint(vaultPath(folder))
        : await config.fs.fingerprint(path);
      // The file's bytes are needed only until the body is decrypted: nothing keeps them after.
      const { header, image, dataKey } = await readContainer(path, config.fs, config.limits).then(
        async (decoded) => {
          const key = await unlockDataKey(decoded, secret);
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
      const vault = new Vault(
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
        anchoredReport(db, header.audit),
      );
      if (migrated) {
        // A migration has checked the database already; the chain is checked here too.
        vault.committed++; // write the new schema back
        vault.applyChecks({
          integrity: 'ok',
          foreignKeyViolations: 0,
          chain: verifyAuditChain(db),
        });
      } else if (image.length < WORKER_CHECKS_FROM) {
        // A small database checks in milliseconds: a worker would cost more than it saves.
        vault.integrityState = 'checking';
        vault.checked = new Promise<void>((resolve) =>
          setImmediate(() => {
            vault.applyChecks(vault.checkHere());
            resolve();
          }),
        );
      } else {
        vault.integrityState = 'checking';
        vault.checked = checkInBackground(Uint8Array.prototype.slice.call(image)).then(
          (report) => vault.applyChecks(report ?? vault.checkHere()),
          () => vault.applyChecks(vault.checkHere()),
        );
      }
      // A re-key interrupted after its new file was written left old files to remove.
      if (!options.generation && vault.meta('rekey_leftovers')) {
        await vault.removeLeftovers();
      }
      // An import interrupted before its vault was saved left evidence nothing refers to.
      if (!options.generation) {
        ImportJournal.resolve(folder, new Set(referencedAddresses(db)), (address) =>
          vault.blobs.pathOf(address),
        );
      }
      // A passphrase slot weaker than the configuration's KDF (an older version's, or a
      // header between the minimum and the floor) is re-wrapped now; the next save writes it.
      // Not on a trail already known broken: that vault has other things to settle first.
      const upgrade = kdfUpgrade(header.kdf, config.kdf);
      if (
        upgrade &&
        options.upgradeKdf !== false &&
        'passphrase' in secret &&
        vault.auditReport.intact
      ) {
        try {
          await vault.upgradeKdf(secret.passphrase, upgrade);
        } catch (error) {
          await vault.close({ discard: true });
          throw error;
        }
      }
      return vault;
    } catch (error) {
      lock.release();
      throw error;
    }
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

  /** The audit trail's state: the header anchor at unlock, then the whole chain once walked. */
  get audit(): ChainReport {
    return this.auditReport;
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
    await this.writes.idle();
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
    keys: { dataKey: Buffer; salt: Buffer; kdf: KdfParams; slots: KeySlot[]; rotate: boolean },
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

  /**
   * Re-keys the vault: a new data key; every evidence file sealed again under it (streamed,
   * with progress); the database written under it with a new passphrase slot (`next`, or the
   * current passphrase again) and a new recovery key, which is returned (shown once). Then the
   * kept generations and the old evidence files are removed, so the old passphrase and the old
   * recovery key open nothing in the folder. Until the new file is written, nothing changes;
   * a crash after it leaves a note the next unlock finishes.
   */
  async rekey(
    current: string,
    next: string | null,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ recoveryKey: string }> {
    await this.provePassphrase(current);
    await this.checked;
    if (this.integrityState === 'failed') {
      throw new AppError('CORRUPTED_CONTENT', 'The database failed its checks; it is not re-keyed');
    }
    await this.writes.idle();
    await this.saving;
    this.assertNotBusy();
    this.busy = true;
    const dir = join(this.folder, BLOB_DIR);
    const newKey = randomBytes(32);
    const newStore = new BlobStore(dir, newKey);
    const created: string[] = [];
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
        if (stored.created) {
          created.push(stored.address);
        }
        moved.set(address, stored.address);
      }
      // The new image: a copy of the database with its evidence references moved, a note of
      // what is to be removed once it is written, and the re-key in the audit trail.
      const SQL = await loadSqlJs();
      copy = new SQL.Database(exportDatabase(this.db));
      copy.run('PRAGMA foreign_keys = ON');
      const generations = listGenerations(this.folder, this.config).map((g) => g.generation);
      const leftovers = {
        blobs: [...moved.entries()].filter(([a, b]) => a !== b).map(([a]) => a),
        generations: await Promise.all(
          generations.map(async (g) => ({
            generation: g,
            fingerprint: fingerprintText(
              await this.config.fs.fingerprint(vaultPath(this.folder, g)),
            ),
          })),
        ),
      };
      copy.run('BEGIN');
      for (const [table, column] of BLOB_REFERENCES) {
        for (const [from, to] of moved) {
          copy.run(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`, [to, from]);
        }
      }
      copy.run("INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('rekey_leftovers', ?)", [
        JSON.stringify(leftovers),
      ]);
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
            evidenceFiles: refs.length,
            passphrase: next === null ? 'kept' : 'changed',
            recoveryKey: 'replaced',
          },
        },
        this.config.now(),
      );
      copy.run('COMMIT');
      const salt = randomBytes(32);
      const kek = await deriveKey(next ?? current, salt, this.config.kdf);
      const recovery = generateRecoveryKey();
      const rKek = recoveryKek(recovery.bytes);
      const slots = [wrapKey(kek, newKey, SLOT_PASSPHRASE), wrapKey(rKek, newKey, SLOT_RECOVERY)];
      kek.fill(0);
      rKek.fill(0);
      recovery.bytes.fill(0);
      await this.writeImage(exportDatabase(copy), auditHead(copy), schemaVersion(copy), {
        dataKey: newKey,
        salt,
        kdf: this.config.kdf,
        slots,
        rotate: false,
      });
      // Written: the vault now lives under the new key.
      const old = this.db;
      this.db = copy;
      copy = null;
      old.close();
      this.dataKey.fill(0);
      this.dataKey = newKey;
      this.blobStore.wipe();
      this.blobStore = newStore;
      this.salt = salt;
      this.kdf = this.config.kdf;
      this.slots = slots;
      // The generations are removed below: none is left to re-wrap.
      this.replacedSlot = null;
      this.persisted = this.committed;
      this.auditReport = {
        intact: this.auditReport.intact,
        rows: auditHead(this.db).rows,
        ...(this.auditReport.brokenAt ? { brokenAt: this.auditReport.brokenAt } : {}),
      };
      this.busy = false;
      await this.removeLeftovers();
      return { recoveryKey: recovery.text };
    } catch (error) {
      copy?.close();
      for (const address of created) {
        await newStore.remove(address);
      }
      newStore.wipe();
      throw error instanceof AppError
        ? error
        : new AppError('SAVE_FAILED', 'The vault could not be re-keyed');
    } finally {
      this.busy = false;
    }
  }

  /**
   * Removes what a re-key left for later (the generations and evidence files under the old key)
   * and clears the note. Runs right after a re-key, and at unlock if one was interrupted.
   */
  async removeLeftovers(): Promise<void> {
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

  /** Sets a new passphrase without the old one (after opening with the recovery key). */
  async setPassphrase(next: string, action = 'vault.recover'): Promise<void> {
    const salt = randomBytes(32);
    const kek = await deriveKey(next, salt, this.config.kdf);
    const slot = wrapKey(kek, this.dataKey, SLOT_PASSPHRASE);
    kek.fill(0);
    const previous = { salt: this.salt, kdf: this.kdf, slots: this.slots };
    this.salt = salt;
    this.kdf = this.config.kdf;
    this.slots = [slot, ...this.slots.filter((s) => s.type !== SLOT_PASSPHRASE)];
    await this.change(
      {
        action,
        entityType: 'vault',
        entityId: this.meta('vault_id') ?? '',
        changes: { passphrase: 'changed' },
      },
      () => undefined,
    );
    try {
      await this.save();
    } catch (error) {
      Object.assign(this, previous);
      throw error;
    }
  }

  /**
   * Makes the open (previous-generation) content the main file again: the damaged main is
   * kept beside it as vault.awb.damaged-<time>, never deleted.
   */
  async restoreAsMain(): Promise<void> {
    const main = vaultPath(this.folder);
    const { fs } = this.config;
    if ((await fs.fingerprint(main)) !== null) {
      const stamp = this.config.now().toISOString().replace(/[:.]/g, '-');
      await fs.rename(main, `${main}.damaged-${stamp}`);
    }
    this.fingerprint = null;
    await this.change(
      {
        action: 'vault.restoreGeneration',
        entityType: 'vault',
        entityId: this.meta('vault_id') ?? '',
        changes: {},
      },
      () => undefined,
    );
    await this.save();
  }

  /**
   * Saves if needed, closes the database, drops the keys and releases the folder. If the save
   * fails the vault stays open and the error is thrown: a committed change is never dropped
   * (unless `discard` says the caller has decided to).
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
        await this.save();
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

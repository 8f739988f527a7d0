/**
 * The vault as the application sees it: none → unlocked ⇄ locked. Owns the one open Vault,
 * coalesces bursts of changes into one save, locks after the configured idle time and on
 * request (OS suspend and screen lock are wired to `lock` by the main process), and tells the
 * renderer about state changes so it can drop what it shows.
 *
 * Longer than 500 lines: the area's SQL, rules and use cases together, until the split by
 * capability into repository, domain and use cases.
 */
import { randomInt } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import {
  DraftsSchema,
  type Draft,
  type LockReason,
  type Profile,
  type VaultState,
  type VaultStatus,
} from '../../shared/contract';
import { AppError, isAppError } from '../../shared/errors';
import { passphraseStrength } from '../../shared/passphrase';
import type { Emit, PreferencesStore } from './host';
import type { CmsSigner } from '../signing/cms';
import { readDraftsFile, removeDraftsFile, writeDraftsFile } from '../vault/drafts';
import { recoveryKeyGroups } from '../vault/recovery';
import { listGenerations, Vault, type Secret, type VaultConfig } from '../vault/vault';

export interface VaultServiceOptions {
  config: VaultConfig;
  prefs: PreferencesStore;
  emit: Emit;
  /** How long a burst of changes may wait before it is saved. */
  saveDelayMs?: number;
  /** Clock for idle checks (tests move it). */
  clock?: () => number;
  /**
   * Tests only (the e2e preview): the idle time in milliseconds instead of the preference's
   * minutes, and how often it is checked (15 s otherwise). What ships never sets them.
   */
  idle?: { limitMs: number; checkEveryMs: number };
}

function normaliseFolder(folder: string): string {
  if (!isAbsolute(folder)) {
    throw new AppError('VALIDATION_FAILED', 'The vault folder must be an absolute path', {
      issues: [{ path: ['folder'], code: 'custom', message: 'absolute path required' }],
    });
  }
  return resolve(folder);
}

function requireStrong(passphrase: string, profile?: Profile): void {
  const context = profile ? [profile.name, profile.organisation] : [];
  const strength = passphraseStrength(passphrase, context);
  if (!strength.acceptable) {
    throw new AppError('WEAK_PASSPHRASE', 'Passphrase too weak', { issues: strength.issues });
  }
}

/** Two different groups of a recovery key the user types back to show it was written down. */
function confirmationGroups(recoveryKey: string): number[] {
  const count = recoveryKeyGroups(recoveryKey).length;
  const first = randomInt(1, count);
  let second = randomInt(1, count);
  if (second === first) {
    second = (first % (count - 1)) + 1;
  }
  return [first, second].sort((a, b) => a - b);
}

export class VaultService {
  private vault: Vault | null = null;
  private folder: string | null = null;
  private pendingRecovery: { text: string; groups: number[] } | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActivity: number;
  private readonly clock: () => number;
  private readonly lockListeners = new Set<() => void>();
  private readonly dayListeners = new Set<() => Promise<unknown>>();
  /** The day the day listeners last ran for (they run again when the date changes). */
  private day: string | null = null;
  /** The forms' unsaved text as the renderer last handed it over (sealed beside the vault too). */
  private drafts: Draft[] = [];
  /** The unsaved text kept at the last lock, offered after unlock until the forms answer. */
  private offered: Draft[] | null = null;
  /** Why the vault locked, while it is locked. */
  private lockedBy: LockReason | null = null;

  constructor(private readonly options: VaultServiceOptions) {
    this.clock = options.clock ?? Date.now;
    this.lastActivity = this.clock();
  }

  state(): VaultState {
    return this.vault ? 'unlocked' : this.folder ? 'locked' : 'none';
  }

  /** The open vault, or VAULT_LOCKED. Feature services reach the database through this. */
  current(): Vault {
    if (!this.vault) {
      throw new AppError('VAULT_LOCKED', 'The vault is locked');
    }
    return this.vault;
  }

  status(): VaultStatus {
    const v = this.vault;
    if (!v) {
      return {
        state: this.state(),
        folder: this.folder,
        profile: null,
        recoveryKey: null,
        audit: null,
        integrity: null,
        confirmGroups: null,
        readOnly: null,
        rollback: [],
        rekey: null,
        locked: this.folder ? this.lockedBy : null,
      };
    }
    return {
      state: 'unlocked',
      folder: v.folder,
      profile: {
        name: v.actor.name,
        organisation: v.actor.organisation,
        role: v.actor.role,
        ...(v.meta('ref_prefix') ? { referencePrefix: v.meta('ref_prefix')! } : {}),
      },
      recoveryKey: {
        present: v.hasRecoverySlot,
        createdAt: v.meta('recovery_key_created_at'),
        confirmed: v.meta('recovery_key_confirmed_at') !== null,
      },
      audit:
        v.audit.brokenAt === undefined
          ? { intact: v.audit.intact, rows: v.audit.rows }
          : { ...v.audit },
      integrity: v.integrity,
      confirmGroups: this.pendingRecovery?.groups ?? null,
      readOnly: v.readOnly,
      rollback: v.rollback.map(({ generation, rows, mainRows }) => ({
        generation,
        rows,
        mainRows,
      })),
      rekey: v.rekeyNotice,
      locked: null,
    };
  }

  /** Called after every lock (e.g. to drop unfinished uploads). */
  /**
   * Called when a vault opens and each time the date changes while it is open (the steps time
   * takes by itself: approvals expiring, re-accreditation falling due).
   */
  onDay(listener: () => Promise<unknown>): void {
    this.dayListeners.add(listener);
  }

  /** Runs the day listeners if the date has changed since they last ran for this vault. */
  async newDay(): Promise<void> {
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    if (!this.vault || this.day === day) {
      return;
    }
    this.day = day;
    for (const listener of this.dayListeners) {
      // A step that cannot be taken now is taken at the next check; it never blocks the vault.
      await listener().catch(() => undefined);
    }
  }

  onLock(listener: () => void): void {
    this.lockListeners.add(listener);
  }

  /** Records user activity (every call from the UI) for the idle lock. */
  touch(): void {
    this.lastActivity = this.clock();
  }

  async create(
    folder: string,
    passphrase: string,
    profile: Profile,
  ): Promise<{ recoveryKey: string; status: VaultStatus }> {
    await this.closeCurrent();
    requireStrong(passphrase, profile);
    const path = normaliseFolder(folder);
    const { vault, recoveryKey } = await Vault.create(
      path,
      passphrase,
      profile,
      this.options.config,
    );
    this.pendingRecovery = { text: recoveryKey, groups: confirmationGroups(recoveryKey) };
    this.attach(vault);
    return { recoveryKey, status: this.status() };
  }

  /** Checks the typed-back groups of the recovery key shown at creation; then forgets it. */
  async confirmRecoveryKey(answers: { group: number; text: string }[]): Promise<VaultStatus> {
    const vault = this.current();
    const pending = this.pendingRecovery;
    if (!pending) {
      return this.status();
    }
    const groups = recoveryKeyGroups(pending.text);
    const asked = new Set(pending.groups);
    const norm = (t: string): string =>
      t.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
    const correct =
      answers.length === asked.size &&
      answers.every((a) => asked.has(a.group) && norm(a.text) === groups[a.group - 1]);
    if (!correct) {
      throw new AppError('WRONG_RECOVERY_KEY', 'The typed groups do not match the recovery key');
    }
    this.pendingRecovery = null;
    // Shown and typed back: the re-key journal no longer keeps it.
    vault.recoveryKeyShown();
    if (vault.readOnly) {
      // A vault that takes no change: the confirmation cannot be recorded, only forgotten.
      return this.status();
    }
    const at = new Date().toISOString();
    await vault.change(
      {
        action: 'vault.confirmRecoveryKey',
        entityType: 'vault',
        entityId: vault.meta('vault_id') ?? '',
        changes: {},
      },
      (db) =>
        db.run(
          "INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('recovery_key_confirmed_at', ?)",
          [at],
        ),
    );
    return this.status();
  }

  async unlock(folder: string, secret: Secret): Promise<VaultStatus> {
    await this.closeCurrent();
    const path = normaliseFolder(folder);
    const vault = await Vault.open(path, secret, this.options.config);
    this.attach(vault);
    return this.status();
  }

  /**
   * Opens the vault with its recovery key and re-keys it exactly as a passphrase change does:
   * a new data key, every evidence file sealed again, a new passphrase slot and a new recovery
   * key (shown once, to confirm); afterwards the old recovery key opens nothing in the folder.
   */
  async recover(folder: string, recoveryKey: string, newPassphrase: string): Promise<VaultStatus> {
    requireStrong(newPassphrase);
    await this.unlock(folder, { recoveryKey });
    return this.rekey(this.current(), { recoveryKey }, newPassphrase);
  }

  /**
   * Records the signed explanation of a broken audit trail: the vault, read-only until now,
   * takes changes again. `signer` is one of the vault's signing identities.
   */
  async explainBreak(
    text: string,
    signer: CmsSigner,
    signerSubject: string,
  ): Promise<{ row: number; breaks: number; status: VaultStatus }> {
    const vault = this.current();
    this.clearSaveTimer();
    const { row, breaks } = await vault.explainBreak({ text, signer, signerSubject });
    this.options.emit('vault:stateChanged', { state: 'unlocked' });
    return { row, breaks: breaks.length, status: this.status() };
  }

  /**
   * Changes the passphrase by re-keying the vault (new data key, every evidence file sealed
   * again, the kept generations removed), which also issues a new recovery key to confirm:
   * afterwards the old passphrase and the old recovery key open nothing in the folder.
   */
  async changePassphrase(current: string, next: string): Promise<VaultStatus> {
    const vault = this.current();
    requireStrong(next, vault.actor);
    return this.rekey(vault, current, next);
  }

  /** Issues a new recovery key by re-keying the vault; the old one stops working. */
  async newRecoveryKey(current: string): Promise<VaultStatus> {
    return this.rekey(this.current(), current, null);
  }

  private async rekey(
    vault: Vault,
    current: string | Secret,
    next: string | null,
  ): Promise<VaultStatus> {
    this.clearSaveTimer();
    const { recoveryKey } = await vault.rekey(current, next, (done, total) =>
      this.options.emit('task:progress', { task: 'rekey', done, total }),
    );
    this.pendingRecovery = { text: recoveryKey, groups: confirmationGroups(recoveryKey) };
    try {
      this.sealDrafts(vault); // under the new key: the old one opens nothing in the folder
    } catch {
      removeDraftsFile(vault.folder);
    }
    // A status asked for while the re-key ran is stale: the UI asks again.
    this.options.emit('vault:stateChanged', { state: 'unlocked' });
    return this.status();
  }

  /** The recovery key waiting for confirmation (kept in memory only), to show it again. */
  pendingRecoveryKey(): string | null {
    return this.vault ? (this.pendingRecovery?.text ?? null) : null;
  }

  generations(folder: string) {
    return listGenerations(normaliseFolder(folder), this.options.config);
  }

  /** Opens a previous generation with the passphrase and makes it the main file again. */
  async restore(folder: string, generation: number, passphrase: string): Promise<VaultStatus> {
    await this.closeCurrent();
    const path = normaliseFolder(folder);
    const vault = await Vault.open(path, { passphrase }, this.options.config, { generation });
    try {
      await vault.restoreAsMain();
    } catch (error) {
      await vault.close({ discard: true });
      throw error;
    }
    this.attach(vault);
    return this.status();
  }

  /**
   * The forms' unsaved text now: kept in memory and sealed beside the vault at once (a crash
   * keeps it too); none removes the file. Returns how many forms' text is kept.
   */
  keepDrafts(drafts: Draft[]): number {
    const vault = this.current();
    this.drafts = drafts;
    this.offered = null;
    this.sealDrafts(vault);
    return drafts.length;
  }

  /**
   * The unsaved text kept at the last lock, offered until the forms hand over their text again
   * (restored or discarded: `keepDrafts`); then none. A reload before the user chose sees it again.
   */
  takeDrafts(): Draft[] {
    this.current();
    return this.offered ?? [];
  }

  private sealDrafts(vault: Vault): void {
    if (this.drafts.length === 0) {
      removeDraftsFile(vault.folder);
    } else {
      writeDraftsFile(vault.folder, vault.sealDrafts(Buffer.from(JSON.stringify(this.drafts))));
    }
  }

  /** The drafts sealed beside the vault, if they open under its key and read as drafts. */
  private openDrafts(vault: Vault): Draft[] {
    const sealed = readDraftsFile(vault.folder);
    const plain = sealed ? vault.openDrafts(sealed) : null;
    if (!plain) {
      if (sealed) {
        removeDraftsFile(vault.folder); // not this vault's, or not under its key: never shown
      }
      return [];
    }
    try {
      const parsed = DraftsSchema.safeParse(JSON.parse(plain.toString('utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  /**
   * Saves, closes the database and drops the keys. If the save fails the vault stays unlocked
   * and the error is raised: locking never throws a committed change away. The forms' unsaved
   * text (`drafts`, or what was last handed over) is sealed beside the vault first, under its
   * key, and offered back after the next unlock; `reason` is shown on the lock screen.
   */
  async lock(reason: LockReason['reason'] = 'user', drafts?: Draft[]): Promise<VaultStatus> {
    const vault = this.vault;
    if (vault) {
      this.clearSaveTimer();
      if (drafts) {
        this.drafts = drafts;
      }
      let kept = 0;
      try {
        this.sealDrafts(vault);
        kept = this.drafts.length;
      } catch (error) {
        // A folder that takes no file now: the lock goes ahead (it protects), and says so.
        this.options.emit('vault:saveFailed', {
          code: isAppError(error) ? error.code : 'SAVE_FAILED',
        });
      }
      await vault.close();
      this.vault = null;
      this.drafts = [];
      this.offered = null;
      this.lockedBy = {
        reason,
        ...(reason === 'idle'
          ? { minutes: Math.max(1, Math.round(this.idleLimit() / 60_000)) }
          : {}),
        ...(kept ? { kept } : {}),
      };
      this.pendingRecovery = null;
      this.stopIdleTimer();
      for (const listener of this.lockListeners) {
        listener();
      }
      this.options.emit('vault:stateChanged', { state: this.state() });
    }
    return this.status();
  }

  /** On quit: save and close; never loses a commit silently. */
  async shutdown(): Promise<void> {
    await this.lock();
  }

  /** Locks if the vault has been idle longer than the preference allows. */
  async checkIdle(): Promise<boolean> {
    if (!this.vault) {
      return false;
    }
    if (this.clock() - this.lastActivity < this.idleLimit()) {
      return false;
    }
    try {
      await this.lock('idle');
      return true;
    } catch (error) {
      this.options.emit('vault:saveFailed', {
        code: isAppError(error) ? error.code : 'SAVE_FAILED',
      });
      return false;
    }
  }

  private idleLimit(): number {
    return this.options.idle?.limitMs ?? this.options.prefs.get().idleLockMinutes * 60_000;
  }

  private attach(vault: Vault): void {
    this.vault = vault;
    this.folder = vault.folder;
    this.lockedBy = null;
    // The unsaved text kept at the last lock: offered once, and kept sealed until the forms
    // hand over their text again (restored, or discarded).
    this.drafts = this.openDrafts(vault);
    this.offered = this.drafts.length ? this.drafts : null;
    this.touch();
    // A re-key whose new recovery key was never shown (the process ended first): shown now,
    // until it is confirmed.
    const unshown = vault.pendingRecoveryKey();
    this.pendingRecovery = unshown
      ? { text: unshown, groups: confirmationGroups(unshown) }
      : this.pendingRecovery;
    vault.onDirty = () => this.scheduleSave();
    // The checks after unlock finish later: the UI then shows their verdict.
    vault.onChecked = () => {
      if (this.vault === vault) {
        this.options.emit('vault:stateChanged', { state: 'unlocked' });
      }
    };
    if (vault.isDirty) {
      this.scheduleSave();
    }
    this.rememberFolder(vault.folder);
    this.startIdleTimer();
    this.day = null;
    void this.newDay().then(() => {
      if (this.vault === vault) {
        this.options.emit('vault:stateChanged', { state: 'unlocked' });
      }
    });
    this.options.emit('vault:stateChanged', { state: 'unlocked' });
  }

  private rememberFolder(folder: string): void {
    const prefs = this.options.prefs;
    try {
      const recent = [folder, ...prefs.get().recentVaults.filter((f) => f !== folder)].slice(0, 10);
      prefs.update({ recentVaults: recent });
    } catch {
      // a preference that cannot be written must not block the vault
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) {
      return;
    }
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.saveNow();
    }, this.options.saveDelayMs ?? 400);
  }

  /** Saves pending changes now; a failure is reported as an event, the changes stay pending. */
  async saveNow(): Promise<void> {
    const vault = this.vault;
    if (!vault?.isDirty) {
      return;
    }
    try {
      await vault.save();
      // A change committed while that save wrote is not in it: save again.
      if (vault.isDirty && this.vault === vault) {
        this.scheduleSave();
      }
    } catch (error) {
      this.options.emit('vault:saveFailed', {
        code: isAppError(error) ? error.code : 'SAVE_FAILED',
      });
    }
  }

  private clearSaveTimer(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
  }

  private startIdleTimer(): void {
    this.stopIdleTimer();
    this.idleTimer = setInterval(() => {
      void this.checkIdle();
      void this.newDay();
    }, this.options.idle?.checkEveryMs ?? 15_000);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) {
      clearInterval(this.idleTimer);
      this.idleTimer = null;
    }
  }

  private async closeCurrent(): Promise<void> {
    if (this.vault) {
      await this.lock();
    }
  }
}

/**
 * The re-key journal: `rekey.journal` beside the vault while a re-key is under way, and until
 * its new recovery key has been shown (docs/vault.md, "Re-keying").
 *
 * Written (atomically: temp file, fsync, rename, folder fsync) before the first new file
 * appears, it holds what the re-key needs to be finished by whichever secret the next unlock
 * is given:
 * - the new container header's key slots (the new data key under the new passphrase and under
 *   the new recovery key);
 * - until the new main file is in place, the new data key sealed under the old one (an unlock
 *   with the old secret finishes the re-key) and the old data key under the new one (an unlock
 *   with the new passphrase opens the old main file to finish it); both are dropped from the
 *   journal as soon as the new main file is written;
 * - the new recovery key, sealed under the new data key, until it has been shown;
 * - every file of the folder under the old key, to be removed once the new main file is
 *   written: generations, kept damaged copies, evidence files (referenced ones are sealed
 *   again first), temp files.
 * Nothing in it opens anything without a secret: addresses and file names are not secret.
 */
import { readFileSync, rmSync } from 'node:fs';
import { syncFolder, writeFileAtomic } from './atomic';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KdfParams } from './kdf';
import type { KeySlot } from './container';

export const REKEY_JOURNAL = 'rekey.journal';

/** The steps of a re-key a test can stop at (VaultConfig.rekeyStep), in order. */
export const REKEY_STEPS = [
  'journal',
  'evidence',
  'image',
  'commit',
  'committed',
  'generations',
  'copies',
  'evidence-removed',
  'cleaned',
] as const;
export type RekeyStep = (typeof REKEY_STEPS)[number];

interface Sealed {
  nonce: string;
  data: string;
}

export interface RekeyFiles {
  /** Generations (`vault.awb.N`) with the fingerprint they had when the re-key began. */
  generations: { name: string; fingerprint: string | null }[];
  /** Kept damaged copies (`vault.awb.damaged-*`): name, size and SHA-256 of the file. */
  copies: { name: string; size: number; sha256: string }[];
  /** Every evidence file in `blobs/` when the re-key began. */
  blobs: string[];
  /** Evidence files nothing referred to: removed, not sealed again. */
  unreferenced: string[];
  /** Temp files (a crashed save's or upload's). */
  temps: string[];
}

export interface RekeyJournalData {
  version: 1;
  startedAt: string;
  /** Why: a new passphrase, a new recovery key, or a recovery (recovery key + new passphrase). */
  reason: 'passphrase' | 'recoveryKey' | 'recover';
  /** The new main file's header: salt, KDF and key slots (hex). */
  header: {
    salt: string;
    kdf: KdfParams;
    slots: { type: number; nonce: string; wrapped: string }[];
  };
  /** The new data key sealed under the old one; gone once committed. */
  forward?: Sealed;
  /** The old data key sealed under the new one; gone once committed. */
  back?: Sealed;
  /** Whether the new main file has been written. */
  committed: boolean;
  /** Whether every old file has been removed. */
  cleaned: boolean;
  /** The new recovery key, sealed under the new data key, until shown. */
  recoveryKey?: Sealed;
  old: RekeyFiles;
}

function sealWith(key: Buffer, purpose: string, plain: Buffer): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`AWB rekey ${purpose} v1`, 'latin1'));
  const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { nonce: nonce.toString('hex'), data: data.toString('hex') };
}

function openWith(key: Buffer, purpose: string, sealed: Sealed | undefined): Buffer | null {
  if (!sealed) {
    return null;
  }
  try {
    const data = Buffer.from(sealed.data, 'hex');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'hex'));
    decipher.setAAD(Buffer.from(`AWB rekey ${purpose} v1`, 'latin1'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

/** The key the journal seals the new recovery key with: derived from the new data key. */
function journalKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, 'awb rekey', 'awb rekey journal v1', 32));
}

export function sealForward(oldKey: Buffer, newKey: Buffer): Sealed {
  return sealWith(oldKey, 'forward', newKey);
}
export function sealBack(newKey: Buffer, oldKey: Buffer): Sealed {
  return sealWith(newKey, 'back', oldKey);
}
export function openForward(oldKey: Buffer, journal: RekeyJournalData): Buffer | null {
  return openWith(oldKey, 'forward', journal.forward);
}
export function openBack(newKey: Buffer, journal: RekeyJournalData): Buffer | null {
  return openWith(newKey, 'back', journal.back);
}
export function sealRecoveryKey(newKey: Buffer, text: string): Sealed {
  const key = journalKey(newKey);
  try {
    return sealWith(key, 'recovery key', Buffer.from(text, 'utf8'));
  } finally {
    key.fill(0);
  }
}
export function openRecoveryKey(dataKey: Buffer, journal: RekeyJournalData): string | null {
  const key = journalKey(dataKey);
  try {
    return openWith(key, 'recovery key', journal.recoveryKey)?.toString('utf8') ?? null;
  } finally {
    key.fill(0);
  }
}

export function slotsToJson(slots: KeySlot[]): RekeyJournalData['header']['slots'] {
  return slots.map((s) => ({
    type: s.type,
    nonce: s.nonce.toString('hex'),
    wrapped: s.wrapped.toString('hex'),
  }));
}

export function slotsFromJson(slots: RekeyJournalData['header']['slots']): KeySlot[] {
  return slots.map((s) => ({
    type: s.type,
    nonce: Buffer.from(s.nonce, 'hex'),
    wrapped: Buffer.from(s.wrapped, 'hex'),
  }));
}

export function journalPath(folder: string): string {
  return join(folder, REKEY_JOURNAL);
}

/** The journal of an unfinished re-key, or null. An unreadable journal is null too. */
export function readJournal(folder: string): RekeyJournalData | null {
  let text: string;
  try {
    text = readFileSync(journalPath(folder), 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as RekeyJournalData;
    return data.version === 1 && data.header && data.old ? data : null;
  } catch {
    return null;
  }
}

/** Writes the journal atomically: temp file (0600), fsync, rename, folder fsync. */
export function writeJournal(folder: string, data: RekeyJournalData): void {
  writeFileAtomic(journalPath(folder), folder, JSON.stringify(data));
}

export function removeJournal(folder: string): void {
  rmSync(journalPath(folder), { force: true });
  syncFolder(folder);
}

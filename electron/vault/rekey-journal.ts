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
 *
 * Anyone who can write to the folder can write a journal, so an unlock acts on one only when it
 * is this re-key's own: every name it lists is a file of its kind inside the folder (never a
 * way out of it), and what it says to do — the new header and the files to remove — carries a
 * MAC under the old data key (checked while the main file is the old one) and one under the new
 * (checked once the new main file is in place). A journal that fails either is not acted on.
 */
import { readFileSync, rmSync } from 'node:fs';
import { syncFolder, writeFileAtomic } from './atomic';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { join } from 'node:path';
import type { KdfParams } from './kdf';
import type { KeySlot } from './container';
import { isFolderFile } from './inventory';

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
  /**
   * Kept damaged copies (`vault.awb.damaged-*`) and stray copies of vault data under names the
   * workbench never writes (inventory.ts): name, size and SHA-256 of the file.
   */
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
  /** MACs of what the journal says to do, under the old and the new data key (hex). */
  mac: { old: string; new: string };
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

/** What a journal's MACs cover, in a fixed order: all but the flags and the sealed keys. */
function macInput(journal: RekeyJournalData): string {
  const { header, old } = journal;
  return JSON.stringify([
    'AWB rekey journal v1',
    journal.version,
    journal.startedAt,
    journal.reason,
    header.salt,
    [header.kdf.memoryKiB, header.kdf.iterations, header.kdf.parallelism],
    header.slots.map((s) => [s.type, s.nonce, s.wrapped]),
    old.generations.map((g) => [g.name, g.fingerprint]),
    old.copies.map((c) => [c.name, c.size, c.sha256]),
    old.blobs,
    old.unreferenced,
    old.temps,
  ]);
}

function macWith(dataKey: Buffer, journal: RekeyJournalData): Buffer {
  const key = Buffer.from(hkdfSync('sha256', dataKey, 'awb rekey', 'awb rekey journal mac v1', 32));
  try {
    return createHmac('sha256', key).update(macInput(journal), 'utf8').digest();
  } finally {
    key.fill(0);
  }
}

/** The journal's MACs, under the data key the re-key leaves and the one it makes. */
export function macJournal(
  oldKey: Buffer,
  newKey: Buffer,
  journal: Omit<RekeyJournalData, 'mac'>,
): RekeyJournalData['mac'] {
  const whole = { ...journal, mac: { old: '', new: '' } };
  return {
    old: macWith(oldKey, whole).toString('hex'),
    new: macWith(newKey, whole).toString('hex'),
  };
}

/** Whether the journal is this re-key's own: its MAC under `which` data key holds. */
export function journalAuthentic(
  dataKey: Buffer,
  journal: RekeyJournalData,
  which: 'old' | 'new',
): boolean {
  const given = Buffer.from(journal.mac[which], 'hex');
  const expected = macWith(dataKey, journal);
  return given.length === expected.length && timingSafeEqual(given, expected);
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

const HEX = /^[0-9a-f]*$/;
const ADDRESS = /^[0-9a-f]{64}$/;
const isText = (v: unknown): v is string => typeof v === 'string';
const isHex = (v: unknown): v is string => isText(v) && HEX.test(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const listOf = <T>(v: unknown, each: (e: unknown) => e is T): v is T[] =>
  Array.isArray(v) && v.every(each);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isSealed = (v: unknown): v is Sealed => isObject(v) && isHex(v.nonce) && isHex(v.data);
const optionalSealed = (v: unknown) => v === undefined || isSealed(v);

/**
 * Whether `data` has a journal's shape, and every file it lists is one of its kind inside the
 * folder: a journal naming anything else (a path out of the folder, a file of another kind)
 * is no journal of this program's.
 */
function isJournal(data: unknown): data is RekeyJournalData {
  if (!isObject(data)) {
    return false;
  }
  const j = data;
  const { header, old, mac } = j;
  const kdf = isObject(header) ? header.kdf : undefined;
  return (
    j.version === 1 &&
    isText(j.startedAt) &&
    (j.reason === 'passphrase' || j.reason === 'recoveryKey' || j.reason === 'recover') &&
    typeof j.committed === 'boolean' &&
    typeof j.cleaned === 'boolean' &&
    optionalSealed(j.forward) &&
    optionalSealed(j.back) &&
    optionalSealed(j.recoveryKey) &&
    isObject(header) &&
    isHex(header.salt) &&
    isObject(kdf) &&
    isCount(kdf.memoryKiB) &&
    isCount(kdf.iterations) &&
    isCount(kdf.parallelism) &&
    listOf(
      header.slots,
      (s): s is RekeyJournalData['header']['slots'][number] =>
        isObject(s) && isCount(s.type) && isHex(s.nonce) && isHex(s.wrapped),
    ) &&
    isObject(old) &&
    listOf(
      old.generations,
      (g): g is RekeyFiles['generations'][number] =>
        isObject(g) &&
        isText(g.name) &&
        isFolderFile(g.name, 'generation') &&
        (g.fingerprint === null || isText(g.fingerprint)),
    ) &&
    listOf(
      old.copies,
      (c): c is RekeyFiles['copies'][number] =>
        isObject(c) &&
        isText(c.name) &&
        (isFolderFile(c.name, 'damaged-copy') || isFolderFile(c.name, 'stray-copy')) &&
        isCount(c.size) &&
        isHex(c.sha256),
    ) &&
    listOf(old.blobs, (a): a is string => isText(a) && ADDRESS.test(a)) &&
    listOf(old.unreferenced, (a): a is string => isText(a) && ADDRESS.test(a)) &&
    listOf(old.temps, (n): n is string => isText(n) && isFolderFile(n, 'temp')) &&
    isObject(mac) &&
    isHex(mac.old) &&
    isHex(mac.new)
  );
}

/**
 * The journal in the folder: none, one of this program's shape (still to be checked against
 * a key before anything is done by it), or a file that is no such journal.
 */
export function inspectJournal(
  folder: string,
): { state: 'none' } | { state: 'journal'; journal: RekeyJournalData } | { state: 'foreign' } {
  let text: string;
  try {
    text = readFileSync(journalPath(folder), 'utf8');
  } catch {
    return { state: 'none' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { state: 'foreign' };
  }
  // Judged outside the try: the shape check answers for every value, it never throws.
  return isJournal(data) ? { state: 'journal', journal: data } : { state: 'foreign' };
}

/** The journal of an unfinished re-key, or null: none, or none of this program's shape. */
export function readJournal(folder: string): RekeyJournalData | null {
  const found = inspectJournal(folder);
  return found.state === 'journal' ? found.journal : null;
}

/** Writes the journal atomically: temp file (0600), fsync, rename, folder fsync. */
export function writeJournal(folder: string, data: RekeyJournalData): void {
  writeFileAtomic(journalPath(folder), folder, JSON.stringify(data));
}

export function removeJournal(folder: string): void {
  rmSync(journalPath(folder), { force: true });
  syncFolder(folder);
}

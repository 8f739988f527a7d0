/**
 * The small modules the vault stands on, each on its own with real files in a temp folder and
 * real crypto: the folder lock, the recovery key, the KDF thresholds, atomic writes, the import
 * journal, the sealed drafts, the save path's file operations, the folder inventory and the
 * machine's head memory. What each row pins is something a user or the vault relies on: a
 * refusal and its code, a file left or removed, a value written on paper or into a file that a
 * later version must still read.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, hkdfSync } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { syncFolder, writeFileAtomic } from '../../electron/vault/atomic';
import {
  DRAFTS_FILE,
  openDrafts,
  readDraftsFile,
  removeDraftsFile,
  sealDrafts,
  writeDraftsFile,
} from '../../electron/vault/drafts';
import { nodeFs, sameFingerprint } from '../../electron/vault/fsops';
import {
  defaultDataFolder,
  FileHeadMemory,
  HEADS_FILE,
  HISTORY_MAX,
  MapHeadMemory,
  PINNED_MAX,
  thinHistory,
  type RememberedHead,
} from '../../electron/vault/head-memory';
import { ImportJournal } from '../../electron/vault/import-journal';
import { FILE_KINDS, folderInventory, isFolderFile } from '../../electron/vault/inventory';
import {
  checkConfigKdf,
  checkKdfParams,
  deriveKey,
  deriveKeyHere,
  KDF_ARGON2ID,
  kdfUpgrade,
  SHIPPED_KDF,
  SHIPPED_LIMITS,
  belowFloorForTests,
  weakerThan,
} from '../../electron/vault/kdf';
import { FolderLock } from '../../electron/vault/lockfile';
import {
  formatRecoveryKey,
  generateRecoveryKey,
  parseRecoveryKey,
  RECOVERY_KEY_BYTES,
  recoveryKek,
  recoveryKeyGroups,
} from '../../electron/vault/recovery';
import { tempFolder } from '../helpers/context';

let work: ReturnType<typeof tempFolder>;
beforeEach(() => {
  work = tempFolder('awb-modules-');
});
afterEach(() => work.cleanup());

/** The AppError `run` throws (the test fails if it throws anything else, or nothing). */
function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    // The code is what the user is told (translated); the English message is what the log says.
    expect((error as AppError).message).toMatch(/\w/);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** How many files this process has open (Linux): a leak grows it by one per call. */
const openFiles = () => readdirSync('/proc/self/fd').length;
const linux = process.platform === 'linux';

describe('the folder lock', () => {
  const lockIn = () => join(work.path, 'vault.lock');
  /** A pid above any Linux/macOS pid_max: no process runs under it. */
  const DEAD_PID = 99_999_999;

  it('names its holder (this host and process) in a file only its owner can read', () => {
    const path = lockIn();
    FolderLock.acquire(path);
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ host: hostname(), pid: process.pid });
    expect(holder.token).toMatch(/^[0-9a-f]{32}$/);
    expect(new Date(String(holder.since)).toISOString()).toBe(holder.since);
    expect(modeOf(path)).toBe(0o600);
  });

  it('a second writer is LOCKED_BY_OTHER, told who holds it and since when; the lock stays', () => {
    const path = lockIn();
    FolderLock.acquire(path);
    const before = readFileSync(path, 'utf8');
    const holder = JSON.parse(before) as { host: string; since: string };
    const refused = refusal(() => FolderLock.acquire(path));
    expect(refused.code).toBe('LOCKED_BY_OTHER');
    expect(refused.details).toEqual({ host: holder.host, since: holder.since });
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('a lock held on another host is never taken over, whatever its process id', () => {
    const path = lockIn();
    const other = {
      host: `not-${hostname()}`,
      pid: DEAD_PID,
      token: 'a'.repeat(32),
      since: 'then',
    };
    writeFileSync(path, JSON.stringify(other));
    const refused = refusal(() => FolderLock.acquire(path));
    expect(refused.code).toBe('LOCKED_BY_OTHER');
    expect(refused.details).toEqual({ host: other.host, since: 'then' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(other);
  });

  it.each([
    ['another process of ours', process.ppid],
    // pid 1 always runs; a user other than root may not signal it (EPERM): alive all the same
    ['a process of the system', 1],
  ])('a lock held by a live process on this host is kept (%s)', (_, pid) => {
    const path = lockIn();
    const other = { host: hostname(), pid, token: 'b'.repeat(32), since: 'then' };
    writeFileSync(path, JSON.stringify(other));
    expect(refusal(() => FolderLock.acquire(path)).code).toBe('LOCKED_BY_OTHER');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(other);
  });

  it.each([
    [
      'left by a process of this host that no longer runs',
      { host: 'HOST', pid: DEAD_PID, token: 't', since: 's' },
    ],
    ['half-written', '{"host": "'],
    ['without a process id', { host: 'HOST', token: 't' }],
    ['with a process id as text', { host: 'HOST', pid: '1', token: 't' }],
    ['without a token', { host: 'HOST', pid: 1 }],
    ['without a host', { pid: 1, token: 't' }],
  ])('a lock %s is stale: taken over', (_, content) => {
    const path = lockIn();
    const text =
      typeof content === 'string'
        ? content
        : JSON.stringify(content).replace('"HOST"', JSON.stringify(hostname()));
    writeFileSync(path, text);
    const lock = FolderLock.acquire(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('a lock of a process that has ended on this host is taken over', () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    const path = lockIn();
    writeFileSync(path, JSON.stringify({ host: hostname(), pid: ended, token: 't', since: 's' }));
    FolderLock.acquire(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('release removes only its own lock: one taken over since stays, one gone is no error', () => {
    const path = lockIn();
    const first = FolderLock.acquire(path);
    first.release();
    expect(existsSync(path)).toBe(false);
    first.release(); // already gone
    const mine = FolderLock.acquire(path);
    const theirs = JSON.stringify({ host: 'elsewhere', pid: 1, token: 'c'.repeat(32), since: 's' });
    writeFileSync(path, theirs);
    mine.release();
    expect(readFileSync(path, 'utf8')).toBe(theirs);
  });

  it('a folder that cannot hold the lock file is FOLDER_NOT_WRITABLE', () => {
    const path = join(work.path, 'missing', 'vault.lock');
    expect(refusal(() => FolderLock.acquire(path)).code).toBe('FOLDER_NOT_WRITABLE');
  });

  it('something in the lock file’s place that cannot be removed: LOCKED_BY_OTHER after two tries, left as it was', () => {
    const path = lockIn();
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    const refused = refusal(() => FolderLock.acquire(path));
    expect(refused.code).toBe('LOCKED_BY_OTHER');
    expect(refused.details).toBeUndefined();
    expect(readdirSync(path)).toEqual(['inside']);
  });
});

describe('the recovery key', () => {
  const BYTES = Uint8Array.from({ length: 25 }, (_, i) => i * 10);
  // Written on paper by users: these must read the same in every later version.
  const TEXT = '0051-87H8-68Y4-CM2T-CHQ7-H0MC-JTGA-ND5Y-S39D-SSQG-PP7G';
  const KEK = 'eb3a12d9f4fb2eb913ea412fc39c358992c7baccb0aad327da9d66d33680d294';

  it('is written as ten groups of four Crockford base32 characters and a checksum group', () => {
    expect(formatRecoveryKey(BYTES)).toBe(TEXT);
    expect(recoveryKeyGroups(TEXT)).toHaveLength(11);
    expect(recoveryKeyGroups(TEXT)[10]).toBe('PP7G');
    expect(Buffer.from(parseRecoveryKey(TEXT))).toEqual(Buffer.from(BYTES));
  });

  it('any bytes are written in base32, the last group short, the last bits padded', () => {
    expect(formatRecoveryKey(Uint8Array.from([0xff]))).toBe('ZWN0-80');
    expect(formatRecoveryKey(Uint8Array.from([1, 2, 3]))).toBe('0410-60E8-5');
  });

  it('unwraps its slot with a fixed key derived from it (HKDF-SHA256)', () => {
    expect(recoveryKek(BYTES).toString('hex')).toBe(KEK);
    expect(recoveryKek(parseRecoveryKey(TEXT)).toString('hex')).toBe(KEK);
  });

  it('a new key is 25 random bytes, and reads back from its text', () => {
    const one = generateRecoveryKey();
    const two = generateRecoveryKey();
    expect(one.bytes).toHaveLength(RECOVERY_KEY_BYTES);
    expect(one.text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){10}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseRecoveryKey(one.text)).toEqual(one.bytes);
    expect(one.text).not.toBe(two.text);
  });

  it('reads a key typed loosely: case, spaces and dashes, and O, I, L for 0, 1, 1', () => {
    const loose = TEXT.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l');
    expect(Buffer.from(parseRecoveryKey(loose))).toEqual(Buffer.from(BYTES));
    expect(Buffer.from(parseRecoveryKey(`  ${TEXT.replaceAll('-', '')}\n`))).toEqual(
      Buffer.from(BYTES),
    );
    const withI = formatRecoveryKey(Uint8Array.from({ length: 25 }, () => 0x08));
    expect(withI).toContain('1');
    expect(parseRecoveryKey(withI.replaceAll('1', 'I'))).toEqual(parseRecoveryKey(withI));
  });

  it.each([
    ['a group short', TEXT.slice(0, -5)],
    ['one character short', TEXT.slice(0, -1)],
    ['one character more', `${TEXT}0`],
    ['a mistyped character', TEXT.replace('87H8', '87H9')],
    ['a wrong checksum', TEXT.replace('PP7G', 'PP7H')],
    ['a character outside the alphabet', TEXT.replace('87H8', '87U8')],
    ['empty', ''],
  ])('a key with %s is WRONG_RECOVERY_KEY', (_, text) => {
    expect(refusal(() => parseRecoveryKey(text)).code).toBe('WRONG_RECOVERY_KEY');
  });

  it('the log tells a key of the wrong length from one that does not check', () => {
    expect(refusal(() => parseRecoveryKey(TEXT.slice(0, -1))).message).toMatch(/length/);
    expect(refusal(() => parseRecoveryKey(`${TEXT}0`)).message).toMatch(/length/);
    expect(refusal(() => parseRecoveryKey(TEXT.replace('PP7G', 'PP7H'))).message).toMatch(
      /checksum/,
    );
  });

  it('a character outside the alphabet is refused, never read as another one', () => {
    // The first character of this key is Z (11111); U is no Crockford character.
    const text = formatRecoveryKey(Uint8Array.from({ length: 25 }, () => 0xff));
    expect(text.startsWith('Z')).toBe(true);
    expect(refusal(() => parseRecoveryKey(`U${text.slice(1)}`)).code).toBe('WRONG_RECOVERY_KEY');
  });
});

describe('the KDF thresholds', () => {
  const at = (memoryKiB: number, iterations: number, parallelism: number) => ({
    memoryKiB,
    iterations,
    parallelism,
  });
  const reasonOf = (run: () => unknown) => refusal(run).details?.reason;

  it('a header at the minimum opens; below it in any one parameter it is BELOW_MINIMUM', () => {
    expect(() => checkKdfParams(KDF_ARGON2ID, at(8192, 1, 1), SHIPPED_LIMITS)).not.toThrow();
    for (const weak of [at(8191, 1, 1), at(8192, 0, 1), at(8192, 1, 0)]) {
      expect(reasonOf(() => checkKdfParams(KDF_ARGON2ID, weak, SHIPPED_LIMITS))).toBe(
        'BELOW_MINIMUM',
      );
    }
  });

  it('Argon2 needs 8 KiB per lane: exactly that opens, less is BELOW_MINIMUM', () => {
    const limits = { minimum: at(8, 1, 1), ceiling: SHIPPED_LIMITS.ceiling };
    expect(() => checkKdfParams(KDF_ARGON2ID, at(8192, 1, 16), limits)).not.toThrow();
    expect(() => checkKdfParams(KDF_ARGON2ID, at(128, 1, 16), limits)).not.toThrow();
    expect(reasonOf(() => checkKdfParams(KDF_ARGON2ID, at(127, 1, 16), limits))).toBe(
      'BELOW_MINIMUM',
    );
  });

  it('a header at the ceiling opens; above it in any one parameter it is ABOVE_CEILING', () => {
    const ceiling = SHIPPED_LIMITS.ceiling;
    expect(ceiling).toEqual(at(1024 * 1024, 20, 16));
    expect(() => checkKdfParams(KDF_ARGON2ID, ceiling, SHIPPED_LIMITS)).not.toThrow();
    for (const costly of [
      at(1024 * 1024 + 1, 20, 16),
      at(1024 * 1024, 21, 16),
      at(1024 * 1024, 20, 17),
    ]) {
      const refused = refusal(() => checkKdfParams(KDF_ARGON2ID, costly, SHIPPED_LIMITS));
      expect(refused.code).toBe('UNSAFE_PARAMETERS');
      expect(refused.details).toEqual({ reason: 'ABOVE_CEILING', ...costly });
    }
  });

  it('another KDF is UNKNOWN_KDF, naming no parameters', () => {
    const refused = refusal(() => checkKdfParams(2, SHIPPED_KDF, SHIPPED_LIMITS));
    expect(refused.details).toEqual({ reason: 'UNKNOWN_KDF' });
  });

  it('weaker means below in any one parameter; equal is not weaker', () => {
    expect(weakerThan(SHIPPED_KDF, SHIPPED_KDF)).toBe(false);
    expect(weakerThan(at(65535, 3, 4), SHIPPED_KDF)).toBe(true);
    expect(weakerThan(at(65536, 2, 4), SHIPPED_KDF)).toBe(true);
    expect(weakerThan(at(65536, 3, 3), SHIPPED_KDF)).toBe(true);
    expect(kdfUpgrade(at(65536, 3, 4), SHIPPED_KDF)).toBeNull();
    expect(kdfUpgrade(at(1 << 20, 1, 8), SHIPPED_KDF)).toEqual(at(1 << 20, 3, 8));
  });

  it('a configuration: the shipped one passes, above its own ceiling it is refused', () => {
    expect(() => checkConfigKdf({ kdf: SHIPPED_KDF, limits: SHIPPED_LIMITS })).not.toThrow();
    const limits = { minimum: SHIPPED_LIMITS.minimum, ceiling: at(65536, 3, 4) };
    expect(() => checkConfigKdf({ kdf: SHIPPED_KDF, limits })).not.toThrow();
    for (const kdf of [at(65537, 3, 4), at(65536, 4, 4), at(65536, 3, 5)]) {
      const refused = refusal(() => checkConfigKdf({ kdf, limits }));
      expect(refused.details).toEqual({ reason: 'ABOVE_CEILING', ...kdf });
    }
    // The shipped ceiling itself is the highest a configuration's limits may go.
    const wider = { minimum: SHIPPED_LIMITS.minimum, ceiling: at(1024 * 1024, 20, 17) };
    expect(refusal(() => checkConfigKdf({ kdf: SHIPPED_KDF, limits: wider })).details).toEqual({
      reason: 'CONFIG_BELOW_FLOOR',
    });
  });

  it('a configuration deriving below the floor is CONFIG_BELOW_FLOOR, naming its parameters', () => {
    const weak = at(65536, 2, 4);
    expect(refusal(() => checkConfigKdf({ kdf: weak, limits: SHIPPED_LIMITS })).details).toEqual({
      reason: 'CONFIG_BELOW_FLOOR',
      ...weak,
    });
  });

  it('limits a test declared stay as declared: a copy, frozen, whatever becomes of the original', () => {
    const original = { minimum: at(8, 1, 1), ceiling: at(1 << 20, 20, 16) };
    const declared = belowFloorForTests(original);
    original.minimum.memoryKiB = 1 << 20;
    original.ceiling.memoryKiB = 8;
    expect(declared).toEqual({ minimum: at(8, 1, 1), ceiling: at(1 << 20, 20, 16) });
    expect(Object.isFrozen(declared.minimum)).toBe(true);
    expect(Object.isFrozen(declared.ceiling)).toBe(true);
    expect(() => checkConfigKdf({ kdf: SHIPPED_KDF, limits: declared })).not.toThrow();
    // Its ceiling still holds for the headers it opens.
    expect(reasonOf(() => checkKdfParams(KDF_ARGON2ID, at(1 << 20, 21, 16), declared))).toBe(
      'ABOVE_CEILING',
    );
  });

  it('derives the same 32-byte key in a worker as here, and another for another salt', async () => {
    const salt = Buffer.alloc(16, 3);
    const params = at(8192, 1, 1);
    const inWorker = await deriveKey('pass', salt, params);
    const here = await deriveKeyHere('pass', salt, params);
    expect(inWorker).toHaveLength(32);
    expect(inWorker).toEqual(here);
    // A passphrase is read in NFC: the same word typed either way derives the same key.
    const small = at(64, 1, 1);
    expect(await deriveKey('caf\u00e9', salt, small)).toEqual(
      await deriveKey('cafe\u0301', salt, small),
    );
    expect(await deriveKey('pass', Buffer.alloc(16, 4), small)).not.toEqual(
      await deriveKey('pass', salt, small),
    );
  });
});

describe('an atomic write', () => {
  it('leaves the new content, owner-only, and no temporary file', () => {
    const path = join(work.path, 'state.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, work.path, 'nyt indhold ✓');
    expect(readFileSync(path, 'utf8')).toBe('nyt indhold ✓');
    writeFileAtomic(path, work.path, Buffer.from([0, 1, 2]));
    expect(readFileSync(path)).toEqual(Buffer.from([0, 1, 2]));
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(work.path)).toEqual(['state.json']);
  });

  it('that cannot be put in place throws, and leaves what was there and no temporary file', () => {
    const path = join(work.path, 'busy');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    expect(() => writeFileAtomic(path, work.path, 'new')).toThrow();
    expect(readdirSync(work.path)).toEqual(['busy']);
    expect(readdirSync(path)).toEqual(['inside']);
  });

  it.runIf(linux)('leaves no file open, however often it writes', () => {
    const path = join(work.path, 'state.json');
    const before = openFiles();
    for (let i = 0; i < 40; i++) {
      writeFileAtomic(path, work.path, `n${i}`);
    }
    expect(openFiles()).toBeLessThan(before + 20);
  });

  it('a folder that cannot be synced is no error', () => {
    expect(() => syncFolder(join(work.path, 'missing'))).not.toThrow();
    expect(() => syncFolder(work.path)).not.toThrow();
  });
});

describe('the import journal', () => {
  const ADDRESS = (n: number) => n.toString(16).padStart(64, '0');
  const store = () => join(work.path, 'blobs');
  const pathOf = (address: string) => join(store(), address);
  const put = (address: string) => writeFileSync(pathOf(address), 'evidence');
  beforeEach(() => mkdirSync(store()));

  it('is a file beside the vault, owner-only, naming each address on its own line until done', () => {
    const journal = new ImportJournal(work.path);
    const [name] = readdirSync(work.path).filter((n) => n !== 'blobs');
    expect(name).toMatch(/^import-[0-9a-f-]{36}\.pending$/);
    const file = join(work.path, name!);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(modeOf(file)).toBe(0o600);
    journal.add(ADDRESS(1));
    journal.add(ADDRESS(2));
    expect(readFileSync(file, 'utf8')).toBe(`${ADDRESS(1)}\n${ADDRESS(2)}\n`);
    journal.done();
    expect(existsSync(file)).toBe(false);
    journal.done(); // already gone
  });

  it('left by a crash: what the vault does not refer to is removed, what it does is kept', () => {
    for (const n of [1, 2, 3, 4]) {
      put(ADDRESS(n));
    }
    const first = new ImportJournal(work.path);
    first.add(ADDRESS(1));
    first.add(ADDRESS(2));
    first.add(ADDRESS(2)); // named twice, removed once
    first.add(ADDRESS(9)); // never written
    const second = new ImportJournal(work.path);
    second.add(ADDRESS(3));
    const removed = ImportJournal.resolve(work.path, new Set([ADDRESS(1)]), pathOf);
    expect(removed).toBe(2);
    expect(readdirSync(store()).sort()).toEqual([ADDRESS(1), ADDRESS(4)]);
    expect(readdirSync(work.path)).toEqual(['blobs']);
  });

  it('names only what it lists: lines that are no address, and files not its own, are left', () => {
    put(ADDRESS(5));
    writeFileSync(join(store(), 'notes'), 'x');
    const name = 'import-00000000-0000-0000-0000-000000000000.pending';
    writeFileSync(join(work.path, name), `${ADDRESS(5)}x\n../notes\nnotes\n${'A'.repeat(64)}\n \n`);
    writeFileSync(join(work.path, 'import-x.pending'), `${ADDRESS(5)}\n`);
    writeFileSync(join(work.path, `${name}.bak`), `${ADDRESS(5)}\n`);
    writeFileSync(join(work.path, `old-${name}`), `${ADDRESS(5)}\n`);
    expect(ImportJournal.resolve(work.path, new Set(), pathOf)).toBe(0);
    expect(readdirSync(store()).sort()).toEqual([ADDRESS(5), 'notes']);
    expect(readdirSync(work.path).sort()).toEqual([
      'blobs',
      `${name}.bak`,
      'import-x.pending',
      `old-${name}`,
    ]);
  });

  it('a damaged journal never leads out of the store: the vault and its other files stay', () => {
    writeFileSync(join(work.path, 'vault.awb'), 'the vault');
    writeFileSync(join(work.path, ADDRESS(7)), 'beside the store');
    const name = 'import-00000000-0000-0000-0000-000000000001.pending';
    writeFileSync(join(work.path, name), `../${ADDRESS(7)}\n${ADDRESS(7)}/../../vault.awb\n`);
    expect(ImportJournal.resolve(work.path, new Set(), pathOf)).toBe(0);
    expect(readdirSync(work.path).sort()).toEqual([ADDRESS(7), 'blobs', 'vault.awb'].sort());
  });

  it.runIf(linux)('leaves no file open, however many addresses it notes', () => {
    const journal = new ImportJournal(work.path);
    const before = openFiles();
    for (let i = 0; i < 40; i++) {
      journal.add(ADDRESS(i));
    }
    expect(openFiles()).toBeLessThan(before + 20);
    journal.done();
  });

  it('a folder that cannot be read, or holds no journal, resolves nothing', () => {
    expect(ImportJournal.resolve(join(work.path, 'missing'), new Set(), pathOf)).toBe(0);
    put(ADDRESS(6));
    expect(ImportJournal.resolve(work.path, new Set(), pathOf)).toBe(0);
    expect(readdirSync(store())).toEqual([ADDRESS(6)]);
  });
});

describe('the sealed drafts', () => {
  const KEY = Buffer.alloc(32, 7);
  const PLAIN = Buffer.from('{"note":"kept"}');
  // Sealed by an earlier version (nonce 01…01): drafts kept across an update must still open.
  const SEALED = Buffer.from(
    '4157424452465431010101010101010101010101557c6872ac12d6a31c803f13847963953a00c7cfa82baab0b4ca73cdd0fb4d',
    'hex',
  );

  it('open with the vault’s key and id: what an earlier version sealed, and what is sealed now', () => {
    expect(openDrafts(KEY, 'vault-1', SEALED)).toEqual(PLAIN);
    const sealed = sealDrafts(KEY, 'vault-1', PLAIN);
    expect(sealed.subarray(0, 8).toString('latin1')).toBe('AWBDRFT1');
    expect(sealed).toHaveLength(8 + 12 + PLAIN.length + 16);
    expect(sealed.includes(PLAIN)).toBe(false);
    expect(openDrafts(KEY, 'vault-1', sealed)).toEqual(PLAIN);
    expect(sealDrafts(KEY, 'vault-1', PLAIN)).not.toEqual(sealed); // a fresh nonce each time
  });

  it('empty drafts seal and open (the shortest sealed file)', () => {
    const sealed = sealDrafts(KEY, 'vault-1', Buffer.alloc(0));
    expect(sealed).toHaveLength(36);
    expect(openDrafts(KEY, 'vault-1', sealed)).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['under another key', Buffer.alloc(32, 8), 'vault-1', SEALED],
    ['for another vault', KEY, 'vault-2', SEALED],
    [
      'a byte changed',
      KEY,
      'vault-1',
      Buffer.concat([SEALED.subarray(0, 25), Buffer.from([SEALED[25]! ^ 1]), SEALED.subarray(26)]),
    ],
    [
      'with another tag',
      KEY,
      'vault-1',
      Buffer.concat([SEALED.subarray(0, -1), Buffer.from([SEALED.at(-1)! ^ 1])]),
    ],
    ['cut short', KEY, 'vault-1', SEALED.subarray(0, 35)],
    ['only the magic', KEY, 'vault-1', SEALED.subarray(0, 8)],
    [
      'with another magic',
      KEY,
      'vault-1',
      Buffer.concat([Buffer.from('AWBDRFT2'), SEALED.subarray(8)]),
    ],
    ['empty', KEY, 'vault-1', Buffer.alloc(0)],
  ])('drafts %s do not open (null, never shown)', (_, key, vaultId, sealed) => {
    expect(openDrafts(key, vaultId, sealed)).toBeNull();
  });

  it('drafts whose tag is cut to 12 bytes do not open, even sealed with the right key', () => {
    const nonce = Buffer.alloc(12, 5);
    const key = Buffer.from(hkdfSync('sha256', KEY, 'awb drafts', 'awb drafts v1', 32));
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 12 });
    cipher.setAAD(Buffer.concat([Buffer.from('AWBDRFT1'), Buffer.from('vault-1')]));
    const body = Buffer.concat([cipher.update(Buffer.alloc(0)), cipher.final()]);
    const short = Buffer.concat([Buffer.from('AWBDRFT1'), nonce, body, cipher.getAuthTag()]);
    expect(short).toHaveLength(32);
    expect(openDrafts(KEY, 'vault-1', short)).toBeNull();
  });

  it('a cut file whose magic is intact and long enough to parse does not open', () => {
    expect(openDrafts(KEY, 'vault-1', SEALED.subarray(0, 36))).toBeNull();
    expect(openDrafts(KEY, 'vault-1', SEALED.subarray(0, SEALED.length - 1))).toBeNull();
  });

  it('live in drafts.awb beside the vault: written, read back, removed', () => {
    expect(DRAFTS_FILE).toBe('drafts.awb');
    expect(readDraftsFile(work.path)).toBeNull();
    writeDraftsFile(work.path, SEALED);
    expect(readdirSync(work.path)).toEqual(['drafts.awb']);
    expect(readDraftsFile(work.path)).toEqual(SEALED);
    removeDraftsFile(work.path);
    expect(readdirSync(work.path)).toEqual([]);
    removeDraftsFile(work.path); // already gone
    expect(readDraftsFile(work.path)).toBeNull();
  });
});

describe('the save path’s file operations', () => {
  it('a new file is created exclusively, with its mode; written in order, synced and fingerprinted', async () => {
    const path = join(work.path, 'new');
    const file = await nodeFs.createExclusive(path, 0o600);
    const produced: number[] = [];
    function* parts() {
      for (const n of [1, 2, 3]) {
        produced.push(n);
        yield Buffer.alloc(n * 1000, n);
      }
      yield Buffer.alloc(0);
    }
    await file.writeAll(parts());
    await file.sync();
    const print = await file.fingerprint();
    await file.close();
    expect(produced).toEqual([1, 2, 3]);
    const written = readFileSync(path);
    expect(written).toEqual(
      Buffer.concat([Buffer.alloc(1000, 1), Buffer.alloc(2000, 2), Buffer.alloc(3000, 3)]),
    );
    expect(modeOf(path)).toBe(0o600);
    expect(print.size).toBe(6000n);
    expect(sameFingerprint(print, await nodeFs.fingerprint(path))).toBe(true);
    await expect(nodeFs.createExclusive(path, 0o600)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('renames, links, copies, unlinks, lists and reads what it is told', async () => {
    const a = join(work.path, 'a');
    writeFileSync(a, 'A');
    await nodeFs.link(a, join(work.path, 'b'));
    await nodeFs.copyFile(a, join(work.path, 'c'));
    await nodeFs.rename(a, join(work.path, 'd'));
    expect((await nodeFs.readdir(work.path)).sort()).toEqual(['b', 'c', 'd']);
    expect(statSync(join(work.path, 'b')).nlink).toBe(2);
    expect(statSync(join(work.path, 'c')).nlink).toBe(1);
    await nodeFs.unlink(join(work.path, 'b'));
    expect((await nodeFs.readFile(join(work.path, 'd'))).toString()).toBe('A');
    expect((await nodeFs.readdir(work.path)).sort()).toEqual(['c', 'd']);
    await nodeFs.syncDir(work.path);
    await expect(nodeFs.syncDir(join(work.path, 'missing'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('on Windows a folder is not opened to sync it (NTFS journals the rename): nothing to fail', async () => {
    const real = process.platform;
    Object.defineProperty(process, 'platform', { value: 'win32', configurable: true });
    try {
      await expect(nodeFs.syncDir(join(work.path, 'missing'))).resolves.toBeUndefined();
    } finally {
      Object.defineProperty(process, 'platform', { value: real, configurable: true });
    }
  });

  it.runIf(linux)('leaves no file open: a written file once closed, a synced folder', async () => {
    const before = openFiles();
    for (let i = 0; i < 30; i++) {
      const file = await nodeFs.createExclusive(join(work.path, `f${i}`), 0o600);
      await file.writeAll([Buffer.from('x')]);
      await file.close();
      await nodeFs.syncDir(work.path);
    }
    expect(openFiles()).toBeLessThan(before + 15);
  });

  it('a fingerprint: null for a file that is not there, an error for a path that cannot be', async () => {
    expect(await nodeFs.fingerprint(join(work.path, 'missing'))).toBeNull();
    writeFileSync(join(work.path, 'f'), 'x');
    await expect(nodeFs.fingerprint(join(work.path, 'f', 'below'))).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
  });

  it('two fingerprints are the same only when inode, size and time all are, and neither is missing', () => {
    const print = { ino: 1n, size: 2n, mtimeNs: 3n };
    expect(sameFingerprint(print, { ...print })).toBe(true);
    expect(sameFingerprint(print, { ...print, ino: 9n })).toBe(false);
    expect(sameFingerprint(print, { ...print, size: 9n })).toBe(false);
    expect(sameFingerprint(print, { ...print, mtimeNs: 9n })).toBe(false);
    expect(sameFingerprint(null, print)).toBe(false);
    expect(sameFingerprint(print, null)).toBe(false);
    expect(sameFingerprint(null, null)).toBe(false);
  });
});

describe('the folder inventory', () => {
  const ADDRESS = 'ab'.repeat(32);

  it('lists every entry of the folder and of blobs/ by kind and size, sorted', () => {
    const files: Record<string, string> = {
      'vault.awb': 'main',
      'vault.awb.1': 'g1',
      'vault.awb.12': 'g12',
      'vault.awb.x': 'other',
      'vault.awb.damaged-2026': 'dmg',
      'vault.awb.tmp-ab12': 'temp',
      'vault.lock': 'lock',
      'import-00000000-0000-0000-0000-000000000000.pending': '',
      'import-1.pending': '',
      'rekey.journal': 'rk',
      'drafts.awb': 'dr',
      'notes.txt': 'n',
      'old.vault.awb.3': 'o',
      'vault.awb.3.bak': 'b',
      'old-import-00000000-0000-0000-0000-000000000000.pending': '',
      'import-00000000-0000-0000-0000-000000000000.pending.bak': '',
    };
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(work.path, name), text);
    }
    mkdirSync(join(work.path, 'blobs'));
    writeFileSync(join(work.path, 'blobs', ADDRESS), 'evidence');
    writeFileSync(join(work.path, 'blobs', `${ADDRESS}.tmp-1`), 't');
    writeFileSync(join(work.path, 'blobs', 'README'), 'r');
    mkdirSync(join(work.path, 'blobs', 'sub'));
    mkdirSync(join(work.path, 'archive'));
    expect(folderInventory(work.path)).toEqual([
      { path: 'archive', kind: 'other', size: statSync(join(work.path, 'archive')).size },
      { path: 'blobs/README', kind: 'other', size: 1 },
      { path: `blobs/${ADDRESS}`, kind: 'evidence', size: 8 },
      { path: `blobs/${ADDRESS}.tmp-1`, kind: 'temp', size: 1 },
      { path: 'blobs/sub', kind: 'other', size: statSync(join(work.path, 'blobs', 'sub')).size },
      { path: 'drafts.awb', kind: 'drafts', size: 2 },
      {
        path: 'import-00000000-0000-0000-0000-000000000000.pending',
        kind: 'import-journal',
        size: 0,
      },
      { path: 'import-00000000-0000-0000-0000-000000000000.pending.bak', kind: 'other', size: 0 },
      { path: 'import-1.pending', kind: 'other', size: 0 },
      { path: 'notes.txt', kind: 'other', size: 1 },
      { path: 'old-import-00000000-0000-0000-0000-000000000000.pending', kind: 'other', size: 0 },
      { path: 'old.vault.awb.3', kind: 'other', size: 1 },
      { path: 'rekey.journal', kind: 'rekey-journal', size: 2 },
      { path: 'vault.awb', kind: 'main', size: 4 },
      { path: 'vault.awb.1', kind: 'generation', size: 2 },
      { path: 'vault.awb.12', kind: 'generation', size: 3 },
      { path: 'vault.awb.3.bak', kind: 'other', size: 1 },
      { path: 'vault.awb.damaged-2026', kind: 'damaged-copy', size: 3 },
      { path: 'vault.awb.tmp-ab12', kind: 'temp', size: 4 },
      { path: 'vault.awb.x', kind: 'other', size: 5 },
      { path: 'vault.lock', kind: 'lock', size: 4 },
    ]);
  });

  it('a blobs file (not a folder) is listed as other; a link is listed, never followed', () => {
    writeFileSync(join(work.path, 'blobs'), 'not a folder');
    symlinkSync('/nonexistent/target', join(work.path, 'vault.awb'));
    expect(folderInventory(work.path)).toEqual([
      { path: 'blobs', kind: 'other', size: 12 },
      { path: 'vault.awb', kind: 'main', size: '/nonexistent/target'.length },
    ]);
  });

  it('lists in one order on every platform (by UTF-16 code unit), whatever order the file system gives', () => {
    // The file system (and libuv) orders by UTF-8 bytes: U+FF58 first; JavaScript puts U+1F600 first.
    for (const name of ['\uff58', '\u{1f600}']) {
      writeFileSync(join(work.path, name), '');
    }
    mkdirSync(join(work.path, 'blobs'));
    for (const name of ['\uff58', '\u{1f600}']) {
      writeFileSync(join(work.path, 'blobs', name), '');
    }
    expect(folderInventory(work.path).map((f) => f.path)).toEqual([
      'blobs/\u{1f600}',
      'blobs/\uff58',
      '\u{1f600}',
      '\uff58',
    ]);
  });

  it('a folder that cannot be read lists nothing', () => {
    expect(folderInventory(join(work.path, 'missing'))).toEqual([]);
  });

  it('a file under a name of no kind that begins as a sealed file of ours is a stray copy', () => {
    mkdirSync(join(work.path, 'blobs'));
    const files: Record<string, string> = {
      'vault.awb.tmp': 'AWBVLT\r\n and the rest',
      'vault.awb (copy)': 'AWBVLT\r\n',
      'kept.drafts': 'AWBDRFT1',
      'evidence.bin': 'AWBBLOB2...',
      'old-evidence.bin': 'AWBBLOB1...',
      [`blobs/${ADDRESS}.orig`]: 'AWBBLOB2...',
      // Not ours: one byte short, another magic, the magic past the start, an empty file.
      short: 'AWBBLOB',
      lower: 'awbblob2',
      later: ' AWBBLOB2',
      empty: '',
      'blobs/README': 'AWBVLT\r',
      // A name of its own kind keeps it, whatever it holds.
      'vault.awb.damaged-1': 'AWBVLT\r\n',
      'vault.awb.2': 'AWBVLT\r\n',
    };
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(work.path, name), text, 'latin1');
    }
    // A link is never followed, even to a vault file.
    symlinkSync(join(work.path, 'vault.awb.2'), join(work.path, 'link'));
    const kinds = Object.fromEntries(folderInventory(work.path).map((f) => [f.path, f.kind]));
    expect(kinds).toEqual({
      'vault.awb.tmp': 'stray-copy',
      'vault.awb (copy)': 'stray-copy',
      'kept.drafts': 'stray-copy',
      'evidence.bin': 'stray-copy',
      'old-evidence.bin': 'stray-copy',
      [`blobs/${ADDRESS}.orig`]: 'stray-copy',
      short: 'other',
      lower: 'other',
      later: 'other',
      empty: 'other',
      'blobs/README': 'other',
      'vault.awb.damaged-1': 'damaged-copy',
      'vault.awb.2': 'generation',
      link: 'other',
    });
    // Named in a journal, a stray copy is a name of no other kind, inside the folder.
    expect(isFolderFile('vault.awb.tmp', 'stray-copy')).toBe(true);
    expect(isFolderFile(`blobs/${ADDRESS}.orig`, 'stray-copy')).toBe(true);
    for (const path of [
      'vault.awb',
      'vault.awb.2',
      `blobs/${ADDRESS}`,
      '../vault.awb.tmp',
      'blobs/../x',
    ]) {
      expect(isFolderFile(path, 'stray-copy')).toBe(false);
    }
  });

  it('names a file of the folder or of blobs/ by its kind, never a way out of the folder', () => {
    expect(FILE_KINDS).toContain('other');
    expect(isFolderFile('vault.awb.3', 'generation')).toBe(true);
    expect(isFolderFile('vault.awb', 'main')).toBe(true);
    expect(isFolderFile('vault.awb', 'generation')).toBe(false);
    expect(isFolderFile(`blobs/${ADDRESS}`, 'evidence')).toBe(true);
    expect(isFolderFile(`blobs/${ADDRESS}.tmp-x`, 'temp')).toBe(true);
    expect(isFolderFile(`blobs/${ADDRESS.slice(1)}`, 'evidence')).toBe(false);
    expect(isFolderFile(`blobs/${ADDRESS}x`, 'evidence')).toBe(false);
    expect(isFolderFile(`blobs/x${ADDRESS}`, 'evidence')).toBe(false);
    expect(isFolderFile(`blobs/${ADDRESS.toUpperCase()}`, 'evidence')).toBe(false);
    expect(isFolderFile(`other/${ADDRESS}`, 'evidence')).toBe(false);
    expect(isFolderFile(`blobs/sub/${ADDRESS}`, 'evidence')).toBe(false);
    for (const path of [
      '',
      '.',
      '..',
      '../vault.awb',
      'blobs/../vault.awb',
      'blobs/./x',
      `blobs//${ADDRESS}`,
      `/blobs/${ADDRESS}`,
      'vault.awb\\..',
      'vault.awb\0',
    ]) {
      expect(isFolderFile(path, 'main') || isFolderFile(path, 'evidence')).toBe(false);
    }
    expect(isFolderFile('..', 'other')).toBe(false);
    expect(isFolderFile('blobs/..', 'other')).toBe(false);
    expect(isFolderFile('a\\b', 'other')).toBe(false);
    expect(isFolderFile('a\0b', 'other')).toBe(false);
    expect(isFolderFile('notes', 'other')).toBe(true);
    for (const path of ['', '.', 'blobs/.', 'blobs/', 'blobs/x/y', 'a/b']) {
      expect(isFolderFile(path, 'other')).toBe(false);
    }
  });
});

describe('the machine’s head memory', () => {
  const hash = (n: number) => n.toString(16).padStart(64, '0');
  const head = (rows: number) => ({ rows, head: hash(rows) });
  const fileIn = (folder: string) => join(folder, HEADS_FILE);

  it('is a file in the data folder, created with it, owner-only, no temporary file left', () => {
    const folder = join(work.path, 'data', 'nested');
    const memory = new FileHeadMemory(folder);
    memory.remember('v1', head(1));
    expect(readdirSync(folder)).toEqual([HEADS_FILE]);
    expect(modeOf(fileIn(folder))).toBe(0o600);
    expect(new FileHeadMemory(folder).recall('v1')).toEqual(head(1));
  });

  it('a memory that cannot be written stops nothing (and remembers nothing)', () => {
    writeFileSync(join(work.path, 'data'), 'a file where the folder should be');
    const memory = new FileHeadMemory(join(work.path, 'data'));
    expect(() => memory.remember('v1', head(1))).not.toThrow();
    expect(() => memory.pin('v1', head(1))).not.toThrow();
    expect(memory.recall('v1')).toBeNull();
  });

  it('keeps which vault each folder held, beside the heads, read back by a new reader', () => {
    const memory = new FileHeadMemory(work.path);
    memory.remember('v1', head(3));
    memory.bind('/vaults/a', 'v1');
    memory.bind('/vaults/b', 'v2');
    memory.bind('/vaults/c', 'not a vault id');
    const again = new FileHeadMemory(work.path);
    expect(again.vaultAt('/vaults/a')).toBe('v1');
    expect(again.vaultAt('/vaults/a/../a')).toBe('v1');
    expect(again.vaultAt('/vaults/b')).toBe('v2');
    expect(again.vaultAt('/vaults/c')).toBeNull();
    expect(again.recall('v1')).toEqual(head(3));
    // Another vault made in the folder replaces the one it held.
    again.bind('/vaults/a', 'v3');
    expect(new FileHeadMemory(work.path).vaultAt('/vaults/a')).toBe('v3');
    // The folders' entry is no vault to an earlier reader, and a malformed one is no folder.
    const text = JSON.parse(readFileSync(fileIn(work.path), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(text).sort()).toEqual(['@folders', 'v1']);
    writeFileSync(
      fileIn(work.path),
      JSON.stringify({ ...text, '@folders': { [hash(1)]: 'v1', short: 'v2', [hash(2)]: 7 } }),
    );
    const odd = new FileHeadMemory(work.path);
    expect(odd.recall('v1')).toEqual(head(3));
    expect(odd.vaultAt('/vaults/a')).toBeNull();
  });

  it('remembers nothing under an id that is no vault id', () => {
    const memory = new FileHeadMemory(work.path);
    for (const id of ['', 'a/b', '../x', 'x'.repeat(65), 'æ']) {
      memory.remember(id, head(1));
      memory.pin(id, head(1));
    }
    expect(existsSync(fileIn(work.path))).toBe(false);
    memory.remember('x'.repeat(64), head(1));
    expect(memory.recall('x'.repeat(64))).toEqual(head(1));
  });

  it('the same head again writes nothing; a head seen before becomes the newest again', () => {
    const memory = new FileHeadMemory(work.path);
    memory.remember('v1', head(1));
    memory.remember('v1', head(2));
    // Every write puts a new file in place: the same file after means nothing was written.
    const before = statSync(fileIn(work.path)).ino;
    memory.remember('v1', head(2));
    expect(statSync(fileIn(work.path)).ino).toBe(before);
    memory.remember('v1', head(1)); // a restore went back to it
    expect(memory.history('v1')).toEqual([head(2), head(1)]);
    expect(memory.recall('v1')).toEqual(head(1));
    const map = new MapHeadMemory();
    map.remember('v1', head(1));
    map.remember('v1', head(2));
    map.remember('v1', head(1));
    expect(map.history('v1')).toEqual([head(2), head(1)]);
    expect(map.recall('v1')).toEqual(head(1));
    expect(map.recall('v2')).toBeNull();
    map.remember('v1', head(1));
    expect(map.history('v1')).toEqual([head(2), head(1)]);
  });

  it('a pin keeps its head, or adds it just before the newest; the file keeps the pin', () => {
    const memory = new FileHeadMemory(work.path);
    memory.remember('v1', head(1));
    memory.remember('v1', head(5));
    memory.pin('v1', head(1));
    memory.pin('v1', head(3));
    expect(memory.history('v1')).toEqual([head(1), head(3), head(5)]);
    expect(memory.recall('v1')).toEqual(head(5));
    const file = JSON.parse(readFileSync(fileIn(work.path), 'utf8')) as Record<
      string,
      { history: RememberedHead[] }
    >;
    expect(file.v1!.history).toEqual([
      { ...head(1), pin: true },
      { ...head(3), pin: true },
      head(5),
    ]);
    memory.pin('v2', head(1)); // nothing remembered: nothing to pin
    expect(memory.history('v2')).toEqual([]);
    const map = new MapHeadMemory();
    map.remember('v1', head(4));
    map.pin('v1', head(2));
    expect(map.history('v1')).toEqual([head(2), head(4)]);
    expect(map.heads.get('v1')!.history[0]).toEqual({ ...head(2), pin: true });
  });

  it('reads a pin only when it is `true`, and drops a history entry seen twice', () => {
    writeFileSync(
      fileIn(work.path),
      JSON.stringify({
        v1: {
          ...head(9),
          history: [
            { ...head(2), pin: true },
            { ...head(3), pin: 'yes' },
            head(2),
            { rows: 4.5, head: hash(4) },
            { rows: 0, head: hash(0) },
            { rows: 4, head: 'A'.repeat(64) },
            { rows: 4, head: `${hash(4)}0` },
            { rows: 4, head: [hash(4)] },
            null,
            head(9),
          ],
        },
      }),
    );
    const memory = new FileHeadMemory(work.path);
    expect(memory.history('v1')).toEqual([head(2), head(3), head(9)]);
    memory.remember('v1', head(10));
    const file = JSON.parse(readFileSync(fileIn(work.path), 'utf8')) as Record<
      string,
      { history: RememberedHead[] }
    >;
    expect(file.v1!.history).toEqual([{ ...head(2), pin: true }, head(3), head(9), head(10)]);
  });

  it('a file that is a list of heads is read as nothing, even under the id "0"', () => {
    writeFileSync(fileIn(work.path), JSON.stringify([{ ...head(3), history: [head(3)] }]));
    const memory = new FileHeadMemory(work.path);
    expect(memory.recall('0')).toBeNull();
    expect(memory.history('0')).toEqual([]);
  });

  it('a head is its row count and its hash together: either one other is another head', () => {
    const other = 'e'.repeat(64);
    for (const memory of [new FileHeadMemory(work.path), new MapHeadMemory()]) {
      memory.remember('v1', head(5));
      memory.remember('v1', { rows: 5, head: other }); // the trail rewritten to the same length
      expect(memory.recall('v1')).toEqual({ rows: 5, head: other });
      memory.remember('v1', { rows: 6, head: other }); // the same hash at another row count
      expect(memory.recall('v1')).toEqual({ rows: 6, head: other });
      expect(memory.history('v1')).toEqual([
        head(5),
        { rows: 5, head: other },
        { rows: 6, head: other },
      ]);
    }
  });

  it('reads at most the last 1024 entries of a history', () => {
    const long = Array.from({ length: 1100 }, (_, i) => head(i + 1));
    writeFileSync(fileIn(work.path), JSON.stringify({ v1: { ...head(1100), history: long } }));
    const history = new FileHeadMemory(work.path).history('v1');
    expect(history[0]).toEqual(head(1100 - 1024 + 1));
    expect(history.at(-1)).toEqual(head(1100));
    expect(history).toHaveLength(HISTORY_MAX);
  });

  it('thinning: within bounds nothing goes; beyond, the closest-packed goes first, pins beyond their bound oldest first', () => {
    const within = Array.from({ length: HISTORY_MAX }, (_, i) => head(i + 1));
    expect(thinHistory(within)).toEqual(within);
    // One too many: of rows 1,2,3,10,20,... the one with the closest neighbours (2) goes.
    const over = [head(1), head(2), head(3)].concat(
      Array.from({ length: HISTORY_MAX - 2 }, (_, i) => head(10 * (i + 1))),
    );
    const thinned = thinHistory(over);
    expect(thinned).toHaveLength(HISTORY_MAX);
    expect(thinned.map((h) => h.rows).slice(0, 3)).toEqual([1, 3, 10]);
    // Pinned heads are never thinned, even where they are closest.
    const pinned = over.map((h, i) => (i === 1 ? { ...h, pin: true as const } : h));
    expect(
      thinHistory(pinned)
        .map((h) => h.rows)
        .slice(0, 3),
    ).toEqual([1, 2, 10]);
    // More pins than PINNED_MAX: the oldest lose their pin, the rest keep it.
    const pins = Array.from({ length: PINNED_MAX + 2 }, (_, i) => ({
      ...head(i + 1),
      pin: true as const,
    }));
    const kept = thinHistory(pins);
    expect(kept.filter((h) => h.pin)).toHaveLength(PINNED_MAX);
    expect(kept[0]!.pin).toBeUndefined();
    expect(kept[1]!.pin).toBeUndefined();
    expect(kept[2]!.pin).toBe(true);
    expect(pins[0]!.pin).toBe(true); // the input is left as it was
    // Unpinned heads before the pins are not counted as pins.
    const mixed = [head(1), head(2), ...pins.map((h) => ({ ...h, rows: h.rows + 2 }))];
    expect(thinHistory(mixed).filter((h) => h.pin)).toHaveLength(PINNED_MAX);
    // Evenly spaced heads: the oldest of the middle ones goes first (dense where recent).
    const even = Array.from({ length: HISTORY_MAX + 1 }, (_, i) => head(i + 1));
    expect(
      thinHistory(even)
        .map((h) => h.rows)
        .slice(0, 3),
    ).toEqual([1, 3, 4]);
  });

  it('the data folder: AWB_DATA_DIR when set, else the platform’s place for the product', () => {
    const saved = { ...process.env };
    const realPlatform = process.platform;
    try {
      process.env.AWB_DATA_DIR = '/data/awb';
      expect(defaultDataFolder()).toBe('/data/awb');
      delete process.env.AWB_DATA_DIR;
      process.env.XDG_CONFIG_HOME = '/cfg';
      expect(defaultDataFolder()).toBe('/cfg/Accreditation Workbench');
      expect(defaultDataFolder('Other')).toBe('/cfg/Other');
      delete process.env.XDG_CONFIG_HOME;
      expect(defaultDataFolder()).toBe(join(homedir(), '.config', 'Accreditation Workbench'));
      const platform = (value: string) =>
        Object.defineProperty(process, 'platform', { value, configurable: true });
      platform('darwin');
      expect(defaultDataFolder()).toBe(
        join(homedir(), 'Library', 'Application Support', 'Accreditation Workbench'),
      );
      platform('win32');
      process.env.APPDATA = '/appdata';
      expect(defaultDataFolder()).toBe('/appdata/Accreditation Workbench');
      delete process.env.APPDATA;
      expect(defaultDataFolder()).toBe(
        join(homedir(), 'AppData', 'Roaming', 'Accreditation Workbench'),
      );
    } finally {
      Object.defineProperty(process, 'platform', { value: realPlatform, configurable: true });
      process.env = saved;
    }
  });
});

/**
 * The re-key journal's own rules (electron/vault/rekey-journal.ts), one by one: each key it seals
 * opens only with its key and for its purpose, its MACs cover every field that says what to do
 * (and pin the format a journal left by an earlier run is read in), and a file of any other
 * shape is no journal. The journal at work — kills and restarts at each step — is tested in
 * test/fault and vault-hostile.test.ts.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  inspectJournal,
  journalAuthentic,
  journalPath,
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
} from '../../electron/vault/rekey-journal';

const OLD = Buffer.alloc(32, 0x11);
const NEW = Buffer.alloc(32, 0x22);
const ADDRESS = 'ab'.repeat(32);

function journal(): Omit<RekeyJournalData, 'mac'> {
  return {
    version: 1,
    startedAt: '2026-12-06T20:00:00.000Z',
    reason: 'passphrase',
    header: {
      salt: '00ff',
      kdf: { memoryKiB: 65536, iterations: 3, parallelism: 4 },
      slots: [{ type: 1, nonce: '0a0b', wrapped: '0c0d' }],
    },
    committed: false,
    cleaned: false,
    old: {
      generations: [{ name: 'vault.awb.1', fingerprint: 'fe' }],
      copies: [{ name: 'vault.awb.damaged-1', size: 10, sha256: 'cd' }],
      blobs: [ADDRESS],
      unreferenced: [ADDRESS],
      temps: ['vault.awb.tmp-1'],
    },
  };
}

const signed = (j = journal()): RekeyJournalData => ({ ...j, mac: macJournal(OLD, NEW, j) });

describe('what the journal seals', () => {
  it('the new key opens under the old, the old under the new, each for its own purpose', () => {
    const j = { ...signed(), forward: sealForward(OLD, NEW), back: sealBack(NEW, OLD) };
    expect(openForward(OLD, j)).toEqual(NEW);
    expect(openBack(NEW, j)).toEqual(OLD);
    // Another key, or the other purpose, opens nothing.
    expect(openForward(NEW, j)).toBeNull();
    expect(openBack(OLD, j)).toBeNull();
    expect(openForward(NEW, { ...j, forward: j.back })).toBeNull();
    expect(openBack(OLD, { ...j, back: j.forward })).toBeNull();
    // Nothing sealed, nothing opened; a changed byte, nothing opened.
    expect(openForward(OLD, signed())).toBeNull();
    const data = j.forward.data;
    const flipped = `${data.slice(0, -1)}${data.endsWith('0') ? '1' : '0'}`;
    expect(openForward(OLD, { ...j, forward: { ...j.forward, data: flipped } })).toBeNull();
  });

  it('the new recovery key opens under the new data key only, and as nothing else', () => {
    const sealed = sealRecoveryKey(NEW, 'ABCD-EFGH');
    const j = { ...signed(), recoveryKey: sealed };
    expect(openRecoveryKey(NEW, j)).toBe('ABCD-EFGH');
    expect(openRecoveryKey(OLD, j)).toBeNull();
    expect(openRecoveryKey(NEW, signed())).toBeNull();
    // Sealed under a key derived from the data key, for its own purpose: not the data key's.
    expect(openBack(NEW, { ...j, back: sealed })).toBeNull();
    expect(openRecoveryKey(NEW, { ...j, recoveryKey: sealBack(NEW, OLD) })).toBeNull();
  });
});

describe('the sealed format, read and written by hand (a journal an earlier run left must open)', () => {
  const seal = (key: Buffer, purpose: string, plain: Buffer) => {
    const nonce = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(`AWB rekey ${purpose} v1`, 'latin1'));
    const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { nonce: nonce.toString('hex'), data: data.toString('hex') };
  };
  const open = (key: Buffer, purpose: string, sealed: { nonce: string; data: string }) => {
    const data = Buffer.from(sealed.data, 'hex');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'hex'));
    decipher.setAAD(Buffer.from(`AWB rekey ${purpose} v1`, 'latin1'));
    decipher.setAuthTag(data.subarray(-16));
    return Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
  };
  /** The key the recovery key is sealed under: HKDF-SHA-256 of the data key. */
  const journalKey = (dataKey: Buffer) =>
    Buffer.from(hkdfSync('sha256', dataKey, 'awb rekey', 'awb rekey journal v1', 32));

  it('AES-256-GCM, the purpose in the associated data, the recovery key under a derived key', () => {
    expect(open(OLD, 'forward', sealForward(OLD, NEW))).toEqual(NEW);
    expect(open(NEW, 'back', sealBack(NEW, OLD))).toEqual(OLD);
    expect(open(journalKey(NEW), 'recovery key', sealRecoveryKey(NEW, 'K-1')).toString()).toBe(
      'K-1',
    );
    const j = {
      ...signed(),
      forward: seal(OLD, 'forward', NEW),
      back: seal(NEW, 'back', OLD),
      recoveryKey: seal(journalKey(NEW), 'recovery key', Buffer.from('K-2')),
    };
    expect(openForward(OLD, j)).toEqual(NEW);
    expect(openBack(NEW, j)).toEqual(OLD);
    expect(openRecoveryKey(NEW, j)).toBe('K-2');
  });
});

describe('what the MACs cover', () => {
  it('hold under both keys, and pin the format an earlier run wrote', () => {
    const j = signed();
    expect(journalAuthentic(OLD, j, 'old')).toBe(true);
    expect(journalAuthentic(NEW, j, 'new')).toBe(true);
    expect(journalAuthentic(NEW, j, 'old')).toBe(false);
    expect(journalAuthentic(OLD, j, 'new')).toBe(false);
    // A journal left by an earlier run of this version is read by this one: its MACs are these.
    expect(j.mac).toEqual(KNOWN_MAC);
  });

  it('a MAC cut short, or of another length, does not hold', () => {
    const j = signed();
    expect(journalAuthentic(OLD, { ...j, mac: { ...j.mac, old: j.mac.old.slice(2) } }, 'old')).toBe(
      false,
    );
    expect(journalAuthentic(OLD, { ...j, mac: { ...j.mac, old: '' } }, 'old')).toBe(false);
  });

  const edits: [string, (j: RekeyJournalData) => void][] = [
    ['startedAt', (j) => (j.startedAt = '2026-12-06T20:00:01.000Z')],
    ['reason', (j) => (j.reason = 'recover')],
    ['salt', (j) => (j.header.salt = '00fe')],
    ['KDF memory', (j) => (j.header.kdf.memoryKiB = 65537)],
    ['KDF iterations', (j) => (j.header.kdf.iterations = 4)],
    ['KDF parallelism', (j) => (j.header.kdf.parallelism = 5)],
    ['slot type', (j) => (j.header.slots[0]!.type = 2)],
    ['slot nonce', (j) => (j.header.slots[0]!.nonce = '0a0c')],
    ['slot wrapped', (j) => (j.header.slots[0]!.wrapped = '0c0e')],
    ['a slot added', (j) => j.header.slots.push({ type: 1, nonce: '01', wrapped: '02' })],
    ['generation name', (j) => (j.old.generations[0]!.name = 'vault.awb.2')],
    ['generation fingerprint', (j) => (j.old.generations[0]!.fingerprint = null)],
    ['copy name', (j) => (j.old.copies[0]!.name = 'vault.awb.damaged-2')],
    ['copy size', (j) => (j.old.copies[0]!.size = 11)],
    ['copy hash', (j) => (j.old.copies[0]!.sha256 = 'ce')],
    ['blobs', (j) => (j.old.blobs = [])],
    ['unreferenced', (j) => (j.old.unreferenced = [])],
    ['temps', (j) => (j.old.temps = [])],
  ];
  it.each(edits)('a journal whose %s changed is not authentic', (_, edit) => {
    const j = structuredClone(signed());
    edit(j);
    expect(journalAuthentic(OLD, j, 'old')).toBe(false);
    expect(journalAuthentic(NEW, j, 'new')).toBe(false);
  });

  it('what the re-key changes as it goes (its flags, the keys it seals) is not covered', () => {
    const j = signed();
    const later = {
      ...j,
      committed: true,
      cleaned: true,
      forward: sealForward(OLD, NEW),
      recoveryKey: sealRecoveryKey(NEW, 'x'),
    };
    expect(journalAuthentic(OLD, later, 'old')).toBe(true);
  });
});

describe('the journal on disk', () => {
  const folder = mkdtempSync(join(tmpdir(), 'awb-rekey-file-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is written whole, read back as written, and removed (twice, without complaint)', () => {
    expect(readJournal(folder)).toBeNull();
    const j = signed();
    writeJournal(folder, j);
    expect(readJournal(folder)).toEqual(j);
    expect(JSON.parse(readFileSync(journalPath(folder), 'utf8'))).toEqual(j);
    writeFileSync(journalPath(folder), '{ not a journal');
    expect(readJournal(folder)).toBeNull();
    removeJournal(folder);
    expect(existsSync(journalPath(folder))).toBe(false);
    removeJournal(folder);
    expect(readJournal(folder)).toBeNull();
  });

  it('key slots as hex, and back', () => {
    const slots = [
      { type: 1, nonce: Buffer.from('0a0b', 'hex'), wrapped: Buffer.from('0c0d', 'hex') },
      { type: 2, nonce: Buffer.alloc(12, 1), wrapped: Buffer.alloc(48, 2) },
    ];
    const json = slotsToJson(slots);
    expect(json[0]).toEqual({ type: 1, nonce: '0a0b', wrapped: '0c0d' });
    expect(json[1]).toEqual({ type: 2, nonce: '01'.repeat(12), wrapped: '02'.repeat(48) });
    expect(slotsFromJson(json)).toEqual(slots);
  });
});

describe('a file of another shape is no journal', () => {
  const folder = mkdtempSync(join(tmpdir(), 'awb-rekey-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const inspect = (data: unknown) => {
    writeFileSync(
      join(folder, 'rekey.journal'),
      typeof data === 'string' ? data : JSON.stringify(data),
    );
    return inspectJournal(folder).state;
  };

  it('none, one of this program, and one that is not JSON', () => {
    expect(inspectJournal(folder).state).toBe('none');
    expect(inspect(signed())).toBe('journal');
    expect(inspect({ ...signed(), forward: sealForward(OLD, NEW), back: sealBack(NEW, OLD) })).toBe(
      'journal',
    );
    // Every reason, an unknown fingerprint, counts of zero: still a journal.
    for (const reason of ['recoveryKey', 'recover'] as const) {
      expect(inspect(signed({ ...journal(), reason }))).toBe('journal');
    }
    const zero = journal();
    zero.header.slots[0]!.type = 0;
    zero.old.copies[0]!.size = 0;
    zero.old.generations[0]!.fingerprint = null;
    expect(inspect(signed(zero))).toBe('journal');
    expect(inspect('{ not json')).toBe('foreign');
    expect(inspect(null)).toBe('foreign');
    expect(inspect('"a string"')).toBe('foreign');
    expect(inspect('7')).toBe('foreign');
    expect(inspect([])).toBe('foreign');
  });

  const GONE = Symbol('gone');
  const broken: [string, (string | number)[], unknown][] = [
    ['another version', ['version'], 2],
    ['a start that is no text', ['startedAt'], 1],
    ['another reason', ['reason'], 'other'],
    ['flags that are no booleans', ['committed'], 'yes'],
    ['a cleaned flag that is no boolean', ['cleaned'], 1],
    ['a sealed key that is no hex', ['forward'], { nonce: 'zz', data: '00' }],
    ['a sealed key without data', ['back'], { nonce: '00' }],
    ['a sealed recovery key that is no object', ['recoveryKey'], 'x'],
    ['no header', ['header'], GONE],
    ['a salt that is no hex', ['header', 'salt'], 'XY'],
    ['no KDF', ['header', 'kdf'], GONE],
    ['a negative KDF memory', ['header', 'kdf', 'memoryKiB'], -1],
    ['KDF iterations that are no integer', ['header', 'kdf', 'iterations'], 1.5],
    ['a KDF parallelism that is no number', ['header', 'kdf', 'parallelism'], '4'],
    ['slots that are no list', ['header', 'slots'], {}],
    ['a slot that is no object', ['header', 'slots'], [null]],
    ['a slot type that is no count', ['header', 'slots', 0, 'type'], -1],
    ['a slot nonce that is no hex', ['header', 'slots', 0, 'nonce'], 'g'],
    ['a wrapped key that is no hex', ['header', 'slots', 0, 'wrapped'], 1],
    ['no list of old files', ['old'], GONE],
    ['a generation outside the folder', ['old', 'generations', 0, 'name'], '../vault.awb.1'],
    ['a generation that is another kind of file', ['old', 'generations', 0, 'name'], 'vault.awb'],
    ['a generation fingerprint that is no text', ['old', 'generations', 0, 'fingerprint'], 1],
    ['a copy that is another kind of file', ['old', 'copies', 0, 'name'], 'vault.awb.1'],
    ['a copy of no size', ['old', 'copies', 0, 'size'], -1],
    ['a copy hash that is no hex', ['old', 'copies', 0, 'sha256'], 'x'],
    ['an evidence address of another form', ['old', 'blobs'], ['ab']],
    [
      'one good evidence address and one of another form',
      ['old', 'blobs'],
      ['ab'.repeat(32), 'ab'],
    ],
    ['an unreferenced address outside the folder', ['old', 'unreferenced'], ['../x']],
    ['a temp file that is another kind', ['old', 'temps'], ['vault.awb']],
    ['no MACs', ['mac'], GONE],
    ['a MAC that is no hex', ['mac', 'old'], 'G'],
    ['a new MAC that is no hex', ['mac', 'new'], null],
    // Null where an object is asked for: answered, never thrown.
    ['a header that is null', ['header'], null],
    ['a KDF that is null', ['header', 'kdf'], null],
    ['old files that are null', ['old'], null],
    ['MACs that are null', ['mac'], null],
    ['a sealed key that is null', ['forward'], null],
    ['a generation that is null', ['old', 'generations'], [null]],
    ['a copy that is null', ['old', 'copies'], [null]],
    ['a header that is a string', ['header'], 'salt'],
    ['old files that are a list', ['old'], []],
  ];
  it.each(broken)('%s', (_, path, value) => {
    const j = structuredClone(signed()) as unknown as Record<string | number, unknown>;
    let at = j;
    for (const key of path.slice(0, -1)) {
      at = at[key] as Record<string | number, unknown>;
    }
    const last = path.at(-1)!;
    if (value === GONE) {
      delete at[last];
    } else {
      at[last] = value;
    }
    expect(inspect(j)).toBe('foreign');
  });
});

/** The MACs of `journal()` under OLD and NEW, as this version writes them. */
const KNOWN_MAC = {
  old: 'ca65d3cae0a6e563581e2c4e32f62a938006de1ec4e94023b67ee5d81286ee84',
  new: '2dbaa2602757f48bbc027864684017d270e060b7267d789f6a6575844bdb26d8',
};

/**
 * The vault container's decoder and sealer, rule by rule (electron/vault/container.ts): the
 * header's layout pinned field by field against bytes written here, every refusal checked by its
 * code and by its message (so a file refused by another rule than the one meant fails the row),
 * each bound on both sides, the key slots bound to their type, and bodies of every size sealed
 * and opened. The fault tests (test/fault/container.test.ts) damage a real vault file; these
 * rows say which check answers.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeContainer,
  decodeHeader,
  encodeHeader,
  FORMAT_VERSION,
  headerFields,
  headerSize,
  MAGIC,
  MAX_HEADER_BYTES,
  openBody,
  sealContainer,
  sealParts,
  SLOT_PASSPHRASE,
  SLOT_RECOVERY,
  unwrapKey,
  wrapKey,
  type KeySlot,
  type VaultHeader,
} from '../../electron/vault/container';
import { KDF_ARGON2ID, SHIPPED_KDF, SHIPPED_LIMITS } from '../../electron/vault/kdf';
import { isAppError } from '../../shared/errors';

const OPTIONS = { maxSchemaVersion: 7, limits: SHIPPED_LIMITS };
const HEAD = 'ab'.repeat(32);

function slot(type: number, fill: number): KeySlot {
  return { type, nonce: Buffer.alloc(12, fill), wrapped: Buffer.alloc(48, fill + 1) };
}

function header(overrides: Partial<VaultHeader> = {}): VaultHeader {
  return {
    formatVersion: 2,
    schemaVersion: 7,
    kdfId: KDF_ARGON2ID,
    kdf: { ...SHIPPED_KDF },
    salt: Buffer.alloc(32, 0x5a),
    slots: [slot(SLOT_PASSPHRASE, 0x10), slot(SLOT_RECOVERY, 0x20)],
    bodyNonce: Buffer.alloc(12, 0x33),
    bodyLength: 16 + 100,
    audit: { rows: 5, head: HEAD },
    ...overrides,
  };
}

/** Writes `value` into a copy of `bytes` at `offset` and hashes the header again. */
function patched(bytes: Buffer, write: (b: Buffer) => void): Buffer {
  const out = Buffer.from(bytes);
  write(out);
  const size = headerSize(out.readUInt8(56), out.readUInt16LE(8) === 1 ? 1 : FORMAT_VERSION);
  createHash('sha256').update(out.subarray(0, size)).digest().copy(out, size);
  return out;
}

/** The code and message `run` fails with. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) {
      return `${error.code}: ${error.message}`;
    }
    throw error;
  }
  return 'read';
}

const decodes = (bytes: Buffer) => failure(() => decodeHeader(bytes, OPTIONS));

describe('the header as written', () => {
  it('every field where the layout says, each following the last, the hash over all before it', () => {
    const h = header();
    const bytes = encodeHeader(h);
    const fields = headerFields(2);
    expect(fields.map((f) => f.name)).toEqual([
      'magic',
      'formatVersion',
      'schemaVersion',
      'kdfId',
      'kdfMemory',
      'kdfIterations',
      'kdfParallelism',
      'salt',
      'slotCount',
      'slot0.type',
      'slot0.nonce',
      'slot0.wrapped',
      'slot1.type',
      'slot1.nonce',
      'slot1.wrapped',
      'bodyNonce',
      'bodyLength',
      'auditRows',
      'auditHead',
      'headerHash',
    ]);
    let end = 0;
    for (const f of fields) {
      expect(f.offset, f.name).toBe(end);
      end = f.offset + f.length;
    }
    expect(end).toBe(bytes.length);
    expect(bytes.length).toBe(headerSize(2) + 32);
    const at = (name: string) => {
      const f = fields.find((x) => x.name === name)!;
      return bytes.subarray(f.offset, f.offset + f.length);
    };
    expect(at('magic').toString('latin1')).toBe('AWBVLT\r\n');
    expect(at('formatVersion').readUInt16LE()).toBe(2);
    expect(at('schemaVersion').readUInt32LE()).toBe(7);
    expect(at('kdfId').readUInt8()).toBe(KDF_ARGON2ID);
    expect(at('kdfMemory').readUInt32LE()).toBe(SHIPPED_KDF.memoryKiB);
    expect(at('kdfIterations').readUInt32LE()).toBe(SHIPPED_KDF.iterations);
    expect(at('kdfParallelism').readUInt8()).toBe(SHIPPED_KDF.parallelism);
    expect(at('salt')).toEqual(Buffer.alloc(32, 0x5a));
    expect(at('slotCount').readUInt8()).toBe(2);
    expect(at('slot0.type').readUInt8()).toBe(SLOT_PASSPHRASE);
    expect(at('slot0.nonce')).toEqual(Buffer.alloc(12, 0x10));
    expect(at('slot0.wrapped')).toEqual(Buffer.alloc(48, 0x11));
    expect(at('slot1.type').readUInt8()).toBe(SLOT_RECOVERY);
    expect(at('slot1.nonce')).toEqual(Buffer.alloc(12, 0x20));
    expect(at('slot1.wrapped')).toEqual(Buffer.alloc(48, 0x21));
    expect(at('bodyNonce')).toEqual(Buffer.alloc(12, 0x33));
    expect(at('bodyLength').readBigUInt64LE()).toBe(116n);
    expect(at('auditRows').readBigUInt64LE()).toBe(5n);
    expect(at('auditHead').toString('hex')).toBe(HEAD);
    expect(at('headerHash')).toEqual(
      createHash('sha256')
        .update(bytes.subarray(0, bytes.length - 32))
        .digest(),
    );
    // One slot moves everything after the slots by one slot's size.
    expect(headerFields(1).find((f) => f.name === 'bodyNonce')!.offset).toBe(57 + 61);
    expect(headerFields(3).find((f) => f.name === 'slot2.wrapped')!.offset).toBe(57 + 2 * 61 + 13);
  });

  it('format 1 has no audit anchor; format 2 writes a missing one as zero rows and a zero head', () => {
    expect(headerSize(2, 1)).toBe(57 + 2 * 61 + 20);
    expect(headerSize(2, 2)).toBe(57 + 2 * 61 + 20 + 40);
    expect(headerSize(2)).toBe(headerSize(2, 2));
    const v1 = encodeHeader(header({ formatVersion: 1, audit: null }));
    expect(v1.length).toBe(headerSize(2, 1) + 32);
    const read1 = decodeHeader(v1, OPTIONS).header;
    expect(read1.audit).toBeNull();
    expect(read1.formatVersion).toBe(1);
    const v2 = encodeHeader(header({ audit: null }));
    const tail = 57 + 2 * 61;
    expect(v2.subarray(tail + 20, tail + 60)).toEqual(Buffer.alloc(40));
    expect(decodeHeader(v2, OPTIONS).header.audit).toEqual({ rows: 0, head: '0'.repeat(64) });
  });

  it('reads back every field it wrote', () => {
    const h = header();
    const { header: read, headerBytes } = decodeHeader(encodeHeader(h), OPTIONS);
    expect(read).toEqual(h);
    expect(headerBytes).toEqual(encodeHeader(h));
    // The largest header there can be is what a reader takes to find it.
    const four = header({
      slots: [1, 2, 3, 4].map((i) => slot(i === 1 ? SLOT_PASSPHRASE : SLOT_RECOVERY, i)),
    });
    expect(encodeHeader(four).length).toBe(MAX_HEADER_BYTES);
    expect(decodeHeader(encodeHeader(four), OPTIONS).header.slots).toHaveLength(4);
  });
});

describe('what the decoder refuses, by code and rule', () => {
  const good = encodeHeader(header());

  it('the magic: cut inside it, or other bytes', () => {
    expect(decodes(Buffer.alloc(0))).toBe('TRUNCATED: File ends inside the magic');
    expect(decodes(MAGIC.subarray(0, 5))).toBe('TRUNCATED: File ends inside the magic');
    expect(decodes(MAGIC.subarray(0, 7))).toBe('TRUNCATED: File ends inside the magic');
    // The whole magic and nothing more: cut inside the header.
    expect(decodes(Buffer.from(MAGIC))).toBe('TRUNCATED: File ends inside the header');
    expect(decodes(Buffer.from('AWX'))).toBe('CORRUPTED_HEADER: Not a vault file');
    expect(decodes(Buffer.concat([Buffer.from('AWBVLT\n\n'), good.subarray(8)]))).toBe(
      'CORRUPTED_HEADER: Not a vault file',
    );
  });

  it('cut inside the fixed part or the slots; the whole header with no body is read', () => {
    expect(decodes(good.subarray(0, 56))).toBe('TRUNCATED: File ends inside the header');
    // 57 bytes reach the slot count, which is then judged.
    const zero = Buffer.from(good.subarray(0, 57));
    zero.writeUInt8(0, 56);
    expect(decodes(zero)).toBe('CORRUPTED_HEADER: Implausible key-slot count');
    expect(decodes(good.subarray(0, good.length - 1))).toBe(
      'TRUNCATED: File ends inside the header',
    );
    expect(decodes(good)).toBe('read');
  });

  it('a slot count from 1 to 4', () => {
    for (const count of [0, 5, 255]) {
      const bytes = Buffer.concat([good, Buffer.alloc(4 * 61)]);
      bytes.writeUInt8(count, 56);
      expect(decodes(bytes), String(count)).toBe('CORRUPTED_HEADER: Implausible key-slot count');
    }
    expect(decodes(encodeHeader(header({ slots: [slot(SLOT_PASSPHRASE, 1)] })))).toBe('read');
  });

  it('the header hash', () => {
    const bytes = Buffer.from(good);
    bytes[good.length - 1]! ^= 1;
    expect(decodes(bytes)).toBe('CORRUPTED_HEADER: Header checksum mismatch');
  });

  it('versions: format 0, a newer format, a newer schema; the schema this build knows is read', () => {
    expect(decodes(patched(good, (b) => b.writeUInt16LE(0, 8)))).toBe(
      'CORRUPTED_HEADER: Format version 0',
    );
    expect(decodes(patched(good, (b) => b.writeUInt16LE(3, 8)))).toBe(
      'NEWER_VERSION: Container format is newer than this build',
    );
    expect(decodes(patched(good, (b) => b.writeUInt32LE(8, 10)))).toBe(
      'NEWER_VERSION: Database schema is newer than this build',
    );
    expect(decodes(patched(good, (b) => b.writeUInt32LE(6, 10)))).toBe('read');
  });

  it('the KDF parameters go to the floor and ceiling check', () => {
    expect(decodes(patched(good, (b) => b.writeUInt8(2, 14)))).toBe(
      'UNSAFE_PARAMETERS: Unknown key-derivation function',
    );
    expect(decodes(patched(good, (b) => b.writeUInt32LE(4 * 1024, 15)))).toBe(
      'UNSAFE_PARAMETERS: Key-derivation parameters below any the app ever wrote',
    );
    expect(decodes(patched(good, (b) => b.writeUInt32LE(21, 19)))).toBe(
      'UNSAFE_PARAMETERS: Key-derivation parameters above the allowed ceiling',
    );
    expect(decodes(patched(good, (b) => b.writeUInt8(1, 23)))).toBe('read');
  });

  it('slots of a known type, one of them a passphrase slot', () => {
    expect(decodes(patched(good, (b) => b.writeUInt8(3, 57 + 61)))).toBe(
      'CORRUPTED_HEADER: Unknown key-slot type',
    );
    expect(decodes(patched(good, (b) => b.writeUInt8(0, 57)))).toBe(
      'CORRUPTED_HEADER: Unknown key-slot type',
    );
    expect(decodes(patched(good, (b) => b.writeUInt8(SLOT_RECOVERY, 57)))).toBe(
      'CORRUPTED_HEADER: No passphrase slot',
    );
    // The passphrase slot need not be first.
    const second = encodeHeader(
      header({ slots: [slot(SLOT_RECOVERY, 1), slot(SLOT_PASSPHRASE, 2)] }),
    );
    expect(decodes(second)).toBe('read');
  });

  it('a body length from one tag (16 bytes) to 2^40', () => {
    const at = 57 + 2 * 61 + 12;
    const length = (n: bigint) => decodes(patched(good, (b) => b.writeBigUInt64LE(n, at)));
    expect(length(15n)).toBe('CORRUPTED_HEADER: Implausible body length');
    expect(length(0n)).toBe('CORRUPTED_HEADER: Implausible body length');
    expect(length(16n)).toBe('read');
    expect(length(2n ** 40n)).toBe('read');
    expect(length(2n ** 40n + 1n)).toBe('CORRUPTED_HEADER: Implausible body length');
    expect(length(2n ** 64n - 1n)).toBe('CORRUPTED_HEADER: Implausible body length');
  });

  it('a whole file: the body exactly as long as declared', () => {
    const dataKey = randomBytes(32);
    const file = Buffer.concat(
      sealContainer(fieldsOf(header()), dataKey, Buffer.from('x'.repeat(10))),
    );
    const whole = (bytes: Buffer) => failure(() => decodeContainer(bytes, OPTIONS));
    expect(whole(file)).toBe('read');
    expect(whole(file.subarray(0, file.length - 1))).toBe(
      'TRUNCATED: File ends before the declared body length',
    );
    expect(whole(Buffer.concat([file, Buffer.from([0])]))).toBe(
      'CORRUPTED_BODY: Data after the declared body',
    );
    const decoded = decodeContainer(file, OPTIONS);
    expect(decoded.body.length).toBe(10 + 16);
    expect(decoded.headerBytes.length).toBe(headerSize(2) + 32);
  });
});

function fieldsOf(h: VaultHeader): Omit<VaultHeader, 'bodyNonce' | 'bodyLength' | 'formatVersion'> {
  const { bodyNonce: _n, bodyLength: _l, formatVersion: _f, ...rest } = h;
  return rest;
}

describe('key slots', () => {
  it('a slot opens with its key under its own type only; the type is bound as "AWB slot v1" and a byte', () => {
    const kek = randomBytes(32);
    const dataKey = randomBytes(32);
    const wrapped = wrapKey(kek, dataKey, SLOT_RECOVERY);
    expect(wrapped.type).toBe(SLOT_RECOVERY);
    expect(wrapped.nonce).toHaveLength(12);
    expect(wrapped.wrapped).toHaveLength(48);
    expect(unwrapKey(kek, wrapped)).toEqual(dataKey);
    expect(unwrapKey(kek, { ...wrapped, type: SLOT_PASSPHRASE })).toBeNull();
    expect(unwrapKey(randomBytes(32), wrapped)).toBeNull();
    // Read by hand: AES-256-GCM, the associated data the label and the type.
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.nonce);
    decipher.setAAD(Buffer.concat([Buffer.from('AWB slot v1', 'latin1'), Buffer.from([2])]));
    decipher.setAuthTag(wrapped.wrapped.subarray(32));
    expect(
      Buffer.concat([decipher.update(wrapped.wrapped.subarray(0, 32)), decipher.final()]),
    ).toEqual(dataKey);
    // Two wraps of one key never share a nonce.
    expect(wrapKey(kek, dataKey, SLOT_RECOVERY).nonce).not.toEqual(wrapped.nonce);
  });
});

describe('the body', () => {
  const CHUNK = 4 * 1024 * 1024;

  it.each([0, 1, 1000, CHUNK, CHUNK + 1])(
    'a body of %i bytes is sealed in pieces of 4 MiB at most, and opens to itself',
    (size) => {
      const dataKey = randomBytes(32);
      const plaintext = randomBytes(size);
      const parts = [...sealParts(fieldsOf(header()), dataKey, plaintext)];
      const head = parts[0]!;
      const tag = parts[parts.length - 1]!;
      expect(tag).toHaveLength(16);
      const pieces = parts.slice(1, -1);
      expect(pieces.length).toBe(Math.ceil(size / CHUNK));
      expect(pieces.every((p) => p.length > 0 && p.length <= CHUNK)).toBe(true);
      const file = Buffer.concat(parts);
      const decoded = decodeContainer(file, OPTIONS);
      expect(decoded.header.bodyLength).toBe(size + 16);
      expect(decoded.header.formatVersion).toBe(FORMAT_VERSION);
      expect(decoded.headerBytes.equals(head)).toBe(true);
      // (Compared as buffers: a deep comparison of megabytes takes minutes.)
      expect(openBody(decoded, dataKey).equals(plaintext)).toBe(true);
      // Sealed by hand with the header as associated data, the same ciphertext and tag.
      const cipher = createCipheriv('aes-256-gcm', dataKey, decoded.header.bodyNonce);
      cipher.setAAD(head);
      const by = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      expect(file.subarray(head.length).equals(by)).toBe(true);
      expect(sealContainer(fieldsOf(header()), dataKey, plaintext).length).toBe(
        Math.ceil(size / CHUNK) + 2,
      );
    },
  );

  it('a body whose header, ciphertext, tag or key differ does not authenticate', () => {
    const dataKey = randomBytes(32);
    const file = Buffer.concat(sealContainer(fieldsOf(header()), dataKey, Buffer.from('secret')));
    const decoded = decodeContainer(file, OPTIONS);
    const opens = (d: typeof decoded, key = dataKey) => failure(() => openBody(d, key));
    expect(opens(decoded)).toBe('read');
    const body = Buffer.from(decoded.body);
    body[0]! ^= 1;
    expect(opens({ ...decoded, body })).toBe('CORRUPTED_BODY: Body does not authenticate');
    const tag = Buffer.from(decoded.body);
    tag[tag.length - 1]! ^= 1;
    expect(opens({ ...decoded, body: tag })).toBe('CORRUPTED_BODY: Body does not authenticate');
    const headerBytes = Buffer.from(decoded.headerBytes);
    headerBytes[20]! ^= 1;
    expect(opens({ ...decoded, headerBytes })).toBe('CORRUPTED_BODY: Body does not authenticate');
    expect(opens(decoded, randomBytes(32))).toBe('CORRUPTED_BODY: Body does not authenticate');
  });
});

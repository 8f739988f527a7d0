/**
 * Damaged files map to their typed errors: a bit flip in every header field, in the hash, the
 * body and the tag; truncation at every field boundary; empty and random files; crafted
 * headers with weak parameters or newer versions. And the decoder, fed arbitrary bytes, never
 * crashes or hangs and only answers with known codes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeContainer,
  headerFields,
  headerSize,
  sealContainer,
  SLOT_PASSPHRASE,
  wrapKey,
} from '../../electron/vault/container';
import { deriveKey, KDF_ARGON2ID, SHIPPED_LIMITS } from '../../electron/vault/kdf';
import { Vault, vaultPath } from '../../electron/vault/vault';
import { isAppError, type ErrorCode } from '../../shared/errors';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const folder = tempFolder('awb-fixtures-');
let pristine: Buffer;
const slotCount = 2;

beforeAll(async () => {
  const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
  await vault.close();
  pristine = readFileSync(vaultPath(folder.path));
});
afterAll(() => folder.cleanup());

async function openBytes(bytes: Buffer): Promise<ErrorCode | 'opened'> {
  writeFileSync(vaultPath(folder.path), bytes);
  try {
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await v.close({ discard: true });
    return 'opened';
  } catch (error) {
    if (isAppError(error)) {
      return error.code;
    }
    throw error;
  }
}

function rehash(bytes: Buffer): Buffer {
  const size = headerSize(bytes.readUInt8(56));
  createHash('sha256').update(bytes.subarray(0, size)).digest().copy(bytes, size);
  return bytes;
}

describe('damaged vault files', () => {
  it('the pristine fixture opens', async () => {
    expect(await openBytes(Buffer.from(pristine))).toBe('opened');
  });

  for (const field of headerFields(slotCount)) {
    it(`a bit flip in ${field.name} is CORRUPTED_HEADER`, async () => {
      for (const offset of [field.offset, field.offset + field.length - 1]) {
        const bytes = Buffer.from(pristine);
        bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
        // The hash covers every field; a flipped magic is "not a vault": a header error either way.
        expect(await openBytes(bytes), `${field.name} @${offset}`).toBe('CORRUPTED_HEADER');
      }
    });
  }

  it('a bit flip in the body or the tag is CORRUPTED_BODY', async () => {
    const bodyStart = headerSize(slotCount) + 32;
    for (const offset of [
      bodyStart,
      bodyStart + 100,
      pristine.length - 17,
      pristine.length - 16,
      pristine.length - 1,
    ]) {
      const bytes = Buffer.from(pristine);
      bytes[offset] = (bytes[offset] ?? 0) ^ 0x80;
      expect(await openBytes(bytes), `@${offset}`).toBe('CORRUPTED_BODY');
    }
  });

  it('truncation at every field boundary (and inside the body) is TRUNCATED', async () => {
    const boundaries = headerFields(slotCount).map((f) => f.offset);
    boundaries.push(headerSize(slotCount) + 32, pristine.length - 16, pristine.length - 1);
    for (const length of boundaries.filter((b) => b > 0)) {
      expect(await openBytes(pristine.subarray(0, length)), `length ${length}`).toBe('TRUNCATED');
    }
  });

  it('an empty file is TRUNCATED; text and random bytes are CORRUPTED_HEADER', async () => {
    expect(await openBytes(Buffer.alloc(0))).toBe('TRUNCATED');
    expect(await openBytes(Buffer.from('not a vault at all, just text'))).toBe('CORRUPTED_HEADER');
    expect(await openBytes(randomBytes(4096))).toBe('CORRUPTED_HEADER');
  });

  it('data appended after the body is CORRUPTED_BODY', async () => {
    expect(await openBytes(Buffer.concat([pristine, Buffer.from([0])]))).toBe('CORRUPTED_BODY');
  });

  it('a correctly hashed header with KDF parameters outside the limits is UNSAFE_PARAMETERS', async () => {
    const cases: [number, (b: Buffer) => void][] = [
      [0, (b) => b.writeUInt32LE(4, 15)], // memory below the floor
      [1, (b) => b.writeUInt32LE(0, 19)], // no iterations
      [2, (b) => b.writeUInt8(9, 14)], // unknown KDF
      [3, (b) => b.writeUInt32LE(0xffffffff, 15)], // memory above the ceiling (a DoS header)
      [4, (b) => b.writeUInt8(0, 23)], // no parallelism
    ];
    for (const [i, edit] of cases) {
      const bytes = Buffer.from(pristine);
      edit(bytes);
      expect(await openBytes(rehash(bytes)), `case ${i}`).toBe('UNSAFE_PARAMETERS');
    }
  });

  it('a newer container format or schema is NEWER_VERSION', async () => {
    const format = Buffer.from(pristine);
    format.writeUInt16LE(3, 8);
    expect(await openBytes(rehash(format))).toBe('NEWER_VERSION');
    const schema = Buffer.from(pristine);
    schema.writeUInt32LE(9999, 10);
    expect(await openBytes(rehash(schema))).toBe('NEWER_VERSION');
  });

  it('a re-hashed header with other (allowed) KDF parameters does not open: WRONG_PASSPHRASE', async () => {
    const altered = Buffer.from(pristine);
    altered.writeUInt32LE(128, 15);
    expect(await openBytes(rehash(altered))).toBe('WRONG_PASSPHRASE');
  });

  it('a sound container whose plaintext is not a database is CORRUPTED_CONTENT', async () => {
    const salt = randomBytes(32);
    const dataKey = randomBytes(32);
    const kek = await deriveKey(PASSPHRASE, salt, TEST_CONFIG.kdf);
    const parts = sealContainer(
      {
        schemaVersion: 1,
        kdfId: KDF_ARGON2ID,
        kdf: TEST_CONFIG.kdf,
        salt,
        slots: [wrapKey(kek, dataKey, SLOT_PASSPHRASE)],
        audit: null,
      },
      dataKey,
      Buffer.from('SQLite format 3\u0000 but then garbage '.repeat(200)),
    );
    expect(await openBytes(Buffer.concat(parts))).toBe('CORRUPTED_CONTENT');
  });
});

describe('decoder on arbitrary bytes (property)', () => {
  const known = new Set([
    'TRUNCATED',
    'CORRUPTED_HEADER',
    'CORRUPTED_BODY',
    'NEWER_VERSION',
    'UNSAFE_PARAMETERS',
  ]);
  const options = { maxSchemaVersion: 1, limits: SHIPPED_LIMITS };

  function decodeOutcome(bytes: Buffer): string {
    try {
      decodeContainer(bytes, options);
      return 'decoded';
    } catch (error) {
      if (isAppError(error) && known.has(error.code)) {
        return error.code;
      }
      throw error;
    }
  }

  it('answers random bytes only with known codes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (raw) => {
        expect(['decoded', ...known]).toContain(decodeOutcome(Buffer.from(raw)));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers mutations and truncations of a real container only with known codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat(), { nil: undefined }),
        (edits, cut) => {
          const bytes = Buffer.from(pristine);
          for (const [at, value] of edits) {
            bytes[at % bytes.length] = value;
          }
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          expect(['decoded', ...known]).toContain(decodeOutcome(input));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

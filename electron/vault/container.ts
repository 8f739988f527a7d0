/**
 * The vault container (format 2): a plain binary header, its SHA-256, then the database body
 * sealed with AES-256-GCM under a random data key, with the header (and its hash) as
 * associated data. Key slots wrap the data key (passphrase slot via Argon2id, recovery slot
 * via HKDF). Decoding checks, in order: magic, completeness, header hash, versions, KDF
 * parameters, structure, body length — each failure a distinct typed error.
 *
 *  offset  size   field
 *  0       8      magic "AWBVLT\r\n"
 *  8       2      format version (u16 LE)
 *  10      4      schema version (u32 LE)
 *  14      1      KDF id (1 = Argon2id)
 *  15      4      KDF memory, KiB (u32 LE)
 *  19      4      KDF iterations (u32 LE)
 *  23      1      KDF parallelism (u8)
 *  24      32     salt
 *  56      1      key-slot count N (1..4)
 *  57      61·N   slots: type (u8: 1 passphrase, 2 recovery), nonce (12), wrapped key + tag (48)
 *  …       12     body nonce
 *  …       8      body length incl. 16-byte tag (u64 LE)
 *  …       8      audit anchor: rows in the audit trail (u64 LE)            (format 2)
 *  …       32     audit anchor: hash of its last row                        (format 2)
 *  …       32     SHA-256 of everything above
 *  …              body
 *
 * The audit anchor is the head of the audit trail's hash chain when the body was written; it
 * is authenticated with the body, so a trail cut short (rows deleted from its end) no longer
 * matches it. Format 1 files (no anchor) still open; the vault migrates them once, with an
 * audit row (`vault.format_migrated`), and writes them back as format 2. A later
 * format keeps this layout as a prefix, so its hash can be checked before its version refused.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { checkKdfParams, type KdfLimits, type KdfParams } from './kdf';

export const MAGIC = Buffer.from('AWBVLT\r\n', 'latin1');
export const FORMAT_VERSION = 2;
export const SLOT_PASSPHRASE = 1;
export const SLOT_RECOVERY = 2;
const FIXED = 57;
const SLOT_SIZE = 1 + 12 + 48;
const TAIL_V1 = 12 + 8;
const ANCHOR = 8 + 32;
const HASH = 32;
const TAG = 16;
const MAX_SLOTS = 4;
const MAX_BODY = 2 ** 40;

export interface KeySlot {
  type: number;
  nonce: Buffer;
  wrapped: Buffer;
}

/** The head of the audit chain: how many rows, and the last row's hash. */
export interface AuditAnchor {
  rows: number;
  head: string;
}

export interface VaultHeader {
  formatVersion: number;
  schemaVersion: number;
  kdfId: number;
  kdf: KdfParams;
  salt: Buffer;
  slots: KeySlot[];
  bodyNonce: Buffer;
  bodyLength: number;
  /** Null in format 1 files, written before the anchor existed. */
  audit: AuditAnchor | null;
}

export interface DecodeOptions {
  /** Highest database schema version this build understands. */
  maxSchemaVersion: number;
  limits: KdfLimits;
}

export interface Decoded {
  header: VaultHeader;
  /** Header bytes including its hash: the associated data of the body. */
  headerBytes: Buffer;
  body: Buffer;
}

export function headerSize(slotCount: number, formatVersion = FORMAT_VERSION): number {
  return FIXED + SLOT_SIZE * slotCount + TAIL_V1 + (formatVersion >= 2 ? ANCHOR : 0);
}

/** Field boundaries of an encoded header, for tests that damage each field. */
export function headerFields(
  slotCount: number,
): { name: string; offset: number; length: number }[] {
  const fields = [
    { name: 'magic', offset: 0, length: 8 },
    { name: 'formatVersion', offset: 8, length: 2 },
    { name: 'schemaVersion', offset: 10, length: 4 },
    { name: 'kdfId', offset: 14, length: 1 },
    { name: 'kdfMemory', offset: 15, length: 4 },
    { name: 'kdfIterations', offset: 19, length: 4 },
    { name: 'kdfParallelism', offset: 23, length: 1 },
    { name: 'salt', offset: 24, length: 32 },
    { name: 'slotCount', offset: 56, length: 1 },
  ];
  for (let i = 0; i < slotCount; i++) {
    const base = FIXED + i * SLOT_SIZE;
    fields.push(
      { name: `slot${i}.type`, offset: base, length: 1 },
      { name: `slot${i}.nonce`, offset: base + 1, length: 12 },
      { name: `slot${i}.wrapped`, offset: base + 13, length: 48 },
    );
  }
  const tail = FIXED + SLOT_SIZE * slotCount;
  fields.push(
    { name: 'bodyNonce', offset: tail, length: 12 },
    { name: 'bodyLength', offset: tail + 12, length: 8 },
    { name: 'auditRows', offset: tail + 20, length: 8 },
    { name: 'auditHead', offset: tail + 28, length: 32 },
    { name: 'headerHash', offset: tail + 60, length: 32 },
  );
  return fields;
}

export function encodeHeader(header: VaultHeader): Buffer {
  const size = headerSize(header.slots.length, header.formatVersion);
  const out = Buffer.alloc(size + HASH);
  MAGIC.copy(out, 0);
  out.writeUInt16LE(header.formatVersion, 8);
  out.writeUInt32LE(header.schemaVersion, 10);
  out.writeUInt8(header.kdfId, 14);
  out.writeUInt32LE(header.kdf.memoryKiB, 15);
  out.writeUInt32LE(header.kdf.iterations, 19);
  out.writeUInt8(header.kdf.parallelism, 23);
  header.salt.copy(out, 24);
  out.writeUInt8(header.slots.length, 56);
  header.slots.forEach((slot, i) => {
    const base = FIXED + i * SLOT_SIZE;
    out.writeUInt8(slot.type, base);
    slot.nonce.copy(out, base + 1);
    slot.wrapped.copy(out, base + 13);
  });
  const tail = FIXED + SLOT_SIZE * header.slots.length;
  header.bodyNonce.copy(out, tail);
  out.writeBigUInt64LE(BigInt(header.bodyLength), tail + 12);
  if (header.formatVersion >= 2) {
    out.writeBigUInt64LE(BigInt(header.audit?.rows ?? 0), tail + 20);
    Buffer.from(header.audit?.head ?? '0'.repeat(64), 'hex').copy(out, tail + 28);
  }
  createHash('sha256').update(out.subarray(0, size)).digest().copy(out, size);
  return out;
}

function fail(
  code: 'TRUNCATED' | 'CORRUPTED_HEADER' | 'CORRUPTED_BODY' | 'NEWER_VERSION',
  message: string,
): never {
  throw new AppError(code, message);
}

/** Parses and checks a whole container file. Never decrypts: that needs a key. */
export function decodeContainer(bytes: Buffer, options: DecodeOptions): Decoded {
  const { header, headerBytes } = decodeHeader(bytes, options);
  const bodyStart = headerBytes.length;
  if (bytes.length < bodyStart + header.bodyLength) {
    fail('TRUNCATED', 'File ends before the declared body length');
  }
  if (bytes.length > bodyStart + header.bodyLength) {
    fail('CORRUPTED_BODY', 'Data after the declared body');
  }
  return { header, headerBytes, body: bytes.subarray(bodyStart) };
}

/** The most bytes a header (with its hash) can take: enough to read for `decodeHeader`. */
export const MAX_HEADER_BYTES = FIXED + SLOT_SIZE * MAX_SLOTS + TAIL_V1 + ANCHOR + HASH;

/**
 * Parses and checks a container's header from the first bytes of the file (at least the
 * header; the body need not be there). Its claims are authenticated only when the body is
 * opened with the key: callers that act on them open it.
 */
export function decodeHeader(
  bytes: Buffer,
  options: DecodeOptions,
): { header: VaultHeader; headerBytes: Buffer } {
  if (bytes.length < MAGIC.length) {
    if (MAGIC.subarray(0, bytes.length).equals(bytes)) {
      fail('TRUNCATED', 'File ends inside the magic');
    }
    fail('CORRUPTED_HEADER', 'Not a vault file');
  }
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    fail('CORRUPTED_HEADER', 'Not a vault file');
  }
  if (bytes.length < FIXED) {
    fail('TRUNCATED', 'File ends inside the header');
  }
  const slotCount = bytes.readUInt8(56);
  if (slotCount < 1 || slotCount > MAX_SLOTS) {
    // The hash cannot be located without a plausible slot count.
    fail('CORRUPTED_HEADER', 'Implausible key-slot count');
  }
  // Format 1 has no audit anchor; every later format has this layout as its prefix.
  const formatVersion = bytes.readUInt16LE(8);
  const size = headerSize(slotCount, formatVersion === 1 ? 1 : FORMAT_VERSION);
  if (bytes.length < size + HASH) {
    fail('TRUNCATED', 'File ends inside the header');
  }
  const expected = createHash('sha256').update(bytes.subarray(0, size)).digest();
  if (!expected.equals(bytes.subarray(size, size + HASH))) {
    fail('CORRUPTED_HEADER', 'Header checksum mismatch');
  }
  if (formatVersion === 0) {
    fail('CORRUPTED_HEADER', 'Format version 0');
  }
  if (formatVersion > FORMAT_VERSION) {
    fail('NEWER_VERSION', 'Container format is newer than this build');
  }
  const schemaVersion = bytes.readUInt32LE(10);
  if (schemaVersion > options.maxSchemaVersion) {
    fail('NEWER_VERSION', 'Database schema is newer than this build');
  }
  const kdfId = bytes.readUInt8(14);
  const kdf: KdfParams = {
    memoryKiB: bytes.readUInt32LE(15),
    iterations: bytes.readUInt32LE(19),
    parallelism: bytes.readUInt8(23),
  };
  checkKdfParams(kdfId, kdf, options.limits);
  const slots: KeySlot[] = [];
  for (let i = 0; i < slotCount; i++) {
    const base = FIXED + i * SLOT_SIZE;
    const type = bytes.readUInt8(base);
    if (type !== SLOT_PASSPHRASE && type !== SLOT_RECOVERY) {
      fail('CORRUPTED_HEADER', 'Unknown key-slot type');
    }
    slots.push({
      type,
      nonce: Buffer.from(bytes.subarray(base + 1, base + 13)),
      wrapped: Buffer.from(bytes.subarray(base + 13, base + 61)),
    });
  }
  if (!slots.some((s) => s.type === SLOT_PASSPHRASE)) {
    fail('CORRUPTED_HEADER', 'No passphrase slot');
  }
  const tail = FIXED + SLOT_SIZE * slotCount;
  const bodyLength64 = bytes.readBigUInt64LE(tail + 12);
  if (bodyLength64 < BigInt(TAG) || bodyLength64 > BigInt(MAX_BODY)) {
    fail('CORRUPTED_HEADER', 'Implausible body length');
  }
  const bodyLength = Number(bodyLength64);
  const bodyStart = size + HASH;
  return {
    header: {
      formatVersion,
      schemaVersion,
      kdfId,
      kdf,
      salt: Buffer.from(bytes.subarray(24, 56)),
      slots,
      bodyNonce: Buffer.from(bytes.subarray(tail, tail + 12)),
      bodyLength,
      audit:
        formatVersion >= 2
          ? {
              rows: Number(bytes.readBigUInt64LE(tail + 20)),
              head: bytes.subarray(tail + 28, tail + 60).toString('hex'),
            }
          : null,
    },
    headerBytes: bytes.subarray(0, bodyStart),
  };
}

// Slots are bound to their type only: the passphrase slot's salt changes with every passphrase
// change, and the recovery slot must survive that untouched.
function slotAad(type: number): Buffer {
  return Buffer.concat([Buffer.from('AWB slot v1', 'latin1'), Buffer.from([type])]);
}

export function wrapKey(kek: Buffer, dataKey: Buffer, type: number): KeySlot {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(slotAad(type));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return { type, nonce, wrapped };
}

/** The data key, or null when this key-encryption key does not open the slot. */
export function unwrapKey(kek: Buffer, slot: KeySlot): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, slot.nonce);
    decipher.setAAD(slotAad(slot.type));
    decipher.setAuthTag(slot.wrapped.subarray(32));
    return Buffer.concat([decipher.update(slot.wrapped.subarray(0, 32)), decipher.final()]);
  } catch {
    return null;
  }
}

/** The size of the pieces a body is sealed in: large enough for throughput, small for memory. */
const SEAL_CHUNK = 4 * 1024 * 1024;

/**
 * Seals a database image, lazily: the header, then the ciphertext a piece at a time (each
 * encrypted only when it is asked for, so the writer can encrypt the next piece while the last
 * one is being written), then the tag. The whole ciphertext never sits in memory at once.
 */
export function* sealParts(
  fields: Omit<VaultHeader, 'bodyNonce' | 'bodyLength' | 'formatVersion'>,
  dataKey: Buffer,
  plaintext: Uint8Array,
): Generator<Buffer> {
  const bodyNonce = randomBytes(12);
  const headerBytes = encodeHeader({
    ...fields,
    formatVersion: FORMAT_VERSION,
    bodyNonce,
    bodyLength: plaintext.length + TAG,
  });
  const cipher = createCipheriv('aes-256-gcm', dataKey, bodyNonce);
  cipher.setAAD(headerBytes);
  yield headerBytes;
  for (let at = 0; at < plaintext.length; at += SEAL_CHUNK) {
    yield cipher.update(plaintext.subarray(at, at + SEAL_CHUNK));
  }
  const final = cipher.final();
  if (final.length > 0) {
    yield final;
  }
  yield cipher.getAuthTag();
}

/** The sealed container as a list of parts (header, ciphertext pieces, tag). */
export function sealContainer(
  fields: Omit<VaultHeader, 'bodyNonce' | 'bodyLength' | 'formatVersion'>,
  dataKey: Buffer,
  plaintext: Uint8Array,
): Buffer[] {
  return [...sealParts(fields, dataKey, plaintext)];
}

export function openBody(decoded: Decoded, dataKey: Buffer): Buffer {
  const { body, header, headerBytes } = decoded;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, header.bodyNonce);
    decipher.setAAD(headerBytes);
    decipher.setAuthTag(body.subarray(body.length - TAG));
    // No concatenation: GCM's final adds nothing, so the image is the one buffer update made.
    const image = decipher.update(body.subarray(0, body.length - TAG));
    const final = decipher.final();
    return final.length ? Buffer.concat([image, final]) : image;
  } catch {
    throw new AppError('CORRUPTED_BODY', 'Body does not authenticate');
  }
}

/**
 * The exchange package: a ZIP holding `envelope.json` (format, and for an encrypted package the
 * content key wrapped to the recipient's certificate), `manifest.json` (what the package is, and
 * the SHA-256 and size of every part), `signature.json` (the sender's certificate and an
 * RSA-SHA256 signature over the manifest bytes) and the parts. When encrypted, every entry but
 * the envelope is sealed with AES-256-GCM under the content key, one entry at a time, so nothing
 * is ever written out in clear on the receiving side.
 *
 * Reading is hostile by default: names are checked before anything is read (no absolute paths,
 * no "..", no backslashes, no links, no directories, no duplicates), sizes and entry counts are
 * capped, compression ratios are bounded, every part is hashed against the manifest, the
 * signature is verified and the signer must be trusted — all before the caller touches a vault.
 */
import {
  constants as cryptoConstants,
  createCipheriv,
  createDecipheriv,
  type DecipherGCM,
  createHash,
  createPrivateKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  verify as verifySignature,
  X509Certificate,
} from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 as nativeCrc32 } from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AppError } from '../../shared/errors';

/**
 * yazl computes every entry's CRC-32 through buffer-crc32, in JavaScript (about 340 MB/s here);
 * Node's zlib.crc32 gives the same numbers natively (about 2.1 GB/s), which matters for
 * hundreds of megabytes of evidence. yazl looks the function up on that module each time, so
 * pointing it at the native one is enough; both stay unbundled (electron/dev/build.ts) so this
 * is the very instance yazl uses. test/integration/exchange.test.ts checks the CRCs written.
 */
const bufferCrc32 = createRequire(import.meta.url)('buffer-crc32') as {
  unsigned: (buffer: Buffer, previous?: number) => number;
};
bufferCrc32.unsigned = (buffer, previous) => nativeCrc32(buffer, previous ?? 0);

export const PACKAGE_FORMAT = 'awb-package';
export const PACKAGE_VERSION = 1;

export type PackageKind = 'submission' | 'decision';

export interface ManifestPart {
  path: string;
  sha256: string;
  size: number;
  type: string;
}

export interface Manifest {
  format: typeof PACKAGE_FORMAT;
  version: number;
  kind: PackageKind;
  createdAt: string;
  sender: { name: string; organisation: string; fingerprint: string };
  caseId: string;
  caseRef: string;
  /** The sender's audit trail when the package was made (rows, last hash): checkable later. */
  auditAnchor?: { rows: number; head: string };
  parts: ManifestPart[];
}

export interface Limits {
  maxEntries: number;
  maxTotalBytes: number;
  maxJsonBytes: number;
  maxJsonDepth: number;
  maxCompressionRatio: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxEntries: 20_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxJsonBytes: 64 * 1024 ** 2,
  maxJsonDepth: 64,
  maxCompressionRatio: 200,
};

export type RejectReason =
  | 'NOT_A_PACKAGE'
  | 'PATH_TRAVERSAL'
  | 'LINK'
  | 'TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'COMPRESSION_RATIO'
  | 'DUPLICATE_ENTRY'
  | 'UNLISTED_ENTRY'
  | 'MISSING_PART'
  | 'HASH_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'UNKNOWN_SIGNER'
  | 'MALFORMED'
  | 'TOO_DEEP'
  | 'WRONG_RECIPIENT'
  | 'DECRYPTION_FAILED'
  | 'WRONG_KIND';

export function reject(reason: RejectReason, detail = ''): AppError {
  return new AppError(
    'PACKAGE_REJECTED',
    `Package rejected: ${reason}${detail ? ` (${detail})` : ''}`,
    {
      reason,
      ...(detail ? { detail } : {}),
    },
  );
}

const SAFE_NAME = /^(envelope|manifest|signature)\.json$|^parts\/[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;

/** Whether an entry name is one a package may hold; anything else is refused unread. */
export function checkName(name: string): RejectReason | null {
  if (
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((p) => p === '..' || p === '.') ||
    name.includes('\0')
  ) {
    return 'PATH_TRAVERSAL';
  }
  return SAFE_NAME.test(name) ? null : 'UNLISTED_ENTRY';
}

/** JSON nested deeper than `max` is refused before parsing (a parser's recursion is finite). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
      max = Math.max(max, depth);
    } else if (c === '}' || c === ']') {
      depth--;
    }
  }
  return max;
}

export function parseJson<T>(bytes: Buffer, limits: Limits, what: string): T {
  if (bytes.length > limits.maxJsonBytes) {
    throw reject('TOO_LARGE', what);
  }
  const text = bytes.toString('utf8');
  if (jsonDepth(text) > limits.maxJsonDepth) {
    throw reject('TOO_DEEP', what);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw reject('MALFORMED', what);
  }
}

// ---- writing ------------------------------------------------------------------------------

export interface Signer {
  certPem: string;
  /** Signs bytes with the sender's key (software or token), hashing them with `hash`. */
  sign(data: Buffer): Promise<Buffer>;
  hash: 'sha256' | 'sha384' | 'sha512';
  name: string;
  organisation: string;
}

export interface PartSource {
  path: string;
  type: string;
  sha256: string;
  size: number;
  /** Opens the part's bytes (called once, while the package is written). */
  open: () => AsyncIterable<Buffer>;
}

const IV = 12;
const TAG = 16;

/** Seals a stream as [iv][ciphertext][tag] under `key`. */
function sealing(key: Buffer): Transform {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        started = true;
        this.push(iv);
      }
      done(null, cipher.update(chunk));
    },
    flush(done: TransformCallback) {
      if (!started) {
        this.push(iv);
      }
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/** Opens [iv][ciphertext][tag]; the tag is checked at the end (DECRYPTION_FAILED otherwise). */
function opening(key: Buffer): Transform {
  let head = Buffer.alloc(0);
  let decipher: DecipherGCM | null = null;
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let data = chunk;
      if (!decipher) {
        head = Buffer.concat([head, data]);
        if (head.length < IV) {
          done();
          return;
        }
        decipher = createDecipheriv('aes-256-gcm', key, head.subarray(0, IV));
        data = head.subarray(IV);
      }
      // Hold back the last TAG bytes: they are the tag, not ciphertext.
      const all = Buffer.concat([tail, data]);
      tail = all.subarray(Math.max(0, all.length - TAG));
      done(null, decipher.update(all.subarray(0, Math.max(0, all.length - TAG))));
    },
    flush(done: TransformCallback) {
      if (!decipher || tail.length !== TAG) {
        done(reject('DECRYPTION_FAILED'));
        return;
      }
      try {
        decipher.setAuthTag(tail);
        done(null, decipher.final());
      } catch {
        done(reject('DECRYPTION_FAILED'));
      }
    },
  });
}

/** Writes a signed (and, given a recipient certificate, encrypted) package to `file`. */
export async function writePackage(
  file: string,
  args: {
    kind: PackageKind;
    caseId: string;
    caseRef: string;
    auditAnchor?: { rows: number; head: string };
    signer: Signer;
    parts: PartSource[];
    recipientCertPem?: string | null;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{
  sha256: string;
  size: number;
  manifest: Manifest;
  manifestDigest: { sha256: string; size: number };
}> {
  const sender = new X509Certificate(args.signer.certPem);
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    kind: args.kind,
    createdAt: new Date().toISOString(),
    sender: {
      name: args.signer.name,
      organisation: args.signer.organisation,
      fingerprint: sender.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    caseId: args.caseId,
    caseRef: args.caseRef,
    ...(args.auditAnchor ? { auditAnchor: args.auditAnchor } : {}),
    parts: args.parts.map(({ path, sha256, size, type }) => ({ path, sha256, size, type })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const signature = Buffer.from(
    JSON.stringify({
      algorithm: args.signer.hash,
      certificate: args.signer.certPem,
      signature: (await args.signer.sign(manifestBytes)).toString('base64'),
    }),
  );
  let key: Buffer | null = null;
  const envelope: Record<string, unknown> = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    encrypted: false,
  };
  if (args.recipientCertPem) {
    key = randomBytes(32);
    const recipient = new X509Certificate(args.recipientCertPem);
    envelope.encrypted = true;
    envelope.recipient = {
      fingerprint: recipient.fingerprint256.replace(/:/g, '').toLowerCase(),
      algorithm: 'RSA-OAEP-256',
      wrappedKey: publicEncrypt(
        {
          key: recipient.publicKey,
          padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
        },
        key,
      ).toString('base64'),
    };
  }
  const zip = new yazl.ZipFile();
  const out = createWriteStream(file, { mode: 0o600 });
  // The file's hash is taken as it is written, not by reading the file back.
  const fileHash = createHash('sha256');
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      fileHash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const written = pipeline(zip.outputStream, hashing, out);
  // yazl does not listen for errors on the streams it is given: an evidence file that fails to
  // read would throw out of the process. Every stream is watched; the first error ends the
  // write, and the partial file is removed.
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const watch = <T extends Readable>(stream: T): T => {
    stream.on('error', fail);
    return stream;
  };
  const add = (name: string, source: Readable, compress: boolean) =>
    zip.addReadStream(key ? watch(watch(source).pipe(sealing(key))) : watch(source), name, {
      compress,
      mtime: new Date(0),
    });
  zip.addBuffer(Buffer.from(JSON.stringify(envelope)), 'envelope.json', { mtime: new Date(0) });
  add('manifest.json', Readable.from([manifestBytes]), true);
  add('signature.json', Readable.from([signature]), true);
  const total = args.parts.reduce((n, p) => n + p.size, 0);
  let done = 0;
  for (const part of args.parts) {
    const counting = new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        done += chunk.length;
        args.onProgress?.(done, total);
        cb(null, chunk);
      },
    });
    add(part.path, watch(Readable.from(part.open())).pipe(counting), part.type === 'json');
  }
  zip.end();
  try {
    await Promise.race([written, failed]);
  } catch (error) {
    written.catch(() => undefined);
    (zip.outputStream as unknown as Readable).destroy();
    out.destroy();
    await unlink(file).catch(() => undefined);
    throw error instanceof AppError
      ? error
      : new AppError('SAVE_FAILED', 'The package could not be written');
  }
  return {
    sha256: fileHash.digest('hex'),
    size,
    manifest,
    manifestDigest: {
      sha256: createHash('sha256').update(manifestBytes).digest('hex'),
      size: manifestBytes.length,
    },
  };
}

// ---- reading ------------------------------------------------------------------------------

export interface OpenPackage {
  manifest: Manifest;
  /** SHA-256 and size of the signed manifest: the package's identity in logs. */
  manifestDigest: { sha256: string; size: number };
  signer: { certPem: string; fingerprint: string; subject: string };
  encrypted: boolean;
  /** Streams a part's plaintext (decrypted when the package is encrypted). */
  read(path: string): Promise<Readable>;
  /** A whole (JSON) part, parsed under the limits. */
  json<T>(path: string): Promise<T>;
  close(): void;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject_) =>
    yauzl.open(
      file,
      {
        lazyEntries: true,
        autoClose: false,
        strictFileNames: true,
        validateEntrySizes: true,
        decodeStrings: true,
      },
      (error, zip) => (error || !zip ? reject_(reject('NOT_A_PACKAGE')) : resolve(zip)),
    ),
  );
}

function entriesOf(zip: yauzl.ZipFile, limits: Limits): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject_) => {
    const entries = new Map<string, yauzl.Entry>();
    let total = 0;
    // yauzl checks names itself (strictFileNames) and reports bad ones as errors.
    zip.on('error', (error: Error) =>
      reject_(
        reject(
          /relative path|absolute path|invalid characters/i.test(error.message)
            ? 'PATH_TRAVERSAL'
            : 'MALFORMED',
        ),
      ),
    );
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const bad = checkName(name);
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) {
        reject_(reject('LINK', name));
        return;
      }
      if (bad) {
        reject_(reject(bad, name));
        return;
      }
      if (entries.has(name)) {
        reject_(reject('DUPLICATE_ENTRY', name));
        return;
      }
      if (entries.size + 1 > limits.maxEntries) {
        reject_(reject('TOO_MANY_ENTRIES'));
        return;
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) {
        reject_(reject('TOO_LARGE', name));
        return;
      }
      if (
        entry.compressionMethod !== 0 &&
        entry.uncompressedSize > 1024 * 1024 &&
        entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio
      ) {
        reject_(reject('COMPRESSION_RATIO', name));
        return;
      }
      entries.set(name, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject_) =>
    zip.openReadStream(entry, (error, stream) =>
      error || !stream ? reject_(reject('MALFORMED', entry.fileName)) : resolve(stream),
    ),
  );
}

async function collect(stream: Readable, max: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max) {
        stream.destroy();
        throw reject('TOO_LARGE', what);
      }
      parts.push(chunk as Buffer);
    }
  } catch (error) {
    throw error instanceof AppError ? error : reject('MALFORMED', what);
  }
  return Buffer.concat(parts);
}

/**
 * Opens and fully verifies a package: structure and names, envelope, decryption (with the key
 * that `privateKeyFor` finds for the recipient fingerprint), signature, trust, and the SHA-256
 * and size of every part. Nothing of the package is used before all of this has passed.
 */
export async function openPackage(
  file: string,
  options: {
    trusted: readonly string[];
    privateKeyFor?: (fingerprint: string) => string | null;
    limits?: Limits;
    onProgress?: (done: number, total: number) => void;
    /**
     * Receives a part's plaintext while it is hashed (after the signature and the sender have
     * been verified), so an import reads each part once. Whatever it keeps is provisional: the
     * caller must discard it if this function throws.
     */
    consume?: (part: ManifestPart, stream: Readable) => Promise<{ sha256: string }> | null;
  },
): Promise<OpenPackage> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const zip = await openZip(file);
  try {
    const entries = await entriesOf(zip, limits);
    const envelopeEntry = entries.get('envelope.json');
    if (!envelopeEntry || !entries.has('manifest.json') || !entries.has('signature.json')) {
      throw reject('NOT_A_PACKAGE');
    }
    const envelope = parseJson<{
      format?: string;
      version?: number;
      encrypted?: boolean;
      recipient?: { fingerprint?: string; wrappedKey?: string };
    }>(
      await collect(await entryStream(zip, envelopeEntry), 64 * 1024, 'envelope'),
      limits,
      'envelope',
    );
    if (envelope.format !== PACKAGE_FORMAT || envelope.version !== PACKAGE_VERSION) {
      throw reject('NOT_A_PACKAGE');
    }
    let key: Buffer | null = null;
    if (envelope.encrypted) {
      const fingerprint = envelope.recipient?.fingerprint ?? '';
      const keyPem = options.privateKeyFor?.(fingerprint) ?? null;
      if (!keyPem || !envelope.recipient?.wrappedKey) {
        throw reject('WRONG_RECIPIENT', fingerprint.slice(0, 16));
      }
      try {
        key = privateDecrypt(
          {
            key: createPrivateKey(keyPem),
            padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: 'sha256',
          },
          Buffer.from(envelope.recipient.wrappedKey, 'base64'),
        );
      } catch {
        throw reject('DECRYPTION_FAILED');
      }
    }
    const read = async (path: string): Promise<Readable> => {
      const entry = entries.get(path);
      if (!entry) {
        throw reject('MISSING_PART', path);
      }
      const raw = await entryStream(zip, entry);
      return key ? raw.pipe(opening(key)) : raw;
    };
    const manifestBytes = await collect(
      await read('manifest.json'),
      limits.maxJsonBytes,
      'manifest',
    );
    const manifest = parseJson<Manifest>(manifestBytes, limits, 'manifest');
    if (
      manifest.format !== PACKAGE_FORMAT ||
      !Array.isArray(manifest.parts) ||
      (manifest.kind !== 'submission' && manifest.kind !== 'decision') ||
      typeof manifest.caseId !== 'string'
    ) {
      throw reject('MALFORMED', 'manifest');
    }
    const signature = parseJson<{ algorithm?: string; certificate?: string; signature?: string }>(
      await collect(await read('signature.json'), 1024 * 1024, 'signature'),
      limits,
      'signature',
    );
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(signature.certificate ?? '');
    } catch {
      throw reject('SIGNATURE_INVALID', 'certificate');
    }
    const hash = ['sha256', 'sha384', 'sha512'].includes(signature.algorithm ?? '')
      ? signature.algorithm!
      : 'sha256';
    if (
      !verifySignature(
        hash,
        manifestBytes,
        cert.publicKey,
        Buffer.from(signature.signature ?? '', 'base64'),
      )
    ) {
      throw reject('SIGNATURE_INVALID');
    }
    const fingerprint = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    if (!options.trusted.includes(fingerprint)) {
      throw reject('UNKNOWN_SIGNER', cert.subject.replace(/\n/g, ', '));
    }
    // Every entry is listed, every listed part is there, and each hashes to its manifest line.
    const listed = new Set(manifest.parts.map((p) => p.path));
    for (const name of entries.keys()) {
      if (
        !['envelope.json', 'manifest.json', 'signature.json'].includes(name) &&
        !listed.has(name)
      ) {
        throw reject('UNLISTED_ENTRY', name);
      }
    }
    const total = manifest.parts.reduce((n, p) => n + (Number(p.size) || 0), 0);
    let done = 0;
    for (const part of manifest.parts) {
      if (checkName(part.path) !== null || !part.path.startsWith('parts/')) {
        throw reject('PATH_TRAVERSAL', String(part.path));
      }
      const hash = createHash('sha256');
      let size = 0;
      const tee = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
      const consumer = options.consume?.(part, tee) ?? null;
      let digest: string;
      try {
        for await (const chunk of await read(part.path)) {
          // A consumer that hashes what it receives (the blob store does) saves a second pass.
          if (!consumer) {
            hash.update(chunk as Buffer);
          }
          size += (chunk as Buffer).length;
          done += (chunk as Buffer).length;
          options.onProgress?.(done, total);
          if (consumer && !tee.write(chunk)) {
            await once(tee, 'drain');
          }
        }
        tee.end();
        digest = consumer ? (await consumer).sha256 : hash.digest('hex');
      } catch (error) {
        tee.destroy();
        await consumer?.catch(() => undefined);
        throw error instanceof AppError ? error : reject('MALFORMED', part.path);
      }
      if (size !== part.size || digest !== part.sha256) {
        throw reject('HASH_MISMATCH', part.path);
      }
    }
    return {
      manifest,
      manifestDigest: {
        sha256: createHash('sha256').update(manifestBytes).digest('hex'),
        size: manifestBytes.length,
      },
      signer: { certPem: cert.toString(), fingerprint, subject: cert.subject.replace(/\n/g, ', ') },
      encrypted: key !== null,
      read,
      json: async <T>(path: string) =>
        parseJson<T>(await collect(await read(path), limits.maxJsonBytes, path), limits, path),
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/**
 * The exchange package, format 2: standard containers that standard tools open.
 *
 *   <marking>--<case>--<kind>--<seq>.awbpkg     a tar (POSIX ustar) of two files:
 *     MARKING.txt    the classification marking and what the package is, in clear
 *     package.p7m    CMS AuthEnvelopedData (AES-256-GCM) to the recipient's encryption
 *                    certificate (envelope.ts) — `openssl cms -decrypt` opens it — holding
 *                    a tar of:
 *       manifest.json  what the package is: kind, case, sequence, the previous package's
 *                      digest, marking, sender, the audit anchor, every part's SHA-256 and size
 *       manifest.p7s   CMS SignedData, detached, over manifest.json, by the sender's signing
 *                      key, with its chain — `openssl cms -verify` checks it
 *       parts/…        the parts, in the manifest's order
 *
 * Nothing about the content (names, sizes) shows outside the encryption; the digest of
 * manifest.json names the package in both vaults' logs. docs/package-format.md has a worked
 * example with openssl alone.
 *
 * Reading is hostile by default: the outer tar must be exactly those two files; the envelope is
 * read through asn1js and pkijs; inside, the manifest and its signature come first and are
 * verified (and the caller authorises the sender) before any part is read; every part must be
 * the next one the manifest lists, of its size and hash; names, types, counts and sizes are
 * bounded; and the envelope's authentication tag is checked at its end. A consumer that keeps
 * what it reads must drop it when the read fails.
 *
 * Longer than 500 lines: building and reading every package kind; it becomes the stages read,
 * verify, authorise, plan and apply with the split by capability.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { AppError } from '../../shared/errors';
import { z } from 'zod';
import { PACKAGE_KINDS, type PackageReason } from '../../shared/exchange';
import { buildPadesCms, CmsError, verifyCms, type CmsSigner } from '../signing/cms';
import { allows, readCertificate, type x509 } from '../signing/x509';
import {
  contentDecipher,
  EnvelopeError,
  envelopeSize,
  MAX_HEAD,
  readHead,
  readTag,
  unwrapContentKey,
  writeEnvelope,
  type DecryptionKey,
} from './envelope';

export const PACKAGE_FORMAT = 'awb-package';
export const PACKAGE_VERSION = 2;
export const MARKING_FILE = 'MARKING.txt';
export const ENVELOPE_FILE = 'package.p7m';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const Text = z.string().max(1000);

const ManifestPartSchema = z
  .object({
    path: z.string().max(200),
    sha256: Hex64,
    size: z.number().int().min(0),
    type: z.enum(['json', 'evidence', 'pdf']),
  })
  .strict();
export type ManifestPart = z.infer<typeof ManifestPartSchema>;

/**
 * An instant in UTC as `toISOString` writes it, and one that exists (`new Date(x).toISOString()
 * === x`: no month 13, no 99 o'clock): compared as text, in order.
 */
export function isInstant(x: unknown): x is string {
  if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(x)) {
    return false;
  }
  const at = new Date(x);
  return !Number.isNaN(at.getTime()) && at.toISOString() === x;
}

/** The manifest as a reader accepts it: every field present and of its type, nothing else. */
export const ManifestSchema = z
  .object({
    format: z.literal(PACKAGE_FORMAT),
    version: z.literal(PACKAGE_VERSION),
    kind: z.enum(PACKAGE_KINDS),
    /** When the sender made it: an instant (isInstant). */
    createdAt: z.string().refine(isInstant, 'not a real instant'),
    sender: z
      .object({ name: Text, organisation: Text, role: z.enum(['accreditor', 'system_owner']) })
      .strict(),
    /** SHA-256 of the recipient's encryption certificate. */
    recipient: Hex64,
    case: z.object({ id: Text, ref: Text }).strict(),
    /** The system the case is about (a submission binds it to its sender). */
    system: z.object({ id: Text, ref: Text }).strict(),
    /**
     * The sender's count of its own packages in this case (1 for its first): a receiver refuses
     * one not above the last it took from that sender. `previous` is the digest of the last
     * package the sender had received in this case (null before any): it ties the package to
     * this exchange.
     */
    sequence: z.number().int().min(1),
    previous: Hex64.nullable(),
    /** SHA-256 of the sender's encryption certificate: where an answer goes (null: none). */
    replyTo: Hex64.nullable(),
    marking: z.object({ text: Text, rank: z.number().int() }).strict(),
    /** The sender's audit trail when the package was made. */
    auditAnchor: z.object({ rows: z.number().int().min(0), head: Hex64 }).strict(),
    parts: z.array(ManifestPartSchema),
  })
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;

export interface Limits {
  maxEntries: number;
  maxTotalBytes: number;
  maxJsonBytes: number;
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxEntries: 20_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxJsonBytes: 64 * 1024 ** 2,
  maxJsonDepth: 64,
};

export function reject(reason: PackageReason, detail = ''): AppError {
  return new AppError(
    'PACKAGE_REJECTED',
    `Package rejected: ${reason}${detail ? ` (${detail})` : ''}`,
    {
      reason,
      ...(detail ? { detail } : {}),
    },
  );
}

const SAFE_PART = /^parts\/[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;

/** Whether a part name is one a package may hold; anything else is refused unread. */
export function checkName(name: string): PackageReason | null {
  if (
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((p) => p === '..' || p === '.') ||
    name.includes('\0')
  ) {
    return 'PATH_TRAVERSAL';
  }
  return SAFE_PART.test(name) ? null : 'UNLISTED_ENTRY';
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

export interface PartSource extends ManifestPart {
  /** Opens the part's bytes (called once, while the package is written). */
  open: () => AsyncIterable<Buffer>;
  /**
   * The source itself fails unless its bytes are the ones `sha256` names (an authenticated
   * read of the evidence store): they are not hashed a second time here.
   */
  verified?: boolean;
}

/** A tar entry's size on the tape: a 512-byte header and the data padded to 512 bytes. */
const tarEntrySize = (size: number) => 512 + Math.ceil(size / 512) * 512;
/** Two zero blocks end a tar. */
const TAR_END = 1024;

/** The file name a package is written under: its marking, case, kind and sequence. */
export function packageFileName(
  manifest: Pick<Manifest, 'marking' | 'case' | 'kind' | 'sequence'>,
): string {
  const slug = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toUpperCase();
  return `${slug(manifest.marking.text) || 'UNMARKED'}--${slug(manifest.case.ref)}--${manifest.kind}--${String(manifest.sequence).padStart(4, '0')}.awbpkg`;
}

/**
 * MARKING.txt, all of it, as the signed manifest says it: the marking on the first line, then
 * what the package is and how to open it. A reader compares the whole file with this text
 * (docs/package-format.md prints the same with jq): a relabelled line anywhere is refused.
 */
export function markingText(
  manifest: Pick<Manifest, 'marking' | 'kind' | 'case' | 'sequence'>,
): string {
  return [
    manifest.marking.text,
    '',
    `Accreditation Workbench package: ${manifest.kind}, case ${manifest.case.ref}, sequence ${manifest.sequence}.`,
    'The content is in package.p7m, a CMS AuthEnvelopedData encrypted to the recipient:',
    '  openssl cms -decrypt -inform DER -in package.p7m -recip <cert.pem> -inkey <key.pem> -out content.tar',
    '',
  ].join('\n');
}

/** A stream to feed: Node's or streamx's (tar-stream's), which drain and close alike. */
interface Sink {
  write(chunk: Buffer): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  destroyed: boolean;
}

/** Feeds `stream` with `chunk`, waiting while it is full; a stream destroyed meanwhile throws. */
async function feed(stream: Sink, chunk: Buffer): Promise<void> {
  if (stream.destroyed) {
    throw new Error('the stream was closed');
  }
  if (!stream.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
    });
    if (stream.destroyed) {
      throw new Error('the stream was closed');
    }
  }
}

/**
 * Writes a signed, encrypted package to `file`. The parts' hashes and sizes must be known (the
 * manifest lists them before they are written); a part whose bytes differ fails the write, and
 * a failed write leaves no file.
 */
export async function writePackage(
  file: string,
  args: {
    manifest: Omit<Manifest, 'format' | 'version' | 'parts' | 'recipient'>;
    parts: PartSource[];
    signer: CmsSigner;
    recipient: x509.X509Certificate;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ size: number; digest: string; manifest: Manifest }> {
  if (!allows(args.recipient, 'encryption')) {
    // A signing key never receives: only a certificate made for encryption does.
    throw new AppError('SAVE_FAILED', 'The recipient certificate does not allow encryption');
  }
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    ...args.manifest,
    recipient: createHash('sha256').update(Buffer.from(args.recipient.rawData)).digest('hex'),
    parts: args.parts.map(({ path, sha256, size, type }) => ({ path, sha256, size, type })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const digest = createHash('sha256').update(manifestBytes).digest('hex');
  const signature = await buildPadesCms(
    createHash(args.signer.hash).update(manifestBytes).digest(),
    args.signer,
  );
  const innerSize =
    tarEntrySize(manifestBytes.length) +
    tarEntrySize(signature.length) +
    args.parts.reduce((n, p) => n + tarEntrySize(p.size), 0) +
    TAR_END;
  const sealedSize = envelopeSize(innerSize, args.recipient);
  const total = args.parts.reduce((n, p) => n + p.size, 0);
  let done = 0;

  // The inner tar, produced as the envelope asks for it.
  const inner = tar.pack();
  const producing = (async () => {
    const add = async (
      name: string,
      size: number,
      source: AsyncIterable<Buffer>,
      hash?: string,
      verified = false,
    ) => {
      const entry = inner.entry({ name, size, mtime: new Date(0), mode: 0o600 });
      // An entry that fails (a size that does not add up) fails the package, not the process.
      entry.once('error', (error: Error) => inner.destroy(error));
      const check = createHash('sha256');
      let count = 0;
      for await (const chunk of source) {
        count += chunk.length;
        if (hash) {
          if (!verified) {
            check.update(chunk);
          }
          done += chunk.length;
          args.onProgress?.(done, total);
        }
        await feed(entry, chunk);
      }
      if (count !== size || (hash && !verified && check.digest('hex') !== hash)) {
        throw new AppError('SAVE_FAILED', `The part ${name} is not what the manifest says`);
      }
      await new Promise<void>((resolve, reject_) =>
        entry.end((error?: Error | null) => (error ? reject_(error) : resolve())),
      );
    };
    await add('manifest.json', manifestBytes.length, Readable.from([manifestBytes]));
    await add('manifest.p7s', signature.length, Readable.from([signature]));
    for (const part of args.parts) {
      await add(part.path, part.size, part.open(), part.sha256, part.verified);
    }
    inner.finalize();
  })();
  producing.catch(() => inner.destroy());

  const outer = tar.pack();
  const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
  const writing = pipeline(outer, out);
  try {
    outer.entry({ name: MARKING_FILE, mtime: new Date(0), mode: 0o600 }, markingText(manifest));
    const envelope = outer.entry({
      name: ENVELOPE_FILE,
      size: sealedSize,
      mtime: new Date(0),
      mode: 0o600,
    });
    envelope.once('error', (error: Error) => outer.destroy(error));
    await writeEnvelope(
      (chunk) => feed(envelope, chunk),
      inner as AsyncIterable<Buffer>,
      innerSize,
      args.recipient,
    );
    await producing;
    envelope.end(null);
    outer.finalize();
    await writing;
  } catch (error) {
    outer.destroy();
    out.destroy();
    await writing.catch(() => undefined);
    // A part that failed to read (damaged evidence, named) is the cause, not the stream it broke.
    const cause = await producing.then(
      () => error,
      (e: unknown) => (e instanceof AppError ? e : error),
    );
    await unlink(file).catch(() => undefined);
    throw cause instanceof AppError
      ? cause
      : new AppError('SAVE_FAILED', 'The package could not be written');
  }
  return { size: (await stat(file)).size, digest, manifest };
}

// ---- reading ------------------------------------------------------------------------------

export interface Sender {
  certificate: x509.X509Certificate;
  /** Every certificate the signature carries (for the path to an anchor). */
  certificates: x509.X509Certificate[];
}

export interface ReadOptions {
  /** This vault's decryption keys. */
  keys: DecryptionKey[];
  limits?: Limits;
  onProgress?: (done: number, total: number) => void;
  /**
   * Decides, from the verified manifest, its signer and the marking outside (its first line,
   * and the whole of MARKING.txt), whether to read on: throws the refusal (the sender's trust
   * and role, the sequence, the kind) before a single part is read.
   */
  authorize: (
    manifest: Manifest,
    digest: string,
    sender: Sender,
    outerMarking: string,
    markingFile: string,
  ) => Promise<void> | void;
  /**
   * Receives a part's bytes while they are hashed; whatever it keeps is provisional until the
   * read resolves. Returning null lets the part be hashed and buffered instead (JSON parts).
   */
  consume?: (part: ManifestPart, stream: Readable) => Promise<{ sha256: string }> | null;
}

export interface ReadPackage {
  manifest: Manifest;
  digest: string;
  sender: Sender;
  /** The outer marking, as it stands in clear beside the envelope (the first line). */
  marking: string;
  /** All of MARKING.txt. */
  markingFile: string;
  /** Parts not handed to `consume`, by path (JSON and small files). */
  buffered: Map<string, Buffer>;
}

/**
 * Reads a package through once: outer tar, envelope, manifest and signature (then `authorize`),
 * every part, and the envelope's tag. Resolves only when everything verified.
 */
export async function readPackage(file: string, options: ReadOptions): Promise<ReadPackage> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) {
      throw new Error('not a file');
    }
    size = s.size;
  } catch {
    throw reject('NOT_A_PACKAGE', 'the file cannot be read');
  }
  if (size > limits.maxTotalBytes) {
    throw reject('TOO_LARGE');
  }
  const outer = tar.extract();
  const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const reading = pipeline(source, outer).catch(() => undefined);
  try {
    const entries = outer[Symbol.asyncIterator]();
    const first = await entries.next().catch(() => {
      throw reject('NOT_A_PACKAGE', 'not a tar');
    });
    if (
      first.done ||
      first.value.header.name !== MARKING_FILE ||
      first.value.header.type !== 'file' ||
      (first.value.header.size ?? 0) > 8192
    ) {
      throw reject('NOT_A_PACKAGE', 'no marking first');
    }
    const markingFile = (await collect(bytesOf(first.value), 8192, MARKING_FILE)).toString('utf8');
    const marking = markingFile.split('\n')[0]!.trim();
    const second = await entries.next();
    if (
      second.done ||
      second.value.header.name !== ENVELOPE_FILE ||
      second.value.header.type !== 'file'
    ) {
      throw reject('NOT_A_PACKAGE', 'no envelope');
    }
    const result = await readEnvelope(
      bytesOf(second.value),
      second.value.header.size ?? 0,
      options,
      limits,
      { marking, markingFile },
    );
    const rest = await entries.next();
    if (!rest.done) {
      throw reject('UNLISTED_ENTRY', rest.value.header.name);
    }
    return { ...result, marking, markingFile };
  } catch (error) {
    source.destroy();
    outer.destroy();
    throw asRefusal(error);
  } finally {
    await reading;
  }
}

function asRefusal(error: unknown): AppError {
  if (error instanceof AppError) {
    return error;
  }
  if (error instanceof EnvelopeError) {
    return reject(error.reason, error.message);
  }
  return reject('MALFORMED', 'the package cannot be read');
}

/** A tar entry's bytes (streamx types its chunks as unknown; tar-stream yields Buffers). */
const bytesOf = (entry: unknown) => entry as AsyncIterable<Buffer>;

async function collect(stream: AsyncIterable<Buffer>, max: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) {
      throw reject('TOO_LARGE', what);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Reads the envelope from `stream` (`size` bytes): head, content through the inner tar, tag. */
async function readEnvelope(
  stream: AsyncIterable<Buffer>,
  size: number,
  options: ReadOptions,
  limits: Limits,
  marking: { marking: string; markingFile: string },
): Promise<Omit<ReadPackage, 'marking' | 'markingFile'>> {
  const iterator = stream[Symbol.asyncIterator]();
  // The head: buffered until its structure is read.
  let pending = Buffer.alloc(0);
  let head = null;
  while (!head) {
    const next = await iterator.next();
    if (next.done) {
      throw reject('NOT_A_PACKAGE', 'the envelope ends early');
    }
    pending = Buffer.concat([pending, next.value]);
    head = readHead(pending.subarray(0, MAX_HEAD), size);
  }
  const cek = unwrapContentKey(head, options.keys);
  const decipher = contentDecipher(head, cek);
  cek.fill(0);
  const plain = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
  const inner = tar.extract();
  const innerDone = pipeline(plain, inner);
  innerDone.catch(() => undefined);
  // The content flows into the inner tar while its entries are read below; the 18 bytes after
  // it are the authentication tag, checked once the content has passed.
  const contentStart = head.headLength;
  const contentEnd = contentStart + head.contentLength;
  let position = 0;
  let tail = Buffer.alloc(0);
  const take = async (chunk: Buffer) => {
    const start = position;
    position += chunk.length;
    const from = Math.max(start, contentStart);
    const to = Math.min(position, contentEnd);
    if (to > from) {
      await feed(plain, decipher.update(chunk.subarray(from - start, to - start)));
    }
    if (position > contentEnd) {
      tail = Buffer.concat([tail, chunk.subarray(Math.max(0, contentEnd - start))]);
    }
  };
  const pumping = (async () => {
    await take(pending);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      await take(next.value);
    }
    if (position !== size) {
      throw reject('NOT_A_PACKAGE', 'the envelope ends early');
    }
    try {
      decipher.setAuthTag(readTag(tail));
      decipher.final();
    } catch {
      throw reject('DECRYPTION_FAILED', 'the content does not authenticate');
    }
    plain.end();
  })();
  pumping.catch(() => plain.destroy());
  try {
    const result = await readInner(inner, options, limits, marking);
    await pumping;
    await innerDone;
    return result;
  } catch (error) {
    plain.destroy();
    inner.destroy();
    const pumpError = await pumping.then(
      () => null,
      (e: unknown) => e,
    );
    // Content that does not authenticate is refused as such, whatever it made the tar say.
    throw pumpError instanceof AppError ? pumpError : error;
  }
}

/** The inner tar: manifest, signature (then the sender is authorised), then every part. */
async function readInner(
  inner: tar.Extract,
  options: ReadOptions,
  limits: Limits,
  marking: { marking: string; markingFile: string },
): Promise<Omit<ReadPackage, 'marking' | 'markingFile'>> {
  const entries = inner[Symbol.asyncIterator]();
  const next = async (name: string) => {
    const entry = await entries.next();
    if (entry.done) {
      throw reject('MISSING_PART', name);
    }
    const header = entry.value.header;
    if (header.type !== 'file') {
      throw reject('LINK', header.name);
    }
    if (header.name !== name) {
      const bad = checkName(header.name);
      throw reject(bad ?? 'UNLISTED_ENTRY', header.name);
    }
    return entry.value;
  };
  const manifestBytes = await collect(
    bytesOf(await next('manifest.json')),
    limits.maxJsonBytes,
    'manifest',
  );
  const parsed = ManifestSchema.safeParse(parseJson<unknown>(manifestBytes, limits, 'manifest'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw reject(
      'MALFORMED',
      `manifest${issue ? `: ${issue.path.join('.')} ${issue.message}` : ''}`,
    );
  }
  const manifest = parsed.data;
  if (manifest.parts.length + 2 > limits.maxEntries) {
    throw reject('TOO_MANY_ENTRIES');
  }
  const signatureBytes = await collect(
    bytesOf(await next('manifest.p7s')),
    1024 * 1024,
    'signature',
  );
  let sender: Sender;
  try {
    const reading = verifyCms(signatureBytes, [manifestBytes]);
    sender = {
      certificate: readCertificate(reading.signer)!,
      certificates: reading.certificates.flatMap((d) => readCertificate(d) ?? []),
    };
  } catch (error) {
    throw reject('SIGNATURE_INVALID', error instanceof CmsError ? error.reason : 'unreadable');
  }
  const digest = createHash('sha256').update(manifestBytes).digest('hex');
  await options.authorize(manifest, digest, sender, marking.marking, marking.markingFile);
  const total = manifest.parts.reduce((n, p) => n + (Number(p.size) || 0), 0);
  let done = 0;
  const buffered = new Map<string, Buffer>();
  const seen = new Set<string>();
  for (const part of manifest.parts) {
    const bad = checkName(part.path);
    if (bad) {
      throw reject(bad, String(part.path));
    }
    if (seen.has(part.path)) {
      throw reject('DUPLICATE_ENTRY', part.path);
    }
    seen.add(part.path);
    const entry = await next(part.path);
    if (entry.header.size !== part.size) {
      throw reject('HASH_MISMATCH', part.path);
    }
    const hash = createHash('sha256');
    const tee = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
    const consumer = options.consume?.(part, tee) ?? null;
    const keep: Buffer[] = [];
    let got = 0;
    try {
      for await (const chunk of bytesOf(entry)) {
        got += chunk.length;
        done += chunk.length;
        options.onProgress?.(done, total);
        if (consumer) {
          await feed(tee, chunk);
        } else {
          if (got > limits.maxJsonBytes) {
            throw reject('TOO_LARGE', part.path);
          }
          hash.update(chunk);
          keep.push(chunk);
        }
      }
      tee.end();
      const sha = consumer ? (await consumer).sha256 : hash.digest('hex');
      if (got !== part.size || sha !== part.sha256) {
        throw reject('HASH_MISMATCH', part.path);
      }
    } catch (error) {
      tee.destroy();
      await consumer?.catch(() => undefined);
      throw error;
    }
    if (!consumer) {
      buffered.set(part.path, Buffer.concat(keep));
    }
  }
  const end = await entries.next();
  if (!end.done) {
    throw reject('UNLISTED_ENTRY', end.value.header.name);
  }
  return { manifest, digest, sender, buffered };
}

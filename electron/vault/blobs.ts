/**
 * The evidence store: each file sealed on its own in `blobs/`, written once, streamed in both
 * directions so a 1 GB file never sits whole in memory, and kept out of the database so a
 * save costs the same however much evidence a dossier holds.
 *
 * File: "AWBBLOB2" | chunk size (u32 LE) | nonce prefix (7) | chunks…
 * Each chunk is AES-256-GCM(plaintext ≤ chunk size) + tag; its nonce is prefix ‖ counter (u32
 * BE) ‖ last-flag, with the 19-byte header as associated data (the STREAM construction): a
 * dropped, reordered, truncated or altered chunk fails. The file name is an HMAC, under a vault
 * key, of the content's SHA-256 — content-addressed (the same file is stored once) without
 * revealing to someone holding a known document that it is in the vault, and with one hash
 * pass over the content, not two. Files written before ("AWBBLOB1") are named by an HMAC of
 * the content itself, and are still read.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';

const MAGIC_V1 = Buffer.from('AWBBLOB1', 'latin1');
const MAGIC = Buffer.from('AWBBLOB2', 'latin1');
const HEADER = 8 + 4 + 7;
const TAG = 16;
export const CHUNK_SIZE = 64 * 1024;
const ADDRESS = /^[0-9a-f]{64}$/;
/** How many sealed bytes are gathered before they are written. */
const WRITE_BATCH = 4 * 1024 * 1024;

export interface StoredBlob {
  /** The blob's name in the store (HMAC of its content under the vault's blob key). */
  address: string;
  /** SHA-256 of the content, for the evidence index and for people to compare. */
  sha256: string;
  size: number;
  /** False when the store already held this content (so it must not be removed on failure). */
  created?: boolean;
}

function nonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** The address of content with this SHA-256 (format 2): an HMAC of the hash. */
function addressOf(macKey: Buffer, sha256: Buffer): string {
  return createHmac('sha256', macKey).update('awb blob sha256:').update(sha256).digest('hex');
}

function corrupted(message: string): AppError {
  return new AppError('BLOB_CORRUPTED', message);
}

/**
 * Re-cuts any stream of byte chunks into fixed-size chunks, flagging the last one. Chunks are
 * views of the pieces where they can be (a stream does not change a piece once it gave it), and
 * copies only where a chunk spans two pieces.
 */
async function* fixedChunks(
  source: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<{ data: Buffer; last: boolean }> {
  let pending: Buffer = Buffer.alloc(0);
  let held: Buffer | null = null;
  for await (const piece of source) {
    const view = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    pending = pending.length === 0 ? view : Buffer.concat([pending, view]);
    while (pending.length >= size) {
      if (held) {
        yield { data: held, last: false };
      }
      held = pending.subarray(0, size);
      pending = pending.subarray(size);
    }
  }
  if (pending.length > 0) {
    if (held) {
      yield { data: held, last: false };
    }
    yield { data: pending, last: true };
  } else {
    yield { data: held ?? Buffer.alloc(0), last: true };
  }
}

export class BlobStore {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(
    private readonly dir: string,
    dataKey: Buffer,
  ) {
    this.encKey = Buffer.from(
      hkdfSync('sha256', dataKey, 'awb blobs', 'awb blob encryption v1', 32),
    );
    this.macKey = Buffer.from(hkdfSync('sha256', dataKey, 'awb blobs', 'awb blob address v1', 32));
  }

  /**
   * Stored files something not yet saved will refer to (an upload waiting to be attached), by
   * how many: a refused import removes the files it added only when nothing refers to them and
   * nothing holds them.
   */
  private readonly holds = new Map<string, number>();

  hold(address: string): void {
    this.holds.set(address, (this.holds.get(address) ?? 0) + 1);
  }

  release(address: string): void {
    const left = (this.holds.get(address) ?? 0) - 1;
    if (left > 0) {
      this.holds.set(address, left);
    } else {
      this.holds.delete(address);
    }
  }

  held(address: string): boolean {
    return this.holds.has(address);
  }

  private wiped = false;

  /** Asked before anything is written (the vault refuses while it is read-only). */
  beforeWrite: () => void = () => undefined;

  /** Drops the derived keys (on lock); a stream still running fails instead of using them. */
  wipe(): void {
    this.wiped = true;
    this.encKey.fill(0);
    this.macKey.fill(0);
  }

  private assertOpen(): void {
    if (this.wiped) {
      throw new AppError('VAULT_LOCKED', 'The vault was locked');
    }
  }

  pathOf(address: string): string {
    if (!ADDRESS.test(address)) {
      throw new AppError('NOT_FOUND', 'No such evidence file');
    }
    return join(this.dir, address);
  }

  /**
   * Seals a stream into the store; reports progress in plaintext bytes. `beforeCreate` learns
   * the address of a file the store did not hold before it appears under it (an import notes
   * it in its journal first).
   */
  async put(
    source: AsyncIterable<Uint8Array>,
    onProgress?: (bytes: number) => void,
    beforeCreate?: (address: string) => void,
  ): Promise<StoredBlob> {
    this.beforeWrite();
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `incoming.tmp-${randomBytes(8).toString('hex')}`);
    const handle = await fsp.open(
      temp,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      0o600,
    );
    const prefix = randomBytes(7);
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(CHUNK_SIZE, 8);
    prefix.copy(header, 12);
    const sha = createHash('sha256');
    let size = 0;
    let counter = 0;
    let renamed = false;
    let created = true;
    // Sealed chunks are written in batches (one system call per few MiB, not per chunk), each
    // while the next is sealed: at most one write is in flight.
    let batch: Buffer[] = [header];
    let batched = header.length;
    let writing: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      await writing;
      if (batch.length) {
        const full = batch;
        writing = handle.writev(full);
        // A failed write is raised at the next flush (or the last), never lost.
        writing.catch(() => undefined);
        batch = [];
        batched = 0;
      }
    };
    try {
      for await (const { data, last } of fixedChunks(source, CHUNK_SIZE)) {
        this.assertOpen();
        sha.update(data);
        const cipher = createCipheriv('aes-256-gcm', this.encKey, nonce(prefix, counter, last));
        cipher.setAAD(header);
        batch.push(cipher.update(data), cipher.final(), cipher.getAuthTag());
        batched += data.length + TAG;
        if (batched >= WRITE_BATCH) {
          await flush();
        }
        counter++;
        if (counter >= 0xffffffff) {
          throw new AppError('VALIDATION_FAILED', 'File too large');
        }
        size += data.length;
        onProgress?.(size);
      }
      await flush();
      await writing;
      await handle.sync();
      await handle.close();
      this.assertOpen();
      const digest = sha.digest();
      const address = addressOf(this.macKey, digest);
      const path = join(this.dir, address);
      if (
        beforeCreate &&
        !(await fsp.lstat(path).then(
          () => true,
          () => false,
        ))
      ) {
        beforeCreate(address);
      }
      try {
        // Written once: an existing blob with this address already holds this content.
        await fsp.link(temp, path);
      } catch (error) {
        created = false;
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          created = true;
          await fsp
            .copyFile(temp, path, constants.COPYFILE_EXCL)
            .catch((e: NodeJS.ErrnoException) => {
              if (e.code !== 'EEXIST') {
                throw e;
              }
              created = false;
            });
        }
      }
      renamed = true;
      await fsp.unlink(temp);
      const dirHandle =
        process.platform === 'win32' ? null : await fsp.open(this.dir, constants.O_RDONLY);
      await dirHandle?.sync();
      await dirHandle?.close();
      return { address, sha256: digest.toString('hex'), size, created };
    } finally {
      if (!renamed) {
        await writing.catch(() => undefined);
        await handle.close().catch(() => undefined);
        await fsp.unlink(temp).catch(() => undefined);
      }
    }
  }

  /** Removes a blob this process just created and no record refers to (an import that failed). */
  async remove(address: string): Promise<void> {
    await fsp.unlink(this.pathOf(address)).catch(() => undefined);
  }

  /**
   * Streams a blob's content, verifying every chunk; the content's address is checked at the
   * end. Any damage raises BLOB_CORRUPTED (consumers must not use what they read before).
   */
  async *read(address: string): AsyncGenerator<Buffer> {
    const path = this.pathOf(address);
    let handle: fsp.FileHandle;
    try {
      // No link is followed, and a FIFO or device is not waited on: it is opened without
      // blocking and refused unless it is a regular file.
      handle = await fsp.open(
        path,
        constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new AppError('NOT_FOUND', 'No such evidence file');
      }
      throw corrupted('The evidence file cannot be opened');
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw corrupted('The evidence file is not a regular file');
    }
    // Read in runs of sealed chunks (fewer reads), opened one chunk at a time.
    const stream = handle.createReadStream({ highWaterMark: 16 * (CHUNK_SIZE + TAG) });
    let buffer: Buffer = Buffer.alloc(0);
    let header: Buffer | null = null;
    let chunkSize = 0;
    let counter = 0;
    // Format 2 names a blob by its content's SHA-256; format 1 by an HMAC of the content.
    let hash: { update(data: Buffer): unknown } = createHash('sha256');
    let v1: ReturnType<typeof createHmac> | null = null;
    const open = (sealed: Buffer, last: boolean): Buffer | null => {
      this.assertOpen();
      if (!header) {
        return null;
      }
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          this.encKey,
          nonce(header.subarray(12, 19), counter, last),
        );
        decipher.setAAD(header);
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
        const plain = decipher.update(sealed.subarray(0, sealed.length - TAG));
        decipher.final(); // GCM gives nothing more here: it checks the tag
        return plain;
      } catch {
        return null;
      }
    };
    const record = () => chunkSize + TAG;
    const take = (sealed: Buffer) => {
      const plain = open(sealed, false);
      if (!plain) {
        throw corrupted('Chunk does not authenticate');
      }
      hash.update(plain);
      counter++;
      return plain;
    };
    // `buffer` holds at most one record not yet opened: a full record is opened only once more
    // bytes follow it (the last one is sealed as last, so data appended after the real final
    // chunk makes that chunk fail as "not last"). Records inside a piece are opened in place;
    // only a record spanning two pieces is copied together.
    for await (const raw of stream) {
      let piece = raw as Buffer;
      if (!header) {
        buffer = buffer.length === 0 ? piece : Buffer.concat([buffer, piece]);
        if (buffer.length < HEADER) {
          continue;
        }
        header = Buffer.from(buffer.subarray(0, HEADER));
        if (header.subarray(0, 8).equals(MAGIC_V1)) {
          v1 = createHmac('sha256', this.macKey);
          hash = v1;
        } else if (!header.subarray(0, 8).equals(MAGIC)) {
          throw corrupted('Not an evidence file');
        }
        chunkSize = header.readUInt32LE(8);
        if (chunkSize !== CHUNK_SIZE) {
          throw corrupted('Unexpected chunk size');
        }
        piece = buffer.subarray(HEADER);
        buffer = Buffer.alloc(0);
        if (piece.length === 0) {
          continue;
        }
      }
      if (buffer.length > 0) {
        const need = record() - buffer.length;
        if (piece.length <= need) {
          buffer = Buffer.concat([buffer, piece]);
          continue;
        }
        // More bytes follow this record: it is not the last.
        yield take(need === 0 ? buffer : Buffer.concat([buffer, piece.subarray(0, need)]));
        piece = piece.subarray(need);
      }
      let offset = 0;
      while (piece.length - offset > record()) {
        yield take(piece.subarray(offset, offset + record()));
        offset += record();
      }
      buffer = piece.subarray(offset);
    }
    if (!header || buffer.length < TAG) {
      throw corrupted('Evidence file is truncated');
    }
    const plain = open(buffer, true);
    if (!plain) {
      throw corrupted('Final chunk does not authenticate (truncated or altered)');
    }
    hash.update(plain);
    const named = v1
      ? v1.digest('hex')
      : addressOf(this.macKey, (hash as ReturnType<typeof createHash>).digest());
    if (named !== address) {
      throw corrupted('Content does not match its address');
    }
    yield plain;
  }

  /** Reads a blob through, returning its SHA-256, or raises BLOB_CORRUPTED. */
  async verify(address: string): Promise<{ sha256: string; size: number }> {
    const sha = createHash('sha256');
    let size = 0;
    for await (const chunk of this.read(address)) {
      sha.update(chunk);
      size += chunk.length;
    }
    return { sha256: sha.digest('hex'), size };
  }
}

/**
 * An evidence file's content, with a failure naming the evidence item (which file of which
 * case), so the person knows what to replace.
 */
export async function* namedRead(
  source: AsyncIterable<Buffer>,
  id: string,
  title: string,
): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (error) {
    if (
      error instanceof AppError &&
      (error.code === 'BLOB_CORRUPTED' || error.code === 'NOT_FOUND')
    ) {
      throw new AppError('BLOB_CORRUPTED', `Evidence "${title}" cannot be read`, {
        evidenceId: id,
        evidence: title,
        cause: error.code,
      });
    }
    throw error;
  }
}

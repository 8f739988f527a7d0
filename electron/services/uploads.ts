/**
 * Chunked uploads from the UI into the vault's blob store. The renderer sends a file in
 * ordered chunks (base64 over IPC or the preview's HTTP alike, so progress is known and no
 * side needs the whole file in memory); each chunk is streamed into the sealing writer as it
 * arrives, with backpressure. A finished upload is held until a feature attaches it (once).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { StoredBlob } from '../vault/blobs';
import { referencedBlobs } from '../vault/check';
import type { Vault } from '../vault/vault';

export const MAX_CHUNK_BYTES = 1024 * 1024;
const MAX_ACTIVE = 4;
const QUEUE_DEPTH = 4;

/** An async iterable fed by push(); end() finishes it, fail() makes the consumer throw. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private items: (Uint8Array | null | Error)[] = [];
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;

  async push(chunk: Uint8Array): Promise<void> {
    while (this.items.length >= QUEUE_DEPTH) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    this.items.push(chunk);
    this.wakeConsumer?.();
  }

  end(): void {
    this.items.push(null);
    this.wakeConsumer?.();
  }

  fail(error: Error): void {
    this.items.push(error);
    this.wakeConsumer?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      while (this.items.length === 0) {
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
      const item = this.items.shift();
      this.wakeProducer?.();
      if (item === null || item === undefined) {
        return;
      }
      if (item instanceof Error) {
        throw item;
      }
      yield item;
    }
  }
}

interface Active {
  name: string;
  size: number;
  received: number;
  nextIndex: number;
  queue: ChunkQueue;
  result: Promise<StoredBlob>;
}

export interface FinishedUpload extends StoredBlob {
  name: string;
}

export class Uploads {
  private readonly active = new Map<string, Active>();
  private readonly finished = new Map<string, FinishedUpload>();

  constructor(private readonly vault: () => Vault) {}

  begin(name: string, size: number): { uploadId: string } {
    if (this.active.size >= MAX_ACTIVE) {
      throw new AppError('VALIDATION_FAILED', 'Too many uploads at once');
    }
    const queue = new ChunkQueue();
    const uploadId = randomUUID();
    const result = this.vault().blobs.put(queue);
    result.catch(() => undefined); // observed in finish/abort
    this.active.set(uploadId, { name, size, received: 0, nextIndex: 0, queue, result });
    return { uploadId };
  }

  private get(uploadId: string): Active {
    const upload = this.active.get(uploadId);
    if (!upload) {
      throw new AppError('NOT_FOUND', 'No such upload');
    }
    return upload;
  }

  async chunk(uploadId: string, index: number, data: Buffer): Promise<{ received: number }> {
    const upload = this.get(uploadId);
    if (
      index !== upload.nextIndex ||
      data.length > MAX_CHUNK_BYTES ||
      upload.received + data.length > upload.size
    ) {
      await this.abort(uploadId);
      throw new AppError('VALIDATION_FAILED', 'Chunk out of order or beyond the declared size');
    }
    upload.nextIndex++;
    upload.received += data.length;
    await upload.queue.push(data);
    return { received: upload.received };
  }

  async finish(uploadId: string): Promise<FinishedUpload> {
    const upload = this.get(uploadId);
    if (upload.received !== upload.size) {
      await this.abort(uploadId);
      throw new AppError('VALIDATION_FAILED', 'The upload is shorter than declared');
    }
    upload.queue.end();
    this.active.delete(uploadId);
    const stored = await upload.result;
    const done = { ...stored, name: upload.name };
    this.finished.set(uploadId, done);
    // Held until it is attached or aborted: nothing else removes it meanwhile.
    this.vault().blobs.hold(done.address);
    return done;
  }

  /**
   * Stops an upload (the user cancelled it) and leaves nothing behind: an unfinished one's writer
   * removes its partial file; a finished one not yet attached has its stored file removed, unless
   * it was in the store before or something refers to it. Resolves once the file is gone.
   */
  async abort(uploadId: string): Promise<void> {
    const upload = this.active.get(uploadId);
    const done = this.finished.get(uploadId);
    this.finished.delete(uploadId);
    if (upload) {
      upload.queue.fail(new AppError('VALIDATION_FAILED', 'Upload aborted'));
      this.active.delete(uploadId);
      await upload.result.catch(() => undefined);
    }
    if (done) {
      this.vault().blobs.release(done.address);
    }
    if (done?.created && !this.inUse(done.address)) {
      await this.vault().blobs.remove(done.address);
    }
  }

  /** Whether a stored file is referred to (by the database, or by another upload waiting). */
  private inUse(address: string): boolean {
    return (
      [...this.finished.values()].some((f) => f.address === address) ||
      referencedBlobs(this.vault().database).has(address)
    );
  }

  /**
   * Attaches a finished upload: `attach` gets it once. If attaching fails (the form's values
   * refused), the upload stays finished, to attach again with corrected values or to abort.
   */
  async attach<T>(uploadId: string, attach: (done: FinishedUpload) => Promise<T>): Promise<T> {
    const done = this.take(uploadId);
    try {
      const attached = await attach(done);
      // Referred to by the vault now; the hold was for the time in between.
      this.vault().blobs.release(done.address);
      return attached;
    } catch (error) {
      this.finished.set(uploadId, done);
      throw error;
    }
  }

  /** Hands a finished upload to the feature that attaches it; each upload can be taken once. */
  take(uploadId: string): FinishedUpload {
    const done = this.finished.get(uploadId);
    if (!done) {
      throw new AppError('NOT_FOUND', 'No finished upload with that id');
    }
    this.finished.delete(uploadId);
    return done;
  }

  /** On lock: every unfinished upload is dropped (its temp file removed by the writer). */
  abortAll(): void {
    for (const id of [...this.active.keys()]) {
      void this.abort(id);
    }
    for (const done of this.finished.values()) {
      this.vault().blobs.release(done.address);
    }
    this.finished.clear();
  }
}

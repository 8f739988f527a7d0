/**
 * Sends a file to the core in 1 MiB chunks (the core streams each into the blob store), so a
 * large file never sits whole in memory on either side and progress is exact. The time left is
 * estimated from the rate so far; a cancelled upload is aborted in the core, which removes what
 * it had written, so nothing is left behind.
 */
import type { ErrorCode } from '../../shared/errors';
import { call, callRaw } from './api';

const CHUNK = 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export interface UploadProgress {
  sent: number;
  total: number;
  /** Seconds left at the rate so far; null until a rate is known. */
  secondsLeft: number | null;
}

export type UploadResult =
  { ok: true; uploadId: string } | { ok: false; code: ErrorCode } | { ok: false; cancelled: true };

/** Returns the upload id to attach, the error the core gave, or that the user cancelled it. */
export async function uploadFile(
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const begun = await callRaw('uploads:begin', { name: file.name, size: file.size });
  if (!begun.ok) {
    return { ok: false, code: begun.error.code };
  }
  const { uploadId } = begun.value;
  const started = performance.now();
  let index = 0;
  for (let at = 0; at < file.size; at += CHUNK) {
    if (signal?.aborted) {
      await call('uploads:abort', { uploadId });
      return { ok: false, cancelled: true };
    }
    const bytes = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
    const sent = await callRaw('uploads:chunk', {
      uploadId,
      index: index++,
      data: toBase64(bytes),
    });
    if (!sent.ok) {
      await call('uploads:abort', { uploadId });
      return { ok: false, code: sent.error.code };
    }
    const received = sent.value.received;
    const seconds = (performance.now() - started) / 1000;
    onProgress({
      sent: received,
      total: file.size,
      secondsLeft:
        received > 0 && seconds > 0 ? ((file.size - received) * seconds) / received : null,
    });
  }
  if (signal?.aborted) {
    await call('uploads:abort', { uploadId });
    return { ok: false, cancelled: true };
  }
  const finished = await callRaw('uploads:finish', { uploadId });
  return finished.ok ? { ok: true, uploadId } : { ok: false, code: finished.error.code };
}

/** Drops a finished upload that will not be attached (the core removes its file). */
export async function discardUpload(uploadId: string): Promise<void> {
  await call('uploads:abort', { uploadId });
}

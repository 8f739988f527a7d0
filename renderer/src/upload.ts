/**
 * Sends a file to the core in 1 MiB chunks (the core streams each into the blob store), so a
 * large file never sits whole in memory on either side and progress is exact.
 */
import type { ErrorCode } from '../../shared/errors';
import { callRaw } from './api';

const CHUNK = 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Returns the upload id to attach, or the error the core gave. */
export async function uploadFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<{ ok: true; uploadId: string } | { ok: false; code: ErrorCode }> {
  const begun = await callRaw('uploads:begin', { name: file.name, size: file.size });
  if (!begun.ok) {
    return { ok: false, code: begun.error.code };
  }
  const { uploadId } = begun.value;
  let index = 0;
  for (let at = 0; at < file.size; at += CHUNK) {
    const bytes = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
    const sent = await callRaw('uploads:chunk', {
      uploadId,
      index: index++,
      data: toBase64(bytes),
    });
    if (!sent.ok) {
      await callRaw('uploads:abort', { uploadId });
      return { ok: false, code: sent.error.code };
    }
    onProgress(sent.value.received, file.size);
  }
  const finished = await callRaw('uploads:finish', { uploadId });
  return finished.ok ? { ok: true, uploadId } : { ok: false, code: finished.error.code };
}

/**
 * Small files beside the vault written so a crash leaves the old one or the new one, never half
 * of either: a temporary file (0600) written and synced, renamed over the old, the folder synced.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Writes `data` to `path` atomically (see above). */
export function writeFileAtomic(path: string, folder: string, data: string | Buffer): void {
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(folder);
}

/**
 * Makes a rename or removal in `folder` durable. Windows cannot open a folder for it (NTFS
 * journals the rename); a folder that cannot be synced leaves the rename atomic all the same.
 */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') {
    return;
  }
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // see above
  }
}

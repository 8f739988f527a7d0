/**
 * The file operations the save path uses, behind an interface so the fault tests can make any
 * single step fail (open, write, fsync, close, rotate, link, rename, folder fsync) and prove
 * the vault still opens at the old or the new generation.
 */
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';

export type SaveStep =
  'open' | 'write' | 'fsync' | 'close' | 'rotate' | 'link' | 'rename' | 'dirsync';

export interface Fingerprint {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

export interface WritableFile {
  /**
   * Writes the parts in order. A lazy iterable is advanced while the previous part is being
   * written, so producing a part (encrypting it) overlaps with writing the last one.
   */
  writeAll(parts: Iterable<Buffer>): Promise<void>;
  sync(): Promise<void>;
  fingerprint(): Promise<Fingerprint>;
  close(): Promise<void>;
}

export interface FsOps {
  createExclusive(path: string, mode: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  syncDir(path: string): Promise<void>;
  fingerprint(path: string): Promise<Fingerprint | null>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  /** Which step is running: the fault injector fails the one it was told to. */
  step?(step: SaveStep): void;
}

function toFingerprint(s: { ino: bigint; size: bigint; mtimeNs: bigint }): Fingerprint {
  return { ino: s.ino, size: s.size, mtimeNs: s.mtimeNs };
}

export const nodeFs: FsOps = {
  async createExclusive(path, mode) {
    const handle = await fsp.open(
      path,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      mode,
    );
    return {
      async writeAll(parts) {
        let position = 0;
        const writePart = async (part: Buffer, at: number) => {
          let offset = 0;
          while (offset < part.length) {
            const { bytesWritten } = await handle.write(
              part,
              offset,
              part.length - offset,
              at + offset,
            );
            offset += bytesWritten;
          }
        };
        const iterator = parts[Symbol.iterator]();
        let next = iterator.next();
        while (!next.done) {
          const part = next.value;
          const writing = writePart(part, position);
          position += part.length;
          // The next part is produced while this one is written.
          next = iterator.next();
          await writing;
        }
      },
      sync: () => handle.sync(),
      fingerprint: async () => toFingerprint(await handle.stat({ bigint: true })),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  copyFile: (from, to) => fsp.copyFile(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(path) {
    // Windows cannot open a directory for fsync; its rename is durable through NTFS journaling.
    if (process.platform === 'win32') {
      return;
    }
    const handle = await fsp.open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async fingerprint(path) {
    try {
      return toFingerprint(await fsp.stat(path, { bigint: true }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw error;
    }
  },
  readFile: (path) => fsp.readFile(path),
  readdir: (path) => fsp.readdir(path),
};

export function sameFingerprint(a: Fingerprint | null, b: Fingerprint | null): boolean {
  return (
    a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
  );
}

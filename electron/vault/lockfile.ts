/**
 * The lock file that keeps a second writer out of a vault folder. It names the holder (host,
 * process id); a lock left by a process that no longer runs on this host is stale and taken
 * over, anything else is LOCKED_BY_OTHER.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../../shared/errors';

export interface LockHolder {
  host: string;
  pid: number;
  token: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (
      typeof parsed.host === 'string' &&
      typeof parsed.pid === 'number' &&
      typeof parsed.token === 'string'
    ) {
      return parsed as LockHolder;
    }
  } catch {
    // unreadable or half-written: treated as stale below only if it is ours to judge
  }
  return null;
}

export class FolderLock {
  private constructor(
    private readonly path: string,
    private readonly token: string,
  ) {}

  static acquire(path: string): FolderLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      const holder: LockHolder = {
        host: hostname(),
        pid: process.pid,
        token: randomBytes(16).toString('hex'),
        since: new Date().toISOString(),
      };
      try {
        writeFileSync(path, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
        return new FolderLock(path, holder.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new AppError('FOLDER_NOT_WRITABLE', 'Cannot create the lock file');
        }
      }
      const existing = readHolder(path);
      const stale =
        existing === null ||
        (existing.host === hostname() && existing.pid !== process.pid && !alive(existing.pid));
      if (!stale) {
        throw new AppError('LOCKED_BY_OTHER', 'The vault is in use', {
          host: existing.host,
          since: existing.since,
        });
      }
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first; try again
      }
    }
    throw new AppError('LOCKED_BY_OTHER', 'The vault is in use');
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    const holder = readHolder(this.path);
    if (holder?.token === this.token) {
      try {
        unlinkSync(this.path);
      } catch {
        // already gone
      }
    }
  }
}

import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * The evidence files an import has added, named in a file beside the vault until the vault that
 * refers to them is saved. At unlock, a journal left by a crash is resolved: what the saved
 * vault does not refer to is removed.
 */
export class ImportJournal {
  private readonly file: string;

  constructor(folder: string) {
    this.file = join(folder, `import-${randomUUID()}.pending`);
    closeSync(openSync(this.file, 'wx', 0o600));
  }

  /** Notes an address before the evidence file appears under it (written through to disk). */
  add(address: string): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${address}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  done(): void {
    rmSync(this.file, { force: true });
  }

  /**
   * Removes the evidence unfinished imports left that the vault does not refer to (`referenced`);
   * returns how many. A journal names only files its import created (not one the store held
   * already, which an older generation of the vault may refer to), so nothing else is touched.
   */
  static resolve(
    folder: string,
    referenced: ReadonlySet<string>,
    pathOf: (address: string) => string,
  ): number {
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => /^import-[0-9a-f-]{36}\.pending$/.test(n));
    } catch {
      return 0;
    }
    if (!names.length) {
      return 0;
    }
    for (const name of names) {
      const journal = join(folder, name);
      const listed = readFileSync(journal, 'utf8')
        .split('\n')
        .filter((a) => /^[0-9a-f]{64}$/.test(a));
      for (const address of new Set(listed)) {
        if (referenced.has(address)) {
          continue;
        }
        const path = pathOf(address);
        if (existsSync(path)) {
          rmSync(path, { force: true });
          removed++;
        }
      }
      rmSync(journal, { force: true });
    }
    return removed;
  }
}

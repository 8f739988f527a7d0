/**
 * The newest audit-trail head this machine has seen for each vault (by vault id): its row
 * count and last hash. Not secret — the header of every vault file carries the same — and kept
 * outside the vault folder, on the machine (the app's data folder, beside its preferences), so
 * that someone who can only replace files in the folder cannot roll it back with the vault:
 * a main file put back to an older copy does not reach the head remembered here, and is
 * ROLLBACK_SUSPECTED at unlock even when no kept generation is left to tell (docs/vault.md,
 * "Rollback").
 *
 * Its limits, stated: a vault opened on a machine for the first time (or with this file lost)
 * has nothing to compare with; whoever can write this machine's data folder can roll the
 * memory back too. What it read is parsed, never trusted: a malformed file is an empty memory.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TrailHead } from './explanation';

export interface HeadMemory {
  /** The newest head remembered for this vault, or null. */
  recall(vaultId: string): TrailHead | null;
  /** Remembers `head` as the newest for this vault (only the vault decides it is newer). */
  remember(vaultId: string, head: TrailHead): void;
}

const HEX64 = /^[0-9a-f]{64}$/;
const VAULT_ID = /^[0-9a-zA-Z-]{1,64}$/;
export const HEADS_FILE = 'vault-heads.json';

function parse(text: string): Record<string, TrailHead> {
  const out: Record<string, TrailHead> = {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return out;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return out;
  }
  for (const [id, value] of Object.entries(data as Record<string, unknown>)) {
    const v = value as { rows?: unknown; head?: unknown } | null;
    if (
      VAULT_ID.test(id) &&
      v &&
      typeof v === 'object' &&
      Number.isSafeInteger(v.rows) &&
      (v.rows as number) > 0 &&
      typeof v.head === 'string' &&
      HEX64.test(v.head)
    ) {
      out[id] = { rows: v.rows as number, head: v.head };
    }
  }
  return out;
}

/** A JSON file in the app's data folder (written atomically, 0600). */
export class FileHeadMemory implements HeadMemory {
  readonly file: string;

  constructor(dataFolder: string) {
    this.file = join(dataFolder, HEADS_FILE);
  }

  private read(): Record<string, TrailHead> {
    try {
      return parse(readFileSync(this.file, 'utf8'));
    } catch {
      return {};
    }
  }

  recall(vaultId: string): TrailHead | null {
    return this.read()[vaultId] ?? null;
  }

  remember(vaultId: string, head: TrailHead): void {
    if (!VAULT_ID.test(vaultId)) {
      return;
    }
    const all = this.read();
    const known = all[vaultId];
    if (known && known.rows === head.rows && known.head === head.head) {
      return;
    }
    all[vaultId] = { rows: head.rows, head: head.head };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.tmp-${process.pid}`;
      writeFileSync(temp, JSON.stringify(all, null, 1), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch {
      // A memory that cannot be written must not stop the vault: the next save tries again.
    }
  }
}

/** An in-memory HeadMemory (tests; a process that must not touch the machine). */
export class MapHeadMemory implements HeadMemory {
  readonly heads = new Map<string, TrailHead>();
  recall(vaultId: string): TrailHead | null {
    return this.heads.get(vaultId) ?? null;
  }
  remember(vaultId: string, head: TrailHead): void {
    this.heads.set(vaultId, { rows: head.rows, head: head.head });
  }
}

/**
 * The data folder the command line shares with the desktop app on this machine (Electron's
 * userData for the product name), or AWB_DATA_DIR when set.
 */
export function defaultDataFolder(productName = 'Accreditation Workbench'): string {
  const env = process.env.AWB_DATA_DIR;
  if (env) {
    return env;
  }
  const home = homedir();
  if (process.platform === 'win32') {
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), productName);
  }
  if (process.platform === 'darwin') {
    return join(home, 'Library', 'Application Support', productName);
  }
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), productName);
}

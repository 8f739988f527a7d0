/**
 * The newest audit-trail head this machine has seen for each vault (by vault id): its row
 * count and last hash. Not secret — the header of every vault file carries the same — and kept
 * outside the vault folder, on the machine (the app's data folder, beside its preferences), so
 * that someone who can only replace files in the folder cannot roll it back with the vault:
 * a main file put back to an older copy does not reach the head remembered here, and is
 * ROLLBACK_SUSPECTED at unlock even when no kept generation is left to tell (docs/vault.md,
 * "Rollback").
 *
 * Beside the newest head it keeps a bounded history of the heads it was given (HISTORY_MAX,
 * thinned so that it spans the whole trail): which prefix of a trail this machine saw is what
 * vouches for the signer of an explanation (explanation.ts, `vouchedPrefix`). A head that vouched
 * for a recorded explanation is pinned, so thinning never takes away what re-judges it.
 *
 * It also keeps which vault (by id) it last saw in each folder, so that a rolled-back copy
 * given a fresh id is judged by the heads of the vault it replaced, not as a vault never seen.
 *
 * Its limits, stated: a vault opened on a machine for the first time (or with this file lost)
 * has nothing to compare with; whoever can write this machine's data folder can roll the
 * memory back too. What it read is parsed, never trusted: a malformed file is an empty memory,
 * a malformed history entry is dropped. The file of earlier versions (one head per vault) reads
 * as a history of that one head; earlier versions read this one's newest head and ignore the rest.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TrailHead } from './explanation';

export interface HeadMemory {
  /** The newest head remembered for this vault, or null. */
  recall(vaultId: string): TrailHead | null;
  /** Remembers `head` as the newest for this vault (only the vault decides it is newer). */
  remember(vaultId: string, head: TrailHead): void;
  /** The heads remembered for this vault, oldest first (the newest last); empty if none. */
  history(vaultId: string): TrailHead[];
  /** Keeps `head` in this vault's history from now on (it vouched for an explanation). */
  pin(vaultId: string, head: TrailHead): void;
  /**
   * The vault this machine last saw in `folder` (by its id), or null: a vault found there under
   * another id is judged against that one's heads too, so that changing a rolled-back copy's id
   * does not make it a vault this machine never saw.
   */
  vaultAt(folder: string): string | null;
  /** Remembers that `folder` holds the vault `vaultId` now. */
  bind(folder: string, vaultId: string): void;
}

/** The key a folder is remembered by: the SHA-256 of its absolute path. */
export function folderKey(folder: string): string {
  return createHash('sha256').update(resolve(folder)).digest('hex');
}

/** At most this many heads are kept per vault; at most PINNED_MAX of them pinned. */
export const HISTORY_MAX = 256;
export const PINNED_MAX = 64;

/** A remembered head; `pin`: it vouched for an explanation and is never thinned out. */
export interface RememberedHead extends TrailHead {
  pin?: true;
}

/** What is kept for one vault: the newest head (the format of earlier versions) and the history. */
interface VaultHeads extends TrailHead {
  history: RememberedHead[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const VAULT_ID = /^[0-9a-zA-Z-]{1,64}$/;
export const HEADS_FILE = 'vault-heads.json';

function validHead(v: unknown): v is TrailHead {
  const h = v as { rows?: unknown; head?: unknown } | null;
  return (
    h !== null &&
    typeof h === 'object' &&
    Number.isSafeInteger(h.rows) &&
    (h.rows as number) > 0 &&
    typeof h.head === 'string' &&
    HEX64.test(h.head)
  );
}

const same = (a: TrailHead, b: TrailHead) => a.rows === b.rows && a.head === b.head;

/**
 * Thins a history to HISTORY_MAX entries: the oldest, the newest and the pinned ones stay;
 * of the others, the one whose neighbours are closest in rows goes first, so what is left
 * spans the whole trail, dense where it is recent and sparser further back. Pins beyond
 * PINNED_MAX lose their pin, oldest first.
 */
export function thinHistory(history: readonly RememberedHead[]): RememberedHead[] {
  const out = history.map((h) => ({ ...h }));
  let pins = out.filter((h) => h.pin).length;
  for (const h of out) {
    if (pins <= PINNED_MAX) {
      break;
    }
    if (h.pin) {
      delete h.pin;
      pins--;
    }
  }
  while (out.length > HISTORY_MAX) {
    let best = -1;
    let gap = Infinity;
    for (let i = 1; i < out.length - 1; i++) {
      const g = Math.abs(out[i + 1]!.rows - out[i - 1]!.rows);
      if (!out[i]!.pin && g < gap) {
        best = i;
        gap = g;
      }
    }
    if (best < 0) {
      break; // cannot happen while PINNED_MAX + 2 <= HISTORY_MAX
    }
    out.splice(best, 1);
  }
  return out;
}

/** `heads` with `head` remembered as the newest (appended unless it is the newest already). */
function withHead(heads: VaultHeads | undefined, head: TrailHead): VaultHeads {
  const history = heads ? heads.history.slice() : [];
  const known = history.findIndex((h) => same(h, head));
  if (known < 0) {
    history.push({ rows: head.rows, head: head.head });
  } else if (known !== history.length - 1) {
    // seen before (a restore went back to it): it is the newest again, its pin kept
    history.push(history.splice(known, 1)[0]!);
  }
  return { rows: head.rows, head: head.head, history: thinHistory(history) };
}

/** `heads` with `head` pinned (added to the history, not as the newest, if it is not in it). */
function withPin(heads: VaultHeads | undefined, head: TrailHead): VaultHeads | undefined {
  if (!heads) {
    return undefined; // nothing remembered: nothing vouched, nothing to pin
  }
  const history = heads.history.slice();
  const known = history.findIndex((h) => same(h, head));
  if (known >= 0) {
    history[known] = { rows: head.rows, head: head.head, pin: true };
  } else {
    history.splice(Math.max(0, history.length - 1), 0, {
      rows: head.rows,
      head: head.head,
      pin: true,
    });
  }
  return { ...heads, history: thinHistory(history) };
}

/** What the file holds: each vault's heads, and which vault each folder held last. */
interface Remembered {
  vaults: Record<string, VaultHeads>;
  folders: Record<string, string>;
}

/** The entry that keeps the folders (no vault id begins with `@`). */
const FOLDERS = '@folders';

function parse(text: string): Remembered {
  const out: Record<string, VaultHeads> = {};
  const folders: Record<string, string> = {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { vaults: out, folders };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { vaults: out, folders };
  }
  const bound = (data as Record<string, unknown>)[FOLDERS];
  if (bound !== null && typeof bound === 'object' && !Array.isArray(bound)) {
    for (const [key, id] of Object.entries(bound as Record<string, unknown>)) {
      if (HEX64.test(key) && typeof id === 'string' && VAULT_ID.test(id)) {
        folders[key] = id;
      }
    }
  }
  for (const [id, value] of Object.entries(data as Record<string, unknown>)) {
    if (!VAULT_ID.test(id) || !validHead(value)) {
      continue;
    }
    const raw = (value as { history?: unknown }).history;
    const history: RememberedHead[] = [];
    if (Array.isArray(raw)) {
      for (const h of raw.slice(-4 * HISTORY_MAX)) {
        if (validHead(h) && !history.some((k) => same(k, h))) {
          const pinned = (h as { pin?: unknown }).pin === true;
          history.push({ rows: h.rows, head: h.head, ...(pinned ? { pin: true as const } : {}) });
        }
      }
    }
    // The newest head is the history's last (a file of earlier versions has only it).
    out[id] = withHead({ rows: value.rows, head: value.head, history }, value);
  }
  return { vaults: out, folders };
}

/** A JSON file in the app's data folder (written atomically, 0600). */
export class FileHeadMemory implements HeadMemory {
  readonly file: string;

  constructor(dataFolder: string) {
    this.file = join(dataFolder, HEADS_FILE);
  }

  private read(): Remembered {
    try {
      return parse(readFileSync(this.file, 'utf8'));
    } catch {
      return { vaults: {}, folders: {} };
    }
  }

  recall(vaultId: string): TrailHead | null {
    const known = this.read().vaults[vaultId];
    return known ? { rows: known.rows, head: known.head } : null;
  }

  history(vaultId: string): TrailHead[] {
    return (this.read().vaults[vaultId]?.history ?? []).map((h) => ({
      rows: h.rows,
      head: h.head,
    }));
  }

  remember(vaultId: string, head: TrailHead): void {
    if (!VAULT_ID.test(vaultId)) {
      return;
    }
    const all = this.read();
    const known = all.vaults[vaultId];
    if (known && same(known, head)) {
      return;
    }
    all.vaults[vaultId] = withHead(known, head);
    this.write(all);
  }

  pin(vaultId: string, head: TrailHead): void {
    const all = this.read();
    const pinned = VAULT_ID.test(vaultId) ? withPin(all.vaults[vaultId], head) : undefined;
    if (pinned) {
      all.vaults[vaultId] = pinned;
      this.write(all);
    }
  }

  vaultAt(folder: string): string | null {
    return this.read().folders[folderKey(folder)] ?? null;
  }

  bind(folder: string, vaultId: string): void {
    const all = this.read();
    const key = folderKey(folder);
    if (!VAULT_ID.test(vaultId) || all.folders[key] === vaultId) {
      return;
    }
    all.folders[key] = vaultId;
    this.write(all);
  }

  private write(all: Remembered): void {
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.tmp-${process.pid}`;
      writeFileSync(temp, JSON.stringify({ ...all.vaults, [FOLDERS]: all.folders }, null, 1), {
        mode: 0o600,
      });
      renameSync(temp, this.file);
    } catch {
      // A memory that cannot be written must not stop the vault: the next save tries again.
    }
  }
}

/** An in-memory HeadMemory (tests; a process that must not touch the machine). */
export class MapHeadMemory implements HeadMemory {
  readonly heads = new Map<string, VaultHeads>();
  recall(vaultId: string): TrailHead | null {
    const known = this.heads.get(vaultId);
    return known ? { rows: known.rows, head: known.head } : null;
  }
  history(vaultId: string): TrailHead[] {
    return (this.heads.get(vaultId)?.history ?? []).map((h) => ({ rows: h.rows, head: h.head }));
  }
  remember(vaultId: string, head: TrailHead): void {
    this.heads.set(vaultId, withHead(this.heads.get(vaultId), head));
  }
  pin(vaultId: string, head: TrailHead): void {
    const pinned = withPin(this.heads.get(vaultId), head);
    if (pinned) {
      this.heads.set(vaultId, pinned);
    }
  }
  readonly folders = new Map<string, string>();
  vaultAt(folder: string): string | null {
    return this.folders.get(folderKey(folder)) ?? null;
  }
  bind(folder: string, vaultId: string): void {
    this.folders.set(folderKey(folder), vaultId);
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

/**
 * Every file in a vault folder, by kind: what a re-key must cover and what `vault check` lists.
 * Names decide the kind, except for a file whose name the workbench never writes: its first
 * eight bytes tell whether it is a copy of vault data (a `stray-copy`: a vault file, an
 * evidence file or kept form text, copied by a backup tool, an editor or a person), which a
 * re-key must remove as it removes a generation — the old secret opens it otherwise.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

export const FILE_KINDS = [
  'main',
  'generation',
  'damaged-copy',
  'evidence',
  'temp',
  'lock',
  'import-journal',
  'rekey-journal',
  'drafts',
  'stray-copy',
  'other',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface FolderFile {
  /** The path inside the vault folder ("vault.awb.1", "blobs/<address>"). */
  path: string;
  kind: FileKind;
  size: number;
}

const ADDRESS = /^[0-9a-f]{64}$/;

/** The first bytes of every file the workbench seals: a vault file, evidence, kept form text. */
const SEALED_MAGICS = ['AWBVLT\r\n', 'AWBBLOB1', 'AWBBLOB2', 'AWBDRFT1'].map((m) =>
  Buffer.from(m, 'latin1'),
);

/** Whether the regular file at `path` begins as one of the workbench's sealed files does. */
function sealedByUs(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(8);
    const read = readSync(fd, head, 0, 8, 0);
    return SEALED_MAGICS.some((magic) => read === 8 && head.equals(magic));
  } catch {
    return false;
  } finally {
    if (fd !== null) {
      closeSync(fd);
    }
  }
}

function kindOf(name: string): FileKind {
  if (name.includes('.tmp-')) {
    return 'temp';
  }
  if (name === 'vault.awb') {
    return 'main';
  }
  if (/^vault\.awb\.\d+$/.test(name)) {
    return 'generation';
  }
  if (name.startsWith('vault.awb.damaged-')) {
    return 'damaged-copy';
  }
  if (name === 'vault.lock') {
    return 'lock';
  }
  if (/^import-[0-9a-f-]{36}\.pending$/.test(name)) {
    return 'import-journal';
  }
  if (name === 'rekey.journal') {
    return 'rekey-journal';
  }
  if (name === 'drafts.awb') {
    return 'drafts';
  }
  return 'other';
}

function blobKindOf(name: string): FileKind {
  return name.includes('.tmp-') ? 'temp' : ADDRESS.test(name) ? 'evidence' : 'other';
}

/**
 * Whether `path`, as a list of the folder's files names it (a re-key journal's), is a file of
 * `kind` inside the vault folder: a name of the folder or of `blobs/`, never a way out of it.
 * A `stray-copy` is judged by its name only here (one the workbench never writes).
 */
export function isFolderFile(path: string, kind: FileKind): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[\\\0]/.test(p))) {
    return false;
  }
  const named = kind === 'stray-copy' ? 'other' : kind;
  if (parts.length === 1) {
    return kindOf(parts[0]!) === named;
  }
  return parts.length === 2 && parts[0] === 'blobs' && blobKindOf(parts[1]!) === named;
}

function sizeOf(path: string): { size: number; dir: boolean; file: boolean } | null {
  try {
    const s = lstatSync(path);
    return { size: s.size, dir: s.isDirectory(), file: s.isFile() };
  } catch {
    return null;
  }
}

/** A file named as no file of ours, which holds vault data all the same, is a stray copy. */
function byContent(kind: FileKind, path: string, file: boolean): FileKind {
  return kind === 'other' && file && sealedByUs(path) ? 'stray-copy' : kind;
}

/** Every entry of the folder and of `blobs/`, each with its kind (other folders: `other`). */
export function folderInventory(folder: string): FolderFile[] {
  const out: FolderFile[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const stat = sizeOf(join(folder, name));
    if (!stat) {
      continue;
    }
    if (name === 'blobs' && stat.dir) {
      let inner: string[] = [];
      try {
        inner = readdirSync(join(folder, name)).sort();
      } catch {
        inner = [];
      }
      for (const blob of inner) {
        const s = sizeOf(join(folder, name, blob));
        if (!s) {
          continue;
        }
        const path = join(folder, name, blob);
        out.push({
          path: `blobs/${blob}`,
          kind: byContent(blobKindOf(blob), path, s.file),
          size: s.size,
        });
      }
      continue;
    }
    const kind = stat.dir ? 'other' : byContent(kindOf(name), join(folder, name), stat.file);
    out.push({ path: name, kind, size: stat.size });
  }
  return out;
}

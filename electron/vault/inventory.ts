/**
 * Every file in a vault folder, by kind: what a re-key must cover and what `vault check` lists.
 * Names alone decide the kind; nothing here opens a file.
 */
import { lstatSync, readdirSync } from 'node:fs';
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
 */
export function isFolderFile(path: string, kind: FileKind): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[\\\0]/.test(p))) {
    return false;
  }
  if (parts.length === 1) {
    return kindOf(parts[0]!) === kind;
  }
  return parts.length === 2 && parts[0] === 'blobs' && blobKindOf(parts[1]!) === kind;
}

function sizeOf(path: string): { size: number; dir: boolean } | null {
  try {
    const s = lstatSync(path);
    return { size: s.size, dir: s.isDirectory() };
  } catch {
    return null;
  }
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
        out.push({
          path: `blobs/${blob}`,
          kind: blobKindOf(blob),
          size: s.size,
        });
      }
      continue;
    }
    out.push({ path: name, kind: stat.dir ? 'other' : kindOf(name), size: stat.size });
  }
  return out;
}

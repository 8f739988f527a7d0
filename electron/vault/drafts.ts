/**
 * Unsaved form text kept across a lock (issue 22): `drafts.awb` beside the vault, sealed with
 * AES-256-GCM under a key derived from the vault's data key, so it opens only with the vault
 * and is never on disk in plain form. Written atomically (temp file, fsync, rename, folder
 * fsync) each time the drafts change and at lock, so a crash or a lock keeps it; removed once
 * no form holds unsaved text. A file that does not open under the key (written before a re-key
 * that the process did not live to seal again, or damaged) is dropped, never shown.
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './atomic';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const DRAFTS_FILE = 'drafts.awb';
const MAGIC = Buffer.from('AWBDRFT1', 'latin1');
const NONCE = 12;
const TAG = 16;

function draftsKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, 'awb drafts', 'awb drafts v1', 32));
}

function aad(vaultId: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(vaultId, 'utf8')]);
}

/** MAGIC | nonce | ciphertext | tag; the vault's id is bound in as associated data. */
export function sealDrafts(dataKey: Buffer, vaultId: string, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', draftsKey(dataKey), nonce);
  cipher.setAAD(aad(vaultId));
  return Buffer.concat([MAGIC, nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The plain drafts, or null when the bytes are not drafts sealed for this vault and key. */
export function openDrafts(dataKey: Buffer, vaultId: string, sealed: Buffer): Buffer | null {
  if (sealed.length < MAGIC.length + NONCE + TAG || !sealed.subarray(0, 8).equals(MAGIC)) {
    return null;
  }
  try {
    const nonce = sealed.subarray(MAGIC.length, MAGIC.length + NONCE);
    const body = sealed.subarray(MAGIC.length + NONCE, sealed.length - TAG);
    const decipher = createDecipheriv('aes-256-gcm', draftsKey(dataKey), nonce);
    decipher.setAAD(aad(vaultId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}

export function writeDraftsFile(folder: string, sealed: Buffer): void {
  writeFileAtomic(join(folder, DRAFTS_FILE), folder, sealed);
}

export function readDraftsFile(folder: string): Buffer | null {
  try {
    return readFileSync(join(folder, DRAFTS_FILE));
  } catch {
    return null;
  }
}

export function removeDraftsFile(folder: string): void {
  rmSync(join(folder, DRAFTS_FILE), { force: true });
}

import type { Database } from 'sql.js';
import type { FsOps, SaveStep } from '../../electron/vault/fsops';
import { nodeFs } from '../../electron/vault/fsops';
import { belowFloorForTests, SHIPPED_LIMITS } from '../../electron/vault/kdf';
import { PRODUCTION_CONFIG, type Profile, type VaultConfig } from '../../electron/vault/vault';

/**
 * Test-only KDF: the real Argon2id with tiny parameters, and limits lowered to match — injected
 * by configuration and declared with `belowFloorForTests` (without it the vault refuses such a
 * config); PRODUCTION_CONFIG is untouched (a test proves it refuses these vaults).
 */
export const TEST_KDF = belowFloorForTests({ memoryKiB: 64, iterations: 1, parallelism: 1 });
export const TEST_LIMITS = belowFloorForTests({
  minimum: { memoryKiB: 8, iterations: 1, parallelism: 1 },
  ceiling: SHIPPED_LIMITS.ceiling,
});
export const TEST_CONFIG: VaultConfig = {
  ...PRODUCTION_CONFIG,
  kdf: TEST_KDF,
  limits: TEST_LIMITS,
};

export const PROFILE: Profile = {
  name: 'Anne Accreditor',
  organisation: 'National IT-Security Authority',
  role: 'accreditor',
};
export const PASSPHRASE = 'kuglepen-vindue-solsort-regnvejr';
/** The passphrase a test changes to. */
export const NEW_PASSPHRASE = 'trompet-hegn-morgengry-1987';

/** A file system that throws at one named step of the save path (the n-th time it is reached). */
export function failingFs(fail: SaveStep, nth = 1): FsOps & { reached: SaveStep[] } {
  const reached: SaveStep[] = [];
  let count = 0;
  return {
    ...nodeFs,
    reached,
    step(step) {
      reached.push(step);
      if (step === fail && ++count === nth) {
        throw Object.assign(new Error(`injected failure at ${step}`), { code: 'EIO' });
      }
    },
  };
}

/**
 * What an insider holding the passphrase can do without the app: decrypt the container, edit
 * the database with SQLite, and seal it again — keeping the header's audit anchor as it was
 * (a tool that knows nothing of it) or setting it to the edited trail's head.
 */
export async function rewriteVault(
  folder: string,
  edit: (db: Database) => void,
  anchor: 'keep' | 'update' | { rows: number; head: string },
  options: { format?: 1 | 2; generation?: number } = {},
): Promise<void> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { decodeContainer, openBody, sealContainer, unwrapKey, SLOT_PASSPHRASE } =
    await import('../../electron/vault/container');
  const { deriveKey } = await import('../../electron/vault/kdf');
  const { loadSqlJs } = await import('../../electron/db/engine');
  const { auditHead } = await import('../../electron/db/audit');
  const { vaultPath } = await import('../../electron/vault/vault');
  const file = vaultPath(folder, options.generation ?? 0);
  const decoded = decodeContainer(readFileSync(file), {
    maxSchemaVersion: 999,
    limits: TEST_CONFIG.limits,
  });
  const { header } = decoded;
  const kek = await deriveKey(PASSPHRASE, header.salt, header.kdf);
  const dataKey = unwrapKey(
    kek,
    header.slots.find((s) => s.type === SLOT_PASSPHRASE)!,
  )!;
  const SQL = await loadSqlJs();
  const db = new SQL.Database(new Uint8Array(openBody(decoded, dataKey)));
  edit(db);
  const image = db.export();
  const fields = {
    schemaVersion: header.schemaVersion,
    kdfId: header.kdfId,
    kdf: header.kdf,
    salt: header.salt,
    slots: header.slots,
    audit: anchor === 'keep' ? header.audit : anchor === 'update' ? auditHead(db) : anchor,
  };
  db.close();
  if (options.format === 1) {
    // The first format, as the first version wrote it: no audit anchor in the header.
    const { createCipheriv, randomBytes } = await import('node:crypto');
    const { encodeHeader } = await import('../../electron/vault/container');
    const bodyNonce = randomBytes(12);
    const headerBytes = encodeHeader({
      ...fields,
      audit: null,
      formatVersion: 1,
      bodyNonce,
      bodyLength: image.length + 16,
    });
    const cipher = createCipheriv('aes-256-gcm', dataKey, bodyNonce);
    cipher.setAAD(headerBytes);
    const body = Buffer.concat([cipher.update(image), cipher.final(), cipher.getAuthTag()]);
    writeFileSync(file, Buffer.concat([headerBytes, body]));
    return;
  }
  writeFileSync(file, Buffer.concat(sealContainer(fields, dataKey, image)));
}

/** The secrets a vault had before a re-key: its passphrase, its recovery key, its data key. */
export interface OldSecrets {
  passphrase: string;
  recoveryKey: string;
  dataKey: Buffer;
  /** The vault's id, which kept form text (drafts.awb) is sealed to. */
  vaultId?: string;
}

/** The data key the main file opens with under `passphrase` (to try it on every file later). */
export async function dataKeyOf(folder: string, passphrase = PASSPHRASE): Promise<Buffer> {
  const { readFileSync } = await import('node:fs');
  const { decodeContainer } = await import('../../electron/vault/container');
  const { unlockDataKey, vaultPath } = await import('../../electron/vault/vault');
  const decoded = decodeContainer(readFileSync(vaultPath(folder)), {
    maxSchemaVersion: 999,
    limits: TEST_CONFIG.limits,
  });
  return unlockDataKey(decoded, { passphrase });
}

/**
 * Every file of the folder any of the old secrets still opens, by path: a container whose key
 * slot the old passphrase or recovery key unwraps (or whose body the old data key opens), an
 * evidence file the old data key reads, a re-key journal the old data key opens anything in,
 * and every temp file. Empty when the old secrets open nothing in the folder.
 */
export async function openedByOldSecrets(folder: string, old: OldSecrets): Promise<string[]> {
  const { readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const join = (...parts: string[]) => path.join(...parts);
  const container = await import('../../electron/vault/container');
  const { decodeContainer, decodeHeader, openBody } = container;
  const unwrapKey = (kek: Buffer, slot: Parameters<typeof container.unwrapKey>[1]) =>
    container.unwrapKey(kek, slot);
  const { deriveKey } = await import('../../electron/vault/kdf');
  const { parseRecoveryKey, recoveryKek } = await import('../../electron/vault/recovery');
  const { BlobStore } = await import('../../electron/vault/blobs');
  const { folderInventory } = await import('../../electron/vault/inventory');
  const { openForward, openBack, openRecoveryKey, readJournal } =
    await import('../../electron/vault/rekey-journal');
  const opened: string[] = [];
  const rKek = recoveryKek(parseRecoveryKey(old.recoveryKey));
  const store = new BlobStore(join(folder, 'blobs'), old.dataKey);
  for (const file of folderInventory(folder)) {
    const path = join(folder, file.path);
    if (file.kind === 'main' || file.kind === 'generation' || file.kind === 'damaged-copy') {
      const bytes = readFileSync(path);
      let header;
      try {
        header = decodeHeader(bytes, { maxSchemaVersion: 999, limits: TEST_CONFIG.limits }).header;
      } catch {
        continue; // no header: no slot to open
      }
      const kek = await deriveKey(old.passphrase, header.salt, header.kdf);
      const unwrapped = header.slots.some(
        (slot) => unwrapKey(kek, slot) !== null || unwrapKey(rKek, slot) !== null,
      );
      let body = false;
      try {
        openBody(
          decodeContainer(bytes, { maxSchemaVersion: 999, limits: TEST_CONFIG.limits }),
          old.dataKey,
        );
        body = true;
      } catch {
        body = false;
      }
      if (unwrapped || body) {
        opened.push(file.path);
      }
    } else if (file.kind === 'evidence') {
      try {
        await store.verify(file.path.slice('blobs/'.length));
        opened.push(file.path);
      } catch {
        // not under the old key
      }
    } else if (file.kind === 'rekey-journal') {
      const journal = readJournal(folder);
      if (
        journal &&
        (openForward(old.dataKey, journal) ||
          openBack(old.dataKey, journal) ||
          openRecoveryKey(old.dataKey, journal))
      ) {
        opened.push(file.path);
      }
    } else if (file.kind === 'temp' || file.kind === 'stray-copy') {
      // A write cut short, or a copy of vault data under another name: counted whatever key
      // it is under, as no file of either kind may outlive a re-key.
      opened.push(file.path);
    } else if (file.kind === 'drafts') {
      const { openDrafts } = await import('../../electron/vault/drafts');
      if (openDrafts(old.dataKey, old.vaultId ?? '', readFileSync(path))) {
        opened.push(file.path);
      }
    }
  }
  store.wipe();
  return opened;
}

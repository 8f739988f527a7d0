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
  anchor: 'keep' | 'update',
): Promise<void> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { decodeContainer, openBody, sealContainer, unwrapKey, SLOT_PASSPHRASE } =
    await import('../../electron/vault/container');
  const { deriveKey } = await import('../../electron/vault/kdf');
  const { loadSqlJs } = await import('../../electron/db/engine');
  const { auditHead } = await import('../../electron/db/audit');
  const { vaultPath } = await import('../../electron/vault/vault');
  const file = vaultPath(folder);
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
  const parts = sealContainer(
    {
      schemaVersion: header.schemaVersion,
      kdfId: header.kdfId,
      kdf: header.kdf,
      salt: header.salt,
      slots: header.slots,
      audit: anchor === 'keep' ? header.audit : auditHead(db),
    },
    dataKey,
    image,
  );
  db.close();
  writeFileSync(file, Buffer.concat(parts));
}

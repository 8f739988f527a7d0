import type { FsOps, SaveStep } from '../../electron/vault/fsops';
import { nodeFs } from '../../electron/vault/fsops';
import { SHIPPED_LIMITS } from '../../electron/vault/kdf';
import { PRODUCTION_CONFIG, type Profile, type VaultConfig } from '../../electron/vault/vault';

/**
 * Test-only KDF: the real Argon2id with tiny parameters, and floors lowered to match — injected
 * by configuration; PRODUCTION_CONFIG is untouched (a test proves it refuses these vaults).
 */
export const TEST_CONFIG: VaultConfig = {
  ...PRODUCTION_CONFIG,
  kdf: { memoryKiB: 64, iterations: 1, parallelism: 1 },
  limits: {
    floor: { memoryKiB: 8, iterations: 1, parallelism: 1 },
    ceiling: SHIPPED_LIMITS.ceiling,
  },
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

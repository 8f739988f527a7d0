/**
 * The KDF floor on real vaults (docs/vault.md, "Key derivation"): a vault whose passphrase slot
 * is weaker than 64 MiB, t=3, p=4 — written by an older version, or between the minimum and the
 * floor — opens under the shipped configuration and is re-wrapped with the shipped parameters
 * at that unlock, with a `vault.kdfUpgrade` audit row (from → to), its kept generations too; a
 * header below the minimum is refused with its parameters; a configuration below the floor
 * creates and opens nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/db/audit';
import { JsonFilePreferences } from '../../electron/services/preferences';
import { VaultService } from '../../electron/services/vault-service';
import { checkVault } from '../../electron/vault/check';
import { decodeContainer, headerSize, openBody } from '../../electron/vault/container';
import { belowFloorForTests, SHIPPED_LIMITS, type KdfParams } from '../../electron/vault/kdf';
import {
  PRODUCTION_CONFIG,
  unlockDataKey,
  Vault,
  vaultPath,
  type VaultConfig,
} from '../../electron/vault/vault';
import { loadSqlJs } from '../../electron/db/engine';
import { tempFolder } from '../helpers/context';
import { failingFs, PASSPHRASE, PROFILE } from '../helpers/vault';

const FLOOR: KdfParams = { memoryKiB: 65536, iterations: 3, parallelism: 4 };
/** What the code refused below until now (OWASP's minimum): an older version's vault. */
const OLD: KdfParams = { memoryKiB: 19456, iterations: 2, parallelism: 1 };

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('awb-kdf-');
});
afterEach(() => folder.cleanup());

/** A configuration that writes `kdf` (declared for the test) under the shipped limits. */
function writingWith(kdf: KdfParams): VaultConfig {
  return { ...PRODUCTION_CONFIG, kdf: belowFloorForTests(kdf) };
}

function headerKdf(path: string): KdfParams {
  const bytes = readFileSync(path);
  return {
    memoryKiB: bytes.readUInt32LE(15),
    iterations: bytes.readUInt32LE(19),
    parallelism: bytes.readUInt8(23),
  };
}

function upgrades(v: Vault): { from: KdfParams; to: KdfParams }[] {
  const rows = v.database.exec(
    "SELECT changes FROM audit_log WHERE action = 'vault.kdfUpgrade' ORDER BY seq",
  )[0]?.values;
  return (rows ?? []).map((r) => {
    const { kdf } = JSON.parse(String(r[0])) as { kdf: [KdfParams, KdfParams] };
    return { from: kdf[0], to: kdf[1] };
  });
}

async function note(v: Vault, text: string): Promise<void> {
  await v.change(
    { action: 'meta.set', entityType: 'vault_meta', entityId: text, changes: { value: text } },
    (db) => db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [text, text]),
  );
}

/** A vault written with `kdf`, saved `saves` times (so the generations carry the slot too). */
async function vaultWith(kdf: KdfParams, saves = 1): Promise<{ recoveryKey: string }> {
  const config = writingWith(kdf);
  const { vault, recoveryKey } = await Vault.create(folder.path, PASSPHRASE, PROFILE, config);
  await vault.close();
  for (let i = 1; i < saves; i++) {
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, config);
    await note(v, `save-${i}`);
    await v.close();
  }
  return { recoveryKey };
}

async function openShipped(): Promise<Vault> {
  return Vault.open(folder.path, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG);
}

/** The file's header with its KDF parameters set (and its hash made right again). */
function withHeaderKdf(bytes: Buffer, kdf: Partial<KdfParams>): Buffer {
  const out = Buffer.from(bytes);
  if (kdf.memoryKiB !== undefined) {
    out.writeUInt32LE(kdf.memoryKiB, 15);
  }
  if (kdf.iterations !== undefined) {
    out.writeUInt32LE(kdf.iterations, 19);
  }
  if (kdf.parallelism !== undefined) {
    out.writeUInt8(kdf.parallelism, 23);
  }
  const size = headerSize(out.readUInt8(56));
  createHash('sha256').update(out.subarray(0, size)).digest().copy(out, size);
  return out;
}

async function refusal(open: () => Promise<unknown>): Promise<unknown> {
  try {
    await open();
    return null;
  } catch (error) {
    return error;
  }
}

describe('a vault below the KDF floor', () => {
  it("an older version's vault (19 MiB, t=2, p=1) is re-wrapped at its next unlock, generations too", async () => {
    const { recoveryKey } = await vaultWith(OLD, 3);
    expect(headerKdf(vaultPath(folder.path))).toEqual(OLD);
    expect(headerKdf(vaultPath(folder.path, 1))).toEqual(OLD);
    expect(headerKdf(vaultPath(folder.path, 2))).toEqual(OLD);

    const v = await openShipped();
    expect(upgrades(v)).toEqual([{ from: OLD, to: FLOOR }]);
    const row = v.database.exec(
      "SELECT actor_name, entity_type FROM audit_log WHERE action = 'vault.kdfUpgrade'",
    )[0]?.values[0];
    expect(row).toEqual([PROFILE.name, 'vault']);
    expect(v.isDirty).toBe(true);
    await v.close();

    // The main file and every kept generation now carry the shipped parameters, and each still
    // opens with the same passphrase and holds its own content.
    const files = readdirSync(folder.path).filter((n) => n.startsWith('vault.awb'));
    expect(files.sort()).toEqual(['vault.awb', 'vault.awb.1', 'vault.awb.2', 'vault.awb.3']);
    const SQL = await loadSqlJs();
    const rows: number[] = [];
    for (const name of files) {
      expect(headerKdf(join(folder.path, name)), name).toEqual(FLOOR);
      const decoded = decodeContainer(readFileSync(join(folder.path, name)), {
        maxSchemaVersion: 999,
        limits: SHIPPED_LIMITS,
      });
      const key = await unlockDataKey(decoded, { passphrase: PASSPHRASE });
      const db = new SQL.Database(openBody(decoded, key));
      expect(verifyAuditChain(db).intact, name).toBe(true);
      rows.push(Number(db.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]));
      db.close();
    }
    // main: create, two notes, the upgrade; .1 = the main before it; .2, .3 older still.
    expect(rows).toEqual([4, 3, 2, 1]);

    // Once is enough: the next unlock finds nothing to do, and the recovery key still opens.
    const again = await openShipped();
    expect(upgrades(again)).toHaveLength(1);
    expect(again.isDirty).toBe(false);
    await again.close();
    const byKey = await Vault.open(folder.path, { recoveryKey }, PRODUCTION_CONFIG);
    await byKey.close();
  });

  it('one below the floor in any parameter is re-wrapped; at the floor nothing is written', async () => {
    for (const kdf of [
      { ...FLOOR, memoryKiB: 65535 },
      { ...FLOOR, iterations: 2 },
      { ...FLOOR, parallelism: 3 },
    ]) {
      folder.cleanup();
      folder = tempFolder('awb-kdf-');
      await vaultWith(kdf);
      const v = await openShipped();
      expect(upgrades(v), JSON.stringify(kdf)).toEqual([{ from: kdf, to: FLOOR }]);
      await v.close();
      expect(headerKdf(vaultPath(folder.path))).toEqual(FLOOR);
    }

    folder.cleanup();
    folder = tempFolder('awb-kdf-');
    await vaultWith(FLOOR);
    const before = readFileSync(vaultPath(folder.path));
    const v = await openShipped();
    expect(upgrades(v)).toEqual([]);
    expect(v.isDirty).toBe(false);
    await v.close();
    expect(readFileSync(vaultPath(folder.path)).equals(before)).toBe(true);
  });

  it('at the minimum (8 MiB, t=1, p=1) opened and re-wrapped; one below it refused, naming its parameters', async () => {
    await vaultWith({ memoryKiB: 8192, iterations: 1, parallelism: 1 });
    const pristine = readFileSync(vaultPath(folder.path));
    for (const [edit, expected] of [
      [{ memoryKiB: 8191 }, { memoryKiB: 8191, iterations: 1, parallelism: 1 }],
      [{ iterations: 0 }, { memoryKiB: 8192, iterations: 0, parallelism: 1 }],
      [{ parallelism: 0 }, { memoryKiB: 8192, iterations: 1, parallelism: 0 }],
    ] as const) {
      writeFileSync(vaultPath(folder.path), withHeaderKdf(pristine, edit));
      expect(await refusal(openShipped), JSON.stringify(edit)).toMatchObject({
        code: 'UNSAFE_PARAMETERS',
        details: { reason: 'BELOW_MINIMUM', ...expected },
      });
    }
    writeFileSync(vaultPath(folder.path), pristine);
    const v = await openShipped();
    expect(upgrades(v)).toEqual([
      { from: { memoryKiB: 8192, iterations: 1, parallelism: 1 }, to: FLOOR },
    ]);
    await v.close();
    expect(headerKdf(vaultPath(folder.path))).toEqual(FLOOR);
  });

  it('opened by recovery key or read by vault check, nothing is re-wrapped until a passphrase unlock', async () => {
    const { recoveryKey } = await vaultWith(OLD);
    const before = readFileSync(vaultPath(folder.path));
    const byKey = await Vault.open(folder.path, { recoveryKey }, PRODUCTION_CONFIG);
    expect(upgrades(byKey)).toEqual([]);
    await byKey.close();
    const report = await checkVault(folder.path, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG);
    expect(report.ok).toBe(true);
    expect(readFileSync(vaultPath(folder.path)).equals(before)).toBe(true);

    const v = await openShipped();
    expect(upgrades(v)).toHaveLength(1);
    await v.close();
    expect(headerKdf(vaultPath(folder.path))).toEqual(FLOOR);
  });

  it('an upgrade whose save fails stays pending and is written by the next save, never lost', async () => {
    await vaultWith(OLD);
    const fs = failingFs('rename');
    const v = await Vault.open(
      folder.path,
      { passphrase: PASSPHRASE },
      { ...PRODUCTION_CONFIG, fs },
    );
    await expect(v.close()).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    expect(headerKdf(vaultPath(folder.path))).toEqual(OLD);
    await v.close();
    expect(headerKdf(vaultPath(folder.path))).toEqual(FLOOR);
    const again = await openShipped();
    expect(upgrades(again)).toHaveLength(1);
    await again.close();
  });

  it('the app (vault service) writes the upgrade right after unlocking', async () => {
    await vaultWith(OLD);
    const service = new VaultService({
      config: PRODUCTION_CONFIG,
      prefs: new JsonFilePreferences(join(folder.path, 'prefs')),
      emit: () => undefined,
      saveDelayMs: 5,
    });
    try {
      await service.unlock(folder.path, { passphrase: PASSPHRASE });
      await expect
        .poll(() => headerKdf(vaultPath(folder.path)), { timeout: 10_000 })
        .toEqual(FLOOR);
    } finally {
      await service.lock();
    }
  });
});

describe('a configuration below the KDF floor', () => {
  it('creates and opens nothing, whichever parameter is lowered', async () => {
    for (const kdf of [
      { ...FLOOR, memoryKiB: 65535 },
      { ...FLOOR, iterations: 2 },
      { ...FLOOR, parallelism: 3 },
    ]) {
      const config = { ...PRODUCTION_CONFIG, kdf };
      expect(
        await refusal(() => Vault.create(folder.path, PASSPHRASE, PROFILE, config)),
      ).toMatchObject({
        code: 'UNSAFE_PARAMETERS',
        details: { reason: 'CONFIG_BELOW_FLOOR' },
      });
      expect(existsSync(vaultPath(folder.path))).toBe(false);
    }
    await vaultWith(FLOOR);
    const weak = { ...PRODUCTION_CONFIG, kdf: { ...OLD } };
    expect(
      await refusal(() => Vault.open(folder.path, { passphrase: PASSPHRASE }, weak)),
    ).toMatchObject({ code: 'UNSAFE_PARAMETERS', details: { reason: 'CONFIG_BELOW_FLOOR' } });
    const lowered = {
      ...PRODUCTION_CONFIG,
      limits: { ...SHIPPED_LIMITS, minimum: { memoryKiB: 8, iterations: 1, parallelism: 1 } },
    };
    await expect(
      checkVault(folder.path, { passphrase: PASSPHRASE }, lowered),
    ).rejects.toMatchObject({
      code: 'UNSAFE_PARAMETERS',
      details: { reason: 'CONFIG_BELOW_FLOOR' },
    });
    // Nothing was left locked by the refusals.
    const v = await openShipped();
    await v.close();
  });
});

/**
 * A failure injected at each step of the save path (open, write, fsync, close, rotate, link,
 * rename, folder fsync): the vault then opens at the old or the new state — never anything
 * else — and no temp file is left behind.
 */
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SaveStep } from '../../electron/vault/fsops';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { failingFs, PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const STEPS: SaveStep[] = [
  'open',
  'write',
  'fsync',
  'close',
  'rotate',
  'link',
  'rename',
  'dirsync',
];

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('awb-faults-');
});
afterEach(() => folder.cleanup());

describe('failure at each save step', () => {
  it.each(STEPS)(
    'fails at %s: opens at the old or the new state, no temp file left',
    async (step) => {
      const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
      await vault.change(
        { action: 'set', entityType: 'vault_meta', entityId: 'old', changes: {} },
        (db) => db.run("INSERT INTO vault_meta (key, value) VALUES ('state', 'old')"),
      );
      await vault.save();
      await vault.close();

      const fs = failingFs(step);
      const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, { ...TEST_CONFIG, fs });
      await v.change(
        { action: 'set', entityType: 'vault_meta', entityId: 'new', changes: {} },
        (db) => db.run("UPDATE vault_meta SET value = 'new' WHERE key = 'state'"),
      );
      let failed = false;
      try {
        await v.save();
      } catch (error) {
        failed = true;
        expect(error).toMatchObject({ code: 'SAVE_FAILED' });
      }
      expect(fs.reached).toContain(step);
      expect(failed).toBe(true);
      await v.close({ discard: true });

      expect(readdirSync(folder.path).filter((n) => n.includes('.tmp-'))).toEqual([]);
      const reopened = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
      const state = reopened.meta('state');
      // Before the rename the old state stands; from the rename on, the new one.
      expect(state).toBe(step === 'dirsync' ? 'new' : 'old');
      expect(reopened.audit.intact).toBe(true);
      await reopened.close();
    },
  );

  it('after a failed save, the next save succeeds and nothing committed is lost', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    const fs = failingFs('fsync');
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, { ...TEST_CONFIG, fs });
    await v.change({ action: 'set', entityType: 'vault_meta', entityId: 'k', changes: {} }, (db) =>
      db.run("INSERT INTO vault_meta (key, value) VALUES ('kept', 'yes')"),
    );
    await expect(v.save()).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    expect(v.isDirty).toBe(true);
    await v.save();
    await v.close();
    const reopened = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(reopened.meta('kept')).toBe('yes');
    await reopened.close();
  });
});

import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonFilePreferences } from '../../electron/services/preferences';
import { VaultService } from '../../electron/services/vault-service';
import { vaultPath } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let now = 0;
let events: { channel: string; payload: unknown }[];
let service: VaultService;
let prefs: JsonFilePreferences;

beforeEach(() => {
  folder = tempFolder('awb-service-');
  now = 1_000_000;
  events = [];
  prefs = new JsonFilePreferences(join(folder.path, 'data'));
  service = new VaultService({
    config: TEST_CONFIG,
    prefs,
    emit: (channel, payload) => events.push({ channel, payload }),
    saveDelayMs: 20,
    clock: () => now,
  });
});
afterEach(async () => {
  await service.lock().catch(() => undefined);
  folder.cleanup();
});

const vaultFolder = () => join(folder.path, 'vault');

describe('vault service', () => {
  it('refuses a weak passphrase and a relative folder', async () => {
    await expect(service.create(vaultFolder(), 'password1', PROFILE)).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
    });
    await expect(service.create('relative', PASSPHRASE, PROFILE)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(service.state()).toBe('none');
  });

  it('create → unlocked with two recovery groups to confirm; wrong answers refused, right ones accepted', async () => {
    const { recoveryKey, status } = await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    expect(status).toMatchObject({
      state: 'unlocked',
      profile: PROFILE,
      recoveryKey: { present: true, confirmed: false },
    });
    const groups = status.confirmGroups ?? [];
    expect(groups).toHaveLength(2);
    await expect(
      service.confirmRecoveryKey(groups.map((group) => ({ group, text: 'XXXX' }))),
    ).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
    });
    const parts = recoveryKey.split('-');
    const confirmed = await service.confirmRecoveryKey(
      groups.map((group) => ({ group, text: parts[group - 1] ?? '' })),
    );
    expect(confirmed).toMatchObject({ recoveryKey: { confirmed: true }, confirmGroups: null });
    expect(prefs.get().recentVaults).toEqual([vaultFolder()]);
  });

  it('coalesces a burst of changes into one save', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    const vault = service.current();
    let saves = 0;
    const save = vault.save.bind(vault);
    vault.save = () => {
      saves++;
      return save();
    };
    for (let i = 0; i < 10; i++) {
      await vault.change(
        { action: 'x', entityType: 'vault_meta', entityId: String(i), changes: {} },
        (db) => db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [`k${i}`, 'v']),
      );
    }
    await vi.waitFor(() => expect(vault.isDirty).toBe(false), { timeout: 10_000 });
    expect(saves).toBe(1);
  });

  it('locks after the idle time, saving first, and tells the renderer', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    await service
      .current()
      .change({ action: 'x', entityType: 'vault_meta', entityId: 'k', changes: {} }, (db) =>
        db.run("INSERT INTO vault_meta (key, value) VALUES ('idle', 'saved')"),
      );
    now += 9 * 60_000;
    expect(await service.checkIdle()).toBe(false);
    service.touch();
    now += 10 * 60_000 + 1;
    expect(await service.checkIdle()).toBe(true);
    expect(service.state()).toBe('locked');
    expect(events.at(-1)).toEqual({ channel: 'vault:stateChanged', payload: { state: 'locked' } });
    expect(() => service.current()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    const status = await service.unlock(vaultFolder(), { passphrase: PASSPHRASE });
    expect(status.state).toBe('unlocked');
    expect(service.current().meta('idle')).toBe('saved');
  });

  it('does not lock (and so does not lose the change) when the save fails; reports it instead', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    await service
      .current()
      .change({ action: 'x', entityType: 'vault_meta', entityId: 'k', changes: {} }, (db) =>
        db.run("INSERT INTO vault_meta (key, value) VALUES ('precious', 'yes')"),
      );
    const future = new Date(Date.now() + 60_000);
    utimesSync(vaultPath(vaultFolder()), future, future);
    now += 11 * 60_000;
    expect(await service.checkIdle()).toBe(false);
    expect(service.state()).toBe('unlocked');
    expect(events.at(-1)).toEqual({
      channel: 'vault:saveFailed',
      payload: { code: 'EXTERNAL_CHANGE' },
    });
    expect(service.current().meta('precious')).toBe('yes');
    await service.current().close({ discard: true });
  });

  it('tells the renderer again once a recovery has re-keyed: a status asked for meanwhile is stale', async () => {
    const { recoveryKey } = await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    await service.lock();
    // What a status asked for at each event would have shown as the key to confirm.
    const shown: (string | null)[] = [];
    const watched = new VaultService({
      config: TEST_CONFIG,
      prefs,
      emit: (channel) => {
        if (channel === 'vault:stateChanged') {
          shown.push(watched.pendingRecoveryKey());
        }
      },
      saveDelayMs: 20,
      clock: () => now,
    });
    const status = await watched.recover(vaultFolder(), recoveryKey, `${PASSPHRASE}-new`);
    const fresh = watched.pendingRecoveryKey();
    expect(fresh).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
    expect(fresh).not.toBe(recoveryKey);
    expect(status.confirmGroups).toHaveLength(2);
    expect(shown.at(0)).toBeNull(); // the unlock's own event, before the re-key
    expect(shown).toContain(fresh);
    await watched.lock();
  });
});

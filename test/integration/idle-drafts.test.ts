/**
 * Issue 22, item 3: the idle lock keeps work. The forms' unsaved text handed to the core is
 * sealed beside the vault (never plain: not in the vault folder, not in the preferences), said
 * why it locked, and offered back once after unlock.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import { JsonFilePreferences } from '../../electron/services/preferences';
import { VaultService } from '../../electron/services/vault-service';
import { DRAFTS_FILE } from '../../electron/vault/drafts';
import type { Draft } from '../../shared/contract';
import { makeTestContext, tempFolder, type TestContext } from '../helpers/context';
import { NEW_PASSPHRASE, PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const SECRET_TEXT = 'Udkast om krypteringsnøgle Ø-7391 til sektion HEMMELIGT';

function draft(text = SECRET_TEXT): Draft {
  return {
    route: '#/systems/new',
    form: 'system',
    value: { name: 'Stabsnet', description: text },
  };
}

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The files under `roots` that hold `text` in any plain encoding a program would write. */
function plainHits(roots: string[], text: string): string[] {
  const needles = [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8'),
    Buffer.from(Buffer.from(text, 'utf8').toString('base64').slice(0, 24), 'utf8'),
    Buffer.from('Ø-7391', 'utf8'),
  ];
  return roots
    .flatMap(filesUnder)
    .filter((file) => needles.some((n) => readFileSync(file).includes(n)));
}

describe('the idle lock keeps unsaved text, sealed', () => {
  let folder: ReturnType<typeof tempFolder>;
  let now: number;
  let service: VaultService;
  let events: string[];
  const vaultFolder = () => join(folder.path, 'vault');
  const dataFolder = () => join(folder.path, 'data');

  beforeEach(() => {
    folder = tempFolder('awb-drafts-');
    now = 1_000_000;
    events = [];
    service = new VaultService({
      config: TEST_CONFIG,
      prefs: new JsonFilePreferences(dataFolder()),
      emit: (channel) => events.push(channel),
      saveDelayMs: 20,
      clock: () => now,
    });
  });
  afterEach(async () => {
    await service.lock().catch(() => undefined);
    folder.cleanup();
  });

  it('seals the drafts at once, locks after the idle time saying so, and offers them back once', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    expect(service.keepDrafts([draft()])).toBe(1);
    expect(existsSync(join(vaultFolder(), DRAFTS_FILE))).toBe(true);

    now += 10 * 60_000 + 1;
    expect(await service.checkIdle()).toBe(true);
    const locked = service.status();
    expect(locked.state).toBe('locked');
    expect(locked.locked).toEqual({ reason: 'idle', minutes: 10, kept: 1 });

    // Nowhere in plain form: not in the vault folder, not in the preferences.
    expect(filesUnder(vaultFolder())).toContain(join(vaultFolder(), DRAFTS_FILE));
    expect(filesUnder(dataFolder()).length).toBeGreaterThan(0);
    expect(plainHits([vaultFolder(), dataFolder()], SECRET_TEXT)).toEqual([]);

    const status = await service.unlock(vaultFolder(), { passphrase: PASSPHRASE });
    expect(status.locked).toBeNull();
    expect(service.takeDrafts()).toEqual([draft()]);
    // Until the user chooses (a reload asks again), it stays offered and sealed.
    expect(service.takeDrafts()).toEqual([draft()]);
    expect(existsSync(join(vaultFolder(), DRAFTS_FILE))).toBe(true);
    // Discarded (or restored and saved): nothing unsaved is left, the file goes, none is offered.
    expect(service.keepDrafts([])).toBe(0);
    expect(existsSync(join(vaultFolder(), DRAFTS_FILE))).toBe(false);
    expect(service.takeDrafts()).toEqual([]);
  });

  it('the text sealed before a crash is offered at the next unlock', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    service.keepDrafts([draft()]);
    // The process ends without a lock: a second service (the next start) finds the sealed file.
    const sealed = readFileSync(join(vaultFolder(), DRAFTS_FILE));
    await service.lock('user', []);
    writeFileSync(join(vaultFolder(), DRAFTS_FILE), sealed);
    const next = new VaultService({
      config: TEST_CONFIG,
      prefs: new JsonFilePreferences(dataFolder()),
      emit: () => undefined,
    });
    await next.unlock(vaultFolder(), { passphrase: PASSPHRASE });
    expect(next.takeDrafts()).toEqual([draft()]);
    await next.lock();
  });

  it('drafts that do not open under the key (changed bytes, another vault) are never shown', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    service.keepDrafts([draft()]);
    await service.lock();
    const path = join(vaultFolder(), DRAFTS_FILE);
    const bytes = readFileSync(path);
    bytes[bytes.length - 20]! ^= 0x01;
    writeFileSync(path, bytes);
    await service.unlock(vaultFolder(), { passphrase: PASSPHRASE });
    expect(service.takeDrafts()).toEqual([]);
    expect(existsSync(path)).toBe(false);

    // Sealed for another vault: its id is bound in, so it does not open here.
    const other = join(folder.path, 'other');
    service.keepDrafts([]);
    await service.create(other, PASSPHRASE, PROFILE);
    service.keepDrafts([draft()]);
    await service.lock();
    writeFileSync(path, readFileSync(join(other, DRAFTS_FILE)));
    await service.unlock(vaultFolder(), { passphrase: PASSPHRASE });
    expect(service.takeDrafts()).toEqual([]);
  });

  it('a re-key seals the drafts again under the new key', async () => {
    await service.create(vaultFolder(), PASSPHRASE, PROFILE);
    service.keepDrafts([draft()]);
    const before = readFileSync(join(vaultFolder(), DRAFTS_FILE));
    await service.changePassphrase(PASSPHRASE, NEW_PASSPHRASE);
    const after = readFileSync(join(vaultFolder(), DRAFTS_FILE));
    expect(after.equals(before)).toBe(false);
    await service.lock();
    await service.unlock(vaultFolder(), { passphrase: NEW_PASSPHRASE });
    expect(service.takeDrafts()).toEqual([draft()]);
  });
});

describe('the drafts through the contract', () => {
  let folder: ReturnType<typeof tempFolder>;
  let tc: TestContext;
  const vaultFolder = () => join(folder.path, 'vault');

  beforeEach(() => {
    folder = tempFolder('awb-drafts-ipc-');
    tc = makeTestContext(join(folder.path, 'data'));
  });
  afterEach(async () => {
    await tc.ctx.vault.lock().catch(() => undefined);
    folder.cleanup();
  });

  it('a lock by the user keeps the drafts it is handed and says who locked', async () => {
    await dispatch(
      handlers,
      'vault:create',
      { folder: vaultFolder(), passphrase: PASSPHRASE, profile: PROFILE },
      tc.ctx,
    );
    const locked = await dispatch(handlers, 'vault:lock', { drafts: [draft()] }, tc.ctx);
    expect(locked).toMatchObject({
      ok: true,
      value: { state: 'locked', locked: { reason: 'user', kept: 1 } },
    });
    expect(plainHits([vaultFolder(), tc.dataFolder], SECRET_TEXT)).toEqual([]);

    // Locked: nothing is handed out or taken in.
    expect(await dispatch(handlers, 'vault:takeDrafts', {}, tc.ctx)).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(await dispatch(handlers, 'vault:keepDrafts', { drafts: [] }, tc.ctx)).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });

    await dispatch(
      handlers,
      'vault:unlock',
      { folder: vaultFolder(), passphrase: PASSPHRASE },
      tc.ctx,
    );
    expect(await dispatch(handlers, 'vault:takeDrafts', {}, tc.ctx)).toEqual({
      ok: true,
      value: { drafts: [draft()] },
    });
  });

  it('refuses drafts beyond the size bound and of another shape', async () => {
    await dispatch(
      handlers,
      'vault:create',
      { folder: vaultFolder(), passphrase: PASSPHRASE, profile: PROFILE },
      tc.ctx,
    );
    const huge = [draft('x'.repeat(300 * 1024))];
    for (const drafts of [huge, [{ route: '#/systems', value: 1 }], [{ ...draft(), extra: 1 }]]) {
      expect(await dispatch(handlers, 'vault:keepDrafts', { drafts }, tc.ctx)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      expect(await dispatch(handlers, 'vault:lock', { drafts }, tc.ctx)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(tc.ctx.vault.state()).toBe('unlocked');
    expect(existsSync(join(vaultFolder(), DRAFTS_FILE))).toBe(false);
  });
});

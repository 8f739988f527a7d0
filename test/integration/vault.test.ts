import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/db/audit';
import { decodeContainer, unwrapKey } from '../../electron/vault/container';
import { deriveKey } from '../../electron/vault/kdf';
import { readJournal } from '../../electron/vault/rekey-journal';
import {
  listGenerations,
  LOCK_FILE,
  PRODUCTION_CONFIG,
  Vault,
  vaultPath,
  type VaultConfig,
} from '../../electron/vault/vault';
import { createServices } from '../../electron/services';
import { tempFolder } from '../helpers/context';
import { nodeFs } from '../../electron/vault/fsops';
import { failingFs, PASSPHRASE, PROFILE, rewriteVault, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('awb-vault-');
});
afterEach(() => folder.cleanup());

function countRows(v: Vault, table: string): number {
  return Number(v.database.exec(`SELECT count(*) FROM ${table}`)[0]?.values[0]?.[0]);
}

async function addNote(v: Vault, text: string): Promise<void> {
  await v.change(
    {
      action: 'meta.set',
      entityType: 'vault_meta',
      entityId: text,
      changes: { value: [null, text] },
    },
    (db) => {
      db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [text, text]);
    },
  );
}

describe('vault lifecycle', () => {
  it('creates, saves, closes and reopens with everything intact', async () => {
    const { vault, recoveryKey } = await Vault.create(
      folder.path,
      PASSPHRASE,
      PROFILE,
      TEST_CONFIG,
    );
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){10}[0-9A-Z]{4}$/);
    await addNote(vault, 'note-1');
    await vault.close();
    const again = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(again.meta('note-1')).toBe('note-1');
    expect(again.actor).toMatchObject(PROFILE);
    await again.checksDone();
    expect(again.audit).toEqual({ intact: true, rows: 2 });
    await again.close();
  });

  it('never writes the database in plaintext and keeps files private', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await addNote(vault, 'SECRET-MARKER-TEXT');
    await vault.close();
    for (const name of readdirSync(folder.path)) {
      const path = join(folder.path, name);
      if (statSync(path).isFile()) {
        const bytes = readFileSync(path);
        expect(bytes.includes('SECRET-MARKER-TEXT'), name).toBe(false);
        expect(bytes.includes('SQLite format 3'), name).toBe(false);
        expect(bytes.includes(PROFILE.name), name).toBe(false);
      }
    }
    expect(statSync(vaultPath(folder.path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong passphrase with WRONG_PASSPHRASE', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    await expect(
      Vault.open(folder.path, { passphrase: 'wrong one' }, TEST_CONFIG),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(existsSync(join(folder.path, LOCK_FILE))).toBe(false);
  });

  it('opens with the recovery key (any case, spaces or dashes) and re-keys with a new passphrase', async () => {
    const { vault, recoveryKey } = await Vault.create(
      folder.path,
      PASSPHRASE,
      PROFILE,
      TEST_CONFIG,
    );
    await vault.close();
    const typed = recoveryKey.toLowerCase().replace(/-/g, ' ');
    const recovered = await Vault.open(folder.path, { recoveryKey: typed }, TEST_CONFIG);
    // A recovery sets a passphrase, so it needs one.
    await expect(recovered.rekey({ recoveryKey: typed }, null)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const { recoveryKey: newKey } = await recovered.rekey(
      { recoveryKey: typed },
      'a-brand-new-passphrase-2026',
    );
    expect(newKey).not.toBe(recoveryKey);
    await recovered.close();
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const reopened = await Vault.open(
      folder.path,
      { passphrase: 'a-brand-new-passphrase-2026' },
      TEST_CONFIG,
    );
    await reopened.checksDone();
    expect(reopened.audit.intact).toBe(true);
    await reopened.close();
    // A recovery re-keys: the old recovery key opens nothing any more, the new one does.
    await expect(Vault.open(folder.path, { recoveryKey }, TEST_CONFIG)).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
    });
    const again = await Vault.open(folder.path, { recoveryKey: newKey }, TEST_CONFIG);
    await again.close();
  });

  it('refuses a wrong or mistyped recovery key with WRONG_RECOVERY_KEY', async () => {
    const { vault, recoveryKey } = await Vault.create(
      folder.path,
      PASSPHRASE,
      PROFILE,
      TEST_CONFIG,
    );
    await vault.close();
    const mistyped = (recoveryKey[0] === 'A' ? 'B' : 'A') + recoveryKey.slice(1);
    await expect(
      Vault.open(folder.path, { recoveryKey: mistyped }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'WRONG_RECOVERY_KEY' });
    await expect(
      Vault.open(folder.path, { recoveryKey: 'ABCD' }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'WRONG_RECOVERY_KEY' });
  });

  it('re-keys on a passphrase change: the old passphrase and recovery key open nothing in the folder', async () => {
    const { vault, recoveryKey: oldRecovery } = await Vault.create(
      folder.path,
      PASSPHRASE,
      PROFILE,
      TEST_CONFIG,
    );
    // Evidence on a case, and several saved generations.
    const services = createServices(() => vault);
    const systemId = await services.register.createSystem({
      ref: 'SYS-K',
      name: 'Nøglenet',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 2,
      minClearance: 'RESTRICTED',
    });
    const caseId = await services.cases.createCase({ systemId, type: 'initial' });
    const content = randomBytes(300_000);
    const blob = await vault.blobs.put(
      (async function* () {
        yield content;
      })(),
    );
    const evidenceId = await services.cases.addEvidence(
      caseId,
      { ...blob, name: 'ssrs.pdf' },
      { type: 'ssrs', title: 'SSRS', version: '1', requirementIds: [] },
    );
    for (let i = 0; i < 4; i++) {
      await addNote(vault, `g${i}`);
      await vault.save();
    }
    expect(listGenerations(folder.path)).toHaveLength(3);
    await expect(vault.rekey('not it', 'x-new-passphrase-x')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const files = () =>
      readdirSync(folder.path).concat(
        readdirSync(join(folder.path, 'blobs')).map((b) => `blobs/${b}`),
      );
    const before = files();
    const progress: number[] = [];
    const { recoveryKey } = await vault.rekey(PASSPHRASE, 'x-new-passphrase-x', (done) =>
      progress.push(done),
    );
    expect(recoveryKey).not.toBe(oldRecovery);
    expect(progress.at(-1)).toBeGreaterThan(0);
    // The evidence moved to its new address (the address is a MAC under the new key).
    expect(vault.blobs.pathOf(blob.address)).toBeTruthy();
    expect(readdirSync(join(folder.path, 'blobs'))).not.toContain(blob.address);
    await vault.close();

    // Every file in the folder, old or new, tried with the old secrets: nothing opens.
    for (const name of readdirSync(folder.path).filter((n) => n.startsWith('vault.awb'))) {
      const bytes = readFileSync(join(folder.path, name));
      const decoded = decodeContainer(bytes, { maxSchemaVersion: 99, limits: TEST_CONFIG.limits });
      const kek = await deriveKey(PASSPHRASE, decoded.header.salt, decoded.header.kdf);
      expect(decoded.header.slots.map((slot) => unwrapKey(kek, slot))).toEqual(
        decoded.header.slots.map(() => null),
      );
    }
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await expect(
      Vault.open(folder.path, { recoveryKey: oldRecovery }, TEST_CONFIG),
    ).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
    });
    // The generations under the old key are gone (nothing has been saved since).
    expect(listGenerations(folder.path).map((g) => g.generation)).toEqual([]);
    // No old evidence file is left, and the content is the same under the new key.
    expect(files().filter((f) => before.includes(f) && f.startsWith('blobs/'))).toEqual([]);
    const v = await Vault.open(folder.path, { passphrase: 'x-new-passphrase-x' }, TEST_CONFIG);
    await v.checksDone();
    expect(v.audit.intact).toBe(true);
    const moved = String(
      v.database.exec('SELECT blob_address FROM evidence WHERE id = ?', [evidenceId])[0]
        ?.values[0]?.[0],
    );
    expect(moved).not.toBe(blob.address);
    expect(await buffer(v.blobs.read(moved))).toEqual(content);
    expect(v.meta('rekey_leftovers')).toBeNull();
    // The re-key's audit row lists what it removed, before it removed it.
    const row = v.database.exec("SELECT changes FROM audit_log WHERE action = 'vault.rekey'")[0]
      ?.values[0]?.[0];
    expect(JSON.parse(String(row))).toMatchObject({
      reason: 'passphrase',
      evidenceFiles: 1,
      removed: { generations: ['vault.awb.1', 'vault.awb.2', 'vault.awb.3'] },
    });
    // Until shown, the new recovery key waits in the journal, sealed under the new key.
    expect(v.pendingRecoveryKey()).toBe(recoveryKey);
    v.recoveryKeyShown();
    expect(v.pendingRecoveryKey()).toBeNull();
    expect(readJournal(folder.path)).toBeNull();
    await v.close();
    const byRecovery = await Vault.open(folder.path, { recoveryKey }, TEST_CONFIG);
    await byRecovery.close();
  });

  it('a new recovery key keeps the passphrase; the old key opens nothing', async () => {
    const { vault, recoveryKey: oldRecovery } = await Vault.create(
      folder.path,
      PASSPHRASE,
      PROFILE,
      TEST_CONFIG,
    );
    const { recoveryKey } = await vault.rekey(PASSPHRASE, null);
    await vault.close();
    await expect(
      Vault.open(folder.path, { recoveryKey: oldRecovery }, TEST_CONFIG),
    ).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
    });
    await (await Vault.open(folder.path, { recoveryKey }, TEST_CONFIG)).close();
    await (await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG)).close();
  });

  it('a re-key interrupted after its new file was written is finished at the next unlock', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await addNote(vault, 'a');
    await vault.save();
    await addNote(vault, 'b');
    await vault.save();
    await vault.close();
    // Removing the old files fails (as if the process died right after the new file landed).
    const stuck = {
      ...TEST_CONFIG,
      fs: {
        ...TEST_CONFIG.fs,
        unlink: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
      },
    };
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, stuck);
    const { recoveryKey } = await v.rekey(PASSPHRASE, 'x-new-passphrase-x');
    expect(readJournal(folder.path)).toMatchObject({ committed: true, cleaned: false });
    await v.close();
    expect(listGenerations(folder.path).length).toBeGreaterThan(0);
    // Until it is finished, a generation (under the old key) cannot be restored over it.
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG, { generation: 1 }),
    ).rejects.toMatchObject({ code: 'REKEY_PENDING' });
    const again = await Vault.open(folder.path, { passphrase: 'x-new-passphrase-x' }, TEST_CONFIG);
    expect(readJournal(folder.path)).toMatchObject({ committed: true, cleaned: true });
    expect(listGenerations(folder.path)).toEqual([]);
    // The new recovery key was returned, but nobody said it was shown: it is offered again.
    expect(again.pendingRecoveryKey()).toBe(recoveryKey);
    again.recoveryKeyShown();
    expect(readJournal(folder.path)).toBeNull();
    await again.close();
    // What is left opens with the new passphrase only.
    for (const g of listGenerations(folder.path)) {
      await expect(
        Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG, {
          generation: g.generation,
        }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    }
  });

  it('a re-key that fails before its file is written changes nothing', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, {
      ...TEST_CONFIG,
      fs: failingFs('rename', 4),
    });
    await addNote(vault, 'a');
    await vault.save();
    const blob = await vault.blobs.put(
      (async function* () {
        yield Buffer.from('evidence');
      })(),
    );
    await vault.change(
      { action: 'x', entityType: 'vault_meta', entityId: 'e', changes: {} },
      (db) => db.run("INSERT INTO vault_meta (key, value) VALUES ('evidence', ?)", [blob.address]),
    );
    await vault.save();
    const blobsBefore = readdirSync(join(folder.path, 'blobs'));
    await expect(vault.rekey(PASSPHRASE, 'x-new-passphrase-x')).rejects.toMatchObject({
      code: 'SAVE_FAILED',
    });
    expect(readdirSync(join(folder.path, 'blobs'))).toEqual(blobsBefore);
    await vault.close();
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect((await buffer(v.blobs.read(v.meta('evidence')!))).toString()).toBe('evidence');
    await v.close();
  });

  it('keeps three previous generations', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    for (let i = 0; i < 5; i++) {
      await addNote(vault, `n${i}`);
      await vault.save();
    }
    await vault.close();
    expect(listGenerations(folder.path).map((g) => g.generation)).toEqual([1, 2, 3]);
    expect(existsSync(vaultPath(folder.path, 4))).toBe(false);
    // generation 1 is the state before the last save: n4 absent, n3 present
    const g1 = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG, {
      generation: 1,
    });
    expect(g1.meta('n3')).toBe('n3');
    expect(g1.meta('n4')).toBeNull();
    await g1.close({ discard: true });
  });

  it('restores a previous generation when the main file is damaged, keeping the damaged file', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await addNote(vault, 'before');
    await vault.save();
    await addNote(vault, 'after');
    await vault.close();
    const main = vaultPath(folder.path);
    const bytes = readFileSync(main);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    writeFileSync(main, bytes);
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'CORRUPTED_BODY' });
    const previous = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG, {
      generation: 1,
    });
    await previous.restoreAsMain();
    await previous.close();
    const restored = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(restored.meta('before')).toBe('before');
    await restored.checksDone();
    expect(restored.audit.intact).toBe(true);
    await restored.close();
    expect(readdirSync(folder.path).some((n) => n.startsWith('vault.awb.damaged-'))).toBe(true);
  });

  it('refuses to save over a file changed by someone else, writing nothing', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await addNote(vault, 'mine');
    const main = vaultPath(folder.path);
    const future = new Date(Date.now() + 60_000);
    utimesSync(main, future, future);
    const before = readFileSync(main);
    const generationsBefore = listGenerations(folder.path);
    await expect(vault.save()).rejects.toMatchObject({ code: 'EXTERNAL_CHANGE' });
    expect(readFileSync(main).equals(before)).toBe(true);
    expect(listGenerations(folder.path)).toEqual(generationsBefore);
    expect(readdirSync(folder.path).filter((n) => n.includes('.tmp-'))).toEqual([]);
    // a failed save keeps the vault open: closing refuses rather than dropping the change
    await expect(vault.close()).rejects.toMatchObject({ code: 'EXTERNAL_CHANGE' });
    await vault.close({ discard: true });
  });

  it('stops a second writer with LOCKED_BY_OTHER and takes over a stale lock', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'LOCKED_BY_OTHER' });
    await vault.close();
    expect(existsSync(join(folder.path, LOCK_FILE))).toBe(false);
    writeFileSync(
      join(folder.path, LOCK_FILE),
      JSON.stringify({
        host: (await import('node:os')).hostname(),
        pid: 2 ** 22 + 7,
        token: 'x',
        since: '2020-01-01',
      }),
    );
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await v.close();
    writeFileSync(
      join(folder.path, LOCK_FILE),
      JSON.stringify({ host: 'other-laptop', pid: 1, token: 'x', since: '2020-01-01' }),
    );
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({
      code: 'LOCKED_BY_OTHER',
      details: { host: 'other-laptop' },
    });
  });

  it('a lock is stale only when its holder is known dead: on this host, and not running', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    const lock = join(folder.path, LOCK_FILE);
    const holder = (host: string, pid: number) =>
      JSON.stringify({ host, pid, token: 'x', since: '2020-01-01' });
    const here = (await import('node:os')).hostname();
    // Another process on this host that runs (the one that started this test): in use.
    expect(process.ppid).not.toBe(process.pid);
    writeFileSync(lock, holder(here, process.ppid));
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'LOCKED_BY_OTHER', details: { host: here } });
    // Another host, with a process id nothing here runs: its liveness cannot be known from
    // here, so the lock holds.
    writeFileSync(lock, holder('other-laptop', 2 ** 22 + 7));
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'LOCKED_BY_OTHER', details: { host: 'other-laptop' } });
    // A half-written lock names nobody: taken over.
    writeFileSync(lock, '{"host": "this-lap');
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await v.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('what an older version’s interrupted re-key left is removed at unlock: that very generation, evidence nothing refers to', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    const stray = await vault.blobs.put(
      (async function* () {
        yield Buffer.from('under the old key, referred to by nothing');
      })(),
    );
    for (const key of ['a', 'b', 'c']) {
      await vault.change(
        { action: 'meta.set', entityType: 'vault_meta', entityId: key, changes: { value: key } },
        (db) => db.run('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)', [key, key]),
      );
      await vault.save();
    }
    await vault.close();
    expect(listGenerations(folder.path).map((g) => g.generation)).toEqual(
      expect.arrayContaining([1, 2]),
    );
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const first = readFileSync(vaultPath(folder.path, 1));
    const second = readFileSync(vaultPath(folder.path, 2));
    const stat = statSync(vaultPath(folder.path, 1), { bigint: true });
    // The note as the older version wrote it: generation 1 as it saw it; generation 2 under
    // another fingerprint (a file written since, under the new key, which must stay).
    const note = {
      blobs: [stray.address],
      generations: [
        { generation: 1, fingerprint: `${stat.ino}:${stat.size}:${stat.mtimeNs}` },
        { generation: 2, fingerprint: '1:2:3' },
      ],
    };
    await rewriteVault(
      folder.path,
      (db) =>
        db.run("INSERT INTO vault_meta (key, value) VALUES ('rekey_leftovers', ?)", [
          JSON.stringify(note),
        ]),
      'keep',
    );
    // A file that cannot be removed now (EBUSY) keeps the note, and no cleanup is recorded...
    let refused = 0;
    const busy: VaultConfig = {
      ...TEST_CONFIG,
      fs: {
        ...nodeFs,
        async unlink(path) {
          if (path === vaultPath(folder.path, 1)) {
            refused++;
            throw Object.assign(new Error('busy'), { code: 'EBUSY' });
          }
          return nodeFs.unlink(path);
        },
      },
    };
    const early = await Vault.open(folder.path, { passphrase: PASSPHRASE }, busy);
    expect(refused).toBe(1);
    expect(early.meta('rekey_leftovers')).toBe(JSON.stringify(note));
    expect(
      early.database.exec("SELECT 1 FROM audit_log WHERE action = 'vault.rekeyCleanup'"),
    ).toEqual([]);
    await early.close();
    // ...until an unlock that can.
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(v.meta('rekey_leftovers')).toBeNull();
    const row = v.database.exec(
      "SELECT changes FROM audit_log WHERE action = 'vault.rekeyCleanup'",
    )[0]?.values[0]?.[0];
    expect(JSON.parse(String(row))).toMatchObject({ generations: 2, evidenceFiles: 1 });
    await v.close();
    expect(existsSync(join(folder.path, 'blobs', stray.address))).toBe(false);
    const left = readdirSync(folder.path)
      .filter((n) => n.startsWith('vault.awb'))
      .map((n) => sha(readFileSync(join(folder.path, n))));
    expect(left).not.toContain(sha(first));
    expect(left).toContain(sha(second));
  });

  it('cleans stale temp files on open', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    writeFileSync(join(folder.path, 'vault.awb.tmp-deadbeef'), 'half a save');
    writeFileSync(join(folder.path, 'blobs', 'abc.tmp-1234'), 'half a blob');
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await v.close();
    expect(readdirSync(folder.path).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(join(folder.path, 'blobs'))).toEqual([]);
  });

  it('refuses to create over an existing vault', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    await expect(Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG)).rejects.toMatchObject(
      { code: 'VAULT_EXISTS' },
    );
  });

  it('reports VAULT_NOT_FOUND for a folder without a vault', async () => {
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG),
    ).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
  });

  it('the shipped floors refuse a vault written with the test KDF (UNSAFE_PARAMETERS)', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    await expect(
      Vault.open(folder.path, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG),
    ).rejects.toMatchObject({
      code: 'UNSAFE_PARAMETERS',
    });
  });

  it('writes the shipped Argon2id parameters (64 MiB, t=3, p=4) into a production vault', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, PRODUCTION_CONFIG);
    await vault.close();
    const bytes = readFileSync(vaultPath(folder.path));
    expect([
      bytes.readUInt8(14),
      bytes.readUInt32LE(15),
      bytes.readUInt32LE(19),
      bytes.readUInt8(23),
    ]).toEqual([1, 65536, 3, 4]);
    const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG);
    await v.close();
  });
});

describe('audit trail', () => {
  it('chains every change and reports the first tampered row on unlock', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    for (let i = 0; i < 4; i++) {
      await addNote(vault, `a${i}`);
    }
    expect(countRows(vault, 'audit_log')).toBe(5);
    expect(verifyAuditChain(vault.database)).toEqual({ intact: true, rows: 5 });
    // someone with the key edits history directly (bypassing the app)
    vault.database.run(
      'UPDATE audit_log SET changes = \'{"value":[null,"forged"]}\' WHERE seq = 3',
    );
    await vault.save();
    await vault.close();
    const reopened = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await reopened.checksDone();
    expect(reopened.audit).toEqual({ intact: false, rows: 3, brokenAt: 3 });
    await reopened.close();
  });

  it('detects a deleted row', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await addNote(vault, 'x');
    await addNote(vault, 'y');
    vault.database.run('DELETE FROM audit_log WHERE seq = 2');
    expect(verifyAuditChain(vault.database)).toMatchObject({ intact: false, brokenAt: 3 });
    await vault.close({ discard: true });
  });

  it('detects the tail of the trail cut off, and rows reordered, by someone with the key', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    for (let i = 0; i < 60; i++) {
      await addNote(vault, `n${i}`);
    }
    await vault.close();
    // The newest 50 rows deleted, the body sealed again under the old header anchor.
    await rewriteVault(folder.path, (db) => db.run('DELETE FROM audit_log WHERE seq > 11'), 'keep');
    const cut = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(cut.audit).toEqual({ intact: false, rows: 11, brokenAt: 12 });
    await cut.checksDone();
    // The rows that are left still chain: only the anchor tells the tail is gone.
    expect(cut.audit).toMatchObject({ intact: false, brokenAt: 12 });
    await cut.close({ discard: true });
    const { rmSync } = await import('node:fs');
    rmSync(folder.path, { recursive: true, force: true });

    const { vault: again } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    for (let i = 0; i < 5; i++) {
      await addNote(again, `m${i}`);
    }
    await again.close();
    // Two rows swapped (numbers exchanged), the anchor brought up to date: the walk finds it.
    await rewriteVault(
      folder.path,
      (db) => {
        db.run('UPDATE audit_log SET seq = -3 WHERE seq = 3');
        db.run('UPDATE audit_log SET seq = 3 WHERE seq = 4');
        db.run('UPDATE audit_log SET seq = 4 WHERE seq = -3');
      },
      'update',
    );
    const swapped = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    await swapped.checksDone();
    expect(swapped.audit).toMatchObject({ intact: false, brokenAt: 3 });
    // An anchor cited elsewhere (a signed letter) catches a trail rewritten from its row on.
    await swapped.close({ discard: true });
  });

  for (const size of ['small (checked in this thread)', 'large (checked in a worker)'] as const) {
    it(`a ${size} database that fails its checks after unlock is shown as such and never saved`, async () => {
      const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
      await vault.close();
      await rewriteVault(
        folder.path,
        (db) => {
          if (size.startsWith('large')) {
            // Enough rows to pass the size from which a worker checks (4 MiB).
            db.run('CREATE TABLE padding (x TEXT)');
            for (let i = 0; i < 600; i++) {
              db.run('INSERT INTO padding VALUES (?)', ['p'.repeat(10_000)]);
            }
          }
          // A row whose foreign key points nowhere: foreign_key_check will find it.
          db.run('PRAGMA foreign_keys = OFF');
          db.run(
            "INSERT INTO system_levels (system_id, domain, level) VALUES ('no-such-system', 'nato', 'SECRET')",
          );
        },
        'update',
      );
      const before = readFileSync(vaultPath(folder.path));
      const v = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
      expect(v.integrity).toBe('checking');
      await v.checksDone();
      expect(v.integrity).toBe('failed');
      await addNote(v, 'after');
      await expect(v.save()).rejects.toMatchObject({ code: 'CORRUPTED_CONTENT' });
      await expect(v.close()).rejects.toMatchObject({ code: 'CORRUPTED_CONTENT' });
      await v.close({ discard: true });
      // Nothing was written over the file.
      expect(readFileSync(vaultPath(folder.path)).equals(before)).toBe(true);
    });
  }

  it('rolls back a failed change together with its audit row', async () => {
    const { vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    await expect(
      vault.change({ action: 'x', entityType: 'users', entityId: 'x', changes: {} }, (db) => {
        db.run("INSERT INTO vault_meta (key, value) VALUES ('half', 'done')");
        db.run(
          "INSERT INTO users (id, name, organisation, role, created_at) VALUES ('x', 'n', 'o', 'king', 'now')",
        );
      }),
    ).rejects.toThrow();
    expect(vault.meta('half')).toBeNull();
    expect(countRows(vault, 'audit_log')).toBe(1);
    await vault.close();
  });
});

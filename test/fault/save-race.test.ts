/**
 * No lost change, by construction: changes, saves and failing saves interleaved in random
 * orders (fast-check's scheduler decides when every file operation of a save completes), then a
 * lock. Every change that was committed must be in the file after the lock, whatever ran while
 * a save was writing. And the sequence that lost changes in practice — a decision's package
 * exported, then an immediate lock — keeps the exchange log and its audit rows.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { nodeFs, type FsOps, type SaveStep } from '../../electron/vault/fsops';
import { Vault, type VaultConfig } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const root = tempFolder('awb-race-');
afterAll(() => root.cleanup());
let runs = 0;

/** nodeFs whose every operation completes when the scheduler says, and can fail once on demand. */
function scheduledFs(s: fc.Scheduler, failNext: { step: SaveStep | null }): FsOps {
  const later =
    <A extends unknown[], R>(label: string, f: (...a: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      s.schedule(Promise.resolve(), label).then(() => f(...args));
  return {
    ...nodeFs,
    createExclusive: later('open', async (path: string, mode: number) => {
      const file = await nodeFs.createExclusive(path, mode);
      return {
        writeAll: later('write', (parts: Buffer[]) => file.writeAll(parts)),
        sync: later('fsync', () => file.sync()),
        fingerprint: () => file.fingerprint(),
        close: later('close', () => file.close()),
      };
    }),
    rename: later('rename', (from: string, to: string) => nodeFs.rename(from, to)),
    syncDir: later('dirsync', (path: string) => nodeFs.syncDir(path)),
    step(step) {
      if (failNext.step === step) {
        failNext.step = null;
        throw Object.assign(new Error(`injected failure at ${step}`), { code: 'EIO' });
      }
    },
  };
}

type Op = { kind: 'change' } | { kind: 'save' } | { kind: 'fail'; step: SaveStep };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Op>({ kind: 'change' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'save' }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<SaveStep>('open', 'write', 'fsync', 'rename', 'dirsync')
      .map((step): Op => ({ kind: 'fail', step })),
  },
);

describe('the save race', () => {
  it('every committed change is on disk after lock, whatever interleaves with the saves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(op, { minLength: 1, maxLength: 14 }),
        async (s, ops) => {
          const folder = join(root.path, `v${runs++}`);
          const failNext: { step: SaveStep | null } = { step: null };
          const config: VaultConfig = { ...TEST_CONFIG, fs: scheduledFs(s, failNext) };
          const { vault } = await s.waitFor(Vault.create(folder, PASSPHRASE, PROFILE, config));
          const committed: string[] = [];
          const running: Promise<unknown>[] = [];
          // Each operation starts when the scheduler says: between any two steps of a save.
          ops.forEach((o, i) => {
            const start = s.schedule(Promise.resolve(), `${o.kind} ${i}`);
            if (o.kind === 'change') {
              running.push(
                start
                  .then(() =>
                    vault.change(
                      { action: 'test', entityType: 'vault_meta', entityId: `k${i}`, changes: {} },
                      (db) =>
                        db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [
                          `k${i}`,
                          String(i),
                        ]),
                    ),
                  )
                  .then(() => committed.push(`k${i}`)),
              );
            } else {
              running.push(
                start.then(() => {
                  if (o.kind === 'fail') {
                    failNext.step = o.step;
                  }
                  return vault.save().catch(() => undefined);
                }),
              );
            }
          });
          await s.waitFor(Promise.all(running));
          failNext.step = null;
          await s.waitFor(vault.close());
          const reopened = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
          try {
            const keys = (
              reopened.database.exec("SELECT key FROM vault_meta WHERE key LIKE 'k%'")[0]?.values ??
              []
            ).map((r) => String(r[0]));
            expect(keys.sort()).toEqual([...committed].sort());
          } finally {
            await reopened.close({ discard: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a change committed while a save is writing is saved at lock (change A, save, change B, lock)', async () => {
    const folder = join(root.path, 'ab');
    // A file system whose write waits until told: change B commits while A's save is writing.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let gated = false;
    const fs: FsOps = {
      ...nodeFs,
      async createExclusive(path, mode) {
        const file = await nodeFs.createExclusive(path, mode);
        return {
          ...file,
          async writeAll(parts) {
            if (gated) {
              await gate;
            }
            return file.writeAll(parts);
          },
        };
      },
    };
    const { vault } = await Vault.create(folder, PASSPHRASE, PROFILE, { ...TEST_CONFIG, fs });
    const set = (key: string) =>
      vault.change({ action: 'test', entityType: 'vault_meta', entityId: key, changes: {} }, (db) =>
        db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [key, key]),
      );
    await set('A');
    gated = true;
    const saving = vault.save();
    await new Promise((r) => setTimeout(r, 20));
    await set('B');
    release();
    await saving;
    expect(vault.isDirty).toBe(true);
    await vault.close();
    const reopened = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(reopened.meta('A')).toBe('A');
    expect(reopened.meta('B')).toBe('B');
    await reopened.close({ discard: true });
  });
});

/**
 * Child of the kill tests.
 *
 * `kill-child <folder>`: opens the vault and saves in a tight loop, one new row per save,
 * printing the committed counter after each save. The parent kills it at random moments.
 *
 * `kill-child <folder> rekey <kind> <step> [n]`: re-keys the vault — a new passphrase
 * (`passphrase`), a new recovery key (`recoveryKey`), or a recovery (`recover`: the recovery key
 * in AWB_TEST_RECOVERY_KEY, and a new passphrase) — and kills itself (SIGKILL, as a power cut
 * would) when the re-key reaches `step` (the n-th time, for `evidence`), through the
 * configuration's injection point: no timing. `none` lets it finish.
 */
import type { RekeyStep } from '../../electron/vault/rekey-journal';
import { Vault } from '../../electron/vault/vault';
import { NEW_PASSPHRASE, PASSPHRASE, TEST_CONFIG } from '../helpers/vault';

const [folder = '', mode = 'save', kind = 'passphrase', step = 'none', nth = '1'] =
  process.argv.slice(2);

if (mode === 'rekey') {
  const config = {
    ...TEST_CONFIG,
    rekeyStep: (reached: RekeyStep, n: number) => {
      if (reached === step && (reached !== 'evidence' || n === Number(nth))) {
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };
  const recoveryKey = process.env.AWB_TEST_RECOVERY_KEY ?? '';
  if (kind === 'recover') {
    const vault = await Vault.open(folder, { recoveryKey }, config);
    process.stdout.write('ready\n');
    await vault.rekey({ recoveryKey }, NEW_PASSPHRASE);
    await vault.close();
  } else {
    const vault = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    process.stdout.write('ready\n');
    await vault.rekey(PASSPHRASE, kind === 'recoveryKey' ? null : NEW_PASSPHRASE);
    await vault.close();
  }
  process.stdout.write('done\n');
} else {
  const vault = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  let n = Number(vault.meta('counter') ?? '0');
  process.stdout.write('ready\n');
  for (;;) {
    n++;
    await vault.change(
      { action: 'tick', entityType: 'vault_meta', entityId: 'counter', changes: { n } },
      (db) => {
        db.run("INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('counter', ?)", [String(n)]);
        db.run('INSERT INTO vault_meta (key, value) VALUES (?, ?)', [`row-${n}`, 'x'.repeat(2000)]);
      },
    );
    await vault.save();
    process.stdout.write(`saved ${n}\n`);
  }
}

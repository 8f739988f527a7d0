/**
 * Child of the kill loop: opens the vault and saves in a tight loop, one new row per save,
 * printing the committed counter after each save. The parent kills it at random moments.
 */
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';

const folder = process.argv[2] ?? '';
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

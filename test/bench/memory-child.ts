/**
 * Memory of one unlocked vault, measured in a process of its own (run by the bench): the
 * process's RSS with the core loaded, after unlock (checks finished), and after a save, with
 * the garbage collector run before each reading. Prints JSON.
 *   node --expose-gc --import tsx test/bench/memory-child.ts <folder> <passphrase> [production|test]
 * The vault is opened with PRODUCTION_CONFIG, or with the test KDF's configuration when the
 * bench was asked for it by a test (test/helpers/vault.ts).
 */
import { loadSqlJs } from '../../electron/db/engine';
import { PRODUCTION_CONFIG, Vault } from '../../electron/vault/vault';

const [folder, passphrase, configName = 'production'] = process.argv.slice(2);
if (configName !== 'production' && configName !== 'test') {
  throw new Error(`unknown configuration ${configName}`);
}
const config =
  configName === 'test' ? (await import('../helpers/vault')).TEST_CONFIG : PRODUCTION_CONFIG;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = () => {
  gc();
  return process.memoryUsage().rss;
};
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
await loadSqlJs();
const baseline = rss();
const vault = await Vault.open(folder!, { passphrase: passphrase! }, config);
await vault.checksDone();
const unlocked = rss();
await vault.change(
  { action: 'bench', entityType: 'vault_meta', entityId: 'm', changes: {} },
  (db) => db.run("INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('memory', 'x')"),
);
await vault.save();
const saved = rss();
clearInterval(sampler);
await vault.close({ discard: true });
process.stdout.write(`${JSON.stringify({ baseline, unlocked, saved, peak })}\n`);

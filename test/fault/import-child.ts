/**
 * Child of the import kill test: opens the receiving vault and imports a package, killing
 * itself (SIGKILL, as a power cut would) at a named point: after the n-th evidence file was
 * sealed into the store (`blob:<n>`), or when the import's vault is about to be saved
 * (`save`). `none` lets the import finish.
 */
import { createServices } from '../../electron/services';
import { BlobStore } from '../../electron/vault/blobs';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';

const [folder = '', file = '', mode = 'none'] = process.argv.slice(2);
const die = () => process.kill(process.pid, 'SIGKILL');

if (mode.startsWith('blob:')) {
  const after = Number(mode.slice(5));
  const put = Object.getOwnPropertyDescriptor(BlobStore.prototype, 'put')!
    .value as BlobStore['put'];
  let sealed = 0;
  BlobStore.prototype.put = async function (this: BlobStore, ...args: Parameters<typeof put>) {
    const blob = await put.apply(this, args);
    if (++sealed === after) {
      die();
    }
    return blob;
  };
}
if (mode === 'save') {
  Vault.prototype.save = () => {
    die();
    return Promise.resolve();
  };
}

const vault = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
await createServices(() => vault).exchange.importPackage(file);
process.stdout.write('imported\n');
await vault.close();

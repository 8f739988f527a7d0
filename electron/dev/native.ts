/**
 * Builds the native PKCS#11 binding (pkcs11js, Node-API: one build serves Node and Electron)
 * where it is not built yet. The project sets ignore-scripts, so `npm ci` never compiles it;
 * this step does, offline, with node-gyp against the headers of the Node that runs it.
 *   tsx electron/dev/native.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('pkcs11js/package.json'));
const binary = join(pkgDir, 'build', 'Release', 'pkcs11.node');

if (existsSync(binary)) {
  process.exit(0);
}
// Node's own headers (as Debian and the official tarballs install them) avoid a download.
const env = { ...process.env };
const prefix = resolve(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = prefix;
}
process.stdout.write('native: building the PKCS#11 binding (pkcs11js)…\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['rebuild', 'pkcs11js', '--ignore-scripts=false'], {
  stdio: 'inherit',
  env,
});
if (result.status !== 0 || !existsSync(binary)) {
  process.stderr.write(
    'native: the PKCS#11 binding could not be built (needs python3, make, g++ and Node headers).\n',
  );
  process.exit(1);
}

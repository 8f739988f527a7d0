/**
 * `npm start`: build, then launch the Electron app. When the Electron runtime is missing it is
 * fetched first with Electron's own installer (which honours ELECTRON_MIRROR, and
 * ELECTRON_OVERRIDE_DIST_PATH for an unpacked runtime on an air-gapped machine). Where no
 * runtime can be had, say so in one paragraph and serve the browser preview instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(command: string, args: string[], timeoutMs?: number): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', timeout: timeoutMs });
  return result.status ?? 1;
}

/** Path of the Electron executable if the runtime is installed, else null. */
export function electronBinary(): string | null {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(candidate) ? candidate : null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return null;
  }
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

// Smart cards need the native PKCS#11 binding; without it the app runs and says tokens are unavailable.
if (run(tsx, ['electron/dev/native.ts']) !== 0) {
  process.stderr.write('npm start: continuing without smart-card (PKCS#11) support.\n');
}

if (run(tsx, ['electron/dev/build.ts']) !== 0) {
  process.stderr.write('npm start: the build failed; see the messages above.\n');
  process.exit(1);
}

let binary = electronBinary();
if (binary === null) {
  process.stdout.write(
    "npm start: the Electron runtime is not installed; fetching it with Electron's installer…\n",
  );
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const install = spawnSync(process.execPath, [join(pkgDir, 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  binary = electronBinary();
  if (binary === null) {
    const reason =
      `${install.stderr}${install.stdout}`.split('\n').find((l) => l.trim() !== '') ?? 'no output';
    process.stdout.write(`npm start: the installer did not succeed (${reason.trim()}).\n`);
  }
}

if (binary !== null) {
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(
    '\nThe Electron runtime is not available on this machine: it is not installed and could not be ' +
      'downloaded (no network, or the download was refused). To run the desktop application, install ' +
      'the runtime from a mirror (set ELECTRON_MIRROR) or point ELECTRON_OVERRIDE_DIST_PATH at an ' +
      'unpacked Electron 41 runtime and run `npm start` again. Meanwhile the same interface and the ' +
      'same application core are served as a browser preview on 127.0.0.1 only, behind a random ' +
      'token: open the URL below in a local browser. The preview is a development and test tool, ' +
      'not the packaged application.\n\n',
  );
  const child = spawn(tsx, ['electron/preview/serve.ts'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/**
 * Before any test runs: the system tools the tests use, each with the Debian package that
 * provides it. A missing one stops `npm test` at once with one line saying what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS: [command: string, pkg: string][] = [
  [process.env.CHROMIUM_PATH ?? 'chromium', 'chromium'],
  ['pdfsig', 'poppler-utils'],
  ['pdftotext', 'poppler-utils'],
  ['pdftoppm', 'poppler-utils'],
  ['pk12util', 'libnss3-tools'],
  ['modutil', 'libnss3-tools'],
  ['qpdf', 'qpdf'],
  ['certutil', 'libnss3-tools'],
  ['crlutil', 'libnss3-tools'],
  ['openssl', 'openssl'],
  ['softhsm2-util', 'softhsm2'],
  ['pkcs11-tool', 'opensc'],
  // The documented openssl walk-through of a package (docs/package-format.md) is run as written.
  ['jq', 'jq'],
  ['tar', 'tar'],
];
const FILES: [path: string, pkg: string][] = [
  ['/usr/lib/softhsm/libsofthsm2.so', 'softhsm2'],
  // OpenSSL signing with a key on a PKCS#11 token: the interoperability table's other signer.
  ['/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so', 'libengine-pkcs11-openssl'],
];

const found = (command: string) =>
  command.includes('/')
    ? existsSync(command)
    : spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const missing = [
  ...TOOLS.filter(([command]) => !found(command)),
  ...FILES.filter(([path]) => !existsSync(path)),
];
if (missing.length) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  process.stderr.write(
    `npm test: missing ${missing.map(([c]) => c).join(', ')}: install them first with\n` +
      `  sudo apt-get install -y ${packages.join(' ')}\n`,
  );
  process.exit(1);
}

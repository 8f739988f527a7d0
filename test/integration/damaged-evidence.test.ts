/**
 * Unreadable evidence anywhere gives a typed error naming the evidence item: a flipped byte, a
 * folder or a FIFO in place of the file. The package export leaves no partial file and the
 * vault as it was; the command line prints its `error: CODE` line and releases the vault.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { createServices, type VaultServices } from '../../electron/services';
import { x509 } from '../../electron/signing/x509';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { answerAll } from '../helpers/parties';
import { issue } from '../helpers/pki';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';

const folder = tempFolder('awb-damaged-');
const vaultFolder = join(folder.path, 'vault');
let vault: Vault;
let services: VaultServices;
let caseId: string;
let identityId: string;
let evidenceId: string;
let blobPath: string;
let pristine: Buffer;

beforeAll(async () => {
  ({ vault } = await Vault.create(
    vaultFolder,
    PASSPHRASE,
    { ...PROFILE, role: 'system_owner' },
    TEST_CONFIG,
  ));
  services = createServices(() => vault);
  identityId = await services.signing.createSelfSigned({
    label: 'Olga',
    commonName: 'Olga Owner',
    organisation: 'Owner',
  });
  // The authority's encryption certificate, so a submission has somewhere to go.
  const recipient = await issue({
    name: 'CN=Authority Encryption',
    usages: x509.KeyUsageFlags.keyEncipherment,
  });
  await services.signing.trust(recipient.pem, 'authority', fingerprintsOf(recipient.pem));
  const systemId = await services.register.createSystem({
    ref: 'SYS-D',
    name: 'Skadenet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 3,
    minClearance: 'RESTRICTED',
  });
  caseId = await services.cases.createCase({ systemId, type: 'initial' });
  const blob = await vault.blobs.put(
    (async function* () {
      yield Buffer.alloc(200_000, 7);
    })(),
  );
  evidenceId = await services.cases.addEvidence(
    caseId,
    { ...blob, name: 'secops.pdf' },
    { type: 'secops_user', title: 'SecOPs for users', version: '1.0', requirementIds: [] },
  );
  await answerAll(services, caseId);
  await services.cases.transition(caseId, 'submitted', 'Complete');
  await vault.save();
  blobPath = vault.blobs.pathOf(blob.address);
  pristine = readFileSync(blobPath);
});

afterAll(async () => {
  await vault.close({ discard: true }).catch(() => undefined);
  folder.cleanup();
});

function restore(): void {
  rmSync(blobPath, { recursive: true, force: true });
  writeFileSync(blobPath, pristine);
}

const damages: [string, () => void][] = [
  [
    'a flipped byte',
    () => {
      const bytes = Buffer.from(pristine);
      bytes[5000] = (bytes[5000] ?? 0) ^ 1;
      writeFileSync(blobPath, bytes);
    },
  ],
  [
    'a folder in place of the file',
    () => {
      rmSync(blobPath);
      mkdirSync(blobPath);
    },
  ],
  [
    'a FIFO in place of the file',
    () => {
      rmSync(blobPath);
      execFileSync('mkfifo', [blobPath]);
    },
  ],
];

describe('damaged evidence', () => {
  for (const [name, damage] of damages) {
    it(`${name}: the package export fails naming the item, leaves no file and the vault as it was`, async () => {
      damage();
      try {
        const out = join(folder.path, `package-${name.replace(/\W+/g, '-')}`);
        const audit = vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0];
        await expect(
          services.exchange.exportPackage('submission', caseId, out, { identityId }),
        ).rejects.toMatchObject({
          code: 'BLOB_CORRUPTED',
          details: { evidenceId, evidence: 'SecOPs for users' },
        });
        expect(readdirSync(out)).toEqual([]);
        expect(vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]).toBe(
          audit,
        );
        expect(services.exchange.exchangeLog()).toEqual([]);
        // The preview names it the same way.
        await expect(services.cases.evidenceContent(evidenceId)).rejects.toMatchObject({
          code: 'BLOB_CORRUPTED',
          details: { evidence: 'SecOPs for users' },
        });
      } finally {
        restore();
      }
    });
  }

  it('on the command line: an error line, no partial package, and the vault can be opened again', async () => {
    const caseRef = services.cases.getCase(caseId).ref;
    await vault.close();
    const bytes = Buffer.from(pristine);
    bytes[9000] = (bytes[9000] ?? 0) ^ 1;
    writeFileSync(blobPath, bytes);
    writeFileSync(join(folder.path, 'pass'), PASSPHRASE);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      [
        'export',
        'package',
        '--kind',
        'submission',
        '--vault',
        vaultFolder,
        '--passphrase-file',
        join(folder.path, 'pass'),
        '--case',
        caseRef,
        '--out',
        join(folder.path, 'cli-out'),
      ],
      { out: (t) => out.push(t), err: (t) => err.push(t), config: TEST_CONFIG, cwd: folder.path },
    );
    expect(code).toBe(1);
    expect(err.join('')).toContain('error: BLOB_CORRUPTED');
    expect(readdirSync(join(folder.path, 'cli-out'))).toEqual([]);
    expect(readdirSync(folder.path).filter((f) => f.includes('.tmp'))).toEqual([]);
    restore();
    // The lock was released: the vault opens at once.
    vault = await Vault.open(vaultFolder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    services = createServices(() => vault);
  });
});

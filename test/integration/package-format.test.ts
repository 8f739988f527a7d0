/**
 * The package format as standard tools see it (electron/exchange/package.ts): what it writes
 * opens with openssl and tar alone (the worked example of docs/package-format.md, run as
 * written, also on packages the application wrote from real vaults), and the outside shows the
 * marking and nothing of the content. What the format reads and refuses is
 * `package-rules.test.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENVELOPE_FILE,
  MARKING_FILE,
  markingText,
  packageFileName,
  readPackage,
} from '../../electron/exchange/package';
import { projectRoot } from '../helpers/context';
import { createServices } from '../../electron/services';
import { readCertificate, type x509 } from '../../electron/signing/x509';
import { PRODUCTION_CONFIG, Vault } from '../../electron/vault/vault';
import { accept, evidence, usePackageParties } from '../helpers/package-fixture';
import { craftPackage, relabel, remark, repack, sha256 } from '../helpers/packages';
import { answerAll, introduce, makeParty, type Party as VaultParty } from '../helpers/parties';
import { PASSPHRASE } from '../helpers/vault';

const { work, parties: p, written } = usePackageParties('awb-package-format-');

/**
 * A shell block of docs/package-format.md exactly as printed there, between its
 * `<!-- name:start -->` and `<!-- name:end -->` markers (less the indentation of a list item).
 */
function docBlock(name: string): string {
  const doc = readFileSync(join(projectRoot, 'docs', 'package-format.md'), 'utf8');
  const block = new RegExp(
    `<!-- ${name}:start -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`,
  ).exec(doc);
  if (!block?.[1]) {
    throw new Error(`docs/package-format.md has no ${name} block`);
  }
  const lines = block[1].split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Runs the documented check-package.sh on `file` in a fresh folder holding key.pem and sender.pem. */
function checkPackage(dir: string, file: string, keyPem: string, senderPem: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'check-package.sh'), docBlock('worked-example'));
  writeFileSync(join(dir, 'key.pem'), keyPem);
  writeFileSync(join(dir, 'sender.pem'), senderPem);
  return spawnSync('bash', ['check-package.sh', file], { cwd: dir, encoding: 'utf8' });
}

describe('standard tools open a package', () => {
  for (const [label, recipient] of [
    ['RSA-OAEP', () => p.rsaRecipient],
    ['ECDH', () => p.ecRecipient],
  ] as const) {
    it(`the documented script decrypts, verifies and checks it (${label} recipient)`, async () => {
      const { file, digest } = await written(`example-${label}.awbpkg`, recipient());
      const dir = join(work.path, `example-${label}`);
      const keyPem = `${createPrivateKey({ key: recipient().key, format: 'der', type: 'pkcs8' })
        .export({ type: 'pkcs8', format: 'pem' })
        .toString()}${recipient().pem}`;
      const run = checkPackage(dir, file, keyPem, p.root.pem);
      expect(run.stderr).toContain('CMS Verification successful');
      expect(run.status, run.stderr).toBe(0);
      // The signer, by name and as the vault names certificates.
      expect(run.stdout).toMatch(/^signer: subject=.*CN=Sender Person/m);
      expect(run.stdout).toContain(`signer SHA-256: ${sha256(p.sender.der)}`);
      expect(run.stdout).toContain('marking: NATO RESTRICTED');
      expect(run.stdout).toContain('parts/evidence-0001: OK');
      expect(run.stdout).toContain('parts/submission.json: OK');
      // What openssl decrypted is what we meant to send, and the manifest is the one logged.
      expect(readFileSync(join(dir, 'content', 'parts', 'evidence-0001')).equals(evidence)).toBe(
        true,
      );
      expect(sha256(readFileSync(join(dir, 'content', 'manifest.json')))).toBe(digest);
    });
  }

  it('a signature over other bytes fails openssl too', async () => {
    const { file } = await written('tampered-for-openssl.awbpkg', p.rsaRecipient);
    const dir = join(work.path, 'openssl-tampered');
    mkdirSync(dir);
    execFileSync('tar', ['-xf', file, '-C', dir]);
    const keyPem = createPrivateKey({ key: p.rsaRecipient.key, format: 'der', type: 'pkcs8' })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(join(dir, 'k.pem'), keyPem);
    writeFileSync(join(dir, 'c.pem'), p.rsaRecipient.pem);
    writeFileSync(join(dir, 'ca.pem'), p.root.pem);
    execFileSync('openssl', [
      ...['cms', '-decrypt', '-inform', 'DER', '-in', join(dir, ENVELOPE_FILE)],
      ...['-recip', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-out', join(dir, 'c.tar')],
    ]);
    execFileSync('tar', ['-xf', join(dir, 'c.tar'), '-C', dir]);
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), manifest.replace('"sequence": 1', '"sequence": 9'));
    const verify = spawnSync(
      'openssl',
      [
        ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'manifest.p7s')],
        ...['-content', join(dir, 'manifest.json'), '-CAfile', join(dir, 'ca.pem')],
        ...['-out', '/dev/null'],
      ],
      { encoding: 'utf8' },
    );
    expect(verify.status).not.toBe(0);
  });

  it('the outside shows the marking and nothing of the content', async () => {
    const { file, manifest } = await written('outside.awbpkg', p.rsaRecipient);
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toHaveLength(2);
    expect(listing).toContain(MARKING_FILE);
    expect(listing).toContain(ENVELOPE_FILE);
    const bytes = readFileSync(file);
    // Part names, the sender and the content stay inside the encryption.
    for (const secret of ['evidence-0001', 'submission.json', 'Sender Person', 'Owner Org']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
    expect(bytes.includes(evidence.subarray(1000, 1064))).toBe(false);
    expect(packageFileName(manifest)).toBe(
      'NATO-RESTRICTED--ACME-CASE-2026-0001--submission--0001.awbpkg',
    );
    // MARKING.txt is exactly what the signed manifest says (the reader compares all of it).
    const outside = execFileSync('tar', ['-xOf', file, MARKING_FILE], { encoding: 'utf8' });
    expect(outside).toBe(markingText(manifest));
  });
});

describe('the walk-through as a user runs it, on packages the application wrote', () => {
  const walk = () => join(work.path, 'walk');
  let owner: VaultParty;
  let authorityFolder = '';
  let authorityKeys: ReturnType<VaultParty['services']['signing']['decryptionKeys']> = [];
  let encryptionLabel = '';
  let authorityEncryption: x509.X509Certificate;
  let senderPem = '';
  let genuine = '';
  let keyPem = '';

  beforeAll(async () => {
    mkdirSync(walk(), { recursive: true });
    // The authority's vault is a real one (the command line opens it with the shipped KDF).
    const authority = await makeParty(
      walk(),
      'authority',
      { name: 'authority person', organisation: 'authority org', role: 'accreditor' },
      { config: PRODUCTION_CONFIG },
    );
    owner = await makeParty(
      walk(),
      'owner',
      { name: 'owner person', organisation: 'owner org', role: 'system_owner' },
      { encryption: 'ec-p256' },
    );
    await introduce(owner, authority);
    const o = owner.services;
    const systemId = await o.register.createSystem({
      ref: 'WALK-SYS-1',
      name: 'Walk net',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      userCount: 4,
      minClearance: 'SECRET',
    });
    const caseId = await o.cases.createCase({ systemId, type: 'initial' });
    await answerAll(o, caseId);
    await o.cases.transition(caseId, 'submitted', 'Complete');
    genuine = (
      await o.exchange.exportPackage('submission', caseId, walk(), { identityId: owner.signingId })
    ).file;
    senderPem = o.signing.exchangeCertificates(owner.signingId);
    encryptionLabel = authority.services.signing.identity(authority.encryptionId).label;
    authorityEncryption = readCertificate(
      authority.services.signing.certificatePem(authority.encryptionId),
    )!;
    authorityKeys = authority.services.signing.decryptionKeys();
    authorityFolder = authority.vault.folder;
    await authority.vault.save();
    await authority.vault.close();
  }, 120_000);

  afterAll(async () => {
    await owner.vault.close({ discard: true });
  });

  it('exports the encryption key as documented: typed label, a warning, an audit row', async () => {
    const dir = join(walk(), 'export');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pass.txt'), PASSPHRASE);
    const awb = `awb() { "${join(projectRoot, 'node_modules', '.bin', 'tsx')}" "${join(projectRoot, 'electron', 'cli', 'index.ts')}" "$@"; }`;
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', `${awb}\n${docBlock('export-key')}`], {
      cwd: dir,
      env: {
        ...process.env,
        IDENTITY: encryptionLabel,
        VAULT: authorityFolder,
        PASSPHRASE_FILE: join(dir, 'pass.txt'),
      },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: key.pem holds the private key');
    expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    expect(keyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(keyPem).toContain('-----BEGIN CERTIFICATE-----');
    const vault = await Vault.open(authorityFolder, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG);
    try {
      const row = vault.database.exec(
        "SELECT actor_name, entity_id, changes FROM audit_log WHERE action = 'identity.keyExported'",
      )[0]?.values;
      expect(row).toHaveLength(1);
      expect(JSON.parse(String(row![0]![2]))).toMatchObject({
        label: encryptionLabel,
        fingerprint: sha256(Buffer.from(authorityEncryption.rawData)),
      });
    } finally {
      await vault.close({ discard: true });
    }
  }, 120_000);

  it('checks the genuine package and prints its signer; the PKCS#12 route gives the same key', () => {
    const run = checkPackage(join(walk(), 'genuine'), genuine, keyPem, senderPem);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^signer: subject=.*CN=owner person/m);
    expect(run.stdout).toContain(
      `signer SHA-256: ${owner.services.signing.identity(owner.signingId).fingerprint}`,
    );
    expect(run.stdout).toContain('marking: NATO SECRET');
    expect(run.stdout).toMatch(/parts\/submission\.json: OK/);

    // The organisation's PKCS#12 of the same identity, opened as documented.
    const dir = join(walk(), 'pkcs12');
    mkdirSync(dir);
    writeFileSync(join(dir, 'exported.pem'), keyPem);
    writeFileSync(join(dir, 'p12-password.txt'), 'p12 password\n');
    execFileSync(
      'openssl',
      [
        ...['pkcs12', '-export', '-in', 'exported.pem', '-inkey', 'exported.pem'],
        ...['-passout', 'file:p12-password.txt', '-out', 'encryption.p12'],
      ],
      { cwd: dir },
    );
    const extracted = spawnSync('bash', ['-euo', 'pipefail', '-c', docBlock('pkcs12')], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(extracted.status, extracted.stderr).toBe(0);
    const again = checkPackage(
      join(walk(), 'genuine-p12'),
      genuine,
      readFileSync(join(dir, 'key.pem'), 'utf8'),
      senderPem,
    );
    expect(again.status, again.stderr).toBe(0);
  });

  it('fails where the application refuses: an unlisted entry, a relabelled marking, another recipient', async () => {
    const forged = (name: string) => join(walk(), `${name}.awbpkg`);
    const ownerSigner = owner.services.signing.signer(owner.signingId);
    // An entry appended to the outer tar.
    const appended = forged('appended');
    execFileSync('cp', [genuine, appended]);
    writeFileSync(join(walk(), 'README'), 'not listed');
    execFileSync('tar', ['-rf', appended, '-C', walk(), 'README']);
    // An entry inside, after the parts the signed manifest lists.
    const inner = forged('inner-entry');
    const read = await readPackage(genuine, { keys: authorityKeys, authorize: accept });
    await craftPackage(inner, {
      recipient: authorityEncryption,
      signer: ownerSigner,
      manifest: Buffer.from(JSON.stringify(read.manifest, null, 2)),
      inner: [
        ...read.manifest.parts.map((p) => ({ name: p.path, data: read.buffered.get(p.path)! })),
        { name: 'parts/extra', data: Buffer.from('not listed') },
      ],
    });
    // MARKING.txt relabelled: its first line, or only its second.
    const first = forged('relabelled-first');
    await remark(genuine, first, 'NATO RESTRICTED');
    const second = forged('relabelled-second');
    await relabel(genuine, second, (text) => {
      const lines = text.split('\n');
      lines[1] = 'Downgraded: handle as NATO UNCLASSIFIED';
      return lines.join('\n');
    });
    // For another recipient: encrypted to someone else, or naming someone else while
    // encrypted to this one (a package passed on).
    const elsewhere = forged('elsewhere');
    await repack(genuine, elsewhere, {
      keys: authorityKeys,
      signer: ownerSigner,
      recipient: p.stranger.cert,
    });
    const passedOn = forged('passed-on');
    await repack(genuine, passedOn, {
      keys: authorityKeys,
      signer: ownerSigner,
      recipient: authorityEncryption,
      manifest: (m) => ({ ...m, recipient: sha256(Buffer.from(p.stranger.cert.rawData)) }),
    });
    const table: [string, string, string, string][] = [
      ['appended', appended, 'holds an entry besides MARKING.txt', 'UNLISTED_ENTRY'],
      ['inner-entry', inner, 'an entry the manifest does not list', 'UNLISTED_ENTRY'],
      ['relabelled-first', first, 'MARKING.txt is not the signed marking', 'MARKING_MISMATCH'],
      ['relabelled-second', second, 'MARKING.txt is not the signed marking', 'MARKING_MISMATCH'],
      ['elsewhere', elsewhere, 'not encrypted to your key', 'WRONG_RECIPIENT'],
      ['passed-on', passedOn, 'names another recipient', 'WRONG_RECIPIENT'],
    ];
    const vault = await Vault.open(authorityFolder, { passphrase: PASSPHRASE }, PRODUCTION_CONFIG);
    try {
      const services = createServices(() => vault);
      expect(await services.exchange.verifyPackage(genuine)).toMatchObject({ valid: true });
      for (const [name, file, says, reason] of table) {
        const run = checkPackage(join(walk(), `check-${name}`), file, keyPem, senderPem);
        expect(run.status, `${name}: ${run.stdout}`).not.toBe(0);
        expect(run.stderr, name).toContain(`REFUSED: `);
        expect(run.stderr, name).toContain(says);
        // And the application refuses it too, for the same fault.
        expect(await services.exchange.verifyPackage(file), name).toMatchObject({
          valid: false,
          reason,
        });
      }
    } finally {
      await vault.close({ discard: true });
    }
  }, 120_000);
});

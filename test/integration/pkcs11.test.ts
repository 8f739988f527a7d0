/**
 * Identities on a token (PKCS#11), with SoftHSM2 standing in for a smart card: the test makes
 * its own token, non-extractable RSA and EC keys on it and certificates for them from a test
 * CA, then signs a four-eyes decision with both keys through the app's services. pdfsig must
 * call both signatures valid; the PIN must never reach the vault.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import { Pkcs11Token } from '../../electron/signing/pkcs11';
import { derOf, readCertificate, x509 } from '../../electron/signing/x509';
import { Vault } from '../../electron/vault/vault';
import { addMonths } from '../../shared/risk';
import { today } from '../../electron/services/clock';
import { tempFolder } from '../helpers/context';
import { crl, issue, nssStore, pdfsigAccepts, pdfsigReport, type Party } from '../helpers/pki';
import { judgeAll, toDecisionPending } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '739154';
let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;
let root: Party;

function tool(...args: string[]): string {
  return execFileSync('pkcs11-tool', ['--module', MODULE, ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

/** A key pair made on the token (never extractable), and a certificate for it from the test CA. */
async function tokenKey(id: string, keyType: string, name: string): Promise<void> {
  tool('--login', '--pin', PIN, '--keypairgen', '--key-type', keyType, '--id', id, '--label', name);
  const spki = join(folder.path, `${id}.spki`);
  tool('--read-object', '--type', 'pubkey', '--id', id, '-o', spki);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `0a${id}`,
    subject: `CN=${name}, O=Authority, C=DK`,
    issuer: root.cert.subjectName,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    publicKey: new Uint8Array(readFileSync(spki)),
    signingKey: root.signingKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
    ],
  });
  const der = join(folder.path, `${id}.crt`);
  writeFileSync(der, derOf(cert));
  tool(
    '--login',
    '--pin',
    PIN,
    '--write-object',
    der,
    '--type',
    'cert',
    '--id',
    id,
    '--label',
    name,
  );
}

beforeAll(async () => {
  if (!existsSync(MODULE)) {
    throw new Error(
      `SoftHSM2 is missing (${MODULE}): install the Debian packages softhsm2 and opensc`,
    );
  }
  folder = tempFolder('awb-pkcs11-');
  const tokens = join(folder.path, 'tokens');
  mkdirSync(tokens);
  const conf = join(folder.path, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  // SoftHSM reads its configuration when the module initialises, in this process and in the tools.
  process.env.SOFTHSM2_CONF = conf;
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', 'awb-card', '--pin', PIN, '--so-pin', '24681357'],
    {
      stdio: 'pipe',
    },
  );
  root = await issue({ name: 'CN=Token Test Root, O=Authority, C=DK', ca: true });
  await tokenKey('01', 'rsa:2048', 'Anne on card');
  await tokenKey('02', 'EC:prime256v1', 'Bo on card');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault, {}, { pkcs11Module: () => MODULE });
  // The authority's CA: both accreditors' cards chain to it (four eyes needs an authority), and
  // its current CRL (a countersigner whose revocation is not known is not trusted).
  await services.signing.trust(root.pem, 'authority', fingerprintsOf(root.pem));
  await services.signing.addCrl(Buffer.from((await crl(root, [])).rawData));
});

afterAll(async () => {
  Pkcs11Token.closeAll();
  await vault?.close({ discard: true });
  folder?.cleanup();
});

describe('identities on a PKCS#11 token', () => {
  it('lists the certificates on the token and refuses to run without a module', () => {
    const listed = services.signing.tokenCertificates();
    expect(listed.map((c) => [c.label, c.keyId, c.tokenLabel])).toEqual([
      ['Anne on card', '01', 'awb-card'],
      ['Bo on card', '02', 'awb-card'],
    ]);
    const none = createServices(() => vault, {}, { pkcs11Module: () => null });
    expect(() => none.signing.tokenCertificates()).toThrow(
      expect.objectContaining({ code: 'PKCS11_UNAVAILABLE' }),
    );
    const wrong = createServices(
      () => vault,
      {},
      { pkcs11Module: () => join(folder.path, 'nope.so') },
    );
    expect(() => wrong.signing.tokenCertificates()).toThrow(
      expect.objectContaining({ code: 'PKCS11_UNAVAILABLE' }),
    );
  });

  it('signs a four-eyes decision with an RSA and an EC key that never leave the token; pdfsig says both are valid', async () => {
    const [anne, bo] = services.signing.tokenCertificates();
    const anneId = await services.signing.addTokenIdentity({
      fingerprint: anne!.fingerprint,
      label: 'Anne (card)',
    });
    const boId = await services.signing.addTokenIdentity({
      fingerprint: bo!.fingerprint,
      label: 'Bo (card)',
    });
    expect(services.signing.identities().map((i) => [i.kind, i.token, i.algorithm])).toEqual([
      ['pkcs11', 'awb-card', 'RSA 2048'],
      ['pkcs11', 'awb-card', 'EC P-256'],
    ]);
    const systemId = await services.register.createSystem({
      ref: 'SYS-HSM',
      name: 'Kortnet',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      userCount: 10,
      minClearance: 'SECRET',
    });
    const caseId = await services.cases.createCase({ systemId, type: 'initial' });
    for (const item of services.cases.getCase(caseId).items) {
      await services.cases.updateItem(caseId, item.requirementId, {
        status: 'compliant',
        statement: 'Met.',
      });
    }
    for (const to of ['submitted', 'intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(services, caseId);
      }
      await services.cases.transition(caseId, to, `to ${to}`);
    }
    const decision = {
      type: 'full_approval' as const,
      identityId: anneId,
      reason: 'All requirements met.',
      validTo: addMonths(today(), 12),
    };
    const audit = () =>
      Number(vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]);
    const before = audit();
    await expect(
      services.decisions.issueDecision(caseId, { ...decision, pin: '000000' }),
    ).rejects.toMatchObject({
      code: 'WRONG_PIN',
    });
    // No PIN is a problem on the PIN field, not a token error (nor a raw one).
    await expect(services.decisions.issueDecision(caseId, decision)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: ['pin'] })] },
    });
    await expect(
      services.decisions.issueDecision(caseId, { ...decision, pin: '' }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['pin'] })] });
    expect(audit()).toBe(before);
    expect(services.decisions.decision(caseId)).toBeNull();

    const issued = await services.decisions.issueDecision(caseId, { ...decision, pin: PIN });
    expect(issued.status).toBe('awaiting_countersignature');
    await services.decisions.countersign(caseId, {
      identityId: boId,
      pin: PIN,
      reason: 'Four eyes.',
    });
    expect(services.cases.getCase(caseId).state).toBe('decided');

    const pdf = await services.decisions.decisionPdf(caseId);
    const file = join(folder.path, 'decision.pdf');
    writeFileSync(file, pdf);
    const report = pdfsigReport(
      spawnSync('pdfsig', ['-nssdir', nssStore(join(folder.path, 'nss'), root.pem), file], {
        encoding: 'utf8',
      }).stdout,
    );
    expect(report).toHaveLength(2);
    expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(true);
    const verified = await services.signing.verify(pdf);
    expect(verified.valid).toBe(true);
    expect(verified.signatures.map((s) => s.signer?.subject)).toEqual([
      readCertificate(services.signing.certificatePem(anneId))!.subject,
      readCertificate(services.signing.certificatePem(boId))!.subject,
    ]);
    // The PIN is nowhere in the vault: not in the audit trail, not in the identities.
    expect(Buffer.from(vault.database.export()).includes(Buffer.from(PIN))).toBe(false);
  });
});

/** A key pair made on the token under `id`, and a certificate for another (software) key under the same id. */
async function mismatchedKey(id: string, name: string): Promise<x509.X509Certificate> {
  tool('--login', '--pin', PIN, '--keypairgen', '--key-type', 'EC:prime256v1', '--id', id);
  // The same kind of key (EC P-256), so only the signature itself can tell them apart.
  const other = await issue({
    name: `CN=${name}, O=Authority, C=DK`,
    issuer: root,
    algorithm: 'ec-p256',
  });
  const der = join(folder.path, `${id}-other.crt`);
  writeFileSync(der, other.der);
  tool(
    '--login',
    '--pin',
    PIN,
    '--write-object',
    der,
    '--type',
    'cert',
    '--id',
    id,
    '--label',
    name,
  );
  return other.cert;
}

describe('a token whose certificate does not match its key, and a token taken out', () => {
  const audit = () =>
    Number(vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]);
  const blobs = () => readdirSync(join(folder.path, 'v', 'blobs'), { recursive: true }).length;

  it('is refused when registered (the public key beside the certificate is another key)', async () => {
    const cert = await mismatchedKey('03', 'Cy mismatched');
    const listed = services.signing.tokenCertificates().find((c) => c.subject === cert.subject)!;
    const before = audit();
    await expect(
      services.signing.addTokenIdentity({ fingerprint: listed.fingerprint, label: 'Cy (card)' }),
    ).rejects.toMatchObject({ code: 'TOKEN_KEY_MISMATCH' });
    expect(audit()).toBe(before);
  });

  it('is refused at signing when the token keeps no public key to compare: nothing is stored', async () => {
    const cert = await mismatchedKey('04', 'Di mismatched');
    // Without the public key object, registration cannot tell; the first signature does.
    tool('--login', '--pin', PIN, '--delete-object', '--type', 'pubkey', '--id', '04');
    const listed = services.signing.tokenCertificates().find((c) => c.subject === cert.subject)!;
    const diId = await services.signing.addTokenIdentity({
      fingerprint: listed.fingerprint,
      label: 'Di (card)',
    });
    const systemId = await services.register.createSystem({
      ref: 'SYS-HSM-2',
      name: 'Kortnet 2',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 10,
    });
    const caseId = await toDecisionPending(services, systemId);
    const before = { audit: audit(), blobs: blobs() };
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId: diId,
        reason: 'All requirements met.',
        pin: PIN,
      }),
    ).rejects.toMatchObject({ code: 'TOKEN_KEY_MISMATCH' });
    expect({ audit: audit(), blobs: blobs() }).toEqual(before);
    expect(services.decisions.decision(caseId)).toBeNull();
  });

  it('a token taken out says so, and signs again once it is put back, without a restart', async () => {
    const anne = services.signing.identities().find((i) => i.label === 'Anne (card)')!;
    const tokens = join(folder.path, 'tokens');
    const [dir] = readdirSync(tokens);
    renameSync(join(tokens, dir!), join(folder.path, 'token-aside'));
    try {
      await expect(
        services.signing.signer(anne.id, PIN).sign(Buffer.from('a letter')),
      ).rejects.toMatchObject({ code: 'TOKEN_NOT_PRESENT' });
      expect(services.signing.tokenCertificates()).toEqual([]);
    } finally {
      renameSync(join(folder.path, 'token-aside'), join(tokens, dir!));
    }
    const signature = await services.signing.signer(anne.id, PIN).sign(Buffer.from('a letter'));
    expect(signature.length).toBeGreaterThan(64);
    expect(services.signing.tokenCertificates().length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * Certificate paths, rule by rule, on certificates alone (no PDF): what the end certificate must
 * allow for each purpose (signatures, or encryption for packages), extended key usages, path
 * length constraints, and revocation — a CRL counts only when its issuer is the certificate's
 * issuer by name, may sign CRLs and signed it; an entry removed from the CRL is no revocation;
 * the newest CRL past its next update is stale. Each row asserts its own reason and detail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { validatePath, type PathInput } from '../../electron/signing/path';
import { x509 } from '../../electron/signing/x509';
import { crl, issue, type Party } from '../helpers/pki';

const DAY = 86_400_000;
let root: Party;
let rootCrl: x509.X509Crl;

beforeAll(async () => {
  root = await issue({ name: 'CN=Path Root, O=Authority, C=DK', ca: true });
  rootCrl = await crl(root, []);
});

/** A path from `signer` to the root, with the root's CRL unless `more` says otherwise. */
const validate = (signer: Party, more: Partial<PathInput> = {}) =>
  validatePath({
    signer: signer.cert,
    pool: [],
    anchors: [root.cert],
    crls: [rootCrl],
    now: new Date(),
    ...more,
  });

describe('what the end certificate allows', () => {
  it('encryption: keyEncipherment for RSA, keyAgreement for EC; a signing-only key is refused', async () => {
    const { KeyUsageFlags: K } = x509;
    const rsa = await issue({
      name: 'CN=Enc RSA',
      issuer: root,
      usages: K.keyEncipherment,
    });
    const ec = await issue({
      name: 'CN=Enc EC',
      issuer: root,
      algorithm: 'ec-p256',
      usages: K.keyAgreement,
    });
    const signingOnly = await issue({ name: 'CN=Signer', issuer: root });
    // An EC key that may only encipher: not what EC encryption uses.
    const ecWrong = await issue({
      name: 'CN=Enc EC wrong',
      issuer: root,
      algorithm: 'ec-p256',
      usages: K.keyEncipherment,
    });
    expect(await validate(rsa, { purpose: 'encryption' })).toMatchObject({ reason: null });
    expect(await validate(ec, { purpose: 'encryption' })).toMatchObject({ reason: null });
    for (const party of [signingOnly, ecWrong]) {
      expect(await validate(party, { purpose: 'encryption' })).toMatchObject({
        reason: 'KEY_USAGE',
        detail: 'the certificate does not allow encryption',
      });
    }
    // And the other way round: an encryption key signs nothing.
    expect(await validate(rsa)).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'the signer certificate does not allow digital signatures',
    });
    expect(await validate(signingOnly)).toMatchObject({ reason: null });
  });

  it('extended key usage: a document-signing purpose passes, one limited to others is refused', async () => {
    const docs = await issue({
      name: 'CN=Docs',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.36'],
    });
    const mail = await issue({
      name: 'CN=Mail',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.4'],
    });
    const tls = await issue({
      name: 'CN=TLS',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    });
    expect(await validate(docs)).toMatchObject({ reason: null });
    expect(await validate(mail)).toMatchObject({ reason: null });
    expect(await validate(tls)).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'the signer certificate is limited to other purposes',
    });
    // For encryption the extended usage is not what is judged.
    const tlsEnc = await issue({
      name: 'CN=TLS enc',
      issuer: root,
      usages: x509.KeyUsageFlags.keyEncipherment,
      extendedUsages: ['1.3.6.1.5.5.7.3.1'],
    });
    expect(await validate(tlsEnc, { purpose: 'encryption' })).toMatchObject({ reason: null });
  });
});

describe('path length', () => {
  it('a CA allowing no CA below it: a signer through one more CA is refused; directly, it passes', async () => {
    const strict = await issue({
      name: 'CN=Strict Root',
      ca: true,
      pathLength: 0,
    });
    const middle = await issue({ name: 'CN=Middle CA', ca: true, issuer: strict });
    const through = await issue({ name: 'CN=Through', issuer: middle });
    const direct = await issue({ name: 'CN=Direct', issuer: strict });
    const crls = [await crl(strict, []), await crl(middle, [])];
    const at = (signer: Party) =>
      validatePath({
        signer: signer.cert,
        pool: [middle.cert],
        anchors: [strict.cert],
        crls,
        now: new Date(),
      });
    expect(await at(through)).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'CN=Strict Root allows 0 CAs below it',
    });
    expect(await at(direct)).toMatchObject({ reason: null });
    // One CA below is what pathLen 1 allows.
    const loose = await issue({ name: 'CN=Loose Root', ca: true, pathLength: 1 });
    const mid = await issue({ name: 'CN=Loose Middle', ca: true, issuer: loose });
    const leaf = await issue({ name: 'CN=Loose Leaf', issuer: mid });
    expect(
      await validatePath({
        signer: leaf.cert,
        pool: [mid.cert],
        anchors: [loose.cert],
        crls: [await crl(loose, []), await crl(mid, [])],
        now: new Date(),
      }),
    ).toMatchObject({ reason: null, warnings: [] });
  });
});

describe('revocation', () => {
  let signer: Party;
  beforeAll(async () => {
    signer = await issue({ name: 'CN=Revocable', issuer: root });
  });

  it('a CRL of the issuer that lists the signer revokes it; one removed from the CRL does not', async () => {
    expect(await validate(signer, { crls: [await crl(root, [signer])] })).toMatchObject({
      reason: 'CERTIFICATE_REVOKED',
      detail: expect.stringMatching(/^CN=Revocable was revoked \d{4}-/) as unknown,
    });
    const removed = await x509.X509CrlGenerator.create({
      issuer: root.cert.subjectName,
      thisUpdate: new Date(Date.now() - DAY),
      nextUpdate: new Date(Date.now() + DAY),
      entries: [
        {
          serialNumber: signer.cert.serialNumber,
          revocationDate: new Date(Date.now() - DAY / 2),
          reason: x509.X509CrlReason.removeFromCRL,
        },
      ],
      signingKey: root.signingKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    });
    expect(await validate(signer, { crls: [removed] })).toMatchObject({
      reason: null,
      warnings: [],
    });
  });

  it('a CRL counts only from the issuer by name, allowed to sign CRLs, and signed by it', async () => {
    // Another CA's CRL listing the signer: not the issuer's, so it says nothing either way.
    const other = await issue({ name: 'CN=Other CA', ca: true });
    expect(await validate(signer, { crls: [await crl(other, [signer])] })).toMatchObject({
      reason: null,
      warnings: ['REVOCATION_UNCHECKED'],
    });
    // The issuer's name, another key: the signature does not verify.
    const lookalike = await issue({ name: 'CN=Path Root, O=Authority, C=DK', ca: true });
    expect(await validate(signer, { crls: [await crl(lookalike, [signer])] })).toMatchObject({
      reason: null,
      warnings: ['REVOCATION_UNCHECKED'],
    });
    // An issuer whose key usage does not include cRLSign: its CRLs say nothing.
    const noCrlSign = await issue({
      name: 'CN=No CRL Sign',
      ca: true,
      usages: x509.KeyUsageFlags.keyCertSign,
    });
    const below = await issue({ name: 'CN=Below', issuer: noCrlSign });
    expect(
      await validatePath({
        signer: below.cert,
        pool: [],
        anchors: [noCrlSign.cert],
        crls: [await crl(noCrlSign, [below])],
        now: new Date(),
      }),
    ).toMatchObject({ reason: null, warnings: ['REVOCATION_UNCHECKED'] });
  });

  it('the newest of the issuer’s CRLs decides staleness', async () => {
    const old = await crl(root, [], {
      thisUpdate: new Date(Date.now() - 40 * DAY),
      nextUpdate: new Date(Date.now() - 10 * DAY),
    });
    const fresh = await crl(root, [], {
      thisUpdate: new Date(Date.now() - DAY),
      nextUpdate: new Date(Date.now() + 10 * DAY),
    });
    expect(await validate(signer, { crls: [old] })).toMatchObject({
      reason: null,
      warnings: ['CRL_STALE'],
    });
    for (const crls of [
      [old, fresh],
      [fresh, old],
    ]) {
      expect(await validate(signer, { crls })).toMatchObject({ reason: null, warnings: [] });
    }
  });
});

/**
 * Certificate paths, rule by rule, on certificates alone (no PDF): what the end certificate must
 * allow for each purpose (signatures, or encryption for packages), extended key usages, path
 * length constraints, and revocation — a CRL counts only when its issuer is the certificate's
 * issuer by name, may sign CRLs and signed it; an entry removed from the CRL is no revocation;
 * the newest CRL past its next update is stale. Each row asserts its own reason and detail.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('extended key usage: emailProtection (alone or among others) passes, one limited to others is refused', async () => {
    const mail = await issue({
      name: 'CN=Mail',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.4'],
    });
    const mailAndDocs = await issue({
      name: 'CN=Mail and Docs',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36'],
    });
    const tls = await issue({
      name: 'CN=TLS',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    });
    // No extension at all: limited to nothing, as NSS takes it.
    expect(await validate(await issue({ name: 'CN=No EKU', issuer: root }))).toMatchObject({
      reason: null,
    });
    expect(await validate(mail)).toMatchObject({ reason: null });
    expect(await validate(mailAndDocs)).toMatchObject({ reason: null });
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

  // pdfsig (NSS, certificateUsageEmailSigner) refuses each of these signers: with the extension
  // present it requires emailProtection, and so do we.
  it.each([
    ['documentSigning (RFC 9336)', ['1.3.6.1.5.5.7.3.36']],
    ["Adobe's Authentic Documents", ['1.2.840.113583.1.1.5']],
    ["Microsoft's document signing", ['1.3.6.1.4.1.311.10.3.12']],
    ['anyExtendedKeyUsage alone', ['2.5.29.37.0']],
    ['clientAuth and anyExtendedKeyUsage', ['1.3.6.1.5.5.7.3.2', '2.5.29.37.0']],
  ])(
    'a signer whose extended key usage is %s, without emailProtection, is refused',
    async (_, extendedUsages) => {
      const signer = await issue({ name: 'CN=No Mail', issuer: root, extendedUsages });
      expect(await validate(signer)).toMatchObject({
        reason: 'KEY_USAGE',
        detail: 'the signer certificate is limited to other purposes',
      });
    },
  );
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
    // Two CAs below a root allowing one: refused.
    const deeper = await issue({ name: 'CN=Loose Deeper', ca: true, issuer: mid });
    const under = await issue({ name: 'CN=Loose Under', issuer: deeper });
    expect(
      await validatePath({
        signer: under.cert,
        pool: [mid.cert, deeper.cert],
        anchors: [loose.cert],
        crls: [],
        now: new Date(),
      }),
    ).toMatchObject({ reason: 'KEY_USAGE', detail: 'CN=Loose Root allows 1 CAs below it' });
  });
});

describe('revocation', () => {
  let signer: Party;
  beforeAll(async () => {
    signer = await issue({ name: 'CN=Revocable', issuer: root });
  });

  it('a CRL of the issuer that lists the signer revokes it, whatever the reason it gives', async () => {
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
    // removeFromCRL belongs in a delta CRL (never read): in a complete CRL, listed is revoked.
    expect(await validate(signer, { crls: [removed] })).toMatchObject({
      reason: 'CERTIFICATE_REVOKED',
    });
  });

  it('a signer trusted pinned is still revoked by its CA’s CRL when the store holds the CA too (round 20i)', async () => {
    const revoked = await crl(root, [signer]);
    const pinned = { anchors: [root.cert, signer.cert] };
    expect(await validate(signer, { ...pinned, crls: [revoked] })).toMatchObject({
      reason: 'CERTIFICATE_REVOKED',
      detail: expect.stringMatching(/^CN=Revocable was revoked \d{4}-/) as unknown,
      path: [{ subject: 'CN=Revocable' }],
    });
    // Not revoked, or nothing known of it: pinned is trusted, and says nothing more.
    expect(await validate(signer, { ...pinned, crls: [rootCrl] })).toMatchObject({
      reason: null,
      warnings: [],
      path: [{ subject: 'CN=Revocable' }],
    });
    expect(await validate(signer, { ...pinned, crls: [] })).toMatchObject({
      reason: null,
      warnings: [],
    });
    // Its CA not in the store: nothing checks the CRL, and pinned is pinned.
    expect(await validate(signer, { anchors: [signer.cert], crls: [revoked] })).toMatchObject({
      reason: null,
    });
  });

  it('only a complete CRL of the issuer says the signer is not revoked', async () => {
    const ext = (oid: string, critical: boolean, hex: string) =>
      new x509.Extension(oid, critical, Buffer.from(hex.replace(/ /g, ''), 'hex'));
    const made = (extensions: x509.Extension[], thisUpdate = new Date(Date.now() - DAY)) =>
      x509.X509CrlGenerator.create({
        issuer: root.cert.subjectName,
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + 30 * DAY),
        extensions,
        entries: [],
        signingKey: root.signingKey,
        signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      });
    const number = ext('2.5.29.20', false, '0201 01');
    const partial = {
      'scoped to CA certificates': [number, ext('2.5.29.28', true, '3003 8201ff')],
      'scoped to some reasons': [number, ext('2.5.29.28', true, '3004 83020640')],
      'a delta CRL': [number, ext('2.5.29.27', true, '0201 04')],
      'with a critical extension not understood': [
        number,
        ext('1.3.6.1.4.1.99999.1', true, '0500'),
      ],
    };
    for (const [name, extensions] of Object.entries(partial)) {
      expect(await validate(signer, { crls: [await made(extensions)] }), name).toMatchObject({
        reason: null,
        warnings: ['REVOCATION_UNCHECKED'],
      });
    }
    // A CRL number, critical or not, is understood.
    for (const critical of [false, true]) {
      expect(
        await validate(signer, { crls: [await made([ext('2.5.29.20', critical, '0201 01')])] }),
      ).toMatchObject({ reason: null, warnings: [] });
    }
    // A fresh partial CRL does not hide a stale complete one.
    const stale = await crl(root, [], {
      thisUpdate: new Date(Date.now() - 40 * DAY),
      nextUpdate: new Date(Date.now() - 10 * DAY),
    });
    expect(
      await validate(signer, { crls: [stale, await made(partial['a delta CRL'])] }),
    ).toMatchObject({ reason: null, warnings: ['CRL_STALE'] });
    // Nor does one dated ahead of now.
    const ahead = await crl(root, [], {
      thisUpdate: new Date(Date.now() + DAY),
      nextUpdate: new Date(Date.now() + 30 * DAY),
    });
    expect(await validate(signer, { crls: [stale, ahead] })).toMatchObject({
      reason: null,
      warnings: ['CRL_STALE'],
    });
    expect(await validate(signer, { crls: [ahead] })).toMatchObject({
      reason: null,
      warnings: ['REVOCATION_UNCHECKED'],
    });
    // A CRL that names no next update is current for no time at all (round 20g).
    const endless = await crl(root, [], {
      thisUpdate: new Date(Date.now() - DAY),
      nextUpdate: null,
    });
    expect(endless.nextUpdate).toBeUndefined();
    expect(await validate(signer, { crls: [endless] })).toMatchObject({
      reason: null,
      warnings: ['CRL_STALE'],
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

  it('the issuer’s name in another case is the issuer’s name (RFC 5280: caseIgnoreMatch)', async () => {
    const lowered = await x509.X509CrlGenerator.create({
      issuer: root.cert.subject.replace(/=([^,]+)/g, (_, v: string) => `=${v.toLowerCase()}`),
      thisUpdate: new Date(Date.now() - DAY),
      nextUpdate: new Date(Date.now() + DAY),
      entries: [
        {
          serialNumber: signer.cert.serialNumber,
          revocationDate: new Date(Date.now() - DAY / 2),
          reason: x509.X509CrlReason.keyCompromise,
        },
      ],
      signingKey: root.signingKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    });
    expect(lowered.issuer).not.toBe(root.cert.subject);
    expect(await validate(signer, { crls: [lowered] })).toMatchObject({
      reason: 'CERTIFICATE_REVOKED',
    });
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

/** The subjects of a result's path, signer first. */
const subjects = (r: { certificates: x509.X509Certificate[] }) =>
  r.certificates.map((c) => c.subject);

describe('building the path', () => {
  it('no anchors: refused before any work, the signer alone on the path', async () => {
    const signer = await issue({ name: 'CN=Lonely', issuer: root });
    expect(await validate(signer, { anchors: [] })).toEqual({
      reason: 'SIGNER_NOT_TRUSTED',
      detail: 'no trust anchors were given',
      path: [expect.objectContaining({ subject: 'CN=Lonely' })],
      certificates: [signer.cert],
      warnings: [],
      stats: { signatureChecks: 0, candidates: 0 },
    });
  });

  it('an issuer named in other letter case is the same issuer; another name is none', async () => {
    const ca = await issue({ name: 'CN=Path CA, O=Authority, C=DK', ca: true, issuer: root });
    const shouting = await issue({
      name: 'CN=Shouted',
      issuer: ca,
      issuerName: 'CN=PATH CA, O=AUTHORITY, C=DK',
    });
    const crls = [rootCrl, await crl(ca, [])];
    const found = await validate(shouting, { pool: [ca.cert], crls });
    expect(found).toMatchObject({ reason: null });
    expect(subjects(found)).toEqual(['CN=Shouted', ca.cert.subject, root.cert.subject]);
    const elsewhere = await issue({ name: 'CN=Elsewhere', issuer: ca, issuerName: 'CN=Path CB' });
    const missing = await validate(elsewhere, { pool: [ca.cert], crls });
    expect(missing).toMatchObject({
      reason: 'CHAIN_INCOMPLETE',
      detail: 'no certificate for the issuer CN=Path CB',
    });
    expect(subjects(missing)).toEqual(['CN=Elsewhere']);
  });

  it('key identifiers choose among issuers of one name; without them every one is tried', async () => {
    const wrong = await issue({ name: 'CN=Twin CA', ca: true, issuer: root, algorithm: 'ec-p256' });
    const right = await issue({ name: 'CN=Twin CA', ca: true, issuer: root, algorithm: 'ec-p256' });
    const crls = [rootCrl, await crl(right, [])];
    const pool = [wrong.cert, right.cert];
    // The signer's authority key id names the right twin: the wrong one is never tried.
    const marked = await issue({ name: 'CN=Marked', issuer: right, algorithm: 'ec-p256' });
    const direct = await validate(marked, { pool, crls });
    expect(direct).toMatchObject({ reason: null, stats: { signatureChecks: 2, candidates: 2 } });
    expect(direct.certificates[1]!.equal(right.cert)).toBe(true);
    // No key ids on the signer: the wrong twin is tried first and fails on its signature.
    const unmarked = await issue({
      name: 'CN=Unmarked',
      issuer: right,
      algorithm: 'ec-p256',
      noKeyIds: true,
    });
    const tried = await validate(unmarked, { pool, crls });
    expect(tried).toMatchObject({ reason: null, stats: { signatureChecks: 3, candidates: 3 } });
    expect(tried.certificates[1]!.equal(right.cert)).toBe(true);
    // An issuer without a subject key id is a candidate whatever the signer's says.
    const bare = await issue({
      name: 'CN=Bare CA',
      ca: true,
      issuer: root,
      algorithm: 'ec-p256',
      noKeyIds: true,
    });
    const underBare = await issue({ name: 'CN=Under Bare', issuer: bare, algorithm: 'ec-p256' });
    expect(
      await validate(underBare, { pool: [bare.cert], crls: [rootCrl, await crl(bare, [])] }),
    ).toMatchObject({ reason: null });
    // Only the wrong twin: a certificate bears the name but did not issue the signer.
    expect(await validate(unmarked, { pool: [wrong.cert], crls })).toMatchObject({
      reason: 'SIGNER_NOT_TRUSTED',
      detail: "a certificate bears the issuer's name (CN=Twin CA) but did not issue CN=Unmarked",
      stats: { signatureChecks: 1, candidates: 1 },
    });
  });

  it('each issuer signature is checked once, however many ways lead to it', async () => {
    // Two certificates of one CA key under a root nobody trusts: both ways end at that root,
    // whose own signature is checked the first time only.
    const untrusted = await issue({ name: 'CN=Untrusted Root', ca: true, algorithm: 'ec-p256' });
    const first = await issue({
      name: 'CN=Shared Key CA',
      ca: true,
      issuer: untrusted,
      algorithm: 'ec-p256',
    });
    const second = await issue({
      name: 'CN=Shared Key CA',
      ca: true,
      issuer: untrusted,
      keyOf: first,
    });
    const signer = await issue({ name: 'CN=Twice Reached', issuer: first, algorithm: 'ec-p256' });
    expect(
      await validate(signer, { pool: [first.cert, second.cert, untrusted.cert] }),
    ).toMatchObject({
      reason: 'SIGNER_NOT_TRUSTED',
      detail: 'the path ends at a root that is not trusted: CN=Untrusted Root',
      stats: { signatureChecks: 5, candidates: 4 },
    });
  });

  it('a failure names the worst way tried: a weak issuer over a missing or an untrusted one', async () => {
    const weak = await issue({
      name: 'CN=Twin Issuer',
      ca: true,
      issuer: root,
      signatureHash: 'SHA-1',
    });
    const orphanRoot = await issue({ name: 'CN=Orphan Root', ca: true });
    const orphaned = await issue({
      name: 'CN=Twin Issuer',
      ca: true,
      issuer: orphanRoot,
      keyOf: weak,
    });
    const untrusted = await issue({ name: 'CN=Nobody Root', ca: true });
    const distrusted = await issue({
      name: 'CN=Twin Issuer',
      ca: true,
      issuer: untrusted,
      keyOf: weak,
    });
    const signer = await issue({ name: 'CN=Twin Signed', issuer: weak, noKeyIds: true });
    const weakReason = {
      reason: 'WEAK_ALGORITHM',
      detail:
        'the signature on CN=Twin Issuer (sha1WithRSAEncryption): SHA1 is not an accepted hash',
    };
    for (const pool of [
      [weak.cert, orphaned.cert],
      [orphaned.cert, weak.cert],
      [distrusted.cert, untrusted.cert, weak.cert],
      [weak.cert, distrusted.cert, untrusted.cert],
    ]) {
      expect(await validate(signer, { pool }), pool.map((c) => c.issuer).join(' · ')).toMatchObject(
        weakReason,
      );
    }
    // And a strong way beside the weak one is taken.
    const strong = await issue({
      name: 'CN=Twin Issuer',
      ca: true,
      issuer: root,
      keyOf: weak,
    });
    const taken = await validate(signer, {
      pool: [weak.cert, strong.cert],
      crls: [rootCrl, await crl(strong, [])],
    });
    expect(taken).toMatchObject({ reason: null, stats: { signatureChecks: 3, candidates: 3 } });
    expect(taken.certificates[1]!.equal(strong.cert)).toBe(true);
  });

  it('a path of eight certificates below the anchor is the longest followed', async () => {
    const chain = async (cas: number) => {
      const made: Party[] = [];
      let issuer = root;
      for (let i = 0; i < cas; i++) {
        issuer = await issue({ name: `CN=Level ${i}`, ca: true, issuer, algorithm: 'ec-p256' });
        made.push(issuer);
      }
      const signer = await issue({ name: 'CN=Deep', issuer, algorithm: 'ec-p256' });
      return validate(signer, { pool: made.map((p) => p.cert), crls: [] });
    };
    expect(await chain(7)).toMatchObject({ reason: null });
    expect(await chain(8)).toMatchObject({
      reason: 'CHAIN_INCOMPLETE',
      detail: 'the path is too long',
    });
  });

  it('the budget: exactly enough work passes; one check fewer stops, saying how far it got', async () => {
    const ca = await issue({ name: 'CN=Budget CA', ca: true, issuer: root, algorithm: 'ec-p256' });
    const signer = await issue({ name: 'CN=Budgeted', issuer: ca, algorithm: 'ec-p256' });
    const crls = [rootCrl, await crl(ca, [])];
    const run = (budget: { signatures: number; candidates: number }) =>
      validate(signer, { pool: [ca.cert], crls, budget });
    expect(await run({ signatures: 2, candidates: 2 })).toMatchObject({ reason: null });
    expect(await run({ signatures: 2, candidates: 1 })).toMatchObject({
      reason: 'CHAIN_TOO_COMPLEX',
      detail: 'path building stopped after 1 signature checks and 1 candidate issuers',
      stats: { signatureChecks: 1, candidates: 2 },
    });
    expect(await run({ signatures: 1, candidates: 2 })).toMatchObject({
      reason: 'CHAIN_TOO_COMPLEX',
      detail: 'path building stopped after 1 signature checks and 2 candidate issuers',
      stats: { signatureChecks: 2, candidates: 2 },
    });
  });

  it('a signer without key identifiers whose issuer is nowhere: CHAIN_INCOMPLETE', async () => {
    const absent = await issue({ name: 'CN=Absent CA', ca: true, issuer: root });
    const orphan = await issue({ name: 'CN=Orphan', issuer: absent, noKeyIds: true });
    expect(await validate(orphan)).toMatchObject({
      reason: 'CHAIN_INCOMPLETE',
      detail: 'no certificate for the issuer CN=Absent CA',
    });
  });

  it('certificates carried only to pad the pool are read once, not at every step', async () => {
    const ca = await issue({ name: 'CN=Padded CA', ca: true, issuer: root, algorithm: 'ec-p256' });
    const signer = await issue({ name: 'CN=Padded', issuer: ca, algorithm: 'ec-p256' });
    const fillers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        issue({ name: `CN=Filler ${i}`, issuer: root, algorithm: 'ec-p256' }),
      ),
    );
    const crls = [rootCrl, await crl(ca, [])];
    const names = vi.spyOn(x509.Name.prototype, 'toString');
    const reads = async (pool: Party[]) => {
      names.mockClear();
      const result = await validate(signer, { pool: pool.map((p) => p.cert), crls });
      expect(result).toMatchObject({ reason: null, stats: { signatureChecks: 2, candidates: 2 } });
      return names.mock.calls.length;
    };
    const bare = await reads([ca]);
    const padded = await reads([ca, ...fillers]);
    names.mockRestore();
    // Each filler's name is read when the pool is indexed; a step reads only its issuer's name.
    expect(padded - bare).toBeLessThanOrEqual(fillers.length);
  });

  it('a certificate that cannot be read stops path building with an error, not a verdict', async () => {
    const garbled = await issue({
      name: 'CN=Garbled',
      issuer: root,
      noKeyIds: true,
      extensions: [new x509.Extension('2.5.29.35', false, new Uint8Array([4, 1, 0]))],
    });
    await expect(validate(garbled)).rejects.toThrow(/AuthorityKeyIdentifier/);
  });
});

describe('what each certificate on the path must be', () => {
  it('a CA that constrains names, critical or not, vouches for nobody; a CA limited to other purposes neither', async () => {
    // nameConstraints: permitted dNSName example.org (not judged here, so not trusted).
    const dns = Buffer.from('example.org');
    const subtree = Buffer.concat([Buffer.from([0x30, dns.length + 2, 0x82, dns.length]), dns]);
    const permitted = Buffer.concat([Buffer.from([0xa0, subtree.length]), subtree]);
    const constraints = Buffer.concat([Buffer.from([0x30, permitted.length]), permitted]);
    for (const critical of [false, true]) {
      const ca = await issue({
        name: `CN=Constrained CA ${critical}`,
        issuer: root,
        ca: true,
        extensions: [new x509.Extension('2.5.29.30', critical, constraints)],
      });
      const signer = await issue({ name: 'CN=Under Constraints', issuer: ca });
      expect(await validate(signer, { pool: [ca.cert] })).toMatchObject({
        reason: 'UNSUPPORTED_CRITICAL_EXTENSION',
        detail: critical
          ? 'CN=Constrained CA true has critical extension 2.5.29.30'
          : 'CN=Constrained CA false constrains the names below it, which is not judged here',
      });
    }
    const limited = (name: string, usages: string[]) =>
      issue({
        name,
        issuer: root,
        ca: true,
        extensions: [new x509.ExtendedKeyUsageExtension(usages)],
      });
    const server = await limited('CN=Server CA', ['1.3.6.1.5.5.7.3.1']);
    expect(
      await validate(await issue({ name: 'CN=Under Server CA', issuer: server }), {
        pool: [server.cert],
      }),
    ).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'CN=Server CA is limited to other purposes than signing',
    });
    // For encryption the purposes are not judged, as for the end certificate.
    const encrypting = await issue({
      name: 'CN=Enc Under Server CA',
      issuer: server,
      usages: x509.KeyUsageFlags.keyEncipherment,
    });
    expect(
      await validate(encrypting, { pool: [server.cert], purpose: 'encryption' }),
    ).toMatchObject({ reason: null });
    // A CA, like the signer, vouches for signers only with emailProtection among its purposes
    // (pdfsig: "Certificate issuer is unknown" for any other).
    for (const usages of [['1.3.6.1.5.5.7.3.4'], ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.4']]) {
      const ca = await limited(`CN=Signing CA ${usages.length}`, usages);
      expect(
        await validate(await issue({ name: 'CN=Under Signing CA', issuer: ca }), {
          pool: [ca.cert],
        }),
      ).toMatchObject({ reason: null });
    }
    for (const usages of [
      ['2.5.29.37.0'],
      ['1.3.6.1.5.5.7.3.36'],
      ['1.2.840.113583.1.1.5'],
      ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.36'],
    ]) {
      const ca = await limited(`CN=Document CA ${usages.join(' ')}`, usages);
      expect(
        await validate(await issue({ name: 'CN=Under Document CA', issuer: ca }), {
          pool: [ca.cert],
        }),
      ).toMatchObject({
        reason: 'KEY_USAGE',
        detail: `CN=Document CA ${usages.join(' ')} is limited to other purposes than signing`,
      });
    }
    // The anchor too (pdfsig refuses a root limited to documentSigning as it does a CA).
    for (const [usages, reason] of [
      [['1.3.6.1.5.5.7.3.4'], null],
      [['1.3.6.1.5.5.7.3.36'], 'KEY_USAGE'],
    ] as const) {
      const anchor = await issue({
        name: 'CN=Limited Root',
        ca: true,
        extendedUsages: [...usages],
      });
      const signer = await issue({ name: 'CN=Under Limited Root', issuer: anchor });
      expect(
        await validate(signer, { anchors: [anchor.cert], crls: [await crl(anchor, [])] }),
      ).toMatchObject(
        reason === null
          ? { reason: null }
          : { reason, detail: 'CN=Limited Root is limited to other purposes than signing' },
      );
    }
  });

  it('valid at the instant: from its first second to its last, not a second outside', async () => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    const end = new Date(start.getTime() + 7_200_000);
    const signer = await issue({ name: 'CN=Timed', issuer: root, notBefore: start, notAfter: end });
    for (const now of [start, end]) {
      expect(await validate(signer, { now }), now.toISOString()).toMatchObject({ reason: null });
    }
    expect(await validate(signer, { now: new Date(start.getTime() - 1000) })).toMatchObject({
      reason: 'CERTIFICATE_NOT_YET_VALID',
      detail: `CN=Timed is valid from ${start.toISOString()}`,
    });
    expect(await validate(signer, { now: new Date(end.getTime() + 1000) })).toMatchObject({
      reason: 'CERTIFICATE_EXPIRED',
      detail: `CN=Timed expired ${end.toISOString()}`,
    });
    // Judged at the time asked for, not at the machine's clock: a certificate that expired
    // yesterday is expired, whatever its issuer's signature on it says.
    const yesterday = await issue({
      name: 'CN=Yesterday',
      issuer: root,
      notBefore: new Date(Date.now() - 10 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    expect(await validate(yesterday)).toMatchObject({
      reason: 'CERTIFICATE_EXPIRED',
      detail: `CN=Yesterday expired ${yesterday.cert.notAfter.toISOString()}`,
    });
    // The claimed signing time is held to the same.
    expect(
      await validate(signer, { now: start, claimed: new Date(end.getTime() + 1000) }),
    ).toMatchObject({ reason: 'CERTIFICATE_EXPIRED' });
  });

  it('an unknown extension marked critical is refused; the same not critical is ignored', async () => {
    const ext = (critical: boolean) =>
      new x509.Extension('1.2.3.4.5', critical, new Uint8Array([5, 0]));
    const critical = await issue({ name: 'CN=Critical', issuer: root, extensions: [ext(true)] });
    const relaxed = await issue({ name: 'CN=Relaxed', issuer: root, extensions: [ext(false)] });
    expect(await validate(critical)).toMatchObject({
      reason: 'UNSUPPORTED_CRITICAL_EXTENSION',
      detail: 'CN=Critical has critical extension 1.2.3.4.5',
    });
    expect(await validate(relaxed)).toMatchObject({ reason: null });
  });

  it('an issuer without basic constraints is no CA', async () => {
    const plain = await issue({
      name: 'CN=Plain',
      issuer: root,
      noBasicConstraints: true,
      ca: true,
    });
    const below = await issue({ name: 'CN=Below Plain', issuer: plain });
    expect(await validate(below, { pool: [plain.cert] })).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'CN=Plain is not a CA',
    });
  });

  it('an issuer without a key usage extension may sign certificates and CRLs', async () => {
    const open = await issue({ name: 'CN=Open CA', ca: true, issuer: root, noKeyUsage: true });
    const signer = await issue({ name: 'CN=Under Open', issuer: open });
    const at = (revoked: Party[]) =>
      validate(signer, { pool: [open.cert], crls: [rootCrl] }).then(async () =>
        validate(signer, { pool: [open.cert], crls: [rootCrl, await crl(open, revoked)] }),
      );
    expect(await at([])).toMatchObject({ reason: null, warnings: [] });
    expect(await at([signer])).toMatchObject({ reason: 'CERTIFICATE_REVOKED' });
  });

  it('a self-issued certificate (a key rollover) does not count against a path length', async () => {
    const strict = await issue({ name: 'CN=Rollover Root', ca: true, pathLength: 0 });
    const rollover = await issue({ name: 'CN=Rollover Root', ca: true, issuer: strict });
    const signer = await issue({ name: 'CN=After Rollover', issuer: rollover });
    const result = await validatePath({
      signer: signer.cert,
      pool: [rollover.cert],
      anchors: [strict.cert],
      crls: [await crl(strict, []), await crl(rollover, [])],
      now: new Date(),
    });
    expect(result).toMatchObject({ reason: null });
    expect(result.certificates.map((c) => c.serialNumber)).toEqual(
      [signer, rollover, strict].map((p) => p.cert.serialNumber),
    );
  });

  it('emailProtection among other purposes is enough; documentSigning among others is not', async () => {
    const both = await issue({
      name: 'CN=Mail and TLS',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.4'],
    });
    expect(await validate(both)).toMatchObject({ reason: null });
    const docs = await issue({
      name: 'CN=Docs and TLS',
      issuer: root,
      extendedUsages: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.36'],
    });
    expect(await validate(docs)).toMatchObject({
      reason: 'KEY_USAGE',
      detail: 'the signer certificate is limited to other purposes',
    });
  });
});

describe('revocation, each warning once', () => {
  it('a CRL under the issuer’s key but another name says nothing', async () => {
    const ca = await issue({ name: 'CN=Named CA', ca: true, issuer: root, algorithm: 'ec-p256' });
    const renamed = await issue({ name: 'CN=Renamed CA', ca: true, issuer: root, keyOf: ca });
    const signer = await issue({ name: 'CN=Under Named', issuer: ca });
    expect(
      await validate(signer, { pool: [ca.cert], crls: [rootCrl, await crl(renamed, [signer])] }),
    ).toMatchObject({ reason: null, warnings: ['REVOCATION_UNCHECKED'] });
  });

  it('unchecked or stale at two levels is one warning; a CRL due this very second is not stale', async () => {
    const ca = await issue({
      name: 'CN=Two Level CA',
      ca: true,
      issuer: root,
      algorithm: 'ec-p256',
    });
    const signer = await issue({ name: 'CN=Two Levels', issuer: ca, algorithm: 'ec-p256' });
    const pool = [ca.cert];
    expect(await validate(signer, { pool, crls: [] })).toMatchObject({
      reason: null,
      warnings: ['REVOCATION_UNCHECKED'],
    });
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 - DAY);
    const lapsed = { thisUpdate: new Date(due.getTime() - 10 * DAY), nextUpdate: due };
    const crls = [await crl(root, [], lapsed), await crl(ca, [], lapsed)];
    expect(await validate(signer, { pool, crls })).toMatchObject({
      reason: null,
      warnings: ['CRL_STALE'],
    });
    expect(await validate(signer, { pool, crls, now: due })).toMatchObject({
      reason: null,
      warnings: [],
    });
  });
});

/**
 * The signature verifier against forgeries, and against pdfsig: each row builds a signed PDF (a
 * real chain, a real key, a real CRL), asks our verifier and pdfsig (same anchors in an NSS
 * store), and checks ours gives the expected reason and is never looser than pdfsig.
 * Also: PAdES B-B attributes read back by `openssl cms`, and identities with UTF-8 names and
 * EC keys.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFName } from 'pdf-lib';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfVerification, SignatureReason } from '../../shared/signatures';
import { buildPadesCms, type CmsSigner } from '../../electron/signing/cms';
import { createSelfSigned, importPkcs12, softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { readCertificate, toPem, type x509 } from '../../electron/signing/x509';
import { tempFolder } from '../helpers/context';
import { appendUpdate, contentStreamOf, letter, SLOTS, stream } from '../helpers/pdf';
import { crl, issue, nssStore, pdfsigAccepts, pdfsigReport, type Party } from '../helpers/pki';

const DAY = 86_400_000;
let folder: ReturnType<typeof tempFolder>;
let root: Party;
let ca: Party;
let signer: Party;
let base: Buffer;

beforeAll(async () => {
  folder = tempFolder('awb-signatures-');
  root = await issue({ name: 'CN=Test Root CA, O=Authority, C=DK', ca: true });
  ca = await issue({
    name: 'CN=Test Issuing CA, O=Authority, C=DK',
    ca: true,
    issuer: root,
    algorithm: 'ec-p384',
  });
  signer = await issue({
    name: 'CN=Anne Accreditor, O=Authority, C=DK',
    issuer: ca,
    algorithm: 'ec-p256',
  });
  base = await letter();
});
afterAll(() => folder.cleanup());

function signerOf(party: Party, chain: Party[] = []): CmsSigner {
  return softwareSigner(party.key, [party.der, ...chain.map((c) => c.der)]);
}

/**
 * Signs as the workbench does: a first signature in a new field (reserving Signature2 for a
 * countersigner when asked), or a countersignature into the reserved Signature2.
 */
async function sign(
  pdf: Buffer,
  with_: CmsSigner,
  options: { field?: string; slot?: number; time?: Date; reserve?: boolean } = {},
) {
  return signPdf(pdf, with_, {
    field: options.field ?? 'Signature1',
    slot: SLOTS[options.slot ?? 0],
    appearance: { title: 'Test signer', lines: ['Signed for the test'] },
    name: 'Test signer',
    reason: 'Test',
    location: 'Test',
    signingTime: options.time ?? new Date(),
    reserve: options.reserve
      ? [
          {
            field: 'Signature2',
            slot: SLOTS[1]!,
            language: 'en',
          },
        ]
      : [],
  });
}

/** Signed by the first signer with Signature2 reserved, then countersigned by `second`. */
async function countersigned(second: CmsSigner): Promise<Buffer> {
  const once = await sign(base, signerOf(signer, [ca]), { reserve: true });
  return sign(once, second, { field: 'Signature2' });
}

/** CRLs from both CAs of the test chain, current and revoking nobody. */
async function currentCrls(): Promise<x509.X509Crl[]> {
  return [await crl(ca, []), await crl(root, [])];
}

interface Row {
  name: string;
  build: () => Promise<Buffer>;
  anchors: () => Party[];
  crls?: () => Promise<x509.X509Crl[]>;
  /** What our verifier must say: null when every signature passed. */
  ours: SignatureReason | null;
  /** The file's status when it is not what `ours` implies (a letter awaiting its countersignature). */
  status?: PdfVerification['status'];
  /** Whether pdfsig accepts the file (every signature valid and trusted, the last one whole). */
  pdfsig: boolean;
}

const rows: Row[] = [
  {
    name: 'good chain: root → issuing CA → signer',
    build: () => sign(base, signerOf(signer, [ca])),
    anchors: () => [root],
    ours: null,
    pdfsig: true,
  },
  {
    name: 'self-signed signer with the trusted certificate merely attached',
    build: async () => {
      const mallory = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK' });
      return sign(base, softwareSigner(mallory.key, [mallory.der, root.der, ca.der]));
    },
    anchors: () => [root],
    ours: 'SIGNER_NOT_TRUSTED',
    pdfsig: false,
  },
  {
    name: "signer issued by an untrusted CA bearing the trusted CA's name",
    build: async () => {
      const fakeCa = await issue({ name: 'CN=Test Root CA, O=Authority, C=DK', ca: true });
      const fake = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: fakeCa });
      return sign(base, signerOf(fake, [fakeCa]));
    },
    anchors: () => [root],
    ours: 'SIGNER_NOT_TRUSTED',
    pdfsig: false,
  },
  {
    name: 'signer whose issuing CA is missing',
    build: () => sign(base, signerOf(signer)),
    anchors: () => [root],
    ours: 'CHAIN_INCOMPLETE',
    pdfsig: false,
  },
  {
    name: 'expired signer with a (backdated) signing time',
    build: async () => {
      const old = await issue({
        name: 'CN=Expired Signer, O=Authority, C=DK',
        issuer: ca,
        notBefore: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() - 10 * DAY),
      });
      return sign(base, signerOf(old, [ca]), { time: new Date(Date.now() - 100 * DAY) });
    },
    anchors: () => [root],
    ours: 'CERTIFICATE_EXPIRED',
    pdfsig: false,
  },
  {
    name: 'expired signer without a signing time',
    build: async () => {
      const old = await issue({
        name: 'CN=Expired Signer, O=Authority, C=DK',
        issuer: ca,
        notBefore: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() - 10 * DAY),
      });
      return signedWithoutTime(signerOf(old, [ca]));
    },
    anchors: () => [root],
    ours: 'CERTIFICATE_EXPIRED',
    pdfsig: false,
  },
  {
    name: 'signer not yet valid',
    build: async () => {
      const early = await issue({
        name: 'CN=Future Signer, O=Authority, C=DK',
        issuer: ca,
        notBefore: new Date(Date.now() + 10 * DAY),
        notAfter: new Date(Date.now() + 400 * DAY),
      });
      return sign(base, signerOf(early, [ca]), { time: new Date(Date.now() + 20 * DAY) });
    },
    anchors: () => [root],
    ours: 'CERTIFICATE_NOT_YET_VALID',
    pdfsig: false,
  },
  {
    name: 'signer revoked in an imported CRL',
    build: async () => {
      revoked = await issue({ name: 'CN=Revoked Signer, O=Authority, C=DK', issuer: ca });
      return sign(base, signerOf(revoked, [ca]));
    },
    anchors: () => [root],
    crls: async () => [await crl(ca, [revoked!]), await crl(root, [])],
    ours: 'CERTIFICATE_REVOKED',
    pdfsig: false,
  },
  {
    name: 'signer without a signing key usage',
    build: async () => {
      const encryptOnly = await issue({
        name: 'CN=Encryption Only, O=Authority, C=DK',
        issuer: ca,
        usages: 4 /* keyEncipherment */,
        algorithm: 'rsa',
      });
      return sign(base, signerOf(encryptOnly, [ca]));
    },
    anchors: () => [root],
    ours: 'KEY_USAGE',
    pdfsig: false,
  },
  {
    name: 'a signer certificate used as a CA',
    build: async () => {
      const sub = await issue({ name: 'CN=Signed by a signer, O=Authority, C=DK', issuer: signer });
      return sign(base, signerOf(sub, [signer, ca]));
    },
    anchors: () => [root],
    ours: 'KEY_USAGE',
    pdfsig: false,
  },
  {
    name: 'a byte flipped in the signed range',
    build: async () => {
      const signed = await sign(base, signerOf(signer, [ca]));
      signed[300]! ^= 0x01;
      return signed;
    },
    anchors: () => [root],
    ours: 'DIGEST_MISMATCH',
    pdfsig: false,
  },
  {
    name: 'an incremental update after signing that changes the page',
    build: async () => {
      const signed = await sign(base, signerOf(signer, [ca]));
      return appendUpdate(signed, [
        { num: contentStreamOf(signed), body: stream('DECISION: REFUSED') },
      ]);
    },
    anchors: () => [root],
    ours: 'MODIFIED_AFTER_SIGNING',
    pdfsig: false,
  },
  {
    name: 'a wrapped signature: a second, fake /ByteRange later in the file',
    build: async () => {
      const signed = await sign(base, signerOf(signer, [ca]));
      const file = PdfFile.parse(signed);
      const [sig] = file.signatureValues(file.last.number);
      const [a, b, c] = sig!.byteRange! as [number, number, number, number];
      const page = contentStreamOf(signed);
      const size = Number(String(file.last.trailer.get(PDFName.of('Size'))));
      // The edited page, then a copy of the signature dictionary whose ByteRange claims the new end.
      const edited = appendUpdate(signed, [{ num: page, body: stream('DECISION: REFUSED') }]);
      const fakeLength = edited.length + 400;
      return appendUpdate(edited, [
        {
          num: size,
          body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${a} ${b} ${c} ${fakeLength - c}] /Contents <${Buffer.from(sig!.contents!).toString('hex')}> >>`,
        },
      ]);
    },
    anchors: () => [root],
    ours: 'MODIFIED_AFTER_SIGNING',
    pdfsig: false,
  },
  {
    name: 'two valid signatures, the second an incremental update',
    build: async () => {
      const second = await issue({
        name: 'CN=Bo Countersigner, O=Authority, C=DK',
        issuer: ca,
        algorithm: 'rsa',
      });
      return countersigned(signerOf(second, [ca]));
    },
    anchors: () => [root],
    ours: null,
    pdfsig: true,
  },
  {
    name: 'two signatures, the second by an untrusted signer',
    build: async () => {
      const stranger = await issue({ name: 'CN=Stranger' });
      return countersigned(signerOf(stranger));
    },
    anchors: () => [root],
    ours: 'SIGNER_NOT_TRUSTED',
    pdfsig: false,
  },
  {
    name: 'no trust anchors at all',
    build: () => sign(base, signerOf(signer, [ca])),
    anchors: () => [],
    ours: 'SIGNER_NOT_TRUSTED',
    pdfsig: false,
  },
  {
    name: 'no CRL for the chain: revocation unknown is INDETERMINATE, not valid',
    build: () => sign(base, signerOf(signer, [ca])),
    anchors: () => [root],
    crls: async () => [],
    ours: 'REVOCATION_UNKNOWN',
    pdfsig: true,
  },
  {
    name: "the issuing CA's CRL is past its next update",
    build: () => sign(base, signerOf(signer, [ca])),
    anchors: () => [root],
    crls: async () => [
      await crl(ca, [], {
        thisUpdate: new Date(Date.now() - 60 * DAY),
        nextUpdate: new Date(Date.now() - DAY),
      }),
      await crl(root, []),
    ],
    ours: 'REVOCATION_STALE',
    pdfsig: true,
  },
  {
    name: 'a letter awaiting its countersignature: every signature passes, the file is not valid',
    build: () => sign(base, signerOf(signer, [ca]), { reserve: true }),
    anchors: () => [root],
    ours: null,
    status: 'awaiting_countersignature',
    pdfsig: true,
  },
];

let revoked: Party | undefined;

/**
 * The same signature made over a file whose signature dictionary has no /M: signPdf always
 * writes one, so the dictionary is rewritten before the CMS is computed.
 */
async function signedWithoutTime(signer_: CmsSigner): Promise<Buffer> {
  const prepared = await sign(base, signer_);
  const text = prepared.toString('latin1');
  const at = text.indexOf('/M (D:');
  const end = text.indexOf(')', at) + 1;
  // Blank out /M (same length: offsets and the ByteRange stay right), then sign again.
  const blanked = Buffer.from(text.slice(0, at) + ' '.repeat(end - at) + text.slice(end), 'latin1');
  const file = PdfFile.parse(blanked);
  const [sig] = file.signatureValues(file.last.number);
  const [, b, c] = sig!.byteRange! as [number, number, number, number];
  const digest = createHash(signer_.hash)
    .update(blanked.subarray(0, b))
    .update(blanked.subarray(c))
    .digest();
  const cms = (await buildPadesCms(digest, signer_)).toString('hex');
  const out = Buffer.from(blanked);
  out.fill('0', b + 1, c - 1);
  out.write(cms, b + 1, 'latin1');
  return out;
}

describe('the verifier against forgeries, agreeing with pdfsig', () => {
  for (const [i, row] of rows.entries()) {
    it(row.name, async () => {
      const pdf = await row.build();
      const crls = row.crls ? await row.crls() : await currentCrls();
      const anchors = row.anchors();
      const trust: TrustStore = { anchors: anchors.map((a) => a.cert), crls };
      const ours = await verifyPdf(pdf, trust);
      expect(ours.reason, JSON.stringify(ours.signatures.map((s) => s.detail))).toBe(row.ours);
      const status = row.status ?? (row.ours === null ? 'valid' : ours.status);
      expect(ours.status).toBe(status);
      expect(ours.valid).toBe(status === 'valid');
      if (process.env.AWB_MUTATION === '1') {
        return; // under mutation testing only our verdicts count
      }
      const file = join(folder.path, `row-${i}.pdf`);
      writeFileSync(file, pdf);
      const args = [file];
      if (anchors.length) {
        args.unshift(
          '-nssdir',
          nssStore(join(folder.path, `nss-${i}`), anchors.map((a) => a.pem).join(''), crls),
        );
      }
      const report = pdfsigReport(spawnSync('pdfsig', args, { encoding: 'utf8' }).stdout);
      const theirs = pdfsigAccepts(report);
      expect(theirs, JSON.stringify(report)).toBe(row.pdfsig);
      // Never looser than pdfsig.
      if (ours.valid) {
        expect(theirs, JSON.stringify(report)).toBe(true);
      }
    });
  }
});

describe('what the verifier reports', () => {
  it('every signature with its signer, path, revision and the warnings that go with it', async () => {
    const second = await issue({ name: 'CN=Bo Countersigner, O=Authority, C=DK', issuer: ca });
    const twice = await countersigned(signerOf(second, [ca]));
    const stale = await crl(ca, [], {
      thisUpdate: new Date(Date.now() - 60 * DAY),
      nextUpdate: new Date(Date.now() - DAY),
    });
    const result = await verifyPdf(twice, { anchors: [root.cert], crls: [stale] });
    // Revocation is not known (the root's CRL is missing, the CA's stale): INDETERMINATE.
    expect(result).toMatchObject({
      valid: false,
      status: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      reason: 'REVOCATION_UNKNOWN',
      unsignedFields: [],
    });
    const current = await verifyPdf(twice, { anchors: [root.cert], crls: await currentCrls() });
    expect(current).toMatchObject({ valid: true, status: 'valid', indication: 'TOTAL_PASSED' });
    expect(result.revisions).toBe(3);
    expect(result.signatures.map((s) => [s.field, s.revision, s.coversWholeFile, s.level])).toEqual(
      [
        ['Signature1', 2, false, 'PAdES-B-B'],
        ['Signature2', 3, true, 'PAdES-B-B'],
      ],
    );
    expect(result.signatures[0]!.path.map((p) => p.subject)).toEqual([
      signer.cert.subject,
      ca.cert.subject,
      root.cert.subject,
    ]);
    // The issuing CA's CRL is past its next update; the root's is missing altogether.
    expect(result.signatures[0]!.warnings).toEqual(['CRL_STALE', 'REVOCATION_UNCHECKED']);
  });

  it('refuses a signature dictionary with a repeated key, and a ByteRange that skips other bytes', async () => {
    const signed = await sign(base, signerOf(signer, [ca]));
    const file = PdfFile.parse(signed);
    const [sig] = file.signatureValues(file.last.number);
    const [a, b, c, d] = sig!.byteRange! as [number, number, number, number];
    // Widen the gap: the ByteRange now leaves out more than the /Contents literal.
    const text = signed.toString('latin1');
    const range = `[${a} ${String(b).padStart(10, '0')} ${String(c).padStart(10, '0')} ${String(d).padStart(10, '0')}]`;
    const at = text.indexOf(range);
    expect(at).toBeGreaterThan(0);
    const wider = `[${a} ${String(b - 10).padStart(10, '0')} ${String(c).padStart(10, '0')} ${String(d).padStart(10, '0')}]`;
    const shifted = Buffer.from(text.replace(range, wider), 'latin1');
    const trust = { anchors: [root.cert], crls: [] };
    expect(await verifyPdf(shifted, trust)).toMatchObject({
      valid: false,
      reason: 'MALFORMED_SIGNATURE',
    });
    // A second /Type key in the signature dictionary (two parsers would disagree on it).
    const doubled = Buffer.from(
      // Same length, so every offset stays right: only the repeated key differs.
      text.replace('/Type /Sig /Filter /Adobe.PPKLite', `/Type /Sig /Type /Sig${' '.repeat(12)}`),
      'latin1',
    );
    expect((await verifyPdf(doubled, trust)).reason).toBe('AMBIGUOUS_STRUCTURE');
  });

  it('refuses bytes hidden between the objects of a later revision', async () => {
    const signed = await sign(base, signerOf(signer, [ca]), { reserve: true });
    const second = await sign(signed, signerOf(signer, [ca]), { field: 'Signature2' });
    const text = second.toString('latin1');
    // Inside the second revision (unsigned by the first signature), before its first object.
    const start = signed.length;
    const hidden = Buffer.concat([
      second.subarray(0, start),
      Buffer.from('%hidden\n'),
      second.subarray(start),
    ]);
    // The cross-reference offsets of the second revision are now off by the inserted bytes.
    expect(text.length).toBeGreaterThan(start);
    const result = await verifyPdf(hidden, { anchors: [root.cert], crls: [] });
    expect(result.valid).toBe(false);
  });
});

describe('PAdES baseline B-B', () => {
  it('openssl reads content-type, message-digest and signing-certificate-v2, and no signing-time', async () => {
    const signed = await sign(base, signerOf(signer, [ca]));
    const file = PdfFile.parse(signed);
    const [sig] = file.signatureValues(file.last.number);
    expect(sig!.subFilter).toBe('ETSI.CAdES.detached');
    expect(sig!.claimedTime).not.toBeNull();
    const der = join(folder.path, 'cms.der');
    // /Contents is zero-padded after the CMS; openssl wants the DER alone, as long as its own
    // header says (not up to the last non-zero byte: a DER may end in a zero byte).
    const bytes = Buffer.from(sig!.contents!);
    const { offset } = asn1js.fromBER(new Uint8Array(bytes).buffer);
    expect(offset).toBeGreaterThan(0);
    writeFileSync(der, bytes.subarray(0, offset));
    const printed = execFileSync(
      'openssl',
      ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', der],
      {
        encoding: 'utf8',
      },
    );
    expect(printed).toContain('contentType');
    expect(printed).toContain('messageDigest');
    expect(printed).toMatch(/signingCertificateV2|id-smime-aa-signingCertificateV2/);
    expect(printed).not.toContain('signingTime');
    // And openssl verifies the CMS over the signed bytes, with the root as its only anchor.
    const [, b, c] = sig!.byteRange! as [number, number, number, number];
    const content = join(folder.path, 'signed-bytes');
    writeFileSync(content, Buffer.concat([signed.subarray(0, b), signed.subarray(c)]));
    writeFileSync(join(folder.path, 'root.pem'), root.pem);
    const verified = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        der,
        '-content',
        content,
        '-CAfile',
        join(folder.path, 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(verified.status, verified.stderr).toBe(0);
  });
});

describe('identities', () => {
  it('UTF-8 names (æ ø å, Ł, en dash) and RSA, P-256 and P-384 keys give well-formed certificates pdfsig accepts', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p256', 'ec-p384'] as const) {
      const identity = await createSelfSigned({
        commonName: 'Łukasz Ærø – Åse',
        organisation: 'Myndighed for sikkerhed',
        algorithm,
      });
      const pem = toPem(identity.chain[0]!);
      const certFile = join(folder.path, `${algorithm}.pem`);
      writeFileSync(certFile, pem);
      const text = execFileSync(
        'openssl',
        ['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'],
        {
          encoding: 'utf8',
        },
      );
      expect(text).toContain('CN=Łukasz Ærø – Åse');
      const signed = await sign(base, softwareSigner(identity.key, identity.chain));
      const file = join(folder.path, `${algorithm}.pdf`);
      writeFileSync(file, signed);
      const report = pdfsigReport(
        spawnSync(
          'pdfsig',
          ['-nssdir', nssStore(join(folder.path, `nss-${algorithm}`), pem), file],
          {
            encoding: 'utf8',
          },
        ).stdout,
      );
      // A self-signed identity is an end entity (CA:FALSE), trusted pinned; NSS takes no end
      // entity as an anchor, so pdfsig finds the signature valid and whole but not its issuer.
      expect(
        report.map((r) => [r.valid, r.whole]),
        JSON.stringify(report),
      ).toEqual([[true, true]]);
      expect(await verifyPdf(signed, { anchors: [readCertificate(pem)!], crls: [] })).toMatchObject(
        { valid: true },
      );
    }
  });

  it("imports an organisation's EC PKCS#12 with its chain, and validates the chain", async () => {
    const dir = folder.path;
    writeFileSync(join(dir, 'p12-key.der'), signer.key);
    writeFileSync(join(dir, 'p12-cert.pem'), signer.pem);
    writeFileSync(join(dir, 'p12-chain.pem'), `${ca.pem}${root.pem}`);
    execFileSync('openssl', [
      'pkcs8',
      '-inform',
      'DER',
      '-nocrypt',
      '-in',
      join(dir, 'p12-key.der'),
      '-out',
      join(dir, 'p12-key.pem'),
    ]);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      join(dir, 'p12-key.pem'),
      '-in',
      join(dir, 'p12-cert.pem'),
      '-certfile',
      join(dir, 'p12-chain.pem'),
      '-out',
      join(dir, 'org.p12'),
      '-passout',
      'pass:Org-secret-1',
    ]);
    const p12 = readFileSync(join(dir, 'org.p12'));
    const identity = await importPkcs12(p12, 'Org-secret-1');
    expect(identity.facts.subject).toBe(signer.cert.subject);
    expect(identity.chain.map((d) => readCertificate(d)!.subject)).toEqual([
      signer.cert.subject,
      ca.cert.subject,
      root.cert.subject,
    ]);
    const signed = await sign(base, softwareSigner(identity.key, identity.chain));
    expect(
      await verifyPdf(signed, { anchors: [root.cert], crls: await currentCrls() }),
    ).toMatchObject({
      valid: true,
    });
    await expect(importPkcs12(p12, 'wrong')).rejects.toMatchObject({ code: 'WRONG_P12_PASSWORD' });
    // A key file whose chain does not hold together is refused on import.
    const encryptOnly = await issue({
      name: 'CN=No Signing, O=Authority, C=DK',
      issuer: ca,
      usages: 4,
      algorithm: 'rsa',
    });
    writeFileSync(join(dir, 'bad-key.der'), encryptOnly.key);
    writeFileSync(join(dir, 'bad-cert.pem'), encryptOnly.pem);
    execFileSync('openssl', [
      'pkcs8',
      '-inform',
      'DER',
      '-nocrypt',
      '-in',
      join(dir, 'bad-key.der'),
      '-out',
      join(dir, 'bad-key.pem'),
    ]);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      join(dir, 'bad-key.pem'),
      '-in',
      join(dir, 'bad-cert.pem'),
      '-certfile',
      join(dir, 'p12-chain.pem'),
      '-out',
      join(dir, 'bad.p12'),
      '-passout',
      'pass:x',
    ]);
    await expect(importPkcs12(readFileSync(join(dir, 'bad.p12')), 'x')).rejects.toMatchObject({
      code: 'SIGNING_IDENTITY_INVALID',
      details: { reason: 'KEY_USAGE' },
    });
  });
});

/**
 * The CMS of a PDF signature, rule by rule, on the CMS alone (no PDF): each way a /Contents value
 * can be malformed, weak, bound to another certificate or not verify, built from a genuine
 * signature with one thing changed, each refused with its own reason and detail; and the shapes
 * other signers write (the signer's certificate carried twice, a key-id signer identifier, a
 * signing-time, signing-certificate v1, RSA-PSS, the bare key OIDs as signature algorithms, a
 * signature hash other than the digest's) read as they should.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  sign,
  verify,
  X509Certificate,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { algorithmPolicy, setAlgorithmPolicy } from '../../electron/signing/algorithms';
import {
  buildPadesCms,
  cmsCertificates,
  CmsError,
  OID,
  verifyCms,
  type CmsReading,
  type CmsSigner,
} from '../../electron/signing/cms';
import { issue, type Party } from '../helpers/pki';

const DATA = [Buffer.from('the signed bytes, '), Buffer.from('in two parts')];
const DIGEST = createHash('sha256').update(Buffer.concat(DATA)).digest();
const H = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  rsaSha256: '1.2.840.113549.1.1.11',
  rsaSha384: '1.2.840.113549.1.1.12',
  ecdsaSha256: '1.2.840.10045.4.3.2',
};
const ab = (b: Buffer): ArrayBuffer => new Uint8Array(b).buffer;

let root: Party;
let rsa: Party;
let ec: Party;

beforeAll(async () => {
  root = await issue({ name: 'CN=CMS Root', ca: true, algorithm: 'ec-p256' });
  rsa = await issue({ name: 'CN=CMS RSA', issuer: root });
  ec = await issue({ name: 'CN=CMS EC', issuer: root, algorithm: 'ec-p256' });
});

interface Shape {
  who?: Party;
  /** The signed attributes, from the genuine three (content-type, message-digest, ESS v2). */
  attrs?: (genuine: pkijs.Attribute[], who: Party) => pkijs.Attribute[];
  noSignedAttrs?: boolean;
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  /** How the signature is made over the signed attributes' DER (default: the key's own way). */
  signWith?: (attrs: Buffer, who: Party) => Buffer;
  signatureParams?: asn1js.BaseBlock;
  sid?: 'issuerSerial' | 'keyId' | ((who: Party) => asn1js.BaseBlock);
  certificates?: (who: Party) => Buffer[];
  /** Carried after the certificates: entries of the other CertificateChoices (RFC 5652 §10.2.2). */
  otherCertificates?: pkijs.OtherCertificateFormat[];
  /** No certificates field at all. */
  noCertificates?: boolean;
  signerInfos?: (info: pkijs.SignerInfo) => pkijs.SignerInfo[];
  eContentType?: string;
  eContent?: boolean;
  contentType?: string;
  flipSignature?: boolean;
}

const attr = (type: string, ...values: asn1js.BaseBlock[]) => new pkijs.Attribute({ type, values });

/** signing-certificate-v2 of `der`: its hash, under `alg` when given (SHA-256 otherwise). */
function essV2(der: Buffer, hash: 'sha256' | 'sha384' = 'sha256', alg?: string) {
  const id = new asn1js.Sequence({
    value: [
      ...(alg ? [new pkijs.AlgorithmIdentifier({ algorithmId: alg }).toSchema()] : []),
      new asn1js.OctetString({ valueHex: ab(createHash(hash).update(der).digest()) }),
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] });
}

/** signing-certificate (v1) of `der`: its SHA-1. */
function essV1(der: Buffer) {
  const id = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: ab(createHash('sha1').update(der).digest()) })],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] });
}

function genuineAttrs(who: Party): pkijs.Attribute[] {
  return [
    attr(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attr(OID.messageDigest, new asn1js.OctetString({ valueHex: ab(DIGEST) })),
    attr(OID.signingCertificateV2, essV2(who.der)),
  ];
}

function keySign(attrs: Buffer, who: Party, hash = 'sha256'): Buffer {
  return sign(hash, attrs, createPrivateKey({ key: who.key, format: 'der', type: 'pkcs8' }));
}

/** A CMS as the workbench writes one, changed as `shape` says. */
function cms(shape: Shape = {}): Buffer {
  const who = shape.who ?? rsa;
  const certificate = pkijs.Certificate.fromBER(ab(who.der));
  const list = (shape.attrs ?? ((g) => g))(genuineAttrs(who), who);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: list });
  const der = Buffer.from(new asn1js.Set({ value: list.map((a) => a.toSchema()) }).toBER(false));
  let signature = (shape.signWith ?? keySign)(der, who);
  if (shape.flipSignature) {
    signature = Buffer.from(signature);
    signature[signature.length - 1]! ^= 1;
  }
  const sigAlg =
    shape.signatureAlgorithm ?? (who.algorithm === 'rsa' ? H.rsaSha256 : H.ecdsaSha256);
  const sid: asn1js.BaseBlock | pkijs.IssuerAndSerialNumber =
    typeof shape.sid === 'function'
      ? shape.sid(who)
      : shape.sid === 'keyId'
        ? new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [
              new asn1js.OctetString({
                valueHex: ab(Buffer.from(who.cert.getExtension('2.5.29.14')!.value).subarray(2)),
              }),
            ],
          })
        : new pkijs.IssuerAndSerialNumber({
            issuer: certificate.issuer,
            serialNumber: certificate.serialNumber,
          });
  const info = new pkijs.SignerInfo({
    version: shape.sid === 'keyId' ? 3 : 1,
    sid,
    digestAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: shape.digestAlgorithm ?? H.sha256,
    }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: sigAlg,
      ...(shape.signatureParams ? { algorithmParams: shape.signatureParams } : {}),
    }),
    ...(shape.noSignedAttrs ? {} : { signedAttrs }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: H.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: shape.eContentType ?? OID.data,
      ...(shape.eContent ? { eContent: new asn1js.OctetString({ valueHex: ab(DATA[0]!) }) } : {}),
    }),
    ...(shape.noCertificates
      ? {}
      : {
          certificates: [
            ...(shape.certificates ?? ((p) => [p.der, root.der]))(who).map((d) =>
              pkijs.Certificate.fromBER(ab(d)),
            ),
            ...(shape.otherCertificates ?? []),
          ],
        }),
    signerInfos: (shape.signerInfos ?? ((i) => [i]))(info),
  });
  return Buffer.from(
    new pkijs.ContentInfo({
      contentType: shape.contentType ?? OID.signedData,
      content: signedData.toSchema(true),
    })
      .toSchema()
      .toBER(false),
  );
}

function refusal(contents: Buffer): { reason: string; detail: string } | CmsReading {
  try {
    return verifyCms(contents, DATA);
  } catch (error) {
    if (error instanceof CmsError) {
      return { reason: error.reason, detail: error.message };
    }
    throw error;
  }
}

const MALFORMED = 'MALFORMED_SIGNATURE';

/** The attribute `a`, its own length written as `how` says (BER allows both; DER neither). */
function berAttribute(a: pkijs.Attribute, how: 'long-form' | 'indefinite'): pkijs.Attribute {
  return Object.assign(Object.create(a) as pkijs.Attribute, {
    toSchema: () => {
      const schema = a.toSchema();
      if (how === 'long-form') {
        schema.lenBlock.longFormUsed = true;
      } else {
        schema.lenBlock.isIndefiniteForm = true;
        schema.valueBlock.isIndefiniteForm = true;
      }
      return schema;
    },
  });
}

/**
 * `der` (a ContentInfo) re-encoded with an indefinite length whose end-of-contents never comes:
 * after the content type and the content, an INTEGER that claims more bytes than are left. A
 * decoder reads both children before it fails, so only its error says the value is broken.
 */
function unterminated(der: Buffer): Buffer {
  const outer = asn1js.fromBER(ab(der)).result as asn1js.Sequence;
  return Buffer.concat([
    Buffer.from([0x30, 0x80]),
    ...outer.valueBlock.value.map((child) => Buffer.from(child.toBER(false))),
    Buffer.from([0x02, 0x05, 0x01]),
  ]);
}

describe('a CMS read as the workbench writes it, and as others do', () => {
  it('RSA and EC, padded with zeros as /Contents is: the signer, its chain, the hash', () => {
    for (const who of [rsa, ec]) {
      const read = verifyCms(Buffer.concat([cms({ who }), Buffer.alloc(64)]), DATA);
      expect(read).toEqual({
        signer: who.der,
        certificates: [who.der, root.der],
        hash: 'sha256',
        pades: true,
        signingTime: null,
      });
    }
  });

  it('the signer’s certificate carried twice (as poppler/NSS writes it) is one signer', () => {
    const read = verifyCms(cms({ certificates: (p) => [p.der, root.der, p.der] }), DATA);
    expect(read.certificates).toEqual([rsa.der, root.der]);
  });

  it('the signer named by its key id', () => {
    expect(verifyCms(cms({ sid: 'keyId' }), DATA).signer).toEqual(rsa.der);
  });

  it('a signing-time is read (UTC and generalized), and makes the signature CMS, not PAdES', () => {
    const at = new Date('2026-12-05T10:00:00Z');
    for (const time of [
      new asn1js.UTCTime({ valueDate: at }),
      new asn1js.GeneralizedTime({ valueDate: at }),
    ]) {
      const read = verifyCms(cms({ attrs: (g) => [...g, attr(OID.signingTime, time)] }), DATA);
      expect(read).toMatchObject({ signingTime: at.toISOString(), pades: false });
    }
  });

  it('signing-certificate v1 binds with SHA-1: refused, alone or beside v2; v2 may name its hash', () => {
    const v1 = cms({
      attrs: (g, who) => [g[0]!, g[1]!, attr(OID.signingCertificate, essV1(who.der))],
    });
    const sha1 =
      'signing-certificate (version 1) binds the signer with SHA-1, which is not accepted';
    expect(() => verifyCms(v1, DATA)).toThrow(
      expect.objectContaining({ reason: 'WEAK_ALGORITHM', message: sha1 }) as Error,
    );
    const both = cms({
      attrs: (g, who) => [
        g[0]!,
        g[1]!,
        attr(OID.signingCertificateV2, essV2(who.der, 'sha256', H.sha256)),
        attr(OID.signingCertificate, essV1(who.der)),
      ],
    });
    expect(() => verifyCms(both, DATA)).toThrow(
      expect.objectContaining({ reason: 'WEAK_ALGORITHM', message: sha1 }) as Error,
    );
    const v2384 = cms({
      attrs: (g, who) => [
        g[0]!,
        g[1]!,
        attr(OID.signingCertificateV2, essV2(who.der, 'sha384', H.sha384)),
      ],
    });
    expect(verifyCms(v2384, DATA)).toMatchObject({ pades: true });
    // Neither: nothing binds the certificate, which the signer's identifier still finds.
    expect(verifyCms(cms({ attrs: (g) => [g[0]!, g[1]!] }), DATA)).toMatchObject({ pades: false });
  });

  it('the bare key OIDs as signature algorithms, RSA-PSS, and a signature hash other than the digest’s', () => {
    expect(refusal(cms({ signatureAlgorithm: OID.rsaEncryption }))).toMatchObject({
      signer: rsa.der,
    });
    expect(refusal(cms({ who: ec, signatureAlgorithm: OID.ecPublicKey }))).toMatchObject({
      signer: ec.der,
    });
    const pss = new pkijs.RSASSAPSSParams({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: H.sha256 }),
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.1.8',
        algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: H.sha256 }).toSchema(),
      }),
      saltLength: 32,
    });
    const pssSign = (attrs: Buffer, who: Party) =>
      sign('sha256', attrs, {
        key: createPrivateKey({ key: who.key, format: 'der', type: 'pkcs8' }),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
    expect(
      refusal(
        cms({ signatureAlgorithm: OID.rsaPss, signatureParams: pss.toSchema(), signWith: pssSign }),
      ),
    ).toMatchObject({ signer: rsa.der });
    // SHA-384 with RSA over a SHA-256 digest: refused, as NSS (pdfsig) refuses it, even with the
    // signature genuinely made with SHA-384.
    expect(
      refusal(
        cms({ signatureAlgorithm: H.rsaSha384, signWith: (a, who) => keySign(a, who, 'sha384') }),
      ),
    ).toEqual({
      reason: 'SIGNATURE_INVALID',
      detail: 'the signature is made with SHA384, the signer declares SHA256',
    });
    expect(
      refusal(
        cms({ signatureAlgorithm: H.rsaSha384, signWith: (a, who) => keySign(a, who, 'sha256') }),
      ),
    ).toMatchObject({ reason: 'SIGNATURE_INVALID' });
  });

  it('ECDSA with SHA-384 over a SHA-256 digest: refused, made with either hash', () => {
    const ecdsaSha384 = '1.2.840.10045.4.3.3';
    expect(
      refusal(
        cms({
          who: ec,
          signatureAlgorithm: ecdsaSha384,
          signWith: (a, who) => keySign(a, who, 'sha384'),
        }),
      ),
    ).toEqual({
      reason: 'SIGNATURE_INVALID',
      detail: 'the signature is made with SHA384, the signer declares SHA256',
    });
    expect(
      refusal(
        cms({
          who: ec,
          signatureAlgorithm: ecdsaSha384,
          signWith: (a, who) => keySign(a, who, 'sha256'),
        }),
      ),
    ).toEqual({
      reason: 'SIGNATURE_INVALID',
      detail: 'the signature is made with SHA384, the signer declares SHA256',
    });
  });

  it('entries of the other certificate formats are carried, neither read as certificates nor returned', () => {
    const other = new pkijs.OtherCertificateFormat({
      otherCertFormat: '1.2.3.4',
      otherCert: new asn1js.OctetString({ valueHex: ab(Buffer.from('not an X.509 certificate')) }),
    });
    expect(refusal(cms({ otherCertificates: [other] }))).toMatchObject({
      signer: rsa.der,
      certificates: [rsa.der, root.der],
    });
  });

  it('the signer named by key id among certificates of which one has no extensions at all', async () => {
    const plain = await issue({
      name: 'CN=CMS Plain',
      noBasicConstraints: true,
      noKeyIds: true,
      noKeyUsage: true,
    });
    expect(pkijs.Certificate.fromBER(ab(plain.der)).extensions).toBeUndefined();
    expect(
      refusal(cms({ sid: 'keyId', certificates: (p) => [plain.der, p.der, root.der] })),
    ).toMatchObject({ signer: rsa.der, certificates: [plain.der, rsa.der, root.der] });
  });

  it('a signed attribute of exactly 128 bytes, its length in DER’s long form (30 81 80), is DER', () => {
    // An attribute nobody reads: OID 1.2.3.4 (5 bytes) and a SET of one OCTET STRING of 119 bytes.
    const extra = attr('1.2.3.4', new asn1js.OctetString({ valueHex: ab(Buffer.alloc(119, 5)) }));
    expect(Buffer.from(extra.toSchema().toBER(false)).subarray(0, 3)).toEqual(
      Buffer.from([0x30, 0x81, 0x80]),
    );
    expect(refusal(cms({ attrs: (g) => [...g, extra] }))).toMatchObject({ signer: rsa.der });
  });

  it('a refusal is a CmsError, named so wherever it is logged', () => {
    let caught: unknown;
    try {
      verifyCms(Buffer.alloc(0), DATA);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CmsError);
    expect(String(caught)).toBe('CmsError: the signature is not DER');
  });
});

describe('each CMS refused for its own reason', () => {
  const other = () => issue({ name: 'CN=CMS Other', issuer: root, algorithm: 'ec-p256' });
  const rows: [string, () => Buffer | Promise<Buffer>, string, string][] = [
    ['no DER at all', () => Buffer.from('not a signature'), MALFORMED, 'the signature is not DER'],
    ['nothing', () => Buffer.alloc(0), MALFORMED, 'the signature is not DER'],
    [
      'a value that decodes with an error (a UTCTime that is no time)',
      () => Buffer.from([0x17, 0x01, 0x41]),
      MALFORMED,
      'the signature is not DER',
    ],
    [
      'a ContentInfo whose indefinite length never ends',
      () => unterminated(cms()),
      MALFORMED,
      'the signature is not DER',
    ],
    [
      'bytes after the signature other than padding',
      () => Buffer.concat([cms(), Buffer.from([0, 0, 7])]),
      MALFORMED,
      'bytes follow the signature in /Contents',
    ],
    [
      'DER that is no ContentInfo',
      () => Buffer.from(new asn1js.Integer({ value: 7 }).toBER(false)),
      MALFORMED,
      'the signature is not a CMS SignedData',
    ],
    [
      'a ContentInfo of another type',
      () => cms({ contentType: OID.data }),
      MALFORMED,
      'the signature is not a CMS SignedData',
    ],
    [
      'two signers',
      () => cms({ signerInfos: (i) => [i, i] }),
      MALFORMED,
      'a PDF signature has exactly one signer',
    ],
    [
      'no signer',
      () => cms({ signerInfos: () => [] }),
      MALFORMED,
      'a PDF signature has exactly one signer',
    ],
    [
      'over content of another type',
      () => cms({ eContentType: OID.signedData }),
      MALFORMED,
      'the signature is not detached over data',
    ],
    [
      'with the content attached',
      () => cms({ eContent: true }),
      MALFORMED,
      'the signature is not detached over data',
    ],
    [
      'without the signer’s certificate',
      () => cms({ certificates: () => [root.der] }),
      MALFORMED,
      'the signer certificate is not in the signature',
    ],
    [
      'no certificates at all',
      () => cms({ noCertificates: true }),
      MALFORMED,
      'the signer certificate is not in the signature',
    ],
    [
      'naming by key id a certificate without one',
      async () => {
        const bare = await issue({ name: 'CN=CMS Bare', issuer: root, noKeyIds: true });
        return cms({
          who: bare,
          sid: () =>
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [new asn1js.OctetString({ valueHex: ab(Buffer.alloc(20, 1)) })],
            }),
        });
      },
      MALFORMED,
      'the signer certificate is not in the signature',
    ],
    [
      'naming by key id another certificate',
      async () => {
        const o = await other();
        return cms({ sid: 'keyId', certificates: () => [o.der, root.der] });
      },
      MALFORMED,
      'the signer certificate is not in the signature',
    ],
    [
      'two different certificates with the signer’s issuer and serial',
      async () => {
        const twin = await issue({
          name: 'CN=CMS Twin',
          issuer: root,
          serial: rsa.cert.serialNumber,
        });
        return cms({ certificates: (p) => [p.der, twin.der, root.der] });
      },
      MALFORMED,
      'two different certificates match the signer',
    ],
    [
      'a SHA-1 digest',
      () => cms({ digestAlgorithm: H.sha1 }),
      'WEAK_ALGORITHM',
      'the digest algorithm SHA1 is not accepted',
    ],
    [
      'a digest algorithm nobody knows',
      () => cms({ digestAlgorithm: '1.2.3.4' }),
      'WEAK_ALGORITHM',
      'the digest algorithm 1.2.3.4 is not accepted',
    ],
    [
      'a signer’s RSA key of 1024 bits',
      async () => cms({ who: await issue({ name: 'CN=CMS Small', issuer: root, rsaBits: 1024 }) }),
      'WEAK_ALGORITHM',
      "the signer's key: an RSA key of 1024 bits (at least 2048 are required)",
    ],
    [
      'no signed attributes',
      () => cms({ noSignedAttrs: true }),
      MALFORMED,
      'the signature has no signed attributes',
    ],
    [
      'a signed attribute whose length is written long where DER writes it short (30 81 18)',
      () => cms({ attrs: (g) => [berAttribute(g[0]!, 'long-form'), g[1]!, g[2]!] }),
      MALFORMED,
      'the signed attributes are not DER',
    ],
    [
      'a signed attribute of indefinite length',
      () => cms({ attrs: (g) => [g[0]!, g[1]!, berAttribute(g[2]!, 'indefinite')] }),
      MALFORMED,
      'the signed attributes are not DER',
    ],
    [
      'no content-type',
      () => cms({ attrs: (g) => [g[1]!, g[2]!] }),
      MALFORMED,
      'content-type is missing or not data',
    ],
    [
      'a content-type other than data',
      () =>
        cms({
          attrs: (g) => [
            attr(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.signedData })),
            g[1]!,
            g[2]!,
          ],
        }),
      MALFORMED,
      'content-type is missing or not data',
    ],
    [
      'a content-type that is no OID',
      () =>
        cms({
          attrs: (g) => [attr(OID.contentType, new asn1js.Integer({ value: 1 })), g[1]!, g[2]!],
        }),
      MALFORMED,
      'content-type is missing or not data',
    ],
    [
      'content-type twice',
      () => cms({ attrs: (g) => [g[0]!, g[0]!, g[1]!, g[2]!] }),
      MALFORMED,
      `attribute ${OID.contentType} is not single-valued`,
    ],
    [
      'message-digest with two values',
      () =>
        cms({
          attrs: (g) => [
            g[0]!,
            attr(
              OID.messageDigest,
              new asn1js.OctetString({ valueHex: ab(DIGEST) }),
              new asn1js.OctetString({ valueHex: ab(Buffer.alloc(32)) }),
            ),
            g[2]!,
          ],
        }),
      MALFORMED,
      `attribute ${OID.messageDigest} is not single-valued`,
    ],
    [
      'message-digest with no value',
      () => cms({ attrs: (g) => [g[0]!, attr(OID.messageDigest), g[2]!] }),
      MALFORMED,
      `attribute ${OID.messageDigest} is not single-valued`,
    ],
    [
      'no message-digest',
      () => cms({ attrs: (g) => [g[0]!, g[2]!] }),
      MALFORMED,
      'message-digest is missing',
    ],
    [
      'a message-digest that is no octet string',
      () =>
        cms({
          attrs: (g) => [g[0]!, attr(OID.messageDigest, new asn1js.Integer({ value: 1 })), g[2]!],
        }),
      MALFORMED,
      'message-digest is missing',
    ],
    [
      'the digest of other bytes',
      () =>
        cms({
          attrs: (g) => [
            g[0]!,
            attr(OID.messageDigest, new asn1js.OctetString({ valueHex: ab(Buffer.alloc(32)) })),
            g[2]!,
          ],
        }),
      'DIGEST_MISMATCH',
      'the document does not match the signed digest',
    ],
    [
      'signing-certificate-v2 naming another certificate',
      async () => {
        const o = await other();
        return cms({ attrs: (g) => [g[0]!, g[1]!, attr(OID.signingCertificateV2, essV2(o.der))] });
      },
      MALFORMED,
      'signing-certificate does not name the signer',
    ],
    [
      'signing-certificate-v2 under a hash nobody knows',
      () =>
        cms({
          attrs: (g, who) => [
            g[0]!,
            g[1]!,
            attr(OID.signingCertificateV2, essV2(who.der, 'sha256', '1.2.3.4')),
          ],
        }),
      'WEAK_ALGORITHM',
      'signing-certificate-v2 uses an unknown hash',
    ],
    [
      'signing-certificate (v1) naming another certificate',
      async () => {
        const o = await other();
        return cms({ attrs: (g) => [g[0]!, g[1]!, attr(OID.signingCertificate, essV1(o.der))] });
      },
      'WEAK_ALGORITHM',
      'signing-certificate (version 1) binds the signer with SHA-1, which is not accepted',
    ],
    [
      'signing-certificate-v2 whose hash is no octet string',
      () =>
        cms({
          attrs: (g) => [
            g[0]!,
            g[1]!,
            attr(
              OID.signingCertificateV2,
              new asn1js.Sequence({
                value: [
                  new asn1js.Sequence({
                    value: [new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 })] })],
                  }),
                ],
              }),
            ),
          ],
        }),
      MALFORMED,
      'signing-certificate does not name the signer',
    ],
    [
      'an empty signing-certificate-v2',
      () =>
        cms({
          attrs: (g) => [g[0]!, g[1]!, attr(OID.signingCertificateV2, new asn1js.Sequence())],
        }),
      MALFORMED,
      'signing-certificate does not name the signer',
    ],
    [
      'a signature value changed',
      () => cms({ flipSignature: true }),
      'SIGNATURE_INVALID',
      'the signature does not verify with the signer certificate',
    ],
    [
      'an EC signature value changed',
      () => cms({ who: ec, flipSignature: true }),
      'SIGNATURE_INVALID',
      'the signature does not verify with the signer certificate',
    ],
    [
      'an RSA signature algorithm for an EC key',
      () => cms({ who: ec, signatureAlgorithm: H.rsaSha256 }),
      'SIGNATURE_INVALID',
      'an RSA signature from a key that is not RSA',
    ],
    [
      'the RSA key OID for an EC key',
      () => cms({ who: ec, signatureAlgorithm: OID.rsaEncryption }),
      'SIGNATURE_INVALID',
      'an RSA signature from a key that is not RSA',
    ],
    [
      'an ECDSA signature algorithm for an RSA key',
      () => cms({ signatureAlgorithm: H.ecdsaSha256 }),
      'SIGNATURE_INVALID',
      'an ECDSA signature from a key that is not EC',
    ],
    [
      'the EC key OID for an RSA key',
      () => cms({ signatureAlgorithm: OID.ecPublicKey }),
      'SIGNATURE_INVALID',
      'an ECDSA signature from a key that is not EC',
    ],
    [
      'RSA-PSS under a hash nobody knows',
      () =>
        cms({
          signatureAlgorithm: OID.rsaPss,
          signatureParams: new pkijs.RSASSAPSSParams({
            hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.3.4' }),
            maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
              algorithmId: '1.2.840.113549.1.1.8',
              algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.3.4' }).toSchema(),
            }),
            saltLength: 32,
          }).toSchema(),
        }),
      'WEAK_ALGORITHM',
      // The algorithm policy refuses it before the verifier would.
      'the signature (RSA-PSS): 1.2.3.4 is not an accepted hash',
    ],
    [
      'a signature algorithm nobody knows',
      () => cms({ signatureAlgorithm: '1.2.3.4.5' }),
      'WEAK_ALGORITHM',
      'the signature: signature algorithm 1.2.3.4.5 is not accepted',
    ],
  ];
  for (const [name, make, reason, detail] of rows) {
    it(name, async () => {
      expect(refusal(await make())).toEqual({ reason, detail });
    });
  }
});

describe('the algorithm policy in force, for the digest too', () => {
  afterEach(() => setAlgorithmPolicy(null));

  it('a SHA-256 digest is refused under a policy that no longer accepts SHA-256', () => {
    expect(refusal(cms())).toMatchObject({ signer: rsa.der, hash: 'sha256' });
    setAlgorithmPolicy({ ...algorithmPolicy(), hashes: ['sha384', 'sha512'] });
    expect(refusal(cms())).toEqual({
      reason: 'WEAK_ALGORITHM',
      detail: 'the digest algorithm SHA256 is not accepted',
    });
  });
});

describe('the CMS the workbench builds', () => {
  const signer = (who: Party, hash: 'sha256' | 'sha384'): CmsSigner => ({
    chain: [who.der, root.der],
    keyType: who.algorithm === 'rsa' ? 'rsa' : 'ec',
    hash,
    sign: (data) => Promise.resolve(keySign(data, who, hash)),
  });
  const signerInfo = (der: Buffer) =>
    new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(der)).content }).signerInfos[0]!;
  /** The ESSCertIDv2 of the signing-certificate-v2 attribute, element by element. */
  function essCertId(der: Buffer): asn1js.BaseBlock[] {
    const ess = signerInfo(der).signedAttrs!.attributes.find(
      (a) => a.type === OID.signingCertificateV2,
    )!;
    const certs = (ess.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    return (certs.valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  }

  it('signing-certificate-v2: the hash algorithm only when not the default SHA-256, the certificate’s hash, its issuer and serial', async () => {
    const certificate = pkijs.Certificate.fromBER(ab(rsa.der));
    for (const hash of ['sha256', 'sha384'] as const) {
      const der = await buildPadesCms(
        createHash(hash).update(Buffer.concat(DATA)).digest(),
        signer(rsa, hash),
      );
      expect(verifyCms(der, DATA)).toMatchObject({ signer: rsa.der, hash, pades: true });
      const id = essCertId(der);
      // RFC 5035 §5.4.1.1: hashAlgorithm DEFAULT sha256, which DER leaves out.
      expect(id).toHaveLength(hash === 'sha256' ? 2 : 3);
      if (hash === 'sha384') {
        expect(new pkijs.AlgorithmIdentifier({ schema: id[0] }).algorithmId).toBe(H.sha384);
      }
      const [value, issuerSerial] = id.slice(-2);
      expect(value).toBeInstanceOf(asn1js.OctetString);
      expect(Buffer.from((value as asn1js.OctetString).valueBlock.valueHexView)).toEqual(
        createHash(hash).update(rsa.der).digest(),
      );
      const named = new pkijs.IssuerSerial({ schema: issuerSerial });
      expect(named.issuer.names.map((n) => n.type)).toEqual([4]);
      const issuer = named.issuer.names[0]!.value as pkijs.RelativeDistinguishedNames;
      expect(issuer.isEqual(certificate.issuer)).toBe(true);
      expect(issuer.isEqual(certificate.subject)).toBe(false);
      expect(named.serialNumber.isEqual(certificate.serialNumber)).toBe(true);
    }
  });

  it('the signed attributes are signed and carried in DER order (a SET OF sorts by encoding), not as written', async () => {
    // A message-digest longer than the signing-certificate-v2 sorts after it.
    const der = await buildPadesCms(Buffer.alloc(160, 0xab), signer(rsa, 'sha256'));
    const info = signerInfo(der);
    const attrs = info.signedAttrs!;
    expect(attrs.attributes.map((a) => a.type)).toEqual([
      OID.contentType,
      OID.signingCertificateV2,
      OID.messageDigest,
    ]);
    const encodings = attrs.attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
    expect([...encodings].sort((a, b) => Buffer.compare(a, b))).toEqual(encodings);
    // The signature is over exactly the attributes carried.
    expect(
      verify(
        'sha256',
        Buffer.from(attrs.encodedValue),
        new X509Certificate(rsa.der).publicKey,
        Buffer.from(info.signature.valueBlock.valueHexView),
      ),
    ).toBe(true);
    expect(refusal(der)).toEqual({
      reason: 'DIGEST_MISMATCH',
      detail: 'the document does not match the signed digest',
    });
  });

  it('a signer without a certificate is refused before anything is signed', async () => {
    let signed = 0;
    const none: CmsSigner = {
      ...signer(rsa, 'sha256'),
      chain: [],
      sign: (data) => {
        signed += 1;
        return Promise.resolve(keySign(data, rsa));
      },
    };
    await expect(buildPadesCms(DIGEST, none)).rejects.toThrow(
      new Error('a signer needs a certificate'),
    );
    expect(signed).toBe(0);
  });
});

describe('the certificates of a signature, read without verifying it', () => {
  it('its signer, found by the identifier, and each certificate it carries once', () => {
    expect(cmsCertificates(cms({ certificates: (p) => [root.der, p.der, p.der] }))).toEqual({
      signer: rsa.der,
      certificates: [root.der, rsa.der],
    });
    expect(cmsCertificates(cms({ who: ec, sid: 'keyId' }))).toEqual({
      signer: ec.der,
      certificates: [ec.der, root.der],
    });
  });

  const rows: [string, () => Buffer][] = [
    ['nothing', () => Buffer.alloc(0)],
    ['no DER at all', () => Buffer.from('not a signature')],
    ['a ContentInfo whose indefinite length never ends', () => unterminated(cms())],
    [
      'DER that is no ContentInfo',
      () => Buffer.from(new asn1js.Integer({ value: 7 }).toBER(false)),
    ],
    ['a SignedData labelled as another content type', () => cms({ contentType: OID.data })],
    ['two signers', () => cms({ signerInfos: (i) => [i, i] })],
    ['no signer', () => cms({ signerInfos: () => [] })],
    ['without the signer’s certificate', () => cms({ certificates: () => [root.der] })],
  ];
  for (const [name, make] of rows) {
    it(`none for ${name}`, () => {
      expect(cmsCertificates(make())).toBeNull();
    });
  }
});

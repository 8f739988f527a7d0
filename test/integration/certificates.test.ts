/**
 * The certificate side of the verifier, from the side that must be refused: each row is a path
 * (validatePath) or a signed letter (verifyPdf) an adversary or a careless CA would make, and
 * asserts its own reason code, so a row refused for another reason fails. Letters are also
 * given to pdfsig (the same anchors and CRLs in an NSS store): ours is never looser.
 *
 * Covered: algorithms as policy (SHA-1 and RSA-1024 anywhere on the path, in the CMS digest,
 * signature algorithm and signer key; the anchor's own self-signature not relied upon, its key
 * is), pinned end-entity anchors that issue nothing, CA flag and keyCertSign each without the
 * other, pathLen, a link with the right issuer name and key id but another issuer's signature,
 * the CMS signature value itself, sid and signing-certificate-v2 binding, the signer's
 * certificate last or twice in the CMS, two different certificates matching the sid, and a mesh
 * of cross-certificates answered with CHAIN_TOO_COMPLEX within the path-building budget.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureReason } from '../../shared/signatures';
import { ALGORITHMS_FILE, algorithmPolicy, keyWeakness } from '../../electron/signing/algorithms';
import { buildPadesCms, type CmsSigner } from '../../electron/signing/cms';
import { createSelfSigned, softwareSigner } from '../../electron/signing/identity';
import { PATH_BUDGET, validatePath } from '../../electron/signing/path';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';
import { verifyPdf } from '../../electron/signing/verify';
import { readCertificate, x509 } from '../../electron/signing/x509';
import { tempFolder } from '../helpers/context';
import { letter, SLOTS } from '../helpers/pdf';
import {
  crl,
  issue,
  nssStore,
  pdfsigAccepts,
  pdfsigReport,
  withExponent,
  type Party,
} from '../helpers/pki';

let folder: ReturnType<typeof tempFolder>;
let root: Party;
let ca: Party;
let signer: Party;
let base: Buffer;
let crls: x509.X509Crl[];

const SIGNING = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

beforeAll(async () => {
  folder = tempFolder('awb-certificates-');
  root = await issue({ name: 'CN=Cert Test Root, O=Authority, C=DK', ca: true });
  ca = await issue({
    name: 'CN=Cert Test CA, O=Authority, C=DK',
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
  // Current CRLs for both CAs: a valid row is valid with its revocation known.
  crls = [await crl(root, []), await crl(ca, [])];
});
afterAll(() => folder.cleanup());

function signerOf(party: Party, chain: Party[] = []): CmsSigner {
  return softwareSigner(party.key, [party.der, ...chain.map((c) => c.der)]);
}

function sign(pdf: Buffer, with_: CmsSigner): Promise<Buffer> {
  return signPdf(pdf, with_, {
    field: 'Signature1',
    slot: SLOTS[0],
    appearance: { title: 'Test signer', lines: ['Signed for the test'] },
    name: 'Test signer',
    reason: 'Test',
    location: 'Test',
    signingTime: new Date(),
  });
}

/**
 * The same letter with its CMS replaced by `build(digest)`: the ByteRange and the space reserved
 * stay, so only the CMS differs from a genuine one.
 */
async function resign(
  pdf: Buffer,
  hash: 'sha1' | 'sha256' | 'sha384',
  build: (digest: Buffer) => Promise<Buffer> | Buffer,
): Promise<Buffer> {
  const file = PdfFile.parse(pdf);
  const [sig] = file.signatureValues(file.last.number);
  const [, b, c] = sig!.byteRange! as [number, number, number, number];
  const digest = createHash(hash).update(pdf.subarray(0, b)).update(pdf.subarray(c)).digest();
  const cms = (await build(digest)).toString('hex');
  expect(cms.length).toBeLessThanOrEqual(c - b - 2);
  const out = Buffer.from(pdf);
  out.fill('0', b + 1, c - 1);
  out.write(cms, b + 1, 'latin1');
  return out;
}

const ab = (b: Uint8Array) =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A CMS's certificates replaced by `certificates` (outside the signed attributes: no re-signing). */
function withCertificates(cms: Buffer, certificates: Buffer[]): Buffer {
  const info = pkijs.ContentInfo.fromBER(ab(cms));
  const signed = new pkijs.SignedData({ schema: info.content });
  signed.certificates = certificates.map((der) => pkijs.Certificate.fromBER(ab(der)));
  return Buffer.from(
    new pkijs.ContentInfo({ contentType: info.contentType, content: signed.toSchema(true) })
      .toSchema()
      .toBER(false),
  );
}

const OIDS = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
} as const;

/**
 * A PAdES-shaped CMS made by hand, so one part at a time can be wrong: the sid's certificate,
 * the certificate signing-certificate-v2 names, the digest and signature algorithms.
 */
function handCms(
  digest: Buffer,
  o: {
    key: Buffer;
    sid: Party;
    ess: Party;
    certificates: Party[];
    digestOid?: string;
    signatureOid?: string;
    signatureHash?: 'sha1' | 'sha256';
  },
): Buffer {
  const sidCert = pkijs.Certificate.fromBER(ab(o.sid.der));
  const attribute = (type: string, value: asn1js.BaseBlock) =>
    new pkijs.Attribute({ type, values: [value] });
  const ess = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.OctetString({
                valueHex: ab(createHash('sha256').update(o.ess.der).digest()),
              }),
            ],
          }),
        ],
      }),
    ],
  });
  const attrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      attribute(
        '1.2.840.113549.1.9.3',
        new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' }),
      ),
      attribute('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: ab(digest) })),
      attribute('1.2.840.113549.1.9.16.2.47', ess),
    ],
  });
  const der = (a: pkijs.Attribute) => Buffer.from(a.toSchema().toBER(false));
  attrs.attributes.sort((a, b) => Buffer.compare(der(a), der(b)));
  const toSign = Buffer.from(
    new asn1js.Set({ value: attrs.attributes.map((a) => a.toSchema()) }).toBER(false),
  );
  const key = createPrivateKey({ key: o.key, format: 'der', type: 'pkcs8' });
  const signature = nodeSign(o.signatureHash ?? 'sha256', toSign, key);
  const rsa = key.asymmetricKeyType === 'rsa';
  const info = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: sidCert.issuer,
      serialNumber: sidCert.serialNumber,
    }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: o.digestOid ?? OIDS.sha256 }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      rsa
        ? { algorithmId: o.signatureOid ?? OIDS.sha256WithRSA, algorithmParams: new asn1js.Null() }
        : { algorithmId: o.signatureOid ?? OIDS.ecdsaSha256 },
    ),
    signedAttrs: attrs,
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: o.digestOid ?? OIDS.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: o.certificates.map((c) => pkijs.Certificate.fromBER(ab(c.der))),
    signerInfos: [info],
  });
  return Buffer.from(
    new pkijs.ContentInfo({
      contentType: '1.2.840.113549.1.7.2',
      content: signedData.toSchema(true),
    })
      .toSchema()
      .toBER(false),
  );
}

interface PathRow {
  name: string;
  /** The signer, what the signature carries, the anchors. */
  build: () => Promise<{ signer: Party; pool: Party[]; anchors: Party[] }>;
  ours: SignatureReason | null;
  /** A word the detail must contain (names what is wrong). */
  detail?: string;
}

const pathRows: PathRow[] = [
  {
    name: 'a good chain: root → CA → signer',
    build: async () => ({ signer, pool: [ca], anchors: [root] }),
    ours: null,
  },
  {
    name: "a signer the trust anchor's child signed with SHA-1",
    build: async () => {
      const sha1 = await issue({
        name: 'CN=SHA-1 Signer, O=Authority, C=DK',
        issuer: root,
        signatureHash: 'SHA-1',
      });
      return { signer: sha1, pool: [], anchors: [root] };
    },
    ours: 'WEAK_ALGORITHM',
    detail: 'SHA1',
  },
  {
    name: "a signer with an RSA-1024 key, the trust anchor's child",
    build: async () => {
      const small = await issue({
        name: 'CN=Small Key, O=Authority, C=DK',
        issuer: root,
        rsaBits: 1024,
      });
      return { signer: small, pool: [], anchors: [root] };
    },
    ours: 'WEAK_ALGORITHM',
    detail: '1024 bits',
  },
  ...(
    [
      // e = 1: every number is its own signature, so anyone signs as the certificate.
      [1, "anyone's signature"],
      [3, 'a small exponent'],
      [65538, 'an even exponent'],
    ] as const
  ).map(([e, what]) => ({
    name: `a signer whose RSA public exponent is ${e} (${what})`,
    build: async () => {
      const odd = await issue({
        name: `CN=Exponent ${e}, O=Authority, C=DK`,
        issuer: root,
        ...(e === 3 ? { rsaExponent: 3 } : { keyWritten: withExponent(e) }),
      });
      return { signer: odd, pool: [], anchors: [root] };
    },
    ours: 'WEAK_ALGORITHM' as const,
    detail: `public exponent ${e} (odd and at least 65537 is required)`,
  })),
  {
    name: 'an issuing CA with an RSA-1024 key',
    build: async () => {
      const weakCa = await issue({
        name: 'CN=Weak CA, O=Authority, C=DK',
        ca: true,
        issuer: root,
        rsaBits: 1024,
      });
      const leaf = await issue({ name: 'CN=Leaf, O=Authority, C=DK', issuer: weakCa });
      return { signer: leaf, pool: [weakCa], anchors: [root] };
    },
    ours: 'WEAK_ALGORITHM',
    detail: '1024 bits',
  },
  {
    name: 'an ECDSA-with-SHA-1 link between CAs',
    build: async () => {
      const ecRoot = await issue({
        name: 'CN=EC Root, O=Authority, C=DK',
        ca: true,
        algorithm: 'ec-p256',
      });
      const sub = await issue({
        name: 'CN=EC Sub CA, O=Authority, C=DK',
        ca: true,
        issuer: ecRoot,
        algorithm: 'ec-p256',
        signatureHash: 'SHA-1',
      });
      const leaf = await issue({
        name: 'CN=EC Leaf, O=Authority, C=DK',
        issuer: sub,
        algorithm: 'ec-p256',
      });
      return { signer: leaf, pool: [sub], anchors: [ecRoot] };
    },
    ours: 'WEAK_ALGORITHM',
    detail: 'ecdsa-with-SHA1',
  },
  {
    // Decided: a pinned anchor is trusted input; its self-signature is never relied upon.
    name: 'an anchor whose own self-signature is SHA-1 (its key is strong): not relied upon',
    build: async () => {
      const oldRoot = await issue({
        name: 'CN=Old Root, O=Authority, C=DK',
        ca: true,
        signatureHash: 'SHA-1',
      });
      const leaf = await issue({ name: 'CN=Under Old Root, O=Authority, C=DK', issuer: oldRoot });
      return { signer: leaf, pool: [], anchors: [oldRoot] };
    },
    ours: null,
  },
  {
    name: 'an anchor with an RSA-1024 key: its key is relied upon',
    build: async () => {
      const smallRoot = await issue({
        name: 'CN=Small Root, O=Authority, C=DK',
        ca: true,
        rsaBits: 1024,
      });
      const leaf = await issue({
        name: 'CN=Under Small Root, O=Authority, C=DK',
        issuer: smallRoot,
      });
      return { signer: leaf, pool: [], anchors: [smallRoot] };
    },
    ours: 'WEAK_ALGORITHM',
    detail: '1024 bits',
  },
  {
    name: 'a pinned end entity: the signer itself, byte-equal, is the anchor',
    build: async () => {
      const pinned = await issue({ name: 'CN=Pinned Signer, O=Authority, C=DK' });
      return { signer: pinned, pool: [], anchors: [pinned] };
    },
    ours: null,
  },
  {
    name: 'a certificate issued by a pinned end entity (CA:FALSE): it issues nothing',
    build: async () => {
      const pinned = await issue({ name: 'CN=Pinned Signer, O=Authority, C=DK' });
      const child = await issue({
        name: 'CN=Second Accreditor, O=Authority, C=DK',
        issuer: pinned,
      });
      return { signer: child, pool: [], anchors: [pinned] };
    },
    ours: 'KEY_USAGE',
    detail: 'end entity',
  },
  {
    name: 'a certificate issued by a self-signed identity made here (CA:FALSE)',
    build: async () => {
      const identity = await createSelfSigned({
        commonName: 'Anne Self',
        organisation: 'Authority',
      });
      const mine = readCertificate(identity.chain[0]!)!;
      const party: Party = {
        cert: mine,
        key: identity.key,
        signingKey: await globalThis.crypto.subtle.importKey(
          'pkcs8',
          identity.key,
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['sign'],
        ),
        algorithm: 'rsa',
        pem: '',
        der: identity.chain[0]!,
      };
      const child = await issue({ name: 'CN=Second Accreditor, O=Authority, C=DK', issuer: party });
      return { signer: child, pool: [], anchors: [party] };
    },
    ours: 'KEY_USAGE',
  },
  {
    name: 'an issuing CA with the CA flag but without keyCertSign',
    build: async () => {
      const noSign = await issue({
        name: 'CN=CA Without keyCertSign, O=Authority, C=DK',
        ca: true,
        issuer: root,
        usages: x509.KeyUsageFlags.cRLSign,
      });
      const leaf = await issue({ name: 'CN=Leaf, O=Authority, C=DK', issuer: noSign });
      return { signer: leaf, pool: [noSign], anchors: [root] };
    },
    ours: 'KEY_USAGE',
    detail: 'may not sign certificates',
  },
  {
    name: 'an issuer with keyCertSign but without the CA flag',
    build: async () => {
      const notCa = await issue({
        name: 'CN=Not A CA, O=Authority, C=DK',
        ca: false,
        issuer: root,
        usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
      });
      const leaf = await issue({ name: 'CN=Leaf, O=Authority, C=DK', issuer: notCa });
      return { signer: leaf, pool: [notCa], anchors: [root] };
    },
    ours: 'KEY_USAGE',
    detail: 'is not a CA',
  },
  {
    name: 'a path longer than the root allows (pathLen 0, one CA below it)',
    build: async () => {
      const strict = await issue({
        name: 'CN=Strict Root, O=Authority, C=DK',
        ca: true,
        pathLength: 0,
      });
      const sub = await issue({ name: 'CN=Sub CA, O=Authority, C=DK', ca: true, issuer: strict });
      const leaf = await issue({ name: 'CN=Leaf, O=Authority, C=DK', issuer: sub });
      return { signer: leaf, pool: [sub], anchors: [strict] };
    },
    ours: 'KEY_USAGE',
    detail: 'allows 0',
  },
  {
    name: "a link with the right issuer name and key id but another key's signature",
    build: async () => {
      const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
      const lookAlike = await issue({
        name: ca.cert.subject,
        ca: true,
        issuer: root,
        algorithm: 'ec-p384',
        keyId: ski,
      });
      // Issued by the look-alike: the issuer name and authority key id are the real CA's.
      const forged = await issue({
        name: 'CN=Anne Accreditor, O=Authority, C=DK',
        issuer: lookAlike,
        algorithm: 'ec-p256',
      });
      return { signer: forged, pool: [ca], anchors: [root] };
    },
    ours: 'SIGNER_NOT_TRUSTED',
    detail: 'did not issue',
  },
];

describe('paths an adversary or a careless CA would make', () => {
  for (const row of pathRows) {
    it(row.name, async () => {
      const { signer: s, pool, anchors } = await row.build();
      const result = await validatePath({
        signer: s.cert,
        pool: pool.map((p) => p.cert),
        anchors: anchors.map((a) => a.cert),
        crls: [],
        now: new Date(),
      });
      expect(result.reason, result.detail ?? '').toBe(row.ours);
      if (row.detail) {
        expect(result.detail).toContain(row.detail);
      }
      expect(result.stats.signatureChecks).toBeLessThanOrEqual(PATH_BUDGET.signatures);
    });
  }

  it('a CRL signed with SHA-1 says nothing: the revocation stays unchecked', async () => {
    const revoked = await issue({ name: 'CN=Revoked, O=Authority, C=DK', issuer: root });
    const weak = await x509.X509CrlGenerator.create({
      issuer: root.cert.subjectName,
      thisUpdate: new Date(Date.now() - 86_400_000),
      nextUpdate: new Date(Date.now() + 86_400_000),
      entries: [{ serialNumber: revoked.cert.serialNumber, revocationDate: new Date() }],
      signingKey: await globalThis.crypto.subtle.importKey(
        'pkcs8',
        root.key,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
        false,
        ['sign'],
      ),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
    });
    const result = await validatePath({
      signer: revoked.cert,
      pool: [],
      anchors: [root.cert],
      crls: [weak],
      now: new Date(),
    });
    expect(result.reason).toBeNull();
    expect(result.warnings).toContain('REVOCATION_UNCHECKED');
  });
});

/**
 * A mesh: `size` CA keys, every certificate named "CN=Mesh CA", each key certified by every
 * other (cross-certificates, same name, the issuer's key id). Every link verifies, so a search
 * without a budget walks (size-1)^depth paths. The signer hangs below key 0; no anchor is near.
 */
async function mesh(size: number): Promise<{ leaf: Party; certificates: Party[] }> {
  const keys: Party[] = [];
  for (let i = 0; i < size; i++) {
    keys.push(await issue({ name: 'CN=Mesh CA, O=Mesh, C=DK', ca: true, algorithm: 'ec-p256' }));
  }
  const certificates: Party[] = [];
  for (const [i, subject] of keys.entries()) {
    for (const [j, issuer] of keys.entries()) {
      if (i !== j) {
        certificates.push(
          await issue({ name: 'CN=Mesh CA, O=Mesh, C=DK', ca: true, issuer, keyOf: subject }),
        );
      }
    }
  }
  const leaf = await issue({
    name: 'CN=Mesh Signer, O=Mesh, C=DK',
    issuer: keys[0]!,
    algorithm: 'ec-p256',
  });
  return { leaf, certificates };
}

describe('bounded path building', () => {
  it('a mesh of cross-certificates is CHAIN_TOO_COMPLEX within the budget', async () => {
    const { leaf, certificates } = await mesh(6);
    const result = await validatePath({
      signer: leaf.cert,
      pool: certificates.map((c) => c.cert),
      anchors: [root.cert],
      crls: [],
      now: new Date(),
    });
    expect(result.reason, result.detail ?? '').toBe('CHAIN_TOO_COMPLEX');
    expect(result.stats.signatureChecks).toBeLessThanOrEqual(PATH_BUDGET.signatures + 1);
    expect(result.stats.candidates).toBeLessThanOrEqual(PATH_BUDGET.candidates + 1);
  });

  it('the budget counts every issuer signature checked: a real chain needs two here', async () => {
    const input = {
      signer: signer.cert,
      pool: [ca.cert],
      anchors: [root.cert],
      crls: [],
      now: new Date(),
    };
    const enough = await validatePath({ ...input, budget: { signatures: 2 } });
    expect(enough.reason).toBeNull();
    expect(enough.stats.signatureChecks).toBe(2);
    const short = await validatePath({ ...input, budget: { signatures: 1 } });
    expect(short.reason).toBe('CHAIN_TOO_COMPLEX');
    const fewCandidates = await validatePath({ ...input, budget: { candidates: 1 } });
    expect(fewCandidates.reason).toBe('CHAIN_TOO_COMPLEX');
  });

  it('identical certificates carried twice are one candidate, not two paths', async () => {
    const result = await validatePath({
      signer: signer.cert,
      pool: [ca.cert, ca.cert, signer.cert, root.cert, ca.cert],
      anchors: [root.cert],
      crls: [],
      now: new Date(),
    });
    expect(result.reason).toBeNull();
    expect(result.stats).toEqual({ signatureChecks: 2, candidates: 2 });
  });
});

describe('identities made here', () => {
  it('a self-signed identity is an end entity: CA:FALSE, signatures only, never keyCertSign', async () => {
    for (const algorithm of ['rsa-3072', 'ec-p256', 'ec-p384'] as const) {
      const identity = await createSelfSigned({
        commonName: 'Anne Self',
        organisation: 'Authority',
        algorithm,
      });
      const cert = readCertificate(identity.chain[0]!)!;
      expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
      expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(SIGNING);
      // Pinned, it verifies its own signatures; as an issuer, it is refused.
      const pinned = await validatePath({
        signer: cert,
        pool: [],
        anchors: [cert],
        crls: [],
        now: new Date(),
      });
      expect(pinned.reason).toBeNull();
    }
  });

  it('keys are held to the policy: RSA 3072 for keys made here, 2048 for keys verified or imported', () => {
    const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
    expect(keyWeakness(rsa(2048), 'a new key', { newKey: true })).toContain('at least 3072');
    expect(keyWeakness(rsa(3072), 'a new key', { newKey: true })).toBeNull();
    expect(keyWeakness(rsa(2048), 'an imported key')).toBeNull();
    expect(keyWeakness(rsa(1024), 'an imported key')).toContain('1024 bits');
    const curve = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).publicKey;
    expect(keyWeakness(curve('P-521'), 'a key')).toBeNull();
    expect(keyWeakness(curve('secp256k1'), 'a key')).toContain('secp256k1');
  });

  it('the policy file names its source and accepts no SHA-1 or MD5 anywhere', () => {
    const text = readFileSync(ALGORITHMS_FILE, 'utf8');
    const policy = algorithmPolicy();
    expect(policy.source).toMatch(/ETSI TS 119 312/);
    expect(policy.source).toMatch(/SOG-IS/);
    expect(policy.hashes).toEqual(['sha256', 'sha384', 'sha512']);
    expect(JSON.stringify(policy.hashes)).not.toMatch(/sha1|md5/i);
    expect(policy.rsa).toMatchObject({ minimumBits: 2048, minimumBitsNewKeys: 3072 });
    expect(policy.ec.curves).toEqual(['P-256', 'P-384', 'P-521']);
    expect(text.length).toBeGreaterThan(0);
  });
});

interface LetterRow {
  name: string;
  build: () => Promise<Buffer>;
  anchors?: () => Party[];
  ours: SignatureReason | null;
  detail?: string;
}

const letterRows: LetterRow[] = [
  {
    name: 'a genuine letter',
    build: () => sign(base, signerOf(signer, [ca])),
    ours: null,
  },
  {
    name: "the right digest, garbage signature bytes, naming the authority's certificate",
    build: () => {
      const real = signerOf(signer, [ca]);
      return sign(base, {
        ...real,
        sign: async (data) => {
          const value = await real.sign(data);
          // Still a well-formed ECDSA value (the last byte of s changed), just not this one.
          value[value.length - 1]! ^= 0x01;
          return value;
        },
      });
    },
    ours: 'SIGNATURE_INVALID',
  },
  {
    name: 'the sid names another certificate the CMS carries (signed by the signer’s key)',
    build: async () => {
      const other = await issue({
        name: 'CN=Bo Other, O=Authority, C=DK',
        issuer: ca,
        algorithm: 'ec-p256',
      });
      const real = signerOf(signer, [ca]);
      return sign(base, { ...real, chain: [other.der, signer.der, ca.der] });
    },
    ours: 'SIGNATURE_INVALID',
  },
  {
    name: 'signing-certificate-v2 names another certificate than the signer',
    build: async () => {
      const other = await issue({
        name: 'CN=Bo Other, O=Authority, C=DK',
        issuer: ca,
        algorithm: 'ec-p256',
      });
      const genuine = await sign(base, signerOf(signer, [ca, other]));
      return resign(genuine, 'sha256', (digest) =>
        handCms(digest, {
          key: signer.key,
          sid: signer,
          ess: other,
          certificates: [signer, ca, other],
        }),
      );
    },
    ours: 'MALFORMED_SIGNATURE',
    detail: 'signing-certificate',
  },
  {
    name: "the signer's certificate last in the CMS certificate list still verifies",
    build: async () => {
      const genuine = await sign(base, signerOf(signer, [ca]));
      return resign(genuine, 'sha256', async (digest) =>
        withCertificates(await buildPadesCms(digest, signerOf(signer, [ca])), [
          ca.der,
          root.der,
          signer.der,
        ]),
      );
    },
    ours: null,
  },
  {
    name: "the signer's certificate twice, identical (as poppler/NSS writes it), still verifies",
    build: async () => {
      const genuine = await sign(base, signerOf(signer, [ca]));
      return resign(genuine, 'sha256', async (digest) =>
        withCertificates(await buildPadesCms(digest, signerOf(signer, [ca])), [
          signer.der,
          signer.der,
          ca.der,
        ]),
      );
    },
    ours: null,
  },
  {
    name: 'two different certificates match the sid (same issuer and serial, another key)',
    build: async () => {
      const twin = await issue({
        name: 'CN=Anne Twin, O=Authority, C=DK',
        issuer: ca,
        algorithm: 'ec-p256',
        serial: signer.cert.serialNumber,
      });
      const genuine = await sign(base, signerOf(signer, [ca, twin]));
      return resign(genuine, 'sha256', async (digest) =>
        withCertificates(await buildPadesCms(digest, signerOf(signer, [ca])), [
          signer.der,
          twin.der,
          ca.der,
        ]),
      );
    },
    ours: 'MALFORMED_SIGNATURE',
    detail: 'two different certificates',
  },
  {
    name: 'a CMS digest algorithm of SHA-1',
    build: async () => {
      const rsaSigner = await issue({ name: 'CN=RSA Signer, O=Authority, C=DK', issuer: ca });
      const genuine = await sign(base, signerOf(rsaSigner, [ca]));
      return resign(genuine, 'sha1', (digest) =>
        handCms(digest, {
          key: rsaSigner.key,
          sid: rsaSigner,
          ess: rsaSigner,
          certificates: [rsaSigner, ca],
          digestOid: OIDS.sha1,
          signatureOid: OIDS.sha1WithRSA,
          signatureHash: 'sha1',
        }),
      );
    },
    ours: 'WEAK_ALGORITHM',
    detail: 'SHA1',
  },
  {
    name: 'a CMS signature algorithm of sha1WithRSAEncryption over a SHA-256 digest',
    build: async () => {
      const rsaSigner = await issue({ name: 'CN=RSA Signer, O=Authority, C=DK', issuer: ca });
      const genuine = await sign(base, signerOf(rsaSigner, [ca]));
      return resign(genuine, 'sha256', (digest) =>
        handCms(digest, {
          key: rsaSigner.key,
          sid: rsaSigner,
          ess: rsaSigner,
          certificates: [rsaSigner, ca],
          signatureOid: OIDS.sha1WithRSA,
          signatureHash: 'sha1',
        }),
      );
    },
    ours: 'WEAK_ALGORITHM',
    detail: 'sha1WithRSAEncryption',
  },
  {
    name: 'a signer with an RSA-1024 key (the CMS is refused before the path)',
    build: async () => {
      const small = await issue({
        name: 'CN=Small Signer, O=Authority, C=DK',
        issuer: ca,
        rsaBits: 1024,
      });
      return sign(base, signerOf(small, [ca]));
    },
    ours: 'WEAK_ALGORITHM',
    detail: '1024 bits',
  },
  {
    name: 'a signer whose certificate the anchor signed with SHA-1',
    build: async () => {
      const sha1 = await issue({
        name: 'CN=SHA-1 Signer, O=Authority, C=DK',
        issuer: ca,
        algorithm: 'ec-p256',
        signatureHash: 'SHA-1',
      });
      return sign(base, signerOf(sha1, [ca]));
    },
    ours: 'WEAK_ALGORITHM',
    detail: 'SHA1',
  },
  {
    name: 'a mesh of cross-certificates carried in the CMS',
    build: async () => {
      const { leaf, certificates } = await mesh(6);
      return sign(base, signerOf(leaf, certificates));
    },
    ours: 'CHAIN_TOO_COMPLEX',
  },
];

describe('letters an adversary would write, agreeing with pdfsig', () => {
  for (const [i, row] of letterRows.entries()) {
    it(row.name, async () => {
      const pdf = await row.build();
      const anchors = row.anchors?.() ?? [root];
      const started = Date.now();
      const ours = await verifyPdf(pdf, { anchors: anchors.map((a) => a.cert), crls });
      const took = Date.now() - started;
      const details = JSON.stringify(ours.signatures.map((s) => s.detail));
      expect(ours.reason, details).toBe(row.ours);
      expect(ours.signatures).toHaveLength(1);
      expect(ours.signatures[0]!.status === 'valid', details).toBe(row.ours === null);
      if (row.detail) {
        expect(ours.signatures[0]!.detail).toContain(row.detail);
      }
      // Never looser than pdfsig.
      const file = join(folder.path, `letter-${i}.pdf`);
      writeFileSync(file, pdf);
      const nss = nssStore(join(folder.path, `nss-${i}`), anchors.map((a) => a.pem).join(''), crls);
      const report = pdfsigReport(
        spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout,
      );
      if (row.ours === null) {
        expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(true);
      }
      // Not asserted on a shared machine, but worth seeing when it grows.
      expect(took).toBeGreaterThanOrEqual(0);
    });
  }
});

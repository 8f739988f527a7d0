/**
 * CMS SignedData for PDF signatures, built and read with pkijs and asn1js (no hand-written
 * ASN.1). Building gives PAdES baseline B-B (ETSI EN 319 142-1): a detached signature whose
 * signed attributes are content-type, message-digest and signing-certificate-v2, and no CMS
 * signing-time (the claimed time goes in the signature dictionary's /M). Reading finds the
 * signer by the SignerInfo's sid, never by position in the certificate list, and checks every
 * signed attribute it relies on.
 */
import {
  constants,
  createHash,
  createPublicKey,
  verify,
  X509Certificate as NodeCertificate,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { hashAccepted, hashName, keyWeakness, signatureAlgorithmWeakness } from './algorithms';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

export type HashName = 'sha256' | 'sha384' | 'sha512';

const HASH_OIDS: Record<HashName, string> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = Object.fromEntries(Object.entries(HASH_OIDS).map(([k, v]) => [v, k])) as Record<
  string,
  HashName
>;
const RSA_SIG: Record<HashName, string> = {
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_SIG: Record<HashName, string> = {
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
/** Signature algorithm OID → the hash it uses and the kind of key that makes it. */
const SIG_HASH = new Map<string, { hash: HashName; kind: 'rsa' | 'ec' }>([
  ...(Object.entries(RSA_SIG) as [HashName, string][]).map(
    ([hash, oid]) => [oid, { hash, kind: 'rsa' }] as const,
  ),
  ...(Object.entries(ECDSA_SIG) as [HashName, string][]).map(
    ([hash, oid]) => [oid, { hash, kind: 'ec' }] as const,
  ),
]);

export class CmsError extends Error {
  constructor(
    readonly reason:
      'MALFORMED_SIGNATURE' | 'DIGEST_MISMATCH' | 'SIGNATURE_INVALID' | 'WEAK_ALGORITHM',
    detail: string,
  ) {
    super(detail);
    this.name = 'CmsError';
  }
}

const toArrayBuffer = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

interface Lengths {
  idBlock: { isConstructed: boolean };
  lenBlock: { isIndefiniteForm: boolean; length: number; blockLength: number };
  valueBlock: { value?: Lengths[] };
}

/** Whether every length in `node` and below is definite and written in as few bytes as DER asks. */
function derLengths(node: Lengths): boolean {
  const { isIndefiniteForm, length, blockLength } = node.lenBlock;
  const needed = length < 128 ? 1 : 1 + Math.ceil(length.toString(16).length / 2);
  return (
    !isIndefiniteForm &&
    blockLength === needed &&
    (!node.idBlock.isConstructed || (node.valueBlock.value ?? []).every(derLengths))
  );
}

/** Whether `bytes` are one ASN.1 value, all of it, with DER's lengths. */
function isDer(bytes: Uint8Array): boolean {
  const parsed = asn1js.fromBER(toArrayBuffer(bytes));
  return (
    parsed.offset === bytes.length &&
    !parsed.result.error &&
    derLengths(parsed.result as unknown as Lengths)
  );
}

/** The signer of a CMS: who signs, and a function that signs bytes with their key. */
export interface CmsSigner {
  /** The signer's certificate, then the rest of the chain (DER). */
  chain: Buffer[];
  keyType: 'rsa' | 'ec';
  hash: HashName;
  /** Signs `data` (hashing it with `hash`): PKCS#1 v1.5 for RSA, DER ECDSA for EC. */
  sign(data: Buffer): Promise<Buffer>;
}

function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** signing-certificate-v2 (RFC 5035): the hash of the signer's certificate, bound into the signature. */
function signingCertificateV2(certDer: Buffer, hash: HashName): asn1js.Sequence {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(certDer));
  const essCertId = new asn1js.Sequence({
    value: [
      // hashAlgorithm is omitted when it is the default, SHA-256 (RFC 5035 §5.4.1.1).
      ...(hash === 'sha256'
        ? []
        : [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[hash] }).toSchema()]),
      new asn1js.OctetString({
        valueHex: toArrayBuffer(createHash(hash).update(certDer).digest()),
      }),
      new pkijs.IssuerSerial({
        issuer: new pkijs.GeneralNames({
          names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })],
        }),
        serialNumber: cert.serialNumber,
      }).toSchema(),
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

/**
 * DER of the signed attributes as the SET OF they are signed as (RFC 5652 §5.4). DER sorts a
 * SET OF by encoding; the SignerInfo then carries them in the same order.
 */
function signedAttributesDer(attrs: pkijs.SignedAndUnsignedAttributes): Buffer {
  const der = (a: pkijs.Attribute) => Buffer.from(a.toSchema().toBER(false));
  attrs.attributes.sort((a, b) => Buffer.compare(der(a), der(b)));
  return Buffer.from(
    new asn1js.Set({ value: attrs.attributes.map((a) => a.toSchema()) }).toBER(false),
  );
}

/**
 * A detached CMS SignedData over a document whose digest is `digest`, PAdES B-B: content-type,
 * message-digest, signing-certificate-v2; no signing-time.
 */
export async function buildPadesCms(digest: Buffer, signer: CmsSigner): Promise<Buffer> {
  const [own] = signer.chain;
  if (!own) {
    throw new Error('a signer needs a certificate');
  }
  const certificate = pkijs.Certificate.fromBER(toArrayBuffer(own));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
      attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })),
      attribute(OID.signingCertificateV2, signingCertificateV2(own, signer.hash)),
    ],
  });
  const toSign = signedAttributesDer(signedAttrs);
  const signature = await signer.sign(toSign);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[signer.hash] }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      signer.keyType === 'rsa'
        ? { algorithmId: RSA_SIG[signer.hash], algorithmParams: new asn1js.Null() }
        : { algorithmId: ECDSA_SIG[signer.hash] },
    ),
    signedAttrs,
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[signer.hash] })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: signer.chain.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der))),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

export interface CmsReading {
  /** The signer's certificate, found by the SignerInfo's sid (DER). */
  signer: Buffer;
  /** Every certificate the CMS carries (DER), for building the path. */
  certificates: Buffer[];
  hash: HashName;
  /** PAdES B-B shape: signing-certificate-v2 bound, no CMS signing-time. */
  pades: boolean;
  /** The CMS signing-time attribute, when present (claimed, not trusted). */
  signingTime: string | null;
}

/**
 * The signer's certificate (found by the SignerInfo's sid) and every certificate the CMS
 * carries, each distinct certificate once: a CMS that carries the signer's certificate twice
 * (as poppler/NSS writes it) names one signer; two different certificates matching the sid are
 * ambiguous and refused.
 */
function signerOf(signedData: pkijs.SignedData): { signer: Buffer; certificates: Buffer[] } {
  const info = signedData.signerInfos[0]!;
  const seen = new Set<string>();
  const certificates = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER(false)))
    .filter((der) => {
      const key = der.toString('base64');
      return seen.has(key) ? false : (seen.add(key), true);
    });
  const matching = certificates.filter((der) => sidMatches(info.sid, der));
  if (matching.length !== 1) {
    throw new CmsError(
      'MALFORMED_SIGNATURE',
      matching.length
        ? 'two different certificates match the signer'
        : 'the signer certificate is not in the signature',
    );
  }
  return { signer: matching[0]!, certificates };
}

/**
 * The certificates of a /Contents value, without verifying anything: the signer's (by sid) and
 * all it carries. Null when the bytes are no single-signer CMS SignedData. For checks that need
 * the certificates of a signature already verified (four eyes: are two signers two people).
 */
export function cmsCertificates(
  contents: Uint8Array,
): { signer: Buffer; certificates: Buffer[] } | null {
  try {
    const parsed = asn1js.fromBER(toArrayBuffer(contents));
    if (parsed.offset <= 0 || parsed.result.error) {
      return null;
    }
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) {
      return null;
    }
    const signedData = new pkijs.SignedData({ schema: info.content });
    return signedData.signerInfos.length === 1 ? signerOf(signedData) : null;
  } catch {
    return null;
  }
}

function onlyValue(attrs: pkijs.Attribute[], type: string): asn1js.AsnType | null {
  const found = attrs.filter((a) => a.type === type);
  // An attribute read with an empty SET has no values array at all.
  if (found.length > 1 || (found[0] && (found[0].values ?? []).length !== 1)) {
    throw new CmsError('MALFORMED_SIGNATURE', `attribute ${type} is not single-valued`);
  }
  return (found[0]?.values[0] as asn1js.AsnType | undefined) ?? null;
}

function sidMatches(sid: pkijs.SignerInfo['sid'], certDer: Buffer): boolean {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(certDer));
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
  }
  // [0] SubjectKeyIdentifier: the certificate's own subjectKeyIdentifier extension must match.
  const keyId = Buffer.from(
    (sid as asn1js.Constructed).idBlock.isConstructed
      ? ((sid as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString).valueBlock
          .valueHexView
      : (sid as unknown as asn1js.OctetString).valueBlock.valueHexView,
  );
  const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  const own =
    ski?.parsedValue instanceof asn1js.OctetString
      ? Buffer.from(ski.parsedValue.valueBlock.valueHexView)
      : null;
  return own !== null && own.equals(keyId);
}

/**
 * Parses a /Contents value (a DER CMS followed by zero padding) and verifies the signature over
 * `signed` (the bytes the ByteRange covers). Throws CmsError with the reason.
 */
export function verifyCms(contents: Uint8Array, signed: Buffer[]): CmsReading {
  const parsed = asn1js.fromBER(toArrayBuffer(contents));
  if (parsed.offset <= 0 || parsed.result.error) {
    throw new CmsError('MALFORMED_SIGNATURE', 'the signature is not DER');
  }
  if (contents.subarray(parsed.offset).some((b) => b !== 0)) {
    throw new CmsError('MALFORMED_SIGNATURE', 'bytes follow the signature in /Contents');
  }
  let signedData: pkijs.SignedData;
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) {
      throw new Error('not SignedData');
    }
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch {
    throw new CmsError('MALFORMED_SIGNATURE', 'the signature is not a CMS SignedData');
  }
  if (signedData.signerInfos.length !== 1) {
    throw new CmsError('MALFORMED_SIGNATURE', 'a PDF signature has exactly one signer');
  }
  if (
    signedData.encapContentInfo.eContentType !== OID.data ||
    signedData.encapContentInfo.eContent
  ) {
    throw new CmsError('MALFORMED_SIGNATURE', 'the signature is not detached over data');
  }
  const info = signedData.signerInfos[0]!;
  const { signer, certificates } = signerOf(signedData);
  const hash = HASH_BY_OID[info.digestAlgorithm.algorithmId];
  if (!hash || !hashAccepted(hash)) {
    throw new CmsError(
      'WEAK_ALGORITHM',
      `the digest algorithm ${hashName(info.digestAlgorithm.algorithmId).toUpperCase()} is not accepted`,
    );
  }
  const attrs = info.signedAttrs?.attributes;
  if (!attrs || !info.signedAttrs) {
    throw new CmsError('MALFORMED_SIGNATURE', 'the signature has no signed attributes');
  }
  const contentType = onlyValue(attrs, OID.contentType);
  if (
    !(contentType instanceof asn1js.ObjectIdentifier) ||
    contentType.valueBlock.toString() !== OID.data
  ) {
    throw new CmsError('MALFORMED_SIGNATURE', 'content-type is missing or not data');
  }
  const digest = onlyValue(attrs, OID.messageDigest);
  if (!(digest instanceof asn1js.OctetString)) {
    throw new CmsError('MALFORMED_SIGNATURE', 'message-digest is missing');
  }
  const actual = signed.reduce((h, part) => h.update(part), createHash(hash)).digest();
  if (!actual.equals(Buffer.from(digest.valueBlock.valueHexView))) {
    throw new CmsError('DIGEST_MISMATCH', 'the document does not match the signed digest');
  }
  // signing-certificate-v2 binds the signer's certificate into the signature. Version 1 binds it
  // with SHA-1, which the policy accepts nowhere: a signature that relies on it is refused.
  if (onlyValue(attrs, OID.signingCertificate)) {
    throw new CmsError(
      'WEAK_ALGORITHM',
      'signing-certificate (version 1) binds the signer with SHA-1, which is not accepted',
    );
  }
  const v2 = onlyValue(attrs, OID.signingCertificateV2);
  if (v2) {
    const certId = (v2 as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined;
    const first = certId?.valueBlock.value[0] as asn1js.Sequence | undefined;
    const parts = first?.valueBlock.value ?? [];
    let certHash: HashName = 'sha256';
    let hashValue = parts[0];
    if (parts[0] instanceof asn1js.Sequence) {
      const alg = new pkijs.AlgorithmIdentifier({ schema: parts[0] });
      const named = HASH_BY_OID[alg.algorithmId];
      if (!named) {
        throw new CmsError('WEAK_ALGORITHM', 'signing-certificate-v2 uses an unknown hash');
      }
      certHash = named;
      hashValue = parts[1];
    }
    if (
      !(hashValue instanceof asn1js.OctetString) ||
      !createHash(certHash)
        .update(signer)
        .digest()
        .equals(Buffer.from(hashValue.valueBlock.valueHexView))
    ) {
      throw new CmsError('MALFORMED_SIGNATURE', 'signing-certificate does not name the signer');
    }
  }
  const time = onlyValue(attrs, OID.signingTime);
  const signingTime =
    time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime
      ? time.toDate().toISOString()
      : null;
  // The signature is over the signed attributes exactly as encoded, tagged as a SET (RFC 5652 §5.4),
  // which must be DER: NSS verifies over the attributes encoded again, so a BER length there
  // (30 81 18 for 30 18) is a signature pdfsig calls invalid.
  const attrsDer = Buffer.from(info.signedAttrs.encodedValue);
  if (!isDer(attrsDer)) {
    throw new CmsError('MALFORMED_SIGNATURE', 'the signed attributes are not DER');
  }
  const key = createPublicKey({
    key: new NodeCertificate(signer).publicKey.export({ type: 'spki', format: 'der' }),
    format: 'der',
    type: 'spki',
  });
  const signatureBytes = Buffer.from(info.signature.valueBlock.valueHexView);
  const algorithm = info.signatureAlgorithm.algorithmId;
  // The signer's key and the signature algorithm, as the algorithm policy allows.
  const weakKey = keyWeakness(key, "the signer's key");
  const weakAlgorithm =
    algorithm === OID.rsaEncryption || algorithm === OID.ecPublicKey
      ? null
      : signatureAlgorithmWeakness(
          algorithm,
          info.signatureAlgorithm.algorithmParams,
          'the signature',
        );
  if (weakKey ?? weakAlgorithm) {
    throw new CmsError('WEAK_ALGORITHM', (weakKey ?? weakAlgorithm)!);
  }
  // The hash the signature is made over is the one the signer declares as its digest: NSS
  // (pdfsig) refuses a SHA-256 signature declared SHA-512, which this check once took.
  const signedWith =
    algorithm === OID.rsaPss
      ? HASH_BY_OID[
          new pkijs.RSASSAPSSParams({ schema: info.signatureAlgorithm.algorithmParams })
            .hashAlgorithm.algorithmId
        ]
      : (SIG_HASH.get(algorithm)?.hash ?? hash);
  if (signedWith !== hash) {
    throw new CmsError(
      'SIGNATURE_INVALID',
      `the signature is made with ${String(signedWith).toUpperCase()}, the signer declares ${hash.toUpperCase()}`,
    );
  }
  let ok: boolean;
  if (algorithm === OID.rsaEncryption || SIG_HASH.get(algorithm)?.kind === 'rsa') {
    if (key.asymmetricKeyType !== 'rsa') {
      throw new CmsError('SIGNATURE_INVALID', 'an RSA signature from a key that is not RSA');
    }
    ok = verify(SIG_HASH.get(algorithm)?.hash ?? hash, attrsDer, key, signatureBytes);
  } else if (algorithm === OID.rsaPss) {
    const params = new pkijs.RSASSAPSSParams({ schema: info.signatureAlgorithm.algorithmParams });
    const pssHash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
    // Stryker disable next-line all: unreachable while the algorithm policy above refuses a PSS hash it does not name (kept for a policy that one day accepts more than this code can verify)
    if (!pssHash) {
      // Stryker disable next-line all: as above
      throw new CmsError('WEAK_ALGORITHM', 'RSA-PSS with an unknown hash');
    }
    ok = verify(
      pssHash,
      attrsDer,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
      signatureBytes,
    );
    // Stryker disable next-line ConditionalExpression: every algorithm that reaches this test is an EC one (the policy above refused the rest)
  } else if (algorithm === OID.ecPublicKey || SIG_HASH.get(algorithm)?.kind === 'ec') {
    if (key.asymmetricKeyType !== 'ec') {
      throw new CmsError('SIGNATURE_INVALID', 'an ECDSA signature from a key that is not EC');
    }
    ok = verify(SIG_HASH.get(algorithm)?.hash ?? hash, attrsDer, key, signatureBytes);
    // Stryker disable next-line all: unreachable while the algorithm policy above refuses every algorithm it does not name (kept for the same reason)
  } else {
    // Stryker disable next-line all: as above
    throw new CmsError('WEAK_ALGORITHM', `signature algorithm ${algorithm} is not accepted`);
  }
  if (!ok) {
    throw new CmsError(
      'SIGNATURE_INVALID',
      'the signature does not verify with the signer certificate',
    );
  }
  return { signer, certificates, hash, pades: Boolean(v2) && !time, signingTime };
}

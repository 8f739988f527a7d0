/**
 * A small test PKI: roots, issuing CAs, signers (good, expired, revoked, with the wrong key usage,
 * with a stolen name), CRLs, and NSS trust stores for pdfsig. Real keys, real certificates, real
 * CRLs, made with the same library the product uses to read them.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, type webcrypto } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derOf, readCertificates, toPem, x509 } from '../../electron/signing/x509';

export type Algorithm = 'rsa' | 'ec-p256' | 'ec-p384';

export interface Party {
  cert: x509.X509Certificate;
  /** PKCS#8 DER of the private key. */
  key: Buffer;
  /** The WebCrypto private key (to issue certificates and CRLs). */
  signingKey: webcrypto.CryptoKey;
  algorithm: Algorithm;
  pem: string;
  der: Buffer;
}

const DAY = 86_400_000;

function webAlgorithm(algorithm: Algorithm) {
  return algorithm === 'rsa'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: algorithm === 'ec-p384' ? 'P-384' : 'P-256' };
}

function signingAlgorithm(algorithm: Algorithm) {
  return algorithm === 'rsa'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', hash: algorithm === 'ec-p384' ? 'SHA-384' : 'SHA-256' };
}

async function keys(algorithm: Algorithm, rsaBits = 2048, publicExponent = 65537) {
  const pair =
    algorithm === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: rsaBits, publicExponent })
      : generateKeyPairSync('ec', { namedCurve: algorithm === 'ec-p384' ? 'P-384' : 'P-256' });
  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const subtle = globalThis.crypto.subtle;
  return {
    pkcs8,
    privateKey: await subtle.importKey('pkcs8', pkcs8, webAlgorithm(algorithm), true, ['sign']),
    publicKey: await subtle.importKey(
      'spki',
      pair.publicKey.export({ type: 'spki', format: 'der' }),
      webAlgorithm(algorithm),
      true,
      ['verify'],
    ),
  };
}

export interface IssueOptions {
  name: string;
  /** Issued by this party; self-signed when absent. */
  issuer?: Party;
  ca?: boolean;
  pathLength?: number;
  /** Key usage flags; default: CA → keyCertSign|cRLSign, signer → digitalSignature|nonRepudiation. */
  usages?: number;
  /** Omit the key usage extension altogether. */
  noKeyUsage?: boolean;
  extendedUsages?: string[];
  notBefore?: Date;
  notAfter?: Date;
  algorithm?: Algorithm;
  serial?: string;
  /** RSA modulus length (2048 by default; 1024 to make a weak key). */
  rsaBits?: number;
  /** RSA public exponent (65537 by default). */
  rsaExponent?: number;
  /** The hash the issuer signs with (SHA-256, or SHA-384 for P-384, by default). */
  signatureHash?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** Reuse this party's key pair (a second certificate for the same key). */
  keyOf?: Party;
  /** The subjectKeyIdentifier (hex) instead of the key's hash: a look-alike's key id. */
  keyId?: string;
  /** Omit the subject and authority key identifiers. */
  noKeyIds?: boolean;
  /** Omit basic constraints altogether. */
  noBasicConstraints?: boolean;
  /** The issuer's name as written in the certificate, instead of the issuer's subject name. */
  issuerName?: string;
  /** Further extensions, as given. */
  extensions?: x509.Extension[];
  /** The subject's key written otherwise (same key, other bytes), in a certificate an issuer signs. */
  keyWritten?: (spki: Buffer) => Buffer;
}

/** An EC P-256 key's SubjectPublicKeyInfo with its point compressed (02/03 ‖ X): the same key. */
export function compressedPoint(spki: Buffer): Buffer {
  const jwk = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({
    format: 'jwk',
  }) as { x: string; y: string };
  const y = Buffer.from(jwk.y, 'base64url');
  const point = Buffer.concat([
    Buffer.from([y.at(-1)! & 1 ? 3 : 2]),
    Buffer.from(jwk.x, 'base64url'),
  ]);
  const algorithm = Buffer.from('301306072a8648ce3d020106082a8648ce3d030107', 'hex');
  const bits = Buffer.concat([Buffer.from([0x03, point.length + 1, 0x00]), point]);
  return Buffer.concat([Buffer.from([0x30, algorithm.length + bits.length]), algorithm, bits]);
}

/** An RSA key's SubjectPublicKeyInfo with its modulus and another public exponent. */
export const withExponent =
  (e: number) =>
  (spki: Buffer): Buffer => {
    const { n } = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({
      format: 'jwk',
    });
    const hex = e.toString(16);
    const exponent = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
    return createPublicKey({ key: { kty: 'RSA', n: n!, e: exponent }, format: 'jwk' }).export({
      type: 'spki',
      format: 'der',
    });
  };

/** An RSA key's SubjectPublicKeyInfo with rsaEncryption's NULL parameters left out: the same key. */
export function withoutRsaNull(spki: Buffer): Buffer {
  const withNull = Buffer.from('300d06092a864886f70d0101010500', 'hex');
  const without = Buffer.from('300b06092a864886f70d010101', 'hex');
  const at = spki.indexOf(withNull);
  if (spki[1] !== 0x82 || at !== 4) {
    throw new Error('not an RSA SubjectPublicKeyInfo with a two-byte length');
  }
  const inner = Buffer.concat([without, spki.subarray(at + withNull.length)]);
  return Buffer.concat([Buffer.from([0x30, 0x82, inner.length >> 8, inner.length & 0xff]), inner]);
}

/** A certificate (and its key) issued as asked. */
export async function issue(options: IssueOptions): Promise<Party> {
  const algorithm = options.keyOf?.algorithm ?? options.algorithm ?? 'rsa';
  const pair = options.keyOf
    ? await keysOf(options.keyOf)
    : await keys(algorithm, options.rsaBits, options.rsaExponent);
  const now = Date.now();
  const ca = options.ca ?? false;
  const extensions: x509.Extension[] = [];
  if (!options.noBasicConstraints) {
    extensions.push(new x509.BasicConstraintsExtension(ca, options.pathLength, true));
  }
  if (!options.noKeyIds) {
    extensions.push(
      options.keyId
        ? new x509.SubjectKeyIdentifierExtension(options.keyId)
        : await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
    );
  }
  if (!options.noKeyUsage) {
    extensions.push(
      new x509.KeyUsagesExtension(
        options.usages ??
          (ca
            ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
            : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation),
        true,
      ),
    );
  }
  if (options.extendedUsages) {
    extensions.push(new x509.ExtendedKeyUsageExtension(options.extendedUsages));
  }
  extensions.push(...(options.extensions ?? []));
  if (options.issuer && !options.noKeyIds) {
    // The issuer's key id as its certificate states it (RFC 5280 §4.2.1.1).
    const issuerKeyId = options.issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    extensions.push(
      issuerKeyId
        ? new x509.AuthorityKeyIdentifierExtension(issuerKeyId, false)
        : await x509.AuthorityKeyIdentifierExtension.create(options.issuer.cert, false),
    );
  }
  const common = {
    serialNumber: options.serial ?? `01${randomBytes(8).toString('hex')}`,
    notBefore: options.notBefore ?? new Date(now - DAY),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY),
    extensions,
  };
  const signer = options.issuer ?? { algorithm, key: Buffer.from(pair.pkcs8) };
  const hashed = options.signatureHash
    ? await signingWith(signer, options.signatureHash)
    : {
        key: options.issuer?.signingKey ?? pair.privateKey,
        algorithm: signingAlgorithm(signer.algorithm),
      };
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: options.name,
        issuer: options.issuerName ?? options.issuer.cert.subjectName,
        publicKey: options.keyWritten
          ? new Uint8Array(
              options.keyWritten(
                Buffer.from(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey)),
              ),
            )
          : pair.publicKey,
        signingKey: hashed.key,
        signingAlgorithm: hashed.algorithm,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        ...common,
        name: options.name,
        keys: { privateKey: hashed.key, publicKey: pair.publicKey },
        signingAlgorithm: hashed.algorithm,
      });
  return {
    cert,
    key: Buffer.from(pair.pkcs8),
    signingKey: pair.privateKey,
    algorithm,
    pem: toPem(derOf(cert)),
    der: derOf(cert),
  };
}

/** A party's key pair again, as WebCrypto keys (to certify the same key twice). */
async function keysOf(party: Party) {
  const subtle = globalThis.crypto.subtle;
  const algorithm = webAlgorithm(party.algorithm);
  return {
    pkcs8: party.key,
    privateKey: await subtle.importKey('pkcs8', new Uint8Array(party.key), algorithm, true, [
      'sign',
    ]),
    publicKey: await subtle.importKey('spki', party.cert.publicKey.rawData, algorithm, true, [
      'verify',
    ]),
  };
}

/** The issuer's key set to sign with `hash` (WebCrypto fixes an RSA key's hash at import). */
async function signingWith(
  issuer: { algorithm: Algorithm; key: Buffer },
  hash: NonNullable<IssueOptions['signatureHash']>,
) {
  const algorithm =
    issuer.algorithm === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash }
      : { name: 'ECDSA', namedCurve: issuer.algorithm === 'ec-p384' ? 'P-384' : 'P-256' };
  return {
    key: await globalThis.crypto.subtle.importKey(
      'pkcs8',
      new Uint8Array(issuer.key),
      algorithm,
      true,
      ['sign'],
    ),
    algorithm: issuer.algorithm === 'rsa' ? algorithm : { name: 'ECDSA', hash },
  };
}

/** A CRL signed by `issuer` revoking `revoked` (certificates). */
export async function crl(
  issuer: Party,
  revoked: Party[],
  options: { thisUpdate?: Date; nextUpdate?: Date | null } = {},
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: issuer.cert.subjectName,
    thisUpdate: options.thisUpdate ?? new Date(Date.now() - DAY),
    // null: a CRL that names no next update.
    nextUpdate:
      options.nextUpdate === null
        ? undefined
        : (options.nextUpdate ?? new Date(Date.now() + 30 * DAY)),
    entries: revoked.map((r) => ({
      serialNumber: r.cert.serialNumber,
      revocationDate: new Date(Date.now() - DAY / 2),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingKey: issuer.signingKey,
    signingAlgorithm: signingAlgorithm(issuer.algorithm),
  });
}

/**
 * An NSS database trusting every certificate of `pem` as an anchor (for pdfsig), holding the
 * given CRLs. Returns the `sql:` path pdfsig's -nssdir takes.
 */
export function nssStore(dir: string, pem: string, crls: x509.X509Crl[] = []): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  readCertificates(pem).forEach((cert, i) => {
    const file = join(dir, `anchor-${i}.pem`);
    writeFileSync(file, toPem(derOf(cert)));
    execFileSync('certutil', [
      '-A',
      '-d',
      `sql:${dir}`,
      '-n',
      `anchor-${i}`,
      '-t',
      'CT,C,C',
      '-i',
      file,
    ]);
  });
  crls.forEach((c, i) => {
    const file = join(dir, `crl-${i}.der`);
    writeFileSync(file, Buffer.from(c.rawData));
    execFileSync('crlutil', ['-I', '-d', `sql:${dir}`, '-i', file, '-B']);
  });
  return `sql:${dir}`;
}

export interface PdfsigSignature {
  valid: boolean;
  trusted: boolean;
  whole: boolean;
  validation: string;
  certificate: string;
}

/** pdfsig's report, signature by signature. */
export function pdfsigReport(output: string): PdfsigSignature[] {
  return output
    .split(/^Signature #\d+:/m)
    .slice(1)
    .filter((block) => !block.includes('is not signed'))
    .map((block) => {
      const validation = /Signature Validation: (.*)/.exec(block)?.[1]?.trim() ?? '';
      const certificate = /Certificate Validation: (.*)/.exec(block)?.[1]?.trim() ?? '';
      return {
        valid: validation === 'Signature is Valid.',
        trusted: certificate === 'Certificate is Trusted.',
        whole: block.includes('Total document signed'),
        validation,
        certificate,
      };
    });
}

/** pdfsig accepts a file when every signature is valid and trusted and the last covers it all. */
export function pdfsigAccepts(signatures: PdfsigSignature[]): boolean {
  return (
    signatures.length > 0 &&
    signatures.every((s) => s.valid && s.trusted) &&
    Boolean(signatures.at(-1)?.whole)
  );
}

/**
 * A small certification authority made in this process: an organisation's CA as the demo (and
 * the tests) need one, because four eyes takes a countersigner only when a CA trusted as the
 * authority certified it (four-eyes.ts): a pinned self-signed identity names whoever made it.
 *
 * The CA is CA:TRUE with keyCertSign and cRLSign and no path below it (pathLen 0); what it issues
 * is an end entity for signing documents and packages (digitalSignature, nonRepudiation), with
 * its key identifiers, and it publishes a complete CRL. Keys are RSA-3072 or EC P-256/P-384, as
 * for identities made here (algorithms.ts's strength for new keys).
 */
import { randomBytes, type webcrypto } from 'node:crypto';
import {
  newKeys,
  signingAlgorithmOf,
  yearsAfter,
  type KeyAlgorithm,
  type SoftwareIdentity,
} from './identity';
import { derOf, facts, x509 } from './x509';

export interface CertificationAuthority {
  cert: x509.X509Certificate;
  key: webcrypto.CryptoKey;
  algorithm: KeyAlgorithm;
}

const DAY = 86_400_000;

/** A root CA named `commonName` of `organisation`, valid `validYears` (10 by default). */
export async function createAuthority(input: {
  commonName: string;
  organisation: string;
  country?: string;
  validYears?: number;
  algorithm?: KeyAlgorithm;
  now?: Date;
}): Promise<CertificationAuthority> {
  const algorithm = input.algorithm ?? 'ec-p384';
  const keys = await newKeys(algorithm);
  const now = input.now ?? new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: [{ CN: [input.commonName] }, { O: [input.organisation] }, { C: [input.country ?? 'DK'] }],
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: yearsAfter(now, input.validYears ?? 10),
    keys,
    signingAlgorithm: signingAlgorithmOf(algorithm),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey, algorithm };
}

/**
 * A signing identity the CA certifies: a new key, its certificate (valid `validYears`, 3 by
 * default, never beyond the CA's), and the chain up to the CA.
 */
export async function issueIdentity(
  ca: CertificationAuthority,
  input: {
    commonName: string;
    organisation: string;
    country?: string;
    email?: string;
    validYears?: number;
    algorithm?: KeyAlgorithm;
    now?: Date;
  },
): Promise<SoftwareIdentity> {
  const algorithm = input.algorithm ?? 'rsa-3072';
  const keys = await newKeys(algorithm);
  const now = input.now ?? new Date();
  const notAfter = yearsAfter(now, input.validYears ?? 3);
  const caKeyId = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: [
      { CN: [input.commonName] },
      { O: [input.organisation] },
      { C: [input.country ?? 'DK'] },
      ...(input.email ? [{ E: [input.email] }] : []),
    ],
    issuer: ca.cert.subjectName,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: notAfter < ca.cert.notAfter ? notAfter : ca.cert.notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: signingAlgorithmOf(ca.algorithm),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...(caKeyId ? [new x509.AuthorityKeyIdentifierExtension(caKeyId, false)] : []),
    ],
  });
  return {
    key: Buffer.from(keys.pkcs8),
    chain: [derOf(cert), derOf(ca.cert)],
    facts: facts(cert),
  };
}

/**
 * The CA's complete CRL (DER), revoking the certificates of `revoked` by serial number, current
 * from `now` until `nextUpdateDays` later (a year by default).
 */
export async function revocationList(
  ca: CertificationAuthority,
  options: { revoked?: string[]; now?: Date; nextUpdateDays?: number } = {},
): Promise<Buffer> {
  const now = options.now ?? new Date();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subjectName,
    thisUpdate: new Date(now.getTime() - 60_000),
    nextUpdate: new Date(now.getTime() + (options.nextUpdateDays ?? 365) * DAY),
    entries: (options.revoked ?? []).map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now.getTime() - 60_000),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingKey: ca.key,
    signingAlgorithm: signingAlgorithmOf(ca.algorithm),
  });
  return Buffer.from(crl.rawData);
}

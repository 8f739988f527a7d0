/**
 * @peculiar/x509, loaded after the metadata polyfill its dependency injection needs. Every module
 * of the core imports X.509 from here, so the polyfill is always in place first.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export { x509 };

/** The facts about a certificate a person compares and the vault records. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
}

export function derOf(cert: x509.X509Certificate): Buffer {
  return Buffer.from(cert.rawData);
}

export function fingerprintOf(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export function facts(cert: x509.X509Certificate): CertificateFacts {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    fingerprint: fingerprintOf(derOf(cert)),
  };
}

/** Reads one certificate from PEM or DER; null when the bytes are no certificate. */
export function readCertificate(input: string | Uint8Array): x509.X509Certificate | null {
  try {
    return new x509.X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
  } catch {
    return null;
  }
}

/** Every certificate in a PEM bundle (or one DER certificate). */
export function readCertificates(input: string | Uint8Array): x509.X509Certificate[] {
  if (
    typeof input === 'string' ||
    Buffer.from(input.subarray(0, 11)).toString('latin1') === '-----BEGIN '
  ) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
    return x509.PemConverter.decode(text).flatMap((der) => {
      const cert = readCertificate(new Uint8Array(der));
      return cert ? [cert] : [];
    });
  }
  const cert = readCertificate(input);
  return cert ? [cert] : [];
}

/** Reads a CRL from PEM or DER; null when the bytes are no CRL. */
export function readCrl(input: string | Uint8Array): x509.X509Crl | null {
  try {
    return new x509.X509Crl(typeof input === 'string' ? input : Buffer.from(input));
  } catch {
    return null;
  }
}

/** PEM text ending in a newline, so PEM texts can be concatenated into a bundle. */
export function toPem(der: Uint8Array, tag = 'CERTIFICATE'): string {
  return `${x509.PemConverter.encode(Buffer.from(der), tag).trimEnd()}\n`;
}

/** What a key is for: signing (documents, packages) or encryption (packages to its holder). */
export type KeyPurpose = 'signing' | 'encryption';

/**
 * Whether a certificate's key usage allows a purpose: signing needs digitalSignature or
 * nonRepudiation; encryption needs keyEncipherment for an RSA key, keyAgreement for an EC key.
 * A certificate without the extension allows neither here: a key's purpose must be stated.
 */
export function allows(cert: x509.X509Certificate, purpose: KeyPurpose): boolean {
  const ku = cert.getExtension(x509.KeyUsagesExtension)?.usages;
  if (ku === undefined) {
    return false;
  }
  if (purpose === 'signing') {
    return (ku & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation)) !== 0;
  }
  const algorithm = cert.publicKey.algorithm as { name?: string };
  const ec = (algorithm.name ?? '').startsWith('EC');
  return (ku & (ec ? x509.KeyUsageFlags.keyAgreement : x509.KeyUsageFlags.keyEncipherment)) !== 0;
}

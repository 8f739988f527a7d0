/**
 * Signing identities: a private key and its certificate, imported from the organisation's
 * PKCS#12 file or created here (self-signed, for standalone use). The key never leaves the
 * vault: it is kept as a PKCS#12 under a random password, both inside the encrypted database.
 */
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../shared/errors';

export interface Identity {
  /** The PKCS#12 (DER) holding key and chain, and its internal password. */
  p12: Buffer;
  password: string;
  certPem: string;
  chainPem: string[];
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  fingerprint: string;
}

export function certificateFacts(pem: string) {
  const cert = new X509Certificate(pem);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serial: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function wrap(key: forge.pki.rsa.PrivateKey, chain: forge.pki.Certificate[]): Identity {
  const password = randomBytes(24).toString('base64url');
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, { algorithm: 'aes256' });
  const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const pems = chain.map((c) => forge.pki.certificateToPem(c));
  return {
    p12,
    password,
    certPem: pems[0]!,
    chainPem: pems.slice(1),
    ...certificateFacts(pems[0]!),
  };
}

/** A new RSA-3072 key and a self-signed certificate a verifier can be told to trust. */
export function createSelfSigned(input: {
  commonName: string;
  organisation: string;
  country?: string;
  validYears?: number;
  now?: Date;
}): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 3072,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = input.now ?? new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + (input.validYears ?? 3));
  const attrs = [
    { shortName: 'CN', value: input.commonName },
    { shortName: 'O', value: input.organisation },
    { shortName: 'C', value: input.country ?? 'DK' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  // CA:TRUE and keyCertSign let a verifier's trust store anchor on this certificate (STACK.md).
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      critical: true,
      digitalSignature: true,
      nonRepudiation: true,
      keyCertSign: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return wrap(key, [cert]);
}

/** Reads an organisation's PKCS#12 file; a wrong password or a file without a key is refused. */
export function importPkcs12(bytes: Buffer, password: string): Identity {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/MAC could not be verified|Invalid password/i.test(message)) {
      throw new AppError('WRONG_P12_PASSWORD', 'The PKCS#12 password is not correct');
    }
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The file is not a PKCS#12 key file');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
      forge.pki.oids.pkcs8ShroudedKeyBag!
    ] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  const key = keyBags[0]?.key;
  if (!key || certs.length === 0) {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The file holds no key with a certificate');
  }
  // The signer's certificate is the one whose public key matches the private key.
  const rsaKey = key;
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(rsaKey.n) === true;
  });
  if (!own) {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'No certificate in the file matches its key');
  }
  return wrap(rsaKey, [own, ...certs.filter((c) => c !== own)]);
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The private key of a stored identity, for signing and for opening packages sent to it. */
export function privateKeyPem(p12: Buffer, password: string): string {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  const pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  const bag = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
    forge.pki.oids.pkcs8ShroudedKeyBag!
  ]?.[0];
  if (!bag?.key) {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The identity holds no key');
  }
  return forge.pki.privateKeyToPem(bag.key);
}

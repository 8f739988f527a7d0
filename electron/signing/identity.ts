/**
 * Signing identities held in the vault: a private key (PKCS#8, only ever inside the encrypted
 * database) and its certificate chain, either created here (self-signed, for standalone use) or
 * imported from the organisation's PKCS#12. Identities on a smart card or HSM live in pkcs11.ts;
 * both sign through the same CmsSigner.
 *
 * Names are UTF-8 (æ ø å, Ł, en dash) and keys are RSA-3072, EC P-256 or EC P-384. Keys are
 * held to the algorithm policy (algorithms.ts): a key made here at its strength for new keys,
 * an imported one at least at its floor for verification (an RSA-1024 key file is refused).
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import type { KEY_ALGORITHMS } from '../../shared/decisions';
import { AppError } from '../../shared/errors';
import { keyWeakness } from './algorithms';
import type { CmsSigner, HashName } from './cms';
import { validatePath } from './path';
import {
  derOf,
  facts,
  readCertificate,
  x509,
  type CertificateFacts,
  type KeyPurpose,
} from './x509';

export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface SoftwareIdentity {
  /** PKCS#8 DER of the private key. */
  key: Buffer;
  /** The signer's certificate first, then the chain towards its root (DER). */
  chain: Buffer[];
  facts: CertificateFacts;
}

/** The hash that suits a key: SHA-384 for P-384, SHA-256 otherwise. */
function hashFor(key: KeyObject): HashName {
  return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256';
}

/** A CmsSigner over a software key. */
export function softwareSigner(keyDer: Buffer, chain: Buffer[]): CmsSigner {
  const key = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' });
  const keyType = key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  if (key.asymmetricKeyType !== 'ec' && key.asymmetricKeyType !== 'rsa') {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'Only RSA and EC keys can sign');
  }
  const hash = hashFor(key);
  return { chain, keyType, hash, sign: (data) => Promise.resolve(sign(hash, data, key)) };
}

/** What a self-signed signing certificate allows: signatures, and never issuing certificates. */
const SIGNING_USAGES = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

const webAlgorithmOf = (algorithm: KeyAlgorithm) =>
  algorithm === 'rsa-3072'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: algorithm === 'ec-p384' ? 'P-384' : 'P-256' };

/** The algorithm a certificate made with a new key of `algorithm` is signed with. */
export const signingAlgorithmOf = (algorithm: KeyAlgorithm) =>
  algorithm === 'rsa-3072'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', hash: algorithm === 'ec-p384' ? 'SHA-384' : 'SHA-256' };

/** The day `years` after `now` (the end of a certificate's validity). */
export function yearsAfter(now: Date, years: number): Date {
  const end = new Date(now);
  end.setUTCFullYear(now.getUTCFullYear() + years);
  return end;
}

/**
 * A new key pair of `algorithm` as WebCrypto keys (the private one for signing only), with the
 * private key's PKCS#8; a key algorithms.ts finds weak for a new key is SIGNING_IDENTITY_INVALID.
 */
export async function newKeys(algorithm: KeyAlgorithm) {
  const { privateKey, publicKey } =
    algorithm === 'rsa-3072'
      ? generateKeyPairSync('rsa', { modulusLength: 3072 })
      : generateKeyPairSync('ec', { namedCurve: algorithm === 'ec-p384' ? 'P-384' : 'P-256' });
  const weak = keyWeakness(publicKey, 'the new key', { newKey: true });
  if (weak) {
    throw new AppError('SIGNING_IDENTITY_INVALID', weak, {
      reason: 'WEAK_ALGORITHM',
      detail: weak,
    });
  }
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const subtle = globalThis.crypto.subtle;
  const web = webAlgorithmOf(algorithm);
  return {
    pkcs8,
    privateKey: await subtle.importKey('pkcs8', pkcs8, web, false, ['sign']),
    publicKey: await subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      web,
      true,
      ['verify'],
    ),
  };
}

/**
 * A new key and a self-signed certificate, always an end entity (CA:FALSE, no keyCertSign): a
 * verifier trusts it pinned, the very certificate in its store, and it can issue nothing, so
 * one person's key cannot make a "second accreditor". A signing one signs documents and
 * packages (digitalSignature, nonRepudiation); an encryption one only receives packages
 * (keyEncipherment for RSA, keyAgreement for EC; no signatures), so the two keys stay apart.
 */
export async function createSelfSigned(input: {
  commonName: string;
  organisation: string;
  country?: string;
  validYears?: number;
  algorithm?: KeyAlgorithm;
  usage?: KeyPurpose;
  now?: Date;
}): Promise<SoftwareIdentity> {
  const encryption = input.usage === 'encryption';
  const algorithm = input.algorithm ?? 'rsa-3072';
  const { pkcs8: keyDer, ...keys } = await newKeys(algorithm);
  const now = input.now ?? new Date();
  const notAfter = yearsAfter(now, input.validYears ?? 3);
  const name: x509.JsonName = [
    { CN: [input.commonName] },
    { O: [input.organisation] },
    { C: [input.country ?? 'DK'] },
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    keys,
    signingAlgorithm: signingAlgorithmOf(algorithm),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        !encryption
          ? SIGNING_USAGES
          : algorithm === 'rsa-3072'
            ? x509.KeyUsageFlags.keyEncipherment
            : x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { key: Buffer.from(keyDer), chain: [derOf(cert)], facts: facts(cert) };
}

/** Orders certificates from `first` upwards, each signed by the next. */
async function orderChain(
  first: x509.X509Certificate,
  others: x509.X509Certificate[],
): Promise<x509.X509Certificate[]> {
  const chain = [first];
  const rest = [...others];
  for (;;) {
    const top = chain.at(-1)!;
    if (await top.isSelfSigned()) {
      break;
    }
    let next: x509.X509Certificate | null = null;
    for (const c of rest) {
      if (
        c.subject === top.issuer &&
        (await top.verify({ publicKey: c.publicKey, signatureOnly: true }).catch(() => false))
      ) {
        next = c;
        break;
      }
    }
    if (!next) {
      break;
    }
    chain.push(next);
    rest.splice(rest.indexOf(next), 1);
  }
  return chain;
}

/**
 * Reads an organisation's PKCS#12: its key (RSA or EC), the certificate that matches the key,
 * and the chain, which must link up by signature, be valid now, have CAs as issuers and a
 * signer allowed to sign. A wrong password and a file without a key are told apart.
 */
export async function importPkcs12(
  bytes: Buffer,
  password: string,
  now = new Date(),
  purpose: KeyPurpose = 'signing',
): Promise<SoftwareIdentity> {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/MAC could not be verified|Invalid password|wrong password/i.test(message)) {
      throw new AppError('WRONG_P12_PASSWORD', 'The PKCS#12 password is not correct');
    }
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The file is not a PKCS#12 key file');
  }
  const der = (node: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
  const keys: Buffer[] = [];
  const certs: x509.X509Certificate[] = [];
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      const raw = bag as forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        // RSA keys are decoded by forge; other keys (EC) stay as the PrivateKeyInfo it read.
        const info = bag.key
          ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
          : raw.asn1;
        if (info) {
          keys.push(der(info));
        }
      } else if (bag.type === forge.pki.oids.certBag) {
        const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : raw.asn1;
        const cert = node ? readCertificate(der(node)) : null;
        if (cert) {
          certs.push(cert);
        }
      }
    }
  }
  if (keys.length !== 1 || certs.length === 0) {
    throw new AppError(
      'SIGNING_IDENTITY_INVALID',
      'The file must hold one key and its certificate',
      {
        reason: keys.length ? 'SEVERAL_KEYS' : 'NO_KEY',
      },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The key in the file cannot be read', {
      reason: 'NO_KEY',
    });
  }
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  // An imported key is held to the floor for verification (RSA 2048 and up, accepted curves).
  const weak = keyWeakness(createPublicKey(key), 'the key in the file');
  if (weak) {
    throw new AppError('SIGNING_IDENTITY_INVALID', weak, {
      reason: 'WEAK_ALGORITHM',
      detail: weak,
    });
  }
  const own = certs.find((c) => Buffer.from(c.publicKey.rawData).equals(publicDer));
  if (!own) {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'No certificate in the file matches its key', {
      reason: 'NO_MATCHING_CERTIFICATE',
    });
  }
  const chain = await orderChain(
    own,
    certs.filter((c) => c !== own),
  );
  // The chain is validated as far as the file carries it: its top is taken as the anchor here;
  // whether a verifier trusts that top is the trust store's business.
  const check = await validatePath({
    signer: own,
    pool: chain,
    anchors: [chain.at(-1)!],
    crls: [],
    now,
    purpose,
  });
  if (check.reason) {
    throw new AppError(
      'SIGNING_IDENTITY_INVALID',
      check.detail ?? 'The certificate chain is not valid',
      {
        reason: check.reason,
        ...(check.detail ? { detail: check.detail } : {}),
      },
    );
  }
  return {
    key: key.export({ type: 'pkcs8', format: 'der' }),
    chain: chain.map(derOf),
    facts: facts(own),
  };
}

/** A software identity kept before this format (a PKCS#12 under an internal password): its key and chain. */
export function legacyIdentity(p12: Buffer, password: string): { key: Buffer; chain: Buffer[] } {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  const pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  const bag = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
    forge.pki.oids.pkcs8ShroudedKeyBag!
  ]?.[0];
  const certs = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  if (!bag?.key) {
    throw new AppError('SIGNING_IDENTITY_INVALID', 'The identity holds no key');
  }
  const der = (node: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
  return {
    key: der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))),
    chain: certs.flatMap((c) => (c.cert ? [der(forge.pki.certificateToAsn1(c.cert))] : [])),
  };
}

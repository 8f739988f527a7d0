/**
 * Algorithms as policy (`resources/signing/algorithms.json`, after ETSI TS 119 312 and SOG-IS):
 * which hashes, RSA sizes and EC curves a signature, a certificate on a signer's path, or a key
 * the workbench makes or imports may use. Everything else is weak, and a check names what is.
 *
 * What is judged where:
 * - every certificate on a path: its key; and, unless it is the trust anchor, the algorithm its
 *   issuer signed it with. A trust anchor is trusted input (RFC 5280 §6.1.1): its self-signature
 *   is never relied upon, so a pinned anchor's own signature algorithm does not matter; its key
 *   does, since it verifies the next certificate (or, pinned as an end entity, the document);
 * - a CMS signature: its digest, its signature algorithm and the signer's key;
 * - a key the workbench makes (RSA from `minimumBitsNewKeys`) or imports (from `minimumBits`).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import type { x509 } from './x509';

export const ALGORITHMS_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'resources',
  'signing',
  'algorithms.json',
);

const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const CURVES = ['P-256', 'P-384', 'P-521'] as const;

export const AlgorithmPolicy = z
  .object({
    $comment: z.string().optional(),
    /** Where the choices come from (shown with the policy). */
    source: z.string().min(1),
    hashes: z.array(z.enum(HASHES)).min(1),
    rsa: z
      .object({
        minimumBits: z.number().int().min(2048),
        minimumBitsNewKeys: z.number().int().min(2048),
        /** The smallest public exponent (odd, at least 3: 1 is no key at all). */
        minimumExponent: z.number().int().min(3),
        padding: z.array(z.enum(['pkcs1-v1_5', 'pss'])).min(1),
      })
      .strict(),
    ec: z.object({ curves: z.array(z.enum(CURVES)) }).strict(),
  })
  .strict();
export type AlgorithmPolicy = z.infer<typeof AlgorithmPolicy>;

let loaded: AlgorithmPolicy | null = null;
/** The policy in force (read once). */
export function algorithmPolicy(): AlgorithmPolicy {
  // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as its UTF-8 text, so
  // without the encoding the same policy is read (an equivalent mutant).
  loaded ??= AlgorithmPolicy.parse(JSON.parse(readFileSync(ALGORITHMS_FILE, 'utf8')));
  return loaded;
}

/**
 * Puts a policy in force in place of the shipped file's (null: the file's again), for an
 * organisation's stricter choice and for tests. It passes the same schema, so it can only narrow
 * what the shipped floor allows (SHA-2, RSA from 2048 bits, the NIST curves), never widen it.
 */
export function setAlgorithmPolicy(policy: unknown): void {
  loaded = policy === null ? null : AlgorithmPolicy.parse(policy);
}

/** Hash OIDs by name, accepted or not, so a refusal can name what it saw. */
const HASH_NAMES: Record<string, string> = {
  '1.2.840.113549.2.2': 'md2',
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithm OID → the key it needs and the hash it uses (null: in its parameters). */
const SIGNATURES: Record<string, { key: 'rsa' | 'ec'; hash: string | null; name: string }> = {
  '1.2.840.113549.1.1.2': { key: 'rsa', hash: 'md2', name: 'md2WithRSAEncryption' },
  '1.2.840.113549.1.1.4': { key: 'rsa', hash: 'md5', name: 'md5WithRSAEncryption' },
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'sha1', name: 'sha1WithRSAEncryption' },
  '1.3.14.3.2.29': { key: 'rsa', hash: 'sha1', name: 'sha1WithRSASignature' },
  '1.2.840.113549.1.1.14': { key: 'rsa', hash: 'sha224', name: 'sha224WithRSAEncryption' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256', name: 'sha256WithRSAEncryption' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384', name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512', name: 'sha512WithRSAEncryption' },
  '1.2.840.113549.1.1.10': { key: 'rsa', hash: null, name: 'RSASSA-PSS' },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'sha1', name: 'ecdsa-with-SHA1' },
  '1.2.840.10045.4.3.1': { key: 'ec', hash: 'sha224', name: 'ecdsa-with-SHA224' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256', name: 'ecdsa-with-SHA256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384', name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512', name: 'ecdsa-with-SHA512' },
};

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** The name of a hash OID ('sha1', 'md5', …), or the OID itself when unknown. */
export function hashName(oid: string): string {
  return HASH_NAMES[oid] ?? oid;
}

/** Whether a hash (by name: 'sha256', 'sha1', …) is accepted. */
export function hashAccepted(name: string): boolean {
  return (algorithmPolicy().hashes as readonly string[]).includes(name);
}

/** Why a hash is weak ("SHA1 is not an accepted hash"), or null when it is accepted. */
export function hashWeakness(name: string, where: string): string | null {
  return hashAccepted(name) ? null : `${where}: ${name.toUpperCase()} is not an accepted hash`;
}

function pssHash(params: unknown): { hash: string; mgf: string } | null {
  try {
    const pss = new pkijs.RSASSAPSSParams({ schema: params });
    const mgf = new pkijs.AlgorithmIdentifier({ schema: pss.maskGenAlgorithm.algorithmParams });
    return { hash: hashName(pss.hashAlgorithm.algorithmId), mgf: hashName(mgf.algorithmId) };
    // Stryker disable next-line BlockStatement: an empty catch returns undefined, which the caller
    // reads as null does (an equivalent mutant).
  } catch {
    return null;
  }
}

/**
 * Why a signature algorithm (OID and parameters) is weak, or null: its hash must be accepted,
 * and its padding too (RSA-PSS with an accepted hash for the message and for MGF1).
 */
export function signatureAlgorithmWeakness(
  oid: string,
  params: unknown,
  where: string,
): string | null {
  const known = SIGNATURES[oid];
  if (!known) {
    return `${where}: signature algorithm ${oid} is not accepted`;
  }
  if (known.hash === null) {
    if (!algorithmPolicy().rsa.padding.includes('pss')) {
      return `${where}: RSA-PSS is not accepted`;
    }
    const pss = pssHash(params);
    if (!pss) {
      return `${where}: RSA-PSS parameters cannot be read`;
    }
    return hashWeakness(pss.hash, `${where} (RSA-PSS)`) ?? hashWeakness(pss.mgf, `${where} (MGF1)`);
  }
  if (known.key === 'rsa' && !algorithmPolicy().rsa.padding.includes('pkcs1-v1_5')) {
    return `${where}: RSA PKCS#1 v1.5 signatures are not accepted`;
  }
  return hashWeakness(known.hash, `${where} (${known.name})`);
}

/** The kind of key and its strength, as the policy reads it. */
export function keyFacts(
  key: KeyObject,
):
  | { kind: 'rsa'; bits: number; exponent: bigint }
  | { kind: 'ec'; curve: string }
  | { kind: string } {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    return {
      kind: 'rsa',
      bits: details.modulusLength ?? 0,
      exponent: details.publicExponent ?? 0n,
    };
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unnamed';
    return { kind: 'ec', curve: CURVE_NAMES[curve] ?? curve };
  }
  return { kind: type };
}

/**
 * Why a key is weak, or null. `newKey`: a key the workbench makes (RSA from
 * `minimumBitsNewKeys`); otherwise one it verifies with or imports (from `minimumBits`).
 */
export function keyWeakness(
  key: KeyObject | Uint8Array,
  where: string,
  options: { newKey?: boolean } = {},
): string | null {
  let object: KeyObject;
  try {
    object =
      key instanceof Uint8Array
        ? createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' })
        : key;
  } catch {
    return `${where}: the key cannot be read (explicit curve parameters or an unknown type)`;
  }
  const policy = algorithmPolicy();
  const facts = keyFacts(object);
  // A point written compressed is the same key to OpenSSL and no key to NSS (pdfsig calls the
  // signature invalid): only the uncompressed form, the one every reader takes, is accepted.
  if (key instanceof Uint8Array && 'curve' in facts && publicKeyBits(key)[0] !== 0x04) {
    return `${where}: an EC key not written as an uncompressed point`;
  }
  if ('bits' in facts) {
    const minimum = options.newKey ? policy.rsa.minimumBitsNewKeys : policy.rsa.minimumBits;
    if (facts.bits < minimum) {
      return `${where}: an RSA key of ${facts.bits} bits (at least ${minimum} are required)`;
    }
    // An exponent of 1 makes every number its own signature; an even or small one is no
    // exponent the sources allow.
    const e = facts.exponent;
    return e % 2n === 1n && e >= BigInt(policy.rsa.minimumExponent)
      ? null
      : `${where}: an RSA key with public exponent ${e} (odd and at least ${policy.rsa.minimumExponent} is required)`;
  }
  if ('curve' in facts) {
    return (policy.ec.curves as readonly string[]).includes(facts.curve)
      ? null
      : `${where}: an EC key on curve ${facts.curve}, which is not accepted`;
  }
  return `${where}: a ${facts.kind} key, which is not accepted`;
}

/** The SubjectPublicKeyInfo DER of a certificate, as written. */
export function spkiOf(cert: x509.X509Certificate): Buffer {
  return Buffer.from(cert.publicKey.rawData);
}

/** The subjectPublicKey of a SubjectPublicKeyInfo: the key's own bytes (an EC point, an RSAPublicKey). */
function publicKeyBits(spki: Uint8Array): Uint8Array {
  const copy = new Uint8Array(spki);
  return pkijs.PublicKeyInfo.fromBER(copy.buffer).subjectPublicKey.valueBlock.valueHexView;
}

/**
 * What "the same key" means: the key's value, however a certificate writes it — an EC key by its
 * curve and coordinates (a compressed point is the same key), an RSA key by its modulus (with
 * any exponent — who knows the modulus's factors signs with each —, with or without
 * rsaEncryption's NULL, or as an RSASSA-PSS key). The bytes as written when they are neither.
 */
export function keyValueOf(cert: x509.X509Certificate): string {
  const spki = spkiOf(cert);
  try {
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ec') {
      const { crv, x, y } = key.export({ format: 'jwk' });
      return `ec:${crv}:${x}:${y}`;
    }
    if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
      const parsed = asn1js.fromBER(publicKeyBits(spki)).result as asn1js.Sequence;
      const [n] = parsed.valueBlock.value as asn1js.Integer[];
      const hex = (i: asn1js.Integer) =>
        Buffer.from(i.valueBlock.valueHexView)
          .toString('hex')
          .replace(/^(00)+/, '');
      // The modulus alone: whoever can factor it holds the key for every exponent.
      return `rsa:${hex(n!)}`;
    }
  } catch {
    // Read below as the bytes they are.
  }
  return `spki:${spki.toString('hex')}`;
}

/**
 * Why a certificate is weak, or null: its key, and (unless `anchor`: a trust anchor's
 * self-signature is not relied upon) the algorithm its issuer signed it with.
 */
export function certificateWeakness(
  cert: x509.X509Certificate,
  options: { anchor?: boolean } = {},
): string | null {
  const who = cert.subject || '(no subject)';
  const key = keyWeakness(spkiOf(cert), `the key of ${who}`);
  if (key || options.anchor) {
    return key;
  }
  let parsed: pkijs.Certificate;
  try {
    parsed = pkijs.Certificate.fromBER(cert.rawData);
  } catch {
    return `${who} cannot be read`;
  }
  const outer = parsed.signatureAlgorithm;
  const inner = parsed.signature;
  // The algorithm inside the signed part must be the one outside (RFC 5280 §4.1.1.2).
  if (
    outer.algorithmId !== inner.algorithmId ||
    !sameParams(outer.algorithmParams, inner.algorithmParams)
  ) {
    return `${who}: the signature algorithm inside the certificate differs from the one outside`;
  }
  return signatureAlgorithmWeakness(
    outer.algorithmId,
    outer.algorithmParams,
    `the signature on ${who}`,
  );
}

function sameParams(a: unknown, b: unknown): boolean {
  const der = (x: unknown) =>
    x instanceof asn1js.BaseBlock ? Buffer.from(x.toBER(false)) : Buffer.alloc(0);
  return der(a).equals(der(b));
}

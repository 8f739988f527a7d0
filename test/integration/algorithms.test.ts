/**
 * The algorithm policy read check by check: each refusal names what it refused, each acceptance
 * is exact, and a policy narrower than the shipped one is honoured (RSA-PSS or PKCS#1 v1.5 alone).
 */
import { generateKeyPairSync } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  algorithmPolicy,
  certificateWeakness,
  hashName,
  keyFacts,
  keyWeakness,
  setAlgorithmPolicy,
  signatureAlgorithmWeakness,
} from '../../electron/signing/algorithms';
import { x509 } from '../../electron/signing/x509';
import { issue, type Party } from '../helpers/pki';

const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  md5: '1.2.840.113549.2.5',
  mgf1: '1.2.840.113549.1.1.8',
  pss: '1.2.840.113549.1.1.10',
  rsaSha256: '1.2.840.113549.1.1.11',
  rsaSha1: '1.2.840.113549.1.1.5',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha1: '1.2.840.10045.4.1',
};

/** RSASSA-PSS parameters naming `hash` for the message and `mgf` for MGF1. */
function pssParams(hash: string, mgf: string): unknown {
  return new pkijs.RSASSAPSSParams({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hash }),
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.mgf1,
      algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: mgf }).toSchema(),
    }),
  }).toSchema();
}

afterEach(() => setAlgorithmPolicy(null));

describe('signature algorithms', () => {
  it('an unknown algorithm is named by its OID; SHA-2 with RSA or ECDSA is accepted', () => {
    expect(signatureAlgorithmWeakness('1.2.3.4', undefined, 'X')).toBe(
      'X: signature algorithm 1.2.3.4 is not accepted',
    );
    expect(signatureAlgorithmWeakness(OID.rsaSha256, undefined, 'X')).toBeNull();
    expect(signatureAlgorithmWeakness(OID.ecdsaSha256, undefined, 'X')).toBeNull();
    expect(signatureAlgorithmWeakness(OID.rsaSha1, undefined, 'X')).toBe(
      'X (sha1WithRSAEncryption): SHA1 is not an accepted hash',
    );
    expect(signatureAlgorithmWeakness(OID.ecdsaSha1, undefined, 'X')).toBe(
      'X (ecdsa-with-SHA1): SHA1 is not an accepted hash',
    );
    expect(hashName(OID.md5)).toBe('md5');
    expect(hashName('1.2.3')).toBe('1.2.3');
  });

  it('RSA-PSS is judged on the hashes its parameters name, for the message and for MGF1', () => {
    expect(signatureAlgorithmWeakness(OID.pss, pssParams(OID.sha256, OID.sha256), 'X')).toBeNull();
    expect(signatureAlgorithmWeakness(OID.pss, pssParams(OID.sha1, OID.sha256), 'X')).toBe(
      'X (RSA-PSS): SHA1 is not an accepted hash',
    );
    expect(signatureAlgorithmWeakness(OID.pss, pssParams(OID.sha256, OID.md5), 'X')).toBe(
      'X (MGF1): MD5 is not an accepted hash',
    );
    // No parameters: RFC 4055's defaults, SHA-1 for both, which is exactly what must not pass.
    expect(signatureAlgorithmWeakness(OID.pss, undefined, 'X')).toBe(
      'X (RSA-PSS): SHA1 is not an accepted hash',
    );
    for (const params of [new asn1js.Null(), new asn1js.Integer({ value: 1 })]) {
      expect(signatureAlgorithmWeakness(OID.pss, params, 'X')).toBe(
        'X: RSA-PSS parameters cannot be read',
      );
    }
  });

  it('a policy of one RSA padding refuses the other, and leaves ECDSA alone', () => {
    const shipped = algorithmPolicy();
    setAlgorithmPolicy({ ...shipped, rsa: { ...shipped.rsa, padding: ['pss'] } });
    expect(signatureAlgorithmWeakness(OID.rsaSha256, undefined, 'X')).toBe(
      'X: RSA PKCS#1 v1.5 signatures are not accepted',
    );
    expect(signatureAlgorithmWeakness(OID.pss, pssParams(OID.sha256, OID.sha256), 'X')).toBeNull();
    expect(signatureAlgorithmWeakness(OID.ecdsaSha256, undefined, 'X')).toBeNull();
    setAlgorithmPolicy({ ...shipped, rsa: { ...shipped.rsa, padding: ['pkcs1-v1_5'] } });
    expect(signatureAlgorithmWeakness(OID.pss, pssParams(OID.sha256, OID.sha256), 'X')).toBe(
      'X: RSA-PSS is not accepted',
    );
    expect(signatureAlgorithmWeakness(OID.rsaSha256, undefined, 'X')).toBeNull();
    // A policy can narrow the shipped floor, never widen it.
    expect(() => setAlgorithmPolicy({ ...shipped, hashes: ['sha1'] })).toThrow();
    expect(() =>
      setAlgorithmPolicy({ ...shipped, rsa: { ...shipped.rsa, minimumBits: 1024 } }),
    ).toThrow();
    setAlgorithmPolicy(null);
    expect(algorithmPolicy()).toEqual(shipped);
  });
});

describe('keys', () => {
  const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
  const ec = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve }).publicKey;

  it('reads each kind of key as the policy reads it', () => {
    expect(keyFacts(rsa(1024))).toEqual({ kind: 'rsa', bits: 1024 });
    expect(keyFacts(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey)).toEqual({
      kind: 'rsa',
      bits: 2048,
    });
    expect(keyFacts(ec('prime256v1'))).toEqual({ kind: 'ec', curve: 'P-256' });
    expect(keyFacts(ec('secp384r1'))).toEqual({ kind: 'ec', curve: 'P-384' });
    expect(keyFacts(ec('secp521r1'))).toEqual({ kind: 'ec', curve: 'P-521' });
    expect(keyFacts(ec('secp256k1'))).toEqual({ kind: 'ec', curve: 'secp256k1' });
    expect(keyFacts(generateKeyPairSync('ed25519').publicKey)).toEqual({ kind: 'ed25519' });
  });

  it('refuses what is weak and says what and why; accepts the floor exactly', () => {
    expect(keyWeakness(rsa(1024), 'K')).toBe(
      'K: an RSA key of 1024 bits (at least 2048 are required)',
    );
    expect(keyWeakness(rsa(2048), 'K')).toBeNull();
    expect(keyWeakness(rsa(2048), 'K', { newKey: true })).toBe(
      'K: an RSA key of 2048 bits (at least 3072 are required)',
    );
    expect(keyWeakness(rsa(3072), 'K', { newKey: true })).toBeNull();
    expect(keyWeakness(ec('secp256k1'), 'K')).toBe(
      'K: an EC key on curve secp256k1, which is not accepted',
    );
    expect(keyWeakness(ec('prime256v1'), 'K')).toBeNull();
    expect(keyWeakness(generateKeyPairSync('ed25519').publicKey, 'K')).toBe(
      'K: a ed25519 key, which is not accepted',
    );
    const spki = ec('secp384r1').export({ type: 'spki', format: 'der' });
    expect(keyWeakness(new Uint8Array(spki), 'K')).toBeNull();
    expect(keyWeakness(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), 'K')).toBe(
      'K: the key cannot be read (explicit curve parameters or an unknown type)',
    );
  });
});

describe('certificates', () => {
  let good: Party;
  let sha1: Party;

  beforeAll(async () => {
    good = await issue({ name: 'CN=Good, C=DK' });
    sha1 = await issue({ name: 'CN=Old, C=DK', signatureHash: 'SHA-1' });
  });

  it('judges the key and the issuer’s signature algorithm, not an anchor’s own signature', () => {
    expect(certificateWeakness(good.cert)).toBeNull();
    expect(certificateWeakness(sha1.cert)).toBe(
      'the signature on CN=Old, C=DK (sha1WithRSAEncryption): SHA1 is not an accepted hash',
    );
    expect(certificateWeakness(sha1.cert, { anchor: true })).toBeNull();
  });

  it('a weak key is refused even in an anchor, named by the certificate’s subject', async () => {
    const weak = await issue({ name: 'CN=Small, C=DK', rsaBits: 1024 });
    const expected =
      'the key of CN=Small, C=DK: an RSA key of 1024 bits (at least 2048 are required)';
    expect(certificateWeakness(weak.cert)).toBe(expected);
    expect(certificateWeakness(weak.cert, { anchor: true })).toBe(expected);
  });

  /** The certificate with the last occurrence of `from` (the outer algorithm) made `to`. */
  function outerChanged(party: Party, from: number[], to: number[]): x509.X509Certificate {
    const der = Buffer.from(party.der);
    const at = der.lastIndexOf(Buffer.from(from));
    expect(at).toBeGreaterThan(0);
    Buffer.from(to).copy(der, at);
    return new x509.X509Certificate(der);
  }

  it('the algorithm outside the signed part must be the one inside, parameters included', () => {
    const differs = (subject: string) =>
      `${subject}: the signature algorithm inside the certificate differs from the one outside`;
    // sha256WithRSAEncryption (…01 01 0b) outside made sha384 (…01 01 0c); inside it is unchanged.
    const oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00];
    const other = outerChanged(good, oid, [...oid.slice(0, 8), 0x0c, 0x05, 0x00]);
    expect(certificateWeakness(other)).toBe(differs('CN=Good, C=DK'));
    // The same OID, its NULL parameters outside made an empty OCTET STRING.
    const params = outerChanged(good, oid, [...oid.slice(0, 9), 0x04, 0x00]);
    expect(certificateWeakness(params)).toBe(differs('CN=Good, C=DK'));
  });

  it('a certificate without a subject is named as such', async () => {
    const anon = await issue({ name: '', rsaBits: 1024 });
    expect(anon.cert.subject).toBe('');
    expect(certificateWeakness(anon.cert)).toBe(
      'the key of (no subject): an RSA key of 1024 bits (at least 2048 are required)',
    );
  });
});

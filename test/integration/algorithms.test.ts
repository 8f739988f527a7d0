/**
 * The algorithm policy read check by check: each refusal names what it refused, each acceptance
 * is exact, and a policy narrower than the shipped one is honoured (RSA-PSS or PKCS#1 v1.5 alone).
 */
import { createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  algorithmPolicy,
  certificateWeakness,
  hashName,
  keyFacts,
  keyValueOf,
  keyWeakness,
  setAlgorithmPolicy,
  signatureAlgorithmWeakness,
} from '../../electron/signing/algorithms';
import { x509 } from '../../electron/signing/x509';
import { compressedPoint, issue, type Party } from '../helpers/pki';

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

/**
 * The SPKI of an EC key with explicit curve parameters: P-256's field and equation, but another
 * base point (a P-256 public point), so OpenSSL reads it as a curve of its own, named by no OID.
 */
function ownCurveSpki(): Buffer {
  const point = () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
      format: 'jwk',
    });
    return Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x!, 'base64url'),
      Buffer.from(jwk.y!, 'base64url'),
    ]);
  };
  const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex')).buffer;
  const uint = (hex: string) => new asn1js.Integer({ valueHex: bytes(`00${hex}`) });
  const p = 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff';
  const parameters = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: '1.2.840.10045.1.1' }), uint(p)],
      }),
      new asn1js.Sequence({
        value: [
          new asn1js.OctetString({
            valueHex: bytes('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
          }),
          new asn1js.OctetString({
            valueHex: bytes('5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
          }),
        ],
      }),
      new asn1js.OctetString({ valueHex: new Uint8Array(point()).buffer }),
      uint('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
      new asn1js.Integer({ value: 1 }),
    ],
  });
  return Buffer.from(
    new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [new asn1js.ObjectIdentifier({ value: '1.2.840.10045.2.1' }), parameters],
        }),
        new asn1js.BitString({ valueHex: new Uint8Array(point()).buffer, unusedBits: 0 }),
      ],
    }).toBER(false),
  );
}

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
    expect(keyFacts(rsa(1024))).toEqual({ kind: 'rsa', bits: 1024, exponent: 65537n });
    expect(keyFacts(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey)).toEqual({
      kind: 'rsa',
      bits: 2048,
      exponent: 65537n,
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

describe('keys of no kind or curve the policy knows', () => {
  it('a key of no asymmetric type (a secret key) is named unknown, and refused', () => {
    const secret = createSecretKey(Buffer.alloc(32, 1));
    expect(secret.asymmetricKeyType).toBeUndefined();
    expect(keyFacts(secret)).toEqual({ kind: 'unknown' });
    expect(keyWeakness(secret, 'K')).toBe('K: a unknown key, which is not accepted');
  });

  it('an EC key on a curve of its own is named as OpenSSL names it, and refused', () => {
    const key = createPublicKey({ key: ownCurveSpki(), format: 'der', type: 'spki' });
    expect(keyFacts(key)).toEqual({ kind: 'ec', curve: 'UNDEF' });
    expect(keyWeakness(key, 'K')).toBe('K: an EC key on curve UNDEF, which is not accepted');
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

  it('a certificate the X.509 reader takes but pkijs refuses (nested past its depth limit) cannot be read', async () => {
    let deep: asn1js.BaseBlock = new asn1js.Utf8String({ value: 'deep' });
    for (let i = 0; i < 120; i += 1) {
      deep = new asn1js.Sequence({ value: [deep] });
    }
    const hex = Buffer.from(deep.toBER(false)).toString('hex');
    const party = await issue({ name: `CN=Deep, 2.5.4.13=#${hex}`, issuer: good });
    expect(party.cert.subject).toContain(hex);
    expect(() => pkijs.Certificate.fromBER(party.cert.rawData)).toThrow();
    expect(certificateWeakness(party.cert)).toBe(`${party.cert.subject} cannot be read`);
  });

  it('a certificate without a subject is named as such', async () => {
    const anon = await issue({ name: '', rsaBits: 1024 });
    expect(anon.cert.subject).toBe('');
    expect(certificateWeakness(anon.cert)).toBe(
      'the key of (no subject): an RSA key of 1024 bits (at least 2048 are required)',
    );
  });
});

describe('a key as written and the key it is', () => {
  let issuer: Party;
  let plain: Party;
  const spki = (party: Party) => Buffer.from(party.cert.publicKey.rawData);
  /** A SubjectPublicKeyInfo of an algorithm no one knows (OID 1.2.3.4.5), with `fill` as its key. */
  const unknownKey = (fill: number) => () =>
    Buffer.from(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.3.4.5' })] }),
          new asn1js.BitString({ valueHex: new Uint8Array(32).fill(fill).buffer, unusedBits: 0 }),
        ],
      }).toBER(false),
    );

  beforeAll(async () => {
    issuer = await issue({ name: 'CN=Key Issuer, C=DK', ca: true, algorithm: 'ec-p256' });
    plain = await issue({ name: 'CN=Plain Point, C=DK', issuer, algorithm: 'ec-p256' });
  });

  it('a key given as bytes must write its EC point uncompressed; a key OpenSSL already read is judged as read', () => {
    const compressed = compressedPoint(spki(plain));
    expect(compressed.length).toBeLessThan(spki(plain).length);
    expect(keyWeakness(new Uint8Array(compressed), 'K')).toBe(
      'K: an EC key not written as an uncompressed point',
    );
    expect(keyWeakness(new Uint8Array(spki(plain)), 'K')).toBeNull();
    expect(
      keyWeakness(createPublicKey({ key: compressed, format: 'der', type: 'spki' }), 'K'),
    ).toBeNull();
  });

  /** The modulus and exponent of an RSA SubjectPublicKeyInfo, as written. */
  function rsaParts(written: Buffer): { n: Buffer; e: Buffer } {
    const outer = asn1js.fromBER(new Uint8Array(written).buffer).result as asn1js.Sequence;
    const bits = (outer.valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView;
    const key = asn1js.fromBER(bits.slice().buffer).result as asn1js.Sequence;
    const [n, e] = (key.valueBlock.value as asn1js.Integer[]).map((i) =>
      Buffer.from(i.valueBlock.valueHexView),
    );
    return { n: n!, e: e! };
  }

  /** An RSA SubjectPublicKeyInfo of `n` and `e` written byte for byte, under `algorithm`. */
  function rsaSpki(n: Uint8Array, e: Uint8Array, algorithm: 'null' | 'no-null' | 'pss'): Buffer {
    const oid = algorithm === 'pss' ? '1.2.840.113549.1.1.10' : '1.2.840.113549.1.1.1';
    const key = new asn1js.Sequence({
      value: [n, e].map((v) => new asn1js.Integer({ valueHex: new Uint8Array(v).buffer })),
    }).toBER(false);
    return Buffer.from(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: oid }),
              ...(algorithm === 'null' ? [new asn1js.Null()] : []),
            ],
          }),
          new asn1js.BitString({ valueHex: key, unusedBits: 0 }),
        ],
      }).toBER(false),
    );
  }

  it('an RSA key is its value: the same without NULL, as RSASSA-PSS or with superfluous zero bytes; another with a modulus one bit apart', async () => {
    const rsa = await issue({ name: 'CN=RSA Key, C=DK', issuer });
    const { n, e } = rsaParts(spki(rsa));
    expect(rsaSpki(n, e, 'null')).toEqual(spki(rsa));
    const valueOf = async (written: Buffer) => {
      const party = await issue({
        name: 'CN=RSA Key, C=DK',
        issuer,
        keyOf: rsa,
        keyWritten: () => written,
      });
      expect(spki(party)).toEqual(written);
      return keyValueOf(party.cert);
    };
    const same = [
      rsaSpki(n, e, 'no-null'),
      rsaSpki(n, e, 'pss'),
      rsaSpki(Buffer.concat([Buffer.alloc(1), n]), Buffer.concat([Buffer.alloc(1), e]), 'null'),
    ];
    expect(createPublicKey({ key: same[1]!, format: 'der', type: 'spki' }).asymmetricKeyType).toBe(
      'rsa-pss',
    );
    for (const written of same) {
      expect(await valueOf(written)).toEqual(keyValueOf(rsa.cert));
    }
    // A modulus one bit apart, at a byte that no text decoding could tell apart from its neighbour
    // value (a lone UTF-8 continuation byte between two ASCII ones).
    const at = n.findIndex(
      (b, i) => i > 0 && b >= 0x80 && b <= 0xbf && n[i - 1]! < 0x80 && (n[i + 1] ?? 0xff) < 0x80,
    );
    expect(at).toBeGreaterThan(0);
    const apart = Buffer.from(n);
    apart[at]! ^= 1;
    expect(await valueOf(rsaSpki(apart, e, 'null'))).not.toEqual(keyValueOf(rsa.cert));
    // A modulus whose top byte needs no sign byte, with a zero byte inside: written with a
    // superfluous leading zero it is still the same key (only leading zeros are not the value).
    const low = Buffer.from(n.subarray(1));
    low[0] = 0x7f;
    low[100] = 0;
    expect(await valueOf(rsaSpki(Buffer.concat([Buffer.alloc(1), low]), e, 'null'))).toEqual(
      await valueOf(rsaSpki(low, e, 'null')),
    );
  });

  it('a key of another kind whose bytes read as an RSA key (an Ed25519 key of DER-like bytes) is the bytes it is', async () => {
    const ed25519 = (last: number) =>
      Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        // SEQUENCE { INTEGER 5, INTEGER … }: 32 bytes, any of which OpenSSL takes as a key.
        Buffer.from([0x30, 0x1e, 0x02, 0x01, 0x05, 0x02, 0x19]),
        Buffer.alloc(25, last),
      ]);
    expect(
      createPublicKey({ key: ed25519(1), format: 'der', type: 'spki' }).asymmetricKeyType,
    ).toBe('ed25519');
    const [a, b] = await Promise.all(
      [1, 2].map((last) =>
        issue({
          name: `CN=Ed ${last}, C=DK`,
          issuer,
          keyOf: plain,
          keyWritten: () => ed25519(last),
        }),
      ),
    );
    expect(keyValueOf(a!.cert)).not.toEqual(keyValueOf(b!.cert));
  });

  it('the key value of a certificate: the same for the key written compressed, another for another key, the bytes themselves when OpenSSL cannot read them', async () => {
    const compressed = await issue({
      name: 'CN=Compressed, C=DK',
      issuer,
      keyOf: plain,
      keyWritten: compressedPoint,
    });
    expect(spki(compressed)).toEqual(compressedPoint(spki(plain)));
    expect(keyValueOf(compressed.cert)).toEqual(keyValueOf(plain.cert));
    const other = await issue({ name: 'CN=Other, C=DK', issuer, algorithm: 'ec-p256' });
    expect(keyValueOf(other.cert)).not.toEqual(keyValueOf(plain.cert));
    const [a, b, c] = await Promise.all([
      issue({ name: 'CN=Unknown Key A, C=DK', issuer, keyWritten: unknownKey(1) }),
      issue({ name: 'CN=Unknown Key B, C=DK', issuer, keyWritten: unknownKey(1) }),
      issue({ name: 'CN=Unknown Key C, C=DK', issuer, keyWritten: unknownKey(2) }),
    ]);
    expect(() => createPublicKey({ key: spki(a), format: 'der', type: 'spki' })).toThrow();
    expect(keyValueOf(a.cert)).toEqual(keyValueOf(b.cert));
    expect(keyValueOf(a.cert)).not.toEqual(keyValueOf(c.cert));
    expect(keyValueOf(a.cert)).not.toEqual(keyValueOf(plain.cert));
  });
});

/**
 * The package's envelope (electron/exchange/envelope.ts), row by row and without a vault: what
 * is written (its size known in advance, in runs of a mebibyte, to RSA and EC recipients of
 * both curves), and every structure the reader refuses, each named by its own detail. Hostile
 * envelopes are genuine ones with one DER byte changed where the test finds it, so each row
 * breaks exactly one thing. (`package-format.test.ts` proves `openssl cms` opens what is
 * written; this file is what a broken check in the envelope is caught by.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  contentDecipher,
  envelopeSize,
  EnvelopeError,
  MAX_HEAD,
  readHead,
  readTag,
  unwrapContentKey,
  writeEnvelope,
  type DecryptionKey,
  type EnvelopeHead,
} from '../../electron/exchange/envelope';
import { readCertificate, x509 } from '../../electron/signing/x509';
import { issue, type Party } from '../helpers/pki';

let rsa: Party;
let ec: Party;
let ec384: Party;
let otherRsa: Party;
let otherEc: Party;
beforeAll(async () => {
  const encryption = x509.KeyUsageFlags.keyEncipherment;
  const agreement = x509.KeyUsageFlags.keyAgreement;
  rsa = await issue({ name: 'CN=Authority Encryption', usages: encryption });
  otherRsa = await issue({ name: 'CN=Another Encryption', usages: encryption });
  ec = await issue({ name: 'CN=Authority EC', usages: agreement, algorithm: 'ec-p256' });
  otherEc = await issue({ name: 'CN=Another EC', usages: agreement, algorithm: 'ec-p256' });
  ec384 = await issue({ name: 'CN=Authority EC 384', usages: agreement, algorithm: 'ec-p384' });
}, 60_000);

const keyOf = (p: Party, certificateOf: Party = p): DecryptionKey => ({
  certificate: certificateOf.cert,
  key: createPrivateKey({ key: p.key, format: 'der', type: 'pkcs8' }),
});

/** The envelope of `content` to `recipient`, as the writes it made. */
async function writes(
  content: Buffer,
  recipient: Party,
  chunk = 64 * 1024,
  announced = content.length,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  async function* source() {
    for (let at = 0; at < content.length; at += chunk) {
      yield content.subarray(at, at + chunk);
    }
  }
  await writeEnvelope(
    async (b) => {
      out.push(Buffer.from(b));
    },
    source(),
    announced,
    recipient.cert,
  );
  return out;
}

const envelope = async (content: Buffer, recipient: Party) =>
  Buffer.concat(await writes(content, recipient));

/** The content of `file` as a recipient holding `keys` reads it. */
function open(file: Buffer, keys: DecryptionKey[]): Buffer {
  const head = readHead(file.subarray(0, MAX_HEAD), file.length)!;
  const cek = unwrapContentKey(head, keys);
  const decipher = contentDecipher(head, cek);
  decipher.setAuthTag(readTag(file.subarray(head.headLength + head.contentLength)));
  return Buffer.concat([
    decipher.update(file.subarray(head.headLength, head.headLength + head.contentLength)),
    decipher.final(),
  ]);
}

/** Where the DER bytes `hex` first stand in `file` (the test fails if they do not). */
function at(file: Buffer, hex: string): number {
  const i = file.indexOf(Buffer.from(hex.replace(/ /g, ''), 'hex'));
  expect(i, `${hex} is in the envelope`).toBeGreaterThanOrEqual(0);
  return i;
}

/** `file` with the byte at `offset` set to `value`. */
function patched(file: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(file);
  copy[offset] = value;
  return copy;
}

const OID = {
  authEnvelopedData: '06 0b 2a 86 48 86 f7 0d 01 09 10 01 17',
  data: '06 09 2a 86 48 86 f7 0d 01 07 01',
  aes256Gcm: '06 09 60 86 48 01 65 03 04 01 2e',
  rsaesOaep: '06 09 2a 86 48 86 f7 0d 01 01 07',
  ecdhSha256Kdf: '06 06 2b 81 04 01 0b 01',
};

/** The refusal `fn` throws: its class, reason and detail. */
function refusal(fn: () => unknown): { reason: string; detail: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    const e = error as EnvelopeError;
    expect(e.name).toBe('EnvelopeError');
    return { reason: e.reason, detail: e.message };
  }
  throw new Error('nothing was refused');
}

const headOf = (file: Buffer): EnvelopeHead => readHead(file, file.length)!;

describe('an envelope as written', () => {
  it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536, 70_000])(
    'of %i bytes is as long as announced, and opens to its content for RSA and EC recipients',
    async (length) => {
      const content = randomBytes(length);
      for (const recipient of [rsa, ec, ec384]) {
        const file = await envelope(content, recipient);
        expect(file.length).toBe(envelopeSize(length, recipient.cert));
        const head = headOf(file);
        expect(head.contentLength).toBe(length);
        expect(head.headLength + length + 18).toBe(file.length);
        expect(head.nonce.length).toBe(12);
        expect(head.recipients).toHaveLength(1);
        expect(open(file, [keyOf(recipient)]).equals(content)).toBe(true);
      }
    },
  );

  it('is written in runs of a mebibyte, whatever the chunks it is given', async () => {
    const content = randomBytes(2 * 1024 * 1024 + 5000);
    for (const chunk of [1000, 64 * 1024, 3 * 1024 * 1024]) {
      const out = await writes(content, rsa, chunk);
      const runs = out.slice(0, -1);
      // The runs, then what is left with the tag (a chunk larger than all is one run).
      expect(out.length).toBe(chunk > content.length ? 2 : 3);
      for (const run of runs) {
        expect(run.length).toBeGreaterThanOrEqual(1024 * 1024);
        expect(run.length).toBeLessThan(1024 * 1024 + chunk + 2000);
      }
      const file = Buffer.concat(out);
      expect(file.length).toBe(envelopeSize(content.length, rsa.cert));
      expect(open(file, [keyOf(rsa)]).equals(content)).toBe(true);
    }
  });

  it('is DER: each length in its shortest form', async () => {
    for (const [length, header] of [
      [0, '8000'],
      [1, '8001'],
      [127, '807f'],
      [128, '808180'],
      [256, '80820100'],
    ] as const) {
      const file = await envelope(randomBytes(length), rsa);
      const at = contentTagAt(file);
      expect(file.subarray(at, at + header.length / 2).toString('hex'), `${length}`).toBe(header);
    }
  });

  it('a run is handed on when it reaches a mebibyte exactly', async () => {
    const content = randomBytes(1024 * 1024);
    const headLength = envelopeSize(content.length, rsa.cert) - content.length - 18;
    const first = 1024 * 1024 - headLength;
    const out: Buffer[] = [];
    async function* source() {
      yield content.subarray(0, first);
      yield content.subarray(first);
    }
    await writeEnvelope(
      async (b) => {
        out.push(Buffer.from(b));
      },
      source(),
      content.length,
      rsa.cert,
    );
    expect(out.map((b) => b.length)).toEqual([1024 * 1024, content.length - first + 18]);
  });

  it('a recipient whose key is neither RSA nor EC is refused before anything is written', async () => {
    const pem = execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ed25519',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=Ed',
      '-days',
      '1',
    ]).toString();
    const ed = readCertificate(pem)!;
    const out: Buffer[] = [];
    await expect(
      writeEnvelope(async (b) => void out.push(b), (async function* () {})(), 0, ed),
    ).rejects.toMatchObject({
      name: 'EnvelopeError',
      reason: 'WRONG_RECIPIENT',
      message: 'the recipient certificate has neither an RSA nor an EC key',
    });
    expect(out).toHaveLength(0);
  });

  it('openssl cms opens it, for an RSA and an EC recipient', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awb-envelope-'));
    try {
      const content = randomBytes(3000);
      for (const [name, recipient] of [
        ['rsa', rsa],
        ['ec', ec],
        ['ec384', ec384],
      ] as const) {
        writeFileSync(join(dir, `${name}.der`), await envelope(content, recipient));
        writeFileSync(
          join(dir, `${name}.key`),
          createPrivateKey({ key: recipient.key, format: 'der', type: 'pkcs8' }).export({
            type: 'pkcs8',
            format: 'pem',
          }),
        );
        writeFileSync(join(dir, `${name}.pem`), recipient.cert.toString('pem'));
        const run = spawnSync(
          'openssl',
          [
            'cms',
            '-decrypt',
            '-inform',
            'DER',
            '-in',
            `${name}.der`,
            '-inkey',
            `${name}.key`,
            '-recip',
            `${name}.pem`,
            '-binary',
          ],
          { cwd: dir },
        );
        expect(run.stderr.toString(), name).toBe('');
        expect(run.status, name).toBe(0);
        expect(run.stdout.equals(content), name).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('of empty content is one write', async () => {
    const out = await writes(Buffer.alloc(0), rsa);
    expect(out).toHaveLength(1);
    expect(open(out[0]!, [keyOf(rsa)])).toHaveLength(0);
  });

  it('is refused when the content is longer or shorter than announced, before it ends', async () => {
    const content = randomBytes(5000);
    await expect(writes(content, rsa, 1000, 4999)).rejects.toThrow(
      'the content is longer than announced',
    );
    await expect(writes(content, rsa, 1000, 5001)).rejects.toThrow(
      'the content is shorter than announced',
    );
    // Exactly announced: nothing thrown (the boundary is the length itself).
    await expect(writes(content, rsa, 1000, 5000)).resolves.toBeDefined();
  });

  it('uses a fresh content key and nonce each time', async () => {
    const content = randomBytes(100);
    const [a, b] = [await envelope(content, rsa), await envelope(content, rsa)];
    expect(headOf(a).nonce.equals(headOf(b).nonce)).toBe(false);
    expect(
      unwrapContentKey(headOf(a), [keyOf(rsa)]).equals(unwrapContentKey(headOf(b), [keyOf(rsa)])),
    ).toBe(false);
  });
});

describe('the head is read from its first bytes', () => {
  it('is not yet known from too few bytes, and known from the whole head', async () => {
    const file = await envelope(randomBytes(1000), rsa);
    const head = headOf(file);
    // Every prefix: unknown (never refused) until the head is whole, then the head itself.
    let known = false;
    for (let n = 0; n <= head.headLength + 16; n++) {
      const read = readHead(file.subarray(0, n), file.length);
      if (read) {
        expect(read, `${n} bytes`).toEqual(head);
        known = true;
      } else {
        expect(known, `${n} bytes: unknown again`).toBe(false);
        expect(n).toBeLessThan(head.headLength + 16);
      }
    }
    expect(readHead(file.subarray(0, head.headLength - 1), file.length)).toBeNull();
    // The content's header is read from sixteen bytes, as every header is.
    expect(readHead(file.subarray(0, head.headLength + 16), file.length)).toEqual(head);
  });

  it('a head that cannot be completed within its bound is refused, not awaited', () => {
    // A SEQUENCE whose first element claims more bytes than the head may hold.
    const claim = Buffer.from('3084000100100684000100050000', 'hex');
    const size = 6 + 0x10010;
    const short = Buffer.concat([claim, Buffer.alloc(100)]);
    expect(readHead(short, size)).toBeNull();
    const full = Buffer.concat([claim, Buffer.alloc(MAX_HEAD - claim.length)]);
    expect(refusal(() => readHead(full, size))).toEqual({
      reason: 'NOT_A_PACKAGE',
      detail: 'the envelope cannot be read',
    });
  });
});

describe('a hostile envelope is refused with what is wrong', () => {
  let file: Buffer;
  let ecFile: Buffer;
  beforeAll(async () => {
    file = await envelope(randomBytes(300), rsa);
    ecFile = await envelope(randomBytes(300), ec);
  });

  const rows: [string, (f: Buffer) => Buffer, string][] = [
    ['sixteen bytes of nothing', () => Buffer.alloc(16), 'the file is not one DER SEQUENCE'],
    [
      'a byte more than the SEQUENCE',
      (f) => Buffer.concat([f, Buffer.alloc(1)]),
      'the file is not one DER SEQUENCE',
    ],
    [
      'a SET for the outer SEQUENCE',
      (f) => patched(f, 0, 0x31),
      'the file is not one DER SEQUENCE',
    ],
    ['a primitive outer SEQUENCE', (f) => patched(f, 0, 0x10), 'the file is not one DER SEQUENCE'],
    [
      'an indefinite outer length',
      (f) => patched(f, 1, 0x80),
      'indefinite lengths are not accepted',
    ],
    [
      'a length asn1js cannot read (0xFF is reserved)',
      (f) => patched(f, 1, 0xff),
      'an ASN.1 header cannot be read',
    ],
    [
      'another content type',
      (f) => patched(f, at(f, OID.authEnvelopedData) + 12, 0x18),
      'the content is not AuthEnvelopedData',
    ],
    [
      'an integer for the content type',
      (f) => patched(f, at(f, OID.authEnvelopedData), 0x02),
      'the content is not AuthEnvelopedData',
    ],
    [
      '[1] for the explicit [0]',
      (f) => patched(f, at(f, OID.authEnvelopedData) + 13, 0xa1),
      'the envelope is not laid out as CMS requires',
    ],
    [
      'a universal tag for the explicit [0]',
      (f) => patched(f, at(f, OID.authEnvelopedData) + 13, 0x30),
      'the envelope is not laid out as CMS requires',
    ],
    [
      'a SET for the AuthEnvelopedData',
      (f) =>
        patched(
          f,
          at(f, OID.authEnvelopedData) + 13 + headerLength(f, at(f, OID.authEnvelopedData) + 13),
          0x31,
        ),
      'the envelope is not laid out as CMS requires',
    ],
    ['version 1', (f) => patched(f, at(f, '02 01 00 31') + 2, 0x01), 'unknown envelope version'],
    [
      'an octet string for the version',
      (f) => patched(f, at(f, '02 01 00 31'), 0x04),
      'unknown envelope version',
    ],
    [
      'a SEQUENCE for the recipient infos',
      (f) => patched(f, at(f, '02 01 00 31') + 3, 0x30),
      'no recipient infos',
    ],
    [
      'another encrypted content type',
      (f) => patched(f, at(f, OID.data) + 10, 0x02),
      'the encrypted content is not data',
    ],
    [
      'an integer for the encrypted content type',
      (f) => patched(f, at(f, OID.data), 0x02),
      'the encrypted content is not data',
    ],
    [
      'AES-256-CBC for GCM',
      (f) => patched(f, at(f, OID.aes256Gcm) + 10, 0x2a),
      'the content is not encrypted with AES-256-GCM',
    ],
    [
      'a 12-byte tag announced',
      (f) => patched(f, at(f, OID.aes256Gcm) + 11 + 2 + 14 + 2, 0x0c),
      'the content is not encrypted with AES-256-GCM',
    ],
    [
      'a constructed encrypted content',
      (f) => patched(f, contentTagAt(f), 0xa0),
      'the encrypted content is not a single OCTET STRING',
    ],
    [
      '[1] for the encrypted content',
      (f) => patched(f, contentTagAt(f), 0x81),
      'the encrypted content is not a single OCTET STRING',
    ],
    [
      'a universal OCTET STRING for the encrypted content',
      (f) => patched(f, contentTagAt(f), 0x04),
      'the encrypted content is not a single OCTET STRING',
    ],
  ];

  rows.push(
    [
      'an application tag for the explicit [0]',
      (f) => patched(f, at(f, OID.authEnvelopedData) + 13, 0x60),
      'the envelope is not laid out as CMS requires',
    ],
    [
      'an AuthEnvelopedData a byte shorter than its explicit [0]',
      (f) => {
        const aed =
          at(f, OID.authEnvelopedData) + 13 + headerLength(f, at(f, OID.authEnvelopedData) + 13);
        const last = aed + headerLength(f, aed) - 1;
        return patched(f, last, f[last]! - 1);
      },
      'the envelope is not laid out as CMS requires',
    ],
    [
      'an octet string for the recipient info',
      (f) => patched(f, at(f, '02 01 00 31') + 3 + headerLength(f, at(f, '02 01 00 31') + 3), 0x04),
      'a recipient info cannot be read',
    ],
    [
      'a 10-byte nonce (the tag length and a NULL after it)',
      (f) => {
        const params = at(f, OID.aes256Gcm) + 11;
        const copy = Buffer.from(f);
        Buffer.from(`040a${'11'.repeat(10)}0201100500`, 'hex').copy(copy, params + 2);
        return copy;
      },
      'the content is not encrypted with AES-256-GCM',
    ],
  );

  it.each(rows)('%s', (_, change, detail) => {
    const bad = change(file);
    expect(refusal(() => readHead(bad, bad.length))).toEqual({ reason: 'NOT_A_PACKAGE', detail });
  });

  it('the GCM parameters as written: a 12-byte nonce, then a 16-byte tag', () => {
    const params = at(file, OID.aes256Gcm) + 11;
    expect(file.subarray(params, params + 19).toString('hex')).toMatch(
      /^3011040c[0-9a-f]{24}020110$/,
    );
  });

  it('an encrypted content that ends before its envelope is refused', () => {
    // The content's length one less, its envelope's unchanged: a byte is left over.
    const tag = contentTagAt(file);
    const bad = patched(file, tag + 2, file[tag + 2]! - 1);
    expect(refusal(() => readHead(bad, bad.length))).toEqual({
      reason: 'NOT_A_PACKAGE',
      detail: 'the encrypted content does not fit its envelope',
    });
  });

  it('the tag: sixteen bytes in one OCTET STRING, and nothing after', () => {
    const tail = file.subarray(file.length - 18);
    expect(readTag(tail)).toHaveLength(16);
    const cases: Buffer[] = [
      Buffer.concat([tail, Buffer.alloc(1)]),
      patched(tail, 0, 0x02),
      Buffer.from(`040f${'00'.repeat(15)}`, 'hex'),
      Buffer.from(`0411${'00'.repeat(17)}`, 'hex'),
      Buffer.alloc(0),
    ];
    const details = [...cases.slice(0, -1).map(() => 'no 16-byte authentication tag at the end')];
    details.push('an ASN.1 element cannot be read');
    expect(cases.map((bad) => refusal(() => readTag(bad)))).toEqual(
      details.map((detail) => ({ reason: 'NOT_A_PACKAGE', detail })),
    );
  });

  it('a changed tag or ciphertext does not decrypt', () => {
    const last = file.length - 1;
    expect(() => open(patched(file, last, file[last]! ^ 1), [keyOf(rsa)])).toThrow();
    const head = headOf(file);
    const inside = head.headLength + 5;
    expect(() => open(patched(file, inside, file[inside]! ^ 1), [keyOf(rsa)])).toThrow();
  });

  const OAEP = 'the key is not wrapped with RSA-OAEP, SHA-256 and MGF1 with SHA-256';
  const AGREEMENT = 'the key agreement is not ECDH with the SHA-256 KDF and AES-256 key wrap';
  const SHA256 = '06 09 60 86 48 01 65 03 04 02 01';
  /** The nth SHA-256 identifier after the OAEP identifier. */
  const oaepSha256 = (nth: number) => {
    let from = at(file, OID.rsaesOaep);
    for (let i = 0; i < nth; i++) {
      from += at(file.subarray(from), SHA256) + (i < nth - 1 ? 11 : 0);
    }
    return from;
  };
  /** [what, the envelope changed, whose key opens it, the reason given] */
  const algorithms: [string, () => Buffer, 'rsa' | 'ec', string][] = [
    [
      'rsaEncryption (PKCS #1 v1.5)',
      () => patched(file, at(file, OID.rsaesOaep) + 10, 0x01),
      'rsa',
      OAEP,
    ],
    ['OAEP with SHA-384', () => patched(file, oaepSha256(1) + 10, 0x02), 'rsa', OAEP],
    ['MGF1 with SHA-384', () => patched(file, oaepSha256(2) + 10, 0x02), 'rsa', OAEP],
    [
      'the SHA-384 KDF',
      () => patched(ecFile, at(ecFile, OID.ecdhSha256Kdf) + 7, 0x02),
      'ec',
      AGREEMENT,
    ],
    [
      'AES-128 key wrap',
      () => patched(ecFile, at(ecFile, '06 09 60 86 48 01 65 03 04 01 2d') + 10, 0x05),
      'ec',
      AGREEMENT,
    ],
  ];
  it.each(algorithms)('a key sent by %s is refused, not tried', (_, bad, whose, detail) => {
    const key = keyOf(whose === 'rsa' ? rsa : ec);
    expect(refusal(() => unwrapContentKey(headOf(bad()), [key]))).toEqual({
      reason: 'DECRYPTION_FAILED',
      detail,
    });
  });

  it('GCM parameters without the tag length (RFC 5084 reads 12), or with more after it, are refused', () => {
    for (const edit of [
      (params: asn1js.Sequence) => params.valueBlock.value.pop(),
      (params: asn1js.Sequence) => params.valueBlock.value.push(new asn1js.Null()),
    ]) {
      const bad = reencoded(file, (root) => edit(gcmParams(root)));
      expect(refusal(() => readHead(bad, bad.length))).toEqual({
        reason: 'NOT_A_PACKAGE',
        detail: 'the content is not encrypted with AES-256-GCM',
      });
    }
    // The same file re-encoded unchanged still reads: only the edit is refused.
    const same = reencoded(file, () => undefined);
    expect(same.equals(file)).toBe(true);
  });
});

describe('the content key goes to its recipient only', () => {
  it('a vault without the recipient’s certificate is told so', async () => {
    const rsaHead = headOf(await envelope(randomBytes(10), rsa));
    const ecHead = headOf(await envelope(randomBytes(10), ec));
    for (const head of [rsaHead, ecHead]) {
      expect(refusal(() => unwrapContentKey(head, [keyOf(otherRsa), keyOf(otherEc)]))).toEqual({
        reason: 'WRONG_RECIPIENT',
        detail: 'the package is not encrypted to any key of this vault',
      });
      expect(refusal(() => unwrapContentKey(head, [])).reason).toBe('WRONG_RECIPIENT');
    }
  });

  it('the recipient is found among several keys, whichever comes first', async () => {
    const content = randomBytes(50);
    for (const recipient of [rsa, ec]) {
      const file = await envelope(content, recipient);
      const keys = [keyOf(otherRsa), keyOf(otherEc), keyOf(recipient)];
      expect(open(file, keys).equals(content)).toBe(true);
      expect(open(file, keys.reverse()).equals(content)).toBe(true);
    }
  });

  it('the recipient’s certificate with another private key does not unwrap', async () => {
    const rsaHead = headOf(await envelope(randomBytes(10), rsa));
    expect(refusal(() => unwrapContentKey(rsaHead, [keyOf(otherRsa, rsa)]))).toEqual({
      reason: 'DECRYPTION_FAILED',
      detail: 'the content key does not unwrap',
    });
    const ecHead = headOf(await envelope(randomBytes(10), ec));
    expect(refusal(() => unwrapContentKey(ecHead, [keyOf(otherEc, ec)]))).toEqual({
      reason: 'DECRYPTION_FAILED',
      detail: 'the content key does not unwrap',
    });
  });

  it('the recipient is its issuer and serial both: one alone names another certificate', async () => {
    const file = await envelope(randomBytes(10), rsa);
    const usages = x509.KeyUsageFlags.keyEncipherment;
    // Self-signed, so the issuer is the subject's name.
    const sameSerial = await issue({ name: 'CN=Twin', usages, serial: rsa.cert.serialNumber });
    const sameIssuer = await issue({ name: 'CN=Authority Encryption', usages });
    expect(sameSerial.cert.serialNumber).toBe(rsa.cert.serialNumber);
    expect(sameIssuer.cert.issuer).toBe(rsa.cert.issuer);
    for (const twin of [sameSerial, sameIssuer]) {
      expect(refusal(() => unwrapContentKey(headOf(file), [keyOf(rsa, twin)])).reason).toBe(
        'WRONG_RECIPIENT',
      );
    }
  });
});

/** The length of the DER header (identifier and length octets) at `offset`. */
function headerLength(file: Buffer, offset: number): number {
  const first = file[offset + 1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

/** Where the encrypted content's [0] tag stands: after the GCM algorithm identifier. */
function contentTagAt(file: Buffer): number {
  return at(file, OID.aes256Gcm) + 11 + 19;
}

/** `file` decoded by asn1js, changed by `edit`, and encoded again (the lengths follow the edit). */
function reencoded(file: Buffer, edit: (root: asn1js.Sequence) => void): Buffer {
  const parsed = asn1js.fromBER(file.buffer.slice(file.byteOffset, file.byteOffset + file.length));
  expect(parsed.result.error).toBe('');
  const root = parsed.result as asn1js.Sequence;
  edit(root);
  return Buffer.from(root.toBER(false));
}

/** The GCM parameters' SEQUENCE within a decoded envelope. */
function gcmParams(root: asn1js.Sequence): asn1js.Sequence {
  const child = (block: asn1js.BaseBlock, i: number) =>
    (block as asn1js.Constructed).valueBlock.value[i]!;
  // ContentInfo → [0] → AuthEnvelopedData → its EncryptedContentInfo → the algorithm → params.
  return child(child(child(child(child(root, 1), 0), 2), 1), 1) as asn1js.Sequence;
}

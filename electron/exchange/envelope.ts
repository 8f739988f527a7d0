/**
 * CMS AuthEnvelopedData (RFC 5083) with AES-256-GCM (RFC 5084), written and read as a stream,
 * so `openssl cms -decrypt` opens a package and hundreds of megabytes never sit in memory.
 *
 * The content-encryption key goes to the recipient's encryption certificate: RSA-OAEP with
 * SHA-256 (KeyTransRecipientInfo) for an RSA key, ECDH with the X9.63 SHA-256 KDF and AES-256
 * key wrap (KeyAgreeRecipientInfo, RFC 5753) for an EC key. (No attributes ride on the
 * envelope: OpenSSL 3.0 misreads AuthEnvelopedData's attribute fields, so the package carries
 * its marking beside the envelope instead — see package.ts.)
 *
 * Every structure is encoded and decoded by asn1js and pkijs. Because the content is streamed,
 * the enclosing SEQUENCE headers are built from the lengths computed in advance (asn1js encodes
 * each identifier and length), and the reader walks the headers with asn1js too, then streams
 * the content between them. Only definite lengths (DER) are accepted.
 *
 * Longer than 500 lines: the whole envelope (tar reading and writing with its guards against
 * hostile archives, the signed manifest) in one place, to be read against docs/package-format.md.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
  X509Certificate as NodeCertificate,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { derOf, type x509 } from '../signing/x509';

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
  aes256Wrap: '2.16.840.1.101.3.4.1.45',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdhSha256Kdf: '1.3.132.1.11.1',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

export class EnvelopeError extends Error {
  constructor(
    readonly reason: 'NOT_A_PACKAGE' | 'WRONG_RECIPIENT' | 'DECRYPTION_FAILED',
    detail: string,
  ) {
    super(detail);
    this.name = 'EnvelopeError';
  }
}

const toAB = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const der = (node: asn1js.BaseBlock | { toSchema(): asn1js.BaseBlock }): Buffer =>
  Buffer.from(('toSchema' in node ? node.toSchema() : node).toBER(false));

/** The identifier and length octets of a block with this tag and content length (asn1js encodes them). */
function header(block: asn1js.BaseBlock, length: number): Buffer {
  block.lenBlock.isIndefiniteForm = false;
  block.lenBlock.length = length;
  block.lenBlock.longFormUsed = length > 127;
  return Buffer.concat([
    Buffer.from(block.idBlock.toBER(false)),
    Buffer.from(block.lenBlock.toBER(false)),
  ]);
}

const contextTag = (n: number, constructed: boolean) =>
  constructed
    ? new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n } })
    : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: n } });

function algorithm(oid: string, params?: asn1js.BaseBlock): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier(
    params ? { algorithmId: oid, algorithmParams: params } : { algorithmId: oid },
  );
}

/** RSAES-OAEP with SHA-256 and MGF1 with SHA-256: the only key transport written or read. */
const oaepParams = () =>
  new pkijs.RSAESOAEPParams({
    hashAlgorithm: algorithm(OIDS.sha256),
    maskGenAlgorithm: algorithm(OIDS.mgf1, algorithm(OIDS.sha256).toSchema()),
  }).toSchema();

/** AES-256 key wrap: the only key-encryption algorithm after ECDH written or read. */
const wrapAlgorithm = () => algorithm(OIDS.aes256Wrap).toSchema();

/** The two parameters a reader accepts, as DER: exactly what the writer writes. */
const OAEP_PARAMS = der(oaepParams());
const WRAP_ALGORITHM = der(wrapAlgorithm());

/**
 * Whether an algorithm's parameters, as the envelope holds them (their own bytes, not a
 * re-encoding), are exactly `expected`: a reader honouring other parameters (SHA-1 in OAEP, say)
 * would read the envelope otherwise than this one, which uses only these (round 21r).
 */
function paramsAre(identifier: pkijs.AlgorithmIdentifier, expected: Buffer): boolean {
  const params: unknown = identifier.algorithmParams;
  return (
    params instanceof asn1js.BaseBlock && Buffer.from(params.valueBeforeDecodeView).equals(expected)
  );
}

/** ECC-CMS-SharedInfo for the X9.63 KDF: the wrap algorithm and the key length in bits. */
function sharedInfo(): Buffer {
  const bits = Buffer.alloc(4);
  bits.writeUInt32BE(256);
  return der(
    new pkijs.ECCCMSSharedInfo({
      keyInfo: algorithm(OIDS.aes256Wrap),
      suppPubInfo: new asn1js.OctetString({ valueHex: toAB(bits) }),
    }),
  );
}

/** ANSI X9.63 KDF with SHA-256, one block: the 256-bit key-encryption key. */
function x963(z: Buffer): Buffer {
  return createHash('sha256')
    .update(z)
    .update(Buffer.from([0, 0, 0, 1]))
    .update(sharedInfo())
    .digest();
}

const WRAP_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');

/** How much ciphertext is gathered before it is handed on. */
const WRITE_RUN = 1024 * 1024;

function issuerAndSerial(cert: x509.X509Certificate): pkijs.IssuerAndSerialNumber {
  const parsed = pkijs.Certificate.fromBER(toAB(derOf(cert)));
  return new pkijs.IssuerAndSerialNumber({
    issuer: parsed.issuer,
    serialNumber: parsed.serialNumber,
  });
}

/** The RecipientInfo that carries `cek` to the holder of `recipient`'s private key. */
function recipientInfo(recipient: x509.X509Certificate, cek: Buffer): pkijs.RecipientInfo {
  const key = new NodeCertificate(derOf(recipient)).publicKey;
  if (key.asymmetricKeyType === 'rsa') {
    const encryptedKey = publicEncrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      cek,
    );
    return new pkijs.RecipientInfo({
      variant: 1,
      value: new pkijs.KeyTransRecipientInfo({
        version: 0,
        rid: issuerAndSerial(recipient),
        keyEncryptionAlgorithm: algorithm(OIDS.rsaesOaep, oaepParams()),
        encryptedKey: new asn1js.OctetString({ valueHex: toAB(encryptedKey) }),
      }),
    });
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'secp384r1' : 'prime256v1';
    const ephemeral = createECDH(curve);
    const point = ephemeral.generateKeys();
    const recipientPoint = key.export({ format: 'jwk' });
    const raw = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(recipientPoint.x!, 'base64url'),
      Buffer.from(recipientPoint.y!, 'base64url'),
    ]);
    const kek = x963(ephemeral.computeSecret(raw));
    const wrap = createCipheriv('id-aes256-wrap', kek, WRAP_IV);
    const wrapped = Buffer.concat([wrap.update(cek), wrap.final()]);
    return new pkijs.RecipientInfo({
      variant: 2,
      value: new pkijs.KeyAgreeRecipientInfo({
        version: 3,
        originator: new pkijs.OriginatorIdentifierOrKey({
          variant: 3,
          value: new pkijs.OriginatorPublicKey({
            algorithm: algorithm(OIDS.ecPublicKey),
            publicKey: new asn1js.BitString({ valueHex: toAB(point) }),
          }),
        }),
        keyEncryptionAlgorithm: algorithm(OIDS.ecdhSha256Kdf, wrapAlgorithm()),
        recipientEncryptedKeys: new pkijs.RecipientEncryptedKeys({
          encryptedKeys: [
            new pkijs.RecipientEncryptedKey({
              rid: new pkijs.KeyAgreeRecipientIdentifier({
                variant: 1,
                value: issuerAndSerial(recipient),
              }),
              encryptedKey: new asn1js.OctetString({ valueHex: toAB(wrapped) }),
            }),
          ],
        }),
      }),
    });
  }
  throw new EnvelopeError(
    'WRONG_RECIPIENT',
    'the recipient certificate has neither an RSA nor an EC key',
  );
}

/** The size of the envelope a recipient and `length` bytes of content make (known before writing). */
export function envelopeSize(length: number, recipient: x509.X509Certificate): number {
  let size = 0;
  void writeEnvelopeHead(length, recipient, randomBytes(32), randomBytes(12), (b) => {
    size += b.length;
  });
  return size + length + 18;
}

/**
 * Writes an envelope of `length` bytes of `plaintext` to `write`, encrypted to `recipient`.
 * `length` must be exact: the DER lengths are written before the content.
 */
export async function writeEnvelope(
  write: (chunk: Buffer) => Promise<void>,
  plaintext: AsyncIterable<Buffer>,
  length: number,
  recipient: x509.X509Certificate,
): Promise<void> {
  const cek = randomBytes(32);
  const nonce = randomBytes(12);
  let head: Buffer = Buffer.alloc(0);
  writeEnvelopeHead(length, recipient, cek, nonce, (b) => {
    head = b;
  });
  const cipher = createCipheriv('aes-256-gcm', cek, nonce, { authTagLength: 16 });
  // Written in runs of about a MiB: one write per run, not per chunk of the source.
  let run: Buffer[] = [head];
  let runLength = head.length;
  const flush = async () => {
    if (run.length) {
      const out = run.length === 1 ? run[0]! : Buffer.concat(run, runLength);
      run = [];
      runLength = 0;
      await write(out);
    }
  };
  let written = 0;
  for await (const chunk of plaintext) {
    written += chunk.length;
    if (written > length) {
      throw new Error('the content is longer than announced');
    }
    const sealed = cipher.update(chunk);
    run.push(sealed);
    runLength += sealed.length;
    if (runLength >= WRITE_RUN) {
      await flush();
    }
  }
  if (written !== length) {
    throw new Error('the content is shorter than announced');
  }
  cipher.final();
  const tag = der(new asn1js.OctetString({ valueHex: toAB(cipher.getAuthTag()) }));
  run.push(tag);
  runLength += tag.length;
  await flush();
  cek.fill(0);
}

/** Everything before the ciphertext, for `length` bytes of content under `cek` and `nonce`. */
function writeEnvelopeHead(
  length: number,
  recipient: x509.X509Certificate,
  cek: Buffer,
  nonce: Buffer,
  out: (head: Buffer) => void,
): void {
  const version = der(new asn1js.Integer({ value: 0 }));
  const recipients = der(new asn1js.Set({ value: [recipientInfo(recipient, cek).toSchema()] }));
  const contentType = der(new asn1js.ObjectIdentifier({ value: OIDS.data }));
  const gcm = der(
    algorithm(
      OIDS.aes256Gcm,
      new asn1js.Sequence({
        value: [
          new asn1js.OctetString({ valueHex: toAB(nonce) }),
          new asn1js.Integer({ value: 16 }),
        ],
      }),
    ),
  );
  const contentHeader = header(contextTag(0, false), length);
  const aeciLength = contentType.length + gcm.length + contentHeader.length + length;
  const aeciHeader = header(new asn1js.Sequence(), aeciLength);
  const macLength = 2 + 16; // an OCTET STRING of the 16-byte tag
  const aedLength = version.length + recipients.length + aeciHeader.length + aeciLength + macLength;
  const aedHeader = header(new asn1js.Sequence(), aedLength);
  const outerOid = der(new asn1js.ObjectIdentifier({ value: OIDS.authEnvelopedData }));
  const explicit = header(contextTag(0, true), aedHeader.length + aedLength);
  const outer = header(
    new asn1js.Sequence(),
    outerOid.length + explicit.length + aedHeader.length + aedLength,
  );
  out(
    Buffer.concat([
      outer,
      outerOid,
      explicit,
      aedHeader,
      version,
      recipients,
      aeciHeader,
      contentType,
      gcm,
      contentHeader,
    ]),
  );
}

// ---- reading -----------------------------------------------------------------------------

interface Node {
  tagClass: number;
  tagNumber: number;
  constructed: boolean;
  /** Offset of the content (after identifier and length). */
  start: number;
  length: number;
}

/** The identifier and length at `offset` of `buf` (asn1js decodes them; the content may be elsewhere). */
function nodeAt(buf: Buffer, offset: number, base = 0): Node {
  const parsed = asn1js.fromBER(toAB(buf.subarray(offset, offset + 16)));
  const block = parsed.result;
  if (!block.idBlock || block.idBlock.blockLength === 0 || block.lenBlock.blockLength === 0) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'an ASN.1 header cannot be read');
  }
  if (block.lenBlock.isIndefiniteForm) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'indefinite lengths are not accepted');
  }
  return {
    tagClass: block.idBlock.tagClass,
    tagNumber: block.idBlock.tagNumber,
    constructed: block.idBlock.isConstructed,
    start: base + offset + block.idBlock.blockLength + block.lenBlock.blockLength,
    length: block.lenBlock.length,
  };
}

/** One complete element at `offset` of `buf`, parsed by asn1js; its end is returned too. */
function elementAt(buf: Buffer, offset: number): { block: asn1js.AsnType; end: number } {
  const parsed = asn1js.fromBER(toAB(buf.subarray(offset)));
  if (parsed.offset === -1 || parsed.result.error) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'an ASN.1 element cannot be read');
  }
  return { block: parsed.result, end: offset + parsed.offset };
}

export interface EnvelopeHead {
  /** How many bytes of the envelope come before the ciphertext, and how long that is. */
  headLength: number;
  contentLength: number;
  nonce: Buffer;
  recipients: pkijs.RecipientInfo[];
}

/**
 * Reads an envelope's structure from its first bytes, checking every length adds up to `size`
 * (the whole envelope). Returns null while `head` is too short to tell; throws when it is not
 * an envelope this app reads.
 */
export function readHead(head: Buffer, size: number): EnvelopeHead | null {
  try {
    return parseHead(head, size);
  } catch (error) {
    if (error instanceof EnvelopeError || head.length >= MAX_HEAD) {
      throw error instanceof EnvelopeError
        ? error
        : new EnvelopeError('NOT_A_PACKAGE', 'the envelope cannot be read');
    }
    return null;
  }
}

/** An envelope's structure is read from at most this many bytes. */
export const MAX_HEAD = 64 * 1024;

class Incomplete extends Error {}

function parseHead(head: Buffer, size: number): EnvelopeHead {
  const need = (end: number) => {
    if (end > head.length) {
      throw new Incomplete();
    }
  };
  need(16);
  const outer = nodeAt(head, 0);
  if (outer.tagNumber !== 16 || !outer.constructed || outer.start + outer.length !== size) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the file is not one DER SEQUENCE');
  }
  // An element's header is read from sixteen bytes, as every header here is: a head that
  // arrives cut inside a header is awaited, not refused (the reader is handed the envelope in
  // whatever chunks the archive gives).
  const complete = (offset: number) => {
    need(offset + 16);
    const at = nodeAt(head, offset);
    need(at.start + at.length);
    return elementAt(head, offset);
  };
  const oid = complete(outer.start);
  if (
    !(oid.block instanceof asn1js.ObjectIdentifier) ||
    oid.block.valueBlock.toString() !== OIDS.authEnvelopedData
  ) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the content is not AuthEnvelopedData');
  }
  need(oid.end + 16);
  const explicit = nodeAt(head, oid.end);
  need(explicit.start + 16);
  const aed = nodeAt(head, explicit.start);
  if (
    explicit.tagClass !== 3 ||
    explicit.tagNumber !== 0 ||
    aed.tagNumber !== 16 ||
    aed.start + aed.length !== size
  ) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the envelope is not laid out as CMS requires');
  }
  const version = complete(aed.start);
  if (!(version.block instanceof asn1js.Integer) || version.block.valueBlock.valueDec !== 0) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'unknown envelope version');
  }
  const recipientSet = complete(version.end);
  if (!(recipientSet.block instanceof asn1js.Set)) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'no recipient infos');
  }
  let recipients: pkijs.RecipientInfo[];
  try {
    recipients = recipientSet.block.valueBlock.value.map(
      (v) => new pkijs.RecipientInfo({ schema: v }),
    );
  } catch {
    throw new EnvelopeError('NOT_A_PACKAGE', 'a recipient info cannot be read');
  }
  need(recipientSet.end + 16);
  const aeci = nodeAt(head, recipientSet.end);
  const contentType = complete(aeci.start);
  if (
    !(contentType.block instanceof asn1js.ObjectIdentifier) ||
    contentType.block.valueBlock.toString() !== OIDS.data
  ) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the encrypted content is not data');
  }
  const alg = complete(contentType.end);
  let nonce: Buffer;
  try {
    const identifier = new pkijs.AlgorithmIdentifier({ schema: alg.block });
    const params = identifier.algorithmParams as asn1js.Sequence;
    const [n, icv] = params.valueBlock.value as [asn1js.OctetString, asn1js.Integer | undefined];
    // The tag length written out (absent, RFC 5084 reads 12; round 21r), and nothing after it.
    if (
      identifier.algorithmId !== OIDS.aes256Gcm ||
      params.valueBlock.value.length !== 2 ||
      !(icv instanceof asn1js.Integer) ||
      icv.valueBlock.valueDec !== 16 ||
      n.valueBlock.valueHexView.length !== 12
    ) {
      throw new Error('not AES-256-GCM with a 12-byte nonce and a 16-byte tag');
    }
    nonce = Buffer.from(n.valueBlock.valueHexView);
  } catch {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the content is not encrypted with AES-256-GCM');
  }
  need(alg.end + 16);
  const content = nodeAt(head, alg.end);
  if (content.tagClass !== 3 || content.tagNumber !== 0 || content.constructed) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the encrypted content is not a single OCTET STRING');
  }
  const contentEnd = content.start + content.length;
  // After the content: the tag (an OCTET STRING of 16 bytes), and nothing else.
  if (aeci.start + aeci.length !== contentEnd || contentEnd + 18 !== size) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'the encrypted content does not fit its envelope');
  }
  return { headLength: content.start, contentLength: content.length, nonce, recipients };
}

/** The authentication tag from the 18 bytes after the content. */
export function readTag(tail: Buffer): Buffer {
  const mac = elementAt(tail, 0);
  if (
    mac.end !== tail.length ||
    !(mac.block instanceof asn1js.OctetString) ||
    mac.block.valueBlock.valueHexView.length !== 16
  ) {
    throw new EnvelopeError('NOT_A_PACKAGE', 'no 16-byte authentication tag at the end');
  }
  return Buffer.from(mac.block.valueBlock.valueHexView);
}

/** A decryption key this vault holds, with the certificate it belongs to. */
export interface DecryptionKey {
  certificate: x509.X509Certificate;
  key: KeyObject;
}

function sameIssuerAndSerial(
  rid: pkijs.IssuerAndSerialNumber,
  cert: x509.X509Certificate,
): boolean {
  const own = issuerAndSerial(cert);
  return rid.issuer.isEqual(own.issuer) && rid.serialNumber.isEqual(own.serialNumber);
}

/** The content-encryption key, unwrapped with whichever of `keys` the envelope was made for. */
export function unwrapContentKey(head: EnvelopeHead, keys: DecryptionKey[]): Buffer {
  for (const info of head.recipients) {
    if (info.value instanceof pkijs.KeyTransRecipientInfo) {
      const rid = info.value.rid;
      const mine = keys.find(
        (k) =>
          rid instanceof pkijs.IssuerAndSerialNumber && sameIssuerAndSerial(rid, k.certificate),
      );
      if (!mine) {
        continue;
      }
      const transport = info.value.keyEncryptionAlgorithm;
      if (transport.algorithmId !== OIDS.rsaesOaep || !paramsAre(transport, OAEP_PARAMS)) {
        throw new EnvelopeError(
          'DECRYPTION_FAILED',
          'the key is not wrapped with RSA-OAEP, SHA-256 and MGF1 with SHA-256',
        );
      }
      try {
        return privateDecrypt(
          { key: mine.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          Buffer.from(info.value.encryptedKey.valueBlock.valueHexView),
        );
      } catch {
        throw new EnvelopeError('DECRYPTION_FAILED', 'the content key does not unwrap');
      }
    }
    if (info.value instanceof pkijs.KeyAgreeRecipientInfo) {
      const kari = info.value;
      for (const rek of kari.recipientEncryptedKeys.encryptedKeys) {
        const rid: unknown = rek.rid.value;
        const mine = keys.find(
          (k) =>
            rid instanceof pkijs.IssuerAndSerialNumber && sameIssuerAndSerial(rid, k.certificate),
        );
        if (!mine) {
          continue;
        }
        const agreement = kari.keyEncryptionAlgorithm;
        if (agreement.algorithmId !== OIDS.ecdhSha256Kdf || !paramsAre(agreement, WRAP_ALGORITHM)) {
          throw new EnvelopeError(
            'DECRYPTION_FAILED',
            'the key agreement is not ECDH with the SHA-256 KDF and AES-256 key wrap',
          );
        }
        try {
          const originator = kari.originator.value as pkijs.OriginatorPublicKey;
          const curve =
            mine.key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'secp384r1' : 'prime256v1';
          const ecdh = createECDH(curve);
          const jwk = mine.key.export({ format: 'jwk' });
          ecdh.setPrivateKey(Buffer.from(jwk.d!, 'base64url'));
          const z = ecdh.computeSecret(Buffer.from(originator.publicKey.valueBlock.valueHexView));
          const unwrap = createDecipheriv('id-aes256-wrap', x963(z), WRAP_IV);
          return Buffer.concat([
            unwrap.update(Buffer.from(rek.encryptedKey.valueBlock.valueHexView)),
            unwrap.final(),
          ]);
        } catch {
          throw new EnvelopeError('DECRYPTION_FAILED', 'the content key does not unwrap');
        }
      }
    }
  }
  throw new EnvelopeError(
    'WRONG_RECIPIENT',
    'the package is not encrypted to any key of this vault',
  );
}

/** A decipher for the content; its tag is set (readTag) and checked when it is finalised. */
export function contentDecipher(head: EnvelopeHead, cek: Buffer) {
  return createDecipheriv('aes-256-gcm', cek, head.nonce, { authTagLength: 16 });
}

/**
 * PAdES signatures on the workbench's PDFs: a visible signature block drawn on the last page,
 * a CMS detached signature (ETSI.CAdES.detached) over the whole file but its /Contents, made
 * with the vault's signing identity. `pdfsig` reports these valid and `qpdf --check` passes
 * (STACK.md). Verification here needs no network and no external tool.
 */
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { pdfSafe } from '../../shared/documents';
import { certificateFacts, type Identity } from './identity';

export async function signPdf(
  pdf: Buffer,
  identity: Pick<Identity, 'p12' | 'password'>,
  block: { name: string; reason: string; location: string; lines: string[]; signingTime?: Date },
): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPages().at(-1)!;
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = 260;
  const height = 22 + block.lines.length * 11;
  const x = page.getWidth() - width - 48;
  const y = 72;
  page.drawRectangle({
    x,
    y,
    width,
    height,
    borderColor: rgb(0.04, 0.31, 0.54),
    borderWidth: 1,
    color: rgb(0.96, 0.97, 0.99),
  });
  page.drawText(pdfSafe(block.name), { x: x + 8, y: y + height - 14, size: 9, font: bold });
  block.lines.forEach((line, i) =>
    page.drawText(pdfSafe(line), { x: x + 8, y: y + height - 27 - i * 11, size: 8, font }),
  );
  pdflibAddPlaceholder({
    pdfDoc: doc,
    pdfPage: page,
    reason: pdfSafe(block.reason),
    contactInfo: '',
    name: pdfSafe(block.name),
    location: pdfSafe(block.location),
    signingTime: block.signingTime,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: [x, y, x + width, y + height],
    appName: 'Accreditation Workbench',
    signatureLength: 16_384,
  });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  const signer = new P12Signer(identity.p12, { passphrase: identity.password });
  return new SignPdf().sign(prepared, signer, block.signingTime);
}

export type VerifyFailure =
  | 'NOT_SIGNED'
  | 'MALFORMED'
  | 'NOT_WHOLE_FILE'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'CERTIFICATE_NOT_VALID_AT_SIGNING';

export interface Verification {
  valid: boolean;
  failure: VerifyFailure | null;
  signer: ReturnType<typeof certificateFacts> | null;
  signedAt: string | null;
  /** Whether the signer's certificate (or one in its chain) is in the given trust list. */
  trusted: boolean;
}

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

type Asn1 = forge.asn1.Asn1;
const children = (node: Asn1 | undefined): Asn1[] => (Array.isArray(node?.value) ? node.value : []);
const bytesOf = (node: Asn1 | undefined): Buffer =>
  Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');

function fail(failure: VerifyFailure, partial: Partial<Verification> = {}): Verification {
  return { valid: false, failure, signer: null, signedAt: null, trusted: false, ...partial };
}

/**
 * Verifies the last signature of a PDF: that it covers the whole file, that the file's digest is
 * the signed one, that the signature is the certificate's, and that the certificate was valid
 * when it signed. `trustedFingerprints` (SHA-256, hex) say which certificates the user trusts.
 */
export function verifyPdf(pdf: Buffer, trustedFingerprints: readonly string[] = []): Verification {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) {
    return fail('NOT_SIGNED');
  }
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(
    text.slice(at, at + 120),
  );
  if (!match) {
    return fail('MALFORMED');
  }
  const [a, b, c, d] = match.slice(1).map(Number) as [number, number, number, number];
  if (a !== 0 || c <= b || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) {
    return fail('NOT_WHOLE_FILE');
  }
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const cms = Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
  let signerInfo: Asn1[];
  let certificates: forge.pki.Certificate[];
  try {
    // /Contents is zero-padded after the CMS: parse the first value and ignore the rest.
    const root = (
      forge.asn1.fromDer as unknown as (
        bytes: forge.util.ByteStringBuffer,
        options: { parseAllBytes: boolean },
      ) => Asn1
    )(forge.util.createBuffer(cms.toString('binary')), { parseAllBytes: false });
    const signedData = children(children(root)[1])[0];
    const parts = children(signedData);
    const certNode = parts.find(
      (p) => p.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && Number(p.type) === 0,
    );
    certificates = children(certNode).map((n) => forge.pki.certificateFromAsn1(n));
    const infos = parts.at(-1);
    signerInfo = children(children(infos)[0]);
  } catch {
    return fail('MALFORMED');
  }
  const digestOid = forge.asn1.derToOid(
    forge.util.createBuffer(bytesOf(children(signerInfo[2])[0]).toString('binary')),
  );
  const hash = HASHES[digestOid];
  const attrsNode = signerInfo.find(
    (p) => p.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && Number(p.type) === 0,
  );
  const signatureNode = signerInfo.find(
    (p) => p.tagClass === forge.asn1.Class.UNIVERSAL && p.type === forge.asn1.Type.OCTETSTRING,
  );
  const own = certificates[0];
  if (!hash || !attrsNode || !signatureNode || !own) {
    return fail('MALFORMED');
  }
  const signerPem = forge.pki.certificateToPem(own);
  const facts = certificateFacts(signerPem);
  const attributes = new Map<string, Asn1>();
  for (const attr of children(attrsNode)) {
    const [oid, values] = children(attr);
    attributes.set(
      forge.asn1.derToOid(forge.util.createBuffer(bytesOf(oid).toString('binary'))),
      children(values)[0]!,
    );
  }
  const time = attributes.get(OID_SIGNING_TIME);
  const signedAt =
    time && typeof time.value === 'string'
      ? (time.type === forge.asn1.Type.UTCTIME
          ? forge.asn1.utcTimeToDate(time.value)
          : forge.asn1.generalizedTimeToDate(time.value)
        ).toISOString()
      : null;
  const trusted = [signerPem, ...certificates.slice(1).map((c) => forge.pki.certificateToPem(c))]
    .map((pem) => certificateFacts(pem).fingerprint)
    .some((f) => trustedFingerprints.includes(f));
  const partial = { signer: facts, signedAt, trusted };
  const digest = bytesOf(attributes.get(OID_MESSAGE_DIGEST));
  if (!digest.equals(createHash(hash).update(signed).digest())) {
    return fail('DIGEST_MISMATCH', partial);
  }
  // The signature is over the DER of the signed attributes as a SET (RFC 5652 §5.4).
  const set = forge.asn1.create(
    forge.asn1.Class.UNIVERSAL,
    forge.asn1.Type.SET,
    true,
    children(attrsNode),
  );
  const setDer = Buffer.from(forge.asn1.toDer(set).getBytes(), 'binary');
  const key = new X509Certificate(signerPem).publicKey;
  if (!verifySignature(hash, setDer, key, bytesOf(signatureNode))) {
    return fail('SIGNATURE_INVALID', partial);
  }
  if (signedAt && (signedAt < facts.notBefore || signedAt > facts.notAfter)) {
    return fail('CERTIFICATE_NOT_VALID_AT_SIGNING', partial);
  }
  return { valid: true, failure: null, ...partial };
}

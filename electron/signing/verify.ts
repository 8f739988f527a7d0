/**
 * Verifies every signature of a PDF, offline, against a trust store of anchors and CRLs.
 *
 * For each signature field of each revision: the ByteRange must start at 0, leave out exactly
 * the dictionary's own /Contents literal and end where a revision of the file ends; the CMS must
 * verify over those bytes (cms.ts); the signer's path must end at a trust anchor (path.ts); and
 * every revision after the one it signs may only add signatures and validation data
 * (pdf-structure.ts). A file is valid when it has a signature and every one is valid.
 */
import type {
  PdfVerification,
  SignatureReason,
  SignatureReport,
  SignatureWarning,
} from '../../shared/signatures';
import { CmsError, verifyCms } from './cms';
import { validatePath } from './path';
import { PdfFile, PdfStructureError, type SignatureValue } from './pdf-structure';
import { facts, readCertificate, type x509 } from './x509';

export interface TrustStore {
  anchors: x509.X509Certificate[];
  crls: x509.X509Crl[];
}

export const NO_TRUST: TrustStore = { anchors: [], crls: [] };

const whitespace = (bytes: Uint8Array) =>
  bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0);

function refused(
  value: Pick<SignatureValue, 'field' | 'claimedTime' | 'subFilter'>,
  reason: SignatureReason,
  detail: string,
  extra: Partial<SignatureReport> = {},
): SignatureReport {
  return {
    field: value.field,
    status: 'invalid',
    reason,
    detail,
    warnings: [],
    signer: null,
    path: [],
    claimedTime: value.claimedTime,
    revision: null,
    coversWholeFile: false,
    subFilter: value.subFilter,
    level: null,
    ...extra,
  };
}

async function verifyOne(
  file: PdfFile,
  value: SignatureValue,
  trust: TrustStore,
  now: Date,
): Promise<SignatureReport> {
  const { bytes } = file;
  const range = value.byteRange;
  if (value.subFilter !== 'ETSI.CAdES.detached' && value.subFilter !== 'adbe.pkcs7.detached') {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      `sub-filter ${String(value.subFilter)} is not supported`,
    );
  }
  if (!range || !value.contents || !value.contentsSpan) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      'the signature has no ByteRange or no /Contents of its own',
    );
  }
  const [a, b, c, d] = range as [number, number, number, number];
  if (a !== 0 || b !== value.contentsSpan.start || c !== value.contentsSpan.end || d < 0) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      "the ByteRange does not leave out exactly the signature dictionary's own /Contents",
    );
  }
  const end = c + d;
  const revision = file.revisions.find((r) => r.end === end);
  if (!revision) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      'the ByteRange does not end where a revision ends',
    );
  }
  if (value.definedIn !== revision.number) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      'the signature dictionary is not part of the revision it signs',
    );
  }
  const base = { revision: revision.number, subFilter: value.subFilter };
  let reading: ReturnType<typeof verifyCms>;
  try {
    reading = verifyCms(value.contents, [
      Buffer.from(bytes.subarray(0, b)),
      Buffer.from(bytes.subarray(c, end)),
    ]);
  } catch (error) {
    if (error instanceof CmsError) {
      return refused(
        value,
        error.reason === 'WEAK_ALGORITHM' ? 'WEAK_ALGORITHM' : error.reason,
        error.message,
        base,
      );
    }
    return refused(value, 'MALFORMED_SIGNATURE', 'the signature cannot be read', base);
  }
  const signerCert = readCertificate(reading.signer)!;
  const warnings: SignatureWarning[] = [];
  const level = value.subFilter === 'ETSI.CAdES.detached' && reading.pades ? 'PAdES-B-B' : 'CMS';
  if (level !== 'PAdES-B-B') {
    warnings.push('NOT_PADES');
  }
  const claimed = value.claimedTime ?? reading.signingTime;
  const path = await validatePath({
    signer: signerCert,
    pool: reading.certificates.flatMap((der) => readCertificate(der) ?? []),
    anchors: trust.anchors,
    crls: trust.crls,
    now,
    claimed: claimed ? new Date(claimed) : null,
  });
  warnings.push(...path.warnings);
  const report: SignatureReport = {
    field: value.field,
    status: path.reason ? 'invalid' : 'valid',
    reason: path.reason,
    detail: path.detail,
    warnings,
    signer: facts(signerCert),
    path: path.path,
    claimedTime: claimed,
    revision: revision.number,
    coversWholeFile: end === file.last.end && whitespace(bytes.subarray(end)),
    subFilter: value.subFilter,
    level,
  };
  if (report.status === 'invalid') {
    return report;
  }
  // Whatever came after the signed revision may only add signatures and validation data.
  for (const later of file.revisions.slice(revision.number)) {
    const change = file.changesAfter(later.number);
    if (change) {
      return {
        ...report,
        status: 'invalid',
        reason: 'MODIFIED_AFTER_SIGNING',
        detail: `revision ${later.number}: ${change}`,
      };
    }
  }
  if (!whitespace(bytes.subarray(file.last.end))) {
    return {
      ...report,
      status: 'invalid',
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: 'bytes were appended after the last revision',
    };
  }
  return report;
}

/**
 * The Keywords of the document as first written (revision 1): what every signature covers, so
 * only meaningful once `verifyPdf` found the document valid. Later revisions cannot change it.
 */
export function signedKeywords(pdf: Uint8Array): string | null {
  try {
    return PdfFile.parse(pdf).infoText('Keywords', 1);
  } catch {
    return null;
  }
}

/** Verifies every signature in `pdf`; without anchors nothing is trusted, so nothing is valid. */
export async function verifyPdf(
  pdf: Uint8Array,
  trust: TrustStore = NO_TRUST,
  now: Date = new Date(),
): Promise<PdfVerification> {
  let file: PdfFile;
  try {
    file = PdfFile.parse(pdf);
  } catch (error) {
    const detail = error instanceof PdfStructureError ? error.detail : 'unreadable';
    return {
      valid: false,
      reason: 'MALFORMED_SIGNATURE',
      revisions: 0,
      signatures: [
        refused({ field: '', claimedTime: null, subFilter: null }, 'MALFORMED_SIGNATURE', detail),
      ],
    };
  }
  const signatures: SignatureReport[] = [];
  try {
    // A signature belongs to the revision that defines it; later revisions list it again.
    const seen = new Set<string>();
    for (const revision of file.revisions) {
      for (const value of file.signatureValues(revision.number)) {
        const key = value.sigRef
          ? `ref:${value.sigRef.tag}@${value.definedIn}`
          : `field:${value.field}@${value.definedIn}`;
        if (!seen.has(key)) {
          seen.add(key);
          signatures.push(await verifyOne(file, value, trust, now));
        }
      }
    }
  } catch (error) {
    const detail = error instanceof PdfStructureError ? error.detail : 'the file cannot be read';
    signatures.push(
      refused({ field: '', claimedTime: null, subFilter: null }, 'MALFORMED_SIGNATURE', detail),
    );
  }
  if (signatures.length === 0) {
    return { valid: false, reason: 'NOT_SIGNED', revisions: file.revisions.length, signatures };
  }
  // Each signature has checked that the revisions after it only add signatures.
  const reason = signatures.find((s) => s.status === 'invalid')?.reason ?? null;
  return { valid: reason === null, reason, revisions: file.revisions.length, signatures };
}

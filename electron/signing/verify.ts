/**
 * Verifies every signature of a PDF, offline, against a trust store of anchors and CRLs, and
 * reports every signature field, signed or not.
 *
 * The file is read one way only (pdf-structure.ts): an object defined twice, a cross-reference a
 * viewer would rebuild, or anything else two readers could read differently fails the whole file
 * with its own reason. For each signed field of the document as it stands: the ByteRange must
 * start at 0, leave out exactly the dictionary's own /Contents literal and end where the revision
 * that defines the dictionary ends; no other field may show the same value; the CMS must verify
 * over those bytes (cms.ts); the signer's path must end at a trust anchor with its revocation
 * status known (path.ts). Every revision after the first signed one must be exactly a
 * countersignature as the workbench writes it (update.ts), else every signature before it is
 * MODIFIED_AFTER_SIGNING. Each signature gets the verdict of ETSI EN 319 102-1; the file is
 * 'valid' for a decision only when every signature passed and no field is left empty.
 */
import {
  indicationOf,
  type FileStatus,
  type PdfVerification,
  type SignatureReason,
  type SignatureReport,
  type SignatureWarning,
} from '../../shared/signatures';
import { PDFName } from 'pdf-lib';
import { CmsError, verifyCms } from './cms';
import { entriesOf } from './pdf-dict';
import { validatePath } from './path';
import {
  PdfFile,
  PdfStructureError,
  type SignatureField,
  type SignatureValue,
} from './pdf-structure';
import { outsideLetterProfile } from './letter-profile';
import { dynamicContent } from './static-content';
import { countersignatureProblem } from './update';
import { facts, readCertificate, type x509 } from './x509';

export interface TrustStore {
  anchors: x509.X509Certificate[];
  crls: x509.X509Crl[];
}

export const NO_TRUST: TrustStore = { anchors: [], crls: [] };

/** A report's status and verdict from its reason. */
function judged(reason: SignatureReason | null) {
  const { indication, sub } = indicationOf(reason);
  const status: SignatureReport['status'] =
    indication === 'TOTAL_PASSED'
      ? 'valid'
      : indication === 'TOTAL_FAILED'
        ? 'invalid'
        : 'indeterminate';
  return { status, indication, subIndication: sub, reason };
}

function refused(
  value: Pick<SignatureValue, 'field' | 'claimedTime' | 'subFilter'>,
  reason: SignatureReason,
  detail: string,
  extra: Partial<SignatureReport> = {},
): SignatureReport {
  return {
    field: value.field,
    ...judged(reason),
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

/** A report refused for `reason` after it was built (its signer and path kept). */
function refuse(report: SignatureReport, reason: SignatureReason, detail: string): SignatureReport {
  return { ...report, ...judged(reason), detail };
}

/** One signature on its own: its byte range, its CMS, its signer's path. */
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
  // A time written that is no date: the check of the signer's certificate at that time would
  // be skipped, while pdfsig shows the time as it reads it (round 20aw).
  if (value.timeWritten && value.claimedTime === null) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      'the signing time (/M) is not a date written as PDF writes one',
    );
  }
  if (!range || !value.contents || !value.contentsSpan) {
    return refused(
      value,
      'MALFORMED_SIGNATURE',
      'the signature has no ByteRange or no /Contents of its own',
    );
  }
  // The value as hex digits only: readers disagree on anything else in a hex string (pdf-lib reads
  // a pair that is not hex as 0, poppler skips it), and /Contents lies outside what is signed.
  const literal = Buffer.from(
    bytes.subarray(value.contentsSpan.start, value.contentsSpan.end),
  ).toString('latin1');
  if (!/^<(?:[0-9A-Fa-f]{2})*>$/.test(literal)) {
    return refused(value, 'MALFORMED_SIGNATURE', 'the /Contents is not an even run of hex digits');
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
      return refused(value, error.reason, error.message, base);
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
  // Revocation not known, or known only from a CRL past its next update: not valid (yet).
  const reason: SignatureReason | null =
    path.reason ??
    (path.warnings.includes('REVOCATION_UNCHECKED')
      ? 'REVOCATION_UNKNOWN'
      : path.warnings.includes('CRL_STALE')
        ? 'REVOCATION_STALE'
        : null);
  return {
    field: value.field,
    ...judged(reason),
    detail:
      path.detail ??
      (reason === 'REVOCATION_UNKNOWN'
        ? 'no CRL covers a certificate on the path'
        : reason === 'REVOCATION_STALE'
          ? 'the CRL covering a certificate on the path is past its next update'
          : null),
    warnings,
    signer: facts(signerCert),
    path: path.path,
    claimedTime: claimed,
    revision: revision.number,
    coversWholeFile: end === bytes.length,
    subFilter: value.subFilter,
    level,
  };
}

/**
 * The Keywords of the document as it stands (its last revision's document information), which is
 * what viewers and `pdfinfo` show: only meaningful once `verifyPdf` found the document valid, when
 * every revision after the first signed one is a countersignature that leaves them as they were,
 * so they are the ones every signature covers. Not revision 1's (round 20k: an update written
 * before the first signature gave the letter other keywords than the ones read here).
 */
export function signedKeywords(pdf: Uint8Array): string | null {
  return signedInfo(pdf).keywords;
}

/**
 * The document information a reader shows, as signedKeywords reads the Keywords: the Keywords,
 * and every other entry as `key: text` (title, subject, author, creator, producer and custom keys
 * alike: `pdfinfo -custom` shows them all, each by its name).
 */
export function signedInfo(pdf: Uint8Array): { keywords: string | null; others: string[] } {
  try {
    const file = PdfFile.parse(pdf);
    const rev = file.last.number;
    const info = file.dict(file.last.trailer.get(PDFName.of('Info')), rev);
    const others = info
      ? entriesOf(info)
          .filter(([key]) => key !== 'Keywords')
          .map(([key]) => `${key}: ${file.infoText(key, rev) ?? ''}`)
      : [];
    return { keywords: file.infoText('Keywords', rev), others };
  } catch {
    return { keywords: null, others: [] };
  }
}

/**
 * Which refusal names the file when several signatures fail: the most specific first (how the
 * file was forged), the generic "changed after signing" last.
 */
const SPECIFIC_FIRST: SignatureReason[] = [
  'DUPLICATE_OBJECT',
  'XREF_INVALID',
  'AMBIGUOUS_STRUCTURE',
  'DYNAMIC_CONTENT',
  'SHARED_SIGNATURE_VALUE',
  'UNEXPECTED_OBJECT',
  'MALFORMED_SIGNATURE',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'CERTIFICATE_REVOKED',
  'MODIFIED_AFTER_SIGNING',
];
const precedence = (reason: SignatureReason | null) => {
  const i = reason ? SPECIFIC_FIRST.indexOf(reason) : -1;
  return i < 0 ? SPECIFIC_FIRST.length : i;
};

/** The file's status and verdict from its signatures and its empty fields. */
function summary(
  signatures: SignatureReport[],
  unsignedFields: string[],
  revisions: number,
): PdfVerification {
  const failed = signatures
    .filter((s) => s.indication === 'TOTAL_FAILED')
    .sort((a, b) => precedence(a.reason) - precedence(b.reason))[0];
  const unsure = signatures.find((s) => s.indication === 'INDETERMINATE');
  const worst = failed ?? unsure ?? null;
  const notSigned = signatures.length === 0;
  const reason: SignatureReason | null = notSigned ? 'NOT_SIGNED' : (worst?.reason ?? null);
  const { indication, sub } = indicationOf(reason);
  const status: FileStatus =
    indication === 'TOTAL_FAILED'
      ? 'invalid'
      : indication === 'INDETERMINATE'
        ? 'indeterminate'
        : unsignedFields.length
          ? 'awaiting_countersignature'
          : 'valid';
  return {
    valid: status === 'valid',
    status,
    indication,
    subIndication: sub,
    reason,
    revisions,
    signatures,
    unsignedFields,
  };
}

/**
 * What a reading of the whole file finds, as a refusal of every signature for `reason`: content
 * readers show differently (static-content.ts, DYNAMIC_CONTENT), or what a decision letter never
 * holds (letter-profile.ts, OUTSIDE_LETTER_PROFILE, read once nothing of the first kind is
 * found). A structure the reading cannot read is refused as such.
 */
function refusedBy(
  file: PdfFile,
  read: (file: PdfFile) => { detail: string } | null,
  reason: SignatureReason,
): { reason: SignatureReason; detail: string } | null {
  try {
    const found = read(file);
    return found && { reason, detail: found.detail };
  } catch (error) {
    return structureFailure(error);
  }
}

const structureFailure = (error: unknown): { reason: SignatureReason; detail: string } =>
  error instanceof PdfStructureError
    ? { reason: error.reason, detail: error.detail }
    : { reason: 'MALFORMED_SIGNATURE', detail: 'the file cannot be read' };

/** Verifies every signature in `pdf`; without anchors nothing is trusted, so nothing is valid. */
export async function verifyPdf(
  pdf: Uint8Array,
  trust: TrustStore = NO_TRUST,
  now: Date = new Date(),
): Promise<PdfVerification> {
  let file: PdfFile;
  let fields: SignatureField[];
  try {
    file = PdfFile.parse(pdf);
    fields = file.signatureFields(file.last.number);
  } catch (error) {
    const { reason, detail } = structureFailure(error);
    return summary(
      [refused({ field: '', claimedTime: null, subFilter: null }, reason, detail)],
      [],
      0,
    );
  }
  const rev = file.last.number;
  // Each field on its own: one that cannot be read does not hide the others.
  const signatures: SignatureReport[] = [];
  const unsignedFields: string[] = [];
  const values = new Map<string, string>();
  /** Each field refused for showing a value seen before, and the field it was first seen on. */
  const twins: { field: string; twin: string }[] = [];
  for (const field of fields) {
    if (!field.sig) {
      unsignedFields.push(field.name);
      continue;
    }
    const blank = { field: field.name, claimedTime: null, subFilter: null };
    let value: SignatureValue;
    try {
      value = file.signatureValue(field, rev);
    } catch (error) {
      const { reason, detail } = structureFailure(error);
      signatures.push(refused(blank, reason, detail));
      continue;
    }
    // One value, one field: a value shown twice is a signature block its signer never made.
    const key = field.sigRef
      ? `ref:${field.sigRef.objectNumber}`
      : `contents:${Buffer.from(value.contents ?? []).toString('hex')}`;
    const contentsKey = `contents:${Buffer.from(value.contents ?? []).toString('hex')}`;
    const twin = values.get(key) ?? values.get(contentsKey);
    if (twin !== undefined) {
      signatures.push(
        refused(value, 'SHARED_SIGNATURE_VALUE', `the field shows the same signature as ${twin}`),
      );
      twins.push({ field: field.name, twin });
      continue;
    }
    values.set(key, field.name);
    values.set(contentsKey, field.name);
    try {
      signatures.push(await verifyOne(file, value, trust, now));
    } catch (error) {
      const { reason, detail } = structureFailure(error);
      signatures.push(refused(value, reason, detail));
    }
  }
  // A shared value taints the field it was first seen on too.
  for (const { field, twin } of twins) {
    const i = signatures.findIndex(
      (x) => x.field === twin && x.reason !== 'SHARED_SIGNATURE_VALUE',
    );
    if (i >= 0) {
      signatures[i] = refuse(
        signatures[i]!,
        'SHARED_SIGNATURE_VALUE',
        `another field (${field}) shows this signature`,
      );
    }
  }
  // Anything in the file two readers could read differently fails every signature with it.
  const ambiguity = file.ambiguity() ?? refusedBy(file, dynamicContent, 'DYNAMIC_CONTENT');
  if (ambiguity) {
    for (const [i, s] of signatures.entries()) {
      if (s.indication !== 'TOTAL_FAILED') {
        signatures[i] = refuse(s, ambiguity.reason, ambiguity.detail);
      }
    }
  }
  // Every revision after the first signed one is a countersignature as the workbench writes it.
  const signedRevisions = signatures.map((s) => s.revision).filter((r): r is number => r !== null);
  const first = Math.min(...signedRevisions);
  if (Number.isFinite(first)) {
    for (let r = first + 1; r <= rev; r++) {
      let problem: ReturnType<typeof countersignatureProblem>;
      try {
        problem = countersignatureProblem(file, r);
      } catch (error) {
        problem = { reason: 'MODIFIED_AFTER_SIGNING', detail: structureFailure(error).detail };
      }
      if (problem) {
        for (const [i, s] of signatures.entries()) {
          if (s.revision !== null && s.revision < r && s.indication !== 'TOTAL_FAILED') {
            signatures[i] = refuse(s, problem.reason, `revision ${r}: ${problem.detail}`);
          } else if (s.revision === r && s.indication !== 'TOTAL_FAILED') {
            signatures[i] = refuse(s, problem.reason, problem.detail);
          }
        }
      }
    }
    // Nothing after the last revision: not even whitespace, which a reader looking for the last
    // startxref near the end (qpdf: the last 1,024 bytes) would take for a damaged file.
    if (file.last.end !== file.bytes.length) {
      for (const [i, s] of signatures.entries()) {
        if (s.indication !== 'TOTAL_FAILED') {
          signatures[i] = refuse(
            s,
            'MODIFIED_AFTER_SIGNING',
            `${file.bytes.length - file.last.end} bytes follow the last revision`,
          );
        }
      }
    }
  }
  // Only what a decision letter holds, once nothing proves a signature wrong.
  const outside =
    signatures.some((s) => s.indication !== 'TOTAL_FAILED') &&
    refusedBy(file, outsideLetterProfile, 'OUTSIDE_LETTER_PROFILE');
  if (outside) {
    for (const [i, s] of signatures.entries()) {
      if (s.indication !== 'TOTAL_FAILED') {
        signatures[i] = refuse(s, outside.reason, outside.detail);
      }
    }
  }
  return summary(signatures, unsignedFields, file.revisions.length);
}

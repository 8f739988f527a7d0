/**
 * What may follow a signed revision: exactly the update the workbench writes when it
 * countersigns — a signature into a field left empty before, its appearance drawn inside that
 * field's own rectangle, and nothing else. Judged on the file's own bytes: the update is
 * regenerated from what the revision states (the field it fills, the text of its block, its
 * signature dictionary's entries, its /Contents' size and its trailer's ID) and compared byte for
 * byte, so a number written `6.0` for `6`, a key reordered, an object added or written twice, or
 * a block drawn outside its box all differ. Any other later revision, from any tool, is refused.
 */
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFString } from 'pdf-lib';
import type { SignatureReason } from '../../shared/signatures';
import { PdfFile, textOf } from './pdf-structure';
import { countersignUpdate, isAwaitingBlock, readAppearance } from './sign';

export interface UpdateProblem {
  reason: Extract<SignatureReason, 'MODIFIED_AFTER_SIGNING' | 'UNEXPECTED_OBJECT'>;
  detail: string;
}

const modified = (detail: string): UpdateProblem => ({ reason: 'MODIFIED_AFTER_SIGNING', detail });

/**
 * Whether revision `rev` (after the first) is a countersignature of revision `rev - 1` exactly as
 * the workbench writes it. Returns null when it is, or what it is not.
 */
export function countersignatureProblem(file: PdfFile, rev: number): UpdateProblem | null {
  const revision = file.revisions[rev - 1]!;
  const previous = file.revisions[rev - 2]!;
  const filled = file
    .signatureFields(rev)
    .filter((f) => f.sigRef && f.sig && file.entry(f.sigRef.objectNumber, rev)?.revision === rev);
  if (filled.length !== 1) {
    return modified(
      filled.length === 0
        ? `revision ${rev} adds no signature of its own`
        : `revision ${rev} adds ${filled.length} signatures`,
    );
  }
  const field = filled[0]!;
  const reserved = file
    .signatureFields(rev - 1)
    .find(
      (f) =>
        f.name === field.name &&
        !f.sig &&
        f.fieldRef !== null &&
        f.fieldRef.objectNumber === field.fieldRef?.objectNumber,
    );
  if (!reserved?.fieldRef) {
    return modified(`revision ${rev} signs ${field.name}, which was not an empty field before`);
  }
  // What the revision states: the signature dictionary's entries, the size of /Contents…
  const sig = field.sig!;
  const contents = sig.get(PDFName.of('Contents'));
  const span = contents instanceof PDFHexString ? file.spanOf(contents) : null;
  const time = sig.get(PDFName.of('M'));
  // /M as the workbench writes it (D:YYYYMMDDHHmmSSZ): it is copied into the regenerated
  // update, so anything else there (hidden objects, say) must not be copied along.
  if (!span || !(time instanceof PDFString) || !/^D:\d{14}Z$/.test(time.asString())) {
    return modified(`the signature of revision ${rev} is not written as the workbench writes it`);
  }
  const literal = Buffer.from(file.bytes.subarray(span.start, span.end)).toString('latin1');
  // Stryker disable next-line Regex: the span is the hex string's own bytes, from its < to its >,
  // so the anchors change nothing (equivalent mutants).
  if (!/^<[0-9a-f]*>$/.test(literal)) {
    return modified(`the /Contents of revision ${rev} is not plain lower-case hex`);
  }
  // …the trailer's second ID…
  const id = revision.trailer.get(PDFName.of('ID'));
  const secondId = id instanceof PDFArray ? id.get(1) : undefined;
  if (!(secondId instanceof PDFHexString)) {
    return modified(`the trailer of revision ${rev} has no ID`);
  }
  // …and the text of the block, read from the appearance in the reserved box.
  const rect = file.dict(reserved.fieldRef, rev - 1)?.get(PDFName.of('Rect'));
  const box =
    rect instanceof PDFArray && rect.size() === 4
      ? rect.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN))
      : [];
  const ap = file.dict(file.dict(field.fieldRef!, rev)?.get(PDFName.of('AP')), rev);
  const normal = file.resolve(ap?.get(PDFName.of('N')), rev);
  if (box.length !== 4 || box.some((n) => Number.isNaN(n)) || !(normal instanceof PDFRawStream)) {
    return modified(`the field ${field.name} has no box or no appearance`);
  }
  // What the first signer signed showed the reserved box as the workbench draws it (an opaque
  // block over the whole box): the countersignature's block, drawn there, hides nothing more.
  const reservedAp = file.dict(
    file.dict(reserved.fieldRef, rev - 1)?.get(PDFName.of('AP')),
    rev - 1,
  );
  if (
    !isAwaitingBlock(
      file,
      file.resolve(reservedAp?.get(PDFName.of('N')), rev - 1),
      rev - 1,
      box[2]! - box[0]!,
      box[3]! - box[1]!,
    )
  ) {
    return modified(
      `the field ${field.name} was not reserved with a block as the workbench draws one`,
    );
  }
  const appearance = readAppearance(normal.contents, box[2]! - box[0]!, box[3]! - box[1]!);
  if (!appearance) {
    return modified(
      `the appearance of ${field.name} is not a signature block as the workbench draws it`,
    );
  }
  let candidate: Buffer;
  try {
    candidate = countersignUpdate(Buffer.from(file.bytes.subarray(0, previous.end)), {
      field: field.name,
      appearance,
      text: {
        time: time.asString(),
        name: textOf(sig.get(PDFName.of('Name'))) ?? '',
        reason: textOf(sig.get(PDFName.of('Reason'))) ?? '',
        location: textOf(sig.get(PDFName.of('Location'))) ?? '',
      },
      reserved: span.end - span.start - 2,
      secondId: secondId.asString(),
    }).out;
  } catch {
    return modified(`revision ${rev - 1} has no field a countersignature could fill`);
  }
  const actual = Buffer.from(file.bytes.subarray(0, revision.end));
  actual.fill(0x30, span.start + 1, span.end - 1);
  if (candidate.equals(actual)) {
    return null;
  }
  // Which way it differs: objects a countersignature does not write, or its own written otherwise.
  const written = new Set(PdfFile.parse(candidate).last.entries.keys());
  const extra = [...revision.entries.keys()].filter((n) => !written.has(n));
  if (extra.length) {
    return {
      reason: 'UNEXPECTED_OBJECT',
      detail: `revision ${rev} also writes object(s) ${extra.slice(0, 8).join(', ')}`,
    };
  }
  const at = firstDifference(candidate, actual);
  return modified(
    `revision ${rev} is not the countersignature the workbench writes (it differs at byte ${at})`,
  );
}

/** The offset of the first byte where `a` and `b` differ (the shorter length if one starts the other). */
export function firstDifference(a: Buffer, b: Buffer): number {
  // Stryker disable next-line MethodExpression,EqualityOperator: past the shorter buffer a byte
  // is undefined on one side, so the longer bound and i <= n find the same index (equivalent).
  const n = Math.min(a.length, b.length);
  // Stryker disable next-line EqualityOperator: see above.
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return i;
    }
  }
  return n;
}

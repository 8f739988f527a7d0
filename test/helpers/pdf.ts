/**
 * PDFs for signature tests: a one-page letter, and incremental updates written the way an
 * attacker (or another tool) would append them to a signed file.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, StandardFonts } from 'pdf-lib';
import type { CmsSigner } from '../../electron/signing/cms';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';

/** A one-page letter saying `text`, with room for signature blocks at the bottom. */
export async function letter(
  text = 'DECISION: APPROVED',
  /** The document's Keywords, as a decision letter carries them signed. */
  keywords: string[] = [],
  /** Its title, subject and author, where given. */
  info: { title?: string; subject?: string; author?: string } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  if (keywords.length) {
    doc.setKeywords(keywords);
  }
  if (info.title !== undefined) {
    doc.setTitle(info.title);
  }
  if (info.subject !== undefined) {
    doc.setSubject(info.subject);
  }
  if (info.author !== undefined) {
    doc.setAuthor(info.author);
  }
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 72, y: 740, size: 18, font });
  page.drawText('Reference DEC-TEST-0001', { x: 72, y: 710, size: 11, font });
  // The font also as /F1, the name the forgeries below draw with (`stream`): a forger uses a
  // font the page defines, so a row is refused for what it changes, not for an unknown font.
  page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict).set(PDFName.of('F1'), font.ref);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Where the test signs: two boxes at the foot of the page, below the text. */
export const SLOTS = [
  { page: 0, rect: [48, 60, 288, 140] as [number, number, number, number] },
  { page: 0, rect: [300, 60, 540, 140] as [number, number, number, number] },
];

/**
 * Signs `pdf` in `field` as the workbench does: the first signature in the first box (reserving
 * the second for a countersignature when `reserve`), a countersignature in its reserved field.
 */
export function signLetter(
  pdf: Buffer,
  signer: CmsSigner,
  field: 'Signature1' | 'Signature2',
  options: { title: string; lines?: string[]; reserve?: boolean; signingTime?: Date },
): Promise<Buffer> {
  return signPdf(pdf, signer, {
    field,
    slot: field === 'Signature1' ? SLOTS[0] : undefined,
    appearance: { title: options.title, lines: options.lines ?? ['Godkendt'] },
    name: options.title,
    reason: 'Afgørelse',
    location: 'København',
    signingTime: options.signingTime ?? new Date(),
    reserve: options.reserve
      ? [
          {
            field: 'Signature2',
            slot: SLOTS[1]!,
            language: 'da',
          },
        ]
      : [],
  });
}

/**
 * Signs `pdf` again in a new field `Signature2` in the second box — a field the letter never
 * reserved, as a forger adds a signature of its own.
 */
export function signUnreservedField(pdf: Buffer, signer: CmsSigner): Promise<Buffer> {
  return signPdf(pdf, signer, {
    field: 'Signature2',
    slot: SLOTS[1],
    appearance: { title: 'Bo', lines: [] },
    name: 'Bo',
    reason: 'x',
    location: 'x',
    signingTime: new Date(),
  });
}

/**
 * Appends an incremental update holding `objects` (object number → its body, written as is),
 * with its own cross-reference section and a trailer pointing back at the previous one.
 */
export function appendUpdate(
  pdf: Buffer,
  objects: { num: number; body: string; gen?: number }[],
): Buffer {
  const file = PdfFile.parse(pdf);
  const last = file.last;
  const parts: string[] = ['\n'];
  let offset = pdf.length + 1;
  const offsets: number[] = [];
  for (const o of objects) {
    const text = `${o.num} ${o.gen ?? 0} obj\n${o.body}\nendobj\n`;
    offsets.push(offset);
    parts.push(text);
    offset += Buffer.byteLength(text, 'latin1');
  }
  const size = last.trailer.get(PDFName.of('Size'));
  const maxNum = Math.max(...objects.map((o) => o.num));
  const xref = [
    'xref',
    ...objects.flatMap((o, i) => [
      `${o.num} 1`,
      `${String(offsets[i]).padStart(10, '0')} ${String(o.gen ?? 0).padStart(5, '0')} n\r`,
    ]),
  ].join('\n');
  const root = last.trailer.get(PDFName.of('Root'));
  // The trailer keeps /Info and /ID as they were, so a row is refused for what it changes.
  const info = last.trailer.get(PDFName.of('Info'));
  const id = last.trailer.get(PDFName.of('ID'));
  const kept = `${info ? ` /Info ${String(info)}` : ''}${id ? ` /ID ${String(id)}` : ''}`;
  parts.push(
    `${xref}\ntrailer\n<< /Size ${Math.max(size instanceof PDFNumber ? size.asNumber() : 0, maxNum + 1)} /Root ${String(root)} /Prev ${last.xrefOffset}${kept} >>\nstartxref\n${offset}\n%%EOF\n`,
  );
  return Buffer.concat([pdf, Buffer.from(parts.join(''), 'latin1')]);
}

/** The object number of the first page's (first) content stream. */
export function contentStreamOf(pdf: Buffer): number {
  const file = PdfFile.parse(pdf);
  const rev = file.last.number;
  const [page] = [...file.pageRefs(rev)];
  const dict = file.dict(PDFRef.of(page!), rev)!;
  const contents = dict.get(PDFName.of('Contents'));
  const first = contents instanceof PDFArray ? contents.get(0) : contents;
  if (!(first instanceof PDFRef)) {
    throw new Error('the page has no content stream');
  }
  return first.objectNumber;
}

/** A content stream that prints `text` where the letter printed its decision. */
export function stream(text: string): string {
  const ops = `BT /F1 18 Tf 72 740 Td (${text}) Tj ET`;
  return `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
}

/**
 * Forgeries built into the letter BEFORE it is signed (or into what a later, honest
 * countersignature will add): structures inside the signed bytes that readers resolve
 * differently. A reference to an object the revision does not define (one reader: nothing; another:
 * a rebuilt cross-reference and an object hidden in stream data; a third: the countersignature's
 * appearance, once there is one), a reference with another generation, a hybrid file whose XRefStm
 * places a plain object or has a /Prev of its own, object-stream offsets inside another object,
 * and a linearization dictionary whose /L is the length the letter will have once countersigned.
 * Each builder takes the test PKI and signs with the workbench's own signPdf.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRef,
  StandardFonts,
  type PDFFont,
  type PDFNumber,
  type PDFPage,
} from 'pdf-lib';
import { buildPadesCms, type CmsSigner } from '../../electron/signing/cms';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';
import { body, signField } from './forge';
import { letter, SLOTS } from './pdf';
import type { Party } from './pki';

/** The parties a forgery needs: the issuing CA (for the chain), the signer, the countersigner. */
export interface TestPki {
  ca: Party;
  anne: Party;
  bo: Party;
}

/** A letter as the first signer signed it, and the same after an honest countersignature. */
export interface Countersigned {
  awaiting: Buffer;
  countersigned: Buffer;
}

const signerOf = (pki: TestPki, party: Party): CmsSigner =>
  softwareSigner(party.key, [party.der, pki.ca.der]);

/** Anne's signature into Signature1, reserving Signature2 for a countersignature if told. */
export async function signFirst(pki: TestPki, pdf: Buffer, reserve: boolean): Promise<Buffer> {
  return signPdf(pdf, signerOf(pki, pki.anne), {
    field: 'Signature1',
    slot: SLOTS[0],
    appearance: { title: 'Anne Accreditor', lines: ['Signed by Anne Accreditor', 'Authority'] },
    name: pki.anne.cert.subject,
    reason: 'Decision',
    location: 'Copenhagen',
    signingTime: new Date(),
    reserve: reserve
      ? [
          {
            field: 'Signature2',
            slot: SLOTS[1]!,
            language: 'en',
          },
        ]
      : [],
  });
}

/** Bo's countersignature into the reserved Signature2, exactly as the workbench writes it. */
export async function countersign(pki: TestPki, pdf: Buffer): Promise<Buffer> {
  return signPdf(pdf, signerOf(pki, pki.bo), {
    field: 'Signature2',
    appearance: { title: 'Bo Accreditor', lines: ['Signed by Bo Accreditor', 'Authority'] },
    name: pki.bo.cert.subject,
    reason: 'Countersignature',
    location: 'Copenhagen',
    signingTime: new Date(),
  });
}

/**
 * Anne's signature over a letter signPdf will not read (its structure is refused as it is parsed):
 * signPdf signs `readable`, the same bytes but for a key renamed to one of the same length, then
 * the letter's own bytes are put back and the CMS made again over them, as a signing tool that
 * does not look would have made it.
 */
async function signAsIs(pki: TestPki, prepared: Buffer, readable: Buffer): Promise<Buffer> {
  if (readable.length !== prepared.length) {
    throw new Error('the readable twin is not the same length as the letter');
  }
  const twin = await signFirst(pki, readable, false);
  const file = PdfFile.parse(twin);
  const rev = file.last.number;
  const field = file.signatureFields(rev).find((f) => f.name === 'Signature1')!;
  const span = file.signatureValue(field, rev).contentsSpan!;
  const out = Buffer.concat([prepared, twin.subarray(prepared.length)]);
  out.fill(0x30, span.start + 1, span.end - 1);
  const signer = signerOf(pki, pki.anne);
  const digest = createHash(signer.hash)
    .update(out.subarray(0, span.start))
    .update(out.subarray(span.end))
    .digest();
  out.write((await buildPadesCms(digest, signer)).toString('hex'), span.start + 1, 'latin1');
  return out;
}

/** The letter with its last trailer's /XRefStm renamed: a reader sees the table alone. */
function withoutXrefStm(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/XRefStm ');
  const out = Buffer.from(pdf);
  out.write('/XRefStX ', at, 'latin1');
  return out;
}

/** A one-page letter saying `text`, the way test/helpers/pdf.ts `letter` writes one. */
async function letterSaying(
  text: string,
  extra?: (doc: PDFDocument, page: PDFPage, font: PDFFont) => void,
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 72, y: 740, size: 18, font });
  page.drawText('Reference DEC-TEST-0001', { x: 72, y: 710, size: 11, font });
  extra?.(doc, page, font);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** What an overlay draws: a white box over the decision, with other words in it. */
const overlayOps = (words: string) =>
  `q 1 1 1 rg 0 0 300 30 re f 0 0 0 rg BT /F 18 Tf 2 8 Td (${words}) Tj ET Q`;

/** A form XObject drawing the overlay (the body of an object, without "n 0 obj"). */
function overlayBody(words = 'DECISION: APPROVED'): string {
  const ops = overlayOps(words);
  return `<< /Type /XObject /Subtype /Form /BBox [0 0 300 30] /Resources << /Font << /F << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
}

const pad = (n: number) => String(n).padStart(10, '0');
const sizeOf = (file: PdfFile) =>
  (file.last.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber();

/** Writes `n 0 obj … endobj` chunks after `pdf`, noting where each begins. */
class Tail {
  text = '\n';
  offset: number;
  readonly at = new Map<number, number>();
  constructor(pdf: Buffer) {
    this.offset = pdf.length + 1;
  }
  put(num: number, content: string): void {
    this.raw(`${num} 0 obj\n${content}\nendobj\n`, num);
  }
  raw(chunk: string, num?: number): void {
    if (num !== undefined) {
      this.at.set(num, this.offset);
    }
    this.text += chunk;
    this.offset += Buffer.byteLength(chunk, 'latin1');
  }
}

/**
 * A cross-reference stream `xref` ending an update: `entries` (number → [type, f2, f3]) plus its
 * own, W [1 4 2], /Prev the revision before.
 */
function xrefStream(
  file: PdfFile,
  tail: Tail,
  xref: number,
  entries: Map<number, [number, number, number]>,
): Buffer[] {
  entries.set(xref, [1, tail.offset, 0]);
  const nums = [...entries.keys()].sort((a, b) => a - b);
  const rows = Buffer.alloc(nums.length * 7);
  nums.forEach((n, i) => {
    const [t, f2, f3] = entries.get(n)!;
    rows[i * 7] = t;
    rows.writeUInt32BE(f2, i * 7 + 1);
    rows.writeUInt16BE(f3, i * 7 + 5);
  });
  const z = deflateSync(rows);
  const head = `${xref} 0 obj\n<< /Type /XRef /Size ${xref + 1} /W [1 4 2] /Index [${nums.map((n) => `${n} 1`).join(' ')}] /Root ${String(file.last.trailer.get(PDFName.of('Root')))} /Prev ${file.last.xrefOffset} /Filter /FlateDecode /Length ${z.length} >>\nstream\n`;
  return [
    Buffer.from(tail.text + head, 'latin1'),
    z,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${tail.offset}\n%%EOF\n`, 'latin1'),
  ];
}

/** An object stream's body holding `data` after `header` (offsets as the header gives them). */
const objectStream = (header: string, data: string, n: number) =>
  `<< /Type /ObjStm /N ${n} /First ${header.length} /Length ${header.length + data.length} >>\nstream\n${header}${data}\nendstream`;

/** The page's body with `/Annots [ref]` in place of its empty (or absent) annotation list. */
function pageWith(pdf: Buffer, page: number, ref: string): string {
  const text = body(pdf, page);
  return /\/Annots \[ \]/.test(text)
    ? text.replace(/\/Annots \[ \]/, `/Annots [${ref}]`)
    : text.replace(/>>\s*$/, `/Annots [${ref}]\n>>`);
}

/**
 * A1 — Anne's letter says "DECISION: NOT APPROVED" and carries an invisible link over "NOT" whose
 * appearance is the object number the countersignature's appearance stream will get (absent
 * until then). Once Bo countersigns, his appearance is drawn over "NOT" as well.
 */
export async function danglingAppearance(
  pki: TestPki,
): Promise<Countersigned & { notRect: [number, number, number, number] }> {
  const build = async (target: number) => {
    let notRect: [number, number, number, number] = [0, 0, 0, 0];
    const pdf = await letterSaying('DECISION: NOT APPROVED', (doc, page, font) => {
      const x1 = 72 + font.widthOfTextAtSize('DECISION: ', 18);
      const x2 = 72 + font.widthOfTextAtSize('DECISION: NOT ', 18);
      notRect = [x1 - 1, 735, x2 - 1, 757];
      const link = doc.context.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: notRect,
        Border: [0, 0, 0],
        F: 4,
        AP: { N: PDFRef.of(target) },
      });
      page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
    });
    return { pdf, notRect };
  };
  // Anne's revision's size does not depend on the number aimed at: learn it, then aim.
  const probe = await signFirst(pki, (await build(9999)).pdf, true);
  const target = sizeOf(PdfFile.parse(probe)) + 3;
  const { pdf, notRect } = await build(target);
  const awaiting = await signFirst(pki, pdf, true);
  return { awaiting, countersigned: await countersign(pki, awaiting), notRect };
}

/**
 * A2 — a link whose appearance is an object the cross-reference lacks; its definition is the
 * data of an unreferenced stream, which poppler finds when it rebuilds the cross-reference.
 */
export async function danglingRebuilt(pki: TestPki): Promise<Buffer> {
  const HIDDEN = 500;
  const pdf = await letterSaying('DECISION: REFUSED', (doc, page) => {
    const hidden = `\n${HIDDEN} 0 obj\n${overlayBody()}\nendobj\n`;
    doc.context.register(doc.context.stream(hidden, {}));
    const link = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [70, 735, 370, 765],
      Border: [0, 0, 0],
      F: 4,
      AP: { N: PDFRef.of(HIDDEN) },
    });
    page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
  });
  return signFirst(pki, pdf, false);
}

/**
 * A3 — a hybrid update before signing: its table lists the overlay (a link's appearance) as free,
 * its XRefStm places it. pdf.js keeps the table's entry, the old verifier the stream's.
 */
export async function hybridFreeEntry(pki: TestPki): Promise<Buffer> {
  const pdf = await letterSaying('DECISION: REFUSED');
  const file = PdfFile.parse(pdf);
  const size = sizeOf(file);
  const [page] = [...file.pageRefs(file.last.number)];
  const [link, overlay, xrefStm] = [size, size + 1, size + 2];
  const tail = new Tail(pdf);
  tail.put(page!, pageWith(pdf, page!, `${link} 0 R`));
  tail.put(
    link,
    `<< /Type /Annot /Subtype /Link /Rect [70 735 370 765] /Border [0 0 0] /F 4 /AP << /N ${overlay} 0 R >> >>`,
  );
  tail.put(overlay, overlayBody());
  const row = Buffer.alloc(7);
  row[0] = 1;
  row.writeUInt32BE(tail.at.get(overlay)!, 1);
  const data = deflateSync(row);
  const stmAt = tail.offset;
  const head = `${xrefStm} 0 obj\n<< /Type /XRef /Size ${xrefStm + 1} /W [1 4 2] /Index [${overlay} 1] /Filter /FlateDecode /Length ${data.length} >>\nstream\n`;
  const after = '\nendstream\nendobj\n';
  const xrefAt = stmAt + head.length + data.length + after.length;
  const e = (at: number, kind: 'n' | 'f') => `${pad(at)} 00000 ${kind}\r\n`;
  const table =
    `xref\n${page} 1\n${e(tail.at.get(page!)!, 'n')}${link} 3\n${e(tail.at.get(link)!, 'n')}${e(0, 'f')}${e(stmAt, 'n')}` +
    `trailer\n<< /Size ${xrefStm + 1} /Root ${String(file.last.trailer.get(PDFName.of('Root')))} /Prev ${file.last.xrefOffset} /XRefStm ${stmAt} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const prepared = Buffer.concat([
    pdf,
    Buffer.from(tail.text + head, 'latin1'),
    data,
    Buffer.from(after + table, 'latin1'),
  ]);
  return signAsIs(pki, prepared, withoutXrefStm(prepared));
}

/**
 * A5 — before signing, a stamp whose /F is object K of an object stream with data "42": the
 * header puts the next object at the "2", so pdf.js and poppler read /F 4 (printed: a white box
 * reading "DECISION: APPROVED" over "REFUSED"), the old verifier and qpdf /F 42 (hidden).
 */
export async function objectStreamFlags(pki: TestPki): Promise<Buffer> {
  const pdf = await letterSaying('DECISION: REFUSED');
  const file = PdfFile.parse(pdf);
  const size = sizeOf(file);
  const [page] = [...file.pageRefs(file.last.number)];
  const [link, overlay, objStm, K, J, xref] = [
    size,
    size + 1,
    size + 2,
    size + 3,
    size + 4,
    size + 5,
  ];
  const tail = new Tail(pdf);
  tail.put(page!, pageWith(pdf, page!, `${link} 0 R`));
  tail.put(
    link,
    `<< /Type /Annot /Subtype /Stamp /Rect [70 735 370 765] /F ${K} 0 R /AP << /N ${overlay} 0 R >> >>`,
  );
  tail.put(overlay, overlayBody());
  tail.put(objStm, objectStream(`${K} 0 ${J} 1\n`, '42\n', 2));
  const entries = new Map<number, [number, number, number]>(
    [...tail.at].map(([n, at]) => [n, [1, at, 0]]),
  );
  entries.set(K, [2, objStm, 0]);
  entries.set(J, [2, objStm, 1]);
  return signFirst(pki, Buffer.concat([pdf, ...xrefStream(file, tail, xref, entries)]), false);
}

/**
 * A6 — the same window aimed at the verifier: the reserved field Signature2 has /FT K, data
 * "/Sig1" with the next object at the "1": viewers read /Sig (an empty signature field, the letter
 * awaits its countersignature), the old verifier /Sig1 (no such field: the letter in force).
 */
export async function objectStreamFieldType(pki: TestPki): Promise<Buffer> {
  const pdf = await letter('DECISION: APPROVED (four eyes required)');
  const file = PdfFile.parse(pdf);
  const size = sizeOf(file);
  const [page] = [...file.pageRefs(file.last.number)];
  const root = (file.last.trailer.get(PDFName.of('Root')) as PDFRef).objectNumber;
  const [field, ap, form, objStm, K, J, xref] = [
    size,
    size + 1,
    size + 2,
    size + 3,
    size + 4,
    size + 5,
    size + 6,
  ];
  const tail = new Tail(pdf);
  tail.put(page!, pageWith(pdf, page!, `${field} 0 R`));
  const ops =
    'q 0.96 0.97 0.99 rg 0 0 240 80 re f 0.04 0.31 0.54 RG 1 w 0.5 0.5 239 79 re S Q BT /Helv 9 Tf 8 66 Td (Countersignature) Tj ET BT /Helv 8 Tf 8 53 Td (Awaiting) Tj ET';
  tail.put(
    ap,
    `<< /Type /XObject /Subtype /Form /BBox [0 0 240 80] /Resources << /Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Length ${ops.length} >>\nstream\n${ops}\nendstream`,
  );
  const [x1, y1, x2, y2] = SLOTS[1]!.rect;
  tail.put(
    field,
    `<< /Type /Annot /Subtype /Widget /FT ${K} 0 R /F 4 /T (Signature2) /Rect [${x1} ${y1} ${x2} ${y2}] /P ${page} 0 R /AP << /N ${ap} 0 R >> >>`,
  );
  tail.put(form, `<< /Fields [${field} 0 R] /SigFlags 3 >>`);
  tail.put(root, body(pdf, root).replace(/>>\s*$/, `/AcroForm ${form} 0 R\n>>`));
  tail.put(objStm, objectStream(`${K} 0 ${J} 4\n`, '/Sig1\n', 2));
  const entries = new Map<number, [number, number, number]>(
    [...tail.at].map(([n, at]) => [n, [1, at, 0]]),
  );
  entries.set(K, [2, objStm, 0]);
  entries.set(J, [2, objStm, 1]);
  return signFirst(pki, Buffer.concat([pdf, ...xrefStream(file, tail, xref, entries)]), false);
}

/**
 * A7 — a hybrid update before signing whose XRefStm has a /Prev of its own, to a table hidden in
 * stream data placing object 900 (a stamp's appearance): pdf.js follows it ("DECISION: APPROVED"),
 * poppler rebuilds and takes the last "900 0 obj" ("DECISION: WITHDRAWN"), the old verifier
 * neither (the page's "DECISION: REFUSED").
 */
export async function xrefStmPrev(pki: TestPki): Promise<Buffer> {
  const O = 900;
  const pdf = await letterSaying('DECISION: REFUSED');
  const file = PdfFile.parse(pdf);
  const size = sizeOf(file);
  const [page] = [...file.pageRefs(file.last.number)];
  const [stamp, carrierA, carrierB, xrefStm] = [size, size + 1, size + 2, size + 3];
  const copy = (words: string) => `${O} 0 obj\n${overlayBody(words)}\nendobj\n`;
  const tail = new Tail(pdf);
  tail.put(page!, pageWith(pdf, page!, `${stamp} 0 R`));
  tail.put(
    stamp,
    `<< /Type /Annot /Subtype /Stamp /Rect [70 735 370 765] /F 4 /AP << /N ${O} 0 R >> >>`,
  );
  // Carrier A: copy A of O, then a table placing it, as stream data (positions absolute).
  const head = (length: number) => `${carrierA} 0 obj\n<< /Length ${length} >>\nstream\n`;
  const layout = (dataStart: number) => {
    const copyA = `\n${copy('DECISION: APPROVED')}`;
    const table = `xref\n${O} 1\n${pad(dataStart + 1)} 00000 n\r\ntrailer\n<< /Size ${O + 1} >>\n`;
    return { data: copyA + table, tableAt: dataStart + copyA.length };
  };
  const length = layout(0).data.length;
  const carrierAt = tail.offset;
  const { data, tableAt } = layout(carrierAt + head(length).length);
  tail.raw(`${head(length)}${data}\nendstream\nendobj\n`, carrierA);
  // Carrier B: copy B of O, later in the file (what a scan finds last).
  const copyB = `\n${copy('DECISION: WITHDRAWN')}`;
  tail.put(carrierB, `<< /Length ${copyB.length} >>\nstream\n${copyB}\nendstream`);
  // The XRefStm: no entries, but a /Prev to the hidden table.
  const z = deflateSync(Buffer.alloc(0));
  const stmAt = tail.offset;
  const stm = `${xrefStm} 0 obj\n<< /Type /XRef /Size ${xrefStm + 1} /W [1 4 2] /Index [] /Prev ${tableAt} /Filter /FlateDecode /Length ${z.length} >>\nstream\n`;
  const after = '\nendstream\nendobj\n';
  const xrefAt = stmAt + stm.length + z.length + after.length;
  const e = (at: number) => `${pad(at)} 00000 n\r\n`;
  const table =
    `xref\n${page} 1\n${e(tail.at.get(page!)!)}${stamp} 4\n${e(tail.at.get(stamp)!)}${e(carrierAt)}${e(tail.at.get(carrierB)!)}${e(stmAt)}` +
    `trailer\n<< /Size ${xrefStm + 1} /Root ${String(file.last.trailer.get(PDFName.of('Root')))} /Prev ${file.last.xrefOffset} /XRefStm ${stmAt} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const prepared = Buffer.concat([
    pdf,
    Buffer.from(tail.text + stm, 'latin1'),
    z,
    Buffer.from(after + table, 'latin1'),
  ]);
  return signAsIs(pki, prepared, withoutXrefStm(prepared));
}

/**
 * A8 — the page's /Annots is `n 1 R` where the cross-reference has object n at generation 0 (a
 * harmless 1×1 link); "n 1 obj", a stamp drawing "DECISION: APPROVED", is the data of an
 * unreferenced stream, which poppler finds when it rebuilds the cross-reference.
 */
export async function generationMismatch(pki: TestPki): Promise<Buffer> {
  const doc = await PDFDocument.load(await letterSaying('DECISION: REFUSED'));
  const ctx = doc.context;
  const harmless = ctx.register(
    ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 1, 1], Border: [0, 0, 0] }),
  );
  const n = harmless.objectNumber;
  const form = ctx.register(
    ctx.stream(overlayOps('DECISION: APPROVED'), {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 300, 30],
      Resources: { Font: { F: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' } } },
    }),
  );
  const hidden = `\n${n} 1 obj\n<< /Type /Annot /Subtype /Stamp /Rect [70 735 370 765] /F 4 /AP << /N ${form.objectNumber} 0 R >> >>\nendobj\n`;
  ctx.register(ctx.stream(hidden, {}));
  doc.getPages()[0]!.node.set(PDFName.of('Annots'), ctx.obj([PDFRef.of(n, 1)]));
  return signFirst(pki, Buffer.from(await doc.save({ useObjectStreams: false })), false);
}

/**
 * A9's revision 1, written by hand: a linearization dictionary with /L `length`, then a
 * first-page cross-reference the chain from the end never reads, listing `table` (number →
 * offset, 0 free) except object 5, which it places at another page content ("DECISION:
 * APPROVED"); its /Prev is `prev`. The letter itself says "DECISION: NOT APPROVED".
 */
function linearizedRevision(length: number, prev: number, table: number[]): Buffer {
  const content = (words: string) => {
    const ops = `BT /F1 18 Tf 72 740 Td (${words}) Tj ET\nBT /F1 11 Tf 72 710 Td (Reference DEC-TEST-0001) Tj ET`;
    return `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
  };
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  out += `90 0 obj\n<< /Linearized 1 /L ${pad(length)} /H [ 1 1 ] /O 3 /E 1 /N 1 /T 1 >>\nendobj\n`;
  const hidden = (altAt: number) =>
    `xref\n0 ${table.length}\n` +
    table
      .map((o, i) =>
        i === 5
          ? `${pad(altAt)} 00000 n\r\n`
          : o
            ? `${pad(o)} 00000 n\r\n`
            : `${pad(0)} 65535 f\r\n`,
      )
      .join('') +
    `trailer\n<< /Size ${table.length} /Root 1 0 R /Prev ${pad(prev)} >>\n`;
  out += hidden(out.length + hidden(0).length);
  out += `5 0 obj\n${content('DECISION: APPROVED')}\nendobj\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    content('DECISION: NOT APPROVED'),
  ];
  const offsets: number[] = [];
  objects.forEach((text, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${text}\nendobj\n`;
  });
  const xrefAt = out.length;
  out += `xref\n0 6\n${pad(0)} 65535 f\r\n${offsets.map((o) => `${pad(o)} 00000 n\r\n`).join('')}`;
  out += `trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Every object's offset as the newest revision places it (0: none). */
function finalTable(pdf: Buffer): number[] {
  const file = PdfFile.parse(pdf);
  return Array.from({ length: sizeOf(file) }, (_, n) => {
    const found = file.entry(n, file.last.number);
    return found && found.entry.kind === 'n' ? found.entry.offset : 0;
  });
}

/**
 * A9 — revision 1 is "linearized" with /L the length the letter will have once countersigned and
 * a first-page section listing that letter's objects but another page content: while it awaits
 * its countersignature every reader shows "NOT APPROVED"; once Bo countersigns (the layout is
 * deterministic) pdf.js and poppler read the first-page chain and show "DECISION: APPROVED".
 */
export async function linearizationSwitch(pki: TestPki): Promise<Countersigned> {
  const run = async (length: number, prev: number, table: number[]) =>
    countersign(pki, await signFirst(pki, linearizedRevision(length, prev, table), true));
  // Probes: the countersigned letter's length, object count and Bo's cross-reference offset.
  let table = new Array<number>(6).fill(0);
  for (let i = 0; i < 2; i++) {
    table = new Array<number>(finalTable(await run(0, 0, table)).length).fill(0);
  }
  const probe = await run(0, 0, table);
  const awaiting = await signFirst(
    pki,
    linearizedRevision(probe.length, PdfFile.parse(probe).last.xrefOffset, finalTable(probe)),
    true,
  );
  const countersigned = await countersign(pki, awaiting);
  if (countersigned.length !== probe.length) {
    throw new Error('the countersigned letter is not the length the probe predicted');
  }
  return { awaiting, countersigned };
}

/**
 * A10 — the empty field Anne's letter carries for a countersignature has its box written
 * `/Rect [60.-5 540 625]`: three numbers to poppler and pdf.js (60.5 …: no box, nothing drawn,
 * the conditions in full view), four to pdf-lib ([60 -5 540 625]). A countersigner reading it
 * with pdf-lib would draw an opaque block from the foot of the page to above the conditions.
 */
export async function runTogetherRect(pki: TestPki): Promise<Buffer> {
  const placeholder = '/Rect [ 11111 22222 33333 44444 ]';
  const prepared = await letterSaying('DECISION: APPROVED', (doc, page, font) => {
    page.drawText('CONDITION 1: the system must never be connected to any other network.', {
      x: 72,
      y: 600,
      size: 11,
      font,
    });
    const widget = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      F: 4,
      Rect: [11111, 22222, 33333, 44444],
      P: page.ref,
    });
    widget.set(PDFName.of('T'), PDFHexString.fromText('Signature2'));
    const ref = doc.context.register(widget);
    page.node.set(PDFName.of('Annots'), doc.context.obj([ref]));
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [ref] }));
  });
  const text = prepared.toString('latin1');
  const written = (rect: string) =>
    Buffer.from(text.replace(placeholder, rect.padEnd(placeholder.length, ' ')), 'latin1');
  return signAsIs(pki, written('/Rect [60.-5 540 625]'), written('/Rect [60.05 540 625]'));
}

/**
 * A11 — the box Anne's letter reserves for the countersignature draws nothing (its appearance's
 * BBox is empty), so every viewer shows the page beneath it; Bo's block, once countersigned,
 * would be drawn there opaque. `awaiting` is the letter Anne signed; `countersigned` is it with
 * Bo's countersignature made as the workbench wrote one before it refused such a box (Anne's
 * and Bo's CMS made again over the edited bytes).
 */
export async function blocklessReservation(pki: TestPki): Promise<Countersigned> {
  const genuine = await countersign(pki, await signFirst(pki, await letter(), true));
  const file = PdfFile.parse(genuine);
  const anneEnd = file.revisions[1]!.end;
  const reserved = file.signatureFields(2).find((f) => f.name === 'Signature2')!;
  const ap = file.dict(file.dict(reserved.fieldRef!, 2)?.get(PDFName.of('AP')), 2);
  const normal = ap?.get(PDFName.of('N')) as PDFRef;
  const offset = file.entry(normal.objectNumber, 2)!.entry.offset;
  const text = genuine.toString('latin1');
  const at = text.indexOf('/BBox [ 0 0 240 80 ]', offset);
  if (at < 0 || at > anneEnd) {
    throw new Error('the reserved appearance has no BBox of the slot');
  }
  const edited = Buffer.from(genuine);
  edited.write('/BBox [ 0 0 0 0    ]', at, 'latin1');
  const anneAgain = await signField(edited, signerOf(pki, pki.anne), 'Signature1', anneEnd);
  const countersigned = await signField(anneAgain, signerOf(pki, pki.bo), 'Signature2');
  return { awaiting: countersigned.subarray(0, anneEnd), countersigned };
}

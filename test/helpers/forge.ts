/**
 * Forgeries of signed letters, written the way an adversary would: incremental updates with
 * classic or stream cross-references, object streams, raw object bodies copied from the file and
 * edited as text, a countersignature re-signed after it was tampered with. And what a viewer
 * shows of a file (pdf.js: each page's text and its annotations), to prove a row is a forgery a
 * reader would see, not merely a broken file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFArray, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { buildPadesCms, type CmsSigner } from '../../electron/signing/cms';
import { PdfFile } from '../../electron/signing/pdf-structure';

/** The raw text of object `num`'s body as the newest revision places it (a plain object). */
export function body(pdf: Buffer, num: number): string {
  const file = PdfFile.parse(pdf);
  const found = file.entry(num, file.last.number);
  if (!found || found.entry.kind !== 'n') {
    throw new Error(`object ${num} is not a plain object`);
  }
  const text = pdf.toString('latin1');
  const start = text.indexOf('obj', found.entry.offset) + 3;
  const end = text.indexOf('endobj', start);
  return text.slice(start, end).trim();
}

/** Facts of a letter the forgeries need: its page, pages tree, form, fields and sizes. */
export function anatomy(pdf: Buffer) {
  const file = PdfFile.parse(pdf);
  const rev = file.last.number;
  const catalog = file.catalog(rev)!;
  const pages = catalog.get(PDFName.of('Pages')) as PDFRef;
  const [page] = [...file.pageRefs(rev)];
  const form = catalog.get(PDFName.of('AcroForm'));
  const fields = file.signatureFields(rev);
  const size = (file.last.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber();
  const annots = file.dict(PDFRef.of(page!), rev)?.get(PDFName.of('Annots'));
  return {
    file,
    root: (file.last.trailer.get(PDFName.of('Root')) as PDFRef).objectNumber,
    pages: pages.objectNumber,
    page: page!,
    form: form instanceof PDFRef ? form.objectNumber : null,
    annotsInline: annots instanceof PDFArray,
    fields,
    size,
  };
}

/** Trailer entries an update keeps: /Info and /ID as the last revision has them. */
function kept(file: PdfFile): string {
  const info = file.last.trailer.get(PDFName.of('Info'));
  const id = file.last.trailer.get(PDFName.of('ID'));
  return `${info ? ` /Info ${String(info)}` : ''}${id ? ` /ID ${String(id)}` : ''}`;
}

/**
 * An update with a cross-reference stream: plain objects, optionally an object stream, and
 * entries as given (type, field 2, field 3) for each object number; W is [1 4 2] unless told.
 */
export function appendStreamUpdate(
  pdf: Buffer,
  input: {
    objects?: { num: number; body: string }[];
    objStm?: { num: number; objects: { num: number; body: string }[] };
    /** Entries besides the plain objects' own: number → [type, f2, f3]. */
    entries?: Map<number, [number, number, number]>;
    widths?: [number, number, number];
  },
): Buffer {
  const file = PdfFile.parse(pdf);
  const parts: string[] = ['\n'];
  let offset = pdf.length + 1;
  const entries = new Map<number, [number, number, number]>();
  const write = (num: number, text: string) => {
    const chunk = `${num} 0 obj\n${text}\nendobj\n`;
    entries.set(num, [1, offset, 0]);
    parts.push(chunk);
    offset += Buffer.byteLength(chunk, 'latin1');
  };
  for (const o of input.objects ?? []) {
    write(o.num, o.body);
  }
  if (input.objStm) {
    let header = '';
    let data = '';
    for (const o of input.objStm.objects) {
      header += `${o.num} ${data.length} `;
      data += `${o.body}\n`;
    }
    const content = `${header}\n${data}`;
    write(
      input.objStm.num,
      `<< /Type /ObjStm /N ${input.objStm.objects.length} /First ${header.length + 1} /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  }
  // Entries as given override the plain objects' own (an object written but listed otherwise).
  for (const [num, entry] of input.entries ?? []) {
    entries.set(num, entry);
  }
  const xrefNum = Math.max(numberOfSize(file), ...[...entries.keys()].map((n) => n + 1));
  const nums = [...entries.keys(), xrefNum].sort((a, b) => a - b);
  entries.set(xrefNum, [1, offset, 0]);
  const [w0, w1, w2] = input.widths ?? [1, 4, 2];
  const rows = Buffer.alloc(nums.length * (w0 + w1 + w2));
  nums.forEach((num, i) => {
    const [t, f2, f3] = entries.get(num)!;
    let at = i * (w0 + w1 + w2);
    for (const [value, width] of [
      [t, w0],
      [f2, w1],
      [f3, w2],
    ] as const) {
      for (let k = width - 1; k >= 0; k--) {
        rows[at + k] = Math.floor(value / 256 ** (width - 1 - k)) % 256;
      }
      at += width;
    }
  });
  const index = nums.map((n) => `${n} 1`).join(' ');
  const compressed = deflateSync(rows);
  const xref = `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [${w0} ${w1} ${w2}] /Index [${index}] /Root ${String(file.last.trailer.get(PDFName.of('Root')))} /Prev ${file.last.xrefOffset}${kept(file)} /Filter /FlateDecode /Length ${compressed.length} >>\nstream\n`;
  return Buffer.concat([
    pdf,
    Buffer.from(parts.join(''), 'latin1'),
    Buffer.from(xref, 'latin1'),
    compressed,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`, 'latin1'),
  ]);
}

function numberOfSize(file: PdfFile): number {
  const size = file.last.trailer.get(PDFName.of('Size'));
  return size instanceof PDFNumber ? size.asNumber() : 0;
}

/**
 * Signs the last revision again: its signature dictionary (the one it defines) gets the
 * ByteRange of the file as it now is and a fresh CMS by `signer` — the countersigner's own key,
 * used on an update its tool (or an adversary holding the key) wrote differently.
 */
export function signLast(pdf: Buffer, signer: CmsSigner): Promise<Buffer> {
  const file = PdfFile.parse(pdf);
  const rev = file.last.number;
  const field = file
    .signatureFields(rev)
    .find((f) => f.sigRef && file.entry(f.sigRef.objectNumber, rev)?.revision === rev);
  return signField(pdf, signer, field!.name);
}

/**
 * Signs field `name` again, wherever its dictionary stands: a ByteRange over the file up to `end`
 * (the whole file as it now is unless told; each number ten digits wide, as the workbench writes
 * them) and a fresh CMS by `signer`.
 */
export async function signField(
  pdf: Buffer,
  signer: CmsSigner,
  name: string,
  end = pdf.length,
): Promise<Buffer> {
  const file = PdfFile.parse(pdf);
  const rev = file.last.number;
  const field = file.signatureFields(rev).find((f) => f.name === name);
  const value = file.signatureValue(field!, rev);
  const span = value.contentsSpan!;
  const out = Buffer.from(pdf);
  const text = out.toString('latin1');
  const at = text.lastIndexOf('/ByteRange [0 ', span.start);
  const width = 10;
  const range = [span.start, span.end, end - span.end]
    .map((n) => String(n).padStart(width, '0'))
    .join(' ');
  out.write(range, at + '/ByteRange [0 '.length, 'latin1');
  out.fill(0x30, span.start + 1, span.end - 1);
  const digest = createHash(signer.hash)
    .update(out.subarray(0, span.start))
    .update(out.subarray(span.end, end))
    .digest();
  const cms = (await buildPadesCms(digest, signer)).toString('hex');
  out.write(cms, span.start + 1, 'latin1');
  return out;
}

/** The objects (number → raw body) the last revision writes, as text. */
export function lastRevisionObjects(pdf: Buffer): { num: number; body: string }[] {
  const file = PdfFile.parse(pdf);
  return [...file.last.entries.entries()]
    .filter(([, e]) => e.kind === 'n')
    .map(([num]) => ({ num, body: body(pdf, num) }));
}

/** The file without its last revision. */
export function withoutLastRevision(pdf: Buffer): Buffer {
  const file = PdfFile.parse(pdf);
  return pdf.subarray(0, file.revisions.at(-2)!.end);
}

const promise = Promise as unknown as { withResolvers?: () => unknown };
// pdf.js expects Promise.withResolvers (Node 22); Node 20 lacks it.
promise.withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const p = new Promise((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise: p, resolve, reject };
};

/**
 * What viewers show of a file: pdf.js (each page's text and its annotations) and poppler (the
 * pages as pdftoppm draws them, annotations included, and pdftotext's text).
 */
export async function viewerReading(pdf: Buffer): Promise<{ pdfjs: string; poppler: string }> {
  return { pdfjs: await pdfjsReading(pdf), poppler: popplerReading(pdf) };
}

function popplerReading(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'awb-viewer-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'latin1' });
    spawnSync('pdftoppm', ['-r', '24', '-png', file, join(dir, 'page')]);
    const pages = readdirSync(dir)
      .filter((f) => f.startsWith('page'))
      .sort()
      .map((f) =>
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      );
    return JSON.stringify({ text: text.stdout, status: text.status, pages });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pdfjsReading(pdf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(pdf),
    disableFontFace: true,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: unknown[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const text = await page.getTextContent();
      const annots = (await page.getAnnotations()) as {
        subtype: string;
        fieldName?: string;
        rect: number[];
      }[];
      pages.push({
        text: text.items.map((i) => ('str' in i ? i.str : '')).join(' '),
        annotations: annots.map((a) => [a.subtype, a.fieldName ?? null, a.rect.map(Math.round)]),
      });
    }
    return JSON.stringify({ pages: doc.numPages, content: pages });
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await task.destroy();
  }
}

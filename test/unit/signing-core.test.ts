/**
 * The structure reader's rules, one by one, on small PDFs written here byte by byte: what one
 * reading means for cross-reference tables and streams (entry forms, widths, types, predictors),
 * revisions and linearized files, references, streams and object streams. And the verdicts:
 * each reason's ETSI indication and each file status's exit code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { PDFNumber } from 'pdf-lib';
import { PDFName, PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  indicationOf,
  refuseFile,
  SIGNATURE_REASONS,
  VERIFY_EXIT,
  type SignatureReason,
} from '../../shared/signatures';
import { PdfFile, PdfStructureError } from '../../electron/signing/pdf-structure';
import { readAppearance } from '../../electron/signing/sign';
import { tempFolder } from '../helpers/context';
import { letter } from '../helpers/pdf';
import { pngPredict } from '../helpers/raw-pdf';

/** The reason a file's structure is refused for, or 'read' when it reads one way. */
function reading(pdf: Buffer): string {
  try {
    const file = PdfFile.parse(pdf);
    const ambiguity = file.ambiguity();
    return ambiguity ? ambiguity.reason : 'read';
  } catch (error) {
    if (error instanceof PdfStructureError) {
      return error.reason;
    }
    throw error;
  }
}

/** The detail of a refusal (for assertions on which rule refused). */
function detail(pdf: Buffer): string {
  try {
    const file = PdfFile.parse(pdf);
    return file.ambiguity()?.detail ?? 'read';
  } catch (error) {
    return error instanceof PdfStructureError ? error.detail : String(error);
  }
}

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 200 200 ] >>';

/**
 * A one-revision PDF with a classic table: `objects` (1-based numbers), each table entry written
 * by `entry` (default: the 20-byte form with CRLF).
 */
function classic(
  objects: string[],
  options: {
    entry?: (offset: number, num: number) => string;
    trailer?: string;
    startxref?: (xref: number) => number;
  } = {},
): Buffer {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  const entry =
    options.entry ?? ((offset: number) => `${String(offset).padStart(10, '0')} 00000 n\r\n`);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  offsets.forEach((offset, i) => {
    out += entry(offset, i + 1);
  });
  out += `trailer\n${options.trailer ?? `<< /Size ${objects.length + 1} /Root 1 0 R >>`}\nstartxref\n${options.startxref ? options.startxref(xref) : xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A one-revision PDF with a cross-reference stream (object 4), its rows as given. */
function withXrefStream(
  options: {
    widths?: [number, number, number];
    predictor?: number;
    rowFilter?: number;
    rows?: (offsets: number[], xref: number) => number[][];
    extra?: string;
    filter?: string;
    length?: (data: Buffer) => number;
  } = {},
): Buffer {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  for (const body of [CATALOG, PAGES, PAGE]) {
    offsets.push(out.length);
    out += `${offsets.length} 0 obj\n${body}\nendobj\n`;
  }
  const xref = out.length;
  const [w0, w1, w2] = options.widths ?? [1, 4, 2];
  const bytes = (value: number, width: number) =>
    Array.from({ length: width }, (_, k) => Math.floor(value / 256 ** (width - 1 - k)) % 256);
  const rows =
    options.rows?.(offsets, xref) ??
    [[0, 0, 65535], ...offsets.map((o) => [1, o, 0]), [1, xref, 0]].map(([t, f2, f3]) => [
      ...bytes(t!, w0),
      ...bytes(f2!, w1),
      ...bytes(f3!, w2),
    ]);
  let data: Buffer = Buffer.from(rows.flat());
  let parms = '';
  if (options.predictor) {
    data = pngPredict(rows, options.rowFilter ?? 2);
    parms = ` /DecodeParms << /Predictor ${options.predictor} /Columns ${w0 + w1 + w2} >>`;
  }
  const filter = options.filter ?? 'FlateDecode';
  const encoded = filter === 'FlateDecode' ? deflateSync(data) : data;
  const length = options.length ? options.length(encoded) : encoded.length;
  const head = `4 0 obj\n<< /Type /XRef /Size 5 /W [ ${w0} ${w1} ${w2} ] /Root 1 0 R${filter === 'none' ? '' : ` /Filter /${filter}`}${parms} /Length ${length}${options.extra ?? ''} >>\nstream\n`;
  return Buffer.concat([
    Buffer.from(out + head, 'latin1'),
    encoded,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xref}\n%%EOF\n`, 'latin1'),
  ]);
}

describe('cross-reference tables', () => {
  it('reads entries of 20 bytes ending in CRLF, space-CR or space-LF', () => {
    for (const eol of ['\r\n', ' \r', ' \n']) {
      const pdf = classic([CATALOG, PAGES, PAGE], {
        entry: (o) => `${String(o).padStart(10, '0')} 00000 n${eol}`,
      });
      expect(reading(pdf), JSON.stringify(eol)).toBe('read');
      expect(PdfFile.parse(pdf).pageRefs(1)).toEqual(new Set([3]));
    }
  });

  it('refuses an entry not in the 20-byte form (short, or with an unknown kind)', () => {
    const short = classic([CATALOG, PAGES, PAGE], {
      entry: (o) => `${String(o).padStart(9, '0')} 00000 n\r\n`,
    });
    expect(reading(short)).toBe('XREF_INVALID');
    const kind = classic([CATALOG, PAGES, PAGE], {
      entry: (o) => `${String(o).padStart(10, '0')} 00000 x\r\n`,
    });
    expect(reading(kind)).toBe('XREF_INVALID');
    const lf = classic([CATALOG, PAGES, PAGE], {
      entry: (o) => `${String(o).padStart(10, '0')} 00000 n\n\n`,
    });
    expect(reading(lf)).toBe('XREF_INVALID');
  });

  it('refuses an offset that holds another object, or no object', () => {
    const swapped = classic([CATALOG, PAGES, PAGE], {
      entry: (o, num) =>
        `${String(num === 2 ? o + 0 : num === 3 ? 9 : o).padStart(10, '0')} 00000 n\r\n`,
    });
    expect(reading(swapped)).toBe('XREF_INVALID');
  });

  it('refuses a startxref that names no section, and reads the one it names', () => {
    expect(reading(classic([CATALOG, PAGES, PAGE], { startxref: (x) => x + 1 }))).toBe(
      'XREF_INVALID',
    );
    expect(reading(classic([CATALOG, PAGES, PAGE]))).toBe('read');
  });
});

describe('cross-reference streams', () => {
  it('reads one with each PNG row filter and with none', () => {
    for (const rowFilter of [0, 1, 2, 3, 4]) {
      const pdf = withXrefStream({ predictor: 12, rowFilter });
      expect(reading(pdf), `filter ${rowFilter}`).toBe('read');
      const file = PdfFile.parse(pdf);
      expect(file.entry(3, 1)?.entry.kind).toBe('n');
      expect(file.pageRefs(1)).toEqual(new Set([3]));
    }
    expect(reading(withXrefStream())).toBe('read');
    expect(reading(withXrefStream({ filter: 'none' }))).toBe('read');
  });

  it('refuses widths out of range, one by one', () => {
    for (const widths of [
      [2, 4, 2],
      [1, 0, 2],
      [1, 7, 2],
      [1, 4, 5],
    ] as [number, number, number][]) {
      expect(reading(withXrefStream({ widths })), widths.join(' ')).toBe('XREF_INVALID');
    }
    // At the edges of the range: a type field of 0 (all type 1), 6-byte offsets, 4-byte fields.
    expect(
      reading(
        withXrefStream({
          widths: [0, 6, 4],
          rows: (offsets, xref) =>
            [0, ...offsets, xref].map((o, i) => [
              ...[0, 0, 0, 0, 0, i === 0 ? 0 : o].map((v, k) =>
                k === 5 ? v % 256 : k === 4 ? Math.floor(v / 256) : 0,
              ),
              0,
              0,
              0,
              0,
            ]),
        }),
      ),
    ).toBe('XREF_INVALID'); // entry 0 as type 1 at offset 0: no object there
  });

  it('refuses an entry of type 3, and data of the wrong size', () => {
    const type3 = withXrefStream({
      rows: (offsets, xref) =>
        [
          [0, 0, 65535],
          [1, offsets[0]!, 0],
          [1, offsets[1]!, 0],
          [3, offsets[2]!, 0],
          [1, xref, 0],
        ].map(([t, f2, f3]) => [
          t!,
          ...[24, 16, 8, 0].map((s) => (f2! >> s) & 255),
          f3! >> 8,
          f3! & 255,
        ]),
    });
    expect(reading(type3)).toBe('XREF_INVALID');
    expect(detail(type3)).toContain('type 3');
    const short = withXrefStream({
      rows: (offsets) => [
        [0, 0, 0, 0, 0, 255, 255],
        ...offsets.map((o) => [1, 0, 0, o >> 8, o & 255, 0, 0]),
      ],
    });
    expect(reading(short)).toBe('XREF_INVALID');
  });

  it('refuses filters other than Flate, and damaged compressed data', () => {
    expect(reading(withXrefStream({ filter: 'LZWDecode' }))).toBe('XREF_INVALID');
    const damaged = withXrefStream();
    const at = damaged.indexOf('stream\n') + 10;
    damaged[at] = damaged[at]! ^ 0xff;
    expect(['XREF_INVALID', 'AMBIGUOUS_STRUCTURE']).toContain(reading(damaged));
  });
});

describe('objects', () => {
  it('refuses a reference written with a real or a sign, and a generation its entry lacks', () => {
    const real = classic([CATALOG, '<< /Type /Pages /Kids [ 3.0 0 R ] /Count 1 >>', PAGE]);
    expect(reading(real)).toBe('AMBIGUOUS_STRUCTURE');
    const signed = classic([CATALOG, '<< /Type /Pages /Kids [ +3 0 R ] /Count 1 >>', PAGE]);
    expect(reading(signed)).toBe('AMBIGUOUS_STRUCTURE');
    const generation = classic([CATALOG, '<< /Type /Pages /Kids [ 3 1 R ] /Count 1 >>', PAGE]);
    const file = PdfFile.parse(generation);
    expect(() => file.lookup(PDFRef.of(3, 1), 1)).toThrow(PdfStructureError);
    expect(file.lookup(PDFRef.of(3, 0), 1)).toBeDefined();
    // Numbers that are not references stay numbers: a real in /MediaBox is fine.
    const media = classic([
      CATALOG,
      PAGES,
      '<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 200.5 200 ] >>',
    ]);
    expect(reading(media)).toBe('read');
  });

  it('refuses a stream whose /Length misses endstream, or whose keyword lacks its end-of-line', () => {
    const stream = (head: string, data: string) =>
      classic([CATALOG, PAGES, PAGE, `${head}stream\n${data}\nendstream`]);
    expect(reading(stream('<< /Length 5 >>\n', 'hello'))).toBe('read');
    expect(reading(stream('<< /Length 4 >>\n', 'hello'))).toBe('AMBIGUOUS_STRUCTURE');
    // The end-of-line before endstream may be counted in /Length: every reader agrees on it.
    expect(reading(stream('<< /Length 6 >>\n', 'hello'))).toBe('read');
    expect(reading(stream('<< /Length 9 >>\n', 'hello'))).toBe('AMBIGUOUS_STRUCTURE');
    const crOnly = classic([CATALOG, PAGES, PAGE, '<< /Length 5 >>\nstream\rhello\nendstream']);
    expect(reading(crOnly)).toBe('AMBIGUOUS_STRUCTURE');
    const crlf = classic([CATALOG, PAGES, PAGE, '<< /Length 5 >>\nstream\r\nhello\nendstream']);
    expect(reading(crlf)).toBe('read');
    const none = classic([CATALOG, PAGES, PAGE, '<< /Length 5 >>\nstreamhello\nendstream']);
    expect(reading(none)).toBe('AMBIGUOUS_STRUCTURE');
    // An indirect /Length is read from its object.
    const indirect = classic([
      CATALOG,
      PAGES,
      PAGE,
      '<< /Length 5 0 R >>\nstream\nhello\nendstream',
      '5',
    ]);
    expect(reading(indirect)).toBe('read');
    const wrong = classic([
      CATALOG,
      PAGES,
      PAGE,
      '<< /Length 5 0 R >>\nstream\nhello\nendstream',
      '7',
    ]);
    expect(reading(wrong)).toBe('AMBIGUOUS_STRUCTURE');
    const notNumber = classic([
      CATALOG,
      PAGES,
      PAGE,
      '<< /Length 5 0 R >>\nstream\nhello\nendstream',
      '(5)',
    ]);
    expect(reading(notNumber)).toBe('AMBIGUOUS_STRUCTURE');
  });

  it('refuses a dictionary with a key twice and an object without endobj', () => {
    expect(reading(classic([CATALOG, PAGES, '<< /Type /Page /Type /Page /Parent 2 0 R >>']))).toBe(
      'AMBIGUOUS_STRUCTURE',
    );
  });
});

describe('revisions', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeAll(() => {
    folder = tempFolder('awb-structure-');
  });
  afterAll(() => folder.cleanup());

  it('a linearized file (tables, or streams and object streams) is one revision; a plain one too', async () => {
    const input = join(folder.path, 'in.pdf');
    writeFileSync(input, await letter());
    for (const args of [[], ['--object-streams=generate']]) {
      const output = join(folder.path, `lin-${args.length}.pdf`);
      execFileSync('qpdf', ['--linearize', ...args, input, output]);
      const pdf = readFileSync(output);
      expect(reading(pdf), args.join(' ')).toBe('read');
      const file = PdfFile.parse(pdf);
      expect(file.revisions.map((r) => [r.number, r.start, r.end])).toEqual([[1, 0, pdf.length]]);
      expect(file.pageRefs(1).size).toBe(1);
      expect(file.catalog(1)?.get(PDFName.of('Type'))).toBe(PDFName.of('Catalog'));
    }
    const plain = readFileSync(input);
    expect(PdfFile.parse(plain).revisions).toHaveLength(1);
  });

  it('an update numbers its revision, starts where the last ended and reads its own objects', async () => {
    const base = await letter();
    const size = (PdfFile.parse(base).last.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber();
    const file = PdfFile.parse(base);
    const text = `\n${size} 0 obj\n(new)\nendobj\n`;
    const offset = base.length + 1;
    const xref = base.length + text.length;
    const update = Buffer.concat([
      base,
      Buffer.from(
        `${text}xref\n${size} 1\n${String(offset).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${size + 1} /Root ${String(file.last.trailer.get(PDFName.of('Root')))} /Prev ${file.last.xrefOffset} >>\nstartxref\n${xref}\n%%EOF\n`,
        'latin1',
      ),
    ]);
    const updated = PdfFile.parse(update);
    // One end-of-line after %%EOF belongs to the revision it ends.
    const end = base.at(-1) === 0x0a ? base.length : base.length + 1;
    expect(updated.revisions.map((r) => [r.number, r.start, r.end])).toEqual([
      [1, 0, end],
      [2, end, update.length],
    ]);
    expect(updated.lookup(PDFRef.of(size), 2)?.toString()).toBe('(new)');
    expect(updated.lookup(PDFRef.of(size), 1)).toBeUndefined();
    expect(reading(update)).toBe('read');
  });
});

describe('a signature block is drawn inside its box', () => {
  /** The block's content as the signer draws it: `lines` hex strings below a title. */
  const ops = (width: number, height: number, title: string, lines: string[]) =>
    [
      'q',
      '0.96 0.97 0.99 rg',
      `0 0 ${width} ${height} re f`,
      '0.04 0.31 0.54 RG 1 w',
      `0.5 0.5 ${width - 1} ${height - 1} re S`,
      '0 0 0 rg',
      `BT /F2 9 Tf 8 ${height - 14} Td ${title} Tj ET`,
      ...lines.map((line, i) => `BT /F1 8 Tf 8 ${height - 27 - i * 11} Td ${line} Tj ET`),
      'Q',
    ].join('\n');
  const hex = (text: string) => `<${Buffer.from(text, 'latin1').toString('hex').toUpperCase()}>`;

  it('reads back a block that fits, and refuses one line too many or a line too wide', () => {
    // 80 points high: lines at 53, 42, 31, 20, 9 fit; a sixth at -2 would be outside.
    const five = ['a', 'b', 'c', 'd', 'e'].map(hex);
    expect(readAppearance(Buffer.from(ops(240, 80, hex('Title'), five)), 240, 80)).toEqual({
      title: hex('Title'),
      lines: five,
    });
    expect(
      readAppearance(Buffer.from(ops(240, 80, hex('Title'), [...five, hex('f')])), 240, 80),
    ).toBeNull();
    const wide = hex('W'.repeat(40)); // 40 × 7.55 pt at 8 pt: wider than 240 − 16
    expect(readAppearance(Buffer.from(ops(240, 80, hex('Title'), [wide])), 240, 80)).toBeNull();
    expect(readAppearance(Buffer.from(ops(240, 80, hex('W'.repeat(30)), [])), 240, 80)).toBeNull();
    // A byte the font's encoding has no character for is no text of ours.
    expect(readAppearance(Buffer.from(ops(240, 80, '<81>', [])), 240, 80)).toBeNull();
  });
});

describe('verdicts', () => {
  it('each reason has its verdict, and the exit codes are distinct', () => {
    const failed: SignatureReason[] = [
      'MALFORMED_SIGNATURE',
      'DUPLICATE_OBJECT',
      'XREF_INVALID',
      'AMBIGUOUS_STRUCTURE',
      'DYNAMIC_CONTENT',
      'DIGEST_MISMATCH',
      'SIGNATURE_INVALID',
      'MODIFIED_AFTER_SIGNING',
      'UNEXPECTED_OBJECT',
      'SHARED_SIGNATURE_VALUE',
      'CERTIFICATE_REVOKED',
    ];
    for (const reason of SIGNATURE_REASONS) {
      expect(indicationOf(reason).indication, reason).toBe(
        failed.includes(reason) ? 'TOTAL_FAILED' : 'INDETERMINATE',
      );
      expect(indicationOf(reason).sub, reason).not.toBeNull();
    }
    expect(indicationOf(null)).toEqual({ indication: 'TOTAL_PASSED', sub: null });
    expect(indicationOf('REVOCATION_UNKNOWN').sub).toBe('TRY_LATER');
    expect(indicationOf('SIGNATURE_INVALID').sub).toBe('SIG_CRYPTO_FAILURE');
    expect(indicationOf('DIGEST_MISMATCH').sub).toBe('HASH_FAILURE');
    expect(indicationOf('CERTIFICATE_REVOKED').sub).toBe('REVOKED');
    expect(VERIFY_EXIT).toEqual({
      valid: 0,
      invalid: 1,
      indeterminate: 3,
      awaiting_countersignature: 4,
    });
  });

  it('a file refused for a rule beyond its signatures keeps their reports and fails as a whole', () => {
    const signatures = [{ field: 'Signature1' }, { field: 'Signature2' }] as never[];
    const refused = refuseFile({
      valid: true,
      status: 'valid',
      indication: 'TOTAL_PASSED',
      subIndication: null,
      reason: null,
      revisions: 2,
      signatures,
      unsignedFields: [],
    });
    expect(refused).toEqual({
      valid: false,
      status: 'invalid',
      indication: 'TOTAL_FAILED',
      subIndication: null,
      reason: null,
      revisions: 2,
      signatures,
      unsignedFields: [],
    });
  });
});

/**
 * The structure reader's rules (electron/signing/pdf-structure.ts) pinned one by one on PDFs
 * written here byte by byte (test/helpers/raw-pdf.ts): where the last startxref may sit, the
 * bounds of every offset, table and stream cross-references (widths, /Size, /Index, types,
 * filters and predictors), hybrid files, revision boundaries, object headers and generations,
 * stream lengths (direct and indirect), object streams, references, the form-field and page-tree
 * walks, signature values and dates. Each row names the rule; each refusal is checked by its
 * reason and by its detail, so a file refused by another rule than the one meant fails the row.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfDate, PdfFile, PdfStructureError, textOf } from '../../electron/signing/pdf-structure';
import { tempFolder } from '../helpers/context';
import { anatomy, body } from '../helpers/forge';
import { appendUpdate, letter, stream } from '../helpers/pdf';
import { RawPdf, tableEntry, verdict, type Row } from '../helpers/raw-pdf';

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 200 200 ] >>';

/** Objects 1.. as given (catalog, pages, page first unless given), in one table. */
function classic(
  bodies: string[] = [CATALOG, PAGES, PAGE],
  options: { trailer?: (size: number) => string; tail?: string; startxref?: number } = {},
): Buffer {
  const p = new RawPdf();
  bodies.forEach((body, i) => p.obj(i + 1, body));
  const size = bodies.length + 1;
  p.table(p.rows(), options.trailer?.(size) ?? `<< /Size ${size} /Root 1 0 R >>`, {
    startxref: options.startxref,
  });
  if (options.tail !== undefined) {
    p.raw(options.tail);
  }
  return p.bytes();
}

/** A RawPdf holding objects 1–3: the catalog (with `extra` entries), its pages and one page. */
function minimalDocument(extra = ''): RawPdf {
  const p = new RawPdf('%PDF-1.7\n');
  p.obj(1, `<< /Type /Catalog /Pages 2 0 R${extra} >>`);
  p.obj(2, '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>');
  p.obj(3, '<< /Type /Page /Parent 2 0 R >>');
  return p;
}

/** Refused with `reason` by the rule whose detail matches `detail`. */
function refused(pdf: Uint8Array, reason: string, detail: RegExp | string): void {
  const result = verdict(pdf);
  expect(result, JSON.stringify(result)).not.toBe('read');
  if (result !== 'read') {
    expect(result.reason, result.detail).toBe(reason);
    if (typeof detail === 'string') {
      expect(result.detail).toBe(detail);
    } else {
      expect(result.detail).toMatch(detail);
    }
  }
}

/** The reason `run` is refused with. */
function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof PdfStructureError) {
      return error.reason;
    }
    throw error;
  }
  return 'not refused';
}

function read(pdf: Uint8Array): PdfFile {
  expect(verdict(pdf)).toBe('read');
  return PdfFile.parse(pdf);
}

/** Appends an update of `objects` with its own table, /Prev the last section. */
function update(
  base: Buffer,
  objects: [number, string][],
  options: { trailer?: string; gap?: string; prev?: number } = {},
): Buffer {
  const p = new RawPdf(options.gap ?? '');
  const rows: Row[] = [];
  for (const [num, body] of objects) {
    rows.push({ num, kind: 'n', offset: base.length + p.obj(num, body) });
  }
  const file = options.prev === undefined ? PdfFile.parse(base) : null;
  const size = Math.max(
    file ? (file.last.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber() : 0,
    ...objects.map(([n]) => n + 1),
  );
  const prev = options.prev ?? file!.last.xrefOffset;
  const xref = base.length + p.length;
  p.table(rows, options.trailer ?? `<< /Size ${size} /Root 1 0 R /Prev ${prev} >>`, {
    startxref: xref,
  });
  return Buffer.concat([base, p.bytes()]);
}

describe('PdfStructureError', () => {
  it('is named, prefixes its message, and is MALFORMED_SIGNATURE unless told', () => {
    const error = new PdfStructureError('what broke');
    expect(error.reason).toBe('MALFORMED_SIGNATURE');
    expect(error.detail).toBe('what broke');
    expect(error.message).toBe('PDF structure: what broke');
    expect(error.name).toBe('PdfStructureError');
    expect(new PdfStructureError('x', 'XREF_INVALID').reason).toBe('XREF_INVALID');
  });

  it('a pdf-lib failure while parsing is a PdfStructureError carrying its message', () => {
    const pdf = classic(undefined, { startxref: 0 });
    // "startxref x" where no integer follows: pdf-lib's own number error, wrapped.
    const broken = Buffer.from(
      pdf.toString('latin1').replace(/startxref\n0\n/, 'startxref\nx\n'),
      'latin1',
    );
    let caught: unknown;
    try {
      PdfFile.parse(broken);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PdfStructureError);
    expect((caught as PdfStructureError).reason).toBe('MALFORMED_SIGNATURE');
    expect((caught as PdfStructureError).detail).toMatch(/number/i);
  });

  it('a pdf-lib failure while reading objects is reported as MALFORMED_SIGNATURE with its message', () => {
    const result = verdict(classic([CATALOG, PAGES, '<< /Type /Page /Parent 2 0 R /A ) >>']));
    expect(result).not.toBe('read');
    if (result !== 'read') {
      expect(result.reason).toBe('MALFORMED_SIGNATURE');
      expect(result.detail.length).toBeGreaterThan(0);
      expect(result.detail.length).toBeLessThanOrEqual(200);
      expect(result.detail).not.toBe('unreadable');
    }
  });
});

describe('messages of pdf-lib failures are cut to 200 characters', () => {
  const huge = '1'.repeat(400);

  it('while parsing the cross-reference', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    const xref = p.raw(`xref\n0 ${huge}\n`);
    p.raw(`trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    const result = verdict(p.bytes());
    expect(result).not.toBe('read');
    if (result !== 'read') {
      expect(result.reason).toBe('MALFORMED_SIGNATURE');
      expect(result.detail).toMatch(/^Failed to parse number/);
      expect(result.detail).toHaveLength(200);
    }
  });

  it('while reading objects', () => {
    const result = verdict(classic([CATALOG, PAGES, `<< /Type /Page /Parent 2 0 R /A ${huge} >>`]));
    expect(result).not.toBe('read');
    if (result !== 'read') {
      expect(result.reason).toBe('MALFORMED_SIGNATURE');
      expect(result.detail).toMatch(/^Failed to parse number/);
      expect(result.detail).toHaveLength(200);
    }
  });
});

describe('the last startxref', () => {
  const junk = (n: number) => 'x'.repeat(n);

  it.each([
    ['a space', ' '],
    ['LF', '\n'],
    ['CR', '\r'],
    ['a tab', '\t'],
    ['a form feed', '\f'],
    ['NUL', '\0'],
  ])(
    'only whitespace may follow the end-of-file marker: 100 bytes of %s are skipped',
    (_, white) => {
      const file = read(classic(undefined, { tail: white.repeat(100) }));
      expect(file.revisions).toHaveLength(1);
    },
  );

  it('%%EOF must lie within the last 64 bytes: 58 bytes of junk after its end-of-line are tolerated, 59 hide it', () => {
    expect(PdfFile.parse(classic(undefined, { tail: junk(58) })).revisions).toHaveLength(1);
    expect(PdfFile.parse(classic(undefined, { tail: junk(40) })).revisions).toHaveLength(1);
    for (const n of [59, 100]) {
      expect(() => PdfFile.parse(classic(undefined, { tail: junk(n) })), `${n}`).toThrow(
        'no startxref at the end of the file',
      );
    }
  });

  it('startxref must be within 48 bytes before %%EOF, and only its offset between them', () => {
    const at = (pad: number) => {
      const base = classic();
      const text = base.toString('latin1');
      const sx = text.lastIndexOf('startxref');
      const offset = /startxref\n(\d+)\n/.exec(text.slice(sx))![1]!;
      // "startxref" + spaces + offset + "\n" then %%EOF: distance from "s" to "%" is 9+pad+len+1.
      return Buffer.from(
        `${text.slice(0, sx)}startxref${' '.repeat(pad)}${offset}\n%%EOF\n`,
        'latin1',
      );
    };
    const len = String(PdfFile.parse(classic()).last.xrefOffset).length;
    const pad48 = 48 - 9 - len - 1;
    expect(PdfFile.parse(at(pad48)).revisions).toHaveLength(1);
    expect(() => PdfFile.parse(at(pad48 + 1))).toThrow('no startxref at the end of the file');
    const extra = Buffer.from(
      classic()
        .toString('latin1')
        .replace(/(startxref\n\d+)\n%%EOF/, '$1 7\n%%EOF'),
      'latin1',
    );
    expect(() => PdfFile.parse(extra)).toThrow('no startxref at the end of the file');
  });
});

describe('cross-reference tables', () => {
  it.each([
    ['0 (the header)', 0],
    ['the file length', -1],
    ['beyond the file', 10_000_000],
  ])('a startxref offset of %s is outside the file', (_, offset) => {
    const base = classic();
    const length = base.length;
    const pdf = classic(undefined, {
      startxref: offset === -1 ? length : offset,
    });
    refused(pdf, 'XREF_INVALID', 'cross-reference offset outside the file');
  });

  it('a trailer naming /Encrypt, direct or by reference, is AMBIGUOUS_STRUCTURE (round 20aq)', () => {
    // Round 20aq: stored content said APPROVED, decrypted (RC4, an /ID searched for) NOT
    // APPROVED in poppler and pdf.js alike; this reading takes it as stored.
    const encrypt = '<< /Filter /Standard /V 1 /R 2 >>';
    for (const [bodies, value] of [
      [[CATALOG, PAGES, PAGE], encrypt],
      [[CATALOG, PAGES, PAGE, encrypt], '4 0 R'],
    ] as const) {
      refused(
        classic([...bodies], {
          trailer: (size) => `<< /Size ${size} /Root 1 0 R /Encrypt ${value} >>`,
        }),
        'AMBIGUOUS_STRUCTURE',
        'the trailer names /Encrypt: readers decrypt what is read here as stored',
      );
    }
    // A null value is no encryption to every reader.
    read(
      classic(undefined, { trailer: (size) => `<< /Size ${size} /Root 1 0 R /Encrypt null >>` }),
    );
  });

  it('a subsection reaching past object 8,388,607 is out of range; one reaching it is read on (round 20at)', () => {
    // Poppler cannot grow its table that far (near 2^25) and rebuilds the cross-reference from
    // the raw bytes, finding objects hidden in a stream; pdf.js reads the table as written.
    const subsection = (first: number, count: number) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      const xref = p.raw(`xref\n${first} ${count}\n0000000000 65535 f\r\n`);
      p.raw(`trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
      return p.bytes();
    };
    const beyond = 'a cross-reference subsection reaching past object 8388607';
    refused(subsection(0, 8_388_609), 'XREF_INVALID', beyond);
    refused(subsection(100_000_000, 1), 'XREF_INVALID', beyond);
    refused(subsection(100_000_000, 0), 'XREF_INVALID', beyond);
    refused(
      subsection(0, 8_388_608),
      'XREF_INVALID',
      /^cross-reference entry at offset \d+ is not of the form/,
    );
  });

  it('an object number above 8,388,607, a /Size above 8,388,608 or a generation above 65535 is XREF_INVALID (round 20at)', () => {
    for (const size of [8_388_609, 100_000_001]) {
      refused(
        classic(undefined, { trailer: () => `<< /Size ${size} /Root 1 0 R >>` }),
        'XREF_INVALID',
        `revision 1's /Size is ${size}, above 8388608`,
      );
    }
    read(classic(undefined, { trailer: () => '<< /Size 8388608 /Root 1 0 R >>' }));
    const numbered = (num: number, gen = 0) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, PAGE);
      const at = p.obj(num, '(x)', gen);
      p.table(p.rows([{ num, kind: 'n', offset: at, gen }]), `<< /Size ${num + 1} /Root 1 0 R >>`);
      return p.bytes();
    };
    refused(
      numbered(8_388_608),
      'XREF_INVALID',
      'a cross-reference subsection reaching past object 8388607',
    );
    read(numbered(8_388_607));
    refused(numbered(4, 65536), 'XREF_INVALID', 'object 4 has generation 65536, above 65535');
    read(numbered(4, 65535));
  });

  it('an entry not in the 20-byte form is XREF_INVALID, naming its offset', () => {
    const p = new RawPdf();
    const one = p.obj(1, CATALOG);
    const xref = p.raw(
      `xref\n0 2\n0000000000 65535 f\r\n${String(one).padStart(10, '0')} 0000 n\r\n`,
    );
    p.raw(`trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    const entryAt = xref + 'xref\n0 2\n'.length + 20;
    refused(
      p.bytes(),
      'XREF_INVALID',
      `cross-reference entry at offset ${entryAt} is not of the form "nnnnnnnnnn ggggg n"`,
    );
  });

  it('an object listed twice in one table is DUPLICATE_OBJECT', () => {
    const p = new RawPdf();
    const one = p.obj(1, CATALOG);
    const xref = p.raw(
      `xref\n0 2\n0000000000 65535 f\r\n${tableEntry({ num: 1, kind: 'n', offset: one })}1 1\n${tableEntry({ num: 1, kind: 'n', offset: one })}`,
    );
    p.raw(`trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    refused(p.bytes(), 'DUPLICATE_OBJECT', 'object 1 is defined twice in one cross-reference');
  });

  it('a trailer that is not a dictionary, and an /XRefStm that is not an offset', () => {
    refused(
      classic(undefined, { trailer: () => '[ /Size 4 ]' }),
      'XREF_INVALID',
      'trailer is not a dictionary',
    );
    refused(
      classic(undefined, { trailer: (size) => `<< /Size ${size} /Root 1 0 R /XRefStm (12) >>` }),
      'XREF_INVALID',
      'XRefStm is not an offset',
    );
  });

  it('/Prev that is not a number is refused, and a /Prev to itself is a loop', () => {
    refused(
      classic(undefined, { trailer: (size) => `<< /Size ${size} /Root 1 0 R /Prev /Here >>` }),
      'XREF_INVALID',
      '/Prev is not an offset',
    );
    const own = classic();
    const xref = PdfFile.parse(own).last.xrefOffset;
    refused(
      classic(undefined, { trailer: (size) => `<< /Size ${size} /Root 1 0 R /Prev ${xref} >>` }),
      'XREF_INVALID',
      'cross-reference sections form a loop',
    );
  });

  it('an object offset of 0 or at the end of the file is outside it', () => {
    for (const offset of [0, 100_000]) {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.table(
        [
          { num: 0, kind: 'f', gen: 65535 },
          { num: 1, kind: 'n', offset },
        ],
        '<< /Size 2 /Root 1 0 R >>',
      );
      refused(p.bytes(), 'XREF_INVALID', 'object offset outside the file');
    }
    // Exactly at the end: the offset is the file's length.
    const p = new RawPdf();
    p.obj(1, CATALOG);
    const body = p.bytes();
    const tail = (length: number) =>
      `xref\n0 2\n0000000000 65535 f\r\n${String(length).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`;
    const total = body.length + tail(0).length;
    refused(
      Buffer.concat([body, Buffer.from(tail(total), 'latin1')]),
      'XREF_INVALID',
      'object offset outside the file',
    );
  });

  it('an offset holding no object header, another object, or another generation', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    const two = p.obj(2, PAGES);
    p.obj(3, PAGE);
    const xref = p.length;
    p.table(
      [
        { num: 0, kind: 'f', gen: 65535 },
        { num: 1, kind: 'n', offset: p.at.get(1)! },
        { num: 2, kind: 'n', offset: two },
        { num: 3, kind: 'n', offset: xref },
      ],
      '<< /Size 4 /Root 1 0 R >>',
    );
    refused(p.bytes(), 'XREF_INVALID', `no object header at offset ${xref}`);

    const q = new RawPdf();
    q.obj(1, CATALOG);
    q.obj(2, PAGES);
    const at3 = q.raw('3 0 xbj\n<< >>\nendobj\n');
    q.table(q.rows([{ num: 3, kind: 'n', offset: at3 }]), '<< /Size 4 /Root 1 0 R >>');
    refused(q.bytes(), 'XREF_INVALID', `no object header at offset ${at3}`);

    const r = new RawPdf();
    r.obj(1, CATALOG);
    r.obj(2, PAGES);
    r.obj(3, PAGE);
    r.table(r.rows([{ num: 3, kind: 'n', offset: r.at.get(2)! }]), '<< /Size 4 /Root 1 0 R >>');
    refused(
      r.bytes(),
      'XREF_INVALID',
      'the cross-reference names object 3 at an offset holding object 2',
    );

    const s = new RawPdf();
    s.obj(1, CATALOG);
    s.obj(2, PAGES);
    s.obj(3, PAGE);
    s.table(
      s.rows([{ num: 3, kind: 'n', offset: s.at.get(3)!, gen: 1 }]),
      '<< /Size 4 /Root 1 0 R >>',
    );
    // The entry says generation 1; the object there is generation 0.
    const file = PdfFile.parse(s.bytes());
    expect(() => file.lookup(PDFRef.of(3, 1), 1)).toThrow(
      'the cross-reference names object 3 at an offset holding object 3',
    );
  });

  it('an object header without its generation is no object header', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    const at3 = p.raw(`3 obj\n${PAGE}\nendobj\n`);
    p.table(p.rows([{ num: 3, kind: 'n', offset: at3 }]), '<< /Size 4 /Root 1 0 R >>');
    refused(p.bytes(), 'XREF_INVALID', `no object header at offset ${at3}`);
  });

  it('an object without endobj is AMBIGUOUS_STRUCTURE', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    const at3 = p.raw(`3 0 obj\n${PAGE}\nendobx\n`);
    p.table(p.rows([{ num: 3, kind: 'n', offset: at3 }]), '<< /Size 4 /Root 1 0 R >>');
    refused(p.bytes(), 'AMBIGUOUS_STRUCTURE', 'object 3 does not end with endobj');
  });

  it('a name with #00 is AMBIGUOUS_STRUCTURE: poppler ends the name there (round 20ak)', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] /X#00Y 1 >>');
    p.table(p.rows(), '<< /Size 4 /Root 1 0 R >>');
    refused(
      p.bytes(),
      'AMBIGUOUS_STRUCTURE',
      'a name with an escape readers decode differently (/X#00Y)',
    );
  });

  it('an object a later revision frees, still referred to by an older one, is AMBIGUOUS_STRUCTURE (round 20ap)', () => {
    // Poppler rebuilds the cross-reference at the free entry (and draws what it finds hidden in
    // a stream), pdf.js draws nothing.
    const freed = (page: boolean) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] /Annots [ 5 0 R ] >>');
      p.obj(5, '<< /Type /Annot /Subtype /Link /Rect [ 0 0 1 1 ] >>');
      const first = p.table(p.rows(), '<< /Size 6 /Root 1 0 R >>');
      const rows: Row[] = [{ num: 5, kind: 'f', gen: 1 }];
      if (page) {
        rows.unshift({ num: 3, kind: 'n', offset: p.obj(3, PAGE) });
      }
      p.table(rows, `<< /Size 6 /Root 1 0 R /Prev ${first} >>`);
      return p.bytes();
    };
    refused(
      freed(false),
      'AMBIGUOUS_STRUCTURE',
      'object 3 of revision 2 refers to object 5, which that revision does not define',
    );
    // Freed along with what referred to it: an ordinary update.
    expect(verdict(freed(true))).toBe('read');
  });

  it('a table subsection from object 1 whose first entry is free is XREF_INVALID (round 20ap)', () => {
    // pdf.js takes it as starting at 0 (a writer's old mistake), poppler and this reader not.
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    const xref = p.raw(
      `xref\n0 1\n${tableEntry({ num: 0, kind: 'f', gen: 65535 })}1 4\n${tableEntry({ num: 1, kind: 'f', gen: 0 })}${[
        1, 2, 3,
      ]
        .map((num) => tableEntry({ num, kind: 'n', offset: p.at.get(num)! }))
        .join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n`,
    );
    p.raw(`${xref}\n%%EOF\n`);
    refused(
      p.bytes(),
      'XREF_INVALID',
      'a cross-reference subsection from object 1 whose first entry is free',
    );
  });

  it('a number longer than every reader reads alike is AMBIGUOUS_STRUCTURE (round 20aj)', () => {
    // pdf.js gathers the digits and divides once: 595. and 400 zeros is NaN to it, 595 here.
    const box = (width: string) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, `<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 ${width} 842 ] >>`);
      p.table(p.rows(), '<< /Size 4 /Root 1 0 R >>');
      return p.bytes();
    };
    refused(
      box(`595.${'0'.repeat(400)}`),
      'AMBIGUOUS_STRUCTURE',
      /^a number written with 404 characters, which readers read as different values \(595\.0+…\)$/,
    );
    // 32 characters are read alike; 33 are not taken.
    expect(read(box(`595.${'0'.repeat(28)}`)).pageRefs(1)).toEqual(new Set([3]));
    refused(box(`595.${'0'.repeat(29)}`), 'AMBIGUOUS_STRUCTURE', /^a number written with 33 /);
    // Nor in a reference's generation (its object number is the first token, judged above).
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, `<< /Type /Pages /Kids [ 3 ${'0'.repeat(40)} R ] /Count 1 >>`);
    p.obj(3, PAGE);
    p.table(p.rows(), '<< /Size 4 /Root 1 0 R >>');
    refused(p.bytes(), 'AMBIGUOUS_STRUCTURE', /^a number written with 40 /);
  });

  it('an object of generation 1 is read by references of generation 1, and only by those', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, '<< /Type /Pages /Kids [ 3 1 R ] /Count 1 >>');
    p.obj(3, PAGE, 1);
    p.table(
      p.rows([{ num: 3, kind: 'n', offset: p.at.get(3)!, gen: 1 }]),
      '<< /Size 4 /Root 1 0 R >>',
    );
    const file = read(p.bytes());
    expect(file.pageRefs(1)).toEqual(new Set([3]));
    expect(() => file.lookup(PDFRef.of(3, 0), 1)).toThrow(
      'a reference to object 3 names generation 0, its entry 1',
    );
    try {
      file.lookup(PDFRef.of(3, 0), 1);
    } catch (error) {
      expect((error as PdfStructureError).reason).toBe('AMBIGUOUS_STRUCTURE');
    }
  });

  it('a free or absent object is undefined to lookup; references to either are refused', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    p.obj(4, '(deleted)');
    p.table(p.rows([{ num: 4, kind: 'f', gen: 1 }]), '<< /Size 5 /Root 1 0 R >>');
    const file = PdfFile.parse(p.bytes());
    expect(file.lookup(PDFRef.of(4, 1), 1)).toBeUndefined();
    expect(file.lookup(PDFRef.of(4, 0), 1)).toBeUndefined();
    expect(file.lookup(PDFRef.of(0, 0), 1)).toBeUndefined();
    expect(file.lookup(PDFRef.of(99, 0), 1)).toBeUndefined();
    expect(file.entry(4, 1)?.entry).toEqual({ kind: 'f', offset: 0, generation: 1 });
    expect(file.entry(99, 1)).toBeNull();

    const q = new RawPdf();
    q.obj(1, CATALOG);
    q.obj(2, '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 /Gone 4 1 R >>');
    q.obj(3, PAGE);
    q.table(q.rows([{ num: 4, kind: 'f', gen: 1 }]), '<< /Size 5 /Root 1 0 R >>');
    refused(
      q.bytes(),
      'AMBIGUOUS_STRUCTURE',
      'object 2 of revision 1 refers to object 4, which that revision does not define',
    );
    refused(
      classic(undefined, { trailer: (size) => `<< /Size ${size} /Root 1 0 R /Info 9 0 R >>` }),
      'AMBIGUOUS_STRUCTURE',
      'the trailer of revision 1 refers to object 9, which that revision does not define',
    );
    refused(
      classic([CATALOG, PAGES, PAGE, '<< /Ref 3 1 R >>']),
      'AMBIGUOUS_STRUCTURE',
      'object 4 of revision 1 refers to object 3 with generation 1, its entry 0',
    );
    // A stream's dictionary is checked too.
    refused(
      classic([CATALOG, PAGES, PAGE, '<< /Ref 9 0 R /Length 2 >>\nstream\nab\nendstream']),
      'AMBIGUOUS_STRUCTURE',
      'object 4 of revision 1 refers to object 9, which that revision does not define',
    );
  });
});

describe('object headers a rebuilding reader would find', () => {
  it('a header where a rebuild looks but no cross-reference places it is AMBIGUOUS_STRUCTURE (rounds 20ap, 20at)', () => {
    // Poppler and pdf.js rebuild the cross-reference from the raw bytes when theirs fails, and
    // take the last header of each number they find at the start of a line (or, pdf.js, after
    // a `<`): in a stream's data, a string, between objects.
    const hidden = (at: 'stream' | 'string' | 'between', spacing = ' ', before = '\n') => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, PAGE);
      if (at === 'stream') {
        p.stream(4, '', `q${before}3${spacing}0${spacing}obj << /Type /Page >> endobj\nQ`);
      } else if (at === 'string') {
        p.obj(4, `(see${before}3${spacing}0${spacing}obj)`);
      } else {
        p.obj(4, '(x)');
        p.raw(`3${spacing}0${spacing}obj << /Type /Page >> endobj\n`);
      }
      p.table(p.rows(), '<< /Size 5 /Root 1 0 R >>');
      return p.bytes();
    };
    for (const at of ['stream', 'string', 'between'] as const) {
      const pdf = hidden(at);
      const offset = pdf.indexOf('3 0 obj', pdf.indexOf('3 0 obj') + 1);
      refused(
        pdf,
        'AMBIGUOUS_STRUCTURE',
        `bytes at offset ${offset} read as the header of object 3 0, which no cross-reference places there (a reader rebuilding its cross-reference would take it)`,
      );
    }
    const found = /read as the header of object 3 0/;
    // Any whitespace between the parts, as the readers' scanners take it, PDF's and beyond
    // (round 20au: 0x0B, 0xA0), and a NUL that ends poppler's line, a comment after it
    // (round 20ax: `3\0%x` and `0 obj` on the next line was object 3 to poppler).
    for (const spacing of ['\r\n', '\0', '\v', '\xa0', '\0%x\n', ' \0 junk\r']) {
      refused(hidden('string', spacing), 'AMBIGUOUS_STRUCTURE', found);
    }
    // After whitespace at a line's start, after a `<` (where pdf.js starts a token), or first.
    refused(hidden('stream', ' ', '\r \t'), 'AMBIGUOUS_STRUCTURE', found);
    refused(hidden('string', ' ', '<'), 'AMBIGUOUS_STRUCTURE', found);
    // Not where a rebuild looks: within a line, after other text (a title that says so).
    read(hidden('string', ' ', ' '));
    read(hidden('stream', ' ', ' x '));
    // `obj` that runs on is a header to poppler (it compares three letters), not to pdf.js.
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    p.obj(4, '(x\n13 0 objection)');
    p.table(p.rows(), '<< /Size 5 /Root 1 0 R >>');
    refused(p.bytes(), 'AMBIGUOUS_STRUCTURE', /read as the header of object 13 0/);
    // The genuine headers, at the offsets the table gives, are what a rebuild finds: read.
    read(classic());
  });

  it('a trailer, a table or an /XRef where the file has none is AMBIGUOUS_STRUCTURE', () => {
    // Poppler's rebuild takes the last trailer's /Root, pdf.js's the first that leads to pages;
    // pdf.js reads a table's trailer, and an object naming /XRef as a cross-reference stream.
    const holding = (data: string) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, PAGE);
      p.stream(4, '', data);
      p.table(p.rows(), '<< /Size 5 /Root 1 0 R >>');
      return p.bytes();
    };
    const rows: [string, string, string][] = [
      ['q\ntrailer\n<< /Root 3 0 R >>\nQ', 'trailer', 'a trailer'],
      ['q\nxref\n0 1\nQ', 'xref', 'a cross-reference table'],
      ['q /XRef Do Q', '/XRef', 'a cross-reference stream (/XRef)'],
    ];
    for (const [data, word, what] of rows) {
      const pdf = holding(data);
      refused(
        pdf,
        'AMBIGUOUS_STRUCTURE',
        `bytes at offset ${pdf.indexOf(word, pdf.indexOf('4 0 obj'))} read as ${what} by a reader rebuilding its cross-reference, where the file has none`,
      );
    }
    // Within a line, a word no rebuild reads: a title that speaks of a trailer or an xref.
    read(holding('q % a mobile trailer, xref DEC-1\nQ'));
    refused(holding('q\n  trailer\nQ'), 'AMBIGUOUS_STRUCTURE', /read as a trailer/);
    // Words no rebuild reads: startxref, a name that runs on from /XRef.
    read(holding('q /XRefStm Do Q % startxref\n'));
    // /XRef inside a cross-reference stream is that stream's; in an object after it, not.
    const p = minimalDocument();
    const stream = p.length;
    p.xrefStream(4, [...p.rows(), { num: 4, kind: 'n', offset: stream }], '/Size 5 /Root 1 0 R');
    read(p.bytes());
    const five = p.stream(5, '', 'q /XRef Do Q');
    p.table([{ num: 5, kind: 'n', offset: five }], `<< /Size 6 /Root 1 0 R /Prev ${stream} >>`);
    const pdf = p.bytes();
    refused(
      pdf,
      'AMBIGUOUS_STRUCTURE',
      `bytes at offset ${pdf.lastIndexOf('/XRef')} read as a cross-reference stream (/XRef) by a reader rebuilding its cross-reference, where the file has none`,
    );
  });
});

describe('references and numbers', () => {
  it('a reference is two unsigned integers: more digits are fine, a real or a sign is not', () => {
    const bodies = [CATALOG, '<< /Type /Pages /Kids [ 12 0 R ] /Count 1 >>'];
    for (let n = 3; n <= 11; n++) {
      bodies.push(`(filler ${n})`);
    }
    bodies.push(PAGE);
    const file = read(classic(bodies));
    expect(file.pageRefs(1)).toEqual(new Set([12]));

    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ 3.0 0 R ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'a reference written with a number that is not an integer (3.0 0 R)',
    );
    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ +3 0 R ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'a reference written with a number that is not an integer (+3 0 R)',
    );
    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ 3 0.0 R ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'a reference written with a number that is not an integer (3 0.0 R)',
    );
  });

  it('a number, R or a keyword ends at whitespace or a delimiter, never runs into the next', () => {
    const page = (box: string) => `<< /Type /Page /Parent 2 0 R /MediaBox ${box} >>`;
    // Delimiters and whitespace of every kind end them; so does the end of an object stream.
    expect(read(classic([CATALOG, PAGES, page('[0 0(x)[1]<00>%c\n 200/N 200]')])));
    expect(read(classic([CATALOG, PAGES, page('[0\t0\f200\r200\x00]')])));
    expect(read(classic([CATALOG, PAGES, page('[true false null 1]')])));
    expect(read(classic([CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE])));
    for (const [box, token] of [
      ['[0 0 60.-5 200]', '60.-'],
      ['[0 0 1.2.3 200]', '1.2.'],
      ['[0 0 200x 200]', '200x'],
      ['[falsetrue 0 200 200]', 'falset'],
      ['[nullnull 0 200 200]', 'nulln'],
      ['[true1 0 200 200]', 'true1'],
    ]) {
      refused(
        classic([CATALOG, PAGES, page(box!)]),
        'AMBIGUOUS_STRUCTURE',
        `a token runs into the next character (${token})`,
      );
    }
    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ 3 0 Rx ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'a token runs into the next character (3 0 Rx)',
    );
    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ 3 0.-1 R ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'a token runs into the next character (0.-)',
    );
  });

  it('a number that ends an object stream’s data ends there', () => {
    const p = minimalDocument(' /Extra 5 0 R');
    p.stream(4, '/Type /ObjStm /N 1 /First 4', '5 0\n42');
    const xref = p.length;
    p.xrefStream(
      7,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 7, kind: 'n', offset: xref },
      ],
      '/Size 8 /Root 1 0 R',
    );
    const file = read(p.bytes());
    expect(String(file.lookup(PDFRef.of(5), 1))).toBe('42');
  });

  it('a name escape is # and two hex digits in upper case, as every reader decodes it', () => {
    expect(read(classic([CATALOG, PAGES, '<< /Type /Pag#65 /Parent 2 0 R /A#42 1 >>'])));
    for (const name of ['/Pag#65#6c', '/A#4', '/A#', '/A#G0', '/A#4a']) {
      refused(
        classic([CATALOG, PAGES, `<< /Type /Page /Parent 2 0 R /X ${name} >>`]),
        'AMBIGUOUS_STRUCTURE',
        `a name with an escape readers decode differently (${name})`,
      );
    }
  });

  it('a generation of two digits is a generation', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, '<< /Type /Pages /Kids [ 3 10 R ] /Count 1 >>');
    p.obj(3, PAGE, 10);
    p.table(
      p.rows([{ num: 3, kind: 'n', offset: p.at.get(3)!, gen: 10 }]),
      '<< /Size 4 /Root 1 0 R >>',
    );
    expect(read(p.bytes()).pageRefs(1)).toEqual(new Set([3]));
  });

  it('a generation starting with 9 is read as a generation', () => {
    refused(
      classic([CATALOG, '<< /Type /Pages /Kids [ 3 9 R ] /Count 1 >>', PAGE]),
      'AMBIGUOUS_STRUCTURE',
      'object 2 of revision 1 refers to object 3 with generation 9, its entry 0',
    );
  });

  it('a dictionary with a key twice names the key', () => {
    refused(
      classic([CATALOG, PAGES, '<< /Type /Page /Parent 2 0 R /Type /Page >>']),
      'AMBIGUOUS_STRUCTURE',
      'dictionary repeats the key /Type',
    );
  });
});

describe('streams', () => {
  const withStream = (head: string, rest: string) =>
    classic([CATALOG, PAGES, PAGE, `${head}stream${rest}`]);

  it.each([
    [
      'a lone CR after "stream"',
      '<< /Length 5 >>\n',
      '\rhello\nendstream',
      'a stream keyword ends with a lone CR',
    ],
    [
      'nothing after "stream"',
      '<< /Length 5 >>\n',
      'hello\nendstream',
      'a stream keyword is not followed by an end-of-line',
    ],
    [
      'a space after "stream"',
      '<< /Length 5 >>\n',
      ' \nhello\nendstream',
      'a stream keyword is not followed by an end-of-line',
    ],
    ['no /Length', '<< >>\n', '\nhello\nendstream', 'a stream without a usable /Length'],
    [
      'a /Length that is a string',
      '<< /Length (5) >>\n',
      '\nhello\nendstream',
      'a stream without a usable /Length',
    ],
    [
      'a negative /Length',
      '<< /Length -1 >>\n',
      '\nhello\nendstream',
      'a stream /Length that is not a length',
    ],
    [
      'a fractional /Length',
      '<< /Length 4.5 >>\n',
      '\nhello\nendstream',
      'a stream without a usable /Length',
    ],
    // Poppler trusts only an integer /Length, and looks for endstream instead.
    [
      'a /Length written with a point',
      '<< /Length 5.0 >>\n',
      '\nhello\nendstream',
      'a stream without a usable /Length',
    ],
    [
      'a /Length beyond the file',
      '<< /Length 99999 >>\n',
      '\nhello\nendstream',
      'a stream /Length that is not a length',
    ],
    [
      'a /Length short of endstream',
      '<< /Length 4 >>\n',
      '\nhello\nendstream',
      "a stream's /Length (4) does not end at endstream",
    ],
    [
      'a /Length past endstream',
      '<< /Length 9 >>\n',
      '\nhello\nendstream',
      "a stream's /Length (9) does not end at endstream",
    ],
  ])('%s is AMBIGUOUS_STRUCTURE', (_, head, rest, detail) => {
    refused(withStream(head, rest), 'AMBIGUOUS_STRUCTURE', detail);
  });

  it('a /Length running to the very end of the file is a length, that misses endstream', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    const four = p.raw('4 0 obj\n<< /Length ');
    // The length is filled in once the file's end is known (10 digits, fixed width).
    const lengthAt = p.length;
    p.raw('0000000000 >>\nstream\n');
    const start = p.length;
    p.raw('data\nendstream\nendobj\n');
    p.table(p.rows([{ num: 4, kind: 'n', offset: four }]), '<< /Size 5 /Root 1 0 R >>');
    const pdf = p.bytes();
    const length = pdf.length - start;
    pdf.write(String(length).padStart(10, '0'), lengthAt, 'latin1');
    refused(pdf, 'AMBIGUOUS_STRUCTURE', `a stream's /Length (${length}) does not end at endstream`);
    pdf.write(String(length + 1).padStart(10, '0'), lengthAt, 'latin1');
    refused(pdf, 'AMBIGUOUS_STRUCTURE', 'a stream /Length that is not a length');
  });

  it('a stream of /Length 0, and CRLF after "stream", are read', () => {
    const file = read(withStream('<< /Length 0 >>\n', '\n\nendstream'));
    const stream = file.lookup(PDFRef.of(4), 1);
    expect(stream?.toString()).toContain('/Length 0');
    read(withStream('<< /Length 5 >>\n', '\r\nhello\nendstream'));
  });

  it('an indirect /Length is read from its object, as a plain non-negative number', () => {
    const indirect = (body5: string, ref = '5 0 R', gen5 = 0) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, PAGE);
      p.obj(4, `<< /Length ${ref} >>\nstream\nhello\nendstream`);
      p.obj(5, body5, gen5);
      p.obj(6, '<< /Length 5 0 R >>\nstream\nworld\nendstream');
      p.table(
        p.rows([{ num: 5, kind: 'n', offset: p.at.get(5)!, gen: gen5 }]),
        '<< /Size 7 /Root 1 0 R >>',
      );
      return p.bytes();
    };
    // Two streams share one indirect length: each is read.
    const file = read(indirect('5'));
    const six = file.lookup(PDFRef.of(6), 1);
    expect(six).toBeInstanceOf(PDFRawStream);
    expect(Buffer.from((six as PDFRawStream).contents).toString()).toBe('world');
    refused(
      indirect('7'),
      'AMBIGUOUS_STRUCTURE',
      "a stream's /Length (7) does not end at endstream",
    );
    refused(indirect('(5)'), 'AMBIGUOUS_STRUCTURE', 'a /Length that is not an integer');
    refused(indirect('5.0'), 'AMBIGUOUS_STRUCTURE', 'a /Length that is not an integer');
    refused(
      indirect('5', '9 0 R'),
      'AMBIGUOUS_STRUCTURE',
      'a /Length refers to object 9, which is not a plain object',
    );
    refused(
      indirect('5', '5 1 R'),
      'AMBIGUOUS_STRUCTURE',
      'a /Length refers to object 5, which is not a plain object',
    );
    // A /Length object that is itself a stream with an indirect /Length: not followed further.
    refused(
      indirect('<< /Length 6 0 R >>\nstream\nhello\nendstream'),
      'AMBIGUOUS_STRUCTURE',
      'a stream without a usable /Length',
    );
  });

  it('an indirect /Length of a free object is not a plain object', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    p.obj(4, '<< /Length 5 1 R >>\nstream\nhello\nendstream');
    p.table(p.rows([{ num: 5, kind: 'f', gen: 1 }]), '<< /Size 6 /Root 1 0 R >>');
    refused(
      p.bytes(),
      'AMBIGUOUS_STRUCTURE',
      'a /Length refers to object 5, which is not a plain object',
    );
  });

  it('an indirect /Length of a cross-reference stream is not usable', () => {
    const p = new RawPdf();
    p.obj(1, '<< /Type /Catalog >>');
    const xref = p.length;
    p.raw(`2 0 obj\n<< /Type /XRef /Size 3 /W [ 1 2 1 ] /Length 3 0 R >>\nstream\n`);
    const rows = Buffer.from([0, 0, 0, 255, 1, 0, p.at.get(1)!, 0, 1, xref >> 8, xref & 255, 0]);
    p.raw(rows);
    p.raw('\nendstream\nendobj\n');
    p.raw(`startxref\n${xref}\n%%EOF\n`);
    refused(p.bytes(), 'AMBIGUOUS_STRUCTURE', 'a stream without a usable /Length');
  });
});

describe('cross-reference streams', () => {
  /** Catalog, pages, page (tiny, so offsets fit one byte), then an xref stream as object 4. */
  function streamed(
    options: Parameters<RawPdf['xrefStream']>[3] & {
      dict?: string;
      extraRows?: Row[];
      keepZero?: boolean;
    } = {},
  ): Buffer {
    const p = minimalDocument();
    const offset = p.length;
    // With no type field every row is a plain object: object 0's free row is left out.
    const rows = [...p.rows(options.extraRows), { num: 4, kind: 'n' as const, offset }]
      .filter((r) => r.num !== 0 || options.w?.[0] !== 0 || options.keepZero)
      .sort((a, b) => a.num - b.num);
    p.xrefStream(4, rows, options.dict ?? '/Size 5 /Root 1 0 R', options);
    return p.bytes();
  }

  it('a cross-reference stream that lists no entry of its own is read: its header is where the chain points', () => {
    const p = minimalDocument();
    p.xrefStream(4, p.rows(), '/Size 5 /Root 1 0 R');
    const file = read(p.bytes());
    expect(file.last.entries.has(4)).toBe(false);
  });

  it('an /Index reaching past object 8,388,607 is XREF_INVALID (round 20at)', () => {
    refused(
      streamed({ index: '[ 0 5 8388607 2 ]' }),
      'XREF_INVALID',
      'a cross-reference stream whose /Index reaches past object 8388607',
    );
    refused(
      streamed({ index: '[ 0 5 100000000 0 ]' }),
      'XREF_INVALID',
      'a cross-reference stream whose /Index reaches past object 8388607',
    );
    // Reaching it exactly, the /Index is read on (and its rows counted against the data).
    refused(
      streamed({ index: '[ 0 5 8388607 1 ]' }),
      'XREF_INVALID',
      /^a cross-reference stream holds \d+ bytes for 6 entries of 7$/,
    );
  });

  it('a cross-reference stream naming /Encrypt is AMBIGUOUS_STRUCTURE (round 20aq)', () => {
    // Readers decrypt every string and stream with an empty user password; this reading, the
    // denylist and the letter profile read them as stored.
    refused(
      streamed({ dict: '/Size 5 /Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 >>' }),
      'AMBIGUOUS_STRUCTURE',
      'the cross-reference stream names /Encrypt: readers decrypt what is read here as stored',
    );
    read(streamed({ dict: '/Size 5 /Root 1 0 R /Encrypted << /Filter /Standard >>' }));
  });

  it.each([[[0, 2, 1]], [[1, 1, 1]], [[1, 6, 2]], [[1, 2, 0]], [[1, 2, 4]]] as [
    [number, number, number],
  ][])('widths %j are in range and read', (w) => {
    const file = read(streamed({ w }));
    expect(file.pageRefs(1)).toEqual(new Set([3]));
    expect(file.entry(1, 1)?.entry.kind).toBe('n');
  });

  it.each([
    ['[ 2 4 2 ]', '[2 4 2]'],
    ['[ -1 4 2 ]', '[-1 4 2]'],
    ['[ 1 0 2 ]', '[1 0 2]'],
    ['[ 1 7 2 ]', '[1 7 2]'],
    ['[ 1 4 -1 ]', '[1 4 -1]'],
    ['[ 1 4 5 ]', '[1 4 5]'],
    ['[ 1 4.5 2 ]', '[1 4.5 2]'],
    ['[ 1 /Four 2 ]', '[1 -1 2]'],
    ['[ 1 4 ]', '[]'],
    ['7', '[]'],
  ])('widths %s are refused', (w, shown) => {
    const pdf = Buffer.from(
      streamed().toString('latin1').replace('/W [ 1 4 2 ]', `/W ${w}`),
      'latin1',
    );
    refused(pdf, 'XREF_INVALID', `a cross-reference stream with field widths ${shown}`);
  });

  it.each([
    ['no /Size', ''],
    ['a negative /Size', '/Size -1'],
    ['a fractional /Size', '/Size 4.5'],
    ['a /Size that is a name', '/Size /Five'],
  ])('%s is refused', (_, size) => {
    refused(
      streamed({ dict: `${size} /Root 1 0 R` }),
      'XREF_INVALID',
      'a cross-reference stream without /Size',
    );
  });

  it('a /Size below what its /Index lists is refused: the next writer would number over it', () => {
    refused(
      streamed({ dict: '/Size 0 /Root 1 0 R' }),
      'XREF_INVALID',
      "revision 1's /Size is 0, but object 4 is defined",
    );
    refused(
      streamed({ dict: '/Size 4 /Root 1 0 R' }),
      'XREF_INVALID',
      "revision 1's /Size is 4, but object 4 is defined",
    );
    expect(read(streamed({ dict: '/Size 5 /Root 1 0 R' })).entry(4, 1)?.entry.kind).toBe('n');
  });

  it('a table revision whose /Size is at or below an object it or an earlier one defines is refused', () => {
    refused(
      classic(undefined, { trailer: () => '<< /Size 3 /Root 1 0 R >>' }),
      'XREF_INVALID',
      "revision 1's /Size is 3, but object 3 is defined",
    );
    refused(
      classic(undefined, { trailer: () => '<< /Root 1 0 R >>' }),
      'XREF_INVALID',
      "revision 1's /Size is missing, but object 3 is defined",
    );
    // A later revision defining nothing new keeps the earlier objects under its /Size.
    const base = classic();
    const object = `2 0 obj\n${PAGES}\nendobj\n`;
    const prev = PdfFile.parse(base).last.xrefOffset;
    const update = (size: number) =>
      Buffer.concat([
        base,
        Buffer.from(
          `${object}xref\n2 1\n${String(base.length).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${base.length + object.length}\n%%EOF\n`,
          'latin1',
        ),
      ]);
    refused(update(3), 'XREF_INVALID', "revision 2's /Size is 3, but object 3 is defined");
    expect(read(update(4)).revisions).toHaveLength(2);
  });

  it.each([
    ['an odd /Index', '[ 0 5 1 ]'],
    ['an /Index that is a number', '5'],
    ['an /Index with a name', '[ 0 /Five ]'],
    ['an /Index with a real', '[ 0 5.5 ]'],
    ['an /Index with a negative start', '[ -1 5 ]'],
  ])('%s is refused', (_, index) => {
    refused(streamed({ index }), 'XREF_INVALID', 'a cross-reference stream with a bad /Index');
  });

  it('without /Index the stream covers 0 to /Size; data of the wrong size is refused', () => {
    const pdf = Buffer.from(streamed().toString('latin1').replace('/Index [ 0 5 ]', ''), 'latin1');
    expect(read(pdf).entry(4, 1)?.entry.kind).toBe('n');
    refused(
      streamed({ dict: '/Size 5 /Root 1 0 R', index: '[ 0 6 ]' }),
      'XREF_INVALID',
      'a cross-reference stream holds 35 bytes for 6 entries of 7',
    );
  });

  it('entries of type 0 and 1 are free and plain (type 2: below); type 3 is refused', () => {
    const file = read(
      streamed({
        extraRows: [{ num: 5, kind: 'f', gen: 7, next: 0 }],
        dict: '/Size 6 /Root 1 0 R',
      }),
    );
    expect(file.last.entries.get(0)).toEqual({ kind: 'f', offset: 0, generation: 65535 });
    expect(file.last.entries.get(5)).toEqual({ kind: 'f', offset: 0, generation: 7 });
    expect(file.last.entries.get(3)?.kind).toBe('n');
    // Type 2 (in an object stream) is pinned with the object streams below.
    const three = Buffer.from(streamed({ plain: true }));
    // Row 3 (object 3) starts at byte 21 of the stream data: its type byte becomes 3.
    const dataAt = three.indexOf('stream\n', three.indexOf('/Type /XRef')) + 'stream\n'.length;
    three[dataAt + 21] = 3;
    refused(three, 'XREF_INVALID', 'cross-reference entry for object 3 has type 3');
  });

  it('a type field of width 0 makes every entry a plain object', () => {
    const file = PdfFile.parse(streamed({ w: [0, 2, 1], keepZero: true }));
    expect(file.entry(3, 1)?.entry).toEqual({
      kind: 'n',
      offset: PdfFile.parse(streamed()).entry(3, 1)!.entry.offset,
      generation: 0,
    });
    // Object 0's free row too: read as in use, at offset 0 (generation 65535 cut to one byte).
    expect(file.entry(0, 1)?.entry).toEqual({ kind: 'n', offset: 0, generation: 255 });
  });

  it('an offset that points at a dictionary or another stream is no cross-reference', () => {
    const p = new RawPdf();
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    const four = p.stream(4, '/Type /Other', 'abc');
    p.raw(`startxref\n${four}\n%%EOF\n`);
    refused(p.bytes(), 'XREF_INVALID', 'cross-reference offset points at no xref table or stream');
    const q = new RawPdf();
    q.obj(1, CATALOG);
    const two = q.obj(2, '<< /Type /XRef >>');
    q.raw(`startxref\n${two}\n%%EOF\n`);
    refused(q.bytes(), 'XREF_INVALID', 'cross-reference offset points at no xref table or stream');
  });

  it('filters: Flate alone (or in an array of one); anything else, or two, is refused', () => {
    const one = Buffer.from(
      streamed().toString('latin1').replace('/Filter /FlateDecode', '/Filter [ /FlateDecode ]'),
      'latin1',
    );
    expect(read(one).entry(3, 1)?.entry.kind).toBe('n');
    const two = Buffer.from(
      streamed()
        .toString('latin1')
        .replace('/Filter /FlateDecode', '/Filter [ /FlateDecode /FlateDecode ]'),
      'latin1',
    );
    refused(two, 'XREF_INVALID', 'a stream filtered by FlateDecode, FlateDecode');
    const hex = Buffer.from(
      streamed().toString('latin1').replace('/Filter /FlateDecode', '/Filter /ASCIIHexDecode'),
      'latin1',
    );
    refused(hex, 'XREF_INVALID', 'a stream filtered by ASCIIHexDecode');
    const damaged = streamed({
      data: (data) => {
        const copy = Buffer.from(data);
        copy[3] = copy[3]! ^ 0xff;
        copy[4] = copy[4]! ^ 0xff;
        return copy;
      },
    });
    refused(damaged, 'XREF_INVALID', 'a stream whose compressed data is damaged');
  });

  it.each([0, 1, 2, 3, 4])('PNG row filter %i is undone exactly', (type) => {
    const file = read(streamed({ predictor: { type } }));
    const plain = PdfFile.parse(streamed());
    for (const num of [0, 1, 2, 3, 4]) {
      expect(file.entry(num, 1)?.entry, `object ${num}`).toEqual(plain.entry(num, 1)?.entry);
    }
  });

  it('Paeth ties are broken as PNG says: left before up before upper-left', () => {
    // Generations as bytes [upLeft, up] over [left, value]: left = 6 where pa = pc; up = 6 where
    // pb = pc (and pa is larger).
    const extraRows: Row[] = [
      { num: 5, kind: 'f', gen: 10 * 256 + 12 },
      { num: 6, kind: 'f', gen: 6 * 256 + 100 },
      { num: 7, kind: 'f', gen: 10 * 256 + 6 },
      { num: 8, kind: 'f', gen: 12 * 256 + 100 },
    ];
    const file = read(streamed({ predictor: { type: 4 }, extraRows, dict: '/Size 9 /Root 1 0 R' }));
    expect([5, 6, 7, 8].map((n) => file.last.entries.get(n)?.generation)).toEqual([
      10 * 256 + 12,
      6 * 256 + 100,
      10 * 256 + 6,
      12 * 256 + 100,
    ]);
  });

  it('predictors: 1 and none are raw, 10–15 PNG (parameters in an array too)', () => {
    for (const predictor of [10, 15]) {
      const file = read(
        streamed({
          predictor: { type: 4, parms: `<< /Predictor ${predictor} /Columns 7 >>` },
        }),
      );
      expect(file.entry(3, 1)?.entry.kind).toBe('n');
    }
    const array = read(
      streamed({ predictor: { type: 1, parms: '[ << /Predictor 12 /Columns 7 >> ]' } }),
    );
    expect(array.entry(2, 1)?.entry.kind).toBe('n');
    const raw = Buffer.from(
      streamed()
        .toString('latin1')
        .replace(
          '/Filter /FlateDecode',
          '/Filter /FlateDecode /DecodeParms << /Predictor 1 /Columns 3 >>',
        ),
      'latin1',
    );
    expect(read(raw).entry(3, 1)?.entry.kind).toBe('n');
    const notDict = Buffer.from(
      streamed()
        .toString('latin1')
        .replace('/Filter /FlateDecode', '/Filter /FlateDecode /DecodeParms 12'),
      'latin1',
    );
    expect(read(notDict).entry(3, 1)?.entry.kind).toBe('n');
    // By reference (directly or in an array), a reader resolves it or cannot yet: refused.
    for (const parms of ['1 0 R', '[ 1 0 R ]']) {
      refused(
        Buffer.from(
          streamed()
            .toString('latin1')
            .replace('/Filter /FlateDecode', `/Filter /FlateDecode /DecodeParms ${parms}`),
          'latin1',
        ),
        'XREF_INVALID',
        'a stream whose /DecodeParms is given by reference',
      );
    }
  });

  it.each([
    ['predictor 9', '<< /Predictor 9 /Columns 7 >>', 9],
    ['predictor 16', '<< /Predictor 16 /Columns 7 >>', 16],
    ['two colours', '<< /Predictor 12 /Columns 7 /Colors 2 >>', 12],
    ['16 bits per component', '<< /Predictor 12 /Columns 7 /BitsPerComponent 16 >>', 12],
    ['no columns', '<< /Predictor 12 /Columns 0 >>', 12],
    ['fractional columns', '<< /Predictor 12 /Columns 3.5 >>', 12],
    ['columns that do not divide the data', '<< /Predictor 12 /Columns 6 >>', 12],
  ])('%s cannot be read', (_, parms, predictor) => {
    refused(
      streamed({ predictor: { type: 0, parms } }),
      'XREF_INVALID',
      `a stream with predictor ${predictor} that cannot be read`,
    );
  });

  it('a PNG row filter of type 5 is refused', () => {
    const pdf = streamed({
      plain: true,
      predictor: { type: 0 },
    });
    const dataAt = pdf.indexOf('stream\n', pdf.indexOf('/Type /XRef')) + 'stream\n'.length;
    pdf[dataAt + 8] = 5;
    refused(pdf, 'XREF_INVALID', 'a PNG row filter of type 5');
  });

  it('one column of PNG rows (Columns 1) is read', () => {
    const p = new RawPdf('%PDF-1.7\n');
    p.obj(1, '<< /Type /Catalog >>');
    const xref = p.length;
    // W [0 1 0]: every entry a plain object, one byte of offset, one PNG row each.
    const rows = [[p.at.get(1)!], [xref]];
    const predicted = Buffer.from([2, rows[0]![0]!, 2, (rows[1]![0]! - rows[0]![0]! + 256) % 256]);
    p.stream(
      2,
      '/Type /XRef /Size 3 /Index [ 1 2 ] /W [ 0 1 0 ] /Root 1 0 R /DecodeParms << /Predictor 12 /Columns 1 >>',
      predicted,
    );
    p.raw(`startxref\n${xref}\n%%EOF\n`);
    const file = read(p.bytes());
    expect(file.entry(2, 1)?.entry).toEqual({ kind: 'n', offset: xref, generation: 0 });
  });
});

/** A file whose objects 5 and 6 sit in object stream 4, listed by a cross-reference stream. */
function withObjectStream(
  options: {
    objects?: [number, string][];
    header?: string;
    dict?: string;
    n?: string | null;
    first?: string | null;
    rows?: (rows: Row[]) => Row[];
    streamBody?: string;
  } = {},
): Buffer {
  const p = minimalDocument(' /Extra 5 0 R');
  const objects = options.objects ?? [
    [5, '<< /Name (five) /Next 6 0 R >>'],
    [6, '(six)'],
  ];
  if (options.streamBody !== undefined) {
    p.obj(4, options.streamBody);
  } else {
    p.objectStream(4, objects, options);
  }
  const xref = p.length;
  const own: Row = { num: 7, kind: 'n', offset: xref };
  const base: Row[] = [
    ...p.rows(),
    ...objects.map(([num], index): Row => ({ num, kind: 'c', stream: 4, index })),
    own,
  ].sort((a, b) => a.num - b.num);
  const rows = options.rows ? options.rows(base) : base;
  p.xrefStream(7, rows, '/Size 8 /Root 1 0 R');
  return p.bytes();
}

describe('object streams', () => {
  it('objects in an object stream are read at their index, each its own', () => {
    const file = read(withObjectStream());
    expect(textOf(file.lookup(PDFRef.of(6), 1))).toBe('six');
    const five = file.lookup(PDFRef.of(5), 1);
    expect(five).toBeInstanceOf(PDFDict);
    expect(textOf((five as PDFDict).get(PDFName.of('Name')))).toBe('five');
    // Read once: the same object each time.
    expect(file.lookup(PDFRef.of(5), 1)).toBe(five);
    expect(file.entry(5, 1)?.entry).toEqual({
      kind: 'c',
      offset: 0,
      generation: 0,
      stream: 4,
      index: 0,
    });
  });

  it('an object stream an earlier revision places objects in, defined again, is AMBIGUOUS_STRUCTURE (round 20am)', () => {
    // Revision 1 holds 5 and 6 in object stream 4; revision 2 writes stream 4 anew (5 changed)
    // without listing 5: a reader of the last revision takes the new 5, a reading revision by
    // revision the first.
    const update = (redefine: boolean) => {
      const p = minimalDocument(' /Extra 5 0 R');
      p.objectStream(4, [
        [5, '<< /Name (five) >>'],
        [6, '(six)'],
      ]);
      const first = p.length;
      p.xrefStream(
        7,
        (
          [
            ...p.rows(),
            { num: 5, kind: 'c', stream: 4, index: 0 },
            { num: 6, kind: 'c', stream: 4, index: 1 },
            { num: 7, kind: 'n', offset: first },
          ] satisfies Row[]
        ).sort((a, b) => a.num - b.num),
        '/Size 8 /Root 1 0 R',
      );
      const rows: Row[] = redefine
        ? [
            {
              num: 4,
              kind: 'n',
              offset: p.objectStream(4, [
                [5, '<< /Name (FIVE) >>'],
                [6, '(six)'],
              ]),
            },
          ]
        : [{ num: 6, kind: 'n', offset: p.obj(6, '(six, again)') }];
      const second = p.length;
      p.xrefStream(
        8,
        [...rows, { num: 8, kind: 'n', offset: second }],
        `/Size 9 /Root 1 0 R /Prev ${first}`,
      );
      return p.bytes();
    };
    refused(
      update(true),
      'AMBIGUOUS_STRUCTURE',
      'revision 2 defines object stream 4 again, which revision 1 places objects in',
    );
    // An object of the stream written anew as an object of its own is an ordinary update.
    expect(verdict(update(false))).toBe('read');
  });

  it('two entries naming one slot of an object stream: the second is not there (round 20an)', () => {
    // Poppler reads no object for 6 (the slot holds 5), pdf.js reads 5: 6 must not be served
    // 5 from what was read for 5.
    refused(
      withObjectStream({
        objects: [[5, '<< /Name (five) >>']],
        rows: (rows) =>
          [...rows, { num: 6, kind: 'c' as const, stream: 4, index: 0 }].sort(
            (a, b) => a.num - b.num,
          ),
      }),
      'XREF_INVALID',
      'object 6 is not at index 0 of its object stream',
    );
  });

  it('an object stream listing an object twice is DUPLICATE_OBJECT', () => {
    refused(
      withObjectStream({
        header: '5 0 5 30\n',
        objects: [
          [5, '<< /Next 6 0 R >>'],
          [6, '(six)'],
        ],
      }),
      'DUPLICATE_OBJECT',
      'object stream 4 lists object 5 twice',
    );
  });

  /** The rows with object 6's entry replaced by `row` (or left out). */
  const six =
    (row: Row | null) =>
    (rows: Row[]): Row[] =>
      rows.flatMap((r) => (r.num === 6 ? (row ? [row] : []) : [r]));

  it.each([
    ['lists as free', six({ num: 6, kind: 'f', gen: 0 })],
    ['leaves out', six(null)],
    ['places at an offset', six({ num: 6, kind: 'n', offset: 9 })],
    ['puts in another object stream', six({ num: 6, kind: 'c', stream: 9, index: 1 })],
    ['puts at another index of this one', six({ num: 6, kind: 'c', stream: 4, index: 0 })],
  ])('an object the stream holds that the cross-reference %s is DUPLICATE_OBJECT', (_, rows) => {
    refused(
      withObjectStream({ rows }),
      'DUPLICATE_OBJECT',
      'object stream 4 holds object 6, which the cross-reference defines elsewhere',
    );
  });

  it('an entry into an object stream at the wrong index is XREF_INVALID to lookup', () => {
    const file = PdfFile.parse(
      withObjectStream({
        rows: six({ num: 6, kind: 'c', stream: 4, index: 0 }),
      }),
    );
    expect(() => file.lookup(PDFRef.of(6), 1)).toThrow(
      'object 6 is not at index 0 of its object stream',
    );
    expect(reasonOf(() => file.lookup(PDFRef.of(6), 1))).toBe('XREF_INVALID');
    const beyond = PdfFile.parse(
      withObjectStream({
        rows: (rows) =>
          rows.map((r) => (r.num === 6 ? { num: 6, kind: 'c', stream: 4, index: 5 } : r)),
      }),
    );
    expect(() => beyond.lookup(PDFRef.of(6), 1)).toThrow(
      'object 6 is not at index 5 of its object stream',
    );
  });

  it.each([
    ['out of order', '5 9 6 0\n'],
    ['at the same offset', '5 0 6 0\n'],
  ])('offsets %s are AMBIGUOUS_STRUCTURE', (_, header) => {
    refused(
      withObjectStream({ header }),
      'AMBIGUOUS_STRUCTURE',
      /^object stream 4 gives object 5 an offset out of order$/,
    );
  });

  it('an object that does not end where the next begins is AMBIGUOUS_STRUCTURE', () => {
    // Object 5's offset is right; object 6's points into the middle of object 5.
    refused(
      withObjectStream({ header: '5 0 6 3\n' }),
      'AMBIGUOUS_STRUCTURE',
      'object 5 in object stream 4 does not end where the next begins',
    );
  });

  it.each([
    ['no /N', { n: null }],
    ['no /First', { first: null }],
    ['an /N that is a name', { n: '/Two' }],
    ['an /N over 100,000', { n: '100001' }],
  ])('%s is XREF_INVALID', (_, options) => {
    refused(withObjectStream(options), 'XREF_INVALID', 'object stream without N or First');
  });

  it('an /N of 100,000 is within bounds: its header is read (and here runs out)', () => {
    refused(withObjectStream({ n: '100000' }), 'MALFORMED_SIGNATURE', /^Failed to parse number/);
  });

  it('an entry into an object that is no object stream, or not a plain object', () => {
    refused(
      withObjectStream({ streamBody: '<< /Type /NotObjStm >>' }),
      'XREF_INVALID',
      'an entry points into object 4, which is no object stream',
    );
    const p = minimalDocument(' /Extra 5 0 R');
    p.stream(4, '/Type /Other', 'x');
    const xref = p.length;
    p.xrefStream(
      7,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 7, kind: 'n', offset: xref },
      ],
      '/Size 8 /Root 1 0 R',
    );
    refused(p.bytes(), 'XREF_INVALID', 'an entry points into object 4, which is no object stream');
    const q = withObjectStream({
      rows: (rows) => rows.map((r) => (r.num === 4 ? { num: 4, kind: 'f', gen: 0 } : r)),
    });
    refused(q, 'XREF_INVALID', 'object stream 4 is not a plain object');
    const r = withObjectStream({
      rows: (rows) =>
        rows.map((row) => (row.num === 4 ? { num: 4, kind: 'c', stream: 4, index: 0 } : row)),
    });
    refused(r, 'XREF_INVALID', 'object stream 4 is not a plain object');
  });

  it('an object stream that inflates beyond 32 MB is refused, not read', () => {
    const p = minimalDocument(' /Extra 5 0 R');
    p.stream(
      4,
      '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode',
      deflateSync(Buffer.alloc(32 * 1024 * 1024 + 1, 0x20)),
    );
    const xref = p.length;
    p.xrefStream(
      7,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 7, kind: 'n', offset: xref },
      ],
      '/Size 8 /Root 1 0 R',
    );
    refused(p.bytes(), 'MALFORMED_SIGNATURE', 'a stream that inflates beyond 32 MB');
  });

  it('object streams that inflate beyond 64 MB in all are refused, each one within its own limit', () => {
    const p = minimalDocument(' /Extra [ 5 0 R 6 0 R 7 0 R ]');
    const objStm = (num: number) =>
      deflateSync(
        Buffer.concat([Buffer.from(`${num} 0\n(x)`), Buffer.alloc(24 * 1024 * 1024, 0x20)]),
      );
    p.stream(4, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', objStm(5));
    p.stream(8, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', objStm(6));
    p.stream(9, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', objStm(7));
    const xref = p.length;
    p.xrefStream(
      10,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 6, kind: 'c', stream: 8, index: 0 },
        { num: 7, kind: 'c', stream: 9, index: 0 },
        { num: 10, kind: 'n', offset: xref },
      ],
      '/Size 11 /Root 1 0 R',
    );
    refused(p.bytes(), 'MALFORMED_SIGNATURE', 'streams that inflate beyond 64 MB in all');
  });

  it('cross-reference streams listing more than a million entries are refused before they are read', () => {
    const p = minimalDocument();
    const xref = p.length;
    // Rows for objects 1–4, then an /Index claiming a million more (their data absent: never read).
    p.xrefStream(
      5,
      [...p.rows(), { num: 5, kind: 'n', offset: xref }],
      '/Size 1000006 /Root 1 0 R',
      {
        index: '[ 0 6 6 1000000 ]',
      },
    );
    refused(p.bytes(), 'XREF_INVALID', 'cross-reference streams listing more than 1000000 entries');
  });

  it('an update whose table lists no object at all is XREF_INVALID (poppler reads no trailer after it)', () => {
    const p = minimalDocument();
    const first = p.table(p.rows(), '<< /Size 4 /Root 1 0 R >>');
    p.table([], `<< /Size 4 /Root 1 0 R /Prev ${first} >>`);
    refused(p.bytes(), 'XREF_INVALID', 'a cross-reference table with no subsection');
    // With one object listed, the same update is read.
    const q = minimalDocument();
    const before = q.table(q.rows(), '<< /Size 4 /Root 1 0 R >>');
    const at = q.obj(3, '<< /Type /Page /Parent 2 0 R >>');
    q.table([{ num: 3, kind: 'n', offset: at }], `<< /Size 4 /Root 1 0 R /Prev ${before} >>`);
    expect(PdfFile.parse(q.bytes()).revisions).toHaveLength(2);
  });

  it('hex strings read as the standard says: whitespace skipped, an odd digit padded with 0', () => {
    const withInfo = (title: string) => {
      const p = minimalDocument();
      p.obj(4, `<< /Title ${title} /Subject <5369676E617475726531> >>`);
      p.table(p.rows(), '<< /Size 5 /Root 1 0 R /Info 4 0 R >>');
      return p.bytes();
    };
    // pdf-lib pairs characters as written: "<5369 67>" would be four other bytes.
    const spaced = PdfFile.parse(withInfo('<5369 676E\n61\t74\r75 7265 31>'));
    expect(spaced.infoText('Title', 1)).toBe('Signature1');
    expect(spaced.infoText('Subject', 1)).toBe('Signature1');
    expect(PdfFile.parse(withInfo('<53696>')).infoText('Title', 1)).toBe('Si`');
    expect(PdfFile.parse(withInfo('<4 1>')).infoText('Title', 1)).toBe('A');
    expect(PdfFile.parse(withInfo('<>')).infoText('Title', 1)).toBe('');
    refused(
      withInfo('<5369 6Z>'),
      'AMBIGUOUS_STRUCTURE',
      /a hex string at offset \d+ holds a character that is no hex digit/,
    );
    refused(withInfo('<53-69>'), 'AMBIGUOUS_STRUCTURE', /no hex digit/);
  });

  it('a damaged object stream is MALFORMED_SIGNATURE', () => {
    const p = minimalDocument(' /Extra 5 0 R');
    const data = deflateSync(Buffer.from('5 0\n(five)\n'));
    data[2] = data[2]! ^ 0xff;
    data[3] = data[3]! ^ 0xff;
    p.stream(4, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', data);
    const xref = p.length;
    p.xrefStream(
      7,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 7, kind: 'n', offset: xref },
      ],
      '/Size 8 /Root 1 0 R',
    );
    refused(p.bytes(), 'MALFORMED_SIGNATURE', 'a stream whose compressed data is damaged');
  });

  it('an object stream predicted with one column is read', () => {
    const p = minimalDocument(' /Extra 5 0 R');
    const text = Buffer.from('5 0\n(five)\n', 'latin1');
    const rows = [...text].map((b) => [0, b]).flat();
    p.stream(
      4,
      '/Type /ObjStm /N 1 /First 4 /DecodeParms << /Predictor 12 /Columns 1 >>',
      Buffer.from(rows),
    );
    const xref = p.length;
    p.xrefStream(
      7,
      [
        ...p.rows(),
        { num: 5, kind: 'c', stream: 4, index: 0 },
        { num: 7, kind: 'n', offset: xref },
      ],
      '/Size 8 /Root 1 0 R',
    );
    const file = read(p.bytes());
    expect(textOf(file.lookup(PDFRef.of(5), 1))).toBe('five');
  });
});

describe('hybrid files (a table plus an XRefStm)', () => {
  /** A table listing 1–3, an XRefStm (object 7) for `stmRows`, and object stream 4 holding 5. */
  function hybrid(
    options: {
      stmRows?: (xrefStm: number) => Row[];
      tableExtra?: Row[];
      stmDict?: string;
    } = {},
  ): Buffer {
    const p = minimalDocument(' /Extra 5 0 R');
    p.objectStream(4, [[5, '(five)']]);
    const stm = p.length;
    p.xrefStream(
      7,
      options.stmRows?.(stm) ?? [{ num: 5, kind: 'c', stream: 4, index: 0 }],
      `/Size 8${options.stmDict ?? ''}`,
      { startxref: null },
    );
    p.table(p.rows(options.tableExtra ?? []), `<< /Size 8 /Root 1 0 R /XRefStm ${stm} >>`);
    return p.bytes();
  }

  it('objects in object streams come from the XRefStm; its free entries add nothing', () => {
    const file = read(hybrid());
    expect(textOf(file.lookup(PDFRef.of(5), 1))).toBe('five');
    expect(file.last.entries.get(5)?.kind).toBe('c');
    const quiet = read(
      hybrid({
        stmRows: () => [
          { num: 5, kind: 'c', stream: 4, index: 0 },
          { num: 6, kind: 'f', gen: 3 },
        ],
      }),
    );
    expect(quiet.last.entries.has(6)).toBe(false);
  });

  it('an object the table lists as free, placed by the XRefStm, is AMBIGUOUS_STRUCTURE (round 20ao)', () => {
    // Poppler and pdf.js keep the first entry they read, the table's: the object is missing to
    // both, and was read here.
    for (const gen of [0, 65535]) {
      refused(
        hybrid({ tableExtra: [{ num: 5, kind: 'f', gen }] }),
        'AMBIGUOUS_STRUCTURE',
        'the table lists object 5 as free and its XRefStm places it in an object stream',
      );
    }
  });

  it('an object both the table and the XRefStm define is DUPLICATE_OBJECT', () => {
    refused(
      hybrid({
        stmRows: () => [
          { num: 5, kind: 'c', stream: 4, index: 0 },
          { num: 3, kind: 'c', stream: 4, index: 1 },
        ],
      }),
      'DUPLICATE_OBJECT',
      'object 3 is defined by both the table and its XRefStm',
    );
  });

  it('a plain object placed by the XRefStm where the table says free is AMBIGUOUS_STRUCTURE', () => {
    refused(
      hybrid({
        stmRows: () => [
          { num: 5, kind: 'c', stream: 4, index: 0 },
          { num: 6, kind: 'n', offset: 12 },
        ],
      }),
      'AMBIGUOUS_STRUCTURE',
      'the XRefStm places object 6 outside an object stream',
    );
  });

  it('an XRefStm with a /Prev of its own is AMBIGUOUS_STRUCTURE', () => {
    refused(
      hybrid({ stmDict: ' /Prev 9' }),
      'AMBIGUOUS_STRUCTURE',
      'the XRefStm of a hybrid file has a /Prev of its own',
    );
  });

  it('an XRefStm naming /Encrypt is AMBIGUOUS_STRUCTURE (round 20aq)', () => {
    refused(
      hybrid({ stmDict: ' /Encrypt << /Filter /Standard /V 1 /R 2 >>' }),
      'AMBIGUOUS_STRUCTURE',
      'the XRefStm names /Encrypt: readers decrypt what is read here as stored',
    );
  });
});

describe('revisions', () => {
  it('each revision starts where the last ended; one end-of-line after %%EOF is its own', () => {
    const base = classic();
    const two = update(base, [[4, '(four)']]);
    const three = update(two, [[5, '(five)']]);
    const four = update(three, [[6, '(six)']]);
    const file = read(four);
    expect(file.revisions.map((r) => [r.number, r.start, r.end])).toEqual([
      [1, 0, base.length],
      [2, base.length, two.length],
      [3, two.length, three.length],
      [4, three.length, four.length],
    ]);
    expect(textOf(file.lookup(PDFRef.of(4), 4))).toBe('four');
    expect(file.lookup(PDFRef.of(5), 2)).toBeUndefined();
    expect(file.entry(4, 4)?.revision).toBe(2);
  });

  it('a revision ending in CRLF, in CR, with no end-of-line, or with a space after %%EOF', () => {
    const crlf = Buffer.from(
      classic()
        .toString('latin1')
        .replace(/%%EOF\n$/, '%%EOF\r\n'),
      'latin1',
    );
    const two = update(crlf, [[4, '(four)']], { gap: '' });
    expect(PdfFile.parse(two).revisions[0]!.end).toBe(crlf.length);
    const bare = Buffer.from(
      classic()
        .toString('latin1')
        .replace(/%%EOF\n$/, '%%EOF'),
      'latin1',
    );
    expect(PdfFile.parse(bare).revisions[0]!.end).toBe(bare.length);
    const spaced = update(bare, [[4, '(four)']], { gap: ' \n' });
    expect(PdfFile.parse(spaced).revisions[0]!.end).toBe(bare.length);
    expect(PdfFile.parse(spaced).revisions[1]!.start).toBe(bare.length);
  });

  it('an update whose table follows %%EOF at once is a revision of its own', () => {
    const base = classic();
    const file = PdfFile.parse(base);
    const object = `3 0 obj\n${PAGE}\nendobj\n`;
    const xref = base.length + object.length;
    const pdf = Buffer.concat([
      base,
      Buffer.from(
        `${object}xref\n3 1\n${String(base.length).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${file.last.xrefOffset} >>\nstartxref\n${xref}\n%%EOF\n`,
        'latin1',
      ),
    ]);
    const updated = read(pdf);
    expect(updated.revisions.map((r) => [r.start, r.xrefOffset])).toEqual([
      [0, file.last.xrefOffset],
      [base.length, xref],
    ]);
  });

  it('a section whose startxref names another offset, or that has none, is no revision', () => {
    const base = classic();
    const prev = PdfFile.parse(base).last.xrefOffset;
    // Revision 1's startxref names 9, not its own table.
    const wrong = Buffer.from(
      base.toString('latin1').replace(`startxref\n${prev}\n`, 'startxref\n9\n'),
      'latin1',
    );
    refused(
      update(wrong, [[4, '(four)']], { prev }),
      'XREF_INVALID',
      `the cross-reference section at ${prev} is not a revision of its own`,
    );
    // Revision 1's startxref names 0 (as a linearized first page would).
    const zero = Buffer.from(
      base.toString('latin1').replace(`startxref\n${prev}\n`, 'startxref\n0\n'),
      'latin1',
    );
    refused(
      update(zero, [[4, '(four)']], { prev }),
      'XREF_INVALID',
      `the cross-reference section at ${prev} is not a revision of its own`,
    );
    // Revision 1 without startxref and %%EOF.
    const cut = Buffer.from(
      base.toString('latin1').replace(/startxref\n\d+\n%%EOF\n$/, ''),
      'latin1',
    );
    refused(
      update(cut, [[4, '(four)']], { prev }),
      'XREF_INVALID',
      `the cross-reference section at ${prev} is not a revision of its own`,
    );
    // Revision 1 with startxref but no %%EOF after it.
    const noEof = Buffer.from(base.toString('latin1').replace(/%%EOF\n$/, '%%EOX\n'), 'latin1');
    refused(update(noEof, [[4, '(four)']], { prev }), 'XREF_INVALID', 'no %%EOF after startxref');
  });

  /**
   * Two sections: Y (objects 1–3, no /Prev) and X (object 4, /Prev Y), in the file order given,
   * each followed by `startxref` naming what it is told, and, when `tail`, a last
   * `startxref X %%EOF`. Offsets are written with six digits, so they can be filled in after.
   */
  function twoSections(options: {
    order: 'YX' | 'XY';
    yNames: 'X' | 'Y';
    xNames: 'X' | 'zero';
    tail: boolean;
  }): { pdf: Buffer; x: number; y: number } {
    const six = (n: number) => String(n).padStart(6, '0');
    const build = (x: number, y: number) => {
      const p = new RawPdf();
      p.obj(1, CATALOG);
      p.obj(2, PAGES);
      p.obj(3, PAGE);
      const four = p.obj(4, '(four)');
      const sections = {
        Y: () => {
          const at = p.length;
          p.raw(
            `xref\n0 4\n${p
              .rows()
              .filter((r) => r.num < 4)
              .map((r) => tableEntry(r))
              .join(
                '',
              )}trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${six(options.yNames === 'X' ? x : y)}\n%%EOF\n`,
          );
          return at;
        },
        X: () => {
          const at = p.length;
          p.raw(
            `xref\n4 1\n${tableEntry({ num: 4, kind: 'n', offset: four })}trailer\n<< /Size 5 /Root 1 0 R /Prev ${six(y)} >>\nstartxref\n${six(options.xNames === 'X' ? x : 0)}\n%%EOF\n`,
          );
          return at;
        },
      };
      const [first, second] =
        options.order === 'YX' ? (['Y', 'X'] as const) : (['X', 'Y'] as const);
      const at = { [first]: sections[first](), [second]: sections[second]() } as Record<
        'X' | 'Y',
        number
      >;
      if (options.tail) {
        p.raw(`startxref\n${six(x)}\n%%EOF\n`);
      }
      return { pdf: p.bytes(), x: at.X, y: at.Y };
    };
    const { x, y } = build(0, 0);
    return build(x, y);
  }

  it('two sections in order, each naming itself, are two revisions', () => {
    const { pdf, x, y } = twoSections({ order: 'YX', yNames: 'Y', xNames: 'X', tail: false });
    const file = read(pdf);
    expect(file.revisions.map((r) => r.xrefOffset)).toEqual([y, x]);
    expect(textOf(file.lookup(PDFRef.of(4), 2))).toBe('four');
  });

  it.each([
    [
      'a /Prev that runs forward through the file',
      { order: 'XY', yNames: 'Y', xNames: 'X', tail: true },
      'X',
    ],
    [
      'a first section (Prev target) whose startxref names the later one',
      { order: 'XY', yNames: 'X', xNames: 'X', tail: false },
      'Y',
    ],
    [
      'a later section whose own startxref is 0, before its Prev target',
      { order: 'XY', yNames: 'Y', xNames: 'zero', tail: true },
      'X',
    ],
    [
      'an original whose startxref names the update after it, that names 0',
      { order: 'YX', yNames: 'X', xNames: 'zero', tail: true },
      'Y',
    ],
  ] as const)('%s is no revision of its own (nor a linearized file)', (_, options, which) => {
    const { pdf, x, y } = twoSections(options);
    refused(
      pdf,
      'XREF_INVALID',
      `the cross-reference section at ${which === 'X' ? x : y} is not a revision of its own`,
    );
  });

  it('512 sections are read; a 513th is refused', () => {
    let pdf = classic();
    // Each update defines the page again (an update listing nothing is refused for that).
    const update = (at: number, prev: number) => {
      const object = `3 0 obj\n${PAGE}\nendobj\n`;
      return `${object}xref\n3 1\n${String(at).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${at + object.length}\n%%EOF\n`;
    };
    const add = (base: Buffer) =>
      Buffer.concat([
        base,
        Buffer.from(update(base.length, PdfFile.parse(base).last.xrefOffset), 'latin1'),
      ]);
    let prev = PdfFile.parse(pdf).last.xrefOffset;
    const parts: Buffer[] = [pdf];
    let length = pdf.length;
    for (let i = 1; i < 512; i++) {
      const text = update(length, prev);
      prev = length + text.indexOf('xref');
      length += text.length;
      parts.push(Buffer.from(text, 'latin1'));
    }
    pdf = Buffer.concat(parts);
    expect(PdfFile.parse(pdf).revisions).toHaveLength(512);
    expect(() => PdfFile.parse(add(pdf))).toThrow('cross-reference sections form a loop');
  });
});

describe('linearization', () => {
  let linearized: Buffer;
  let folder: ReturnType<typeof tempFolder>;
  beforeAll(async () => {
    folder = tempFolder('awb-pdf-structure-');
    const input = join(folder.path, 'in.pdf');
    const output = join(folder.path, 'lin.pdf');
    writeFileSync(input, await letter());
    execFileSync('qpdf', ['--linearize', input, output]);
    linearized = readFileSync(output);
  });
  afterAll(() => folder.cleanup());

  /** The linearized letter with `from` (once) replaced by `to` of the same length. */
  const edited = (from: RegExp, to: (match: string) => string): Buffer => {
    const text = linearized.toString('latin1');
    const match = from.exec(text)![0];
    const replaced = to(match);
    expect(replaced.length).toBe(match.length);
    return Buffer.from(text.replace(from, replaced), 'latin1');
  };

  it('a linearized original is one revision: its first-page section and the main one', () => {
    const file = read(linearized);
    expect(file.revisions.map((r) => [r.number, r.start, r.end])).toEqual([
      [1, 0, linearized.length],
    ]);
    const first = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(linearized.toString('latin1'))![1];
    expect(file.revisions[0]!.xrefOffset).toBe(Number(first));
  });

  it('a stream first in the file naming /Linearized is refused (round 20au)', () => {
    const p = new RawPdf('%PDF-1.7\n');
    p.stream(4, '/Linearized 1 /L 1000', 'x');
    p.obj(1, CATALOG);
    p.obj(2, PAGES);
    p.obj(3, PAGE);
    p.table(p.rows(), '<< /Size 5 /Root 1 0 R >>');
    refused(p.bytes(), 'AMBIGUOUS_STRUCTURE', 'a stream first in the file that names /Linearized');
    const q = new RawPdf('%PDF-1.7\n');
    q.stream(4, '/Other 1', 'x');
    q.obj(1, CATALOG);
    q.obj(2, PAGES);
    q.obj(3, PAGE);
    q.table(q.rows(), '<< /Size 5 /Root 1 0 R >>');
    read(q.bytes());
  });

  it("a linearization dictionary whose /L is not the original's length is refused", () => {
    const pdf = edited(/\/L \d+/, (m) => `/L ${Number(m.slice(3)) - 1}`.padEnd(m.length, ' '));
    refused(
      pdf,
      'AMBIGUOUS_STRUCTURE',
      `a linearization dictionary whose first-page section or /L (${linearized.length - 1}) is not the original's (${linearized.length} bytes)`,
    );
  });

  it('a first-page section whose startxref is not 0 makes the file no linearized one', () => {
    const pdf = edited(/startxref\s+0\s+%%EOF/, (m) =>
      m.replace(/\s0\s/, (z) => z.replace('0', '7')),
    );
    refused(
      pdf,
      'XREF_INVALID',
      /^the cross-reference section at \d+ is not a revision of its own$/,
    );
  });

  /** A plain one-section file whose first object is a linearization dictionary with /L `l`. */
  function falselyLinearized(l: (length: number) => number): Buffer {
    const build = (value: number) => {
      const p = new RawPdf();
      p.obj(1, `<< /Linearized 1 /L ${String(value).padStart(8, '0')} >>`);
      p.obj(2, '<< /Type /Catalog /Pages 3 0 R >>');
      p.obj(3, '<< /Type /Pages /Kids [ 4 0 R ] /Count 1 >>');
      p.obj(4, '<< /Type /Page /Parent 3 0 R >>');
      p.table(p.rows(), '<< /Size 5 /Root 2 0 R >>');
      return p.bytes();
    };
    return build(l(build(0).length));
  }

  it('a linearization dictionary in a file not linearized is refused, whatever its /L', () => {
    for (const l of [(n: number) => n, (n: number) => n + 1]) {
      const pdf = falselyLinearized(l);
      refused(
        pdf,
        'AMBIGUOUS_STRUCTURE',
        /^a linearization dictionary whose first-page section or \/L \(\d+\) is not the original's \(\d+ bytes\)$/,
      );
    }
    const noL = Buffer.from(
      falselyLinearized((n) => n)
        .toString('latin1')
        .replace(/\/L \d{8}/, '/X 00000000'),
      'latin1',
    );
    refused(
      noL,
      'AMBIGUOUS_STRUCTURE',
      /^a linearization dictionary whose first-page section or \/L \(\?\) is not the original's/,
    );
  });
});

describe('resolving references', () => {
  it('follows a chain of at most 8 references', () => {
    const chain = (n: number) => {
      const bodies = [CATALOG, PAGES, PAGE];
      // Objects 4.. 4+n-1: each refers to the next; the last holds the value.
      for (let i = 0; i < n - 1; i++) {
        bodies.push(`${5 + i} 0 R`);
      }
      bodies.push('(end)');
      return PdfFile.parse(classic(bodies));
    };
    expect(textOf(chain(8).resolve(PDFRef.of(4), 1))).toBe('end');
    expect(chain(9).resolve(PDFRef.of(4), 1)).toBeUndefined();
    expect(chain(1).resolve(PDFRef.of(4), 1)?.toString()).toBe('(end)');
    // A loop ends too.
    const loop = PdfFile.parse(classic([CATALOG, PAGES, PAGE, '5 0 R', '4 0 R']));
    expect(loop.resolve(PDFRef.of(4), 1)).toBeUndefined();
  });

  it('the document information is read as each revision has it', () => {
    const base = classic([CATALOG, PAGES, PAGE, '<< /Title (First) >>'], {
      trailer: (size) => `<< /Size ${size} /Root 1 0 R /Info 4 0 R >>`,
    });
    const prev = PdfFile.parse(base).last.xrefOffset;
    const two = update(base, [[4, '<< /Title (Second) >>']], {
      trailer: `<< /Size 5 /Root 1 0 R /Info 4 0 R /Prev ${prev} >>`,
    });
    const file = read(two);
    expect(file.infoText('Title', 1)).toBe('First');
    expect(file.infoText('Title', 2)).toBe('Second');
    expect(file.infoText('Author', 2)).toBeNull();
    expect(PdfFile.parse(classic()).infoText('Title', 1)).toBeNull();
  });
});

describe('form fields and signature values', () => {
  const SIG =
    "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [ 0 10 20 30 ] /Contents <0A0B> /M (D:20240315142530+01'00') /Name (Anne) /Reason (Approved) /Location (Aarhus) >>";

  /** A catalog whose AcroForm lists `fields` (a PDF array body), with objects 4.. as given. */
  function form(fields: string, objects: string[] = []): PdfFile {
    return PdfFile.parse(
      classic([
        `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [ ${fields} ] >> >>`,
        PAGES,
        PAGE,
        ...objects,
      ]),
    );
  }

  it('a signed field merged with its widget: name, refs and every value of its signature', () => {
    const file = form('4 0 R', [`<< /FT /Sig /T (Signature1) /V 5 0 R /Subtype /Widget >>`, SIG]);
    const [field] = file.signatureFields(1);
    expect(field?.name).toBe('Signature1');
    expect(field?.fieldRef).toEqual(PDFRef.of(4));
    expect(field?.sigRef).toEqual(PDFRef.of(5));
    expect(field?.widgets).toEqual([PDFRef.of(4)]);
    const values = file.signatureValues(1);
    expect(values).toHaveLength(1);
    const value = values[0]!;
    expect(value).toMatchObject({
      field: 'Signature1',
      byteRange: [0, 10, 20, 30],
      subFilter: 'ETSI.CAdES.detached',
      filter: 'Adobe.PPKLite',
      claimedTime: '2024-03-15T13:25:30.000Z',
      name: 'Anne',
      reason: 'Approved',
      location: 'Aarhus',
      definedIn: 1,
    });
    expect([...value.contents!]).toEqual([10, 11]);
    const text = Buffer.from(file.bytes).toString('latin1');
    expect(value.contentsSpan).toEqual({
      start: text.indexOf('<0A0B>'),
      end: text.indexOf('<0A0B>') + '<0A0B>'.length,
    });
  });

  it('an unsigned field has no value; a non-signature field is no signature field', () => {
    const file = form('4 0 R 5 0 R', [
      '<< /FT /Sig /T (Empty) >>',
      '<< /FT /Tx /T (Text) /V (x) >>',
    ]);
    expect(file.signatureFields(1).map((f) => [f.name, f.sig])).toEqual([['Empty', null]]);
    expect(file.signatureValues(1)).toEqual([]);
  });

  it("names join the parents' /T with dots; /FT is inherited; widgets are the kids without /T", () => {
    const file = form('4 0 R', [
      '<< /T (Form) /FT /Sig /Kids [ 5 0 R ] >>',
      '<< /T (Sig1) /Kids [ 6 0 R 7 0 R << /Subtype /Widget >> ] >>',
      '<< /Subtype /Widget >>',
      '<< /Subtype /Widget >>',
    ]);
    const fields = file.signatureFields(1);
    expect(fields.map((f) => [f.name, f.widgets])).toEqual([
      ['Form.Sig1', [PDFRef.of(6), PDFRef.of(7)]],
    ]);
  });

  it('a kid that is no dictionary is no field: a reference to one is a widget', () => {
    const file = form('4 0 R', ['<< /T (S) /FT /Sig /Kids [ 5 0 R 42 ] >>', '42']);
    expect(file.signatureFields(1).map((f) => [f.name, f.widgets])).toEqual([
      ['S', [PDFRef.of(5)]],
    ]);
  });

  it('a direct field without /T is named by its parent (here: nothing), and has no widget', () => {
    const file = form(`<< /FT /Sig /V 4 0 R >>`, [SIG]);
    const fields = file.signatureFields(1);
    expect(fields.map((f) => [f.name, f.fieldRef, f.widgets])).toEqual([['', null, []]]);
    expect(file.signatureValues(1)[0]?.definedIn).toBe(1);
  });

  it('fields that are not dictionaries are skipped; without a catalog there are none', () => {
    expect(form('7 (x) /Name').signatureFields(1)).toEqual([]);
    const noCatalog = PdfFile.parse(classic(['42', PAGES, PAGE]));
    expect(noCatalog.signatureFields(1)).toEqual([]);
    expect(noCatalog.pageRefs(1)).toEqual(new Set());
  });

  it('fields nest 32 deep at most, and number 4096 at most', () => {
    const nested = (depth: number) => {
      let field = '<< /T (leaf) /FT /Sig >>';
      for (let i = 0; i < depth; i++) {
        field = `<< /T (f${i}) /Kids [ ${field} ] >>`;
      }
      return form(field);
    };
    expect(nested(32).signatureFields(1)).toHaveLength(1);
    expect(() => nested(33).signatureFields(1)).toThrow(
      'form fields nested too deeply or too many',
    );
    const many = (n: number) =>
      form(Array.from({ length: n }, (_, i) => `<< /T (s${i}) /FT /Sig >>`).join(' '));
    expect(many(4096).signatureFields(1)).toHaveLength(4096);
    expect(() => many(4097).signatureFields(1)).toThrow(
      'form fields nested too deeply or too many',
    );
  });

  it('a /ByteRange is four numbers (read through a reference too), else null', () => {
    const value = (byteRange: string, extra: string[] = []) =>
      form('4 0 R', [
        `<< /FT /Sig /T (S) /V << /ByteRange ${byteRange} /Contents <00> >> >>`,
        ...extra,
      ]).signatureValues(1)[0]!.byteRange;
    expect(value('[ 0 1 2 3 ]')).toEqual([0, 1, 2, 3]);
    expect(value('5 0 R', ['[ 4 5 6 7 ]'])).toEqual([4, 5, 6, 7]);
    expect(value('[ 0 1 2 ]')).toBeNull();
    expect(value('[ 0 1 2 3 4 ]')).toBeNull();
    expect(value('[ 0 1 (2) 3 ]')).toBeNull();
    expect(value('(0 1 2 3)')).toBeNull();
    // Integers written as integers (round 20aw: poppler refuses `1.0` there, pdf-lib reads 1).
    expect(value('[ 0 1.0 2 3 ]')).toBeNull();
    expect(value('[ 0 1 2 3.5 ]')).toBeNull();
  });

  it('whether a time is written, and whether it reads as a date (round 20aw)', () => {
    const value = (m: string) =>
      form('4 0 R', [
        `<< /FT /Sig /T (S) /V << /ByteRange [ 0 1 2 3 ] /Contents <00>${m} >> >>`,
      ]).signatureValues(1)[0]!;
    expect(value('')).toMatchObject({ claimedTime: null, timeWritten: false });
    expect(value(' /M (D:20250101120000Z)')).toMatchObject({
      claimedTime: '2025-01-01T12:00:00.000Z',
      timeWritten: true,
    });
    expect(value(' /M (20250101120000Z)')).toMatchObject({ claimedTime: null, timeWritten: true });
    expect(value(' /M 7')).toMatchObject({ claimedTime: null, timeWritten: true });
  });

  it('an indirect /Contents has no span: it sits elsewhere', () => {
    const file = form('4 0 R', [
      '<< /FT /Sig /T (S) /V << /ByteRange [ 0 1 2 3 ] /Contents 5 0 R >> >>',
      '<0A>',
    ]);
    const value = file.signatureValues(1)[0]!;
    expect(value.contents).toBeNull();
    expect(value.contentsSpan).toBeNull();
  });

  it('a signature is defined in the revision that wrote its dictionary (or its field)', () => {
    const base = classic([
      `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [ 4 0 R 6 0 R ] >> >>`,
      PAGES,
      PAGE,
      '<< /FT /Sig /T (A) /V 5 0 R >>',
      SIG,
      '<< /FT /Sig /T (B) /V << /ByteRange [ 0 1 2 3 ] /Contents <00> >> >>',
    ]);
    const two = update(base, [[5, SIG.replace('(Anne)', '(Bo)')]]);
    const file = read(two);
    const values = file.signatureValues(2);
    expect(values.map((v) => [v.field, v.definedIn, v.name])).toEqual([
      ['A', 2, 'Bo'],
      ['B', 1, null],
    ]);
    expect(file.signatureValues(1).map((v) => [v.field, v.definedIn, v.name])).toEqual([
      ['A', 1, 'Anne'],
      ['B', 1, null],
    ]);
    // Called with a field it never saw: the revision asked about.
    const dict = file.signatureFields(2)[0]!.sig!;
    expect(
      file.signatureValue(
        { name: 'X', fieldRef: PDFRef.of(40), sigRef: null, sig: dict, widgets: [] },
        2,
      ).definedIn,
    ).toBe(2);
    expect(
      file.signatureValue(
        { name: 'X', fieldRef: null, sigRef: PDFRef.of(41), sig: dict, widgets: [] },
        2,
      ).definedIn,
    ).toBe(2);
  });
});

describe('the page tree', () => {
  it('pages are found 32 levels down, not 33; a node without kids is a page, as readers take it; direct ones add nothing', () => {
    const tree = (depth: number) => {
      // Object 2 is the root; 4.. are intermediate nodes; the page is the last object.
      const bodies = [CATALOG];
      const pageNum = depth + 3;
      bodies.push(`<< /Type /Pages /Kids [ ${depth === 1 ? pageNum : 4} 0 R ] >>`);
      bodies.push('<< /Type /Pages /Kids [ ] >>');
      for (let i = 4; i < pageNum; i++) {
        bodies.push(`<< /Type /Pages /Kids [ ${i + 1 === pageNum ? pageNum : i + 1} 0 R ] >>`);
      }
      bodies.push('<< /Type /Page >>');
      return PdfFile.parse(classic(bodies));
    };
    expect(tree(1).pageRefs(1)).toEqual(new Set([4]));
    expect(tree(32).pageRefs(1)).toEqual(new Set([35]));
    expect(tree(33).pageRefs(1)).toEqual(new Set());
    const odd = PdfFile.parse(
      classic([
        CATALOG,
        '<< /Type /Pages /Kids [ 3 0 R 4 0 R << /Type /Page >> 5 0 R 6 0 R 7 0 R 8 0 R ] >>',
        PAGE,
        '<< /Type /Pages >>',
        '42',
        '<< /Kids [ ] >>',
        '<< /Type 9 0 R /Kids [ ] >>',
        '<< /Kids 10 0 R >>',
        '/Page',
        '[ ]',
      ]),
    );
    // 4 has no kids: poppler and pdf.js draw it as a page. 7's type, by reference, is Page; 8's
    // kids, by reference, are none.
    expect(odd.pageRefs(1)).toEqual(new Set([3, 4, 7]));
  });
});

describe('the page tree walk', () => {
  it('visits 100,000 nodes at most: a page after 99,998 empty kids is found, after 99,999 not', () => {
    const tree = (empty: number) =>
      PdfFile.parse(
        classic([
          CATALOG,
          `<< /Type /Pages /Kids [ ${'4 0 R '.repeat(empty)}3 0 R ] >>`,
          PAGE,
          '<< /Type /Pages /Kids [ ] >>',
        ]),
      ).pageRefs(1);
    expect(tree(99_998)).toEqual(new Set([3]));
    expect(tree(99_999)).toEqual(new Set());
  });
});

describe('the page tree is exact in every revision, as every reader reads it', () => {
  /**
   * The letter's objects: catalog, root node (pdf-lib writes `/Kids [ page ] /Count 1`) and its
   * one page, whose body (with /Resources and /Contents) a forger copies; `size` is the first
   * free object number.
   */
  async function parts() {
    const pdf = await letter();
    const { pages, page, size } = anatomy(pdf);
    return { pdf, pages, page, size, pageBody: body(pdf, page) };
  }

  /** The page body with /Parent `parent` and, when given, its /Contents replaced. */
  const reparent = (pageBody: string, parent: number, contents?: number) => {
    const moved = pageBody.replace(/\/Parent \d+ 0 R/, `/Parent ${parent} 0 R`);
    return contents === undefined
      ? moved
      : moved.replace(/\/Contents \[ \d+ 0 R \]/, `/Contents ${contents} 0 R`);
  };

  it('a /Count too small: a node of /Count 0 holding a REFUSED page before the APPROVED one (poppler shows it as page 1, pdf.js skips it)', async () => {
    const { pdf, pages, page, size, pageBody } = await parts();
    const mid = size;
    const forged = appendUpdate(pdf, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${mid} 0 R ${page} 0 R ] /Count 1 >>` },
      {
        num: mid,
        body: `<< /Type /Pages /Parent ${pages} 0 R /Kids [ ${mid + 1} 0 R ] /Count 0 >>`,
      },
      { num: mid + 1, body: reparent(pageBody, mid, mid + 2) },
      { num: mid + 2, body: stream('DECISION: REFUSED') },
    ]);
    refused(
      forged,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${mid} has /Count 0 where 1 page lies under it`,
    );
  });

  it('a /Count too large: the root counting two pages where it holds one (readers order and number pages differently)', async () => {
    const { pdf, pages, page } = await parts();
    const forged = appendUpdate(pdf, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${page} 0 R ] /Count 2 >>` },
    ]);
    refused(
      forged,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${pages} has /Count 2 where 1 page lies under it`,
    );
  });

  it('a page whose /Parent is not the node listing it: no /Resources of its own, a font defined differently by each (poppler inherits from the node it walked, pdf.js through /Parent)', async () => {
    const { pdf, pages, page, size, pageBody } = await parts();
    const mid = size;
    const resources = /\/Resources <<[\s\S]*?>>\s*>>/.exec(pageBody)![0];
    const bare = pageBody.replace(resources, '');
    const forged = appendUpdate(pdf, [
      // The root (where /Parent points) keeps the letter's resources; the node listing the page
      // defines /F1 as another font.
      {
        num: pages,
        body: `<< /Type /Pages /Kids [ ${mid} 0 R ] /Count 1 ${resources} >>`,
      },
      {
        num: mid,
        body: `<< /Type /Pages /Parent ${pages} 0 R /Kids [ ${page} 0 R ] /Count 1 /Resources << /Font << /F1 ${mid + 1} 0 R >> >> >>`,
      },
      { num: mid + 1, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>' },
      { num: page, body: bare },
    ]);
    expect(bare).toContain(`/Parent ${pages} 0 R`);
    expect(bare).not.toContain('/Resources');
    refused(
      forged,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${page}, listed by node ${mid}, has /Parent ${pages} 0 R`,
    );
  });

  it('an update that rewrites only the page, its /Parent another object, is walked again', async () => {
    const { pdf, pages, page, pageBody } = await parts();
    const { root } = anatomy(pdf);
    const forged = appendUpdate(pdf, [{ num: page, body: reparent(pageBody, root) }]);
    refused(
      forged,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${page}, listed by node ${pages}, has /Parent ${root} 0 R`,
    );
  });

  it('a node listed twice (the page twice, /Count 2 as the kids are written)', async () => {
    const { pdf, pages, page } = await parts();
    const forged = appendUpdate(pdf, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${page} 0 R ${page} 0 R ] /Count 2 >>` },
    ]);
    refused(
      forged,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${page} is listed twice`,
    );
  });

  it('a tree broken in an earlier revision and mended in the next is still refused (every revision)', async () => {
    const { pdf, pages, page } = await parts();
    const broken = appendUpdate(pdf, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${page} 0 R ] /Count 2 >>` },
    ]);
    const mended = appendUpdate(broken, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${page} 0 R ] /Count 1 >>` },
    ]);
    refused(
      mended,
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 2: node ${pages} has /Count 2 where 1 page lies under it`,
    );
  });

  it('an honest two-level tree (a /Count by reference too) is read, its pages in order', async () => {
    const { pdf, pages, page, size, pageBody } = await parts();
    const [a, b, second, third, count] = [size, size + 1, size + 2, size + 3, size + 4];
    const honest = appendUpdate(pdf, [
      { num: pages, body: `<< /Type /Pages /Kids [ ${a} 0 R ${b} 0 R ] /Count 3 >>` },
      { num: a, body: `<< /Type /Pages /Parent ${pages} 0 R /Kids [ ${page} 0 R ] /Count 1 >>` },
      {
        num: b,
        body: `<< /Type /Pages /Parent ${pages} 0 R /Kids [ ${second} 0 R ${third} 0 R ] /Count ${count} 0 R >>`,
      },
      { num: page, body: reparent(pageBody, a) },
      { num: second, body: reparent(pageBody, b) },
      { num: third, body: reparent(pageBody, b) },
      { num: count, body: '2' },
    ]);
    const file = read(honest);
    expect([...file.pageRefs(2)]).toEqual([page, second, third]);
    // The letter as pdf-lib writes it, and a revision that leaves the tree alone.
    expect(read(pdf).pageRefs(1)).toEqual(new Set([page]));
    expect(verdict(appendUpdate(honest, [{ num: size + 5, body: '(x)' }]))).toBe('read');
  });

  it.each([
    [
      'a root with a /Parent',
      ['<< /Type /Pages /Kids [ 3 0 R ] /Count 1 /Parent 1 0 R >>', PAGE],
      'the root node 2 has a /Parent',
    ],
    [
      'a node without /Count',
      ['<< /Type /Pages /Kids [ 3 0 R ] >>', PAGE],
      'node 2 has no integer /Count where 1 page lies under it',
    ],
    [
      'a /Count that is no integer',
      ['<< /Type /Pages /Kids [ 3 0 R ] /Count 1.5 >>', PAGE],
      'node 2 has /Count 1.5 where 1 page lies under it',
    ],
    [
      'a kid written in place',
      ['<< /Type /Pages /Kids [ << /Type /Page /Parent 2 0 R >> ] /Count 1 >>'],
      'node 2 lists a kid that is not a reference',
    ],
    [
      '/Kids that are no array',
      ['<< /Type /Pages /Kids 3 0 R /Count 0 >>', '(x)'],
      'node 2 has /Kids that are not an array',
    ],
    [
      'a kid that is no dictionary',
      ['<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>', '42'],
      'node 3 is not a dictionary',
    ],
    [
      'a page without /Parent',
      ['<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>', '<< /Type /Page >>'],
      'node 3, listed by node 2, has no /Parent',
    ],
    [
      'a page whose /Parent is written in place',
      [
        '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>',
        '<< /Type /Page /Parent << /Type /Pages >> >>',
      ],
      'node 3, listed by node 2, has a /Parent that is no reference',
    ],
    [
      'the root listed below itself',
      ['<< /Type /Pages /Kids [ 2 0 R ] /Count 1 >>'],
      'node 2 is listed twice',
    ],
  ])('%s is refused', (_, bodies, detail) => {
    refused(
      classic([CATALOG, ...bodies]),
      'AMBIGUOUS_STRUCTURE',
      `the page tree of revision 1: ${detail}`,
    );
  });

  it('a catalog whose /Pages is no reference is refused; one without /Pages has no tree to check', () => {
    refused(
      classic(['<< /Type /Catalog /Pages << /Type /Pages /Kids [ ] /Count 0 >> >>']),
      'AMBIGUOUS_STRUCTURE',
      "the page tree of revision 1: the catalog's /Pages is not a reference",
    );
    expect(verdict(classic(['<< /Type /Catalog >>']))).toBe('read');
  });

  it('a tree 32 levels deep is read; 33 levels (pages pageRefs would not find) are refused', () => {
    const tree = (depth: number) => {
      // Object 2 is the root, 3.. the nodes below it, the page the last object.
      const bodies = [CATALOG];
      const pageNum = depth + 2;
      for (let num = 2; num < pageNum; num++) {
        bodies.push(
          `<< /Type /Pages${num > 2 ? ` /Parent ${num - 1} 0 R` : ''} /Kids [ ${num + 1} 0 R ] /Count 1 >>`,
        );
      }
      bodies.push(`<< /Type /Page /Parent ${pageNum - 1} 0 R >>`);
      return classic(bodies);
    };
    expect(read(tree(32)).pageRefs(1)).toEqual(new Set([34]));
    refused(
      tree(33),
      'AMBIGUOUS_STRUCTURE',
      'the page tree of revision 1: node 35 lies deeper than 32 levels',
    );
  });
});

describe('text and dates', () => {
  it('textOf reads strings and hex strings, nothing else', () => {
    expect(textOf(PDFString.of('abc'))).toBe('abc');
    expect(textOf(PDFNumber.of(1))).toBeNull();
    expect(textOf(undefined)).toBeNull();
  });

  it.each([
    ['D:2024', '2024-01-01T00:00:00.000Z'],
    ['D:202403', '2024-03-01T00:00:00.000Z'],
    ['D:20240315', '2024-03-15T00:00:00.000Z'],
    ['D:2024031514', '2024-03-15T14:00:00.000Z'],
    ['D:202403151425', '2024-03-15T14:25:00.000Z'],
    ['D:20240315142530', '2024-03-15T14:25:30.000Z'],
    ['D:20240315142530Z', '2024-03-15T14:25:30.000Z'],
    ['D:20240315142530z', '2024-03-15T14:25:30.000Z'],
    ["D:20240315142530Z00'00'", '2024-03-15T14:25:30.000Z'],
    ["D:20240315142530+01'00'", '2024-03-15T13:25:30.000Z'],
    ["D:20240315142530-05'30'", '2024-03-15T19:55:30.000Z'],
    ["D:20240315142530+23'59'", '2024-03-14T14:26:30.000Z'],
    ["D:20240315142530+01'30", '2024-03-15T12:55:30.000Z'],
    ['D:20240315142530+0130', '2024-03-15T12:55:30.000Z'],
    ["D:20240315142530+01'", '2024-03-15T13:25:30.000Z'],
    ['D:20240315142530+01', '2024-03-15T13:25:30.000Z'],
    ['D:20240315142530-', '2024-03-15T14:25:30.000Z'],
    ['  D:20240315142530Z  ', '2024-03-15T14:25:30.000Z'],
  ])('%j is %s', (text, iso) => {
    expect(pdfDate(text)).toBe(iso);
  });

  it("a date without an offset (or with Z) is UTC, whatever the machine's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      expect(pdfDate('D:20240315142530')).toBe('2024-03-15T14:25:30.000Z');
      expect(pdfDate('D:20240315142530Z')).toBe('2024-03-15T14:25:30.000Z');
    } finally {
      if (zone === undefined) {
        delete process.env.TZ;
      } else {
        process.env.TZ = zone;
      }
    }
  });

  it.each([
    [null],
    [''],
    ['20240315'],
    ['xD:20240315'],
    ['D:2024x'],
    ['D:20240315142530X'],
    ['D:202'],
    ['D:20241340'],
    ['D:2024031514253'],
    // An offset of a day or more is no time zone (round 20aw: pdfsig shows the time moved).
    ["D:20250101120000+24'00'"],
    ["D:20250101120000+25'00'"],
    ["D:20250101120000-13'60'"],
  ])('%j is no date', (text) => {
    expect(pdfDate(text)).toBeNull();
  });
});

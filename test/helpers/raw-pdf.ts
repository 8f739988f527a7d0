/**
 * PDFs written byte by byte for the structure reader's rules (test/integration/
 * pdf-structure-rules.test.ts): objects at known offsets, cross-reference tables, cross-reference
 * streams and object streams, each written exactly as given — so a test can put one wrong byte
 * where a forger would.
 */
import { deflateSync } from 'node:zlib';
import { PdfFile, PdfStructureError } from '../../electron/signing/pdf-structure';

/** One cross-reference entry as written: in use at an offset, free, or in an object stream. */
export type Row =
  | { num: number; kind: 'n'; offset: number; gen?: number }
  | { num: number; kind: 'f'; gen?: number; next?: number }
  | { num: number; kind: 'c'; stream: number; index: number };

/** A file written piece by piece, remembering where each object was put. */
export class RawPdf {
  private readonly parts: Buffer[] = [];
  length = 0;
  readonly at = new Map<number, number>();

  constructor(header = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n') {
    this.raw(header);
  }

  /** Appends bytes as they are; returns where they start. */
  raw(data: string | Uint8Array): number {
    const start = this.length;
    const buffer = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    this.parts.push(buffer);
    this.length += buffer.length;
    return start;
  }

  /** `num gen obj <body> endobj`; returns its offset. */
  obj(num: number, body: string | Uint8Array, gen = 0): number {
    const start = this.raw(`${num} ${gen} obj\n`);
    this.raw(body);
    this.raw('\nendobj\n');
    this.at.set(num, start);
    return start;
  }

  /** A stream object holding `data` with `/Length` of its size, `dict` the rest of its keys. */
  stream(num: number, dict: string, data: Uint8Array | string, length?: string): number {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    return this.obj(
      num,
      Buffer.concat([
        Buffer.from(`<< ${dict} /Length ${length ?? bytes.length} >>\nstream\n`, 'latin1'),
        bytes,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  }

  /** Rows for object 0 (free) and every object placed so far, `extra` replacing or adding rows. */
  rows(extra: Row[] = []): Row[] {
    const rows = new Map<number, Row>([[0, { num: 0, kind: 'f', gen: 65535 }]]);
    for (const [num, offset] of this.at) {
      rows.set(num, { num, kind: 'n', offset });
    }
    for (const row of extra) {
      rows.set(row.num, row);
    }
    return [...rows.values()].sort((a, b) => a.num - b.num);
  }

  /**
   * A cross-reference table of `rows` (consecutive numbers in one subsection), `trailer`, and
   * `startxref` naming it (or `startxref` as given); returns the table's offset.
   */
  table(rows: Row[], trailer: string, options: { startxref?: number | null; eof?: string } = {}) {
    const xref = this.length;
    let out = 'xref\n';
    const groups: Row[][] = [];
    for (const row of rows) {
      const group = groups.at(-1);
      if (group && group.at(-1)!.num + 1 === row.num) {
        group.push(row);
      } else {
        groups.push([row]);
      }
    }
    for (const group of groups) {
      out += `${group[0]!.num} ${group.length}\n`;
      for (const row of group) {
        out += tableEntry(row);
      }
    }
    out += `trailer\n${trailer}\n`;
    this.raw(out);
    if (options.startxref !== null) {
      this.raw(`startxref\n${options.startxref ?? xref}\n${options.eof ?? '%%EOF\n'}`);
    }
    return xref;
  }

  /**
   * A cross-reference stream object `num` holding `rows` in widths `w`, its dictionary `dict`
   * beside /Type /XRef /W /Index (and /Filter /FlateDecode unless `plain`), and `startxref`
   * naming it unless `startxref` is null; returns its offset.
   */
  xrefStream(
    num: number,
    rows: Row[],
    dict: string,
    options: {
      w?: [number, number, number];
      plain?: boolean;
      predictor?: { type: number; parms?: string };
      index?: string;
      startxref?: number | null;
      data?: (data: Buffer) => Buffer;
    } = {},
  ): number {
    const w = options.w ?? [1, 4, 2];
    const values = rows.map((row) =>
      row.kind === 'f'
        ? [0, row.next ?? 0, row.gen ?? 0]
        : row.kind === 'n'
          ? [1, row.offset, row.gen ?? 0]
          : [2, row.stream, row.index],
    );
    const table = values.map((v) => v.flatMap((value, i) => bigEndian(value, w[i]!)));
    let data: Buffer = Buffer.from(table.flat());
    let parms = '';
    if (options.predictor) {
      data = pngPredict(table, options.predictor.type);
      parms = ` /DecodeParms ${options.predictor.parms ?? `<< /Predictor 12 /Columns ${w[0] + w[1] + w[2]} >>`}`;
    }
    if (!options.plain) {
      data = deflateSync(data);
    }
    data = options.data ? options.data(data) : data;
    const index = options.index ?? `[ ${indexOf(rows)} ]`;
    const offset = this.stream(
      num,
      `/Type /XRef /W [ ${w.join(' ')} ] /Index ${index}${options.plain ? '' : ' /Filter /FlateDecode'}${parms} ${dict}`,
      data,
    );
    if (options.startxref !== null) {
      this.raw(`startxref\n${options.startxref ?? offset}\n%%EOF\n`);
    }
    return offset;
  }

  /** An object stream `num` holding `objects` (number and body), its header as written. */
  objectStream(
    num: number,
    objects: [number, string][],
    options: { header?: string; dict?: string; n?: string | null; first?: string | null } = {},
  ): number {
    let body = '';
    const offsets: number[] = [];
    for (const [, text] of objects) {
      offsets.push(body.length);
      body += `${text}\n`;
    }
    const header = options.header ?? `${objects.map(([n], i) => `${n} ${offsets[i]}`).join(' ')}\n`;
    return this.stream(
      num,
      `/Type /ObjStm${options.n === null ? '' : ` /N ${options.n ?? objects.length}`}${options.first === null ? '' : ` /First ${options.first ?? header.length}`}${options.dict ?? ''}`,
      header + body,
    );
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** One 20-byte table entry. */
export function tableEntry(row: Row, eol = '\r\n'): string {
  if (row.kind === 'c') {
    throw new Error('a table cannot list an object in an object stream');
  }
  const first = row.kind === 'n' ? row.offset : (row.next ?? 0);
  return `${String(first).padStart(10, '0')} ${String(row.gen ?? 0).padStart(5, '0')} ${row.kind}${eol}`;
}

function bigEndian(value: number, width: number): number[] {
  return Array.from({ length: width }, (_, k) => Math.floor(value / 256 ** (width - 1 - k)) % 256);
}

/** /Index pairs for `rows`: one range per run of consecutive numbers. */
function indexOf(rows: Row[]): string {
  const pairs: [number, number][] = [];
  for (const row of rows) {
    const last = pairs.at(-1);
    if (last && last[0] + last[1] === row.num) {
      last[1]++;
    } else {
      pairs.push([row.num, 1]);
    }
  }
  return pairs.map(([a, b]) => `${a} ${b}`).join(' ');
}

/** PNG-predicts `rows` (one byte per pixel) with row filter `type` (0–4) on every row. */
export function pngPredict(rows: number[][], type: number): Buffer {
  const out: number[] = [];
  rows.forEach((row, r) => {
    out.push(type);
    row.forEach((value, c) => {
      const left = c > 0 ? row[c - 1]! : 0;
      const up = r > 0 ? rows[r - 1]![c]! : 0;
      const upLeft = r > 0 && c > 0 ? rows[r - 1]![c - 1]! : 0;
      let base = 0;
      if (type === 1) {
        base = left;
      } else if (type === 2) {
        base = up;
      } else if (type === 3) {
        base = (left + up) >> 1;
      } else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        base = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out.push((value - base + 256) % 256);
    });
  });
  return Buffer.from(out);
}

/** What the reader makes of a file: 'read', or the reason and detail it is refused with. */
export function verdict(pdf: Uint8Array): 'read' | { reason: string; detail: string } {
  try {
    const ambiguity = PdfFile.parse(pdf).ambiguity();
    return ambiguity ? { reason: ambiguity.reason, detail: ambiguity.detail } : 'read';
  } catch (error) {
    if (error instanceof PdfStructureError) {
      return { reason: error.reason, detail: error.detail };
    }
    throw error;
  }
}

/**
 * Features that make readers show a letter differently (optional content, print-only
 * annotations, hidden text, fonts a reader cannot load…), each a row with the detail the
 * verifier names it by; and the tools to add one to a letter, after signing or before. Used by
 * the forgery table (signed letters, verifyPdf) and by the static-content rules (the reader
 * alone, fast enough to run under mutation).
 */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { expect } from 'vitest';
import { anatomy, body } from './forge';
import { appendUpdate, letter } from './pdf';

// ---- editing object bodies as pdf-lib writes them ---------------------------------------------

/** `text` (a dictionary) with `entry` added before its closing `>>`. */
export const withEntry = (text: string, entry: string): string => {
  const at = text.lastIndexOf('>>');
  expect(at, text).toBeGreaterThan(0);
  return `${text.slice(0, at)}${entry}\n${text.slice(at)}`;
};

/** `text` with `ref` added to the array under `key` (created when absent). */
export function listWith(text: string, key: string, ref: string): string {
  const re = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`);
  return re.test(text)
    ? text.replace(re, (_, inner: string) => `/${key} [${inner} ${ref} ]`)
    : withEntry(text, `/${key} [ ${ref} ]`);
}

/** `text` with `entry` added to the sub-dictionary under `key` (created when absent). */
export function subWith(text: string, key: string, entry: string): string {
  const re = new RegExp(`/${key}\\s*<<`);
  return re.test(text)
    ? text.replace(re, (m) => `${m} ${entry}`)
    : withEntry(text, `/${key} << ${entry} >>`);
}

/** A whole JPEG of 2 × 2 white pixels: baseline, 8 bits, 3 components (YCbCr). */
export const WHITE_JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAAD//Z',
  'base64',
).toString('latin1');

export const streamObject = (ops: string, dict = '') =>
  `<< ${dict} /Length ${ops.length} >>\nstream\n${ops}\nendstream`;

/**
 * `ops` drawn on the letter's page in a stream of its own (object `content`), with `entry`
 * added to the page's `kind` resources (or to its resource dictionary itself: `'Resources'`).
 */
export function drawnWith(
  pdf: Buffer,
  content: number,
  kind: string,
  entry: string,
  ops: string,
): { num: number; body: string }[] {
  const a = anatomy(pdf);
  return [
    { num: content, body: streamObject(ops) },
    {
      num: a.page,
      body: listWith(subWith(body(pdf, a.page), kind, entry), 'Contents', `${content} 0 R`),
    },
  ];
}

/** The objects a row adds to `pdf`, given fresh object numbers from `n`. */
export type Feature = (pdf: Buffer, n: () => number) => { num: number; body: string }[];

/** A line the page strokes with a graphics state /GS9 of `entries`. */
export const strokedWith =
  (entries: string): Feature =>
  (pdf, n) =>
    drawnWith(
      pdf,
      n(),
      'ExtGState',
      `/GS9 << /Type /ExtGState ${entries} >>`,
      '/GS9 gs 72 600 m 300 600 l S\n',
    );

/** An image of `data` (an XObject whose dictionary ends with `dict`), drawn after `before`. */
export const imageDrawn =
  (data: string, dict: string, before: (pdf: Buffer) => string = () => ''): Feature =>
  (pdf, n) => {
    const image = n();
    return [
      { num: image, body: streamObject(data, `/Type /XObject /Subtype /Image ${dict}`) },
      ...drawnWith(
        pdf,
        n(),
        'XObject',
        `/Im9 ${image} 0 R`,
        `${before(pdf)}q 300 0 0 20 70 695 cm /Im9 Do Q\n`,
      ),
    ];
  };

/** The letter's font (Helvetica), as its page names it: [resource name, object number]. */
export function fontOf(pageBody: string): [string, number] {
  const m = /\/(Helvetica-\d+) (\d+) 0 R/.exec(pageBody);
  expect(m, pageBody).not.toBeNull();
  return [m![1]!, Number(m![2])];
}

/** A form XObject drawing `text` in a white box of 300 × 30. */
export const formDrawing = (font: number, text: string) =>
  streamObject(
    `q 1 1 1 rg 0 0 300 30 re f 0 0 0 rg BT /F1 18 Tf 2 8 Td (${text}) Tj ET Q`,
    `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
  );

/** The page with `annot` added to its annotations. */
export const annotated: (
  annot: (pdf: Buffer, n: () => number) => { num: number; body: string }[],
) => Feature = (annot) => (pdf, n) => {
  const a = anatomy(pdf);
  const objects = annot(pdf, n);
  return [
    ...objects,
    { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${objects[0]!.num} 0 R`) },
  ];
};

/** The page drawing more, in streams of its own: `ops` given the letter's font name. */
export const drawing =
  (ops: (font: string) => string[]): Feature =>
  (pdf, n) => {
    const a = anatomy(pdf);
    let page = body(pdf, a.page);
    const [font] = fontOf(page);
    const streams = ops(font).map((text) => ({ num: n(), body: streamObject(text) }));
    for (const stream of streams) {
      page = listWith(page, 'Contents', `${stream.num} 0 R`);
    }
    return [...streams, { num: a.page, body: page }];
  };

/** The page tree node above the letter's page, with `entry` added. */
export const pagesWith = (pdf: Buffer, entry: string) => {
  const pages = Number(/\/Parent (\d+) 0 R/.exec(body(pdf, anatomy(pdf).page))![1]);
  return { num: pages, body: withEntry(body(pdf, pages), entry) };
};

/** The catalog with `entry` added. */
export const catalogWith = (pdf: Buffer, entry: string) => {
  const a = anatomy(pdf);
  return { num: a.root, body: withEntry(body(pdf, a.root), entry) };
};

/**
 * A text field "Decision" on the page: its /V says APPROVED, its appearance REFUSED. Listed in the
 * form (the catalog's, made when the letter has none).
 */
export const textField: Feature = (pdf, n) => {
  const a = anatomy(pdf);
  const [, font] = fontOf(body(pdf, a.page));
  const widget = n();
  const ap = n();
  const out = [
    {
      num: widget,
      body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T (Decision) /V (APPROVED) /DA (/F1 18 Tf 0 g) /Rect [ 170 736 370 762 ] /F 4 /Ff 1 /P ${a.page} 0 R /AP << /N ${ap} 0 R >> >>`,
    },
    { num: ap, body: formDrawing(font, 'REFUSED') },
    { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${widget} 0 R`) },
  ];
  if (a.form !== null) {
    out.push({ num: a.form, body: listWith(body(pdf, a.form), 'Fields', `${widget} 0 R`) });
  } else {
    out.push(catalogWith(pdf, `/AcroForm << /Fields [ ${widget} 0 R ] /DA (/F1 12 Tf 0 g) >>`));
  }
  return out;
};

/** A signature field never signed, with flags `flags`, whose block says APPROVED. */
export const signatureWidget =
  (
    flags: string,
    appearance?: (font: number, n: () => number) => [string, ...{ num: number; body: string }[]],
    listed = true,
  ): Feature =>
  (pdf, n) => {
    const a = anatomy(pdf);
    const [, font] = fontOf(body(pdf, a.page));
    const widget = n();
    const [ap, ...drawings] = appearance
      ? appearance(font, n)
      : ((num: number) =>
          [`/N ${num} 0 R`, { num, body: formDrawing(font, 'DECISION: APPROVED') }] as const)(n());
    const out = [
      {
        num: widget,
        body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature9) ${flags} /Rect [ 70 735 370 765 ] /P ${a.page} 0 R /AP << ${ap} >> >>`,
      },
      ...drawings,
      { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${widget} 0 R`) },
    ];
    if (!listed) {
      return out;
    }
    if (a.form !== null) {
      out.push({ num: a.form, body: listWith(body(pdf, a.form), 'Fields', `${widget} 0 R`) });
    } else {
      out.push(catalogWith(pdf, `/AcroForm << /Fields [ ${widget} 0 R ] /SigFlags 3 >>`));
    }
    return out;
  };

/**
 * The smallest TrueType program a reader of its tables meets: a table directory holding a
 * `cmap` whose subtables are the (platform, encoding[, offset]) given (each with no mapping of
 * its own) and the `tables` named (outlines by default); `null` gives a program of no tables.
 */
export function sfnt(
  cmaps: readonly (readonly number[])[] | null,
  tables: readonly string[] = ['glyf', 'loca'],
  cmapLength?: number,
): string {
  if (cmaps === null) {
    return 'true';
  }
  const cmap = Buffer.alloc(4 + 8 * cmaps.length);
  cmap.writeUInt16BE(cmaps.length, 2);
  cmaps.forEach(([platform = 0, encoding = 0, offset = 0], i) => {
    cmap.writeUInt16BE(platform, 4 + 8 * i);
    cmap.writeUInt16BE(encoding, 6 + 8 * i);
    cmap.writeUInt32BE(offset, 8 + 8 * i);
  });
  // The directory: the cmap first, then each other table (four bytes of zeros; a second
  // `cmap` names the first one's bytes again).
  const head = Buffer.alloc(12 + 16 * (1 + tables.length));
  head.writeUInt32BE(0x00010000, 0);
  head.writeUInt16BE(1 + tables.length, 4);
  const record = (i: number, tag: string, offset: number, length: number) => {
    head.write(tag, 12 + 16 * i, 'latin1');
    head.writeUInt32BE(offset, 20 + 16 * i);
    head.writeUInt32BE(length, 24 + 16 * i);
  };
  record(0, 'cmap', head.length, cmapLength ?? cmap.length);
  tables.forEach((tag, i) =>
    tag === 'cmap'
      ? record(i + 1, tag, head.length, cmap.length)
      : record(i + 1, tag, head.length + cmap.length + 4 * i, 4),
  );
  return Buffer.concat([head, cmap, Buffer.alloc(4 * tables.length)]).toString('latin1');
}

/** A font /F9 drawing "NOT": an embedded TrueType program with the cmap subtables given. */
export const trueTypeFont =
  (
    flags: string,
    encoding: string,
    cmaps: readonly (readonly number[])[] | null,
    programDict = '',
    program = sfnt(cmaps),
  ): Feature =>
  (pdf, n) => {
    const [descriptor, programNum, content] = [n(), n(), n()];
    return [
      {
        num: descriptor,
        body: `<< /Type /FontDescriptor /FontName /LiberationSans ${flags.replace('PROGRAM', `${programNum} 0 R`)} /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 ${programNum} 0 R >>`,
      },
      { num: programNum, body: streamObject(program, programDict) },
      ...drawnWith(
        pdf,
        content,
        'Font',
        `/F9 << /Type /Font /Subtype /TrueType /BaseFont /LiberationSans ${encoding} /FontDescriptor ${descriptor} 0 R >>`,
        'BT /F9 12 Tf 72 700 Td (NOT) Tj ET\n',
      ),
    ];
  };

/**
 * The page draws "NOT" in the font `/F9 << /Type /Font ${font} >>`, where `DESCRIPTOR` stands
 * for a font descriptor with `flags` and a program under `file`, `CMAP` for an embedded CMap of
 * overlapping code spaces, and `CID` for a CIDFontType2 descendant carrying `widths`.
 */
export function fontFeature(
  font: string,
  flags: string,
  widths = '',
  file: 'FontFile' | 'FontFile2' | 'FontFile3' = 'FontFile2',
): Feature {
  return (pdf, n) => {
    const [content, descriptor, program, cmap, cid] = [n(), n(), n(), n(), n()];
    return [
      {
        num: descriptor,
        body: `<< /Type /FontDescriptor /FontName /LiberationSans ${flags} /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /${file} ${program} 0 R >>`,
      },
      {
        num: program,
        body: streamObject('true', file === 'FontFile3' ? '/Subtype /Type1C' : ''),
      },
      {
        num: cmap,
        body: streamObject(
          '/CIDInit /ProcSet findresource begin 12 dict begin begincmap 2 begincodespacerange <00> <FF> <0000> <FFFF> endcodespacerange endcmap end end',
          '/Type /CMap /CMapName /Overlap /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>',
        ),
      },
      {
        num: cid,
        body: `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /LiberationSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R ${widths} >>`,
      },
      ...drawnWith(
        pdf,
        content,
        'Font',
        `/F9 << /Type /Font ${font
          .replace('DESCRIPTOR', `${descriptor} 0 R`)
          .replace('CMAP', `${cmap} 0 R`)
          .replaceAll('CID', `${cid} 0 R`)} >>`,
        'BT /F9 12 Tf 72 700 Td (NOT) Tj ET\n',
      ),
    ];
  };
}

export interface Row {
  name: string;
  feature: Feature;
  /** What the refusal's detail names. */
  detail: RegExp;
  /**
   * Only as an update: built into the letter, pdf-lib writes it again otherwise (a number
   * written with a point comes out without one).
   */
  updateOnly?: true;
}

export const rows: Row[] = [
  {
    name: 'a) optional content: REFUSED on for the screen, APPROVED on for print',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const screen = n();
      const print = n();
      const content = n();
      const ops = [
        `/OC /MC0 BDC BT /${font} 18 Tf 72 770 Td (DECISION: REFUSED) Tj ET EMC`,
        `/OC /MC1 BDC BT /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET EMC`,
      ].join('\n');
      return [
        {
          num: screen,
          body: `<< /Type /OCG /Name (Screen) /Usage << /Print << /PrintState /OFF >> /View << /ViewState /ON >> >> >>`,
        },
        {
          num: print,
          body: `<< /Type /OCG /Name (Print) /Usage << /Print << /PrintState /ON >> /View << /ViewState /OFF >> >> >>`,
        },
        ...drawnWith(
          pdf,
          content,
          'Resources',
          `/Properties << /MC0 ${screen} 0 R /MC1 ${print} 0 R >>`,
          ops,
        ),
        catalogWith(
          pdf,
          `/OCProperties << /OCGs [ ${screen} 0 R ${print} 0 R ] /D << /ON [ ${screen} 0 R ] /OFF [ ${print} 0 R ] /AS [ << /Event /Print /OCGs [ ${screen} 0 R ${print} 0 R ] /Category [ /Print ] >> << /Event /View /OCGs [ ${screen} 0 R ${print} 0 R ] /Category [ /View ] >> ] >> >>`,
        ),
      ];
    },
    detail: /optional content \(\/OCProperties\)|optional content group/,
  },
  {
    name: 'a) marked content /O#43 … BDC in a compressed page stream, nothing else',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const content = n();
      const data = deflateSync(Buffer.from('/O#43 /MC0 BDC 1 1 1 rg 60 730 400 40 re f EMC\n'));
      return [
        {
          num: content,
          body: `<< /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`,
        },
        { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${content} 0 R`) },
      ];
    },
    detail: /marks content as optional/,
  },
  {
    name: 'text nobody sees in a form whose /Subtype and /PatternType are given by reference',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [, font] = fontOf(page);
      const [form, subtype, pattern, tile, content] = [n(), n(), n(), n(), n()];
      return [
        {
          num: form,
          body: streamObject(
            'BT 3 Tr /F1 18 Tf 2 8 Td (DECISION: APPROVED) Tj ET',
            `/Type /XObject /Subtype ${subtype} 0 R /BBox [ 0 0 400 40 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        { num: subtype, body: '/Form' },
        {
          num: tile,
          body: streamObject(
            'BT 3 Tr /F1 18 Tf 2 8 Td (APPROVED) Tj ET',
            `/Type /Pattern /PatternType ${pattern} 0 R /PaintType 1 /TilingType 1 /BBox [ 0 0 400 40 ] /XStep 400 /YStep 40 /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        { num: pattern, body: '1' },
        { num: content, body: streamObject('q 1 0 0 1 60 730 cm /Fx9 Do Q\n') },
        {
          num: a.page,
          body: listWith(
            subWith(subWith(page, 'XObject', `/Fx9 ${form} 0 R`), 'Pattern', `/P9 ${tile} 0 R`),
            'Contents',
            `${content} 0 R`,
          ),
        },
      ];
    },
    detail: /writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'a condition in a font the page does not define (poppler draws nothing, pdf.js a standard font)',
    feature: drawing(() => ['BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n']),
    detail:
      /^the page object \d+ sets the font \/F9, which its resources do not define as a font every reader loads$/,
  },
  {
    name: 'a font set by a string, not a name',
    feature: drawing(() => ['BT (F1) 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n']),
    detail: /sets a font by a string, not by name \(Tf\)/,
  },
  {
    name: 'a font named by the page that is null (poppler draws nothing, pdf.js a standard font)',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 null',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  {
    name: 'a font named by the page that is a number',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 42',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  {
    name: 'a font without its /Subtype (pdf.js draws nothing, poppler draws)',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 << /Type /Font /BaseFont /Helvetica >>',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  {
    name: 'a composite font without its descendant font',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 << /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H >>',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  ...(
    [
      // Without its program readers substitute each their own way: poppler drew CID n as the
      // character U+n, pdf.js glyph n of its Helvetica (REFUSED in one, APPROVED in the other).
      [
        'a composite font whose CID font carries no program',
        '/Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>',
      ],
      [
        'a composite font whose descendant is a simple font',
        '/Subtype /Type1 /BaseFont /Helvetica',
      ],
      // Without the name of its font, no reader drew the text and pdftotext extracted it.
      ['a simple font that names no font', null],
    ] as const
  ).map(([name, descendant]) => ({
    name,
    feature: ((pdf, n) => {
      const [content, child] = [n(), n()];
      const font =
        descendant === null
          ? '/F9 << /Type /Font /Subtype /Type1 /Encoding /WinAnsiEncoding >>'
          : `/F9 << /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [ ${child} 0 R ] >>`;
      return [
        {
          num: child,
          body: `<< /Type /Font ${descendant ?? '/Subtype /Type1 /BaseFont /Helvetica'} >>`,
        },
        ...drawnWith(pdf, content, 'Font', font, 'BT /F9 12 Tf 72 700 Td <0041> Tj ET\n'),
      ];
    }) satisfies Feature,
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  })),
  // Fonts whose codes readers map to glyphs each their own way.
  ...(
    [
      [
        // Glyph names Helvetica lacks: poppler drew the base encoding's "NOT", pdf.js nothing.
        'a standard font whose /Differences name glyphs it does not have',
        '/Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [ 78 /g78 /g79 84 /g84 ] >>',
        '',
      ],
      [
        'the Symbol font given an encoding (poppler drew boxes, pdf.js Greek letters)',
        '/Subtype /Type1 /BaseFont /Symbol /Encoding /WinAnsiEncoding',
        '',
      ],
      [
        // Poppler applied the names, pdf.js drew the codes: GRANTED in one, REFUSED in the other.
        'an embedded TrueType font flagged symbolic, given an encoding',
        '/Subtype /TrueType /BaseFont /LiberationSans /Encoding /WinAnsiEncoding /FontDescriptor DESCRIPTOR',
        '/Flags 4',
      ],
      [
        // Code-space ranges of one and two bytes: pdf.js read one byte a code, poppler two.
        'a composite font whose codes an embedded CMap reads',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding CMAP /DescendantFonts [ CID ]',
        '/Flags 32',
      ],
      [
        // Poppler gave the space no width, pdf.js fifty ems: "NOT" left the line in one only.
        'a simple font whose /LastChar is below its /FirstChar',
        '/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 31 /Widths [ 50000 ]',
        '',
      ],
      [
        // Symbol to pdf.js, a Latin font to poppler.
        'a font not embedded under a name one reader alone knows (Symbol-Bold)',
        '/Subtype /Type1 /BaseFont /Symbol-Bold /Encoding /WinAnsiEncoding',
        '',
      ],
      [
        'a font not embedded named like Dingbats (ZapfDingbats to pdf.js only)',
        '/Subtype /TrueType /BaseFont /ABCDEF+Dingbats',
        '',
      ],
      [
        // Poppler kept the first width of code 3, pdf.js the last.
        'a composite font whose /W gives one code two widths',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-H /DescendantFonts [ CID ]',
        '/Flags 32',
        '/W [ 3 [ 0 ] 2 4 50000 ]',
      ],
      [
        // Poppler passed over a default width written with a point to its own, pdf.js took it.
        'a composite font whose default width is written with a point',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-H /DescendantFonts [ CID ]',
        '/Flags 32',
        '/DW 50000.0',
      ],
      // Round 20u.
      [
        // Poppler takes /FirstChar 32.0 as 0: every width moved 32 codes, the space 40 ems wide.
        'a simple font whose /FirstChar is written with a point',
        '/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32.0 /LastChar 32 /Widths [ 40000 ]',
        '',
      ],
      [
        // Poppler skipped the entry for /DW, pdf.js gave the space 40 ems.
        'a composite font whose /W names a code with a point',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-H /DescendantFonts [ CID ]',
        '/Flags 32',
        '/W [ 3.0 [ 40000 ] ]',
      ],
      [
        'a composite font whose /W ends a range with a point',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-H /DescendantFonts [ CID ]',
        '/Flags 32',
        '/W [ 3 3.0 40000 ]',
      ],
      [
        'a composite font whose /W2 names a code with a point',
        '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-V /DescendantFonts [ CID ]',
        '/Flags 32',
        '/W2 [ 3.0 [ -40000 500 880 ] ]',
      ],
      [
        // Poppler draws by the program's own encoding, pdf.js by the standard one unless the
        // font is flagged symbolic: a white Euro over "NOT" in one reader only.
        'an embedded Type 1 font with no encoding, not flagged symbolic',
        '/Subtype /Type1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR',
        '/Flags 32',
        '',
        'FontFile',
      ],
      [
        'an embedded Type 1 font named StandardEncoding (poppler knows no such name)',
        '/Subtype /Type1 /BaseFont /FreeEuro /Encoding /StandardEncoding /FontDescriptor DESCRIPTOR',
        '/Flags 32',
        '',
        'FontFile',
      ],
      [
        'an embedded compact Type 1 font with no encoding, not flagged symbolic',
        '/Subtype /Type1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR',
        '/Flags 32',
        '',
        'FontFile3',
      ],
      [
        'a Type 1 font drawn from a TrueType program',
        '/Subtype /Type1 /BaseFont /FreeEuro /Encoding /WinAnsiEncoding /FontDescriptor DESCRIPTOR',
        '/Flags 32',
        '',
        'FontFile2',
      ],
      [
        'an embedded Type 1 font flagged symbolic with a point, with no encoding',
        '/Subtype /Type1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR',
        '/Flags 4.0',
        '',
        'FontFile',
      ],
      [
        // Round 20ar: beyond 2^31 − 1 poppler reads no flags, pdf.js the low 32 bits (symbolic).
        'an embedded Type 1 font flagged symbolic beyond 2^31 − 1, with no encoding',
        '/Subtype /Type1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR',
        '/Flags 4294967300',
        '',
        'FontFile',
      ],
    ] as const
  ).map(([name, font, flags, widths, file = 'FontFile2']) => ({
    name,
    feature: fontFeature(font, flags, widths, file),
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
    ...(`${font} ${flags} ${widths ?? ''}`.includes('.0') ? { updateOnly: true as const } : {}),
  })),
  {
    // Poppler passed over the page's box to its parent's, pdf.js fell back to Letter.
    name: 'a page whose MediaBox is not four numbers',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [
        {
          num: a.page,
          body: body(pdf, a.page).replace(/\/MediaBox\s*\[[^\]]*\]/, '/MediaBox [ 0 0 595 (x) ]'),
        },
      ];
    },
    detail: /has a MediaBox readers read differently/,
  },
  {
    // Poppler makes up an appearance from /MK (a box in its background colour), pdf.js draws
    // nothing: a white box hid "NOT" of "NOT APPROVED" in one reader only.
    name: 'a signature widget without an appearance stream, its /MK background over the decision',
    feature: signatureWidget('/F 4 /MK << /BG [ 1 ] >>', () => ['']),
    detail: /is a signature widget without an appearance, drawn by some viewers from its \/MK/,
  },
  {
    // Poppler's print path read `/F 4.` as no flags, and printed nothing of the widget.
    name: 'a signature widget whose flags are written with a point',
    feature: signatureWidget('/F 4.'),
    detail: /is an annotation whose flags are written with a point/,
    updateOnly: true,
  },
  // Round 20ar: poppler reads flags beyond 2^31 − 1 as a 64-bit integer, no flags to it (its
  // print path dropped the widget over "NOT"), pdf.js and JavaScript keep the low 32 bits
  // (Print set).
  ...['2147483652', '4294967300'].map((f) => ({
    name: `a signature widget whose flags are beyond 2^31 − 1 (/F ${f})`,
    feature: signatureWidget(`/F ${f}`),
    detail: new RegExp(
      `is an annotation whose flags \\(/F ${f}\\) are no integer from 0 to 2\\^31 − 1`,
    ),
    updateOnly: true as const,
  })),
  {
    // A string in /Rect was 0 to poppler, which drew the widget over the decision; pdf.js
    // drew nothing.
    name: 'a signature widget whose /Rect holds a string',
    feature: (pdf, n) =>
      signatureWidget('/F 4')(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/Rect [ 70 735 370 765 ]', '/Rect [ 70 (x) 370 765 ]'),
      })),
    detail: /is an annotation whose \/Rect is not four numbers/,
  },
  {
    // pdfsig reads each widget of a field as a field with a value of its own: the parent's
    // signature was "not signed" to it while the verifier called the letter valid.
    name: 'a signature field whose widgets are its kids',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const [, font] = fontOf(body(pdf, a.page));
      const [field, first, second, drawing] = [n(), n(), n(), n()];
      const widget = (rect: string) =>
        `<< /Type /Annot /Subtype /Widget /Parent ${field} 0 R /F 4 /Rect ${rect} /P ${a.page} 0 R /AP << /N ${drawing} 0 R >> >>`;
      return [
        { num: field, body: `<< /FT /Sig /T (Signature9) /Kids [ ${first} 0 R ${second} 0 R ] >>` },
        { num: first, body: widget('[ 70 735 370 765 ]') },
        { num: second, body: widget('[ 70 635 370 665 ]') },
        { num: drawing, body: formDrawing(font, 'DECISION: APPROVED') },
        {
          num: a.page,
          body: listWith(body(pdf, a.page), 'Annots', `${first} 0 R ${second} 0 R`),
        },
        a.form !== null
          ? { num: a.form, body: listWith(body(pdf, a.form), 'Fields', `${field} 0 R`) }
          : catalogWith(pdf, `/AcroForm << /Fields [ ${field} 0 R ] /SigFlags 3 >>`),
      ];
    },
    detail: /has a field with kids \(\/Kids\), which readers tell from widgets differently/,
  },
  {
    // A field of no type (no /FT: no signature field) with no widget, holding a value.
    name: 'a field of no type in the form, with no widget, holding a value',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const field = n();
      return [
        { num: field, body: '<< /T (Note) /V (DECISION: NOT APPROVED) >>' },
        a.form !== null
          ? { num: a.form, body: listWith(body(pdf, a.form), 'Fields', `${field} 0 R`) }
          : catalogWith(pdf, `/AcroForm << /Fields [ ${field} 0 R ] /SigFlags 3 >>`),
      ];
    },
    detail: /has a field that is not a signature field/,
  },
  // Round 20av: under a field with kids, this verifier and pdf.js tell a field by /T, poppler
  // by /Parent. A kid with /T and no /Parent was countersigned here as "Signature2.x" and was
  // an unsigned widget of Signature2 to pdfsig; a kid with /Parent and no /T (its type its
  // own) was an unsigned field to pdfsig and nothing here.
  ...(
    [
      ['a kid named, with no /Parent', () => '/FT /Sig /T (x)', '/FT /Sig'],
      [
        'a kid typed, with a /Parent and no name',
        (field: number) => `/Parent ${field} 0 R /FT /Sig`,
        '',
      ],
    ] as const
  ).map(([how, kid, parentType]) => ({
    name: `a signature field with kids: ${how}`,
    feature: ((pdf, n) => {
      const a = anatomy(pdf);
      const [, font] = fontOf(body(pdf, a.page));
      const [field, widget, drawing] = [n(), n(), n()];
      return [
        { num: field, body: `<< ${parentType} /T (Signature9) /Kids [ ${widget} 0 R ] >>` },
        {
          num: widget,
          body: `<< /Type /Annot /Subtype /Widget ${kid(field)} /F 4 /Rect [ 70 735 370 765 ] /P ${a.page} 0 R /AP << /N ${drawing} 0 R >> >>`,
        },
        { num: drawing, body: formDrawing(font, 'DECISION: APPROVED') },
        { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${widget} 0 R`) },
        a.form !== null
          ? { num: a.form, body: listWith(body(pdf, a.form), 'Fields', `${field} 0 R`) }
          : catalogWith(pdf, `/AcroForm << /Fields [ ${field} 0 R ] /SigFlags 3 >>`),
      ];
    }) satisfies Feature,
    detail: /has a field with kids \(\/Kids\), which readers tell from widgets differently/,
  })),
  {
    name: 'a font dictionary with nothing in it',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 << >>',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  {
    name: 'a font of a type no reader knows',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Font',
          '/F9 << /Type /Font /Subtype /Bogus /BaseFont /Helvetica >>',
          'BT /F9 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n',
        ),
      ];
    },
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  },
  {
    name: 'text drawn fully transparent that every text reader extracts (/ca 0)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GS9 << /Type /ExtGState /ca 0 /CA 0 >>',
          `/GS9 gs BT /${font} 12 Tf 72 700 Td (DECISION: GRANTED) Tj ET\n`,
        ),
      ];
    },
    detail: /draws with transparency \(\/ca 0\)/,
  },
  {
    name: 'text drawn through a blend mode',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GS9 << /Type /ExtGState /BM /Screen >>',
          `/GS9 gs BT /${font} 12 Tf 72 700 Td (DECISION: GRANTED) Tj ET\n`,
        ),
      ];
    },
    detail: /draws with a blend mode/,
  },
  {
    name: 'text drawn through a transfer function',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GS9 << /Type /ExtGState /TR << /FunctionType 2 /Domain [ 0 1 ] /C0 [ 1 ] /C1 [ 1 ] /N 1 >> >>',
          `/GS9 gs BT /${font} 12 Tf 72 700 Td (DECISION: GRANTED) Tj ET\n`,
        ),
      ];
    },
    detail: /draws through a transfer function \(\/TR\)/,
  },
  {
    name: 'a soft mask whose group nobody draws (/SMask in a graphics state)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GS9 << /Type /ExtGState /SMask << /S /Luminosity /BC [ 1 ] >> >>',
          `/GS9 gs BT /${font} 12 Tf 72 700 Td (DECISION: GRANTED) Tj ET\n`,
        ),
      ];
    },
    detail: /soft mask in a graphics state/,
  },
  {
    name: 'a page whose content array holds an array (poppler draws nothing, pdf.js the rest)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const content = n();
      const page = body(pdf, a.page).replace(
        /\/Contents\s*\[\s*(\d+) 0 R\s*\]/,
        (_, first: string) => `/Contents [ [ ${first} 0 R ] ${content} 0 R ]`,
      );
      return [
        { num: content, body: streamObject('q Q\n') },
        { num: a.page, body: page },
      ];
    },
    detail: /^the page object \d+ has page content that is not a stream$/,
  },
  {
    name: 'a page whose content array holds a dictionary',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const item = n();
      return [
        { num: item, body: '<< /Length 0 >>' },
        { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${item} 0 R`) },
      ];
    },
    detail: /^the page object \d+ has page content that is not a stream$/,
  },
  {
    name: 'a page naming one content stream over and over (read once, refused)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      let page = body(pdf, a.page);
      const content = n();
      for (let i = 0; i < 50; i++) {
        page = listWith(page, 'Contents', `${content} 0 R`);
      }
      return [
        { num: content, body: streamObject('q Q\n') },
        { num: a.page, body: page },
      ];
    },
    detail: /names one content stream twice in its \/Contents/,
  },
  {
    name: 'a form setting a font its own resources lack (poppler looks further out, pdf.js does not)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [name] = fontOf(page);
      const [form, content] = [n(), n()];
      return [
        {
          num: form,
          body: streamObject(
            `BT /${name} 18 Tf 2 8 Td (DECISION: APPROVED) Tj ET`,
            '/Type /XObject /Subtype /Form /BBox [ 0 0 400 40 ] /Resources << >>',
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Fx9 ${form} 0 R`,
          'q 1 0 0 1 60 730 cm /Fx9 Do Q\n',
        ),
      ];
    },
    detail: /sets the font \/Helvetica-\d+, which its resources do not define/,
  },
  {
    name: 'a) marked content /OC … BDC in a form XObject the page draws',
    feature: (pdf, n) => {
      const form = n();
      const content = n();
      return [
        {
          num: form,
          body: streamObject(
            '/OC /P BDC 1 1 1 rg 0 0 400 40 re f EMC',
            '/Type /XObject /Subtype /Form /BBox [ 0 0 400 40 ]',
          ),
        },
        ...drawnWith(pdf, content, 'XObject', `/Fx9 ${form} 0 R`, 'q 1 0 0 1 60 730 cm /Fx9 Do Q'),
      ];
    },
    detail: /marks content as optional/,
  },
  {
    name: 'a) /OC on an annotation (its appearance in a layer)',
    feature: annotated((pdf, n) => {
      const [, font] = fontOf(body(pdf, anatomy(pdf).page));
      const [annot, ap] = [n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /Link /Rect [ 70 735 370 765 ] /OC << /Type /OCMD >> >>`,
        },
        { num: ap, body: formDrawing(font, 'DECISION: APPROVED') },
      ];
    }),
    detail: /optional content \(\/OC\)/,
  },
  {
    name: 'b) a FreeText annotation drawing APPROVED, NoView|Print: only on the printout',
    feature: annotated((pdf, n) => {
      const [, font] = fontOf(body(pdf, anatomy(pdf).page));
      const [annot, ap] = [n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /FreeText /Rect [ 70 735 370 765 ] /F 36 /DA (/F1 18 Tf 0 g) /Contents () /AP << /N ${ap} 0 R >> >>`,
        },
        { num: ap, body: formDrawing(font, 'DECISION: APPROVED') },
      ];
    }),
    detail: /FreeText annotation/,
  },
  ...(
    [
      ['NoView|Print (36)', '/F 36'],
      ['Hidden|Print (6)', '/F 6'],
      ['ToggleNoView|Print (260)', '/F 260'],
      ['no Print flag (0)', '/F 0'],
      ['no /F at all', ''],
    ] as const
  ).map(([flags, entry]): Row => ({
    name: `b) a signature widget, never signed, its block saying APPROVED, flags ${flags}`,
    feature: signatureWidget(entry),
    detail: /signature widget with flags/,
  })),
  {
    name: "a) /OC … BDC in a signature block's appearance stream written without /Subtype /Form",
    feature: signatureWidget('/F 4', (_, n) => {
      const num = n();
      return [
        `/N ${num} 0 R`,
        {
          num,
          body: streamObject('/OC /P BDC 0 0 1 rg 0 0 300 30 re f EMC', '/BBox [ 0 0 300 30 ]'),
        },
      ];
    }),
    detail: /marks content as optional/,
  },
  {
    name: 'b) a signature widget whose appearance is chosen by its state (/AP /N << /On /Off >>)',
    feature: signatureWidget('/F 4 /AS /On', (font, n) => {
      const [on, off] = [n(), n()];
      return [
        `/N << /On ${on} 0 R /Off ${off} 0 R >>`,
        { num: on, body: formDrawing(font, 'DECISION: APPROVED') },
        { num: off, body: formDrawing(font, 'DECISION: REFUSED') },
      ];
    }),
    detail: /appearance is chosen by its state/,
  },
  {
    name: 'text a screen reader, search or copy reads instead of what is drawn (/ActualText)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        {
          num: content,
          body: streamObject(
            `/Span << /ActualText (DECISION: APPROVED) >> BDC BT /${font} 18 Tf 72 770 Td (DECISION: REFUSED) Tj ET EMC`,
          ),
        },
        { num: a.page, body: listWith(page, 'Contents', `${content} 0 R`) },
      ];
    },
    detail: /ActualText/,
  },
  {
    name: 'text nobody sees that every text reader extracts (render mode 3)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        {
          num: content,
          body: streamObject(`BT 3 Tr /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET`),
        },
        { num: a.page, body: listWith(page, 'Contents', `${content} 0 R`) },
      ];
    },
    detail: /writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'text nobody sees, its mode written 03',
    feature: drawing((font) => [`BT 03 Tr /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET`]),
    detail: /writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'text nobody sees, mode 7 (clip only)',
    feature: drawing((font) => [`BT 7 Tr /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET`]),
    detail: /writes text nobody sees \(7 Tr\)/,
  },
  {
    name: 'text nobody sees, a comment between mode and operator',
    feature: drawing((font) => [`BT 3%x\nTr /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET`]),
    detail: /writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'text nobody sees, extra operands before the mode (readers take the last)',
    feature: drawing((font) => [
      `BT /${font} 18 Tf 72 770 Td [](x)3 Tr (DECISION: APPROVED) Tj ET`,
    ]),
    detail: /gives Tr 3 operands, not 1/,
  },
  {
    name: 'text nobody sees, the mode in one stream of the page and its operator in the next',
    feature: drawing((font) => [`BT /${font} 18 Tf 72 770 Td 3`, ` Tr (DECISION: APPROVED) Tj ET`]),
    detail: /its streams read as one, writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'a name of optional content split across two streams of the page',
    feature: drawing((font) => [
      `/O`,
      `C /MC0 BDC BT /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET EMC`,
    ]),
    detail: /its streams read as one, marks content as optional/,
  },
  {
    name: 'optional content named with an escape (/O#43)',
    feature: drawing((font) => [
      `/O#43 /MC0 BDC BT /${font} 18 Tf 72 770 Td (DECISION: APPROVED) Tj ET EMC`,
    ]),
    detail: /marks content as optional/,
  },
  {
    name: 'an operator split across two streams (T | r)',
    feature: drawing((font) => [`BT /${font} 18 Tf 72 770 Td 3 T`, `r (DECISION: APPROVED) Tj ET`]),
    detail: /its streams read as one, writes text nobody sees \(3 Tr\)/,
  },
  {
    name: 'an inline image, whose end readers find each their own way',
    feature: drawing(() => [`q 10 0 0 10 72 700 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q`]),
    detail: /inline image/,
  },
  {
    name: 'a compatibility section, inside which readers skip what they do not know',
    feature: drawing((font) => [`BX /${font} 18 Tf EX`]),
    detail: /compatibility section/,
  },
  {
    name: 'a string left open at the end of the stream',
    feature: drawing((font) => [`BT /${font} 18 Tf 72 770 Td (DECISION: APPROVED Tj ET`]),
    detail: /ends inside a string/,
  },
  {
    name: 'a crop box that shows pdf.js part of the page, pdftoppm all of it',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [{ num: a.page, body: withEntry(body(pdf, a.page), '/CropBox [ 0 0 595 700 ]') }];
    },
    detail: /has a CropBox that is not its MediaBox/,
  },
  {
    name: 'c) a text field: /V APPROVED, its appearance REFUSED',
    feature: textField,
    detail: /form field of type Tx|not a signature field/,
  },
  {
    name: 'd) /OpenAction JavaScript setting that field to APPROVED',
    feature: (pdf, n) => {
      const objects = textField(pdf, n);
      const a = anatomy(pdf);
      const js = `/OpenAction << /S /JavaScript /JS (this.getField\\("Decision"\\).value = "APPROVED";) >>`;
      const catalog = objects.find((o) => o.num === a.root);
      if (catalog) {
        catalog.body = withEntry(catalog.body, js);
        return objects;
      }
      return [...objects, catalogWith(pdf, js)];
    },
    detail: /OpenAction|JavaScript|Tx/,
  },
  {
    name: 'd) /OpenAction JavaScript alone (no field)',
    feature: (pdf) => [
      catalogWith(pdf, `/OpenAction << /S /JavaScript /JS (app.alert\\("APPROVED"\\);) >>`),
    ],
    detail: /an action run on opening \(\/OpenAction\)/,
  },
  // Round 20aw: a certification that forbids every change, countersigned: broken to Acrobat,
  // unremarked by poppler and pdf.js. The workbench signs approvals only.
  {
    name: 'a certification forbidding every change (/Perms /DocMDP)',
    feature: (pdf, n) => {
      const sig = n();
      return [
        {
          num: sig,
          body: '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Reference [ << /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >> ] >>',
        },
        catalogWith(pdf, `/Perms << /DocMDP ${sig} 0 R >>`),
      ];
    },
    detail: /\(\/Perms\)|\(\/Reference\)/,
  },
  {
    name: 'a signature dictionary with a field-lock reference (/Reference /FieldMDP)',
    feature: (_, n) => [
      {
        num: n(),
        body: '<< /Type /Sig /Reference [ << /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /All /V /1.2 >> >> ] >>',
      },
    ],
    detail: /a certification or field-lock reference in a signature \(\/Reference\)/,
  },
  // Round 20ba: pdf.js shows an XMP title in its title bar, poppler's tools the Info /Title.
  {
    name: 'an XMP title other than the document information says (/Metadata)',
    feature: (pdf, n) => {
      const xmp = n();
      const packet =
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">DECISION: REFUSED</rdf:li></rdf:Alt></dc:title>' +
        '</rdf:Description></rdf:RDF></x:xmpmeta>';
      return [
        { num: xmp, body: streamObject(packet, '/Type /Metadata /Subtype /XML') },
        catalogWith(pdf, `/Metadata ${xmp} 0 R`),
      ];
    },
    detail: /holds XMP metadata \(\/Metadata\)/,
  },
  // Round 20c: a text string in UTF-8 (PDF 2.0): pdf.js decodes it, poppler 22 reads its bytes
  // as PDFDocEncoding ("NOT APPROVED" and "ï»¿NOT APPROVED").
  {
    name: 'a title in UTF-8, which poppler reads as other characters',
    feature: (pdf) => {
      const info = anatomy(pdf).file.last.trailer.get(PDFName.of('Info'));
      if (!(info instanceof PDFRef)) {
        throw new Error('the letter has no /Info to rewrite');
      }
      return [{ num: info.objectNumber, body: '<< /Title <EFBBBF4E4F5420415050524F564544> >>' }];
    },
    detail: /holds a text string in UTF-8, which readers decode differently/,
  },
  // Round 20d: pdf.js drops what stands between two escapes (a language tag), poppler shows it.
  {
    name: 'a title whose NOT stands between escapes, which pdf.js drops',
    feature: (pdf) => {
      const info = anatomy(pdf).file.last.trailer.get(PDFName.of('Info'));
      if (!(info instanceof PDFRef)) {
        throw new Error('the letter has no /Info to rewrite');
      }
      const title = Buffer.from('DECISION: \x1bNOT \x1bAPPROVED', 'latin1').toString('hex');
      return [{ num: info.objectNumber, body: `<< /Title <${title}> >>` }];
    },
    detail: /holds a text \(\/Title\) with a byte PDFDocEncoding reads apart \(0x1b\)/,
  },
  // Round 20e: a document information key of the author's own (`pdfinfo -custom` shows it).
  {
    name: 'a document information key of its own whose NOT stands between escapes',
    feature: (pdf) => {
      const info = anatomy(pdf).file.last.trailer.get(PDFName.of('Info'));
      if (!(info instanceof PDFRef)) {
        throw new Error('the letter has no /Info to rewrite');
      }
      return [
        {
          num: info.objectNumber,
          body: '<< /Title (Decision) /Decision (DECISION: \\033NOT \\033APPROVED) >>',
        },
      ];
    },
    detail: /holds a text \(\/Decision\) with a byte PDFDocEncoding reads apart \(0x1b\)/,
  },
  {
    name: 'd) document-level JavaScript in the /Names tree',
    feature: (pdf, n) => {
      const action = n();
      return [
        { num: action, body: `<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>` },
        catalogWith(pdf, `/Names << /JavaScript << /Names [ (a) ${action} 0 R ] >> >>`),
      ];
    },
    detail: /JavaScript/,
  },
  {
    name: 'd) a page /AA (on open) Launch action',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [
        {
          num: a.page,
          body: withEntry(body(pdf, a.page), '/AA << /O << /S /Launch /F (calc.exe) >> >>'),
        },
      ];
    },
    detail: /additional actions \(\/AA\)/,
  },
  {
    name: 'd) a Link without appearance whose action hides annotations (/S /Hide, indirect)',
    feature: annotated((pdf, n) => {
      const [annot, action] = [n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /Link /Rect [ 70 735 370 765 ] /Border [ 0 0 0 ] /A ${action} 0 R >>`,
        },
        { num: action, body: `<< /S /Hide /T (Signature1) >>` },
      ];
    }),
    detail: /a Hide action/,
  },
  {
    name: 'd) /NeedAppearances true: viewers draw the form themselves',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return a.form !== null
        ? [{ num: a.form, body: withEntry(body(pdf, a.form), '/NeedAppearances true') }]
        : [catalogWith(pdf, '/AcroForm << /Fields [ ] /NeedAppearances true >>')];
    },
    detail: /NeedAppearances/,
  },
  {
    name: 'e) a Link annotation with an appearance (/AP) drawing APPROVED',
    feature: annotated((pdf, n) => {
      const [, font] = fontOf(body(pdf, anatomy(pdf).page));
      const [annot, ap] = [n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /Link /Rect [ 70 735 370 765 ] /F 4 /Border [ 0 0 0 ] /A << /S /URI /URI (https://example.org/) >> /AP << /N ${ap} 0 R >> >>`,
        },
        { num: ap, body: formDrawing(font, 'DECISION: APPROVED') },
      ];
    }),
    detail: /Link annotation with an appearance/,
  },
  {
    name: 'e) a Link whose border only the printout shows, over the decision (/Border, /C, /F 36)',
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 60 730 540 760 ] /Border [ 0 0 40 ] /C [ 0 0 0 ] /F 36 /A << /S /URI /URI (https://example.org/) >> >>`,
      },
    ]),
    detail: /Link annotation with a border \(\/Border\) a viewer draws/,
  },
  {
    name: 'e) a Link whose border style draws a frame (/BS with a width)',
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 60 730 540 760 ] /BS << /W 40 /S /S >> /F 4 /A << /S /URI /URI (https://example.org/) >> >>`,
      },
    ]),
    detail: /Link annotation with a border \(\/BS\) a viewer draws/,
  },
  {
    name: 'e) a Link whose border style has the default width (/BS without /W)',
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 60 730 540 760 ] /BS << /S /U >> /A << /S /URI /URI (https://example.org/) >> >>`,
      },
    ]),
    detail: /Link annotation with a border \(\/BS\)/,
  },
  {
    name: 'e) a Link with no border and a colour, an interior colour or a border effect',
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 60 730 540 760 ] /Border [ 0 0 0 ] /C [ 1 1 1 ] /IC [ 1 1 1 ] /BE << /S /C /I 2 >> /A << /S /URI /URI (https://example.org/) >> >>`,
      },
    ]),
    detail: /Link annotation with \/C, which a viewer may draw/,
  },
  {
    name: 'e) a Link with a border one point wide (/Border [ 0 0 1 ])',
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 60 730 540 760 ] /Border [ 0 0 1 ] /A << /S /URI /URI (https://example.org/) >> >>`,
      },
    ]),
    detail: /Link annotation with a border \(\/Border\)/,
  },
  {
    name: 'f) a Stamp annotation drawing APPROVED over the letter',
    feature: annotated((pdf, n) => {
      const [, font] = fontOf(body(pdf, anatomy(pdf).page));
      const [annot, ap] = [n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /Stamp /Rect [ 70 735 370 765 ] /F 4 /AP << /N ${ap} 0 R >> >>`,
        },
        { num: ap, body: formDrawing(font, 'DECISION: APPROVED') },
      ];
    }),
    detail: /Stamp annotation/,
  },
  {
    name: "f) a Stamp without appearance (/Name /Approved: the viewer's own stamp)",
    feature: annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Stamp /Name /Approved /Rect [ 70 735 370 765 ] /F 4 >>`,
      },
    ]),
    detail: /Stamp annotation/,
  },
  {
    name: 'g) a signature widget on the page that no field of the form lists, its block saying APPROVED',
    feature: signatureWidget('/F 4', undefined, false),
    detail: /signature widget the form does not list as a field/,
  },
  {
    name: 'g) a signature widget written inside the page’s /Annots (no object of its own)',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [
        {
          num: a.page,
          body: listWith(
            body(pdf, a.page),
            'Annots',
            `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature9) /F 4 /Rect [ 70 735 370 765 ] >>`,
          ),
        },
      ];
    },
    detail: /a widget written inside it/,
  },
  {
    name: 'h) an embedded file in the /Names tree (a second "decision" a viewer offers to open)',
    feature: (pdf, n) => {
      const [spec, file] = [n(), n()];
      return [
        { num: file, body: streamObject('DECISION: APPROVED', '/Type /EmbeddedFile') },
        {
          num: spec,
          body: `<< /Type /Filespec /F (decision.txt) /UF (decision.txt) /EF << /F ${file} 0 R >> >>`,
        },
        catalogWith(pdf, `/Names << /EmbeddedFiles << /Names [ (decision.txt) ${spec} 0 R ] >> >>`),
      ];
    },
    detail: /embedded file/,
  },
  {
    name: 'h) a file attachment annotation (a paperclip with the "real" decision)',
    feature: annotated((pdf, n) => {
      const [annot, spec, file] = [n(), n(), n()];
      return [
        {
          num: annot,
          body: `<< /Type /Annot /Subtype /FileAttachment /Rect [ 70 735 90 755 ] /F 4 /FS ${spec} 0 R >>`,
        },
        {
          num: spec,
          body: `<< /Type /Filespec /F (decision.txt) /EF << /F ${file} 0 R >> >>`,
        },
        { num: file, body: streamObject('DECISION: APPROVED', '/Type /EmbeddedFile') },
      ];
    }),
    detail: /embedded file|FileAttachment annotation/,
  },
  ...(
    [
      [
        'three components in DeviceGray (poppler keeps black, pdf.js takes the first: white)',
        '/DeviceGray cs 1 1 0 sc',
        /gives sc 3 components in a colour space of 1/,
      ],
      [
        'one component in DeviceRGB (poppler keeps black, pdf.js reads white)',
        '/DeviceRGB cs 1 sc',
        /gives sc 1 components in a colour space of 3/,
      ],
      [
        'four components after rg, by scn',
        '0 0 0 rg 1 1 1 1 scn',
        /gives scn 4 components in a colour space of 3/,
      ],
      [
        'a colour space the resources do not define (each reader falls back its own way)',
        '/CS9 cs 1 sc',
        /sets the colour space \/CS9, which its resources do not define/,
      ],
    ] as const
  ).map(([what, ops, detail]): Row => ({
    name: `a condition drawn in a colour readers read differently: ${what}`,
    feature: drawing((font) => [
      `${ops} BT /${font} 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n`,
    ]),
    detail,
  })),
  ...(
    [
      [
        'an indexed space whose table is shorter than its highest index says',
        '/CS1 [ /Indexed /DeviceRGB 1 <FFFFFF> ]',
        /indexed colour space whose table is not its entries/,
      ],
      [
        'an indexed space whose table is longer than its highest index says',
        '/CS1 [ /Indexed /DeviceRGB 0 <FFFFFF000000> ]',
        /indexed colour space whose table is not its entries/,
      ],
      [
        'an indexed space over 256 entries',
        `/CS1 [ /Indexed /DeviceGray 256 <${'00'.repeat(257)}> ]`,
        /indexed colour space whose table is not its entries/,
      ],
      [
        'a separation space drawn through a function',
        '/CS1 [ /Separation /Spot /DeviceGray << /FunctionType 2 /Domain [ 0 1 ] /C0 [ 1 ] /C1 [ 1 ] /N 1 >> ]',
        /colour space drawn through a function \(\/Separation\)/,
      ],
      [
        'a default space replacing DeviceRGB (poppler draws through it, pdf.js does not)',
        '/DefaultRGB [ /CalRGB << /WhitePoint [ 1 1 1 ] /Gamma [ 9 9 9 ] >> ] /CS1 /DeviceGray',
        /replaces DeviceRGB \(\/DefaultRGB\)/,
      ],
    ] as const
  ).map(([what, space, detail]): Row => ({
    name: `a condition drawn in a colour space readers read differently: ${what}`,
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Resources',
          `/ColorSpace << ${space} >>`,
          `/CS1 cs 0 sc 0 0 0 rg BT /${font} 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n`,
        ),
      ];
    },
    detail,
  })),
  {
    name: 'a form drawing a colour in whatever space its caller set (pdf.js and poppler differ)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [, font] = fontOf(page);
      const [form, content] = [n(), n()];
      return [
        {
          num: form,
          body: streamObject(
            '1 sc BT /F1 18 Tf 2 8 Td (DECISION: APPROVED) Tj ET',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 400 40 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Fx9 ${form} 0 R`,
          'q 0 0 0 rg 1 0 0 1 60 730 cm /Fx9 Do Q\n',
        ),
      ];
    },
    detail: /gives sc a colour before setting a colour space of its own/,
  },
  {
    name: 'b) a signature block kept at its size when zoomed out (flag NoZoom): it covers more',
    feature: signatureWidget('/F 12'),
    detail: /kept at its size when zoomed \(flag NoZoom\)/,
  },
  {
    name: 'b) a signature block kept upright on a page turned a quarter (flag NoRotate)',
    feature: (pdf, n) => {
      const objects = signatureWidget('/F 20')(pdf, n);
      const a = anatomy(pdf);
      return objects.map((o) =>
        o.num === a.page ? { ...o, body: withEntry(o.body, '/Rotate 90') } : o,
      );
    },
    detail: /is rotated and holds a widget kept upright \(flag NoRotate\)/,
  },
  {
    name: 'a page turned by 45 degrees (some viewers turn it, some do not)',
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [{ num: a.page, body: withEntry(body(pdf, a.page), '/Rotate 45') }];
    },
    detail: /turns a page by other than quarter turns/,
  },
  {
    name: 'a form naming an XObject only the page defines (poppler draws the page’s, pdf.js nothing)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [, font] = fontOf(page);
      const [outer, inner, content] = [n(), n(), n()];
      return [
        {
          num: outer,
          body: streamObject(
            '/Fm2 Do',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 400 40 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        {
          num: inner,
          body: streamObject(
            '0 g BT /F1 18 Tf 2 8 Td (DECISION: REFUSED) Tj ET',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 400 40 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Fm1 ${outer} 0 R /Fm2 ${inner} 0 R`,
          'q 1 0 0 1 60 730 cm /Fm1 Do Q\n',
        ),
      ];
    },
    detail: /names the XObject \/Fm2, which its resources do not define/,
  },
  {
    // Every reader draws an appearance as a form, whatever its /Subtype says: one without it
    // escaped the reading of forms, and poppler drew the page's /Fm9 through it.
    name: 'a signature widget whose appearance, typed as no form, names an XObject only the page defines',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [, font] = fontOf(page);
      const drawing = n();
      const widget = signatureWidget('/F 4', (_font, next) => {
        const ap = next();
        return [
          `/N ${ap} 0 R`,
          { num: ap, body: streamObject('/Fm9 Do', '/BBox [ 0 0 300 30 ] /Resources << >>') },
        ];
      })(pdf, n);
      const drawn = {
        num: drawing,
        body: streamObject(
          '0 g BT /F1 18 Tf 2 8 Td (DECISION: REFUSED) Tj ET',
          `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
        ),
      };
      // The widget's page, with the drawing among its XObjects.
      return [
        drawn,
        ...widget.map((o) =>
          o.num === a.page
            ? { num: o.num, body: subWith(o.body, 'XObject', `/Fm9 ${drawing} 0 R`) }
            : o,
        ),
      ];
    },
    detail: /names the XObject \/Fm9, which its resources do not define/,
  },
  {
    name: 'a graphics state the page does not define',
    feature: drawing((font) => [`/GS9 gs BT /${font} 12 Tf 72 700 Td (CONDITION 1) Tj ET\n`]),
    detail: /names the ExtGState \/GS9, which its resources do not define/,
  },
  {
    name: 'a font set through a graphics state, not by Tf (poppler draws it, pdf.js does not)',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GSF << /Type /ExtGState /Font [ << /Type /Font /BaseFont /Helvetica >> 18 ] >>',
          '/GSF gs BT 72 700 Td (DECISION: REFUSED) Tj ET\n',
        ),
      ];
    },
    detail: /sets a font through a graphics state/,
  },
  ...(
    [
      ['scaled to no width', '0 Tz', /scales text to no width \(0 Tz\)/],
      ['in a font of size 0', '', /sets a font of size 0 \(Tf\)/, '0'],
      ['under a matrix that flattens it', '1 0 0 0 0 0 cm', /flattens what follows .*\(cm\)/],
      ['by a text matrix that flattens it', '0 0 0 0 72 700 Tm', /flattens what follows .*\(Tm\)/],
    ] as const
  ).map(([what, ops, detail, size]): Row => ({
    name: `text drawn by nobody and extracted by every reader: ${what}`,
    feature: drawing((font) => [
      `q ${ops.endsWith('cm') ? ops : ''} BT /${font} ${size ?? '12'} Tf ${ops.endsWith('cm') ? '' : ops} 72 700 Td (DECISION: REFUSED) Tj ET Q\n`,
    ]),
    detail,
  })),
  ...(
    [
      [
        'JPEG data that is not a JPEG (poppler paints white over the line, pdf.js nothing)',
        'not a jpeg at all',
        '/Filter /DCTDecode /ColorSpace /DeviceGray /BitsPerComponent 8',
        /its JPEG data is not one whole JPEG of its size/,
      ],
      [
        'Flate data with more after it (white in poppler, black in pdf.js)',
        `${deflateSync(Buffer.alloc(4, 255)).toString('latin1')}trailing`,
        '/Filter /FlateDecode /ColorSpace /DeviceGray /BitsPerComponent 8',
        /data follows its compressed data/,
      ],
      [
        'Flate data cut short',
        deflateSync(Buffer.alloc(4, 255)).subarray(0, 5).toString('latin1'),
        '/Filter /FlateDecode /ColorSpace /DeviceGray /BitsPerComponent 8',
        /its compressed data cannot be read whole/,
      ],
      [
        'fewer rows than its height (readers fill the rest each their own way)',
        '\xff\xff',
        '/ColorSpace /DeviceGray /BitsPerComponent 8',
        /it holds 2 bytes where its rows make 4/,
      ],
      [
        'LZW data',
        'x',
        '/Filter /LZWDecode /ColorSpace /DeviceGray /BitsPerComponent 8',
        /it is filtered by LZWDecode/,
      ],
      // A JPEG's dictionary must say what its frame says (round 20t: each a different decision).
      [
        'a three-component JPEG declared CMYK (black to poppler, white to pdf.js)',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceCMYK /BitsPerComponent 8',
        /its JPEG data is not of the depth and colour components it declares/,
      ],
      [
        'a JPEG whose /Decode is short (poppler skips it, pdf.js draws it)',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceRGB /BitsPerComponent 8 /Decode [ 0 1 ]',
        /its \/Decode is not two numbers for each component/,
      ],
      [
        'a JPEG in a pattern space (poppler draws it black, pdf.js nothing)',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /Pattern /BitsPerComponent 8',
        /its colour space or depth is not one every reader reads alike/,
      ],
      [
        'a JPEG declared 4 bits deep',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceRGB /BitsPerComponent 4',
        /its JPEG data is not of the depth and colour components it declares/,
      ],
      [
        'a JPEG with a colour key (decoders differ in the samples it would mask)',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceRGB /BitsPerComponent 8 /Mask [ 250 255 250 255 250 255 ]',
        /its colour key \(\/Mask\) is not a range of its sample values/,
      ],
      [
        'a JPEG whose depth is written with a point (poppler skips it)',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceRGB /BitsPerComponent 8.0',
        /its colour space or depth is not one every reader reads alike/,
        true,
      ],
      [
        'a depth written with a point (poppler skips the image, pdf.js draws it)',
        '\xfe\xfe\xfe\xfe',
        '/ColorSpace /DeviceGray /BitsPerComponent 8.0',
        /its colour space or depth is not one every reader reads alike/,
        true,
      ],
      [
        'a colour key of a real (poppler cuts 254.5 to 254 and masks, pdf.js draws)',
        '\xfe\xfe\xfe\xfe',
        '/ColorSpace /DeviceGray /BitsPerComponent 8 /Mask [ 254.5 255 ]',
        /its colour key \(\/Mask\) is not a range of its sample values/,
        true,
      ],
      [
        'a colour key of one number (poppler draws the image, pdf.js not)',
        '\xfe\xfe\xfe\xfe',
        '/ColorSpace /DeviceGray /BitsPerComponent 8 /Mask [ 254 ]',
        /its colour key \(\/Mask\) is not a range of its sample values/,
      ],
      [
        'a colour key beyond its depth',
        '\xfe\xfe\xfe\xfe',
        '/ColorSpace /DeviceGray /BitsPerComponent 8 /Mask [ 254 256 ]',
        /its colour key \(\/Mask\) is not a range of its sample values/,
      ],
      // Round 20w: stencil masks and inline-image keys.
      [
        'a stencil mask decoded by 0.5 (poppler inverts from 0.9, pdf.js from above 0)',
        '\xff\xff',
        '/ImageMask true /Decode [ 0.5 0 ]',
        /it is a stencil mask not one bit deep, or not decoded by 0 and 1/,
        true,
      ],
      [
        'a stencil mask eight bits deep (poppler skips it, pdf.js draws it)',
        '\xff\xff\xff\xff',
        '/ImageMask true /BitsPerComponent 8',
        /it is a stencil mask not one bit deep, or not decoded by 0 and 1/,
      ],
      [
        'a stencil mask said by a number (poppler skips it, pdf.js draws it)',
        '\xff\xff',
        '/ImageMask 1',
        /its \/ImageMask is not true or false/,
      ],
      [
        'an inline image key beside the full one (/IM, read first by pdf.js)',
        '\xff\xff',
        '/ImageMask false /IM true /ColorSpace /DeviceGray /BitsPerComponent 8',
        /it has the inline image entry \/IM/,
      ],
      [
        'a short height beside the full one (/H)',
        '\xff\xff\xff\xff',
        '/H 1 /ColorSpace /DeviceGray /BitsPerComponent 8',
        /it has the inline image entry \/H/,
      ],
      // Round 20x: predictors pdf.js does not apply (it read no data at all: a white mask
      // painted over "NOT", a gray image black).
      [
        'a stencil mask with predictor 5 (poppler applies none, pdf.js reads nothing)',
        deflateSync(Buffer.from([0xff, 0xff])).toString('latin1'),
        '/ImageMask true /Filter /FlateDecode /DecodeParms << /Predictor 5 /Columns 2 >>',
        /its predictor is not one every reader applies alike/,
      ],
      [
        'a gray image with predictor 16 (PNG to poppler, nothing to pdf.js)',
        deflateSync(Buffer.from([0, 0xfe, 0xfe, 0, 0xfe, 0xfe])).toString('latin1'),
        '/Filter /FlateDecode /ColorSpace /DeviceGray /BitsPerComponent 8 /DecodeParms << /Predictor 16 /Columns 2 >>',
        /its predictor is not one every reader applies alike/,
      ],
      [
        'a 16-bit image with the TIFF predictor (black to poppler, white to pdf.js)',
        deflateSync(Buffer.alloc(8, 0xff)).toString('latin1'),
        '/Filter /FlateDecode /ColorSpace /DeviceGray /BitsPerComponent 16 /DecodeParms << /Predictor 2 /Columns 2 /BitsPerComponent 16 >>',
        /its predictor is not one every reader applies alike/,
      ],
      [
        'a predictor written with a point (poppler takes integers only)',
        deflateSync(Buffer.from([2, 0xfe, 0xfe, 2, 0, 0])).toString('latin1'),
        '/Filter /FlateDecode /ColorSpace /DeviceGray /BitsPerComponent 8 /DecodeParms << /Predictor 12.0 /Columns 2 >>',
        /its predictor is not one every reader applies alike/,
        true,
      ],
    ] as const
  ).map(([what, data, dict, detail, updateOnly]): Row => ({
    name: `an image over a condition that readers decode differently: ${what}`,
    ...(updateOnly ? { updateOnly } : {}),
    feature: imageDrawn(data, `/Width 2 /Height 2 ${dict}`, (pdf) => {
      const [font] = fontOf(body(pdf, anatomy(pdf).page));
      return `BT /${font} 12 Tf 72 700 Td (CONDITION 1) Tj ET `;
    }),
    detail,
  })),
  ...(
    [
      ['no /BBox (poppler draws nothing of it, pdf.js all)', '', ''],
      ['a /BBox of three numbers', '/BBox [ 0 0 595 ]', ''],
      ['a /Matrix with a name in it', '/BBox [ 0 0 400 40 ]', '/Matrix [ /a 0 0 1 0 0 ]'],
      [
        'a /Matrix of seven numbers (poppler takes six)',
        '/BBox [ 0 0 400 40 ]',
        '/Matrix [ 1 0 0 1 0 -200 0 ]',
      ],
      ['a /Matrix that flattens it', '/BBox [ 0 0 400 40 ]', '/Matrix [ 0 0 0 0 0 0 ]'],
    ] as const
  ).map(([what, box, matrix]): Row => ({
    name: `a form drawn over the decision whose geometry readers read differently: ${what}`,
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [, font] = fontOf(page);
      const [form, content] = [n(), n()];
      return [
        {
          num: form,
          body: streamObject(
            '1 g 0 0 400 40 re f 0 g BT /F1 18 Tf 2 8 Td (DECISION: REFUSED) Tj ET',
            `/Type /XObject /Subtype /Form ${box} ${matrix} /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Fx7 ${form} 0 R`,
          'q 1 0 0 1 60 760 cm /Fx7 Do Q\n',
        ),
      ];
    },
    detail: /is a form or pattern whose box or matrix readers read differently/,
  })),
  {
    name: 'a shading over the decision, its function without a /Domain (poppler skips it, pdf.js paints)',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'Resources',
          '/Shading << /Sh1 << /ShadingType 2 /ColorSpace /DeviceGray /Coords [ 0 0 1 0 ] /Extend [ true true ] /Function << /FunctionType 2 /C0 [ 1 ] /C1 [ 1 ] /N 1 >> >> >>',
          'q 60 760 400 40 re W n /Sh1 sh Q\n',
        ),
      ];
    },
    detail: /holds a shading or a function \(\/(ShadingType|FunctionType)\)/,
  },
  ...(
    [
      [
        'an ICC profile of one component with an RGB alternate (poppler keeps black, pdf.js draws white)',
        (profile: number) => `/CS1 [ /ICCBased ${profile} 0 R ]`,
        '/N 1 /Alternate /DeviceRGB',
      ],
      [
        'a CalGray whose white point is not one (poppler draws pink, pdf.js nothing)',
        () => '/CS1 [ /CalGray << /WhitePoint [ 1 2 1 ] >> ]',
        '/N 1',
      ],
      [
        // Poppler draws through the profile, pdf.js (without its colour engine) through the
        // device space: an inverted curve drew "NOT" black in one and white in the other.
        'an ICC profile (readers apply it or not)',
        (profile: number) => `/CS1 [ /ICCBased ${profile} 0 R ]`,
        '/N 1',
      ],
      [
        // Poppler refused the space (the colour stayed gray: "NOT" white), pdf.js drew black.
        'an ICC profile whose /N is written with a point',
        (profile: number) => `/CS1 [ /ICCBased ${profile} 0 R ]`,
        '/N 1.0',
      ],
    ] as const
  ).map(([what, space, profileDict]): Row => ({
    name: `a condition drawn in a colour space readers read differently: ${what}`,
    ...(profileDict.includes('.0') ? { updateOnly: true as const } : {}),
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const [profile, content] = [n(), n()];
      return [
        { num: profile, body: streamObject('icc', profileDict) },
        ...drawnWith(
          pdf,
          content,
          'Resources',
          `/ColorSpace << ${space(profile)} >>`,
          `0 0 0 rg /CS1 cs 1 sc BT /${font} 12 Tf 72 700 Td (CONDITION 1: never connected) Tj ET\n`,
        ),
      ];
    },
    detail: /sets the colour space \/CS1, which its resources do not define/,
  })),
  ...(
    [
      [
        'a /Decode of names',
        '/Decode [ /a /b ]',
        '\xff',
        /its \/Decode is not two numbers for each component/,
      ],
      [
        'a /Decode of one number',
        '/Decode [ 1 ]',
        '\xff',
        /its \/Decode is not two numbers for each component/,
      ],
      [
        'a soft mask without /Subtype whose data is short',
        '/SMask MASK',
        '\xff',
        /\(its \/SMask\) is an image readers decode differently: it holds 1 bytes where its rows make 4/,
      ],
    ] as const
  ).map(([what, entry, data, detail]): Row => ({
    name: `an image over a condition that readers decode differently: ${what}`,
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const [image, mask, content] = [n(), n(), n()];
      return [
        { num: mask, body: streamObject('\x00', '/Width 2 /Height 2 /BitsPerComponent 8') },
        {
          num: image,
          body: streamObject(
            data,
            `/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 ${entry.replace('MASK', `${mask} 0 R`)}`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im9 ${image} 0 R`,
          `BT /${font} 12 Tf 72 700 Td (CONDITION 1) Tj ET q 300 0 0 20 70 695 cm /Im9 Do Q\n`,
        ),
      ];
    },
    detail,
  })),
  {
    name: 'a Type 3 glyph naming a form only the page defines (poppler draws it, pdf.js nothing)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const [t3, glyph, form, content] = [n(), n(), n(), n()];
      return [
        { num: glyph, body: streamObject('1000 0 d0 /Fm9 Do') },
        {
          num: t3,
          body: `<< /Type /Font /Subtype /Type3 /FontBBox [ 0 0 1000 1000 ] /FontMatrix [ 0.001 0 0 0.001 0 0 ] /CharProcs << /a ${glyph} 0 R >> /Encoding << /Type /Encoding /Differences [ 97 /a ] >> /FirstChar 97 /LastChar 97 /Widths [ 1000 ] /Resources << >> >>`,
        },
        {
          num: form,
          body: streamObject(
            '0 g BT /F1 1 Tf (REFUSED) Tj ET',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 1000 1000 ] /Resources << /Font << /F1 ${fontOf(page)[1]} 0 R >> >>`,
          ),
        },
        {
          num: content,
          body: streamObject(
            `BT /T3 12 Tf 72 700 Td (a) Tj ET BT /${font} 12 Tf 90 700 Td (x) Tj ET\n`,
          ),
        },
        {
          num: a.page,
          body: listWith(
            subWith(subWith(page, 'Font', `/T3 ${t3} 0 R`), 'XObject', `/Fm9 ${form} 0 R`),
            'Contents',
            `${content} 0 R`,
          ),
        },
      ];
    },
    detail: /is a Type 3 font one of whose glyphs names the XObject \/Fm9/,
  },
  {
    name: 'a crop box inherited from the page tree, not the page’s media box (pdf.js shows the top only)',
    feature: (pdf) => {
      return [pagesWith(pdf, '/MediaBox [ 0 0 595 400 ] /CropBox [ 0 0 595 400 ]')];
    },
    detail: /has a CropBox that is not its MediaBox \(inherited\)/,
  },
  {
    name: 'a white stroke over the decision with a dash of no length (pdf.js strokes it, poppler not)',
    feature: drawing(() => ['1 G 40 w [ 0 0 ] 0 d 60 775 m 500 775 l S\n']),
    detail: /sets a dash of no length \(d\)/,
  },
  {
    name: 'a dash of no length set through a graphics state',
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GSD << /Type /ExtGState /D [ [ 0 0 ] 0 ] >>',
          '1 G 40 w /GSD gs 60 775 m 500 775 l S\n',
        ),
      ];
    },
    detail: /sets a dash of no length \(\/D\)/,
  },
  // Round 20t: what a graphics state sets, read as every reader reads it.
  ...(
    [
      [
        'a dash of nulls (no length to poppler, solid to pdf.js)',
        '/D [ [ null 0 ] 0 ]',
        /sets a dash that is not numbers and a phase \(\/D\)/,
      ],
      [
        'a dash of strings',
        '/D [ [ (1) 0 ] 0 ]',
        /sets a dash that is not numbers and a phase \(\/D\)/,
      ],
      [
        'a dash without its phase',
        '/D [ [ 3 0 ] ]',
        /sets a dash that is not numbers and a phase \(\/D\)/,
      ],
      [
        'a line cap given as a string (poppler skips it, pdf.js caps the stroke over "NOT")',
        '/LC (2)',
        /sets \/LC to other than an integer line style/,
      ],
      [
        'a line cap written with a point',
        '/LC 2.0',
        /sets \/LC to other than an integer line style/,
        true,
      ],
      [
        'a line join of no style of PDF’s',
        '/LJ 3',
        /sets \/LJ to other than an integer line style/,
      ],
      ['a line width given as a string', '/LW (40)', /sets \/LW with other than a number/],
      // Poppler skipped it, pdf.js's canvas read "0" as 0 and hid the stroke (round 20z).
      ['an alpha given as a string', '/CA (0)', /sets \/CA with other than a number/],
      [
        'a dash of a negative length',
        '/D [ [ -1 1 ] 0 ]',
        /sets a dash with a negative length or phase \(\/D\)/,
      ],
      // As `0 M` and `-1 w` (round 20aa).
      ['a miter limit of 0', '/LJ 0 /ML 0', /sets \/ML below 1/],
      ['a negative line width', '/LW -1', /sets \/LW below 0/],
    ] as const
  ).map(([what, entry, detail, updateOnly]): Row => ({
    name: `a white stroke over the decision through a graphics state: ${what}`,
    ...(updateOnly ? { updateOnly } : {}),
    feature: (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          `/GSX << /Type /ExtGState ${entry} >>`,
          'q /GSX gs 1 1 1 RG 46 w 60 775 m 500 775 l S Q\n',
        ),
      ];
    },
    detail,
  })),
  {
    name: 'a white stroke over the decision with a dash of names (d)',
    feature: drawing(() => ['1 G 40 w [ /a 1 ] 0 d 60 775 m 500 775 l S\n']),
    detail: /sets a dash of other things than numbers \(d\)/,
  },
  // Round 20ab: a Q with nothing saved. Poppler stops drawing the stream there; pdf.js draws
  // on, and inside a form restores the state from before the form, out of its matrix and box.
  {
    name: 'a white square over "NOT" after a Q with nothing saved (drawn by pdf.js only)',
    feature: drawing(() => ['Q 1 g 168.5 724 44 44 re f\n']),
    detail: /restores a graphics state it never saved \(Q without q\)/,
  },
  {
    name: 'a white square over "NOT" in a tiny form, after a Q that leaves the form (pdf.js only)',
    feature: (pdf, n) => {
      const form = n();
      return [
        {
          num: form,
          body: streamObject(
            'Q 1 g 168.5 724 44 44 re f',
            '/Type /XObject /Subtype /Form /BBox [ 0 0 1 1 ] /Matrix [ 0.001 0 0 0.001 0 0 ] /Resources << >>',
          ),
        },
        ...drawnWith(pdf, n(), 'XObject', `/Fx ${form} 0 R`, 'q /Fx Do Q\n'),
      ];
    },
    detail: /object \d+ \(revision \d\) restores a graphics state it never saved \(Q without q\)/,
  },
  // Round 20ac: a comment at a stream's end, run on into the next stream by poppler only; a
  // dash of a negative length, stroked by nobody in poppler and solid in pdf.js.
  {
    name: 'a white square over "NOT" in the stream after one that ends inside a comment (pdf.js only)',
    feature: drawing(() => ['q Q % the end of the stream', '1 g 168.5 724 44 44 re f\n']),
    detail: /ends inside a comment, which readers end in different places/,
  },
  {
    name: 'a white bar over "NOT" dashed with a negative length (pdf.js strokes it solid)',
    feature: drawing(() => ['[ -1 1 ] 0 d 1 G 44 w 168.5 746 m 212.5 746 l S\n']),
    detail: /sets a dash with a negative length or phase \(d\)/,
  },
  // Round 20ad: a path from no current point (poppler skips it, a canvas starts one there), and
  // text shown outside a text object or a form drawn inside one (poppler starts a form's text at
  // its origin, pdf.js where the page's text stood).
  {
    name: 'a white box of four lines from no current point over "NOT" (pdf.js only)',
    feature: drawing(() => ['q 1 g 168.5 724 l 212.5 724 l 212.5 768 l 168.5 768 l h f Q\n']),
    detail: /draws a path on from no current point \(l\)/,
  },
  {
    name: 'a close from no current point, then a clip that hides a box in pdf.js only',
    feature: drawing(() => ['q h W n 1 g 168.5 724 44 44 re f Q\n']),
    detail: /draws a path on from no current point \(h\)/,
  },
  {
    name: 'a form showing "REFUSED" with no text object of its own, placed by the page’s (pdf.js only)',
    feature: (pdf, n) => {
      const [font, fontNum] = fontOf(body(pdf, anatomy(pdf).page));
      const form = n();
      return [
        {
          num: form,
          body: streamObject(
            '(REFUSED) Tj',
            `/Type /XObject /Subtype /Form /BBox [ 50 600 595 842 ] /Resources << /Font << /${font} ${fontNum} 0 R >> >>`,
          ),
        },
        ...drawnWith(
          pdf,
          n(),
          'XObject',
          `/X1 ${form} 0 R`,
          `BT /${font} 18 Tf 162 740 Td ET q /X1 Do Q\n`,
        ),
      ];
    },
    detail: /shows or places text outside BT … ET \(Tj\)/,
  },
  {
    name: 'a form drawn inside the page’s text object',
    feature: (pdf, n) => {
      const [font, fontNum] = fontOf(body(pdf, anatomy(pdf).page));
      const form = n();
      return [
        { num: form, body: formDrawing(fontNum, 'REFUSED') },
        ...drawnWith(
          pdf,
          n(),
          'XObject',
          `/X1 ${form} 0 R`,
          `BT /${font} 18 Tf 162 740 Td /X1 Do ET\n`,
        ),
      ];
    },
    detail: /draws a form inside a text object \(Do between BT and ET\)/,
  },
  // Round 20ag: the graphics state saved, restored or transformed inside a text object. Poppler's
  // Q restores the text matrix but not the line's position, pdf.js's both.
  ...(
    [
      [
        'the text line moved inside q … Q in a text object ("NOT" in poppler, off the page in pdf.js)',
        (font: string) => `BT /${font} 18 Tf 2000 740 Td q -1838 0 Td Q (NOT) Tj ET\n`,
        /saves, restores or transforms the graphics state inside a text object \(q between BT and ET\)/,
      ],
      [
        'a state saved before a text object restored inside it',
        (font: string) => `q BT /${font} 18 Tf 162 740 Td Q (NOT) Tj ET\n`,
        /inside a text object \(Q between BT and ET\)/,
      ],
      [
        'the page matrix moved inside a text object',
        (font: string) => `BT /${font} 18 Tf 162 740 Td 1 0 0 1 2000 0 cm (NOT) Tj ET\n`,
        /inside a text object \(cm between BT and ET\)/,
      ],
    ] as const
  ).map(([name, ops, detail]) => ({
    name,
    feature: (pdf: Buffer, n: () => number) => {
      const [font] = fontOf(body(pdf, anatomy(pdf).page));
      return drawnWith(pdf, n(), 'Resources', '', ops(font));
    },
    detail,
  })),
  // Round 20aj: pdf.js gathers a number's digits and divides once: 170. and 400 zeros is NaN to
  // it (NOT drawn at the page's corner), 170 to poppler (NOT beside "DECISION:").
  {
    name: 'a line placed by a number of 404 characters (NaN to pdf.js)',
    feature: (pdf: Buffer, n: () => number) => {
      const [font] = fontOf(body(pdf, anatomy(pdf).page));
      return drawnWith(
        pdf,
        n(),
        'Resources',
        '',
        `BT /${font} 18 Tf 170.${'0'.repeat(400)} 740 Td (NOT) Tj ET\n`,
      );
    },
    detail: /writes a number of 404 characters, which readers read as different values/,
  },
  // Round 20ak: names and strings as poppler and pdf.js lex them apart. Poppler drops a `#`
  // escape's bad digit and ends a name at `#00`, keeps an octal escape's low byte, and reads a
  // character in a hex string that is no hex digit as 0; pdf.js does none of these.
  ...(
    [
      [
        'a form named with a broken escape (/X#4Z: /X@ to poppler)',
        'q /X#4Z Do Q',
        /names \/X#4Z, an escape readers decode differently/,
      ],
      [
        'a form named with #00 (cut there by poppler)',
        'q /X#00Y Do Q',
        /names \/X#00Y, an escape readers decode differently/,
      ],
      [
        'octal escapes above a byte (NOT to poppler, nothing to pdf.js)',
        'BT /F1 18 Tf 170 740 Td (\\516\\517\\524) Tj ET',
        /writes \\516 in a string, above a byte, which readers read differently/,
      ],
      [
        'a hex string with characters that are no hex digits (NOT to pdf.js only)',
        'BT /F1 18 Tf 170 740 Td <G4GEG4GFG5G4> Tj ET',
        /writes G in a hexadecimal string, which readers read differently/,
      ],
    ] as const
  ).map(([name, ops, detail]) => ({
    name,
    feature: (pdf: Buffer, n: () => number) => drawnWith(pdf, n(), 'Resources', '', `${ops}\n`),
    detail,
  })),
  // Round 20aa: a cap, a join or a limit that is no style. Poppler took `7 J` as butt caps,
  // pdf.js kept the square cap set before: a stroke 0.01 long was a white square over "NOT" in
  // pdf.js and nothing in poppler (the same for joins, and a miter limit below 1).
  ...(
    [
      [
        'a line cap that is no style (2 J 7 J)',
        '2 J 7 J',
        /sets a line cap that is no style \(7 J\)/,
      ],
      [
        'a line join that is no style (0 j 7 j)',
        '0 j 7 j',
        /sets a line join that is no style \(7 j\)/,
      ],
      [
        'a line cap given as a name',
        '/Square J',
        /sets a line cap that is no style \(\/Square J\)/,
      ],
      ['a miter limit of 0', '0 M', /sets a miter limit below 1 \(0 M\)/],
      ['a negative miter limit', '-1 M', /sets a miter limit below 1 \(-1 M\)/],
      ['a negative line width', '60 w -1 w', /sets a negative line width \(-1 w\)/],
    ] as const
  ).map(([what, ops, detail]): Row => ({
    name: `a white stroke over "NOT" that readers draw differently: ${what}`,
    feature: drawing(() => [`q 1 G 46 w ${ops} 200 775 m 200.01 775 l 260 790 l S Q\n`]),
    detail,
  })),
  // Round 20v: a tiling pattern every reader takes, filling "NOT" white.
  ...(
    [
      [
        'its type written with a point (poppler draws none)',
        '/PatternType 1.0 /PaintType 1 /TilingType 1 /XStep 4 /YStep 4',
        true,
      ],
      [
        'no /PaintType (poppler makes one up, pdf.js refuses it)',
        '/PatternType 1 /TilingType 1 /XStep 4 /YStep 4',
      ],
      ['a /PaintType of 1.5', '/PatternType 1 /PaintType 1.5 /TilingType 1 /XStep 4 /YStep 4'],
      ['no /TilingType', '/PatternType 1 /PaintType 1 /XStep 4 /YStep 4'],
      ['no steps', '/PatternType 1 /PaintType 1 /TilingType 1'],
      ['a step of 0', '/PatternType 1 /PaintType 1 /TilingType 1 /XStep 0 /YStep 4'],
    ] as const
  ).map(([what, entries, updateOnly]: readonly [string, string, true?]): Row => ({
    name: `"NOT" filled with a white pattern readers read differently: ${what}`,
    ...(updateOnly ? { updateOnly } : {}),
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const [tile, content] = [n(), n()];
      return [
        {
          num: tile,
          body: streamObject(
            '1 g 0 0 4 4 re f',
            `/Type /Pattern ${entries} /BBox [ 0 0 4 4 ] /Resources << >>`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'Resources',
          `/Pattern << /P9 ${tile} 0 R >>`,
          `/Pattern cs /P9 scn BT /${font} 12 Tf 72 700 Td (NOT) Tj ET\n`,
        ),
      ];
    },
    detail: /is a pattern readers read differently/,
  })),
  ...(
    [
      [
        // Poppler draws by a (3,0) cmap whenever no encoding is named, pdf.js only for a font
        // flagged symbolic: "NOT" mapped to spaces in one reader only.
        'an embedded TrueType font with a symbol cmap, not flagged symbolic, no encoding',
        '/Flags 32',
        '',
        [
          [3, 0],
          [3, 1],
        ],
      ],
      [
        'an embedded TrueType font with a symbol cmap named StandardEncoding',
        '/Flags 32',
        '/Encoding /StandardEncoding',
        [[3, 0]],
      ],
      ['an embedded TrueType font whose tables cannot be read', '/Flags 32', '', null],
      [
        // pdf.js then maps codes by the `post` table's glyph names, poppler by the cmap.
        'an embedded TrueType font with a platform-0 Unicode cmap, encoded WinAnsi',
        '/Flags 32',
        '/Encoding /WinAnsiEncoding',
        [[0, 3]],
      ],
      [
        // Poppler takes the last Unicode subtable, pdf.js reads only some of them.
        'an embedded TrueType font whose Unicode cmaps are two tables',
        '/Flags 32',
        '',
        [
          [0, 3, 100],
          [0, 4, 200],
        ],
      ],
      [
        // Both readers take /FontFile first, then each applies its own Type 1 encoding rule.
        'a TrueType font carrying a Type 1 program beside its own',
        '/Flags 32 /FontFile PROGRAM',
        '',
        [[3, 1]],
      ],
      [
        // Poppler keeps the last subtable of a kind, pdf.js the first.
        'an embedded TrueType font with one kind of cmap twice',
        '/Flags 32',
        '/Encoding /WinAnsiEncoding',
        [
          [3, 1],
          [3, 1],
        ],
      ],
      [
        'an embedded TrueType font with its cmaps out of order',
        '/Flags 32',
        '',
        [
          [3, 1],
          [1, 0],
        ],
      ],
    ] as const
  ).map(([name, flags, encoding, cmaps]): Row => ({
    name,
    feature: trueTypeFont(flags, encoding, cmaps),
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  })),
  // Round 20z: a table directory every reader reads alike.
  ...(
    [
      // pdf.js drew the `CFF ` table's (empty) glyphs, poppler the `glyf` outlines.
      ['a CFF table beside its TrueType outlines', sfnt([[3, 1]], ['glyf', 'loca', 'CFF '])],
      ['no TrueType outlines (no glyf)', sfnt([[3, 1]], ['loca'])],
      // Poppler read the first cmap, pdf.js the last.
      ['its cmap listed twice', sfnt([[3, 1]], ['glyf', 'loca', 'cmap'])],
      // pdf.js skipped it, poppler read it.
      ['a cmap of length 0', sfnt([[3, 1]], ['glyf', 'loca'], 0)],
    ] as const
  ).map(([what, program]): Row => ({
    name: `an embedded TrueType font whose table directory readers read differently: ${what}`,
    feature: trueTypeFont('/Flags 32', '/Encoding /WinAnsiEncoding', [[3, 1]], '', program),
    detail: /sets the font \/F9, which its resources do not define as a font every reader loads/,
  })),
  {
    // pdf.js read the program as empty and drew a standard font, poppler the program.
    name: 'an embedded TrueType font stored with a predictor',
    feature: trueTypeFont('/Flags 32', '', [[3, 1]], '/DecodeParms << /Predictor 5 >>'),
    detail: /is a stream other than an image with decode parameters/,
  },
  ...(
    [
      [
        'that does not say /ImageMask true (poppler skips the image)',
        '/ColorSpace /DeviceGray /BitsPerComponent 8',
      ],
      [
        'typed an image (poppler used it as a soft mask)',
        '/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8',
      ],
    ] as const
  ).map(([what, maskDict]): Row => ({
    name: `a white image over the decision whose /Mask is a stream ${what}`,
    feature: (pdf, n) => {
      const [mask, image, content] = [n(), n(), n()];
      return [
        { num: mask, body: streamObject('\xff\xff\xff\xff', `/Width 2 /Height 2 ${maskDict}`) },
        {
          num: image,
          body: streamObject(
            '\xff\xff\xff\xff',
            `/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Mask ${mask} 0 R`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im9 ${image} 0 R`,
          'q 300 0 0 20 70 695 cm /Im9 Do Q\n',
        ),
      ];
    },
    detail: /its \/Mask is a stream that is no stencil mask/,
  })),
  {
    // pdf.js drew the appearance unscaled over the decision, poppler clipped it to nothing.
    name: 'a signature widget whose appearance box has no area',
    feature: signatureWidget('/F 4', (font, next) => {
      const ap = next();
      return [
        `/N ${ap} 0 R`,
        {
          num: ap,
          body: formDrawing(font, 'REFUSED').replace('/BBox [ 0 0 300 30 ]', '/BBox [ 0 0 0 30 ]'),
        },
      ];
    }),
    detail: /is an annotation whose appearance box has no area \(\/BBox\)/,
  },
  {
    // Poppler takes /Rotate only as an integer: the page is upright to it, upside down to pdf.js.
    name: 'a page tree turning its pages by a number written with a point',
    updateOnly: true,
    feature: (pdf) => {
      const a = anatomy(pdf);
      return [{ num: a.pages, body: withEntry(body(pdf, a.pages), '/Rotate 180.0') }];
    },
    detail: /turns a page by other than quarter turns/,
  },
  // Round 20as: beyond 2^31 − 1 poppler keeps the turn the page inherits (180, from its page
  // tree) where pdf.js and the verifier took the page's own (no turn), so a NoRotate widget the
  // upright check passed over was turned over "NOT" in poppler.
  ...['2147483880', '-2147483700', '450'].map((turn) => ({
    name: `a page turned by more than a whole turn (/Rotate ${turn}) under a page tree turned by 180`,
    feature: ((pdf) => {
      const a = anatomy(pdf);
      return [
        { num: a.pages, body: withEntry(body(pdf, a.pages), '/Rotate 180') },
        { num: a.page, body: withEntry(body(pdf, a.page), `/Rotate ${turn}`) },
      ];
    }) satisfies Feature,
    detail: /turns a page by other than quarter turns, at most a whole turn/,
  })),
];

/** `feature` added to `pdf` as an incremental update. */
export function added(pdf: Buffer, feature: Feature): Buffer {
  let next = anatomy(pdf).size;
  return appendUpdate(
    pdf,
    feature(pdf, () => next++),
  );
}

/** `feature` built into the unsigned letter: one revision, as a tool would have written it. */
export async function builtIn(feature: Feature): Promise<Buffer> {
  const doc = await PDFDocument.load(added(await letter(), feature), { updateMetadata: false });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

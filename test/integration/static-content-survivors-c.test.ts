/**
 * More edges of the static-content reader's rules (electron/signing/static-content.ts), each
 * from the side the other tables left open: a TrueType font's Unicode cmaps, a font's program,
 * a simple and a composite font's widths, a composite font's descendant, a page's streams read
 * as one, a content stream's decode parameters and budget, an image's entries, masks, filters,
 * decode arrays, colour keys and predictors, and a JPEG's markers.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_CONTENT_INFLATED, PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import {
  added,
  drawnWith,
  fontFeature,
  imageDrawn,
  listWith,
  sfnt,
  streamObject,
  trueTypeFont,
  WHITE_JPEG,
  type Feature,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { letter } from '../helpers/pdf';
import { expectVerdict, found } from '../helpers/static-verdict';

/** `feature` with each of its objects' bodies passed through `edit`. */
const edited =
  (feature: Feature, edit: (body: string) => string): Feature =>
  (pdf, n) =>
    feature(pdf, n).map((o) => ({ ...o, body: edit(o.body) }));

const NAMED = /sets the font \/F9, which its resources do not define as a font every reader loads/;
const WIN = '/Encoding /WinAnsiEncoding';

/** [what, the font's encoding, its program, read alike] */
const trueTypes: [string, string, string, boolean][] = [
  [
    'a Macintosh Japanese cmap and a Windows Unicode cmap, two tables',
    WIN,
    sfnt([
      [1, 1, 0],
      [3, 1, 8],
    ]),
    true,
  ],
  [
    'a symbol cmap and a Windows Unicode cmap, two tables',
    WIN,
    sfnt([
      [3, 0, 0],
      [3, 1, 8],
    ]),
    true,
  ],
  [
    'Windows Unicode cmaps of the first plane and of all planes, one table',
    '',
    sfnt([
      [3, 1],
      [3, 10],
    ]),
    true,
  ],
  [
    'Windows Unicode cmaps of the first plane and of all planes, two tables',
    '',
    sfnt([
      [3, 1, 0],
      [3, 10, 8],
    ]),
    false,
  ],
];

describe('an embedded TrueType font', () => {
  it.each(trueTypes)('%s', async (_name, encoding, program, alike) => {
    const feature = trueTypeFont('/Flags 32', encoding, null, '', program);
    await expectVerdict(feature, alike ? null : NAMED);
  });
});

const HELVETICA = '/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding';
const COMPOSITE = (encoding = 'Identity-H') =>
  `/Subtype /Type0 /BaseFont /LiberationSans /Encoding /${encoding} /DescendantFonts [ CID ]`;

/** The standard Helvetica with a font descriptor of its own (`entries`), drawing "NOT". */
const described =
  (entries: string): Feature =>
  (pdf, n) => {
    const [descriptor, content] = [n(), n()];
    return [
      {
        num: descriptor,
        body: `<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 ${entries} >>`,
      },
      ...drawnWith(
        pdf,
        content,
        'Font',
        `/F9 << /Type /Font ${HELVETICA} /FontDescriptor ${descriptor} 0 R >>`,
        'BT /F9 12 Tf 72 700 Td (NOT) Tj ET\n',
      ),
    ];
  };

const CID_TYPE0 = (font: Feature): Feature =>
  edited(font, (b) =>
    b
      .replace('/Subtype /CIDFontType2', '/Subtype /CIDFontType0')
      .replace('/Type1C', '/CIDFontType0C'),
  );

const fonts: [string, Feature, RegExp | null][] = [
  ['the standard Helvetica with a descriptor and no program', described(''), null],
  [
    'a Type 1 font carrying a TrueType program beside its own',
    edited(trueTypeFont('/Flags 32 /FontFile PROGRAM', WIN, [[3, 1]]), (b) =>
      b.replace('/Subtype /TrueType', '/Subtype /Type1'),
    ),
    NAMED,
  ],
  ['a first code alone', fontFeature(`${HELVETICA} /FirstChar 32`, '/Flags 32'), NAMED],
  ['a last code alone', fontFeature(`${HELVETICA} /LastChar 32`, '/Flags 32'), NAMED],
  [
    'vertical widths as lists side by side',
    fontFeature(
      COMPOSITE('Identity-V'),
      '/Flags 32',
      '/W2 [ 3 [ -1000 500 880 ] 4 [ -1000 500 880 ] ]',
    ),
    null,
  ],
  [
    'a vertical range whose widths are not all numbers',
    fontFeature(COMPOSITE('Identity-V'), '/Flags 32', '/W2 [ 3 4 -1000 (x) 880 ]'),
    NAMED,
  ],
  [
    'a composite font whose descendant is a TrueType font',
    edited(fontFeature(COMPOSITE(), '/Flags 32'), (b) =>
      b.replace('/Subtype /CIDFontType2', '/Subtype /TrueType'),
    ),
    NAMED,
  ],
  [
    'a composite font whose descendant is a CID font of compact outlines',
    CID_TYPE0(fontFeature(COMPOSITE(), '/Flags 32', '', 'FontFile3')),
    null,
  ],
];

describe('a font the page sets', () => {
  it.each(fonts)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

/**
 * The page drawing more in a stream of its own (object `content`) of `data` and `dict`; the page
 * written before the stream (`pageFirst`) or after it.
 */
const pageStream =
  (data: string, dict = '', pageFirst = false): Feature =>
  (pdf, n) => {
    const stream = n();
    const a = anatomy(pdf);
    const objects = [
      { num: stream, body: streamObject(data, dict) },
      { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${stream} 0 R`) },
    ];
    return pageFirst ? objects.reverse() : objects;
  };
const flate = (bytes: number[] | Buffer) => deflateSync(Buffer.from(bytes)).toString('latin1');
const LINE = '0 0 m 10 10 l S\n';

const pageContents: [string, Feature, RegExp | null][] = [
  [
    'a second stream drawing a line on from no current point',
    pageStream('10 10 l S\n'),
    /its streams read as one, draws a path on from no current point \(l\)/,
  ],
  [
    'a second stream, compressed, with decode parameters, written after the page',
    pageStream(
      flate(Buffer.from(LINE)),
      '/Filter /FlateDecode /DecodeParms << /Predictor 1 >>',
      true,
    ),
    /is a content stream with decode parameters/,
  ],
  [
    'a second stream, raw, with decode parameters by the short name, written after the page',
    pageStream(LINE, '/DP << >>', true),
    /is a content stream with decode parameters/,
  ],
  [
    'streams listed with two that are none',
    (pdf) => {
      const a = anatomy(pdf);
      return [
        {
          num: a.page,
          body: body(pdf, a.page).replace(
            /\/Contents\s*(\d+ 0 R|\[[^\]]*\])/,
            '/Contents [ $1 [ $1 ] [ $1 ] ]',
          ),
        },
      ];
    },
    /has page content that is not a stream/,
  ],
];

describe("a page's streams in an earlier revision", () => {
  it('read as one, drawing a line on from no current point, since replaced', async () => {
    const pdf = added(await letter(), pageStream('10 10 l S\n'));
    const fixed = added(pdf, (later) => {
      const a = anatomy(later);
      return [
        {
          num: a.page,
          body: body(later, a.page).replace(/\/Contents\s*\[\s*(\d+ 0 R)[^\]]*\]/, '/Contents $1'),
        },
      ];
    });
    expect(found(fixed)).toMatch(
      /\(revision 2\), its streams read as one, draws a path on from no current point \(l\)/,
    );
  });
});

describe("the page's streams, read as one", () => {
  it.each(pageContents)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

/** The page drawing a form (a box of 300 × 30) with `resources` and `ops`. */
const formDrawn =
  (resources: string, ops: string): Feature =>
  (pdf, n) => {
    const [form, content] = [n(), n()];
    return [
      {
        num: form,
        body: streamObject(
          ops,
          `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] ${resources}`.trimEnd(),
        ),
      },
      ...drawnWith(pdf, content, 'XObject', `/Fm9 ${form} 0 R`, 'q /Fm9 Do Q\n'),
    ];
  };

const forms: [string, Feature, RegExp | null][] = [
  [
    'a form without resources drawing a form',
    formDrawn('', 'q /X9 Do Q'),
    /names the XObject \/X9, which its resources do not define/,
  ],
  [
    'a form drawing a form its resources give as a dictionary, no stream',
    formDrawn(
      '/Resources << /XObject << /X9 << /Type /XObject /Subtype /Form /BBox [ 0 0 1 1 ] >> >> >>',
      'q /X9 Do Q',
    ),
    /names the XObject \/X9, which its resources do not define/,
  ],
];

describe('a form the page draws', () => {
  it.each(forms)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

describe("the file's content budget", () => {
  const MB = MAX_CONTENT_INFLATED / 1024 / 1024;
  const BEYOND = new RegExp(`takes the file's content beyond ${MB} MB, more than is read`);

  it('a compressed stream inflating beyond the budget', async () => {
    const data = flate(Buffer.alloc(MAX_CONTENT_INFLATED + 1, 0x20));
    expect(found(added(await letter(), pageStream(data, '/Filter /FlateDecode')))).toMatch(BEYOND);
  });

  it('an image filling the budget with the letter, and one byte more', async () => {
    const image = (width: number) =>
      imageDrawn(
        flate(Buffer.alloc(width, 0xff)),
        `/Width ${width} /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
      );
    // What is left with an image of one byte, the letter's content and the stream drawing it.
    const small = PdfFile.parse(added(await letter(), image(1)));
    expect(dynamicContent(small)).toBeNull();
    const width = small.budget.content + 1;
    expect(found(added(await letter(), image(width)))).toBeNull();
    expect(found(added(await letter(), image(width + 1)))).toMatch(BEYOND);
  });
});

/** [what, the image's data (bytes as latin1), its dictionary after /Subtype, null or what is named] */
type ImageRow = [string, string, string, RegExp | null];

const GRAY = '/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8';
const RGB = GRAY.replace('DeviceGray', 'DeviceRGB');
const FOUR = '\xfe\xfe\xfe\xfe';
const TWELVE = '\xfe'.repeat(12);
const RGB_JPEG = `${RGB} /Filter /DCTDecode`;
const DEPTH = /its colour space or depth is not one every reader reads alike/;
const PREDICTOR = /its predictor is not one every reader applies alike/;
const ROWS = /its decode parameters do not describe its rows/;
const NOT_A_JPEG = /its JPEG data is not one whole JPEG of its size/;
const JPEG_DEPTH = /its JPEG data is not of the depth and colour components it declares/;

const jpeg = Buffer.from(WHITE_JPEG, 'latin1');
const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
const sofLength = jpeg.readUInt16BE(sof + 2);
/** WHITE_JPEG with its frame (SOF0) of marker `marker` and precision `precision`. */
const framed = (marker: number, precision: number) => {
  const bytes = Buffer.from(jpeg);
  bytes[sof + 1] = marker;
  bytes[sof + 4] = precision;
  return bytes;
};
/** `bytes` with `segment` put in after the start marker. */
const after = (bytes: Buffer, segment: number[]) =>
  Buffer.concat([bytes.subarray(0, 2), Buffer.from(segment), bytes.subarray(2)]).toString('latin1');
/** An 8-bit frame like WHITE_JPEG's, under marker `marker`. */
const frameLike = (marker: number) => [
  0xff,
  marker,
  ...jpeg.subarray(sof + 2, sof + 2 + sofLength),
];

const images: ImageRow[] = [
  ...['W', 'BPC', 'CS', 'D', 'DP', 'F', 'I'].map((key): ImageRow => [
    `with the inline image entry /${key}`,
    FOUR,
    `${GRAY} /${key} 1`,
    new RegExp(`it has the inline image entry /${key}$`),
  ]),
  ['a soft mask with a broken soft mask of its own', FOUR, `${GRAY} /SMask SOFT`, null],
  ['compressed, by the short name', flate([1, 2, 3, 4]), `${GRAY} /Filter /Fl`, null],
  ['a JPEG, by the short name', WHITE_JPEG, `${RGB} /Filter /DCT`, null],
  [
    'a stencil mask decoded by 0 and 1',
    '\x80\x40',
    '/Width 2 /Height 2 /ImageMask true /Decode [ 0 1 ]',
    null,
  ],
  [
    'indexed colours, raw',
    '\x00\x01\x01\x00',
    '/Width 2 /Height 2 /ColorSpace [ /Indexed /DeviceGray 1 <00FF> ] /BitsPerComponent 8',
    null,
  ],
  [
    'a JPEG in indexed colours',
    WHITE_JPEG,
    `${RGB_JPEG.replace('/DeviceRGB', '[ /Indexed /DeviceRGB 1 <FF000000FF00> ]')}`,
    DEPTH,
  ],
  ['RGB decoded by a range for each component', TWELVE, `${RGB} /Decode [ 0 1 0 1 0 1 ]`, null],
  [
    'RGB with a colour key of ranges not in order one to the next',
    TWELVE,
    `${RGB} /Mask [ 0 10 5 20 0 255 ]`,
    null,
  ],
  // Frames every reader decodes (Huffman: baseline, extended, progressive), and those it does
  // not: lossless (C3), arithmetic-coded (C9) and hierarchical lossless (CF) pdf.js refuses.
  ['a JPEG of an extended frame (SOF1)', framed(0xc1, 8).toString('latin1'), RGB_JPEG, null],
  ['a JPEG of a progressive frame (SOF2)', framed(0xc2, 8).toString('latin1'), RGB_JPEG, null],
  ...(
    [
      ['a lossless frame (SOF3)', 0xc3],
      ['an arithmetic-coded frame (SOF9)', 0xc9],
      ['a hierarchical lossless arithmetic-coded frame (SOF15)', 0xcf],
    ] as const
  ).map(([what, marker]): ImageRow => [
    `a JPEG of ${what}, of eight bits`,
    framed(marker, 8).toString('latin1'),
    RGB_JPEG,
    /its JPEG data is coded otherwise than every reader decodes \(SOF0 to SOF2\)/,
  ]),
  ['a JPEG of twelve bits', framed(0xc0, 12).toString('latin1'), RGB_JPEG, JPEG_DEPTH],
  [
    'a JPEG whose lossless frame (SOF15) is of twelve bits',
    framed(0xcf, 12).toString('latin1'),
    RGB_JPEG,
    JPEG_DEPTH,
  ],
  [
    'a JPEG of twelve bits after a segment of a reserved marker shaped like a frame',
    after(framed(0xc0, 12), frameLike(0xbf)),
    RGB_JPEG,
    JPEG_DEPTH,
  ],
  [
    'a JPEG cut off in its frame header',
    '\xff\xd8\xff\xc0\x00\x11\x08\x00\x02\xff\xd9',
    RGB_JPEG.replace('/Width 2', '/Width 65497'),
    NOT_A_JPEG,
  ],
  ['a JPEG whose frame follows a scan', after(jpeg, [0xff, 0xda, 0, 2]), RGB_JPEG, NOT_A_JPEG],
  [
    'a JPEG whose frame follows an end marker',
    after(jpeg, [0xff, 0xd9, 0, 2]),
    RGB_JPEG,
    NOT_A_JPEG,
  ],
  [
    'a JPEG with an empty segment before its frame',
    after(jpeg, [0xff, 0xe0, 0, 2]),
    RGB_JPEG,
    null,
  ],
  [
    'compressed, with decode parameters that are no dictionary',
    flate([1, 2, 3, 4]),
    `${GRAY} /Filter /FlateDecode /DecodeParms 5`,
    PREDICTOR,
  ],
  [
    'compressed, no predictor, colours given by a name',
    flate([1, 2, 3, 4]),
    `${GRAY} /Filter /FlateDecode /DecodeParms << /Predictor 1 /Colors /One >>`,
    ROWS,
  ],
  [
    'PNG rows by the Paeth predictor',
    flate([4, 0xfe, 0xfe, 4, 0, 0]),
    `${GRAY} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 2 >>`,
    null,
  ],
];

describe('an image, as the page draws it', () => {
  it.each(images)('%s', async (_name, data, dict, named) => {
    const feature: Feature = dict.includes('SOFT')
      ? (pdf, n) => {
          const [soft, inner] = [n(), n()];
          return [
            {
              num: soft,
              body: streamObject(FOUR, `${GRAY} /SMask ${inner} 0 R`),
            },
            { num: inner, body: streamObject('', GRAY.replace('/Width 2', '/Width 0')) },
            ...imageDrawn(data, dict.replace('SOFT', `${soft} 0 R`))(pdf, n),
          ];
        }
      : imageDrawn(data, dict);
    await expectVerdict(feature, named);
  });
});

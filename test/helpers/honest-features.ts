/**
 * What honest tools write into a letter, each beside a content rule that refuses its near
 * neighbour: left alone by the static-content reader (static-content-rules.test.ts), and each
 * judged by the letter profile (letter-profile.test.ts), which allows only what a decision
 * letter draws.
 */
import { deflateSync } from 'node:zlib';
import {
  annotated,
  catalogWith,
  drawnWith,
  fontOf,
  signatureWidget,
  streamObject,
  trueTypeFont,
  WHITE_JPEG,
  withEntry,
  type Feature,
} from './content-features';
import { anatomy, body } from './forge';

/** What an honest tool may write, each beside a rule that refuses its near neighbour. */
export const honest: [string, Feature][] = [
  [
    'a crop box that is the media box',
    (pdf) => {
      const a = anatomy(pdf);
      return [
        { num: a.page, body: withEntry(body(pdf, a.page), '/CropBox [ 0 0 595 842 ] /Rotate 0') },
      ];
    },
  ],
  [
    'a page turned a whole turn back, under a page tree turned a whole turn (the bounds of /Rotate)',
    (pdf) => {
      const a = anatomy(pdf);
      return [
        { num: a.pages, body: withEntry(body(pdf, a.pages), '/Rotate 360') },
        { num: a.page, body: withEntry(body(pdf, a.page), '/Rotate -360') },
      ];
    },
  ],
  [
    'a Link drawing nothing: a border of width 0, by array or style, print flag, highlight',
    annotated((_, n) => [
      {
        num: n(),
        body: '<< /Type /Annot /Subtype /Link /Rect [ 72 700 300 715 ] /Border [ 0 0 0 ] /BS << /W 0 /S /S >> /F 4 /H /I /A << /S /URI /URI (https://example.org/) >> >>',
      },
    ]),
  ],
  [
    'a graphics state drawing opaque, in the normal blend mode, without transfer',
    (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GS1 << /Type /ExtGState /ca 1 /CA 1.0 /BM /Normal /TR /Identity /TR2 /Default /SMask /None >>',
          `/GS1 gs BT /${font} 12 Tf 72 700 Td (Seen) Tj ET\n`,
        ),
      ];
    },
  ],
  [
    'an image with a soft mask of its own (an image /SMask is a stream, not a graphics state)',
    (pdf, n) => {
      const [image, mask, content] = [n(), n(), n()];
      return [
        {
          num: mask,
          body: streamObject(
            '\xff',
            '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8',
          ),
        },
        {
          num: image,
          body: streamObject(
            '\x00',
            `/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /SMask ${mask} 0 R`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im1 ${image} 0 R`,
          'q 10 0 0 10 72 700 cm /Im1 Do Q\n',
        ),
      ];
    },
  ],
  [
    'a composite font with its descendant and its program, and the form telling viewers not to draw it',
    (pdf, n) => {
      const [descendant, descriptor, program, content] = [n(), n(), n(), n()];
      return [
        {
          num: descendant,
          body: `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R >>`,
        },
        // Its program embedded, as honest tools write it (the reader here only asks that it is).
        {
          num: descriptor,
          body: `<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 ${program} 0 R >>`,
        },
        { num: program, body: streamObject('true') },
        ...drawnWith(
          pdf,
          content,
          'Font',
          `/F0 << /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [ ${descendant} 0 R ] >>`,
          'BT /F0 12 Tf 72 700 Td <0041> Tj ET\n',
        ),
        catalogWith(pdf, '/AcroForm << /Fields [ ] /NeedAppearances false >>'),
      ];
    },
  ],
  [
    'colours in the spaces their resources define: CIE, indexed with its exact table, patterns',
    (pdf, n) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      const [font] = fontOf(page);
      const [tile, content] = [n(), n()];
      return [
        {
          num: tile,
          body: streamObject(
            '0 0 1 rg 0 0 4 4 re f',
            '/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [ 0 0 4 4 ] /XStep 4 /YStep 4 /Resources << >>',
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'Resources',
          [
            `/Pattern << /P1 ${tile} 0 R >> /ColorSpace <<`,
            '/CS0 [ /CalRGB << /WhitePoint [ 0.95 1 1.09 ] >> ] /CS1 [ /Indexed /DeviceRGB 1 <FFFFFF000000> ]',
            '/CS2 [ /CalGray << /WhitePoint [ 0.95 1 1.09 ] >> ] /CS3 [ /Lab << /WhitePoint [ 0.95 1 1.09 ] >> ]',
            '/CS4 /Pattern /CS5 [ /Pattern /DeviceRGB ] >>',
          ].join(' '),
          [
            '/CS0 cs 0 0 0 sc /CS0 CS 0 0 0 SCN /CS1 cs 1 sc /CS2 cs 0.5 scn /CS3 cs 0 0 0 sc',
            `/CS4 cs /P1 scn /Pattern CS /P1 SCN /CS5 cs 0 0 0 /P1 scn 0 0 0 1 k 0 0 0 1 sc`,
            `BT /${font} 12 Tf 72 700 Td (Seen) Tj ET\n`,
          ].join('\n'),
        ),
      ];
    },
  ],
  [
    "a page turned a quarter, with poppler's own zero-sized signature widget (NoRotate, Locked)",
    (pdf, n) => {
      const objects = signatureWidget('/F 148')(pdf, n).map((o) =>
        o.body.includes('/Rect [ 70 735 370 765 ]')
          ? { ...o, body: o.body.replace('/Rect [ 70 735 370 765 ]', '/Rect [ 0 0 0 0 ]') }
          : o,
      );
      const a = anatomy(pdf);
      return objects.map((o) =>
        o.num === a.page ? { ...o, body: withEntry(o.body, '/Rotate -270') } : o,
      );
    },
  ],
  [
    'a signature widget on a page turned a half, drawn with the page (Print only)',
    (pdf, n) => {
      const a = anatomy(pdf);
      return signatureWidget('/F 4')(pdf, n).map((o) =>
        o.num === a.page ? { ...o, body: withEntry(o.body, '/Rotate 180') } : o,
      );
    },
  ],
  [
    'an RGB image, Flate with PNG predictors, as pdfkit writes one',
    (pdf, n) => {
      const [image, content] = [n(), n()];
      // Two rows of two RGB pixels, each row led by its predictor (0: none, 2: up).
      const rows = Buffer.from([0, 255, 0, 0, 0, 0, 255, 2, 0, 0, 0, 0, 0, 0]);
      const data = deflateSync(rows).toString('latin1');
      return [
        {
          num: image,
          body: streamObject(
            data,
            '/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns 2 >>',
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im8 ${image} 0 R`,
          'q 20 0 0 20 72 600 cm /Im8 Do Q\n',
        ),
      ];
    },
  ],
  ...(
    [
      [
        'a JPEG declared as its frame says: RGB, 8 bits, a full /Decode',
        WHITE_JPEG,
        '/Filter /DCTDecode /ColorSpace /DeviceRGB /BitsPerComponent 8 /Decode [ 0 1 0 1 0 1 ]',
      ],
      [
        'a stencil mask one bit deep, decoded 1 to 0',
        '\xc0\x40',
        '/ImageMask true /BitsPerComponent 1 /Decode [ 1 0 ]',
      ],
      [
        'a gray image with a colour key of its sample values',
        '\xfe\xfe\x10\x10',
        '/ColorSpace /DeviceGray /BitsPerComponent 8 /Mask [ 250 255 ]',
      ],
    ] as const
  ).map(([name, data, dict]): [string, Feature] => [
    name,
    (pdf, n) => {
      const [image, content] = [n(), n()];
      return [
        {
          num: image,
          body: streamObject(data, `/Type /XObject /Subtype /Image /Width 2 /Height 2 ${dict}`),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im7 ${image} 0 R`,
          'q 20 0 0 20 72 600 cm /Im7 Do Q\n',
        ),
      ];
    },
  ]),
  ...(
    [
      ['an embedded Type 1 font encoded WinAnsi', '/Flags 32', '/Encoding /WinAnsiEncoding'],
      [
        'an embedded Type 1 font encoded on a MacRoman base, without differences',
        '/Flags 32',
        '/Encoding << /Type /Encoding /BaseEncoding /MacRomanEncoding >>',
      ],
      ['an embedded Type 1 font flagged symbolic, drawn by its own encoding', '/Flags 4', ''],
      [
        'an embedded compact Type 1 font encoded WinAnsi',
        '/Flags 32 COMPACT',
        '/Encoding /WinAnsiEncoding',
      ],
    ] as const
  ).map(([name, flags, encoding]): [string, Feature] => [
    name,
    (pdf, n) => {
      const [descriptor, program, content] = [n(), n(), n()];
      return [
        {
          num: descriptor,
          body: `<< /Type /FontDescriptor /FontName /Embedded ${flags.replace(' COMPACT', '')} /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /${flags.includes('COMPACT') ? 'FontFile3' : 'FontFile'} ${program} 0 R >>`,
        },
        {
          num: program,
          body: streamObject('true', flags.includes('COMPACT') ? '/Subtype /Type1C' : ''),
        },
        ...drawnWith(
          pdf,
          content,
          'Font',
          `/E1 << /Type /Font /Subtype /Type1 /BaseFont /Embedded ${encoding} /FontDescriptor ${descriptor} 0 R >>`,
          'BT /E1 12 Tf 72 600 Td (Seen) Tj ET\n',
        ),
      ];
    },
  ]),
  [
    'an image masked by a stencil mask stream that says so',
    (pdf, n) => {
      const [mask, image, content] = [n(), n(), n()];
      return [
        { num: mask, body: streamObject('\xc0\x40', '/Width 2 /Height 2 /ImageMask true') },
        {
          num: image,
          body: streamObject(
            '\x00\x00\x00\x00',
            `/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Mask ${mask} 0 R`,
          ),
        },
        ...drawnWith(
          pdf,
          content,
          'XObject',
          `/Im6 ${image} 0 R`,
          'q 20 0 0 20 72 600 cm /Im6 Do Q\n',
        ),
      ];
    },
  ],
  [
    'an embedded TrueType font with Unicode and Macintosh cmaps only, no encoding',
    trueTypeFont('/Flags 32', '', [
      [1, 0],
      [3, 1],
    ]),
  ],
  [
    'an embedded TrueType font with a symbol cmap, flagged symbolic, no encoding',
    trueTypeFont('/Flags 4', '', [[3, 0]]),
  ],
  [
    'an embedded TrueType font with a symbol cmap, encoded WinAnsi',
    trueTypeFont('/Flags 32', '/Encoding /WinAnsiEncoding', [
      [3, 0],
      [3, 1],
    ]),
  ],
  [
    'a graphics state with a round cap, a bevel join, a width, a miter limit and a dash',
    (pdf, n) => {
      const content = n();
      return [
        ...drawnWith(
          pdf,
          content,
          'ExtGState',
          '/GSL << /Type /ExtGState /LC 1 /LJ 2 /LW 1.5 /ML 10 /D [ [ 3 1 ] 0 ] >>',
          'q /GSL gs 0 G [ 3 1 ] 0 d 72 600 m 300 600 l S Q\n',
        ),
      ];
    },
  ],
];

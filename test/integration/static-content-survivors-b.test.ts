/**
 * More edges of the static-content reader's rules (electron/signing/static-content.ts), each
 * from both sides where it has two, on unsigned letters: actions and borders of a Link, a
 * field's type inherited through its parents, the form's list of fields, patterns read as
 * content, the page's box, content and turn, colour spaces, Type 3 glyphs, fonts every reader
 * loads and the tables of an embedded TrueType program. Rows mutation testing showed missing.
 */
import { deflateSync } from 'node:zlib';
import { describe, it } from 'vitest';
import {
  added,
  annotated,
  catalogWith,
  drawnWith,
  fontFeature,
  fontOf,
  listWith,
  pagesWith,
  sfnt,
  streamObject,
  trueTypeFont,
  withEntry,
  type Feature,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { letter } from '../helpers/pdf';
import { expectNamed, expectVerdict } from '../helpers/static-verdict';

const FONT_NAMED =
  /sets the font \/F9, which its resources do not define as a font every reader loads/;

/** The letter's page with its dictionary passed through `edit`. */
const pageEdited =
  (edit: (body: string) => string): Feature =>
  (pdf) => {
    const a = anatomy(pdf);
    return [{ num: a.page, body: edit(body(pdf, a.page)) }];
  };

/** `text` with `depth` arrays around it. */
const nested = (text: string, depth: number) => `${'[ '.repeat(depth)}${text}${' ]'.repeat(depth)}`;

describe('a Link annotation on the page', () => {
  const link = (entries: string): Feature =>
    annotated((_pdf, n) => [
      { num: n(), body: `<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] ${entries} >>` },
    ]);
  const URI = '<< /S /URI /URI (u) >>';

  it.each([
    ['a URI in 62 lists within lists', nested(URI, 62), null],
    ['a URI in 65 lists within lists', nested(URI, 65), /holds actions chained too deeply/],
  ])('%s', async (_name, action, named) => {
    await expectVerdict(link(`/A ${action}`), named);
  });

  it.each([
    ['a border style that is a number', '/BS 5', /with a border \(\/BS\) a viewer draws/],
    ['a border that is a number', '/Border 5', /with a border \(\/Border\) a viewer draws/],
  ])('%s', async (_name, entry, named) => {
    await expectVerdict(link(`/A ${URI} ${entry}`), named);
  });
});

describe('a signature widget whose field type is given by a parent', () => {
  /** A widget no form lists, below `parents` parents, the last of them a signature field. */
  const widgetBelow =
    (parents: number): Feature =>
    (pdf, n) => {
      const a = anatomy(pdf);
      const [, font] = fontOf(body(pdf, a.page));
      const [widget, ap] = [n(), n()];
      const chain = Array.from({ length: parents }, () => n());
      return [
        {
          num: widget,
          body: `<< /Type /Annot /Subtype /Widget /Parent ${chain[0]} 0 R /F 4 /Rect [ 70 735 370 765 ] /P ${a.page} 0 R /AP << /N ${ap} 0 R >> >>`,
        },
        {
          num: ap,
          body: streamObject(
            'BT /F1 18 Tf 2 8 Td (APPROVED) Tj ET',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources << /Font << /F1 ${font} 0 R >> >>`,
          ),
        },
        ...chain.map((num, i) => ({
          num,
          body:
            i + 1 < parents
              ? `<< /Parent ${chain[i + 1]} 0 R >>`
              : '<< /FT /Sig /T (Signature9) >>',
        })),
        { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${widget} 0 R`) },
      ];
    };

  it('63 parents up: read as a signature widget (and found unlisted)', async () => {
    expectNamed(
      added(await letter(), widgetBelow(63)),
      /is a signature widget the form does not list as a field/,
    );
  });

  it('64 parents up: further than any reader follows', async () => {
    expectNamed(
      added(await letter(), widgetBelow(64)),
      /is the widget of a form field that is not a signature field/,
    );
  });
});

describe("the form's list of fields", () => {
  it('a number among the fields: no field, nothing drawn', async () => {
    await expectVerdict((pdf) => [catalogWith(pdf, '/AcroForm << /Fields [ 5 ] >>')], null);
  });
});

describe('a pattern, read as content', () => {
  const TILING = '/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /XStep 10 /YStep 10';
  it.each([
    [
      'a tiling pattern setting a font its resources lack',
      `${TILING} /BBox [ 0 0 10 10 ] /Resources << >>`,
      /sets the font \/F1, which its resources do not define as a font every reader loads/,
    ],
    [
      'a tiling pattern setting a font of its own',
      `${TILING} /BBox [ 0 0 10 10 ] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >>`,
      null,
    ],
    // A shading pattern draws its shading, not content: no box is asked of it.
    ['a shading pattern written as a stream, without a box', '/PatternType 2', null],
  ])('%s', async (_name, dict, named) => {
    const feature: Feature = (pdf, n) => {
      const [pattern, content] = [n(), n()];
      return [
        { num: pattern, body: streamObject('BT /F1 12 Tf (x) Tj ET', dict) },
        ...drawnWith(pdf, content, 'Pattern', `/P0 ${pattern} 0 R`, '72 600 m 300 600 l S\n'),
      ];
    };
    await expectVerdict(feature, named);
  });
});

describe('the page', () => {
  const MEDIA = /\/MediaBox\s*\[[^\]]*\]/;

  it.each([['a media box on its parent and none of its own', null]])('%s', async (_name, named) => {
    const feature: Feature = (pdf) => {
      const a = anatomy(pdf);
      const page = body(pdf, a.page);
      return [
        { num: a.page, body: page.replace(MEDIA, '') },
        pagesWith(pdf, `/MediaBox ${MEDIA.exec(page)![0].replace('/MediaBox', '')}`),
      ];
    };
    await expectVerdict(feature, named);
  });

  it.each([
    ['no media box anywhere', pageEdited((b) => b.replace(MEDIA, '')), /has no MediaBox$/],
    [
      'a box of its own under a parent whose box has no area',
      (pdf: Buffer) => [pagesWith(pdf, '/MediaBox [ 0 0 0 0 ]')],
      /has a MediaBox readers read differently/,
    ],
    [
      'no content at all',
      pageEdited((b) => b.replace(/\/Contents\s*(\d+ 0 R|\[[^\]]*\])/, '')),
      null,
    ],
  ] as [string, Feature, RegExp | null][])('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });

  /** The page below `parents` nodes of its own, the last giving `box`. */
  const boxAbove =
    (parents: number, box: string): Feature =>
    (pdf, n) => {
      const a = anatomy(pdf);
      const chain = Array.from({ length: parents }, () => n());
      const page = body(pdf, a.page)
        .replace(MEDIA, '')
        .replace(/\/Parent \d+ 0 R/, `/Parent ${chain[0]} 0 R`);
      return [
        { num: a.page, body: page },
        ...chain.map((num, i) => ({
          num,
          body: i + 1 < parents ? `<< /Parent ${chain[i + 1]} 0 R >>` : `<< /MediaBox ${box} >>`,
        })),
      ];
    };

  it.each([
    ['a media box 63 parents up', boxAbove(63, '[ 0 0 595 842 ]'), null],
    [
      'a media box 64 parents up, beyond what is followed',
      boxAbove(64, '[ 0 0 595 842 ]'),
      /has no MediaBox$/,
    ],
    [
      'a media box of no area 64 parents up, beyond what is followed',
      boxAbove(64, '[ 0 0 0 0 ]'),
      /has no MediaBox$/,
    ],
  ] as [string, Feature, RegExp | null][])('%s', async (_name, feature, named) => {
    expectNamed(added(await letter(), feature), named);
  });

  it('one stream of its own restoring a state it never saved', async () => {
    await expectVerdict((pdf, n) => {
      const a = anatomy(pdf);
      const stream = n();
      return [
        { num: stream, body: streamObject('0 0 m 10 10 l S Q\n') },
        {
          num: a.page,
          body: body(pdf, a.page).replace(
            /\/Contents\s*(\d+ 0 R|\[[^\]]*\])/,
            `/Contents ${stream} 0 R`,
          ),
        },
      ];
    }, /the page object \d+ \(revision \d\), its streams read as one, restores a graphics state it never saved/);
  });

  it('content named through a reference to a stream of another filter', async () => {
    const feature: Feature = (pdf, n) => {
      const a = anatomy(pdf);
      const [alias, stream] = [n(), n()];
      return [
        { num: stream, body: streamObject('0 0 m 10 10 l S\n', '/Filter /LZWDecode') },
        { num: alias, body: `${stream} 0 R` },
        {
          num: a.page,
          body: body(pdf, a.page).replace(
            /\/Contents\s*(\d+ 0 R|\[[^\]]*\])/,
            `/Contents ${alias} 0 R`,
          ),
        },
      ];
    };
    expectNamed(
      added(await letter(), feature),
      /^object \d+ \(revision 2\) is a content stream filtered by LZWDecode$/,
    );
  });

  it('a page object of generation 1', async () => {
    const feature: Feature = (pdf) => {
      const a = anatomy(pdf);
      return [
        { num: a.page, body: body(pdf, a.page), gen: 1 },
        {
          num: a.pages,
          body: body(pdf, a.pages).replace(/\/Kids\s*\[[^\]]*\]/, `/Kids [ ${a.page} 1 R ]`),
        },
      ] as ReturnType<Feature>;
    };
    expectNamed(added(await letter(), feature), null);
  });

  /** The page turned a quarter, its annotations `annots`, with `objects` besides. */
  const turnedWith =
    (annots: (n: () => number) => [string, ...{ num: number; body: string }[]]): Feature =>
    (pdf, n) => {
      const a = anatomy(pdf);
      const [list, ...objects] = annots(n);
      return [
        ...objects,
        { num: a.page, body: listWith(withEntry(body(pdf, a.page), '/Rotate 90'), 'Annots', list) },
      ];
    };

  it.each([
    ['turned a quarter, a number among its annotations', turnedWith(() => ['5'])],
    [
      'turned a quarter, a Link without flags',
      turnedWith((n) => {
        const num = n();
        return [
          `${num} 0 R`,
          {
            num,
            body: '<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] /A << /S /URI /URI (u) >> >>',
          },
        ];
      }),
    ],
  ] as [string, Feature][])('%s', async (_name, feature) => {
    await expectVerdict(feature, null);
  });
});

const SPACE_NAMED =
  /(sets the colour space \/CS0, which its resources do not define as one every reader reads alike|holds an indexed colour space whose table is not its entries)$/;
const WHITE = '/WhitePoint [ 0.9505 1 1.089 ]';
/** [what, the colour space /CS0, its components (0: a pattern, /P0), read alike] */
const spaces: [string, string, number, boolean][] = [
  ['a pattern space over a pattern space', '[ /Pattern /Pattern ]', 0, false],
  [
    'a device space followed by an indexed space’s entries',
    '[ /DeviceRGB /DeviceGray 0 <80> ]',
    1,
    false,
  ],
  ['an indexed space of five entries', '[ /Indexed /DeviceGray 0 <80> 5 ]', 1, false],
  [
    'calibrated RGB with an entry after its dictionary',
    `[ /CalRGB << ${WHITE} >> /CalRGB ]`,
    3,
    false,
  ],
  ['calibrated CMYK, a family of no reader', `[ /CalCMYK << ${WHITE} >> ]`, 4, false],
  [
    'a white point of four numbers',
    '[ /CalGray << /WhitePoint [ 0.9505 1 1.089 1 ] >> ]',
    1,
    false,
  ],
  ['an indexed space whose table is a number', '[ /Indexed /DeviceGray 0 1 ]', 1, false],
];

describe('a colour space, as the page fills with it', () => {
  const filled =
    (space: string, components: number): Feature =>
    (pdf, n) =>
      drawnWith(
        pdf,
        n(),
        'Resources',
        `/ColorSpace << /CS0 ${space} >>`,
        `/CS0 cs ${components === 0 ? '/P0 ' : '0 '.repeat(components)}scn 72 600 100 20 re f\n`,
      );

  it.each(spaces)('%s', async (_name, space, components, alike) => {
    await expectVerdict(filled(space, components), alike ? null : SPACE_NAMED);
  });

  it.each([
    ['an indexed space whose table is a stream of its entries', '', '\x00\x80', null],
    [
      'an indexed space whose table is a stream of another filter',
      '/Filter /LZWDecode',
      '\x00\x80',
      /^an indexed table is a content stream filtered by LZWDecode$/,
    ],
  ])('%s', async (_name, dict, data, named) => {
    const feature: Feature = (pdf, n) => {
      const table = n();
      return [
        { num: table, body: streamObject(data, dict) },
        ...filled(`[ /Indexed /DeviceGray 1 ${table} 0 R ]`, 1)(pdf, n),
      ];
    };
    expectNamed(added(await letter(), feature), named);
  });
});

describe('a Type 3 font the page sets', () => {
  /**
   * The page writes "a" in a Type 3 font whose glyph draws `glyph` (its procedures `charProcs`
   * when given), with the resources `resources` and the objects `extra` makes.
   */
  const type3 =
    (
      glyph: string,
      charProcs?: string,
      extra: (n: () => number) => [string, ...{ num: number; body: string }[]] = () => ['<< >>'],
    ): Feature =>
    (pdf, n) => {
      const [t3, proc, content] = [n(), n(), n()];
      const [resources, ...objects] = extra(n);
      return [
        ...objects,
        { num: proc, body: streamObject(glyph) },
        {
          num: t3,
          body: `<< /Type /Font /Subtype /Type3 /FontBBox [ 0 0 1000 1000 ] /FontMatrix [ 0.001 0 0 0.001 0 0 ] /CharProcs ${charProcs ?? `<< /a ${proc} 0 R >>`} /Encoding << /Type /Encoding /Differences [ 97 /a ] >> /FirstChar 97 /LastChar 97 /Widths [ 1000 ] /Resources ${resources} >>`,
        },
        ...drawnWith(pdf, content, 'Font', `/T3 ${t3} 0 R`, 'BT /T3 12 Tf 72 700 Td (a) Tj ET\n'),
      ];
    };

  it.each([
    ['a glyph drawing a line', type3('1000 0 d0 0 0 m 500 500 l S'), null],
    [
      'a glyph drawing a form its font defines',
      type3('1000 0 d0 /Fm9 Do', undefined, (n) => {
        const form = n();
        return [
          `<< /XObject << /Fm9 ${form} 0 R >> >>`,
          {
            num: form,
            body: streamObject(
              '0 0 m 10 10 l S',
              '/Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ]',
            ),
          },
        ];
      }),
      null,
    ],
    ['a glyph that is a number, not a stream', type3('', '<< /a 5 >>'), null],
    [
      'a glyph restoring a state it never saved',
      type3('1000 0 d0 0 0 m 500 500 l S Q'),
      /is a Type 3 font one of whose glyphs restores a graphics state it never saved/,
    ],
    [
      'a glyph giving a colour before a space of its own',
      type3('1000 0 d0 0.5 sc 0 0 500 500 re f'),
      /is a Type 3 font one of whose glyphs gives sc a colour before setting a colour space of its own/,
    ],
  ] as [string, Feature, RegExp | null][])('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

describe('a font, as the page sets it', () => {
  /** The page writes "NOT" in the font `/F9 << ${font} >>`, with `objects` besides. */
  const fontSet =
    (
      font: string,
      extra: (n: () => number) => [string, ...{ num: number; body: string }[]] = () => [''],
    ): Feature =>
    (pdf, n) => {
      const [entries, ...objects] = extra(n);
      return [
        ...objects,
        ...drawnWith(
          pdf,
          n(),
          'Font',
          `/F9 << ${font} ${entries} >>`,
          'BT /F9 12 Tf 72 700 Td (NOT) Tj ET\n',
        ),
      ];
    };
  const HELVETICA = '/Subtype /Type1 /BaseFont /Helvetica';
  const WIN = '/Encoding /WinAnsiEncoding';
  /** A font descriptor with `flags` and no program, and the entry naming it. */
  const described =
    (flags: string) =>
    (n: () => number): [string, ...{ num: number; body: string }[]] => {
      const num = n();
      return [
        `/FontDescriptor ${num} 0 R`,
        {
          num,
          body: `<< /Type /FontDescriptor /FontName /Helvetica ${flags} /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>`,
        },
      ];
    };
  const EMBEDDED_MM = '/Subtype /MMType1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR';
  const COMPOSITE =
    '/Subtype /Type0 /BaseFont /LiberationSans /Encoding /Identity-H /DescendantFonts [ CID ]';

  it.each([
    ['Helvetica, typed a font', fontSet(`/Type /Font ${HELVETICA} ${WIN}`), null],
    ['Helvetica, not typed a font (/Type)', fontSet(`${HELVETICA} ${WIN}`), FONT_NAMED],
    [
      'Helvetica, WinAnsi as a base encoding changing nothing',
      fontSet(`/Type /Font ${HELVETICA} /Encoding << /BaseEncoding /WinAnsiEncoding >>`),
      null,
    ],
    [
      'Helvetica, described as symbolic, WinAnsi',
      fontSet(`/Type /Font ${HELVETICA} ${WIN}`, described('/Flags 4')),
      null,
    ],
    [
      'Helvetica as a TrueType font, not embedded, WinAnsi',
      fontSet(`/Type /Font /Subtype /TrueType /BaseFont /Helvetica ${WIN}`),
      null,
    ],
    [
      'an embedded multiple master font, flagged symbolic, by its own encoding',
      fontFeature(EMBEDDED_MM, '/Flags 4', '', 'FontFile'),
      null,
    ],
    [
      'an embedded multiple master font, not flagged symbolic, no encoding',
      fontFeature(EMBEDDED_MM, '/Flags 32', '', 'FontFile'),
      FONT_NAMED,
    ],
    [
      'a composite font carrying simple widths that do not fit (no reader reads them)',
      fontFeature(`${COMPOSITE} /FirstChar 32 /LastChar 33 /Widths [ 278 ]`, '/Flags 32'),
      null,
    ],
  ] as [string, Feature, RegExp | null][])('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });

  it('a form without resources of its own setting a font', async () => {
    await expectVerdict(
      (_pdf, n) => [
        {
          num: n(),
          body: streamObject(
            'BT /F1 12 Tf 0 0 Td (x) Tj ET',
            '/Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ]',
          ),
        },
      ],
      /sets the font \/F1, which its resources do not define as a font every reader loads/,
    );
  });
});

/** An sfnt program with field `field` of table record `i` set to `value`. */
function patched(program: string, i: number, field: 'offset' | 'length', value: number): string {
  const bytes = Buffer.from(program, 'latin1');
  bytes.writeUInt32BE(value, 12 + 16 * i + (field === 'offset' ? 8 : 12));
  return bytes.toString('latin1');
}

/** An sfnt program with the tag of table record `i` set to `tag`. */
function retagged(program: string, i: number, tag: string): string {
  const bytes = Buffer.from(program, 'latin1');
  bytes.write(tag, 12 + 16 * i, 'latin1');
  return bytes.toString('latin1');
}

const WIN = '/Encoding /WinAnsiEncoding';
const UNICODE = sfnt([[3, 1]]);
/** The table directory alone, of three tables lying within it: a `cmap` of no subtables. */
const ALL_DIRECTORY = [
  (p: string) => patched(p, 0, 'offset', 0),
  (p: string) => patched(p, 0, 'length', 12),
  (p: string) => patched(p, 1, 'offset', 0),
  (p: string) => patched(p, 2, 'offset', 0),
]
  .reduce((p, edit) => edit(p), UNICODE)
  .slice(0, 12 + 16 * 3);

/** [what, the font's flags, its encoding, its program, read alike] */
const trueTypes: [string, string, string, string, boolean][] = [
  ['a cmap of no subtables', '/Flags 32', WIN, sfnt([]), true],
  [
    'two cmap subtables in a cmap as long as one',
    '/Flags 32',
    WIN,
    sfnt(
      [
        [1, 0],
        [3, 1],
      ],
      ['glyf', 'loca'],
      12,
    ),
    false,
  ],
  ['a Unicode cmap of platform 0, encoding 1, no encoding', '/Flags 32', '', sfnt([[0, 1]]), true],
  [
    'two Unicode cmaps that are one table, WinAnsi',
    '/Flags 32',
    WIN,
    sfnt([
      [0, 3],
      [3, 1],
    ]),
    false,
  ],
  [
    'a table of four bytes besides',
    '/Flags 32',
    WIN,
    sfnt([[3, 1]], ['glyf', 'loca', 'name']),
    true,
  ],
  [
    'a table of no length',
    '/Flags 32',
    WIN,
    patched(sfnt([[3, 1]], ['glyf', 'loca', 'name']), 3, 'length', 0),
    false,
  ],
  ['outlines reaching past its end', '/Flags 32', WIN, patched(UNICODE, 1, 'length', 1000), false],
  ['no cmap table', '/Flags 32', WIN, retagged(UNICODE, 0, 'cmaq'), false],
  [
    'a cmap of two bytes, at its very end',
    '/Flags 32',
    WIN,
    patched(patched(UNICODE, 0, 'offset', UNICODE.length - 2), 0, 'length', 2),
    false,
  ],
  [
    'a table directory cut off within its second record',
    '/Flags 32',
    WIN,
    patched(patched(UNICODE, 0, 'offset', 0), 0, 'length', 4).slice(0, 12 + 16 + 8),
    false,
  ],
  ['nothing but its table directory, the tables within it', '/Flags 32', WIN, ALL_DIRECTORY, true],
];

describe('an embedded TrueType font', () => {
  it.each(trueTypes)('%s', async (_name, flags, encoding, program, alike) => {
    const feature = trueTypeFont(flags, encoding, null, '', program);
    await expectVerdict(feature, alike ? null : FONT_NAMED);
  });

  /** The TrueType font of a Unicode cmap, named `name`, WinAnsi. */
  const named = (name: string): Feature => {
    const feature = trueTypeFont('/Flags 32', WIN, [[3, 1]]);
    return (pdf, n) =>
      feature(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/BaseFont /LiberationSans', `/BaseFont /${name}`),
      }));
  };

  it.each([
    ['named as a subset of Symbol', 'ABCDEF+Symbol', false],
    ['named Symbol and more', 'SymbolNeue', true],
    ['named with Symbol at its end', 'PiSymbol', true],
  ])('%s, WinAnsi', async (_name, name, alike) => {
    await expectVerdict(named(name), alike ? null : FONT_NAMED);
  });

  it('compressed, the filter named by its short name', async () => {
    const program = deflateSync(Buffer.from(UNICODE, 'latin1')).toString('latin1');
    await expectVerdict(trueTypeFont('/Flags 32', WIN, null, '/Filter /Fl', program), null);
  });
});

describe('a catalog that is no dictionary', () => {
  // What the structure reader refuses (ambiguity()) is not this reader's to name: it reads on.
  it('the last revision names a number as its catalog', async () => {
    const pdf = await letter();
    expectNamed(
      added(pdf, () => [{ num: anatomy(pdf).root, body: '5' }]),
      null,
    );
  });
});

describe("embedded font programs, within the file's budget", () => {
  /** A TrueType program of a Unicode cmap and 40 MB more, compressed (made once, when asked). */
  let big: string | undefined;
  const BIG = () =>
    (big ??= deflateSync(
      Buffer.concat([Buffer.from(UNICODE, 'latin1'), Buffer.alloc(40 * 1024 * 1024)]),
    ).toString('latin1'));

  /** The page writes "NOT" in each of `fonts` (/F8, /F9…), each of its own program `BIG()`. */
  const fonts =
    (names: string[]): Feature =>
    (pdf, n) => {
      const objects: { num: number; body: string }[] = [];
      const entries = names.map((name) => {
        const [descriptor, program] = [n(), n()];
        objects.push(
          {
            num: descriptor,
            body: `<< /Type /FontDescriptor /FontName /LiberationSans /Flags 32 /FontBBox [ 0 0 1000 1000 ] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 ${program} 0 R >>`,
          },
          { num: program, body: streamObject(BIG(), '/Filter /FlateDecode') },
        );
        return `/${name} << /Type /Font /Subtype /TrueType /BaseFont /LiberationSans ${WIN} /FontDescriptor ${descriptor} 0 R >>`;
      });
      const ops = names.map((name) => `BT /${name} 12 Tf 72 700 Td (NOT) Tj ET\n`).join('');
      return [...objects, ...drawnWith(pdf, n(), 'Font', entries.join(' '), ops)];
    };

  it('one program of 40 MB: read', async () => {
    expectNamed(added(await letter(), fonts(['F9'])), null);
  });

  it('two programs of 40 MB: the second beyond the 64 MB read', async () => {
    expectNamed(
      added(await letter(), fonts(['F8', 'F9'])),
      /sets the font \/F9, which its resources do not define as a font every reader loads/,
    );
  });
});

/**
 * More edges of the static-content reader (electron/signing/static-content.ts), each from both
 * sides where it has two: features that only an earlier revision held (a later one took them
 * away), objects no page draws, a generation other than 0, annotations known by what they hold
 * rather than by their /Type, and where a feature is named (the object and its revision).
 */
import { describe, expect, it } from 'vitest';
import { PdfStructureError } from '../../electron/signing/pdf-structure';
import {
  added,
  drawnWith,
  formDrawing,
  listWith,
  signatureWidget,
  streamObject,
  withEntry,
  type Feature,
} from '../helpers/content-features';
import { anatomy, appendStreamUpdate, body } from '../helpers/forge';
import { appendUpdate, letter } from '../helpers/pdf';
import { expectVerdict, found, undoneLater } from '../helpers/static-verdict';

/** Objects no page draws: each a dictionary (or stream) of its own. */
const orphans =
  (...bodies: ((num: (i: number) => number) => string)[]): Feature =>
  (_pdf, n) => {
    const nums = bodies.map(() => n());
    return bodies.map((make, i) => ({ num: nums[i]!, body: make((k) => nums[k]!) }));
  };

const LINE = '0 0 m 10 10 l S\n';
const LZW = streamObject(LINE, '/Filter /LZWDecode');

/** The letter's page with its dictionary passed through `edit`. */
const pageEdited =
  (edit: (body: string) => string): Feature =>
  (pdf) => {
    const a = anatomy(pdf);
    return [{ num: a.page, body: edit(body(pdf, a.page)) }];
  };
const withContents = (page: string, contents: string) =>
  page.replace(/\/Contents\s*(\d+ 0 R|\[[^\]]*\])/, `/Contents ${contents}`);

describe('a page as an earlier revision had it, put back by a later one', () => {
  it('drawing a stream filtered by LZW, named directly', async () => {
    const feature: Feature = (pdf, n) => {
      const stream = n();
      const a = anatomy(pdf);
      return [
        { num: stream, body: LZW },
        { num: a.page, body: withContents(body(pdf, a.page), `${stream} 0 R`) },
      ];
    };
    expect(found(undoneLater(await letter(), feature))).toMatch(
      /^object \d+ \(revision 2\) is a content stream filtered by LZWDecode$/,
    );
  });

  it.each([
    ['named directly', (stream: number) => `${stream} 0 R`],
    ['in an array of one', (stream: number) => `[ ${stream} 0 R ]`],
    ['in an array of two', (stream: number) => `[ ${stream} 0 R ${stream + 1} 0 R ]`],
  ])('whose one content stream, %s, restores a state it never saved', async (_, contents) => {
    const feature: Feature = (pdf, n) => {
      const [stream, second] = [n(), n()];
      const a = anatomy(pdf);
      return [
        { num: stream, body: streamObject(`Q ${LINE}`) },
        { num: second, body: streamObject(LINE) },
        { num: a.page, body: withContents(body(pdf, a.page), contents(stream)) },
      ];
    };
    expect(found(undoneLater(await letter(), feature))).toMatch(
      /^the page object \d+ \(revision 2\), its streams read as one, restores a graphics state it never saved \(Q without q\)$/,
    );
  });

  it('drawing such a stream through an array written as an object of its own', async () => {
    const feature: Feature = (pdf, n) => {
      const [array, stream] = [n(), n()];
      const a = anatomy(pdf);
      return [
        { num: array, body: `[ ${stream} 0 R ]` },
        { num: stream, body: LZW },
        { num: a.page, body: withContents(body(pdf, a.page), `${array} 0 R`) },
      ];
    };
    expect(found(undoneLater(await letter(), feature))).toMatch(
      /is a content stream filtered by LZWDecode/,
    );
  });

  it('drawing such a stream from an array within its array', async () => {
    const feature: Feature = (pdf, n) => {
      const stream = n();
      const a = anatomy(pdf);
      return [
        { num: stream, body: LZW },
        { num: a.page, body: withContents(body(pdf, a.page), `[ [ ${stream} 0 R ] ]`) },
      ];
    };
    expect(found(undoneLater(await letter(), feature))).toMatch(
      /is a content stream filtered by LZWDecode/,
    );
  });

  it('whose own stream an earlier revision filtered by LZW', async () => {
    const pdf = await letter();
    const content = Number(/\/Contents \[ (\d+) 0 R \]/.exec(body(pdf, anatomy(pdf).page))![1]);
    const feature: Feature = () => [{ num: content, body: LZW }];
    expect(found(undoneLater(pdf, feature))).toBe(
      `object ${content} (revision 2) is a content stream filtered by LZWDecode`,
    );
  });

  const crops: [string, (page: string) => string][] = [
    ['a crop box inside its media box', (b) => withEntry(b, '/CropBox [ 0 0 300 300 ]')],
    ['a crop box of three numbers', (b) => withEntry(b, '/CropBox [ 0 0 595 ]')],
    ['a crop box that is no array', (b) => withEntry(b, '/CropBox (all)')],
    [
      'a crop box of the first four numbers of a media box of five',
      (b) =>
        withEntry(
          b.replace(/\/MediaBox\s*\[[^\]]*\]/, '/MediaBox [ 0 0 595 842 0 ]'),
          '/CropBox [ 0 0 595 842 ]',
        ),
    ],
    [
      'a crop box and a media box of its own only by inheritance',
      (b) => withEntry(b.replace(/\/MediaBox\s*\[[^\]]*\]/, ''), '/CropBox [ 0 0 595 842 ]'),
    ],
  ];
  it.each(crops)('%s', async (_name, edit) => {
    expect(found(undoneLater(await letter(), pageEdited(edit)))).toMatch(
      /^object \d+ \(revision 2\) has a CropBox that is not its MediaBox$/,
    );
  });
});

describe('an object written with a generation of 1', () => {
  it('a second stream of the page, named with its generation', async () => {
    const pdf = await letter();
    const a = anatomy(pdf);
    const updated = appendUpdate(pdf, [
      { num: a.size, gen: 1, body: streamObject(LINE) },
      { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${a.size} 1 R`) },
    ]);
    expect(found(updated)).toBeNull();
  });

  it('a stream of the page named with a generation it does not have: the structure error is thrown', async () => {
    const pdf = await letter();
    const a = anatomy(pdf);
    const updated = appendUpdate(pdf, [
      { num: a.size, body: streamObject(LINE) },
      { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${a.size} 1 R`) },
    ]);
    expect(() => found(updated)).toThrow(PdfStructureError);
  });
});

describe('a signature widget the form lists', () => {
  it('listed when added and no longer listed by a later revision', async () => {
    const listed = added(await letter(), signatureWidget('/F 4'));
    const a = anatomy(listed);
    const unlisted = appendUpdate(listed, [
      { num: a.root, body: body(listed, a.root).replace(/\/Fields \[[^\]]*\]/, '/Fields [ ]') },
    ]);
    expect(found(listed)).toBeNull();
    expect(found(unlisted)).toMatch(/is a signature widget the form does not list as a field/);
  });

  it('whose appearance takes the number of an object an earlier revision wrote as a number', async () => {
    const earlier = await letter();
    const reused = anatomy(earlier).size;
    const pdf = added(appendUpdate(earlier, [{ num: reused, body: '0' }]), (p, n) =>
      signatureWidget('/F 4', (font) => [
        `/N ${reused} 0 R`,
        { num: reused, body: formDrawing(font, 'DECISION: APPROVED') },
      ])(p, n),
    );
    expect(found(pdf)).toBeNull();
  });

  it('whose appearance, not typed a form, sets a font it does not define', async () => {
    const feature = signatureWidget('/F 4', (_font, n) => {
      const ap = n();
      return [
        `/N ${ap} 0 R`,
        { num: ap, body: streamObject('BT /F7 12 Tf 2 8 Td (x) Tj ET', '/BBox [ 0 0 300 30 ]') },
      ];
    });
    await expectVerdict(
      feature,
      /^object \d+ \(revision [12]\) sets the font \/F7, which its resources do not define/,
    );
  });
});

describe('a page whose content is a dictionary', () => {
  it('is named for content that is not a stream, not for a stream the dictionary names', async () => {
    const feature: Feature = (pdf, n) => {
      const [dict, stream] = [n(), n()];
      const a = anatomy(pdf);
      return [
        { num: dict, body: `<< /Part ${stream} 0 R >>` },
        { num: stream, body: LZW },
        { num: a.page, body: withContents(body(pdf, a.page), `${dict} 0 R`) },
      ];
    };
    expect(found(added(await letter(), feature))).toMatch(
      /^the page object \d+ has page content that is not a stream$/,
    );
  });
});

describe('signature fields sharing one appearance', () => {
  it('seventy fields whose appearance, not typed a form, is a megabyte: read once', async () => {
    const feature: Feature = (pdf, n) => {
      const a = anatomy(pdf);
      const ap = n();
      const widgets = Array.from({ length: 70 }, () => n());
      let page = body(pdf, a.page);
      for (const w of widgets) {
        page = listWith(page, 'Annots', `${w} 0 R`);
      }
      const fields = widgets.map((w) => `${w} 0 R`).join(' ');
      return [
        {
          num: ap,
          body: streamObject(`%${'x'.repeat(1 << 20)}\n${LINE}`, '/BBox [ 0 0 300 30 ]'),
        },
        ...widgets.map((w, i) => ({
          num: w,
          body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature${i + 10}) /F 4 /Rect [ 70 60 370 90 ] /P ${a.page} 0 R /AP << /N ${ap} 0 R >> >>`,
        })),
        { num: a.page, body: page },
        {
          num: a.root,
          body: withEntry(body(pdf, a.root), `/AcroForm << /Fields [ ${fields} ] /SigFlags 3 >>`),
        },
      ];
    };
    expect(found(added(await letter(), feature))).toBeNull();
  });
});

describe('a page whose content array names itself', () => {
  it('is named for content that is not a stream, read once', async () => {
    const feature: Feature = (pdf, n) => {
      const [array, stream] = [n(), n()];
      const a = anatomy(pdf);
      return [
        { num: array, body: `[ ${array} 0 R ${stream} 0 R ]` },
        // A comment of a megabyte: read again and again, the reading would run beyond its budget.
        { num: stream, body: streamObject(`%${'x'.repeat(1 << 20)}\n${LINE}`) },
        { num: a.page, body: withContents(body(pdf, a.page), `${array} 0 R`) },
      ];
    };
    expect(found(added(await letter(), feature))).toMatch(
      /the page object \d+ has page content that is not a stream/,
    );
  });
});

/** `depth` arrays, one inside the other, around a 0. */
const nested = (depth: number) => `${'[ '.repeat(depth)}0${' ]'.repeat(depth)}`;

describe('objects no page draws', () => {
  const rows: [string, Feature, RegExp | null][] = [
    ['arrays nested 64 deep', orphans(() => nested(64)), null],
    ['arrays nested 65 deep', orphans(() => nested(65)), /is nested too deeply to be read/],
    [
      'a colour space of colourants (DeviceN)',
      orphans(() => '[ /DeviceN [ /Black ] /DeviceGray null ]'),
      /holds a colour space drawn through a function \(\/DeviceN\)/,
    ],
    [
      'a stream with decode parameters by the short name (/DP)',
      orphans(() => streamObject('true', '/DP << /Predictor 2 >>')),
      /is a stream other than an image with decode parameters/,
    ],
    [
      'a graphics state with a black-generation function',
      orphans(
        () =>
          '<< /Type /ExtGState /BG << /FunctionType 2 /Domain [ 0 1 ] /C0 [ 0 ] /C1 [ 1 ] /N 1 >> >>',
      ),
      /holds a shading or a function \(\/FunctionType\), which readers evaluate differently/,
    ],
    [
      'a shading pattern, named for its shading',
      orphans(
        () =>
          '<< /Type /Pattern /PatternType 2 /Shading << /ShadingType 2 /ColorSpace /DeviceGray /Coords [ 0 0 1 0 ] /Function << /FunctionType 2 /Domain [ 0 1 ] /C0 [ 0 ] /C1 [ 1 ] /N 1 >> >> >>',
      ),
      /holds a shading or a function \(\/ShadingType\), which readers evaluate differently/,
    ],
    [
      'an optional content membership dictionary',
      orphans(() => '<< /Type /OCMD /OCGs [ ] >>'),
      /is an optional content group \(\/OCMD\)/,
    ],
    [
      'an action of its own, typed one',
      orphans(() => '<< /Type /Action /S /Launch /F (calc.exe) >>'),
      /holds a Launch action/,
    ],
    [
      'a URI action, not typed one, whose next action launches',
      orphans(
        () => '<< /S /URI /URI (https://example.org) /Next << /S /Launch /F (calc.exe) >> >>',
      ),
      /holds a Launch action/,
    ],
    [
      'a simple font with glyph procedures it never draws (only a Type 3 font does)',
      orphans(
        (k) =>
          `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /CharProcs << /a ${k(1)} 0 R >> >>`,
        () => streamObject('BT /F7 12 Tf (x) Tj ET'),
      ),
      null,
    ],
    [
      'a PostScript XObject',
      orphans(() => streamObject('0 0 moveto', '/Type /XObject /Subtype /PS')),
      /is a PostScript XObject \(drawn by some printers only\)/,
    ],
    [
      'a reference XObject',
      orphans(() =>
        streamObject(
          LINE,
          '/Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ] /Ref << /F (other.pdf) /Page 0 >>',
        ),
      ),
      /is a reference XObject \(another file's page drawn instead\)/,
    ],
    [
      'a /Ref on a dictionary that is no form',
      orphans(() => '<< /Ref << /F (other.pdf) /Page 0 >> >>'),
      null,
    ],
    [
      'an annotation typed /Annot with no subtype',
      orphans(() => '<< /Type /Annot /Rect [ 0 0 10 10 ] >>'),
      /is a null annotation/,
    ],
    [
      'an annotation known only by its appearances',
      orphans(() => '<< /Rect [ 0 0 10 10 ] /AP << >> >>'),
      /is a null annotation/,
    ],
    [
      'a Text annotation not typed /Annot',
      orphans(() => '<< /Subtype /Text /Rect [ 0 0 10 10 ] /Contents (Approved) >>'),
      /is a Text annotation/,
    ],
    ['a rectangle and nothing else', orphans(() => '<< /Rect [ 0 0 10 10 ] >>'), null],
    [
      'a dictionary inside another whose subtype says Widget, with no rectangle or appearance',
      orphans(() => '<< /Item << /Subtype /Widget >> >>'),
      null,
    ],
  ];
  it.each(rows)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

describe('annotations written inside the page', () => {
  it('a link written directly in the page’s /Annots', async () => {
    await expectVerdict(
      pageEdited((b) =>
        b.replace(
          '/Annots [ ]',
          '/Annots [ << /Type /Annot /Subtype /Link /Rect [ 72 700 200 720 ] /A << /S /URI /URI (https://example.org) >> >> ]',
        ),
      ),
      null,
    );
  });

  it('a link whose appearances are an array naming one stream twice', async () => {
    const feature: Feature = (pdf, n) => {
      const a = anatomy(pdf);
      const [link, ap] = [n(), n()];
      return [
        {
          num: link,
          body: `<< /Type /Annot /Subtype /Link /Rect [ 72 700 200 720 ] /AP [ ${ap} 0 R ${ap} 0 R ] >>`,
        },
        { num: ap, body: streamObject(LINE) },
        { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${link} 0 R`) },
      ];
    };
    await expectVerdict(feature, /is a Link annotation with an appearance of its own \(\/AP\)/);
  });
});

/** A Type 3 font /T3 whose one glyph (`a`) is object `glyph`, drawn on the page. */
const type3: Feature = (pdf, n) => {
  const [font, glyph, content] = [n(), n(), n()];
  return [
    {
      num: font,
      body: `<< /Type /Font /Subtype /Type3 /FontBBox [ 0 0 1000 1000 ] /FontMatrix [ 0.001 0 0 0.001 0 0 ] /CharProcs << /a ${glyph} 0 R >> /Encoding << /Type /Encoding /Differences [ 97 /a ] >> /FirstChar 97 /LastChar 97 /Widths [ 1000 ] /Resources << >> >>`,
    },
    { num: glyph, body: streamObject('1000 0 d0 0 0 1000 1000 re f') },
    ...drawnWith(pdf, content, 'Font', `/T3 ${font} 0 R`, 'BT /T3 12 Tf 72 700 Td (a) Tj ET\n'),
  ];
};

describe('a Type 3 font', () => {
  it('drawing a glyph that is a plain box', async () => {
    await expectVerdict(type3, null);
  });

  it('whose glyph a later revision filtered by LZW', async () => {
    const pdf = added(await letter(), type3);
    const glyph = Number(/\/CharProcs << \/a (\d+) 0 R/.exec(pdf.toString('latin1'))![1]);
    expect(found(appendUpdate(pdf, [{ num: glyph, body: LZW }]))).toBe(
      `object ${glyph} (revision 3) is a content stream filtered by LZWDecode`,
    );
  });
});

describe('a cross-reference stream', () => {
  it('with decode parameters, as the structure reader reads them', async () => {
    const pdf = appendStreamUpdate(await letter(), {});
    const text = pdf.toString('latin1');
    const at = text.lastIndexOf('/Filter /FlateDecode');
    const withParms = Buffer.from(
      `${text.slice(0, at)}/DecodeParms << /Predictor 1 >> ${text.slice(at)}`,
      'latin1',
    );
    expect(found(withParms)).toBeNull();
  });
});

describe('bookmarks, whose /Next is the next bookmark, not an action', () => {
  const outline: Feature = (pdf, n) => {
    const [outlines, first, second] = [n(), n(), n()];
    const a = anatomy(pdf);
    return [
      {
        num: outlines,
        body: `<< /Type /Outlines /First ${first} 0 R /Last ${second} 0 R /Count 2 >>`,
      },
      {
        num: first,
        body: `<< /Title (Decision) /Parent ${outlines} 0 R /Next ${second} 0 R /Dest [ ${a.page} 0 R /Fit ] >>`,
      },
      {
        num: second,
        body: `<< /Title (Conditions) /Parent ${outlines} 0 R /Prev ${first} 0 R /A << /S /GoTo /D [ ${a.page} 0 R /Fit ] >> >>`,
      },
      { num: a.root, body: withEntry(body(pdf, a.root), `/Outlines ${outlines} 0 R`) },
    ];
  };

  it('a letter with two bookmarks is read as it is', async () => {
    await expectVerdict(outline, null);
  });

  it('a bookmark whose action runs JavaScript is named', async () => {
    const feature: Feature = (pdf, n) =>
      outline(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/S /GoTo /D', '/S /JavaScript /JS (app.alert\\(1\\)) /D'),
      }));
    await expectVerdict(feature, /holds a JavaScript action/);
  });

  it('an action that names its kind and runs JavaScript next is named', async () => {
    const feature: Feature = (_pdf, n) => [
      { num: n(), body: '<< /S /Named /N /NextPage /Next << /S /JavaScript /JS (x) >> >>' },
    ];
    await expectVerdict(feature, /holds a JavaScript action/);
  });
});

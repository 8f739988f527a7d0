/**
 * More edges of the letter profile (electron/signing/letter-profile.ts), each from the side the
 * existing rows left open: what a form's matrix and box, an appearance's fit and a graphics
 * state's opacity may be at their limits, what a page draws when its contents or appearances
 * name no stream, the content read as its revisions draw it (64 MB, each joining once), and
 * structure faults that are the structure's to name, not the profile's.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  added,
  builtIn,
  drawnWith,
  fontOf,
  signatureWidget,
  streamObject,
  withEntry,
  type Feature,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { featureRows, outside } from '../helpers/static-verdict';
import { appendUpdate, contentStreamOf, letter } from '../helpers/pdf';

/** The page draws `ops` with `entry` added to its resources of `kind` (/F1 is its font). */
const drawn =
  (kind: string, entry: string, ops: string): Feature =>
  (pdf, n) =>
    drawnWith(pdf, n(), kind, entry, ops);

/** The page draws a form /Fm1 of box `box`, holding `dict` and `ops`. */
const form =
  (dict: string, ops: string, box = '/BBox [ 0 0 300 30 ]'): Feature =>
  (pdf, n) => {
    const [, font] = fontOf(body(pdf, anatomy(pdf).page));
    const num = n();
    return [
      {
        num,
        body: streamObject(
          ops,
          `/Type /XObject /Subtype /Form ${box} ${dict} /Resources << /Font << /F1 ${font} 0 R >> >>`,
        ),
      },
      ...drawnWith(pdf, n(), 'XObject', `/Fm1 ${num} 0 R`, 'q 1 0 0 1 72 600 cm /Fm1 Do Q\n'),
    ];
  };

/** The page with its /Contents replaced by `contents` (the streams' numbers given `n`). */
const contentsOf =
  (streams: string[], contents: (nums: number[]) => string): Feature =>
  (pdf, n) => {
    const page = anatomy(pdf).page;
    const objects = streams.map((ops) => ({ num: n(), body: streamObject(ops) }));
    return [
      ...objects,
      {
        num: page,
        body: body(pdf, page).replace(
          /\/Contents \[[^\]]*\]/,
          `/Contents ${contents(objects.map((o) => o.num))}`,
        ),
      },
    ];
  };

/** An unsigned signature field at `rect`, its appearance a form of `box` drawing in Symbol. */
const symbolAppearance =
  (box: string, rect = '70 735 370 765'): Feature =>
  (pdf, n) =>
    signatureWidget('/F 4', (_, next) => {
      const ap = next();
      return [
        `/N ${ap} 0 R`,
        {
          num: ap,
          body: streamObject(
            'BT /T1 12 Tf 2 8 Td (a) Tj ET',
            `/Type /XObject /Subtype /Form ${box} /Resources << /Font << /T1 << /Type /Font /Subtype /Type1 /BaseFont /Symbol >> >> >>`,
          ),
        },
      ];
    })(pdf, n).map((o) => ({
      ...o,
      body: o.body.replace('/Rect [ 70 735 370 765 ]', `/Rect [ ${rect} ]`),
    }));

const SYMBOL = /\/T1 is a font other than a standard Latin one \(\/Type1 \/Symbol\)/;
const MAGNIFIED = /is drawn magnified \(its \/Rect larger than its \/BBox\)/;
const BEYOND = /\/Fm1 is a form whose matrix or box goes beyond the sizes a letter draws at/;

const rows: [string, Feature, RegExp | null][] = [
  [
    'a font naming neither its kind nor its base font',
    drawn('Font', '/FX << /Type /Font >>', 'BT /FX 12 Tf 72 600 Td (a) Tj ET\n'),
    /\/FX is a font other than a standard Latin one \(\/\? \/\?\), which a decision letter never uses/,
  ],
  [
    'a graphics state whose opacity is a name',
    drawn('ExtGState', '/GX << /ca /Half >>', '/GX gs 72 600 100 20 re f\n'),
    /\/GX sets \/ca to something other than a number from 0 to 1/,
  ],
  [
    'a graphics state of a negative stroking opacity',
    drawn('ExtGState', '/GX << /CA -0.5 >>', '/GX gs 72 600 m 300 600 l S\n'),
    /\/GX sets \/CA to something other than a number from 0 to 1/,
  ],
  [
    'a graphics state drawing fully transparent (0, the least opacity)',
    drawn('ExtGState', '/GX << /ca 0 /CA 0 >>', '/GX gs 72 600 100 20 re f\n'),
    null,
  ],
  [
    'a form giving a colour in whatever colour space draws it (sc before cs)',
    form('', '0.5 sc 0 0 10 10 re f'),
    /\/Fm1 gives sc a colour before setting a colour space of its own/,
  ],
  ['a form without a box', form('', '0 0 m 10 10 l S', ''), BEYOND],
  [
    'a form whose matrix enlarges one axis by a ten-billionth (within the stretch tolerance)',
    form('/Matrix [ 1.0000000001 0 0 1 0 0 ]', '0 0 m 10 10 l S'),
    BEYOND,
  ],
  [
    'a form whose matrix turns it and stretches it by 1 + 10⁻⁹, the tolerance',
    form('/Matrix [ 1 0.0000447213614 -0.0000447213614 1 0 0 ]', '0 0 m 10 10 l S'),
    null,
  ],
  [
    'a form whose matrix turns it and stretches it by a little more than the tolerance',
    form('/Matrix [ 1 0.000045 -0.000045 1 0 0 ]', '0 0 m 10 10 l S'),
    BEYOND,
  ],
  [
    'a form moved by its matrix 10,000 points, as far as a letter draws',
    form('/Matrix [ 1 0 0 1 10000 -10000 ]', '0 0 m 10 10 l S'),
    null,
  ],
  [
    'a form whose box reaches 10,000 points each way, as far as a letter draws',
    form('', '0 0 m 10 10 l S', '/BBox [ -10000 -10000 10000 10000 ]'),
    null,
  ],
  [
    'two forms, the second drawing with an operator no letter uses',
    (pdf, n) => {
      const [first, second] = [n(), n()];
      return [
        { num: first, body: streamObject('0 0 m 10 10 l S', '/Subtype /Form /BBox [ 0 0 30 30 ]') },
        {
          num: second,
          body: streamObject('1 i 0 0 m 10 10 l S', '/Subtype /Form /BBox [ 0 0 30 30 ]'),
        },
        ...drawnWith(
          pdf,
          n(),
          'XObject',
          `/Fm1 ${first} 0 R /Fm2 ${second} 0 R`,
          'q /Fm1 Do /Fm2 Do Q\n',
        ),
      ];
    },
    /\/XObject \/Fm2 uses the operator i, which a decision letter never uses/,
  ],
  [
    'a page whose contents are one stream, not a list, drawing with an operator no letter uses',
    contentsOf(['BT /F1 12 Tf 1 Tr 72 600 Td (a) Tj ET'], ([s]) => `${s} 0 R`),
    /the page object \d+ \(revision \d\)'s content uses the operator Tr/,
  ],
  [
    'a page whose contents list, besides its stream, an object the file does not hold',
    contentsOf(['BT /F1 12 Tf 72 600 Td (a) Tj ET'], ([s]) => `[ ${s} 0 R 9999 0 R ]`),
    null,
  ],
  [
    "a signature's appearance that is an object the file does not hold",
    signatureWidget('/F 4', () => ['/N 9999 0 R']),
    null,
  ],
  [
    "a signature's appearance sheared vertically by its matrix",
    symbolAppearance('/BBox [ 0 0 300 30 ] /Matrix [ 1 0.5 0 1 0 0 ]'),
    /is drawn through a matrix that skews, rotates or mirrors it \(\/Matrix\)/,
  ],
  [
    "a signature's appearance a thousandth narrower than its rectangle, the tolerance",
    symbolAppearance('/BBox [ 0 0 100 30 ]', '0 735 100.1 765'),
    SYMBOL,
  ],
  [
    "a signature's appearance a thousandth lower than its rectangle, the tolerance",
    symbolAppearance('/BBox [ 0 0 300 100 ]', '70 0 370 100.1'),
    SYMBOL,
  ],
  [
    "a signature's appearance a little more than a thousandth narrower than its rectangle",
    symbolAppearance('/BBox [ 0 0 100 30 ]', '0 735 100.11 765'),
    MAGNIFIED,
  ],
];

describe('the profile at the edges of its rules', () => {
  featureRows(rows, outside);

  it('a page written as generation 1, with a trim box', async () => {
    const pdf = await letter();
    const a = anatomy(pdf);
    const updated = appendUpdate(pdf, [
      { num: a.page, gen: 1, body: withEntry(body(pdf, a.page), '/TrimBox [ 0 0 595 842 ]') },
      { num: a.pages, body: body(pdf, a.pages).replace(`${a.page} 0 R`, `${a.page} 1 R`) },
    ]);
    expect(outside(updated)).toMatch(
      /the page object \d+ \(revision 2\) has \/TrimBox, which a decision letter never holds/,
    );
  });

  it('a page object written as a reference to a page dictionary elsewhere is named', async () => {
    const pdf = await letter();
    const a = anatomy(pdf);
    const elsewhere = a.size;
    const updated = appendUpdate(pdf, [
      { num: elsewhere, body: withEntry(body(pdf, a.page), '/TrimBox [ 0 0 595 842 ]') },
      { num: a.page, body: `${elsewhere} 0 R` },
    ]);
    expect(outside(updated)).toMatch(
      /^the page object \d+ \(revision 2\) is not written as a page dictionary$/,
    );
  });

  it('a font referred to by a generation its object does not have is the structure’s to name', async () => {
    const pdf = added(await letter(), (p, n) => {
      const [, font] = fontOf(body(p, anatomy(p).page));
      return drawnWith(p, n(), 'Font', `/FX ${font} 1 R`, 'BT /FX 12 Tf (a) Tj ET\n');
    });
    expect(() => outside(pdf)).toThrow(/names generation 1, its entry 0/);
  });

  it('a form listed a hundred times by the page and by each form it draws, four deep, is read once at each depth', async () => {
    const names = (num: number) =>
      Array.from({ length: 100 }, (_, i) => `/X${i} ${num} 0 R`).join(' ');
    const feature: Feature = (pdf, n) => {
      const nums = [n(), n(), n(), n()];
      return [
        ...nums.map((num, i) => ({
          num,
          body: streamObject(
            i + 1 < nums.length ? '/X0 Do' : '0 0 m 10 10 l S',
            `/Subtype /Form /BBox [ 0 0 30 30 ]${i + 1 < nums.length ? ` /Resources << /XObject << ${names(nums[i + 1]!)} >> >>` : ''}`,
          ),
        })),
        ...drawnWith(pdf, n(), 'XObject', names(nums[0]!), 'q /X0 Do Q\n'),
      ];
    };
    expect(outside(added(await letter(), feature))).toBeNull();
  });
  it('a page that names itself as its parent is read once round, not forever', async () => {
    const updated = added(await letter(), (pdf) => {
      const { page, pages } = anatomy(pdf);
      return [
        { num: page, body: body(pdf, page).replace(`/Parent ${pages} 0 R`, `/Parent ${page} 0 R`) },
      ];
    });
    expect(outside(updated)).toBeNull();
  });

  it('resources a page inherits through 63 parents are read, through a 64th are not (as static-content reads inherited entries)', async () => {
    /** The page's /Parent a chain of `links` nodes, the last holding a font no letter uses. */
    const parents =
      (links: number): Feature =>
      (pdf, n) => {
        const { page, pages } = anatomy(pdf);
        const nodes = Array.from({ length: links }, () => n());
        return [
          ...nodes.map((num, i) => ({
            num,
            body:
              i + 1 < links
                ? `<< /Parent ${nodes[i + 1]} 0 R >>`
                : '<< /Resources << /Font << /FS << /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >> >> >> >>',
          })),
          {
            num: page,
            body: body(pdf, page).replace(`/Parent ${pages} 0 R`, `/Parent ${nodes[0]} 0 R`),
          },
        ];
      };
    expect(outside(added(await letter(), parents(63)))).toMatch(
      /\/Font \/FS is a font other than a standard Latin one \(\/Type1 \/ZapfDingbats\)/,
    );
    expect(outside(added(await letter(), parents(64)))).toBeNull();
  });

  it('a later revision joining two earlier streams anew (11 then 2, after 1 then 12), ending with its character spacing set', async () => {
    let pdf = await letter();
    const { page, size } = anatomy(pdf);
    const text = contentStreamOf(pdf);
    // The update's streams: one setting character spacing, eight drawing nothing, one setting
    // it back; then a stream drawing nothing. Read in this order they are streams 2 to 12.
    const [set, ...others] = Array.from({ length: 11 }, (_, i) => size + i);
    const [unset, later] = [others[8]!, others[9]!];
    const contents = (nums: number[]) => ({
      num: page,
      body: body(pdf, page).replace(
        /\/Contents \[[^\]]*\]/,
        `/Contents [ ${nums.map((num) => `${num} 0 R`).join(' ')} ]`,
      ),
    });
    pdf = appendUpdate(pdf, [
      { num: set!, body: streamObject('2 Tc\n') },
      ...others.slice(0, 8).map((num) => ({ num, body: streamObject('q Q\n') })),
      { num: unset, body: streamObject('0 Tc\n') },
      contents([text, set!, ...others.slice(0, 8), unset]),
    ]);
    pdf = appendUpdate(pdf, [{ num: later, body: streamObject('q Q\n') }, contents([text, later])]);
    expect(outside(pdf)).toBeNull();
    pdf = appendUpdate(pdf, [contents([unset, set!])]);
    expect(outside(pdf)).toMatch(
      /the page object \d+ \(revision 4\)'s content ends with its text state set/,
    );
  });
});

describe('the content read as the revisions draw it: 64 MB, each joining of streams once', () => {
  /** The page drawing, as its only content, a stream of `size` spaces (Flate) named twice. */
  const twice =
    (size: number): Feature =>
    (pdf, n) => {
      const data = deflateSync(Buffer.alloc(size, 0x20)).toString('latin1');
      const page = anatomy(pdf).page;
      const s = n();
      return [
        {
          num: s,
          body: `<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n${data}\nendstream`,
        },
        {
          num: page,
          body: body(pdf, page).replace(/\/Contents \[[^\]]*\]/, `/Contents [ ${s} 0 R ${s} 0 R ]`),
        },
      ];
    };
  const MB = 1024 * 1024;

  it('a page naming a stream of 32 MB twice (64 MB, as much as is read), and again after an update that leaves the page as it was', async () => {
    const pdf = await builtIn(twice(32 * MB));
    expect(outside(pdf)).toBeNull();
    const later = added(pdf, (_, n) => [{ num: n(), body: '<< /Note (unchanged page) >>' }]);
    expect(outside(later)).toBeNull();
  });

  it('a page naming a stream of 32 MB and a byte twice', async () => {
    expect(outside(await builtIn(twice(32 * MB + 1)))).toMatch(
      /^the letter's content, read as its revisions draw it, runs beyond 64 MB, more than is read$/,
    );
  });
});

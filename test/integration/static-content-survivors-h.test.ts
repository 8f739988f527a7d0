/**
 * More edges of the static-content reader (electron/signing/static-content.ts), round two: a
 * graphics state's dash, a graphics state a later revision replaces, resources naming no
 * graphics state, a page's content named through an object of its own (an array, a reference)
 * and replaced by a later revision, and the bounds of what is read: how many objects are named
 * as content, and how much content is read token by token.
 */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { MAX_CONTENT_INFLATED } from '../../electron/signing/pdf-structure';
import { MAX_CONTENT_OBJECTS } from '../../electron/signing/static-content';
import {
  added,
  builtIn,
  drawnWith,
  streamObject,
  withEntry,
  type Feature,
  strokedWith,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { letter } from '../helpers/pdf';
import { expectVerdict, featureRows, found, undoneLater } from '../helpers/static-verdict';

const LZW = streamObject('0 0 m 10 10 l S\n', '/Filter /LZWDecode');

/** The letter's page, and the one content stream it names (`/Contents [ n 0 R ]`). */
function pageOf(pdf: Buffer): { page: number; text: string; content: number } {
  const page = anatomy(pdf).page;
  const text = body(pdf, page);
  return { page, text, content: Number(/\/Contents \[ (\d+) 0 R \]/.exec(text)![1]) };
}

/** The letter's page with its /Contents written as `contents` (given the content stream). */
const contentsAs =
  (contents: (content: number, n: () => number) => { contents: string; bodies: Feature }) =>
  (): Feature =>
  (pdf, n) => {
    const { page, text, content } = pageOf(pdf);
    const made = contents(content, n);
    return [
      ...made.bodies(pdf, n),
      { num: page, body: text.replace(/\/Contents \[[^\]]*\]/, `/Contents ${made.contents}`) },
    ];
  };

describe('a graphics state’s dash, as the page strokes with it', () => {
  it.each([
    [
      'a dash, a phase and a third item',
      '/D [ [ 3 1 ] 0 0 ]',
      /sets a dash that is not numbers and a phase \(\/D\)/,
    ],
    ['a dash and a phase', '/D [ [ 3 1 ] 0 ]', null],
  ])('%s', async (_name, entries, named) => {
    await expectVerdict(strokedWith(entries), named);
  });
});

describe('a graphics state the page strokes with, replaced by a later revision', () => {
  /** A letter whose page strokes with /GS9, a graphics state of its own object. */
  async function stroked(): Promise<{ pdf: Buffer; state: number }> {
    let state = 0;
    const pdf = await builtIn((pdf, n) => {
      state = n();
      return [
        { num: state, body: '<< /Type /ExtGState /LW 2 >>' },
        ...drawnWith(pdf, n(), 'ExtGState', `/GS9 ${state} 0 R`, '/GS9 gs 72 600 m 300 600 l S\n'),
      ];
    });
    return { pdf, state };
  }

  it('by one with a dash of no length', async () => {
    const { pdf, state } = await stroked();
    expect(found(pdf)).toBeNull();
    const later = added(pdf, () => [
      { num: state, body: '<< /Type /ExtGState /LW 2 /D [ [ 0 0 ] 0 ] >>' },
    ]);
    expect(found(later)).toBe(`object ${state} (revision 2) sets a dash of no length (/D)`);
  });

  it('by one with a dash', async () => {
    const { pdf, state } = await stroked();
    const later = added(pdf, () => [
      { num: state, body: '<< /Type /ExtGState /LW 2 /D [ [ 3 1 ] 0 ] >>' },
    ]);
    expect(found(later)).toBeNull();
  });
});

describe('resources that name no graphics state', () => {
  it('a graphics state named as null, which the page never sets', async () => {
    const feature: Feature = (pdf, n) =>
      drawnWith(pdf, n(), 'ExtGState', '/GS9 null', '72 600 m 300 600 l S\n');
    await expectVerdict(feature, null);
  });

  it('graphics states given as null', async () => {
    const feature: Feature = (pdf) => {
      const { page, text } = pageOf(pdf);
      return [{ num: page, body: text.replace(/\/ExtGState\s*<<[^>]*>>/, '/ExtGState null') }];
    };
    await expectVerdict(feature, null);
  });
});

describe('a page’s content named through an object of its own, replaced by a later revision', () => {
  const arrayObject = contentsAs((content, n) => {
    const array = n();
    return {
      contents: `${array} 0 R`,
      bodies: () => [{ num: array, body: `[ ${content} 0 R ]` }],
    };
  });
  const streamNamed = contentsAs((content) => ({ contents: `${content} 0 R`, bodies: () => [] }));

  it.each([
    ['an array of its own object', arrayObject],
    ['a stream named directly', streamNamed],
  ])(
    'the stream of %s filtered by LZW in an earlier revision, put back later',
    async (_name, contents) => {
      const pdf = await builtIn(contents());
      expect(found(pdf)).toBeNull();
      const { content } = pageOf(await letter());
      const feature: Feature = () => [{ num: content, body: LZW }];
      expect(found(undoneLater(pdf, feature))).toBe(
        `object ${content} (revision 2) is a content stream filtered by LZWDecode`,
      );
    },
  );

  // (pdf.js and poppler draw nothing through an object that is only a reference; this reader
  // follows it, and only its reading of the page as the last revision has it finds the stream.)
  it('a stream of its own named through an object that is a reference to it, filtered by LZW in a later revision', async () => {
    const pdf = await letter();
    const { page } = pageOf(pdf);
    let stream = 0;
    const through = contentsAs((_content, n) => {
      const reference = n();
      stream = n();
      return {
        contents: `${reference} 0 R`,
        bodies: () => [
          { num: reference, body: `${stream} 0 R` },
          { num: stream, body: streamObject('72 600 m 300 600 l S\n') },
        ],
      };
    });
    const named = added(pdf, through());
    expect(found(named)).toBeNull();
    expect(found(added(named, () => [{ num: stream, body: LZW }]))).toBe(
      `page ${page} is a content stream filtered by LZWDecode`,
    );
  });
});

describe('the letter’s own stream replaced by a later revision, its page as it was', () => {
  it.each([
    [
      'restoring a state it never saved',
      'Q 72 600 m 300 600 l S\n',
      /^the page object \d+, its streams read as one, restores a graphics state it never saved \(Q without q\)$/,
    ],
    ['saving and restoring a state', 'q 72 600 m 300 600 l S Q\n', null],
  ])('%s', async (_name, ops, named) => {
    const pdf = await letter();
    const { content } = pageOf(pdf);
    const later = added(pdf, () => [{ num: content, body: streamObject(ops) }]);
    if (named) {
      expect(found(later)).toMatch(named);
    } else {
      expect(found(later)).toBeNull();
    }
  });
});

describe('how many objects a file names as content', () => {
  /**
   * The letter (its page names one stream) and a page no page tree lists naming `count` objects
   * more, none of which the file holds: `count + 1` objects named as content in all.
   */
  const naming = async (count: number) => {
    const pdf = await letter();
    const size = anatomy(pdf).size;
    const refs = Array.from({ length: count }, (_, i) => `${size + 1 + i} 0 R`).join(' ');
    return added(pdf, (_pdf, n) => [
      {
        num: n(),
        body: withEntry('<< /Type /Page /MediaBox [ 0 0 595 842 ] >>', `/Contents [ ${refs} ]`),
      },
    ]);
  };

  it(`exactly ${MAX_CONTENT_OBJECTS}: read`, async () => {
    expect(found(await naming(MAX_CONTENT_OBJECTS - 1))).toBeNull();
  });

  it(`one more than ${MAX_CONTENT_OBJECTS}: refused`, async () => {
    expect(found(await naming(MAX_CONTENT_OBJECTS))).toBe(
      `the file names more than ${MAX_CONTENT_OBJECTS} objects as content`,
    );
  });
});

describe('how much content is read token by token', () => {
  // The reader's budget (MAX_TOKENS_READ) is the file's budget of inflated content: 64 MB.
  const third = Math.floor(MAX_CONTENT_INFLATED / 3);
  let blank: Buffer | undefined;

  /**
   * A page whose one stream (`third` spaces) is read three times — alone as content, joined as
   * its page's in its revision, joined as the page a viewer shows — and a form of `form` spaces
   * no page draws, read once.
   */
  const reading = async (form: number) => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.node.set(
      PDFName.of('Contents'),
      doc.context.register(
        doc.context.stream((blank ??= deflateSync(Buffer.alloc(third, ' '))), {
          Filter: 'FlateDecode',
        }),
      ),
    );
    doc.context.register(
      doc.context.stream(' '.repeat(form), {
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, 10, 10],
      }),
    );
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  };

  it('exactly 64 MB: read', async () => {
    expect(found(await reading(MAX_CONTENT_INFLATED - 3 * third))).toBeNull();
  });

  it('one byte more than 64 MB: refused', async () => {
    expect(found(await reading(MAX_CONTENT_INFLATED - 3 * third + 1))).toBe(
      "the letter's content streams, read as every page and form names them, run beyond 64 MB, more than is read",
    );
  });
});

describe('which strings are bytes, not text (round 20k, textReadTwoWays’s keys)', () => {
  /** An object of its own holding `entries`. */
  const holding =
    (entries: string): Feature =>
    (_pdf, n) => [{ num: n(), body: `<< ${entries} >>` }];
  featureRows([
    // A signature value's CMS and certificates are bytes beside its /ByteRange.
    [
      'a signature value’s /Contents and /Cert',
      holding('/ByteRange [ 0 1 2 3 ] /Contents <001b02> /Cert <1b00ff>'),
      null,
    ],
    // Only those two: a signature value's other strings are text.
    [
      'a signature value’s /Reason with an escape',
      holding('/ByteRange [ 0 1 2 3 ] /Contents <00> /Reason (A\\033B)'),
      /holds a text \(\/Reason\)/,
    ],
    // Without a /ByteRange, /Contents and /Cert are text like any other string.
    [
      'a /Contents of text with an escape',
      holding('/Contents (A\\033NOT\\033B)'),
      /holds a text \(\/Contents\) with a byte PDFDocEncoding reads apart \(0x1b\)/,
    ],
    [
      'a /Cert of text with an escape',
      holding('/Cert (A\\033B)'),
      /holds a text \(\/Cert\) with a byte/,
    ],
    // A file's identifier and an encryption dictionary's keys are bytes.
    [
      'an /ID, /O, /U, /OE, /UE',
      holding('/ID [ <001b> <1b00> ] /O <001b> /U <1b00> /OE <00> /UE <1b>'),
      null,
    ],
    [
      'any other key of text with an escape',
      holding('/Author (A\\033B)'),
      /holds a text \(\/Author\)/,
    ],
  ]);
});

/**
 * The letter profile (electron/signing/letter-profile.ts): what a decision letter may draw, an
 * allowlist read after the static-content denylist. Each row below is something the denylist
 * lets through (it is not known to be shown differently) that no decision letter draws; each is
 * refused on its own, in an update and built into the letter, naming what it found. What the
 * workbench's letters draw, and what poppler's pdfsig adds without drawing it, stays inside. A
 * signed letter outside the profile is INDETERMINATE (OUTSIDE_LETTER_PROFILE) while pdfsig, which
 * judges the signature alone, calls it valid: stricter, never looser.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import {
  added,
  catalogWith,
  builtIn,
  drawnWith,
  fontOf,
  listWith,
  pagesWith,
  signatureWidget,
  streamObject,
  withEntry,
  type Feature,
} from '../helpers/content-features';
import { tempFolder } from '../helpers/context';
import { anatomy, body } from '../helpers/forge';
import { featureRows, outside } from '../helpers/static-verdict';
import { honest } from '../helpers/honest-features';
import { letter, signLetter } from '../helpers/pdf';
import { crl, issue, nssStore, pdfsigAccepts, pdfsigReport, type Party } from '../helpers/pki';

const dynamic = (pdf: Buffer) => dynamicContent(PdfFile.parse(pdf))?.detail ?? null;

/** The page draws `ops` with `entry` added to its resources of `kind`. */
const drawn =
  (kind: string, entry: string, ops: (font: string) => string): Feature =>
  (pdf, n) => {
    const [font] = fontOf(body(pdf, anatomy(pdf).page));
    return drawnWith(pdf, n(), kind, entry, ops(font));
  };

/** The page with `entry` added to its own dictionary. */
const pageWith =
  (entry: string): Feature =>
  (pdf) => {
    const a = anatomy(pdf);
    return [{ num: a.page, body: withEntry(body(pdf, a.page), entry) }];
  };

/** A page font `/FX` of `dict`, drawing a line of text. */
const font = (dict: string): Feature =>
  drawn('Font', `/FX << /Type /Font ${dict} >>`, () => 'BT /FX 12 Tf 72 600 Td (APPROVED) Tj ET\n');

/** The page draws a form holding `dict` and `ops`. */
const form =
  (dict: string, ops: (font: number) => string, at = '1 0 0 1 72 600'): Feature =>
  (pdf, n) => {
    const [, fontNum] = fontOf(body(pdf, anatomy(pdf).page));
    const formNum = n();
    return [
      {
        num: formNum,
        body: streamObject(
          ops(fontNum),
          `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] ${dict} /Resources << /Font << /F1 ${fontNum} 0 R >> >>`,
        ),
      },
      ...drawnWith(pdf, n(), 'XObject', `/Fm1 ${formNum} 0 R`, `q ${at} cm /Fm1 Do Q\n`),
    ];
  };

/** An unsigned signature field whose appearance (an area of its own) draws in Symbol. */
const symbolWidget: Feature = signatureWidget('/F 4', (_, n) => {
  const ap = n();
  return [
    `/N ${ap} 0 R`,
    {
      num: ap,
      body: streamObject(
        'BT /T1 12 Tf 2 8 Td (a) Tj ET',
        '/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources << /Font << /T1 << /Type /Font /Subtype /Type1 /BaseFont /Symbol >> >> >>',
      ),
    },
  ];
});

/** `symbolWidget` with its rectangle moved to `rect`. */
const symbolWidgetAt =
  (rect: string): Feature =>
  (pdf, n) =>
    symbolWidget(pdf, n).map((o) => ({
      ...o,
      body: o.body.replace('/Rect [ 70 735 370 765 ]', `/Rect [ ${rect} ]`),
    }));

const TEXT = (f: string) => `BT /${f} 12 Tf 72 600 Td (APPROVED) Tj ET\n`;

/** Forms `nums`, each drawing the next as /Fn, the last a line. */
const formChain = (nums: number[]) =>
  nums.map((num, i) => ({
    num,
    body: streamObject(
      i + 1 < nums.length ? '/Fn Do' : '0 0 m 10 10 l S',
      `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ]${
        i + 1 < nums.length ? ` /Resources << /XObject << /Fn ${nums[i + 1]} 0 R >> >>` : ''
      }`,
    ),
  }));

/** Not known to be shown differently, but drawn by no decision letter. */
/** (`updateOnly`: a real pdf-lib rewrites as an integer when it saves the letter whole.) */
const rows: { name: string; feature: Feature; detail: RegExp; updateOnly?: boolean }[] = [
  // Round 20c: what a viewer shows beside the page, which the workbench's preview does not.
  {
    name: 'bookmarks the page does not say, opened on opening (/Outlines, /PageMode)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const [outlines, item] = [n(), n()];
      return [
        {
          num: outlines,
          body: `<< /Type /Outlines /First ${item} 0 R /Last ${item} 0 R /Count 1 >>`,
        },
        {
          num: item,
          body: `<< /Title (DECISION: NOT APPROVED) /Parent ${outlines} 0 R /Dest [ ${a.page} 0 R /Fit ] >>`,
        },
        catalogWith(pdf, `/Outlines ${outlines} 0 R /PageMode /UseOutlines`),
      ];
    },
    detail:
      /^the catalog \(revision \d\) holds bookmarks \(\/Outlines\), which a decision letter never shows$/,
  },
  {
    name: 'a viewer opened without its toolbar (/ViewerPreferences /HideToolbar)',
    feature: (pdf) => [
      catalogWith(pdf, '/ViewerPreferences << /DisplayDocTitle true /HideToolbar true >>'),
    ],
    detail: /holds \/ViewerPreferences \/HideToolbar, which a decision letter never holds/,
  },
  {
    name: 'a name tree other than named destinations (/Names /IDS)',
    feature: (pdf) => [
      catalogWith(pdf, '/Names << /Dests << /Names [ ] >> /IDS << /Names [ ] >> >>'),
    ],
    detail: /holds \/Names \/IDS, which a decision letter never holds/,
  },
  {
    name: 'a link whose text a viewer shows as a tooltip (/Contents)',
    feature: (pdf, n) => {
      const a = anatomy(pdf);
      const link = n();
      const page = body(pdf, a.page);
      return [
        {
          num: link,
          body: '<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] /Border [ 0 0 0 ] /Contents (DECISION: NOT APPROVED) /A << /S /URI /URI (https://example.org) >> >>',
        },
        { num: a.page, body: listWith(page, 'Annots', `${link} 0 R`) },
      ];
    },
    detail: /holds a text viewers show \(\/Contents\), which a decision letter never holds/,
  },
  {
    name: 'page labels (/PageLabels)',
    feature: (pdf) => [
      catalogWith(pdf, '/PageLabels << /Nums [ 0 << /S /D /P (NOT APPROVED - page ) >> ] >>'),
    ],
    detail: /holds page labels \(\/PageLabels\), which a decision letter never shows/,
  },
  {
    name: 'article threads (/Threads)',
    feature: (pdf) => [catalogWith(pdf, '/Threads [ ]')],
    detail: /holds article threads \(\/Threads\)/,
  },
  {
    name: 'a viewer opened on a panel (/PageMode /UseThumbs)',
    feature: (pdf) => [catalogWith(pdf, '/PageMode /UseThumbs')],
    detail: /opens the viewer on a panel \(\/PageMode\), which a decision letter never does/,
  },
  {
    name: 'a standard font that is not a Latin one (Symbol)',
    feature: font('/Subtype /Type1 /BaseFont /Symbol'),
    detail: /\/FX is a font other than a standard Latin one \(\/Type1 \/Symbol\)/,
  },
  {
    name: 'a standard Latin font with a ToUnicode map (what is copied need not be what is drawn)',
    feature: (pdf, n) => {
      const map = n();
      return [
        { num: map, body: streamObject('/CIDInit /ProcSet findresource begin end') },
        ...font(
          `/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode ${map} 0 R`,
        )(pdf, n),
      ];
    },
    detail: /\/FX, a font, has \/ToUnicode, which a decision letter never holds/,
  },
  {
    name: 'a standard Latin font encoded MacRoman',
    feature: font('/Subtype /Type1 /BaseFont /Helvetica /Encoding /MacRomanEncoding'),
    detail: /\/FX is a font not encoded \/WinAnsiEncoding/,
  },
  {
    name: 'a standard Latin font with no encoding',
    feature: font('/Subtype /Type1 /BaseFont /Times-Roman'),
    detail: /\/FX is a font not encoded \/WinAnsiEncoding/,
  },
  {
    name: 'a standard Latin font named as TrueType',
    feature: font('/Subtype /TrueType /BaseFont /Helvetica /Encoding /WinAnsiEncoding'),
    detail: /\/FX is a font other than a standard Latin one \(\/TrueType \/Helvetica\)/,
  },
  {
    name: 'a font that is not a dictionary',
    feature: drawn('Font', '/FX 0', () => 'q Q\n'),
    detail: /\/Font \/FX is not a font dictionary/,
  },
  {
    name: 'a graphics state with a line width',
    feature: drawn('ExtGState', '/GX << /LW 2 >>', () => '/GX gs 72 600 m 300 600 l S\n'),
    detail: /\/GX, a graphics state, has \/LW/,
  },
  {
    name: 'a graphics state with an opacity above 1',
    feature: drawn('ExtGState', '/GX << /ca 1.5 >>', () => '/GX gs 72 600 100 20 re f\n'),
    detail: /\/GX sets \/ca to something other than a number from 0 to 1/,
  },

  {
    name: 'a graphics state typed as something else',
    feature: drawn('ExtGState', '/GX << /Type /Font /ca 1 >>', () => '/GX gs\n'),
    detail: /\/GX is typed other than \/ExtGState/,
  },
  {
    name: 'a graphics state that is not a dictionary',
    feature: drawn('ExtGState', '/GX 1', () => 'q Q\n'),
    detail: /\/ExtGState \/GX is not a graphics state dictionary/,
  },
  {
    name: 'a colour space of its resources',
    feature: drawn(
      'Resources',
      '/ColorSpace << /CS1 [ /CalRGB << /WhitePoint [ 0.9505 1 1.089 ] >> ] >>',
      () => '/CS1 cs 1 0 0 sc 72 600 100 20 re f\n',
    ),
    detail: /defines colour spaces, which a decision letter never uses/,
  },
  {
    name: 'marked-content properties among its resources',
    feature: drawn('Resources', '/Properties << /P1 << /Lang (da) >> >>', () => 'q Q\n'),
    detail: /\/Resources has \/Properties, which a decision letter never holds/,
  },
  {
    name: 'a resource kind that is not a dictionary',
    feature: drawn('Resources', '/ColorSpace 3', () => 'q Q\n'),
    detail: /\/Resources \/ColorSpace is not a dictionary/,
  },
  {
    name: 'text drawn in a render mode of its own (0 Tr)',
    feature: drawn('Resources', '', (f) => `BT /${f} 12 Tf 0 Tr 72 600 Td (APPROVED) Tj ET\n`),
    detail: /uses the operator Tr, which a decision letter never uses/,
  },
  {
    name: 'a rendering intent (ri)',
    feature: drawn('Resources', '', () => '/Perceptual ri 72 600 100 20 re f\n'),
    detail: /uses the operator ri/,
  },
  {
    name: 'a flatness tolerance (i)',
    feature: drawn('Resources', '', () => '1 i 72 600 m 300 600 l S\n'),
    detail: /uses the operator i,/,
  },
  {
    name: 'marked content with properties (BDC)',
    feature: drawn('Resources', '', (f) => `/Span << /Lang (da) >> BDC ${TEXT(f)}EMC\n`),
    detail: /uses the operator BDC/,
  },
  {
    name: 'a marked point (MP)',
    feature: drawn('Resources', '', () => '/Here MP\n'),
    detail: /uses the operator MP/,
  },
  {
    name: 'a colour space named Pattern, without a pattern',
    feature: drawn('Resources', '', () => '/Pattern cs\n'),
    detail: /sets the colour space \/Pattern, which a decision letter never uses/,
  },
  {
    name: 'a page in a transparency group',
    feature: pageWith('/Group << /S /Transparency /CS /DeviceRGB >>'),
    detail: /the page object \d+ \(revision \d\) has \/Group, which a decision letter never holds/,
  },
  {
    name: 'a page with a trim box',
    feature: pageWith('/TrimBox [ 0 0 595 842 ]'),
    detail: /has \/TrimBox/,
  },
  {
    name: 'a page of another user unit',
    feature: pageWith('/UserUnit 2'),
    detail: /has a user unit other than 1/,
  },
  {
    name: 'a page of a user unit written as a real',
    feature: pageWith('/UserUnit 1.0'),
    detail: /has a user unit other than 1/,
    updateOnly: true,
  },
  {
    name: 'a content stream with an entry of its own',
    feature: (pdf, n) => {
      const [stream, page] = drawnWith(pdf, n(), 'Resources', '', 'q Q');
      return [{ ...stream!, body: streamObject('q Q', '/DL 3') }, page!];
    },
    detail: /content stream has \/DL/,
  },
  {
    name: 'a form in a transparency group',
    feature: form('/Group << /S /Transparency >>', () => TEXT('F1')),
    detail: /\/XObject \/Fm1, a form, has \/Group/,
  },
  {
    name: 'a form drawing with an operator no letter uses',
    feature: form('', () => `2 Tr ${TEXT('F1')}`),
    detail: /\/XObject \/Fm1 uses the operator Tr/,
  },
  {
    name: 'an XObject that is not a form',
    feature: drawn('XObject', '/Fx 3', () => 'q Q\n'),
    detail: /\/XObject \/Fx is not a form \(an image\?\)/,
  },
  {
    name: 'resources inherited from the page tree, holding a font no letter uses',
    feature: (pdf) => [
      pagesWith(
        pdf,
        '/Resources << /Font << /FS << /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >> >> >>',
      ),
    ],
    detail: /\/FS is a font other than a standard Latin one \(\/Type1 \/ZapfDingbats\)/,
  },
  // Round 20ac: sizes no letter draws at, which a canvas computes in single precision.
  {
    name: 'a white box moved by 2^50 + 10^6 and back by 2^50 (on "NOT" in pdf.js only)',
    feature: drawn(
      'Resources',
      '',
      () =>
        '1 0 0 1 1125899907842624 0 cm 1 0 0 1 -1125899906842624 0 cm 1 g 168.5 724 44 44 re f\n',
    ),
    detail: /gives cm 1125899907842624, a number beyond the sizes a letter draws at/,
  },
  {
    name: 'matrices that compose to a scale of 10,000',
    feature: drawn('Resources', '', () => 'q 100 0 0 100 0 0 cm 100 0 0 100 0 0 cm Q\n'),
    detail: /sets a matrix \(cm\) that scales beyond what a letter draws/,
  },
  {
    name: 'matrices that compose to a move of 20,000',
    feature: drawn('Resources', '', () => 'q 10 0 0 10 0 0 cm 1 0 0 1 2000 0 cm Q\n'),
    detail: /sets a matrix \(cm\) that moves beyond what a letter draws/,
  },
  {
    name: 'a text matrix scaled by 1,000',
    feature: drawn('Resources', '', (f) => `BT /${f} 12 Tf 1000 0 0 1000 0 0 Tm (a) Tj ET\n`),
    detail: /sets a matrix \(Tm\) that scales beyond what a letter draws/,
  },
  {
    name: 'a kerning of a million in TJ',
    feature: drawn('Resources', '', (f) => `BT /${f} 12 Tf [ (a) -1000000 (b) ] TJ ET\n`),
    detail: /gives TJ -1000000, a number beyond the sizes a letter draws at/,
  },
  {
    name: 'a form scaled by 1,000',
    feature: form('/Matrix [ 1000 0 0 1000 0 0 ]', () => '0 0 m 1 1 l S'),
    detail: /\/Fm1 is a form whose matrix or box goes beyond the sizes a letter draws at/,
  },
  {
    name: 'a zero-length stroke with round caps (a dot over "NOT" in poppler only)',
    feature: drawn('Resources', '', () => '1 J 1 G 46 w 189.5 746 m 189.5 746 l S\n'),
    detail: /sets line caps other than butt \(1 J\)/,
  },
  // Round 20ad: scales composed through forms (2^24 in all: 8192.0002 was 8192 to a canvas).
  {
    name: 'a form drawn at a scale of 64',
    feature: form('', () => '0 0 m 1 1 l S', '64 0 0 64 0 0'),
    detail: /draws a form at a scale above 1 \(Do\)/,
  },
  {
    name: 'a form whose own matrix scales by 2',
    feature: form('/Matrix [ 2 0 0 2 0 0 ]', () => '0 0 m 1 1 l S'),
    detail: /\/Fm1 is a form whose matrix or box goes beyond the sizes a letter draws at/,
  },
  // Round 20ai: sizes by how far a matrix stretches, not its entries ([1 -1 1 1] then a `cm`
  // of [1 1 -1 1] doubled the size at each of twenty levels), and forms judged at the deepest
  // they are drawn at.
  {
    name: 'a form whose own matrix stretches by √2 with entries of 1',
    feature: form('/Matrix [ 1 -1 1 1 0 0 ]', () => '0 0 m 1 1 l S'),
    detail: /\/Fm1 is a form whose matrix or box goes beyond the sizes a letter draws at/,
  },
  {
    name: 'a form drawn through a cm that stretches by √2 with entries of 1',
    feature: form('', () => '0 0 m 1 1 l S', '1 1 -1 1 72 600'),
    detail: /draws a form at a scale above 1 \(Do\)/,
  },
  {
    name: 'six forms drawing each other, each listed by the page before the one drawing it',
    feature: (pdf, n) => {
      const nums = Array.from({ length: 6 }, () => n());
      const forms = formChain(nums);
      const listed = [...nums]
        .reverse()
        .map((num, i) => `/L${i} ${num} 0 R`)
        .join(' ');
      return [...forms, ...drawnWith(pdf, n(), 'XObject', listed, 'q /L5 Do Q\n')];
    },
    detail: /nests forms too deeply to be read/,
  },
  {
    name: "a signature's appearance magnified a hundredfold into its rectangle",
    feature: (pdf, n) =>
      symbolWidget(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/BBox [ 0 0 300 30 ]', '/BBox [ 0 0 3 0.3 ]'),
      })),
    detail: /is drawn magnified \(its \/Rect larger than its \/BBox\)/,
  },
  // Round 20ae: an appearance shrunk by its /Matrix, fitted a million times larger (a canvas
  // missed its rectangle by a thousand pixels); mirrored text.
  {
    name: "a signature's appearance shrunk by its matrix and fitted a million times larger",
    feature: (pdf, n) =>
      symbolWidget(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace(
          '/BBox [ 0 0 300 30 ]',
          '/BBox [ 0 0 300 30 ] /Matrix [ 0.000001 0 0 0.000001 10000 10000 ]',
        ),
      })),
    detail: /is drawn magnified \(its \/Rect larger than its \/BBox\)/,
  },
  // Round 20ah: poppler clips an appearance to its /BBox as the matrix turns it, pdf.js to the
  // /Rect only: "NOT" in a corner outside a sheared box showed in pdf.js alone.
  ...(
    [
      ['sheared', '1 0 1 1 0 0'],
      ['turned a quarter', '0 1 -1 0 0 0'],
      ['mirrored', '-1 0 0 1 0 0'],
      ['turned upside down', '1 0 0 -1 0 30'],
    ] as const
  ).map(([how, matrix]) => ({
    name: `a signature's appearance ${how} by its matrix`,
    feature: (pdf: Buffer, n: () => number) =>
      symbolWidget(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/BBox [ 0 0 300 30 ]', `/BBox [ 0 0 300 30 ] /Matrix [ ${matrix} ]`),
      })),
    detail: /is drawn through a matrix that skews, rotates or mirrors it \(\/Matrix\)/,
  })),
  {
    name: "a signature's appearance whose box reaches 30,000 points",
    feature: (pdf, n) =>
      symbolWidget(pdf, n).map((o) => ({
        ...o,
        body: o.body.replace('/BBox [ 0 0 300 30 ]', '/BBox [ 0 0 30000 30 ]'),
      })),
    detail: /is a form whose matrix or box goes beyond the sizes a letter draws at/,
  },
  {
    name: 'text mirrored by a negative horizontal scale',
    feature: drawn('Resources', '', (f) => `BT /${f} 12 Tf -100 Tz 300 600 Td (a) Tj ET\n`),
    detail: /sets text mirrored or of no size \(Tz\)/,
  },
  {
    name: 'text set upside down by a negative size',
    feature: drawn('Resources', '', (f) => `BT /${f} -18 Tf 72 600 Td (a) Tj ET\n`),
    detail: /sets text mirrored or of no size \(Tf\)/,
  },
  // Round 20af: where text goes, in page units. Twenty `10000 0 Td` under a text matrix and a
  // page matrix of 100 each took a line 2·10⁹ points away, and `-10000 Tc` brought each glyph
  // back: poppler drew "NOT" in its place, pdf.js's single-precision canvas lost it.
  {
    name: 'a line taken 2·10⁹ points away by Td and brought back by Tc (NOT lost in pdf.js only)',
    feature: drawn(
      'Resources',
      '',
      (f) =>
        `q 100 0 0 100 0 0 cm BT /${f} 0.0018 Tf 100 0 0 100 0.6192 7.4 Tm ${'10000 0 Td '.repeat(20)}` +
        '-10000 Tc (....................N) Tj 0 Tc ET Q\n',
    ),
    detail: /shows text \(Tj\) through matrices that scale beyond what a letter draws/,
  },
  {
    name: 'a line moved 20,000 points by Td',
    feature: drawn('Resources', '', (f) => `BT /${f} 12 Tf 10000 0 Td 10000 0 Td (a) Tj ET\n`),
    detail: /shows text \(Tj\) beyond the page's sizes, where readers place it apart/,
  },
  {
    name: 'a line moved 20,000 points by T* and its leading',
    feature: drawn(
      'Resources',
      '',
      (f) => `q BT /${f} 12 Tf 10000 TL 72 600 Td T* T* (a) Tj ET Q\n`,
    ),
    detail: /shows text \(Tj\) beyond the page's sizes/,
  },
  {
    name: 'a line moved 19,400 points by TD and the leading it sets',
    feature: drawn(
      'Resources',
      '',
      (f) => `q BT /${f} 12 Tf 72 600 Td 0 -10000 TD T* (a) Tj ET Q\n`,
    ),
    detail: /shows text \(Tj\) beyond the page's sizes/,
  },
  {
    name: 'text run 12,000 points along one line by its character spacing',
    feature: drawn(
      'Resources',
      '',
      (f) => `q BT /${f} 12 Tf 72 600 Td 1000 Tc (aaaaaaaaaaaa) Tj ET Q\n`,
    ),
    detail: /shows text \(Tj\) beyond the page's sizes/,
  },
  {
    name: 'text run 12,000 points along one line by its word spacing, in a " string',
    feature: drawn(
      'Resources',
      '',
      (f) => `q BT /${f} 12 Tf 72 600 Td 1000 0 (a a a a a a) " ET Q\n`,
    ),
    detail: /shows text \("\) beyond the page's sizes/,
  },
  {
    name: 'TJ moves that add up to 10,800 points along one line',
    feature: drawn(
      'Resources',
      '',
      (f) => `BT /${f} 12 Tf 72 600 Td [ ${'(a) -9000 '.repeat(100)}] TJ ET\n`,
    ),
    detail: /shows text \(TJ\) beyond the page's sizes/,
  },
  {
    name: 'text raised 20,000 points through a text matrix of 2',
    feature: drawn(
      'Resources',
      '',
      (f) => `q BT /${f} 12 Tf 2 0 0 2 72 600 Tm 10000 Ts (a) Tj ET Q\n`,
    ),
    detail: /shows text \(Tj\) beyond the page's sizes/,
  },
  {
    name: 'a form drawn with the page’s character spacing, which it would inherit',
    feature: form('', () => TEXT('F1'), '5 Tc 1 0 0 1 72 600'),
    detail: /draws a form with its text state set \(Tc, Tw, Tz, TL or Ts\)/,
  },
  {
    name: 'a form showing text in the font of whatever draws it',
    feature: form('', () => 'BT 0 0 Td (a) Tj ET'),
    detail: /\/XObject \/Fm1 shows text before setting its font here \(Tj without Tf\)/,
  },
  {
    name: 'a page ending with its character spacing set (carried into appearances by some readers)',
    feature: drawn('Resources', '', () => '2 Tc\n'),
    detail: /ends with its text state set/,
  },
  // Round 20al: codes 0x00–0x1F are no WinAnsi character; poppler gives them no width in
  // Courier, pdf.js 0.6 em (fifty put "NOT" in place in one reader and off the page in the other).
  ...(
    [
      ['NUL written as an octal escape', '(\\000\\000NOT)'],
      ['a tab written as is', '(\tNOT)'],
      ['a tab written as an escape', '(\\tNOT)'],
      ['an end of line inside the string', '(\nNOT)'],
      ['a control code in a hex string', '<1F4E4F54>'],
      ['a control code as the odd last digit of a hex string', '<4E4F541>'],
    ] as const
  ).map(([how, string]) => ({
    name: `a control code shown: ${how}`,
    feature: drawn('Resources', '', (f) => `BT /${f} 18 Tf 170 740 Td ${string} Tj ET\n`),
    detail: /shows a control code \(0x00–0x1F\) that readers space differently \(Tj\)/,
  })),
  {
    name: 'a graphics state with a stroking opacity above 1',
    feature: drawn('ExtGState', '/GX << /CA 1.5 >>', () => '/GX gs 72 600 m 300 600 l S\n'),
    detail: /\/GX sets \/CA to something other than a number from 0 to 1/,
  },
  {
    name: 'a form whose resources are no dictionary',
    feature: (pdf, n) => {
      const formNum = n();
      return [
        {
          num: formNum,
          body: streamObject(
            '0 0 m 10 10 l S',
            '/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources 3',
          ),
        },
        ...drawnWith(pdf, n(), 'XObject', `/Fm1 ${formNum} 0 R`, 'q /Fm1 Do Q\n'),
      ];
    },
    detail: /\/XObject \/Fm1 \/Resources is not a dictionary of resources/,
  },
  {
    name: 'a form that draws itself',
    feature: (pdf, n) => {
      const self = n();
      return [
        {
          num: self,
          body: streamObject(
            '0 0 m 10 10 l S /Fs Do',
            `/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ] /Resources << /XObject << /Fs ${self} 0 R >> >>`,
          ),
        },
        ...drawnWith(pdf, n(), 'XObject', `/Fs ${self} 0 R`, 'q /Fs Do Q\n'),
      ];
    },
    detail: /\/XObject \/Fs is a form that draws itself/,
  },
  {
    name: 'forms drawn within forms 66 deep',
    feature: (pdf, n) => {
      const nums = Array.from({ length: 66 }, () => n());
      return [
        ...formChain(nums),
        ...drawnWith(pdf, n(), 'XObject', `/Fn ${nums[0]} 0 R`, 'q /Fn Do Q\n'),
      ];
    },
    detail: /nests forms too deeply to be read/,
  },
  {
    name: "a signature's appearance with an area, in a font no letter uses",
    feature: symbolWidget,
    detail:
      /the appearance of an annotation of the page .*\/T1 is a font other than a standard Latin one \(\/Type1 \/Symbol\)/,
  },
];

/** What the profile makes of each honest tool's feature (null: inside it). */
const honestOutside: Record<string, RegExp | null> = {
  'a crop box that is the media box': null,
  'a page turned a whole turn back, under a page tree turned a whole turn (the bounds of /Rotate)':
    null,
  'a Link drawing nothing: a border of width 0, by array or style, print flag, highlight': null,
  'a graphics state drawing opaque, in the normal blend mode, without transfer': /has \/BM/,
  'an image with a soft mask of its own (an image /SMask is a stream, not a graphics state)':
    /is not a form \(an image\?\)/,
  'a composite font with its descendant and its program, and the form telling viewers not to draw it':
    /has \/DescendantFonts/,
  'colours in the spaces their resources define: CIE, indexed with its exact table, patterns':
    /\/Resources has \/Pattern/,
  "a page turned a quarter, with poppler's own zero-sized signature widget (NoRotate, Locked)":
    null,
  'a signature widget on a page turned a half, drawn with the page (Print only)': null,
  'an RGB image, Flate with PNG predictors, as pdfkit writes one': /is not a form \(an image\?\)/,
  'a JPEG declared as its frame says: RGB, 8 bits, a full /Decode': /is not a form \(an image\?\)/,
  'a stencil mask one bit deep, decoded 1 to 0': /is not a form \(an image\?\)/,
  'a gray image with a colour key of its sample values': /is not a form \(an image\?\)/,
  'an embedded Type 1 font encoded WinAnsi': /has \/FontDescriptor/,
  'an embedded Type 1 font encoded on a MacRoman base, without differences': /has \/FontDescriptor/,
  'an embedded Type 1 font flagged symbolic, drawn by its own encoding': /has \/FontDescriptor/,
  'an embedded compact Type 1 font encoded WinAnsi': /has \/FontDescriptor/,
  'an image masked by a stencil mask stream that says so': /is not a form \(an image\?\)/,
  'an embedded TrueType font with Unicode and Macintosh cmaps only, no encoding':
    /has \/FontDescriptor/,
  'an embedded TrueType font with a symbol cmap, flagged symbolic, no encoding':
    /has \/FontDescriptor/,
  'an embedded TrueType font with a symbol cmap, encoded WinAnsi': /has \/FontDescriptor/,
  'a graphics state with a round cap, a bevel join, a width, a miter limit and a dash': /has \/LC/,
};

/** What a decision letter may draw. */
const inside: [string, Feature][] = [
  [
    'the title in the title bar, and an empty tree of named destinations (as the workbench writes)',
    (pdf) => [
      catalogWith(
        pdf,
        '/ViewerPreferences << /DisplayDocTitle true >> /Names << /Dests << /Names [ ] >> >>',
      ),
    ],
  ],
  [
    'a viewer opened on the page alone (/PageMode /UseNone)',
    (pdf) => [catalogWith(pdf, '/PageMode /UseNone')],
  ],
  [
    'opaque graphics states, typed or not',
    drawn(
      'ExtGState',
      '/GA << /Type /ExtGState /ca 1 /CA 1.0 >> /GB << /ca 1 >>',
      () => '/GA gs 72 600 100 20 re f /GB gs 72 600 m 300 600 l S\n',
    ),
  ],
  [
    'the twelve standard Latin fonts, by reference, with a name',
    (pdf, n) => {
      const fonts = ['Times-Bold', 'Courier-Oblique', 'Helvetica-BoldOblique'].map((base) => ({
        num: n(),
        body: `<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding /Name /X >>`,
      }));
      return [
        ...fonts,
        ...drawnWith(
          pdf,
          n(),
          'Font',
          fonts.map((f, i) => `/X${i} ${f.num} 0 R`).join(' '),
          fonts.map((_, i) => TEXT(`X${i}`)).join(''),
        ),
      ];
    },
  ],
  ['a form drawn by the page', form('/Matrix [ 1 0 0 1 0 0 ] /FormType 1', () => TEXT('F1'))],
  [
    'paths, curves, clipping, dashes and every device colour, as a layout writes them',
    drawn(
      'Resources',
      '/ProcSet [ /PDF /Text ]',
      () =>
        'q 0.5 w 0 J 1 j 4 M [ 3 1 ] 0 d /DeviceRGB CS 0 0 1 SCN /DeviceCMYK cs 0 0 0 1 scn ' +
        '72 600 m 100 650 120 650 150 600 c 150 650 160 610 v 170 620 180 600 y h B ' +
        '72 500 100 20 re W n ' +
        '0.2 g 0.3 G 1 0 0 rg 0 1 0 RG 0 0 0 1 k 0 0 0 1 K f* S s F b B* b* f Q\n',
    ),
  ],
  [
    'text set every way a layout sets it, in a marked-content sequence, its state restored',
    drawn(
      'Resources',
      '',
      (f) =>
        `q /Tx BMC BT /${f} 12 Tf 1 Tc 2 Tw 90 Tz 14 TL 1 Ts 72 600 Td 0 -14 TD 1 0 0 1 72 580 Tm ` +
        'T* (a) Tj [(b) -20 (c)] TJ (d) \' 1 2 (e) " ET EMC Q\n',
    ),
  ],
  [
    "a signature's appearance of no width, in a font no letter uses",
    symbolWidgetAt('70 735 70 765'),
  ],
  [
    "a signature's appearance of no height, in a font no letter uses",
    symbolWidgetAt('70 735 370 735'),
  ],
  [
    'a form without resources of its own, drawing lines',
    (pdf, n) => {
      const [formNum, content] = [n(), n()];
      return [
        {
          num: formNum,
          body: streamObject(
            '0 0 m 10 10 l S',
            '/Type /XObject /Subtype /Form /BBox [ 0 0 300 30 ]',
          ),
        },
        ...drawnWith(pdf, content, 'XObject', `/Fm2 ${formNum} 0 R`, 'q /Fm2 Do Q\n'),
      ];
    },
  ],
  [
    'strings with escapes that show no control code: a line continued, parentheses, octal letters',
    drawn(
      'Resources',
      '',
      (f) =>
        `BT /${f} 12 Tf 72 600 Td (a\\\nb \\( \\) \\\\ \\116\\040 c\\\r\nd) Tj <4E 4F 54> Tj <4E4F544> Tj ET\n`,
    ),
  ],
  ['a page of a user unit of 1', pageWith('/UserUnit 1')],
  [
    'a page filling in its default colour space, gray, without setting one',
    drawn('Resources', '', () => '0.5 sc 72 600 100 20 re f\n'),
  ],
  [
    "a signature's appearance with no area, in a font no letter uses (as poppler's pdfsig adds one)",
    symbolWidgetAt('0 0 0 0'),
  ],
];

describe('what no decision letter draws is found and named, though readers agree on it', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const updated = added(await letter(), row.feature);
      expect(dynamic(updated), 'the denylist lets it through').toBeNull();
      expect(outside(updated)).toMatch(row.detail);
      if (!row.updateOnly) {
        expect(outside(await builtIn(row.feature))).toMatch(row.detail);
      }
    });
  }
});

describe('what honest tools write outside the profile is named; the rest is inside', () => {
  it('every honest row is judged here', () => {
    expect(Object.keys(honestOutside).sort()).toEqual(honest.map(([name]) => name).sort());
  });
  for (const [name, feature] of honest) {
    it(name, async () => {
      const expected = honestOutside[name];
      for (const pdf of [added(await letter(), feature), await builtIn(feature)]) {
        if (expected) {
          expect(outside(pdf)).toMatch(expected);
        } else {
          expect(outside(pdf)).toBeNull();
        }
      }
    });
  }
});

describe('what a decision letter draws is inside the profile', () => {
  it('the letter as the tests write it', async () => {
    expect(outside(await letter())).toBeNull();
  });
  for (const [name, feature] of inside) {
    it(name, async () => {
      const updated = added(await letter(), feature);
      expect(dynamic(updated)).toBeNull();
      expect(outside(updated)).toBeNull();
      expect(outside(await builtIn(feature))).toBeNull();
    });
  }
});

describe('a signed letter outside the profile', () => {
  let ca: Party;
  let anne: Party;
  let bo: Party;
  let trust: TrustStore;
  let nss: string;
  const folder = tempFolder('awb-profile-');
  beforeAll(async () => {
    const root = await issue({ name: 'CN=Profile Root, O=Authority, C=DK', ca: true });
    ca = await issue({ name: 'CN=Profile CA, O=Authority, C=DK', ca: true, issuer: root });
    anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: ca });
    bo = await issue({ name: 'CN=Bo Accreditor, O=Authority, C=DK', issuer: ca });
    const crls = [await crl(ca, []), await crl(root, [])];
    trust = { anchors: [root.cert], crls };
    nss = nssStore(join(folder.path, 'nss'), root.pem, crls);
  });
  afterAll(() => folder.cleanup());

  const sign = (pdf: Buffer, who: Party, field: 'Signature1' | 'Signature2', reserve = false) =>
    signLetter(pdf, softwareSigner(who.key, [who.der, ca.der]), field, {
      title: who.cert.subject,
      lines: ['Godkendt'],
      reserve,
    });

  it('is INDETERMINATE for every signature, once and countersigned, though pdfsig calls it valid', async () => {
    const [name, feature] = honest.find(([n]) => n.startsWith('an embedded TrueType font'))!;
    const once = await sign(await builtIn(feature), anne, 'Signature1', true);
    const twice = await sign(once, bo, 'Signature2');
    for (const [i, pdf] of [once, twice].entries()) {
      const result = await verifyPdf(pdf, trust);
      expect(result, name).toMatchObject({
        valid: false,
        status: 'indeterminate',
        indication: 'INDETERMINATE',
        subIndication: 'SIG_CONSTRAINTS_FAILURE',
        reason: 'OUTSIDE_LETTER_PROFILE',
      });
      expect(result.signatures).toHaveLength(i + 1);
      for (const s of result.signatures) {
        expect(s.reason).toBe('OUTSIDE_LETTER_PROFILE');
        expect(s.detail).toMatch(/has \/FontDescriptor, which a decision letter never holds/);
        expect(s.signer?.subject).toBeTruthy();
      }
      const file = join(folder.path, `outside-${i}.pdf`);
      writeFileSync(file, pdf);
      const report = pdfsigReport(
        spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout,
      );
      expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(true);
    }
  });

  it('a genuine letter stays valid, and a change that proves a signature wrong is named first', async () => {
    const once = await sign(await letter(), anne, 'Signature1');
    expect(await verifyPdf(once, trust)).toMatchObject({ valid: true, reason: null });
    const feature = rows.find((r) => r.name.startsWith('a standard font that is not'))!.feature;
    expect(await verifyPdf(added(once, feature), trust)).toMatchObject({
      status: 'invalid',
      reason: 'MODIFIED_AFTER_SIGNING',
    });
  });
});

/** `symbolWidget` with its appearance's box and matrix as given (the /Rect is 300 × 30). */
const appearanceOf =
  (box: string): Feature =>
  (pdf, n) =>
    symbolWidget(pdf, n).map((o) => ({
      ...o,
      body: o.body.replace('/BBox [ 0 0 300 30 ]', box),
    }));

describe('the edges of the profile’s rules, each from both sides', () => {
  const MAGNIFIED = /is drawn magnified \(its \/Rect larger than its \/BBox\)/;
  const SLANTED = /is drawn through a matrix that skews, rotates or mirrors it \(\/Matrix\)/;
  const cases: [string, Feature, RegExp | null][] = [
    [
      'an appearance fitted exactly, its box below and left of the origin',
      appearanceOf('/BBox [ -300 -30 0 0 ]'),
      /font other than a standard Latin one/,
    ],
    [
      'an appearance halved in width by its matrix',
      appearanceOf('/BBox [ 0 0 300 30 ] /Matrix [ 0.5 0 0 1 0 0 ]'),
      MAGNIFIED,
    ],
    [
      'an appearance halved in height by its matrix',
      appearanceOf('/BBox [ 0 0 300 30 ] /Matrix [ 1 0 0 0.5 0 0 ]'),
      MAGNIFIED,
    ],
    [
      'an appearance a little narrower than its rectangle',
      appearanceOf('/BBox [ 0 0 290 30 ]'),
      MAGNIFIED,
    ],
    [
      'an appearance flattened to no width by its matrix',
      appearanceOf('/BBox [ 0 0 300 30 ] /Matrix [ 0 0 0 1 0 0 ]'),
      SLANTED,
    ],
    [
      'an appearance flattened to no height by its matrix',
      appearanceOf('/BBox [ 0 0 300 30 ] /Matrix [ 1 0 0 0 0 0 ]'),
      SLANTED,
    ],
    ['a form moved by its matrix', form('/Matrix [ 1 0 0 1 10 10 ]', () => TEXT('F1')), null],
    [
      'a form moved by its matrix beyond the page’s sizes',
      form('/Matrix [ 1 0 0 1 10001 0 ]', () => TEXT('F1')),
      /is a form whose matrix or box goes beyond the sizes a letter draws at/,
    ],
    [
      'text in a mode the page content sets',
      drawn('Resources', '', (f) => `BT /${f} 12 Tf 1 Tr 72 600 Td (NOT) Tj ET\n`),
      /the page object \d+ \(revision \d+\)'s content/,
    ],
    [
      'text in a mode a form sets, the page’s own content inside',
      form('', () => 'BT /F1 12 Tf 1 Tr 72 600 Td (NOT) Tj ET'),
      /\/Resources \/XObject \/Fm1 uses the operator Tr, which a decision letter never uses/,
    ],
  ];
  featureRows(cases, outside);

  it('forms drawn within forms as deep as the profile reads, and one deeper', async () => {
    const chain =
      (length: number): Feature =>
      (pdf, n) => {
        const nums = Array.from({ length }, () => n());
        return [
          ...formChain(nums),
          ...drawnWith(pdf, n(), 'XObject', `/Fn ${nums[0]} 0 R`, 'q /Fn Do Q\n'),
        ];
      };
    const verdicts: (string | null)[] = [];
    for (const length of [1, 2, 3, 4, 5]) {
      verdicts.push(outside(added(await letter(), chain(length))));
    }
    // Four forms deep are read (a page, a form, a form in it…); a fifth is not.
    expect(verdicts.slice(0, 4)).toEqual([null, null, null, null]);
    expect(verdicts[4]).toMatch(/nests forms too deeply to be read/);
  });
});

/**
 * The edges of the static-content reader's rules (electron/signing/static-content.ts), each
 * from both sides, on unsigned letters: a font's widths and a composite font's codes, a colour
 * space, an image. What every reader loads, reads or decodes alike is left alone; what readers
 * take each their own way is named. The forgery table holds the splits that were found; these
 * rows hold the boundaries of the rules written against them, so a rule moved by one is caught
 * (mutation testing showed both directions of most of these conditions unguarded).
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  added,
  annotated,
  drawnWith,
  fontFeature,
  imageDrawn,
  formDrawing,
  listWith,
  sfnt,
  signatureWidget,
  trueTypeFont,
  streamObject,
  WHITE_JPEG,
  withEntry,
  type Feature,
  strokedWith,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { letter } from '../helpers/pdf';
import { expectVerdict, found } from '../helpers/static-verdict';

const NAMED = /sets the font \/F9, which its resources do not define as a font every reader loads/;

const HELVETICA = '/Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding';
const COMPOSITE = (encoding = 'Identity-H', descendants = 'CID') =>
  `/Subtype /Type0 /BaseFont /LiberationSans /Encoding /${encoding} /DescendantFonts [ ${descendants} ]`;

/** [what, the font, its descendant's entries, whether every reader loads it alike] */
type FontRow = [string, string, string, boolean];

const simple: FontRow[] = [
  ['a standard font without widths', HELVETICA, '', true],
  [
    'widths for three codes',
    `${HELVETICA} /FirstChar 32 /LastChar 34 /Widths [ 278 278 355 ]`,
    '',
    true,
  ],
  ['one width, for code 0', `${HELVETICA} /FirstChar 0 /LastChar 0 /Widths [ 500 ]`, '', true],
  [
    'one width, for code 255',
    `${HELVETICA} /FirstChar 255 /LastChar 255 /Widths [ 500 ]`,
    '',
    true,
  ],
  ['widths by reference', `${HELVETICA} /FirstChar 32 /LastChar 32 /Widths [ 278 ]`, '', true],
  ['one width too few', `${HELVETICA} /FirstChar 32 /LastChar 33 /Widths [ 278 ]`, '', false],
  [
    'one width too many',
    `${HELVETICA} /FirstChar 32 /LastChar 33 /Widths [ 278 278 278 ]`,
    '',
    false,
  ],
  ['a first code below 0', `${HELVETICA} /FirstChar -1 /LastChar 0 /Widths [ 1 1 ]`, '', false],
  ['a last code above 255', `${HELVETICA} /FirstChar 255 /LastChar 256 /Widths [ 1 1 ]`, '', false],
  [
    'the last code below the first',
    `${HELVETICA} /FirstChar 33 /LastChar 32 /Widths [ ]`,
    '',
    false,
  ],
  ['codes without widths', `${HELVETICA} /FirstChar 32 /LastChar 32`, '', false],
  ['widths without codes', `${HELVETICA} /Widths [ 278 ]`, '', false],
  ['widths without a first code', `${HELVETICA} /LastChar 32 /Widths [ 278 ]`, '', false],
  ['widths without a last code', `${HELVETICA} /FirstChar 32 /Widths [ 278 ]`, '', false],
  ['widths that are no array', `${HELVETICA} /FirstChar 32 /LastChar 32 /Widths 278`, '', false],
  [
    'a width that is no number',
    `${HELVETICA} /FirstChar 32 /LastChar 32 /Widths [ (w) ]`,
    '',
    false,
  ],
];

const composite: FontRow[] = [
  ['a composite font without widths', COMPOSITE(), '', true],
  ['written vertically, without widths', COMPOSITE('Identity-V'), '', true],
  ['widths as a list and as a range', COMPOSITE(), '/W [ 3 [ 500 600 ] 10 12 700 ]', true],
  ['a list from code 0', COMPOSITE(), '/W [ 0 [ 500 ] ]', true],
  ['a range of one code', COMPOSITE(), '/W [ 3 3 500 ]', true],
  ['lists side by side', COMPOSITE(), '/W [ 3 [ 500 ] 4 [ 600 ] ]', true],
  ['ranges out of order, apart', COMPOSITE(), '/W [ 5 [ 1 ] 3 4 2 ]', true],
  ['vertical widths as a list', COMPOSITE('Identity-V'), '/W2 [ 3 [ -1000 500 880 ] ]', true],
  ['vertical widths as a range', COMPOSITE('Identity-V'), '/W2 [ 3 4 -1000 500 880 ]', true],
  ['default widths', COMPOSITE(), '/DW 1000 /DW2 [ 880 -1000 ]', true],
  ['widths that are no array', COMPOSITE(), '/W 5', false],
  ['an empty list', COMPOSITE(), '/W [ 3 [ ] ]', false],
  ['a list holding something other than numbers', COMPOSITE(), '/W [ 3 [ (a) ] ]', false],
  ['vertical widths not in threes', COMPOSITE('Identity-V'), '/W2 [ 3 [ 1 2 ] ]', false],
  ['a vertical range of two numbers', COMPOSITE('Identity-V'), '/W2 [ 3 4 1 2 ]', false],
  ['a code below 0', COMPOSITE(), '/W [ -1 [ 500 ] ]', false],
  ['a range ending before it starts', COMPOSITE(), '/W [ 3 2 500 ]', false],
  ['a range without its width', COMPOSITE(), '/W [ 3 4 ]', false],
  ['a range whose width is no number', COMPOSITE(), '/W [ 3 4 (x) ]', false],
  ['a range whose end is no number', COMPOSITE(), '/W [ 3 (x) 500 ]', false],
  ['a start that is no number', COMPOSITE(), '/W [ (x) [ 500 ] ]', false],
  ['one code in two lists', COMPOSITE(), '/W [ 3 [ 500 ] 3 [ 600 ] ]', false],
  ['a list starting where a range ends', COMPOSITE(), '/W [ 3 5 500 5 [ 600 ] ]', false],
  ['ranges out of order, overlapping', COMPOSITE(), '/W [ 5 [ 1 ] 3 5 2 ]', false],
  ['a default vertical width of one number', COMPOSITE(), '/DW2 [ 880 ]', false],
  ['a default vertical width that is no array', COMPOSITE(), '/DW2 880', false],
  ['a default vertical width that is no number', COMPOSITE(), '/DW2 [ 880 (x) ]', false],
  ['a default width that is no number', COMPOSITE(), '/DW (x)', false],
  ['an identity encoding of neither direction', COMPOSITE('Identity'), '', false],
  ['a simple encoding for a composite font', COMPOSITE('WinAnsiEncoding'), '', false],
  ['two descendant fonts', COMPOSITE('Identity-H', 'CID CID'), '', false],
  ['no descendant font', COMPOSITE('Identity-H', ''), '', false],
];

/** [what, the font, the descriptor's flags, read alike]: embedded Type 1 programs. */
const EMBEDDED = '/Subtype /Type1 /BaseFont /FreeEuro /FontDescriptor DESCRIPTOR';
const embeddedType1: [string, string, string, boolean][] = [
  ['WinAnsi', `${EMBEDDED} /Encoding /WinAnsiEncoding`, '/Flags 32', true],
  ['MacRoman', `${EMBEDDED} /Encoding /MacRomanEncoding`, '/Flags 32', true],
  [
    'WinAnsi as a base, nothing changed',
    `${EMBEDDED} /Encoding << /BaseEncoding /WinAnsiEncoding >>`,
    '/Flags 32',
    true,
  ],
  ['flagged symbolic, by its own encoding', EMBEDDED, '/Flags 4', true],
  ['flagged symbolic among other flags', EMBEDDED, '/Flags 36', true],
  [
    'WinAnsi with differences',
    `${EMBEDDED} /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [ 65 /A ] >>`,
    '/Flags 32',
    false,
  ],
  [
    'a base encoding other than WinAnsi or MacRoman',
    `${EMBEDDED} /Encoding << /BaseEncoding /MacExpertEncoding >>`,
    '/Flags 32',
    false,
  ],
  [
    'flagged symbolic and given an encoding',
    `${EMBEDDED} /Encoding /WinAnsiEncoding`,
    '/Flags 4',
    false,
  ],
  [
    'no name',
    `${EMBEDDED.replace('/BaseFont /FreeEuro ', '')} /Encoding /WinAnsiEncoding`,
    '/Flags 32',
    false,
  ],
];

describe('an embedded Type 1 font', () => {
  it.each(embeddedType1)('%s', async (_name, font, flags, alike) => {
    const feature = fontFeature(font, flags, '', 'FontFile');
    await expectVerdict(feature, alike ? null : NAMED);
  });
});

describe.each([
  ['a simple font', simple],
  ['a composite font', composite],
])('%s', (_, table) => {
  it.each(table)('%s', async (_name, font, widths, alike) => {
    const feature = fontFeature(font, '/Flags 32', widths);
    await expectVerdict(feature, alike ? null : NAMED);
  });
});

/** [what, the colour space /CS0, its components (operands of `scn`), read alike] */
type SpaceRow = [string, string, number, boolean];

// (An indexed space is read where it stands too, and named there first.)
const SPACE_NAMED =
  /(sets the colour space \/CS0, which its resources do not define as one every reader reads alike|holds an indexed colour space whose table is not its entries)$/;
const WHITE = '/WhitePoint [ 0.9505 1 1.089 ]';
const RED_GREEN = '<FF000000FF00>';
const spaces: SpaceRow[] = [
  ['a device space by name', '/DeviceRGB', 3, true],
  ['a device space alone in an array', '[ /DeviceCMYK ]', 4, true],
  ['calibrated grey with a gamma', `[ /CalGray << ${WHITE} /Gamma 2.2 >> ]`, 1, true],
  [
    'calibrated RGB with three gammas',
    `[ /CalRGB << ${WHITE} /Gamma [ 1.8 1.8 1.8 ] >> ]`,
    3,
    true,
  ],
  ['Lab', `[ /Lab << ${WHITE} >> ]`, 3, true],
  ['an indexed space of two colours', `[ /Indexed /DeviceRGB 1 ${RED_GREEN} ]`, 1, true],
  ['an indexed space of one grey', '[ /Indexed /DeviceGray 0 <80> ]', 1, true],
  ['an indexed space of 256 greys', `[ /Indexed /DeviceGray 255 <${'80'.repeat(256)}> ]`, 1, true],
  [
    'an indexed space over a calibrated one',
    `[ /Indexed [ /CalGray << ${WHITE} >> ] 0 <80> ]`,
    1,
    true,
  ],
  ['a device space in an array with more', '[ /DeviceRGB /DeviceRGB ]', 3, false],
  ['calibrated RGB without its dictionary', '[ /CalRGB ]', 3, false],
  ['a white point whose Y is not 1', `[ /CalRGB << /WhitePoint [ 0.9505 2 1.089 ] >> ]`, 3, false],
  ['a white point whose X is 0', `[ /CalRGB << /WhitePoint [ 0 1 1.089 ] >> ]`, 3, false],
  ['a white point whose Z is 0', `[ /CalRGB << /WhitePoint [ 0.9505 1 0 ] >> ]`, 3, false],
  ['a white point of two numbers', `[ /CalRGB << /WhitePoint [ 0.9505 1 ] >> ]`, 3, false],
  ['no white point', '[ /CalGray << /Gamma 2.2 >> ]', 1, false],
  ['a gamma of 0', `[ /CalGray << ${WHITE} /Gamma 0 >> ]`, 1, false],
  ['a gamma of 0 among three', `[ /CalRGB << ${WHITE} /Gamma [ 1 0 1 ] >> ]`, 3, false],
  ['a gamma that is no number', `[ /CalGray << ${WHITE} /Gamma (g) >> ]`, 1, false],
  ['an ICC profile', '[ /ICCBased << /N 1 >> ]', 1, false],
  ['a table one byte short', '[ /Indexed /DeviceRGB 1 <FF000000FF> ]', 1, false],
  ['a table one byte long', '[ /Indexed /DeviceRGB 1 <FF000000FF0000> ]', 1, false],
  ['a highest index below 0', '[ /Indexed /DeviceGray -1 <> ]', 1, false],
  ['a highest index above 255', `[ /Indexed /DeviceGray 256 <${'80'.repeat(257)}> ]`, 1, false],
  ['a highest index that is not whole', '[ /Indexed /DeviceGray 0.5 <80> ]', 1, false],
  [
    'an indexed space over an indexed one',
    '[ /Indexed [ /Indexed /DeviceGray 0 <80> ] 0 <80> ]',
    1,
    false,
  ],
  [
    'an indexed space over an ICC profile',
    '[ /Indexed [ /ICCBased << /N 1 >> ] 0 <80> ]',
    1,
    false,
  ],
  ['an indexed space of three entries', '[ /Indexed /DeviceGray 0 ]', 1, false],
  ['a pattern space of three entries', '[ /Pattern /DeviceRGB /DeviceRGB ]', 3, false],
  ['a space of no family', '[ 5 ]', 1, false],
];

describe('a colour space, as the page fills with it', () => {
  it.each(spaces)('%s', async (_name, space, components, alike) => {
    const feature: Feature = (pdf, n) =>
      drawnWith(
        pdf,
        n(),
        'Resources',
        `/ColorSpace << /CS0 ${space} >>`,
        `/CS0 cs ${'0 '.repeat(components)}scn 72 600 100 20 re f\n`,
      );
    await expectVerdict(feature, alike ? null : SPACE_NAMED);
  });
});

/** [what, the image's data (bytes as latin1), its dictionary after /Subtype, null or what is named] */
type ImageRow = [string, string, string, RegExp | null];

const GRAY = '/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8';
const FOUR = '\xfe\xfe\xfe\xfe';
const flate = (bytes: number[]) => deflateSync(Buffer.from(bytes)).toString('latin1');
/** PNG rows of two grey samples, each after its predictor byte. */
const PNG_ROWS = flate([2, 0xfe, 0xfe, 2, 0, 0]);
const PNG = (parms: string) =>
  `${GRAY} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 2 ${parms} >>`;
const jpeg = WHITE_JPEG;
const RGB_JPEG = '/Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode';
const SIZE = /its size is not two positive whole numbers/;
const DEPTH = /its colour space or depth is not one every reader reads alike/;
const KEY = /its colour key \(\/Mask\) is not a range of its sample values for each component/;
const ROWS = /its decode parameters do not describe its rows/;
const PREDICTOR = /its predictor is not one every reader applies alike/;
const STENCIL = /it is a stencil mask not one bit deep, or not decoded by 0 and 1/;

const images: ImageRow[] = [
  ['grey, eight bits, raw', FOUR, GRAY, null],
  ['RGB, eight bits, raw', '\xfe'.repeat(12), GRAY.replace('DeviceGray', 'DeviceRGB'), null],
  ['grey, one bit, a byte a row', '\x80\x40', GRAY.replace('8', '1'), null],
  ['decoded inverted', FOUR, `${GRAY} /Decode [ 1 0 ]`, null],
  ['a colour key within its samples', FOUR, `${GRAY} /Mask [ 0 254 ]`, null],
  ['a colour key of the top sample', FOUR, `${GRAY} /Mask [ 255 255 ]`, null],
  ['compressed', flate([1, 2, 3, 4]), `${GRAY} /Filter /FlateDecode`, null],
  ['compressed, named in an array', flate([1, 2, 3, 4]), `${GRAY} /Filter [ /FlateDecode ]`, null],
  ['compressed with PNG rows', PNG_ROWS, PNG('/Colors 1 /BitsPerComponent 8'), null],
  ['compressed with PNG rows, parameters by default', PNG_ROWS, PNG(''), null],
  ['compressed with PNG rows, predictor 10', PNG_ROWS, PNG('').replace('12', '10'), null],
  ['compressed with PNG rows, predictor 15', PNG_ROWS, PNG('').replace('12', '15'), null],
  [
    'compressed, predictor 1 said',
    flate([1, 2, 3, 4]),
    `${GRAY} /Filter /FlateDecode /DecodeParms << /Predictor 1 >>`,
    null,
  ],
  ['a JPEG of its size', jpeg, RGB_JPEG, null],
  ['a stencil mask', '\x80\x40', '/Width 2 /Height 2 /ImageMask true /Decode [ 1 0 ]', null],
  [
    'a stencil mask saying its depth',
    '\x80\x40',
    '/Width 2 /Height 2 /ImageMask true /BitsPerComponent 1',
    null,
  ],
  ['no width', FOUR, GRAY.replace('/Width 2 ', ''), SIZE],
  ['no height', FOUR, GRAY.replace('/Height 2 ', ''), SIZE],
  ['a width of 0', '', GRAY.replace('/Width 2', '/Width 0'), SIZE],
  ['a height of 0', '', GRAY.replace('/Height 2', '/Height 0'), SIZE],
  [
    'two filters',
    flate([1, 2, 3, 4]),
    `${GRAY} /Filter [ /FlateDecode /FlateDecode ]`,
    /it is filtered by FlateDecode, FlateDecode/,
  ],
  ['a depth of 3', FOUR, GRAY.replace('8', '3'), DEPTH],
  ['no depth', FOUR, GRAY.replace(' /BitsPerComponent 8', ''), DEPTH],
  ['in an ICC profile', FOUR, GRAY.replace('/DeviceGray', '[ /ICCBased << /N 1 >> ]'), DEPTH],
  [
    'a decode array for three components in grey',
    FOUR,
    `${GRAY} /Decode [ 0 1 0 1 0 1 ]`,
    /its \/Decode is not two numbers for each component/,
  ],
  ['a colour key beyond the top sample', FOUR, `${GRAY} /Mask [ 0 256 ]`, KEY],
  ['a colour key below 0', FOUR, `${GRAY} /Mask [ -1 3 ]`, KEY],
  ['a colour key upside down', FOUR, `${GRAY} /Mask [ 5 4 ]`, KEY],
  ['a colour key of three numbers', FOUR, `${GRAY} /Mask [ 0 1 2 ]`, KEY],
  [
    'a stencil mask eight bits deep',
    FOUR,
    '/Width 2 /Height 2 /ImageMask true /BitsPerComponent 8',
    STENCIL,
  ],
  [
    'a stencil mask decoded by halves',
    '\x80\x40',
    '/Width 2 /Height 2 /ImageMask true /Decode [ 0.5 0 ]',
    STENCIL,
  ],
  [
    'a JPEG declared larger than it is',
    jpeg,
    RGB_JPEG.replace('/Width 2', '/Width 3'),
    /its JPEG data is not one whole JPEG of its size/,
  ],
  [
    'a JPEG declared shorter than it is',
    jpeg,
    RGB_JPEG.replace('/Height 2', '/Height 1'),
    /its JPEG data is not one whole JPEG of its size/,
  ],
  ['PNG rows of three colours in grey', PNG_ROWS, PNG('/Colors 3'), ROWS],
  ['PNG rows of three columns', PNG_ROWS, PNG('').replace('/Columns 2', '/Columns 3'), ROWS],
  ['PNG rows four bits deep', PNG_ROWS, PNG('/BitsPerComponent 4'), ROWS],
  ['a predictor on raw data', FOUR, `${GRAY} /DecodeParms << /Predictor 12 /Columns 2 >>`, ROWS],
  ['the TIFF predictor', PNG_ROWS, PNG('').replace('12', '2'), PREDICTOR],
  ['a predictor above 15', PNG_ROWS, PNG('').replace('12', '16'), PREDICTOR],
  [
    'PNG rows sixteen bits deep',
    flate([2, 0, 0, 0, 0, 2, 0, 0, 0, 0]),
    PNG('').replace('/BitsPerComponent 8', '/BitsPerComponent 16'),
    PREDICTOR,
  ],
  [
    'a PNG row naming predictor 5',
    flate([5, 0xfe, 0xfe, 2, 0, 0]),
    PNG(''),
    /a row of it names no PNG predictor/,
  ],
];

describe('an image, as the page draws it', () => {
  it.each(images)('%s', async (_name, data, dict, named) => {
    await expectVerdict(imageDrawn(data, `${dict}`), named);
  });
});

/** [what, a graphics state's entries, null or what is named] */
const states: [string, string, RegExp | null][] = [
  ['opaque fill and stroke', '/ca 1 /CA 1', null],
  ['a fill alpha that is no number', '/ca (x)', /sets \/ca with other than a number/],
  ['a stroke alpha that is no number', '/CA (x)', /sets \/CA with other than a number/],
  ['a fill alpha below 1', '/ca 0.5', /draws with transparency \(\/ca 0.5\)/],
  ['a stroke alpha below 1', '/CA 0.5', /draws with transparency \(\/CA 0.5\)/],
  ['the normal blend mode', '/BM /Normal', null],
  ['the compatible blend mode', '/BM /Compatible', null],
  ['a multiplying blend mode', '/BM /Multiply', /draws with a blend mode \(\/BM\)/],
  ['blend modes in an array', '/BM [ /Normal ]', /draws with a blend mode \(\/BM\)/],
  ['the identity transfer', '/TR /Identity', null],
  ['the default transfer', '/TR2 /Default', null],
  ['another transfer, named', '/TR2 /Inverse', /draws through a transfer function \(\/TR2\)/],
  [
    'a transfer through a function',
    '/TR << /FunctionType 2 /Domain [ 0 1 ] /N 1 >>',
    /transfer function \(\/TR\)|function/,
  ],
  ['a line width of 0', '/LW 0', null],
  ['a line width below 0', '/LW -1', /sets \/LW below 0/],
  ['a line width that is no number', '/LW (x)', /sets \/LW with other than a number/],
  ['a miter limit of 1', '/ML 1', null],
  ['a miter limit below 1', '/ML 0.5', /sets \/ML below 1/],
  ['a miter limit that is no number', '/ML (x)', /sets \/ML with other than a number/],
  ['a bevel join', '/LJ 2', null],
  ['a join of 2.5', '/LJ 2.5', /sets \/LJ to other than an integer line style \(0, 1 or 2\)/],
  ['a cap of 3', '/LC 3', /sets \/LC to other than an integer line style \(0, 1 or 2\)/],
  ['a dash', '/D [ [ 3 1 ] 0 ]', null],
  ['a solid dash', '/D [ [ ] 0 ]', null],
  ['a dash with a gap of 0', '/D [ [ 3 0 ] 0 ]', null],
  ['a dash of no length', '/D [ [ 0 0 ] 0 ]', /sets a dash of no length \(\/D\)/],
  [
    'a dash with a negative length',
    '/D [ [ 3 -1 ] 0 ]',
    /sets a dash with a negative length or phase \(\/D\)/,
  ],
  [
    'a dash with a negative phase',
    '/D [ [ 3 1 ] -1 ]',
    /sets a dash with a negative length or phase \(\/D\)/,
  ],
  [
    'a dash without its phase',
    '/D [ [ 3 1 ] ]',
    /sets a dash that is not numbers and a phase \(\/D\)/,
  ],
  [
    'a dash whose phase is no number',
    '/D [ [ 3 1 ] (p) ]',
    /sets a dash that is not numbers and a phase \(\/D\)/,
  ],
  [
    'a dash of something other than numbers',
    '/D [ [ (a) ] 0 ]',
    /sets a dash that is not numbers and a phase \(\/D\)/,
  ],
  // An action's /D is where it leads, not a dash; a graphics state that names a kind as one
  // does is still read as a graphics state where it is used.
  [
    'a dash of no length in a state that names a kind (/S)',
    '/S /GoTo /D [ [ 0 0 ] 0 ]',
    /sets a dash of no length \(\/D\)/,
  ],
  [
    'a destination for a dash in a state that names a kind (/S)',
    '/S /GoTo /D [ 1 0 R /Fit ]',
    /sets a dash that is not numbers and a phase \(\/D\)/,
  ],
  ['no soft mask', '/SMask /None', null],
  [
    'a soft mask',
    '/SMask << /S /Luminosity /G 1 0 R >>',
    /holds a soft mask in a graphics state \(\/SMask\)/,
  ],
];

describe('a graphics state, as the page strokes with it', () => {
  it.each(states)('%s', async (_name, entries, named) => {
    await expectVerdict(strokedWith(entries), named);
  });
});

/** [what, a Link annotation's entries after its /Rect, null or what is named] */
const links: [string, string, RegExp | null][] = [
  ['a URI', '/A << /S /URI /URI (https://example.org) >>', null],
  ['a named action', '/A << /S /Named /N /NextPage >>', null],
  [
    'a URI, then a go-to a named destination',
    '/A << /S /URI /URI (u) /Next << /S /GoTo /D (end) >> >>',
    null,
  ],
  [
    'a URI, then a list of two harmless ones',
    '/A << /S /URI /URI (u) /Next [ << /S /Named /N /FirstPage >> << /S /URI /URI (v) >> ] >>',
    null,
  ],
  ['actions in a list', '/A [ << /S /URI /URI (u) >> ]', null],
  ['a go-to a page of the letter', '/A << /S /GoTo /D [ 1 0 R /XYZ 0 792 0 ] >>', null],
  ['a go-to a page, fitted', '/A << /S /GoTo /D [ 1 0 R /Fit ] >>', null],
  [
    'a border style of width 0, dashed',
    '/A << /S /URI /URI (u) >> /BS << /W 0 /S /D /D [ 3 2 ] >>',
    null,
  ],
  ['an action that is no dictionary', '/A 5', null],
  ['JavaScript', '/A << /S /JavaScript /JS (app.alert(1)) >>', /holds a JavaScript action/],
  ['an action without its type', '/A << /URI (u) >>', /holds a null action/],
  [
    'a URI, then JavaScript',
    '/A << /S /URI /URI (u) /Next << /S /JavaScript /JS (x) >> >>',
    /holds a JavaScript action/,
  ],
  [
    'JavaScript in a list',
    '/A << /S /URI /URI (u) /Next [ << /S /URI /URI (v) >> << /S /JavaScript /JS (x) >> ] >>',
    /holds a JavaScript action/,
  ],
  ['a border of width 0', '/A << /S /URI /URI (u) >> /Border [ 0 0 0 ]', null],
  [
    'a border of width 1',
    '/A << /S /URI /URI (u) >> /Border [ 0 0 1 ]',
    /is a Link annotation with a border \(\/Border\) a viewer draws/,
  ],
  [
    'a border of two numbers',
    '/A << /S /URI /URI (u) >> /Border [ 0 0 ]',
    /is a Link annotation with a border \(\/Border\) a viewer draws/,
  ],
  ['a border style of width 0', '/A << /S /URI /URI (u) >> /BS << /W 0 >>', null],
  [
    'a border style of width 1',
    '/A << /S /URI /URI (u) >> /BS << /W 1 >>',
    /is a Link annotation with a border \(\/BS\) a viewer draws/,
  ],
  [
    'a border style without a width',
    '/A << /S /URI /URI (u) >> /BS << /S /S >>',
    /is a Link annotation with a border \(\/BS\) a viewer draws/,
  ],
  [
    'a colour',
    '/A << /S /URI /URI (u) >> /C [ 1 0 0 ]',
    /is a Link annotation with \/C, which a viewer may draw/,
  ],
  [
    'an appearance',
    '/A << /S /URI /URI (u) >> /AP << /N 1 0 R >>',
    /is a Link annotation with an appearance of its own \(\/AP\)/,
  ],
];

describe('a Link annotation on the page', () => {
  it.each(links)('%s', async (_name, entries, named) => {
    const feature = annotated((_pdf, n) => [
      { num: n(), body: `<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] ${entries} >>` },
    ]);
    await expectVerdict(feature, named);
  });

  it('actions chained deeper than any reader follows, each its own object', async () => {
    const chain = (length: number) =>
      annotated((_pdf, n) => {
        const link = n();
        const actions = Array.from({ length }, () => n());
        return [
          {
            num: link,
            body: `<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] /A ${actions[0]} 0 R >>`,
          },
          ...actions.map((num, i) => ({
            num,
            body: `<< /S /URI /URI (u)${i + 1 < length ? ` /Next ${actions[i + 1]} 0 R` : ''} >>`,
          })),
        ];
      });
    expect(found(added(await letter(), chain(65)))).toBeNull();
    expect(found(added(await letter(), chain(66)))).toMatch(/holds actions chained too deeply/);
  });
});

/** `feature` with each of its objects' bodies passed through `edit`. */
const edited =
  (feature: Feature, edit: (body: string) => string): Feature =>
  (pdf, n) =>
    feature(pdf, n).map((o) => ({ ...o, body: edit(o.body) }));

const WIDGET_STATES: (
  font: number,
  n: () => number,
) => [string, ...{ num: number; body: string }[]] = (font, n) => {
  const num = n();
  return [`/N << /On ${num} 0 R >>`, { num, body: formDrawing(font, 'DECISION: APPROVED') }];
};

const widgets: [string, Feature, RegExp | null][] = [
  ['printed, shown', signatureWidget('/F 4'), null],
  [
    'printed, kept at its size, of no area',
    edited(signatureWidget('/F 12'), (b) =>
      b.replace('/Rect [ 70 735 370 765 ]', '/Rect [ 70 735 70 765 ]'),
    ),
    null,
  ],
  [
    'printed, kept at its size, with an area',
    signatureWidget('/F 12'),
    /kept at its size when zoomed \(flag NoZoom\)/,
  ],
  [
    'flags that are not whole',
    signatureWidget('/F 4.5'),
    /is an annotation whose flags are written with a point \(\/F\)/,
  ],
  ['not printed', signatureWidget('/F 0'), /with flags 0: not shown alike/],
  ['no flags', signatureWidget(''), /with flags 0: not shown alike/],
  ['printed and hidden', signatureWidget('/F 6'), /with flags 6: not shown alike/],
  ['printed and not viewed', signatureWidget('/F 36'), /with flags 36: not shown alike/],
  ['printed, not viewed by toggle', signatureWidget('/F 260'), /with flags 260: not shown alike/],
  [
    'an appearance for when pressed too',
    edited(signatureWidget('/F 4'), (b) =>
      b.replace(/\/AP << \/N (\d+) 0 R >>/, '/AP << /N $1 0 R /D $1 0 R >>'),
    ),
    /is a signature widget with a \/D appearance besides \/N/,
  ],
  [
    'appearances chosen by state',
    signatureWidget('/F 4', WIDGET_STATES),
    /is a signature widget whose appearance is chosen by its state/,
  ],
  [
    'characteristics and an appearance',
    edited(signatureWidget('/F 4'), (b) =>
      b.replace('/FT /Sig', '/FT /Sig /MK << /BG [ 1 1 1 ] >>'),
    ),
    null,
  ],
  [
    'characteristics and no appearance',
    edited(signatureWidget('/F 4'), (b) =>
      b.replace(/\/AP << \/N \d+ 0 R >>/, '/MK << /BG [ 1 1 1 ] >>'),
    ),
    /is a signature widget without an appearance, drawn by some viewers from its \/MK/,
  ],
  [
    'characteristics and no appearance, of no area',
    edited(signatureWidget('/F 4'), (b) =>
      b
        .replace(/\/AP << \/N \d+ 0 R >>/, '/MK << /BG [ 1 1 1 ] >>')
        .replace('/Rect [ 70 735 370 765 ]', '/Rect [ 70 735 370 735 ]'),
    ),
    null,
  ],
  [
    'the widget of a text field',
    edited(signatureWidget('/F 4', undefined, false), (b) => b.replace('/FT /Sig', '/FT /Tx')),
    /is a form field of type Tx, not a signature field/,
  ],
  [
    'the widget of no field type',
    edited(signatureWidget('/F 4', undefined, false), (b) => b.replace('/FT /Sig ', '')),
    /is the widget of a form field that is not a signature field/,
  ],
];

describe('a signature widget on the page', () => {
  it.each(widgets)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

/** The letter's page with its dictionary passed through `edit`. */
const pageEdited =
  (edit: (body: string) => string): Feature =>
  (pdf) => {
    const a = anatomy(pdf);
    return [{ num: a.page, body: edit(body(pdf, a.page)) }];
  };

/** `feature` with the letter's page (among its objects) turned by `rotate`. */
const turned =
  (feature: Feature, rotate: string): Feature =>
  (pdf, n) => {
    const page = anatomy(pdf).page;
    return feature(pdf, n).map((o) =>
      o.num === page ? { ...o, body: withEntry(o.body, `/Rotate ${rotate}`) } : o,
    );
  };

const pages: [string, Feature, RegExp | null][] = [
  [
    'a crop box that is its media box',
    pageEdited((b) => withEntry(b, `/CropBox ${mediaBox(b)}`)),
    null,
  ],
  [
    'a crop box inside its media box',
    pageEdited((b) => withEntry(b, '/CropBox [ 0 0 300 300 ]')),
    /has a CropBox that is not its MediaBox/,
  ],
  [
    'a media box of no width',
    pageEdited((b) => b.replace(/\/MediaBox\s*\[[^\]]*\]/, '/MediaBox [ 0 0 0 842 ]')),
    /has a MediaBox readers read differently/,
  ],
  [
    'a media box of no height',
    pageEdited((b) => b.replace(/\/MediaBox\s*\[[^\]]*\]/, '/MediaBox [ 0 0 595 0 ]')),
    /has a MediaBox readers read differently/,
  ],
  [
    'no content',
    pageEdited((b) => b.replace(/\/Contents\s*(\d+ 0 R|\[[^\]]*\])/, '/Contents null')),
    null,
  ],
  [
    'content in an array within an array',
    pageEdited((b) => b.replace(/\/Contents\s*(\d+ 0 R|\[[^\]]*\])/, '/Contents [ [ $1 ] ]')),
    /has page content that is not a stream/,
  ],
  ['turned a whole turn, a widget kept upright', turned(signatureWidget('/F 20'), '360'), null],
  [
    'turned a quarter, a widget kept upright',
    turned(signatureWidget('/F 20'), '90'),
    /is rotated and holds a widget kept upright \(flag NoRotate\)/,
  ],
  ['turned a quarter, a widget not kept upright', turned(signatureWidget('/F 4'), '90'), null],
  [
    'turned a quarter, a widget kept upright of no area',
    turned(
      edited(signatureWidget('/F 20'), (b) =>
        b.replace('/Rect [ 70 735 370 765 ]', '/Rect [ 70 735 370 735 ]'),
      ),
      '90',
    ),
    null,
  ],
];

describe('the page', () => {
  it.each(pages)('%s', async (_name, feature, named) => {
    await expectVerdict(feature, named);
  });
});

/** The page's own /MediaBox, as written. */
function mediaBox(pageBody: string): string {
  return /\/MediaBox\s*(\[[^\]]*\])/.exec(pageBody)![1]!;
}

const WIN = '/Encoding /WinAnsiEncoding';
/** An sfnt program with its first bytes replaced by `head` (latin1). */
const headed = (program: string, head: string) => head + program.slice(head.length);

/** [what, the font's flags, its encoding, its program, read alike] */
const trueTypes: [string, string, string, string, boolean][] = [
  ['WinAnsi over a Windows Unicode cmap', '/Flags 32', WIN, sfnt([[3, 1]]), true],
  ['no encoding over a Windows Unicode cmap', '/Flags 32', '', sfnt([[3, 1]]), true],
  ['a symbol cmap, flagged symbolic, no encoding', '/Flags 4', '', sfnt([[3, 0]]), true],
  ['a symbol cmap, WinAnsi', '/Flags 32', WIN, sfnt([[3, 0]]), true],
  [
    'Macintosh and Windows cmaps in order',
    '/Flags 32',
    WIN,
    sfnt([
      [1, 0],
      [3, 1],
    ]),
    true,
  ],
  [
    'two Unicode cmaps that are one table, no encoding',
    '/Flags 32',
    '',
    sfnt([
      [0, 3],
      [3, 1],
    ]),
    true,
  ],
  ['a program tagged "true"', '/Flags 32', WIN, headed(sfnt([[3, 1]]), 'true'), true],
  ['a symbol cmap, not flagged symbolic, no encoding', '/Flags 32', '', sfnt([[3, 0]]), false],
  ['flagged symbolic and given an encoding', '/Flags 4', WIN, sfnt([[3, 1]]), false],
  ['a Unicode cmap of platform 0 and an encoding named', '/Flags 32', WIN, sfnt([[0, 3]]), false],
  [
    'cmaps out of order',
    '/Flags 32',
    WIN,
    sfnt([
      [3, 1],
      [1, 0],
    ]),
    false,
  ],
  [
    'one cmap twice',
    '/Flags 32',
    WIN,
    sfnt([
      [3, 1],
      [3, 1],
    ]),
    false,
  ],
  [
    'two Unicode cmaps that are two tables',
    '/Flags 32',
    '',
    sfnt([
      [0, 3, 0],
      [3, 1, 8],
    ]),
    false,
  ],
  ['no program of tables', '/Flags 32', WIN, sfnt(null), false],
  ['no outlines', '/Flags 32', WIN, sfnt([[3, 1]], ['loca']), false],
  ['no outline index', '/Flags 32', WIN, sfnt([[3, 1]], ['glyf']), false],
  ['compact outlines too', '/Flags 32', WIN, sfnt([[3, 1]], ['glyf', 'loca', 'CFF ']), false],
  [
    'compact outlines of the second kind too',
    '/Flags 32',
    WIN,
    sfnt([[3, 1]], ['glyf', 'loca', 'CFF2']),
    false,
  ],
  ['two cmap tables', '/Flags 32', WIN, sfnt([[3, 1]], ['glyf', 'loca', 'cmap']), false],
  ['a cmap too short for its header', '/Flags 32', WIN, sfnt([[3, 1]], ['glyf', 'loca'], 2), false],
  [
    'a cmap too short for its subtables',
    '/Flags 32',
    WIN,
    sfnt([[3, 1]], ['glyf', 'loca'], 4),
    false,
  ],
  ['a program tagged otherwise', '/Flags 32', WIN, headed(sfnt([[3, 1]]), 'OTTO'), false],
  [
    'more tables listed than the program holds',
    '/Flags 32',
    WIN,
    headed(sfnt([[3, 1]]), '\x00\x01\x00\x00\x00\x40'),
    false,
  ],
];

describe('an embedded TrueType font', () => {
  it.each(trueTypes)('%s', async (_name, flags, encoding, program, alike) => {
    const feature = trueTypeFont(flags, encoding, null, '', program);
    await expectVerdict(feature, alike ? null : NAMED);
  });

  it('read through its compression alike', async () => {
    const program = deflateSync(Buffer.from(sfnt([[3, 1]]), 'latin1')).toString('latin1');
    const feature = trueTypeFont('/Flags 32', WIN, null, '/Filter /FlateDecode', program);
    expect(found(added(await letter(), feature))).toBeNull();
    const broken = trueTypeFont(
      '/Flags 32',
      WIN,
      null,
      '/Filter /FlateDecode',
      program.slice(0, 8),
    );
    expect(found(added(await letter(), broken))).toMatch(NAMED);
    const other = trueTypeFont('/Flags 32', WIN, null, '/Filter /LZWDecode', program);
    expect(found(added(await letter(), other))).toMatch(NAMED);
  });
});

const LINE = '0 0 m 10 10 l S\n';
/** [what, the content stream's data (latin1), its dictionary, null or what is named] */
const contents: [string, string, string, RegExp | null][] = [
  ['raw', LINE, '', null],
  ['compressed', flate([...Buffer.from(LINE)]), '/Filter /FlateDecode', null],
  [
    'compressed, named in an array',
    flate([...Buffer.from(LINE)]),
    '/Filter [ /FlateDecode ]',
    null,
  ],
  ['compressed, by the short name', flate([...Buffer.from(LINE)]), '/Filter /Fl', null],
  ['LZW', LINE, '/Filter /LZWDecode', /is a content stream filtered by LZWDecode/],
  [
    'compressed twice',
    flate([...deflateSync(Buffer.from(LINE))]),
    '/Filter [ /FlateDecode /FlateDecode ]',
    /is a content stream filtered by FlateDecode, FlateDecode/,
  ],
  [
    'compressed, with decode parameters',
    flate([...Buffer.from(LINE)]),
    '/Filter /FlateDecode /DecodeParms << /Predictor 1 >>',
    /is a (content stream|stream other than an image) with decode parameters/,
  ],
  [
    'raw, with decode parameters by the short name',
    LINE,
    '/DP << >>',
    /is a (content stream|stream other than an image) with decode parameters/,
  ],
  [
    'compressed data that is not',
    LINE,
    '/Filter /FlateDecode',
    /is a content stream whose compressed data cannot be read/,
  ],
];

describe('a content stream of the page', () => {
  it.each(contents)('%s', async (_name, data, dict, named) => {
    const feature: Feature = (pdf, n) => {
      const stream = n();
      const a = anatomy(pdf);
      return [
        { num: stream, body: streamObject(data, dict) },
        { num: a.page, body: listWith(body(pdf, a.page), 'Contents', `${stream} 0 R`) },
      ];
    };
    await expectVerdict(feature, named);
  });
});

/** WHITE_JPEG with the byte at `at` (from the end if negative) set to `value`. */
const jpegWith = (at: number, value: number) => {
  const bytes = Buffer.from(jpeg, 'latin1');
  bytes[at < 0 ? bytes.length + at : at] = value;
  return bytes.toString('latin1');
};
const NOT_A_JPEG = /its JPEG data is not one whole JPEG of its size/;
const sof = Buffer.from(jpeg, 'latin1').indexOf(Buffer.from([0xff, 0xc0]));

const jpegs: [string, string, RegExp | null][] = [
  ['whole', jpeg, null],
  ['not starting with its start marker', jpegWith(0, 0), NOT_A_JPEG],
  ['a start marker of another kind', jpegWith(1, 0xd9), NOT_A_JPEG],
  ['not ending with its end marker', jpegWith(-1, 0xd8), NOT_A_JPEG],
  ['its end marker broken', jpegWith(-2, 0), NOT_A_JPEG],
  ['data after its end marker', `${jpeg}\x00`, NOT_A_JPEG],
  ['its markers alone', '\xff\xd8\xff\xd9', NOT_A_JPEG],
  ['three bytes', '\xff\xd8\xd9', NOT_A_JPEG],
  ['its frame a table of codes instead (C4)', jpegWith(sof + 1, 0xc4), NOT_A_JPEG],
  ['a segment not opened by a marker', jpegWith(2, 0), NOT_A_JPEG],
];

describe('a JPEG image', () => {
  it.each(jpegs)('%s', async (_name, data, named) => {
    await expectVerdict(imageDrawn(data, `${RGB_JPEG}`), named);
  });
});

/**
 * A content stream read token by token: what a letter draws is read alike by every reader, and
 * each spelling that once slipped past a search of the text is named.
 */
import { describe, expect, it } from 'vitest';
import { readContent, stretch } from '../../electron/signing/content-stream';
import { letterStream, problem } from '../helpers/content-read';

/** The first problem readContent names in `text` (null: none). */

describe('what letters draw is read alike', () => {
  it('every operator of PDF’s, with its operands, passes', () => {
    const genuine = [
      'q 1 0 0 1 72 700 cm 0.5 g 0 0 0 RG 2 w 0 J 0 j 10 M [3 2] 0 d /GS1 gs /R ri 0.5 i',
      '0 0 m 10 0 l 10 10 20 20 30 30 c 1 2 3 4 v 1 2 3 4 y h 0 0 10 10 re S s f F f* B B* b b* n W n W* n',
      'BT /F1 12 Tf 14 TL 0 Tc 0 Tw 100 Tz 0 Ts 72 700 Td 0 -14 TD 1 0 0 1 72 680 Tm T* (a\\)b(c)) Tj',
      '[(A) -120 (B)] TJ (next) \' 1 2 (more) " 0 Tr 1 Tr 2 Tr 4 Tr 5 Tr 6 Tr 0 Tr ET',
      '/CS0 cs /CS0 CS 0.1 sc 0.1 0.2 SC 0.1 0.2 0.3 /P scn /P SCN 0 0 0 1 k 0 0 0 1 K 0 G',
      '/Im1 Do /Sh sh /Span << /Lang (da) >> BDC EMC /Tag BMC EMC /Tag MP /Tag /P DP',
      '% a comment\n<48656c6c6f> Tj 0 0 d0 1 0 0 0 1 1 d1 /P << /B true /C false /D null >> BDC EMC Q\n',
    ];
    for (const text of genuine) {
      expect(problem(text), text).toBeNull();
    }
    expect(problem('')).toBeNull();
    // A comment ends at an end-of-line: poppler runs one at a stream's end on into the page's
    // next stream, pdf.js ends it with the stream (round 20ac).
    expect(problem('q Q % the end\n')).toBeNull();
    expect(problem('q Q % the end')).toBe(
      'ends inside a comment, which readers end in different places',
    );
    // true, false and null are operands like any other, of their own kind.
    expect(problem('/P true BDC EMC')).toBe(
      'gives BDC null where it takes a dictionary or a name (operand 2)',
    );
    expect(problem('/P null DP')).toBe(
      'gives DP null where it takes a dictionary or a name (operand 2)',
    );
    // A dictionary closed right after a number, and a hex string right after a dictionary.
    expect(problem('/T << /A 1>> DP')).toBeNull();
    expect(problem('<< /A 1 >><41> DP')).toBe(
      'gives DP a dictionary where it takes a name (operand 1)',
    );
    expect(problem('[ 1 ]<41> DP')).toBe('gives DP an array where it takes a name (operand 1)');
    expect(problem('[ 1 ]0 d<41>Tj')).toBeNull();
  });

  it('text nobody sees, however its mode is written', () => {
    expect(problem('BT 3 Tr ET')).toBe('writes text nobody sees (3 Tr)');
    expect(problem('BT 7 Tr ET')).toBe('writes text nobody sees (7 Tr)');
    expect(problem('BT 03 Tr ET')).toBe('writes text nobody sees (3 Tr)');
    // Written with a point: poppler skips the operator, pdf.js applies it, whatever the mode.
    for (const written of ['BT +3.0 Tr ET', 'BT 0.5 Tr ET', 'BT 4.0 Tr ET', 'BT 0. Tr ET']) {
      expect(problem(written), written).toBe(
        'gives Tr a number with a point where readers take an integer',
      );
    }
    expect(problem('BT 3%x\nTr ET')).toBe('writes text nobody sees (3 Tr)');
    expect(problem('BT 3\rTr ET')).toBe('writes text nobody sees (3 Tr)');
    expect(problem('BT 3%x\rTr ET')).toBe('writes text nobody sees (3 Tr)');
    expect(problem('BT 8 Tr ET')).toBe('writes text nobody sees (8 Tr)');
    expect(problem('BT -1 Tr ET')).toBe('writes text nobody sees (-1 Tr)');
    expect(problem('BT /M Tr ET')).toBe('writes text nobody sees (/M Tr)');
    expect(problem('BT (3) Tr ET')).toBe('writes text nobody sees (a string Tr)');
    expect(problem('BT null Tr ET')).toBe('writes text nobody sees (null Tr)');
    expect(problem('BT [](x)3 Tr ET')).toBe('gives Tr 3 operands, not 1');
    expect(problem('BT Tr ET')).toBe('gives Tr 0 operands, not 1');
  });

  it('line caps and joins written as integers, as poppler takes them', () => {
    expect(problem('2 J 1 j 0 0 m 1 1 l S')).toBeNull();
    expect(problem('2.0 J')).toBe('gives J a number with a point where readers take an integer');
    expect(problem('1. j')).toBe('gives j a number with a point where readers take an integer');
    // Elsewhere a point is a number like any other.
    expect(problem('2.0 w 0.5 g')).toBeNull();
  });

  it('operators readers do not share, or whose end they guess', () => {
    expect(problem('1 2 3 T')).toBe('uses T, which is no operator of PDF’s'.replace('’', "'"));
    expect(problem('q Qq')).toBe("uses Qq, which is no operator of PDF's");
    expect(problem('BI /W 1 ID x EI')).toMatch(/^holds an inline image/);
    expect(problem('1 ID')).toMatch(/^holds an inline image/);
    expect(problem('EI')).toMatch(/^holds an inline image/);
    expect(problem('BX EX')).toMatch(/^opens a compatibility section/);
    expect(problem('EX')).toMatch(/^opens a compatibility section/);
    expect(problem('1 2 m 3 l')).toBe('gives l 1 operands, not 2');
    expect(problem('1 2 3 4 5 6 7 cm')).toBe('gives cm 7 operands, not 6');
    expect(problem('sc')).toBe('gives sc no operands');
    expect(problem('[ 1 Tj ]')).toBe('holds the operator Tj inside an array or dictionary');
    expect(problem('<< /A q >>')).toBe('holds the operator q inside an array or dictionary');
  });

  it('a font is set by name, and the names set are told', () => {
    expect(problem('BT (F1) 12 Tf ET')).toBe('sets a font by a string, not by name (Tf)');
    expect(problem('BT 1 12 Tf ET')).toBe('sets a font by 1, not by name (Tf)');
    expect(problem('BT [/F1] 12 Tf ET')).toBe('sets a font by an array, not by name (Tf)');
    expect(problem('BT <</F1 1>> 12 Tf ET')).toBe('sets a font by a dictionary, not by name (Tf)');
    expect(problem('BT /F1 /S Tf ET')).toBe('gives Tf /S where it takes a number (operand 2)');
    const read = readContent(Buffer.from('BT /F1 12 Tf (a) Tj /F#32 9 Tf (b) Tj ET /F1 3 Tf'));
    expect(read.problem).toBeNull();
    expect([...read.fonts]).toEqual(['F1', 'F2']);
    expect([...readContent(Buffer.from('q Q')).fonts]).toEqual([]);
  });

  it('names of optional content and of replacement text, plainly or escaped', () => {
    expect(problem('/OC /MC0 BDC EMC')).toBe('marks content as optional (/OC … BDC)');
    expect(problem('/O#43 /MC0 BDC EMC')).toBe('marks content as optional (/OC … BDC)');
    expect(problem('/#4fC /MC0 BDC EMC')).toBe('marks content as optional (/OC … BDC)');
    expect(problem('/Span << /ActualText (x) >> BDC EMC')).toBe(
      'gives text read instead of what it draws (/ActualText)',
    );
    expect(problem('/Span << /Alt (x) >> BDC EMC')).toBe(
      'gives text read instead of what it draws (/Alt)',
    );
    // A name at the very end of the stream is read to its end, not beyond.
    expect(problem('/OC')).toBe('marks content as optional (/OC … BDC)');
    expect(problem('/Alt')).toBe('gives text read instead of what it draws (/Alt)');
    // A name that only begins like one is another name.
    expect(problem('/OCX BMC EMC /Alto BMC EMC /OC1 BMC EMC')).toBeNull();
    // Names end at a delimiter.
    expect(problem('/OC(x) BDC EMC')).toBe('marks content as optional (/OC … BDC)');
    expect(problem('/OC<<>>BDC EMC')).toBe('marks content as optional (/OC … BDC)');
  });

  it('a stream ends where its tokens end, nothing left over for the next', () => {
    expect(problem('BT 3')).toBe(
      'ends with operands no operator takes (split from it, across streams)',
    );
    expect(problem('/O')).toBe(
      'ends with operands no operator takes (split from it, across streams)',
    );
    expect(problem('(open Tj')).toBe('ends inside a string');
    expect(problem('(a (nested) one Tj')).toBe('ends inside a string');
    expect(problem('<48656c Tj')).toBe('ends inside a hexadecimal string');
    expect(problem('[ (a) ')).toBe('ends inside an array or dictionary');
    expect(problem('<< /A 1 ')).toBe('ends inside an array or dictionary');
    expect(problem('] Tj')).toBe('closes an array it never opened');
    expect(problem('>> Tj')).toBe('closes a dictionary it never opened');
    expect(problem('{ 1 } Tj')).toBe('holds a stray {');
    expect(problem(') Tj')).toBe('holds a stray )');
    expect(problem('> Tj')).toBe('holds a stray >');
    // An escaped parenthesis does not close the string; a balanced pair inside it does not either.
    expect(problem('(a\\) 3 Tr) Tj')).toBeNull();
    expect(problem('(a (3 Tr) b) Tj')).toBeNull();
    // Arrays and dictionaries are one operand each, however much they hold.
    expect(problem('[ 1 2 3 ] 0 d << /A [ 1 2 ] >> DP')).toBe('gives DP 1 operands, not 2');
    expect(problem('/T << /A [ 1 2 ] >> DP')).toBeNull();
  });

  it('a string shows a control code however it is spelled; an escape above a byte is refused', () => {
    // Round 20al: codes 0x00–0x1F take no width in poppler's Courier and 0.6 em in pdf.js.
    // Round 20ak: poppler keeps an octal escape's low byte, pdf.js a code no font has.
    const shows = (string: string) => letterStream(`BT /F1 12 Tf ${string} Tj ET`);
    const control = 'shows a control code (0x00–0x1F) that readers space differently (Tj)';
    for (const string of [
      '(\\037)',
      '(\\37)',
      '(a\\n)',
      '(\\r)',
      '(\\t)',
      '(\\b)',
      '(\\f)',
      '(a\x1fb)',
      '(a\nb)',
      '<1F>',
      '<20 1F>',
      '<4E 4F 1>',
      '<41 0>',
    ]) {
      expect(shows(string), string).toBe(control);
    }
    for (const string of [
      '(\\040)',
      '(\\377)',
      '(\\\\n)',
      '(\\q)',
      '(a\\\nb)',
      '(a\\\r\nb)',
      '(a\\\rb)',
      '<20>',
      '<2 0>',
      '<4E 4F 2>',
      '<7F>',
    ]) {
      expect(shows(string), string).toBeNull();
    }
    expect(shows('(\\400)')).toBe(
      'writes \\400 in a string, above a byte, which readers read differently',
    );
    expect(shows('(\\1000)')).toBeNull();
  });

  it('each operand of the kind its operator takes', () => {
    expect(problem('(1) g')).toBe('gives g a string where it takes a number (operand 1)');
    expect(problem('1 0 0 /R rg')).toBe('gives rg 4 operands, not 3');
    expect(problem('1 0 /B rg')).toBe('gives rg /B where it takes a number (operand 3)');
    expect(problem('[1] 0 0 1 k')).toBe('gives k an array where it takes a number (operand 1)');
    expect(problem('BT [(a)] Tj ET')).toBe('gives Tj an array where it takes a string (operand 1)');
    expect(problem('BT (a) TJ ET')).toBe('gives TJ a string where it takes an array (operand 1)');
    expect(problem('BT 1 (2) (a) " ET')).toBe(
      'gives " a string where it takes a number (operand 2)',
    );
    expect(problem('BT 1 2 /a " ET')).toBe('gives " /a where it takes a string (operand 3)');
    expect(problem('0 [3] d')).toBe('gives d 0 where it takes an array (operand 1)');
    expect(problem('(Im1) Do')).toBe('gives Do a string where it takes a name (operand 1)');
    expect(problem('<</A 1>> BMC EMC')).toBe(
      'gives BMC a dictionary where it takes a name (operand 1)',
    );
    // An array closed as a dictionary, or the other way round, is read differently by readers.
    expect(problem('[ 1 >> 0 d')).toBe('closes an array as if it were a dictionary');
    expect(problem('/T << /A 1 ] DP')).toBe('closes a dictionary as if it were an array');
  });

  it('a colour has the components of its colour space', () => {
    // Device spaces, set by their own operators or by name; DeviceGray before any is set.
    expect(problem('0.5 sc 0.5 SC')).toBeNull();
    expect(problem('1 1 1 sc')).toBe('gives sc 3 components in a colour space of 1');
    expect(problem('1 1 1 SC')).toBe('gives SC 3 components in a colour space of 1');
    expect(problem('0 0 0 rg 1 1 1 sc 0.5 SC')).toBeNull();
    expect(problem('0 0 0 RG 1 1 1 SC 0.5 sc')).toBeNull();
    expect(problem('0 0 0 rg 1 sc')).toBe('gives sc 1 components in a colour space of 3');
    expect(problem('0 0 0 1 k 0 0 0 1 sc')).toBeNull();
    expect(problem('0 0 0 1 K 0 0 1 SC')).toBe('gives SC 3 components in a colour space of 4');
    expect(problem('0 0 0 rg 0.5 g 0.5 sc')).toBeNull();
    expect(problem('0 0 0 RG 0.5 G 0.5 SC')).toBeNull();
    expect(problem('/DeviceRGB cs 1 1 1 scn')).toBeNull();
    expect(problem('/DeviceGray cs 1 1 1 sc')).toBe('gives sc 3 components in a colour space of 1');
    expect(problem('/DeviceCMYK CS 1 1 1 SCN')).toBe(
      'gives SCN 3 components in a colour space of 4',
    );
    expect(problem('/DeviceRGB CS 1 SC')).toBe('gives SC 1 components in a colour space of 3');
    // q saves the spaces in force and Q restores them.
    expect(problem('q 0 0 0 rg Q 1 sc')).toBeNull();
    expect(problem('q 0 0 0 rg Q 1 1 1 sc')).toBe('gives sc 3 components in a colour space of 1');
    expect(problem('0 0 0 rg q Q 1 1 1 sc')).toBeNull();
    expect(problem('Q 1 sc')).toBeNull();
    // Patterns: named last, by scn only, after the components of the space beneath.
    expect(problem('/Pattern cs /P0 scn')).toBeNull();
    expect(problem('/Pattern CS /P0 SCN')).toBeNull();
    expect(problem('/Pattern cs /P0 sc')).toBe('gives sc /P0 where it takes a number');
    expect(problem('/Pattern cs 1 scn')).toBe('gives scn no pattern in a pattern colour space');
    expect(problem('/Pattern cs 1 /P0 scn')).toBe('gives scn 1 components in a colour space of 0');
    expect(problem('0.5 /P0 scn')).toBe('gives scn /P0 where it takes a number');
    expect(problem('(1) sc')).toBe('gives sc a string where it takes a number');
    expect(problem('SCN')).toBe('gives SCN no operands');
  });

  it('a named colour space is one the resources define, its colours of its components', () => {
    const spaces = (name: string) =>
      ({
        CS0: { components: 3, pattern: false },
        P1: { components: 1, pattern: true },
      })[name] ?? null;
    const read = (text: string) => problem(text, { spaces });
    expect(read('/CS0 cs 1 0 0 sc /CS0 CS 1 0 0 SCN')).toBeNull();
    expect(read('/CS0 cs 1 sc')).toBe('gives sc 1 components in a colour space of 3');
    expect(read('/CS9 cs')).toBe(
      'sets the colour space /CS9, which its resources do not define as one every reader reads alike',
    );
    expect(read('/CS9 CS')).toMatch(/^sets the colour space \/CS9,/);
    expect(read('/P1 cs 0.5 /Pat scn')).toBeNull();
    expect(read('/P1 cs /Pat scn')).toBe('gives scn 0 components in a colour space of 1');
    // The device spaces are never looked up.
    expect(read('/DeviceRGB cs 1 0 0 sc')).toBeNull();
    // Without resources a named space's colours are only read as numbers.
    expect(problem('/CS9 cs 1 sc 1 2 3 4 5 sc 1 /P scn')).toBeNull();
    expect(problem('/CS9 cs (1) sc')).toBe('gives sc a string where it takes a number');
  });

  it('a form gives a colour only in a colour space it sets itself', () => {
    const form = (text: string) => problem(text, { inherits: true });
    expect(form('1 sc')).toBe('gives sc a colour before setting a colour space of its own');
    expect(form('0 0 0 rg 1 SC')).toBe(
      'gives SC a colour before setting a colour space of its own',
    );
    expect(form('0 0 0 rg 0 0 0 RG 1 1 1 sc 1 1 1 SC')).toBeNull();
    expect(form('/DeviceGray cs 1 sc 0 G 1 SC')).toBeNull();
    expect(form('q 0 0 0 rg Q 1 1 1 sc')).toBe(
      'gives sc a colour before setting a colour space of its own',
    );
  });
});

describe('how far a matrix stretches (the scale forms compose by)', () => {
  it.each([
    [[1, 0, 0, 1], 1],
    [[0, 1, -1, 0], 1],
    [[2, 0, 0, 0.5], 2],
    [[0.5, 0, 0, -3], 3],
    [[1, 1, -1, 1], Math.SQRT2],
    [[1, -1, 1, 1], Math.SQRT2],
    [[1, 1, 1, 1], 2],
    [[0, 0, 0, 0], 0],
  ])('%j stretches by %d', (m, by) => {
    expect(stretch(m)).toBeCloseTo(by, 12);
  });
});

/**
 * Content read whole (the order of paths, text objects and graphics states) and held to a
 * letter's sizes: each rule from both sides, on the content alone.
 */
import { describe, expect, it } from 'vitest';
import { letterStream, whole } from '../helpers/content-read';

describe('content read whole: operators in the order every reader draws alike', () => {
  it.each([
    ['text placed and shown inside BT … ET', 'BT /F1 12 Tf 72 700 Td (a) Tj ET'],
    ['a graphics state saved and transformed outside a text object', 'q 1 0 0 1 72 0 cm Q'],
    ['a form drawn outside a text object', '/Im1 Do'],
    ['a path begun by m, gone on with and painted', '0 0 m 10 10 l S'],
    ['a rectangle closed and filled', '0 0 10 10 re h f'],
    ['a path after another was painted, begun anew', '0 0 m 1 1 l S 2 2 m 3 3 l S'],
    ['a line gone on twice from one point', '0 0 m 1 1 l 2 2 l S'],
    ['a text object closed before a state is saved', 'BT ET q Q'],
  ])('%s', (_, text) => {
    expect(whole(text)).toBeNull();
  });

  it.each([
    ['text placed before BT', '72 700 Td', 'shows or places text outside BT … ET (Td)'],
    ['text placed after ET', 'BT ET 72 700 Td', 'shows or places text outside BT … ET (Td)'],
    [
      'a form drawn inside a text object',
      'BT /Im1 Do ET',
      'draws a form inside a text object (Do between BT and ET)',
    ],
    [
      'a state saved inside a text object',
      'BT q ET',
      'saves, restores or transforms the graphics state inside a text object (q between BT and ET)',
    ],
    [
      'a state restored inside a text object',
      'q BT Q ET',
      'saves, restores or transforms the graphics state inside a text object (Q between BT and ET)',
    ],
    [
      'a matrix set inside a text object',
      'BT 1 0 0 1 72 0 cm ET',
      'saves, restores or transforms the graphics state inside a text object (cm between BT and ET)',
    ],
    ['a line with no point to start from', '1 1 l S', 'draws a path on from no current point (l)'],
    [
      'a line after the path was painted',
      '0 0 m 1 1 l S 2 2 l S',
      'draws a path on from no current point (l)',
    ],
    [
      'a path begun before BT and gone on with inside it',
      '0 0 m BT 1 1 l ET',
      'draws a path on from no current point (l)',
    ],
    [
      'a path begun inside a text object and gone on with after ET',
      'BT 0 0 m ET 1 1 l S',
      'draws a path on from no current point (l)',
    ],
  ])('%s', (_, text, named) => {
    expect(whole(text)).toBe(named);
  });
});

describe('content held to the sizes a letter draws at', () => {
  it.each([
    ['a line 10000 wide, the largest number a letter draws', '10000 w'],
    ['a rectangle 500 by 300', '0 0 500 300 re f'],
    ['a dash of numbers', '[3 2] 0 d'],
    ['an array of strings and moves shown', 'BT /F1 12 Tf [(a) -120 (b)] TJ ET'],
    ['a form drawn at page scale', '/Im1 Do'],
    ['a form drawn at scale 1 + 10⁻⁹ (rounding)', '1.000000001 0 0 1.000000001 0 0 cm /Im1 Do'],
    ['a form drawn after text was set twice the size by Tm', 'BT 2 0 0 2 0 0 Tm ET /Im1 Do'],
    ['text at full horizontal scale', '100 Tz'],
    ['a font of size 12', '/F1 12 Tf'],
    ['butt caps', '0 J'],
    ['a matrix of identity', '1 0 0 1 0 0 cm'],
    ['a matrix that scales by 100', '100 0 0 100 0 0 cm'],
    ['a matrix that moves by 500', '1 0 0 1 500 0 cm'],
    ['matrices that together move by 10000', '1 0 0 1 5000 0 cm 1 0 0 1 5000 0 cm'],
    ['a text matrix of 11 under a page matrix of 10', '10 0 0 10 0 0 cm BT 11 0 0 11 0 0 Tm ET'],
  ])('%s', (_, text) => {
    expect(letterStream(text)).toBeNull();
  });

  it.each([
    ['a line 10001 wide', '10001 w', 'gives w 10001, a number beyond the sizes a letter draws at'],
    [
      'a move of 20000 between strings shown',
      'BT /F1 12 Tf [(a) 20000 (b)] TJ ET',
      'gives TJ 20000, a number beyond the sizes a letter draws at',
    ],
    [
      'a dash of 20000',
      '[3 20000] 0 d',
      'gives d 20000, a number beyond the sizes a letter draws at',
    ],
    [
      'a form drawn at twice the scale',
      '2 0 0 2 0 0 cm /Im1 Do',
      'draws a form at a scale above 1 (Do)',
    ],
    [
      'a form drawn at scale 1 + 2·10⁻⁹',
      '1.000000002 0 0 1.000000002 0 0 cm /Im1 Do',
      'draws a form at a scale above 1 (Do)',
    ],
    ['text mirrored by Tz', '-100 Tz', 'sets text mirrored or of no size (Tz)'],
    ['a font of negative size', '/F1 -12 Tf', 'sets text mirrored or of no size (Tf)'],
    [
      'round caps',
      '1 J',
      'sets line caps other than butt (1 J): a zero-length stroke with round caps is a dot to poppler and nothing to pdf.js',
    ],
    [
      'a matrix that scales by 101',
      '101 0 0 1 0 0 cm',
      'sets a matrix (cm) that scales beyond what a letter draws',
    ],
    [
      'matrices of 10 and 11 composed',
      '10 0 0 10 0 0 cm 11 0 0 11 0 0 cm',
      'sets a matrix (cm) that scales beyond what a letter draws',
    ],
    [
      'a text matrix that scales by 101',
      'BT 101 0 0 1 0 0 Tm ET',
      'sets a matrix (Tm) that scales beyond what a letter draws',
    ],
    [
      'matrices that together move by 10001',
      '1 0 0 1 5000 0 cm 1 0 0 1 5001 0 cm',
      'sets a matrix (cm) that moves beyond what a letter draws',
    ],
    [
      'a move of 6000 under a matrix of 2',
      '2 0 0 2 0 0 cm 1 0 0 1 6000 0 cm',
      'sets a matrix (cm) that moves beyond what a letter draws',
    ],
  ])('%s', (_, text, named) => {
    expect(letterStream(text)).toBe(named);
  });
});

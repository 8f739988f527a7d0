/**
 * A letter's content read whole: its text state, where its text goes along the line and on the
 * page, the matrices it composes, what q and Q restore, and the strings it shows.
 */
import { describe, expect, it } from 'vitest';
import { readContent } from '../../electron/signing/content-stream';
import { letter, problem, read as readAs, whole } from '../helpers/content-read';

/** Text shown at 12 points, after `before` inside the text object. */
const shows = (before: string, shown = '(a) Tj', after = '') =>
  letter(`BT /F1 12 Tf ${before} ${shown} ${after} ET`);

const endsSet =
  'ends with its text state set (Tc, Tw, Tz, TL or Ts), which readers carry on differently';
const beyond = (token: string) =>
  `shows text (${token}) beyond the page's sizes, where readers place it apart`;
const scales = (token: string) =>
  `shows text (${token}) through matrices that scale beyond what a letter draws`;

describe('the text state a letter leaves set', () => {
  it('a page ends with nothing but its font set', () => {
    expect(letter('BT /F1 12 Tf (a) Tj ET')).toBeNull();
    expect(letter('q Q 0 0 m 10 10 l S')).toBeNull();
    for (const set of ['1 Tc', '1 Tw', '50 Tz', '14 TL', '3 Ts', '0 -14 TD', '1 2 (a) "']) {
      expect(letter(`BT /F1 12 Tf ${set} ET`), set).toBe(endsSet);
    }
    // Set back to where it started, nothing is left set.
    expect(letter('BT /F1 12 Tf 0 TL 0 Ts 0 Tc 0 Tw 50 Tz 100 Tz ET')).toBeNull();
  });

  it('each operator sets its own part of the state', () => {
    // Tc and Tw, Tc and Tw set back: nothing left.
    expect(letter('BT /F1 12 Tf 5 Tc 0 Tw ET')).toBe(endsSet);
    expect(letter('BT /F1 12 Tf 5 Tw 100 Tz ET')).toBe(endsSet);
    expect(letter('BT /F1 12 Tf 100 Tw ET')).toBe(endsSet);
    expect(letter('BT /F1 12 Tf 5 TL 0 Ts ET')).toBe(endsSet);
    expect(letter('BT /F1 12 Tf 3 Ts ET')).toBe(endsSet);
    expect(letter('BT /F1 12 Tf 5 Ts 0 Tc ET')).toBe(endsSet);
  });

  it('q saves the text state and Q restores it', () => {
    expect(letter('q BT /F1 12 Tf 5 Tc 14 TL ET Q')).toBeNull();
    expect(letter('q Q')).toBeNull();
    expect(letter('q BT /F1 12 Tf ET Q BT 5 Tc ET')).toBe(endsSet);
  });

  it('a form is drawn with no text state set', () => {
    expect(letter('/Im1 Do')).toBeNull();
    expect(letter('BT /F1 12 Tf ET /Im1 Do')).toBeNull();
    expect(letter('5 Tc /Im1 Do 0 Tc')).toBe(
      'draws a form with its text state set (Tc, Tw, Tz, TL or Ts)',
    );
    expect(letter('50 Tz /Im1 Do 100 Tz')).toBe(
      'draws a form with its text state set (Tc, Tw, Tz, TL or Ts)',
    );
  });
});

describe('text is shown in a font set where it is read', () => {
  it.each(['(a) Tj', '[(a)] TJ', "(a) '", '0 0 (a) "'])('%s without Tf', (shown) => {
    const token = shown.split(' ').at(-1)!;
    expect(letter(`BT ${shown} ET`)).toBe(
      `shows text before setting its font here (${token} without Tf)`,
    );
  });
});

describe('where a letter’s text goes on the page', () => {
  it('Td moves the line, and the line’s start stays within the page', () => {
    expect(shows('5000 0 Td 5000 0 Td')).toBeNull();
    expect(shows('5000 0 Td 5001 0 Td')).toBe(beyond('Tj'));
    expect(shows('0 5000 Td 0 5000 Td')).toBeNull();
    expect(shows('0 -5000 Td 0 -5001 Td')).toBe(beyond('Tj'));
    // Either coordinate alone beyond.
    expect(shows('9000 0 Td 0 9000 Td 2000 0 Td')).toBe(beyond('Tj'));
    expect(shows('9000 0 Td 0 9000 Td 0 2000 Td')).toBe(beyond('Tj'));
  });

  it('BT starts the line at the origin again', () => {
    expect(letter('BT /F1 12 Tf 9000 0 Td (a) Tj ET BT 9000 0 Td (a) Tj ET')).toBeNull();
  });

  it('Tm sets the line where it says, through the page’s matrix', () => {
    expect(letter('1 0 0 1 5000 0 cm BT /F1 12 Tf 1 0 0 1 4000 0 Tm (a) Tj ET')).toBeNull();
    expect(letter('1 0 0 1 5000 0 cm BT /F1 12 Tf 1 0 0 1 6000 0 Tm (a) Tj ET')).toBe(beyond('Tj'));
  });

  it('TD moves the line and sets the leading T* moves down by', () => {
    expect(shows('0 -5000 TD T* T*', '(a) Tj', '0 TL')).toBe(beyond('Tj'));
    expect(shows('0 9000 Td 0 -4000 TD T* T*', '(a) Tj', '0 TL')).toBeNull();
  });

  it.each(['T*', "(a) '", '0 0 (a) "'])('%s moves down by the leading', (next) => {
    const token = next.split(' ').at(-1)!;
    const shown = token === 'T*' ? 'T* (a) Tj' : next;
    expect(shows('0 9000 Td 5000 TL', shown, '0 TL 0 Tw 0 Tc')).toBeNull();
    expect(shows('0 -9000 Td 5000 TL', shown, '0 TL 0 Tw 0 Tc')).toBe(
      beyond(token === 'T*' ? 'Tj' : token),
    );
  });

  it('text runs along its line by each glyph’s width at most, its spacing and TJ’s moves', () => {
    const big = (shown: string, after = '') => letter(`BT /F1 1000 Tf ${shown} ${after} ET`);
    // 1.1 em of 1000 points a glyph: 4400 a string of four, three of them beyond.
    expect(big('(aaaa) Tj (aaaa) Tj')).toBeNull();
    expect(big('(aaaa) Tj (aaaa) Tj (aaaa) Tj')).toBe(beyond('Tj'));
    // A TJ's moves count whatever their sign, in thousandths of the font's size.
    expect(big('[5000 5000] TJ')).toBeNull();
    expect(big('[5000 5001] TJ')).toBe(beyond('TJ'));
    expect(big('[-5000 -5001] TJ')).toBe(beyond('TJ'));
    expect(big('[(a) 6000 (b) 6000] TJ')).toBe(beyond('TJ'));
    expect(big('[(a) 6000 (b)] TJ')).toBeNull();
    expect(letter('BT /F1 12 Tf [(a) -100 (b)] TJ ET')).toBeNull();
    // Character and word spacing count whatever their sign.
    expect(letter('BT /F1 10 Tf 2000 Tc (aaaa) Tj 0 Tc ET')).toBeNull();
    expect(letter('BT /F1 10 Tf 3000 Tc (aaaa) Tj 0 Tc ET')).toBe(beyond('Tj'));
    expect(letter('BT /F1 10 Tf -3000 Tc (aaaa) Tj 0 Tc ET')).toBe(beyond('Tj'));
    expect(letter('BT /F1 10 Tf 3000 Tw (aaaa) Tj 0 Tw ET')).toBe(beyond('Tj'));
    // A dash's array is no TJ's moves.
    expect(letter('[6000 6000] 0 d BT /F1 1000 Tf (a) Tj ET')).toBeNull();
  });

  it('how far text runs, and its rise, are measured through the page’s matrix', () => {
    expect(letter('2 0 0 2 0 0 cm BT /F1 1000 Tf [2500 2500] TJ ET')).toBeNull();
    expect(letter('2 0 0 2 0 0 cm BT /F1 1000 Tf [3000 3000] TJ ET')).toBe(beyond('TJ'));
    expect(shows('10000 Ts', '(a) Tj', '0 Ts')).toBeNull();
    expect(letter('2 0 0 2 0 0 cm BT /F1 12 Tf 5000 Ts (a) Tj 0 Ts ET')).toBeNull();
    expect(letter('2 0 0 2 0 0 cm BT /F1 12 Tf 6000 Ts (a) Tj 0 Ts ET')).toBe(beyond('Tj'));
  });

  it('text matrix and page matrix compose within the scale a letter draws at', () => {
    expect(letter('10 0 0 10 0 0 cm BT /F1 12 Tf 10 0 0 10 0 0 Tm (a) Tj ET')).toBeNull();
    expect(letter('10 0 0 10 0 0 cm BT /F1 12 Tf 10.05 0 0 10.05 0 0 Tm (a) Tj ET')).toBe(
      scales('Tj'),
    );
    expect(letter('10 0 0 10 0 0 cm BT /F1 12 Tf 1 0 0 10.05 0 0 Tm (a) Tj ET')).toBe(scales('Tj'));
    expect(letter('50 0 0 50 0 0 cm BT /F1 12 Tf 50 0 0 50 0 0 Tm (a) Tj ET')).toBe(scales('Tj'));
  });
});

describe('matrices a letter composes with cm', () => {
  const scalesCm = 'sets a matrix (cm) that scales beyond what a letter draws';
  const movesCm = 'sets a matrix (cm) that moves beyond what a letter draws';
  it.each([
    ['6 0 6 6 0 0', '10 10 0 1 0 0', scalesCm],
    ['6 6 0 6 0 0', '10 10 0 1 0 0', scalesCm],
    ['6 0 6 6 0 0', '1 0 10 10 0 0', scalesCm],
    ['6 6 0 6 0 0', '1 0 10 10 0 0', scalesCm],
    ['2 0 2 2 3000 0', '1 0 0 1 2000 2000', movesCm],
    ['2 2 0 2 0 3000', '1 0 0 1 2000 2000', movesCm],
    ['2 0 2 2 1000 0', '1 0 0 1 2000 2000', null],
    ['2 2 0 2 0 1000', '1 0 0 1 2000 2000', null],
    ['3 0 3 3 0 0', '10 10 0 1 0 0', null],
  ])('%s cm then %s cm', (first, second, named) => {
    expect(letter(`${first} cm ${second} cm`)).toBe(named);
  });

  it('Q restores the matrix q saved', () => {
    expect(letter('q 50 0 0 50 0 0 cm Q 50 0 0 50 0 0 cm')).toBeNull();
  });

  it('a matrix that flattens the plane, however its entries make it so', () => {
    const flattens = (token: string) =>
      `sets a matrix that flattens what follows to a line or a point (${token}): drawn by nobody, still extracted`;
    expect(problem('1 2 2 4 0 0 cm')).toBe(flattens('cm'));
    expect(problem('1 1 1 1 0 0 cm')).toBe(flattens('cm'));
    expect(problem('BT 0 0 0 0 0 0 Tm ET')).toBe(flattens('Tm'));
    expect(problem('1 2 3 4 0 0 cm 2 1 1 2 0 0 cm')).toBeNull();
  });
});

describe('q and Q, read whole', () => {
  it('every Q restores a q of its own', () => {
    expect(whole('q Q q q Q Q')).toBeNull();
    expect(whole('Q')).toBe('restores a graphics state it never saved (Q without q)');
    expect(whole('q Q Q')).toBe('restores a graphics state it never saved (Q without q)');
  });
});

describe('patterns a colour names', () => {
  it('scn names its pattern as a resource', () => {
    const read = readAs('/Pattern cs /P0 scn /Pattern CS /P1 SCN');
    expect(read.problem).toBeNull();
    expect(read.names.get('Pattern')).toEqual(new Set(['P0', 'P1']));
  });
});

describe('strings as readers read them', () => {
  const control = 'shows a control code (0x00–0x1F) that readers space differently (Tj)';
  it('a space is no control code; a backslash before no escape is dropped', () => {
    expect(shows('', '(a b) Tj')).toBeNull();
    expect(shows('', '(\\x12) Tj')).toBeNull();
    expect(shows('', '(\\a01) Tj')).toBeNull();
    expect(shows('', '(\\001) Tj')).toBe(control);
  });

  it('a backslash before a lone carriage return continues the line', () => {
    expect(shows('', '(a\\\r) Tj')).toBeNull();
  });

  it('a stream that ends right after a backslash ends inside a string', () => {
    for (const text of ['(a\\', '(a\\4', '(a\\40']) {
      const data = new Uint8Array(Buffer.from(text, 'latin1'));
      expect(readContent(data).problem, text).toBe('ends inside a string');
    }
  });

  it('a hexadecimal string of hex digits only, each read by its value', () => {
    for (const digits of ['<21>', '<39>', '<4A>', '<4a>', '<2122 3456789ABCDEFabcdef0>']) {
      expect(shows('', `${digits} Tj`), digits).toBeNull();
    }
    for (const [digits, bad] of [
      ['<4G>', 'G'],
      ['<4g>', 'g'],
      ['<41+>', '+'],
      ['<41:>', ':'],
      ['<41@>', '@'],
      ['<41`>', '`'],
    ]) {
      expect(problem(`${digits} Tj`), digits).toBe(
        `writes ${bad} in a hexadecimal string, which readers read differently`,
      );
    }
  });
});

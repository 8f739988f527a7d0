/**
 * A content stream read token by token: the styles a stroke is drawn with, dashes, fonts of no
 * size, flattening matrices, names whose escapes readers decode differently, and the order and
 * sizes of what content read whole draws, each from both sides of its edge.
 */
import { describe, expect, it } from 'vitest';
import { type ColourSpaces } from '../../electron/signing/content-stream';
import { MAX_NUMBER_LENGTH } from '../../electron/signing/pdf-structure';
import { letter, letterStream, problem, read, whole } from '../helpers/content-read';

describe('the styles a stroke is drawn with', () => {
  it('a line cap or join is one of the three styles', () => {
    for (const style of ['0', '1', '2']) {
      expect(problem(`${style} J ${style} j`), style).toBeNull();
    }
    expect(problem('3 J')).toBe('sets a line cap that is no style (3 J)');
    expect(problem('-1 J')).toBe('sets a line cap that is no style (-1 J)');
    expect(problem('3 j')).toBe('sets a line join that is no style (3 j)');
    expect(problem('/Round j')).toBe('sets a line join that is no style (/Round j)');
  });

  it('a miter limit of at least 1', () => {
    expect(problem('1 M 10 M')).toBeNull();
    expect(problem('0.5 M')).toBe('sets a miter limit below 1 (0.5 M)');
    expect(problem('0 M')).toBe('sets a miter limit below 1 (0 M)');
  });

  it('a line width of at least 0', () => {
    expect(problem('0 w 0.5 w')).toBeNull();
    expect(problem('-1 w')).toBe('sets a negative line width (-1 w)');
    expect(problem('null w')).toBe('sets a negative line width (null w)');
  });
});

describe('a dash of numbers, of some length, none negative', () => {
  it('a dash of numbers passes, and the solid dash of none', () => {
    for (const dash of ['[3 2] 0 d', '[] 0 d', '[3] 1 d', '[2 0] 0 d', '[0 2] 0 d']) {
      expect(problem(dash), dash).toBeNull();
    }
  });

  it('a dash of other things than numbers', () => {
    const other = 'sets a dash of other things than numbers (d)';
    expect(problem('[(a)] 0 d')).toBe(other);
    expect(problem('[3 (a)] 0 d')).toBe(other);
    expect(problem('[3 /N 2] 0 d')).toBe(other);
  });

  it('a dash of no length', () => {
    const none = 'sets a dash of no length (d)';
    expect(problem('[0 0] 0 d')).toBe(none);
    expect(problem('[0] 0 d')).toBe(none);
    // Each dash is its own: one of no length after one of some.
    expect(problem('[3 2] 0 d [0 0] 0 d')).toBe(none);
    expect(problem('[0 0] 0 d [3 2] 0 d')).toBe(none);
  });

  it('a dash with a negative length or phase', () => {
    const negative = 'sets a dash with a negative length or phase (d)';
    expect(problem('[3 -1] 0 d')).toBe(negative);
    expect(problem('[-1 3] 0 d')).toBe(negative);
    expect(problem('[3 1] -1 d')).toBe(negative);
  });

  it('a TJ of moves only is no dash', () => {
    expect(problem('BT [0] TJ ET')).toBeNull();
  });
});

describe('text and drawings flattened to nothing', () => {
  it('a font of size 0', () => {
    expect(problem('BT /F1 0 Tf ET')).toBe(
      'sets a font of size 0 (Tf): text drawn at no size, still extracted',
    );
    expect(problem('BT /F1 1 Tf ET')).toBeNull();
  });

  it('text scaled to no width', () => {
    expect(problem('BT 0 Tz ET')).toBe(
      'scales text to no width (0 Tz): drawn by nobody, still extracted',
    );
    expect(problem('BT 1 Tz ET')).toBeNull();
  });

  it('a matrix that flattens to a line or a point', () => {
    expect(problem('1 0 0 0 0 0 cm')).toBe(
      'sets a matrix that flattens what follows to a line or a point (cm): drawn by nobody, still extracted',
    );
    expect(problem('BT 1 2 2 4 0 0 Tm ET')).toBe(
      'sets a matrix that flattens what follows to a line or a point (Tm): drawn by nobody, still extracted',
    );
    expect(problem('1 0 0 1 0 0 cm BT 0 1 -1 0 0 0 Tm ET')).toBeNull();
  });
});

describe('names as readers decode them', () => {
  it('an escape readers decode differently', () => {
    expect(problem('/X#4Z MP')).toBe('names /X#4Z, an escape readers decode differently');
    expect(problem('/X# MP')).toBe('names /X#, an escape readers decode differently');
    expect(problem('/X#4 MP')).toBe('names /X#4, an escape readers decode differently');
    expect(problem('/X#00 MP')).toBe('names /X#00, an escape readers decode differently');
    expect(problem('/X#41 MP /X#7a MP')).toBeNull();
  });

  it('the properties marked content names', () => {
    const { names, problem } = read(
      '/Span /MC0 BDC EMC /Tag /MC1 DP /Span << /Lang (da) >> BDC EMC',
    );
    expect(problem).toBeNull();
    expect([...(names.get('Properties') ?? [])]).toEqual(['MC0', 'MC1']);
    expect(read('/Span << /Lang (da) >> BDC EMC /Tag BMC EMC').names.get('Properties')).toBe(
      undefined,
    );
  });
});

describe('numbers as readers read them', () => {
  it('a number of at most MAX_NUMBER_LENGTH characters', () => {
    const longest = '1'.repeat(MAX_NUMBER_LENGTH);
    expect(problem(`0 0 ${longest} 1 re`)).toBeNull();
    expect(problem(`0 0 ${longest}0 1 re`)).toBe(
      `writes a number of ${MAX_NUMBER_LENGTH + 1} characters, which readers read as different values`,
    );
  });
});

describe('content read whole', () => {
  it('a path goes on from a current point', () => {
    expect(whole('0 0 m 10 0 l 10 10 20 20 30 30 c 1 2 3 4 v 1 2 3 4 y h S')).toBeNull();
    expect(whole('0 0 10 10 re 10 0 l h f')).toBeNull();
    expect(whole('q Q')).toBeNull();
    expect(whole('10 0 l S')).toBe('draws a path on from no current point (l)');
    expect(whole('0 0 m 10 0 l S 20 0 l S')).toBe('draws a path on from no current point (l)');
    expect(whole('h W n')).toBe('draws a path on from no current point (h)');
    // Read on its own, a stream may go on from a point a stream before it set.
    expect(problem('10 0 l S')).toBeNull();
  });

  it('text is shown inside a text object', () => {
    expect(whole('BT (a) Tj ET')).toBeNull();
    expect(whole('(a) Tj')).toBe('shows or places text outside BT … ET (Tj)');
  });

  it('a letter ends with no text state set; one of its streams may leave it for the next', () => {
    expect(letter('BT /F1 12 Tf 2 Tc (a) Tj 0 Tc ET')).toBeNull();
    expect(letter('q Q')).toBeNull();
    const set =
      'ends with its text state set (Tc, Tw, Tz, TL or Ts), which readers carry on differently';
    expect(letter('BT /F1 12 Tf 2 Tc (a) Tj ET')).toBe(set);
    expect(letter('BT 14 TL ET')).toBe(set);
    expect(letterStream('BT /F1 12 Tf 2 Tc (a) Tj ET')).toBeNull();
  });

  it('one of a letter’s streams may restore, show and draw in what a stream before it set', () => {
    expect(letterStream('Q /Fm Do')).toBeNull();
    expect(letterStream('Q 2 0 0 2 0 0 cm /Fm Do')).toBe('draws a form at a scale above 1 (Do)');
    expect(letterStream('/F1 12 Tf (a) Tj ET')).toBeNull();
  });
});

describe('how far a letter’s text runs', () => {
  const limit = "shows text (Tj) beyond the page's sizes, where readers place it apart";
  it('the bytes of a literal string', () => {
    expect(letter('BT /F1 1000 Tf (aaaaaaaaa) Tj ET')).toBeNull();
    expect(letter('BT /F1 1000 Tf (aaaaaaaaaa) Tj ET')).toBe(limit);
  });

  it('the bytes of a hexadecimal string', () => {
    expect(letter('BT /F1 1000 Tf <616161616161616161> Tj ET')).toBeNull();
    expect(letter('BT /F1 1000 Tf <61616161616161616161> Tj ET')).toBe(limit);
  });

  it('the strings and moves directly in a TJ array, not those in an array within it', () => {
    expect(letter('BT /F1 1000 Tf [(aaaaaaaaa)] TJ ET')).toBeNull();
    expect(letter('BT /F1 1000 Tf [(aaaaaaaaaa)] TJ ET')).toBe(
      "shows text (TJ) beyond the page's sizes, where readers place it apart",
    );
    // Readers skip an array within TJ's: neither its strings nor its numbers move the text.
    expect(letter('BT /F1 1000 Tf [(a) [(aaaaaaaaaa)]] TJ ET')).toBeNull();
    expect(letter('BT /F1 12 Tf [(a) [20000]] TJ ET')).toBeNull();
    expect(letter('BT /F1 12 Tf [(a) 20000 [] (b)] TJ ET')).toBe(
      'gives TJ 20000, a number beyond the sizes a letter draws at',
    );
  });
});

describe('errors not of the content', () => {
  it('an error of the resources’ lookup is thrown, not taken for a problem of the content', () => {
    const spaces: ColourSpaces = () => {
      throw new Error('resources unreadable');
    };
    expect(() => read('/CS0 cs', { spaces })).toThrow('resources unreadable');
  });
});

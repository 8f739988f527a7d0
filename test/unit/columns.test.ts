/**
 * A table's columns on the page (electron/documents/columns.ts): the widths a document asks for,
 * unless a column's longest word would not fit; then that column takes the room it needs from
 * the columns with room to spare. Words are measured in the fonts the layout draws them in.
 */
import { describe, expect, it } from 'vitest';
import { columnWidths, longestWord, TABLE_WIDTH } from '../../electron/documents/columns';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** The room a column of `percent` gives its text, in points (3 pt padding each side). */
const room = (percent: number) => (percent / 100) * TABLE_WIDTH - 6;

describe("a table's column widths", () => {
  it('measures a word in the font drawn: bold headings are wider, the longest word counts', () => {
    expect(longestWord('Risk')).toBeCloseTo(15.552, 9); // Helvetica at 8 pt: R 722, i 222, s 500, k 500
    expect(longestWord('Risk', true)).toBeGreaterThan(longestWord('Risk'));
    expect(longestWord('a NISD-RISK-0006 b')).toBe(longestWord('NISD-RISK-0006'));
    expect(longestWord('')).toBe(0);
    // A letter the standard font cannot draw is reckoned as wide as the widest.
    expect(longestWord('Łódź')).toBe(4 * 8);
  });

  it('keeps the widths asked for when every word fits', () => {
    const asked = [12, 58, 15, 15];
    expect(
      columnWidths(['Ref', 'Event', 'Level', 'Expires'], [['R-1', 'x', 'Low', '2027']], asked),
    ).toEqual(asked);
    expect(columnWidths(['A', 'B'], [['a', 'b']])).toEqual([50, 50]);
  });

  it('widens a column to its longest word, taking the room from the columns that have more', () => {
    const asked = [12, 58, 15, 15];
    const rows = [
      ['NISD-RISK-0006', 'Known vulnerability exploited before patches', 'Low', '7.12.2027'],
    ];
    const widths = columnWidths(
      ['Risk', 'Threat event / scope', 'Residual', 'Expires'],
      rows,
      asked,
    );
    expect(sum(widths)).toBeCloseTo(100, 9);
    expect(room(widths[0]!)).toBeGreaterThanOrEqual(longestWord('NISD-RISK-0006'));
    expect(room(12)).toBeLessThan(longestWord('NISD-RISK-0006')); // it did not fit as asked
    // The others give in proportion to what they have to spare, each still holding its words.
    for (const [i, w] of widths.entries()) {
      const words = [['Risk', 'Threat event / scope', 'Residual', 'Expires'][i]!, rows[0]![i]!];
      expect(room(w)).toBeGreaterThanOrEqual(
        Math.max(...words.map((t, k) => longestWord(t, k === 0))),
      );
    }
    expect(widths[1]).toBeLessThan(58);
    expect(widths[1]! - 58).toBeLessThan(widths[2]! - 15); // the widest column gives the most
  });

  it('a Danish compound in a narrow column of the records extract', () => {
    const asked = [15, 38, 20, 12, 15];
    const widths = columnWidths(
      ['Type', 'Titel', 'Modpart', 'Frist', 'Status'],
      [
        [
          'Overensstemmelseserklæring',
          'Overensstemmelseserklæring 3: EU Rådsarbejdsstation',
          'NATO',
          '1.1.2027',
          'Åben',
        ],
      ],
      asked,
    );
    expect(room(widths[0]!)).toBeGreaterThanOrEqual(longestWord('Overensstemmelseserklæring'));
    expect(sum(widths)).toBeCloseTo(100, 9);
  });

  it('when the words cannot all fit, each column in proportion to its widest word', () => {
    const long = 'W'.repeat(60);
    const widths = columnWidths(['a', 'b'], [[long, long.slice(0, 30)]]);
    expect(sum(widths)).toBeCloseTo(100, 9);
    expect(widths[0]! / widths[1]!).toBeCloseTo(
      (longestWord(long) + 7) / (longestWord(long.slice(0, 30)) + 7),
      9,
    );
  });
});

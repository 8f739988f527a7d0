/**
 * A table's column widths on the page. The widths a document asks for are kept where every word
 * of a column fits; a column whose longest word would not (a reference, a Danish compound in a
 * narrow column) is widened to that word, taking the room from the columns that have more than
 * they need. Words are never broken: a hyphen inside a reference or a hash would change what a
 * reader copies (layout.tsx), so a word wider than its column would run into the next one.
 */
import { FontNames } from '@pdf-lib/standard-fonts';
import { StandardFontEmbedder } from 'pdf-lib';

/** An A4 page's width less the layout's margins (48 pt on each side), in points. */
export const TABLE_WIDTH = 595.28 - 2 * 48;
/** A cell's padding (3 pt on each side) and a point to spare. */
const CELL_PADDING = 7;
export const CELL_FONT_SIZE = 8;

const regular = StandardFontEmbedder.for(FontNames.Helvetica);
const bold = StandardFontEmbedder.for(FontNames.HelveticaBold);

function widthOf(font: StandardFontEmbedder, word: string): number {
  try {
    return font.widthOfTextAtSize(word, CELL_FONT_SIZE);
  } catch {
    // A character the font cannot encode: as wide as the widest letter, to be safe.
    return word.length * CELL_FONT_SIZE;
  }
}

/** The width of the longest word of `text` (words end at white space), in points. */
export function longestWord(text: string, heading = false): number {
  const font = heading ? bold : regular;
  return Math.max(0, ...text.split(/\s+/).map((word) => widthOf(font, word)));
}

/**
 * The widths (percent of the table's width, summing to 100) for `columns` and `rows`, written
 * as `layout.tsx` writes them (cells already made safe for the PDF's font).
 */
export function columnWidths(columns: string[], rows: string[][], asked?: number[]): number[] {
  const given = asked ?? columns.map(() => 100 / columns.length);
  const need = columns.map((heading, i) => {
    const widest = Math.max(
      longestWord(heading, true),
      ...rows.map((r) => longestWord(r[i] ?? '')),
    );
    return ((widest + CELL_PADDING) / TABLE_WIDTH) * 100;
  });
  const short = need.map((n, i) => Math.max(0, n - (given[i] ?? 0)));
  const deficit = short.reduce((a, b) => a + b, 0);
  if (deficit === 0) {
    return given;
  }
  const slack = need.map((n, i) => Math.max(0, (given[i] ?? 0) - n));
  const spare = slack.reduce((a, b) => a + b, 0);
  if (spare < deficit) {
    // Not every word fits whatever the widths: each column in proportion to its widest word.
    const total = need.reduce((a, b) => a + b, 0);
    return need.map((n) => (n / total) * 100);
  }
  return given.map((g, i) => (short[i]! > 0 ? need[i]! : g - (slack[i]! * deficit) / spare));
}

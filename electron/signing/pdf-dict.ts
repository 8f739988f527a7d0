/**
 * A PDF dictionary's entries as every reader reads them: names after their `#xx` escapes, and
 * integers only where written as integers. Shared by the readings of what a signed letter holds
 * (static-content.ts, letter-profile.ts).
 */
import { PDFArray, PDFName, PDFNumber, type PDFDict, type PDFObject } from 'pdf-lib';
import { writtenAsReal, type PdfFile } from './pdf-structure';

/** A name as readers decode it (pdf-lib leaves `#xx` with lower-case digits as written). */
export function nameOf(o: PDFObject | undefined): string | null {
  return o instanceof PDFName
    ? o
        .asString()
        .replace(/^\//, '')
        .replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : null;
}

/** The entries of a dictionary, keys decoded. */
export function entriesOf(dict: PDFDict): [string, PDFObject][] {
  return dict.entries().map(([k, v]) => [nameOf(k) ?? '', v]);
}

export function get(dict: PDFDict, key: string): PDFObject | undefined {
  for (const [k, v] of entriesOf(dict)) {
    if (k === key) {
      return v;
    }
  }
  return undefined;
}

/** A number written as an integer (`4`, not `4.0`, `4.` or `4.5`). */
export function isIntegerToken(value: PDFObject | undefined): value is PDFNumber {
  return value instanceof PDFNumber && Number.isInteger(value.asNumber()) && !writtenAsReal(value);
}

/**
 * Whether a word of flags (an annotation's /F, a font's /Flags) is one every reader takes with
 * the same bits: an integer from 0 to 2^31 − 1. Poppler reads a larger one as a 64-bit integer,
 * which is no flags to it, while pdf.js (and JavaScript's bit operators here) keep its low 32
 * bits: /F 2147483652 printed a signature widget in pdf.js and left it off paper in poppler
 * (round 20ar).
 */
export function flagsReadAlike(value: PDFNumber): boolean {
  const n = value.asNumber();
  return Number.isInteger(n) && n >= 0 && n <= 0x7fffffff;
}

/**
 * The items of an array as numbers, after references (NaN for an item that is no number), or
 * null when the value is no array.
 */
export function numbersOf(
  file: PdfFile,
  value: PDFObject | undefined,
  rev: number,
): number[] | null {
  const array = file.resolve(value, rev);
  return array instanceof PDFArray
    ? array.asArray().map((item) => {
        const n = file.resolve(item, rev);
        return n instanceof PDFNumber ? n.asNumber() : NaN;
      })
    : null;
}

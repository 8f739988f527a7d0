/**
 * Small readings the verifier shares (electron/signing/pdf-dict.ts), pinned at their bounds.
 */
import { PDFNumber } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { flagsReadAlike } from '../../electron/signing/pdf-dict';

describe('a word of flags every reader takes with the same bits', () => {
  it('is an integer from 0 to 2^31 − 1 (round 20ar: poppler reads a larger one as no flags)', () => {
    for (const n of [0, 4, 132, 0x7fffffff]) {
      expect(flagsReadAlike(PDFNumber.of(n)), String(n)).toBe(true);
    }
    for (const n of [-1, -0x80000000, 0x80000000, 2147483652, 4294967300, 4.5, Number.NaN]) {
      expect(flagsReadAlike(PDFNumber.of(n)), String(n)).toBe(false);
    }
  });
});

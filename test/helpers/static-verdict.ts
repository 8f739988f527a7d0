/**
 * What the static-content reader (electron/signing/static-content.ts) names in a file, and the
 * two ways the edge tables assert it: on one file, and on a feature both added to a letter as a
 * later revision and built into a letter's first revision.
 */
import { expect } from 'vitest';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import { added, builtIn, type Feature } from './content-features';
import { letter } from './pdf';

/** The detail the reader names `pdf` by, or null when every reader shows it alike. */
export const found = (pdf: Buffer): string | null =>
  dynamicContent(PdfFile.parse(pdf))?.detail ?? null;

/** `pdf` is not named (null), or named as `named` says. */
export function expectNamed(pdf: Buffer, named: RegExp | null): void {
  if (named) {
    expect(found(pdf)).toMatch(named);
  } else {
    expect(found(pdf)).toBeNull();
  }
}

/** The feature, as a later revision of a letter and built into a letter: each time as `named`. */
export async function expectVerdict(feature: Feature, named: RegExp | null): Promise<void> {
  expectNamed(added(await letter(), feature), named);
  expectNamed(await builtIn(feature), named);
}

/**
 * What the static-content reader (electron/signing/static-content.ts) and the letter profile
 * (letter-profile.ts) name in a file, and the ways the edge tables assert it: on one file, and
 * on a feature both added to a letter as a later revision and built into a letter's first
 * revision.
 */
import { expect, it } from 'vitest';
import { outsideLetterProfile } from '../../electron/signing/letter-profile';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import { added, builtIn, type Feature } from './content-features';
import { anatomy, body } from './forge';
import { appendUpdate, letter } from './pdf';

/** The detail the reader names `pdf` by, or null when every reader shows it alike. */
export const found = (pdf: Buffer): string | null =>
  dynamicContent(PdfFile.parse(pdf))?.detail ?? null;

/** The detail the letter profile names `pdf` by, or null when it is inside the profile. */
export const outside = (pdf: Buffer): string | null =>
  outsideLetterProfile(PdfFile.parse(pdf))?.detail ?? null;

/** `pdf` is not named (null), or named as `named` says, by `judge` (the static reader's). */
export function expectNamed(pdf: Buffer, named: RegExp | null, judge = found): void {
  if (named) {
    expect(judge(pdf)).toMatch(named);
  } else {
    expect(judge(pdf)).toBeNull();
  }
}

/** A row per feature, asserting `expectVerdict` with `judge`. */
export function featureRows(
  rows: readonly (readonly [name: string, feature: Feature, named: RegExp | null])[],
  judge = found,
): void {
  for (const [name, feature, named] of rows) {
    it(name, () => expectVerdict(feature, named, judge));
  }
}

/** The feature, as a later revision of a letter and built into a letter: each time as `named`. */
export async function expectVerdict(
  feature: Feature,
  named: RegExp | null,
  judge = found,
): Promise<void> {
  expectNamed(added(await letter(), feature), named, judge);
  expectNamed(await builtIn(feature), named, judge);
}

/**
 * `pdf` with `feature` added as revision 2, and revision 3 putting back every object of `pdf`
 * the feature changed: the feature is held by revision 2 only.
 */
export function undoneLater(pdf: Buffer, feature: Feature): Buffer {
  const size = anatomy(pdf).size;
  let next = size;
  const objects = feature(pdf, () => next++);
  return appendUpdate(
    appendUpdate(pdf, objects),
    objects.filter((o) => o.num < size).map((o) => ({ num: o.num, body: body(pdf, o.num) })),
  );
}

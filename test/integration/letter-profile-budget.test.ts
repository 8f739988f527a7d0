/**
 * What the letter profile reads is bounded (round 20c): forms that share one dictionary of
 * resources are read once, and a file whose revisions draw more pages, forms and resources than
 * MAX_PROFILE_VISITS is outside the profile. Four layers of 1,200 forms, each layer's forms
 * sharing the dictionary that lists the next, and thirty revisions kept the verifier busy for
 * minutes on a file poppler draws in a tenth of a second; the bound is counted, not timed.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PROFILE_VISITS, outsideLetterProfile } from '../../electron/signing/letter-profile';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { added, drawnWith, streamObject, type Feature } from '../helpers/content-features';
import { anatomy } from '../helpers/forge';
import { appendUpdate, letter } from '../helpers/pdf';
import { RawPdf } from '../helpers/raw-pdf';
import { outside } from '../helpers/static-verdict';

/**
 * `layers` layers of `width` empty forms: the page lists the first layer, and every form of a
 * layer has as resources one dictionary, shared, listing every form of the next. Nothing is
 * drawn (the page's content runs no `Do`).
 */
const layered =
  (width: number, layers: number): Feature =>
  (pdf, n) => {
    const objects: { num: number; body: string }[] = [];
    let below: number | null = null;
    let listed = '';
    for (let layer = layers; layer >= 1; layer--) {
      const forms = Array.from({ length: width }, () => n());
      for (const form of forms) {
        const resources = below === null ? '' : ` /Resources ${below} 0 R`;
        objects.push({
          num: form,
          body: streamObject('', `/Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ]${resources}`),
        });
      }
      listed = forms.map((form, i) => `/L${layer}F${i} ${form} 0 R`).join(' ');
      if (layer > 1) {
        below = n();
        objects.push({ num: below, body: `<< /XObject << ${listed} >> >>` });
      }
    }
    return [...objects, ...drawnWith(pdf, n(), 'XObject', listed, 'q Q\n')];
  };

/** `pdf` with `count` more revisions, each rewriting an object nothing draws. */
function moreRevisions(pdf: Buffer, count: number): Buffer {
  let out = pdf;
  const spare = anatomy(pdf).size;
  for (let i = 0; i < count; i++) {
    out = appendUpdate(out, [{ num: spare, body: `<< /Revision ${i} >>` }]);
  }
  return out;
}

describe('the letter profile reads within its bounds', () => {
  it('forms sharing one dictionary of resources: read once', async () => {
    // Read once per form, the three layers' shared dictionaries would count 300 + 2 × 300 × 300
    // entries, beyond the bound; read once each, some 1,800.
    expect(300 + 2 * 300 * 300).toBeGreaterThan(MAX_PROFILE_VISITS);
    const pdf = added(await letter(), layered(300, 3));
    expect(outside(pdf)).toBeNull();
  });

  it('beyond MAX_PROFILE_VISITS pages, forms and resources drawn by all revisions: outside', async () => {
    // About 6,000 visits a revision (3,000 forms and their 3,000 entries, the page's own).
    const pdf = added(await letter(), layered(1000, 3));
    expect(outside(moreRevisions(pdf, 10))).toBeNull();
    expect(outside(moreRevisions(pdf, 20))).toBe(
      `the letter's revisions draw more than ${MAX_PROFILE_VISITS} pages, forms and resources, more than is read`,
    );
  });

  it('a form that draws itself through a shared dictionary is still found', async () => {
    const loop: Feature = (pdf, n) => {
      const [a, b, shared] = [n(), n(), n()];
      const form = (num: number) => ({
        num,
        body: streamObject(
          'q /X Do Q',
          `/Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ] /Resources ${shared} 0 R`,
        ),
      });
      return [
        form(a),
        form(b),
        { num: shared, body: `<< /XObject << /X ${b} 0 R >> >>` },
        ...drawnWith(pdf, n(), 'XObject', `/A ${a} 0 R`, 'q /A Do Q\n'),
      ];
    };
    expect(outside(added(await letter(), loop))).toMatch(/is a form that draws itself/);
  });

  it('exactly MAX_PROFILE_VISITS visits are read, one more is outside', () => {
    // One page (a visit), its fonts and its forms' names (a visit each), and the one form they
    // all name (a visit, read once): 1 + fonts + names + 1.
    const page = (fonts: number, names: number) => {
      const p = new RawPdf();
      const font =
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
      const fontEntries = Array.from({ length: fonts }, (_, i) => `/F${i} ${font}`).join(' ');
      const formEntries = Array.from({ length: names }, (_, i) => `/X${i} 4 0 R`).join(' ');
      p.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
      p.obj(2, '<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>');
      p.obj(
        3,
        `<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] /Resources << /Font << ${fontEntries} >> /XObject << ${formEntries} >> >> >>`,
      );
      p.obj(
        4,
        '<< /Type /XObject /Subtype /Form /BBox [ 0 0 10 10 ] /Length 0 >>\nstream\n\nendstream',
      );
      p.table(p.rows(), '<< /Size 5 /Root 1 0 R >>');
      return outsideLetterProfile(PdfFile.parse(p.bytes()))?.detail ?? null;
    };
    const names = MAX_PROFILE_VISITS - 3;
    expect(page(1, names)).toBeNull();
    expect(page(2, names)).toBe(
      `the letter's revisions draw more than ${MAX_PROFILE_VISITS} pages, forms and resources, more than is read`,
    );
    expect(page(1, names + 1)).toMatch(/more than 100000 pages, forms and resources/);
  });
});

describe("the catalog's viewer chrome", () => {
  it('a revision without a catalog shows none (and draws no page)', () => {
    const p = new RawPdf();
    p.obj(1, '<< /Type /Catalog /Pages 2 0 R /Outlines 3 0 R >>');
    p.obj(2, '<< /Type /Pages /Kids [ ] /Count 0 >>');
    p.obj(3, '<< /Type /Outlines /Count 0 >>');
    p.table(p.rows(), '<< /Size 4 >>');
    expect(outsideLetterProfile(PdfFile.parse(p.bytes()))).toBeNull();
  });
});

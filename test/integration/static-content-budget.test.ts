/**
 * The static-content reader's budget (electron/signing/static-content.ts): a content stream many
 * pages name is read within 64 MB, not for ever. Apart from the content rows
 * (static-content-rules.test.ts) because it takes seconds where they take milliseconds: under
 * mutation every mutant the budget covers would pay for it.
 */
import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';

const found = (pdf: Buffer) => dynamicContent(PdfFile.parse(pdf))?.detail ?? null;

describe('a content stream many pages name is read within a budget', () => {
  it('twenty pages naming one stream of 3.5 MB: refused once 64 MB are read, not read for ever', async () => {
    const doc = await PDFDocument.create();
    const ops = Buffer.from('q Q\n'.repeat(920_000));
    const shared = doc.context.register(doc.context.flateStream(ops));
    for (let i = 0; i < 20; i++) {
      doc.addPage([595, 842]).node.set(PDFName.of('Contents'), shared);
    }
    const pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(found(pdf)).toMatch(/read as every page and form names them, run beyond 64 MB/);
  });
});

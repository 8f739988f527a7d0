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
import { sfnt } from '../helpers/content-features';

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

  it('one embedded font of 3 MB set on 25 pages is read and charged once, not 75 MB', async () => {
    const doc = await PDFDocument.create();
    const program = Buffer.concat([
      Buffer.from(
        sfnt([
          [1, 0],
          [3, 1],
        ]),
        'latin1',
      ),
      Buffer.alloc(3_000_000),
    ]);
    const descriptor = doc.context.obj({
      Type: 'FontDescriptor',
      FontName: 'LiberationSans',
      Flags: 32,
      FontBBox: [0, 0, 1000, 1000],
      ItalicAngle: 0,
      Ascent: 800,
      Descent: -200,
      CapHeight: 700,
      StemV: 80,
      FontFile2: doc.context.register(doc.context.flateStream(program)),
    });
    const font = doc.context.register(
      doc.context.obj({
        Type: 'Font',
        Subtype: 'TrueType',
        BaseFont: 'LiberationSans',
        FontDescriptor: doc.context.register(descriptor),
      }),
    );
    for (let i = 0; i < 25; i++) {
      const page = doc.addPage([595, 842]);
      page.node.set(
        PDFName.of('Resources'),
        doc.context.obj({ Font: doc.context.obj({ F9: font }) }),
      );
      const text = Buffer.from(`BT /F9 12 Tf 72 700 Td (page ${i}) Tj ET`);
      page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(text)));
    }
    const pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(found(pdf)).toBeNull();
  });
});

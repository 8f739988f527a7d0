/**
 * The static-content reader on its own (electron/signing/static-content.ts): every feature of
 * the forgery table's content rows found and named, in an update or built into the letter, on
 * unsigned letters — no signing, no CMS, so a row takes milliseconds and the module can be
 * measured under mutation. The signed letters are forgeries-content.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import { added, builtIn, rows } from '../helpers/content-features';
import { honest } from '../helpers/honest-features';
import { letter } from '../helpers/pdf';

const found = (pdf: Buffer) => dynamicContent(PdfFile.parse(pdf))?.detail ?? null;

describe('each content feature readers show differently is found and named', () => {
  for (const row of rows) {
    it(row.name, async () => {
      expect(found(added(await letter(), row.feature))).toMatch(row.detail);
      if (!row.updateOnly) {
        expect(found(await builtIn(row.feature))).toMatch(row.detail);
      }
    });
  }

  it('a letter as the tests write it holds none of them', async () => {
    expect(found(await letter())).toBeNull();
  });
});

describe('what honest tools write is left alone', () => {
  for (const [name, feature] of honest) {
    it(name, async () => {
      expect(found(added(await letter(), feature)), name).toBeNull();
      expect(found(await builtIn(feature))).toBeNull();
    });
  }
});

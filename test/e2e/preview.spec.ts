import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createServices } from '../../electron/services';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { expect, test, unlock } from './fixtures';

// A 2×2 PNG (red, green / blue, white).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('evidence is previewed inside the app: a PDF page by page, an image as it is', async ({
  gate,
  vault,
}) => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const n of [1, 2]) {
    pdf.addPage([300, 200]).drawText(`SSRS page ${n}`, { x: 40, y: 100, size: 18, font });
  }
  const pdfBytes = Buffer.from(await pdf.save());

  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-2',
    name: 'Sagssystem',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
  const caseId = await cases.createCase({ systemId, type: 'initial' });
  for (const [name, bytes, type] of [
    ['ssrs.pdf', pdfBytes, 'ssrs'],
    ['diagram.png', PNG, 'network_diagram'],
  ] as const) {
    const stored = await v.blobs.put(
      (async function* () {
        yield bytes;
      })(),
    );
    await cases.addEvidence(caseId, { ...stored, name }, { type, title: name });
  }
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overblik');
  await page.goto(`${page.url().split('#')[0]}#/cases/${caseId}`);
  await page.getByRole('tab', { name: 'Dokumentation' }).click();

  await page.getByRole('button', { name: 'Vis ssrs.pdf' }).click();
  const preview = page.getByTestId('evidence-preview');
  await expect(preview.getByTestId('preview-page')).toHaveText('Side 1 af 2');
  const canvas = preview.getByTestId('preview-canvas');
  await expect
    .poll(async () => canvas.evaluate((c: HTMLCanvasElement) => c.width))
    .toBeGreaterThan(300);
  // Something was drawn: not every pixel is blank.
  const inked = () =>
    canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i] ?? 255) < 128 && (data[i + 3] ?? 0) > 0) {
          dark++;
        }
      }
      return dark;
    });
  await expect.poll(inked).toBeGreaterThan(50);
  await preview.getByRole('button', { name: 'Næste side' }).click();
  await expect(preview.getByTestId('preview-page')).toHaveText('Side 2 af 2');
  await page.screenshot({ path: 'test-results/evidence-preview.png', fullPage: true });

  await preview.getByRole('button', { name: 'Luk visning' }).click();
  await page.getByRole('button', { name: 'Vis diagram.png' }).click();
  const image = page.getByTestId('evidence-preview').getByRole('img', { name: 'diagram.png' });
  await expect.poll(async () => image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(2);
});

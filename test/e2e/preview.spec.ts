import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
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

/**
 * What a hostile page on another local port does: toss cookies for 127.0.0.1 (the preview's own
 * old cookie name, the header's name, a cookie bomb of 170 × 4 KB), then try the preview's API
 * with whatever credentials the browser attaches.
 */
function tossingPage(previewOrigin: string): string {
  return `<!doctype html><title>other</title><script>
    for (const name of ['awb_preview', 'X-AWB-Token', 'token']) {
      document.cookie = name + '=tossed-by-another-port; path=/';
    }
    for (let i = 0; i < 170; i++) {
      document.cookie = 'bomb' + i + '=' + 'x'.repeat(4000) + '; path=/';
    }
    fetch('${previewOrigin}/api/invoke/prefs:set', {
      method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"language":"en"}',
    }).catch(() => undefined).finally(() => { document.title = 'tossed'; });
  </script>`;
}

/** The preview's API as its own page sees it: preferences and the vault's state. */
function answers(page: Page) {
  return page.evaluate(async () => {
    const prefs = await window.workbench.invoke('prefs:get', {});
    const status = await window.workbench.invoke('vault:status', {});
    return { prefs, status };
  });
}

test('the token stays on its port: another local port never receives it, and its cookies change nothing', async ({
  gate,
  preview,
  vault,
}) => {
  const token = new URL(preview.url).hash.replace(/^#token=/, '');
  expect(token).toMatch(/^[0-9a-f]{48}$/);
  // Taken from the fragment and out of the address bar at once; never a cookie.
  expect(gate.url()).toBe(`${preview.origin}/`);
  const context = gate.context();
  expect(await context.cookies()).toEqual([]);
  const before = await answers(gate);
  expect(before.prefs).toMatchObject({ ok: true, value: { language: 'da' } });

  // Another service on 127.0.0.1, on another port, recording everything it receives.
  const received: { url: string; headers: IncomingHttpHeaders }[] = [];
  const other = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(tossingPage(preview.origin));
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  try {
    // Visited in the same browser context after the preview page, twice: the second visit
    // carries every cookie the browser now holds for 127.0.0.1.
    const page = await context.newPage();
    await page.goto(`${otherOrigin}/`);
    await expect(page).toHaveTitle('tossed');
    await page.goto(`${otherOrigin}/again`);
    await expect(page).toHaveTitle('tossed');
    // The other origin sees nothing of the preview's tab either.
    expect(await page.evaluate(() => [sessionStorage.length, document.cookie.length > 0])).toEqual([
      0,
      true,
    ]);
    await page.close();

    // (Chromium also asks for /favicon.ico: those requests are checked below as well.)
    expect(received.map((r) => r.url).filter((u) => u !== '/favicon.ico')).toEqual(['/', '/again']);
    const again = received.find((r) => r.url === '/again')?.headers.cookie ?? '';
    expect(again).toContain('awb_preview=tossed-by-another-port'); // cookies do cross ports…
    expect(again.length).toBeGreaterThan(500_000);
    for (const { headers } of received) {
      // …but the token never did: in no header, no cookie, no referrer.
      expect(JSON.stringify(headers)).not.toContain(token);
      expect(headers['x-awb-token']).toBeUndefined();
      // A referrer, if any, is the other port's own page, never the preview's.
      expect(headers.referer ?? `${otherOrigin}/`).toMatch(new RegExp(`^${otherOrigin}/`));
    }
    const cookies = await context.cookies();
    expect(cookies.length).toBeGreaterThan(100);
    expect(cookies.filter((c) => c.value.includes(token))).toEqual([]);

    // The tossed cookies change none of the preview API's answers (the hostile call was refused).
    expect(await answers(gate)).toEqual(before);
    // A reload sends the whole cookie bomb to the preview: it still loads, with the token the
    // tab kept, and the vault unlocks through the UI as ever.
    await gate.reload();
    expect(gate.url()).toBe(`${preview.origin}/`);
    await expect(gate.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await answers(gate)).toEqual(before);
    await unlock(gate, vault.folder);
    await expect(gate.getByRole('heading', { level: 1 })).toHaveText('Overblik');
    // The core's events still arrive, over the stream the token opened.
    const event = await gate.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const stop = window.workbench.on('vault:stateChanged', (payload) => {
            stop();
            resolve(payload);
          });
          void window.workbench.invoke('vault:lock', {});
        }),
    );
    expect(event).toEqual({ state: 'locked' });

    // The token is no ambient credential: a new tab at the same origin without it gets nothing.
    const bare = await context.newPage();
    await bare.goto(`${preview.origin}/`);
    await expect(bare.getByRole('alert').filter({ hasText: 'no preview token' })).toBeVisible();
    const refused = await bare.evaluate(() => window.workbench.invoke('prefs:get', {}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await bare.close();
  } finally {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});

/**
 * The marking in print (issue 22, item 7): a long screen printed runs to several pages, and every
 * page carries the marking at its top and at its bottom — read back from the PDF page by page with
 * pdftotext, as a reader of the paper would see it — with nothing of the screen printed under it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { translate } from '../../shared/i18n';
import { seedFullDemo } from './demo';
import { expect, test, unlock } from './fixtures';

/** The marking as the banner shows it (its label for a screen reader aside). */
async function markingOf(page: Page): Promise<string> {
  const text = (await page.getByTestId('classification-banner-top').textContent()) ?? '';
  return text.replace(`${translate('da', 'banner.label')}: `, '').trim();
}

/** Each page's text as laid out on the paper: its lines, top to bottom, blank ones left out. */
function pagesOf(pdf: string): string[][] {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0),
  );
}

/** Prints the screen as Chromium prints it (A4, its own page margins) and reads it back. */
async function print(page: Page, file: string) {
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  return pagesOf(file);
}

function expectMarkedPages(pages: string[][], marking: string, where: string) {
  expect(pages.length, `${where}: a long screen runs to several pages`).toBeGreaterThan(1);
  pages.forEach((lines, i) => {
    const page = `${where}, page ${i + 1} of ${pages.length}`;
    expect(lines[0], `${page}: the marking at the top`).toBe(marking);
    expect(lines.at(-1), `${page}: the marking at the bottom`).toBe(marking);
    // Printed once at each edge: no line of the screen drawn into (or over) the banner.
    expect(
      lines.filter((line) => line.includes(marking)),
      `${page}: the marking twice, and alone on its lines`,
    ).toEqual([marking, marking]);
  });
}

test('every printed page of a long checklist and of the risk register carries the marking at top and bottom', async ({
  gate,
  vault,
  dataFolder,
}) => {
  test.setTimeout(180_000);
  await seedFullDemo(vault.folder, dataFolder);
  await unlock(gate, vault.folder);
  const page = gate;
  await expect(page.getByRole('navigation').first()).toBeVisible();
  const base = page.url().split('#')[0] ?? '';

  // A case's checklist: the longest list of the app.
  await page.goto(`${base}#/cases`);
  await page.locator('main table a').first().click();
  await expect(page.getByTestId('checklist-item').first()).toBeVisible();
  const caseMarking = await markingOf(page);
  expect(caseMarking).not.toBe('');
  const checklist = await print(page, join('test-results', 'print-checklist.pdf'));
  expectMarkedPages(checklist, caseMarking, 'the checklist');

  // The risk register, with its heat maps.
  await page.goto(`${base}#/risks`);
  await expect(page.getByTestId('risk-row').first()).toBeVisible();
  const riskMarking = await markingOf(page);
  const risks = await print(page, join('test-results', 'print-risks.pdf'));
  expectMarkedPages(risks, riskMarking, 'the risk register');

  // One page as a picture, to be looked at (test-results/print-checklist-2.png).
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '50',
    '-f',
    '2',
    '-l',
    '2',
    '-singlefile',
    join('test-results', 'print-checklist.pdf'),
    join('test-results', 'print-checklist-2'),
  ]);
});

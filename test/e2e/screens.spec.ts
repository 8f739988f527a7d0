/**
 * The visual pass: every screen of the demo, in Danish and in English, at 1280×800 and
 * 1920×1080. Nothing may push the page sideways, no table cell may spill its text over the
 * next, no control or heading may be drawn over another, no table may stand empty without a
 * word, and a chart's labels must stay inside the chart; scrolled to its end, both marking banners are still in the window. Each screen is also
 * saved as a screenshot of what the window shows (test-results/screens/), to be looked at.
 */
import type { Page } from '@playwright/test';
import { seedFullDemo, settled, walkScreens } from './demo';
import { expect, test, unlock } from './fixtures';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** What on the screen does not fit: the page wider than the window, a cell or a label spilling. */
function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      found.push(`page ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
    }
    const name = (el: Element) => (el.textContent ?? '').trim().slice(0, 40);
    // Nor the main area or a table's frame scrolled sideways (it would hide columns).
    for (const box of document.querySelectorAll<HTMLElement>('main, main .table-scroll')) {
      if (box.scrollWidth > box.clientWidth + 1) {
        found.push(`scrolls sideways (${box.scrollWidth} > ${box.clientWidth}): ${box.className}`);
      }
    }
    for (const cell of document.querySelectorAll<HTMLElement>('main td, main th')) {
      if (cell.scrollWidth > cell.clientWidth + 1) {
        found.push(`cell spills (${cell.scrollWidth} > ${cell.clientWidth}): ${name(cell)}`);
      }
    }
    // An empty list says so, and what to do: never a bare header row.
    for (const table of document.querySelectorAll('main table')) {
      if (table.checkVisibility() && table.querySelectorAll('tbody tr').length === 0) {
        found.push(`empty table without a word: ${name(table.querySelector('thead') ?? table)}`);
      }
    }
    // No control or heading drawn over another (a button over the next heading, say).
    const shown = [
      ...document.querySelectorAll<HTMLElement>(
        'main :is(button, a, input, select, textarea, [role="tab"], h1, h2, h3, h4, label)',
      ),
    ].filter((el) => el.checkVisibility());
    // What of each is drawn: its box cut by every ancestor that clips (a scrolled list, say).
    const drawn = (el: HTMLElement) => {
      const r = el.getBoundingClientRect();
      let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
      for (let up = el.parentElement; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          const c = up.getBoundingClientRect();
          [left, top] = [Math.max(left, c.left), Math.max(top, c.top)];
          [right, bottom] = [Math.min(right, c.right), Math.min(bottom, c.bottom)];
        }
      }
      return { left, top, right, bottom };
    };
    const boxes = shown.map(drawn);
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const [a, b] = [shown[i]!, shown[j]!];
        if (a.contains(b) || b.contains(a)) {
          continue;
        }
        const [p, q] = [boxes[i]!, boxes[j]!];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > 2 && h > 2) {
          found.push(`overlap: "${name(a)}" and "${name(b)}"`);
        }
      }
    }
    for (const svg of document.querySelectorAll<SVGSVGElement>('main svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0) {
        continue;
      }
      for (const label of svg.querySelectorAll('text')) {
        const r = label.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1) {
          found.push(`chart label outside its chart: ${name(label)}`);
        }
      }
    }
    return found;
  });
}

/** Scrolls to the end of the page: are both marking banners wholly inside the window? */
function bannersInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const inside = ['top', 'bottom'].every((position) => {
      const banner = document.querySelector(`[data-testid="classification-banner-${position}"]`);
      const r = banner?.getBoundingClientRect();
      return r !== undefined && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    window.scrollTo(0, 0);
    return inside;
  });
}

for (const language of ['da', 'en'] as const) {
  test(`every screen fits at 1280×800 and 1920×1080 (${language})`, async ({
    gate,
    vault,
    dataFolder,
  }) => {
    test.setTimeout(240_000);
    await seedFullDemo(vault.folder, dataFolder);
    const page = gate;
    if (language === 'en') {
      await page
        .getByRole('group', { name: 'Sprog' })
        .getByRole('button', { name: 'English' })
        .click();
    }
    await unlock(page, vault.folder);
    const seen: Record<string, string[]> = {};
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await walkScreens(
        page,
        async (name) => {
          const label = `${language}-${size.width}-${name}`.replace(/[^\wæøåÆØÅ-]+/g, '_');
          const list = await settled(() => misfits(page));
          await page.screenshot({ path: `test-results/screens/${label}.png` });
          // Scrolled to its end, the screen still shows the marking at the top and the bottom.
          if (!(await bannersInView(page))) {
            list.push('a marking banner leaves the window when the screen is scrolled');
          }
          if (list.length > 0) {
            seen[label] = list;
          }
        },
        { cases: 3 },
      );
    }
    expect(seen).toEqual({});
  });
}

test('a new, empty vault: every list says what is missing and how to add it', async ({
  gate,
  vault,
}) => {
  await unlock(gate, vault.folder);
  await expect(gate.getByRole('heading', { name: 'Overblik', level: 1 })).toBeVisible();
  const base = gate.url().split('#')[0] ?? '';
  const seen: Record<string, string[]> = {};
  for (const route of ['systems', 'cases', 'risks', 'records', 'people', 'exports', 'settings']) {
    await gate.goto(`${base}#/${route}`);
    await expect(gate.getByRole('heading', { level: 1 })).toBeVisible();
    const list = await settled(() => misfits(gate));
    if (list.length > 0) {
      seen[route] = list;
    }
  }
  expect(seen).toEqual({});
});

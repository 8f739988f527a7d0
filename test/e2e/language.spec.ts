/**
 * No raw keys on a Danish screen: every screen of the demo, walked in Danish, is searched for
 * what a person should never read — translation keys (snake_case or dotted), US-style dates,
 * and English interface words. File names, addresses and the demo's own English free text
 * (a system's purpose, say) are content, not interface, and are left out of the search.
 */
import type { Page } from '@playwright/test';
import { seedFullDemo, settled, walkScreens } from './demo';
import { expect, test, unlock } from './fixtures';

/** Words of the interface that must not appear in English on a Danish screen. */
const ENGLISH = [
  'Nothing here',
  'request refused',
  'checklist answers',
  'Missing before',
  'Loading',
  'Submit',
  'Cancel',
  'Save',
  'undefined',
  'NaN',
  '[object Object]',
  'Invalid',
  'Too small',
  'expected string',
  // Decision types as codes, e.g. in a refusal ("a signed decision (suspension)").
  '(suspension)',
  '(withdrawal)',
  '(reinstatement)',
  '(amendment)',
];
/** Codes and English words that must not stand alone on a Danish screen (compared word by word). */
const CODES = new Set(['Signature1', 'Signature2', 'created', 'reviewed', 'nato', 'eu', 'vUDKAST']);
const CONTENT = /\.(pdf|png|jpe?g|json|csv|pem|awbpkg|p12|crl|txt|dk|com|org|eu|int)\b/i;

/** What on the page reads as a raw key, a US date or an English interface word. */
async function problems(page: Page): Promise<string[]> {
  const text = await page.locator('main').innerText();
  const found: string[] = [];
  for (const token of text.split(/[\s(),;:«»"'·—→]+/)) {
    if (!token || CONTENT.test(token) || /^[0-9a-f-]{16,}$/i.test(token)) {
      continue;
    }
    if (CODES.has(token)) {
      found.push(`code: ${token}`);
    } else if (/^[a-z]+(_[a-z]+)+$/.test(token)) {
      found.push(`snake_case: ${token}`);
    } else if (/^[a-z]+(\.[a-zA-Z]+)+$/.test(token)) {
      found.push(`dotted key: ${token}`);
    }
  }
  for (const date of text.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g) ?? []) {
    found.push(`US date: ${date}`);
  }
  // A Danish screen writes a day as 1.12.2026; ISO days belong in files and fields, not prose.
  for (const m of text.matchAll(/(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/g)) {
    found.push(`ISO date: …${text.slice(Math.max(0, m.index - 40), m.index + 10)}`);
  }
  for (const word of ENGLISH) {
    if (text.includes(word)) {
      found.push(`English: ${word}`);
    }
  }
  return found;
}

test('every screen of the demo, in Danish, shows no raw key, US date or English interface word', async ({
  gate,
  vault,
  dataFolder,
}) => {
  test.setTimeout(180_000);
  await seedFullDemo(vault.folder, dataFolder);
  const page = gate;
  await unlock(page, vault.folder);
  const seen: Record<string, string[]> = {};
  await walkScreens(page, async (name) => {
    const list = await settled(() => problems(page));
    if (list.length > 0) {
      seen[name] = list;
    }
  });
  expect(seen).toEqual({});
});

/**
 * No raw keys on a Danish screen: every screen of the demo, walked in Danish, is searched for
 * what a person should never read — translation keys (snake_case or dotted), US-style dates,
 * and English interface words. File names, addresses and the demo's own English free text
 * (a system's purpose, say) are content, not interface, and are left out of the search.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createServices } from '../../electron/services';
import {
  seedDemo,
  seedDemoCases,
  seedDemoDecision,
  seedDemoLifecycle,
  seedDemoRisks,
} from '../../electron/services/demo';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
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
const CONTENT = /\.(pdf|png|jpe?g|json|csv|pem|awbpkg|p12|crl|txt|dk|com|org|eu|int)\b/i;

/** What on the page reads as a raw key, a US date or an English interface word. */
async function problems(page: Page): Promise<string[]> {
  const text = await page.locator('main').innerText();
  const found: string[] = [];
  for (const token of text.split(/[\s(),;:«»"'·—→]+/)) {
    if (!token || CONTENT.test(token) || /^[0-9a-f-]{16,}$/i.test(token)) {
      continue;
    }
    if (/^[a-z]+(_[a-z]+)+$/.test(token)) {
      found.push(`snake_case: ${token}`);
    } else if (/^[a-z]+(\.[a-zA-Z]+)+$/.test(token)) {
      found.push(`dotted key: ${token}`);
    }
  }
  for (const date of text.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g) ?? []) {
    found.push(`US date: ${date}`);
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
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const services = createServices(() => v);
  await seedDemo(services.register);
  await seedDemoCases(services.cases, services.register, v);
  await seedDemoRisks(services);
  await seedDemoDecision(services, join(dataFolder, 'exports'));
  await seedDemoLifecycle(services);
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);
  const base = page.url().split('#')[0] ?? '';
  const seen: Record<string, string[]> = {};
  const visit = async (name: string) => {
    await page.waitForLoadState('networkidle');
    const list = await problems(page);
    if (list.length > 0) {
      seen[name] = list;
    }
  };

  for (const route of [
    'dashboard',
    'systems',
    'cases',
    'risks',
    'records',
    'people',
    'exports',
    'settings',
    'diagnostics',
  ]) {
    await page.goto(`${base}#/${route}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await visit(route);
  }
  // A system with every tab, a case with every tab, a record.
  await page.goto(`${base}#/systems`);
  await page.getByTestId('system-row').first().click();
  for (const tab of await page.getByRole('tab').all()) {
    await tab.click();
    await visit(`system: ${(await tab.textContent()) ?? ''}`);
  }
  await page.goto(`${base}#/cases`);
  const caseLinks = page.locator('main table a');
  const cases = await caseLinks.count();
  for (let i = 0; i < cases; i++) {
    await page.goto(`${base}#/cases`);
    await page.locator('main table a').nth(i).click();
    await expect(page.getByTestId('case-state')).toBeVisible();
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      await visit(`case ${i}: ${(await tab.textContent()) ?? ''}`);
    }
  }
  await page.goto(`${base}#/records`);
  await page.getByTestId('record-row').first().getByRole('link').click();
  await expect(page.getByTestId('record-detail')).toBeVisible();
  await visit('record');
  expect(seen).toEqual({});
});

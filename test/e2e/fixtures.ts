/**
 * Every test gets its own data folder and its own preview server (real core, real files),
 * and every page is watched: a request outside the preview's origin or a CSP violation fails
 * the test at its end.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import type { PreviewServer } from '../../electron/preview/server';
import { tempFolder } from '../helpers/context';
import { startTestPreview } from '../helpers/preview';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';
import { Vault } from '../../electron/vault/vault';
import { join } from 'node:path';

interface Fixtures {
  dataFolder: string;
  preview: PreviewServer;
  /** A vault created on disk for this test (cheap test KDF), with its recovery key. */
  vault: { folder: string; recoveryKey: string };
  /** The page at the vault gate, watched for foreign requests, CSP violations and failed calls. */
  gate: Page;
  /** The page with `vault` unlocked through the UI: the application shell. */
  app: Page;
}

export async function unlock(page: Page, folder: string, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel(/^(Boksens mappe|Vault folder)$/).fill(folder);
  await page.getByLabel(/^(Adgangsfrase|Passphrase)$/).fill(passphrase);
  await page.getByRole('button', { name: /^(Lås op|Unlock)$/ }).click();
}

const withGate = base.extend<Omit<Fixtures, 'app'>>({
  dataFolder: async ({}, use) => {
    const folder = tempFolder('awb-e2e-');
    await use(folder.path);
    folder.cleanup();
  },
  preview: async ({ dataFolder }, use) => {
    const server = await startTestPreview(dataFolder);
    await use(server);
    await server.close();
  },
  vault: async ({ dataFolder }, use) => {
    const folder = join(dataFolder, 'vault');
    const { vault, recoveryKey } = await Vault.create(folder, PASSPHRASE, PROFILE, TEST_CONFIG);
    await vault.close();
    await use({ folder, recoveryKey });
  },
  gate: async ({ page, preview }, use) => {
    const foreign: string[] = [];
    const cspViolations: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (
        !url.startsWith(`${preview.origin}/`) &&
        !url.startsWith('data:') &&
        !url.startsWith('blob:')
      ) {
        foreign.push(url);
      }
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) {
        cspViolations.push(message.text());
      }
    });
    page.on('response', (response) => {
      if (response.url().startsWith(`${preview.origin}/api/`) && response.status() !== 200) {
        cspViolations.push(`API ${response.status()} for ${response.url()}`);
      }
    });
    page.on('pageerror', (error) => cspViolations.push(`page error: ${error.message}`));
    await page.goto(preview.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await use(page);
    expect(foreign, 'requests outside the preview origin').toEqual([]);
    expect(cspViolations, 'CSP violations, page errors or failed API calls').toEqual([]);
  },
});

export const test = withGate.extend<{ app: Page }>({
  app: async ({ gate, vault }, use) => {
    await unlock(gate, vault.folder);
    await expect(gate.getByRole('navigation')).toBeVisible();
    await use(gate);
  },
});

/** Fails on any serious or critical accessibility violation on the page, naming where. */
export async function axeClean(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(severe.map((v) => `${where}: ${v.id} ${v.help}`)).toEqual([]);
}

export { expect };

/**
 * Every test gets its own data folder and its own preview server (real core, real files),
 * and every page is watched: a request outside the preview's origin or a CSP violation fails
 * the test at its end.
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { PreviewServer } from '../../electron/preview/server';
import { tempFolder } from '../helpers/context';
import { startTestPreview } from '../helpers/preview';

interface Fixtures {
  dataFolder: string;
  preview: PreviewServer;
  app: Page;
}

export const test = base.extend<Fixtures>({
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
  app: async ({ page, preview }, use) => {
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
    await expect(page.getByRole('navigation')).toBeVisible();
    await use(page);
    expect(foreign, 'requests outside the preview origin').toEqual([]);
    expect(cspViolations, 'CSP violations, page errors or failed API calls').toEqual([]);
  },
});

export { expect };

/**
 * Smoke test of the real desktop application through Playwright's _electron. Runs where an
 * Electron runtime is installed (and, on Linux, a display exists); elsewhere every test is
 * skipped with the reason printed, because the browser-preview suite already covers the UI
 * and the core.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '../helpers/context';

function runtimeProblem(): string | null {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (
    !existsSync(pathFile) ||
    !existsSync(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  ) {
    return 'no Electron runtime is installed on this machine (offline: `npm start` could not fetch it)';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    return 'no X display (run under `xvfb-run -a`)';
  }
  if (!existsSync(join(projectRoot, 'dist', 'electron', 'main.js'))) {
    return 'the app is not built (`npm run build`)';
  }
  return null;
}

const problem = runtimeProblem();
if (problem) {
  console.log(`[electron suite] skipped: ${problem}`);
}

test.describe('desktop app', () => {
  test.skip(problem !== null, `skipped: ${problem ?? ''}`);

  test('starts locked down, serves app:// and answers IPC', async () => {
    const app = await electron.launch({ args: [projectRoot] });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('navigation')).toBeVisible();
      expect(page.url()).toMatch(/^app:\/\/workbench\//);
      const windows = await app.evaluate(
        ({ BrowserWindow }) => BrowserWindow.getAllWindows().length,
      );
      expect(windows).toBe(1);
      const surface = await page.evaluate(() => ({
        keys: Object.keys(window.workbench),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(surface).toEqual({
        keys: ['invoke', 'on'],
        require: 'undefined',
        process: 'undefined',
      });
      await page.getByRole('link', { name: 'Diagnostik' }).click();
      await expect(page.locator('[data-field="diagnostics.electron"]')).toHaveText(/^\d+\./);
      const popup = await page.evaluate(() => window.open('https://example.org/') === null);
      expect(popup).toBe(true);
    } finally {
      await app.close();
    }
  });
});

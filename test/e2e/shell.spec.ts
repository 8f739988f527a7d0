import AxeBuilder from '@axe-core/playwright';
import { ROUTES } from '../../renderer/src/router';
import { expect, test } from './fixtures';

test('the shell loads with navigation, banners and the Danish default', async ({ app }) => {
  await expect(app).toHaveTitle('Godkendelsesværktøj');
  await expect(app.locator('html')).toHaveAttribute('lang', 'da');
  const nav = app.getByRole('navigation', { name: 'Hovednavigation' });
  for (const label of [
    'Overblik',
    'Systemer',
    'Sager',
    'Risici',
    'Registreringer',
    'Udveksling',
    'Indstillinger',
    'Diagnostik',
  ]) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await expect(app.getByTestId('classification-banner-top')).toContainText(
    'INTET KLASSIFICERET INDHOLD ÅBENT',
  );
  await expect(app.getByTestId('classification-banner-bottom')).toContainText(
    'INTET KLASSIFICERET INDHOLD ÅBENT',
  );
  await nav.getByRole('link', { name: 'Systemer' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Systemer');
  await expect(app.getByRole('heading', { name: 'Ingen systemer registreret' })).toBeVisible();
});

test('the language choice is translated everywhere and persists across a reload', async ({
  app,
}) => {
  await app.getByRole('link', { name: 'Indstillinger' }).click();
  await app.getByRole('radio', { name: 'English' }).check();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(app.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(app.getByTestId('classification-banner-top')).toContainText(
    'NO CLASSIFIED CONTENT OPEN',
  );
  await app.reload();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(app.getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(app.locator('html')).toHaveAttribute('lang', 'en');
  await expect(app).toHaveTitle('Accreditation Workbench');
});

test('diagnostics shows what the core reports', async ({ app, dataFolder }) => {
  await app.getByRole('link', { name: 'Diagnostik' }).click();
  const facts = app.getByTestId('diagnostics');
  await expect(facts.locator('[data-field="diagnostics.dataFolder"]')).toHaveText(dataFolder);
  await expect(facts.locator('[data-field="diagnostics.node"]')).toHaveText(process.versions.node);
  await expect(facts.locator('[data-field="diagnostics.runtime"]')).toHaveText(
    'Browserforhåndsvisning (kun udvikling og test)',
  );
  await expect(facts.locator('[data-field="diagnostics.vaultState"]')).toHaveText('Låst op');
  await expect(facts.locator('[data-field="diagnostics.appVersion"]')).toHaveText(/^\d+\.\d+\.\d+/);
});

test('every screen is free of serious or critical accessibility violations', async ({ app }) => {
  for (const route of ROUTES) {
    await app.goto(`${new URL(app.url()).origin}/#/${route}`);
    await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
    const results = await new AxeBuilder({ page: app }).analyze();
    const severe = results.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(severe.map((v) => `${route}: ${v.id} ${v.help}`)).toEqual([]);
  }
});

test('the page cannot reach the network: the CSP blocks a request to another origin', async ({
  page,
  preview,
}) => {
  await page.goto(preview.url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(e.violatedDirective),
    );
    let fetched = 'sent';
    try {
      await fetch('http://example.invalid/');
    } catch {
      fetched = 'blocked';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { fetched, violations };
  });
  expect(outcome.fetched).toBe('blocked');
  // Reported once per policy: the HTTP header and the meta tag both hold it.
  expect(outcome.violations.length).toBeGreaterThan(0);
  expect(new Set(outcome.violations)).toEqual(new Set(['connect-src']));
});

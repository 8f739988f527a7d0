import { createServices } from '../../electron/services';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test, unlock } from './fixtures';

test('set criteria, add a risk, treat it, accept it; the heat map and the dashboard follow', async ({
  gate,
  vault,
}) => {
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register } = createServices(() => v);
  await register.createSystem({
    ref: 'NS-7',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);

  // Unlocking opens the dashboard; nothing is at risk yet.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overblik');
  await expect(page.getByTestId('dash-risks')).toContainText('Ingen risici vurderet endnu');
  // The first hour: what the new vault still lacks, each a link to where it is done.
  const firstRun = page.getByTestId('first-run');
  await expect(firstRun).toContainText('Registrér et system');
  await expect(
    firstRun.getByRole('listitem').filter({ hasText: 'risikoacceptkriterierne' }),
  ).toContainText('mangler');
  await axeClean(page, 'dashboard');

  await page.getByRole('link', { name: 'Risici' }).click();
  const criteria = page.getByTestId('risk-criteria');
  await expect(criteria).toContainText('Fastlæg acceptkriterierne');
  await criteria.getByLabel('Ejeren accepterer op til').selectOption({ label: 'Lav' });
  await criteria.getByLabel('Akkreditøren accepterer op til').selectOption({ label: 'Høj' });
  await criteria.getByRole('button', { name: 'Gem kriterier' }).click();
  await expect(criteria).toContainText('Risikoejeren accepterer op til Lav');

  await page.getByRole('button', { name: 'Ny risiko' }).click();
  const form = page.getByRole('form', { name: 'Ny risiko' });
  await form.getByLabel('System', { exact: true }).selectOption({ label: 'NS-7 Missionsnet' });
  await form.getByLabel('Aktiv eller omfang').fill('Serverrum, bygning 3');
  await form.getByLabel('Trusselshændelse').fill('Uautoriseret adgang om natten');
  await form.getByLabel('Konsekvens for fortrolighed').selectOption('5');
  await form.getByLabel('Sandsynlighed', { exact: true }).selectOption('4');
  await expect(form.getByText('Før håndtering — niveau: Meget høj')).toBeVisible();
  await form.getByLabel('Rest-sandsynlighed').selectOption('4');
  await form.getByLabel('Rest-konsekvens').selectOption('5');
  await form.getByLabel('Tilknyttede krav').fill('phy-01');
  await form.getByRole('button', { name: 'Tilføj risiko' }).click();

  // The new risk's page: very high before and after (not yet treated), nobody may accept it.
  await expect(page.getByTestId('residual-level')).toHaveText('Meget høj');
  await expect(page.getByTestId('risk-acceptance')).toContainText('kan ikke accepteres');
  await expect(page.getByRole('button', { name: 'Acceptér restrisiko' })).toHaveCount(0);

  // Treat it: an alarm lowers the residual likelihood and impact.
  const review = page.getByRole('form', { name: /Revurder [A-Z0-9]+-RISK-0001/ });
  await review.getByLabel('Foranstaltninger').fill('Alarm til vagtcentral');
  await review.getByLabel('Rest-konsekvens').selectOption('4');
  await review.getByRole('button', { name: 'Gem revurdering' }).click();
  await expect(page.getByTestId('residual-level')).toHaveText('Høj');
  await expect(page.getByTestId('risk-trend').locator('circle')).toHaveCount(2);

  // Accept it, as the accreditor the criteria require.
  const acceptance = page.getByTestId('risk-acceptance');
  await acceptance.getByLabel('Begrundelse').fill('kort');
  await acceptance.getByRole('button', { name: 'Acceptér restrisiko' }).click();
  await expect(acceptance).toContainText('Angiv en begrundelse');
  await acceptance
    .getByLabel('Begrundelse')
    .fill('Alarmen dækker, indtil vagtaftalen træder i kraft.');
  await acceptance.getByRole('button', { name: 'Acceptér restrisiko' }).click();
  await expect(page.getByTestId('acceptance-status')).toContainText('Accepteret');
  await axeClean(page, 'risk detail');

  // The register's heat maps: the residual cell holds the risk; clicking it filters the register.
  await page.getByRole('link', { name: '← Alle risici' }).click();
  const residual = page.getByTestId('heatmap-residual');
  await expect(residual.locator('[data-cell="4-4"]')).toHaveAttribute('data-count', '1');
  await expect(residual.locator('[data-cell="4-5"]')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('heatmap-inherent').locator('[data-cell="4-5"]')).toHaveAttribute(
    'data-count',
    '1',
  );
  await residual.locator('[data-cell="1-1"]').click();
  await expect(page.getByTestId('risk-row')).toHaveCount(0);
  await residual.locator('[data-cell="4-4"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('risk-row')).toHaveCount(1);
  await expect(page.getByTestId('risk-row').getByTestId('acceptance')).toContainText('Accepteret');
  await expect(page.getByTestId('classification-banner-top')).toHaveText(/NATO SECRET/);
  await axeClean(page, 'risk register');
  await page.screenshot({ path: 'test-results/risks.png', fullPage: true });

  // In print the register keeps its pictures and its marking, without navigation or controls.
  // The marking goes to each page's margins (test/e2e/print.spec.ts reads it on every page).
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Ny risiko' })).toBeHidden();
  await expect(page.getByTestId('heatmap-residual')).toBeVisible();
  expect(
    await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--print-marking'),
    ),
  ).toMatch(/^"NATO SECRET.*"$/);
  await page.emulateMedia({ media: 'screen' });

  // The dashboard lists it among the highest residual risks, accepted.
  await page.getByRole('link', { name: 'Overblik' }).click();
  await expect(page.getByTestId('dash-risks')).toContainText('RISK-0001');
  await expect(page.getByTestId('dash-risks')).toContainText('Høj');
  await expect(page.getByTestId('dash-risks')).toContainText('Accepteret');
  await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
});

test('a large register is drawn a page at a time, every risk in the count and the heat map', async ({
  gate,
  vault,
}) => {
  test.setTimeout(120_000);
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, risks } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'NS-8',
    name: 'Lagernet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 10,
    minClearance: 'RESTRICTED',
  });
  await risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  for (let i = 0; i < 205; i++) {
    await risks.createRisk({
      systemId,
      caseId: null,
      scope: `Lager ${i + 1}`,
      threatSource: 'Insider',
      threatEvent: `Hændelse ${i + 1}`,
      vulnerability: 'Adgang uden logning',
      confidentiality: 2,
      integrity: 2,
      availability: 1,
      authenticity: null,
      likelihood: 2,
      treatment: 'reduce',
      measures: 'Logning',
      residualLikelihood: 1,
      residualImpact: 2,
      owner: 'Ejer',
      reviewDate: null,
      requirementIds: [],
      findingIds: [],
    });
  }
  await v.close();
  await unlock(gate, vault.folder);
  await gate.getByRole('link', { name: 'Risici' }).click();
  await expect(gate.getByTestId('risks-count')).toHaveText('205 risici');
  await expect(gate.getByTestId('risk-row')).toHaveCount(200);
  await expect(gate.getByTestId('heatmap-residual').locator('[data-cell="1-2"]')).toHaveAttribute(
    'data-count',
    '205',
  );
  await gate.getByRole('button', { name: 'Vis 5 flere (200 af 205 vist)' }).click();
  await expect(gate.getByTestId('risk-row')).toHaveCount(205);
  await expect(gate.getByTestId('risks-more')).toHaveCount(0);
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../electron/services';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test, unlock } from './fixtures';

test('create an identity, issue and sign a decision, verify the letter, see a tampered copy fail', async ({
  gate,
  vault,
  dataFolder,
}) => {
  // A case awaiting its decision, every requirement met.
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'NS-9',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  const caseId = await cases.createCase({ systemId, type: 'initial' });
  for (const item of cases.getCase(caseId).items) {
    await cases.updateItem(caseId, item.requirementId, { status: 'compliant', statement: 'Ok.' });
  }
  for (const to of ['submitted', 'intake', 'under_review', 'decision_pending'] as const) {
    await cases.transition(caseId, to, `to ${to}`);
  }
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);

  // Settings: a self-signed identity, which the vault then trusts.
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  const signing = page.getByTestId('signing');
  await signing.getByLabel('Navn i certifikatet').fill('Anne Akkreditør');
  await signing.getByLabel('Organisation').fill('Myndigheden');
  await signing.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(1);
  await expect(signing.getByTestId('identity')).toContainText('Gyldig til');
  await expect(signing.getByTestId('trusted')).toHaveCount(1);
  await axeClean(page, 'settings');

  // The case: issue a full approval with a condition, signed.
  await page.goto(`${page.url().split('#')[0]}#/cases/${caseId}`);
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  const form = page.getByRole('form', { name: 'Træf afgørelsen' });
  await form.getByLabel('Vilkår').fill('Beredskabsplanen afprøves');
  await form.getByLabel('Begrundelse').fill('Kravene er opfyldt.');
  // Read the letter before signing it.
  await form.getByRole('button', { name: 'Vis brevet først' }).click();
  await expect(form.getByTestId('letter-draft').getByTestId('preview-page')).toHaveText(
    'Side 1 af 1',
    { timeout: 30_000 },
  );
  await page.screenshot({ path: 'test-results/decision-draft.png', fullPage: true });
  await form.getByRole('button', { name: 'Træf og signér' }).click();
  const decision = page.getByTestId('case-decision');
  await expect(decision.getByTestId('verification')).toContainText(
    'Gyldig signatur fra en betroet underskriver.',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('case-state')).toHaveText('Afgjort');
  await axeClean(page, 'decision');
  await page.screenshot({ path: 'test-results/decision.png', fullPage: true });

  // Save the letter, then verify it (and a tampered copy) on the exchange screen.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    decision.getByTestId('pdf-link').click(),
  ]);
  const letter = join(dataFolder, 'letter.pdf');
  await download.saveAs(letter);
  expect(readFileSync(letter).subarray(0, 5).toString()).toBe('%PDF-');
  const tampered = join(dataFolder, 'tampered.pdf');
  const bytes = readFileSync(letter);
  bytes[300] = (bytes[300] ?? 0) ^ 1;
  writeFileSync(tampered, bytes);

  await page.getByRole('link', { name: 'Udveksling' }).click();
  await page.getByTestId('verify-file').setInputFiles(letter);
  await expect(page.getByTestId('verification')).toContainText('Gyldig signatur fra en betroet');
  await page.getByTestId('verify-file').setInputFiles(tampered);
  await expect(page.getByTestId('verification')).toContainText(
    'Ikke gyldig: filen er ændret efter signeringen.',
  );
  await axeClean(page, 'exchange');
});

/**
 * No silent failure, field-level errors (issue 22, items 2 and 4): a save the core refuses keeps
 * the typed text on its field and says why there; length limits count as the user types.
 */
import { createServices } from '../../electron/services';
import { Vault } from '../../electron/vault/vault';
import { TEXT_MAX } from '../../shared/limits';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { expect, test, unlock } from './fixtures';

test('a 9,000-character statement is refused on its field, kept, and saved once shortened', async ({
  gate,
  vault,
}) => {
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-9',
    name: 'Langt system',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 2,
    minClearance: 'RESTRICTED',
  });
  await cases.createCase({ systemId, type: 'initial' });
  await v.close();
  await unlock(gate, vault.folder);
  const page = gate;
  await page.getByRole('link', { name: 'Sager' }).click();
  await page.getByTestId('case-row').getByRole('link').click();
  const item = page.getByTestId('checklist-item').first();
  const statement = item.getByLabel('Ejerens redegørelse');

  // Near the limit the field counts; nothing is said against it yet.
  await statement.fill('a'.repeat(TEXT_MAX.statement - 100));
  await expect(item.getByTestId('field-counter')).toHaveText('7.900 af 8.000 tegn');
  await expect(statement).not.toHaveAttribute('aria-invalid', 'true');

  // Over it: the field says so as the user types, and the save the core refuses says so too.
  const long = 'b'.repeat(9000);
  await statement.fill(long);
  await expect(item.getByTestId('field-counter')).toHaveText('9.000 af 8.000 tegn');
  await expect(statement).toHaveAttribute('aria-invalid', 'true');
  await statement.blur();
  const error = item.locator('.field__error');
  await expect(error).toContainText('Ikke gemt: For langt: højst 8.000 tegn.');
  await expect(error).toContainText('1.000 tegn for mange');
  await expect(statement).toHaveValue(long);
  // The error is the field's description, for a screen reader too.
  const describedBy = (await statement.getAttribute('aria-describedby')) ?? '';
  expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));

  // Leaving the screen with a refused save asks first: the text is not thrown away unasked.
  await page.getByRole('link', { name: 'Systemer' }).click();
  await expect(page.getByText('Ændringer, der ikke er gemt', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Bliv' }).click();
  await expect(statement).toHaveValue(long);

  // Shortened to the limit it is saved, the field is clean, and it is there after a reload.
  await statement.fill('c'.repeat(TEXT_MAX.statement));
  await statement.blur();
  await expect(error).toHaveCount(0);
  await expect(statement).not.toHaveAttribute('aria-invalid', 'true');
  // After a reload, and after the vault is locked and opened again from its file.
  await page.reload();
  await page.getByRole('button', { name: 'Lås', exact: true }).click();
  await unlock(page, vault.folder);
  await page.getByRole('link', { name: 'Sager' }).click();
  await page.getByTestId('case-row').getByRole('link').click();
  await expect(
    page.getByTestId('checklist-item').first().getByLabel('Ejerens redegørelse'),
  ).toHaveValue('c'.repeat(TEXT_MAX.statement));
});

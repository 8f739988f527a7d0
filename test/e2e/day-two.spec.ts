/**
 * Day two in the UI, as an accreditor corrects the demo register: a component and a site that
 * break a rule are corrected (the problem leaves the system), another component retired after a
 * confirmation, an overdue record opened from the dashboard, closed with its outcome (it leaves
 * the dashboard) and its attachment opened, and a clearance renewed.
 */
import { appendAudit } from '../../electron/db/audit';
import { createServices } from '../../electron/services';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { openSystem, seedRegisterDemo } from './demo';
import { axeClean, expect, test, unlock } from './fixtures';

test('correct and retire in the register, close a record with its outcome and open its attachment', async ({
  gate,
  vault,
}) => {
  await seedRegisterDemo(vault.folder);
  await unlock(gate, vault.folder);
  const page = gate;

  await openSystem(page, 'Havneovervågning');
  // Unsaved edits ask before the screen changes under them; "Bliv" keeps them.
  await page.getByRole('tab', { name: 'Lokaliteter' }).click();
  const siteForm = page.getByRole('form', { name: 'Tilføj en lokalitet' });
  await siteForm.getByLabel('Navn').fill('Halvskrevet lokation');
  await page.getByRole('tab', { name: /Komponenter/ }).click();
  await expect(page.getByTestId('unsaved-dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Bliv' }).click();
  await expect(siteForm.getByLabel('Navn')).toHaveValue('Halvskrevet lokation');
  await page.getByRole('tab', { name: /Komponenter/ }).click();
  await page.getByRole('button', { name: 'Forlad uden at gemme' }).click();
  await expect(page.getByTestId('unsaved-dialog')).toBeHidden();
  const panel = page.getByRole('tabpanel');
  const problem = 'udfører kryptering, men henviser ikke til et godkendt produkt';
  await expect(panel).toContainText(problem);
  const row = panel.getByRole('row').filter({ hasText: problem });
  // Corrected: the crypto component now names its approved product; the problem leaves its row.
  await row.getByRole('button', { name: 'Redigér' }).click();
  const form = page.getByRole('form', { name: 'Redigér komponent' });
  await expect(form.getByLabel('Produkt', { exact: true })).not.toHaveValue('');
  const product = form.getByLabel('Godkendt produkt');
  const choice = await product.locator('option').nth(1).getAttribute('value');
  await product.selectOption(choice ?? '');
  await form.getByRole('button', { name: 'Gem ændringer' }).click();
  await expect(panel).not.toContainText(problem);
  await axeClean(page, 'components after the correction');

  // Retired after a confirmation that says what it means; Cancel leaves it.
  const rows = panel.getByRole('button', { name: 'Udfas' });
  const before = await rows.count();
  const first = panel.getByRole('row').nth(1);
  await first.getByRole('button', { name: 'Udfas' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('forsvinder fra lister, valg og konsistensregler');
  await confirm.getByRole('button', { name: 'Annullér' }).click();
  await expect(rows).toHaveCount(before);
  await first.getByRole('button', { name: 'Udfas' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ja, Udfas' }).click();
  await expect(rows).toHaveCount(before - 1);
  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(panel).toContainText('Komponent udfaset');
  await expect(panel).not.toContainText('component.retire');

  // An overdue record, opened, closed with its outcome: no longer due.
  await page.getByRole('link', { name: 'Registreringer' }).click();
  await page.getByRole('button', { name: 'Overskredet eller forfalder inden 30 dage' }).click();
  const overdue = page.getByTestId('record-row').filter({ hasText: 'overskredet' }).first();
  await expect(page.getByTestId('records-count')).not.toHaveText('32 registreringer');
  await expect(overdue).toBeVisible();
  const due = Number((await page.getByTestId('records-count').textContent())?.split(' ')[0]);
  const title = (await overdue.getByRole('link').textContent()) ?? '';
  // The dashboard lists it for follow-up, and opens that very record.
  await page.getByRole('link', { name: 'Overblik' }).click();
  const followUps = page.getByRole('region', { name: /Registreringer til opfølgning/ });
  await expect(followUps.getByRole('link', { name: title, exact: true })).toHaveCount(1);
  await followUps.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByTestId('record-detail')).toContainText(title);
  await expect(page.getByText('Ingen bilag endnu')).toBeVisible();
  await page
    .getByTestId('record-detail')
    .locator('input[type=file]')
    .setInputFiles({
      name: 'svar.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
  await page.getByTestId('attachments').getByRole('button', { name: 'svar.png' }).click();
  await expect(page.getByTestId('evidence-preview')).toBeVisible();
  const close = page.getByRole('form', { name: 'Luk med udfald' });
  await close.getByRole('button', { name: 'Luk' }).click();
  await expect(close.getByText('Udfyld feltet.')).toBeVisible();
  await close.getByLabel('Udfald').fill('Svar modtaget; intet at følge op.');
  await close.getByRole('button', { name: 'Luk' }).click();
  await expect(page.getByTestId('record-outcome')).toContainText(
    'Svar modtaget; intet at følge op.',
  );
  await axeClean(page, 'record detail');
  await page.getByRole('link', { name: 'Alle poster' }).click();
  await page.getByRole('button', { name: 'Overskredet eller forfalder inden 30 dage' }).click();
  await expect(page.getByTestId('records-count')).toHaveText(`${due - 1} registreringer`);
  // Closed, it leaves the dashboard.
  await page.getByRole('link', { name: 'Overblik' }).click();
  await expect(followUps).toBeVisible();
  await expect(followUps.getByRole('link', { name: title, exact: true })).toHaveCount(0);

  // A renewed clearance: the person is no longer flagged as expired.
  await page.getByRole('link', { name: 'Personer' }).click();
  const expired = page.getByTestId('person-row').filter({ hasText: 'udløbet' }).first();
  const person = (await expired.locator('td').first().textContent()) ?? '';
  await expired.getByRole('button', { name: 'Redigér' }).click();
  const personForm = page.getByRole('form', { name: 'Redigér person og sikkerhedsgodkendelse' });
  await personForm.getByLabel('Sikkerhedsgodkendelsen udløber').fill('2030-06-30');
  // Whatever the machine's date control shows, the day is also written the Danish way.
  await expect(personForm.getByText('Valgt: 30.6.2030')).toBeVisible();
  await personForm.getByRole('button', { name: 'Gem ændringer' }).click();
  const renewed = page.getByTestId('person-row').filter({ hasText: person });
  await expect(renewed).toContainText('30.6.2030');
  await expect(renewed).not.toContainText('udløbet');

  // The approval policy the guards apply is shown, in Danish.
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByTestId('policy')).toContainText(
    'Hvert krav skal have akkreditørens vurdering før "afventer afgørelse".',
  );
  await expect(page.getByTestId('policy')).toContainText(
    'fra HEMMELIGT kræver en anden akkreditørs underskrift',
  );
});

test('a site corrected to the level it is approved for: the rule warning leaves the system', async ({
  gate,
  vault,
}) => {
  await seedRegisterDemo(vault.folder);
  await unlock(gate, vault.folder);
  const page = gate;
  await openSystem(page, 'Forsvarets Ledelsesnet');
  const panel = page.getByRole('tabpanel');
  await page.getByRole('tab', { name: /Komponenter/ }).click();
  const warning = panel.getByText(/men lokaliteten (.+) er kun godkendt op til/);
  await expect(warning).toHaveCount(1);
  const site = /lokaliteten (.+) er kun/.exec((await warning.textContent()) ?? '')?.[1] ?? '';
  expect(site).not.toBe('');

  await page.getByRole('tab', { name: 'Lokaliteter' }).click();
  await panel
    .getByRole('row')
    .filter({ hasText: site })
    .getByRole('button', { name: 'Redigér' })
    .click();
  const form = page.getByRole('form', { name: 'Redigér lokation' });
  await form.getByLabel('Godkendt op til').selectOption({ label: 'YDERST HEMMELIGT' });
  await form.getByRole('button', { name: 'Gem ændringer' }).click();
  await expect(panel.getByRole('row').filter({ hasText: site })).toContainText('YDERST HEMMELIGT');
  await page.getByRole('tab', { name: /Komponenter/ }).click();
  await expect(panel).not.toContainText('men lokaliteten');
  await expect(page.getByRole('tab', { name: /Komponenter/ })).not.toContainText('⚠');
  // The correction is in the system's history, as a sentence with the old and new level.
  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(panel).toContainText('YDERST HEMMELIGT');

  // History as it was: the site renamed, the entries made under its old name keep that name,
  // today's name only as a hint beside it.
  await page.getByRole('tab', { name: 'Lokaliteter' }).click();
  await panel
    .getByRole('row')
    .filter({ hasText: site })
    .getByRole('button', { name: 'Redigér' })
    .click();
  await form.getByLabel('Navn', { exact: true }).fill('Nyt Navn Kaserne');
  await form.getByRole('button', { name: 'Gem ændringer' }).click();
  await expect(panel.getByRole('row').filter({ hasText: 'Nyt Navn Kaserne' })).toHaveCount(1);
  await page.getByRole('tab', { name: 'Historik' }).click();
  const rows = panel.getByRole('row');
  const renamed = rows.filter({ hasText: `Navn: ${site} → Nyt Navn Kaserne` });
  await expect(renamed).toHaveCount(1);
  await expect(renamed.getByTestId('history-entry')).toHaveText('Nyt Navn Kaserne');
  // The site as it was registered: its old name, and what it is called now.
  const added = rows.filter({ hasText: 'Lokation tilføjet' }).filter({ hasText: site });
  await expect(added.getByTestId('history-entry')).toHaveText(`${site} (nu: Nyt Navn Kaserne)`);
  // A component placed there names the site as it was then, too.
  await expect(
    panel.getByTestId('history-changes').filter({ hasText: `${site} (nu: Nyt Navn Kaserne)` }),
  ).not.toHaveCount(0);
  await expect(panel).not.toContainText('navnet i dag');
  await axeClean(page, 'system history');
});

test('history as it was: a row from before names were kept says the name shown is the current one', async ({
  gate,
  vault,
}) => {
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-1',
    name: 'Sagssystem',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 20,
    minClearance: 'RESTRICTED',
  });
  const siteId = await register.createSite({ name: 'Kastellet', maxLevel: 'RESTRICTED' });
  // An assignment as versions before names were kept wrote it: the row names no site (the
  // site is nameless for the moment the row is written, so the row keeps no name for it).
  await v.writes.write((db) => {
    db.run("UPDATE sites SET name = '' WHERE id = ?", [siteId]);
    appendAudit(
      db,
      v.actor,
      {
        action: 'system.assignSite',
        entityType: 'system',
        entityId: systemId,
        changes: { siteId },
      },
      new Date(),
    );
    db.run("UPDATE sites SET name = 'Kastellet' WHERE id = ?", [siteId]);
    db.run('INSERT INTO system_sites (system_id, site_id) VALUES (?, ?)', [systemId, siteId]);
  });
  // And one written now, under the same name.
  await register.unassignSite(systemId, siteId);
  await register.assignSite(systemId, siteId);
  await v.close();

  await unlock(gate, vault.folder);
  await openSystem(gate, 'Sagssystem');
  await gate.getByRole('tab', { name: 'Historik' }).click();
  const rows = gate.getByRole('tabpanel').getByRole('row');
  const assigned = rows.filter({ hasText: 'Lokation tilknyttet' }).getByTestId('history-changes');
  await expect(assigned).toHaveCount(2);
  // Newest first: the row written now names the site as it was; the old one says the name
  // shown is today's, not the name then.
  await expect(assigned.first()).toHaveText('Lokation: Kastellet');
  await expect(assigned.last()).toHaveText(
    'Lokation: Kastellet (navnet i dag: posten gemte ikke navnet dengang)',
  );
  await expect(
    rows.filter({ hasText: 'Lokation fjernet fra systemet' }).getByTestId('history-changes'),
  ).toHaveText('Lokation: Kastellet');
});

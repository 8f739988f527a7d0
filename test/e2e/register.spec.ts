import { seedRegisterDemo } from './demo';
import { axeClean, expect, test, unlock } from './fixtures';

test('register a system, see validation explained, edit it, filter, and find it again after reload and lock', async ({
  app,
  vault,
}) => {
  await app.getByRole('link', { name: 'Systemer' }).click();
  await expect(app.getByTestId('systems-count')).toHaveText('0 af 0 systemer');
  await app.getByRole('link', { name: 'Nyt system' }).click();
  await app.getByLabel('Reference').fill('ny ref med mellemrum');
  await app.getByLabel('Navn', { exact: true }).fill('Sikkert Kontornet');
  await app.getByRole('button', { name: 'Gem' }).click();
  // The validator's problems, each on its field and in Danish.
  await expect(app.getByRole('alert').filter({ hasText: 'Kun bogstaver, tal' })).toBeVisible();
  await expect(app.getByText('Angiv mindst ét informationsdomæne')).toBeVisible();
  await axeClean(app, 'system form');
  await app.getByLabel('Reference').fill('KON-1');
  await app.getByLabel('NATO', { exact: true }).selectOption('SECRET');
  await app.getByLabel('Sikkerhedsmæssig driftsform').selectOption('dedicated');
  await app.getByLabel('Brugernes mindste sikkerhedsgodkendelse').selectOption('CONFIDENTIAL');
  await app.getByRole('button', { name: 'Gem' }).click();

  await expect(app.getByRole('heading', { name: 'KON-1 Sikkert Kontornet' })).toBeVisible();
  await expect(app.getByTestId('classification-banner-top')).toHaveText(/NATO SECRET/);
  await expect(app.getByTestId('problems')).toContainText('I denne driftsform skal alle brugere');
  await axeClean(app, 'system detail');

  await app.getByRole('button', { name: 'Redigér' }).click();
  await app.getByLabel('Brugernes mindste sikkerhedsgodkendelse').selectOption('SECRET');
  await app.getByLabel('Navn', { exact: true }).fill('Sikkert Kontornet II');
  await app.getByRole('button', { name: 'Gem' }).click();
  await expect(app.getByText('Ingen uoverensstemmelser fundet.')).toBeVisible();
  await app.getByRole('tab', { name: 'Historik' }).click();
  // The history in words: the action as a sentence, the change as old → new, levels by name.
  await expect(app.getByRole('tabpanel')).toContainText('Systemprofil ændret');
  await expect(app.getByRole('tabpanel')).toContainText(
    'Navn: Sikkert Kontornet → Sikkert Kontornet II',
  );
  await expect(app.getByRole('tabpanel')).toContainText('NATO: NATO SECRET');
  await expect(app.getByRole('tabpanel')).not.toContainText('system.update');

  await app.reload();
  await expect(app.getByRole('heading', { name: 'KON-1 Sikkert Kontornet II' })).toBeVisible();
  await app.getByRole('button', { name: 'Lås', exact: true }).click();
  await unlock(app, vault.folder);
  await app.getByRole('link', { name: 'Systemer' }).click();
  await expect(app.getByTestId('system-row')).toHaveCount(1);
  await app.getByLabel('Søg i systemer').fill('ingen-sådan');
  await expect(app.getByTestId('systems-count')).toHaveText('0 af 1 systemer');
});

test('the demo register: filters, the detail tabs with problems in place, and the records due view', async ({
  gate,
  vault,
}) => {
  await seedRegisterDemo(vault.folder);
  await unlock(gate, vault.folder);
  const page = gate;
  await page.getByRole('link', { name: 'Systemer' }).click();
  await expect(page.getByTestId('systems-count')).toHaveText('14 af 14 systemer');
  await expect(page.getByTestId('classification-banner-top')).toHaveText(/YDERST HEMMELIGT/);
  await axeClean(page, 'register');
  await page.getByLabel('Domæne').selectOption('eu');
  await expect(page.getByTestId('systems-count')).toHaveText('5 af 14 systemer');
  await page.getByLabel('Driftsform').selectOption('dedicated');
  await expect(page.getByTestId('systems-count')).toHaveText('2 af 14 systemer');
  await page.getByLabel('Domæne').selectOption('');
  await page.getByLabel('Driftsform').selectOption('');
  await page.getByLabel('Søg i systemer').fill('Havneovervågning');
  await expect(page.getByTestId('system-row')).toHaveCount(1);
  await page.getByTestId('system-row').click();
  const tabs = page.getByRole('tablist');
  await tabs.getByRole('tab', { name: /Komponenter/ }).click();
  await expect(page.getByRole('tabpanel')).toContainText(
    'udfører kryptering, men henviser ikke til et godkendt produkt',
  );
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /Sammenkoblinger/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('tabpanel')).toContainText('Kystradar');
  await expect(page.getByRole('tabpanel')).toContainText('den kræver en grænseenhed');
  await axeClean(page, 'interconnections tab');

  await page.getByRole('link', { name: 'Registreringer' }).click();
  await expect(page.getByTestId('records-count')).toHaveText('32 registreringer');
  await page.getByRole('button', { name: 'Overskredet eller forfalder inden 30 dage' }).click();
  await expect(page.getByTestId('records-count')).not.toHaveText('32 registreringer');
  await expect(page.getByTestId('record-row').first()).toContainText('overskredet');
  const due = Number((await page.getByTestId('records-count').textContent())?.split(' ')[0]);
  expect(due).toBeGreaterThan(0);
  expect(due).toBeLessThan(32);
  await axeClean(page, 'records');
});

test('add a record, import systems from CSV (a bad file is refused row by row), and people with expiring clearances', async ({
  app,
}) => {
  await app.getByRole('link', { name: 'Registreringer' }).click();
  await app.getByRole('button', { name: 'Ny registrering' }).click();
  const form = app.getByRole('form', { name: 'Ny registrering' });
  await form.getByRole('button', { name: 'Registrér' }).click();
  await expect(form.getByRole('alert').first()).toBeVisible();
  await form.getByLabel('Titel').fill('Notifikation af nyt NATO-system');
  await form.getByLabel('Modpartens myndighed').fill('NATO Office of Security');
  await form.getByLabel('Type', { exact: true }).selectOption('notification_nos');
  await form.getByLabel('Klassifikation', { exact: true }).selectOption('CONFIDENTIAL');
  await form.getByLabel('Klassifikationens domæne').selectOption('nato');
  // A follow-up already past when it is set is refused on its field (a rule of sense).
  const followUp = form.getByLabel('Opfølgning senest');
  await followUp.fill('2020-01-01');
  await form.getByRole('button', { name: 'Registrér' }).click();
  await expect(followUp).toHaveAttribute('aria-invalid', 'true');
  await expect(
    form.getByRole('alert').filter({ hasText: 'Fristen er allerede overskredet' }),
  ).toBeVisible();
  await expect(app.getByTestId('record-row')).toHaveCount(0);
  await followUp.fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole('button', { name: 'Registrér' }).click();
  await expect(app.getByTestId('record-row')).toHaveCount(1);
  await expect(app.getByTestId('record-row')).not.toContainText('overskredet');
  // attach a 3 MB file: chunked upload into the vault's blob store
  await app.getByTestId('attach-input').setInputFiles({
    name: 'svar.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(3 * 1024 * 1024, 7),
  });
  await expect(app.getByTestId('attachment-count')).toHaveText('1');
  await expect(app.getByTestId('classification-banner-top')).toHaveText(/NATO CONFIDENTIAL/);

  await app.getByRole('link', { name: 'Systemer' }).click();
  await app.getByTestId('csv-import-systems').setInputFiles({
    name: 'systems.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'ref,name,phase,mode,national\nA-1,Alpha,test,dedicated,HEM\nB-2,,test,dedicated,SUPER\n',
    ),
  });
  await expect(app.getByTestId('csv-report')).toContainText(
    'Intet blev importeret: der blev fundet 2 problemer',
  );
  // Each problem in Danish, as the core's checks mean it (the core's English never shows).
  await expect(app.getByTestId('csv-report')).toContainText(
    'SUPER er ikke et niveau i klassifikationsskemaet.',
  );
  await expect(app.getByTestId('csv-report')).toContainText('Udfyld feltet.');
  await expect(app.getByTestId('csv-report')).not.toContainText('unknown level');
  await expect(app.getByTestId('systems-count')).toHaveText('0 af 0 systemer');
  await app.getByTestId('csv-import-systems').setInputFiles({
    name: 'systems.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      '# HEMMELIGT\nref,name,phase,mode,national\nA-1,Alpha,test,dedicated,HEM\nB-2,Beta,test,dedicated,FTR\n',
    ),
  });
  await expect(app.getByTestId('csv-report')).toHaveText('2 rækker importeret.');
  await expect(app.getByTestId('systems-count')).toHaveText('2 af 2 systemer');
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Eksportér CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^systems-\d{4}-\d{2}-\d{2}\.csv$/);

  await app.getByRole('link', { name: 'Personer' }).click();
  await app.getByTestId('csv-import-people').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'name,clearanceLevel,clearanceDomain,issuingBody,expiresOn\nGammel,HEM,national,PET,2020-01-01\nNy,HEM,national,PET,2099-01-01\n',
    ),
  });
  await expect(app.getByTestId('person-row')).toHaveCount(2);
  await expect(app.getByTestId('person-row').filter({ hasText: 'Gammel' })).toContainText(
    'udløbet',
  );
  await app.getByLabel('Kun udløbne eller udløber inden 90 dage').check();
  await expect(app.getByTestId('person-row')).toHaveCount(1);
  await axeClean(app, 'people');
});

test('build a register from nothing in the UI: organisation, product, system, site, component, interconnection', async ({
  app,
}) => {
  await app.getByRole('link', { name: 'Indstillinger' }).click();
  const org = app.getByRole('form', { name: 'Tilføj en organisation' });
  await org.getByLabel('Navn').fill('Ministeriet for Test');
  await org.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByText('Ministeriet for Test (Systemejer)')).toBeVisible();
  const product = app.getByRole('form', { name: 'Tilføj et godkendt produkt' });
  await product.getByLabel('Navn').fill('Diode X');
  await product.getByLabel('Art').selectOption('boundary_device');
  await product.getByLabel('Godkendende myndighed').fill('CAA');
  await product.getByLabel('Godkendelsesreference').fill('B-1');
  await product.getByLabel('Godkendt op til').selectOption('CONFIDENTIAL');
  await product.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByText(/Diode X — Grænseenhed, B-1/)).toBeVisible();
  await app.getByTestId('scheme-import').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"id":"x","levels":[]}'),
  });
  await expect(app.getByTestId('scheme-message')).toContainText('levels');
  await expect(app.getByTestId('scheme-table')).toContainText('COSMIC TOP SECRET');
  await axeClean(app, 'settings');

  await app.getByRole('link', { name: 'Systemer' }).click();
  await app.getByRole('link', { name: 'Nyt system' }).click();
  await app.getByLabel('Reference').fill('T-1');
  await app.getByLabel('Navn', { exact: true }).fill('Testnet');
  await app.getByLabel('Systemejer').selectOption({ label: 'Ministeriet for Test' });
  await app.getByLabel('Nationalt', { exact: true }).selectOption('SECRET');
  await app.getByLabel('Brugernes mindste sikkerhedsgodkendelse').selectOption('SECRET');
  await app.getByRole('button', { name: 'Gem' }).click();
  await expect(app.getByRole('heading', { name: 'T-1 Testnet' })).toBeVisible();

  await app.getByRole('tab', { name: /Lokaliteter/ }).click();
  const site = app.getByRole('form', { name: 'Tilføj en lokalitet' });
  await site.getByLabel('Navn').fill('Kontoret');
  await site.getByLabel('Godkendt op til').selectOption('RESTRICTED');
  await site.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByRole('tabpanel').getByRole('table')).toContainText('Kontoret');

  await app.getByRole('tab', { name: /Komponenter/ }).click();
  const component = app.getByRole('form', { name: 'Tilføj en komponent' });
  await component.getByLabel('Produkt', { exact: true }).fill('Arbejdsstation');
  await component.getByLabel('Lokalitet').selectOption({ label: 'Kontoret' });
  await component.getByLabel('Niveau', { exact: true }).selectOption('SECRET');
  await component.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByRole('tabpanel').getByTestId('problems')).toContainText(
    'lokaliteten Kontoret er kun godkendt op til',
  );
  await expect(app.getByRole('tab', { name: /Komponenter ⚠/ })).toBeVisible();

  await app.getByRole('tab', { name: /Sammenkoblinger/ }).click();
  const link = app.getByRole('form', { name: 'Tilføj en sammenkobling' });
  await link.getByLabel('Eller et eksternt system').fill('Internet-gateway');
  await link.getByLabel('Niveau på denne side').selectOption('SECRET');
  await link.getByLabel('Niveau på den anden side').selectOption('RESTRICTED');
  await link.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByRole('tabpanel').getByTestId('problems')).toContainText(
    'den kræver en grænseenhed',
  );
  await axeClean(app, 'interconnection form');

  await app.getByRole('link', { name: 'Personer' }).click();
  const person = app.getByRole('form', { name: 'Tilføj en person' });
  await person.getByLabel('Navn').fill('Karl Lav');
  await person.getByLabel('Sikkerhedsgodkendelsens niveau').selectOption('CONFIDENTIAL');
  await person.getByLabel('Udstedt af').fill('PET');
  await person.getByLabel('Sikkerhedsgodkendelsen udløber').fill('2099-01-01');
  await person.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByTestId('person-row')).toHaveCount(1);
  await app.getByRole('link', { name: 'Systemer' }).click();
  await app.getByTestId('system-row').click();
  await app.getByRole('tab', { name: /Personer/ }).click();
  const assign = app.getByRole('form', { name: 'Knyt en person til systemet' });
  await assign.getByLabel('Person', { exact: true }).selectOption({ label: 'Karl Lav' });
  await assign.getByLabel('Rolle').fill('Systemadministrator');
  await assign.getByRole('button', { name: 'Tilføj' }).click();
  await expect(app.getByRole('tabpanel').getByTestId('problems')).toContainText(
    'Karl Lav er godkendt under systemets minimum',
  );
});

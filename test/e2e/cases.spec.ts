import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../electron/services';
import { BASELINE_FILE } from '../../electron/areas/catalogues/use-cases';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test, unlock } from './fixtures';

test('walk a case from draft to decision pending in the UI', async ({ gate, vault }) => {
  // A system and a case whose checklist is answered but for its first two requirements.
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-1',
    name: 'Sagssystem',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 20,
    minClearance: 'RESTRICTED',
  });
  const caseId = await cases.createCase({ systemId, type: 'initial' });
  const items = cases.getCase(caseId).items;
  for (const item of items.slice(2)) {
    await cases.updateItem(caseId, item.requirementId, {
      status: 'compliant',
      statement: 'In place.',
    });
  }
  await v.close();
  await unlock(gate, vault.folder);
  const page = gate;

  await page.getByRole('link', { name: 'Sager' }).click();
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await axeClean(page, 'cases list');
  await page.getByTestId('case-row').getByRole('link').click();
  await expect(page.getByTestId('case-state')).toHaveText('Kladde');
  await expect(page.getByTestId('classification-banner-top')).toHaveText(/TIL TJENESTEBRUG/);
  await expect(page.getByTestId('case-missing')).toHaveText('Mangler, før sagen kan gå videre: 2');
  await expect(page.getByTestId('move-submitted')).toBeDisabled();
  await expect(page.getByText('Dossieret er ufuldstændigt: der mangler 2 punkter.')).toBeVisible();
  await axeClean(page, 'case detail');

  // keyboard: focus the first requirement, set "compliant" with 2, write the statement, J to the next
  const first = page.getByTestId('checklist-item').first();
  await first.focus();
  await page.keyboard.press('2');
  await expect(first.getByLabel('Status')).toHaveValue('compliant');
  await first.getByLabel('Ejerens redegørelse').fill('Alle brugere er godkendt.');
  await first.getByLabel('Ejerens redegørelse').blur();
  await first.focus();
  await page.keyboard.press('j');
  const second = page.getByTestId('checklist-item').nth(1);
  await expect(second).toBeFocused();
  await page.keyboard.press('2');
  await second.getByLabel('Ejerens redegørelse').fill('Udløb følges månedligt.');
  await second.getByLabel('Ejerens redegørelse').blur();
  await expect(page.getByTestId('case-missing')).toHaveText('Dossieret er komplet.');

  await page.getByRole('tab', { name: 'Dokumentation' }).click();
  await page.getByLabel('Titel').fill('SSRS Sagssystem');
  await page.getByTestId('evidence-file').setInputFiles({
    name: 'ssrs.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(2_500_000, 1),
  });
  await page.getByRole('button', { name: 'Overfør' }).click();
  await expect(page.getByTestId('evidence-table')).toContainText('SSRS Sagssystem');
  await expect(page.getByTestId('evidence-table')).toContainText(/[0-9a-f]{64}/);
  await page.getByTestId('evidence-table').getByLabel('Gennemgang').selectOption('accepted');
  await expect(page.getByTestId('evidence-table').getByLabel('Gennemgang')).toHaveValue('accepted');

  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Dossier indsendt');
  await page.getByTestId('move-submitted').click();
  await expect(page.getByTestId('case-state')).toHaveText('Indsendt');
  for (const [to, label] of [
    ['intake', 'Modtagelse'],
    ['under_review', 'Under vurdering'],
  ] as const) {
    await page.getByLabel('Begrundelse (registreres med skridtet)').fill(`Videre til ${label}`);
    await page.getByTestId(`move-${to}`).click();
    await expect(page.getByTestId('case-state')).toHaveText(label);
  }
  await expect(page.getByTestId('move-awaiting_remediation')).toBeDisabled();

  // Under review the checklist is the authority's view: answers read-only, verdicts to give.
  await page.getByRole('tab', { name: 'Tjekliste' }).click();
  await expect(page.getByTestId('checklist-view')).toContainText('Myndighedens visning');
  await expect(page.getByTestId('answer').first()).toContainText('Alle brugere er godkendt.');
  const reviewed = page.getByTestId('checklist-item').first();
  await reviewed.getByLabel('Godkenderens vurdering').selectOption('agreed');
  await expect(reviewed.getByLabel('Godkenderens vurdering')).toHaveValue('agreed');

  await page.getByRole('tab', { name: 'Fund' }).click();
  const finding = page.getByRole('form', { name: 'Tilføj et fund' });
  await finding.getByLabel('Titel').fill('Logning gennemgås ikke');
  await finding.getByLabel('Ansvarlig').fill('Systemejer');
  await finding.getByRole('button', { name: 'Tilføj' }).click();
  await expect(page.getByTestId('finding')).toHaveCount(1);
  await axeClean(page, 'findings');

  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Fund udsendt');
  await page.getByTestId('move-awaiting_remediation').click();
  await expect(page.getByTestId('case-state')).toHaveText('Afventer udbedring');
  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Udbedring modtaget');
  await page.getByTestId('move-under_review').click();
  // The approval policy: every requirement has the accreditor's verdict before the decision.
  await expect(page.getByTestId('move-decision_pending')).toBeDisabled();
  await expect(page.getByTestId('blockers')).toContainText('ingen vurdering fra akkreditøren');
  await page.getByRole('tab', { name: 'Tjekliste' }).click();
  await page.getByText('Det, der holder sagen tilbage (62)').click();
  await page.getByTestId('blocker').first().getByRole('button').click();
  await expect(page.getByTestId('checklist-item').nth(1)).toBeFocused();
  await page.getByLabel('Vælg alle viste').check();
  await page.getByLabel('Vurdering for de valgte').selectOption('agreed');
  await page.getByTestId('bulk-toolbar').getByRole('button').click();
  await expect(page.getByTestId('blockers')).toHaveText('Intet holder sagen tilbage.');
  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Indstilling skrevet');
  await page.getByTestId('move-decision_pending').click();
  await expect(page.getByTestId('case-state')).toHaveText('Afventer afgørelse');
  await expect(page.getByTestId('move-decided')).toBeDisabled();
  await expect(page.getByText('Der er endnu ikke truffet en afgørelse.')).toBeVisible();

  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(page.getByRole('tabpanel').getByRole('row')).toHaveCount(7);
  await expect(page.getByRole('tabpanel')).toContainText('Dossier indsendt');
});

test('evidence: a large upload followed in per cent with the time left and cancelled, then a file linked to requirements and marked', async ({
  gate,
  vault,
  dataFolder,
}) => {
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-1',
    name: 'Sagssystem',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 20,
    minClearance: 'RESTRICTED',
  });
  const caseId = await cases.createCase({ systemId, type: 'initial' });
  const [firstReq, secondReq] = cases.getCase(caseId).items.map((i) => i.requirementId);
  await v.close();
  await unlock(gate, vault.folder);
  const page = gate;
  await page.getByRole('link', { name: 'Sager' }).click();
  await page.getByTestId('case-row').getByRole('link').click();
  await page.getByRole('tab', { name: 'Dokumentation' }).click();

  // A large upload: followed in per cent with the time left, and cancelled, leaving nothing.
  const big = join(dataFolder, 'stor-ssrs.pdf');
  writeFileSync(big, Buffer.alloc(24 * 1024 * 1024, 7));
  // Each chunk a little slower than this machine would send it, so there is time to cancel.
  await page.route(/uploads(:|%3A)chunk/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.continue();
  });
  await page.getByTestId('evidence-file').setInputFiles(big);
  await page.getByRole('button', { name: 'Overfør' }).click();
  await expect(page.getByTestId('upload-status')).toHaveText(
    /^\d+ % sendt · ca\. \d+ (sekund|sekunder|minut|minutter) tilbage$/,
  );
  await expect(page.getByRole('progressbar', { name: 'Overfører stor-ssrs.pdf' })).toBeVisible();
  await page.screenshot({ path: 'test-results/evidence-upload.png' });
  await page.getByRole('button', { name: 'Afbryd overførslen' }).click();
  await expect(
    page.getByText('Overførslen af stor-ssrs.pdf blev afbrudt; intet af den blev gemt.'),
  ).toBeVisible();
  await expect(page.getByTestId('upload-meter')).toHaveCount(0);
  await expect(page.getByTestId('evidence-table')).toContainText('Ingen dokumentation endnu');
  const blobs = join(vault.folder, 'blobs');
  expect(existsSync(blobs) ? readdirSync(blobs) : []).toEqual([]);
  await page.unroute(/uploads(:|%3A)chunk/);

  // The evidence linked to requirements of the case, chosen from its checklist, and marked.
  await page.getByLabel('Titel').fill('SSRS Sagssystem');
  const requirements = page.getByTestId('evidence-requirements');
  await requirements.getByRole('checkbox', { name: new RegExp(`^${firstReq} `) }).check();
  await requirements.getByRole('checkbox', { name: new RegExp(`^${secondReq} `) }).check();
  await expect(page.getByLabel('Mærkning: niveau')).toBeDisabled();
  await page.getByLabel('Mærkning: domæne').selectOption('national');
  await page.getByLabel('Mærkning: niveau').selectOption({ label: 'TIL TJENESTEBRUG' });
  await page.getByTestId('evidence-file').setInputFiles({
    name: 'ssrs.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(100_000, 1),
  });
  // The chosen file is named in the app's language, never the browser's "Choose File".
  await expect(page.getByTestId('evidence-file-chosen')).toHaveText('ssrs.pdf');
  await expect(page.getByLabel('Fil', { exact: true })).toHaveCount(1);
  await page.getByRole('button', { name: 'Overfør' }).click();
  await expect(page.getByTestId('evidence-table')).toContainText('SSRS Sagssystem');
  await expect(page.getByTestId('evidence-marking')).toHaveText('Mærket TIL TJENESTEBRUG');
  await expect(page.getByTestId('evidence-links')).toHaveText(
    `Dokumenterer: ${firstReq}, ${secondReq}`,
  );
  // The form is empty again: nothing chosen for the next file.
  await expect(requirements.getByRole('checkbox', { checked: true })).toHaveCount(0);
  await expect(page.getByLabel('Mærkning: domæne')).toHaveValue('');
  await expect(page.getByTestId('evidence-file')).toHaveValue('');
  await expect(page.getByTestId('evidence-file-chosen')).toHaveText('Ingen fil valgt');
  await expect(page.getByRole('button', { name: 'Overfør' })).toBeDisabled();
  expect(readdirSync(blobs)).toHaveLength(1);
  await axeClean(page, 'evidence form');
  await page.screenshot({ path: 'test-results/evidence-linked.png', fullPage: true });
});

test('import a catalogue version: a broken file is refused with its paths, a new version shows what changed', async ({
  app,
}) => {
  const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as {
    version: string;
    requirements: { id: string; text: string }[];
  };
  await app.getByRole('link', { name: 'Indstillinger' }).click();
  await app.getByTestId('catalogue-import').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        ...baseline,
        requirements: [{ ...baseline.requirements[0], severity: 'fatal' }],
      }),
    ),
  });
  await expect(app.getByTestId('catalogue-message')).toContainText(
    'Kataloget blev ikke importeret',
  );
  await expect(app.getByTestId('catalogue-message')).toContainText('requirements.0.severity');
  await app.getByTestId('catalogue-import').setInputFiles({
    name: 'baseline.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(baseline)),
  });
  await expect(app.getByTestId('catalogue-message')).toContainText(
    'Dette er katalogets første version.',
  );
  const next = {
    ...baseline,
    version: '2026.2',
    requirements: baseline.requirements
      .filter((r) => r.id !== 'APP-02')
      .map((r) => (r.id === 'PER-01' ? { ...r, text: `${r.text} Revised.` } : r)),
  };
  await app.getByTestId('catalogue-import').setInputFiles({
    name: 'next.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(next)),
  });
  await expect(app.getByTestId('catalogue-message')).toContainText(
    '0 tilføjet, 1 fjernet, 1 ændret',
  );
  await expect(app.getByTestId('catalogue-message')).toContainText('− APP-02');
  await expect(app.getByTestId('catalogue-message')).toContainText('~ PER-01: text');
});

test("the system owner sees the owner's view: answers to prepare, no verdicts to give", async ({
  gate,
  dataFolder,
}) => {
  const folder = `${dataFolder}/owner-vault`;
  const { vault: v } = await Vault.create(
    folder,
    PASSPHRASE,
    { name: 'Olga Owner', organisation: 'Styrelsen', role: 'system_owner' },
    TEST_CONFIG,
  );
  const { register, cases } = createServices(() => v);
  const systemId = await register.createSystem({
    ref: 'TTJ-3',
    name: 'Ejers system',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
  const caseId = await cases.createCase({ systemId, type: 'initial' });
  await v.close();
  await unlock(gate, folder);
  await expect(gate.getByRole('heading', { level: 1 })).toHaveText('Overblik');
  // The owner's menus fit the owner: no authority records register.
  await expect(gate.getByRole('navigation').getByRole('link', { name: 'Sager' })).toBeVisible();
  await expect(
    gate.getByRole('navigation').getByRole('link', { name: 'Registreringer' }),
  ).toHaveCount(0);
  await gate.goto(`${gate.url().split('#')[0]}#/cases/${caseId}`);
  await expect(gate.getByTestId('checklist-view')).toContainText('Ejerens visning');
  const item = gate.getByTestId('checklist-item').first();
  await expect(item.getByLabel('Status')).toBeVisible();
  await expect(item.getByLabel('Godkenderens vurdering')).toHaveCount(0);
  await item.getByLabel('Status').selectOption('compliant');
  await expect(gate.getByLabel('Selvevaluering')).toContainText('Opfyldt: 1');
  await axeClean(gate, 'owner checklist');
});

import { join } from 'node:path';
import { createServices } from '../../electron/services';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { Vault } from '../../electron/vault/vault';
import { answerAll } from '../helpers/parties';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test, unlock } from './fixtures';

test('receive a submission package: verified and previewed first, then imported', async ({
  gate,
  vault,
  dataFolder,
}) => {
  // The owner's vault prepares and signs a submission for this (the authority's) vault.
  const { vault: ownerVault } = await Vault.create(
    join(dataFolder, 'owner'),
    PASSPHRASE,
    { name: 'Olga Owner', organisation: 'Styrelsen', role: 'system_owner' },
    TEST_CONFIG,
  );
  const owner = createServices(() => ownerVault);
  const ownerIdentity = await owner.signing.createSelfSigned({
    label: 'Olga',
    commonName: 'Olga Owner',
    organisation: 'Styrelsen',
  });
  const systemId = await owner.register.createSystem({
    ref: 'STY-1',
    name: 'Styrelsens net',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 12,
    minClearance: 'RESTRICTED',
  });
  const caseId = await owner.cases.createCase({ systemId, type: 'initial' });
  await answerAll(owner, caseId, () => 'compliant', 'På plads.');
  await owner.cases.transition(caseId, 'submitted', 'Klar');

  // The certificates are exchanged out of band: the authority's vault gets an encryption key
  // and trusts the owner's certificate as a system owner's; the owner trusts the authority's.
  const authorityVault = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const authority = createServices(() => authorityVault);
  const authorityIdentity = await authority.signing.createSelfSigned({
    label: 'Anne',
    commonName: 'Anne Accreditor',
    organisation: 'Myndigheden',
  });
  await authority.signing.createSelfSigned({
    label: 'Anne (kryptering)',
    commonName: 'Anne Accreditor kryptering',
    organisation: 'Myndigheden',
    usage: 'encryption',
  });
  const ownerPem = owner.signing.exchangeCertificates(ownerIdentity);
  await authority.signing.trust(ownerPem, 'owner', fingerprintsOf(ownerPem));
  const authorityPem = authority.signing.exchangeCertificates(authorityIdentity);
  await owner.signing.trust(authorityPem, 'authority', fingerprintsOf(authorityPem));
  await authorityVault.close();
  const { file: packageFile } = await owner.exchange.exportPackage(
    'submission',
    caseId,
    dataFolder,
    { identityId: ownerIdentity },
  );
  await ownerVault.close();

  const page = gate;
  await unlock(page, vault.folder);
  await page.getByRole('navigation').getByRole('link', { name: 'Udveksling' }).click();
  const receive = page.getByRole('form', { name: 'Modtag en pakke' });
  await receive.getByLabel('Pakkefil').fill(packageFile);
  await receive.getByRole('button', { name: 'Verificér og vis' }).click();
  const preview = page.getByTestId('package-preview');
  await expect(preview).toContainText(
    'Verificeret indsendelse for STYR-CASE-2026-0001 fra Olga Owner',
  );
  await expect(preview).toContainText('system STY-1: tilføjes');
  await expect(preview).toContainText('63 svar i tjeklisten');
  await expect(page.getByTestId('package-facts')).toContainText(
    'Pakke 1 i sagen · mærkning TIL TJENESTEBRUG · signeret af CN=Olga Owner',
  );
  await axeClean(page, 'package preview');
  // Nothing has changed yet.
  await page.getByRole('link', { name: 'Sager' }).click();
  await expect(page.getByTestId('case-row')).toHaveCount(0);

  await page.getByRole('navigation').getByRole('link', { name: 'Udveksling' }).click();
  await page
    .getByRole('form', { name: 'Modtag en pakke' })
    .getByLabel('Pakkefil')
    .fill(packageFile);
  await page.getByRole('button', { name: 'Verificér og vis' }).click();
  await page.getByTestId('package-preview').getByRole('button', { name: 'Importér' }).click();
  await expect(page.getByText('Importeret i sag STYR-CASE-2026-0001.')).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Modtaget · indsendelse');
  await page.screenshot({ path: 'test-results/exchange.png', fullPage: true });
  // The imported case is a link to it, in the result and in the log.
  await expect(page.getByTestId('log-case')).toHaveText('STYR-CASE-2026-0001');
  await page.getByTestId('imported-case').click();
  await expect(page.getByTestId('case-state')).toHaveText('Indsendt');
  await expect(page.getByRole('heading', { name: /STYR-CASE-2026-0001/ })).toBeVisible();
  // A case that came from its owner is one a decision package answers: no such reason shown.
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  await expect(page.getByTestId('package-why')).not.toContainText('ingen at svare');
  await page.goBack();
  await page.getByTestId('log-case').click();
  await expect(page.getByTestId('case-state')).toHaveText('Indsendt');
  await page.getByRole('navigation').getByRole('link', { name: 'Udveksling' }).click();

  // The same package again: refused, and the refusal says why, in the user's language.
  await page
    .getByRole('form', { name: 'Modtag en pakke' })
    .getByLabel('Pakkefil')
    .fill(packageFile);
  await page.getByRole('button', { name: 'Verificér og vis' }).click();
  // Said on the package field, where the user acts.
  await expect(
    page.getByRole('form', { name: 'Modtag en pakke' }).getByRole('alert'),
  ).toContainText(
    'Pakken blev afvist, og boksen blev ikke ændret; årsagen vises ved den. Årsag: den er importeret før.',
  );
  await expect(page.getByTestId('package-preview')).toHaveCount(0);

  await page.getByRole('link', { name: 'Sager' }).click();
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await expect(page.getByTestId('case-row')).toContainText('Indsendt');
});

test('keys for the exchange: a separate encryption key, and a trusted certificate given its role', async ({
  gate,
  vault,
}) => {
  const page = gate;
  await unlock(page, vault.folder);
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  const signing = page.getByTestId('signing');
  const create = signing.getByRole('form', { name: 'Opret selvsigneret identitet' });
  await create.getByLabel('Navn i certifikatet').fill('Anne Akkreditør');
  await create.getByLabel('Organisation').fill('Myndigheden');
  await create.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(1);
  await create.getByLabel('Brug').selectOption('encryption');
  await create.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(2);
  await expect(signing.getByTestId('identity').nth(1)).toContainText(
    'Kryptering (modtager pakker)',
  );
  // Only the signing certificate verifies this vault's own letters; the encryption key is not
  // trusted for anything, and cannot sign.
  await expect(signing.getByTestId('trusted')).toHaveCount(1);
  const trusted = signing.getByTestId('trusted');
  await expect(trusted).toContainText('signerer');
  await expect(trusted.getByLabel('Betroet til at')).toHaveValue('documents');
  await trusted.getByLabel('Betroet til at').selectOption('authority');
  // Kept: read again from the vault after a reload of the window.
  await page.reload();
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  await expect(
    page.getByTestId('signing').getByTestId('trusted').getByLabel('Betroet til at'),
  ).toHaveValue('authority');
  await axeClean(page, 'signing and trust');
  await page.getByTestId('signing').screenshot({ path: 'test-results/signing-keys.png' });
});

test('a submission package says which step it needs: offered disabled in Draft, with the reason, until the case is submitted', async ({
  gate,
  dataFolder,
}) => {
  const folder = join(dataFolder, 'owner');
  const { vault: ownerVault } = await Vault.create(
    folder,
    PASSPHRASE,
    { name: 'Olga Owner', organisation: 'Styrelsen', role: 'system_owner' },
    TEST_CONFIG,
  );
  const owner = createServices(() => ownerVault);
  const systemId = await owner.register.createSystem({
    ref: 'STY-1',
    name: 'Styrelsens net',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 12,
    minClearance: 'RESTRICTED',
  });
  const caseId = await owner.cases.createCase({ systemId, type: 'initial' });
  await answerAll(owner, caseId, () => 'compliant', 'På plads.');
  await ownerVault.close();

  const page = gate;
  await unlock(page, folder);
  await page.getByRole('link', { name: 'Sager' }).click();
  await page.getByTestId('case-row').getByRole('link').click();
  await expect(page.getByTestId('case-state')).toHaveText('Kladde');
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  const write = page.getByRole('button', { name: 'Skriv indsendelsespakke' });
  // Even with a folder chosen, the step is what is missing, and the reason says which.
  await page.getByLabel('Mappe at skrive til').fill(dataFolder);
  await expect(write).toBeDisabled();
  await expect(page.getByTestId('package-why')).toHaveText(
    'En indsendelsespakke sendes, når sagen er "Indsendt" eller "Afventer udbedring". Sagen er nu "Kladde": indsend den til vurdering først.',
  );
  await expect(write).toHaveAccessibleDescription(/Sagen er nu "Kladde"/);
  await axeClean(page, 'package in draft');

  // Submitted: the step is reached, and what is missing now is something else (no identity).
  await page.getByRole('tab', { name: 'Tjekliste' }).click();
  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Klar');
  await page.getByTestId('move-submitted').click();
  await expect(page.getByTestId('case-state')).toHaveText('Indsendt');
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  await expect(page.getByTestId('package-why')).not.toContainText('Kladde');
  await expect(page.getByTestId('package-why')).not.toContainText('indsend den');
  await expect(write).toBeDisabled();
});

test('a decision package is offered only for a case that came from its owner; for one made here it says why', async ({
  gate,
  vault,
}) => {
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const authority = createServices(() => v);
  const systemId = await authority.register.createSystem({
    ref: 'EGN-1',
    name: 'Eget system',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 3,
    minClearance: 'RESTRICTED',
  });
  await authority.cases.createCase({ systemId, type: 'initial' });
  await v.close();

  const page = gate;
  await unlock(page, vault.folder);
  await page.getByRole('link', { name: 'Sager' }).click();
  await page.getByTestId('case-row').getByRole('link').click();
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  await page.getByLabel('Mappe at skrive til').fill(vault.folder);
  const write = page.getByRole('button', { name: 'Skriv afgørelsespakke' });
  await expect(write).toBeDisabled();
  await expect(page.getByTestId('package-why')).toHaveText(
    'En afgørelsespakke besvarer en sag, der kom fra systemejeren i en pakke; denne sag er oprettet her, så der er ingen at svare.',
  );
  await expect(write).toHaveAccessibleDescription(/ingen at svare/);
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../electron/services';
import { today } from '../../electron/services/clock';
import { verifyCms } from '../../electron/signing/cms';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';
import {
  appendUpdate,
  contentStreamOf,
  letter as plainLetter,
  SLOTS,
  stream,
} from '../helpers/pdf';
import { issue } from '../helpers/pki';
import { issuedAccreditor } from '../helpers/accreditor';
import { withoutLastRevision } from '../helpers/forge';
import { Vault } from '../../electron/vault/vault';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { addMonths } from '../../shared/risk';
import type { Locator } from '@playwright/test';
import { axeClean, expect, test, unlock } from './fixtures';

test('two accreditors sign a four-eyes decision; the letter verifies, tampered and forged copies are refused', async ({
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
    if (to === 'decision_pending') {
      const ids = cases.getCase(caseId).items.map((i) => i.requirementId);
      await cases.updateItems(caseId, ids, { verdict: 'agreed' });
    }
    await cases.transition(caseId, to, `to ${to}`);
  }
  // Two accreditors' certificates as the authority's CA issued them (four eyes takes no
  // self-signed signer), the CA trusted as the authority with its CRL.
  const cato = await issuedAccreditor(
    createServices(() => v),
    {
      commonName: 'Cato Akkreditør',
      organisation: 'Myndigheden',
      label: 'Cato (myndighedens CA)',
    },
  );
  await issuedAccreditor(
    createServices(() => v),
    {
      commonName: 'Dora Medunderskriver',
      organisation: 'Myndigheden',
      label: 'Dora (myndighedens CA)',
      ca: cato.ca,
    },
  );
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);

  // Settings: a self-signed identity, which the vault then trusts.
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  const signing = page.getByTestId('signing');
  await signing.getByLabel('Navn i certifikatet').fill('Anne Akkreditør');
  await signing.getByLabel('Organisation').fill('Myndigheden');
  await signing.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(3);
  await expect(signing.getByTestId('identity').nth(2)).toContainText('Gyldig til');
  await expect(signing.getByTestId('trusted')).toHaveCount(2);
  // The second accreditor's own identity, with an EC key.
  await signing.getByLabel('Navn i certifikatet').fill('Bo Ærø – Łukasz');
  await signing.getByLabel('Nøgle').selectOption('ec-p256');
  await signing.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(4);
  await expect(signing.getByTestId('identity').nth(3)).toContainText('EC P-256');
  // An encryption identity, for packages only: never offered to sign a decision (below).
  await signing.getByLabel('Navn i certifikatet').fill('Pakkenøgle');
  await signing
    .getByRole('form', { name: 'Opret selvsigneret identitet' })
    .getByLabel('Brug')
    .selectOption('encryption');
  await signing.getByRole('button', { name: 'Opret selvsigneret identitet' }).click();
  await expect(signing.getByTestId('identity')).toHaveCount(5);
  // Bo's self-signed certificate is raised to the authority (not enough for four eyes: below).
  const bo = signing.getByTestId('trusted').filter({ hasText: 'Bo Ærø' });
  await bo.getByLabel('Betroet til at').selectOption('authority');
  await expect(bo.getByLabel('Betroet til at')).toHaveValue('authority');
  await axeClean(page, 'settings');

  // The case: issue a full approval with a condition, signed.
  await page.goto(`${page.url().split('#')[0]}#/cases/${caseId}`);
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  const form = page.getByRole('form', { name: 'Træf afgørelsen' });
  // Only the four signing identities are offered to sign; the encryption identity is not.
  await expect(form.getByLabel('Signér som').locator('option')).toHaveCount(4);
  await expect(form.getByLabel('Signér som')).not.toContainText('Pakkenøgle');
  await form.getByLabel('Signér som').selectOption(await optionOf(form, 'Anne Akkreditør'));
  await form.getByLabel('Begrundelse').fill('Kravene er opfyldt.');
  // A validity that ends before it starts (valid to 1.1.2025, issued today) is refused on its
  // field: the form will not sign it, and the core refuses the draft letter the same way.
  const validTo = form.getByLabel('Gyldig til');
  await validTo.fill('2025-01-01');
  const ends = 'Gyldigheden skal slutte efter den begynder';
  await expect(validTo).toHaveAttribute('aria-invalid', 'true');
  // The problem is the field's own description, read with it.
  const validToError = form.getByRole('alert').filter({ hasText: ends });
  await expect(validToError).toBeVisible();
  expect(await validTo.getAttribute('aria-describedby')).toContain(
    await validToError.getAttribute('id'),
  );
  await expect(form.getByRole('button', { name: 'Træf og signér' })).toBeDisabled();
  await expect(form).toContainText('Ret først de felter, der er markeret ovenfor.');
  await form.getByRole('button', { name: 'Vis brevet først' }).click();
  await expect(form.locator('.form-error')).toHaveText(
    'Ret først de felter, der er markeret ovenfor.',
  );
  await validTo.fill('');
  await expect(validTo).not.toHaveAttribute('aria-invalid', 'true');
  // A condition is a row: what, who, by when, and the requirement it answers (chosen from the
  // case's checklist). A deadline already past is refused on its field.
  await form.getByRole('button', { name: 'Tilføj vilkår' }).click();
  const condition = form.getByTestId('condition-row');
  await expect(condition).toHaveCount(1);
  await condition.getByLabel('Hvad skal gøres').fill('Beredskabsplanen afprøves');
  await condition.getByLabel('Ansvarlig').fill('Systemejer');
  const due = condition.getByLabel('Frist');
  await due.fill('2020-01-01');
  await expect(due).toHaveAttribute('aria-invalid', 'true');
  await expect(condition.getByRole('alert')).toContainText('Fristen er allerede overskredet');
  await expect(form.getByRole('button', { name: 'Træf og signér' })).toBeDisabled();
  await due.fill(addMonths(today(), 3));
  await condition.getByLabel('Kravet, det besvarer').selectOption('PER-01');
  await expect(condition.getByRole('alert')).toHaveCount(0);
  // A second row, removed again.
  await form.getByRole('button', { name: 'Tilføj vilkår' }).click();
  await expect(form.getByTestId('condition-row')).toHaveCount(2);
  await form.getByRole('button', { name: 'Fjern vilkår 2' }).click();
  await expect(form.getByTestId('condition-row')).toHaveCount(1);
  // Read the letter before signing it.
  await form.getByRole('button', { name: 'Vis brevet først' }).click();
  await expect(form.getByTestId('letter-draft').getByTestId('preview-page')).toHaveText(
    'Side 1 af 1',
    { timeout: 30_000 },
  );
  await page.screenshot({ path: 'test-results/decision-draft.png', fullPage: true });
  // Signing asks first, saying what it does.
  await form.getByRole('button', { name: 'Træf og signér' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Dette underskriver');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ja, Træf og signér' }).click();
  // Anne's identity is self-signed: a decision that needs four eyes is not signed with it.
  await expect(form).toContainText('Afgørelsen kræver fire øjne', { timeout: 30_000 });
  await form.screenshot({ path: 'test-results/decision-not-certified.png' });
  // Cato's, certified by the authority's CA, signs.
  await form.getByLabel('Signér som').selectOption(await optionOf(form, 'Cato'));
  await form.getByRole('button', { name: 'Træf og signér' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ja, Træf og signér' }).click();
  const decision = page.getByTestId('case-decision');
  // NATO SECRET: one signature is not enough; the case waits for the second accreditor.
  await expect(decision.getByTestId('decision-status')).toContainText('Afventer medunderskrift', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('case-state')).toHaveText('Afventer afgørelse');
  const countersign = page.getByRole('form', { name: 'Medunderskriv afgørelsen' });
  await countersign.getByLabel('Begrundelse').fill('Gennemgået; enig.');
  // Bo's self-signed identity, though trusted as the authority, names whoever made it: refused.
  await countersign.getByLabel('Signér som').selectOption(await optionOf(countersign, 'Bo Ærø'));
  await countersign.getByRole('button', { name: 'Medunderskriv' }).click();
  await expect(countersign).toContainText('kun betroet som sig selv', { timeout: 30_000 });
  await expect(decision.getByTestId('decision-status')).toContainText('Afventer medunderskrift');
  // It could be withdrawn instead (never in force): with a reason, which is asked first.
  const discard = page.getByRole('form', {
    name: 'Træk afgørelsen, der afventer medunderskrift, tilbage',
  });
  await discard.getByRole('button', { name: 'Træk den tilbage' }).click();
  await expect(discard.getByLabel('Begrundelse')).toHaveAttribute('aria-invalid', 'true');
  await expect(decision.getByTestId('decision-status')).toContainText('Afventer medunderskrift');
  // Dora, certified by the authority's CA, countersigns.
  await countersign.getByLabel('Signér som').selectOption(await optionOf(countersign, 'Dora'));
  await countersign.getByRole('button', { name: 'Medunderskriv' }).click();
  await expect(decision.getByTestId('decision-status')).toContainText('Udstedt: signeret af 2', {
    timeout: 30_000,
  });
  await expect(decision.getByTestId('decision-signature')).toHaveCount(2);
  await expect(decision.getByTestId('verification')).toHaveAttribute('data-valid', 'true');
  await expect(decision.getByTestId('verified-signature')).toHaveCount(2);
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

  // Forgeries: the letter edited in an incremental update, and a letter signed by someone else
  // who attached the authority's (public) certificates to their own signature.
  const edited = join(dataFolder, 'edited.pdf');
  const real = readFileSync(letter);
  writeFileSync(
    edited,
    appendUpdate(real, [{ num: contentStreamOf(real), body: stream('REFUSED') }]),
  );
  const attached = join(dataFolder, 'attached.pdf');
  writeFileSync(attached, await forgeWithAttachedCertificates(real));

  await page.getByRole('navigation').getByRole('link', { name: 'Udveksling' }).click();
  const verdict = page.getByTestId('verification');
  await page.getByTestId('verify-file').setInputFiles(letter);
  await expect(verdict).toHaveAttribute('data-valid', 'true');
  await expect(verdict).toContainText('Gyldig: 2 signaturer');
  // What four eyes was judged by: the decision the letter's signed keywords declare.
  await expect(verdict.getByTestId('verification-declaration')).toHaveAttribute(
    'data-kind',
    'declared',
  );
  await expect(verdict.getByTestId('verification-declaration')).toContainText(
    'som kræver 2 signaturer',
  );
  await page.getByTestId('verify-file').setInputFiles(tampered);
  await expect(verdict).toContainText('Ikke gyldig: filen er ændret efter signeringen.');
  await page.getByTestId('verify-file').setInputFiles(edited);
  await expect(verdict).toContainText(
    'Ikke gyldig: filen er ændret efter signeringen ud over en medunderskrift, som arbejdsbænken skriver den.',
  );
  await expect(verdict.getByTestId('verification-verdict')).toContainText('TOTAL-FAILED');
  // The letter as it stood before its countersignature: each signature valid, a field empty.
  const awaiting = join(dataFolder, 'awaiting.pdf');
  writeFileSync(awaiting, withoutLastRevision(real));
  await page.getByTestId('verify-file').setInputFiles(awaiting);
  await expect(verdict).toHaveAttribute('data-status', 'awaiting_countersignature');
  await expect(verdict).toContainText('Afventer medunderskrift: 1 signatur er gyldig');
  await expect(verdict.getByTestId('unsigned-field')).toContainText('Medunderskrift');
  await page.getByTestId('verify-file').setInputFiles(attached);
  await expect(verdict).toHaveAttribute('data-valid', 'false');
  await expect(verdict).toHaveAttribute('data-status', 'indeterminate');
  await expect(verdict).toContainText('underskriveren fører ikke til et certifikat');
  await axeClean(page, 'exchange');
});

/** The value of the option of `form`'s "Signér som" whose text holds `text`. */
async function optionOf(form: Locator, text: string): Promise<string> {
  const value = await form
    .getByLabel('Signér som')
    .locator('option', { hasText: text })
    .getAttribute('value');
  if (!value) {
    throw new Error(`no identity "${text}" to sign as`);
  }
  return value;
}

/** A letter signed by a stranger's self-signed key, carrying the real signers' certificates. */
async function forgeWithAttachedCertificates(real: Buffer): Promise<Buffer> {
  const file = PdfFile.parse(real);
  const [sig] = file.signatureValues(file.last.number);
  const [, b, c, d] = sig!.byteRange! as [number, number, number, number];
  const { certificates } = verifyCms(sig!.contents!, [
    real.subarray(0, b),
    real.subarray(c, c + d),
  ]);
  const mallory = await issue({ name: 'CN=Anne Akkreditør, O=Myndigheden, C=DK' });
  return signPdf(
    await plainLetter('GODKENDELSE'),
    softwareSigner(mallory.key, [mallory.der, ...certificates]),
    {
      field: 'Signature1',
      slot: SLOTS[0],
      appearance: { title: 'Anne Akkreditør', lines: ['Digitalt signeret'] },
      name: 'Anne Akkreditør',
      reason: 'Godkendelse',
      location: 'Myndigheden',
      signingTime: new Date(),
    },
  );
}

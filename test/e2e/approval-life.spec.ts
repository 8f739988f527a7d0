/**
 * An approval's life after the first decision, in the UI, as an accreditor takes it: suspended
 * and reinstated by signed letters (the dashboard flags the suspension while it lasts), then
 * superseded by a re-accreditation so that exactly one approval is in force, and another system
 * decommissioned and closed once its disposal is verified. The decision form's unsaved text is
 * guarded on the way.
 */
import { createServices, type VaultServices } from '../../electron/services';
import { today } from '../../electron/services/clock';
import { Vault } from '../../electron/vault/vault';
import { addMonths } from '../../shared/risk';
import { toDecisionPending } from '../helpers/parties';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test, unlock } from './fixtures';
import type { Page } from '@playwright/test';

async function newSystem(services: VaultServices, ref: string, name: string): Promise<string> {
  return services.register.createSystem({
    ref,
    name,
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
}

/** A case with an approval in force, signed with `identityId`. */
async function inForce(services: VaultServices, systemId: string, identityId: string) {
  const caseId = await toDecisionPending(services, systemId);
  await services.decisions.issueDecision(caseId, {
    type: 'full_approval',
    identityId,
    reason: 'Kravene er opfyldt.',
    validTo: addMonths(today(), 24),
  });
  await services.cases.transition(caseId, 'in_force', 'Meddelt ejeren');
  return caseId;
}

/** Issues a decision of `type` (its Danish name) from the case's decision tab, and confirms it. */
async function issue(page: Page, type: string, reason: string) {
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  const form = page.getByRole('form', { name: 'Træf afgørelsen' });
  await form.getByLabel('Afgørelse', { exact: true }).selectOption({ label: type });
  await form.getByLabel('Begrundelse').fill(reason);
  await form.getByRole('button', { name: 'Træf og signér' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(type);
  await confirm.getByRole('button', { name: 'Ja, Træf og signér' }).click();
  const decision = page.getByTestId('case-decision');
  await expect(decision.getByTestId('decision-status')).toContainText('Udstedt: signeret af 1', {
    timeout: 30_000,
  });
  await expect(decision.getByTestId('verification')).toHaveAttribute('data-valid', 'true');
}

/** Moves the case to a final state through its confirmation. */
async function moveFinal(page: Page, state: string, reason: string) {
  await page.getByLabel('Begrundelse (registreres med skridtet)').fill(reason);
  await page.getByRole('button', { name: `Til: ${state}` }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `Ja, Til: ${state}` })
    .click();
  await expect(page.getByTestId('case-state')).toHaveText(state);
}

test('suspend and reinstate by signed letters, re-accredit to one approval in force, decommission and close', async ({
  gate,
  vault,
}) => {
  test.setTimeout(120_000);
  const v = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  const services = createServices(() => v);
  const identityId = await services.signing.createSelfSigned({
    label: 'Anne Akkreditør',
    commonName: 'Anne Akkreditør',
    organisation: 'Myndigheden',
  });
  const harbour = await newSystem(services, 'LIV-1', 'Havnenet');
  const first = await inForce(services, harbour, identityId);
  const renewal = await toDecisionPending(services, harbour, 'reaccreditation');
  const archive = await inForce(
    services,
    await newSystem(services, 'LIV-2', 'Arkivnet'),
    identityId,
  );
  await v.close();
  const page = gate;
  await unlock(page, vault.folder);
  await expect(page.getByRole('heading', { name: 'Overblik', level: 1 })).toBeVisible();
  const base = page.url().split('#')[0] ?? '';

  // Suspended by a signed decision; the dashboard flags it while it lasts.
  await page.goto(`${base}#/cases/${first}`);
  await expect(page.getByTestId('case-state')).toHaveText('I kraft');
  // A half-written decision is not lost to a tab switch without asking.
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  await page.getByRole('form', { name: 'Træf afgørelsen' }).getByLabel('Begrundelse').fill('Halvt');
  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(page.getByTestId('unsaved-dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Bliv' }).click();
  await expect(
    page.getByRole('form', { name: 'Træf afgørelsen' }).getByLabel('Begrundelse'),
  ).toHaveValue('Halvt');

  await issue(page, 'Suspension', 'To administratorer har mistet deres sikkerhedsgodkendelse.');
  await expect(page.getByTestId('case-state')).toHaveText('Suspenderet');
  // The form that follows offers what may follow a suspension, and guards what is typed in it.
  const next = page.getByRole('form', { name: 'Træf afgørelsen' });
  await expect(next.getByLabel('Afgørelse', { exact: true })).toHaveValue('reinstatement');
  await expect(next.getByLabel('Begrundelse')).toHaveValue('');
  await next.getByLabel('Begrundelse').fill('Halvt');
  await page.getByRole('link', { name: 'Overblik' }).click();
  await expect(page.getByTestId('unsaved-dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Forlad uden at gemme' }).click();
  const standing = page.getByTestId('standing').filter({ hasText: 'Havnenet' });
  await expect(standing).toContainText('godkendelsen er suspenderet');
  await axeClean(page, 'dashboard with a suspended approval');

  // Reinstated by a signed decision: the flag goes.
  await page.goto(`${base}#/cases/${first}`);
  await issue(page, 'Genoptagelse', 'Sikkerhedsgodkendelserne er fornyet.');
  await expect(page.getByTestId('case-state')).toHaveText('I kraft');
  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('Suspenderet → I kraft');
  await page.getByRole('link', { name: 'Overblik' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('standing').filter({ hasText: 'Havnenet' })).toHaveCount(0);

  // The re-accreditation takes force: it supersedes the first approval; one is in force.
  await page.goto(`${base}#/cases/${renewal}`);
  await issue(page, 'Godkendelse', 'Genakkrediteringen er gennemført.');
  await expect(page.getByTestId('case-state')).toHaveText('Afgjort');
  await page.getByLabel('Begrundelse (registreres med skridtet)').fill('Meddelt ejeren');
  await page.getByRole('button', { name: 'Til: I kraft' }).click();
  await expect(page.getByTestId('case-state')).toHaveText('I kraft');
  await page.goto(`${base}#/systems/${harbour}`);
  await page.getByRole('tab', { name: /Sager/ }).click();
  const rows = page.getByRole('tabpanel').getByRole('row');
  await expect(rows.filter({ hasText: 'I kraft' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Lukket' })).toHaveCount(1);
  await page.goto(`${base}#/cases/${first}`);
  await expect(page.getByTestId('case-state')).toHaveText('Lukket');
  await page.getByRole('tab', { name: 'Historik' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('Afløst af');

  // Decommissioned, then closed once the disposal is verified (and not before).
  await page.goto(`${base}#/cases/${archive}`);
  await moveFinal(page, 'Udfaset', 'Taget ud af drift');
  await expect(page.getByRole('button', { name: 'Til: Lukket' })).toBeDisabled();
  await page.getByRole('tab', { name: 'Afgørelse og dokumenter' }).click();
  const disposal = page.getByRole('form', { name: 'Bortskaffelse verificeret' });
  await disposal.getByLabel('Verificeret af').fill('Bo Inspektør');
  await disposal
    .getByLabel('Hvordan det blev verificeret')
    .fill('Diske afmagnetiseret og makuleret; destruktionsattest 2026-118.');
  await disposal.getByRole('button', { name: 'Registrér verifikationen' }).click();
  await expect(page.getByTestId('disposal')).toContainText('Bo Inspektør');
  await axeClean(page, 'decommissioned case with its disposal');
  await moveFinal(page, 'Lukket', 'Bortskaffelsen er verificeret');
});

/**
 * Issue 22, item 8: trust after comparison. Choosing a certificate shows its subject and its
 * SHA-256 fingerprint grouped as people read it aloud; without confirming the comparison the
 * core refuses (its message on the screen), with it the certificate is trusted and the audit
 * row holds the fingerprint.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { Vault } from '../../electron/vault/vault';
import { fingerprintGroups, readAloud } from '../../shared/fingerprint';
import { issue } from '../helpers/pki';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';
import { axeClean, expect, test } from './fixtures';

test('a certificate is trusted only after its fingerprint was compared; the audit row holds it', async ({
  app,
  vault,
  dataFolder,
}) => {
  const sender = await issue({ name: 'CN=Forsvarets Akkreditering,O=FE' });
  const file = join(dataFolder, 'afsender.pem');
  writeFileSync(file, sender.pem);
  const [fingerprint] = fingerprintsOf(sender.pem);

  await app.getByRole('link', { name: 'Indstillinger' }).click();
  await app.getByTestId('trust-file').setInputFiles(file);
  const panel = app.getByTestId('trust-compare');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Sammenlign fingeraftrykket, før du stoler på certifikatet');
  await expect(panel).toContainText('Forsvarets Akkreditering');
  // Eight groups of four bytes, upper-case pairs: as read aloud.
  const shown = panel.getByTestId('fingerprint');
  await expect(shown).toHaveAttribute('data-fingerprint', fingerprint!);
  await expect(shown.locator('span')).toHaveText(fingerprintGroups(fingerprint!));
  await expect(shown).toHaveText(readAloud(fingerprint!).replace(/ {2}/g, ' '));
  await expect(shown.locator('span').first()).toHaveText(/^[0-9A-F]{2}( [0-9A-F]{2}){3}$/);
  await panel.scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/trust-compare.png' });
  await axeClean(app, 'trust after comparison');

  // Not confirmed: the core refuses, saying why, and nothing is trusted.
  await panel.getByRole('button', { name: 'Tilføj som betroet' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    'Certifikatet blev ikke tilføjet: bekræft først, at du har sammenlignet dets SHA-256-fingeraftryk med afsenderen ad en anden kanal.',
  );
  await expect(app.getByTestId('trusted')).toHaveCount(0);

  await panel
    .getByLabel(
      'Jeg har sammenlignet fingeraftrykket med afsenderen ad en anden kanal, og det stemmer.',
    )
    .check();
  await panel.getByRole('button', { name: 'Tilføj som betroet' }).click();
  await expect(app.getByTestId('trust-compare')).toHaveCount(0);
  await expect(app.getByTestId('trusted')).toHaveCount(1);
  await expect(app.getByTestId('trusted')).toContainText('Forsvarets Akkreditering');
  await expect(app.getByTestId('trusted').getByTestId('fingerprint')).toHaveAttribute(
    'data-fingerprint',
    fingerprint!,
  );

  // The audit row names the fingerprint.
  await app.getByRole('button', { name: 'Lås', exact: true }).click();
  await expect(app.getByTestId('lock-reason')).toBeVisible();
  const opened = await Vault.open(vault.folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  try {
    const rows = opened.database.exec(
      "SELECT entity_id, changes FROM audit_log WHERE action = 'trust.add'",
    )[0]?.values;
    expect(rows?.map(([id, changes]) => [id, JSON.parse(String(changes)) as unknown])).toEqual([
      [
        fingerprint,
        expect.objectContaining({ fingerprints: [fingerprint], comparedWithSender: true }),
      ],
    ]);
  } finally {
    await opened.close({ discard: true });
  }
});

/**
 * The sequence that lost changes in practice: a package exported and the vault locked at once. The export's exchange-log row and its audit row must be in the file.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { x509 } from '../../electron/signing/x509';
import { makeTestContext, tempFolder } from '../helpers/context';
import { answerAll } from '../helpers/parties';
import { issue } from '../helpers/pki';
import { PASSPHRASE, PROFILE } from '../helpers/vault';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';

const folder = tempFolder('awb-export-lock-');
afterAll(() => folder.cleanup());

it('export a package, then lock at once: the exchange log and audit rows survive', async () => {
  const { ctx } = makeTestContext(join(folder.path, 'data'));
  const vaultFolder = join(folder.path, 'vault');
  await ctx.vault.create(vaultFolder, PASSPHRASE, { ...PROFILE, role: 'system_owner' });
  const identityId = await ctx.signing.createSelfSigned({
    label: 'Olga',
    commonName: 'Olga Owner',
    organisation: 'Owner',
  });
  const recipient = await issue({
    name: 'CN=Authority Encryption',
    usages: x509.KeyUsageFlags.keyEncipherment,
  });
  await ctx.signing.trust(recipient.pem, 'authority', fingerprintsOf(recipient.pem));
  const systemId = await ctx.register.createSystem({
    ref: 'SYS-L',
    name: 'Låsenet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
  const caseId = await ctx.cases.createCase({ systemId, type: 'initial' });
  await answerAll(ctx, caseId);
  await ctx.cases.transition(caseId, 'submitted', 'Complete');
  await ctx.exchange.exportPackage('submission', caseId, join(folder.path, 'out'), { identityId });
  // No wait: the save the export scheduled is still pending, or writing, when the lock comes.
  await ctx.vault.lock();
  await ctx.vault.unlock(vaultFolder, { passphrase: PASSPHRASE });
  const db = ctx.vault.current().database;
  expect(
    db.exec("SELECT count(*) FROM exchange_log WHERE direction = 'sent'")[0]?.values[0]?.[0],
  ).toBe(1);
  expect(
    db.exec("SELECT count(*) FROM audit_log WHERE action = 'package.sent'")[0]?.values[0]?.[0],
  ).toBe(1);
  expect(ctx.vault.status().audit).toMatchObject({ intact: true });
  await ctx.vault.lock();
});

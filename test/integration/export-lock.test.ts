/**
 * The sequence that lost changes in practice: a decision issued, its package exported, and the
 * vault locked at once. The export's exchange-log row and its audit row must be in the file.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeTestContext, tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE } from '../helpers/vault';

const folder = tempFolder('awb-export-lock-');
afterAll(() => folder.cleanup());

it('export a decision package, then lock at once: the exchange log and audit rows survive', async () => {
  const { ctx } = makeTestContext(join(folder.path, 'data'));
  const vaultFolder = join(folder.path, 'vault');
  await ctx.vault.create(vaultFolder, PASSPHRASE, PROFILE);
  const identityId = await ctx.signing.createSelfSigned({
    label: 'Anne',
    commonName: 'Anne Accreditor',
    organisation: 'Authority',
  });
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
  for (const item of ctx.cases.getCase(caseId).items) {
    await ctx.cases.updateItem(caseId, item.requirementId, {
      status: 'compliant',
      statement: 'Ok.',
    });
  }
  for (const to of ['submitted', 'intake', 'under_review', 'decision_pending'] as const) {
    await ctx.cases.transition(caseId, to, `to ${to}`);
  }
  await ctx.decisions.issueDecision(caseId, { type: 'full_approval', identityId, reason: 'Met.' });
  await ctx.exchange.exportDecision(caseId, join(folder.path, 'decision.awbpkg'), { identityId });
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

/**
 * `vault check` reports every part: a damaged evidence file (named), a generation of random
 * bytes, an orphaned evidence file, a temp file, and the trail against an anchor a letter cites.
 * Anything damaged makes it fail, through the API and on the command line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { auditHead } from '../../electron/db/audit';
import { createServices } from '../../electron/services';
import { checkVault } from '../../electron/vault/check';
import { listGenerations, Vault, vaultPath } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const folder = tempFolder('awb-check-');
const v = join(folder.path, 'vault');
let damagedBlob = '';
let orphan = '';
let anchor = { rows: 0, head: '' };

beforeAll(async () => {
  const { vault } = await Vault.create(v, PASSPHRASE, PROFILE, TEST_CONFIG);
  const services = createServices(() => vault);
  const systemId = await services.register.createSystem({
    ref: 'SYS-C',
    name: 'Kontrolnet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 2,
    minClearance: 'RESTRICTED',
  });
  const caseId = await services.cases.createCase({ systemId, type: 'initial' });
  for (const title of ['SSRS', 'SecOPs']) {
    const bytes = randomBytes(100_000);
    const blob = await vault.blobs.put(
      (async function* () {
        yield bytes;
      })(),
    );
    await services.cases.addEvidence(
      caseId,
      { ...blob, name: `${title}.pdf` },
      { type: 'ssrs', title, version: '1', requirementIds: [] },
    );
    if (title === 'SecOPs') {
      damagedBlob = blob.address;
    }
    await vault.save();
  }
  orphan = (
    await vault.blobs.put(
      (async function* () {
        yield Buffer.from('nobody refers to me');
      })(),
    )
  ).address;
  anchor = auditHead(vault.database);
  await vault.close();
  const path = join(v, 'blobs', damagedBlob);
  const bytes = readFileSync(path);
  bytes[500] = (bytes[500] ?? 0) ^ 1;
  writeFileSync(path, bytes);
  expect(listGenerations(v).length).toBeGreaterThanOrEqual(2);
  writeFileSync(vaultPath(v, 1), randomBytes(4096));
  writeFileSync(join(v, 'vault.awb.tmp-leftover'), 'half a save');
});
afterAll(() => folder.cleanup());

it('reports each damaged part, and which generations are usable', async () => {
  const report = await checkVault(v, { passphrase: PASSPHRASE }, TEST_CONFIG);
  expect(report.ok).toBe(false);
  expect(report.main).toMatchObject({ ok: true, integrity: 'ok', audit: { intact: true } });
  expect(report.generations[0]).toMatchObject({
    generation: 1,
    ok: false,
    usable: false,
    code: 'CORRUPTED_HEADER',
  });
  expect(report.generations.slice(1).every((g) => g.usable)).toBe(true);
  expect(report.evidence.damaged).toEqual([
    { part: `blobs/${damagedBlob}`, ok: false, code: 'BLOB_CORRUPTED', detail: 'evidence SecOPs' },
  ]);
  expect(report.evidence.checked).toBe(2); // the intact one and the orphan
  expect(report.evidence.orphaned).toEqual([orphan]);
  expect(report.temps.map((t) => t.split('/').at(-1))).toEqual(['vault.awb.tmp-leftover']);
});

it('checks the trail against an anchor a signed letter cites', async () => {
  const good = await checkVault(v, { passphrase: PASSPHRASE }, TEST_CONFIG, { anchor });
  expect(good.anchor).toEqual({ part: 'anchor', ok: true });
  const forged = await checkVault(v, { passphrase: PASSPHRASE }, TEST_CONFIG, {
    anchor: { rows: anchor.rows, head: 'f'.repeat(64) },
  });
  expect(forged.anchor).toMatchObject({ ok: false, code: 'AUDIT_CHAIN_BROKEN' });
});

it('on the command line: the per-part report as JSON, and a non-zero exit', async () => {
  writeFileSync(join(folder.path, 'pass'), PASSPHRASE);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['vault', 'check', v, '--passphrase-file', join(folder.path, 'pass'), '--json'],
    { out: (t) => out.push(t), err: (t) => err.push(t), config: TEST_CONFIG, cwd: folder.path },
  );
  expect(code).toBe(1);
  expect(err.join('')).toContain('error: BLOB_CORRUPTED');
  expect(JSON.parse(out.join(''))).toMatchObject({
    ok: false,
    error: 'BLOB_CORRUPTED',
    evidence: { damaged: [{ detail: 'evidence SecOPs' }] },
    generations: [{ generation: 1, usable: false }, { usable: true }],
  });
});

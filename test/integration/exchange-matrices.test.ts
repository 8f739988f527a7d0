/**
 * Risks scored on a shipped matrix the receiver's criteria do not name arrive (adversary round
 * 21o): a risk's matrix must be a row of the vault, and a vault stores a shipped matrix's row only
 * once its criteria name it, so such a risk broke the row's reference and an honest package was
 * refused MALFORMED — an owner with no criteria yet could take no decision carrying a risk. The
 * receiver stores its own copy of the shipped matrix, never the package's (which must equal it).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMatrices } from '../../electron/areas/risks/repository';
import { tempFolder } from '../helpers/context';
import {
  decisionPackage,
  exchangeParty,
  makePair,
  pendingCase,
  type Pair,
} from '../helpers/exchange-pair';
import { introduce, makeParty } from '../helpers/parties';

const folder = tempFolder('awb-matrices-');
let pair: Pair;
beforeAll(async () => {
  pair = await makePair(folder.path);
});
afterAll(async () => {
  await pair.owner.vault.close({ discard: true });
  await pair.authority.vault.close({ discard: true });
  folder.cleanup();
});

const shipped = (id: string) => builtinMatrices().matrices.find((m) => m.id === id)!;

/** The vault's row of matrix `id`: whether it is the shipped one, and its grid. */
function rowOf(db: Pair['owner']['vault']['database'], id: string) {
  const row = db.exec('SELECT builtin, json FROM risk_matrices WHERE id = ?', [id])[0]?.values[0];
  return row && { builtin: row[0], grid: (JSON.parse(String(row[1])) as { grid: unknown }).grid };
}

const risk = (systemId: string, caseId: string | null) => ({
  systemId,
  caseId,
  scope: 'Whole system',
  threatEvent: 'Exfiltration via the WAN link',
  confidentiality: 3,
  integrity: 3,
  availability: 3,
  likelihood: 3,
  treatment: 'reduce' as const,
  residualLikelihood: 2,
  residualImpact: 2,
});

describe('a risk on a shipped matrix the receiver does not use', () => {
  it('arrives with a decision, and the owner stores its own copy of the matrix', async () => {
    const { owner, authority, systemId } = pair;
    await authority.services.risks.setCriteria({
      matrixId: 'standard-4x4',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 24,
    });
    const id = await pendingCase(pair);
    const riskId = await authority.services.risks.createRisk(risk(systemId, null));
    await authority.services.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    expect(rowOf(owner.vault.database, 'standard-4x4')).toBeUndefined();
    await expect(
      owner.services.exchange.importPackage(await decisionPackage(pair, id)),
    ).resolves.toMatchObject({ kind: 'decision' });
    expect(owner.services.risks.getRisk(riskId)).toMatchObject({ matrixId: 'standard-4x4' });
    expect(rowOf(owner.vault.database, 'standard-4x4')).toEqual({
      builtin: 1,
      grid: shipped('standard-4x4').grid,
    });
  });

  it('arrives with a submission at an authority whose criteria name another', async () => {
    const { owner, authority, systemId } = pair;
    await owner.services.risks.setCriteria({
      matrixId: 'simple-3x3',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 24,
    });
    expect(rowOf(authority.vault.database, 'simple-3x3')).toBeUndefined();
    let riskId = '';
    await pendingCase(pair, async (caseId) => {
      riskId = await owner.services.risks.createRisk({
        ...risk(systemId, caseId),
        confidentiality: 2,
        integrity: null,
        availability: null,
        likelihood: 2,
        residualLikelihood: 1,
        residualImpact: 1,
      });
    });
    expect(authority.services.risks.getRisk(riskId)).toMatchObject({ matrixId: 'simple-3x3' });
    expect(rowOf(authority.vault.database, 'simple-3x3')).toEqual({
      builtin: 1,
      grid: shipped('simple-3x3').grid,
    });
  });

  it('is judged on the receiver’s matrix: in the register, and when accepted here (21, L1)', async () => {
    // High on the owner's 3×3 is the top of the scale: very high once rescaled onto the
    // authority's 4×4, where its criteria let nobody accept it (the accreditor: up to high).
    const { owner, authority, systemId } = pair;
    let riskId = '';
    await pendingCase(pair, async (caseId) => {
      riskId = await owner.services.risks.createRisk({
        ...risk(systemId, caseId),
        likelihood: 3,
        residualLikelihood: 3,
        residualImpact: 3,
      });
    });
    const received = authority.services.risks.getRisk(riskId);
    expect(received).toMatchObject({ matrixId: 'simple-3x3', residualLevel: 'high' });
    expect(received.authority).toBe('none');
    await expect(
      authority.services.risks.acceptRisk(riskId, {
        justification: 'Compensated by the site’s physical controls.',
        expiresOn: '2027-06-01',
      }),
    ).rejects.toMatchObject({
      code: 'RISK_ACCEPTANCE_REFUSED',
      details: { reason: 'NOT_ACCEPTABLE' },
    });
    // Low on the 3×3 (the owner's to accept there) is moderate on the 4×4: the accreditor's.
    let lower = '';
    await pendingCase(pair, async (caseId) => {
      lower = await owner.services.risks.createRisk({
        ...risk(systemId, caseId),
        residualLikelihood: 1,
        residualImpact: 2,
      });
    });
    expect(authority.services.risks.getRisk(lower).residualLevel).toBe('low');
    expect(authority.services.risks.getRisk(lower).authority).toBe('accreditor');
    await authority.services.risks.acceptRisk(lower, {
      justification: 'Compensated by the site’s physical controls.',
      expiresOn: '2027-06-01',
    });
    expect(authority.services.risks.getRisk(lower).acceptance.status).toBe('accepted');
  });

  it('arrives at an owner that has set no criteria yet (the default matrix)', async () => {
    const at = join(folder.path, 'fresh');
    const owner = await makeParty(
      at,
      'fresh owner',
      {
        name: 'fresh person',
        organisation: 'fresh org',
        role: 'system_owner',
        referencePrefix: 'FRS',
      },
      { encryption: 'ec-p256' },
    );
    const authority = await exchangeParty(at, 'fresh authority', 'accreditor', 'FAU');
    await introduce(owner, authority);
    const systemId = await owner.services.register.createSystem({
      ref: 'FRS-SYS-001',
      name: 'Feltnet',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      userCount: 12,
      minClearance: 'SECRET',
    });
    const fresh: Pair = { owner, authority, systemId, packages: join(at, 'packages') };
    try {
      const id = await pendingCase(fresh);
      const riskId = await authority.services.risks.createRisk(risk(systemId, null));
      await authority.services.decisions.issueDecision(id, {
        type: 'refusal',
        identityId: authority.signingId,
        reason: 'Not ready.',
        conditions: [],
      });
      expect(owner.vault.database.exec('SELECT id FROM risk_matrices')).toEqual([]);
      await expect(
        owner.services.exchange.importPackage(await decisionPackage(fresh, id)),
      ).resolves.toMatchObject({ kind: 'decision' });
      const matrixId = owner.services.risks.defaultMatrixId();
      expect(owner.services.risks.getRisk(riskId)).toMatchObject({ matrixId });
      expect(rowOf(owner.vault.database, matrixId)).toEqual({
        builtin: 1,
        grid: shipped(matrixId).grid,
      });
    } finally {
      await owner.vault.close({ discard: true });
      await authority.vault.close({ discard: true });
    }
  });
});

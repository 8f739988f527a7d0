import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import { seedDemo, seedDemoCases, seedDemoRisks } from '../../electron/services/demo';
import { today } from '../../electron/services/clock';
import { canTransition } from '../../shared/lifecycle';
import { addMonths, type RiskInput } from '../../shared/risk';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;

async function open(role: 'accreditor' | 'system_owner' = 'accreditor') {
  folder = tempFolder('awb-risks-');
  ({ vault } = await Vault.create(folder.path, PASSPHRASE, { ...PROFILE, role }, TEST_CONFIG));
  services = createServices(() => vault);
}
afterEach(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

const CRITERIA = {
  matrixId: 'nist-5x5',
  ownerAcceptsUpTo: 'low',
  accreditorAcceptsUpTo: 'high',
  maxAcceptanceMonths: 24,
};

async function system(): Promise<string> {
  return services.register.createSystem({
    ref: 'NS-1',
    name: 'NATO net',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 50,
    minClearance: 'SECRET',
  });
}

function riskOn(systemId: string, over: Partial<RiskInput> = {}): RiskInput {
  return {
    systemId,
    scope: 'Server room',
    threatSource: 'Intruder',
    threatEvent: 'Unauthorised entry at night',
    vulnerability: 'No alarm',
    confidentiality: 4,
    integrity: 3,
    availability: 2,
    likelihood: 4,
    treatment: 'reduce',
    measures: 'Alarm',
    residualLikelihood: 3,
    residualImpact: 3,
    ...over,
  };
}

const accept = (justification = 'Alarm compensates until the guard contract starts.') => ({
  justification,
  expiresOn: addMonths(today(), 12),
});

describe('risk register', () => {
  it('refuses any assessment until the acceptance criteria are set, and checks them', async () => {
    await open();
    const id = await system();
    await expect(services.risks.createRisk(riskOn(id))).rejects.toMatchObject({
      code: 'RISK_CRITERIA_MISSING',
    });
    await expect(
      services.risks.setCriteria({ ...CRITERIA, ownerAcceptsUpTo: 'somewhat' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['ownerAcceptsUpTo'] }] },
    });
    await expect(
      services.risks.setCriteria({ ...CRITERIA, matrixId: 'no-such-matrix' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(services.risks.criteria()).toBeNull();
    await services.risks.setCriteria(CRITERIA);
    expect(services.risks.criteria()).toMatchObject({ ...CRITERIA, setBy: PROFILE.name });
  });

  it('stores the computed levels, refuses scores off the matrix, and records every review', async () => {
    await open();
    const id = await system();
    await services.risks.setCriteria(CRITERIA);
    await expect(services.risks.createRisk(riskOn(id, { likelihood: 6 }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['likelihood'] }] },
    });
    // What remains after treatment is never more than there was (high inherent, very high residual).
    await expect(
      services.risks.createRisk(riskOn(id, { residualLikelihood: 5, residualImpact: 5 })),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: {
        issues: [
          {
            path: ['residualLikelihood'],
            key: 'RESIDUAL_ABOVE_INHERENT',
            params: { level: 'high' },
          },
        ],
      },
    });
    // A requirement the risk is linked to is on its case's checklist.
    const caseId = await services.cases.createCase({ systemId: id, type: 'initial' });
    const onChecklist = services.cases.getCase(caseId).items[0]!.requirementId;
    await expect(
      services.risks.createRisk(riskOn(id, { caseId, requirementIds: [onChecklist, 'XYZ-99'] })),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['requirementIds', 1], key: 'UNKNOWN_REQUIREMENT' }] },
    });
    const riskId = await services.risks.createRisk(riskOn(id));
    const risk = services.risks.getRisk(riskId);
    expect(risk).toMatchObject({
      ref: 'NISA-RISK-0001',
      inherentLevel: 'high',
      residualLevel: 'moderate',
      authority: 'accreditor',
      acceptance: { status: 'none' },
    });
    await services.risks.updateRisk(riskId, riskOn(id, { residualLikelihood: 1 }));
    expect(services.risks.getRisk(riskId).residualLevel).toBe('very_low');
    const history = services.risks.riskHistory(riskId);
    expect(history.reviews.map((r) => [r.note, r.residualLevel])).toEqual([
      ['created', 'moderate'],
      ['reviewed', 'very_low'],
    ]);
    // Everything is in the audit chain.
    const actions = vault.database
      .exec("SELECT action FROM audit_log WHERE action LIKE 'risk.%'")[0]
      ?.values.flat();
    expect(actions).toEqual(['risk.criteria.set', 'risk.create', 'risk.update']);
  });

  it('a system owner accepts within the criteria but not above them', async () => {
    await open('system_owner');
    const sys = await system();
    await services.risks.setCriteria(CRITERIA);
    const high = await services.risks.createRisk(riskOn(sys));
    await expect(services.risks.acceptRisk(high, accept())).rejects.toMatchObject({
      code: 'RISK_ACCEPTANCE_REFUSED',
      details: { reason: 'ACCREDITOR_ONLY' },
    });
    const low = await services.risks.createRisk(
      riskOn(sys, { residualLikelihood: 1, residualImpact: 2 }),
    );
    await services.risks.acceptRisk(low, accept());
    expect(services.risks.getRisk(low).acceptance).toMatchObject({
      status: 'accepted',
      by: PROFILE.name,
      role: 'system_owner',
    });
    expect(services.risks.getRisk(high).acceptance.status).toBe('none');
  });

  it('acceptance records the risk as accepted, expiry and justification are checked, change means re-acceptance', async () => {
    await open();
    const sys = await system();
    await services.risks.setCriteria(CRITERIA);
    const id = await services.risks.createRisk(riskOn(sys));
    await expect(services.risks.acceptRisk(id, accept('short'))).rejects.toMatchObject({
      details: { reason: 'JUSTIFICATION_REQUIRED' },
    });
    await expect(
      services.risks.acceptRisk(id, { ...accept(), expiresOn: addMonths(today(), 25) }),
    ).rejects.toMatchObject({ details: { reason: 'EXPIRY_TOO_FAR' } });
    await services.risks.acceptRisk(id, accept());
    expect(services.risks.getRisk(id).acceptance).toMatchObject({
      status: 'accepted',
      role: 'accreditor',
    });
    await services.risks.updateRisk(id, riskOn(sys, { residualLikelihood: 4, residualImpact: 4 }));
    expect(services.risks.getRisk(id).acceptance.status).toBe('reaccept');
    await services.risks.acceptRisk(id, accept('Re-accepted after the review of the alarm.'));
    const history = services.risks.riskHistory(id);
    expect(history.acceptances.map((a) => a.residualLevel)).toEqual(['moderate', 'high']);
    // Above every limit nobody accepts.
    const extreme = await services.risks.createRisk(
      riskOn(sys, { likelihood: 5, confidentiality: 5, residualLikelihood: 5, residualImpact: 5 }),
    );
    await expect(services.risks.acceptRisk(extreme, accept())).rejects.toMatchObject({
      details: { reason: 'NOT_ACCEPTABLE' },
    });
  });

  it('changing the matrix rescales every risk, records what moved, and flags acceptances', async () => {
    await open();
    const sys = await system();
    await services.risks.setCriteria(CRITERIA);
    const a = await services.risks.createRisk(riskOn(sys));
    const b = await services.risks.createRisk(
      riskOn(sys, {
        likelihood: 1,
        confidentiality: 1,
        integrity: 1,
        availability: 1,
        residualLikelihood: 1,
        residualImpact: 1,
      }),
    );
    await services.risks.acceptRisk(a, accept());
    const { moved } = await services.risks.setCriteria({
      matrixId: 'simple-3x3',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 12,
    });
    // a (high → high, moderate → moderate) keeps its levels; b moves.
    expect(moved.map((m) => m.id)).toEqual([b]);
    expect(moved.find((m) => m.id === b)).toEqual({
      id: b,
      inherent: ['very_low', 'low'],
      residual: ['very_low', 'low'],
    });
    const after = services.risks.getRisk(a);
    expect(after).toMatchObject({ matrixId: 'simple-3x3', likelihood: 3, residualLikelihood: 2 });
    expect(after.residualLevel).toBe('moderate');
    expect(after.acceptance.status).toBe('reaccept');
    expect(services.risks.recalculations()).toEqual([
      expect.objectContaining({ from: 'nist-5x5', to: 'simple-3x3', moved }),
    ]);
    expect(services.risks.riskHistory(a).reviews.at(-1)?.note).toBe('matrix nist-5x5 → simple-3x3');
  });

  it('imports a custom matrix with a clear error report, and uses it', async () => {
    await open();
    await expect(
      services.risks.importMatrix({ id: 'bad', name: { en: 'x', da: 'x' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const custom = {
      id: 'org-2x2',
      name: { en: 'Organisation 2×2', da: 'Organisationens 2×2' },
      likelihood: [
        { en: 'Low', da: 'Lav' },
        { en: 'High', da: 'Høj' },
      ],
      impact: [
        { en: 'Low', da: 'Lav' },
        { en: 'High', da: 'Høj' },
      ],
      levels: [
        { id: 'acceptable', en: 'Acceptable', da: 'Acceptabel', colour: '#2e7d32' },
        { id: 'unacceptable', en: 'Unacceptable', da: 'Uacceptabel', colour: '#c62828' },
      ],
      grid: [
        [0, 0],
        [0, 1],
      ],
    };
    await services.risks.importMatrix(custom);
    await expect(services.risks.importMatrix(custom)).rejects.toMatchObject({
      details: { issues: [{ path: ['id'] }] },
    });
    await services.risks.setCriteria({
      matrixId: 'org-2x2',
      ownerAcceptsUpTo: 'acceptable',
      accreditorAcceptsUpTo: 'unacceptable',
      maxAcceptanceMonths: 6,
    });
    const sys = await system();
    const id = await services.risks.createRisk(
      riskOn(sys, {
        confidentiality: 2,
        integrity: null,
        availability: null,
        likelihood: 2,
        residualLikelihood: 2,
        residualImpact: 2,
      }),
    );
    expect(services.risks.getRisk(id)).toMatchObject({
      inherentLevel: 'unacceptable',
      residualLevel: 'unacceptable',
      authority: 'accreditor',
    });
  });
});

describe('the approval block', () => {
  it('a non-compliant requirement blocks an approving decision until a linked risk is accepted', async () => {
    await open();
    const sys = await system();
    await services.risks.setCriteria(CRITERIA);
    const caseId = await services.cases.createCase({ systemId: sys, type: 'initial' });
    for (const item of services.cases.getCase(caseId).items) {
      await services.cases.updateItem(caseId, item.requirementId, {
        status: item.requirementId === 'PER-01' ? 'non_compliant' : 'compliant',
        statement: 'Answered.',
      });
    }
    const decided = (approving: boolean) =>
      canTransition('decision_pending', 'decided', {
        ...services.cases.transitionContext(caseId, 'Decision issued'),
        decision: { type: approving ? 'full_approval' : 'refusal', signed: true },
      });
    expect(services.cases.getCase(caseId).unaccepted).toEqual(['PER-01']);
    expect(decided(true)).toEqual({
      ok: false,
      code: 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK',
      params: { count: '1', ids: 'PER-01' },
    });
    expect(decided(false)).toEqual({ ok: true });

    // A risk of the case that covers another requirement does not help; one linked to PER-01 does,
    // once accepted.
    await services.risks.createRisk(riskOn(sys, { caseId, requirementIds: ['PHY-01'] }));
    const risk = await services.risks.createRisk(
      riskOn(sys, { caseId, requirementIds: ['PER-01'] }),
    );
    expect(decided(true).ok).toBe(false);
    await services.risks.acceptRisk(risk, accept());
    expect(services.cases.getCase(caseId).unaccepted).toEqual([]);
    expect(decided(true)).toEqual({ ok: true });

    // Changing the risk after acceptance brings the block back.
    await services.risks.updateRisk(
      risk,
      riskOn(sys, { caseId, requirementIds: ['PER-01'], residualLikelihood: 4 }),
    );
    expect(services.cases.getCase(caseId).unaccepted).toEqual(['PER-01']);
    expect(decided(true).ok).toBe(false);
  });
});

describe('portfolio dashboard', () => {
  it('aggregates the demo vault: pipeline, overdue items, follow-ups, clearances, highest risks', async () => {
    await open();
    await seedDemo(services);
    await seedDemoCases(services.cases, services.register, vault);
    const { risks } = await seedDemoRisks(services);
    const day = today();
    const summary = services.dashboard.summary(day);

    const byState = new Map<string, number>();
    for (const c of services.cases.listCases()) {
      byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
    }
    expect(summary.pipeline.filter((p) => p.count).map((p) => [p.state, p.count])).toEqual(
      [...byState.entries()].sort(
        (a, b) =>
          summary.pipeline.findIndex((p) => p.state === a[0]) -
          summary.pipeline.findIndex((p) => p.state === b[0]),
      ),
    );
    expect(summary.overdue.length).toBeGreaterThan(0);
    expect(summary.overdue.every((f) => f.dueDate < day && f.daysOverdue > 0)).toBe(true);
    expect(summary.followUps.every((r) => r.due <= addMonths(day, 1))).toBe(true);
    expect(summary.clearances.length).toBeGreaterThan(0);
    expect(summary.approvals.every((a) => a.validTo >= day && a.daysLeft <= 180)).toBe(true);
    expect(summary.approvalWindows.map((w) => w.days)).toEqual([30, 90, 180]);
    expect(summary.approvalWindows[2]!.count).toBe(summary.approvals.length);

    expect(risks).toBeGreaterThanOrEqual(8);
    const ranks = summary.risks.map((r) => r.residualRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(summary.risks[0]!.residualLevel).toBe('very_high');
    expect(new Set(summary.risks.map((r) => r.acceptance))).toEqual(
      new Set(['none', 'accepted', 'reaccept']),
    );
    expect(summary.levels.length).toBeGreaterThan(0);
  });

  it('an accepted risk and a closed finding leave the dashboard at once', async () => {
    await open();
    await seedDemo(services);
    await seedDemoCases(services.cases, services.register, vault);
    await seedDemoRisks(services);
    const before = services.dashboard.summary();
    const overdue = before.overdue[0]!;
    await services.cases.setFindingStatus(overdue.id, 'resolved');
    const flagged = before.risks.find((r) => r.acceptance === 'reaccept')!;
    await services.risks.acceptRisk(flagged.id, accept());
    const after = services.dashboard.summary();
    expect(after.overdue.map((f) => f.id)).not.toContain(overdue.id);
    expect(after.risks.find((r) => r.id === flagged.id)?.acceptance).toBe('accepted');
  });
});

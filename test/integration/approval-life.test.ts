/**
 * An approval's whole life after the first decision: suspension and reinstatement as signed
 * decisions, one approval in force per system when a re-accreditation takes force, the steps
 * time takes by itself (re-accreditation due, expiry), and a decommissioned system closed only
 * once its disposal is verified.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import { today } from '../../electron/services/clock';
import { Vault } from '../../electron/vault/vault';
import { addMonths } from '../../shared/risk';
import { systemReason } from '../../shared/i18n';
import { tempFolder } from '../helpers/context';
import { toDecisionPending } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const folder = tempFolder('awb-approval-life-');
let vault: Vault;
let services: VaultServices;
let identityId: string;

beforeAll(async () => {
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
  identityId = await services.signing.createSelfSigned({
    label: 'Accreditor key',
    commonName: 'Anne Accreditor',
    organisation: 'National IT-Security Authority',
  });
}, 60_000);
afterAll(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

async function newSystem(ref: string): Promise<string> {
  return services.register.createSystem({
    ref,
    name: `System ${ref}`,
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
}

/** A case of the system taken to an approval in force, valid to `validTo`. */
async function approved(
  systemId: string,
  type: 'initial' | 'reaccreditation' | 'decommissioning' = 'initial',
  validTo = addMonths(today(), 24),
): Promise<string> {
  const { cases, decisions } = services;
  const caseId = await toDecisionPending(services, systemId, type);
  await decisions.issueDecision(caseId, {
    type: 'full_approval',
    identityId,
    reason: 'Requirements met.',
    validTo,
  });
  await cases.transition(caseId, 'in_force', 'Notified');
  return caseId;
}

const inForce = (systemId: string) =>
  services.cases
    .listCases()
    .filter(
      (c) => c.systemId === systemId && ['in_force', 'reaccreditation_due'].includes(c.state),
    );

describe('after the first approval', () => {
  it('suspension and reinstatement are signed decisions, not bare state changes', async () => {
    const systemId = await newSystem('LIFE-1');
    const caseId = await approved(systemId);
    const { cases, decisions, signing } = services;
    // A bare state change is refused: a suspension is a decision of its own.
    await expect(cases.transition(caseId, 'suspended', 'Clearances lapsed')).rejects.toMatchObject({
      code: 'TRANSITION_REFUSED',
      details: { reason: 'DECISION_REQUIRED' },
    });
    // Not every decision fits every state.
    await expect(
      decisions.issueDecision(caseId, { type: 'reinstatement', identityId, reason: 'Early' }),
    ).rejects.toMatchObject({ details: { reason: 'DECISION_NOT_HERE' } });
    const approval = decisions.decision(caseId)!;
    const suspension = await decisions.issueDecision(caseId, {
      type: 'suspension',
      identityId,
      reason: 'Two administrators lost their clearance.',
    });
    expect(cases.getCase(caseId).state).toBe('suspended');
    const standing = () =>
      services.dashboard.summary().standing.filter((x) => x.systemId === systemId);
    expect(standing()).toEqual([
      { systemId, system: expect.stringContaining('System') as unknown, state: 'suspended' },
    ]);
    expect(suspension.ref).not.toBe(approval.ref);
    expect(await signing.verify(await decisions.decisionPdf(caseId))).toMatchObject({
      valid: true,
    });
    const reinstatement = await decisions.issueDecision(caseId, {
      type: 'reinstatement',
      identityId,
      reason: 'Clearances renewed.',
    });
    const c = cases.getCase(caseId);
    expect(c.state).toBe('in_force');
    expect(standing()).toEqual([]);
    expect(c.history.slice(-2).map((h) => [h.from, h.to])).toEqual([
      ['in_force', 'suspended'],
      ['suspended', 'in_force'],
    ]);
    // The reinstatement restores the approval's validity; the suspension ended nothing.
    const restored = decisions.decision(caseId)!;
    expect(restored).toMatchObject({ ref: reinstatement.ref, validTo: approval.validTo });
    expect(decisions.approvalValidity(caseId)?.validTo).toBe(approval.validTo);
  });

  it('a case’s decisions are read in the order they were made here, whatever a clock said (rounds 20x, 20y)', async () => {
    const systemId = await newSystem('LIFE-CLOCK');
    const caseId = await approved(systemId);
    const { decisions, cases } = services;
    // One accreditor's clock a year ahead: the suspension is dated then.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(Date.now() + 365 * 86_400_000));
      await decisions.issueDecision(caseId, {
        type: 'suspension',
        identityId,
        reason: 'Clearances lapsed.',
      });
    } finally {
      vi.useRealTimers();
    }
    const suspension = decisions.decision(caseId)!;
    expect(suspension.signedAt > new Date().toISOString()).toBe(true);
    // Back at the right time, the reinstatement made after it is the case's newest decision,
    // and it takes force: a date ahead locks nothing, and hides nothing made after it.
    const reinstatement = await decisions.issueDecision(caseId, {
      type: 'reinstatement',
      identityId,
      reason: 'Renewed.',
    });
    expect(decisions.decision(caseId)).toMatchObject({ ref: reinstatement.ref, status: 'issued' });
    expect(cases.getCase(caseId).state).toBe('in_force');
    expect(decisions.approvalValidity(caseId)).not.toBeNull();
  });

  it('an amendment changes the approval in force and leaves the case where it is', async () => {
    const systemId = await newSystem('LIFE-2');
    const caseId = await approved(systemId);
    const until = addMonths(today(), 12);
    await services.decisions.issueDecision(caseId, {
      type: 'amendment',
      identityId,
      reason: 'Validity shortened until the new site is inspected.',
      validTo: until,
      conditions: [{ text: 'Inspect the new site', dueDate: addMonths(today(), 2), owner: 'SO' }],
    });
    expect(services.cases.getCase(caseId).state).toBe('in_force');
    expect(services.decisions.approvalValidity(caseId)?.validTo).toBe(until);
  });

  it('a re-accreditation that takes force supersedes the approval before it: one in force', async () => {
    const systemId = await newSystem('LIFE-3');
    const first = await approved(systemId);
    expect(inForce(systemId).map((c) => c.id)).toEqual([first]);
    const second = await approved(systemId, 'reaccreditation');
    expect(inForce(systemId).map((c) => c.id)).toEqual([second]);
    const old = services.cases.getCase(first);
    expect(old.state).toBe('closed');
    expect(old.history.at(-1)).toMatchObject({
      from: 'in_force',
      to: 'closed',
      role: 'system',
      reason: systemReason('superseded', services.cases.getCase(second).ref),
    });
    // Nothing else may close an approval still in force.
    const third = await approved(await newSystem('LIFE-3B'));
    await expect(services.cases.transition(third, 'closed', 'Tidy up')).rejects.toMatchObject({
      details: { reason: 'NOT_SUPERSEDED' },
    });
  });

  it('time falls due by itself: re-accreditation in the window before the end, expiry after it', async () => {
    const systemId = await newSystem('LIFE-4');
    const validTo = addMonths(today(), 3);
    const caseId = await approved(systemId, 'initial', validTo);
    const { cases } = services;
    // Within the window (six months by default) before its end: due for re-accreditation.
    const stepped = await cases.applyTime();
    expect(stepped).toContainEqual({ caseId, to: 'reaccreditation_due' });
    expect(cases.getCase(caseId).state).toBe('reaccreditation_due');
    // Applying time again changes nothing more today.
    expect((await cases.applyTime()).filter((x) => x.caseId === caseId)).toEqual([]);
    // After its end, the approval expires by itself, recorded as the workbench's step.
    await cases.applyTime(addMonths(validTo, 1));
    const c = cases.getCase(caseId);
    expect(c.state).toBe('expired');
    expect(c.history.at(-1)).toMatchObject({ to: 'expired', role: 'system' });
    expect(c.history.at(-1)?.reason).toContain(validTo);
  });

  it('a decommissioned system closes only once its disposal is verified', async () => {
    const systemId = await newSystem('LIFE-5');
    const caseId = await approved(systemId);
    const { cases } = services;
    await cases.transition(caseId, 'decommissioned', 'Retired from service');
    await expect(cases.transition(caseId, 'closed', 'Done')).rejects.toMatchObject({
      details: { reason: 'DISPOSAL_NOT_VERIFIED' },
    });
    await expect(
      cases.recordDisposal(caseId, {
        verifiedBy: 'Bo Inspector',
        method: 'x',
        verifiedOn: today(),
      }),
    ).rejects.toMatchObject({ name: 'ZodError' }); // how: more than a word
    await cases.recordDisposal(caseId, {
      verifiedBy: 'Bo Inspector',
      method: 'Disks degaussed and shredded; certificate of destruction 2026-118.',
      verifiedOn: today(),
    });
    expect(cases.disposal(caseId)).toMatchObject({ verifiedBy: 'Bo Inspector' });
    await cases.transition(caseId, 'closed', 'Disposal verified');
    expect(cases.getCase(caseId).state).toBe('closed');
  });
});

describe('the system and its approval', () => {
  it('shows the approval in force, and a significant change outside its scope calls for re-accreditation', async () => {
    const { register, cases } = services;
    const systemId = await newSystem('SYS-SIG');
    expect(register.getSystem(systemId).approval).toBeNull();
    const caseId = await approved(systemId);
    const { approval, significantChanges } = register.getSystem(systemId);
    expect(approval).toMatchObject({
      caseId,
      state: 'in_force',
      decisionType: 'full_approval',
      renewing: false,
    });
    expect(significantChanges).toEqual([]);
    const flag = () =>
      services.dashboard.summary().standing.find((x) => x.systemId === systemId)?.state;
    expect(flag()).toBeUndefined();
    // A component above the approval's levels is outside it (round 20t), named by its product.
    const component = await register.createComponent({
      systemId,
      kind: 'server',
      product: 'Mail server',
      level: 'SECRET',
    });
    expect(register.getSystem(systemId).significantChanges).toEqual([
      { kind: 'level', label: 'Mail server: SECRET' },
    ]);
    expect(flag()).toBe('beyond_approval');
    await register.retire('component', component);
    expect(flag()).toBeUndefined();
    // A new interconnection, a site and a raised level are each outside the approval.
    await register.createInterconnection({
      systemId,
      peerName: 'Allied net',
      localLevel: 'RESTRICTED',
      peerLevel: 'RESTRICTED',
      domain: 'national',
      direction: 'bidirectional',
      approvalStatus: 'pending',
    });
    await register.createSite({ name: 'Annex', maxLevel: 'SECRET' }, [systemId]);
    const { id: _id, ...system } = register.getSystem(systemId).system;
    await register.updateSystem(systemId, {
      ...system,
      levels: [{ domain: 'national', level: 'CONFIDENTIAL' }],
    });
    expect(register.getSystem(systemId).significantChanges).toEqual([
      { kind: 'level', label: 'national: CONFIDENTIAL' },
      { kind: 'site', label: 'Annex' },
      { kind: 'interconnection', label: 'Allied net' },
    ]);
    // The dashboard flags the system until a re-accreditation is under way.
    expect(flag()).toBe('beyond_approval');

    // A level lowered is no significant change; a re-accreditation case under way says so.
    await register.updateSystem(systemId, { ...system, levels: system.levels });
    expect(register.getSystem(systemId).significantChanges.map((c) => c.kind)).toEqual([
      'site',
      'interconnection',
    ]);
    expect(flag()).toBe('beyond_approval');
    const renewal = await toDecisionPending(services, systemId, 'reaccreditation');
    expect(register.getSystem(systemId).approval?.renewing).toBe(true);
    expect(flag()).toBeUndefined();
    // Refused, the renewal is under way no longer: the approval in force is flagged again (20t).
    await services.decisions.issueDecision(renewal, {
      type: 'refusal',
      identityId,
      reason: 'Not this time.',
    });
    expect(cases.getCase(renewal).state).toBe('decided');
    expect(register.getSystem(systemId).approval?.renewing).toBe(false);
    expect(flag()).toBe('beyond_approval');
  });
});

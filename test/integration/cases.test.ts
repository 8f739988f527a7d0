import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services';
import { BASELINE_FILE } from '../../electron/areas/catalogues/use-cases';
import type { CaseService } from '../../electron/areas/cases/use-cases';
import type { RegisterService } from '../../electron/areas/register/use-cases';
import { Uploads } from '../../electron/services/uploads';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { judgeAll } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let register: RegisterService;
let cases: CaseService;

async function open(role: 'accreditor' | 'system_owner' = 'accreditor') {
  folder = tempFolder('awb-cases-');
  ({ vault } = await Vault.create(folder.path, PASSPHRASE, { ...PROFILE, role }, TEST_CONFIG));
  ({ register, cases } = createServices(() => vault));
}
beforeEach(async () => open());
afterEach(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

async function natoSecretSystem(): Promise<string> {
  const id = await register.createSystem({
    ref: 'NS-1',
    name: 'NATO net',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 50,
    minClearance: 'SECRET',
  });
  await register.createComponent({
    systemId: id,
    kind: 'crypto_device',
    product: 'Box',
    level: 'SECRET',
    crypto: true,
  });
  return id;
}

async function answerAll(caseId: string): Promise<void> {
  for (const item of cases.getCase(caseId).items) {
    await cases.updateItem(caseId, item.requirementId, {
      status: 'compliant',
      statement: `We meet ${item.requirementId}.`,
    });
  }
}

describe('cases', () => {
  it('instantiates the applicable requirements and freezes the catalogue version', async () => {
    const c = cases.getCase(
      await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' }),
    );
    expect(c.state).toBe('draft');
    expect(c.catalogue).toEqual({ id: 'awb-baseline', version: '2026.1' });
    const areas = c.progress.map((p) => p.area);
    expect(areas).toContain('TEM');
    expect(areas).toContain('CRY');
    expect(c.items.find((i) => i.requirementId === 'CRY-02')).toBeTruthy();
    expect(c.missing.length).toBe(c.items.length);
  });

  it('walks from draft to decision pending, refusing with reasons on the way, and records every step', async () => {
    const id = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    await expect(cases.transition(id, 'submitted', '')).rejects.toMatchObject({
      code: 'TRANSITION_REFUSED',
      details: { reason: 'INCOMPLETE' },
    });
    await answerAll(id);
    await cases.updateItem(id, 'PER-01', { status: 'non_compliant' });
    expect(cases.getCase(id).missing).toEqual([]);
    await cases.transition(id, 'submitted', 'Dossier complete');
    await cases.transition(id, 'intake', 'Received');
    await expect(cases.transition(id, 'returned', '')).rejects.toMatchObject({
      details: { reason: 'REASON_REQUIRED' },
    });
    await cases.transition(id, 'under_review', 'Complete');
    await expect(cases.transition(id, 'awaiting_remediation', 'x')).rejects.toMatchObject({
      details: { reason: 'NO_OPEN_FINDINGS' },
    });
    const finding = await cases.addFinding(id, {
      requirementId: 'PER-01',
      severity: 'major',
      title: 'Two administrators lack clearance',
      dueDate: '2027-01-31',
    });
    await cases.transition(id, 'awaiting_remediation', 'Findings issued');
    await cases.setFindingStatus(finding, 'in_progress');
    await cases.setFindingStatus(finding, 'resolved', 'Clearances renewed');
    // The finding keeps its status history: who moved it, from what to what, and why.
    expect(
      cases
        .getCase(id)
        .findings.find((f) => f.id === finding)
        ?.history.map((h) => [h.from, h.to, h.note, h.actor]),
    ).toEqual([
      [null, 'open', '', PROFILE.name],
      ['open', 'in_progress', '', PROFILE.name],
      ['in_progress', 'resolved', 'Clearances renewed', PROFILE.name],
    ]);
    await cases.transition(id, 'under_review', 'Remediation evidence received');
    await expect(cases.transition(id, 'decision_pending', 'x')).rejects.toMatchObject({
      details: { reason: 'VERDICTS_MISSING', count: String(cases.getCase(id).items.length) },
    });
    await judgeAll({ cases }, id);
    await cases.transition(id, 'decision_pending', 'Recommendation written');
    await expect(cases.transition(id, 'decided', 'x')).rejects.toMatchObject({
      details: { reason: 'DECISION_MISSING' },
    });
    await expect(cases.transition(id, 'in_force', 'x')).rejects.toMatchObject({
      details: { reason: 'NOT_A_TRANSITION' },
    });
    const c = cases.getCase(id);
    expect(c.state).toBe('decision_pending');
    expect(c.history.map((h) => `${h.from}>${h.to}`)).toEqual([
      'draft>submitted',
      'submitted>intake',
      'intake>under_review',
      'under_review>awaiting_remediation',
      'awaiting_remediation>under_review',
      'under_review>decision_pending',
    ]);
    expect(c.history[0]).toMatchObject({
      actor: PROFILE.name,
      role: 'accreditor',
      reason: 'Dossier complete',
    });
    expect(c.next.find((n) => n.to === 'decided')?.verdict).toMatchObject({
      ok: false,
      code: 'DECISION_MISSING',
    });
    expect(vault.audit.intact).toBe(true);
  });

  it('a system owner answers and submits, but cannot give verdicts or take the case in', async () => {
    await vault.close({ discard: true });
    folder.cleanup();
    await open('system_owner');
    const id = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    await expect(cases.updateItem(id, 'PER-01', { verdict: 'agreed' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await answerAll(id);
    await cases.transition(id, 'submitted', 'Ready');
    await expect(cases.transition(id, 'intake', 'x')).rejects.toMatchObject({
      details: { reason: 'ACCREDITOR_ONLY' },
    });
  });

  it('answers change while the case is with the owner, verdicts while it is with the authority', async () => {
    const id = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    await expect(cases.updateItem(id, 'PER-01', { verdict: 'agreed' })).rejects.toMatchObject({
      code: 'ITEM_LOCKED',
      details: { state: 'draft', part: 'verdicts' },
    });
    await answerAll(id);
    await cases.transition(id, 'submitted', 'Ready');
    await cases.transition(id, 'intake', 'Received');
    await expect(
      cases.updateItem(id, 'PER-01', { statement: 'Changed later' }),
    ).rejects.toMatchObject({
      code: 'ITEM_LOCKED',
      details: { part: 'answers' },
    });
    await cases.updateItem(id, 'PER-01', { verdict: 'agreed', assessorComment: 'Seen.' });
    expect(cases.getCase(id).items.find((i) => i.requirementId === 'PER-01')).toMatchObject({
      statement: 'We meet PER-01.',
      verdict: 'agreed',
    });
    // Findings sent back for remediation: the owner's answers are the owner's to change, not
    // the accreditor's (who reviews them in this vault).
    await cases.transition(id, 'under_review', 'Complete');
    await cases.addFinding(id, {
      title: 'Guard times',
      severity: 'major',
      requirementId: 'PHY-03',
    });
    await cases.transition(id, 'awaiting_remediation', 'Findings issued');
    await expect(
      cases.updateItem(id, 'PER-01', { statement: 'Overwritten by the authority' }),
    ).rejects.toMatchObject({ code: 'ITEM_LOCKED', details: { part: 'answers' } });
    await cases.updateItem(id, 'PER-01', { assessorComment: 'Still fine.' });
  });

  it('not applicable needs a justification before submission', async () => {
    const id = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    await answerAll(id);
    await cases.updateItem(id, 'TEM-04', { status: 'not_applicable' });
    expect(cases.getCase(id).missing).toEqual(['TEM-04: not applicable without justification']);
    await cases.updateItem(id, 'TEM-04', {
      justification: 'No wireless devices exist in the building.',
    });
    expect(cases.getCase(id).missing).toEqual([]);
  });

  it('evidence goes through the blob store with its SHA-256 and is linked to requirements', async () => {
    const id = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    const uploads = new Uploads(() => vault);
    const content = randomBytes(300_000);
    const { uploadId } = uploads.begin('ssrs.pdf', content.length);
    await uploads.chunk(uploadId, 0, content);
    const done = await uploads.finish(uploadId);
    const evidenceId = await cases.addEvidence(id, uploads.take(uploadId), {
      type: 'ssrs',
      title: 'SSRS',
      version: '1.2',
      author: 'Owner',
      effectiveDate: '2026-10-01',
      requirementIds: ['DOC-01'],
    });
    const c = cases.getCase(id);
    expect(c.evidence[0]).toMatchObject({
      id: evidenceId,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
      effectiveDate: '2026-10-01',
    });
    expect(c.items.find((i) => i.requirementId === 'DOC-01')?.evidence).toEqual([evidenceId]);
    expect(await vault.blobs.verify(done.address)).toEqual({
      sha256: done.sha256,
      size: content.length,
    });
  });

  it('imports a new catalogue version with a diff, and refuses a broken or repeated one', async () => {
    await cases.catalogues.current();
    const base = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as {
      version: string;
      requirements: { id: string; severity: string }[];
    };
    await expect(cases.catalogues.import({ ...base, requirements: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(cases.catalogues.import(base)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const next = {
      ...base,
      version: '2026.2',
      requirements: base.requirements.filter((r) => r.id !== 'APP-02'),
    };
    const result = await cases.catalogues.import(next);
    expect(result.diff).toEqual({ added: [], removed: ['APP-02'], changed: [] });
    const caseId = await cases.createCase({ systemId: await natoSecretSystem(), type: 'initial' });
    expect(cases.getCase(caseId).catalogue.version).toBe('2026.2');
  });

  it('a case uses the catalogue chosen when it is opened; importing another never changes the default', async () => {
    const systemId = await natoSecretSystem();
    const before = await cases.createCase({ systemId, type: 'initial' });
    const base = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as {
      id: string;
      version: string;
      requirements: { id: string }[];
    };
    const full = cases.getCase(before).items.length;
    // A one-requirement catalogue of another id: imported, listed, used only when chosen.
    await cases.catalogues.import({
      ...base,
      id: 'tiny',
      requirements: base.requirements.slice(0, 1),
    });
    expect((await cases.catalogues.list()).map((c) => [c.id, c.requirements, c.baseline])).toEqual([
      [base.id, base.requirements.length, true],
      ['tiny', 1, false],
    ]);
    const plain = await cases.createCase({ systemId, type: 'initial' });
    expect(cases.getCase(plain).catalogue).toEqual({ id: base.id, version: base.version });
    expect(cases.getCase(plain).items).toHaveLength(full);
    const tiny = await cases.createCase({ systemId, type: 'initial', catalogueId: 'tiny' });
    expect(cases.getCase(tiny).items.map((i) => i.requirementId)).toEqual([
      base.requirements[0]!.id,
    ]);
    await expect(
      cases.createCase({ systemId, type: 'initial', catalogueId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A newer version of the baseline: new cases take it, open ones can see what changed.
    expect(cases.catalogueDiff(before)).toBeNull();
    await cases.catalogues.import({
      ...base,
      version: '2099.1',
      requirements: base.requirements.filter((r) => r.id !== 'APP-02'),
    });
    expect(cases.catalogueDiff(before)).toEqual({
      version: '2099.1',
      diff: { added: [], removed: ['APP-02'], changed: [] },
    });
    expect(cases.catalogueDiff(tiny)).toBeNull();
    const after = await cases.createCase({ systemId, type: 'initial' });
    expect(cases.getCase(after).catalogue.version).toBe('2099.1');
    expect(cases.getCase(before).catalogue.version).toBe(base.version);
  });
});

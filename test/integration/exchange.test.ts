/**
 * The exchange between two vaults, as the accreditor and the system owner use it, and as an
 * adversary would try it: a round trip with the dossier hash equal everywhere; then a table of
 * packages that must be refused — re-signed by the wrong key, for someone else, replayed, stale,
 * skipping the lifecycle, with another dossier or a clashing reference — each leaving the vault
 * exactly as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionContent, SubmissionContent } from '../../electron/exchange/content';
import { writePackage } from '../../electron/exchange/package';
import { builtinMatrices } from '../../electron/areas/risks/repository';
import { today } from '../../electron/services/clock';
import { signPdf } from '../../electron/signing/sign';
import { signedKeywords } from '../../electron/signing/verify';
import { readCertificate } from '../../electron/signing/x509';
import { citedDossier } from '../../shared/dossier';
import { addMonths, fingerprint } from '../../shared/risk';
import { issuedAccreditor } from '../helpers/accreditor';
import { tempFolder } from '../helpers/context';
import { letter, SLOTS } from '../helpers/pdf';
import { crl, issue, type Party as PkiParty } from '../helpers/pki';
import { softwareSigner } from '../../electron/signing/identity';
import { craftPackage, manifestFor, relabel, remark, repack } from '../helpers/packages';
import { previewLine } from '../../shared/i18n';
import { answerAll, introduce, type Party, judgeAll } from '../helpers/parties';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { exchangeParty } from '../helpers/exchange-pair';

const work = tempFolder('awb-exchange-');
let owner: Party;
let authority: Party;
let outsider: Party;
let otherOwner: Party;

const party = (name: string, role: 'accreditor' | 'system_owner', prefix: string) =>
  exchangeParty(work.path, name, role, prefix);

/** Everything an import could touch: the audit trail, the blobs, and the case as it stands. */
function snapshot(p: Party, caseId: string) {
  const db = p.vault.database;
  const count = (sql: string) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  let blobs = 0;
  try {
    blobs = readdirSync(join(p.vault.folder, 'blobs')).length;
  } catch {
    blobs = 0;
  }
  const c = db.exec('SELECT state, updated_at FROM cases WHERE id = ?', [caseId])[0]?.values[0];
  return {
    audit: count('SELECT count(*) FROM audit_log'),
    log: count('SELECT count(*) FROM exchange_log'),
    blobs,
    case: c ?? null,
    items: db.exec('SELECT status, statement FROM checklist_items WHERE case_id = ?', [caseId])[0]
      ?.values,
  };
}

async function refused(
  p: Party,
  file: string,
  reason: string,
  caseId: string,
  /** Part of the refusal's detail, where the reason code alone is shared by several checks. */
  detail?: string,
) {
  const before = snapshot(p, caseId);
  await expect(p.services.exchange.importPackage(file)).rejects.toMatchObject({
    code: 'PACKAGE_REJECTED',
    details: detail ? { reason, detail: expect.stringContaining(detail) as unknown } : { reason },
  });
  expect(snapshot(p, caseId)).toEqual(before);
}

const out = (name: string) => join(work.path, 'packages', name);

/**
 * A second accreditor certified by a CA of the authority's (four eyes takes no self-signed
 * countersigner), the CA trusted as the authority here and by the owner, with its CRL.
 */
async function countersignerOf(label: string, commonName: string): Promise<string> {
  const issued = await issuedAccreditor(authority.services, {
    label,
    commonName,
    organisation: 'authority org',
  });
  await owner.services.signing.trust(issued.caPem, 'authority', fingerprintsOf(issued.caPem));
  await owner.services.signing.addCrl(issued.crl);
  return issued.identityId;
}
let caseId = '';
let systemId = '';
let submission = '';
let decision = '';
const evidenceBytes = randomBytes(300_000);

beforeAll(async () => {
  owner = await party('owner', 'system_owner', 'OWN');
  authority = await party('authority', 'accreditor', 'AUTH');
  outsider = await party('outsider', 'accreditor', 'OUT');
  otherOwner = await party('other', 'system_owner', 'OTH');
  await introduce(owner, authority);
  // The other owner is trusted as an owner too (of its own systems).
  await introduce(otherOwner, authority);

  const o = owner.services;
  systemId = await o.register.createSystem({
    ref: 'OWN-SYS-001',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  caseId = await o.cases.createCase({ systemId, type: 'initial' });
  await answerAll(o, caseId, (id) => (id === 'PER-01' ? 'non_compliant' : 'compliant'));
  const blob = await owner.vault.blobs.put(
    (async function* () {
      yield evidenceBytes;
    })(),
  );
  await o.cases.addEvidence(
    caseId,
    { ...blob, name: 'ssrs.pdf' },
    { type: 'ssrs', title: 'SSRS', version: '2.0', requirementIds: ['DOC-01'] },
  );
  const risk = await o.risks.createRisk({
    systemId,
    caseId,
    scope: 'Administrators',
    threatEvent: 'Uncleared administrator misuses access',
    confidentiality: 3,
    integrity: 2,
    availability: 2,
    likelihood: 2,
    treatment: 'reduce',
    residualLikelihood: 1,
    residualImpact: 3,
    requirementIds: ['PER-01'],
  });
  await o.risks.acceptRisk(risk, {
    justification: 'Supervised access until clearances are issued.',
    expiresOn: addMonths(today(), 6),
  });
  await o.cases.transition(caseId, 'submitted', 'Dossier complete');
  submission = (
    await o.exchange.exportPackage('submission', caseId, join(work.path, 'packages'), {
      identityId: owner.signingId,
    })
  ).file;
}, 180_000);

afterAll(async () => {
  for (const p of [owner, authority, outsider, otherOwner]) {
    await p.vault.close({ discard: true });
  }
  work.cleanup();
});

describe('the round trip', () => {
  it('a submission is named by its marking and case, and only the authority it is for opens it', async () => {
    expect(submission).toMatch(/NATO-SECRET--OWN-CASE-\d{4}-0001--submission--0001\.awbpkg$/);
    await refused(outsider, submission, 'WRONG_RECIPIENT', caseId);
  });

  it('owner → submission → authority: verified, previewed, imported intact, bound to its owner', async () => {
    const a = authority.services;
    const preview = await a.exchange.inspect(submission);
    expect(preview).toMatchObject({
      kind: 'submission',
      caseExists: false,
      sequence: 1,
      marking: 'NATO SECRET',
    });
    expect(preview.signer).toContain('CN=owner person');
    expect(preview.changes.map((c) => previewLine('en', c))).toEqual(
      expect.arrayContaining(['system OWN-SYS-001: added', '1 evidence file', '1 risk']),
    );
    expect(preview.changes.map((c) => previewLine('da', c))).toEqual(
      expect.arrayContaining(['system OWN-SYS-001: tilføjes', '1 dokumentationsfil', '1 risiko']),
    );
    // Every field an evidence file brings, its requirements too, as the audit row will name them.
    const evidenceRow = preview.changes.find((c) => c.what === 'row' && c.table === 'evidence');
    expect(evidenceRow).toMatchObject({
      fields: expect.arrayContaining([
        { field: 'title', from: null, to: 'SSRS' },
        { field: 'uploaded_at', from: null, to: expect.any(String) as unknown },
        { field: 'requirements', from: null, to: 'DOC-01' },
      ]) as unknown,
    });
    // A new risk: where it is filed (this case, whose checks it counts against) and when it was
    // made, as written; its acceptance with every field written (round 21p).
    const riskRow = preview.changes.find((c) => c.what === 'row' && c.table === 'risk');
    expect(riskRow).toMatchObject({
      fields: expect.arrayContaining([
        {
          field: 'case',
          from: null,
          to: expect.stringMatching(/^OWN-CASE-\d{4}-0001$/) as unknown,
        },
        { field: 'created_at', from: null, to: expect.any(String) as unknown },
      ]) as unknown,
    });
    const acceptanceRow = preview.changes.find((c) => c.what === 'row' && c.table === 'acceptance');
    expect(acceptanceRow).toMatchObject({
      fields: expect.arrayContaining([
        { field: 'authority', from: null, to: 'owner' },
        { field: 'at', from: null, to: expect.any(String) as unknown },
        { field: 'fingerprint', from: null, to: expect.any(String) as unknown },
      ]) as unknown,
    });
    // Inspecting changed nothing.
    expect(a.cases.listCases()).toEqual([]);

    await a.exchange.importPackage(submission, { expect: 'submission' });
    const imported = a.cases.getCase(caseId);
    const original = owner.services.cases.getCase(caseId);
    // The case keeps its sender's reference; it arrived through the lifecycle.
    expect(imported.ref).toBe(original.ref);
    expect(imported.state).toBe('submitted');
    expect(imported.history.map((h) => [h.from, h.to, h.role])).toEqual([
      ['draft', 'submitted', 'system_owner'],
    ]);
    expect(imported.items.map((i) => [i.requirementId, i.status, i.statement])).toEqual(
      original.items.map((i) => [i.requirementId, i.status, i.statement]),
    );
    // The evidence, byte for byte, still linked to its requirement.
    expect(imported.evidence).toHaveLength(1);
    const chunks: Buffer[] = [];
    for await (const chunk of authority.vault.blobs.read(imported.evidence[0]!.address)) {
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).equals(evidenceBytes)).toBe(true);
    expect(imported.items.find((i) => i.requirementId === 'DOC-01')?.evidence).toEqual([
      imported.evidence[0]!.id,
    ]);
    expect(imported.unaccepted).toEqual([]);
    // The log names the certificate that signed, not what the package claims.
    const log = a.exchange.exchangeLog()[0]!;
    expect(log).toMatchObject({
      direction: 'received',
      kind: 'submission',
      sequence: 1,
      counterpart: 'owner person',
      marking: 'NATO SECRET',
    });
    expect(log.fingerprint).toBe(owner.services.signing.identity(owner.signingId).fingerprint);
  });

  it('the authority decides (four eyes) and answers; the owner takes every step through its lifecycle', async () => {
    const a = authority.services;
    for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(a, caseId);
      }
      await a.cases.transition(caseId, to, `to ${to}`);
    }
    await a.cases.updateItem(caseId, 'PER-01', {
      verdict: 'agreed',
      assessorComment: 'Compensated by supervision.',
    });
    await a.decisions.issueDecision(caseId, {
      type: 'full_approval',
      identityId: authority.signingId,
      reason: 'Requirements met; one residual risk accepted.',
      conditions: [{ text: 'Clearances issued', owner: 'Owner', dueDate: addMonths(today(), 3) }],
    });
    // Four eyes: the colleague certified by the authority's CA, trusted here and by the owner.
    const second = await countersignerOf('second', 'countersigning officer');
    await a.decisions.countersign(caseId, { identityId: second, reason: 'Four eyes.' });
    await a.cases.transition(caseId, 'in_force', 'Notified');
    decision = (
      await a.exchange.exportPackage('decision', caseId, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;

    const o = owner.services;
    const preview = await o.exchange.inspect(decision);
    expect(preview.changes.map((c) => previewLine('en', c))).toContain(
      `case ${o.cases.getCase(caseId).ref}: Submitted → Intake → Under review → Decision pending → Decided → In force`,
    );
    await o.exchange.importPackage(decision, { expect: 'decision' });
    const c = o.cases.getCase(caseId);
    expect(c.state).toBe('in_force');
    expect(c.history.map((h) => [h.from, h.to, h.role])).toEqual([
      ['draft', 'submitted', 'system_owner'],
      ['submitted', 'intake', 'accreditor'],
      ['intake', 'under_review', 'accreditor'],
      ['under_review', 'decision_pending', 'accreditor'],
      ['decision_pending', 'decided', 'accreditor'],
      ['decided', 'in_force', 'accreditor'],
    ]);
    expect(c.findings.map((f) => [f.kind, f.title])).toEqual([['condition', 'Clearances issued']]);
    expect(c.items.find((i) => i.requirementId === 'PER-01')).toMatchObject({
      verdict: 'agreed',
      assessorComment: 'Compensated by supervision.',
    });
    const theirs = a.decisions.decision(caseId)!;
    const mine = o.decisions.decision(caseId)!;
    expect(mine).toMatchObject({
      ref: theirs.ref,
      type: 'full_approval',
      status: 'issued',
      dossierSha256: theirs.dossierSha256,
      pdfSha256: theirs.pdfSha256,
    });
    expect(mine.signatures.map((x) => x.fingerprint)).toEqual(
      theirs.signatures.map((x) => x.fingerprint),
    );
    expect(await o.signing.verify(await o.decisions.decisionPdf(caseId))).toMatchObject({
      valid: true,
    });
    // Both logs name the package by the same digest.
    const sent = a.exchange.exchangeLog().find((l) => l.direction === 'sent')!;
    const received = o.exchange.exchangeLog().find((l) => l.direction === 'received')!;
    expect(received.sha256).toBe(sent.sha256);
  });

  it('the dossier hash is one: letter, record, report and kept dossier, in both vaults', async () => {
    const hash = authority.services.decisions.decision(caseId)!.dossierSha256;
    const hashes: string[] = [];
    for (const p of [authority, owner]) {
      const d = p.services.decisions;
      hashes.push(d.decision(caseId)!.dossierSha256);
      hashes.push(citedDossier(signedKeywords(await d.decisionPdf(caseId)))!);
      const kept = d.decidedDossier(caseId)!;
      hashes.push(kept.sha256, createHash('sha256').update(kept.json).digest('hex'));
      // A report made now, after the case moved on, shows the decided dossier.
      const report = await d.issueDocument({ caseId, kind: 'dossier-report', language: 'en' });
      hashes.push(citedDossier(signedKeywords(report.pdf))!);
    }
    expect(hashes).toEqual(Array(hashes.length).fill(hash));
    // And the package verifies as a whole, the dossier recomputed from what it carries.
    const check = await owner.services.exchange.verifyPackage(decision);
    expect(check).toMatchObject({
      valid: true,
      dossier: { sha256: hash, matches: true, cites: { record: hash, letter: hash, report: hash } },
    });
  });
});

describe('the marking of a package', () => {
  it('is the highest of what it holds: evidence marked above its system raises it', async () => {
    const o = owner.services;
    const lowId = await o.register.createSystem({
      ref: 'OWN-SYS-LOW',
      name: 'Kontornet',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 3,
      minClearance: 'RESTRICTED',
    });
    const lowCase = await o.cases.createCase({ systemId: lowId, type: 'initial' });
    await answerAll(o, lowCase);
    const blob = await owner.vault.blobs.put(
      (async function* () {
        yield Buffer.from('TEMPEST zoning report');
      })(),
    );
    await o.cases.addEvidence(
      lowCase,
      { ...blob, name: 'tempest.pdf' },
      {
        type: 'tempest_report',
        title: 'TEMPEST zoning',
        version: '1',
        requirementIds: [],
        markingLevel: 'SECRET',
        markingDomain: 'nato',
      },
    );
    await o.cases.transition(lowCase, 'submitted', 'Complete');
    const { file } = await o.exchange.exportPackage('submission', lowCase, out(''), {
      identityId: owner.signingId,
    });
    // Named, labelled and signed at NATO SECRET, not at the system's TIL TJENESTEBRUG.
    expect(file).toMatch(/NATO-SECRET--OWN-CASE-\d{4}-\d{4}--submission--0001\.awbpkg$/);
    expect((await authority.services.exchange.inspect(file)).marking).toBe('NATO SECRET');
  });
});

describe('no replays, no rollback', () => {
  let suspension = '';
  let withdrawal = '';

  it('the same package twice is refused, and the case stays as it is', async () => {
    await refused(owner, decision, 'PACKAGE_REPLAYED', caseId);
    await refused(authority, submission, 'PACKAGE_REPLAYED', caseId);
  });

  it('an older package imported after a newer one is stale; the newer steps stand', async () => {
    const a = authority.services;
    // Each step after the approval is a signed decision of its own, carried in the package.
    await a.decisions.issueDecision(caseId, {
      type: 'suspension',
      identityId: authority.signingId,
      reason: 'Clearances lapsed',
    });
    suspension = (
      await a.exchange.exportPackage('decision', caseId, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    await a.decisions.issueDecision(caseId, {
      type: 'withdrawal',
      identityId: authority.signingId,
      reason: 'Not remedied in time',
    });
    withdrawal = (
      await a.exchange.exportPackage('decision', caseId, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    expect(withdrawal).toMatch(/--decision--0003\.awbpkg$/);
    // The withdrawal arrives first: it brings both steps.
    await owner.services.exchange.importPackage(withdrawal);
    expect(owner.services.cases.getCase(caseId).state).toBe('withdrawn');
    // The suspension, older, would move a withdrawn approval back: refused.
    await refused(owner, suspension, 'PACKAGE_STALE', caseId);
    // The withdrawal made again (a new digest, so no replay) has the sequence already taken:
    // stale too, at the boundary (sequence equal to the last imported, not only below it).
    const again = out('withdrawal-again.awbpkg');
    await repack(withdrawal, again, {
      keys: owner.services.signing.decryptionKeys(),
      signer: authority.services.signing.signer(authority.signingId),
      recipient: readCertificate(owner.services.signing.certificatePem(owner.encryptionId))!,
      manifest: (m) => ({ ...m, createdAt: new Date(Date.parse(m.createdAt) + 1).toISOString() }),
    });
    await refused(owner, again, 'PACKAGE_STALE', caseId, 'sequence 3, but 3 was imported');
    // And the first decision, replayed, cannot put it back in force either.
    await refused(owner, decision, 'PACKAGE_REPLAYED', caseId);
    expect(owner.services.cases.getCase(caseId).state).toBe('withdrawn');
  });

  it('a submission cannot change a case that has left the owner', async () => {
    // A new case: submitted, taken in, sent back for remediation, and the owner's update taken.
    const o = owner.services;
    const a = authority.services;
    const folder = join(work.path, 'packages');
    const second = await o.cases.createCase({ systemId, type: 'significant_change' });
    await answerAll(o, second, () => 'compliant', 'First answer');
    await o.cases.transition(second, 'submitted', 'Complete');
    const send = async () =>
      (
        await o.exchange.exportPackage('submission', second, folder, {
          identityId: owner.signingId,
        })
      ).file;
    await a.exchange.importPackage(await send());
    await a.cases.transition(second, 'intake', 'Intake');
    await a.cases.transition(second, 'under_review', 'Review');
    await a.cases.addFinding(second, { severity: 'major', title: 'Patch the servers' });
    await a.cases.transition(second, 'awaiting_remediation', 'Findings issued');
    await o.exchange.importPackage(
      (
        await a.exchange.exportPackage('decision', second, folder, {
          identityId: authority.signingId,
        })
      ).file,
    );
    expect(o.cases.getCase(second).state).toBe('awaiting_remediation');
    await o.cases.updateItem(second, 'DOC-01', { status: 'compliant', statement: 'Remedied' });
    await a.exchange.importPackage(await send());
    expect(a.cases.getCase(second).items.find((i) => i.requirementId === 'DOC-01')?.statement).toBe(
      'Remedied',
    );
    // The authority goes back to review before the owner's next update arrives: that update,
    // a genuine answer to the last package, is refused, and the answers stay as they were.
    await a.cases.transition(second, 'under_review', 'Remediation checked');
    await o.cases.updateItem(second, 'DOC-01', { statement: 'Changed later' });
    await refused(authority, await send(), 'TRANSITION_NOT_ALLOWED', second);
    expect(a.cases.getCase(second).items.find((i) => i.requirementId === 'DOC-01')?.statement).toBe(
      'Remedied',
    );
  });
});

describe('who may send what', () => {
  const keysOf = (p: Party) => p.services.signing.decryptionKeys();
  const signerOf = (p: Party, id = p.signingId) => p.services.signing.signer(id);
  const encryptionCert = (p: Party) =>
    readCertificate(p.services.signing.certificatePem(p.encryptionId))!;

  /** The genuine decision, opened with the owner's key and written again as `edit` says. */
  async function forged(
    name: string,
    edit: Partial<Parameters<typeof repack>[2]>,
    source = decision,
  ): Promise<string> {
    const file = out(`forged-${name}.awbpkg`);
    await repack(source, file, {
      keys: keysOf(owner),
      signer: signerOf(authority),
      recipient: encryptionCert(owner),
      ...edit,
    });
    return file;
  }

  /** Edits the decision content of a package (its JSON part) in place. */
  const editDecision =
    (edit: (content: DecisionContent) => void) => (parts: Map<string, Buffer>) => {
      const content = JSON.parse(parts.get('parts/decision.json')!.toString()) as DecisionContent;
      edit(content);
      parts.set('parts/decision.json', Buffer.from(JSON.stringify(content)));
    };

  /** A case the owner submitted, at the authority "decision pending". */
  async function pendingCase(): Promise<string> {
    const o = owner.services;
    const id = await o.cases.createCase({ systemId, type: 'reaccreditation' });
    await answerAll(o, id, (r) => (r === 'PER-01' ? 'non_compliant' : 'compliant'), 'Answer');
    await o.cases.transition(id, 'submitted', 'Complete');
    const sent = await o.exchange.exportPackage('submission', id, join(work.path, 'packages'), {
      identityId: owner.signingId,
    });
    await authority.services.exchange.importPackage(sent.file);
    for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(authority.services, id);
      }
      await authority.services.cases.transition(id, to, `to ${to}`);
    }
    return id;
  }

  /** A decision package as the authority would write it now, for a fresh state on both sides. */
  async function pendingDecision(): Promise<{ file: string; caseId: string }> {
    const id = await pendingCase();
    await authority.services.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    const file = (
      await authority.services.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    return { file, caseId: id };
  }

  it('refuses, each for its own reason, and takes the genuine package afterwards', async () => {
    const { file: genuine, caseId: id } = await pendingDecision();
    const table: [string, () => Promise<string>, string, string?][] = [
      [
        // The attack of the first release: a system owner's certificate sends a decision.
        'signed by the owner',
        () => forged('owner-signed', { signer: signerOf(owner) }, genuine),
        'WRONG_SENDER_ROLE',
      ],
      [
        'signed by a certificate trusted for documents only',
        async () => {
          const colleague = await owner.services.signing.createSelfSigned({
            label: 'colleague',
            commonName: 'owner colleague',
            organisation: 'owner org',
          });
          return forged('colleague', { signer: signerOf(owner, colleague) }, genuine);
        },
        'WRONG_SENDER_ROLE',
      ],
      [
        'signed by a stranger',
        () => forged('stranger', { signer: signerOf(outsider) }, genuine),
        'UNTRUSTED_SENDER',
      ],
      [
        'its manifest naming another recipient',
        () =>
          forged('recipient', { manifest: (m) => ({ ...m, recipient: 'ab'.repeat(32) }) }, genuine),
        'WRONG_RECIPIENT',
      ],
      [
        'relabelled outside',
        async () => {
          const file = out('relabelled.awbpkg');
          await remark(genuine, file, 'UNCLASSIFIED');
          return file;
        },
        'MARKING_MISMATCH',
      ],
      [
        'skipping the lifecycle (straight to in force)',
        () =>
          forged(
            'skip',
            {
              parts: editDecision((content) => {
                const first = content.transitions.find((t) => t.from === 'submitted')!;
                content.transitions = [{ ...first, from: 'submitted', to: 'in_force' }];
                content.case.state = 'in_force';
                // No verdicts: they would move outside review, refused for that first.
                content.verdicts = [];
              }),
            },
            genuine,
          ),
        'TRANSITION_NOT_ALLOWED',
      ],
      [
        'approving what the letter refuses (decided → in force)',
        () =>
          forged(
            'approve-refusal',
            {
              parts: editDecision((content) => {
                const last = content.transitions.at(-1)!;
                content.transitions.push({
                  ...last,
                  seq: last.seq + 1,
                  from: 'decided',
                  to: 'in_force',
                });
                content.case.state = 'in_force';
              }),
            },
            genuine,
          ),
        'TRANSITION_NOT_ALLOWED',
      ],
      [
        'the decision without the step it takes (decision pending → decided)',
        () =>
          forged(
            'dropped-step',
            {
              parts: editDecision((content) => {
                const last = content.transitions.pop()!;
                content.case.state = last.from;
              }),
            },
            genuine,
          ),
        'DECISION_MISMATCH',
        'arrives without the step it takes',
      ],
      [
        'two steps numbered alike',
        () =>
          forged(
            'step-twice',
            {
              parts: editDecision((content) => {
                content.transitions.at(-1)!.seq = content.transitions.at(-2)!.seq;
              }),
            },
            genuine,
          ),
        'MALFORMED',
        'numbered',
      ],
      [
        // Decisions and steps are applied in the order of their dates.
        'a step dated after the package was made',
        () =>
          forged(
            'step-future',
            {
              parts: editDecision((content) => {
                content.transitions.at(-1)!.at = '2099-01-01T00:00:00.000Z';
              }),
            },
            genuine,
          ),
        'IMPOSSIBLE_CONTENT',
        'after the package was made',
      ],
      [
        'a step dated before the step before it',
        () =>
          forged(
            'step-earlier',
            {
              parts: editDecision((content) => {
                content.transitions.at(-1)!.at = '2001-01-01T00:00:00.000Z';
              }),
            },
            genuine,
          ),
        'IMPOSSIBLE_CONTENT',
        'before the step before it',
      ],
      [
        'a step dated in words',
        () =>
          forged(
            'step-text',
            {
              parts: editDecision((content) => {
                content.transitions.at(-1)!.at = 'soon';
              }),
            },
            genuine,
          ),
        'MALFORMED',
        'is dated soon',
      ],
      [
        'another dossier than the decision cites',
        () =>
          forged(
            'dossier',
            {
              parts: (p) => {
                const text = p.get('parts/dossier-1.json')!.toString();
                p.set('parts/dossier-1.json', Buffer.from(text.replace('"Answer"', '"Answr!"')));
              },
            },
            genuine,
          ),
        'DOSSIER_MISMATCH',
      ],
      [
        // Verdicts lock at the decision: those it brings must be the dossier's the letter cites.
        'a verdict other than the one the decision’s dossier holds',
        () =>
          forged(
            'verdict-dossier',
            {
              parts: editDecision((content) => {
                content.verdicts[0]!.verdict = 'disagreed';
              }),
            },
            genuine,
          ),
        'DOSSIER_MISMATCH',
        'is not the one the decision',
      ],
      [
        // The record is what the receiving vault acts on: it must be the one the letter binds;
        // and before that, a decision that ends nothing carries no end (round 20k: a
        // one-signature suspension carrying one would have been the approval's end here).
        'a refusal whose record gives it a validity of three years',
        () =>
          forged(
            'record-validity',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.valid_from = today();
                content.decisions.at(-1)!.valid_to = addMonths(today(), 36);
              }),
            },
            genuine,
          ),
        'IMPOSSIBLE_CONTENT',
        'carries no end of validity',
      ],
      [
        'a record whose accepted risks are not the letter’s',
        () =>
          forged(
            'record-risks',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.accepted_risks = JSON.stringify([
                  { ref: 'RSK-9999', residualLevel: 'very_high', expiresOn: null },
                ]);
              }),
            },
            genuine,
          ),
        'DECISION_MISMATCH',
      ],
      [
        // The day a decision was made orders it among the case's decisions and steps.
        'a record dated otherwise than the letter’s',
        () =>
          forged(
            'record-created',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.created_at = '2001-01-01T00:00:00.000Z';
              }),
            },
            genuine,
          ),
        'DECISION_MISMATCH',
      ],
      [
        'a record in another language than the letter’s',
        () =>
          forged(
            'record-language',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.language = 'en';
              }),
            },
            genuine,
          ),
        'DECISION_MISMATCH',
      ],
      [
        'a record whose system scope is not the letter’s',
        () =>
          forged(
            'record-mode',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.mode = 'multi_level';
              }),
            },
            genuine,
          ),
        'DECISION_MISMATCH',
      ],
      [
        // The record says four eyes; the letter carries one signature.
        'a decision needing four eyes whose letter one accreditor signed',
        () =>
          forged(
            'one-signature',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.signatures_required = 2;
              }),
            },
            genuine,
          ),
        'FOUR_EYES_NOT_MET',
      ],
      [
        // The record claims one signature is enough; this vault's policy for a NATO SECRET
        // approval asks for two, and the letter has one.
        'an approval of a NATO SECRET system claiming it needs one signature',
        () =>
          forged(
            'claims-one',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.type = 'full_approval';
                content.decisions.at(-1)!.signatures_required = 1;
              }),
            },
            genuine,
          ),
        'FOUR_EYES_NOT_MET',
      ],
      ...(['amendment', 'reinstatement'] as const).map(
        (type): [string, () => Promise<string>, string] => [
          // Round 20j: one accreditor alone moved the end of a SECRET approval by an amendment.
          `a one-signature ${type} of a NATO SECRET system's approval`,
          () =>
            forged(
              `one-signature-${type}`,
              {
                parts: editDecision((content) => {
                  content.decisions.at(-1)!.type = type;
                  content.decisions.at(-1)!.signatures_required = 1;
                }),
              },
              genuine,
            ),
          'FOUR_EYES_NOT_MET',
        ],
      ),
      [
        // The package is the authority's; the letter in it is signed by someone the owner trusts
        // for documents only (a colleague), not as an authority.
        'a letter signed by someone not trusted as an authority',
        async () => {
          const colleague = await owner.services.signing.createSelfSigned({
            label: 'letter colleague',
            commonName: 'owner letter colleague',
            organisation: 'owner org',
          });
          const pdf = await signPdf(await letter(), signerOf(owner, colleague), {
            field: 'Signature1',
            slot: SLOTS[0]!,
            appearance: { title: 'Decision', lines: [] },
            name: 'owner letter colleague',
            reason: 'Decision',
            location: 'Test',
            signingTime: new Date(),
          });
          return forged(
            'letter-colleague',
            { parts: (p) => p.set('parts/decision-1.pdf', pdf) },
            genuine,
          );
        },
        'WRONG_SENDER_ROLE',
      ],
      [
        // Letter and report cite the dossier carried; the record alone cites another: each of
        // the three must match, not one.
        'a record citing another dossier than its letter and report',
        () =>
          forged(
            'record-dossier',
            {
              parts: editDecision((content) => {
                content.decisions.at(-1)!.dossier_sha256 = 'ab'.repeat(32);
              }),
            },
            genuine,
          ),
        'DOSSIER_MISMATCH',
      ],
      [
        'a decision whose manifest names a system owner as its sender',
        () =>
          forged(
            'sender-role',
            { manifest: (m) => ({ ...m, sender: { ...m.sender, role: 'system_owner' } }) },
            genuine,
          ),
        'MALFORMED',
        'the sender role does not fit the kind',
      ],
      [
        'a decision on a case that belongs to another system here',
        () =>
          forged(
            'case-system',
            {
              manifest: (m) => ({
                ...m,
                system: { ...m.system, id: 'c0ffee00-0000-4000-8000-0000000000aa' },
              }),
            },
            genuine,
          ),
        'MALFORMED',
        'the case belongs to another system here',
      ],
      [
        'a letter altered after it was signed',
        () =>
          forged(
            'letter',
            {
              parts: (p) => {
                const letter = Buffer.from(p.get('parts/decision-1.pdf')!);
                letter[400]! ^= 0x01;
                p.set('parts/decision-1.pdf', letter);
              },
            },
            genuine,
          ),
        'SIGNATURE_INVALID',
      ],
      [
        'content about another case than its manifest',
        () =>
          forged(
            'content-case',
            {
              parts: editDecision((content) => {
                content.case.id = caseId;
              }),
            },
            genuine,
          ),
        'MALFORMED',
      ],
      [
        'for a case this vault does not have',
        () =>
          forged(
            'unknown-case',
            {
              manifest: (m) => ({
                ...m,
                case: { id: 'c0ffee00-0000-4000-8000-000000000000', ref: 'X-1' },
              }),
            },
            genuine,
          ),
        'UNKNOWN_CASE',
      ],
      [
        'answering a package this vault never sent',
        () =>
          forged('previous', { manifest: (m) => ({ ...m, previous: 'cd'.repeat(32) }) }, genuine),
        'OUT_OF_SEQUENCE',
      ],
      [
        // The authority's trail, as its earlier packages cited it, cannot shrink: its vault was
        // put back to an older copy between two packages.
        "the sender's audit trail shorter than an earlier package of theirs cited",
        () =>
          forged(
            'trail-shorter',
            { manifest: (m) => ({ ...m, auditAnchor: { ...m.auditAnchor, rows: 1 } }) },
            genuine,
          ),
        'SENDER_TRAIL_SHORTER',
      ],
      [
        "the sender's trail as long as one cited before but ending otherwise",
        () =>
          forged(
            'trail-forked',
            {
              manifest: (m) => ({
                ...m,
                auditAnchor: { rows: citedBefore(), head: 'ef'.repeat(32) },
              }),
            },
            genuine,
          ),
        'SENDER_TRAIL_FORKED',
      ],
    ];
    // The longest trail the authority's packages have cited to the owner so far.
    const citedBefore = () =>
      Number(
        owner.vault.database.exec(
          "SELECT max(anchor_rows) FROM exchange_log WHERE direction = 'received'",
        )[0]!.values[0]![0],
      );
    expect(citedBefore()).toBeGreaterThan(1);
    for (const [name, make, reason, detail] of table) {
      const file = await make();
      await refused(owner, file, reason, id, detail).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    // None of them spent the genuine package's place.
    await owner.services.exchange.importPackage(genuine);
    expect(owner.services.cases.getCase(id).state).toBe('decided');
  });

  it('risks arrive with a decision as its letter and dossier have them', async () => {
    const a = authority.services;
    const id = await pendingCase();
    const risk = await a.risks.createRisk({
      systemId,
      caseId: id,
      scope: 'Reception',
      threatEvent: 'Visitors read screens',
      confidentiality: 2,
      integrity: null,
      availability: null,
      likelihood: 2,
      treatment: 'accept',
      residualLikelihood: 2,
      residualImpact: 2,
    });
    const expiresOn = addMonths(today(), 6);
    await a.risks.acceptRisk(risk, { justification: 'Screens face away.', expiresOn });
    await a.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    const ref = a.risks.getRisk(risk).ref;
    expect(a.decisions.decision(id)!.acceptedRisks).toEqual([
      expect.objectContaining({ ref, expiresOn }),
    ]);
    const genuine = (
      await a.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    const ours = (c: DecisionContent) => c.risks.find((r) => r.ref === ref)!;
    const acceptance = (c: DecisionContent) => c.acceptances.find((x) => x.risk_id === risk)!;
    const table: [string, (content: DecisionContent) => void, string, string][] = [
      [
        'the accepted risk’s acceptance running to 2099',
        (c) => void (acceptance(c).expires_on = '2099-12-31'),
        'DECISION_MISMATCH',
        'does not arrive accepted as the decision',
      ],
      [
        'the accepted risk arriving without its acceptance',
        (c) => void (c.acceptances = c.acceptances.filter((x) => x.risk_id !== risk)),
        'DECISION_MISMATCH',
        'does not arrive accepted as the decision',
      ],
      [
        'the accepted risk not arriving at all',
        (c) => {
          c.risks = c.risks.filter((r) => r.ref !== ref);
          c.riskLinks = c.riskLinks.filter((l) => l.risk_id !== risk);
          c.acceptances = c.acceptances.filter((x) => x.risk_id !== risk);
        },
        'DOSSIER_MISMATCH',
        'of the decision’s dossier does not arrive'.replace('’', "'"),
      ],
      [
        // The receiver works out the levels from the scores: the level names alone prove nothing.
        'the accepted risk scored higher, its level names kept',
        (c) => {
          ours(c).likelihood = 5;
          ours(c).impact_c = 5;
          ours(c).residual_likelihood = 5;
          ours(c).residual_impact = 5;
        },
        'DOSSIER_MISMATCH',
        'is not as the decision',
      ],
      [
        'the accepted risk under a look-alike reference (Cyrillic А), its treatment changed',
        (c) => {
          const row = ours(c);
          row.ref = `\u0410${ref.slice(1)}`;
          row.treatment = 'share';
        },
        'DOSSIER_MISMATCH',
        'is not as the decision',
      ],
      [
        'a second acceptance dated in words',
        (c) => void c.acceptances.push({ ...acceptance(c), at: 'zzz' }),
        'MALFORMED',
        'dated zzz',
      ],
      [
        'a second acceptance dated after the package was made',
        (c) =>
          void c.acceptances.push({
            ...acceptance(c),
            at: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        'IMPOSSIBLE_CONTENT',
        'after the package was made',
      ],
      [
        'the risk said to have changed after the package was made',
        (c) => {
          ours(c).treatment = 'avoid';
          ours(c).updated_at = '2099-01-01T00:00:00.000Z';
        },
        'IMPOSSIBLE_CONTENT',
        'after the package was made',
      ],
      [
        'the risk made on a day that is no day',
        (c) => void (ours(c).created_at = '9999-99-99'),
        'MALFORMED',
        'has created_at 9999-99-99',
      ],
      [
        'the accepted risk at another residual level',
        (c) => void (ours(c).residual_level = 'very_low'),
        'DOSSIER_MISMATCH',
        'is not as the decision',
      ],
      [
        'the risk under another treatment',
        (c) => void (ours(c).treatment = 'avoid'),
        'DOSSIER_MISMATCH',
        'is not as the decision',
      ],
      [
        // The register shows the newest acceptance that still accepts the risk as it stands:
        // the genuine one given another fingerprint no longer does, and would let an earlier
        // one with another end stand while the letter check read the newest by date.
        'the genuine acceptance made stale, one with another end dated a millisecond before it',
        (c) => {
          const genuineAcceptance = acceptance(c);
          c.acceptances.unshift({
            ...genuineAcceptance,
            expires_on: addMonths(today(), 23),
            at: new Date(Date.parse(genuineAcceptance.at) - 1).toISOString(),
          });
          genuineAcceptance.fingerprint = 'f'.repeat(64);
        },
        'DECISION_MISMATCH',
        'does not arrive accepted as the decision',
      ],
      [
        // The register shows the newer: one dated between the letter's and the decision.
        'another acceptance with another end, dated after the genuine one and before the decision',
        (c) => {
          const genuineAcceptance = acceptance(c);
          c.acceptances.push({
            ...genuineAcceptance,
            expires_on: addMonths(today(), 5),
            at: new Date(Date.parse(genuineAcceptance.at) + 1).toISOString(),
          });
        },
        'DECISION_MISMATCH',
        'does not arrive accepted as the decision',
      ],
      [
        // Moved past the decision with another end: none made before it ends when the letter says.
        'the acceptance re-dated after the decision, with another end',
        (c) => {
          const genuineAcceptance = acceptance(c);
          genuineAcceptance.expires_on = addMonths(today(), 23);
          const decidedAt = String(c.decisions.at(-1)!.created_at);
          genuineAcceptance.at = new Date(Date.parse(decidedAt) + 1).toISOString();
        },
        'DECISION_MISMATCH',
        'does not arrive accepted as the decision',
      ],
    ];
    for (const [name, edit, reason, detail] of table) {
      const file = await forged(`risk-${name.length}`, { parts: editDecision(edit) }, genuine);
      await refused(owner, file, reason, id, detail).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    // A change made after the decision is the authority's to send, dated after it. An
    // acceptance dated a minute before the genuine one is written before it: the register
    // shows the newest by date, the one the letter lists.
    const stamp = new Date().toISOString();
    const later = await forged(
      'risk-later',
      {
        manifest: (m) => ({ ...m, createdAt: stamp }),
        parts: editDecision((c) => {
          ours(c).treatment = 'reduce';
          ours(c).updated_at = stamp;
          const genuineAcceptance = acceptance(c);
          c.acceptances.push({
            ...genuineAcceptance,
            expires_on: addMonths(today(), 18),
            at: new Date(Date.parse(genuineAcceptance.at) - 60_000).toISOString(),
          });
        }),
      },
      genuine,
    );
    await owner.services.exchange.importPackage(later);
    expect(owner.services.risks.getRisk(risk)).toMatchObject({
      treatment: 'reduce',
      acceptance: { expiresOn },
    });
  });

  it('a risk of the authority’s the owner holds from an earlier package arrives again with the decision', async () => {
    const a = authority.services;
    const id = await pendingCase();
    const body = (scope: string, residualLikelihood: number) => ({
      systemId,
      caseId: id,
      scope,
      threatEvent: 'Unescorted contractors copy disks',
      confidentiality: 5,
      integrity: 5,
      availability: 4,
      likelihood: 4,
      treatment: 'reduce' as const,
      residualLikelihood,
      residualImpact: 5,
    });
    const risk = await a.risks.createRisk(body('Server room (mitigated)', 1));
    const folder = join(work.path, 'packages');
    await owner.services.exchange.importPackage(
      (await a.exchange.exportPackage('decision', id, folder, { identityId: authority.signingId }))
        .file,
    );
    // Revised before the decision: the dossier holds the revision, the owner the first version.
    await a.risks.updateRisk(risk, body('Server room: no controls yet', 4));
    await a.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    const genuine = (
      await a.exchange.exportPackage('decision', id, folder, { identityId: authority.signingId })
    ).file;
    const left = await forged(
      'risk-left-out',
      {
        parts: editDecision((c) => {
          c.risks = c.risks.filter((x) => x.id !== risk);
          c.riskLinks = c.riskLinks.filter((l) => l.risk_id !== risk);
          c.acceptances = c.acceptances.filter((x) => x.risk_id !== risk);
        }),
      },
      genuine,
    );
    await refused(owner, left, 'DOSSIER_MISMATCH', id, "of the decision's dossier does not arrive");
    await owner.services.exchange.importPackage(genuine);
    expect(owner.services.risks.getRisk(risk).scope).toBe('Server room: no controls yet');
  });

  it('the owner may accept its own risk again whenever it likes: the authority’s acceptance still arrives', async () => {
    const o = owner.services;
    const a = authority.services;
    const id = await o.cases.createCase({ systemId, type: 'reaccreditation' });
    await answerAll(o, id, (r) => (r === 'PER-01' ? 'non_compliant' : 'compliant'), 'Answer');
    const risk = await o.risks.createRisk({
      systemId,
      caseId: id,
      scope: 'Printer',
      threatEvent: 'Print-outs left in the tray',
      confidentiality: 1,
      integrity: null,
      availability: null,
      likelihood: 1,
      treatment: 'accept',
      residualLikelihood: 1,
      residualImpact: 1,
    });
    await o.cases.transition(id, 'submitted', 'Complete');
    const folder = join(work.path, 'packages');
    await a.exchange.importPackage(
      (await o.exchange.exportPackage('submission', id, folder, { identityId: owner.signingId }))
        .file,
    );
    for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(a, id);
      }
      await a.cases.transition(id, to, `to ${to}`);
    }
    await a.risks.acceptRisk(risk, {
      justification: 'The authority accepts it.',
      expiresOn: addMonths(today(), 12),
    });
    await a.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    const file = (
      await a.exchange.exportPackage('decision', id, folder, { identityId: authority.signingId })
    ).file;
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Meanwhile the owner accepts its own risk (as it may at any time), after the authority did.
    await o.risks.acceptRisk(risk, {
      justification: 'We accept it too.',
      expiresOn: addMonths(today(), 6),
    });
    await o.exchange.importPackage(file);
    expect(o.cases.getCase(id).state).toBe('decided');
  });

  it('a decision’s conditions arrive as its letter’s signers signed them, and stay so; its id is its own', async () => {
    const a = authority.services;
    // An approval with a condition, countersigned (four eyes), as the owner would receive it.
    const { file: otherFile, caseId: other } = await pendingDecision();
    await owner.services.exchange.importPackage(otherFile);
    const id = await pendingCase();
    const held = owner.services.decisions.decision(other)!;
    await a.decisions.issueDecision(id, {
      type: 'full_approval',
      identityId: authority.signingId,
      reason: 'Met, on a condition.',
      conditions: [
        {
          text: 'Patch the firewall within two months',
          owner: 'Owner',
          dueDate: addMonths(today(), 2),
          requirementId: 'PER-01',
        },
      ],
    });
    // Four eyes: the colleague certified by the authority's CA, trusted here and by the owner.
    const second = await countersignerOf('conditions second', 'authority conditions second');
    await a.decisions.countersign(id, { identityId: second, reason: 'Four eyes.' });
    const genuine = (
      await a.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    // The record binds its conditions: the letter's signers signed their hash.
    const issued = a.decisions.decision(id)!;
    const condition = (content: DecisionContent) =>
      content.findings.find((f) => f.kind === 'condition')!;
    const table: [string, (content: DecisionContent) => void, string][] = [
      [
        'the condition reworded',
        (c) => void (condition(c).title = 'Consider a firewall'),
        'DECISION_MISMATCH',
      ],
      [
        'the condition’s text in the description reworded',
        (c) => void (condition(c).description = `${issued.ref}: Consider a firewall`),
        'DECISION_MISMATCH',
      ],
      [
        'the condition due ten years later, and verified',
        (c) => {
          condition(c).due_date = addMonths(today(), 120);
          condition(c).status = 'verified';
        },
        'DECISION_MISMATCH',
      ],
      [
        'the condition for another requirement',
        (c) => void (condition(c).requirement_id = null),
        'DECISION_MISMATCH',
      ],
      [
        'the condition another’s to meet',
        (c) => void (condition(c).owner = 'Nobody'),
        'DECISION_MISMATCH',
      ],
      [
        'the condition left out',
        (c) => void (c.findings = c.findings.filter((f) => f.kind !== 'condition')),
        'DECISION_MISMATCH',
      ],
      [
        'the record without its conditions',
        (c) => void (c.decisions.at(-1)!.conditions = '[]'),
        'DECISION_MISMATCH',
      ],
      [
        // The record carrying the id of a decision this vault holds for another case: it would
        // be ignored as known, or change that decision's signatures.
        'the decision under the id of another case’s decision',
        (c) => {
          c.decisions.at(-1)!.id = held.id;
          c.transitions = [];
          c.case.state = 'submitted';
        },
        'OUTSIDE_CASE',
      ],
    ];
    for (const [name, edit, reason] of table) {
      const file = await forged(`conditions-${name}`, { parts: editDecision(edit) }, genuine);
      await refused(owner, file, reason, id).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    expect(owner.services.decisions.decision(other)!.signatures).toEqual(held.signatures);
    await owner.services.exchange.importPackage(genuine);
    const mine = owner.services.cases.getCase(id).findings.filter((f) => f.kind === 'condition');
    expect(mine.map((f) => [f.title, f.dueDate, f.status])).toEqual([
      ['Patch the firewall within two months', addMonths(today(), 2), 'open'],
    ]);

    // Afterwards only its status moves: the authority verifies it, then suspends the approval.
    const theirs = a.cases.getCase(id).findings.find((f) => f.kind === 'condition')!;
    await a.cases.setFindingStatus(theirs.id, 'verified', 'Seen patched');
    await a.cases.transition(id, 'in_force', 'Notified');
    await a.decisions.issueDecision(id, {
      type: 'suspension',
      identityId: authority.signingId,
      reason: 'Incident',
    });
    const later = (
      await a.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    const suspension = (c: DecisionContent) => c.decisions.find((d) => d.type === 'suspension')!;
    const after: [string, (content: DecisionContent) => void, string][] = [
      [
        'the held condition due later',
        (c) => void (condition(c).due_date = addMonths(today(), 120)),
        'DECISION_MISMATCH',
      ],
      [
        'the held condition reworded',
        (c) => void (condition(c).title = 'Consider a firewall'),
        'DECISION_MISMATCH',
      ],
      [
        // A new decision under the id of the one held: skipped as known, it would be lost.
        'the suspension under the approval’s id',
        (c) => void (suspension(c).id = issued.id),
        'DUPLICATE_ROW',
      ],
      [
        'the approval held here under another reference',
        (c) => void (c.decisions.find((d) => d.id === issued.id)!.ref = 'DEC-9999-0001'),
        'REFERENCE_CLASH',
      ],
    ];
    for (const [name, edit, reason] of after) {
      const file = await forged(`conditions-later-${name}`, { parts: editDecision(edit) }, later);
      await refused(owner, file, reason, id).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    await owner.services.exchange.importPackage(later);
    expect(
      owner.services.cases
        .getCase(id)
        .findings.filter((f) => f.kind === 'condition')
        .map((f) => [f.title, f.dueDate, f.status]),
    ).toEqual([['Patch the firewall within two months', addMonths(today(), 2), 'verified']]);
  });

  it('after the decision its verdicts and findings stand: no row twice, no finding made a condition', async () => {
    const a = authority.services;
    const id = await pendingCase();
    await a.cases.addFinding(id, {
      severity: 'major',
      title: 'Clearances missing',
      requirementId: 'PER-01',
    });
    await a.decisions.issueDecision(id, {
      type: 'refusal',
      identityId: authority.signingId,
      reason: 'Not ready.',
      conditions: [],
    });
    const genuine = (
      await a.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
        identityId: authority.signingId,
      })
    ).file;
    await owner.services.exchange.importPackage(genuine);
    expect(owner.services.cases.getCase(id).state).toBe('decided');
    // One accreditor re-packs the package as a later one of the case.
    const later = (name: string, edit: (content: DecisionContent) => void) =>
      forged(
        `after-${name}`,
        {
          manifest: (m) => ({
            ...m,
            sequence: m.sequence + 1,
            createdAt: new Date(Date.parse(m.createdAt) + 1).toISOString(),
          }),
          parts: editDecision(edit),
        },
        genuine,
      );
    const ref = a.decisions.decision(id)!.ref;
    const table: [string, (content: DecisionContent) => void, string, string][] = [
      [
        'every verdict turned to disagreed',
        (c) => c.verdicts.forEach((v) => void (v.verdict = 'disagreed')),
        'VERDICT_LOCKED',
        'would change while the case is decided, not under review',
      ],
      [
        'a verdict given twice, the second undoing the first',
        (c) => c.verdicts.push({ ...c.verdicts[0]!, verdict: 'disagreed' }),
        'DUPLICATE_ROW',
        'two rows of verdicts are',
      ],
      [
        'a finding given twice',
        (c) => c.findings.push({ ...c.findings[0]!, title: 'Nothing missing' }),
        'DUPLICATE_ROW',
        'two rows of findings are',
      ],
      [
        'the finding made a condition of the decision',
        (c) => {
          const f = c.findings[0]!;
          f.kind = 'condition';
          f.description = `${ref}: Clearances missing`;
        },
        'DECISION_MISMATCH',
        'would become a condition that no decision',
      ],
    ];
    for (const [name, edit, reason, detail] of table) {
      await refused(owner, await later(name, edit), reason, id, detail).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    const held = owner.services.cases.getCase(id);
    expect(held.findings.map((f) => [f.kind, f.title])).toEqual([
      ['finding', 'Clearances missing'],
    ]);
    expect(new Set(held.items.map((i) => i.verdict))).toEqual(new Set(['agreed']));
  });

  it('one import at a time: a second waits for the first, and a package taken twice at once is taken once', async () => {
    const { file, caseId: id } = await pendingDecision();
    // The import stage (electron/areas/exchange/apply.ts), watched where each import runs.
    const service = (
      owner.services.exchange as unknown as {
        applier: { importOnce: (...args: unknown[]) => Promise<unknown> };
      }
    ).applier;
    const original = service.importOnce.bind(service);
    const events: string[] = [];
    service.importOnce = async (...args: unknown[]) => {
      events.push('start');
      try {
        return await original(...args);
      } finally {
        events.push('end');
      }
    };
    try {
      const results = await Promise.allSettled([
        owner.services.exchange.importPackage(file),
        owner.services.exchange.importPackage(file),
      ]);
      expect(events).toEqual(['start', 'end', 'start', 'end']);
      expect(results[0].status).toBe('fulfilled');
      expect(results[1]).toMatchObject({
        status: 'rejected',
        reason: { code: 'PACKAGE_REJECTED', details: { reason: 'PACKAGE_REPLAYED' } },
      });
    } finally {
      service.importOnce = original;
    }
    expect(owner.services.cases.getCase(id).state).toBe('decided');
    expect(readdirSync(owner.vault.folder).filter((n) => n.endsWith('.pending'))).toEqual([]);
  });

  it('the signers of a decision received are the letter’s, whoever the package names', async () => {
    const { file: genuine, caseId: id } = await pendingDecision();
    const named = await forged(
      'named-signers',
      {
        parts: editDecision((content) => {
          const d = content.decisions.at(-1)!;
          d.signer_subject = 'CN=Director General, O=Authority';
          d.signatures = d.signatures.map((x) => ({
            ...x,
            signer_subject: 'CN=Director General, O=Authority',
            signer_fingerprint: 'ab'.repeat(32),
            signed_by: 'Director General',
          }));
        }),
      },
      genuine,
    );
    await owner.services.exchange.importPackage(named);
    const held = owner.services.decisions.decision(id)!;
    const real = authority.services.decisions.decision(id)!;
    expect(held.signer).toBe(real.signer);
    expect(held.signerFingerprint).toBe(real.signerFingerprint);
    expect(held.signatures.map((x) => [x.field, x.subject, x.fingerprint])).toEqual(
      real.signatures.map((x) => [x.field, x.subject, x.fingerprint]),
    );
    expect(JSON.stringify(held)).not.toContain('Director General');
  });

  it('a vault refuses the kind it does not receive, and the system owner another owner', async () => {
    // A decision, sent to the authority by a certificate it trusts as an authority.
    const colleague = await authority.services.signing.createSelfSigned({
      label: 'colleague accreditor',
      commonName: 'authority colleague',
      organisation: 'authority org',
    });
    await authority.services.signing.setTrustRole(
      authority.services.signing.identity(colleague).fingerprint,
      'authority',
    );
    const toAuthority = out('decision-to-authority.awbpkg');
    await repack(decision, toAuthority, {
      keys: keysOf(owner),
      signer: signerOf(authority, colleague),
      recipient: encryptionCert(authority),
      manifest: (m) => ({
        ...m,
        recipient: authority.services.signing.identity(authority.encryptionId).fingerprint,
      }),
    });
    await refused(authority, toAuthority, 'WRONG_KIND', caseId);

    // Another owner, trusted as an owner, submitting for this owner's system.
    const hijack = out('hijack.awbpkg');
    await repack(submission, hijack, {
      keys: keysOf(authority),
      signer: signerOf(otherOwner),
      recipient: encryptionCert(authority),
      manifest: (m) => ({ ...m, sequence: 7 }),
    });
    await refused(authority, hijack, 'NOT_SYSTEM_OWNER', caseId);
  });

  it('a system is bound to its owner’s anchor and name: another of either is NOT_SYSTEM_OWNER', async () => {
    // The owner's organisation CA with two people under it, and a look-alike of the first (the
    // same name) under an anchor of its own. A fresh authority trusts both anchors as owners:
    // each check alone must refuse, the other one passing.
    const org = await issue({ name: 'CN=Owner Org CA, O=owner org, C=DK', ca: true });
    const alice = await issue({ name: 'CN=Owner Alice, O=owner org, C=DK', issuer: org });
    const bob = await issue({ name: 'CN=Owner Bob, O=owner org, C=DK', issuer: org });
    const twin = await issue({ name: 'CN=Owner Alice, O=owner org, C=DK' });
    const fresh = await party('bound-authority', 'accreditor', 'BND');
    try {
      for (const pem of [org.pem, twin.pem]) {
        await fresh.services.signing.trust(pem, 'owner', fingerprintsOf(pem));
      }
      await fresh.services.signing.addCrl(Buffer.from((await crl(org, [])).rawData));
      const to = readCertificate(fresh.services.signing.certificatePem(fresh.encryptionId))!;
      const from = async (name: string, who: PkiParty, chain: PkiParty[], sequence: number) => {
        const file = out(`bound-${name}.awbpkg`);
        await repack(submission, file, {
          keys: keysOf(authority),
          signer: softwareSigner(who.key, [who.der, ...chain.map((c) => c.der)]),
          recipient: to,
          manifest: (m) => ({ ...m, sequence }),
        });
        return file;
      };
      // Alice's submission binds the system to the organisation's anchor and to her name.
      await fresh.services.exchange.importPackage(await from('alice', alice, [org], 1));
      expect(
        fresh.vault.database.exec('SELECT anchor, subject FROM system_senders')[0]?.values,
      ).toEqual([[createHash('sha256').update(org.der).digest('hex'), alice.cert.subject]]);
      // Bob: the bound anchor, another name.
      await refused(fresh, await from('bob', bob, [org], 2), 'NOT_SYSTEM_OWNER', caseId);
      // The look-alike: the bound name, another anchor.
      expect(twin.cert.subject).toBe(alice.cert.subject);
      await refused(fresh, await from('twin', twin, [], 2), 'NOT_SYSTEM_OWNER', caseId);
      // A binding kept from before names were bound (migration 008 leaves the subject empty)
      // holds the anchor only: Bob passes it and is refused for what his package lacks, the
      // look-alike still is not the owner.
      fresh.vault.database.run("UPDATE system_senders SET subject = ''");
      await refused(fresh, await from('bob-legacy', bob, [org], 2), 'PREVIOUS_MISSING', caseId);
      await refused(fresh, await from('twin-legacy', twin, [], 2), 'NOT_SYSTEM_OWNER', caseId);
    } finally {
      await fresh.vault.close({ discard: true });
    }
  });

  it('a reference that names something else here is refused, not renamed', async () => {
    const o = otherOwner.services;
    const theirSystem = await o.register.createSystem({
      ref: 'OWN-SYS-001', // the same reference as the first owner's system
      name: 'Other net',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 3,
      minClearance: 'RESTRICTED',
    });
    const theirCase = await o.cases.createCase({ systemId: theirSystem, type: 'initial' });
    await answerAll(o, theirCase);
    await o.cases.transition(theirCase, 'submitted', 'Complete');
    const file = (
      await o.exchange.exportPackage('submission', theirCase, join(work.path, 'packages'), {
        identityId: otherOwner.signingId,
      })
    ).file;
    await refused(authority, file, 'REFERENCE_CLASH', theirCase);
    expect(
      authority.services.register.listSystems().filter((s) => s.ref === 'OWN-SYS-001'),
    ).toHaveLength(1);
    // A case under a reference the authority already holds for another case.
    const taken = authority.services.cases.getCase(caseId).ref;
    const renamed = out('case-clash.awbpkg');
    await repack(file, renamed, {
      keys: authority.services.signing.decryptionKeys(),
      signer: otherOwner.services.signing.signer(otherOwner.signingId),
      recipient: readCertificate(
        authority.services.signing.certificatePem(authority.encryptionId),
      )!,
      manifest: (m) => ({
        ...m,
        case: { ...m.case, ref: taken },
        system: { ...m.system, ref: 'OTH-SYS-9' },
      }),
    });
    await refused(authority, renamed, 'REFERENCE_CLASH', theirCase);
  });

  it('what each vault may write: its own kind, at its step, to a trusted encryption certificate', async () => {
    const folder = join(work.path, 'refused');
    await expect(
      owner.services.exchange.exportPackage('decision', caseId, folder, {
        identityId: owner.signingId,
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_REFUSED', details: { reason: 'WRONG_ROLE' } });
    await expect(
      authority.services.exchange.exportPackage('submission', caseId, folder, {
        identityId: authority.signingId,
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_REFUSED', details: { reason: 'WRONG_ROLE' } });
    const draft = await owner.services.cases.createCase({ systemId, type: 'interconnection' });
    await expect(
      owner.services.exchange.exportPackage('submission', draft, folder, {
        identityId: owner.signingId,
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_REFUSED', details: { reason: 'NOT_SENT_NOW' } });
    // The encryption key does not sign.
    await expect(
      authority.services.exchange.exportPackage('decision', caseId, folder, {
        identityId: authority.encryptionId,
      }),
    ).rejects.toMatchObject({ code: 'SIGNING_IDENTITY_INVALID' });
    // Nobody to encrypt to: the outsider trusts no owner.
    expect(outsider.services.exchange.recipients('decision')).toEqual([]);
    expect(readdirSync(work.path)).not.toContain('refused');
  });

  it('a signing certificate is no recipient, and a package to it opens nowhere', async () => {
    const signingCert = readCertificate(owner.services.signing.certificatePem(owner.signingId))!;
    const file = out('to-signing-key.awbpkg');
    await expect(
      writePackage(file, {
        manifest: {
          kind: 'submission',
          createdAt: new Date().toISOString(),
          sender: { name: 'x', organisation: 'y', role: 'system_owner' },
          case: { id: 'c', ref: 'c' },
          system: { id: 's', ref: 's' },
          sequence: 1,
          previous: null,
          replyTo: null,
          marking: { text: 'UNMARKED', rank: 0 },
          auditAnchor: { rows: 0, head: '0'.repeat(64) },
        },
        parts: [],
        signer: signerOf(authority),
        recipient: signingCert,
      }),
    ).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    // Made by hand (the envelope alone does not ask): the owner's signing key opens nothing.
    const manifest = manifestFor([], signingCert, { case: { id: caseId, ref: 'x' } });
    await craftPackage(file, {
      recipient: signingCert,
      signer: signerOf(authority),
      manifest: Buffer.from(JSON.stringify(manifest)),
      inner: [],
    });
    await refused(owner, file, 'WRONG_RECIPIENT', caseId);
  });
});

describe('a package carries only what its sender may decide', () => {
  const folder = () => join(work.path, 'packages');
  const encryptionCert = (p: Party) =>
    readCertificate(p.services.signing.certificatePem(p.encryptionId))!;

  /** A genuine package, opened by `to` and re-signed by `by` (the adversary), with `edit` applied. */
  async function forged(
    name: string,
    source: string,
    by: Party,
    to: Party,
    edit: Partial<Parameters<typeof repack>[2]>,
  ): Promise<string> {
    const file = out(`scope-${name}.awbpkg`);
    await repack(source, file, {
      keys: to.services.signing.decryptionKeys(),
      signer: by.services.signing.signer(by.signingId),
      recipient: encryptionCert(to),
      ...edit,
    });
    return file;
  }

  const editSubmission =
    (edit: (content: SubmissionContent) => void) => (parts: Map<string, Buffer>) => {
      const content = JSON.parse(
        parts.get('parts/submission.json')!.toString(),
      ) as SubmissionContent;
      edit(content);
      parts.set('parts/submission.json', Buffer.from(JSON.stringify(content)));
    };
  /** A row's package: the genuine submission `source`, edited, re-signed by the owner for the authority. */
  const submitted =
    (name: string, source: string, edit: (content: SubmissionContent) => void) => () =>
      forged(name, source, owner, authority, { parts: editSubmission(edit) });
  const editDecision =
    (edit: (content: DecisionContent) => void) => (parts: Map<string, Buffer>) => {
      const content = JSON.parse(parts.get('parts/decision.json')!.toString()) as DecisionContent;
      edit(content);
      parts.set('parts/decision.json', Buffer.from(JSON.stringify(content)));
    };

  it('an owner’s acceptance beyond the authority’s criteria is kept as its claim, and the approval guard still blocks', async () => {
    const o = owner.services;
    const a = authority.services;
    // The owner's own criteria let it accept anything; the authority's stop the owner at "low".
    await o.risks.setCriteria({
      matrixId: 'nist-5x5',
      ownerAcceptsUpTo: 'very_high',
      accreditorAcceptsUpTo: 'very_high',
      maxAcceptanceMonths: 24,
    });
    const id = await o.cases.createCase({ systemId, type: 'interim_extension' });
    await answerAll(o, id, (r) => (r === 'PER-01' ? 'non_compliant' : 'compliant'));
    const risk = await o.risks.createRisk({
      systemId,
      caseId: id,
      scope: 'Cleared staff only',
      threatEvent: 'Administrators without clearance',
      confidentiality: 5,
      integrity: 5,
      availability: 5,
      likelihood: 5,
      treatment: 'accept',
      residualLikelihood: 5,
      residualImpact: 5,
      requirementIds: ['PER-01'],
    });
    await o.risks.acceptRisk(risk, {
      justification: 'We accept it under our own criteria.',
      expiresOn: addMonths(today(), 12),
    });
    expect(o.risks.getRisk(risk).acceptance.status).toBe('accepted');
    await o.risks.setCriteria({
      matrixId: 'nist-5x5',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 24,
    });
    await o.cases.transition(id, 'submitted', 'Complete');
    const file = (
      await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId })
    ).file;

    // The preview says so before anything changes.
    const preview = await a.exchange.inspect(file);
    const acceptance = preview.changes.find((c) => c.what === 'row' && c.table === 'acceptance');
    expect(acceptance).toMatchObject({ valid: false });
    expect(previewLine('en', acceptance!)).toMatch(
      /^acceptance of risk OWN-RISK-\d+: added — accepted_by: owner person; role: system_owner; .* \(not valid here under this vault’s criteria\)$/,
    );

    // The owner's account of what it accepted says "very low": its own words, not the history's.
    await a.exchange.importPackage(
      await submitted('snapshot-claim', file, (c) => {
        c.acceptances = c.acceptances.map((x) => ({
          ...x,
          snapshot: JSON.stringify({ residualLevel: 'very_low' }),
        }));
      })(),
    );
    const kept = a.risks.getRisk(risk);
    expect(kept.residualLevel).toBe('very_high');
    expect(kept.acceptance).toMatchObject({
      status: 'owner_not_valid',
      by: 'owner person',
      role: 'system_owner',
    });
    expect(a.risks.riskHistory(risk).acceptances).toMatchObject([
      { by: 'owner person', received: true, claimedBy: 'owner person', residualLevel: 'very_high' },
    ]);
    expect(a.cases.getCase(id).unaccepted).toEqual(['PER-01']);
    // The dossier shows it for what it is.
    const dossier = a.decisions.dossierSnapshot(id).snapshot;
    expect(dossier.risks.find((r) => r.ref === kept.ref)?.acceptance.status).toBe(
      'owner_not_valid',
    );
    // A full approval is refused: the requirement found wanting has no accepted risk here.
    for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(a, id);
      }
      await a.cases.transition(id, to, `to ${to}`);
    }
    await expect(
      a.decisions.issueDecision(id, {
        type: 'full_approval',
        identityId: authority.signingId,
        reason: 'The owner has accepted the risk.',
        conditions: [],
      }),
    ).rejects.toMatchObject({
      code: 'TRANSITION_REFUSED',
      details: { reason: 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK' },
    });
    expect(a.decisions.decision(id)).toBeNull();
  });

  it('no matrix a vault keeps stands in for a shipped one of its id', async () => {
    // A vault that took such a matrix before this was refused keeps it; it is never read.
    const shipped = builtinMatrices().matrices[0]!;
    const db = owner.vault.database;
    const had = db.exec('SELECT COUNT(*) FROM risk_matrices WHERE id = ?', [shipped.id])[0]!;
    if (Number(had.values[0]![0]) === 0) {
      db.run('INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 0, ?)', [
        shipped.id,
        JSON.stringify({ ...shipped, grid: shipped.grid.map((r) => r.map(() => 0)) }),
        new Date().toISOString(),
      ]);
    }
    const seen = owner.services.risks.matrices().filter((m) => m.id === shipped.id);
    expect(seen).toEqual([shipped]);
    expect(owner.services.risks.matrix(shipped.id).grid).toEqual(shipped.grid);
  });

  it('a decision’s own step stands on its letter, not on the receiver’s copy of the register', async () => {
    const o = owner.services;
    const a = authority.services;
    // Four eyes: the colleague certified by the authority's CA, trusted here and by the owner.
    const second = await countersignerOf('covering second', 'authority covering second');
    /** A requirement found wanting, its risk (made by `maker`) accepted by the authority. */
    const approved = async (
      maker: 'owner' | 'authority',
      revise: (risk: string, body: (residualLikelihood: number) => object) => Promise<void>,
    ) => {
      const id = await o.cases.createCase({ systemId, type: 'initial' });
      const wanting = o.cases.getCase(id).items[0]!.requirementId;
      await answerAll(o, id, (r) => (r === wanting ? 'non_compliant' : 'compliant'), 'Answer');
      const body = (residualLikelihood: number) => ({
        systemId,
        caseId: id,
        scope: `Clearances (${maker})`,
        threatEvent: 'An administrator without clearance',
        confidentiality: 3,
        integrity: null,
        availability: null,
        likelihood: 2,
        treatment: 'accept' as const,
        residualLikelihood,
        residualImpact: 2,
        requirementIds: [wanting],
      });
      let risk = maker === 'owner' ? await o.risks.createRisk(body(2)) : '';
      await o.cases.transition(id, 'submitted', 'Complete');
      const sent = await o.exchange.exportPackage('submission', id, join(work.path, 'packages'), {
        identityId: owner.signingId,
      });
      await a.exchange.importPackage(sent.file);
      for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
        if (to === 'decision_pending') {
          await judgeAll(a, id);
        }
        await a.cases.transition(id, to, `to ${to}`);
      }
      risk ||= await a.risks.createRisk(body(2));
      if (maker === 'owner') {
        await revise(risk, body); // the authority revises the owner's risk before deciding
      }
      await a.risks.acceptRisk(risk, {
        justification: 'Accepted until the clearances come.',
        expiresOn: addMonths(today(), 6),
      });
      await a.decisions.issueDecision(id, {
        type: 'full_approval',
        identityId: authority.signingId,
        reason: 'Requirements met; one risk accepted.',
        conditions: [],
      });
      await a.decisions.countersign(id, { identityId: second, reason: 'Four eyes.' });
      await a.cases.transition(id, 'in_force', 'In force');
      if (maker === 'authority') {
        await revise(risk, body); // revised after the approval, not yet accepted again
      }
      const file = (
        await a.exchange.exportPackage('decision', id, join(work.path, 'packages'), {
          identityId: authority.signingId,
        })
      ).file;
      return { id, risk, file };
    };
    // The authority's covering risk revised after the approval: uncovered there today, but the
    // approval was signed while it was covered.
    const rescored = await approved('authority', (risk, body) =>
      a.risks.updateRisk(risk, { ...body(1), measures: 'Escort, and a log of every session' }),
    );
    expect(a.risks.unacceptedNonCompliant(rescored.id)).not.toEqual([]);
    await o.exchange.importPackage(rescored.file);
    expect(o.cases.getCase(rescored.id).state).toBe('in_force');
    // The owner's risk the authority revised and accepted: the revision stays at the authority,
    // so the owner's copy is not the one accepted.
    const revised = await approved('owner', (risk, body) => a.risks.updateRisk(risk, body(1)));
    await o.exchange.importPackage(revised.file);
    expect(o.cases.getCase(revised.id).state).toBe('in_force');
    expect(o.decisions.decision(revised.id)).toMatchObject({ type: 'full_approval' });
  });

  it('refuses every row that is not the sender’s, each for its reason, and takes the genuine package', async () => {
    const o = owner.services;
    const a = authority.services;
    // A case with a risk of each side: the owner's, and the authority's TEMPEST risk, which the
    // authority's answer tells the owner about (its id included).
    const id = await o.cases.createCase({ systemId, type: 'significant_change' });
    await answerAll(o, id, () => 'compliant', 'Answer');
    /** An evidence file of `bytes` on a case of the owner's (what the evidence rows start from). */
    const evidenceOn = async (on: string, title: string) => {
      const blob = await owner.vault.blobs.put(
        (async function* () {
          yield randomBytes(2_000);
        })(),
      );
      await o.cases.addEvidence(
        on,
        { ...blob, name: `${title}.pdf` },
        { type: 'ssrs', title, version: '1.0', requirementIds: ['DOC-01'] },
      );
    };
    await evidenceOn(id, 'Change SSRS');
    const ownRisk = await o.risks.createRisk({
      systemId,
      caseId: id,
      scope: 'Printers',
      threatEvent: 'Print-outs left in the tray',
      confidentiality: 2,
      integrity: null,
      availability: null,
      likelihood: 2,
      treatment: 'reduce',
      residualLikelihood: 1,
      residualImpact: 2,
    });
    await o.cases.transition(id, 'submitted', 'Complete');
    await a.exchange.importPackage(
      (await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId }))
        .file,
    );
    await a.cases.transition(id, 'intake', 'Intake');
    await a.cases.transition(id, 'under_review', 'Review');
    const tempest = await a.risks.createRisk({
      systemId,
      caseId: id,
      scope: 'Server room',
      threatEvent: 'Compromising emanations (TEMPEST)',
      confidentiality: 5,
      integrity: null,
      availability: null,
      likelihood: 5,
      treatment: 'reduce',
      measures: 'Zoned equipment',
      residualLikelihood: 5,
      residualImpact: 5,
    });
    await a.cases.addFinding(id, { severity: 'major', title: 'Zone the server room' });
    await a.cases.transition(id, 'awaiting_remediation', 'Findings issued');
    await o.exchange.importPackage(
      (
        await a.exchange.exportPackage('decision', id, folder(), {
          identityId: authority.signingId,
        })
      ).file,
    );
    expect(o.risks.getRisk(tempest).residualLevel).toBe('very_high');

    // The owner's genuine update: an answer and its own risk changed.
    await o.cases.updateItem(id, 'DOC-01', { statement: 'Updated SSRS' });
    await o.risks.updateRisk(ownRisk, {
      systemId,
      caseId: id,
      scope: 'Printers',
      threatEvent: 'Print-outs left in the tray',
      confidentiality: 2,
      integrity: null,
      availability: null,
      likelihood: 2,
      treatment: 'accept',
      residualLikelihood: 1,
      residualImpact: 2,
    });
    let genuine = (
      await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId })
    ).file;
    const tempestRow = (): SubmissionContent['risks'][number] => {
      const r = authority.vault.database.exec('SELECT * FROM risks WHERE id = ?', [tempest])[0]!;
      return Object.fromEntries(
        r.columns.map((c, i) => [c, r.values[0]![i]]),
      ) as SubmissionContent['risks'][number];
    };
    const firstCaseRisk = owner.services.risks.listRisks({ caseId })[0]!;

    // The authority's answer, sent once every row the authority receives has been tried: a
    // package of the owner's answers the last package the authority sent in the case, and the
    // owner's update was made before this answer.
    let answerFile: string | null = null;
    const answer = async () =>
      (answerFile ??= (
        await a.exchange.exportPackage('decision', id, folder(), {
          identityId: authority.signingId,
        })
      ).file);

    // A genuine submission of a new case on the same system, as the owner opens one (every
    // requirement that applies, answered): the base of the catalogue and checklist rows.
    const freshId = await o.cases.createCase({ systemId, type: 'reaccreditation' });
    await answerAll(o, freshId);
    await evidenceOn(freshId, 'Fresh SSRS');
    await evidenceOn(freshId, 'Fresh test report');
    await o.cases.transition(freshId, 'submitted', 'Complete');
    const fresh = (
      await o.exchange.exportPackage('submission', freshId, folder(), {
        identityId: owner.signingId,
      })
    ).file;
    // A genuine submission of a system the authority has not seen yet.
    const newSystemId = await o.register.createSystem({
      ref: 'OWN-SYS-NEW',
      name: 'Nyt netværk',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'RESTRICTED' }],
      userCount: 5,
      minClearance: 'RESTRICTED',
    });
    const newCaseId = await o.cases.createCase({ systemId: newSystemId, type: 'initial' });
    await answerAll(o, newCaseId);
    await o.cases.transition(newCaseId, 'submitted', 'Complete');
    const brandNew = (
      await o.exchange.exportPackage('submission', newCaseId, folder(), {
        identityId: owner.signingId,
      })
    ).file;
    const applying = o.cases.getCase(freshId).items.length;
    expect(applying).toBeGreaterThan(10);
    const baseline = await a.catalogues.current();
    /** The baseline cut to one requirement, as a catalogue "version" of the owner's. */
    const oneRequirement = (version: string) => ({
      ...baseline,
      version,
      requirements: [{ ...baseline.requirements.find((r) => r.id === 'DOC-01')! }],
    });
    const withCatalogue = (version: string) =>
      editSubmission((c) => {
        c.catalogue = oneRequirement(version);
        c.case.catalogue_version = version;
        c.checklist = c.checklist.filter((i) => i.requirement_id === 'DOC-01');
      });

    type Expect = string | { reason: string; detail: string } | ((file: string) => Promise<void>);
    /** The newest package the authority has taken from the owner's signer, by its date. */
    const newestFromOwner = () =>
      String(
        authority.vault.database.exec(
          "SELECT max(made_at) FROM exchange_log WHERE direction = 'received'",
        )[0]!.values[0]![0],
      );
    const authorityAcceptance = (acceptedOn: string, expiresOn: string) => ({
      risk_id: tempest,
      accepted_by: 'authority person',
      role: 'accreditor',
      authority: 'accreditor',
      justification: 'Accepted by the authority.',
      accepted_on: acceptedOn,
      expires_on: expiresOn,
      fingerprint: '[]',
      snapshot: '{}',
      at: new Date().toISOString(),
    });
    const table: [string, () => Promise<string>, Party, Expect][] = [
      // ---- adversary 21b: each refused for its own reason; the genuine packages import below.
      [
        // F1: no levels, so no marking floor, and an empty checklist submitted.
        'a new system without classification levels',
        submitted('no-levels', brandNew, (c) => {
          c.levels = [];
        }),
        authority,
        { reason: 'SYSTEM_INVALID', detail: 'system.levels' },
      ],
      [
        'a new system with one domain twice',
        submitted('domain-twice', brandNew, (c) => {
          c.levels = [...c.levels, ...c.levels];
        }),
        authority,
        { reason: 'SYSTEM_INVALID', detail: 'system.levels' },
      ],
      [
        'a new system whose reference is not one local entry takes',
        () =>
          forged('system-ref', brandNew, owner, authority, {
            manifest: (m) => ({ ...m, system: { ...m.system, ref: 'OWN SYS/../NEW' } }),
            parts: editSubmission((c) => {
              c.system.ref = 'OWN SYS/../NEW';
            }),
          }),
        authority,
        { reason: 'SYSTEM_INVALID', detail: 'system.ref' },
      ],
      [
        'a new system whose name is longer than local entry allows',
        submitted('system-name', brandNew, (c) => {
          c.system.name = 'N'.repeat(201);
        }),
        authority,
        { reason: 'SYSTEM_INVALID', detail: 'system.name' },
      ],
      [
        // F4: TOP SECRET content through a channel labelled SECRET.
        'evidence marked above the package’s signed marking',
        submitted('evidence-above', genuine, (c) => {
          c.evidence[0] = {
            ...c.evidence[0]!,
            marking_domain: 'nato',
            marking_level: 'TOP_SECRET',
          };
        }),
        authority,
        'MARKING_BELOW_EVIDENCE',
      ],
      [
        // F5 (a): the first package of a new case, dated before the newest taken from its signer.
        'the first package of a new case backdated before the signer’s newest package',
        () =>
          forged('backdated-new-case', brandNew, owner, authority, {
            manifest: (m) => ({
              ...m,
              createdAt: new Date(Date.parse(newestFromOwner()) - 60_000).toISOString(),
            }),
          }),
        authority,
        'PACKAGE_BACKDATED',
      ],
      [
        // F5 (b): of the form toISOString writes, but no instant.
        'a package dated on no real instant (month 13, hour 99)',
        () =>
          forged('no-instant', genuine, owner, authority, {
            manifest: (m) => ({ ...m, createdAt: '2026-13-45T99:99:99.999Z' }),
          }),
        authority,
        { reason: 'MALFORMED', detail: 'createdAt not a real instant' },
      ],
      [
        // F5 (c): every honest package of the case would be stale beside it.
        'a package dated in the year 9999',
        () =>
          forged('far-future', genuine, owner, authority, {
            manifest: (m) => ({ ...m, createdAt: '9999-12-31T23:59:59.999Z' }),
          }),
        authority,
        'PACKAGE_FROM_FUTURE',
      ],
      [
        'a package dated an hour ahead of the receiver’s clock',
        () =>
          forged('hour-ahead', genuine, owner, authority, {
            manifest: (m) => ({ ...m, createdAt: new Date(Date.now() + 3_600_000).toISOString() }),
          }),
        authority,
        'PACKAGE_FROM_FUTURE',
      ],
      [
        // F6: the authority's answers, encrypted to another organisation.
        'answers redirected to another owner organisation’s encryption certificate',
        () =>
          forged('reply-to-other', genuine, owner, authority, {
            manifest: (m) => ({
              ...m,
              replyTo: createHash('sha256')
                .update(Buffer.from(encryptionCert(otherOwner).rawData))
                .digest('hex'),
            }),
          }),
        authority,
        'REPLY_TO_NOT_OWNER',
      ],
      [
        // F8: what local entry refuses as RESIDUAL_ABOVE_INHERENT.
        'the owner’s risk with its residual above its inherent level',
        submitted('residual-above', genuine, (c) => {
          c.risks = c.risks.map((r) =>
            r.id === ownRisk ? { ...r, residual_likelihood: 5, residual_impact: 5 } : r,
          );
        }),
        authority,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'residual_likelihood' },
      ],
      [
        'the owner’s risk linked to a requirement not on the case’s checklist',
        submitted('link-requirement', genuine, (c) => {
          c.riskLinks.push({ risk_id: ownRisk, kind: 'requirement', target: 'ZZZ-99' });
        }),
        authority,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'is not a requirement of this case' },
      ],
      [
        'the owner’s risk linked to a finding that is not the case’s',
        submitted('link-finding', genuine, (c) => {
          c.riskLinks.push({
            risk_id: ownRisk,
            kind: 'finding',
            target: 'c0ffee00-0000-4000-8000-0000000000ff',
          });
        }),
        authority,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'is not a finding of this case' },
      ],
      [
        'the owner’s risk with a scope longer than local entry allows',
        submitted('risk-scope', genuine, (c) => {
          c.risks = c.risks.map((r) => (r.id === ownRisk ? { ...r, scope: 'S'.repeat(301) } : r));
        }),
        authority,
        { reason: 'MALFORMED', detail: 'scope' },
      ],
      [
        // F9: the preview showed two files, the import stored one and orphaned the other.
        'two evidence entries with one id',
        submitted('evidence-twice', fresh, (c) => {
          c.evidence[1] = { ...c.evidence[1]!, id: c.evidence[0]!.id };
        }),
        authority,
        'EVIDENCE_ID_REUSED',
      ],
      [
        'evidence held here re-sent by its id with another file',
        () =>
          forged('evidence-other-file', genuine, owner, authority, {
            parts: (parts) => {
              const other = randomBytes(2_000);
              editSubmission((c) => {
                const e = c.evidence[0]!;
                parts.set(e.part, other);
                c.evidence[0] = {
                  ...e,
                  sha256: createHash('sha256').update(other).digest('hex'),
                  size: other.length,
                };
              })(parts);
            },
          }),
        authority,
        'EVIDENCE_ID_REUSED',
      ],
      [
        // F7: the authority's package is held to the same acceptance and review-date rules.
        'an authority’s acceptance dated in 2099',
        async () =>
          forged('decision-accept-future', await answer(), authority, owner, {
            parts: editDecision((c) => {
              c.acceptances.push(authorityAcceptance('2099-06-01', '2099-12-01'));
            }),
          }),
        owner,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'accepted_on' },
      ],
      [
        'an authority’s acceptance ending before it starts',
        async () =>
          forged('decision-accept-backwards', await answer(), authority, owner, {
            parts: editDecision((c) => {
              c.acceptances.push(authorityAcceptance(today(), '2001-01-01'));
            }),
          }),
        owner,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'expires_on' },
      ],
      [
        'the authority’s risk with a review date already past',
        async () =>
          forged('decision-review-past', await answer(), authority, owner, {
            parts: editDecision((c) => {
              c.risks = c.risks.map((r) =>
                r.id === tempest ? { ...r, review_date: '1999-01-01' } : r,
              );
            }),
          }),
        owner,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'review_date' },
      ],
      [
        'the authority’s risk with its residual above its inherent level',
        async () =>
          forged('decision-residual-above', await answer(), authority, owner, {
            parts: editDecision((c) => {
              c.risks = c.risks.map((r) =>
                r.id === tempest ? { ...r, likelihood: 1, impact_c: 1 } : r,
              );
            }),
          }),
        owner,
        { reason: 'IMPOSSIBLE_CONTENT', detail: 'residual_likelihood' },
      ],
      [
        // Round 21n: another grid under a shipped matrix id was kept beside the shipped one, and
        // every later risk of that id was scored on its levels (a very high risk became low,
        // and the owner's to accept).
        'the authority’s answer bringing another grid under a shipped matrix id',
        async () =>
          forged('decision-matrix-shadow', await answer(), authority, owner, {
            parts: editDecision((c) => {
              // (One the package does not bring already: a matrix twice is DUPLICATE_ROW.)
              const shipped = builtinMatrices().matrices.find(
                (m) => !c.matrices.some((x) => (x as { id: string }).id === m.id),
              )!;
              c.matrices.push({ ...shipped, grid: shipped.grid.map((r) => r.map(() => 0)) });
            }),
          }),
        owner,
        { reason: 'MATRIX_UNKNOWN', detail: 'is not this vault’s' },
      ],
      [
        // One the owner lacks is kept (the authority's risks are scored on it), and listed.
        'the authority’s answer bringing a matrix the owner lacks: previewed, field by field',
        async () =>
          forged('decision-matrix-new', await answer(), authority, owner, {
            parts: editDecision((c) => {
              const shipped = builtinMatrices().matrices[0]!;
              c.matrices.push({ ...shipped, id: 'authority-own' });
            }),
          }),
        owner,
        async (file: string) => {
          const preview = await owner.services.exchange.inspect(file);
          const row = preview.changes.find((c) => c.what === 'row' && c.table === 'matrix');
          expect(row && previewLine('en', row)).toMatch(
            /^risk matrix authority-own: added — name: .+; levels: .+; grid: [1-9]/,
          );
        },
      ],

      [
        // The rules of sense hold for what a submission writes, as for every other way in.
        'a new case whose deadline has already passed',
        submitted('deadline-past', fresh, (c) => {
          c.case.deadline = '1999-01-01';
        }),
        authority,
        'IMPOSSIBLE_CONTENT',
      ],
      [
        'a new system whose next review has already passed',
        submitted('next-review-past', brandNew, (c) => {
          c.system.next_review = '2001-01-01';
        }),
        authority,
        'IMPOSSIBLE_CONTENT',
      ],
      [
        'the owner’s risk with a review date already past',
        submitted('review-past', genuine, (c) => {
          c.risks = c.risks.map((r) =>
            r.id === ownRisk ? { ...r, review_date: '2001-01-01' } : r,
          );
        }),
        authority,
        'IMPOSSIBLE_CONTENT',
      ],
      [
        'a review date that is no date',
        submitted('review-nonsense', genuine, (c) => {
          c.risks = c.risks.map((r) =>
            r.id === ownRisk ? { ...r, review_date: 'not a date' } : r,
          );
        }),
        authority,
        'MALFORMED',
      ],
      ...(
        [
          [
            'an owner’s acceptance dated a year ahead',
            addMonths(today(), 12),
            addMonths(today(), 18),
          ],
          ['an owner’s acceptance expiring before it was given', today(), '2001-01-01'],
        ] as const
      ).map(([label, acceptedOn, expiresOn]): (typeof table)[number] => [
        label,
        submitted(`accept-${acceptedOn}-${expiresOn}`, genuine, (c) => {
          c.acceptances.push({
            risk_id: ownRisk,
            accepted_by: 'owner person',
            role: 'system_owner',
            authority: 'owner',
            justification: 'Ours to accept.',
            accepted_on: acceptedOn,
            expires_on: expiresOn,
            fingerprint: '[]',
            snapshot: '{}',
            at: new Date().toISOString(),
          });
        }),
        authority,
        'IMPOSSIBLE_CONTENT',
      ]),
      [
        // Backdated below the packages of this case already taken: not what its sender made next.
        'a later package of the case dated before the earlier ones',
        () =>
          forged('backdated', genuine, owner, authority, {
            manifest: (m) => ({ ...m, createdAt: '2020-01-01T00:00:00.000Z' }),
          }),
        authority,
        'PACKAGE_STALE',
      ],
      [
        'a package dated otherwise than in UTC as toISOString writes it',
        () =>
          forged('dated-offset', genuine, owner, authority, {
            manifest: (m) => ({ ...m, createdAt: m.createdAt.replace('Z', '+00:00') }),
          }),
        authority,
        'MALFORMED',
      ],
      [
        // The attack of the report: very high TEMPEST → very low, "reduce" → "accept".
        'a risk of the authority rewritten by id',
        submitted('rewrite', genuine, (c) => {
          c.risks.push({
            ...tempestRow(),
            likelihood: 1,
            impact_c: 1,
            residual_likelihood: 1,
            residual_impact: 1,
            residual_level: 'very_low',
            residual_rank: 0,
            treatment: 'accept',
          });
        }),
        authority,
        'NOT_SENDERS_ROW',
      ],
      [
        'an acceptance claimed in the accreditor’s name',
        submitted('accreditor-name', genuine, (c) => {
          c.acceptances.push({
            risk_id: tempest,
            accepted_by: 'authority person',
            role: 'accreditor',
            authority: 'accreditor',
            justification: 'Accepted by the authority.',
            accepted_on: today(),
            expires_on: '2099-12-31',
            fingerprint: '[]',
            snapshot: '{}',
            at: new Date().toISOString(),
          });
        }),
        authority,
        'ACCEPTANCE_NOT_SENDERS',
      ],
      [
        'another case’s risk (the owner’s own, of its first case)',
        submitted('other-case', genuine, (c) => {
          const mine = c.risks[0]!;
          c.risks.push({
            ...mine,
            id: firstCaseRisk.id,
            ref: firstCaseRisk.ref,
            case_id: caseId,
            treatment: 'accept',
          });
        }),
        authority,
        'OUTSIDE_CASE',
      ],
      [
        'another case’s risk, moved into this case',
        submitted('moved', genuine, (c) => {
          c.risks.push({ ...c.risks[0]!, id: firstCaseRisk.id, ref: firstCaseRisk.ref });
        }),
        authority,
        'OUTSIDE_CASE',
      ],
      [
        'a later package with "previous": null',
        () =>
          forged('previous-null', genuine, owner, authority, {
            manifest: (m) => ({ ...m, previous: null }),
          }),
        authority,
        'PREVIOUS_MISSING',
      ],
      [
        'MARKING.txt relabelled on its second line',
        async () => {
          const file = out('scope-second-line.awbpkg');
          await relabel(genuine, file, (text) => {
            const lines = text.split('\n');
            lines[1] = 'Downgraded: handle as UNCLASSIFIED';
            return lines.join('\n');
          });
          return file;
        },
        authority,
        'MARKING_MISMATCH',
      ],
      [
        'a signed marking below the level known for the system',
        () =>
          forged('below', genuine, owner, authority, {
            manifest: (m) => ({ ...m, marking: { text: 'NATO RESTRICTED', rank: 1 } }),
          }),
        authority,
        'MARKING_BELOW_SYSTEM',
      ],
      [
        // The same level under the national label: NATO information travels under its own.
        'the system’s level signed under another domain’s label',
        () =>
          forged('other-label', genuine, owner, authority, {
            manifest: (m) => ({ ...m, marking: { text: 'HEMMELIGT', rank: 3 } }),
          }),
        authority,
        'MARKING_BELOW_SYSTEM',
      ],
      [
        // A new system at a level no scheme here knows: there would be no floor to hold to.
        'a new system at a level this vault’s scheme does not know',
        submitted('level-unknown', brandNew, (c) => {
          c.levels = c.levels.map((l) => ({ ...l, level: 'COSMIC_ULTRA' }));
        }),
        authority,
        'LEVEL_UNKNOWN',
      ],
      [
        // And the other way: the authority's answer may not rewrite the owner's risk.
        'a risk of the owner rewritten by the authority',
        async () =>
          forged('owner-risk', await answer(), authority, owner, {
            parts: editDecision((c) => {
              const r = owner.vault.database.exec('SELECT * FROM risks WHERE id = ?', [
                ownRisk,
              ])[0]!;
              c.risks.push({
                ...(Object.fromEntries(
                  r.columns.map((col, i) => [col, r.values[0]![i]]),
                ) as DecisionContent['risks'][number]),
                treatment: 'avoid',
              });
            }),
          }),
        owner,
        'NOT_SENDERS_ROW',
      ],
      [
        'a finding of another case changed by the authority',
        async () =>
          forged('other-finding', await answer(), authority, owner, {
            parts: editDecision((c) => {
              const f = owner.services.cases.getCase(caseId).findings[0]!;
              c.findings.push({ ...c.findings[0]!, id: f.id, status: 'verified' });
            }),
          }),
        owner,
        'OUTSIDE_CASE',
      ],
      [
        'a decision package with "previous": null',
        async () =>
          forged('decision-previous-null', await answer(), authority, owner, {
            manifest: (m) => ({ ...m, previous: null }),
          }),
        owner,
        'PREVIOUS_MISSING',
      ],
      [
        // E1: a "newer" baseline of one requirement would become every new case's default.
        'a new case on a catalogue of the owner’s ("awb-baseline 2026.2", one requirement)',
        () =>
          forged('catalogue-newer', fresh, owner, authority, { parts: withCatalogue('2026.2') }),
        authority,
        'CATALOGUE_UNKNOWN',
      ],
      [
        // E1: the shipped baseline's id and version, other content.
        'a new case on a forged "awb-baseline 2026.1"',
        () =>
          forged('catalogue-forged', fresh, owner, authority, {
            parts: withCatalogue(baseline.version),
          }),
        authority,
        'CATALOGUE_UNKNOWN',
      ],
      [
        // The owner's own matrix: every cell "very low", so its risks would be its to accept.
        'a risk scored on a matrix of the owner’s own making',
        submitted('matrix-own', genuine, (c) => {
          const m = c.matrices[0] as { grid: number[][] };
          const lenient = {
            ...m,
            id: 'owner-lenient',
            grid: m.grid.map((r) => r.map(() => 0)),
          };
          c.matrices.push(lenient);
          c.risks[0] = { ...c.risks[0]!, matrix_id: 'owner-lenient' };
        }),
        authority,
        'MATRIX_UNKNOWN',
      ],
      [
        // The authority's matrix by id, its levels renamed: the owner's reading of it.
        'the authority’s matrix by id, with other levels',
        submitted('matrix-forged', genuine, (c) => {
          const m = c.matrices[0] as { levels: { en: string }[] };
          m.levels = m.levels.map((l) => ({ ...l, en: `${l.en} (owner)` }));
        }),
        authority,
        'MATRIX_UNKNOWN',
      ],
      [
        // E3: the owner accepts the authority's risk, in its own role: not its risk to accept.
        'an owner’s acceptance of the authority’s risk',
        submitted('accept-authoritys', genuine, (c) => {
          c.acceptances.push({
            risk_id: tempest,
            accepted_by: 'owner person',
            role: 'system_owner',
            authority: 'owner',
            justification: 'Ours to accept.',
            accepted_on: today(),
            expires_on: addMonths(today(), 6),
            fingerprint: '[]',
            snapshot: '{}',
            at: new Date().toISOString(),
          });
        }),
        authority,
        'NOT_SENDERS_ROW',
      ],
      [
        // E2: the owner's checklist of one item. The authority's case has every requirement
        // that applies: the 62 the owner left out stay unanswered, so it cannot be submitted.
        'a new case whose checklist the owner cut to one item',
        submitted('checklist-one', fresh, (c) => {
          c.checklist = c.checklist.filter((i) => i.requirement_id === 'DOC-01');
        }),
        authority,
        async (file) => {
          await expect(a.exchange.importPackage(file)).rejects.toMatchObject({
            details: { reason: 'TRANSITION_NOT_ALLOWED' },
          });
          expect(
            authority.vault.database.exec('SELECT 1 FROM cases WHERE id = ?', [freshId]),
          ).toEqual([]);
        },
      ],
      [
        // E2: an item the system does not have here is not taken; the checklist is the
        // authority's own instantiation, with only the owner's answers.
        'a new case with an item that does not apply',
        submitted('checklist', fresh, (c) => {
          const doc = c.checklist.find((i) => i.requirement_id === 'DOC-01')!;
          doc.statement = 'Answered by the owner';
          c.checklist.push({ ...doc, requirement_id: 'ZZZ-99', area: 'Invented', position: 0 });
        }),
        authority,
        async (file) => {
          const preview = await a.exchange.inspect(file);
          expect(preview.changes).toContainEqual({ what: 'notApplicable', refs: ['ZZZ-99'] });
          expect(preview.changes).toContainEqual(
            expect.objectContaining({
              what: 'catalogue',
              ref: `${baseline.id} ${baseline.version}`,
            }),
          );
          await a.exchange.importPackage(file);
          const items = a.cases.getCase(freshId).items;
          expect(items.map((i) => i.requirementId)).toEqual(
            a.catalogues
              .requirementsFor(baseline, a.catalogues.systemProfile(systemId))
              .map((r) => r.id),
          );
          expect(items).toHaveLength(applying);
          expect(items.find((i) => i.requirementId === 'DOC-01')).toMatchObject({
            status: 'compliant',
            statement: 'Answered by the owner',
          });
          const audit = authority.vault.database.exec(
            "SELECT changes FROM audit_log WHERE action = 'package.received' ORDER BY seq DESC LIMIT 1",
          )[0]!.values[0]![0] as string;
          expect(JSON.parse(audit)).toMatchObject({
            catalogue: { id: baseline.id, version: baseline.version },
            notApplicable: ['ZZZ-99'],
          });
        },
      ],
    ];
    // What the authority receives first; then what the owner receives, from the answer.
    const ordered = [
      ...table.filter((row) => row[2] === authority),
      ...table.filter((row) => row[2] !== authority),
    ];
    for (const [name, make, receiver, expected] of ordered) {
      const file = await make();
      const check =
        typeof expected !== 'function'
          ? async () => {
              const { reason, detail } =
                typeof expected === 'string' ? { reason: expected, detail: undefined } : expected;
              await refused(receiver, file, reason, id, detail);
              // A dry run refuses it for the same reason as the import.
              await expect(receiver.services.exchange.inspect(file)).rejects.toMatchObject({
                details: { reason },
              });
            }
          : () => expected(file);
      await check().catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    // A new system and case, previewed field by field, with where the answers will go.
    const rowsOf = async (file: string) =>
      (await a.exchange.inspect(file)).changes.flatMap((c) =>
        c.what === 'row' && ['system', 'case', 'sender'].includes(c.table)
          ? [previewLine('en', c)]
          : [],
      );
    const newRows = await rowsOf(brandNew);
    expect(newRows).toEqual([
      expect.stringMatching(
        /^system OWN-SYS-NEW: added — name: Nyt netværk; .*levels: nato RESTRICTED; user_count: 5; min_clearance: RESTRICTED/,
      ),
      expect.stringMatching(
        /^case \S+: added — type: initial; title: .*catalogue_id: awb-baseline/,
      ),
      expect.stringMatching(/^where answers go OWN-SYS-NEW: added — reply_to: [0-9a-f]{64}$/),
    ]);
    // The genuine new system (levels, marking, dated now) imports, and its audit row names the
    // system, the case and where answers go, as the preview did (F6).
    await a.exchange.importPackage(brandNew);
    const newAudit = JSON.parse(
      authority.vault.database.exec(
        "SELECT changes FROM audit_log WHERE action = 'package.received' ORDER BY seq DESC LIMIT 1",
      )[0]!.values[0]![0] as string,
    ) as { rows: { table: string; ref: string; added: boolean }[] };
    expect(newAudit.rows.filter((r) => ['system', 'case', 'sender'].includes(r.table))).toEqual([
      expect.objectContaining({ table: 'system', ref: 'OWN-SYS-NEW', added: true }),
      expect.objectContaining({ table: 'case', added: true }),
      expect.objectContaining({ table: 'sender', ref: 'OWN-SYS-NEW', added: true }),
    ]);
    expect(a.cases.getCase(newCaseId).items.length).toBeGreaterThan(10);
    // The owner takes the authority's answer; a signer's packages are taken in the order it made
    // them: the update made before the new cases is made again, answering the answer.
    await o.exchange.importPackage(await answer());
    genuine = (
      await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId })
    ).file;
    // A case known here: nothing of the case or system is written, so nothing is listed.
    expect(await rowsOf(genuine)).toEqual([]);

    // No catalogue came with any of them: new cases here use the shipped baseline, as before.
    expect(await a.catalogues.current()).toEqual(baseline);
    expect((await a.catalogues.list()).map((c) => `${c.id} ${c.version}`)).toEqual([
      `${baseline.id} ${baseline.version}`,
    ]);

    // The authority's risk is as the authority left it.
    expect(a.risks.getRisk(tempest)).toMatchObject({
      residualLevel: 'very_high',
      treatment: 'reduce',
      acceptance: { status: 'none' },
    });

    // A name the package claims is kept beside the signer's, never instead of it.
    // (Made now, as the acceptance it adds: nothing a package brings is dated after it.)
    const stamp = new Date().toISOString();
    const renamed = await forged('claimed-name', genuine, owner, authority, {
      manifest: (m) => ({ ...m, createdAt: stamp }),
      parts: editSubmission((c) => {
        c.acceptances.push({
          risk_id: ownRisk,
          accepted_by: 'authority person',
          role: 'system_owner',
          authority: 'owner',
          justification: 'Low, and ours to accept.',
          accepted_on: today(),
          expires_on: addMonths(today(), 6),
          fingerprint: '[]',
          snapshot: '{}',
          at: stamp,
        });
      }),
    });
    const claimed = (await a.exchange.inspect(renamed)).changes.find(
      (c) => c.what === 'row' && c.table === 'acceptance',
    );
    expect(claimed && previewLine('en', claimed)).toMatch(
      /accepted_by: owner person; claimed_by: authority person; role: system_owner/,
    );

    // The genuine update: previewed field by field, imported, and named in the audit row.
    const preview = await a.exchange.inspect(genuine);
    const lines = preview.changes.map((c) => previewLine('en', c));
    expect(lines).toContain('answer DOC-01: changed — statement: Answer → Updated SSRS');
    expect(lines).toContainEqual(
      expect.stringMatching(/^risk OWN-RISK-\d+: changed — treatment: reduce → accept$/),
    );
    expect(preview.changes.map((c) => previewLine('da', c))).toContain(
      'svar DOC-01: ændres — statement: Answer → Updated SSRS',
    );
    await a.exchange.importPackage(genuine);
    expect(a.risks.getRisk(ownRisk).treatment).toBe('accept');
    expect(a.risks.getRisk(tempest).treatment).toBe('reduce');
    const audit = authority.vault.database.exec(
      "SELECT changes FROM audit_log WHERE action = 'package.received' ORDER BY seq DESC LIMIT 1",
    )[0]!.values[0]![0] as string;
    const rows = (JSON.parse(audit) as { rows: unknown[] }).rows;
    expect(rows).toContainEqual({
      table: 'answer',
      ref: 'DOC-01',
      added: false,
      fields: { statement: ['Answer', 'Updated SSRS'] },
    });
    expect(rows).toContainEqual(
      expect.objectContaining({ table: 'risk', fields: { treatment: ['reduce', 'accept'] } }),
    );

    // E3, the other half: the accreditor accepts the owner's risk; the owner's later claim of
    // it, not valid here (a term beyond this vault's longest), never masks that acceptance.
    await a.risks.acceptRisk(ownRisk, {
      justification: 'Accepted by the accreditor.',
      expiresOn: addMonths(today(), 6),
    });
    expect(a.risks.getRisk(ownRisk).acceptance).toMatchObject({
      status: 'accepted',
      role: 'accreditor',
    });
    const later = (
      await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId })
    ).file;
    const masked = new Date().toISOString();
    const masking = await forged('masking', later, owner, authority, {
      manifest: (m) => ({ ...m, createdAt: masked }),
      parts: editSubmission((c) => {
        c.acceptances.push({
          risk_id: ownRisk,
          accepted_by: 'owner person',
          role: 'system_owner',
          authority: 'owner',
          justification: 'For ever.',
          accepted_on: today(),
          expires_on: '2099-12-31',
          fingerprint: fingerprint(a.risks.getRisk(ownRisk)),
          snapshot: '{}',
          at: masked,
        });
      }),
    });
    const claim = (await a.exchange.inspect(masking)).changes.find(
      (c) => c.what === 'row' && c.table === 'acceptance',
    );
    expect(claim).toMatchObject({ valid: false });
    await a.exchange.importPackage(masking);
    expect(a.risks.riskHistory(ownRisk).acceptances.at(-1)).toMatchObject({
      received: true,
      expiresOn: '2099-12-31',
    });
    expect(a.risks.getRisk(ownRisk).acceptance).toMatchObject({
      status: 'accepted',
      role: 'accreditor',
      by: 'authority person',
    });
  });

  /** A new case of the owner's, submitted and taken by the authority. */
  async function submittedCase(): Promise<string> {
    const o = owner.services;
    const id = await o.cases.createCase({ systemId, type: 'interconnection' });
    await answerAll(o, id);
    await o.cases.transition(id, 'submitted', 'Complete');
    await authority.services.exchange.importPackage(
      (await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId }))
        .file,
    );
    return id;
  }
  /** The authority's next package of the case, taken by the owner. */
  async function answered(id: string): Promise<void> {
    await owner.services.exchange.importPackage(
      (
        await authority.services.exchange.exportPackage('decision', id, folder(), {
          identityId: authority.signingId,
        })
      ).file,
    );
  }

  it('an authority package never takes the owner’s step (returned → draft)', async () => {
    const o = owner.services;
    const a = authority.services;
    const id = await submittedCase();
    await a.cases.transition(id, 'intake', 'Intake');
    await a.cases.transition(id, 'returned', 'The SSRS is missing');
    await answered(id);
    expect(o.cases.getCase(id).state).toBe('returned');
    const next = (
      await a.exchange.exportPackage('decision', id, folder(), { identityId: authority.signingId })
    ).file;
    const file = await forged('returned-draft', next, authority, owner, {
      parts: editDecision((c) => {
        const last = c.transitions.at(-1)!;
        c.transitions.push({ ...last, seq: last.seq + 1, from: 'returned', to: 'draft' });
        c.case.state = 'draft';
      }),
    });
    await refused(owner, file, 'STEP_NOT_SENDERS', id);
    await expect(o.exchange.inspect(file)).rejects.toMatchObject({
      details: { reason: 'STEP_NOT_SENDERS' },
    });
    expect(o.cases.getCase(id).state).toBe('returned');
  });

  it('a submission answering an earlier package than the last one sent is out of sequence', async () => {
    const o = owner.services;
    const a = authority.services;
    const id = await submittedCase();
    await a.cases.transition(id, 'intake', 'Intake');
    await answered(id);
    await a.cases.transition(id, 'returned', 'The SSRS is missing');
    await answered(id);
    const [intake, returned] = authority.vault.database
      .exec(
        "SELECT sha256 FROM exchange_log WHERE case_id = ? AND direction = 'sent' ORDER BY seq",
        [id],
      )[0]!
      .values.map((r) => String(r[0]));
    await o.cases.transition(id, 'draft', 'Adding the SSRS');
    await o.cases.transition(id, 'submitted', 'With the SSRS');
    const again = (
      await o.exchange.exportPackage('submission', id, folder(), { identityId: owner.signingId })
    ).file;
    // As if the owner never saw the return: it answers the intake package.
    const file = await forged('answers-intake', again, owner, authority, {
      manifest: (m) => {
        expect(m.previous).toBe(returned);
        return { ...m, previous: intake! };
      },
    });
    await refused(authority, file, 'OUT_OF_SEQUENCE', id);
    expect(a.cases.getCase(id).state).toBe('returned');
    await a.exchange.importPackage(again);
    expect(a.cases.getCase(id).state).toBe('submitted');
  });
});

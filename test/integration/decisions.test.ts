import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorMismatch } from '../../electron/db/audit';
import { importPkcs12 } from '../../electron/signing/identity';
import { renderPdf } from '../../electron/documents/render';
import { sha256Hex } from '../../electron/signing/hash';
import { outsideLetterProfile } from '../../electron/signing/letter-profile';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signedKeywords, verifyPdf } from '../../electron/signing/verify';
import { readCertificates } from '../../electron/signing/x509';
import { createServices, type VaultServices } from '../../electron/services';
import { today } from '../../electron/services/clock';
import { Vault } from '../../electron/vault/vault';
import { citedDossier } from '../../shared/dossier';
import { addMonths } from '../../shared/risk';
import { tempFolder } from '../helpers/context';
import { nssStore } from '../helpers/pki';
import { issuedAccreditor } from '../helpers/accreditor';
import { judgeAll } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;
let identityId: string;

beforeAll(async () => {
  folder = tempFolder('awb-decisions-');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
  identityId = await services.signing.createSelfSigned({
    label: 'Accreditor key',
    commonName: 'Anne Accreditor',
    organisation: 'National IT-Security Authority',
  });
});
afterAll(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

function pdfsig(file: string, certPem?: string): string {
  const args = [file];
  if (certPem) {
    args.unshift('-nssdir', nssStore(join(folder.path, 'nss'), certPem));
  }
  return spawnSync('pdfsig', args, { encoding: 'utf8' }).stdout;
}

function pages(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim() !== '');
}

async function caseInDecisionPending(): Promise<{ systemId: string; caseId: string }> {
  const systemId = await services.register.createSystem({
    ref: `NS-${Math.floor(Math.random() * 1e6)}`,
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  const caseId = await services.cases.createCase({ systemId, type: 'initial' });
  for (const item of services.cases.getCase(caseId).items) {
    await services.cases.updateItem(caseId, item.requirementId, {
      status: item.requirementId === 'PER-01' ? 'non_compliant' : 'compliant',
      statement: 'Answered for the test.',
    });
  }
  for (const to of ['submitted', 'intake', 'under_review', 'decision_pending'] as const) {
    if (to === 'decision_pending') {
      await judgeAll(services, caseId);
    }
    await services.cases.transition(caseId, to, `to ${to}`);
  }
  return { systemId, caseId };
}

describe('signing identities', () => {
  it('creates a self-signed identity (trusted by its owner) without ever exposing the key', () => {
    const [identity] = services.signing.identities();
    expect(identity).toMatchObject({ kind: 'self_signed', expired: false });
    expect(identity!.subject).toContain('CN=Anne Accreditor');
    expect(identity!.daysLeft).toBeGreaterThan(3 * 360);
    expect(Object.keys(identity!)).not.toContain('p12');
    expect(services.signing.trusted().map((t) => t.fingerprint)).toContain(identity!.fingerprint);
    const audit = JSON.stringify(
      vault.database.exec("SELECT changes FROM audit_log WHERE action = 'identity.add'"),
    );
    expect(audit).not.toMatch(/PRIVATE KEY|password/i);
  });

  it('an identity row cannot lose its key: the schema refuses it', async () => {
    const id = await services.signing.createSelfSigned({
      label: 'Keyless',
      commonName: 'Keyless Signer',
      organisation: 'National IT-Security Authority',
    });
    expect(() =>
      vault.database.run('UPDATE signing_identities SET key_der = NULL WHERE id = ?', [id]),
    ).toThrow(/CHECK constraint failed/);
    expect(() => services.signing.signer(id)).not.toThrow();
    vault.database.run('DELETE FROM signing_identities WHERE id = ?', [id]);
  });

  it('imports an organisation PKCS#12, refusing a wrong password, a file that is no key file and a weak key', async () => {
    // A legacy 3DES-protected RSA key file, as older PKI software writes them.
    const keyFile = (bits: number) => {
      const pair = generateKeyPairSync('rsa', {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      });
      const privateKey = forge.pki.privateKeyFromPem(pair.privateKey);
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey);
      cert.serialNumber = '02';
      cert.validity.notBefore = new Date();
      cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
      cert.setSubject([{ shortName: 'CN', value: 'Org Signer' }]);
      cert.setIssuer([{ shortName: 'CN', value: 'Org Signer' }]);
      cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
      cert.sign(privateKey, forge.md.sha256.create());
      return Buffer.from(
        forge.asn1
          .toDer(forge.pkcs12.toPkcs12Asn1(privateKey, [cert], 'secret', { algorithm: '3des' }))
          .getBytes(),
        'binary',
      );
    };
    const p12 = keyFile(2048);
    expect((await importPkcs12(p12, 'secret')).facts.subject).toBe('CN=Org Signer');
    await expect(importPkcs12(p12, 'wrong')).rejects.toMatchObject({ code: 'WRONG_P12_PASSWORD' });
    await expect(importPkcs12(Buffer.from('not a key file'), 'x')).rejects.toMatchObject({
      code: 'SIGNING_IDENTITY_INVALID',
    });
    // An RSA-1024 key is below the algorithm policy's floor (resources/signing/algorithms.json).
    const weak = await importPkcs12(keyFile(1024), 'secret').catch((error: unknown) => error);
    expect(weak).toMatchObject({
      code: 'SIGNING_IDENTITY_INVALID',
      details: { reason: 'WEAK_ALGORITHM' },
    });
    expect(JSON.stringify(weak)).toContain('1024 bits');
  });
});

describe('decisions', () => {
  it('refuses an approval while a non-compliant requirement has no accepted risk, leaving the vault as it was', async () => {
    await services.risks.setCriteria({
      matrixId: 'nist-5x5',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 24,
    });
    const { caseId } = await caseInDecisionPending();
    const audit = vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0];
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId,
        reason: 'All requirements met.',
      }),
    ).rejects.toMatchObject({
      code: 'TRANSITION_REFUSED',
      details: { reason: 'NON_COMPLIANT_WITHOUT_ACCEPTED_RISK' },
    });
    expect(services.decisions.decision(caseId)).toBeNull();
    expect(services.cases.getCase(caseId).state).toBe('decision_pending');
    expect(vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]).toBe(audit);
  });

  it('issues a signed approval: pdfsig valid, qpdf clean, marking on every page, tamper detected', async () => {
    const { systemId, caseId } = await caseInDecisionPending();
    const risk = await services.risks.createRisk({
      systemId,
      caseId,
      scope: 'Administrators',
      threatEvent: 'Uncleared administrator misuses access',
      confidentiality: 4,
      integrity: 3,
      availability: 2,
      likelihood: 3,
      treatment: 'reduce',
      residualLikelihood: 2,
      residualImpact: 4,
      requirementIds: ['PER-01'],
    });
    await services.risks.acceptRisk(risk, {
      justification: 'Supervised access until the clearances are issued.',
      expiresOn: addMonths(today(), 6),
    });
    // Four eyes holds both signers to a CA trusted as the authority: Anne's self-signed identity
    // (trusted for documents, pinned) does not even make the first signature, and nothing is
    // signed, stored or audited.
    const auditRows = () => vault.database.exec('SELECT COUNT(*) FROM audit_log')[0]!.values[0]![0];
    const beforeIssue = auditRows();
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId,
        reason: 'The system meets the requirements; one residual risk is accepted.',
      }),
    ).rejects.toMatchObject({
      code: 'FOUR_EYES_SIGNER_NOT_CERTIFIED',
      details: { reason: 'NOT_TRUSTED_AS_AUTHORITY' },
    });
    expect(auditRows()).toBe(beforeIssue);
    expect(services.decisions.decision(caseId)).toBeNull();
    // Anne's certificate as the authority's CA issued it.
    const anne = await issuedAccreditor(services, {
      commonName: 'Anne Holm',
      organisation: 'National IT-Security Authority',
      algorithm: 'rsa-3072',
    });
    const issued = await services.decisions.issueDecision(caseId, {
      type: 'full_approval',
      identityId: anne.identityId,
      reason: 'The system meets the requirements; one residual risk is accepted.',
      conditions: [
        {
          text: 'Clearances for two administrators issued',
          owner: 'System owner',
          dueDate: addMonths(today(), 3),
        },
      ],
    });
    expect(issued.ref).toMatch(/^NISA-DEC-\d{4}-\d{4}$/);
    // NATO SECRET: an approval needs four eyes, so one signature does not decide the case.
    expect(issued.status).toBe('awaiting_countersignature');
    expect(services.cases.getCase(caseId).state).toBe('decision_pending');
    expect(services.cases.transitionContext(caseId, 'x').decision?.signed).toBe(false);
    await expect(
      services.decisions.countersign(caseId, {
        identityId: anne.identityId,
        reason: 'Same person again.',
      }),
    ).rejects.toMatchObject({
      code: 'COUNTERSIGNATURE_REFUSED',
      details: { reason: 'SAME_KEY' },
    });
    const secondId = await services.signing.createSelfSigned({
      label: 'Second accreditor',
      commonName: 'Bo Second Accreditor',
      organisation: 'National IT-Security Authority',
      algorithm: 'ec-p384',
    });
    // A self-signed identity is pinned for documents only: four eyes needs the colleague's
    // certificate trusted as the authority first.
    await expect(
      services.decisions.countersign(caseId, { identityId: secondId, reason: 'Not yet trusted.' }),
    ).rejects.toMatchObject({
      code: 'COUNTERSIGNATURE_REFUSED',
      details: { reason: 'NOT_TRUSTED_AS_AUTHORITY' },
    });
    // Trusted as the authority, a self-signed certificate is still trusted only as itself: it
    // names whoever made it, so four eyes takes it from nobody.
    await services.signing.setTrustRole(
      services.signing.identity(secondId).fingerprint,
      'authority',
    );
    const before = auditRows();
    await expect(
      services.decisions.countersign(caseId, { identityId: secondId, reason: 'Self-made.' }),
    ).rejects.toMatchObject({
      code: 'COUNTERSIGNATURE_REFUSED',
      details: { reason: 'NOT_CERTIFIED_BY_AUTHORITY' },
    });
    expect(auditRows()).toBe(before);
    expect(services.decisions.decision(caseId)?.status).toBe('awaiting_countersignature');
    // The colleague's certificate as the authority's CA issues it: four eyes is met.
    const { identityId: issuedId, caPem } = await issuedAccreditor(services, {
      commonName: 'Bo Second Accreditor',
      organisation: 'National IT-Security Authority',
      algorithm: 'ec-p384',
      ca: anne.ca,
    });
    await services.decisions.countersign(caseId, {
      identityId: issuedId,
      reason: 'Reviewed the case; I concur.',
    });
    await expect(
      services.decisions.countersign(caseId, { identityId: issuedId, reason: 'Again.' }),
    ).rejects.toMatchObject({
      code: 'COUNTERSIGNATURE_REFUSED',
      details: { reason: 'NOT_AWAITING' },
    });
    const c = services.cases.getCase(caseId);
    expect(c.state).toBe('decided');
    expect(c.findings.filter((f) => f.kind === 'condition').map((f) => f.title)).toEqual([
      'Clearances for two administrators issued',
    ]);
    const decision = services.decisions.decision(caseId)!;
    expect(decision).toMatchObject({
      type: 'full_approval',
      validTo: addMonths(today(), 36),
      status: 'issued',
      signaturesRequired: 2,
    });
    expect(decision.signatures.map((x) => x.field)).toEqual(['Signature1', 'Signature2']);
    expect(decision.acceptedRisks.map((r) => r.residualLevel)).toEqual(['low']);
    expect(decision.dossierSha256).toMatch(/^[0-9a-f]{64}$/);
    // A month before it runs out, the approval is on the dashboard.
    const soon = services.dashboard.summary(addMonths(today(), 35));
    expect(soon.approvals).toContainEqual(
      expect.objectContaining({ kind: 'decision', id: caseId, validTo: addMonths(today(), 36) }),
    );
    // The lifecycle now lets the approval come into force.
    expect(c.next.find((x) => x.to === 'in_force')?.verdict).toEqual({ ok: true });

    const pdf = await services.decisions.decisionPdf(caseId);
    const file = join(folder.path, 'decision.pdf');
    writeFileSync(file, pdf);
    const report = pdfsig(file, caPem);
    expect(report.match(/Signature is Valid\./g)).toHaveLength(2);
    // Both accreditors are certified by the CA, which pdfsig trusts as well.
    expect(report.match(/Certificate is Trusted\./g)).toHaveLength(2);
    expect(report).toContain('Signature Field Name: Signature2');
    expect(report).toContain('Total document signed');
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    const text = pages(file);
    expect(text.length).toBeGreaterThan(0);
    for (const page of text) {
      expect(page.match(/NATO SECRET/g)?.length).toBeGreaterThanOrEqual(2);
      expect(page).toMatch(/Side \d+ af \d+/);
    }
    expect(text.join('').replace(/\s+/g, '')).toContain(decision.dossierSha256);
    // The letter cites the audit trail's head when it was signed; the trail still reaches it.
    const cited =
      /Revisionsspor ved underskrift\s+række (\d+), SHA-256 ([0-9a-f]{32})\s+([0-9a-f]{32})/.exec(
        text.join('\n'),
      );
    expect(cited).not.toBeNull();
    const anchor = { rows: Number(cited![1]), head: `${cited![2]}${cited![3]}` };
    expect(anchorMismatch(vault.database, anchor)).toBeNull();
    expect(anchorMismatch(vault.database, { ...anchor, head: 'f'.repeat(64) })).toBe(anchor.rows);
    // The letter's signed keywords name the dossier; the vault keeps that dossier, and a report
    // made after the case moved on (a condition closed) still shows the decided dossier's hash.
    expect(citedDossier(signedKeywords(pdf))).toBe(decision.dossierSha256);
    const kept = services.decisions.decidedDossier(caseId)!;
    expect(kept.sha256).toBe(decision.dossierSha256);
    expect(sha256Hex(kept.json)).toBe(decision.dossierSha256);
    const condition = c.findings.find((f) => f.kind === 'condition')!;
    await services.cases.setFindingStatus(condition.id, 'verified');
    expect(services.decisions.dossierSnapshot(caseId).sha256).not.toBe(decision.dossierSha256);
    const later = await services.decisions.issueDocument({
      caseId,
      kind: 'dossier-report',
      language: 'en',
    });
    expect(citedDossier(signedKeywords(later.pdf))).toBe(decision.dossierSha256);
    writeFileSync(join(folder.path, 'dossier-later.pdf'), later.pdf);
    expect(pages(join(folder.path, 'dossier-later.pdf')).join('').replace(/\s+/g, '')).toContain(
      decision.dossierSha256,
    );
    const verified = await services.signing.verify(pdf);
    expect(verified).toMatchObject({ valid: true, revisions: 3 });
    expect(verified.signatures.map((x) => [x.field, x.status, x.revision, x.level])).toEqual([
      ['Signature1', 'valid', 2, 'PAdES-B-B'],
      ['Signature2', 'valid', 3, 'PAdES-B-B'],
    ]);

    const tampered = Buffer.from(pdf);
    // A flipped byte inside the signed ranges (the padding of /Contents is, by design, not signed).
    tampered[400]! ^= 0x01;
    writeFileSync(join(folder.path, 'tampered.pdf'), tampered);
    expect(await services.signing.verify(tampered)).toMatchObject({
      valid: false,
      reason: 'DIGEST_MISMATCH',
    });
    expect(pdfsig(join(folder.path, 'tampered.pdf'))).not.toContain('Signature is Valid.');
    const trust = { anchors: readCertificates(caPem), crls: [] };
    const appended = Buffer.concat([pdf, Buffer.from('\n% appended after signing\n')]);
    expect(await verifyPdf(appended, trust)).toMatchObject({
      valid: false,
      reason: 'MODIFIED_AFTER_SIGNING',
    });
    expect(await verifyPdf(Buffer.from('%PDF-1.4\n%%EOF'), trust)).toMatchObject({
      valid: false,
      reason: 'MALFORMED_SIGNATURE',
    });
    expect(
      (
        await verifyPdf(
          await services.decisions.render(services.decisions.recordsSpec('da')),
          trust,
        )
      ).reason,
    ).toBe('NOT_SIGNED');
    // Not trusted by a verifier who holds no anchors.
    expect(await verifyPdf(pdf)).toMatchObject({ valid: false, reason: 'SIGNER_NOT_TRUSTED' });
  });

  it('issues a dossier report (heat maps, compliance matrix, evidence hashes) and a signed risk acceptance', async () => {
    const { caseId } = await caseInDecisionPending();
    const dossier = await services.decisions.issueDocument({
      caseId,
      kind: 'dossier-report',
      language: 'en',
    });
    const file = join(folder.path, 'dossier.pdf');
    writeFileSync(file, dossier.pdf);
    const text = pages(file);
    expect(text.length).toBeGreaterThan(2);
    for (const page of text) {
      expect(page).toContain('NATO SECRET');
      expect(page).toMatch(/Page \d+ of \d+/);
    }
    const all = text.join('\n');
    expect(all).toContain('Compliance matrix');
    expect(all).toContain('PER-01');
    expect(all.replace(/\s+/g, '')).toContain(services.decisions.dossierSnapshot(caseId).sha256);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    // Inside the letter profile, as the records extract is: an owner signs the report it is
    // given, and an authority verifies what it signed (docs/signatures.md, "The letter profile").
    expect(outsideLetterProfile(PdfFile.parse(dossier.pdf))).toBeNull();
    const records = await services.decisions.render(services.decisions.recordsSpec('en'));
    expect(outsideLetterProfile(PdfFile.parse(records))).toBeNull();

    const acceptance = await services.decisions.issueDocument({
      caseId,
      kind: 'risk-acceptance',
      language: 'da',
      identityId,
    });
    expect((await services.signing.verify(acceptance.pdf)).valid).toBe(true);
  });

  it('a layout that does not finish in time becomes a clear error', async () => {
    const { caseId } = await caseInDecisionPending();
    await expect(
      renderPdf(services.decisions.dossierSpec(caseId, 'da'), { timeoutMs: 5 }),
    ).rejects.toMatchObject({ code: 'DOCUMENT_TIMEOUT' });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, openPackage } from '../../electron/exchange/container';
import { createServices, type VaultServices } from '../../electron/services';
import { today } from '../../electron/services/register';
import { Vault } from '../../electron/vault/vault';
import { addMonths } from '../../shared/risk';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

interface Party {
  vault: Vault;
  services: VaultServices;
  identityId: string;
  certPem: string;
  fingerprint: string;
}

const work = tempFolder('awb-exchange-');
let owner: Party;
let authority: Party;
let outsider: Party;

async function party(name: string, role: 'accreditor' | 'system_owner'): Promise<Party> {
  const { vault } = await Vault.create(
    join(work.path, name),
    PASSPHRASE,
    { ...PROFILE, name: `${name} person`, organisation: `${name} org`, role },
    TEST_CONFIG,
  );
  const services = createServices(() => vault);
  const identityId = await services.signing.createSelfSigned({
    label: name,
    commonName: `${name} person`,
    organisation: `${name} org`,
  });
  const certPem = services.signing.certificatePem(identityId);
  const fingerprint = services.signing.identities()[0]!.fingerprint;
  await services.risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  return { vault, services, identityId, certPem, fingerprint };
}

const auditCount = (p: Party) =>
  Number(p.vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]);
const blobCount = (p: Party) => {
  try {
    return readdirSync(join(p.vault.folder, 'blobs')).length;
  } catch {
    return 0;
  }
};

let caseId = '';
let submissionFile = '';
let decisionFile = '';
const evidenceBytes = randomBytes(300_000);

beforeAll(async () => {
  owner = await party('owner', 'system_owner');
  authority = await party('authority', 'accreditor');
  outsider = await party('outsider', 'accreditor');
  // Certificates are exchanged out of band and put in each other's trust store.
  await owner.services.signing.trust(authority.certPem);
  await authority.services.signing.trust(owner.certPem);

  const o = owner.services;
  const systemId = await o.register.createSystem({
    ref: 'SYS-001',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  caseId = await o.cases.createCase({ systemId, type: 'initial' });
  for (const item of o.cases.getCase(caseId).items) {
    await o.cases.updateItem(caseId, item.requirementId, {
      status: item.requirementId === 'PER-01' ? 'non_compliant' : 'compliant',
      statement: `Statement for ${item.requirementId}`,
    });
  }
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
  submissionFile = join(work.path, 'submission.awbpkg');
  await o.exchange.exportSubmission(caseId, submissionFile, {
    identityId: owner.identityId,
    recipientCertPem: authority.certPem,
  });
}, 120_000);

afterAll(async () => {
  for (const p of [owner, authority, outsider]) {
    await p.vault.close({ discard: true });
  }
  work.cleanup();
});

describe('air-gap round trip', () => {
  it('owner → submission → authority: verified, previewed, imported intact', async () => {
    const a = authority.services;
    const preview = await a.exchange.inspect(submissionFile);
    expect(preview).toMatchObject({ kind: 'submission', caseExists: false, encrypted: true });
    expect(preview.changes).toEqual(
      expect.arrayContaining(['system SYS-001: added', '1 evidence files', '1 risks']),
    );
    // Inspecting changed nothing.
    expect(a.cases.listCases()).toEqual([]);

    await a.exchange.importPackage(submissionFile, { expect: 'submission' });
    const imported = a.cases.getCase(caseId);
    const original = owner.services.cases.getCase(caseId);
    expect(imported.state).toBe('submitted');
    expect(imported.items.map((i) => [i.requirementId, i.status, i.statement])).toEqual(
      original.items.map((i) => [i.requirementId, i.status, i.statement]),
    );
    expect(imported.evidence).toHaveLength(1);
    const stored: Buffer[] = [];
    for await (const chunk of authority.vault.blobs.read(imported.evidence[0]!.address)) {
      stored.push(chunk);
    }
    expect(Buffer.concat(stored).equals(evidenceBytes)).toBe(true);
    expect(imported.evidence[0]!.sha256).toBe(
      createHash('sha256').update(evidenceBytes).digest('hex'),
    );
    // The owner's accepted risk covers PER-01 on the authority's side too.
    expect(imported.unaccepted).toEqual([]);
    expect(a.risks.listRisks({ caseId })[0]!.acceptance.status).toBe('accepted');
  });

  it('authority decides and sends the decision; the owner imports it with everything intact', async () => {
    const a = authority.services;
    for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
      await a.cases.transition(caseId, to, `to ${to}`);
    }
    await a.cases.updateItem(caseId, 'PER-01', {
      verdict: 'agreed',
      assessorComment: 'Compensated by supervision.',
    });
    await a.decisions.issueDecision(caseId, {
      type: 'full_approval',
      identityId: authority.identityId,
      reason: 'Requirements met; one residual risk accepted.',
      conditions: [{ text: 'Clearances issued', dueDate: addMonths(today(), 3) }],
    });
    // NATO SECRET needs four eyes: a second accreditor countersigns on the authority's laptop.
    const second = await a.signing.createSelfSigned({
      label: 'second',
      commonName: 'authority second person',
      organisation: 'authority org',
      algorithm: 'ec-p256',
    });
    await a.decisions.countersign(caseId, { identityId: second, reason: 'Four eyes.' });
    await owner.services.signing.trust(a.signing.certificatePem(second));
    await a.cases.transition(caseId, 'in_force', 'Notified');
    decisionFile = join(work.path, 'decision.awbpkg');
    await a.exchange.exportDecision(caseId, decisionFile, {
      identityId: authority.identityId,
      recipientCertPem: owner.certPem,
    });

    const o = owner.services;
    await o.exchange.importPackage(decisionFile, { expect: 'decision' });
    const c = o.cases.getCase(caseId);
    expect(c.state).toBe('in_force');
    expect(c.history.at(-1)).toMatchObject({
      from: 'submitted',
      to: 'in_force',
      actor: 'authority person',
    });
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
      dossierSha256: theirs.dossierSha256,
      pdfSha256: theirs.pdfSha256,
    });
    const pdf = await o.decisions.decisionPdf(caseId);
    expect(await o.signing.verify(pdf)).toMatchObject({ valid: true });
    expect(o.exchange.exchangeLog().map((l) => `${l.direction}:${l.kind}`)).toEqual(
      expect.arrayContaining(['sent:submission', 'received:decision']),
    );
    // Sender and receiver name the same package by the same (manifest) hash.
    const sent = a.exchange
      .exchangeLog()
      .find((l) => l.direction === 'sent' && l.kind === 'decision');
    const received = o.exchange
      .exchangeLog()
      .find((l) => l.direction === 'received' && l.kind === 'decision');
    expect(received?.sha256).toBe(sent?.sha256);
  });
});

describe('the ZIP itself', () => {
  /** CRC-32 (IEEE) the long way, as a reference independent of the code under test. */
  function referenceCrc32(bytes: Buffer): number {
    let crc = 0xffffffff;
    for (const byte of bytes) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) {
        crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
      }
    }
    return (crc ^ 0xffffffff) >>> 0;
  }

  it('records the right CRC-32 for every entry (written with the native CRC)', async () => {
    const file = join(work.path, 'crc.awbpkg');
    await owner.services.exchange.exportSubmission(caseId, file, { identityId: owner.identityId });
    const zip = await new Promise<ZipFile>((resolve, fail) =>
      yauzl.open(file, { lazyEntries: true }, (e, z) =>
        e || !z ? fail(e ?? new Error('no zip')) : resolve(z),
      ),
    );
    const checked: string[] = [];
    await new Promise<void>((resolve, fail) => {
      zip.on('entry', (entry: Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            fail(e ?? new Error('no stream'));
            return;
          }
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            expect(referenceCrc32(Buffer.concat(parts)), entry.fileName).toBe(entry.crc32);
            checked.push(entry.fileName);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve());
      zip.readEntry();
    });
    zip.close();
    expect(checked).toEqual(
      expect.arrayContaining(['manifest.json', 'parts/submission.json', 'parts/evidence-0001']),
    );
  });
});

describe('hostile packages leave the vault untouched', () => {
  async function refused(file: string, reason: string, target: Party = authority) {
    const audit = auditCount(target);
    const blobs = blobCount(target);
    await expect(target.services.exchange.importPackage(file)).rejects.toMatchObject({
      code: 'PACKAGE_REJECTED',
      details: { reason },
    });
    expect(auditCount(target)).toBe(audit);
    expect(blobCount(target)).toBe(blobs);
  }

  /** A ZIP built by yazl; names yazl itself refuses are written as a same-length stand-in and patched. */
  async function zip(entries: { name: string; data: Buffer; mode?: number; compress?: boolean }[]) {
    const file = join(work.path, `hostile-${randomBytes(4).toString('hex')}.awbpkg`);
    const z = new yazl.ZipFile();
    const patches: [string, string][] = [];
    for (const [i, e] of entries.entries()) {
      const standIn = /^\/|\.\.|^[A-Za-z]:/.test(e.name)
        ? `Q${i}`.padEnd(e.name.length, 'q')
        : e.name;
      if (standIn !== e.name) {
        patches.push([standIn, e.name]);
      }
      z.addBuffer(e.data, standIn, { mode: e.mode, compress: e.compress ?? false });
    }
    z.end();
    const chunks: Buffer[] = [];
    for await (const chunk of z.outputStream) {
      chunks.push(chunk as Buffer);
    }
    let bytes = Buffer.concat(chunks).toString('latin1');
    for (const [from, to] of patches) {
      bytes = bytes.split(from).join(to);
    }
    writeFileSync(file, Buffer.from(bytes, 'latin1'));
    return file;
  }
  const envelope = Buffer.from(
    JSON.stringify({ format: 'awb-package', version: 1, encrypted: false }),
  );

  it('a flipped byte anywhere in the content is refused', async () => {
    const bytes = readFileSync(decisionFile);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
    const file = join(work.path, 'flipped.awbpkg');
    writeFileSync(file, bytes);
    const audit = auditCount(owner);
    await expect(owner.services.exchange.importPackage(file)).rejects.toMatchObject({
      code: 'PACKAGE_REJECTED',
    });
    expect(auditCount(owner)).toBe(audit);
  });

  it('damaged evidence is refused after its blob was written, and the blob is removed again', async () => {
    const bytes = readFileSync(submissionFile);
    // The evidence (300 kB of the package) sits in the middle of the archive.
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const file = join(work.path, 'damaged-evidence.awbpkg');
    writeFileSync(file, bytes);
    await refused(file, 'DECRYPTION_FAILED');
  });

  it('an unknown signer, a package for someone else, and the wrong kind are refused', async () => {
    // The outsider trusts nobody: the authority's package has an unknown signer for it — and is
    // encrypted to the owner, so it cannot even be opened there.
    await refused(decisionFile, 'WRONG_RECIPIENT', outsider);
    const plain = join(work.path, 'plain-decision.awbpkg');
    await authority.services.exchange.exportDecision(caseId, plain, {
      identityId: authority.identityId,
    });
    await refused(plain, 'UNKNOWN_SIGNER', outsider);
    await expect(
      owner.services.exchange.importPackage(plain, { expect: 'submission' }),
    ).rejects.toMatchObject({
      details: { reason: 'WRONG_KIND' },
    });
  });

  it('path traversal, links, unlisted and duplicate entries, missing parts, non-packages', async () => {
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: '../evil', data: Buffer.from('x') },
      ]),
      'PATH_TRAVERSAL',
    );
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'parts/a/../../x', data: Buffer.from('x') },
      ]),
      'PATH_TRAVERSAL',
    );
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'C:/windows', data: Buffer.from('x') },
      ]),
      'PATH_TRAVERSAL',
    );
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'parts/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
      ]),
      'LINK',
    );
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'parts/x', data: Buffer.from('x') },
      ]),
      'NOT_A_PACKAGE',
    );
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'notes.txt', data: Buffer.from('x') },
      ]),
      'UNLISTED_ENTRY',
    );
    const notZip = join(work.path, 'not-a-zip.awbpkg');
    writeFileSync(notZip, randomBytes(4096));
    await refused(notZip, 'NOT_A_PACKAGE');
  });

  it('zip bombs, deeply nested JSON and oversized packages are refused before they are read', async () => {
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'manifest.json', data: Buffer.from('{}') },
        { name: 'signature.json', data: Buffer.from('{}') },
        { name: 'parts/bomb', data: Buffer.alloc(20 * 1024 * 1024), compress: true },
      ]),
      'COMPRESSION_RATIO',
    );
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    await refused(
      await zip([
        { name: 'envelope.json', data: envelope },
        { name: 'manifest.json', data: Buffer.from(deep) },
        { name: 'signature.json', data: Buffer.from('{}') },
      ]),
      'TOO_DEEP',
    );
    const trusted = [owner.fingerprint];
    await expect(
      openPackage(submissionFile, {
        trusted,
        limits: { ...DEFAULT_LIMITS, maxTotalBytes: 1000 },
      }),
    ).rejects.toMatchObject({ details: { reason: 'TOO_LARGE' } });
    await expect(
      openPackage(submissionFile, { trusted, limits: { ...DEFAULT_LIMITS, maxEntries: 2 } }),
    ).rejects.toMatchObject({ details: { reason: 'TOO_MANY_ENTRIES' } });
  });

  it('the package reader refuses malformed archives with a reason, or returns exactly what was signed (property)', async () => {
    const plain = join(work.path, 'plain-for-property.awbpkg');
    await authority.services.exchange.exportDecision(caseId, plain, {
      identityId: authority.identityId,
    });
    const original = readFileSync(plain);
    const reference = await openPackage(plain, { trusted: [authority.fingerprint] });
    reference.close();
    const file = join(work.path, 'mutant.awbpkg');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.option(fc.nat({ max: original.length }), { nil: undefined }),
        async (flips, cut) => {
          const mutant = Buffer.from(original.subarray(0, cut ?? original.length));
          for (const [at, bits] of flips) {
            if (at < mutant.length) {
              mutant[at]! ^= bits;
            }
          }
          writeFileSync(file, mutant);
          try {
            const pkg = await openPackage(file, { trusted: [authority.fingerprint] });
            pkg.close();
            // Accepted only when every signed byte is as it was (a flip in unsigned zip metadata).
            expect(pkg.manifest).toEqual(reference.manifest);
          } catch (error) {
            expect(error).toMatchObject({ code: 'PACKAGE_REJECTED' });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/**
 * Four eyes means two people, from the side that must be refused: a countersignature by the
 * first signer's own key, by a second certificate for that key, by a certificate the first
 * signer's key issued (an old self-signed CA:TRUE identity), by a certificate naming the same
 * person, and by a certificate the vault does not trust as an authority — each refused with its
 * reason and leaving the vault as it was. Then: a decision letter is valid only through an anchor
 * trusted as an authority, and a letter that does not verify is never stored.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import { judgeLetter, letterSigners } from '../../electron/signing/four-eyes';
import { PdfFile } from '../../electron/signing/pdf-structure';
import type { PDFNumber, PDFRef } from 'pdf-lib';
import { PDFName } from 'pdf-lib';
import { body } from '../helpers/forge';
import { DEFAULT_SAME_PERSON } from '../../shared/decisions';
import { softwareSigner } from '../../electron/signing/identity';
import { signPdf } from '../../electron/signing/sign';
import { x509 } from '../../electron/signing/x509';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { toDecisionPending } from '../helpers/parties';
import { appendUpdate, letter, SLOTS } from '../helpers/pdf';
import {
  compressedPoint,
  crl,
  issue,
  nssStore,
  pdfsigAccepts,
  pdfsigReport,
  withExponent,
  withoutRsaNull,
  type Party,
} from '../helpers/pki';
import { spawnSync } from 'node:child_process';
import { judgeCountersigner } from '../../electron/signing/four-eyes';
import { verifyPdf } from '../../electron/signing/verify';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;
let orgCa: Party;
let firstId: string;
let n = 0;

/** An organisation's PKCS#12 (made by openssl) imported as a signing identity. */
async function importP12(party: Party, chain: Party[], label: string): Promise<string> {
  const dir = folder.path;
  const id = `p12-${++n}`;
  writeFileSync(join(dir, `${id}.key.der`), party.key);
  writeFileSync(join(dir, `${id}.crt`), party.pem);
  writeFileSync(join(dir, `${id}.chain`), chain.map((c) => c.pem).join('') || party.pem);
  execFileSync('openssl', [
    ...['pkcs8', '-inform', 'DER', '-nocrypt', '-in', join(dir, `${id}.key.der`)],
    ...['-out', join(dir, `${id}.key.pem`)],
  ]);
  execFileSync('openssl', [
    ...['pkcs12', '-export', '-inkey', join(dir, `${id}.key.pem`), '-in', join(dir, `${id}.crt`)],
    ...(chain.length ? ['-certfile', join(dir, `${id}.chain`)] : []),
    ...['-out', join(dir, `${id}.p12`), '-passout', 'pass:p12-secret'],
  ]);
  return services.signing.importPkcs12(readFileSync(join(dir, `${id}.p12`)), 'p12-secret', label);
}

/** A Party for a vault identity's software key (to certify the same key again, or issue with it). */
async function partyOf(identityId: string): Promise<Party> {
  const row = vault.database.exec('SELECT key_der FROM signing_identities WHERE id = ?', [
    identityId,
  ])[0]!.values[0]![0] as Uint8Array;
  const cert = services.signing.identityCertificate(identityId);
  const rsa = (cert.publicKey.algorithm as { name: string }).name !== 'ECDSA';
  const key = Buffer.from(row);
  return {
    cert,
    key,
    signingKey: await globalThis.crypto.subtle.importKey(
      'pkcs8',
      key,
      rsa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    ),
    algorithm: rsa ? 'rsa' : 'ec-p256',
    pem: services.signing.certificatePem(identityId),
    der: Buffer.from(cert.rawData),
  };
}

let systemId: string;
async function awaitingCase(signedBy: string): Promise<string> {
  const caseId = await toDecisionPending(services, systemId);
  const issued = await services.decisions.issueDecision(caseId, {
    type: 'full_approval',
    identityId: signedBy,
    reason: 'The system meets the requirements.',
  });
  expect(issued.status).toBe('awaiting_countersignature');
  return caseId;
}

/** A NATO system registered at `level`, taken to decision pending: its id and the case's. */
async function pendingAt(ref: string, level: string): Promise<{ system: string; caseId: string }> {
  const system = await services.register.createSystem({
    ref,
    name: `Net ${ref}`,
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level }],
    userCount: 5,
    minClearance: level,
  });
  return { system, caseId: await toDecisionPending(services, system) };
}

/** The system's levels changed to one NATO level (its other fields as they are). */
async function setLevel(id: string, level: string): Promise<void> {
  const { id: _id, ...system } = services.register.getSystem(id).system;
  await services.register.updateSystem(id, { ...system, levels: [{ domain: 'nato', level }] });
}

/** A decision of `type` issued by the first accreditor alone. */
function decideAlone(caseId: string, type: 'full_approval' | 'amendment', extra = {}) {
  return services.decisions.issueDecision(caseId, {
    type,
    identityId: firstId,
    reason: 'One accreditor.',
    ...extra,
  });
}

function state(caseId: string) {
  const count = (sql: string) => Number(vault.database.exec(sql)[0]?.values[0]?.[0] ?? 0);
  return {
    audit: count('SELECT count(*) FROM audit_log'),
    blobs: readdirSync(join(vault.folder, 'blobs'), { recursive: true }).length,
    decision: services.decisions.decision(caseId)?.status ?? null,
    pdf: services.decisions.decision(caseId)?.pdfSha256 ?? null,
  };
}

beforeAll(async () => {
  folder = tempFolder('awb-four-eyes-');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
  await services.risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  systemId = await services.register.createSystem({
    ref: 'SYS-4EYES',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  // The authority's own CA, trusted as an authority, with its current CRL.
  orgCa = await issue({ name: 'CN=Authority CA, O=Authority, C=DK', ca: true });
  await services.signing.trust(orgCa.pem, 'authority', fingerprintsOf(orgCa.pem));
  await services.signing.addCrl(Buffer.from((await crl(orgCa, [])).rawData));
  // Anne, the first signer, certified by that CA: four eyes takes no self-signed signer.
  firstId = await importP12(
    await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: orgCa }),
    [orgCa],
    'Anne',
  );
});
afterAll(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

describe('a countersignature by one person is refused, each with its reason', () => {
  interface Row {
    name: string;
    /** The countersigner's identity (and the case's first signer, when not Anne). */
    make: () => Promise<{ countersigner: string; first?: string }>;
    reason:
      | 'SAME_KEY'
      | 'SAME_PERSON'
      | 'NOT_TRUSTED_AS_AUTHORITY'
      | 'ISSUED_BY_FIRST_SIGNER'
      | 'NOT_CERTIFIED_BY_AUTHORITY';
  }
  const rows: Row[] = [
    {
      name: 'the first signer again',
      make: async () => ({ countersigner: firstId }),
      reason: 'SAME_KEY',
    },
    {
      name: "a second certificate for the first signer's key, from a CA trusted as an authority",
      make: async () => {
        const anne = await partyOf(firstId);
        const again = await issue({
          name: 'CN=Bo Second, O=Authority, C=DK',
          issuer: orgCa,
          keyOf: anne,
        });
        return { countersigner: await importP12(again, [orgCa], 'Bo (Anne’s key)') };
      },
      reason: 'SAME_KEY',
    },
    {
      name: "a certificate the first signer's own CA:TRUE signing certificate issued, itself certified by a CA trusted as an authority",
      make: async () => {
        const legacy = await issue({
          name: 'CN=Legacy Anne, O=Authority, C=DK',
          ca: true,
          issuer: orgCa,
          usages:
            x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.nonRepudiation |
            x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign,
        });
        const first = await importP12(legacy, [orgCa], 'Legacy Anne');
        const made = await issue({
          name: 'CN=Second Accreditor, O=Authority, C=DK',
          issuer: legacy,
        });
        await services.signing.addCrl(Buffer.from((await crl(legacy, [])).rawData));
        return { first, countersigner: await importP12(made, [legacy, orgCa], 'Made by Anne') };
      },
      reason: 'ISSUED_BY_FIRST_SIGNER',
    },
    {
      name: "the first signer's certificate issued with the countersigner's own key (the puppet signs first)",
      make: async () => {
        // Cy's signing certificate, CA:TRUE as well, certified by the authority's CA: his key
        // makes a puppet, which the CA's path vouches for through Cy's certificate.
        const legacy = await issue({
          name: 'CN=Legacy Cy, O=Authority, C=DK',
          ca: true,
          issuer: orgCa,
          usages:
            x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.nonRepudiation |
            x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign,
        });
        const countersigner = await importP12(legacy, [orgCa], 'Legacy Cy');
        await services.signing.addCrl(Buffer.from((await crl(legacy, [])).rawData));
        const puppet = await issue({ name: 'CN=Bo Puppet, O=Authority, C=DK', issuer: legacy });
        return {
          first: await importP12(puppet, [legacy, orgCa], 'Bo Puppet'),
          countersigner,
        };
      },
      reason: 'ISSUED_BY_FIRST_SIGNER',
    },
    {
      name: 'another key naming the same person, a zero-width space in the name',
      make: async () => {
        const twin = await issue({
          name: 'CN=Anne Accre\u200Bditor, O=Other Unit, C=DK',
          issuer: orgCa,
        });
        return { countersigner: await importP12(twin, [orgCa], 'Anne (zero width)') };
      },
      reason: 'SAME_PERSON',
    },
    {
      name: 'another key naming the same person with a look-alike letter (Cyrillic А)',
      make: async () => {
        const twin = await issue({
          name: 'CN=\u0410nne Accreditor, O=Other Unit, C=DK',
          issuer: orgCa,
        });
        return { countersigner: await importP12(twin, [orgCa], 'Anne (Cyrillic A)') };
      },
      reason: 'SAME_PERSON',
    },
    {
      name: 'another key naming the same person (common name)',
      make: async () => {
        const twin = await issue({
          name: 'CN=anne  accreditor, O=Other Unit, C=DK',
          issuer: orgCa,
        });
        return { countersigner: await importP12(twin, [orgCa], 'Anne again') };
      },
      reason: 'SAME_PERSON',
    },
    {
      name: 'a certificate from a CA trusted for documents only',
      make: async () => {
        const docsCa = await issue({ name: 'CN=Documents CA, O=Elsewhere, C=DK', ca: true });
        await services.signing.trust(docsCa.pem, 'documents', fingerprintsOf(docsCa.pem));
        await services.signing.addCrl(Buffer.from((await crl(docsCa, [])).rawData));
        const bo = await issue({ name: 'CN=Bo Documents, O=Elsewhere, C=DK', issuer: docsCa });
        return { countersigner: await importP12(bo, [docsCa], 'Bo (documents)') };
      },
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
    },
    {
      name: 'a certificate from a CA trusted as a system owner',
      make: async () => {
        const ownerCa = await issue({ name: 'CN=Owner CA, O=Owner, C=DK', ca: true });
        await services.signing.trust(ownerCa.pem, 'owner', fingerprintsOf(ownerCa.pem));
        const bo = await issue({ name: 'CN=Bo Owner, O=Owner, C=DK', issuer: ownerCa });
        return { countersigner: await importP12(bo, [ownerCa], 'Bo (owner)') };
      },
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
    },
    {
      name: 'a self-signed identity made here and never trusted as an authority',
      make: async () => ({
        countersigner: await services.signing.createSelfSigned({
          label: 'Cy',
          commonName: 'Cy Colleague',
          organisation: 'Authority',
          algorithm: 'ec-p256',
        }),
      }),
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
    },
    {
      name: 'a self-signed identity made here and trusted as an authority: trusted only as itself',
      make: async () => {
        const dy = await services.signing.createSelfSigned({
          label: 'Dy',
          commonName: 'Dy Colleague',
          organisation: 'Authority',
          algorithm: 'ec-p256',
        });
        await services.signing.setTrustRole(services.signing.identity(dy).fingerprint, 'authority');
        return { countersigner: dy };
      },
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
    },
    {
      name: "an organisation's end-entity certificate trusted as an authority by itself (pinned), not its CA",
      make: async () => {
        const elsewhereCa = await issue({ name: 'CN=Elsewhere CA, O=Elsewhere, C=DK', ca: true });
        const ed = await issue({ name: 'CN=Ed Elsewhere, O=Elsewhere, C=DK', issuer: elsewhereCa });
        await services.signing.trust(ed.pem, 'authority', fingerprintsOf(ed.pem));
        return { countersigner: await importP12(ed, [elsewhereCa], 'Ed (pinned)') };
      },
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { countersigner, first } = await row.make();
      const caseId = await awaitingCase(first ?? firstId);
      const before = state(caseId);
      await expect(
        services.decisions.countersign(caseId, { identityId: countersigner, reason: 'Four eyes.' }),
      ).rejects.toMatchObject({
        code: 'COUNTERSIGNATURE_REFUSED',
        details: { reason: row.reason },
      });
      expect(state(caseId)).toEqual(before);
      expect(services.cases.getCase(caseId).state).toBe('decision_pending');
    });
  }

  it('a second person with a certificate from a CA trusted as an authority countersigns', async () => {
    const bo = await issue({
      name: 'CN=Bo Accreditor, O=Authority, C=DK',
      issuer: orgCa,
      algorithm: 'ec-p256',
    });
    const boId = await importP12(bo, [orgCa], 'Bo');
    // Trusted pinned as well, Bo is still taken through the CA that certified him.
    await services.signing.trust(bo.pem, 'authority', fingerprintsOf(bo.pem));
    const caseId = await awaitingCase(firstId);
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    expect(services.decisions.decision(caseId)?.status).toBe('issued');
    expect(services.cases.getCase(caseId).state).toBe('decided');
    // The letter stands for the decision here: Anne pinned (this vault's own), Bo by the CA.
    const pdf = await services.decisions.decisionPdf(caseId);
    expect(await services.signing.verifyLetter(pdf)).toMatchObject({ valid: true });
  });
});

describe('decisions that act on a four-eyes approval take four eyes (round 20j)', () => {
  let boId: string;
  /** A case of the NATO SECRET system whose approval Anne and Bo signed, in force. */
  async function inForce(): Promise<string> {
    const caseId = await awaitingCase(firstId);
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    await services.cases.transition(caseId, 'in_force', 'Notified');
    return caseId;
  }
  beforeAll(async () => {
    boId = await importP12(
      await issue({ name: 'CN=Bo Amender, O=Authority, C=DK', issuer: orgCa }),
      [orgCa],
      'Bo amender',
    );
  });

  it('an amendment one accreditor signs moves nothing until a second person countersigns it', async () => {
    const caseId = await inForce();
    const approved = services.decisions.approvalValidity(caseId)!.validTo;
    const later = `${Number(approved.slice(0, 4)) + 2}${approved.slice(4)}`;
    const issued = await services.decisions.issueDecision(caseId, {
      type: 'amendment',
      identityId: firstId,
      reason: 'Validity extended.',
      validTo: later,
    });
    expect(issued.status).toBe('awaiting_countersignature');
    expect(services.decisions.decision(caseId)).toMatchObject({ signaturesRequired: 2 });
    // One signature moves nothing: the approval still ends when two people said it does.
    expect(services.decisions.approvalValidity(caseId)?.validTo).toBe(approved);
    expect(
      await services.signing.verifyLetter(await services.decisions.decisionPdf(caseId)),
    ).toMatchObject({ valid: false, status: 'awaiting_countersignature' });
    // Nor does the first signer countersign it alone.
    await expect(
      services.decisions.countersign(caseId, { identityId: firstId, reason: 'Mine.' }),
    ).rejects.toMatchObject({ code: 'COUNTERSIGNATURE_REFUSED', details: { reason: 'SAME_KEY' } });
    expect(services.decisions.approvalValidity(caseId)?.validTo).toBe(approved);
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    expect(services.decisions.approvalValidity(caseId)?.validTo).toBe(later);
    expect(services.cases.getCase(caseId).state).toBe('in_force');
  });

  it('a reinstatement puts a suspended four-eyes approval back in force only countersigned', async () => {
    const caseId = await inForce();
    // Suspending takes one: it restricts.
    const suspension = await services.decisions.issueDecision(caseId, {
      type: 'suspension',
      identityId: firstId,
      reason: 'Clearances lapsed.',
    });
    expect(suspension.status).toBe('issued');
    expect(services.cases.getCase(caseId).state).toBe('suspended');
    const reinstated = await services.decisions.issueDecision(caseId, {
      type: 'reinstatement',
      identityId: firstId,
      reason: 'Clearances renewed.',
    });
    expect(reinstated.status).toBe('awaiting_countersignature');
    expect(services.cases.getCase(caseId).state).toBe('suspended');
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    expect(services.cases.getCase(caseId).state).toBe('in_force');
  });

  it('an amendment nobody countersigns is withdrawn, and the approval can be suspended again (round 20k)', async () => {
    const caseId = await inForce();
    const approved = services.decisions.decision(caseId)!;
    const conditions = () =>
      Number(
        vault.database.exec(
          "SELECT count(*) FROM findings WHERE kind = 'condition' AND case_id = ?",
          [caseId],
        )[0]!.values[0]![0],
      );
    const before = conditions();
    const amended = await services.decisions.issueDecision(caseId, {
      type: 'amendment',
      identityId: firstId,
      reason: 'One accreditor amends.',
      conditions: [
        {
          text: 'Report monthly',
          owner: 'SO',
          dueDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
        },
      ],
    });
    expect(conditions()).toBe(before + 1);
    // Held: nothing restricts the approval while the amendment waits.
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'suspension',
        identityId: firstId,
        reason: 'Clearances lapsed.',
      }),
    ).rejects.toMatchObject({ details: { reason: 'AWAITING_COUNTERSIGNATURE' } });
    const audit = () =>
      Number(vault.database.exec('SELECT count(*) FROM audit_log')[0]!.values[0]![0]);
    const rows = audit();
    // A reason is asked, as for every decision.
    await expect(services.decisions.discardAwaiting(caseId, { reason: '' })).rejects.toThrow();
    expect(audit()).toBe(rows);
    expect(
      await services.decisions.discardAwaiting(caseId, { reason: 'Not countersigned.' }),
    ).toEqual({
      ref: amended.ref,
    });
    // Gone, with the condition it made; the audit trail keeps it; the approval is as it was.
    expect(services.decisions.decision(caseId)).toMatchObject({
      ref: approved.ref,
      status: 'issued',
    });
    expect(conditions()).toBe(before);
    const [row] = vault.database.exec(
      "SELECT changes FROM audit_log WHERE action = 'decision.discard' ORDER BY seq DESC LIMIT 1",
    )[0]!.values;
    expect(JSON.parse(String(row![0]))).toMatchObject({
      ref: amended.ref,
      pdfSha256: amended.pdfSha256,
      reason: 'Not countersigned.',
    });
    expect(services.decisions.approvalValidity(caseId)?.validTo).toBe(approved.validTo);
    // Nothing awaits now: nothing to withdraw.
    await expect(
      services.decisions.discardAwaiting(caseId, { reason: 'Again.' }),
    ).rejects.toMatchObject({ details: { reason: 'NOT_AWAITING' } });
    const suspended = await services.decisions.issueDecision(caseId, {
      type: 'suspension',
      identityId: firstId,
      reason: 'Clearances lapsed.',
    });
    expect(suspended.status).toBe('issued');
    expect(services.cases.getCase(caseId).state).toBe('suspended');
    // A system owner withdraws nothing of the authority's.
    const { vault: owners } = await Vault.create(
      join(folder.path, 'owner'),
      PASSPHRASE,
      { ...PROFILE, role: 'system_owner' },
      TEST_CONFIG,
    );
    try {
      await expect(
        createServices(() => owners).decisions.discardAwaiting(caseId, { reason: 'Mine now.' }),
      ).rejects.toMatchObject({ details: { reason: 'ACCREDITOR_ONLY' } });
    } finally {
      await owners.close({ discard: true });
    }
  });

  it('a system lowered before its approval is judged at the level it held, until an approval at the lower level (round 20q)', async () => {
    const { system, caseId } = await pendingAt('SYS-LOWERED', 'SECRET');
    await setLevel(system, 'RESTRICTED');
    // Registered at SECRET and never approved: what it held counts, not only what it holds.
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    expect((await decideAlone(caseId, 'full_approval')).status).toBe('awaiting_countersignature');
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    // Approved by two at RESTRICTED: the level it holds since is what the next decision needs
    // (an amendment: as many as the approval it acts on took).
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(1);
    expect(services.decisions.signaturesRequired(caseId, 'amendment')).toBe(2);
    // Raised and lowered again after that approval, with the clock set back to before it (round
    // 20r): the level it held since counts, by the trail's order, not by the dates on its rows.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'));
    try {
      await setLevel(system, 'SECRET');
      await setLevel(system, 'RESTRICTED');
    } finally {
      vi.useRealTimers();
    }
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    expect(services.decisions.decision(caseId)).toMatchObject({ signaturesRequired: 2 });
  });

  it('an approval one accreditor gave a RESTRICTED system takes no force once the system is raised (round 20r)', async () => {
    const { system, caseId } = await pendingAt('SYS-RAISED', 'RESTRICTED');
    const issued = await decideAlone(caseId, 'full_approval');
    expect(issued.status).toBe('issued');
    await setLevel(system, 'SECRET');
    await expect(services.cases.transition(caseId, 'in_force', 'Notified')).rejects.toMatchObject({
      code: 'TRANSITION_REFUSED',
      details: { reason: 'APPROVAL_BELOW_LEVEL' },
    });
    // Put back, it held SECRET since its approval: it still takes no force alone.
    await setLevel(system, 'RESTRICTED');
    await expect(services.cases.transition(caseId, 'in_force', 'Notified')).rejects.toMatchObject({
      details: { reason: 'APPROVAL_BELOW_LEVEL' },
    });
    // A package received for the case whose rows only quote the approval's reference (a finding's
    // text, as a submission's audit row names its rows) is not the approval arriving (20s lead).
    const received = (changes: Record<string, unknown>) =>
      vault.change(
        { action: 'package.received', entityType: 'case', entityId: caseId, changes },
        () => undefined,
      );
    await received({ decisions: [], rows: [{ table: 'findings', text: `See ${issued.ref}.` }] });
    await received({ rows: [{ table: 'findings', title: issued.ref }] });
    await expect(services.cases.transition(caseId, 'in_force', 'Notified')).rejects.toMatchObject({
      details: { reason: 'APPROVAL_BELOW_LEVEL' },
    });
    // The package that brings it, by name, is: the levels held since are those after it.
    await received({ decisions: [issued.ref] });
    await services.cases.transition(caseId, 'in_force', 'Notified');
  });

  it('nor does one whose amendment one accreditor gave, once the system is raised (round 20s)', async () => {
    const { system, caseId } = await pendingAt('SYS-RAISED-2', 'RESTRICTED');
    await decideAlone(caseId, 'full_approval');
    await services.cases.transition(caseId, 'in_force', 'Notified');
    const approved = services.decisions.approvalValidity(caseId)!.validTo;
    const amended = await decideAlone(caseId, 'amendment', {
      validTo: `${Number(approved.slice(0, 4)) + 1}${approved.slice(4)}`,
    });
    expect(amended.status).toBe('issued');
    await services.cases.transition(caseId, 'reaccreditation_due', 'Due');
    await setLevel(system, 'SECRET');
    await expect(services.cases.transition(caseId, 'in_force', 'Back')).rejects.toMatchObject({
      details: { reason: 'APPROVAL_BELOW_LEVEL' },
    });
    // An amendment left awaiting its countersignature is not what the approval stands on (20t).
    expect(
      (await decideAlone(caseId, 'amendment', { validTo: approved, reason: 'Pending.' })).status,
    ).toBe('awaiting_countersignature');
    await expect(services.cases.transition(caseId, 'in_force', 'Back')).rejects.toMatchObject({
      details: { reason: 'APPROVAL_BELOW_LEVEL' },
    });
  });

  it("a part's level counts: a component or a connection's local end at SECRET on a RESTRICTED system takes four eyes (round 20t)", async () => {
    const { system, caseId } = await pendingAt('SYS-PARTS', 'RESTRICTED');
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(1);
    const component = await services.register.createComponent({
      systemId: system,
      kind: 'server',
      product: 'Crypto server',
      level: 'SECRET',
    });
    expect(services.register.getSystem(system).violations.map((v) => v.code)).toContain(
      'COMPONENT_ABOVE_SYSTEM',
    );
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    // Retired before the approval, it held SECRET since the system was registered (round 20u).
    await services.register.retire('component', component);
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    expect((await decideAlone(caseId, 'full_approval')).status).toBe('awaiting_countersignature');
    await services.decisions.countersign(caseId, { identityId: boId, reason: 'Four eyes.' });
    // Approved by two: a part retired before that approval holds nothing since.
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(1);
  });

  it("an interconnection's local end lowered before a one-signature approval still counts (round 20u)", async () => {
    const { system, caseId } = await pendingAt('SYS-LINK', 'RESTRICTED');
    const link = {
      systemId: system,
      peerName: 'Allied net',
      localLevel: 'SECRET',
      peerLevel: 'SECRET',
      domain: 'nato',
      direction: 'bidirectional',
      approvalStatus: 'pending',
    };
    const id = await services.register.createInterconnection(link);
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    await services.register.update('interconnection', id, {
      ...link,
      localLevel: 'RESTRICTED',
      peerLevel: 'RESTRICTED',
    });
    expect(services.decisions.signaturesRequired(caseId, 'full_approval')).toBe(2);
    expect((await decideAlone(caseId, 'full_approval')).status).toBe('awaiting_countersignature');
  });

  it("a part's level counts since an approval by two: live, retired after it, or lowered after it", async () => {
    const { system, caseId } = await pendingAt('SYS-PARTS-2', 'RESTRICTED');
    const approvedByTwo = async (): Promise<string> => {
      const next = await toDecisionPending(services, system);
      expect((await decideAlone(next, 'full_approval')).status).toBe('awaiting_countersignature');
      await services.decisions.countersign(next, { identityId: boId, reason: 'Four eyes.' });
      return next;
    };
    const needed = () => services.decisions.signaturesRequired(caseId, 'full_approval');
    const part = {
      systemId: system,
      kind: 'server' as const,
      product: 'Crypto server',
      level: 'SECRET',
    };
    const first = await services.register.createComponent(part);
    await approvedByTwo();
    // Made before the approval and live: its record says SECRET.
    expect(needed()).toBe(2);
    // Retired after it: held SECRET since the approval, by its record.
    await services.register.retire('component', first);
    expect(needed()).toBe(2);
    const second = await services.register.createComponent({ ...part, product: 'Mail server' });
    await approvedByTwo();
    // Retired before this approval: nothing since. Lowered after it: its change row says SECRET.
    await services.register.update('component', second, { ...part, level: 'RESTRICTED' });
    expect(needed()).toBe(2);
    await approvedByTwo();
    expect(needed()).toBe(1);
  });

  it('an approval that took four eyes keeps them for its amendment after the system was lowered', async () => {
    const caseId = await inForce();
    const { id: _id, ...system } = services.register.getSystem(systemId).system;
    const lowered = { ...system, levels: [{ domain: 'nato', level: 'RESTRICTED' }] };
    await services.register.updateSystem(systemId, lowered);
    try {
      // The policy alone would ask one signature of a NATO RESTRICTED system's amendment.
      expect(services.decisions.signaturesRequired(caseId, 'amendment')).toBe(2);
      expect(services.decisions.signaturesRequired(caseId, 'suspension')).toBe(1);
    } finally {
      await services.register.updateSystem(systemId, system);
    }
  });
});

describe('four eyes on a letter received (as the exchange judges one)', () => {
  /** The letter awaiting Anne's countersignature, countersigned in its reserved field by `by`. */
  async function countersigned(caseId: string, by: Party, chain: Party[] = []): Promise<Buffer> {
    return signPdf(
      await services.decisions.decisionPdf(caseId),
      softwareSigner(by.key, [by.der, ...chain.map((c) => c.der)]),
      {
        field: 'Signature2',
        appearance: { title: 'Countersignature', lines: [] },
        name: 'Countersigner',
        reason: 'Four eyes',
        location: 'Test',
        signingTime: new Date(),
      },
    );
  }
  const judge = (pdf: Buffer) =>
    judgeLetter(pdf, {
      authority: services.signing.trustStore('authority'),
      person: DEFAULT_SAME_PERSON,
      now: new Date(),
    });

  it('the first signer countersigning their own letter is SAME_KEY', async () => {
    const caseId = await awaitingCase(firstId);
    expect((await judge(await countersigned(caseId, await partyOf(firstId))))?.reason).toBe(
      'SAME_KEY',
    );
  });

  it('a self-signed countersigner trusted as an authority is NOT_CERTIFIED_BY_AUTHORITY; the same name from a trusted CA is two people', async () => {
    const caseId = await awaitingCase(firstId);
    const selfMade = await issue({ name: 'CN=Self Made, O=Authority, C=DK', algorithm: 'ec-p256' });
    await services.signing.trust(selfMade.pem, 'authority', fingerprintsOf(selfMade.pem));
    expect(await judge(await countersigned(caseId, selfMade))).toMatchObject({
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
      detail: expect.stringContaining('CN=Self Made') as unknown,
    });
    const certified = await issue({
      name: 'CN=Self Made, O=Authority, C=DK',
      issuer: orgCa,
      algorithm: 'ec-p256',
    });
    expect(await judge(await countersigned(caseId, certified, [orgCa]))).toBeNull();
  });

  it('a first signer trusted only as itself beside a certified countersigner is NOT_CERTIFIED_BY_AUTHORITY (round 20g), and such an identity signs no four-eyes decision', async () => {
    // One person: a self-signed name of her own making first, the CA's name for her second.
    const own = await issue({ name: 'CN=Anne Own Name, O=Authority, C=DK' });
    await services.signing.trust(own.pem, 'authority', fingerprintsOf(own.pem));
    const certified = await issue({ name: 'CN=Anne Holm, O=Authority, C=DK', issuer: orgCa });
    expect(
      await judgeCountersigner({
        first: own.cert,
        second: certified.cert,
        chain: [orgCa.cert],
        authority: services.signing.trustStore('authority'),
        person: DEFAULT_SAME_PERSON,
        now: new Date(),
      }),
    ).toMatchObject({
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
      detail: expect.stringContaining('the first signer, CN=Anne Own Name') as unknown,
    });
    // In the vault that identity does not make the first signature of a four-eyes decision.
    const ownId = await importP12(own, [], 'Anne (own name)');
    const caseId = await toDecisionPending(services, systemId);
    const before = state(caseId);
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId: ownId,
        reason: 'The system meets the requirements.',
      }),
    ).rejects.toMatchObject({
      code: 'FOUR_EYES_SIGNER_NOT_CERTIFIED',
      details: { reason: 'NOT_CERTIFIED_BY_AUTHORITY' },
    });
    expect(state(caseId)).toEqual(before);
  });

  it("a certificate the first signer's key issued is ISSUED_BY_FIRST_SIGNER", async () => {
    const caseId = await awaitingCase(firstId);
    const made = await issue({
      name: 'CN=Made Up, O=Authority, C=DK',
      issuer: await partyOf(firstId),
    });
    expect((await judge(await countersigned(caseId, made, [await partyOf(firstId)])))?.reason).toBe(
      'ISSUED_BY_FIRST_SIGNER',
    );
  });

  it("the first signer's key in a second certificate that writes it without RSA's NULL is SAME_KEY", async () => {
    const caseId = await awaitingCase(firstId);
    const anne = await partyOf(firstId);
    expect(anne.algorithm).toBe('rsa');
    const duty = await issue({
      name: 'CN=Duty Accreditor, O=Authority, C=DK',
      issuer: orgCa,
      keyOf: anne,
      keyWritten: withoutRsaNull,
    });
    expect(Buffer.from(duty.cert.publicKey.rawData)).not.toEqual(
      Buffer.from(anne.cert.publicKey.rawData),
    );
    expect((await judge(await countersigned(caseId, duty, [orgCa])))?.reason).toBe('SAME_KEY');
  });

  it('an EC key with its point compressed: the same key (SAME_KEY), and no valid signature, as for pdfsig', async () => {
    const anne = await issue({
      name: 'CN=Anne EC, O=Authority, C=DK',
      issuer: orgCa,
      algorithm: 'ec-p256',
    });
    const duty = await issue({
      name: 'CN=Duty EC, O=Authority, C=DK',
      issuer: orgCa,
      keyOf: anne,
      keyWritten: compressedPoint,
    });
    const authority = services.signing.trustStore('authority');
    expect(
      await judgeCountersigner({
        first: anne.cert,
        second: duty.cert,
        chain: [orgCa.cert],
        authority,
        person: DEFAULT_SAME_PERSON,
        now: new Date(),
      }),
    ).toMatchObject({ reason: 'SAME_KEY' });
    // Signed with the key as the compressed certificate writes it: NSS reads no key there.
    const signed = await signPdf(await letter(), softwareSigner(duty.key, [duty.der, orgCa.der]), {
      field: 'Signature1',
      slot: SLOTS[0],
      appearance: { title: 'Duty', lines: [] },
      name: 'Duty',
      reason: 'Test',
      location: 'Test',
      signingTime: new Date(),
    });
    const result = await verifyPdf(signed, authority);
    expect(result.signatures[0]).toMatchObject({
      reason: 'WEAK_ALGORITHM',
      detail: expect.stringContaining('an EC key not written as an uncompressed point') as unknown,
    });
    if (process.env.AWB_MUTATION !== '1') {
      const file = join(folder.path, 'compressed.pdf');
      writeFileSync(file, signed);
      const nss = nssStore(join(folder.path, 'nss-compressed'), orgCa.pem, authority.crls);
      const report = pdfsigReport(
        spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout,
      );
      expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(false);
    }
  });

  it('the same RSA modulus with another exponent is the same key', async () => {
    const anne = await partyOf(firstId);
    const other = await issue({
      name: 'CN=Duty Exponent, O=Authority, C=DK',
      issuer: orgCa,
      keyOf: anne,
      keyWritten: withExponent(65539),
    });
    expect(
      await judgeCountersigner({
        first: anne.cert,
        second: other.cert,
        chain: [orgCa.cert],
        authority: services.signing.trustStore('authority'),
        person: DEFAULT_SAME_PERSON,
        now: new Date(),
      }),
    ).toMatchObject({ reason: 'SAME_KEY' });
  });

  it('a name that differs only by characters nobody sees is the same person', async () => {
    const anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: orgCa });
    for (const invisible of ['\uFE0F', '\u034F', '\u3164', '\u200B', '\u2060']) {
      const twin = await issue({
        name: `CN=Anne Accreditor${invisible}, O=Authority, C=DK`,
        issuer: orgCa,
        algorithm: 'ec-p256',
      });
      expect(
        await judgeCountersigner({
          first: anne.cert,
          second: twin.cert,
          chain: [orgCa.cert],
          authority: services.signing.trustStore('authority'),
          person: DEFAULT_SAME_PERSON,
          now: new Date(),
        }),
        JSON.stringify(invisible),
      ).toMatchObject({ reason: 'SAME_PERSON' });
    }
  });

  it("a first signer whose certificate the countersigner's key issued is ISSUED_BY_FIRST_SIGNER", async () => {
    const legacy = await issue({
      name: 'CN=Legacy Dan, O=Authority, C=DK',
      ca: true,
      usages:
        x509.KeyUsageFlags.digitalSignature |
        x509.KeyUsageFlags.nonRepudiation |
        x509.KeyUsageFlags.keyCertSign,
    });
    const puppet = await issue({ name: 'CN=Dan Puppet, O=Authority, C=DK', issuer: legacy });
    const sign = (pdf: Buffer, by: Party, chain: Party[], field: 'Signature1' | 'Signature2') =>
      signPdf(pdf, softwareSigner(by.key, [by.der, ...chain.map((c) => c.der)]), {
        field,
        slot: field === 'Signature1' ? SLOTS[0] : undefined,
        appearance: { title: by.cert.subject, lines: [] },
        name: by.cert.subject,
        reason: 'Test',
        location: 'Test',
        signingTime: new Date(),
        reserve:
          field === 'Signature1'
            ? [{ field: 'Signature2', slot: SLOTS[1]!, language: 'en' as const }]
            : [],
      });
    const puppetFirst = await sign(
      await sign(await letter(), puppet, [legacy], 'Signature1'),
      legacy,
      [],
      'Signature2',
    );
    const verdict = await judgeLetter(puppetFirst, {
      authority: { anchors: [legacy.cert], crls: [await crl(legacy, [])] },
      person: DEFAULT_SAME_PERSON,
      now: new Date(),
    });
    expect(verdict).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Dan Puppet, O=Authority, C=DK on the first signer's chain was issued with the countersigner's key",
    });
  });

  it('a stranger is NOT_TRUSTED_AS_AUTHORITY; a colleague of the authority passes', async () => {
    const caseId = await awaitingCase(firstId);
    const stranger = await issue({ name: 'CN=Stranger, O=Nowhere, C=DK' });
    expect((await judge(await countersigned(caseId, stranger)))?.reason).toBe(
      'NOT_TRUSTED_AS_AUTHORITY',
    );
    const colleague = await issue({ name: 'CN=Eva Colleague, O=Authority, C=DK', issuer: orgCa });
    expect(await judge(await countersigned(caseId, colleague, [orgCa]))).toBeNull();
    // One signature is no second person.
    expect((await judge(await services.decisions.decisionPdf(caseId)))?.reason).toBe(
      'NO_SECOND_SIGNATURE',
    );
  });

  it('a signature left in an earlier revision but no longer a field of the letter is no second person', async () => {
    // A real signature by a colleague trusted as an authority, lifted from another letter…
    const caseId = await awaitingCase(firstId);
    const colleague = await issue({ name: 'CN=Ghost Colleague, O=Authority, C=DK', issuer: orgCa });
    const donor = PdfFile.parse(await countersigned(caseId, colleague, [orgCa]));
    const lifted = donor
      .signatureValues(donor.last.number)
      .find((v) => v.field === 'Signature2')!.contents!;
    // …planted as a field in an unsigned revision, taken out of the form in the next, and then
    // the first accreditor signs the letter alone.
    const base = await letter();
    const file = PdfFile.parse(base);
    const size = (file.last.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber();
    const root = (file.last.trailer.get(PDFName.of('Root')) as PDFRef).objectNumber;
    const catalog = body(base, root).replace(/>>\s*$/, ` /AcroForm ${size + 2} 0 R >>`);
    const planted = appendUpdate(base, [
      {
        num: size,
        body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Ghost) /V ${size + 1} 0 R /Rect [ 0 0 0 0 ] >>`,
      },
      {
        num: size + 1,
        body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [ 0 10 20 30 ] /Contents <${Buffer.from(lifted).toString('hex')}> >>`,
      },
      { num: size + 2, body: `<< /Fields [ ${size} 0 R ] >>` },
      { num: root, body: catalog },
    ]);
    const removed = appendUpdate(planted, [{ num: size + 2, body: '<< /Fields [ ] >>' }]);
    const alone = await signPdf(
      removed,
      softwareSigner((await partyOf(firstId)).key, [(await partyOf(firstId)).der]),
      {
        field: 'Signature1',
        slot: SLOTS[0],
        appearance: { title: 'Anne', lines: [] },
        name: 'Anne',
        reason: 'Approval',
        location: 'Test',
        signingTime: new Date(),
      },
    );
    expect(letterSigners(alone).map((x) => x.field)).toEqual(['Signature1']);
    expect((await judge(alone))?.reason).toBe('NO_SECOND_SIGNATURE');
  });
});

describe('trust by role', () => {
  async function signedBy(rootRole: 'owner' | 'documents' | 'authority') {
    const root = await issue({ name: `CN=${rootRole} Root, O=Elsewhere, C=DK`, ca: true });
    const signer = await issue({ name: `CN=${rootRole} Signer, O=Elsewhere, C=DK`, issuer: root });
    await services.signing.trust(root.pem, rootRole, fingerprintsOf(root.pem));
    await services.signing.addCrl(Buffer.from((await crl(root, [])).rawData));
    return signPdf(await letter(), softwareSigner(signer.key, [signer.der, root.der]), {
      field: 'Signature1',
      slot: SLOTS[0],
      appearance: { title: 'Signer', lines: [] },
      name: 'Signer',
      reason: 'Test',
      location: 'Test',
      signingTime: new Date(),
    });
  }

  it('a PDF trusted only through an anchor trusted as a system owner is valid for nothing', async () => {
    const pdf = await signedBy('owner');
    expect(await services.signing.verify(pdf)).toMatchObject({
      valid: false,
      reason: 'SIGNER_NOT_TRUSTED',
    });
    expect(await services.signing.verifyLetter(pdf)).toMatchObject({ valid: false });
    expect(await services.signing.verifyAs(pdf, 'owner')).toMatchObject({ valid: true });
  });

  it('one trusted for documents is a valid document but not a letter for a decision', async () => {
    const pdf = await signedBy('documents');
    expect(await services.signing.verify(pdf)).toMatchObject({ valid: true });
    expect(await services.signing.verifyLetter(pdf)).toMatchObject({
      valid: false,
      reason: 'SIGNER_NOT_TRUSTED',
    });
  });

  it('one trusted as an authority is both', async () => {
    const pdf = await signedBy('authority');
    expect(await services.signing.verify(pdf)).toMatchObject({ valid: true });
    expect(await services.signing.verifyLetter(pdf)).toMatchObject({ valid: true });
  });
});

describe('nothing stored unverified', () => {
  it('a letter that does not verify (its key is not its certificate’s) is refused, and nothing is kept', async () => {
    const swapped = await importP12(
      await issue({ name: 'CN=Dan Swapped, O=Authority, C=DK', issuer: orgCa }),
      [orgCa],
      'Swapped',
    );
    // The key beside the certificate replaced, as a damaged or tampered vault might hold it.
    const other = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    vault.database.run('UPDATE signing_identities SET key_der = ? WHERE id = ?', [
      new Uint8Array(other),
      swapped,
    ]);
    const caseId = await toDecisionPending(services, systemId);
    const before = state(caseId);
    await expect(
      services.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId: swapped,
        reason: 'The system meets the requirements.',
      }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'SIGNATURE_INVALID' },
    });
    expect(state(caseId)).toEqual(before);
    expect(services.decisions.decision(caseId)).toBeNull();
    expect(services.cases.getCase(caseId).state).toBe('decision_pending');
  });
});

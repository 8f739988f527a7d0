/**
 * Two vaults that exchange packages (an owner and an authority, introduced to each other), a
 * system of the owner's, and what a test of a decision package needs: a case taken to "decision
 * pending" at the authority, the decision package, a copy of it edited and signed again by one
 * of the authority's package signers, the outcome of an import and a vault's whole state.
 */
import { issuedAccreditor } from './accreditor';
import { join } from 'node:path';
import type { DecisionContent } from '../../electron/exchange/content';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { readCertificate } from '../../electron/signing/x509';
import { repack } from './packages';
import { answerAll, introduce, judgeAll, makeParty, type Party } from './parties';

export interface Pair {
  owner: Party;
  authority: Party;
  systemId: string;
  /** The folder packages are written to. */
  packages: string;
}

/**
 * A party under `folder` that exchanges packages: `name`'s vault with an encryption identity
 * (RSA for an authority, EC for an owner) and the same acceptance criteria on both sides (an
 * owner accepts up to low, an accreditor up to high, for at most 24 months).
 */
export async function exchangeParty(
  folder: string,
  name: string,
  role: 'accreditor' | 'system_owner',
  prefix: string,
): Promise<Party> {
  const p = await makeParty(
    folder,
    name,
    { name: `${name} person`, organisation: `${name} org`, role, referencePrefix: prefix },
    {
      encryption: role === 'accreditor' ? 'rsa-3072' : 'ec-p256',
      certified: role === 'accreditor',
    },
  );
  await p.services.risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  return p;
}

/** An owner and an authority under `folder`, each with criteria, and a NATO SECRET system. */
export async function makePair(folder: string): Promise<Pair> {
  const owner = await exchangeParty(folder, 'owner', 'system_owner', 'OWN');
  const authority = await exchangeParty(folder, 'authority', 'accreditor', 'AUTH');
  await introduce(owner, authority);
  const systemId = await owner.services.register.createSystem({
    ref: 'OWN-SYS-001',
    name: 'Missionsnet',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  return { owner, authority, systemId, packages: join(folder, 'packages') };
}

/**
 * A new case of the owner's, answered compliant (`before` runs on it before it is submitted),
 * submitted and taken by the authority to "decision pending".
 */
export async function pendingCase(
  pair: Pair,
  before: (caseId: string) => Promise<void> = async () => undefined,
): Promise<string> {
  const { owner, authority } = pair;
  const id = await owner.services.cases.createCase({ systemId: pair.systemId, type: 'initial' });
  await answerAll(owner.services, id, () => 'compliant', 'Answer');
  await before(id);
  await owner.services.cases.transition(id, 'submitted', 'Complete');
  const sent = await owner.services.exchange.exportPackage('submission', id, pair.packages, {
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

/** The authority's decision package for a case, signed by `identityId` (its first signer's). */
export async function decisionPackage(
  pair: Pair,
  caseId: string,
  identityId = pair.authority.signingId,
): Promise<string> {
  const sent = await pair.authority.services.exchange.exportPackage(
    'decision',
    caseId,
    pair.packages,
    { identityId },
  );
  return sent.file;
}

/**
 * A second person of the authority, certified by the authority's CA (four eyes takes no
 * self-signed countersigner), the CA trusted as the authority by both sides with its CRL.
 */
export async function secondAccreditor(pair: Pair): Promise<string> {
  const issued = await issuedAccreditor(pair.authority.services, {
    commonName: 'countersigning officer',
    organisation: 'authority org',
    label: 'second',
  });
  const o = pair.owner.services.signing;
  await o.trust(issued.caPem, 'authority', fingerprintsOf(issued.caPem));
  await o.addCrl(issued.crl);
  return issued.identityId;
}

/**
 * A decision package opened with the owner's key, its content edited, and signed again by one
 * of the authority's package signers (`signer`, an identity of the authority's).
 */
export async function forged(
  pair: Pair,
  source: string,
  name: string,
  edit: (content: DecisionContent) => void,
  signer = pair.authority.signingId,
): Promise<string> {
  const file = join(pair.packages, `forged-${name}.awbpkg`);
  const { owner, authority } = pair;
  await repack(source, file, {
    keys: owner.services.signing.decryptionKeys(),
    signer: authority.services.signing.signer(signer),
    recipient: readCertificate(owner.services.signing.certificatePem(owner.encryptionId))!,
    parts: (parts) => {
      const content = JSON.parse(parts.get('parts/decision.json')!.toString()) as DecisionContent;
      edit(content);
      parts.set('parts/decision.json', Buffer.from(JSON.stringify(content)));
    },
  });
  return file;
}

/** 'IMPORTED', or the refusal as "reason: detail". */
export async function outcome(party: Party, file: string): Promise<string> {
  try {
    await party.services.exchange.importPackage(file);
    return 'IMPORTED';
  } catch (error) {
    const e = error as { details?: { reason?: string; detail?: string }; message?: string };
    return `${e.details?.reason ?? 'UNTYPED'}: ${e.details?.detail ?? e.message ?? ''}`;
  }
}

/** Every table's rows but the audit log's (which records the refusal), to compare. */
export function snapshot(party: Party): string {
  const db = party.vault.database;
  const tables = db
    .exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]!
    .values.map((r) => String(r[0]))
    .filter((t) => t !== 'audit_log');
  return JSON.stringify(tables.map((t) => [t, db.exec(`SELECT * FROM "${t}"`)[0]?.values ?? []]));
}

/** The decision record of a case at the authority: what its letter lists, when it was taken. */
export function letterOf(pair: Pair, caseId: string): { accepted: string; decidedAt: string } {
  const [accepted, decidedAt] = pair.authority.vault.database
    .exec('SELECT accepted_risks, created_at FROM decisions WHERE case_id = ?', [caseId])[0]!
    .values.at(-1)!
    .map(String);
  return { accepted: accepted!, decidedAt: decidedAt! };
}

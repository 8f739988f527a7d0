/**
 * What the tests of the rules of sense share: a case taken from a system owner to an authority
 * and decided there (a full approval with a condition), its decision package ready for the
 * owner — and that package forged by the authority's own key with whatever dates or
 * requirements a test likes, as a sender with a broken clock or a bad intent would write it.
 */
import { join } from 'node:path';
import type { DecisionContent } from '../../electron/exchange/content';
import { today } from '../../electron/services/clock';
import { readCertificate } from '../../electron/signing/x509';
import { addMonths } from '../../shared/risk';
import { repack } from './packages';
import { answerAll, introduce, judgeAll, makeParty, type Party } from './parties';

export interface RoundTrip {
  owner: Party;
  authority: Party;
  caseId: string;
  /** The requirement the decision's condition answers. */
  requirementId: string;
  /** The genuine decision package, for the owner. */
  file: string;
  folder: string;
}

/** An owner's case submitted, decided by the authority (one signature: RESTRICTED), sent back. */
export async function decidedRoundTrip(folder: string): Promise<RoundTrip> {
  const owner = await makeParty(folder, 'owner', {
    name: 'Olga Owner',
    organisation: 'Owner org',
    role: 'system_owner',
    referencePrefix: 'OWN',
  });
  const authority = await makeParty(folder, 'authority', {
    name: 'Anne Authority',
    organisation: 'Authority org',
    role: 'accreditor',
    referencePrefix: 'AUT',
  });
  await introduce(owner, authority);
  const o = owner.services;
  const systemId = await o.register.createSystem({
    ref: 'OWN-SYS-1',
    name: 'Kontornet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 8,
    minClearance: 'RESTRICTED',
  });
  const caseId = await o.cases.createCase({ systemId, type: 'initial' });
  await answerAll(o, caseId);
  await o.cases.transition(caseId, 'submitted', 'Complete');
  const packages = join(folder, 'packages');
  const submission = await o.exchange.exportPackage('submission', caseId, packages, {
    identityId: owner.signingId,
  });
  const a = authority.services;
  await a.exchange.importPackage(submission.file);
  for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
    if (to === 'decision_pending') {
      await judgeAll(a, caseId);
    }
    await a.cases.transition(caseId, to, `to ${to}`);
  }
  const requirementId = a.cases.getCase(caseId).items[0]!.requirementId;
  await a.decisions.issueDecision(caseId, {
    type: 'full_approval',
    identityId: authority.signingId,
    reason: 'The requirements are met.',
    conditions: [
      {
        text: 'Patch window brought to 30 days',
        owner: 'Olga Owner',
        dueDate: addMonths(today(), 2),
        requirementId,
      },
    ],
  });
  const file = (
    await a.exchange.exportPackage('decision', caseId, packages, {
      identityId: authority.signingId,
    })
  ).file;
  return { owner, authority, caseId, requirementId, file, folder };
}

/** The genuine decision package with its content edited, signed again by the authority. */
export async function forgedDecision(
  trip: RoundTrip,
  name: string,
  edit: (content: DecisionContent) => void,
): Promise<string> {
  const out = join(trip.folder, 'packages', `forged-${name}.awbpkg`);
  const { owner, authority } = trip;
  await repack(trip.file, out, {
    keys: owner.services.signing.decryptionKeys(),
    signer: authority.services.signing.signer(authority.signingId),
    recipient: readCertificate(owner.services.signing.certificatePem(owner.encryptionId))!,
    parts: (parts) => {
      const content = JSON.parse(parts.get('parts/decision.json')!.toString()) as DecisionContent;
      edit(content);
      parts.set('parts/decision.json', Buffer.from(JSON.stringify(content)));
    },
  });
  return out;
}

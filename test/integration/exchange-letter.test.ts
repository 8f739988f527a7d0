/**
 * A decision package against its letter (adversary round 21j): one of the authority's package
 * signers, who cannot sign a letter alone, must not make the owner's register say what the
 * letter's signers did not sign — an acceptance dropped, re-dated before the decision or put
 * before one held, a condition or a verdict the dossier does not hold — and honest flows in
 * which the two registers judge acceptances differently are taken.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../electron/services/clock';
import { readCertificate } from '../../electron/signing/x509';
import { addMonths } from '../../shared/risk';
import { tempFolder } from '../helpers/context';
import {
  decisionPackage,
  forged,
  letterOf,
  makePair,
  outcome,
  pendingCase,
  secondAccreditor,
  snapshot,
  type Pair,
} from '../helpers/exchange-pair';
import { repack } from '../helpers/packages';
import { judgeAll } from '../helpers/parties';
import { signLetter } from '../helpers/pdf';

const work = tempFolder('awb-letter-');
let pair: Pair;
let second = '';

beforeAll(async () => {
  pair = await makePair(work.path);
  second = await secondAccreditor(pair);
}, 120_000);
afterAll(async () => {
  await pair.owner.vault.close({ discard: true });
  await pair.authority.vault.close({ discard: true });
  work.cleanup();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const risk = (caseId: string, scope: string, residual: number) => ({
  systemId: pair.systemId,
  caseId,
  scope,
  threatEvent: 'Visitors read screens',
  confidentiality: Math.max(residual, 2),
  integrity: null,
  availability: null,
  likelihood: Math.max(residual, 2),
  treatment: 'accept' as const,
  residualLikelihood: residual,
  residualImpact: residual,
});
const refusal = { type: 'refusal' as const, reason: 'Not ready.', conditions: [] };

/** Each forgery refused for its reason with the owner's vault unchanged, then the genuine taken. */
async function refusedThenTaken(
  genuine: string,
  forgeries: [name: string, file: string, reason: RegExp][],
): Promise<void> {
  for (const [name, file, reason] of forgeries) {
    const before = snapshot(pair.owner);
    expect(await outcome(pair.owner, file), name).toMatch(reason);
    expect(snapshot(pair.owner), `${name}: the vault is as it was`).toBe(before);
  }
  expect(await outcome(pair.owner, genuine)).toBe('IMPORTED');
}

describe('what a decision’s letter lists as accepted', () => {
  it('the authority’s acceptance of the owner’s own risk arrives as the letter lists it', async () => {
    let owned = '';
    const id = await pendingCase(pair, async (caseId) => {
      owned = await pair.owner.services.risks.createRisk(risk(caseId, 'Server room', 3));
    });
    const a = pair.authority.services;
    const expiresOn = addMonths(today(), 6);
    await a.risks.acceptRisk(owned, { justification: 'The authority accepts it.', expiresOn });
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    const { decidedAt } = letterOf(pair, id);
    const genuine = await decisionPackage(pair, id);
    const mismatch = /^DECISION_MISMATCH: .*does not arrive accepted as the decision's letter/;
    await refusedThenTaken(genuine, [
      [
        'the acceptance left out (the owner would hold its risk unaccepted)',
        await forged(pair, genuine, 'dropped', (c) => {
          c.acceptances = c.acceptances.filter((x) => x.risk_id !== owned);
        }),
        mismatch,
      ],
      [
        'the acceptance moved past the decision, with another end',
        await forged(pair, genuine, 'moved', (c) => {
          const genuineAcceptance = c.acceptances.find((x) => x.risk_id === owned)!;
          genuineAcceptance.at = new Date(Date.parse(decidedAt) + 1).toISOString();
          genuineAcceptance.expires_on = addMonths(today(), 23);
        }),
        mismatch,
      ],
    ]);
    expect(pair.owner.services.risks.getRisk(owned).acceptance).toMatchObject({
      status: 'accepted',
      expiresOn,
    });
  });

  it('a risk the letter does not list arrives with no acceptance re-dated before the decision', async () => {
    const a = pair.authority.services;
    const id = await pendingCase(pair);
    const listed = await a.risks.createRisk(risk(id, 'Reception', 2));
    const later = await a.risks.createRisk(risk(id, 'Lobby', 2));
    await a.risks.acceptRisk(listed, {
      justification: 'Screens face away.',
      expiresOn: addMonths(today(), 6),
    });
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    const { decidedAt } = letterOf(pair, id);
    await tick();
    // Accepted after the decision by one accreditor alone: the authority's to send, as dated.
    await a.risks.acceptRisk(later, {
      justification: 'Accepted after the decision.',
      expiresOn: addMonths(today(), 12),
    });
    const genuine = await decisionPackage(pair, id);
    await refusedThenTaken(genuine, [
      [
        'the later acceptance re-dated before the decision',
        await forged(pair, genuine, 'unlisted', (c) => {
          c.acceptances.find((x) => x.risk_id === later)!.at = new Date(
            Date.parse(decidedAt) - 1,
          ).toISOString();
          c.acceptances.sort((x, y) => (x.at < y.at ? -1 : 1));
        }),
        /^DECISION_MISMATCH: .*arrives accepted before the decision, which does not list it/,
      ],
    ]);
  });

  it('another signer of the authority cannot put an acceptance before one held', async () => {
    const a = pair.authority.services;
    const id = await pendingCase(pair);
    const held = await a.risks.createRisk(risk(id, 'Archive', 2));
    const expiresOn = addMonths(today(), 6);
    await a.risks.acceptRisk(held, { justification: 'Locked cabinets.', expiresOn });
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    expect(await outcome(pair.owner, await decisionPackage(pair, id))).toBe('IMPORTED');
    await tick();
    // The decision is held now: the letter is not read again, the order of acceptances is.
    const again = await decisionPackage(pair, id, second);
    const planted = await forged(
      pair,
      again,
      'second-signer',
      (c) => {
        const genuineAcceptance = c.acceptances.find((x) => x.risk_id === held)!;
        c.acceptances.unshift({
          ...genuineAcceptance,
          at: new Date(Date.parse(genuineAcceptance.at) - 1).toISOString(),
          expires_on: addMonths(today(), 23),
        });
      },
      second,
    );
    const before = snapshot(pair.owner);
    expect(await outcome(pair.owner, planted)).toMatch(
      /^IMPOSSIBLE_CONTENT: .*before one held here/,
    );
    expect(snapshot(pair.owner)).toBe(before);
    expect(pair.owner.services.risks.getRisk(held).acceptance.expiresOn).toBe(expiresOn);
  });

  it('the genuine acceptance made stale beside an older one: refused however the risk is dated', async () => {
    const a = pair.authority.services;
    const id = await pendingCase(pair);
    const stale = await a.risks.createRisk(risk(id, 'Print room', 2));
    await a.risks.acceptRisk(stale, {
      justification: 'Printouts collected.',
      expiresOn: addMonths(today(), 6),
    });
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    const { decidedAt } = letterOf(pair, id);
    const genuine = await decisionPackage(pair, id);
    const masked = (bump: boolean) => (c: Parameters<Parameters<typeof forged>[3]>[0]) => {
      const genuineAcceptance = c.acceptances.find((x) => x.risk_id === stale)!;
      c.acceptances.unshift({
        ...genuineAcceptance,
        expires_on: addMonths(today(), 23),
        at: new Date(Date.parse(genuineAcceptance.at) - 1).toISOString(),
      });
      genuineAcceptance.fingerprint = 'f'.repeat(64);
      if (bump) {
        // Said to have changed after the decision, with nothing changed.
        c.risks.find((r) => r.id === stale)!.updated_at = new Date(
          Date.parse(decidedAt) + 1,
        ).toISOString();
      }
    };
    const mismatch = /^DECISION_MISMATCH: .*does not arrive accepted as the decision's letter/;
    await refusedThenTaken(genuine, [
      ['as dated', await forged(pair, genuine, 'stale', masked(false)), mismatch],
      ['said changed since', await forged(pair, genuine, 'stale-bumped', masked(true)), mismatch],
    ]);
  });
});

describe('what arrives with a decision is what its letter and dossier hold', () => {
  it('a condition no letter lists is refused', async () => {
    const id = await pendingCase(pair);
    const a = pair.authority.services;
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    const ref = a.decisions.decision(id)!.ref;
    const genuine = await decisionPackage(pair, id);
    const at = letterOf(pair, id).decidedAt;
    await refusedThenTaken(genuine, [
      [
        'a condition beside a refusal',
        await forged(pair, genuine, 'condition', (c) => {
          c.findings.push({
            ...(c.findings[0] ?? {}),
            id: randomUUID(),
            case_id: id,
            requirement_id: null,
            kind: 'condition',
            severity: 'major',
            title: 'Disconnect the network from NATO WAN',
            description: `${ref}: Disconnect the network from NATO WAN`,
            recommended_action: '',
            owner: 'Owner',
            due_date: null,
            status: 'open',
            created_at: at,
            updated_at: at,
          } as (typeof c.findings)[number]);
        }),
        /^DECISION_MISMATCH: the condition "Disconnect the network from NATO WAN" is one no decision's letter lists/,
      ],
    ]);
    expect(pair.owner.services.cases.getCase(id).findings).toEqual([]);
  });

  it('a verdict changed after an interim package arrives with the decision, or nothing does', async () => {
    const { owner, authority } = pair;
    const id = await owner.services.cases.createCase({ systemId: pair.systemId, type: 'initial' });
    const o = owner.services;
    const a = authority.services;
    for (const item of o.cases.getCase(id).items) {
      await o.cases.updateItem(id, item.requirementId, { status: 'compliant', statement: 'Ok.' });
    }
    await o.cases.transition(id, 'submitted', 'Complete');
    const sent = await o.exchange.exportPackage('submission', id, pair.packages, {
      identityId: owner.signingId,
    });
    await a.exchange.importPackage(sent.file);
    await a.cases.transition(id, 'intake', 'to intake');
    await a.cases.transition(id, 'under_review', 'to review');
    await judgeAll(a, id);
    // An interim package while under review: every verdict "agreed".
    expect(await outcome(owner, await decisionPackage(pair, id))).toBe('IMPORTED');
    const changed = a.cases.getCase(id).items[0]!.requirementId;
    await a.cases.updateItems(id, [changed], { verdict: 'disagreed' });
    await a.cases.transition(id, 'decision_pending', 'to pending');
    await a.decisions.issueDecision(id, { ...refusal, identityId: authority.signingId });
    const genuine = await decisionPackage(pair, id);
    await refusedThenTaken(genuine, [
      [
        'the changed verdict left out',
        await forged(pair, genuine, 'verdict', (c) => {
          c.verdicts = c.verdicts.filter((v) => v.requirement_id !== changed);
        }),
        /^DOSSIER_MISMATCH: the verdict on .* would not be the one the decision's dossier holds/,
      ],
    ]);
    expect(o.cases.getCase(id).items[0]).toMatchObject({ verdict: 'disagreed' });
  });
});

describe('honest flows the two registers judge differently', () => {
  it('the owner’s own acceptance, the newest at the authority, is the one the letter lists', async () => {
    const { owner, authority } = pair;
    for (const ownerFirst of [false, true]) {
      const o = owner.services;
      const a = authority.services;
      let owned = '';
      const id = await o.cases.createCase({ systemId: pair.systemId, type: 'initial' });
      for (const item of o.cases.getCase(id).items) {
        await o.cases.updateItem(id, item.requirementId, { status: 'compliant', statement: 'Ok.' });
      }
      owned = await o.risks.createRisk(risk(id, `Printer (${String(ownerFirst)})`, 1));
      await o.cases.transition(id, 'submitted', 'Complete');
      const first = await o.exchange.exportPackage('submission', id, pair.packages, {
        identityId: owner.signingId,
      });
      await tick();
      const ownerAccepts = () =>
        o.risks.acceptRisk(owned, {
          justification: 'The owner accepts its own risk.',
          expiresOn: addMonths(today(), 6),
        });
      if (ownerFirst) {
        await ownerAccepts();
      }
      await a.exchange.importPackage(first.file);
      await a.cases.transition(id, 'intake', 'Intake');
      await tick();
      await a.risks.acceptRisk(owned, {
        justification: 'The authority accepts it.',
        expiresOn: addMonths(today(), 12),
      });
      await a.cases.transition(id, 'returned', 'Please add more.');
      expect(await outcome(owner, await decisionPackage(pair, id))).toBe('IMPORTED');
      await tick();
      if (!ownerFirst) {
        await ownerAccepts();
      }
      await o.cases.transition(id, 'draft', 'Working');
      await o.cases.transition(id, 'submitted', 'Again');
      const again = await o.exchange.exportPackage('submission', id, pair.packages, {
        identityId: owner.signingId,
      });
      expect(await outcome(authority, again.file)).toBe('IMPORTED');
      for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
        if (to === 'decision_pending') {
          await judgeAll(a, id);
        }
        await a.cases.transition(id, to, `to ${to}`);
      }
      await a.decisions.issueDecision(id, { ...refusal, identityId: authority.signingId });
      expect(JSON.parse(letterOf(pair, id).accepted)).toEqual([
        expect.objectContaining({ expiresOn: addMonths(today(), 6) }),
      ]);
      expect(
        await outcome(owner, await decisionPackage(pair, id)),
        `ownerFirst ${ownerFirst}`,
      ).toBe('IMPORTED');
    }
  });

  it('a system risk the authority files under the case after its decision arrives, sent before or not', async () => {
    const a = pair.authority.services;
    for (const sentBefore of [false, true]) {
      const id = await pendingCase(pair);
      const body = (caseId?: string) => ({
        ...risk(caseId ?? id, `Site (${String(sentBefore)})`, 2),
        caseId,
        treatment: 'reduce' as const,
      });
      const moved = await a.risks.createRisk(body());
      if (sentBefore) {
        expect(await outcome(pair.owner, await decisionPackage(pair, id))).toBe('IMPORTED');
      }
      await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
      await tick();
      await a.risks.updateRisk(moved, body(id));
      expect(await outcome(pair.owner, await decisionPackage(pair, id))).toBe('IMPORTED');
      // Filed where it first arrived: a risk's case is the receiver's to keep (exchange/scope.ts).
      expect(pair.owner.services.risks.getRisk(moved)).toMatchObject({
        caseId: sentBefore ? null : id,
      });
    }
  });

  it('an owner whose criteria are stricter takes the letter; the longer term shows as not valid there', async () => {
    const { owner } = pair;
    await owner.services.risks.setCriteria({
      matrixId: 'nist-5x5',
      ownerAcceptsUpTo: 'low',
      accreditorAcceptsUpTo: 'high',
      maxAcceptanceMonths: 12,
    });
    const a = pair.authority.services;
    const id = await pendingCase(pair);
    const twice = await a.risks.createRisk(risk(id, 'Courier', 1));
    for (const months of [6, 18]) {
      await a.risks.acceptRisk(twice, {
        justification: `Accepted for ${months} months.`,
        expiresOn: addMonths(today(), months),
      });
      await tick();
    }
    await a.decisions.issueDecision(id, { ...refusal, identityId: pair.authority.signingId });
    expect(JSON.parse(letterOf(pair, id).accepted)).toEqual([
      expect.objectContaining({ expiresOn: addMonths(today(), 18) }),
    ]);
    expect(await outcome(owner, await decisionPackage(pair, id))).toBe('IMPORTED');
    // Here the 18 months are more than this vault's criteria allow: the 6 months stand.
    expect(owner.services.risks.getRisk(twice).acceptance).toMatchObject({
      status: 'accepted',
      expiresOn: addMonths(today(), 6),
    });
  });
});

describe('the letter a package carries is judged as a letter is', () => {
  it('one drawing outside the letter profile, though its signature is the authority’s, is refused and keeps nothing', async () => {
    const { owner, authority } = pair;
    const id = await pendingCase(pair);
    await authority.services.decisions.issueDecision(id, {
      ...refusal,
      identityId: authority.signingId,
    });
    const genuine = await decisionPackage(pair, id);
    // A letter the authority's own key signs, with a line in a font no letter uses: readers
    // agree on it (the denylist lets it through), the profile does not.
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawText('DECISION: REFUSED', {
      x: 72,
      y: 740,
      size: 18,
      font: await doc.embedFont(StandardFonts.Helvetica),
    });
    page.drawText('✓', {
      x: 72,
      y: 700,
      size: 18,
      font: await doc.embedFont(StandardFonts.ZapfDingbats),
    });
    const signed = await signLetter(
      Buffer.from(await doc.save({ useObjectStreams: false })),
      authority.services.signing.signer(authority.signingId),
      'Signature1',
      { title: 'authority person' },
    );
    const file = join(pair.packages, 'outside-profile.awbpkg');
    await repack(genuine, file, {
      keys: owner.services.signing.decryptionKeys(),
      signer: authority.services.signing.signer(authority.signingId),
      recipient: readCertificate(owner.services.signing.certificatePem(owner.encryptionId))!,
      parts: (parts) => parts.set('parts/decision-1.pdf', signed),
    });
    await refusedThenTaken(genuine, [
      ['outside the profile', file, /^SIGNATURE_INVALID: decision .*: OUTSIDE_LETTER_PROFILE$/],
    ]);
  });
});

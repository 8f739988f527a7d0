/**
 * The first stage of an import, judged on the signed manifest and its signer alone
 * (electron/areas/exchange/sender.ts `authorize`): each refusal docs/package-format.md lists
 * before a part is read, row by row on a real authority's vault, with the field or the state that
 * earns it and the edge it turns at. No package is written or read, so a row costs milliseconds
 * and Stryker can run the table per mutant; the forged packages that reach the same refusals
 * whole are exchange.test.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SenderCheck } from '../../electron/areas/exchange/sender';
import { logRow } from '../../electron/areas/exchange/repository';
import {
  DEFAULT_LIMITS,
  markingText,
  type Manifest,
  type Sender,
} from '../../electron/exchange/package';
import { PACKAGE_CLOCK_SKEW_MINUTES } from '../../shared/exchange';
import { derOf, fingerprintOf, readCertificate } from '../../electron/signing/x509';
import { tempFolder } from '../helpers/context';
import { makePair, type Pair } from '../helpers/exchange-pair';
import { manifestFor, sha256 } from '../helpers/packages';
import { makeParty } from '../helpers/parties';
import { asOf } from '../../electron/services/clock';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';

const folder = tempFolder('awb-sender-rules-');
let pair: Pair;
let check: SenderCheck;
let owner: Sender;
let authoritySigner: Sender;
let stranger: Sender;
let strangerPem: string;
let ownerAnchor: string;
/** A system and a case the authority knows, bound to the owner (as a first import binds them). */
let known: { systemId: string; caseId: string; caseRef: string };

const db = () => pair.authority.vault.database;
const recipient = () =>
  readCertificate(pair.authority.services.signing.certificatePem(pair.authority.encryptionId))!;

/** A submission of the owner's for the known case, with `fields` over it. */
const submission = (fields: Partial<Manifest> = {}): Manifest =>
  manifestFor([], recipient(), {
    kind: 'submission',
    sender: { name: 'Owner person', organisation: 'owner org', role: 'system_owner' },
    case: { id: known.caseId, ref: known.caseRef },
    system: { id: known.systemId, ref: 'AUTH-SYS-1' },
    marking: { text: 'NATO SECRET', rank: 3 },
    auditAnchor: { rows: 10, head: 'a'.repeat(64) },
    ...fields,
  });

let digests = 0;
/** The first stage's verdict: the anchor the sender reached, or the refusal's reason. */
async function judged(
  manifest: Manifest,
  sender = owner,
  outside = manifest.marking.text,
  markingFile = markingText(manifest),
  digest = sha256(Buffer.from(`package ${++digests}`)),
): Promise<string> {
  try {
    return await check.authorize(manifest, digest, sender, outside, markingFile);
  } catch (e: unknown) {
    const reason = (e as { details?: { reason?: string } }).details?.reason;
    return reason ?? String(e);
  }
}

/** The first stage's refusal with its detail, as the import screen and the CLI show it. */
async function said(manifest: Manifest, sender = owner, digest?: string): Promise<string> {
  try {
    await check.authorize(
      manifest,
      digest ?? sha256(Buffer.from(`said ${++digests}`)),
      sender,
      manifest.marking.text,
      markingText(manifest),
    );
    return 'passed';
  } catch (e: unknown) {
    const details = (e as { details?: { reason?: string; detail?: string } }).details;
    return `${details?.reason ?? 'thrown'}: ${details?.detail ?? ''}`;
  }
}

/** A package received from `fingerprint` in the known case (or another), as the log keeps it. */
function received(entry: {
  seq?: number;
  digest?: string;
  madeAt: string;
  rows?: number;
  head?: string;
  fingerprint?: string;
  caseId?: string;
  direction?: 'sent' | 'received';
}) {
  logRow(db(), 'test', {
    direction: entry.direction ?? 'received',
    kind: 'submission',
    caseId: entry.caseId ?? known.caseId,
    caseRef: known.caseRef,
    counterpart: 'owner',
    fingerprint: entry.fingerprint ?? fingerprintOf(derOf(owner.certificate)),
    digest: entry.digest ?? sha256(Buffer.from(`logged ${++digests}`)),
    size: 1,
    seq: entry.seq ?? 1,
    marking: 'NATO SECRET',
    summary: {},
    anchor: { rows: entry.rows ?? 5, head: entry.head ?? 'b'.repeat(64), madeAt: entry.madeAt },
  });
}

beforeAll(async () => {
  pair = await makePair(folder.path);
  const { authority } = pair;
  const deps = { vault: () => authority.vault, limits: DEFAULT_LIMITS, ...authority.services };
  check = new SenderCheck(deps);
  const certOf = (services: typeof authority.services, id: string): Sender => ({
    certificate: services.signing.identityCertificate(id),
    certificates: services.signing.identityChain(id),
  });
  owner = certOf(pair.owner.services, pair.owner.signingId);
  ownerAnchor = fingerprintOf(derOf(owner.certificate));
  authoritySigner = certOf(authority.services, authority.signingId);
  const other = await makeParty(folder.path, 'stranger', {
    name: 'Stranger',
    organisation: 'Elsewhere',
    role: 'system_owner',
  });
  stranger = certOf(other.services, other.signingId);
  strangerPem = other.services.signing.exchangeCertificates(other.signingId);
  const systemId = await authority.services.register.createSystem({
    ref: 'AUTH-SYS-1',
    name: 'Known',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 4,
    minClearance: 'SECRET',
  });
  const caseId = await authority.services.cases.createCase({ systemId, type: 'initial' });
  known = { systemId, caseId, caseRef: authority.services.cases.getCase(caseId).ref };
  db().run(
    'INSERT INTO system_senders (system_id, anchor, subject, reply_to, bound_at) VALUES (?, ?, ?, NULL, ?)',
    [systemId, ownerAnchor, owner.certificate.subject, new Date().toISOString()],
  );
}, 120_000);
afterAll(async () => {
  await pair.owner.vault.close({ discard: true });
  await pair.authority.vault.close({ discard: true });
  folder.cleanup();
});

describe('who may send a package, before a part is read', () => {
  it('the owner’s submission for its bound system passes, reaching the owner’s anchor', async () => {
    expect(await judged(submission())).toBe(ownerAnchor);
  });

  it('for this vault, marked outside and in MARKING.txt as signed', async () => {
    expect(await judged(submission({ recipient: '0'.repeat(64) }))).toBe('WRONG_RECIPIENT');
    const m = submission();
    expect(await judged(m, owner, 'NATO RESTRICTED')).toBe('MARKING_MISMATCH');
    const lines = markingText(m).split('\n');
    lines[1] = `${lines[1] ?? ''} (edited)`;
    expect(await judged(m, owner, m.marking.text, lines.join('\n'))).toBe('MARKING_MISMATCH');
  });

  it('signed by a sender trusted in the role its kind needs, sent to a vault of the other role', async () => {
    expect(await judged(submission(), stranger)).toBe('UNTRUSTED_SENDER');
    // The authority's own signer is trusted here, as an authority: not as an owner.
    expect(await judged(submission(), authoritySigner)).toBe('WRONG_SENDER_ROLE');
    // A decision from the authority's signer reaches its anchor, but an authority takes none.
    const decision = submission({
      kind: 'decision',
      sender: { name: 'A', organisation: 'B', role: 'accreditor' },
    });
    expect(await judged(decision, authoritySigner)).toBe('WRONG_KIND');
    // The role the manifest names fits its kind.
    const role = submission({ sender: { name: 'A', organisation: 'B', role: 'accreditor' } });
    expect(await judged(role)).toBe('MALFORMED');
  });

  it('the case belongs to the system named; a known system to the owner it is bound to', async () => {
    const { authority } = pair;
    const elsewhere = await authority.services.register.createSystem({
      ref: 'AUTH-SYS-2',
      name: 'Unbound',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'RESTRICTED' }],
      userCount: 4,
      minClearance: 'RESTRICTED',
    });
    expect(await judged(submission({ system: { id: elsewhere, ref: 'AUTH-SYS-2' } }))).toBe(
      'MALFORMED',
    );
    // A new case for a known system nobody bound: not this owner's.
    const fresh = { id: 'new-case', ref: 'OWN-CASE-2026-0099' };
    expect(
      await judged(submission({ case: fresh, system: { id: elsewhere, ref: 'AUTH-SYS-2' } })),
    ).toBe('NOT_SYSTEM_OWNER');
    // Bound to another anchor, or to the same anchor under another subject.
    for (const [anchor, subject] of [
      ['f'.repeat(64), owner.certificate.subject],
      [ownerAnchor, 'CN=Someone Else'],
    ] as const) {
      db().run('INSERT OR REPLACE INTO system_senders VALUES (?, ?, ?, NULL, ?)', [
        elsewhere,
        anchor,
        subject,
        new Date().toISOString(),
      ]);
      expect(
        await judged(submission({ case: fresh, system: { id: elsewhere, ref: 'AUTH-SYS-2' } })),
        `${anchor.slice(0, 4)} ${subject}`,
      ).toBe('NOT_SYSTEM_OWNER');
    }
    // Bound with no subject kept (a vault of before subjects were kept): the anchor decides.
    db().run('INSERT OR REPLACE INTO system_senders VALUES (?, ?, ?, NULL, ?)', [
      elsewhere,
      ownerAnchor,
      '',
      new Date().toISOString(),
    ]);
    expect(
      await judged(
        submission({
          case: fresh,
          system: { id: elsewhere, ref: 'AUTH-SYS-2' },
          marking: { text: 'NATO RESTRICTED', rank: 2 },
        }),
      ),
    ).toBe(ownerAnchor);
    // A new system, unknown here: anyone trusted as an owner may bring it.
    expect(
      await judged(submission({ case: fresh, system: { id: 'new-system', ref: 'NEW-1' } })),
    ).toBe(ownerAnchor);
  });

  it('at the owner’s vault: a decision from the authority, for a case held here', async () => {
    const { owner: side } = pair;
    const ownerCheck = new SenderCheck({
      vault: () => side.vault,
      limits: DEFAULT_LIMITS,
      ...side.services,
    });
    const toOwner = readCertificate(side.services.signing.certificatePem(side.encryptionId))!;
    const decision = (fields: Partial<Manifest>) =>
      manifestFor([], toOwner, {
        kind: 'decision',
        sender: { name: 'Authority person', organisation: 'authority org', role: 'accreditor' },
        system: { id: pair.systemId, ref: 'OWN-SYS-001' },
        marking: { text: 'NATO SECRET', rank: 3 },
        previous: 'a'.repeat(64),
        ...fields,
      });
    const verdict = async (m: Manifest) => {
      try {
        return await ownerCheck.authorize(
          m,
          sha256(Buffer.from(`d ${++digests}`)),
          authoritySigner,
          m.marking.text,
          markingText(m),
        );
      } catch (e: unknown) {
        return (e as { details?: { reason?: string } }).details?.reason ?? 'thrown';
      }
    };
    expect(await verdict(decision({ case: { id: 'nowhere', ref: 'X-1' } }))).toBe('UNKNOWN_CASE');
    const caseId = await side.services.cases.createCase({
      systemId: pair.systemId,
      type: 'initial',
    });
    const held = { id: caseId, ref: side.services.cases.getCase(caseId).ref };
    // Held here, but the manifest names the sender an owner.
    expect(
      await verdict(
        decision({ case: held, sender: { name: 'A', organisation: 'B', role: 'system_owner' } }),
      ),
    ).toBe('MALFORMED');
    // Held here, and no package was sent in it: the decision answers nothing this vault sent.
    expect(await verdict(decision({ case: held }))).toBe('OUT_OF_SEQUENCE');
    expect(await verdict(decision({ case: held, previous: null }))).toBe('PREVIOUS_MISSING');
  });

  it('not imported before, not from the future beyond two clocks’ difference', async () => {
    const m = submission();
    const digest = sha256(Buffer.from('replayed'));
    received({ digest, madeAt: '2000-01-01T00:00:00.000Z', caseId: 'another-case' });
    expect(await judged(m, owner, m.marking.text, markingText(m), digest)).toBe('PACKAGE_REPLAYED');
    const skew = PACKAGE_CLOCK_SKEW_MINUTES * 60_000;
    const at = (ms: number) => submission({ createdAt: new Date(Date.now() + ms).toISOString() });
    expect(await judged(at(skew + 60_000))).toBe('PACKAGE_FROM_FUTURE');
    expect(await judged(at(skew - 60_000))).toBe(ownerAnchor);
  });

  it('newer than what came before it: by sequence, by its maker’s clock, and in its trail', async () => {
    const { authority } = pair;
    const caseId = await authority.services.cases.createCase({
      systemId: known.systemId,
      type: 'reaccreditation',
    });
    const caseRef = authority.services.cases.getCase(caseId).ref;
    const of = (fields: Partial<Manifest>) =>
      submission({ case: { id: caseId, ref: caseRef }, ...fields });
    db().run('INSERT INTO case_exchange (case_id, seq, digest, at) VALUES (?, 3, ?, ?)', [
      caseId,
      'c'.repeat(64),
      new Date().toISOString(),
    ]);
    received({ caseId, seq: 3, madeAt: '2026-06-01T00:00:00.000Z', rows: 20 });
    // Sequence 3 was imported: 3 is stale, 4 is next (but answers nothing this vault sent).
    expect(await judged(of({ sequence: 3 }))).toBe('PACKAGE_STALE');
    expect(await judged(of({ sequence: 4, createdAt: '2026-07-01T00:00:00.000Z' }))).toBe(
      'PREVIOUS_MISSING',
    );
    // Made before a package of the case already received: stale by its maker's clock.
    expect(await judged(of({ sequence: 4, createdAt: '2026-05-01T00:00:00.000Z' }))).toBe(
      'PACKAGE_STALE',
    );
    // Answering a package this vault did not send, or an older one than its last.
    const sentFirst = 'd'.repeat(64);
    const sentLast = 'e'.repeat(64);
    received({
      caseId,
      direction: 'sent',
      seq: 1,
      digest: sentFirst,
      madeAt: '2026-06-02T00:00:00.000Z',
    });
    received({
      caseId,
      direction: 'sent',
      seq: 2,
      digest: sentLast,
      madeAt: '2026-06-03T00:00:00.000Z',
    });
    const next = {
      sequence: 4,
      createdAt: '2026-07-01T00:00:00.000Z',
      auditAnchor: { rows: 30, head: 'a'.repeat(64) },
    };
    expect(await judged(of({ ...next, previous: 'f'.repeat(64) }))).toBe('OUT_OF_SEQUENCE');
    expect(await judged(of({ ...next, previous: sentFirst }))).toBe('OUT_OF_SEQUENCE');
    expect(await judged(of({ ...next, previous: sentLast }))).toBe(ownerAnchor);
    // A trail shorter than one its signer's earlier package cited; as long but ending otherwise.
    expect(
      await judged(
        of({ ...next, previous: sentLast, auditAnchor: { rows: 19, head: 'a'.repeat(64) } }),
      ),
    ).toBe('SENDER_TRAIL_SHORTER');
    expect(
      await judged(
        of({ ...next, previous: sentLast, auditAnchor: { rows: 20, head: 'a'.repeat(64) } }),
      ),
    ).toBe('SENDER_TRAIL_FORKED');
    expect(
      await judged(
        of({ ...next, previous: sentLast, auditAnchor: { rows: 20, head: 'b'.repeat(64) } }),
      ),
    ).toBe(ownerAnchor);
  });

  it('not backdated before its signer’s newest package in any case; a first package answers none', async () => {
    received({ caseId: 'case-elsewhere', madeAt: '2026-08-01T00:00:00.000Z', rows: 40 });
    const fresh = { id: 'first-case', ref: 'OWN-CASE-2026-0100' };
    const first = (fields: Partial<Manifest>) =>
      submission({ case: fresh, system: { id: 'new-system-2', ref: 'NEW-2' }, ...fields });
    expect(
      await judged(
        first({
          createdAt: '2026-07-15T00:00:00.000Z',
          auditAnchor: { rows: 50, head: 'a'.repeat(64) },
        }),
      ),
    ).toBe('PACKAGE_BACKDATED');
    const after = {
      createdAt: '2026-08-02T00:00:00.000Z',
      auditAnchor: { rows: 50, head: 'a'.repeat(64) },
    };
    expect(await judged(first(after))).toBe(ownerAnchor);
    expect(await judged(first({ ...after, sequence: 2 }))).toBe('PREVIOUS_MISSING');
    // Its reference names another case here.
    expect(await judged(first({ ...after, case: { id: 'first-case', ref: known.caseRef } }))).toBe(
      'REFERENCE_CLASH',
    );
  });

  it('marked at least as high as the system is known here, in a level this scheme knows', async () => {
    const marked = (text: string, rank: number) =>
      submission({ marking: { text, rank }, auditAnchor: { rows: 100, head: 'a'.repeat(64) } });
    expect(await judged(marked('NATO RESTRICTED', 2))).toBe('MARKING_BELOW_SYSTEM');
    // The level, not the label: SECRET here is NATO SECRET there only under its own label.
    expect(await judged(marked('HEMMELIGT', 3))).toBe('MARKING_BELOW_SYSTEM');
    expect(await judged(marked('COSMIC TOP SECRET', 4))).toBe(ownerAnchor);
  });

  it('each refusal says why, naming what it found', async () => {
    const m = submission();
    const lines = markingText(m).split('\n');
    lines[2] = 'edited';
    expect(await judged(m, owner, m.marking.text, lines.join('\n')).catch(String)).toBe(
      'MARKING_MISMATCH',
    );
    const saidOf = async (fields: Partial<Manifest>, sender = owner) =>
      said(submission({ auditAnchor: { rows: 100, head: 'a'.repeat(64) }, ...fields }), sender);
    expect(await saidOf({ recipient: '0'.repeat(64) })).toBe(
      'WRONG_RECIPIENT: the signed manifest names another recipient',
    );
    expect(await saidOf({}, stranger)).toMatch(/^UNTRUSTED_SENDER: [A-Z_]+(: .+)?$/);
    expect(await saidOf({}, authoritySigner)).toBe(
      `WRONG_SENDER_ROLE: ${authoritySigner.certificate.subject} is not trusted as a system owner`,
    );
    const decision = { kind: 'decision' as const };
    expect(await saidOf(decision)).toBe(
      `WRONG_SENDER_ROLE: ${owner.certificate.subject} is not trusted as an authority`,
    );
    expect(
      await saidOf(
        { ...decision, sender: { name: 'A', organisation: 'B', role: 'accreditor' } },
        authoritySigner,
      ),
    ).toBe('WRONG_KIND: a decision package is not for a accreditor vault');
    expect(await saidOf({ sender: { name: 'A', organisation: 'B', role: 'accreditor' } })).toBe(
      'MALFORMED: the sender role does not fit the kind',
    );
    expect(await saidOf({ system: { id: 'new-system-9', ref: 'NEW-9' } })).toBe(
      'MALFORMED: the case belongs to another system here',
    );
    const digest = sha256(Buffer.from('said twice'));
    received({ digest, madeAt: '2000-01-01T00:00:00.000Z', caseId: 'yet-another-case' });
    expect(await said(submission(), owner, digest)).toBe(
      `PACKAGE_REPLAYED: package ${digest.slice(0, 16)} was imported before`,
    );
  });

  it('from the future by more than two clocks may differ: exactly that much is not', async () => {
    const at = new Date('2026-09-01T12:00:00.000Z');
    const skew = PACKAGE_CLOCK_SKEW_MINUTES * 60_000;
    const made = (ms: number) =>
      submission({
        createdAt: new Date(at.getTime() + ms).toISOString(),
        auditAnchor: { rows: 100, head: 'a'.repeat(64) },
      });
    expect(await asOf(at, () => said(made(skew)))).toBe('passed');
    expect(await asOf(at, () => said(made(skew + 1)))).toBe(
      `PACKAGE_FROM_FUTURE: made ${made(skew + 1).createdAt}, more than ${PACKAGE_CLOCK_SKEW_MINUTES} minutes after now here`,
    );
  });

  it('a first package of a case in which this vault has sent one answers it', async () => {
    const { authority } = pair;
    const caseId = await authority.services.cases.createCase({
      systemId: known.systemId,
      type: 'significant_change',
    });
    const caseRef = authority.services.cases.getCase(caseId).ref;
    received({ caseId, direction: 'sent', seq: 1, madeAt: '2026-09-02T00:00:00.000Z' });
    expect(
      await said(
        submission({
          case: { id: caseId, ref: caseRef },
          createdAt: '2026-09-03T00:00:00.000Z',
          auditAnchor: { rows: 100, head: 'a'.repeat(64) },
        }),
      ),
    ).toBe('PREVIOUS_MISSING: sequence 1 names no package it answers');
  });

  it('where the authority’s answers go: a certificate of the bound owner, or one not trusted here', async () => {
    const { authority } = pair;
    await authority.services.signing.trust(strangerPem, 'owner', fingerprintsOf(strangerPem));
    const recipients = authority.services.signing.recipients('owner');
    const ofOrganisation = (o: string) =>
      recipients.find((r) => r.certificate.subject.includes(`O=${o}`))!.fingerprint;
    const replying = (replyTo: string | null) =>
      said(
        submission({
          replyTo,
          createdAt: new Date().toISOString(),
          auditAnchor: { rows: 100, head: 'a'.repeat(64) },
        }),
      );
    expect(await replying(null)).toBe('passed');
    expect(await replying('9'.repeat(64))).toBe('passed');
    expect(await replying(ofOrganisation('owner org'))).toBe('passed');
    const elsewhere = ofOrganisation('Elsewhere');
    expect(await replying(elsewhere)).toMatch(
      /^REPLY_TO_NOT_OWNER: replyTo names .*O=Elsewhere.*, not a certificate of .*O=owner org/,
    );
    // Trusted here, but as the authority (the CA of its accreditors): no owner's certificate.
    const [ca] = authority.services.signing.trustStore('authority').anchors;
    expect(await replying(fingerprintOf(derOf(ca!)))).toMatch(/^REPLY_TO_NOT_OWNER: /);
  });

  it('the signed marking against the levels and the evidence, read by this scheme', () => {
    const m = (text: string) => submission({ marking: { text, rank: 3 } });
    const refused = (work: () => void) => {
      try {
        work();
        return 'passed';
      } catch (e: unknown) {
        const details = (e as { details?: { reason?: string; detail?: string } }).details;
        return `${details?.reason ?? 'thrown'}: ${details?.detail ?? ''}`;
      }
    };
    // A level this scheme does not know holds no floor: refused, named.
    expect(
      refused(() =>
        check.checkMarkingLevel(m('NATO SECRET'), [{ domain: 'nato', level: 'BOGUS' }]),
      ),
    ).toBe(
      "LEVEL_UNKNOWN: the system's level BOGUS (nato) is not in this vault's classification scheme",
    );
    expect(
      refused(() =>
        check.checkMarkingLevel(m('NATO SECRET'), [{ domain: 'nato', level: 'TOP_SECRET' }]),
      ),
    ).toBe('MARKING_BELOW_SYSTEM: signed "NATO SECRET", but the system is COSMIC TOP SECRET here');
    // Only the domains at the top level need be carried; a marking may carry more than one.
    expect(
      refused(() =>
        check.checkMarkingLevel(m('NATO SECRET'), [
          { domain: 'nato', level: 'SECRET' },
          { domain: 'national', level: 'RESTRICTED' },
        ]),
      ),
    ).toBe('passed');
    expect(
      refused(() =>
        check.checkMarkingLevel(m('HEMMELIGT'), [{ domain: 'national', level: 'SECRET' }]),
      ),
    ).toBe('passed');
    expect(
      refused(() =>
        check.checkMarkingLevel(m('HEMMELIGT'), [
          { domain: 'national', level: 'SECRET' },
          { domain: 'nato', level: 'SECRET' },
        ]),
      ),
    ).toMatch(/^MARKING_BELOW_SYSTEM: /);
    // The evidence: each marked item at most as high as the package, in a level known here.
    const evidence = (level: unknown, domain: unknown, title = 'Report') =>
      [{ marking_level: level, marking_domain: domain, title }] as never;
    expect(refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence(null, null)))).toBe(
      'passed',
    );
    expect(
      refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence('SECRET', 'nato'))),
    ).toBe('passed');
    expect(
      refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence('BOGUS', 'nato'))),
    ).toBe(
      "LEVEL_UNKNOWN: evidence Report is marked BOGUS, not in this vault's classification scheme",
    );
    expect(
      refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence('TOP_SECRET', 'nato'))),
    ).toBe(
      'MARKING_BELOW_EVIDENCE: signed "NATO SECRET", but it carries evidence marked COSMIC TOP SECRET',
    );
    // A level without its domain, or a domain without its level, marks nothing.
    expect(
      refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence('TOP_SECRET', null))),
    ).toBe('passed');
    expect(
      refused(() => check.checkEvidenceMarking(m('NATO SECRET'), evidence(null, 'nato'))),
    ).toBe('passed');
  });
});

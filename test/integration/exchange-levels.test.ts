/**
 * What an owner's submission says of its system's levels at the authority (adversary round 20v):
 * the authority kept the levels of the owner's first submission, so a system the owner raised to
 * SECRET stayed RESTRICTED there and one accreditor approved it alone. A submission raises the
 * authority's record (with a change row four eyes reads, shown in the preview); one marked below
 * what the authority holds is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/context';
import { makePair, pendingCase, type Pair } from '../helpers/exchange-pair';
import { answerAll } from '../helpers/parties';
import { repack } from '../helpers/packages';
import { readCertificate } from '../../electron/signing/x509';
import { join } from 'node:path';

const work = tempFolder('awb-levels-');
let pair: Pair;

beforeAll(async () => {
  pair = await makePair(work.path);
}, 120_000);
afterAll(async () => {
  await pair.owner.vault.close({ discard: true });
  await pair.authority.vault.close({ discard: true });
  work.cleanup();
});

/** The owner's system set to one NATO level in the owner's vault. */
async function ownerLevel(level: string): Promise<void> {
  const { register } = pair.owner.services;
  const { id: _id, ...system } = register.getSystem(pair.systemId).system;
  await register.updateSystem(pair.systemId, {
    ...system,
    levels: [{ domain: 'nato', level }],
    minClearance: level,
  });
}

/** A new case of the owner's, answered and submitted: the package's file. */
async function submitted(): Promise<{ caseId: string; file: string }> {
  const { owner } = pair;
  const caseId = await owner.services.cases.createCase({
    systemId: pair.systemId,
    type: 'initial',
  });
  await answerAll(owner.services, caseId, () => 'compliant', 'Answer');
  await owner.services.cases.transition(caseId, 'submitted', 'Complete');
  const sent = await owner.services.exchange.exportPackage('submission', caseId, pair.packages, {
    identityId: owner.signingId,
  });
  return { caseId, file: sent.file };
}

const held = () =>
  pair.authority.services.register.getSystem(pair.systemId).system.levels.map((l) => l.level);

describe("an owner's submission and the authority's record of the system's levels", () => {
  it('raises it, shown in the preview, with a change row four eyes reads; never lowers it', async () => {
    const { authority } = pair;
    await ownerLevel('RESTRICTED');
    const first = await pendingCase(pair);
    expect(held()).toEqual(['RESTRICTED']);
    expect(authority.services.decisions.signaturesRequired(first, 'full_approval')).toBe(1);

    await ownerLevel('SECRET');
    const raised = await submitted();
    const preview = await authority.services.exchange.inspect(raised.file);
    expect(preview.changes).toContainEqual(
      expect.objectContaining({
        what: 'row',
        table: 'system',
        added: false,
        fields: [{ field: 'levels', from: 'nato RESTRICTED', to: 'nato SECRET' }],
      }),
    );
    await authority.services.exchange.importPackage(raised.file);
    expect(held()).toEqual(['SECRET']);
    // The first case too: its approval now takes two.
    expect(authority.services.decisions.signaturesRequired(first, 'full_approval')).toBe(2);
    expect(authority.services.decisions.signaturesRequired(raised.caseId, 'full_approval')).toBe(2);
    const trail = authority.vault.database.exec(
      "SELECT changes FROM audit_log WHERE action = 'system.update' AND entity_id = ?",
      [pair.systemId],
    )[0]?.values;
    expect(trail?.map((r) => JSON.parse(String(r[0])) as { levels: unknown }).at(-1)).toMatchObject(
      {
        levels: [[{ domain: 'nato', level: 'RESTRICTED' }], [{ domain: 'nato', level: 'SECRET' }]],
      },
    );

    // Lowered in the owner's vault: its package, marked lower than the authority holds the
    // system, is refused, and the authority's record stays where it is.
    await ownerLevel('RESTRICTED');
    const lowered = await submitted();
    await expect(authority.services.exchange.inspect(lowered.file)).rejects.toMatchObject({
      details: { reason: 'MARKING_BELOW_SYSTEM' },
    });
    await expect(authority.services.exchange.importPackage(lowered.file)).rejects.toMatchObject({
      details: { reason: 'MARKING_BELOW_SYSTEM' },
    });
    expect(held()).toEqual(['SECRET']);
  });

  it('a submission for a known system that declares no level, or a domain twice, is refused (round 20w)', async () => {
    const { owner, authority } = pair;
    await ownerLevel('SECRET');
    const honest = await submitted();
    const before = held();
    for (const [name, levels] of [
      ['none', []],
      [
        'twice',
        [
          { domain: 'nato', level: 'SECRET' },
          { domain: 'nato', level: 'RESTRICTED' },
        ],
      ],
    ] as const) {
      const file = join(pair.packages, `levels-${name}.awbpkg`);
      await repack(honest.file, file, {
        keys: authority.services.signing.decryptionKeys(),
        signer: owner.services.signing.signer(owner.signingId),
        recipient: readCertificate(
          authority.services.signing.certificatePem(authority.encryptionId),
        )!,
        parts: (parts) => {
          const content = JSON.parse(parts.get('parts/submission.json')!.toString()) as {
            levels: unknown;
          };
          content.levels = levels;
          parts.set('parts/submission.json', Buffer.from(JSON.stringify(content)));
        },
      });
      await expect(authority.services.exchange.importPackage(file), name).rejects.toMatchObject({
        details: { reason: 'SYSTEM_INVALID' },
      });
    }
    expect(held()).toEqual(before);
    // The honest one, as sent, is taken.
    await authority.services.exchange.importPackage(honest.file);
  });
});

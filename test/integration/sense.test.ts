/**
 * The rules of sense through every write channel, against a real vault: the services (which the
 * IPC handlers call), the command line and package import. Each refusal names its field with the
 * rule's code, and leaves the vault as it was; the boundary that must pass, passes. Conditions
 * are data: text, owner, due date and a requirement of the case, on the letter and, once
 * overdue, on the dashboard.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { runCli } from '../../electron/cli/index';
import { createServices, type VaultServices } from '../../electron/services';
import { importCsv } from '../../electron/areas/register/csv';
import { addDays } from '../../shared/days';
import { today } from '../../electron/services/clock';
import { Vault } from '../../electron/vault/vault';
import { addMonths } from '../../shared/risk';
import { tempFolder } from '../helpers/context';
import { toDecisionPending } from '../helpers/parties';
import { decidedRoundTrip, forgedDecision, type RoundTrip } from '../helpers/sense';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const work = tempFolder('awb-sense-');
let vault: Vault;
let services: VaultServices;
let identityId: string;
let systemId: string;

beforeAll(async () => {
  ({ vault } = await Vault.create(join(work.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
  identityId = await services.signing.createSelfSigned({
    label: 'Accreditor',
    commonName: 'Anne Accreditor',
    organisation: 'Authority',
  });
  systemId = await services.register.createSystem({
    ref: 'SYS-SENSE',
    name: 'Kontornet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 5,
    minClearance: 'RESTRICTED',
  });
});
afterAll(async () => {
  await vault.close({ discard: true });
  work.cleanup();
});

/** The problems a refusal names: [path, rule] (a schema's own problems have no rule). */
async function problems(call: Promise<unknown>): Promise<[string, string][]> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof ZodError) {
    return error.issues.map((i) => [i.path.join('.'), i.code]);
  }
  const e = error as { code?: string; details?: { issues?: { path: unknown[]; key?: string }[] } };
  expect(e?.code, 'refused as a validation failure').toBe('VALIDATION_FAILED');
  return (e.details?.issues ?? []).map((i) => [i.path.join('.'), String(i.key)]);
}

/** What a refused write must leave as it was: the trail, the rows, the blobs. */
function footprint() {
  const count = (sql: string) => Number(vault.database.exec(sql)[0]?.values[0]?.[0] ?? 0);
  return {
    audit: count('SELECT count(*) FROM audit_log'),
    decisions: count('SELECT count(*) FROM decisions'),
    findings: count('SELECT count(*) FROM findings'),
    records: count('SELECT count(*) FROM records'),
    people: count('SELECT count(*) FROM people'),
  };
}

const day = (offset: number) => addDays(today(), offset);

describe('decisions: validity and conditions', () => {
  let caseId = '';
  beforeAll(async () => {
    caseId = await toDecisionPending(services, systemId);
  });
  const approval = (extra: Record<string, unknown>) => ({
    type: 'full_approval',
    identityId,
    reason: 'The requirements are met.',
    ...extra,
  });

  it('refuses an approval valid to 1.1.2025 issued today — on validTo, before anything is signed or stored', async () => {
    const before = footprint();
    expect(
      await problems(services.decisions.issueDecision(caseId, approval({ validTo: '2025-01-01' }))),
    ).toEqual([['validTo', 'VALIDITY_ENDS_BEFORE_START']]);
    // Its end on its first day is no validity either; nor one that ended before it is issued.
    expect(
      await problems(services.decisions.issueDecision(caseId, approval({ validTo: today() }))),
    ).toEqual([['validTo', 'VALIDITY_ENDS_BEFORE_START']]);
    expect(
      await problems(
        services.decisions.issueDecision(
          caseId,
          approval({ validFrom: day(-400), validTo: day(-2) }),
        ),
      ),
    ).toEqual([['validTo', 'VALIDITY_ENDED']]);
    // Longer than the policy's maximum for a full approval (60 months).
    expect(
      await problems(
        services.decisions.issueDecision(caseId, approval({ validTo: addMonths(today(), 61) })),
      ),
    ).toEqual([['validTo', 'VALIDITY_TOO_LONG']]);
    // The draft letter is refused the same way.
    expect(
      await problems(
        services.decisions.previewDecision(caseId, approval({ validTo: '2025-01-01' })),
      ),
    ).toEqual([['validTo', 'VALIDITY_ENDS_BEFORE_START']]);
    expect(footprint()).toEqual(before);
    expect(services.cases.getCase(caseId).state).toBe('decision_pending');
  });

  it('refuses a condition without owner or due date, with a deadline past, or naming a requirement not in the case', async () => {
    const before = footprint();
    const [first] = services.cases.getCase(caseId).items;
    expect(
      await problems(
        services.decisions.issueDecision(
          caseId,
          approval({ conditions: [{ text: 'Patch window brought to 30 days' }] }),
        ),
      ),
    ).toEqual([
      ['conditions.0.owner', 'invalid_type'],
      ['conditions.0.dueDate', 'invalid_type'],
    ]);
    expect(
      await problems(
        services.decisions.issueDecision(
          caseId,
          approval({
            conditions: [
              { text: 'Fine', owner: 'SO', dueDate: day(30), requirementId: first!.requirementId },
              { text: 'Late already', owner: 'SO', dueDate: day(-3) },
              {
                text: 'A requirement made up',
                owner: 'SO',
                dueDate: day(30),
                requirementId: 'XYZ-99',
              },
            ],
          }),
        ),
      ),
    ).toEqual([
      ['conditions.1.dueDate', 'DEADLINE_PASSED'],
      ['conditions.2.requirementId', 'UNKNOWN_REQUIREMENT'],
    ]);
    expect(footprint()).toEqual(before);
  });

  it('issues at the boundary (the maximum, a deadline today): each condition a tracked row with owner, due date and requirement, on the letter, and overdue on the dashboard', async () => {
    const validTo = addMonths(today(), 60);
    const requirementId = services.cases.getCase(caseId).items[1]!.requirementId;
    const due = day(0);
    await services.decisions.issueDecision(
      caseId,
      approval({
        validTo,
        conditions: [
          { text: 'Beredskabsplanen afprøves', owner: 'Systemejer', dueDate: due, requirementId },
        ],
      }),
    );
    const decision = services.decisions.decision(caseId)!;
    expect(decision).toMatchObject({ validFrom: today(), validTo, status: 'issued' });
    const rows = vault.database.exec(
      "SELECT title, owner, due_date, requirement_id, status FROM findings WHERE case_id = ? AND kind = 'condition'",
      [caseId],
    )[0]?.values;
    expect(rows).toEqual([['Beredskabsplanen afprøves', 'Systemejer', due, requirementId, 'open']]);
    // The letter lists it with its requirement, owner and due date (the Danish way).
    const file = join(work.path, 'letter.pdf');
    writeFileSync(file, await services.decisions.decisionPdf(caseId));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const line = text.split('\n').find((l) => l.includes('Beredskabsplanen afprøves')) ?? '';
    const [y, m, d] = due.split('-').map(Number);
    expect(line).toContain(requirementId);
    expect(line).toContain('Systemejer');
    expect(line).toContain(`${d}.${m}.${y}`);
    expect(text).toContain('Ansvarlig');
    // Tomorrow it is overdue: on the dashboard and on its system's page, with its owner.
    const overdue = services.dashboard.summary(day(1)).overdue;
    expect(overdue).toContainEqual(
      expect.objectContaining({
        kind: 'condition',
        title: 'Beredskabsplanen afprøves',
        owner: 'Systemejer',
        dueDate: due,
        caseId,
        daysOverdue: 1,
      }),
    );
    expect(services.dashboard.summary(day(0)).overdue.map((f) => f.caseId)).not.toContain(caseId);
  });

  it('an amendment is held to the maximum of the approval it amends', async () => {
    await services.cases.transition(caseId, 'in_force', 'Notified');
    expect(services.decisions.validityMaximum(caseId)).toMatchObject({
      amendment: 60,
      full_approval: 60,
      interim_approval: 12,
      refusal: null,
    });
    expect(
      await problems(
        services.decisions.issueDecision(caseId, {
          type: 'amendment',
          identityId,
          reason: 'A new site.',
          validTo: addMonths(today(), 61),
        }),
      ),
    ).toEqual([['validTo', 'VALIDITY_TOO_LONG']]);
  });

  it('disposal: not verified in the future, nor before the case was opened', async () => {
    await services.cases.transition(caseId, 'decommissioned', 'Taken out of service');
    const disposal = (verifiedOn: string) =>
      services.cases.recordDisposal(caseId, {
        verifiedBy: 'Anne Accreditor',
        method: 'Disks shredded under supervision.',
        verifiedOn,
      });
    expect(await problems(disposal(day(2)))).toEqual([['verifiedOn', 'VERIFIED_IN_FUTURE']]);
    expect(await problems(disposal('2030-01-01'))).toEqual([['verifiedOn', 'VERIFIED_IN_FUTURE']]);
    expect(await problems(disposal(day(-3)))).toEqual([['verifiedOn', 'VERIFIED_BEFORE_OPENED']]);
    expect(services.cases.disposal(caseId)).toBeNull();
    await disposal(today());
    expect(services.cases.disposal(caseId)?.verifiedOn).toBe(today());
  });
});

describe('cases and findings', () => {
  it('a case’s deadline and a finding’s due date are not past when set; a finding’s requirement is the case’s', async () => {
    // Two days back: past wherever the user is (the rules read "today" as any date some time
    // zone has now, so yesterday in UTC is still today somewhere until noon UTC).
    expect(
      await problems(services.cases.createCase({ systemId, type: 'initial', deadline: day(-2) })),
    ).toEqual([['deadline', 'DEADLINE_PASSED']]);
    const caseId = await services.cases.createCase({
      systemId,
      type: 'initial',
      deadline: today(),
    });
    const finding = (extra: Record<string, unknown>) =>
      services.cases.addFinding(caseId, { severity: 'minor', title: 'Diagram', ...extra });
    const before = footprint();
    expect(await problems(finding({ dueDate: day(-9) }))).toEqual([['dueDate', 'DEADLINE_PASSED']]);
    expect(await problems(finding({ requirementId: 'XYZ-99' }))).toEqual([
      ['requirementId', 'UNKNOWN_REQUIREMENT'],
    ]);
    expect(footprint()).toEqual(before);
    await finding({
      dueDate: today(),
      requirementId: services.cases.getCase(caseId).items[0]!.requirementId,
    });
  });
});

describe('the register', () => {
  const record = {
    type: 'correspondence',
    title: 'Letter from NOS',
    counterpart: 'NOS',
    status: 'awaiting_reply',
  } as const;

  it('records: a follow-up not past when set, sent and received not in the future, closed neither in the future nor before it was received', async () => {
    const before = footprint();
    expect(
      await problems(services.records.create({ ...record, followUpDue: '2020-01-01' })),
    ).toEqual([['followUpDue', 'DEADLINE_PASSED']]);
    expect(
      await problems(
        services.records.create({ ...record, receivedOn: day(2), sentOn: '2030-05-01' }),
      ),
    ).toEqual([
      ['sentOn', 'RECEIVED_IN_FUTURE'],
      ['receivedOn', 'RECEIVED_IN_FUTURE'],
    ]);
    expect(footprint()).toEqual(before);
    const id = await services.records.create({
      ...record,
      sentOn: day(-20),
      receivedOn: day(-10),
      followUpDue: today(),
    });
    const close = (closedOn: string) =>
      services.records.close(id, { outcome: 'Answered.', closedOn });
    expect(await problems(close(day(-11)))).toEqual([['closedOn', 'CLOSED_BEFORE_RECEIVED']]);
    expect(await problems(close(day(2)))).toEqual([['closedOn', 'CLOSED_IN_FUTURE']]);
    await close(day(-10));
    // Its receipt cannot now move after its closing.
    const stored = { ...record, sentOn: day(-20), receivedOn: day(-10), followUpDue: null };
    expect(await problems(services.records.update(id, { ...stored, receivedOn: day(-9) }))).toEqual(
      [['receivedOn', 'RECEIVED_AFTER_CLOSED']],
    );
    expect(await services.records.update(id, { ...stored, theirRef: 'NOS-1' })).toBe(true);
  });

  it('people: not briefed in the future (by hand, corrected or from CSV); sites: not inspected in the future', async () => {
    const { register } = services;
    expect(
      await problems(register.createPerson({ name: 'Bo Briefed', briefedOn: '2030-01-01' })),
    ).toEqual([['briefedOn', 'BRIEFED_IN_FUTURE']]);
    const person = await register.createPerson({ name: 'Bo Briefed', briefedOn: today() });
    expect(
      await problems(register.update('person', person, { name: 'Bo Briefed', briefedOn: day(3) })),
    ).toEqual([['briefedOn', 'BRIEFED_IN_FUTURE']]);
    const people = footprint().people;
    const report = await importCsv(
      vault,
      register,
      'people',
      `name,briefedOn\nCarl Csv,${today()}\nDitte Csv,2030-01-01\n`,
    );
    expect(report).toMatchObject({ imported: 0, errors: [{ line: 3, field: 'briefedOn' }] });
    expect(report.errors[0]?.message).toContain('briefing');
    expect(footprint().people).toBe(people);
    expect(
      await problems(
        register.createSite({ name: 'Kastellet', maxLevel: 'SECRET', lastInspection: day(5) }),
      ),
    ).toEqual([['lastInspection', 'INSPECTED_IN_FUTURE']]);
    await register.createSite({ name: 'Kastellet', maxLevel: 'SECRET', lastInspection: today() });
  });
});

describe('the command line', () => {
  const folder = () => join(work.path, 'cli-v');
  const pass = () => join(work.path, 'pass.txt');
  let ref = '';

  beforeAll(async () => {
    writeFileSync(pass(), `${PASSPHRASE}\n`);
    const { vault: v } = await Vault.create(folder(), PASSPHRASE, PROFILE, TEST_CONFIG);
    const s = createServices(() => v);
    await s.signing.createSelfSigned({
      label: 'Scripted',
      commonName: 'Sam Script',
      organisation: 'Authority',
    });
    const system = await s.register.createSystem({
      ref: 'SYS-CLI',
      name: 'Net',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 2,
      minClearance: 'RESTRICTED',
    });
    ref = s.cases.getCase(await toDecisionPending(s, system)).ref;
    await v.close();
  });

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli([...argv, '--vault', folder(), '--passphrase-file', pass()], {
      out: (t) => (out += t),
      err: (t) => (err += t),
      config: TEST_CONFIG,
      cwd: work.path,
    });
    return { code, out, err };
  }

  it('refuses an approval whose validity ends before it starts, a made-up requirement, a past deadline — each by its field', async () => {
    const issue = (...extra: string[]) =>
      cli(
        'decisions',
        'issue',
        ref,
        '--type',
        'full_approval',
        '--identity',
        'Scripted',
        '--reason',
        'Met.',
        ...extra,
      );
    const inverted = await issue('--valid-to', '2025-01-01');
    expect(inverted.code).toBe(1);
    expect(inverted.err).toContain('error: VALIDATION_FAILED');
    expect(inverted.err).toContain('validTo: The validity must end after it starts');
    writeFileSync(
      join(work.path, 'conditions.json'),
      JSON.stringify([{ text: 'Made up', owner: 'SO', dueDate: day(10), requirementId: 'XYZ-99' }]),
    );
    const madeUp = await issue('--conditions-file', 'conditions.json');
    expect(madeUp.code).toBe(1);
    expect(madeUp.err).toContain(
      'conditions.0.requirementId: XYZ-99 is not a requirement of this case.',
    );
    writeFileSync(
      join(work.path, 'records.json'),
      JSON.stringify({
        type: 'other',
        title: 'Late',
        counterpart: 'NOS',
        status: 'open',
        followUpDue: '2020-01-01',
      }),
    );
    const late = await cli('records', 'create', '--from', 'records.json');
    expect(late.code).toBe(1);
    expect(late.err).toContain('followUpDue: This deadline has already passed');
    const opened = await cli(
      'cases',
      'open',
      '--system',
      'SYS-CLI',
      '--type',
      'initial',
      '--deadline',
      '2020-01-01',
    );
    expect(opened.code).toBe(1);
    expect(opened.err).toContain('deadline: This deadline has already passed');
    // Nothing of it was stored; a sensible approval then issues.
    const v = await Vault.open(folder(), { passphrase: PASSPHRASE }, TEST_CONFIG);
    const count = (sql: string) => Number(v.database.exec(sql)[0]?.values[0]?.[0] ?? 0);
    expect([
      count('SELECT count(*) FROM decisions'),
      count('SELECT count(*) FROM records'),
      count('SELECT count(*) FROM cases'),
    ]).toEqual([0, 0, 1]);
    await v.close();
    const fine = await issue('--valid-to', addMonths(today(), 36), '--json');
    expect(fine.code, fine.err).toBe(0);
  });
});

describe('package import', () => {
  let trip: RoundTrip;
  beforeAll(async () => {
    trip = await decidedRoundTrip(join(work.path, 'exchange'));
  }, 180_000);
  afterAll(async () => {
    for (const p of [trip.owner, trip.authority]) {
      await p.vault.close({ discard: true });
    }
  });

  /** A forged package is refused for what it would store, each place named; nothing changes. */
  async function impossible(file: string, expected: [string, string][]) {
    const db = trip.owner.vault.database;
    const count = (sql: string) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
    const before = [
      count('SELECT count(*) FROM audit_log'),
      count('SELECT count(*) FROM decisions'),
      count('SELECT count(*) FROM findings'),
    ];
    const error = await trip.owner.services.exchange.importPackage(file).then(
      () => null,
      (e: unknown) =>
        e as {
          code: string;
          details: { reason: string; issues: { path: unknown[]; key: string }[] };
        },
    );
    expect(error).toMatchObject({
      code: 'PACKAGE_REJECTED',
      details: { reason: 'IMPOSSIBLE_CONTENT' },
    });
    expect(error!.details.issues.map((i) => [i.path.join('.'), i.key])).toEqual(expected);
    expect([
      count('SELECT count(*) FROM audit_log'),
      count('SELECT count(*) FROM decisions'),
      count('SELECT count(*) FROM findings'),
    ]).toEqual(before);
  }

  it('refuses a decision whose validity ends before it starts, or runs past the maximum', async () => {
    await impossible(
      await forgedDecision(trip, 'inverted', (c) => {
        c.decisions.at(-1)!.valid_to = '2025-01-01';
      }),
      [['decisions.0.valid_to', 'VALIDITY_ENDS_BEFORE_START']],
    );
    await impossible(
      await forgedDecision(trip, 'too-long', (c) => {
        const d = c.decisions.at(-1)!;
        d.valid_to = addMonths(String(d.valid_from), 61);
      }),
      [['decisions.0.valid_to', 'VALIDITY_TOO_LONG']],
    );
  });

  it('refuses a condition naming a requirement the case does not have, or due before it was set', async () => {
    await impossible(
      await forgedDecision(trip, 'made-up', (c) => {
        c.findings[0]!.requirement_id = 'XYZ-99';
      }),
      [['findings.0.requirement_id', 'UNKNOWN_REQUIREMENT']],
    );
    await impossible(
      await forgedDecision(trip, 'backdated', (c) => {
        c.findings[0]!.due_date = addDays(String(c.findings[0]!.created_at).slice(0, 10), -3);
      }),
      [['findings.0.due_date', 'DEADLINE_PASSED']],
    );
  });

  it('the command line names the reason and the place', async () => {
    const file = await forgedDecision(trip, 'cli', (c) => {
      c.decisions.at(-1)!.valid_to = '2025-01-01';
    });
    const owner = trip.owner.vault.folder;
    await trip.owner.vault.close();
    let err = '';
    const pass = join(work.path, 'owner-pass.txt');
    writeFileSync(pass, PASSPHRASE);
    const code = await runCli(
      ['import', 'package', file, '--vault', owner, '--passphrase-file', pass],
      {
        out: () => undefined,
        err: (t) => (err += t),
        config: TEST_CONFIG,
        cwd: work.path,
      },
    );
    expect(code).toBe(1);
    expect(err).toContain('error: PACKAGE_REJECTED (IMPOSSIBLE_CONTENT)');
    expect(err).toContain('decisions.0.valid_to: The validity must end after it starts');
    trip.owner.vault = await Vault.open(owner, { passphrase: PASSPHRASE }, TEST_CONFIG);
    trip.owner.services = createServices(() => trip.owner.vault);
  });

  it('takes the genuine package: the approval and its condition as data', async () => {
    await trip.owner.services.exchange.importPackage(trip.file);
    const c = trip.owner.services.cases.getCase(trip.caseId);
    expect(c.state).toBe('decided');
    expect(c.findings).toEqual([
      expect.objectContaining({
        kind: 'condition',
        title: 'Patch window brought to 30 days',
        owner: 'Olga Owner',
        dueDate: addMonths(today(), 2),
        requirementId: trip.requirementId,
      }),
    ]);
    const d = trip.owner.services.decisions.decision(trip.caseId)!;
    expect(d.validTo! > d.validFrom!).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import { asOf } from '../../electron/services/clock';
import { signaturesNeeded } from '../../electron/areas/decisions/four-eyes';
import { seedDemo } from '../../electron/services/demo';
import { defaultScheme, RegisterService } from '../../electron/areas/register/use-cases';
import { RecordService } from '../../electron/areas/records/use-cases';
import { Vault } from '../../electron/vault/vault';
import { makeTestContext, tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let register: RegisterService;
let records: RecordService;

beforeEach(async () => {
  folder = tempFolder('awb-register-');
  ({ vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG));
  register = new RegisterService(() => vault);
  records = new RecordService(() => vault, register);
});
afterEach(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

const system = (over: Record<string, unknown> = {}) => ({
  ref: 'SYS-1',
  name: 'Test system',
  phase: 'operational',
  mode: 'system_high',
  levels: [{ domain: 'nato', level: 'SECRET' }],
  userCount: 10,
  minClearance: 'SECRET',
  ...over,
});

describe('register service', () => {
  it('creates a system with its audit row, and survives save and reopen', async () => {
    const id = await register.createSystem(system());
    await vault.close();
    vault = await Vault.open(folder.path, { passphrase: PASSPHRASE }, TEST_CONFIG);
    register = new RegisterService(() => vault);
    records = new RecordService(() => vault, register);
    records = new RecordService(() => vault, register);
    const detail = register.getSystem(id);
    expect(detail.system).toMatchObject({
      ref: 'SYS-1',
      levels: [{ domain: 'nato', level: 'SECRET' }],
    });
    expect(detail.history.map((h) => h.action)).toEqual(['system.create']);
    expect(vault.audit.intact).toBe(true);
  });

  it('records what changed on update, and nothing when nothing changed', async () => {
    const id = await register.createSystem(system());
    await register.updateSystem(id, system({ name: 'Renamed', phase: 'decommissioned' }));
    await register.updateSystem(id, system({ name: 'Renamed', phase: 'decommissioned' }));
    const history = register.getSystem(id).history;
    expect(history.map((h) => h.action)).toEqual(['system.update', 'system.create']);
    expect(JSON.parse(history[0]?.changes ?? '{}')).toEqual({
      name: ['Test system', 'Renamed'],
      phase: ['operational', 'decommissioned'],
    });
  });

  it.each([
    ['an unknown level', system({ levels: [{ domain: 'nato', level: 'ULTRA' }] }), 'levels'],
    ['no domain', system({ levels: [] }), 'levels'],
    [
      'a domain twice',
      system({
        levels: [
          { domain: 'nato', level: 'SECRET' },
          { domain: 'nato', level: 'RESTRICTED' },
        ],
      }),
      'levels',
    ],
    ['a bad reference', system({ ref: 'has space' }), 'ref'],
    [
      'an unknown owner',
      system({ ownerOrgId: '00000000-0000-4000-8000-000000000000' }),
      'ownerOrgId',
    ],
    ['a bad date', system({ nextReview: '2026-02-31x' }), 'nextReview'],
  ])('refuses %s, naming the field', async (_name, input, field) => {
    const tc = makeTestContext(folder.path);
    // through the real dispatcher, as the UI would call it, with this vault open
    tc.ctx.register = register;
    const result = await dispatch(handlers, 'systems:create', input, tc.ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('VALIDATION_FAILED');
      const paths = (result.error.details?.issues as { path: (string | number)[] }[]).map((i) =>
        String(i.path[0]),
      );
      expect(paths).toContain(field);
    }
    expect(register.listSystems()).toEqual([]);
  });

  it('refuses a duplicate reference', async () => {
    await register.createSystem(system());
    await expect(register.createSystem(system({ name: 'Other' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('filters by domain, level, mode, phase, owner and search, and sorts', async () => {
    const owner = await register.createOrganisation({ name: 'Owner A', type: 'system_owner' });
    await register.createSystem(
      system({
        ref: 'B-2',
        name: 'Beta',
        levels: [{ domain: 'eu', level: 'CONFIDENTIAL' }],
        mode: 'dedicated',
        ownerOrgId: owner,
      }),
    );
    await register.createSystem(
      system({
        ref: 'A-1',
        name: 'Alpha 100%',
        levels: [
          { domain: 'nato', level: 'SECRET' },
          { domain: 'national', level: 'TOP_SECRET' },
        ],
      }),
    );
    await register.createSystem(
      system({
        ref: 'C-3',
        name: 'Gamma',
        phase: 'test',
        levels: [{ domain: 'national', level: 'RESTRICTED' }],
      }),
    );
    const refs = (f: Record<string, unknown>) => register.listSystems(f).map((s) => s.ref);
    expect(refs({})).toEqual(['A-1', 'B-2', 'C-3']);
    expect(refs({ domain: 'eu' })).toEqual(['B-2']);
    expect(refs({ level: 'TOP_SECRET' })).toEqual(['A-1']);
    expect(refs({ domain: 'national', level: 'RESTRICTED' })).toEqual(['C-3']);
    expect(refs({ mode: 'dedicated' })).toEqual(['B-2']);
    expect(refs({ phase: 'test' })).toEqual(['C-3']);
    expect(refs({ ownerOrgId: owner })).toEqual(['B-2']);
    expect(refs({ search: 'gam' })).toEqual(['C-3']);
    expect(refs({ search: '100%' })).toEqual(['A-1']);
    expect(refs({ search: '%' })).toEqual(['A-1']);
    expect(refs({ sort: 'level', descending: true })).toEqual(['A-1', 'B-2', 'C-3']);
    expect(refs({ sort: 'name', descending: true })).toEqual(['C-3', 'B-2', 'A-1']);
  });

  it('shows consistency violations on the system they concern', async () => {
    const id = await register.createSystem(system());
    const site = await register.createSite({ name: 'Office', maxLevel: 'RESTRICTED' });
    const comp = await register.createComponent({
      systemId: id,
      kind: 'workstation',
      product: 'PC',
      siteId: site,
      level: 'SECRET',
    });
    const link = await register.createInterconnection({
      systemId: id,
      peerName: 'Outside',
      localLevel: 'SECRET',
      peerLevel: 'RESTRICTED',
      domain: 'nato',
      direction: 'outbound',
      approvalStatus: 'pending',
    });
    const person = await register.createPerson({
      name: 'Low',
      clearances: [
        { level: 'CONFIDENTIAL', domain: 'nato', issuingBody: 'NSA', expiresOn: '2099-01-01' },
      ],
    });
    await register.assignPerson(id, person, 'administrator');
    const v = register.getSystem(id).violations;
    expect(v.map((x) => [x.code, x.entityId])).toEqual([
      ['COMPONENT_ABOVE_SITE', comp],
      ['INTERCONNECTION_NEEDS_BOUNDARY', link],
      ['CLEARANCE_BELOW_MINIMUM', person],
    ]);
    expect(register.getSystem(id).sites.map((s) => s.name)).toEqual(['Office']);
  });

  it('lists records due within N days, overdue first, never closed ones', async () => {
    const base = {
      type: 'correspondence',
      title: 'x',
      counterpart: 'NOS',
      status: 'open',
    } as const;
    // Entered in October, when none of the follow-ups had fallen due (a rule of sense).
    await asOf(new Date('2026-10-20T12:00:00Z'), async () => {
      await records.create({ ...base, title: 'overdue', followUpDue: '2026-11-01' });
      await records.create({ ...base, title: 'soon', followUpDue: '2026-12-10' });
      await records.create({ ...base, title: 'later', followUpDue: '2027-06-01' });
      await records.create({
        ...base,
        title: 'closed',
        followUpDue: '2026-11-01',
        status: 'closed',
      });
      await records.create({ ...base, title: 'no date' });
    });
    const due = records.list({ dueWithinDays: 30 }, '2026-11-27');
    expect(due.map((r) => [r.title, r.overdue])).toEqual([
      ['overdue', true],
      ['soon', false],
    ]);
    expect(records.list({}, '2026-11-27')).toHaveLength(5);
    // A page of the register: the first in the list's order, and how many match in all.
    const all = records.list({}, '2026-11-27');
    const page = records.list({ limit: 2 }, '2026-11-27');
    expect(page.map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
    expect(records.count({ limit: 2 }, '2026-11-27')).toBe(5);
    expect(records.count({ dueWithinDays: 30 }, '2026-11-27')).toBe(2);
    // One record by its id.
    const last = all.at(-1)!;
    expect(records.list({ id: last.id })).toEqual([last]);
    expect(records.count({ id: last.id })).toBe(1);
  });

  it('imports a valid scheme, refuses a broken one, and refuses dropping a level in use', async () => {
    await register.createSystem(system());
    await expect(register.importScheme({ id: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const scheme = defaultScheme();
    const renamed = {
      ...scheme,
      version: '2026.2',
      levels: scheme.levels.map((l) => ({
        ...l,
        labels: { ...l.labels, national: `${l.labels.national}!` },
      })),
    };
    await register.importScheme(renamed);
    expect(register.scheme().label('SECRET', 'national')).toBe('HEMMELIGT!');
    const withoutSecret = { ...scheme, levels: scheme.levels.filter((l) => l.code !== 'SECRET') };
    await expect(register.importScheme(withoutSecret)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ message: 'level SECRET is in use' }] },
    });
    // Round 20r: SECRET ranked above TOP SECRET would let one accreditor approve a TOP SECRET
    // system alone; a level the scheme keeps keeps its rank.
    const rank = (code: string) => scheme.levels.find((l) => l.code === code)!.rank;
    const reordered = {
      ...scheme,
      version: '2026.3',
      levels: scheme.levels.map((l) =>
        l.code === 'SECRET' ? { ...l, rank: rank('TOP_SECRET') + 5 } : l,
      ),
    };
    await expect(register.importScheme(reordered)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ message: `level SECRET keeps its rank ${rank('SECRET')}` }] },
    });
    expect(register.scheme().rank('SECRET')).toBe(rank('SECRET'));
    // Round 20t: dropped by one import (nothing used it) and added back above the rest by the
    // next, a level would move four eyes' threshold; a level the vault has known keeps its rank.
    const without = (code: string) => scheme.levels.filter((l) => l.code !== code);
    await register.importScheme({ ...scheme, version: '2026.4', levels: without('TOP_SECRET') });
    expect(register.scheme().rank('TOP_SECRET')).toBe(0);
    const back = (at: number) => ({
      ...scheme,
      version: '2026.5',
      levels: [...without('TOP_SECRET'), { ...scheme.levels.at(-1)!, rank: at }],
    });
    await expect(register.importScheme(back(rank('TOP_SECRET') + 3))).rejects.toMatchObject({
      details: { issues: [{ message: `level TOP_SECRET keeps its rank ${rank('TOP_SECRET')}` }] },
    });
    await register.importScheme(back(rank('TOP_SECRET')));
    expect(register.scheme().rank('TOP_SECRET')).toBe(rank('TOP_SECRET'));
    // A level only an interconnection's peer holds is in use.
    const [systemId] = register.listSystems().map((x) => x.id);
    await register.createInterconnection({
      systemId,
      peerName: 'Allied net',
      localLevel: 'SECRET',
      peerLevel: 'CONFIDENTIAL',
      domain: 'nato',
      direction: 'bidirectional',
      approvalStatus: 'pending',
    });
    await expect(
      register.importScheme({ ...scheme, version: '2026.6', levels: without('CONFIDENTIAL') }),
    ).rejects.toMatchObject({ details: { issues: [{ message: 'level CONFIDENTIAL is in use' }] } });
  });

  it('a level the scheme in force dropped keeps the rank it had for four eyes (round 20u)', async () => {
    const id = await register.createSystem(
      system({ levels: [{ domain: 'nato', level: 'TOP_SECRET' }], minClearance: 'TOP_SECRET' }),
    );
    const { id: _id, ...held } = register.getSystem(id).system;
    await register.updateSystem(id, {
      ...held,
      levels: [{ domain: 'nato', level: 'RESTRICTED' }],
      minClearance: 'RESTRICTED',
    });
    const needed = () =>
      signaturesNeeded(
        vault.database,
        register,
        { caseId: 'none', systemId: id, systemLevels: register.getSystem(id).system.levels },
        'full_approval',
      );
    expect(needed()).toBe(2);
    const scheme = defaultScheme();
    await register.importScheme({
      ...scheme,
      version: '2026.7',
      levels: scheme.levels.filter((l) => l.code !== 'TOP_SECRET'),
    });
    expect(register.scheme().rank('TOP_SECRET')).toBe(0);
    expect(needed()).toBe(2);
  });

  it('the demo sample has what a demonstration needs', async () => {
    const counts = await seedDemo({ register, records });
    expect(counts.systems).toBeGreaterThanOrEqual(12);
    expect(counts.records).toBeGreaterThanOrEqual(30);
    const systems = register.listSystems();
    expect(new Set(systems.flatMap((s) => s.levels.map((l) => l.domain)))).toEqual(
      new Set(['national', 'nato', 'eu', 'bilateral']),
    );
    expect(new Set(systems.map((s) => s.mode))).toEqual(
      new Set(['dedicated', 'system_high', 'compartmented', 'multilevel']),
    );
    expect(register.listOrganisations().length).toBeGreaterThanOrEqual(4);
    const withViolations = systems.filter((s) => register.getSystem(s.id).violations.length > 0);
    expect(withViolations.length).toBeGreaterThan(0);
    expect(records.list({ dueWithinDays: 30 }).some((r) => r.overdue)).toBe(true);
    expect(vault.audit.intact).toBe(true);
  });

  it('answers VAULT_LOCKED through the contract when no vault is open', async () => {
    const tc = makeTestContext(folder.path);
    const result = await dispatch(handlers, 'systems:list', {}, tc.ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });
});

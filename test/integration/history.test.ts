/**
 * History as it was: a system's history names the entries it refers to as they were named when
 * each row was written (kept in the row's hashed payload), and each row's own entry by what the
 * trail called it then — never by today's name passed off as the name then.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, NAMES_THEN, verifyAuditChain } from '../../electron/db/audit';
import { createServices, type VaultServices } from '../../electron/services';
import { historyAsItWas } from '../../electron/areas/register/history';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;

beforeEach(async () => {
  folder = tempFolder('awb-history-');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
});
afterEach(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

const SITE = {
  name: 'Kastellet',
  maxLevel: 'SECRET',
  lastInspection: '2026-01-10',
  nextInspection: '2027-01-10',
};

async function system(): Promise<string> {
  return services.register.createSystem({
    ref: 'SYS-1',
    name: 'Net',
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 10,
    minClearance: 'SECRET',
  });
}

describe('history as it was', () => {
  it('a site renamed: the entries made under its old name keep it, and survive a reopen', async () => {
    const { register } = services;
    const systemId = await system();
    const site = await register.createSite(SITE);
    await register.assignSite(systemId, site);
    await register.update('site', site, { ...SITE, name: 'Citadellet' });

    const check = () => {
      const history = register.getSystem(systemId).history;
      const assigned = history.find((h) => h.action === 'system.assignSite')!;
      // The assignment names the site as it was called then; today's name is another matter.
      expect(assigned.names).toEqual({ [site]: 'Kastellet' });
      expect(JSON.parse(assigned.changes)).toEqual({ siteId: site });
      expect(register.getSystem(systemId).sites.map((x) => x.name)).toEqual(['Citadellet']);
      // Each row of the site under the name it had at that row.
      const ofSite = history
        .filter((h) => h.entityId === site)
        .map((h) => [h.action, h.entityName]);
      expect(ofSite).toEqual([
        ['site.update', 'Citadellet'],
        ['site.create', 'Kastellet'],
      ]);
      // The system's own rows are named by its reference and name then.
      expect(history.find((h) => h.action === 'system.create')?.entityName).toBe('SYS-1 Net');
    };
    check();
    await vault.close();
    vault = await Vault.open(join(folder.path, 'v'), { passphrase: PASSPHRASE }, TEST_CONFIG);
    services = createServices(() => vault);
    check();
    // The names are part of the hashed row: the chain verifies, and an edit to them breaks it.
    expect(verifyAuditChain(vault.database).intact).toBe(true);
    const seq = Number(
      vault.database.exec("SELECT seq FROM audit_log WHERE action = 'system.assignSite'")[0]!
        .values[0]![0],
    );
    vault.database.run('UPDATE audit_log SET changes = ? WHERE seq = ?', [
      JSON.stringify({ [NAMES_THEN]: { [site]: 'Citadellet' }, siteId: site }),
      seq,
    ]);
    expect(verifyAuditChain(vault.database)).toMatchObject({ intact: false, brokenAt: seq });
  });

  it('a system renamed: its history names it as it was at each row, and a peer system by its name then', async () => {
    const { register } = services;
    const systemId = await system();
    const peerInput = {
      ref: 'SYS-2',
      name: 'Peer',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      userCount: 5,
      minClearance: 'SECRET',
    };
    const peer = await register.createSystem(peerInput);
    const link = await register.createInterconnection({
      systemId,
      peerSystemId: peer,
      peerName: '',
      direction: 'bidirectional',
      localLevel: 'SECRET',
      peerLevel: 'SECRET',
      domain: 'nato',
      approvalStatus: 'approved',
    });
    await register.updateSystem(peer, { ...peerInput, name: 'Peer Renamed' });
    const history = register.getSystem(systemId).history;
    const created = history.find((h) => h.entityId === link)!;
    expect(created.names).toEqual({ [peer]: 'SYS-2 Peer', [systemId]: 'SYS-1 Net' });
    expect(created.entityName).toBe('SYS-2 Peer');
  });

  it('a row written before names were kept says so (names null), and is not given names it never had', async () => {
    const { register } = services;
    const systemId = await system();
    const site = await register.createSite(SITE);
    // An older row: the assignment as versions before this one wrote it, without names.
    const trail = [
      {
        seq: 7,
        at: '2026-01-01T10:00:00.000Z',
        actor_name: 'A',
        action: 'system.assignSite',
        entity_type: 'system',
        entity_id: systemId,
        changes: JSON.stringify({ siteId: site }),
      },
    ];
    const [old] = historyAsItWas(trail);
    expect(old?.names).toBeNull();
    expect(JSON.parse(old!.changes)).toEqual({ siteId: site });
    // A row written now keeps the names; one whose references have no name keeps none.
    expect(
      appendAudit(
        vault.database,
        vault.actor,
        { action: 'x.test', entityType: 'x', entityId: site, changes: { other: site } },
        new Date(),
      ).changes,
    ).toEqual({ other: site });
    await register.assignSite(systemId, site);
    await register.unassignSite(systemId, site);
    const last = register.getSystem(systemId).history[0]!;
    expect(last.action).toBe('system.unassignSite');
    expect(last.names).toEqual({ [site]: 'Kastellet' });
  });
});

/**
 * Day two of the register: every entry corrected (validated, audited from → to, re-evaluated by
 * the consistency rules), retired rather than deleted, assignments ended, records edited and
 * closed with an outcome, their attachments listed and opened.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { partChanges } from '../../electron/db/audit';
import { createServices, type VaultServices } from '../../electron/services';
import { asOf } from '../../electron/services/clock';
import { addDays } from '../../shared/days';
import { today } from '../../electron/services/clock';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;

beforeEach(async () => {
  folder = tempFolder('awb-register-edit-');
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

/** The newest audit row about an entity: its action and what changed. */
function lastAudit(entityId: string): { action: string; changes: Record<string, unknown> } {
  const row = vault.database.exec(
    'SELECT action, changes FROM audit_log WHERE entity_id = ? ORDER BY seq DESC LIMIT 1',
    [entityId],
  )[0]?.values[0];
  return {
    action: String(row?.[0]),
    // The change itself (the names the row keeps of what it refers to are tested in history).
    changes: partChanges(JSON.parse(String(row?.[1])) as Record<string, unknown>).changes,
  };
}

/** The call is refused for the field at `path`, by the schema or by the core's checks. */
async function refused(call: Promise<unknown>, path: string): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  const issues =
    error instanceof ZodError
      ? error.issues
      : (error as { code?: string; details?: { issues?: { path: PropertyKey[] }[] } })?.code ===
          'VALIDATION_FAILED'
        ? ((error as { details: { issues: { path: PropertyKey[] }[] } }).details.issues ?? [])
        : [];
  expect(issues.map((i) => i.path.join('.'))).toContain(path);
}

const codes = (systemId: string) =>
  services.register.getSystem(systemId).violations.map((v) => v.code);

describe('register corrections', () => {
  it('an edit is validated, audited field by field from → to, and a no-op writes nothing', async () => {
    const { register } = services;
    const site = await register.createSite(SITE);
    expect(await register.update('site', site, { ...SITE, name: 'Kastellet Nord' })).toBe(true);
    expect(lastAudit(site)).toEqual({
      action: 'site.update',
      changes: { name: ['Kastellet', 'Kastellet Nord'] },
    });
    const rows = () => vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0];
    const before = rows();
    expect(await register.update('site', site, { ...SITE, name: 'Kastellet Nord' })).toBe(false);
    expect(rows()).toBe(before);
    // Dates in order and in range, levels in the scheme, references that exist.
    await refused(
      register.update('site', site, { ...SITE, nextInspection: '2025-12-31' }),
      'nextInspection',
    );
    await refused(
      register.update('site', site, { ...SITE, lastInspection: '1900-01-01' }),
      'lastInspection',
    );
    await expect(
      register.update('site', site, { ...SITE, maxLevel: 'TOPPEST' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['maxLevel'] }] },
    });
    await expect(
      register.update('site', '00000000-0000-4000-8000-000000000000', SITE),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(register.listSites()[0]).toMatchObject({
      name: 'Kastellet Nord',
      nextInspection: '2027-01-10',
    });
  });

  it('a renewed clearance clears the rule warning on the system row', async () => {
    const { register } = services;
    const systemId = await system();
    const person = {
      name: 'Ida Admin',
      email: 'ida@example.dk',
      clearances: [
        { level: 'SECRET', domain: 'nato', issuingBody: 'PET', expiresOn: addDays(today(), -3) },
      ],
    } as const;
    const personId = await register.createPerson(person);
    await register.assignPerson(systemId, personId, 'administrator');
    expect(codes(systemId)).toContain('CLEARANCE_EXPIRED');
    expect(register.listPeople().find((p) => p.id === personId)?.expired).toBe(true);
    const renewed = addDays(today(), 700);
    await register.update('person', personId, {
      ...person,
      clearances: [{ ...person.clearances[0], expiresOn: renewed }],
    });
    expect(codes(systemId)).not.toContain('CLEARANCE_EXPIRED');
    expect(register.listPeople().find((p) => p.id === personId)?.expired).toBe(false);
    expect(lastAudit(personId).changes.clearances).toEqual([
      [`nato SECRET PET ${addDays(today(), -3)}`],
      [`nato SECRET PET ${renewed}`],
    ]);
    await refused(
      register.update('person', personId, { ...person, email: 'not an address' }),
      'email',
    );
    // The assignment ends; the person stays in the register.
    await register.unassignPerson(systemId, personId, 'administrator');
    expect(register.getSystem(systemId).people).toEqual([]);
    expect(lastAudit(systemId)).toEqual({
      action: 'system.unassignPerson',
      changes: { personId, role: 'administrator' },
    });
    await expect(
      register.unassignPerson(systemId, personId, 'administrator'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a retired component leaves the system and its rules but stays in history; nothing new refers to a retired site', async () => {
    const { register } = services;
    const systemId = await system();
    const site = await register.createSite({ ...SITE, maxLevel: 'RESTRICTED' });
    const component = {
      systemId,
      kind: 'server',
      product: 'Old server',
      siteId: site,
      level: 'SECRET',
    } as const;
    const componentId = await register.createComponent(component);
    expect(codes(systemId)).toContain('COMPONENT_ABOVE_SITE');
    // The site is the system's through its component: a correction to it is in the system's
    // history, where the warning it changes is shown.
    await register.update('site', site, { ...SITE, maxLevel: 'SECRET' });
    expect(codes(systemId)).not.toContain('COMPONENT_ABOVE_SITE');
    expect(register.getSystem(systemId).history.map((h) => h.action)).toContain('site.update');
    await register.update('site', site, { ...SITE, maxLevel: 'RESTRICTED' });
    expect(codes(systemId)).toContain('COMPONENT_ABOVE_SITE');
    // A component stays with its system.
    const other = await register.createSystem({
      ref: 'SYS-2',
      name: 'Other',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 1,
    });
    await expect(
      register.update('component', componentId, { ...component, systemId: other }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await register.retire('component', componentId);
    expect(register.getSystem(systemId).components).toEqual([]);
    expect(codes(systemId)).not.toContain('COMPONENT_ABOVE_SITE');
    expect(register.getSystem(systemId).history.map((h) => h.action)).toContain('component.retire');
    expect(
      vault.database.exec('SELECT count(*) FROM components WHERE id = ?', [componentId])[0]
        ?.values[0]?.[0],
    ).toBe(1);
    // The site can leave the system once no component of it is there; retired, it is offered to nothing new.
    await register.unassignSite(systemId, site);
    await register.retire('site', site);
    expect(register.listSites().map((s) => s.id)).not.toContain(site);
    expect(
      register.listSites({ includeRetired: true }).find((s) => s.id === site)?.retiredAt,
    ).not.toBeNull();
    await expect(register.createComponent({ ...component, product: 'New' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['siteId'], message: 'refers to an entry that is retired' }] },
    });
    await register.retire('site', site, false);
    expect(register.listSites().map((s) => s.id)).toContain(site);
  });

  it("a site with the system's components still there cannot be taken off it", async () => {
    const { register } = services;
    const systemId = await system();
    const site = await register.createSite(SITE);
    await register.createComponent({
      systemId,
      kind: 'server',
      product: 'S',
      siteId: site,
      level: 'SECRET',
    });
    await expect(register.unassignSite(systemId, site)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('records: edited, closed with an outcome (no longer overdue), attachments listed and opened', async () => {
    const systemId = await system();
    const record = {
      type: 'notification_nos',
      title: 'Notification of SYS-1',
      counterpart: 'NOS',
      followUpDue: addDays(today(), -10),
      status: 'awaiting_reply',
      systemIds: [systemId],
    } as const;
    // Entered three weeks ago, when its follow-up was still to come; it is overdue now.
    const id = await asOf(new Date(Date.now() - 21 * 86_400_000), () =>
      services.records.create(record),
    );
    expect(services.records.list({ dueWithinDays: 0 }).map((r) => r.id)).toEqual([id]);
    await refused(
      services.records.update(id, { ...record, followUpDue: '1900-01-01' }),
      'followUpDue',
    );
    await refused(
      services.records.update(id, { ...record, validFrom: '2027-01-01', validTo: '2026-01-01' }),
      'validTo',
    );
    await services.records.update(id, { ...record, theirRef: 'NOS-77', systemIds: [] });
    expect(lastAudit(id).changes).toEqual({
      theirRef: ['', 'NOS-77'],
      systemIds: [[systemId], []],
    });
    expect(services.records.list({ systemId })).toEqual([]);
    await refused(services.records.close(id, { outcome: '', closedOn: today() }), 'outcome');
    await services.records.close(id, { outcome: 'Acknowledged by NOS.', closedOn: today() });
    const [closed] = services.records.list();
    expect(closed).toMatchObject({
      status: 'closed',
      outcome: 'Acknowledged by NOS.',
      closedOn: today(),
      overdue: false,
      followUpDue: null,
    });
    expect(services.records.list({ dueWithinDays: 0 })).toEqual([]);

    const body = Buffer.from('%PDF-1.4\n% reply from NOS\n%%EOF\n');
    const stored = await vault.blobs.put(
      (async function* () {
        yield body;
      })(),
    );
    await services.records.attach(id, { ...stored, name: 'reply.pdf' });
    const [attachment] = services.records.attachments(id);
    expect(attachment).toMatchObject({
      name: 'reply.pdf',
      sha256: createHash('sha256').update(body).digest('hex'),
      size: body.length,
    });
    const opened = await services.records.attachmentContent(id, attachment!.address);
    expect(opened.fileName).toBe('reply.pdf');
    expect(opened.data.equals(body)).toBe(true);
    await expect(services.records.attachmentContent(id, 'f'.repeat(64))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      services.records.attachmentContent(id, attachment!.address, 4),
    ).rejects.toMatchObject({
      code: 'PREVIEW_TOO_LARGE',
    });
  });

  it('organisations and products are corrected and retired; retired ones leave the pickers', async () => {
    const { register } = services;
    const org = await register.createOrganisation({ name: 'Forsvaret', type: 'system_owner' });
    await register.update('organisation', org, {
      name: 'Forsvarsministeriet',
      type: 'system_owner',
      cvr: '12345678',
    });
    expect(register.listOrganisations()).toMatchObject([
      { name: 'Forsvarsministeriet', cvr: '12345678' },
    ]);
    await register.retire('organisation', org);
    expect(register.listOrganisations()).toEqual([]);
    expect(register.listOrganisations({ includeRetired: true })).toHaveLength(1);
    const product = {
      name: 'Crypto box',
      kind: 'crypto',
      authority: 'NCSA',
      reference: 'C-1',
      maxLevel: 'SECRET',
      domain: 'nato',
      expiresOn: '2026-01-01',
    } as const;
    const productId = await register.createProduct(product);
    await register.update('product', productId, { ...product, expiresOn: '2030-01-01' });
    expect(lastAudit(productId).changes).toEqual({ expiresOn: ['2026-01-01', '2030-01-01'] });
    await register.retire('product', productId);
    expect(register.listProducts()).toEqual([]);
  });
});

describe('the system page', () => {
  it("lists its cases' findings and conditions that are open past their due date", async () => {
    const { register, cases } = services;
    const systemId = await system();
    const caseId = await cases.createCase({ systemId, type: 'initial' });
    // Found ten days ago, due five days ago.
    const dueDate = addDays(today(), -5);
    const late = await asOf(new Date(Date.now() - 10 * 86_400_000), () =>
      cases.addFinding(caseId, {
        severity: 'major',
        title: 'Patch backlog',
        owner: 'Operator',
        dueDate,
      }),
    );
    await cases.addFinding(caseId, {
      severity: 'minor',
      title: 'Not yet due',
      dueDate: addDays(today(), 5),
    });
    expect(register.getSystem(systemId).overdue).toEqual([
      expect.objectContaining({ id: late, title: 'Patch backlog', owner: 'Operator', caseId }),
    ]);
    await cases.setFindingStatus(late, 'resolved');
    expect(register.getSystem(systemId).overdue).toEqual([]);
  });
});

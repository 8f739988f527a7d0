/**
 * The register's storage: the only code that speaks SQL to its tables — organisations, people
 * and clearances, systems with their levels, assignments and sites, sites, approved products,
 * components, interconnections — and to the classification scheme a vault keeps. Rows are typed
 * here, as they leave the database.
 *
 * Functions of the database they run on: the vault's for reads, the one `vault.change` hands its
 * job for writes, so a write lands in the change's transaction with its audit row.
 *
 * Two reads look beyond the register's tables, each for one question only the whole vault can
 * answer: which levels are in use anywhere (a scheme may not drop them), and the approval a
 * system stands on with its cases' overdue findings (the system page shows both).
 *
 * Longer than 500 lines: every statement on the register's eleven tables lives here and nowhere
 * else, with the typing of each row it reads.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import {
  ClassificationScheme,
  parseScheme,
  type InfoDomain,
  type Scheme,
} from '../../../shared/classification';
import { AppError } from '../../../shared/errors';
import type {
  ComponentInput,
  PersonInput,
  SystemFilter,
  SystemInput,
  SystemRow,
} from '../../../shared/register';
import { UNDER_WAY, type CaseState, type DecisionType } from '../../../shared/lifecycle';
import type { SystemLevel } from '../../../shared/approval-scope';
import { optional, queryRows, text } from '../../db/query';
import { insertEntity, type EntityTable } from '../entities';
import { RESOURCES } from '../resources';

const rows = queryRows;
const str = text;
const opt = optional;

export const DEFAULT_SCHEME_FILE = join(RESOURCES, 'classification', 'default-scheme.json');

let shippedScheme: Scheme | null = null;

/** The scheme shipped in resources/ (parsed like any other). */
export function defaultScheme(): Scheme {
  if (!shippedScheme) {
    const parsed = parseScheme(JSON.parse(readFileSync(DEFAULT_SCHEME_FILE, 'utf8')));
    if (!parsed.ok) {
      throw new AppError('INTERNAL', 'The shipped classification scheme is invalid');
    }
    shippedScheme = parsed.scheme;
  }
  return shippedScheme;
}

// ---- the classification scheme ------------------------------------------------------------

/** The classification scheme a vault keeps (or the shipped one where it keeps none it can read). */
export function schemeOf(db: Database): ClassificationScheme {
  const stored = rows(db, 'SELECT json FROM classification_scheme WHERE id = 1')[0];
  if (stored) {
    const parsed = parseScheme(JSON.parse(str(stored.json)));
    if (parsed.ok) {
      return new ClassificationScheme(parsed.scheme);
    }
  }
  return new ClassificationScheme(defaultScheme());
}

/**
 * The rank of every level this vault's schemes have held: the scheme in force, then those it
 * replaced, newest first (round 20t: SECRET dropped by one import and added back above TOP
 * SECRET by the next moved four eyes' threshold above every level; round 20u: a level dropped
 * ranked nothing where the system had held it).
 */
export function ranksKnown(db: Database, current: ClassificationScheme): Map<string, number> {
  const known = new Map(current.levels.map((l) => [l.code, l.rank]));
  for (const row of rows(
    db,
    `SELECT changes FROM audit_log WHERE action = 'scheme.import' ORDER BY seq DESC`,
  )) {
    let replaced: unknown;
    try {
      replaced = (JSON.parse(str(row.changes)) as { replaced?: unknown }).replaced;
    } catch {
      continue;
    }
    if (replaced && typeof replaced === 'object') {
      for (const [code, rank] of Object.entries(replaced)) {
        if (typeof rank === 'number' && !known.has(code)) {
          known.set(code, rank);
        }
      }
    }
  }
  return known;
}

/** Every level code in use anywhere in the vault: the register's, and decisions' levels. */
export function levelsInUse(db: Database): string[] {
  return rows(
    db,
    `SELECT level AS code FROM system_levels UNION SELECT level FROM clearances UNION SELECT max_level FROM sites
     UNION SELECT level FROM components UNION SELECT max_level FROM approved_products
     UNION SELECT local_level FROM interconnections UNION SELECT peer_level FROM interconnections
     UNION SELECT json_extract(l.value, '$.level') FROM decisions d, json_each(d.levels) l`,
  ).map((r) => str(r.code));
}

export function storeScheme(db: Database, scheme: Scheme): void {
  db.run('INSERT OR REPLACE INTO classification_scheme (id, json, updated_at) VALUES (1, ?, ?)', [
    JSON.stringify(scheme),
    new Date().toISOString(),
  ]);
}

// ---- the register's simple entities --------------------------------------------------------

export type RegisterKind =
  'organisation' | 'person' | 'site' | 'product' | 'component' | 'interconnection';

/**
 * The register's simple entities: each table's columns a user sets, and the input field each
 * comes from. One map serves create, update (with the audit's "from → to") and retire.
 */
export const ENTITIES: Record<RegisterKind, EntityTable> = {
  organisation: {
    table: 'organisations',
    columns: { name: 'name', type: 'type', cvr: 'cvr', contact: 'contact' },
  },
  person: {
    table: 'people',
    columns: {
      name: 'name',
      organisation_id: 'organisationId',
      email: 'email',
      briefed_on: 'briefedOn',
    },
  },
  site: {
    table: 'sites',
    columns: {
      name: 'name',
      address: 'address',
      area_class: 'areaClass',
      max_level: 'maxLevel',
      tempest_zone: 'tempestZone',
      last_inspection: 'lastInspection',
      next_inspection: 'nextInspection',
    },
  },
  product: {
    table: 'approved_products',
    columns: {
      name: 'name',
      vendor: 'vendor',
      version: 'version',
      kind: 'kind',
      authority: 'authority',
      reference: 'reference',
      max_level: 'maxLevel',
      domain: 'domain',
      expires_on: 'expiresOn',
    },
  },
  component: {
    table: 'components',
    columns: {
      system_id: 'systemId',
      kind: 'kind',
      product: 'product',
      version: 'version',
      site_id: 'siteId',
      level: 'level',
      tempest_level: 'tempestLevel',
      crypto: 'crypto',
      approved_product_id: 'approvedProductId',
    },
  },
  interconnection: {
    table: 'interconnections',
    columns: {
      system_id: 'systemId',
      peer_system_id: 'peerSystemId',
      peer_name: 'peerName',
      local_level: 'localLevel',
      peer_level: 'peerLevel',
      domain: 'domain',
      boundary_product_id: 'boundaryProductId',
      boundary_device: 'boundaryDevice',
      direction: 'direction',
      approval_status: 'approvalStatus',
      valid_until: 'validUntil',
    },
  },
};

/** The tables other entries refer to, as `exists` checks them. */
export type Referenced = 'organisations' | 'people' | 'systems' | 'sites' | 'approved_products';

export function exists(db: Database, table: Referenced, id: string): boolean {
  return rows(db, `SELECT 1 FROM ${table} WHERE id = ?`, [id]).length > 0;
}

export function isRetired(db: Database, table: Referenced, id: string): boolean {
  return (
    rows(db, `SELECT 1 FROM ${table} WHERE id = ? AND retired_at IS NOT NULL`, [id]).length > 0
  );
}

/** An entry's stored row, or undefined. */
export function entryRow(
  db: Database,
  kind: RegisterKind,
  id: string,
): Record<string, SqlValue> | undefined {
  return rows(db, `SELECT * FROM ${ENTITIES[kind].table} WHERE id = ?`, [id])[0];
}

export function setRetired(db: Database, kind: RegisterKind, id: string, at: string | null): void {
  db.run(`UPDATE ${ENTITIES[kind].table} SET retired_at = ?, updated_at = ? WHERE id = ?`, [
    at,
    new Date().toISOString(),
    id,
  ]);
}

// ---- organisations and people ---------------------------------------------------------------

export function organisations(db: Database, includeRetired: boolean) {
  return rows(
    db,
    `SELECT * FROM organisations ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY name`,
  ).map((r) => ({
    id: str(r.id),
    name: str(r.name),
    type: str(r.type),
    cvr: str(r.cvr),
    contact: str(r.contact),
    retiredAt: opt(r.retired_at),
  }));
}

export function organisationByName(db: Database, name: string): string | null {
  const found = rows(db, 'SELECT id FROM organisations WHERE lower(name) = lower(?)', [
    name.trim(),
  ])[0];
  return found ? str(found.id) : null;
}

export interface Clearance {
  level: string;
  domain: InfoDomain;
  issuingBody: string;
  expiresOn: string;
}

/** People with their organisation's name and their clearances. */
export function people(db: Database, includeRetired: boolean) {
  const clearances = new Map<string, Clearance[]>();
  for (const c of rows(
    db,
    'SELECT person_id, level, domain, issuing_body, expires_on FROM clearances ORDER BY expires_on',
  )) {
    const mine = clearances.get(str(c.person_id)) ?? [];
    mine.push({
      level: str(c.level),
      domain: str(c.domain) as InfoDomain,
      issuingBody: str(c.issuing_body),
      expiresOn: str(c.expires_on),
    });
    clearances.set(str(c.person_id), mine);
  }
  return rows(
    db,
    `SELECT p.id, p.name, p.email, p.briefed_on, p.organisation_id, p.retired_at, o.name AS org FROM people p
     LEFT JOIN organisations o ON o.id = p.organisation_id
     ${includeRetired ? '' : 'WHERE p.retired_at IS NULL'} ORDER BY p.name`,
  ).map((p) => ({
    id: str(p.id),
    name: str(p.name),
    organisation: opt(p.org),
    organisationId: opt(p.organisation_id),
    retiredAt: opt(p.retired_at),
    email: str(p.email),
    briefedOn: opt(p.briefed_on),
    clearances: clearances.get(str(p.id)) ?? [],
  }));
}

/** A person's clearances as the audit of a correction compares them. */
export function clearanceLines(db: Database, personId: string): string[] {
  return rows(
    db,
    'SELECT level, domain, issuing_body, expires_on FROM clearances WHERE person_id = ? ORDER BY expires_on, level',
    [personId],
  ).map((c) => `${str(c.domain)} ${str(c.level)} ${str(c.issuing_body)} ${str(c.expires_on)}`);
}

export function insertPerson(
  db: Database,
  id: string,
  input: ReturnType<typeof PersonInput.parse>,
): void {
  insertEntity(db, ENTITIES.person, id, input);
  writeClearances(db, id, input);
}

export function writeClearances(
  db: Database,
  id: string,
  input: ReturnType<typeof PersonInput.parse>,
): void {
  db.run('DELETE FROM clearances WHERE person_id = ?', [id]);
  for (const c of input.clearances) {
    db.run(
      'INSERT INTO clearances (id, person_id, level, domain, issuing_body, expires_on) VALUES (?, ?, ?, ?, ?, ?)',
      [randomUUID(), id, c.level, c.domain, c.issuingBody, c.expiresOn],
    );
  }
}

export function isAssigned(db: Database, systemId: string, personId: string, role: string) {
  return (
    rows(db, 'SELECT 1 FROM system_people WHERE system_id = ? AND person_id = ? AND role = ?', [
      systemId,
      personId,
      role,
    ]).length > 0
  );
}

export function assign(db: Database, systemId: string, personId: string, role: string): void {
  db.run('INSERT OR IGNORE INTO system_people (system_id, person_id, role) VALUES (?, ?, ?)', [
    systemId,
    personId,
    role,
  ]);
}

export function unassign(db: Database, systemId: string, personId: string, role: string): void {
  db.run('DELETE FROM system_people WHERE system_id = ? AND person_id = ? AND role = ?', [
    systemId,
    personId,
    role,
  ]);
}

// ---- systems ---------------------------------------------------------------------------------

/** The systems columns a user sets, in one order for INSERT and UPDATE. */
const SYSTEM_COLUMNS = [
  'ref',
  'name',
  'purpose',
  'owner_org_id',
  'operator_org_id',
  'phase',
  'mode',
  'user_count',
  'min_clearance',
  'boundary',
  'next_review',
] as const;

function systemValues(input: ReturnType<typeof SystemInput.parse>): SqlValue[] {
  return [
    input.ref,
    input.name,
    input.purpose,
    input.ownerOrgId ?? null,
    input.operatorOrgId ?? null,
    input.phase,
    input.mode,
    input.userCount,
    input.minClearance ?? null,
    input.boundary,
    input.nextReview ?? null,
  ];
}

/** A system's levels per domain, replaced by those given. */
export function writeSystemLevels(
  db: Database,
  id: string,
  levels: readonly { domain: string; level: string }[],
): void {
  db.run('DELETE FROM system_levels WHERE system_id = ?', [id]);
  for (const l of levels) {
    db.run('INSERT INTO system_levels (system_id, domain, level) VALUES (?, ?, ?)', [
      id,
      l.domain,
      l.level,
    ]);
  }
}

export function insertSystem(
  db: Database,
  id: string,
  input: ReturnType<typeof SystemInput.parse>,
): void {
  const now = new Date().toISOString();
  db.run(
    `INSERT INTO systems (id, ${SYSTEM_COLUMNS.join(', ')}, created_at, updated_at) VALUES (${Array(
      SYSTEM_COLUMNS.length + 3,
    )
      .fill('?')
      .join(', ')})`,
    [id, ...systemValues(input), now, now],
  );
  writeSystemLevels(db, id, input.levels);
}

export function updateSystemRow(
  db: Database,
  id: string,
  input: ReturnType<typeof SystemInput.parse>,
): void {
  db.run(
    `UPDATE systems SET ${SYSTEM_COLUMNS.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
    [...systemValues(input), new Date().toISOString(), id],
  );
  writeSystemLevels(db, id, input.levels);
}

/** Whether a system other than `exceptId` has the reference. */
export function refTaken(db: Database, ref: string, exceptId = ''): boolean {
  return rows(db, 'SELECT 1 FROM systems WHERE ref = ? AND id <> ?', [ref, exceptId]).length > 0;
}

/** The systems matching a filter (unsorted), each with its levels. */
export function systems(db: Database, filter: SystemFilter) {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.search) {
    where.push(
      "(s.ref LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\' OR s.purpose LIKE ? ESCAPE '\\')",
    );
    const like = `%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    params.push(like, like, like);
  }
  if (filter.mode) {
    where.push('s.mode = ?');
    params.push(filter.mode);
  }
  if (filter.phase) {
    where.push('s.phase = ?');
    params.push(filter.phase);
  }
  if (filter.ownerOrgId) {
    where.push('s.owner_org_id = ?');
    params.push(filter.ownerOrgId);
  }
  if (filter.domain || filter.level) {
    const conds = ['l.system_id = s.id'];
    if (filter.domain) {
      conds.push('l.domain = ?');
      params.push(filter.domain);
    }
    if (filter.level) {
      conds.push('l.level = ?');
      params.push(filter.level);
    }
    where.push(`EXISTS (SELECT 1 FROM system_levels l WHERE ${conds.join(' AND ')})`);
  }
  const sql = `SELECT s.id, s.ref, s.name, s.phase, s.mode, s.owner_org_id, o.name AS owner, s.user_count, s.next_review,
      (SELECT group_concat(domain || '=' || level, ';') FROM system_levels WHERE system_id = s.id) AS levels
    FROM systems s LEFT JOIN organisations o ON o.id = s.owner_org_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  return rows(db, sql, params).map((r) => ({
    id: str(r.id),
    ref: str(r.ref),
    name: str(r.name),
    phase: str(r.phase) as SystemRow['phase'],
    mode: str(r.mode) as SystemRow['mode'],
    ownerOrgId: opt(r.owner_org_id),
    ownerName: opt(r.owner),
    levels: str(r.levels)
      .split(';')
      .filter(Boolean)
      .map((pair) => {
        const [domain, level] = pair.split('=');
        return { domain: domain as InfoDomain, level: level ?? '' };
      }),
    userCount: Number(r.user_count ?? 0),
    nextReview: opt(r.next_review),
  }));
}

/** One system's own row and levels, or null. */
export function system(db: Database, id: string) {
  const s = rows(db, 'SELECT * FROM systems WHERE id = ?', [id])[0];
  if (!s) {
    return null;
  }
  const levels = rows(
    db,
    'SELECT domain, level FROM system_levels WHERE system_id = ? ORDER BY domain',
    [id],
  ).map((r) => ({
    domain: str(r.domain) as InfoDomain,
    level: str(r.level),
  }));
  return {
    id,
    ref: str(s.ref),
    name: str(s.name),
    purpose: str(s.purpose),
    ownerOrgId: opt(s.owner_org_id),
    operatorOrgId: opt(s.operator_org_id),
    phase: str(s.phase) as SystemRow['phase'],
    mode: str(s.mode) as SystemRow['mode'],
    levels,
    userCount: Number(s.user_count ?? 0),
    minClearance: opt(s.min_clearance),
    boundary: str(s.boundary),
    nextReview: opt(s.next_review),
  };
}

// ---- sites, products, components, interconnections --------------------------------------------

/** A site row as lists and the system page show it. */
function siteOf(r: Record<string, SqlValue>) {
  return {
    id: str(r.id),
    name: str(r.name),
    address: str(r.address),
    areaClass: str(r.area_class),
    maxLevel: str(r.max_level),
    tempestZone: str(r.tempest_zone),
    lastInspection: opt(r.last_inspection),
    nextInspection: opt(r.next_inspection),
  };
}

export function sites(db: Database, includeRetired: boolean) {
  return rows(
    db,
    `SELECT * FROM sites ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY name`,
  ).map((r) => ({ ...siteOf(r), retiredAt: opt(r.retired_at) }));
}

/** The live sites a system is at: assigned, or where a live component of it stands. */
export function sitesOf(db: Database, systemId: string) {
  return rows(
    db,
    `SELECT si.* FROM sites si WHERE si.retired_at IS NULL AND (si.id IN (SELECT site_id FROM system_sites WHERE system_id = ?)
       OR si.id IN (SELECT site_id FROM components WHERE system_id = ? AND site_id IS NOT NULL AND retired_at IS NULL)) ORDER BY si.name`,
    [systemId, systemId],
  ).map(siteOf);
}

export function assignSite(db: Database, systemId: string, siteId: string): void {
  db.run('INSERT OR IGNORE INTO system_sites (system_id, site_id) VALUES (?, ?)', [
    systemId,
    siteId,
  ]);
}

export function unassignSite(db: Database, systemId: string, siteId: string): void {
  db.run('DELETE FROM system_sites WHERE system_id = ? AND site_id = ?', [systemId, siteId]);
}

/** Whether live components of the system stand at the site. */
export function componentsAt(db: Database, systemId: string, siteId: string): boolean {
  return (
    rows(
      db,
      'SELECT 1 FROM components WHERE system_id = ? AND site_id = ? AND retired_at IS NULL',
      [systemId, siteId],
    ).length > 0
  );
}

/** A component placed at a site puts its system there too. */
export function placeSystem(db: Database, input: ReturnType<typeof ComponentInput.parse>): void {
  if (input.siteId) {
    assignSite(db, input.systemId, input.siteId);
  }
}

export function products(db: Database, includeRetired: boolean) {
  return rows(
    db,
    `SELECT * FROM approved_products ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY kind, name`,
  ).map((r) => ({
    id: str(r.id),
    name: str(r.name),
    vendor: str(r.vendor),
    version: str(r.version),
    kind: str(r.kind),
    authority: str(r.authority),
    reference: str(r.reference),
    maxLevel: str(r.max_level),
    domain: str(r.domain) as InfoDomain,
    expiresOn: opt(r.expires_on),
    retiredAt: opt(r.retired_at),
  }));
}

/** Approved products by id, as the consistency rules read them. */
export function productsById(db: Database, ids: string[]) {
  return ids.length
    ? rows(
        db,
        `SELECT * FROM approved_products WHERE id IN (${ids.map(() => '?').join(',')})`,
        ids,
      ).map((r) => ({
        id: str(r.id),
        name: str(r.name),
        maxLevel: str(r.max_level),
        domain: str(r.domain) as InfoDomain,
        expiresOn: opt(r.expires_on),
      }))
    : [];
}

export function componentsOf(db: Database, systemId: string) {
  return rows(
    db,
    'SELECT * FROM components WHERE system_id = ? AND retired_at IS NULL ORDER BY kind, product',
    [systemId],
  ).map((r) => ({
    id: str(r.id),
    kind: str(r.kind),
    product: str(r.product),
    version: str(r.version),
    siteId: opt(r.site_id),
    level: str(r.level),
    tempestLevel: str(r.tempest_level),
    crypto: Number(r.crypto) === 1,
    approvedProductId: opt(r.approved_product_id),
  }));
}

export function interconnectionsOf(db: Database, systemId: string) {
  return rows(
    db,
    'SELECT i.*, p.ref AS peer_ref, p.name AS peer_system FROM interconnections i LEFT JOIN systems p ON p.id = i.peer_system_id WHERE i.system_id = ? AND i.retired_at IS NULL ORDER BY i.created_at',
    [systemId],
  ).map((r) => ({
    id: str(r.id),
    peerSystemId: opt(r.peer_system_id),
    peer: r.peer_ref ? `${str(r.peer_ref)} ${str(r.peer_system)}` : str(r.peer_name),
    peerName: str(r.peer_name),
    localLevel: str(r.local_level),
    peerLevel: str(r.peer_level),
    domain: str(r.domain) as InfoDomain,
    boundaryDevice: str(r.boundary_device),
    boundaryProductId: opt(r.boundary_product_id),
    direction: str(r.direction),
    approvalStatus: str(r.approval_status),
    validUntil: opt(r.valid_until),
  }));
}

/** The live people of a system, each with their role and clearances. */
export function peopleOf(db: Database, systemId: string) {
  const clearances = rows(
    db,
    `SELECT c.person_id, c.level, c.domain, c.expires_on FROM clearances c JOIN system_people sp ON sp.person_id = c.person_id WHERE sp.system_id = ?`,
    [systemId],
  );
  return rows(
    db,
    'SELECT p.id, p.name, sp.role FROM people p JOIN system_people sp ON sp.person_id = p.id WHERE sp.system_id = ? AND p.retired_at IS NULL ORDER BY p.name',
    [systemId],
  ).map((p) => ({
    id: str(p.id),
    name: str(p.name),
    role: str(p.role),
    clearances: clearances
      .filter((c) => c.person_id === p.id)
      .map((c) => ({
        level: str(c.level),
        domain: str(c.domain) as InfoDomain,
        expiresOn: str(c.expires_on),
      })),
  }));
}

/**
 * A system's trail, oldest first: its own rows and those of its components, interconnections and
 * sites (a site's correction changes what the system may hold).
 */
export function systemTrail(db: Database, systemId: string): Record<string, SqlValue>[] {
  const parts = [
    systemId,
    ...rows(
      db,
      `SELECT id FROM components WHERE system_id = ? UNION SELECT id FROM interconnections WHERE system_id = ?
       UNION SELECT site_id FROM system_sites WHERE system_id = ?`,
      [systemId, systemId, systemId],
    ).map((r) => str(r.id)),
  ];
  return rows(
    db,
    // Both columns of the (entity_type, entity_id) index, so the trail is not scanned whole.
    // Oldest first, all of it: what each entry was called then is read off the rows before.
    `SELECT seq, at, actor_name, action, entity_type, entity_id, changes FROM audit_log
     WHERE entity_type IN ('system', 'component', 'interconnection', 'site') AND entity_id IN (${parts
       .map(() => '?')
       .join(', ')}) ORDER BY seq`,
    parts,
  );
}

// ---- what the system page shows of its cases ---------------------------------------------------

/** The system's approval as it stands: the case that carries it, its decision and validity. */
export function approvalOf(db: Database, systemId: string) {
  const row = rows(
    db,
    `SELECT c.id AS case_id, c.ref AS case_ref, c.state, d.ref, d.type, d.valid_to, d.created_at,
       d.levels, d.sites, d.interconnections,
       (SELECT count(*) FROM cases o WHERE o.system_id = c.system_id AND o.id <> c.id
          AND o.type IN ('reaccreditation', 'significant_change')
          AND o.state IN (${UNDER_WAY.map((x) => `'${x}'`).join(', ')})) AS renewing
     FROM cases c JOIN decisions d ON d.case_id = c.id AND d.status = 'issued'
     WHERE c.system_id = ? AND c.state IN ('in_force', 'reaccreditation_due', 'suspended')
       AND d.type IN ('full_approval', 'interim_approval', 'approval_to_test', 'amendment')
     ORDER BY d.rowid DESC LIMIT 1`,
    [systemId],
  )[0];
  if (!row) {
    return null;
  }
  return {
    caseId: str(row.case_id),
    caseRef: str(row.case_ref),
    state: str(row.state) as CaseState,
    decisionRef: str(row.ref),
    decisionType: str(row.type) as DecisionType,
    validTo: opt(row.valid_to),
    issuedAt: str(row.created_at),
    renewing: Number(row.renewing) > 0,
    scope: {
      levels: JSON.parse(str(row.levels)) as SystemLevel[],
      sites: JSON.parse(str(row.sites)) as string[],
      interconnections: JSON.parse(str(row.interconnections)) as string[],
    },
  };
}

/** Findings and conditions of the system's cases still open past their due date. */
export function overdueOf(db: Database, systemId: string, day: string) {
  return rows(
    db,
    `SELECT f.id, f.kind, f.title, f.due_date, f.owner, c.id AS case_id, c.ref AS case_ref
     FROM findings f JOIN cases c ON c.id = f.case_id
     WHERE c.system_id = ? AND f.status IN ('open', 'in_progress') AND f.due_date < ?
     ORDER BY f.due_date`,
    [systemId, day],
  ).map((r) => ({
    id: str(r.id),
    kind: str(r.kind) as 'finding' | 'condition',
    title: str(r.title),
    dueDate: str(r.due_date),
    owner: str(r.owner),
    caseId: str(r.case_id),
    caseRef: str(r.case_ref),
  }));
}

// ---- what packages read and write -------------------------------------------------------------

/** A system's stored row as packages carry it, column by column, with its levels; or null. */
export function systemCells(db: Database, id: string) {
  const system = rows(db, 'SELECT * FROM systems WHERE id = ?', [id])[0];
  return system
    ? {
        system,
        levels: rows(db, 'SELECT domain, level FROM system_levels WHERE system_id = ?', [id]),
      }
    : null;
}

/** The levels this vault knows for a system (none when it does not know the system). */
export function levelsOf(db: Database, systemId: string): { domain: InfoDomain; level: string }[] {
  return rows(db, 'SELECT domain, level FROM system_levels WHERE system_id = ?', [systemId]).map(
    (l) => ({ domain: str(l.domain) as InfoDomain, level: str(l.level) }),
  );
}

/** A system a package brings, as its sender registered it (the owner's columns). */
export function insertSystemCells(
  db: Database,
  sys: {
    id: string;
    ref: string;
    name: string;
    purpose: string;
    phase: string;
    mode: string;
    user_count: number;
    min_clearance: string | null;
    boundary: string;
    next_review: string | null;
  },
  levels: readonly SystemLevel[],
  now: string,
): void {
  db.run(
    `INSERT INTO systems (id, ref, name, purpose, phase, mode, user_count, min_clearance, boundary, next_review, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      sys.id,
      sys.ref,
      sys.name,
      sys.purpose,
      sys.phase,
      sys.mode,
      sys.user_count,
      sys.min_clearance,
      sys.boundary,
      sys.next_review,
      now,
      now,
    ],
  );
  writeSystemLevels(db, sys.id, levels);
}

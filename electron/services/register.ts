/**
 * The register: organisations, people and clearances, systems with their levels per domain,
 * sites, approved products, components, interconnections and the security-authority records.
 * Every change goes through the vault's writer queue with its audit row; reads never mutate.
 * Level codes are checked against the classification scheme in force.
 *
 * Longer than 500 lines: the area's SQL, rules and use cases together, until the split by
 * capability into repository, domain and use cases.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import {
  ClassificationScheme,
  parseScheme,
  type InfoDomain,
  type Scheme,
} from '../../shared/classification';
import { AppError } from '../../shared/errors';
import {
  ComponentInput,
  InterconnectionInput,
  OrganisationInput,
  PersonInput,
  ProductInput,
  RecordClosing,
  RecordFilter,
  type EntityKind,
  type Retirable,
  RecordInput,
  SiteInput,
  SystemFilter,
  SystemInput,
  type RecordRow,
  type SystemRow,
} from '../../shared/register';
import { UNDER_WAY, type CaseState, type DecisionType } from '../../shared/lifecycle';
import { checkSystem, type Violation } from '../../shared/rules';
import { outsideApproval, type SystemLevel } from '../../shared/approval-scope';
import {
  closingSense,
  personSense,
  recordSense,
  siteSense,
  type SenseIssue,
} from '../../shared/sense';
import { optional, queryRows, text } from '../db/query';
import { partChanges } from '../db/audit';
import { namedRead } from '../vault/blobs';
import type { Vault } from '../vault/vault';
import { now as clockNow } from './clock';
import { refuseNonsense, senseToday } from './sense';

export const DEFAULT_SCHEME_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'resources',
  'classification',
  'default-scheme.json',
);

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

/** The largest file opened inside the app (evidence and attachments alike). */
export const PREVIEW_MAX_BYTES = 25 * 1024 * 1024;

const rows = queryRows;
const str = text;
const opt = optional;

/** Today's date (UTC) by the core's clock (./clock). */
export function today(now = clockNow()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A validation failure on one field; `key` names its translated text (shared/i18n/issues). */
function invalid(
  path: string,
  message: string,
  key?: string,
  params?: Record<string, string>,
): AppError {
  return new AppError('VALIDATION_FAILED', message, {
    issues: [{ path: path.split('.'), code: 'custom', message, ...(key ? { key, params } : {}) }],
  });
}

/**
 * The register's simple entities: each table's columns a user sets, and the input field each
 * comes from. One map serves create, update (with the audit's "from → to") and retire.
 */
const ENTITIES: Record<EntityKind, { table: string; columns: Record<string, string> }> = {
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
  record: {
    table: 'records',
    columns: {
      type: 'type',
      title: 'title',
      counterpart: 'counterpart',
      their_ref: 'theirRef',
      our_ref: 'ourRef',
      sent_on: 'sentOn',
      received_on: 'receivedOn',
      valid_from: 'validFrom',
      valid_to: 'validTo',
      follow_up_due: 'followUpDue',
      marking_level: 'markingLevel',
      marking_domain: 'markingDomain',
      status: 'status',
      notes: 'notes',
    },
  },
} as const;
/** An input value as SQLite stores it: absent is NULL, a flag is 0 or 1. */
function dbValue(value: unknown): SqlValue {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  return value as SqlValue;
}

function insertEntity(db: Database, kind: EntityKind, id: string, input: object): void {
  const { table, columns } = ENTITIES[kind];
  const names = Object.keys(columns);
  const now = clockNow().toISOString();
  db.run(
    `INSERT INTO ${table} (id, ${names.join(', ')}, created_at, updated_at) VALUES (${Array(
      names.length + 3,
    )
      .fill('?')
      .join(', ')})`,
    [
      id,
      ...Object.values(columns).map((key) => dbValue((input as Record<string, unknown>)[key])),
      now,
      now,
    ],
  );
}

/** What an update changes, field by field, as [from, to] (empty: nothing). */
function entityChanges(
  current: Record<string, SqlValue>,
  kind: EntityKind,
  input: object,
): Record<string, [SqlValue, SqlValue]> {
  const changes: Record<string, [SqlValue, SqlValue]> = {};
  for (const [column, key] of Object.entries(ENTITIES[kind].columns)) {
    const next = dbValue((input as Record<string, unknown>)[key]);
    const before = current[column] ?? null;
    if (before !== next) {
      changes[key] = [before, next];
    }
  }
  return changes;
}

function updateEntity(db: Database, kind: EntityKind, id: string, input: object): void {
  const { table, columns } = ENTITIES[kind];
  db.run(
    `UPDATE ${table} SET ${Object.keys(columns)
      .map((c) => `${c} = ?`)
      .join(', ')}, updated_at = ? WHERE id = ?`,
    [
      ...Object.values(columns).map((key) => dbValue((input as Record<string, unknown>)[key])),
      new Date().toISOString(),
      id,
    ],
  );
}

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

function writeSystemLevels(
  db: Database,
  id: string,
  input: ReturnType<typeof SystemInput.parse>,
): void {
  db.run('DELETE FROM system_levels WHERE system_id = ?', [id]);
  for (const l of input.levels) {
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
  writeSystemLevels(db, id, input);
}

export function insertPerson(
  db: Database,
  id: string,
  input: ReturnType<typeof PersonInput.parse>,
): void {
  insertEntity(db, 'person', id, input);
  writeClearances(db, id, input);
}

function writeClearances(db: Database, id: string, input: ReturnType<typeof PersonInput.parse>) {
  db.run('DELETE FROM clearances WHERE person_id = ?', [id]);
  for (const c of input.clearances) {
    db.run(
      'INSERT INTO clearances (id, person_id, level, domain, issuing_body, expires_on) VALUES (?, ?, ?, ?, ?, ?)',
      [randomUUID(), id, c.level, c.domain, c.issuingBody, c.expiresOn],
    );
  }
}

/** A component placed at a site puts its system there too. */
function placeSystem(db: Database, input: ReturnType<typeof ComponentInput.parse>): void {
  if (input.siteId) {
    db.run('INSERT OR IGNORE INTO system_sites (system_id, site_id) VALUES (?, ?)', [
      input.systemId,
      input.siteId,
    ]);
  }
}

function writeRecordSystems(
  db: Database,
  id: string,
  input: ReturnType<typeof RecordInput.parse>,
): void {
  db.run('DELETE FROM record_systems WHERE record_id = ?', [id]);
  for (const s of input.systemIds) {
    db.run('INSERT INTO record_systems (record_id, system_id) VALUES (?, ?)', [id, s]);
  }
}

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

export class RegisterService {
  constructor(private readonly vault: () => Vault) {}

  private get db(): Database {
    return this.vault().database;
  }

  // ---- classification scheme -------------------------------------------------------------

  scheme(): ClassificationScheme {
    return schemeOf(this.db);
  }

  /**
   * Replaces the scheme in force after validation; levels in use must remain, and every level it
   * keeps keeps its rank (round 20r: SECRET ranked above TOP SECRET let one accreditor approve a
   * TOP SECRET system alone, and the old scheme put back left the approval standing). Ranks decide
   * four eyes, markings and clearances: a scheme that orders the levels otherwise is another
   * vault's.
   */
  async importScheme(input: unknown): Promise<Scheme> {
    const parsed = parseScheme(input);
    if (!parsed.ok) {
      throw new AppError('VALIDATION_FAILED', 'The classification scheme is not valid', {
        issues: parsed.issues,
      });
    }
    const codes = new Set(parsed.scheme.levels.map((l) => l.code));
    const used = rows(
      this.db,
      `SELECT level AS code FROM system_levels UNION SELECT level FROM clearances UNION SELECT max_level FROM sites
       UNION SELECT level FROM components UNION SELECT max_level FROM approved_products
       UNION SELECT local_level FROM interconnections UNION SELECT peer_level FROM interconnections
       UNION SELECT json_extract(l.value, '$.level') FROM decisions d, json_each(d.levels) l`,
    ).map((r) => str(r.code));
    const missing = [...new Set(used)].filter((c) => !codes.has(c));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'The scheme drops levels that are in use', {
        issues: missing.map((code) => ({ path: ['levels'], message: `level ${code} is in use` })),
      });
    }
    const current = this.scheme();
    const known = ranksKnown(this.db, current);
    const moved = parsed.scheme.levels.filter((l) => {
      const was = known.get(l.code);
      return was !== undefined && was !== l.rank;
    });
    if (moved.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'The scheme changes the rank of a level', {
        issues: moved.map((l) => ({
          path: ['levels'],
          message: `level ${l.code} keeps its rank ${known.get(l.code)}`,
        })),
      });
    }
    const json = JSON.stringify(parsed.scheme);
    await this.vault().change(
      {
        action: 'scheme.import',
        entityType: 'classification_scheme',
        entityId: parsed.scheme.id,
        // The ranks of the scheme it replaces: a level dropped keeps its rank if it comes back.
        changes: {
          version: parsed.scheme.version,
          replaced: Object.fromEntries(current.levels.map((l) => [l.code, l.rank])),
        },
      },
      (db) =>
        db.run(
          'INSERT OR REPLACE INTO classification_scheme (id, json, updated_at) VALUES (1, ?, ?)',
          [json, new Date().toISOString()],
        ),
    );
    return parsed.scheme;
  }

  private checkLevel(code: string | null | undefined, path: string): void {
    if (code && !this.scheme().level(code)) {
      throw invalid(path, `unknown classification level ${code}`, 'unknownLevel', { code });
    }
  }

  private exists(table: string, id: string | null | undefined, path: string): void {
    if (id && rows(this.db, `SELECT 1 FROM ${table} WHERE id = ?`, [id]).length === 0) {
      throw invalid(path, 'refers to something that does not exist');
    }
  }

  /** Like exists, and the entry must not be retired (nothing new refers to a retired entry). */
  private active(table: string, id: string | null | undefined, path: string): void {
    this.exists(table, id, path);
    if (
      id &&
      rows(this.db, `SELECT 1 FROM ${table} WHERE id = ? AND retired_at IS NOT NULL`, [id]).length >
        0
    ) {
      throw invalid(path, 'refers to an entry that is retired');
    }
  }

  // ---- organisations and people -----------------------------------------------------------

  async createOrganisation(raw: unknown): Promise<string> {
    const input = OrganisationInput.parse(raw);
    const id = randomUUID();
    await this.vault().change(
      { action: 'organisation.create', entityType: 'organisation', entityId: id, changes: input },
      (db) => insertEntity(db, 'organisation', id, input),
    );
    return id;
  }

  listOrganisations(options: { includeRetired?: boolean } = {}) {
    return rows(
      this.db,
      `SELECT * FROM organisations ${options.includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY name`,
    ).map((r) => ({
      id: str(r.id),
      name: str(r.name),
      type: str(r.type),
      cvr: str(r.cvr),
      contact: str(r.contact),
      retiredAt: opt(r.retired_at),
    }));
  }

  async createPerson(raw: unknown): Promise<string> {
    const input = PersonInput.parse(raw);
    input.clearances.forEach((c, i) => this.checkLevel(c.level, `clearances.${i}.level`));
    this.exists('organisations', input.organisationId, 'organisationId');
    refuseNonsense(personSense(input, { today: senseToday() }));
    const id = randomUUID();
    await this.vault().change(
      { action: 'person.create', entityType: 'person', entityId: id, changes: input },
      (db) => insertPerson(db, id, input),
    );
    return id;
  }

  listPeople(options: { expiringWithinDays?: number; includeRetired?: boolean } = {}) {
    const people = rows(
      this.db,
      `SELECT p.id, p.name, p.email, p.briefed_on, p.organisation_id, p.retired_at, o.name AS org FROM people p
       LEFT JOIN organisations o ON o.id = p.organisation_id
       ${options.includeRetired ? '' : 'WHERE p.retired_at IS NULL'} ORDER BY p.name`,
    );
    const clearances = rows(
      this.db,
      'SELECT person_id, level, domain, issuing_body, expires_on FROM clearances ORDER BY expires_on',
    );
    const day = today();
    const horizon = addDays(day, options.expiringWithinDays ?? 90);
    const result = people.map((p) => {
      const mine = clearances
        .filter((c) => c.person_id === p.id)
        .map((c) => ({
          level: str(c.level),
          domain: str(c.domain) as InfoDomain,
          issuingBody: str(c.issuing_body),
          expiresOn: str(c.expires_on),
        }));
      return {
        id: str(p.id),
        name: str(p.name),
        organisation: opt(p.org),
        organisationId: opt(p.organisation_id),
        retiredAt: opt(p.retired_at),
        email: str(p.email),
        briefedOn: opt(p.briefed_on),
        clearances: mine,
        expired: mine.some((c) => c.expiresOn < day),
        expiringSoon: mine.some((c) => c.expiresOn >= day && c.expiresOn <= horizon),
      };
    });
    return options.expiringWithinDays === undefined
      ? result
      : result.filter((p) => p.expired || p.expiringSoon);
  }

  async assignPerson(systemId: string, personId: string, role: string): Promise<void> {
    this.exists('systems', systemId, 'systemId');
    this.active('people', personId, 'personId');
    await this.vault().change(
      {
        action: 'system.assignPerson',
        entityType: 'system',
        entityId: systemId,
        changes: { personId, role },
      },
      (db) =>
        db.run(
          'INSERT OR IGNORE INTO system_people (system_id, person_id, role) VALUES (?, ?, ?)',
          [systemId, personId, role],
        ),
    );
  }

  /** Ends a person's role on a system (the assignment leaves; the audit keeps it). */
  async unassignPerson(systemId: string, personId: string, role: string): Promise<void> {
    if (
      rows(
        this.db,
        'SELECT 1 FROM system_people WHERE system_id = ? AND person_id = ? AND role = ?',
        [systemId, personId, role],
      ).length === 0
    ) {
      throw new AppError('NOT_FOUND', 'No such assignment');
    }
    await this.vault().change(
      {
        action: 'system.unassignPerson',
        entityType: 'system',
        entityId: systemId,
        changes: { personId, role },
      },
      (db) =>
        db.run('DELETE FROM system_people WHERE system_id = ? AND person_id = ? AND role = ?', [
          systemId,
          personId,
          role,
        ]),
    );
  }

  // ---- systems -----------------------------------------------------------------------------

  private validateSystem(input: ReturnType<typeof SystemInput.parse>): void {
    input.levels.forEach((l, i) => this.checkLevel(l.level, `levels.${i}.level`));
    this.checkLevel(input.minClearance, 'minClearance');
    this.exists('organisations', input.ownerOrgId, 'ownerOrgId');
    this.exists('organisations', input.operatorOrgId, 'operatorOrgId');
  }

  async createSystem(raw: unknown): Promise<string> {
    const input = SystemInput.parse(raw);
    this.validateSystem(input);
    if (this.systemRefExists(input.ref)) {
      throw invalid('ref', `a system with reference ${input.ref} exists`, 'refTaken', {
        ref: input.ref,
      });
    }
    const id = randomUUID();
    await this.vault().change(
      { action: 'system.create', entityType: 'system', entityId: id, changes: input },
      (db) => insertSystem(db, id, input),
    );
    return id;
  }

  systemRefExists(ref: string): boolean {
    return rows(this.db, 'SELECT 1 FROM systems WHERE ref = ?', [ref]).length > 0;
  }

  organisationByName(name: string): string | null {
    const found = rows(this.db, 'SELECT id FROM organisations WHERE lower(name) = lower(?)', [
      name.trim(),
    ])[0];
    return found ? str(found.id) : null;
  }

  async updateSystem(id: string, raw: unknown): Promise<void> {
    const input = SystemInput.parse(raw);
    this.validateSystem(input);
    const before = this.getSystem(id).system;
    if (
      rows(this.db, 'SELECT 1 FROM systems WHERE ref = ? AND id <> ?', [input.ref, id]).length > 0
    ) {
      throw invalid('ref', `a system with reference ${input.ref} exists`, 'refTaken', {
        ref: input.ref,
      });
    }
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const old = (before as Record<string, unknown>)[key];
      if (JSON.stringify(old ?? null) !== JSON.stringify(value ?? null)) {
        changes[key] = [old ?? null, value ?? null];
      }
    }
    if (Object.keys(changes).length === 0) {
      return;
    }
    await this.vault().change(
      { action: 'system.update', entityType: 'system', entityId: id, changes },
      (db) => {
        db.run(
          `UPDATE systems SET ${SYSTEM_COLUMNS.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
          [...systemValues(input), new Date().toISOString(), id],
        );
        writeSystemLevels(db, id, input);
      },
    );
  }

  listSystems(raw: unknown = {}): SystemRow[] {
    const filter = SystemFilter.parse(raw);
    const scheme = this.scheme();
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
    const list: SystemRow[] = rows(this.db, sql, params).map((r) => {
      const levels = str(r.levels)
        .split(';')
        .filter(Boolean)
        .map((pair) => {
          const [domain, level] = pair.split('=');
          return { domain: domain as InfoDomain, level: level ?? '' };
        });
      return {
        id: str(r.id),
        ref: str(r.ref),
        name: str(r.name),
        phase: str(r.phase) as SystemRow['phase'],
        mode: str(r.mode) as SystemRow['mode'],
        ownerOrgId: opt(r.owner_org_id),
        ownerName: opt(r.owner),
        levels,
        topRank: Math.max(0, ...levels.map((l) => scheme.rank(l.level))),
        userCount: Number(r.user_count ?? 0),
        nextReview: opt(r.next_review),
      };
    });
    const key = filter.sort;
    const dir = filter.descending ? -1 : 1;
    list.sort((a, b) => {
      const av =
        key === 'level' ? a.topRank : key === 'nextReview' ? (a.nextReview ?? '9999') : a[key];
      const bv =
        key === 'level' ? b.topRank : key === 'nextReview' ? (b.nextReview ?? '9999') : b[key];
      return (av < bv ? -1 : av > bv ? 1 : a.ref.localeCompare(b.ref)) * dir;
    });
    return list;
  }

  /** A system with everything around it, and the consistency violations found in it. */
  getSystem(id: string) {
    const s = rows(this.db, 'SELECT * FROM systems WHERE id = ?', [id])[0];
    if (!s) {
      throw new AppError('NOT_FOUND', 'No such system');
    }
    const levels = rows(
      this.db,
      'SELECT domain, level FROM system_levels WHERE system_id = ? ORDER BY domain',
      [id],
    ).map((r) => ({
      domain: str(r.domain) as InfoDomain,
      level: str(r.level),
    }));
    const system = {
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
    const sites = rows(
      this.db,
      `SELECT si.* FROM sites si WHERE si.retired_at IS NULL AND (si.id IN (SELECT site_id FROM system_sites WHERE system_id = ?)
         OR si.id IN (SELECT site_id FROM components WHERE system_id = ? AND site_id IS NOT NULL AND retired_at IS NULL)) ORDER BY si.name`,
      [id, id],
    ).map(siteOf);
    const components = rows(
      this.db,
      'SELECT * FROM components WHERE system_id = ? AND retired_at IS NULL ORDER BY kind, product',
      [id],
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
    const interconnections = rows(
      this.db,
      'SELECT i.*, p.ref AS peer_ref, p.name AS peer_system FROM interconnections i LEFT JOIN systems p ON p.id = i.peer_system_id WHERE i.system_id = ? AND i.retired_at IS NULL ORDER BY i.created_at',
      [id],
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
    const productIds = [
      ...components.map((c) => c.approvedProductId),
      ...interconnections.map((i) => i.boundaryProductId),
    ].filter((x): x is string => x !== null);
    const products = productIds.length
      ? rows(
          this.db,
          `SELECT * FROM approved_products WHERE id IN (${productIds.map(() => '?').join(',')})`,
          productIds,
        ).map((r) => ({
          id: str(r.id),
          name: str(r.name),
          maxLevel: str(r.max_level),
          domain: str(r.domain) as InfoDomain,
          expiresOn: opt(r.expires_on),
        }))
      : [];
    const peopleRows = rows(
      this.db,
      'SELECT p.id, p.name, sp.role FROM people p JOIN system_people sp ON sp.person_id = p.id WHERE sp.system_id = ? AND p.retired_at IS NULL ORDER BY p.name',
      [id],
    );
    const clearances = rows(
      this.db,
      `SELECT c.person_id, c.level, c.domain, c.expires_on FROM clearances c JOIN system_people sp ON sp.person_id = c.person_id WHERE sp.system_id = ?`,
      [id],
    );
    const people = peopleRows.map((p) => ({
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
    const records = this.listRecords({ systemId: id });
    // The system's history: its own rows and those of its components, interconnections and
    // sites (a site's correction changes what the system may hold).
    const parts = [
      id,
      ...rows(
        this.db,
        `SELECT id FROM components WHERE system_id = ? UNION SELECT id FROM interconnections WHERE system_id = ?
         UNION SELECT site_id FROM system_sites WHERE system_id = ?`,
        [id, id, id],
      ).map((r) => str(r.id)),
    ];
    const history = historyAsItWas(
      rows(
        this.db,
        // Both columns of the (entity_type, entity_id) index, so the trail is not scanned whole.
        // Oldest first, all of it: what each entry was called then is read off the rows before.
        `SELECT seq, at, actor_name, action, entity_type, entity_id, changes FROM audit_log
         WHERE entity_type IN ('system', 'component', 'interconnection', 'site') AND entity_id IN (${parts
           .map(() => '?')
           .join(', ')}) ORDER BY seq`,
        parts,
      ),
    )
      .reverse()
      .slice(0, 200);
    const approval = this.approvalOf(id);
    // Findings and conditions of the system's cases that are still open past their due date.
    const overdue = rows(
      this.db,
      `SELECT f.id, f.kind, f.title, f.due_date, f.owner, c.id AS case_id, c.ref AS case_ref
       FROM findings f JOIN cases c ON c.id = f.case_id
       WHERE c.system_id = ? AND f.status IN ('open', 'in_progress') AND f.due_date < ?
       ORDER BY f.due_date`,
      [id, today()],
    ).map((r) => ({
      id: str(r.id),
      kind: str(r.kind) as 'finding' | 'condition',
      title: str(r.title),
      dueDate: str(r.due_date),
      owner: str(r.owner),
      caseId: str(r.case_id),
      caseRef: str(r.case_ref),
    }));
    const scheme = this.scheme();
    const violations: Violation[] = checkSystem(
      {
        system: { id, mode: system.mode, levels, minClearance: system.minClearance },
        sites: sites.map((x) => ({ id: x.id, name: x.name, maxLevel: x.maxLevel })),
        products,
        components,
        interconnections: interconnections.map((i) => ({ ...i })),
        people,
        today: today(),
      },
      scheme,
    );
    return {
      system,
      sites,
      components,
      interconnections,
      products,
      people,
      records,
      history,
      violations,
      approval,
      overdue,
      significantChanges: approval
        ? outsideApproval(approval.scope, { levels, sites, interconnections, components }, (l) =>
            scheme.rank(l),
          )
        : [],
    };
  }

  /** The system's approval as it stands: the case that carries it, its decision and validity. */
  private approvalOf(systemId: string) {
    const row = rows(
      this.db,
      `SELECT c.id AS case_id, c.ref AS case_ref, c.state, d.ref, d.type, d.valid_to, d.created_at,
         d.levels, d.sites, d.interconnections,
         (SELECT count(*) FROM cases o WHERE o.system_id = c.system_id AND o.id <> c.id
            AND o.type IN ('reaccreditation', 'significant_change')
            AND o.state IN (${UNDER_WAY.map((x) => `'${x}'`).join(', ')})) AS renewing
       FROM cases c JOIN decisions d ON d.case_id = c.id AND d.status = 'issued'
       WHERE c.system_id = ? AND c.state IN ('in_force', 'reaccreditation_due', 'suspended')
         AND d.type IN ('full_approval', 'interim_approval', 'approval_to_test', 'amendment')
       ORDER BY d.created_at DESC LIMIT 1`,
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

  // ---- sites, products, components, interconnections ---------------------------------------

  async createSite(raw: unknown, systemIds: string[] = []): Promise<string> {
    const input = SiteInput.parse(raw);
    this.checkLevel(input.maxLevel, 'maxLevel');
    systemIds.forEach((s) => this.exists('systems', s, 'systemIds'));
    refuseNonsense(siteSense(input, { today: senseToday() }));
    const id = randomUUID();
    await this.vault().change(
      { action: 'site.create', entityType: 'site', entityId: id, changes: input },
      (db) => {
        insertEntity(db, 'site', id, input);
        for (const s of systemIds) {
          db.run('INSERT INTO system_sites (system_id, site_id) VALUES (?, ?)', [s, id]);
        }
      },
    );
    return id;
  }

  async assignSite(systemId: string, siteId: string): Promise<void> {
    this.exists('systems', systemId, 'systemId');
    this.active('sites', siteId, 'siteId');
    await this.vault().change(
      {
        action: 'system.assignSite',
        entityType: 'system',
        entityId: systemId,
        changes: { siteId },
      },
      (db) =>
        db.run('INSERT OR IGNORE INTO system_sites (system_id, site_id) VALUES (?, ?)', [
          systemId,
          siteId,
        ]),
    );
  }

  /** Takes a site off a system (its components there must move first). */
  async unassignSite(systemId: string, siteId: string): Promise<void> {
    if (
      rows(
        this.db,
        'SELECT 1 FROM components WHERE system_id = ? AND site_id = ? AND retired_at IS NULL',
        [systemId, siteId],
      ).length > 0
    ) {
      throw invalid('siteId', 'components of the system are still at this site');
    }
    await this.vault().change(
      {
        action: 'system.unassignSite',
        entityType: 'system',
        entityId: systemId,
        changes: { siteId },
      },
      (db) =>
        db.run('DELETE FROM system_sites WHERE system_id = ? AND site_id = ?', [systemId, siteId]),
    );
  }

  async createProduct(raw: unknown): Promise<string> {
    const input = ProductInput.parse(raw);
    this.checkLevel(input.maxLevel, 'maxLevel');
    const id = randomUUID();
    await this.vault().change(
      { action: 'product.create', entityType: 'approved_product', entityId: id, changes: input },
      (db) => insertEntity(db, 'product', id, input),
    );
    return id;
  }

  listProducts(options: { includeRetired?: boolean } = {}) {
    return rows(
      this.db,
      `SELECT * FROM approved_products ${options.includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY kind, name`,
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

  listSites(options: { includeRetired?: boolean } = {}) {
    return rows(
      this.db,
      `SELECT * FROM sites ${options.includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY name`,
    ).map((r) => ({ ...siteOf(r), retiredAt: opt(r.retired_at) }));
  }

  private validateComponent(input: ReturnType<typeof ComponentInput.parse>): void {
    this.checkLevel(input.level, 'level');
    this.exists('systems', input.systemId, 'systemId');
    this.active('sites', input.siteId, 'siteId');
    this.active('approved_products', input.approvedProductId, 'approvedProductId');
  }

  async createComponent(raw: unknown): Promise<string> {
    const input = ComponentInput.parse(raw);
    this.validateComponent(input);
    const id = randomUUID();
    await this.vault().change(
      { action: 'component.create', entityType: 'component', entityId: id, changes: input },
      (db) => {
        insertEntity(db, 'component', id, input);
        placeSystem(db, input);
      },
    );
    return id;
  }

  private validateInterconnection(input: ReturnType<typeof InterconnectionInput.parse>): void {
    this.checkLevel(input.localLevel, 'localLevel');
    this.checkLevel(input.peerLevel, 'peerLevel');
    this.exists('systems', input.systemId, 'systemId');
    this.exists('systems', input.peerSystemId, 'peerSystemId');
    this.active('approved_products', input.boundaryProductId, 'boundaryProductId');
  }

  async createInterconnection(raw: unknown): Promise<string> {
    const input = InterconnectionInput.parse(raw);
    this.validateInterconnection(input);
    const id = randomUUID();
    await this.vault().change(
      {
        action: 'interconnection.create',
        entityType: 'interconnection',
        entityId: id,
        changes: input,
      },
      (db) => insertEntity(db, 'interconnection', id, input),
    );
    return id;
  }

  // ---- corrections: every entity edited, audited from → to, and retired rather than deleted ----

  /**
   * Corrects a register entry: the input is validated as at creation, the audit row names each
   * changed field with its old and new value, and nothing is written if nothing changed. A
   * component or interconnection stays with its system.
   */
  async update(kind: EntityKind, id: string, raw: unknown): Promise<boolean> {
    const { table } = ENTITIES[kind];
    const current = rows(this.db, `SELECT * FROM ${table} WHERE id = ?`, [id])[0];
    if (!current) {
      throw new AppError('NOT_FOUND', `No such ${kind}`);
    }
    const input = this.validated(kind, raw);
    if ('systemId' in input && input.systemId !== current.system_id) {
      throw invalid('systemId', 'stays with its system: retire it and add it to the other');
    }
    refuseNonsense(this.sense(kind, input, current));
    const changes: Record<string, unknown> = entityChanges(current, kind, input);
    const extra = this.extraChanges(kind, id, input);
    Object.assign(changes, extra);
    if (Object.keys(changes).length === 0) {
      return false;
    }
    await this.vault().change(
      { action: `${kind}.update`, entityType: kind, entityId: id, changes },
      (db) => {
        updateEntity(db, kind, id, input);
        if (kind === 'person') {
          writeClearances(db, id, input as ReturnType<typeof PersonInput.parse>);
        } else if (kind === 'record') {
          writeRecordSystems(db, id, input as ReturnType<typeof RecordInput.parse>);
        } else if (kind === 'component') {
          placeSystem(db, input as ReturnType<typeof ComponentInput.parse>);
        }
      },
    );
    return true;
  }

  /** The input for an entity, parsed and checked against the scheme and what it refers to. */
  private validated(kind: EntityKind, raw: unknown): object {
    switch (kind) {
      case 'organisation':
        return OrganisationInput.parse(raw);
      case 'person': {
        const input = PersonInput.parse(raw);
        input.clearances.forEach((c, i) => this.checkLevel(c.level, `clearances.${i}.level`));
        this.exists('organisations', input.organisationId, 'organisationId');
        return input;
      }
      case 'site': {
        const input = SiteInput.parse(raw);
        this.checkLevel(input.maxLevel, 'maxLevel');
        return input;
      }
      case 'product': {
        const input = ProductInput.parse(raw);
        this.checkLevel(input.maxLevel, 'maxLevel');
        return input;
      }
      case 'component': {
        const input = ComponentInput.parse(raw);
        this.validateComponent(input);
        return input;
      }
      case 'interconnection': {
        const input = InterconnectionInput.parse(raw);
        this.validateInterconnection(input);
        return input;
      }
      case 'record':
        return this.validateRecord(RecordInput.parse(raw));
    }
  }

  /**
   * The rules of sense an entry is held to (shared/sense.ts): a person's briefing and a site's
   * last inspection not in the future; a record's sending and receipt not in the future nor
   * after its closing, its follow-up not already past when it is set or moved. `current` is the
   * stored row of a correction.
   */
  private sense(kind: EntityKind, input: object, current?: Record<string, SqlValue>): SenseIssue[] {
    const today = senseToday();
    switch (kind) {
      case 'person':
        return personSense(input, { today });
      case 'site':
        return siteSense(input, { today });
      case 'record':
        return recordSense(input, {
          today,
          ...(current
            ? {
                before: {
                  followUpDue: opt(current.follow_up_due),
                  closedOn: opt(current.closed_on),
                },
              }
            : {}),
        });
      default:
        return [];
    }
  }

  /** Changes outside the entity's own row: a person's clearances, a record's systems. */
  private extraChanges(kind: EntityKind, id: string, input: object): Record<string, unknown> {
    const compare = (key: string, before: unknown, after: unknown) =>
      JSON.stringify(before) === JSON.stringify(after) ? {} : { [key]: [before, after] };
    if (kind === 'person') {
      const before = rows(
        this.db,
        'SELECT level, domain, issuing_body, expires_on FROM clearances WHERE person_id = ? ORDER BY expires_on, level',
        [id],
      ).map((c) => `${str(c.domain)} ${str(c.level)} ${str(c.issuing_body)} ${str(c.expires_on)}`);
      const after = (input as ReturnType<typeof PersonInput.parse>).clearances
        .map((c) => `${c.domain} ${c.level} ${c.issuingBody} ${c.expiresOn}`)
        .sort((a, b) => a.split(' ').at(-1)!.localeCompare(b.split(' ').at(-1)!));
      return compare('clearances', before, after);
    }
    if (kind === 'record') {
      const before = rows(
        this.db,
        'SELECT system_id FROM record_systems WHERE record_id = ? ORDER BY system_id',
        [id],
      ).map((r) => str(r.system_id));
      const after = [...(input as ReturnType<typeof RecordInput.parse>).systemIds].sort();
      return compare('systemIds', before, after);
    }
    return {};
  }

  /**
   * Retires an entry (or brings it back): it leaves the lists, pickers and consistency rules but
   * stays in the register's history and in every dossier that cited it.
   */
  async retire(kind: Retirable, id: string, retired = true): Promise<void> {
    const { table } = ENTITIES[kind];
    const current = rows(this.db, `SELECT retired_at FROM ${table} WHERE id = ?`, [id])[0];
    if (!current) {
      throw new AppError('NOT_FOUND', `No such ${kind}`);
    }
    if ((current.retired_at !== null) === retired) {
      return;
    }
    const at = retired ? new Date().toISOString() : null;
    await this.vault().change(
      {
        action: retired ? `${kind}.retire` : `${kind}.reinstate`,
        entityType: kind,
        entityId: id,
        changes: { retiredAt: [current.retired_at ?? null, at] },
      },
      (db) =>
        db.run(`UPDATE ${table} SET retired_at = ?, updated_at = ? WHERE id = ?`, [
          at,
          new Date().toISOString(),
          id,
        ]),
    );
  }

  // ---- security-authority records ------------------------------------------------------------

  private validateRecord(input: ReturnType<typeof RecordInput.parse>) {
    this.checkLevel(input.markingLevel, 'markingLevel');
    input.systemIds.forEach((s, i) => this.exists('systems', s, `systemIds.${i}`));
    return input;
  }

  async createRecord(raw: unknown): Promise<string> {
    const input = this.validateRecord(RecordInput.parse(raw));
    refuseNonsense(this.sense('record', input));
    const id = randomUUID();
    await this.vault().change(
      { action: 'record.create', entityType: 'record', entityId: id, changes: input },
      (db) => {
        insertEntity(db, 'record', id, input);
        writeRecordSystems(db, id, input);
      },
    );
    return id;
  }

  /** Closes a record with its outcome (what came of it) and the day it closed. */
  async closeRecord(id: string, raw: unknown): Promise<void> {
    const { outcome, closedOn } = RecordClosing.parse(raw);
    const current = rows(
      this.db,
      'SELECT status, outcome, closed_on, sent_on, received_on FROM records WHERE id = ?',
      [id],
    )[0];
    if (!current) {
      throw new AppError('NOT_FOUND', 'No such record');
    }
    // Not on a day still to come, nor before the record was sent or received.
    refuseNonsense(
      closingSense(
        { closedOn },
        { today: senseToday(), sentOn: opt(current.sent_on), receivedOn: opt(current.received_on) },
      ),
    );
    await this.vault().change(
      {
        action: 'record.close',
        entityType: 'record',
        entityId: id,
        changes: {
          status: [current.status, 'closed'],
          outcome: [current.outcome, outcome],
          closedOn: [current.closed_on, closedOn],
        },
      },
      (db) =>
        db.run(
          "UPDATE records SET status = 'closed', outcome = ?, closed_on = ?, follow_up_due = NULL, updated_at = ? WHERE id = ?",
          [outcome, closedOn, new Date().toISOString(), id],
        ),
    );
  }

  /** Attaches a stored blob to a record (audited). */
  async attachToRecord(
    recordId: string,
    blob: { address: string; name: string; sha256: string; size: number },
  ): Promise<void> {
    this.exists('records', recordId, 'recordId');
    const name = blob.name.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255) || 'file';
    await this.vault().change(
      {
        action: 'record.attach',
        entityType: 'record',
        entityId: recordId,
        changes: { name, sha256: blob.sha256, size: blob.size },
      },
      (db) =>
        db.run(
          'INSERT OR REPLACE INTO record_attachments (record_id, blob_address, name, sha256, size, added_at) VALUES (?, ?, ?, ?, ?, ?)',
          [recordId, blob.address, name, blob.sha256, blob.size, new Date().toISOString()],
        ),
    );
  }

  /** An attachment's bytes, to open it inside the app (the same size limit as evidence). */
  async attachmentContent(recordId: string, address: string, maxBytes = PREVIEW_MAX_BYTES) {
    const row = rows(
      this.db,
      'SELECT name, size FROM record_attachments WHERE record_id = ? AND blob_address = ?',
      [recordId, address],
    )[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such attachment');
    }
    if (Number(row.size) > maxBytes) {
      throw new AppError('PREVIEW_TOO_LARGE', 'The file is too large to preview', {
        size: Number(row.size),
      });
    }
    return {
      fileName: str(row.name),
      data: await buffer(namedRead(this.vault().blobs.read(address), address, str(row.name))),
    };
  }

  listAttachments(recordId: string) {
    return rows(
      this.db,
      'SELECT blob_address, name, sha256, size, added_at FROM record_attachments WHERE record_id = ? ORDER BY added_at',
      [recordId],
    ).map((r) => ({
      address: str(r.blob_address),
      name: str(r.name),
      sha256: str(r.sha256),
      size: Number(r.size),
      addedAt: str(r.added_at),
    }));
  }

  listRecords(raw: unknown = {}, day = today()): RecordRow[] {
    const filter = RecordFilter.parse(raw);
    const { where, params } = this.recordWhere(filter, day);
    const sql = `SELECT r.*, (SELECT group_concat(system_id, ';') FROM record_systems WHERE record_id = r.id) AS systems,
        (SELECT count(*) FROM record_attachments WHERE record_id = r.id) AS attachments
      FROM records r ${where}
      ORDER BY COALESCE(r.follow_up_due, '9999-12-31'), r.title
      ${filter.limit ? 'LIMIT ?' : ''}`;
    return rows(this.db, sql, filter.limit ? [...params, filter.limit] : params).map((r) => ({
      id: str(r.id),
      type: str(r.type) as RecordRow['type'],
      title: str(r.title),
      counterpart: str(r.counterpart),
      theirRef: str(r.their_ref),
      ourRef: str(r.our_ref),
      sentOn: opt(r.sent_on),
      receivedOn: opt(r.received_on),
      validFrom: opt(r.valid_from),
      validTo: opt(r.valid_to),
      followUpDue: opt(r.follow_up_due),
      markingLevel: opt(r.marking_level),
      markingDomain: opt(r.marking_domain) as InfoDomain | null,
      status: str(r.status) as RecordRow['status'],
      notes: str(r.notes),
      systemIds: str(r.systems).split(';').filter(Boolean),
      attachments: Number(r.attachments ?? 0),
      overdue: str(r.status) !== 'closed' && r.follow_up_due !== null && str(r.follow_up_due) < day,
      outcome: str(r.outcome),
      closedOn: opt(r.closed_on),
    }));
  }

  /** How many records match the filter (its `limit` aside). */
  countRecords(raw: unknown = {}, day = today()): number {
    const { where, params } = this.recordWhere(RecordFilter.parse(raw), day);
    return Number(rows(this.db, `SELECT count(*) AS n FROM records r ${where}`, params)[0]?.n ?? 0);
  }

  private recordWhere(filter: RecordFilter, day: string): { where: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.type) {
      where.push('r.type = ?');
      params.push(filter.type);
    }
    if (filter.status) {
      where.push('r.status = ?');
      params.push(filter.status);
    }
    if (filter.systemId) {
      where.push(
        'EXISTS (SELECT 1 FROM record_systems x WHERE x.record_id = r.id AND x.system_id = ?)',
      );
      params.push(filter.systemId);
    }
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      where.push(
        "(r.title LIKE ? ESCAPE '\\' OR r.counterpart LIKE ? ESCAPE '\\' OR r.their_ref LIKE ? ESCAPE '\\' OR r.our_ref LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like, like);
    }
    if (filter.dueWithinDays !== undefined) {
      where.push("r.status <> 'closed' AND r.follow_up_due IS NOT NULL AND r.follow_up_due <= ?");
      params.push(addDays(day, filter.dueWithinDays));
    }
    if (filter.id) {
      where.push('r.id = ?');
      params.push(filter.id);
    }
    return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }
}

/** The field(s) a register entry is called by, per kind (a system by its reference and name). */
const LABEL_FIELDS: Record<string, string[]> = {
  system: ['ref', 'name'],
  site: ['name'],
  component: ['product'],
  interconnection: ['peerSystemId', 'peerName'],
};

/**
 * A register entry's history as it was: each row with its change, the names it kept of the
 * entries it refers to (null on rows written before names were kept), and what its own entry
 * was called at that moment, read off the entry's earlier rows (its creation, its corrections).
 * Rows oldest first, as the trail holds them.
 */
export function historyAsItWas(trail: Record<string, SqlValue>[]) {
  const labels = new Map<string, Record<string, string>>();
  return trail.map((r) => {
    const type = str(r.entity_type);
    const entityId = str(r.entity_id);
    const action = str(r.action);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(str(r.changes)) as Record<string, unknown>;
    } catch {
      // an unreadable payload shows no changes (and breaks the chain, which says so)
    }
    const { changes, names } = partChanges(parsed);
    const fields = labels.get(entityId) ?? {};
    for (const field of LABEL_FIELDS[type] ?? []) {
      const v = changes[field];
      // A creation records values; a correction records [old, new].
      const after: unknown =
        !action.endsWith('.create') && Array.isArray(v) && v.length === 2 ? (v as unknown[])[1] : v;
      if (field === 'peerSystemId' && field in changes) {
        // Another system of the register: by its name then, when the row kept it.
        fields[field] = typeof after === 'string' ? (names?.[after] ?? '') : '';
      } else if (typeof after === 'string') {
        fields[field] = after;
      }
    }
    labels.set(entityId, fields);
    const label =
      type === 'interconnection'
        ? fields.peerSystemId || fields.peerName || ''
        : (LABEL_FIELDS[type] ?? [])
            .map((f) => fields[f] ?? '')
            .filter((x) => x !== '')
            .join(' ');
    return {
      seq: Number(r.seq),
      at: str(r.at),
      actor: str(r.actor_name),
      action,
      entityType: type,
      entityId,
      /** What the entry was called when the row was written, if the trail says. */
      entityName: label === '' ? null : label,
      changes: JSON.stringify(changes),
      names,
    };
  });
}

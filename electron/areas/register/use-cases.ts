/**
 * The register: organisations, people and clearances, systems with their levels per domain,
 * sites, approved products, components and interconnections, and the classification scheme their
 * levels are checked against. One method per thing a user does; every change goes through the
 * vault's writer queue with its audit row; reads never mutate. The SQL is the repository's
 * (./repository.ts); the rules of consistency and sense are shared/ (rules.ts, sense.ts).
 *
 * Longer than 500 lines: one method per user intention over eight kinds of entry and the scheme,
 * each with the validation it owes; the SQL, the history and the CSV import live beside it.
 */
import { randomUUID } from 'node:crypto';
import type { Database, SqlValue } from 'sql.js';
import {
  parseScheme,
  type ClassificationScheme,
  type Scheme,
} from '../../../shared/classification';
import { AppError } from '../../../shared/errors';
import {
  ComponentInput,
  InterconnectionInput,
  OrganisationInput,
  PersonInput,
  ProductInput,
  SiteInput,
  SystemFilter,
  SystemInput,
  type Retirable,
  type SystemRow,
} from '../../../shared/register';
import { checkSystem, type Violation } from '../../../shared/rules';
import { outsideApproval } from '../../../shared/approval-scope';
import { addDays } from '../../../shared/days';
import { personSense, siteSense, type SenseIssue } from '../../../shared/sense';
import type { Vault } from '../../vault/vault';
import { today } from '../../services/clock';
import { refuseNonsense, senseToday } from '../../services/sense';
import { entityChanges, insertEntity, invalidField, updateEntity } from '../entities';
import { historyAsItWas } from './history';
import * as repo from './repository';
import type { Referenced, RegisterKind } from './repository';

export { defaultScheme, DEFAULT_SCHEME_FILE } from './repository';
export type { RegisterKind } from './repository';

/** The largest file opened inside the app (evidence and attachments alike). */
export const PREVIEW_MAX_BYTES = 25 * 1024 * 1024;

export class RegisterService {
  constructor(private readonly vault: () => Vault) {}

  private get db(): Database {
    return this.vault().database;
  }

  // ---- classification scheme -------------------------------------------------------------

  scheme(): ClassificationScheme {
    return repo.schemeOf(this.db);
  }

  /**
   * The rank of every level this vault's schemes have held (a level the scheme in force dropped
   * ranks as the scheme that had it ranked it): what four eyes ranks levels by.
   */
  ranksKnown(): Map<string, number> {
    return repo.ranksKnown(this.db, this.scheme());
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
    const missing = [...new Set(repo.levelsInUse(this.db))].filter((c) => !codes.has(c));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'The scheme drops levels that are in use', {
        issues: missing.map((code) => ({ path: ['levels'], message: `level ${code} is in use` })),
      });
    }
    const current = this.scheme();
    const known = repo.ranksKnown(this.db, current);
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
      (db) => repo.storeScheme(db, parsed.scheme),
    );
    return parsed.scheme;
  }

  /** Refuses a level code the scheme in force does not know. */
  checkLevel(code: string | null | undefined, path: string): void {
    if (code && !this.scheme().level(code)) {
      throw invalidField(path, `unknown classification level ${code}`, 'unknownLevel', { code });
    }
  }

  /** Refuses a reference to an entry that does not exist. */
  mustExist(table: Referenced, id: string | null | undefined, path: string): void {
    if (id && !repo.exists(this.db, table, id)) {
      throw invalidField(path, 'refers to something that does not exist');
    }
  }

  /** Like mustExist, and the entry must not be retired (nothing new refers to a retired entry). */
  private active(table: Referenced, id: string | null | undefined, path: string): void {
    this.mustExist(table, id, path);
    if (id && repo.isRetired(this.db, table, id)) {
      throw invalidField(path, 'refers to an entry that is retired');
    }
  }

  // ---- organisations and people -----------------------------------------------------------

  async createOrganisation(raw: unknown): Promise<string> {
    const input = OrganisationInput.parse(raw);
    const id = randomUUID();
    await this.vault().change(
      { action: 'organisation.create', entityType: 'organisation', entityId: id, changes: input },
      (db) => insertEntity(db, repo.ENTITIES.organisation, id, input),
    );
    return id;
  }

  listOrganisations(options: { includeRetired?: boolean } = {}) {
    return repo.organisations(this.db, options.includeRetired === true);
  }

  async createPerson(raw: unknown): Promise<string> {
    const input = PersonInput.parse(raw);
    input.clearances.forEach((c, i) => this.checkLevel(c.level, `clearances.${i}.level`));
    this.mustExist('organisations', input.organisationId, 'organisationId');
    refuseNonsense(personSense(input, { today: senseToday() }));
    const id = randomUUID();
    await this.vault().change(
      { action: 'person.create', entityType: 'person', entityId: id, changes: input },
      (db) => repo.insertPerson(db, id, input),
    );
    return id;
  }

  listPeople(options: { expiringWithinDays?: number; includeRetired?: boolean } = {}) {
    const day = today();
    const horizon = addDays(day, options.expiringWithinDays ?? 90);
    const result = repo.people(this.db, options.includeRetired === true).map((p) => ({
      ...p,
      expired: p.clearances.some((c) => c.expiresOn < day),
      expiringSoon: p.clearances.some((c) => c.expiresOn >= day && c.expiresOn <= horizon),
    }));
    return options.expiringWithinDays === undefined
      ? result
      : result.filter((p) => p.expired || p.expiringSoon);
  }

  async assignPerson(systemId: string, personId: string, role: string): Promise<void> {
    this.mustExist('systems', systemId, 'systemId');
    this.active('people', personId, 'personId');
    await this.vault().change(
      {
        action: 'system.assignPerson',
        entityType: 'system',
        entityId: systemId,
        changes: { personId, role },
      },
      (db) => repo.assign(db, systemId, personId, role),
    );
  }

  /** Ends a person's role on a system (the assignment leaves; the audit keeps it). */
  async unassignPerson(systemId: string, personId: string, role: string): Promise<void> {
    if (!repo.isAssigned(this.db, systemId, personId, role)) {
      throw new AppError('NOT_FOUND', 'No such assignment');
    }
    await this.vault().change(
      {
        action: 'system.unassignPerson',
        entityType: 'system',
        entityId: systemId,
        changes: { personId, role },
      },
      (db) => repo.unassign(db, systemId, personId, role),
    );
  }

  // ---- systems -----------------------------------------------------------------------------

  private validateSystem(input: ReturnType<typeof SystemInput.parse>): void {
    input.levels.forEach((l, i) => this.checkLevel(l.level, `levels.${i}.level`));
    this.checkLevel(input.minClearance, 'minClearance');
    this.mustExist('organisations', input.ownerOrgId, 'ownerOrgId');
    this.mustExist('organisations', input.operatorOrgId, 'operatorOrgId');
  }

  async createSystem(raw: unknown): Promise<string> {
    const input = SystemInput.parse(raw);
    this.validateSystem(input);
    if (this.systemRefExists(input.ref)) {
      throw invalidField('ref', `a system with reference ${input.ref} exists`, 'refTaken', {
        ref: input.ref,
      });
    }
    const id = randomUUID();
    await this.vault().change(
      { action: 'system.create', entityType: 'system', entityId: id, changes: input },
      (db) => repo.insertSystem(db, id, input),
    );
    return id;
  }

  systemRefExists(ref: string): boolean {
    return repo.refTaken(this.db, ref);
  }

  organisationByName(name: string): string | null {
    return repo.organisationByName(this.db, name);
  }

  async updateSystem(id: string, raw: unknown): Promise<void> {
    const input = SystemInput.parse(raw);
    this.validateSystem(input);
    const before = this.getSystem(id).system;
    if (repo.refTaken(this.db, input.ref, id)) {
      throw invalidField('ref', `a system with reference ${input.ref} exists`, 'refTaken', {
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
      (db) => repo.updateSystemRow(db, id, input),
    );
  }

  listSystems(raw: unknown = {}): SystemRow[] {
    const filter = SystemFilter.parse(raw);
    const scheme = this.scheme();
    const list: SystemRow[] = repo.systems(this.db, filter).map((s) => ({
      ...s,
      topRank: Math.max(0, ...s.levels.map((l) => scheme.rank(l.level))),
    }));
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

  /**
   * A system with everything around it, the consistency violations found in it, the approval it
   * stands on and what has changed outside that approval. (Its records are the records area's.)
   */
  getSystem(id: string) {
    const system = repo.system(this.db, id);
    if (!system) {
      throw new AppError('NOT_FOUND', 'No such system');
    }
    const { levels } = system;
    const sites = repo.sitesOf(this.db, id);
    const components = repo.componentsOf(this.db, id);
    const interconnections = repo.interconnectionsOf(this.db, id);
    const products = repo.productsById(
      this.db,
      [
        ...components.map((c) => c.approvedProductId),
        ...interconnections.map((i) => i.boundaryProductId),
      ].filter((x): x is string => x !== null),
    );
    const people = repo.peopleOf(this.db, id);
    const history = historyAsItWas(repo.systemTrail(this.db, id)).reverse().slice(0, 200);
    const approval = repo.approvalOf(this.db, id);
    const overdue = repo.overdueOf(this.db, id, today());
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

  // ---- sites, products, components, interconnections ---------------------------------------

  async createSite(raw: unknown, systemIds: string[] = []): Promise<string> {
    const input = SiteInput.parse(raw);
    this.checkLevel(input.maxLevel, 'maxLevel');
    systemIds.forEach((s) => this.mustExist('systems', s, 'systemIds'));
    refuseNonsense(siteSense(input, { today: senseToday() }));
    const id = randomUUID();
    await this.vault().change(
      { action: 'site.create', entityType: 'site', entityId: id, changes: input },
      (db) => {
        insertEntity(db, repo.ENTITIES.site, id, input);
        for (const s of systemIds) {
          repo.assignSite(db, s, id);
        }
      },
    );
    return id;
  }

  async assignSite(systemId: string, siteId: string): Promise<void> {
    this.mustExist('systems', systemId, 'systemId');
    this.active('sites', siteId, 'siteId');
    await this.vault().change(
      {
        action: 'system.assignSite',
        entityType: 'system',
        entityId: systemId,
        changes: { siteId },
      },
      (db) => repo.assignSite(db, systemId, siteId),
    );
  }

  /** Takes a site off a system (its components there must move first). */
  async unassignSite(systemId: string, siteId: string): Promise<void> {
    if (repo.componentsAt(this.db, systemId, siteId)) {
      throw invalidField('siteId', 'components of the system are still at this site');
    }
    await this.vault().change(
      {
        action: 'system.unassignSite',
        entityType: 'system',
        entityId: systemId,
        changes: { siteId },
      },
      (db) => repo.unassignSite(db, systemId, siteId),
    );
  }

  async createProduct(raw: unknown): Promise<string> {
    const input = ProductInput.parse(raw);
    this.checkLevel(input.maxLevel, 'maxLevel');
    const id = randomUUID();
    await this.vault().change(
      { action: 'product.create', entityType: 'approved_product', entityId: id, changes: input },
      (db) => insertEntity(db, repo.ENTITIES.product, id, input),
    );
    return id;
  }

  listProducts(options: { includeRetired?: boolean } = {}) {
    return repo.products(this.db, options.includeRetired === true);
  }

  listSites(options: { includeRetired?: boolean } = {}) {
    return repo.sites(this.db, options.includeRetired === true);
  }

  private validateComponent(input: ReturnType<typeof ComponentInput.parse>): void {
    this.checkLevel(input.level, 'level');
    this.mustExist('systems', input.systemId, 'systemId');
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
        insertEntity(db, repo.ENTITIES.component, id, input);
        repo.placeSystem(db, input);
      },
    );
    return id;
  }

  private validateInterconnection(input: ReturnType<typeof InterconnectionInput.parse>): void {
    this.checkLevel(input.localLevel, 'localLevel');
    this.checkLevel(input.peerLevel, 'peerLevel');
    this.mustExist('systems', input.systemId, 'systemId');
    this.mustExist('systems', input.peerSystemId, 'peerSystemId');
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
      (db) => insertEntity(db, repo.ENTITIES.interconnection, id, input),
    );
    return id;
  }

  // ---- corrections: every entity edited, audited from → to, and retired rather than deleted ----

  /**
   * Corrects a register entry: the input is validated as at creation, the audit row names each
   * changed field with its old and new value, and nothing is written if nothing changed. A
   * component or interconnection stays with its system. (A record is corrected by the records
   * area.)
   */
  async update(kind: RegisterKind, id: string, raw: unknown): Promise<boolean> {
    const current = repo.entryRow(this.db, kind, id);
    if (!current) {
      throw new AppError('NOT_FOUND', `No such ${kind}`);
    }
    const input = this.validated(kind, raw);
    if ('systemId' in input && input.systemId !== current.system_id) {
      throw invalidField('systemId', 'stays with its system: retire it and add it to the other');
    }
    refuseNonsense(this.sense(kind, input));
    const changes: Record<string, unknown> = entityChanges(current, repo.ENTITIES[kind], input);
    if (kind === 'person') {
      const before = repo.clearanceLines(this.db, id);
      const after = (input as ReturnType<typeof PersonInput.parse>).clearances
        .map((c) => `${c.domain} ${c.level} ${c.issuingBody} ${c.expiresOn}`)
        .sort((a, b) => a.split(' ').at(-1)!.localeCompare(b.split(' ').at(-1)!));
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        changes.clearances = [before, after];
      }
    }
    if (Object.keys(changes).length === 0) {
      return false;
    }
    await this.vault().change(
      { action: `${kind}.update`, entityType: kind, entityId: id, changes },
      (db) => {
        updateEntity(db, repo.ENTITIES[kind], id, input);
        if (kind === 'person') {
          repo.writeClearances(db, id, input as ReturnType<typeof PersonInput.parse>);
        } else if (kind === 'component') {
          repo.placeSystem(db, input as ReturnType<typeof ComponentInput.parse>);
        }
      },
    );
    return true;
  }

  /** The input for an entry, parsed and checked against the scheme and what it refers to. */
  private validated(kind: RegisterKind, raw: unknown): object {
    switch (kind) {
      case 'organisation':
        return OrganisationInput.parse(raw);
      case 'person': {
        const input = PersonInput.parse(raw);
        input.clearances.forEach((c, i) => this.checkLevel(c.level, `clearances.${i}.level`));
        this.mustExist('organisations', input.organisationId, 'organisationId');
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
    }
  }

  /**
   * The rules of sense an entry is held to (shared/sense.ts): a person's briefing and a site's
   * last inspection not in the future.
   */
  private sense(kind: RegisterKind, input: object): SenseIssue[] {
    const today = senseToday();
    switch (kind) {
      case 'person':
        return personSense(input, { today });
      case 'site':
        return siteSense(input, { today });
      default:
        return [];
    }
  }

  /**
   * Retires an entry (or brings it back): it leaves the lists, pickers and consistency rules but
   * stays in the register's history and in every dossier that cited it.
   */
  async retire(kind: Retirable, id: string, retired = true): Promise<void> {
    const current = repo.entryRow(this.db, kind, id);
    if (!current) {
      throw new AppError('NOT_FOUND', `No such ${kind}`);
    }
    if ((current.retired_at !== null) === retired) {
      return;
    }
    const at = retired ? new Date().toISOString() : null;
    const was: SqlValue = current.retired_at ?? null;
    await this.vault().change(
      {
        action: retired ? `${kind}.retire` : `${kind}.reinstate`,
        entityType: kind,
        entityId: id,
        changes: { retiredAt: [was, at] },
      },
      (db) => repo.setRetired(db, kind, id, at),
    );
  }
}

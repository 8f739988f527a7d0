/**
 * Requirement catalogues: the shipped baseline (stored in the vault on first use), versions
 * imported (validated; an existing id and version refused) with what changed, the catalogue a new
 * case uses, which requirements apply to a system, and whether a catalogue a package brings is
 * one this vault already holds.
 */
import canonicalize from 'canonicalize';
import {
  applicableRequirements,
  diffCatalogues,
  parseCatalogue,
  type Catalogue,
  type CatalogueDiff,
  type Requirement,
  type SystemProfile,
} from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../signing/hash';
import type { Vault } from '../../vault/vault';
import type { RegisterService } from '../register/use-cases';
import * as repo from './repository';

export { BASELINE_FILE, shippedBaseline } from './repository';

/**
 * A catalogue's content hash: the SHA-256 of its canonical JSON (RFC 8785) as this vault parses
 * it. Two copies with the same hash are the same catalogue, whatever their bytes on the way.
 */
export function catalogueSha256(catalogue: Catalogue): string {
  return sha256Hex(canonicalize(catalogue) ?? '');
}

export class CatalogueService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
  ) {}

  private get db() {
    return this.vault().database;
  }

  /** One version of a catalogue this vault holds (null: none). */
  stored(id: string, version: string): Catalogue | null {
    return repo.stored(this.db, id, version);
  }

  /** The newest version of one catalogue (by id) in the vault, or null. */
  newest(id: string): Catalogue | null {
    const version = repo.newestVersion(this.db, id);
    return version === null ? null : repo.stored(this.db, id, version);
  }

  /** The shipped baseline catalogue, stored in the vault on first use. */
  private async baseline(): Promise<Catalogue> {
    const shipped = repo.shippedBaseline();
    if (!this.stored(shipped.id, shipped.version)) {
      await this.store(shipped);
    }
    return shipped;
  }

  /**
   * The catalogue a case that arrives by package may use here: the copy this vault already
   * holds by that id and version, or — for the shipped baseline — the copy in resources/, and
   * only if the package's copy is the same by content hash. Null otherwise: a package never adds
   * a catalogue, or changes one, that this vault's other cases and defaults use.
   */
  known(
    submitted: Catalogue,
  ): { catalogue: Catalogue; sha256: string; source: 'vault' | 'shipped' } | null {
    const sha256 = catalogueSha256(submitted);
    const stored = this.stored(submitted.id, submitted.version);
    if (stored) {
      return catalogueSha256(stored) === sha256
        ? { catalogue: stored, sha256, source: 'vault' }
        : null;
    }
    const shipped = repo.shippedBaseline();
    if (shipped.id === submitted.id && shipped.version === submitted.version) {
      return catalogueSha256(shipped) === sha256
        ? { catalogue: shipped, sha256, source: 'shipped' }
        : null;
    }
    return null;
  }

  /** What the applicability rules see of a system here: its levels, mode and component kinds. */
  systemProfile(systemId: string): SystemProfile {
    const detail = this.register.getSystem(systemId);
    return {
      levels: detail.system.levels,
      mode: detail.system.mode,
      componentKinds: detail.components.map((c) => c.kind),
    };
  }

  /**
   * The requirements of `catalogue` that apply to a system, in catalogue order: a new case's
   * checklist, whether this vault opens the case or it arrives in a submission.
   */
  requirementsFor(catalogue: Catalogue, profile: SystemProfile): Requirement[] {
    return applicableRequirements(catalogue, profile, this.register.scheme());
  }

  /**
   * The catalogue a new case uses: the newest version of the one chosen (the shipped baseline's
   * by default). Importing another catalogue never changes what the default is.
   */
  async current(id?: string): Promise<Catalogue> {
    const baseline = await this.baseline();
    const chosen = this.newest(id ?? baseline.id);
    if (!chosen) {
      throw new AppError('NOT_FOUND', `No catalogue ${id ?? baseline.id} in this vault`);
    }
    return chosen;
  }

  /** The catalogues in the vault, each with its newest version (the baseline first). */
  async list(): Promise<
    {
      id: string;
      name: { da: string; en: string };
      version: string;
      requirements: number;
      baseline: boolean;
    }[]
  > {
    const baseline = await this.baseline();
    return repo
      .catalogueIds(this.db)
      .map((id) => this.newest(id))
      .filter((c): c is Catalogue => c !== null)
      .map((c) => ({
        id: c.id,
        name: c.name,
        version: c.version,
        requirements: c.requirements.length,
        baseline: c.id === baseline.id,
      }))
      .sort((a, b) => Number(b.baseline) - Number(a.baseline) || a.id.localeCompare(b.id));
  }

  /** How one version differs from the newest of the same catalogue (null: none newer). */
  diffToNewest(id: string, version: string): { version: string; diff: CatalogueDiff } | null {
    const mine = this.stored(id, version);
    const newest = this.newest(id);
    if (!mine || !newest || newest.version === mine.version) {
      return null;
    }
    return { version: newest.version, diff: diffCatalogues(mine, newest) };
  }

  private async store(catalogue: Catalogue): Promise<void> {
    await this.vault().change(
      {
        action: 'catalogue.import',
        entityType: 'catalogue',
        entityId: `${catalogue.id}@${catalogue.version}`,
        changes: { requirements: catalogue.requirements.length },
      },
      (db) => repo.insert(db, catalogue, new Date().toISOString()),
    );
  }

  /** Imports a catalogue version (validated; an existing id+version is refused) and says what changed. */
  async import(
    input: unknown,
  ): Promise<{ id: string; version: string; diff: CatalogueDiff | null }> {
    const parsed = parseCatalogue(input);
    if (!parsed.ok) {
      throw new AppError('VALIDATION_FAILED', 'The catalogue is not valid', {
        issues: parsed.issues,
      });
    }
    const { catalogue } = parsed;
    if (this.stored(catalogue.id, catalogue.version)) {
      throw new AppError('VALIDATION_FAILED', 'That catalogue version is already imported', {
        issues: [{ path: ['version'], message: `${catalogue.id} ${catalogue.version} exists` }],
      });
    }
    const before = this.newest(catalogue.id);
    await this.store(catalogue);
    return {
      id: catalogue.id,
      version: catalogue.version,
      diff: before ? diffCatalogues(before, catalogue) : null,
    };
  }
}

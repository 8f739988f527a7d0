/**
 * The database engine: sql.js (SQLite in WebAssembly, in memory) with foreign keys on,
 * numbered migrations, integrity checks after load and after migrating, and one writer queue.
 * sql.js only has in-memory transactions: the vault's atomic save is the durable commit.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { AppError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

let engine: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

/** Pragmas that must hold on every connection; re-applied after every export. */
export function applyPragmas(db: Database): void {
  db.run('PRAGMA foreign_keys = ON');
}

export function schemaVersion(db: Database): number {
  const value = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : 0;
}

/** integrity_check and foreign_key_check; any complaint is CORRUPTED_CONTENT. */
export function checkIntegrity(db: Database): void {
  let integrity: unknown;
  let foreign: unknown[];
  try {
    integrity = db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0];
    foreign = db.exec('PRAGMA foreign_key_check')[0]?.values ?? [];
  } catch {
    throw new AppError('CORRUPTED_CONTENT', 'Database cannot be read');
  }
  if (integrity !== 'ok' || foreign.length > 0) {
    throw new AppError('CORRUPTED_CONTENT', 'Database failed its integrity checks', {
      integrity: integrity === 'ok' ? 'ok' : 'failed',
      foreignKeyViolations: foreign.length,
    });
  }
}

/**
 * Brings a database to the latest schema: every pending migration in one transaction, then
 * the integrity checks. A database from a newer build is refused (NEWER_VERSION).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError('NEWER_VERSION', 'Database schema is newer than this build');
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) {
    return current;
  }
  db.run('BEGIN');
  try {
    for (const migration of pending) {
      migration.up(db);
    }
    db.run(`PRAGMA user_version = ${latest}`);
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
  checkIntegrity(db);
  return latest;
}

/**
 * Opens a database image (or a new empty one), migrated and checked. With `deferChecks` the
 * integrity checks of an image that needs no migration are left to the caller (who runs them
 * off the thread the user waits on, before anything is saved); a migration always checks.
 */
export async function openDatabase(
  image?: Uint8Array,
  options: { deferChecks?: boolean } = {},
): Promise<Database> {
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(image);
    applyPragmas(db);
    db.exec('SELECT count(*) FROM sqlite_master');
  } catch {
    throw new AppError('CORRUPTED_CONTENT', 'Not a database');
  }
  try {
    const pending = schemaVersion(db) < LATEST_SCHEMA_VERSION;
    if (!options.deferChecks || pending) {
      checkIntegrity(db);
    }
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError('CORRUPTED_CONTENT', 'Database cannot be migrated');
  }
  return db;
}

/** Exports the image and restores what an export may reset. */
export function exportDatabase(db: Database): Uint8Array {
  const bytes = db.export();
  applyPragmas(db);
  return bytes;
}

export { LATEST_SCHEMA_VERSION };

/**
 * The one writer: jobs run one after another, each inside a transaction that is rolled back
 * if the job throws. Reads go straight to the database and never mutate it.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: () => Database,
    private readonly afterCommit: () => void,
  ) {}

  write<T>(job: (db: Database) => T): Promise<T> {
    const run = async (): Promise<T> => {
      const db = this.db();
      db.run('BEGIN');
      let result: T;
      try {
        result = job(db);
        db.run('COMMIT');
      } catch (error) {
        db.run('ROLLBACK');
        throw error;
      }
      this.afterCommit();
      return result;
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Holds every write queued from now on until `gate` settles (the checks after unlock: no
   * change is committed before their verdict is known).
   */
  after(gate: Promise<unknown>): void {
    const previous = this.tail;
    this.tail = Promise.all([previous, gate.catch(() => undefined)]);
  }

  /** Resolves when every queued write has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}

/**
 * A simple entity table: the columns a user sets and the input field each comes from. One
 * description serves create, update (with the audit's "from → to") and retire; each area's
 * repository describes its own tables and calls these with the database it runs on.
 */
import type { Database, SqlValue } from 'sql.js';
import { AppError } from '../../shared/errors';
import { now as clockNow } from '../services/clock';

export interface EntityTable {
  table: string;
  /** column → input field */
  columns: Record<string, string>;
}

/** An input value as SQLite stores it: absent is NULL, a flag is 0 or 1. */
export function dbValue(value: unknown): SqlValue {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  return value as SqlValue;
}

function valuesOf(spec: EntityTable, input: object): SqlValue[] {
  return Object.values(spec.columns).map((key) => dbValue((input as Record<string, unknown>)[key]));
}

export function insertEntity(db: Database, spec: EntityTable, id: string, input: object): void {
  const names = Object.keys(spec.columns);
  const now = clockNow().toISOString();
  db.run(
    `INSERT INTO ${spec.table} (id, ${names.join(', ')}, created_at, updated_at) VALUES (${Array(
      names.length + 3,
    )
      .fill('?')
      .join(', ')})`,
    [id, ...valuesOf(spec, input), now, now],
  );
}

/** What an update changes, field by field, as [from, to] (empty: nothing). */
export function entityChanges(
  current: Record<string, SqlValue>,
  spec: EntityTable,
  input: object,
): Record<string, [SqlValue, SqlValue]> {
  const changes: Record<string, [SqlValue, SqlValue]> = {};
  for (const [column, key] of Object.entries(spec.columns)) {
    const next = dbValue((input as Record<string, unknown>)[key]);
    const before = current[column] ?? null;
    if (before !== next) {
      changes[key] = [before, next];
    }
  }
  return changes;
}

export function updateEntity(db: Database, spec: EntityTable, id: string, input: object): void {
  db.run(
    `UPDATE ${spec.table} SET ${Object.keys(spec.columns)
      .map((c) => `${c} = ?`)
      .join(', ')}, updated_at = ? WHERE id = ?`,
    [...valuesOf(spec, input), new Date().toISOString(), id],
  );
}

/** A validation failure on one field; `key` names its translated text (shared/i18n/issues). */
export function invalidField(
  path: string,
  message: string,
  key?: string,
  params?: Record<string, string>,
): AppError {
  return new AppError('VALIDATION_FAILED', message, {
    issues: [{ path: path.split('.'), code: 'custom', message, ...(key ? { key, params } : {}) }],
  });
}

/** Small helpers for reading sql.js results: rows as objects, and cells as text. */
import type { Database, SqlValue } from 'sql.js';

export function queryRows(
  db: Database,
  sql: string,
  params: SqlValue[] = [],
): Record<string, SqlValue>[] {
  const stmt = db.prepare(sql);
  const out: Record<string, SqlValue>[] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) {
      out.push(stmt.getAsObject());
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** A cell as text ('' for NULL). */
export const text = (v: SqlValue | undefined): string =>
  v === null || v === undefined ? '' : String(v);

/** A cell as text, or null for NULL and ''. */
export const optional = (v: SqlValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

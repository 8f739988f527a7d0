/**
 * The catalogues area's repository: the only code that speaks SQL to `catalogues` (every version
 * of every requirement catalogue this vault holds, as imported), and what the area ships
 * (`resources/catalogues/baseline-2026.1.json`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { parseCatalogue, type Catalogue } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { queryRows, text } from '../../db/query';
import { RESOURCES } from '../resources';

export const BASELINE_FILE = join(RESOURCES, 'catalogues', 'baseline-2026.1.json');

/** The shipped baseline catalogue as resources/ holds it (not the vault's copy). */
export function shippedBaseline(): Catalogue {
  const parsed = parseCatalogue(JSON.parse(readFileSync(BASELINE_FILE, 'utf8')));
  if (!parsed.ok) {
    throw new AppError('INTERNAL', 'The shipped catalogue is invalid');
  }
  return parsed.catalogue;
}

/** One version of a catalogue as stored (null: none, or no longer valid by this version's schema). */
export function stored(db: Database, id: string, version: string): Catalogue | null {
  const row = queryRows(db, 'SELECT json FROM catalogues WHERE id = ? AND version = ?', [
    id,
    version,
  ])[0];
  if (!row) {
    return null;
  }
  const parsed = parseCatalogue(JSON.parse(text(row.json)));
  return parsed.ok ? parsed.catalogue : null;
}

/** The version of a catalogue imported last (null: none of that id). */
export function newestVersion(db: Database, id: string): string | null {
  const latest = queryRows(
    db,
    'SELECT version FROM catalogues WHERE id = ? ORDER BY imported_at DESC, rowid DESC LIMIT 1',
    [id],
  )[0];
  return latest ? text(latest.version) : null;
}

/** The ids of every catalogue held. */
export function catalogueIds(db: Database): string[] {
  return queryRows(db, 'SELECT DISTINCT id FROM catalogues ORDER BY id').map((r) => text(r.id));
}

export function insert(db: Database, catalogue: Catalogue, at: string): void {
  db.run('INSERT INTO catalogues (id, version, json, imported_at) VALUES (?, ?, ?, ?)', [
    catalogue.id,
    catalogue.version,
    JSON.stringify(catalogue),
    at,
  ]);
}

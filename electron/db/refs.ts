import type { Database } from 'sql.js';
import { nextRef, refStem, type RefKind } from '../../shared/references';
import { queryRows, text } from './query';

const TABLES: Record<RefKind, 'cases' | 'decisions' | 'risks'> = {
  CASE: 'cases',
  DEC: 'decisions',
  RISK: 'risks',
};

/** The vault's reference prefix (set at creation; vaults from before prefixes may lack one). */
export function refPrefix(db: Database): string | null {
  const value = queryRows(db, "SELECT value FROM vault_meta WHERE key = 'ref_prefix'")[0]?.value;
  return value ? text(value) : null;
}

/** The next free reference of a kind in this vault: "CFCS-CASE-2026-0004", "CFCS-RISK-0012". */
export function newRef(db: Database, kind: RefKind, now = new Date()): string {
  const prefix = refPrefix(db);
  const year = kind === 'RISK' ? null : now.getUTCFullYear();
  const stem = refStem(prefix, kind, year);
  const refs = queryRows(db, `SELECT ref FROM ${TABLES[kind]} WHERE substr(ref, 1, ?) = ?`, [
    stem.length,
    stem,
  ]).map((r) => text(r.ref));
  return nextRef(prefix, kind, year, refs);
}

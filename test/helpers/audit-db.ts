/**
 * A migrated, empty database with one user, Anne the accreditor, whom the audit rows name: the
 * ground the audit chain's and the explanation's rules are written on.
 */
import type { Database } from 'sql.js';
import type { Actor } from '../../electron/db/audit';
import { openDatabase } from '../../electron/db/engine';

export const ANNE: Actor = { id: 'u1', name: 'Anne', organisation: 'NIS', role: 'accreditor' };

/** The time every row of these tables is written at. */
export const AT = new Date('2026-12-01T10:00:00.000Z');

export async function databaseWithAnne(): Promise<Database> {
  const db = await openDatabase();
  db.run("INSERT INTO users (id, name, organisation, role, created_at) VALUES (?, ?, ?, ?, '')", [
    ANNE.id,
    ANNE.name,
    ANNE.organisation,
    ANNE.role,
  ]);
  return db;
}

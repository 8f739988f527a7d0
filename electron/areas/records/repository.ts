/**
 * The security-authority records' storage: the only code that speaks SQL to their tables
 * (records, record_systems, record_attachments). Rows are typed here, as they leave the database;
 * writes run on the database `vault.change` hands its job.
 */
import type { Database, SqlValue } from 'sql.js';
import type { InfoDomain } from '../../../shared/classification';
import type { RecordFilter, RecordInput, RecordRow } from '../../../shared/register';
import { optional, queryRows, text } from '../../db/query';
import { addDays } from '../../../shared/days';
import type { EntityTable } from '../entities';

const rows = queryRows;
const str = text;
const opt = optional;

export const RECORDS: EntityTable = {
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
};

export function recordRow(db: Database, id: string): Record<string, SqlValue> | undefined {
  return rows(db, 'SELECT * FROM records WHERE id = ?', [id])[0];
}

export function writeRecordSystems(
  db: Database,
  id: string,
  input: ReturnType<typeof RecordInput.parse>,
): void {
  db.run('DELETE FROM record_systems WHERE record_id = ?', [id]);
  for (const s of input.systemIds) {
    db.run('INSERT INTO record_systems (record_id, system_id) VALUES (?, ?)', [id, s]);
  }
}

/** The systems a record concerns, sorted. */
export function recordSystems(db: Database, id: string): string[] {
  return rows(db, 'SELECT system_id FROM record_systems WHERE record_id = ? ORDER BY system_id', [
    id,
  ]).map((r) => str(r.system_id));
}

export function closeRecord(db: Database, id: string, outcome: string, closedOn: string): void {
  db.run(
    "UPDATE records SET status = 'closed', outcome = ?, closed_on = ?, follow_up_due = NULL, updated_at = ? WHERE id = ?",
    [outcome, closedOn, new Date().toISOString(), id],
  );
}

export function attach(
  db: Database,
  recordId: string,
  blob: { address: string; name: string; sha256: string; size: number },
): void {
  db.run(
    'INSERT OR REPLACE INTO record_attachments (record_id, blob_address, name, sha256, size, added_at) VALUES (?, ?, ?, ?, ?, ?)',
    [recordId, blob.address, blob.name, blob.sha256, blob.size, new Date().toISOString()],
  );
}

export function attachment(db: Database, recordId: string, address: string) {
  const row = rows(
    db,
    'SELECT name, size FROM record_attachments WHERE record_id = ? AND blob_address = ?',
    [recordId, address],
  )[0];
  return row ? { name: str(row.name), size: Number(row.size) } : null;
}

export function attachments(db: Database, recordId: string) {
  return rows(
    db,
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

function recordWhere(filter: RecordFilter, day: string): { where: string; params: SqlValue[] } {
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

/** The records matching a filter, by follow-up then title; `day` decides what is overdue. */
export function records(db: Database, filter: RecordFilter, day: string): RecordRow[] {
  const { where, params } = recordWhere(filter, day);
  const sql = `SELECT r.*, (SELECT group_concat(system_id, ';') FROM record_systems WHERE record_id = r.id) AS systems,
      (SELECT count(*) FROM record_attachments WHERE record_id = r.id) AS attachments
    FROM records r ${where}
    ORDER BY COALESCE(r.follow_up_due, '9999-12-31'), r.title
    ${filter.limit ? 'LIMIT ?' : ''}`;
  return rows(db, sql, filter.limit ? [...params, filter.limit] : params).map((r) => ({
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
export function countRecords(db: Database, filter: RecordFilter, day: string): number {
  const { where, params } = recordWhere(filter, day);
  return Number(rows(db, `SELECT count(*) AS n FROM records r ${where}`, params)[0]?.n ?? 0);
}

/**
 * The audit trail: every change appends a row naming who, when, what entity and what
 * changed; each row's hash covers its content and the previous row's hash, so an edited,
 * deleted or reordered row breaks the chain. The chain is verified on every unlock and a
 * break is reported with the first row where it occurs — never repaired silently.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  id: string;
  name: string;
  organisation: string;
  role: 'accreditor' | 'system_owner';
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  /** What changed, e.g. { field: [before, after] }; never secrets. */
  changes: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  at: string;
  actor: Actor;
  prevHash: string;
  hash: string;
}

/** JSON with sorted object keys, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The hash of a row: SHA-256 over a JSON array of its fields, with `changes` as its canonical
 * JSON text (exactly what is stored), and the previous row's hash.
 */
function hashFields(fields: (string | number)[]): string {
  // An array of primitives: JSON.stringify is already canonical.
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function rowHash(row: Omit<AuditRow, 'hash'>, changesText = canonicalJson(row.changes)): string {
  return hashFields([
    row.seq,
    row.at,
    row.actor.id,
    row.actor.name,
    row.actor.organisation,
    row.actor.role,
    row.action,
    row.entityType,
    row.entityId,
    changesText,
    row.prevHash,
  ]);
}

/** Appends one row; call inside the write transaction of the change it records. */
export function appendAudit(db: Database, actor: Actor, entry: AuditEntry, at: Date): AuditRow {
  const last = db.exec('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')[0]?.values[0];
  const seq = last ? Number(last[0]) + 1 : 1;
  const prevHash = last ? String(last[1]) : GENESIS_HASH;
  const partial = { ...entry, seq, at: at.toISOString(), actor, prevHash };
  const hash = rowHash(partial);
  db.run(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_organisation, actor_role,
       action, entity_type, entity_id, changes, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      seq,
      partial.at,
      actor.id,
      actor.name,
      actor.organisation,
      actor.role,
      entry.action,
      entry.entityType,
      entry.entityId,
      canonicalJson(entry.changes),
      prevHash,
      hash,
    ],
  );
  return { ...partial, hash };
}

export interface ChainReport {
  intact: boolean;
  rows: number;
  /** The first row whose content or link does not verify (or where the trail was cut). */
  brokenAt?: number;
}

/** The head of the chain: how many rows, and the last row's hash (the genesis hash when empty). */
export function auditHead(db: Database): { rows: number; head: string } {
  const last = db.exec('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')[0]?.values[0];
  return last ? { rows: Number(last[0]), head: String(last[1]) } : { rows: 0, head: GENESIS_HASH };
}

/**
 * Whether the trail still reaches an anchor taken earlier (in the container header, or cited in
 * a signed letter): row `rows` must exist with hash `head`. A trail cut short, or rewritten from
 * that row on, does not. Returns the row where it fails, or null.
 */
export function anchorMismatch(
  db: Database,
  anchor: { rows: number; head: string },
): number | null {
  if (anchor.rows === 0) {
    return null;
  }
  const row = db.exec('SELECT hash FROM audit_log WHERE seq = ?', [anchor.rows])[0]?.values[0];
  return row && String(row[0]) === anchor.head ? null : anchor.rows;
}

export function verifyAuditChain(db: Database): ChainReport {
  const stmt = db.prepare(
    `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type,
            entity_id, changes, prev_hash, hash FROM audit_log ORDER BY seq`,
  );
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  try {
    while (stmt.step()) {
      const r = stmt.get();
      rows++;
      const seq = Number(r[0]);
      const prevHash = String(r[10]);
      // The stored changes text is hashed as stored: any edit to it breaks the chain.
      const fields = [
        seq,
        String(r[1]),
        String(r[2]),
        String(r[3]),
        String(r[4]),
        String(r[5]),
        String(r[6]),
        String(r[7]),
        String(r[8]),
        String(r[9]),
        prevHash,
      ];
      if (
        seq !== expectedSeq ||
        prevHash !== expectedPrev ||
        hashFields(fields) !== String(r[11])
      ) {
        return { intact: false, rows, brokenAt: seq };
      }
      expectedPrev = String(r[11]);
      expectedSeq++;
    }
  } finally {
    stmt.free();
  }
  return { intact: true, rows };
}

export function readAudit(db: Database, limit = 100): AuditRow[] {
  const result = db.exec(
    `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type,
            entity_id, changes, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?`,
    [limit],
  )[0];
  return (result?.values ?? []).map((r) => ({
    seq: Number(r[0]),
    at: String(r[1]),
    actor: {
      id: String(r[2]),
      name: String(r[3]),
      organisation: String(r[4]),
      role: String(r[5]) as Actor['role'],
    },
    action: String(r[6]),
    entityType: String(r[7]),
    entityId: String(r[8]),
    changes: JSON.parse(String(r[9])) as Record<string, unknown>,
    prevHash: String(r[10]),
    hash: String(r[11]),
  }));
}

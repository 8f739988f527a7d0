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

/**
 * The key under which a row's payload keeps the names of the entries its changes refer to, as
 * they were named when the row was written ({ id: name }). It is part of the hashed payload but
 * no field of the change: a history shows it as the names then, today's names only as a hint.
 * Rows written before it was kept have none; their readers say the name is today's.
 */
export const NAMES_THEN = '@names';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How each kind of entry is named (the same words the screens name it with). */
const NAME_OF: [table: string, label: string][] = [
  ['systems', "ref || ' ' || name"],
  ['sites', 'name'],
  ['organisations', 'name'],
  ['people', 'name'],
  ['approved_products', 'name'],
  ['components', 'product'],
  [
    'interconnections',
    "COALESCE((SELECT s.ref || ' ' || s.name FROM systems s WHERE s.id = peer_system_id), peer_name)",
  ],
  ['records', 'title'],
  ['cases', 'ref'],
  ['findings', 'title'],
  ['evidence', 'title'],
  // A risk has no title: its reference and the threat it names.
  ['risks', "ref || ' ' || threat_event"],
];

function idsIn(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (UUID.test(value)) {
      out.add(value);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => idsIn(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => idsIn(v, out));
  }
  return out;
}

/** The name an entry has now, or null (no such entry, or a kind without a name). */
export function nameNow(db: Database, id: string): string | null {
  for (const [table, label] of NAME_OF) {
    let found: unknown;
    try {
      found = db.exec(`SELECT ${label} FROM ${table} WHERE id = ?`, [id])[0]?.values[0]?.[0];
    } catch {
      continue; // a table an older schema does not have yet
    }
    if (typeof found === 'string' && found !== '') {
      return found;
    }
  }
  return null;
}

/**
 * The names of the entries a change refers to (other than the entry it is about), as they are
 * in the database the change has just written: what the row will show them as, whatever they
 * are called later.
 */
export function namesThen(db: Database, entry: AuditEntry): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of idsIn(entry.changes, new Set())) {
    const name = id === entry.entityId ? null : nameNow(db, id);
    if (name !== null) {
      names[id] = name;
    }
  }
  return names;
}

/** A row's payload parted: the change itself, and the names then it kept (if any). */
export function partChanges(changes: Record<string, unknown>): {
  changes: Record<string, unknown>;
  names: Record<string, string> | null;
} {
  const { [NAMES_THEN]: kept, ...rest } = changes;
  if (!kept || typeof kept !== 'object' || Array.isArray(kept)) {
    return { changes: rest, names: null };
  }
  const names = Object.fromEntries(
    Object.entries(kept as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  return { changes: rest, names };
}

/** Appends one row; call inside the write transaction of the change it records. */
export function appendAudit(db: Database, actor: Actor, entry: AuditEntry, at: Date): AuditRow {
  const names = namesThen(db, entry);
  if (Object.keys(names).length > 0 && !(NAMES_THEN in entry.changes)) {
    entry = { ...entry, changes: { ...entry.changes, [NAMES_THEN]: names } };
  }
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

/** The action of the audit row that explains breaks of the trail and re-anchors it. */
export const EXPLANATION_ACTION = 'vault.breakExplained';

/**
 * One break of the trail, as an explanation cites it:
 * - `link`: the row's previous-hash is not the hash of the row before it (a row deleted,
 *   inserted or reordered); `expected` is the hash the chain expected, `found` the row's.
 * - `content`: the row's content no longer hashes to its stored hash (a row edited);
 *   `expected` is the stored hash, `found` what the content hashes to now.
 * - `sequence`: the row's number is not the next one; `expected` and `found` are the numbers.
 * - `anchor`: the trail does not reach the head the container header was written with (its
 *   tail cut, or the header's anchor rewritten); `expected` is the anchored head's hash at row
 *   `anchorRows`, `found` the trail's hash at that row (or its last hash, when it is shorter).
 * - `signature`: an explanation row whose signature does not verify; `found` says why.
 * `content` is the hash of the row at `row` as it stands (fields and links), so an explanation
 * covers that very row and nothing edited later; empty for `anchor` when the row is gone.
 */
export interface AuditBreak {
  row: number;
  kind: 'link' | 'content' | 'sequence' | 'anchor' | 'signature';
  expected: string;
  found: string;
  content: string;
  /** For `anchor`: the header's anchor and the trail's length. */
  anchorRows?: number;
  trailRows?: number;
}

/** The key an explanation's citation of a break is matched by. */
export function breakKey(b: Pick<AuditBreak, 'row' | 'kind' | 'expected' | 'found' | 'content'>) {
  return `${b.row}|${b.kind}|${b.expected}|${b.found}|${b.content}`;
}

function isBreak(value: unknown): value is AuditBreak {
  const b = value as Partial<AuditBreak> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.row === 'number' &&
    typeof b.kind === 'string' &&
    typeof b.expected === 'string' &&
    typeof b.found === 'string' &&
    typeof b.content === 'string'
  );
}

/** The explanation rows of a trail: their row number and the breaks each cites. */
export function explanationRows(
  db: Database,
): { seq: number; changes: Record<string, unknown>; breaks: AuditBreak[] }[] {
  const rows = db.exec('SELECT seq, changes FROM audit_log WHERE action = ? ORDER BY seq', [
    EXPLANATION_ACTION,
  ])[0]?.values;
  return (rows ?? []).map((r) => {
    let changes: Record<string, unknown> = {};
    try {
      changes = JSON.parse(String(r[1])) as Record<string, unknown>;
    } catch {
      // an unreadable explanation explains nothing (and its row breaks the chain anyway)
    }
    const breaks = Array.isArray(changes.breaks) ? changes.breaks.filter(isBreak) : [];
    return { seq: Number(r[0]), changes, breaks };
  });
}

/**
 * The breaks the trail's explanations cite, each with the row of the explanation that cites
 * it. `valid` can refuse an explanation (its signature does not verify): it then explains
 * nothing.
 */
export function explainedBreaks(
  db: Database,
  valid: (seq: number) => boolean = () => true,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of explanationRows(db)) {
    if (!valid(row.seq)) {
      continue;
    }
    for (const b of row.breaks) {
      if (!out.has(breakKey(b))) {
        out.set(breakKey(b), row.seq);
      }
    }
  }
  return out;
}

export interface ChainWalk {
  rows: number;
  /** Breaks no later explanation cites, in trail order. */
  breaks: AuditBreak[];
  /** Breaks a later explanation cites: the chain is taken up again after each. */
  explained: { row: number; by: number }[];
}

/**
 * Walks the whole chain. A break that a later explanation row cites exactly (the same row,
 * kind, hashes and content) is passed: the walk takes the chain up again from that row's stored
 * hash. Any other break is reported; with `all`, the walk goes on past it the same way, so that
 * every break can be listed (and explained) at once.
 */
export function walkAuditChain(
  db: Database,
  options: { explained?: Map<string, number>; all?: boolean } = {},
): ChainWalk {
  const explained = options.explained ?? explainedBreaks(db);
  const stmt = db.prepare(
    `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type,
            entity_id, changes, prev_hash, hash FROM audit_log ORDER BY seq`,
  );
  const walk: ChainWalk = { rows: 0, breaks: [], explained: [] };
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  try {
    while (stmt.step()) {
      const r = stmt.get();
      walk.rows++;
      const seq = Number(r[0]);
      const prevHash = String(r[10]);
      const stored = String(r[11]);
      // The stored changes text is hashed as stored: any edit to it breaks the chain.
      const content = hashFields([
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
      ]);
      let found: AuditBreak | null = null;
      if (prevHash !== expectedPrev) {
        found = { row: seq, kind: 'link', expected: expectedPrev, found: prevHash, content };
      } else if (content !== stored) {
        found = { row: seq, kind: 'content', expected: stored, found: content, content };
      } else if (seq !== expectedSeq) {
        found = {
          row: seq,
          kind: 'sequence',
          expected: String(expectedSeq),
          found: String(seq),
          content,
        };
      }
      if (found) {
        const by = explained.get(breakKey(found));
        if (by !== undefined && by > seq) {
          walk.explained.push({ row: seq, by });
        } else {
          walk.breaks.push(found);
          if (!options.all) {
            return walk;
          }
        }
      }
      expectedPrev = stored;
      expectedSeq = seq + 1;
    }
  } finally {
    stmt.free();
  }
  return walk;
}

/**
 * The whole chain, verified: intact, or broken at the first row no explanation covers. An
 * explanation's signature is checked by the vault (electron/vault/explanation.ts); here it is
 * taken as written.
 */
export function verifyAuditChain(db: Database): ChainReport {
  const walk = walkAuditChain(db);
  const first = walk.breaks[0];
  return first
    ? { intact: false, rows: walk.rows, brokenAt: first.row }
    : { intact: true, rows: walk.rows };
}

/** The head of the chain: how many rows, and the last row's hash (the genesis hash when empty). */
export function auditHead(db: Database): { rows: number; head: string } {
  const last = db.exec('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')[0]?.values[0];
  return last ? { rows: Number(last[0]), head: String(last[1]) } : { rows: 0, head: GENESIS_HASH };
}

/** The hash of row `seq`, or null when the trail has no such row. */
export function rowHashAt(db: Database, seq: number): string | null {
  const row = db.exec('SELECT hash FROM audit_log WHERE seq = ?', [seq])[0]?.values[0];
  return row ? String(row[0]) : null;
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
  return rowHashAt(db, anchor.rows) === anchor.head ? null : anchor.rows;
}

/**
 * The trail against the anchor a container header was written with: it must reach the
 * anchored row with the anchored hash, and end there. A break names the row and both hashes.
 */
export function anchorBreak(
  db: Database,
  anchor: { rows: number; head: string },
): AuditBreak | null {
  const head = auditHead(db);
  const contentAt = (seq: number) => rowContentHash(db, seq) ?? '';
  if (head.rows < anchor.rows) {
    // Cut short: the trail ends before the anchored row.
    return {
      row: head.rows + 1,
      kind: 'anchor',
      expected: anchor.head,
      found: head.head,
      content: '',
      anchorRows: anchor.rows,
      trailRows: head.rows,
    };
  }
  if (anchor.rows > 0) {
    const at = rowHashAt(db, anchor.rows);
    if (at !== anchor.head) {
      return {
        row: anchor.rows,
        kind: 'anchor',
        expected: anchor.head,
        found: at ?? '',
        content: contentAt(anchor.rows),
        anchorRows: anchor.rows,
        trailRows: head.rows,
      };
    }
  }
  if (head.rows > anchor.rows) {
    // Rows after the anchored head that no save wrote into a header.
    return {
      row: anchor.rows + 1,
      kind: 'anchor',
      expected: anchor.head,
      found: head.head,
      content: contentAt(anchor.rows + 1),
      anchorRows: anchor.rows,
      trailRows: head.rows,
    };
  }
  return null;
}

/** The hash row `seq`'s fields and link give now (its content hash), or null. */
function rowContentHash(db: Database, seq: number): string | null {
  const r = db.exec(
    `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type,
            entity_id, changes, prev_hash FROM audit_log WHERE seq = ?`,
    [seq],
  )[0]?.values[0];
  return r ? hashFields(r.map((v, i) => (i === 0 ? Number(v) : String(v)))) : null;
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

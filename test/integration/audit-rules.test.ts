/**
 * The audit chain's stored format, as vaults written by earlier versions hold it, and the names a
 * row keeps of every kind of entry it refers to. The hashes, the genesis link, the `@names` key
 * and the explanation's action are written into every vault file and every exchanged package:
 * if any of them changed, trails written before would no longer verify. These rows pin them by
 * their literal values (audit-chain.test.ts checks the rules through the module's own constants).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  explainedBreaks,
  explanationRows,
  nameNow,
  namesThen,
  partChanges,
  readAudit,
  verifyAuditChain,
  walkAuditChain,
} from '../../electron/db/audit';
import { ANNE, AT, databaseWithAnne } from '../helpers/audit-db';

const ZEROS = '0'.repeat(64);

let db: Database;
beforeEach(async () => {
  db = await databaseWithAnne();
});

/** The changes text of row `seq` exactly as stored. */
const storedChanges = (seq: number) =>
  String(db.exec('SELECT changes FROM audit_log WHERE seq = ?', [seq])[0]!.values[0]![0]);

/** Inserts a row as an earlier version (or another tool) wrote it, every column given. */
function insertRow(row: {
  seq: number;
  action: string;
  changes: string;
  prevHash: string;
  hash: string;
}): void {
  db.run(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_organisation, actor_role,
       action, entity_type, entity_id, changes, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.seq,
      AT.toISOString(),
      ANNE.id,
      ANNE.name,
      ANNE.organisation,
      ANNE.role,
      row.action,
      'vault',
      'v1',
      row.changes,
      row.prevHash,
      row.hash,
    ],
  );
}

/** The documented row hash: SHA-256 (hex) of the JSON array of its fields and its link. */
function documentedHash(seq: number, action: string, changes: string, prevHash: string): string {
  const fields = [
    seq,
    AT.toISOString(),
    ANNE.id,
    ANNE.name,
    ANNE.organisation,
    ANNE.role,
    action,
    'vault',
    'v1',
    changes,
    prevHash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

describe('the stored format of a trail', () => {
  it('the first row links to 64 zeros and hashes to a fixed value (known answer)', () => {
    const row = appendAudit(
      db,
      ANNE,
      { action: 'vault.create', entityType: 'vault', entityId: 'v1', changes: { b: [1, 2], a: 1 } },
      AT,
    );
    expect(row.prevHash).toBe(ZEROS);
    expect(storedChanges(1)).toBe('{"a":1,"b":[1,2]}');
    expect(row.hash).toBe('2838f3b3d07857d2e2ef96bae484d9e266d09c629abbff990d55d5d78a89bc49');
    expect(row.hash).toBe(documentedHash(1, 'vault.create', '{"a":1,"b":[1,2]}', ZEROS));
  });

  it('a trail an earlier version wrote (genesis link of 64 zeros) verifies intact', () => {
    const first = documentedHash(1, 'vault.create', '{}', ZEROS);
    insertRow({ seq: 1, action: 'vault.create', changes: '{}', prevHash: ZEROS, hash: first });
    const second = documentedHash(2, 'note', '{"i":1}', first);
    insertRow({ seq: 2, action: 'note', changes: '{"i":1}', prevHash: first, hash: second });
    expect(verifyAuditChain(db)).toEqual({ intact: true, rows: 2 });
    // and the next row appended links to it
    expect(
      appendAudit(db, ANNE, { action: 'n', entityType: 'x', entityId: 'y', changes: {} }, AT),
    ).toMatchObject({ seq: 3, prevHash: second });
  });

  it('a first row linked to anything but 64 zeros is a `link` break at row 1', () => {
    const wrong = 'f'.repeat(64);
    insertRow({
      seq: 1,
      action: 'vault.create',
      changes: '{}',
      prevHash: wrong,
      hash: documentedHash(1, 'vault.create', '{}', wrong),
    });
    expect(walkAuditChain(db).breaks).toMatchObject([
      { row: 1, kind: 'link', expected: ZEROS, found: wrong },
    ]);
  });

  it('an explanation is a row with the action `vault.breakExplained`, as earlier versions wrote it', () => {
    const first = documentedHash(1, 'vault.create', '{}', ZEROS);
    insertRow({ seq: 1, action: 'vault.create', changes: '{}', prevHash: ZEROS, hash: first });
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 1', ['{"forged":true}']);
    const found = walkAuditChain(db).breaks[0]!;
    expect(found).toMatchObject({ row: 1, kind: 'content' });
    const changes = JSON.stringify({ breaks: [found] });
    insertRow({
      seq: 2,
      action: 'vault.breakExplained',
      changes,
      prevHash: first,
      hash: documentedHash(2, 'vault.breakExplained', changes, first),
    });
    expect(explanationRows(db).map((r) => r.seq)).toEqual([2]);
    expect(explainedBreaks(db).size).toBe(1);
    expect(verifyAuditChain(db)).toEqual({ intact: true, rows: 2 });
  });

  it('the names then are kept under the key `@names`, and read back from it', () => {
    const id = randomUUID();
    db.run(
      "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES (?, 'Alpha', 'other', '', '')",
      [id],
    );
    appendAudit(db, ANNE, { action: 'x', entityType: 'y', entityId: 'z', changes: { to: id } }, AT);
    expect(storedChanges(1)).toBe(`{"@names":{"${id}":"Alpha"},"to":"${id}"}`);
    // A payload written by an earlier version parts the same way.
    expect(partChanges({ to: id, '@names': { [id]: 'Then' } })).toEqual({
      changes: { to: id },
      names: { [id]: 'Then' },
    });
    // A row that brings names of its own under that key keeps them.
    appendAudit(
      db,
      ANNE,
      { action: 'x', entityType: 'y', entityId: 'z', changes: { to: id, '@names': { [id]: 'T' } } },
      AT,
    );
    expect(readAudit(db, 1)[0]!.changes).toEqual({ to: id, '@names': { [id]: 'T' } });
  });
});

/**
 * Inserts an entry into `table` with the given columns; every other column that must have a
 * value gets an empty text or 0 (foreign keys are off: the entry needs no parents here).
 */
function insertEntry(table: string, values: Record<string, string | number | null>): void {
  const columns = db.exec(`PRAGMA table_info(${table})`)[0]!.values;
  const row: Record<string, string | number | null> = {};
  for (const [, name, type, notNull, dflt, pk] of columns) {
    if (notNull && dflt === null && !pk) {
      row[String(name)] = String(type) === 'INTEGER' ? 0 : '';
    }
  }
  Object.assign(row, values);
  const names = Object.keys(row);
  db.run(
    `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    names.map((n) => row[n]!),
  );
}

describe('a row names every kind of entry it refers to as the screens name it', () => {
  beforeEach(() => db.run('PRAGMA foreign_keys = OFF'));

  it.each<[string, Record<string, string | number | null>, string]>([
    ['systems', { ref: 'SYS-7', name: 'Mail', phase: 'planned', mode: 'dedicated' }, 'SYS-7 Mail'],
    ['sites', { name: 'North site' }, 'North site'],
    ['organisations', { name: 'Alpha', type: 'other' }, 'Alpha'],
    ['people', { name: 'Bo Berg' }, 'Bo Berg'],
    ['approved_products', { name: 'Crypto box', kind: 'crypto', domain: 'national' }, 'Crypto box'],
    ['components', { product: 'Firewall X' }, 'Firewall X'],
    [
      'interconnections',
      {
        peer_name: 'Their net',
        domain: 'nato',
        direction: 'outbound',
        approval_status: 'none',
      },
      'Their net',
    ],
    ['records', { title: 'Letter of intent', status: 'open' }, 'Letter of intent'],
    ['cases', { ref: 'CASE-3', title: 'Not this', type: 'initial', state: 'draft' }, 'CASE-3'],
    [
      'findings',
      { title: 'Weak passwords', kind: 'finding', severity: 'major', status: 'open' },
      'Weak passwords',
    ],
    ['evidence', { title: 'Test report' }, 'Test report'],
    // A risk has no title: its reference and the threat it names (it was never named before).
    [
      'risks',
      {
        ref: 'RSK-0007',
        threat_event: 'Eavesdropping on the link',
        scope: 'system',
        treatment: 'reduce',
      },
      'RSK-0007 Eavesdropping on the link',
    ],
  ])('an entry of %s', (table, values, name) => {
    const id = randomUUID();
    insertEntry(table, { id, ...values });
    expect(nameNow(db, id)).toBe(name);
    const row = appendAudit(
      db,
      ANNE,
      { action: 'x', entityType: 'y', entityId: 'z', changes: { ref: id } },
      AT,
    );
    expect(partChanges(row.changes).names).toEqual({ [id]: name });
  });

  it('an interconnection to a system in the register is named by that system', () => {
    const peer = randomUUID();
    const link = randomUUID();
    insertEntry('systems', {
      id: peer,
      ref: 'SYS-9',
      name: 'Peer',
      phase: 'build',
      mode: 'dedicated',
    });
    insertEntry('interconnections', {
      id: link,
      peer_system_id: peer,
      peer_name: 'Typed name',
      domain: 'eu',
      direction: 'inbound',
      approval_status: 'pending',
    });
    expect(nameNow(db, link)).toBe('SYS-9 Peer');
  });
});

describe('only a whole id is looked up', () => {
  it('a text holding an id with more before or after it is not named, even when it is some key', () => {
    const id = randomUUID();
    const org = (key: string, name: string) =>
      db.run(
        "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES (?, ?, 'other', '', '')",
        [key, name],
      );
    org(`x${id}`, 'Before');
    org(`${id}x`, 'After');
    org(id.toUpperCase(), 'Upper');
    expect(nameNow(db, `x${id}`)).toBe('Before');
    expect(
      namesThen(db, {
        action: 'x',
        entityType: 'y',
        entityId: 'z',
        changes: { a: `x${id}`, b: `${id}x`, c: id.toUpperCase() },
      }),
    ).toEqual({ [id.toUpperCase()]: 'Upper' });
  });
});

/**
 * The audit chain's own rules, on a real (migrated, empty) sql.js database: how a row is hashed
 * and linked, what a walk reports for each kind of break and which explanation passes one, the
 * anchor a header was written with, and the names a row keeps of what it refers to. Each test
 * pins one rule the vault and the exchange stand on.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  anchorBreak,
  anchorMismatch,
  appendAudit,
  auditHead,
  breakKey,
  canonicalJson,
  EXPLANATION_ACTION,
  explainedBreaks,
  explanationRows,
  GENESIS_HASH,
  nameNow,
  NAMES_THEN,
  namesThen,
  partChanges,
  readAudit,
  rowHashAt,
  verifyAuditChain,
  walkAuditChain,
  type Actor,
  type AuditBreak,
} from '../../electron/db/audit';
import { ANNE, AT, databaseWithAnne } from '../helpers/audit-db';

let db: Database;
beforeEach(async () => {
  db = await databaseWithAnne();
});

/** Appends `n` plain rows. */
function rows(n: number): void {
  for (let i = 0; i < n; i++) {
    appendAudit(
      db,
      ANNE,
      { action: 'note', entityType: 'x', entityId: `e${i}`, changes: { i } },
      AT,
    );
  }
}

const hashOf = (seq: number) => rowHashAt(db, seq)!;

describe('a row’s payload is canonical JSON', () => {
  it.each([
    [null, 'null'],
    [undefined, 'null'],
    ['tekst', '"tekst"'],
    [7, '7'],
    [false, 'false'],
    [[2, 'b', null], '[2,"b",null]'],
    [{ b: 1, a: 2, c: 3 }, '{"a":2,"b":1,"c":3}'],
    [{ z: undefined, y: [{ d: 1, c: undefined, a: 2 }] }, '{"y":[{"a":2,"d":1}]}'],
    [{ Bb: 1, ab: 2, B: 3, a: 4 }, '{"B":3,"Bb":1,"a":4,"ab":2}'],
  ])('%j is written %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe('appending links each row to the one before it', () => {
  it('the first row follows the genesis hash, each later one the row before', () => {
    rows(3);
    const [third, second, first] = readAudit(db);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, actor: ANNE });
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
    expect(third).toMatchObject({ seq: 3, prevHash: second!.hash, changes: { i: 2 } });
    expect(new Set([first!.hash, second!.hash, third!.hash]).size).toBe(3);
    expect(auditHead(db)).toEqual({ rows: 3, head: third!.hash });
  });

  it('an empty trail has no rows and the genesis head; readAudit gives the newest first, as many as asked', () => {
    expect(auditHead(db)).toEqual({ rows: 0, head: GENESIS_HASH });
    expect(readAudit(db)).toEqual([]);
    expect(rowHashAt(db, 1)).toBeNull();
    rows(5);
    expect(readAudit(db, 2).map((r) => r.seq)).toEqual([5, 4]);
    expect(readAudit(db).map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
  });

  it('the same content at another time, by another actor or with other changes hashes otherwise', () => {
    const one = appendAudit(
      db,
      ANNE,
      { action: 'a', entityType: 't', entityId: 'e', changes: {} },
      AT,
    );
    const other = async (change: Partial<{ actor: Actor; at: Date; changes: object }>) => {
      return appendAudit(
        await databaseWithAnne(),
        change.actor ?? ANNE,
        { action: 'a', entityType: 't', entityId: 'e', changes: { ...(change.changes ?? {}) } },
        change.at ?? AT,
      ).hash;
    };
    return Promise.all([
      other({ actor: { ...ANNE, role: 'system_owner' } }),
      other({ actor: { ...ANNE, organisation: 'Other' } }),
      other({ at: new Date('2026-12-01T10:00:00.001Z') }),
      other({ changes: { a: 1 } }),
      other({}),
    ]).then(([role, org, at, changes, same]) => {
      expect(same).toBe(one.hash);
      for (const h of [role, org, at, changes]) {
        expect(h).not.toBe(one.hash);
      }
    });
  });
});

describe('a walk reports each kind of break at its row', () => {
  beforeEach(() => rows(5));

  it('an intact trail', () => {
    expect(walkAuditChain(db)).toEqual({ rows: 5, breaks: [], explained: [] });
    expect(verifyAuditChain(db)).toEqual({ intact: true, rows: 5 });
  });

  it('an edited row is `content` at that row; the rows after it still link', () => {
    const stored = hashOf(3);
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 3', ['{"i":99}']);
    const walk = walkAuditChain(db, { all: true });
    expect(walk.breaks).toMatchObject([{ row: 3, kind: 'content', expected: stored }]);
    expect(walk.breaks[0]!.found).not.toBe(stored);
    expect(walk.breaks[0]!.content).toBe(walk.breaks[0]!.found);
    // The walk stops at the first break: the report counts the rows read up to it.
    expect(verifyAuditChain(db)).toEqual({ intact: false, rows: 3, brokenAt: 3 });
  });

  it('a deleted row is `link` at the next one, with the hash expected and the one found', () => {
    const expected = hashOf(2);
    const found = hashOf(3);
    db.run('DELETE FROM audit_log WHERE seq = 3');
    expect(walkAuditChain(db).breaks).toMatchObject([{ row: 4, kind: 'link', expected, found }]);
  });

  it('a row well linked and hashed but numbered out of turn is `sequence`, with both numbers', async () => {
    // A trail whose first row is numbered 2, hashed and linked as such: a placeholder row 1 whose
    // hash is the genesis hash gives the appended row that link, and then goes.
    db = await databaseWithAnne();
    db.run(
      `INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type, entity_id, changes, prev_hash, hash)
       VALUES (1, '', ?, '', '', 'accreditor', '', '', '', '{}', '', ?)`,
      [ANNE.id, GENESIS_HASH],
    );
    rows(1);
    db.run('DELETE FROM audit_log WHERE seq = 1');
    expect(walkAuditChain(db).breaks).toMatchObject([
      { row: 2, kind: 'sequence', expected: '1', found: '2' },
    ]);
  });

  it('without `all` the walk stops at the first break; with it, every break is listed', () => {
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 2', ['{"i":"x"}']);
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 4', ['{"i":"y"}']);
    expect(walkAuditChain(db).breaks.map((b) => b.row)).toEqual([2]);
    expect(walkAuditChain(db, { all: true }).breaks.map((b) => b.row)).toEqual([2, 4]);
  });
});

describe('which explanation passes a break', () => {
  /** The break at row 3 once its content is edited, as a walk reports it. */
  function editedBreak(): AuditBreak {
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 3', ['{"i":"forged"}']);
    return walkAuditChain(db, { all: true }).breaks[0]!;
  }
  function explain(breaks: unknown[]): number {
    return appendAudit(
      db,
      ANNE,
      { action: EXPLANATION_ACTION, entityType: 'vault', entityId: 'v', changes: { breaks } },
      AT,
    ).seq;
  }

  it('a later explanation citing it exactly passes it, and the walk says by which row', () => {
    rows(4);
    const b = editedBreak();
    const by = explain([b]);
    expect(walkAuditChain(db)).toEqual({ rows: 5, breaks: [], explained: [{ row: 3, by }] });
    expect(verifyAuditChain(db)).toEqual({ intact: true, rows: 5 });
  });

  it('an explanation written before the break, or citing it otherwise, passes nothing', () => {
    rows(4);
    const b = editedBreak();
    // Cited with another found hash: not this break.
    explain([{ ...b, found: 'f'.repeat(64) }]);
    expect(walkAuditChain(db).breaks).toMatchObject([{ row: 3, kind: 'content' }]);
    // Cited by a row at or before the break it cites: never (an explanation looks back).
    expect(walkAuditChain(db, { explained: new Map([[breakKey(b), 3]]) }).breaks).toHaveLength(1);
    expect(walkAuditChain(db, { explained: new Map([[breakKey(b), 2]]) }).breaks).toHaveLength(1);
    expect(walkAuditChain(db, { explained: new Map([[breakKey(b), 4]]) }).breaks).toEqual([]);
  });

  it('the first explanation citing a break is the one that explains it; a refused one explains nothing', () => {
    rows(3);
    const b = editedBreak();
    const first = explain([b]);
    const second = explain([b]);
    expect(explainedBreaks(db)).toEqual(new Map([[breakKey(b), first]]));
    expect(explainedBreaks(db, (seq) => seq !== first)).toEqual(new Map([[breakKey(b), second]]));
    expect(explainedBreaks(db, () => false)).toEqual(new Map());
  });

  it('only well-formed citations count: each field of its type', () => {
    rows(3);
    const b = editedBreak();
    const malformed = [
      null,
      'a break',
      { ...b, row: String(b.row) },
      { ...b, kind: 1 },
      { ...b, expected: null },
      { ...b, found: 0 },
      { ...b, content: undefined },
    ];
    explain([...malformed, b]);
    expect(explanationRows(db).map((r) => r.breaks)).toEqual([[b]]);
  });

  it('explanation rows: none in a plain trail; a row whose breaks are no list, or whose changes are no JSON, cites none', () => {
    rows(2);
    expect(explanationRows(db)).toEqual([]);
    explain('not a list' as unknown as unknown[]);
    appendAudit(
      db,
      ANNE,
      { action: EXPLANATION_ACTION, entityType: 'vault', entityId: 'v', changes: {} },
      AT,
    );
    db.run('UPDATE audit_log SET changes = ? WHERE seq = 4', ['{not json']);
    expect(explanationRows(db)).toEqual([
      { seq: 3, changes: { breaks: 'not a list' }, breaks: [] },
      { seq: 4, changes: {}, breaks: [] },
    ]);
  });
});

describe('the anchor a header was written with', () => {
  beforeEach(() => rows(4));

  it('reached exactly: no mismatch, no break; an anchor of no rows is always reached', () => {
    const head = auditHead(db);
    expect(anchorMismatch(db, head)).toBeNull();
    expect(anchorBreak(db, head)).toBeNull();
    expect(anchorMismatch(db, { rows: 0, head: 'e'.repeat(64) })).toBeNull();
    expect(anchorMismatch(db, { rows: 2, head: hashOf(2) })).toBeNull();
    expect(anchorMismatch(db, { rows: 2, head: hashOf(3) })).toBe(2);
    expect(anchorMismatch(db, { rows: 9, head: hashOf(4) })).toBe(9);
  });

  it('a trail cut short of the anchor: the break is at the first row missing, with nothing to cite', () => {
    const anchor = auditHead(db);
    db.run('DELETE FROM audit_log WHERE seq > 2');
    expect(anchorBreak(db, anchor)).toEqual({
      row: 3,
      kind: 'anchor',
      expected: anchor.head,
      found: hashOf(2),
      content: '',
      anchorRows: 4,
      trailRows: 2,
    });
  });

  it('the anchored row rewritten: the break is that row, citing its content as it stands', () => {
    const anchor = { rows: 3, head: 'a'.repeat(64) };
    db.run('DELETE FROM audit_log WHERE seq > 3');
    const b = anchorBreak(db, anchor)!;
    expect(b).toMatchObject({
      row: 3,
      kind: 'anchor',
      expected: anchor.head,
      found: hashOf(3),
      anchorRows: 3,
      trailRows: 3,
    });
    // An intact row's content hash is its stored hash.
    expect(b.content).toBe(hashOf(3));
  });

  it('the anchored row gone from the middle of the trail: the break is there, with nothing found', () => {
    const anchor = { rows: 3, head: hashOf(3) };
    db.run('DELETE FROM audit_log WHERE seq = 3');
    expect(anchorBreak(db, anchor)).toEqual({
      row: 3,
      kind: 'anchor',
      expected: anchor.head,
      found: '',
      content: '',
      anchorRows: 3,
      trailRows: 4,
    });
  });

  it('rows after the anchored head that no header holds: the break is the first of them', () => {
    const anchor = { rows: 2, head: hashOf(2) };
    expect(anchorBreak(db, anchor)).toEqual({
      row: 3,
      kind: 'anchor',
      expected: anchor.head,
      found: hashOf(4),
      content: hashOf(3),
      anchorRows: 2,
      trailRows: 4,
    });
    // An anchor of no rows: every row is after it.
    expect(anchorBreak(db, { rows: 0, head: GENESIS_HASH })).toMatchObject({
      row: 1,
      content: hashOf(1),
      found: hashOf(4),
    });
  });
});

describe('a row keeps the names of what it refers to, as they were', () => {
  const org = (id: string, name: string) =>
    db.run(
      "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES (?, ?, 'other', '', '')",
      [id, name],
    );

  it('ids anywhere in the changes are named, but not the row’s own entity or what has no name', () => {
    const [a, b, c, own, unnamed] = [1, 2, 3, 4, 5].map(() => randomUUID());
    org(a!, 'Alpha');
    org(b!, 'Beta');
    org(c!, 'Gamma');
    org(own!, 'Own');
    org(unnamed!, '');
    expect(nameNow(db, a!)).toBe('Alpha');
    expect(nameNow(db, unnamed!)).toBeNull();
    expect(nameNow(db, randomUUID())).toBeNull();
    const entry = {
      action: 'x',
      entityType: 'organisation',
      entityId: own!,
      changes: {
        to: a,
        list: [1, b, null],
        nested: { deeper: { id: c }, empty: null, yes: true },
        self: own,
        none: unnamed,
      },
    };
    expect(namesThen(db, entry)).toEqual({ [a!]: 'Alpha', [b!]: 'Beta', [c!]: 'Gamma' });
    const row = appendAudit(db, ANNE, entry, AT);
    expect(row.changes[NAMES_THEN]).toEqual({ [a!]: 'Alpha', [b!]: 'Beta', [c!]: 'Gamma' });
  });

  it('only ids are looked up: a text that is some entry’s key but no id is not', () => {
    org('not-an-id', 'Named anyway');
    expect(nameNow(db, 'not-an-id')).toBe('Named anyway');
    expect(
      namesThen(db, { action: 'x', entityType: 'y', entityId: 'z', changes: { ref: 'not-an-id' } }),
    ).toEqual({});
  });

  it('a row given names of its own keeps them; a row with none gets no key', () => {
    const id = randomUUID();
    org(id, 'Now');
    const given = appendAudit(
      db,
      ANNE,
      {
        action: 'x',
        entityType: 'y',
        entityId: 'z',
        changes: { to: id, [NAMES_THEN]: { [id]: 'Then' } },
      },
      AT,
    );
    expect(given.changes[NAMES_THEN]).toEqual({ [id]: 'Then' });
    const plain = appendAudit(
      db,
      ANNE,
      { action: 'x', entityType: 'y', entityId: 'z', changes: { n: 1 } },
      AT,
    );
    expect(NAMES_THEN in plain.changes).toBe(false);
  });

  it('parting a payload: the names then (text only), or none when they are not a map', () => {
    expect(partChanges({ a: 1, [NAMES_THEN]: { x: 'X', y: 2 } })).toEqual({
      changes: { a: 1 },
      names: { x: 'X' },
    });
    for (const kept of [undefined, null, 'X', ['X'], 0]) {
      expect(partChanges({ a: 1, [NAMES_THEN]: kept })).toEqual({ changes: { a: 1 }, names: null });
    }
  });
});

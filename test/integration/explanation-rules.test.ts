/**
 * The signed explanation of a broken audit trail, rule by rule (electron/vault/explanation.ts),
 * on a real (migrated) sql.js database with real CMS signatures: what is signed, when a
 * signature explains nothing, which identities may sign for which damage, what this machine's
 * memory vouches for, and which heads an explanation acknowledges. The hostile vault table
 * (vault-hostile.test.ts) drives these through a vault; these rows say which rule answers.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  canonicalJson,
  EXPLANATION_ACTION,
  rowHashAt,
  type AuditBreak,
} from '../../electron/db/audit';
import { openDatabase } from '../../electron/db/engine';
import type { CmsSigner } from '../../electron/signing/cms';
import { softwareSigner } from '../../electron/signing/identity';
import {
  acknowledgedHeads,
  explanationDamage,
  explanationFault,
  explanationFaults,
  explanationSignerFault,
  explanationStatement,
  identitiesAdded,
  signStatement,
  vouchedPrefix,
  type ExplanationRecord,
} from '../../electron/vault/explanation';
import { issue, type Party } from '../helpers/pki';
import { ANNE, AT, databaseWithAnne } from '../helpers/audit-db';

const VAULT = 'vault-1';

let anne: Party;
let signer: CmsSigner;
let fingerprint: string;
beforeAll(async () => {
  anne = await issue({ name: 'CN=Anne Accreditor, O=NIS' });
  signer = softwareSigner(anne.key, [anne.der]);
  fingerprint = createHash('sha256').update(anne.der).digest('hex');
});

let db: Database;
beforeEach(async () => {
  db = await databaseWithAnne();
});

function append(action: string, changes: Record<string, unknown>): number {
  return appendAudit(db, ANNE, { action, entityType: 'vault', entityId: VAULT, changes }, AT).seq;
}

/** `n` plain rows. */
function plain(n: number): void {
  for (let i = 0; i < n; i++) {
    append('note', { i });
  }
}

const BREAK: AuditBreak = { row: 2, kind: 'content', expected: 'e', found: 'f', content: 'c' };

function record(overrides: Partial<ExplanationRecord> = {}): Omit<ExplanationRecord, 'signature'> {
  return {
    breaks: [BREAK],
    text: 'A disk failed.',
    previousHead: { rows: 3, head: 'h3' },
    generations: [{ rows: 9, head: 'g9' }],
    signer: { fingerprint, subject: anne.cert.subject },
    ...overrides,
  };
}

describe('what is signed', () => {
  it('the statement: purpose, version, vault, time, actor and everything the row cites, canonical', () => {
    const r = record();
    const statement = explanationStatement({
      vaultId: VAULT,
      at: AT.toISOString(),
      actor: ANNE,
      record: r,
    });
    const expected = {
      purpose: 'Accreditation Workbench: explanation of a broken audit trail',
      version: 1,
      vault: VAULT,
      at: AT.toISOString(),
      actor: ANNE,
      breaks: r.breaks,
      text: r.text,
      previousHead: r.previousHead,
      generations: r.generations,
      signer: r.signer,
    };
    expect(JSON.parse(statement.toString())).toEqual(expected);
    expect(statement.toString()).toBe(canonicalJson(expected));
  });

  it('a signature over the statement by the certificate it names explains; anything else says why not', async () => {
    const statement = explanationStatement({
      vaultId: VAULT,
      at: AT.toISOString(),
      actor: ANNE,
      record: record(),
    });
    const signature = await signStatement(statement, signer);
    expect(
      explanationFault(statement, { signature, signer: { fingerprint, subject: '' } }),
    ).toBeNull();
    // Another statement (one word of the text changed), another certificate named.
    const other = explanationStatement({
      vaultId: VAULT,
      at: AT.toISOString(),
      actor: ANNE,
      record: record({ text: 'A disk failed!' }),
    });
    const fault = explanationFault(other, { signature, signer: { fingerprint, subject: '' } });
    expect(fault).toMatch(/^[A-Z_]+$/);
    expect(fault).not.toBe('MALFORMED_SIGNATURE');
    expect(
      explanationFault(statement, {
        signature,
        signer: { fingerprint: 'ab'.repeat(32), subject: '' },
      }),
    ).toBe('SIGNER_MISMATCH');
    // Not signed at all, however the record lacks it.
    const unsigned = [
      { signature: undefined, signer: { fingerprint, subject: '' } },
      { signature, signer: undefined },
      { signature, signer: { fingerprint: 7, subject: '' } },
      { signature: 7, signer: { fingerprint, subject: '' } },
    ] as unknown as Pick<ExplanationRecord, 'signature' | 'signer'>[];
    for (const r of unsigned) {
      expect(explanationFault(statement, r), JSON.stringify(r)).toBe('UNSIGNED');
    }
    // Bytes that are no CMS at all.
    expect(
      explanationFault(statement, { signature: 'AAAA', signer: { fingerprint, subject: '' } }),
    ).toMatch(/^[A-Z_]+$/);
  });
});

describe('the identities of the vault, by the row that added each', () => {
  it('the first identity.add row of each fingerprint; other rows and unreadable ones add none', async () => {
    plain(1);
    append('identity.add', { fingerprint: 'f1' });
    append('identity.add', { fingerprint: 'f2' });
    append('identity.add', { fingerprint: 'f1' });
    append('identity.add', { fingerprint: 7 });
    append('identity.remove', { fingerprint: 'f3' });
    db.run("UPDATE audit_log SET changes = 'not json' WHERE seq = 3");
    // f2's row (3) unreadable, f1 added again (4), a number (5), a removal (6).
    expect([...identitiesAdded(db)]).toEqual([['f1', 2]]);
    expect(identitiesAdded(await openDatabase())).toEqual(new Map());
  });
});

describe('what this machine vouches for', () => {
  it('the largest remembered head below the damage that the trail still reaches', () => {
    plain(6);
    const h = (rows: number) => ({ rows, head: rowHashAt(db, rows)! });
    expect(vouchedPrefix(db, [], 5)).toBeNull();
    // Only heads below the damage count: one at the damage row itself does not.
    expect(vouchedPrefix(db, [h(5), h(6)], 5)).toBeNull();
    expect(vouchedPrefix(db, [h(2), h(4), h(3)], 5)).toBe(4);
    expect(vouchedPrefix(db, [h(4), h(2)], 5)).toBe(4);
    expect(vouchedPrefix(db, [h(2), { rows: 4, head: 'rewritten' }], 5)).toBe(2);
    // Remembered below the damage, but the trail reaches none of it: nothing vouched.
    expect(vouchedPrefix(db, [{ rows: 3, head: 'rewritten' }], 5)).toBe(0);
    expect(vouchedPrefix(db, [h(4)], 4)).toBeNull();
    expect(vouchedPrefix(db, [h(4)], 6)).toBe(4);
  });

  it('who may sign for damage at a row: added before it, and within what is vouched', () => {
    const added = new Map([
      ['before', 2],
      ['edge', 4],
      ['late', 6],
    ]);
    const fault = (who: string, damage: number, vouched: number | null) =>
      explanationSignerFault(added, who, damage, vouched);
    expect(fault('nobody', 6, 5)).toBe('SIGNER_NOT_BEFORE_BREAK');
    // Nothing remembered: added before the row preceding the damage.
    expect(fault('before', 4, null)).toBeNull();
    expect(fault('before', 3, null)).toBe('SIGNER_NOT_BEFORE_BREAK');
    expect(fault('edge', 6, null)).toBeNull();
    expect(fault('edge', 5, null)).toBe('SIGNER_NOT_BEFORE_BREAK');
    // Remembered: added before the damage, at or below the vouched row.
    expect(fault('edge', 5, 4)).toBeNull();
    expect(fault('edge', 5, 3)).toBe('SIGNER_NOT_VOUCHED');
    expect(fault('edge', 4, 4)).toBe('SIGNER_NOT_BEFORE_BREAK');
    expect(fault('late', 6, 6)).toBe('SIGNER_NOT_BEFORE_BREAK');
    expect(fault('late', 7, 6)).toBeNull();
    expect(fault('before', 9, 0)).toBe('SIGNER_NOT_VOUCHED');
  });

  it('the damage begins at the earliest break cited, or at the explanation itself', () => {
    expect(explanationDamage(9, [])).toBe(9);
    expect(
      explanationDamage(9, [
        { ...BREAK, row: 4 },
        { ...BREAK, row: 2 },
      ]),
    ).toBe(2);
    expect(explanationDamage(3, [{ ...BREAK, row: 7 }])).toBe(3);
  });
});

describe('the explanations of a trail, judged again from their rows', () => {
  async function explain(overrides: Partial<ExplanationRecord> = {}, by = signer): Promise<number> {
    const { signature: given, ...rest } = overrides;
    // Citing row 3: with nothing remembered, an identity added at row 1 may sign for it.
    const r = record({ breaks: [{ ...BREAK, row: 3 }], generations: [], ...rest });
    const signature =
      given ??
      (await signStatement(
        explanationStatement({ vaultId: VAULT, at: AT.toISOString(), actor: ANNE, record: r }),
        by,
      ));
    return append(EXPLANATION_ACTION, { ...r, signature });
  }

  it('a sound one by an identity added before the damage explains; none to judge, nothing read', async () => {
    expect(explanationFaults(db, VAULT)).toEqual([]);
    append('identity.add', { fingerprint });
    plain(2);
    await explain();
    expect(explanationFaults(db, VAULT)).toEqual([]);
  });

  it('one whose signature does not verify is a signature break at its row, citing its hash', async () => {
    append('identity.add', { fingerprint });
    plain(2);
    const seq = await explain({ signature: 'AAAA' });
    const faults = explanationFaults(db, VAULT);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({
      row: seq,
      kind: 'signature',
      expected: fingerprint,
      content: rowHashAt(db, seq),
    });
    expect(faults[0]!.found).toMatch(/^[A-Z_]+$/);
    // Judged for another vault, the statement differs: the signature explains nothing there.
    db.run('DELETE FROM audit_log WHERE seq = ?', [seq]);
    await explain();
    expect(explanationFaults(db, 'another vault').map((f) => f.kind)).toEqual(['signature']);
  });

  it('one signed by an identity added after the damage, or by none, says so', async () => {
    plain(2);
    append('identity.add', { fingerprint });
    const seq = await explain();
    expect(explanationFaults(db, VAULT)).toEqual([
      {
        row: seq,
        kind: 'signature',
        expected: fingerprint,
        found: 'SIGNER_NOT_BEFORE_BREAK',
        content: rowHashAt(db, seq),
      },
    ]);
    // Remembered heads below the damage that this trail does not reach vouch for nothing.
    const none = explanationFaults(db, VAULT, [{ rows: 1, head: 'rewritten' }]);
    expect(none.map((f) => f.found)).toEqual(['SIGNER_NOT_BEFORE_BREAK']);
  });

  it('a row that lacks its fields is judged as one that says nothing: unsigned', async () => {
    append('identity.add', { fingerprint });
    plain(2);
    const seq = append(EXPLANATION_ACTION, { breaks: [{ ...BREAK, row: 3 }] });
    const faults = explanationFaults(db, VAULT);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({
      row: seq,
      kind: 'signature',
      expected: '',
      content: rowHashAt(db, seq),
    });
    expect(faults[0]!.found).toMatch(/^[A-Z_]+$/);
    // Signed over what such a row says (empty text, no head, no generations, no signer), by a
    // signature that names no certificate: still nothing explained.
    const statement = explanationStatement({
      vaultId: VAULT,
      at: AT.toISOString(),
      actor: ANNE,
      record: {
        breaks: [{ ...BREAK, row: 3 }],
        text: '',
        previousHead: { rows: 0, head: '' },
        generations: [],
        signer: { fingerprint: '', subject: '' },
      },
    });
    const signature = await signStatement(statement, signer);
    const unnamed = append(EXPLANATION_ACTION, { breaks: [{ ...BREAK, row: 3 }], signature });
    expect(explanationFaults(db, VAULT).find((f) => f.row === unnamed)).toMatchObject({
      expected: '',
      found: 'SIGNER_MISMATCH',
    });
  });

  it('with a remembered head: vouched only up to it', async () => {
    append('identity.add', { fingerprint });
    plain(3);
    await explain({ breaks: [{ ...BREAK, row: 4 }] });
    const head1 = { rows: 1, head: rowHashAt(db, 1)! };
    expect(explanationFaults(db, VAULT, [head1])).toEqual([]);
    expect(
      explanationFaults(db, VAULT, [{ rows: 2, head: 'rewritten' }]).map((f) => f.found),
    ).toEqual(['SIGNER_NOT_VOUCHED']);
  });
});

describe('the heads signed explanations acknowledge', () => {
  it('generations, and the anchors of anchor breaks; nothing from other rows or other breaks', () => {
    append(EXPLANATION_ACTION, {
      generations: [{ rows: 9, head: 'g9' }],
      breaks: [
        { ...BREAK, kind: 'anchor', anchorRows: 7, expected: 'a7' },
        { ...BREAK, kind: 'anchor', expected: 'no-rows' },
        { ...BREAK, kind: 'content', anchorRows: 5, expected: 'c5' },
      ],
    });
    append(EXPLANATION_ACTION, {
      breaks: [{ ...BREAK, kind: 'anchor', anchorRows: 3, expected: 'a3' }],
    });
    append('vault.restored', { generations: [{ rows: 8, head: 'r8' }] });
    append(EXPLANATION_ACTION, { text: 'no lists' });
    const last = append(EXPLANATION_ACTION, { generations: [{ rows: 1, head: 'x' }] });
    db.run("UPDATE audit_log SET changes = 'not json' WHERE seq = ?", [last]);
    expect([...acknowledgedHeads(db)].sort()).toEqual(['3:a3', '7:a7', '9:g9']);
  });
});

/**
 * The vault's hostile table (issue 21, items 2, 3 and 7): each row is what someone holding the
 * passphrase, or the folder, does to a genuine vault the test makes, and the reason code the
 * vault answers with. A broken trail opens read-only and stays reported (at unlock, by `vault
 * check`, on the command line) until a signed explanation re-anchors it; a first-format file is
 * migrated once with its audit row; a main file rolled back to an older copy is
 * ROLLBACK_SUSPECTED; after a recovery, and after a passphrase change following a restore, the
 * old passphrase and the old recovery key open nothing in the folder and `vault check` passes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import {
  appendAudit,
  auditHead,
  walkAuditChain,
  type Actor,
  type AuditBreak,
} from '../../electron/db/audit';
import { softwareSigner } from '../../electron/signing/identity';
import {
  explanationStatement,
  signStatement,
  type TrailHead,
} from '../../electron/vault/explanation';
import { issue } from '../helpers/pki';
import { createServices } from '../../electron/services';
import { JsonFilePreferences } from '../../electron/services/preferences';
import { VaultService } from '../../electron/services/vault-service';
import { checkVault, failureCode } from '../../electron/vault/check';
import { FileHeadMemory, MapHeadMemory } from '../../electron/vault/head-memory';
import {
  REKEY_JOURNAL,
  readJournal,
  type RekeyJournalData,
} from '../../electron/vault/rekey-journal';
import {
  COPY_GENERATION,
  listGenerations,
  peekHeader,
  Vault,
  vaultPath,
} from '../../electron/vault/vault';
import { makeTestContext, tempFolder } from '../helpers/context';
import {
  dataKeyOf,
  openedByOldSecrets,
  PASSPHRASE,
  PROFILE,
  rewriteVault,
  TEST_CONFIG,
} from '../helpers/vault';

const NEW_PASSPHRASE = 'trompet-hegn-morgengry-1987';

let work: ReturnType<typeof tempFolder>;
let folder = '';
beforeEach(() => {
  work = tempFolder('awb-hostile-');
  folder = join(work.path, 'vault');
  writeFileSync(join(work.path, 'pass'), PASSPHRASE);
  writeFileSync(join(work.path, 'new'), NEW_PASSPHRASE);
});
afterEach(() => work.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    config: TEST_CONFIG,
    cwd: work.path,
  });
  return { code, out, err };
}

async function note(v: Vault, text: string): Promise<void> {
  await v.change(
    { action: 'meta.set', entityType: 'vault_meta', entityId: text, changes: { value: text } },
    (db) => db.run('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)', [text, text]),
  );
}

const unlock = (
  secret: { passphrase: string } | { recoveryKey: string } = { passphrase: PASSPHRASE },
) => Vault.open(folder, secret, TEST_CONFIG);

/**
 * A genuine vault: a signing identity, a system with a case and an evidence file, an evidence
 * file nothing refers to (as an interrupted import leaves), several saves (so three kept
 * generations), and its trail's head.
 */
async function genuine(): Promise<{
  recoveryKey: string;
  identity: string;
  head: { rows: number; head: string };
}> {
  const { vault, recoveryKey } = await Vault.create(folder, PASSPHRASE, PROFILE, TEST_CONFIG);
  const services = createServices(() => vault);
  const identity = await services.signing.createSelfSigned({
    label: 'anne',
    commonName: 'Anne Accreditor',
    organisation: 'NIS',
    algorithm: 'ec-p256',
  });
  const systemId = await services.register.createSystem({
    ref: 'SYS-H',
    name: 'Hostile',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 2,
    minClearance: 'RESTRICTED',
  });
  const caseId = await services.cases.createCase({ systemId, type: 'initial' });
  const blob = await vault.blobs.put(
    (async function* () {
      yield Buffer.alloc(100_000, 7);
    })(),
  );
  await services.cases.addEvidence(
    caseId,
    { ...blob, name: 'ssrs.pdf' },
    { type: 'ssrs', title: 'SSRS', version: '1', requirementIds: [] },
  );
  await vault.blobs.put(
    (async function* () {
      yield Buffer.from('nobody refers to me');
    })(),
  );
  for (let i = 0; i < 4; i++) {
    await note(vault, `n${i}`);
    await vault.save();
  }
  const head = auditHead(vault.database);
  await vault.close();
  return { recoveryKey, identity, head };
}

/**
 * The main file damaged (a byte flipped near its end, or in its header) and generation `g`
 * restored: open.
 */
async function damagedAndRestored(g: number, where: 'body' | 'header' = 'body'): Promise<Vault> {
  const main = vaultPath(folder);
  const bytes = readFileSync(main);
  const at = where === 'header' ? 40 : bytes.length - 5;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(main, bytes);
  const restored = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG, {
    generation: g,
  });
  await restored.restoreAsMain();
  return restored;
}

/** Every vault file's bytes, by name: what a refused save must leave untouched. */
function snapshot(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder)
      .filter((n) => n.startsWith('vault.awb'))
      .map((n) => [n, readFileSync(join(folder, n)).toString('base64')]),
  );
}

/** Opens, and records a signed explanation with the vault's own identity. */
async function explain(text: string): Promise<{ row: number; kinds: string[] }> {
  const v = await unlock();
  try {
    await v.checksDone();
    const signing = createServices(() => v).signing;
    const [identity] = signing.identities();
    const { row, breaks } = await v.explainBreak({
      text,
      signer: signing.signer(identity!.id),
      signerSubject: identity!.subject,
    });
    expect(v.readOnly).toBeNull();
    return { row, kinds: breaks.map((b) => b.kind) };
  } finally {
    await v.close();
  }
}

/** Opened: read-only with `kind` at `row`; a change, a save and new evidence are all refused. */
async function expectReadOnly(kind: string, row: number): Promise<void> {
  const before = snapshot();
  const v = await unlock();
  await v.checksDone();
  expect(v.readOnly).toMatchObject({ reason: 'AUDIT_CHAIN_BROKEN', row, kind });
  const refused = { code: 'VAULT_READ_ONLY', details: { reason: 'AUDIT_CHAIN_BROKEN', row } };
  await expect(note(v, 'laundered')).rejects.toMatchObject(refused);
  await expect(v.save()).rejects.toMatchObject(refused);
  await expect(
    v.blobs.put(
      (async function* () {
        yield Buffer.from('more');
      })(),
    ),
  ).rejects.toMatchObject(refused);
  await v.close(); // nothing to save: it took no change
  // Nothing written: no save, no new header anchor, no generation rotated.
  expect(snapshot()).toEqual(before);
  // Still reported, by the next unlock and by `vault check` (non-zero, its reason and row).
  const again = await unlock();
  await again.checksDone();
  expect(again.readOnly).toMatchObject({ row, kind });
  await again.close();
  const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  expect(failureCode(report)).toBe('AUDIT_CHAIN_BROKEN');
  expect(report.main.breaks?.[0]).toMatchObject({ row, kind });
  const r = await cli('vault', 'check', folder, '--passphrase-file', 'pass');
  expect(r.code).toBe(1);
  expect(r.err).toContain('error: AUDIT_CHAIN_BROKEN');
}

/**
 * What a forger who knows the hash recipe (docs/vault.md) does after editing the trail: every
 * row from `from` on hashed again from its fields, each linked to the one before it (the first
 * keeps the link it holds), so that contents and links verify from there on.
 */
function rechain(db: Database, from: number): void {
  const rows =
    db.exec(
      `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type,
              entity_id, changes, prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq`,
      [from],
    )[0]?.values ?? [];
  let previous: string | null = null;
  for (const r of rows) {
    const fields = r.map((v, i) => (i === 0 ? Number(v) : String(v)));
    if (previous !== null) {
      fields[10] = previous;
    }
    const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
    db.run('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?', [
      fields[10]!,
      hash,
      fields[0]!,
    ]);
    previous = hash;
  }
}

async function expectCheckPasses(secret = PASSPHRASE): Promise<void> {
  const report = await checkVault(folder, { passphrase: secret }, TEST_CONFIG);
  expect(failureCode(report), JSON.stringify(report, null, 1)).toBeNull();
}

/** A `vault.breakExplained` row written straight into the trail, as an insider with the passphrase could. */
function appendExplanation(
  db: Database,
  actor: Actor,
  entityId: string,
  changes: Record<string, unknown>,
  at: Date,
): void {
  appendAudit(
    db,
    actor,
    { action: 'vault.breakExplained', entityType: 'vault', entityId, changes },
    at,
  );
}

/** The vault's first user, as an accreditor: the actor of a row written by hand. */
function firstUser(db: Database): Actor {
  const actor = db.exec('SELECT id, name, organisation, role FROM users')[0]!.values[0]!;
  return {
    id: String(actor[0]),
    name: String(actor[1]),
    organisation: String(actor[2]),
    role: 'accreditor',
  };
}

describe('the hostile vault table', () => {
  it('cut tail + a change: refused, still reported, until a signed explanation (CLI) re-anchors it', async () => {
    const { head } = await genuine();
    const kept = head.rows - 3;
    await rewriteVault(
      folder,
      (db) => db.run('DELETE FROM audit_log WHERE seq > ?', [kept]),
      'keep',
    );
    await expectReadOnly('anchor', kept + 1);
    const v = await unlock();
    expect(v.readOnly).toMatchObject({ expected: head.head });
    await v.close();

    // The explanation is signed with the vault's identity, through the command line.
    const explained = await cli(
      'vault',
      'explain-break',
      folder,
      '--passphrase-file',
      'pass',
      '--text',
      'Three rows lost when the laptop was reimaged; reported to the security officer.',
      '--identity',
      'anne',
      '--json',
    );
    expect(explained.code, explained.err).toBe(0);
    const out = JSON.parse(explained.out) as { row: number; explained: { kind: string }[] };
    expect(out).toMatchObject({
      row: kept + 1,
      explained: [{ row: kept + 1, kind: 'anchor', expected: head.head }],
    });
    // The vault takes changes again; the explanation is in the trail, signed, and stays valid.
    const after = await unlock();
    await after.checksDone();
    expect(after.readOnly).toBeNull();
    const row = after.database.exec(
      "SELECT changes FROM audit_log WHERE action = 'vault.breakExplained'",
    )[0]?.values[0]?.[0];
    expect(JSON.parse(String(row))).toMatchObject({
      text: 'Three rows lost when the laptop was reimaged; reported to the security officer.',
      signer: { subject: expect.stringContaining('Anne Accreditor') as unknown },
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) as unknown,
    });
    await note(after, 'work goes on');
    await after.close();
    // The longer generations from before the cut were acknowledged by the explanation.
    await expectCheckPasses();
    // There is nothing left to explain.
    const nothing = await cli(
      'vault',
      'explain-break',
      folder,
      '--passphrase-file',
      'pass',
      '--text',
      'again',
      '--identity',
      'anne',
    );
    expect(nothing.err).toContain('error: NO_AUDIT_BREAK');
  });

  it('rewritten header anchor + a change: refused, with the forged and the real hash', async () => {
    const { head } = await genuine();
    const forged = 'ab'.repeat(32);
    await rewriteVault(folder, () => undefined, { rows: head.rows, head: forged });
    await expectReadOnly('anchor', head.rows);
    const v = await unlock();
    expect(v.readOnly).toMatchObject({ expected: forged, found: head.head });
    await v.close();
    await explain('The header was rewritten by a test tool.');
    await expectCheckPasses();
  });

  it('a row edited, its anchor brought up to date: refused from the walk; the explanation covers that row only', async () => {
    await genuine();
    // Row 4, not 3: on a machine that remembers nothing of the vault (TEST_CONFIG), the signer
    // must be added before the row preceding the break (the identity is row 2).
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"forged"}\' WHERE seq = 4'),
      'update',
    );
    await expectReadOnly('content', 4);
    const { row, kinds } = await explain(
      'Row 4 was edited by hand; the original is in the backup.',
    );
    expect(kinds).toEqual(['content']);
    const v = await unlock();
    await v.checksDone();
    expect(v.audit.intact).toBe(true);
    await v.close();
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.ok, JSON.stringify(report.generations)).toBe(true);
    expect(report.main.explained).toEqual([{ row: 4, by: row }]);
    // Edited again: the explanation cites that row as it was, so the new edit is a new break.
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"forged again"}\' WHERE seq = 4'),
      'update',
    );
    await expectReadOnly('content', 4);
  });

  it('a row appended by hand, the header left as it was: the rows past its anchor are the break', async () => {
    const { head } = await genuine();
    await rewriteVault(
      folder,
      (db) => {
        const actor = db.exec('SELECT id, name, organisation, role FROM users')[0]!.values[0]!;
        appendAudit(
          db,
          {
            id: String(actor[0]),
            name: String(actor[1]),
            organisation: String(actor[2]),
            role: 'accreditor',
          },
          { action: 'meta.set', entityType: 'vault_meta', entityId: 'x', changes: { value: 'x' } },
          new Date(),
        );
      },
      'keep',
    );
    // The chain verifies row by row; only the header, which no save brought up to the new row,
    // tells.
    await expectReadOnly('anchor', head.rows + 1);
  });

  it('a row linked to a forged predecessor, every later row rehashed: the link is the break', async () => {
    await genuine();
    await rewriteVault(
      folder,
      (db) => {
        db.run('UPDATE audit_log SET prev_hash = ? WHERE seq = 3', ['ab'.repeat(32)]);
        rechain(db, 3);
      },
      'update',
    );
    // Each row's content hashes to its stored hash, the numbering runs on, the header's anchor
    // is the new head: only row 3's link to row 2 tells.
    await expectReadOnly('link', 3);
  });

  it('a row taken out, the next linked over the gap and every later row rehashed: the numbering is the break', async () => {
    await genuine();
    await rewriteVault(
      folder,
      (db) => {
        const second = String(
          db.exec('SELECT hash FROM audit_log WHERE seq = 2')[0]!.values[0]![0],
        );
        db.run('DELETE FROM audit_log WHERE seq = 3');
        db.run('UPDATE audit_log SET prev_hash = ? WHERE seq = 4', [second]);
        rechain(db, 4);
      },
      'update',
    );
    // Links and contents hold; only the missing number 3 tells.
    await expectReadOnly('sequence', 4);
  });

  it('an explanation whose signature is forged explains nothing: a break at its own row', async () => {
    const { head } = await genuine();
    const kept = head.rows - 2;
    // Someone with the passphrase but no signing key cuts the tail and writes an "explanation".
    await rewriteVault(
      folder,
      (db) => {
        db.run('DELETE FROM audit_log WHERE seq > ?', [kept]);
        appendExplanation(
          db,
          firstUser(db),
          'x',
          {
            breaks: [],
            text: 'nothing happened',
            previousHead: head,
            generations: [],
            signer: { fingerprint: 'f'.repeat(64), subject: 'CN=Anne Accreditor' },
            signature: Buffer.from('not a signature').toString('base64'),
          },
          new Date(),
        );
      },
      'update',
    );
    await expectReadOnly('signature', kept + 1);
  });

  it('a forged explanation citing an edited row exactly: the edit is the break shown', async () => {
    await genuine();
    await rewriteVault(
      folder,
      (db) => {
        db.run('UPDATE audit_log SET changes = \'{"value":"forged"}\' WHERE seq = 3');
        const cited = walkAuditChain(db, { all: true, explained: new Map() }).breaks;
        expect(cited).toMatchObject([{ row: 3, kind: 'content' }]);
        appendExplanation(
          db,
          firstUser(db),
          'x',
          {
            breaks: cited,
            text: 'nothing happened',
            previousHead: auditHead(db),
            generations: [],
            signer: { fingerprint: 'f'.repeat(64), subject: 'CN=Anne Accreditor' },
            signature: Buffer.from('not a signature').toString('base64'),
          },
          new Date(),
        );
      },
      'update',
    );
    await expectReadOnly('content', 3);
    const v = await unlock();
    await v.checksDone();
    expect(v.breaks().map((b) => [b.row, b.kind])).toEqual([
      [3, 'content'],
      [v.audit.rows, 'signature'],
    ]);
    await v.close();
  });

  it('an explanation signed by a key the trail does not show added before the break explains nothing', async () => {
    await genuine();
    // Someone with the passphrase edits a row, makes a key and a certificate of their own, and
    // writes an explanation with a signature that verifies, naming that certificate.
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"forged"}\' WHERE seq = 5'),
      'update',
    );
    let facts: { vaultId: string; actor: Actor; head: TrailHead; cited: AuditBreak[] } | null =
      null;
    await rewriteVault(
      folder,
      (db) => {
        const actor = db.exec('SELECT id, name, organisation, role FROM users')[0]!.values[0]!;
        facts = {
          vaultId: String(
            db.exec("SELECT value FROM vault_meta WHERE key = 'vault_id'")[0]!.values[0]![0],
          ),
          actor: {
            id: String(actor[0]),
            name: String(actor[1]),
            organisation: String(actor[2]),
            role: 'accreditor',
          },
          head: auditHead(db),
          cited: walkAuditChain(db, { all: true, explained: new Map() }).breaks,
        };
      },
      'keep',
    );
    const { vaultId, actor, head, cited } = facts!;
    expect(cited).toMatchObject([{ row: 5, kind: 'content' }]);
    const forger = await issue({ name: 'CN=Anne Accreditor, O=NIS' });
    const signer = softwareSigner(forger.key, [forger.der]);
    const at = new Date();
    const record = {
      breaks: cited,
      text: 'Nothing happened.',
      previousHead: head,
      generations: [],
      signer: {
        fingerprint: createHash('sha256').update(forger.der).digest('hex'),
        subject: forger.cert.subject,
      },
    };
    const signature = await signStatement(
      explanationStatement({ vaultId, at: at.toISOString(), actor, record }),
      signer,
    );
    await rewriteVault(
      folder,
      (db) => {
        appendExplanation(db, actor, vaultId, { ...record, signature }, at);
      },
      'update',
    );
    // The signature verifies, but the certificate is no identity added before row 5.
    await expectReadOnly('content', 5);
    const v = await unlock();
    await v.checksDone();
    expect(v.breaks().map((b) => [b.row, b.kind, b.found])).toEqual([
      [5, 'content', expect.any(String)],
      [v.audit.rows, 'signature', 'SIGNER_NOT_BEFORE_BREAK'],
    ]);
    // Nor does the vault take such an explanation itself.
    await expect(
      v.explainBreak({ text: 'Still nothing.', signer, signerSubject: forger.cert.subject }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'SIGNER_NOT_BEFORE_BREAK' },
    });
    await v.close();
  });

  it('a first-format container (no anchor) is migrated once, with its audit row', async () => {
    await genuine();
    await rewriteVault(folder, () => undefined, 'keep', { format: 1 });
    const format = () => readFileSync(vaultPath(folder)).readUInt16LE(8);
    expect(format()).toBe(1);
    // `vault check` reads: it says which format, and migrates nothing.
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.main).toMatchObject({ ok: true, format: 1 });
    expect(format()).toBe(1);
    const migrations = (v: Vault) =>
      v.database.exec("SELECT changes FROM audit_log WHERE action = 'vault.format_migrated'")[0]
        ?.values ?? [];
    const v = await unlock();
    expect(migrations(v).map((r) => JSON.parse(String(r[0])) as unknown)).toEqual([
      { format: [1, 2], anchor: 'added' },
    ]);
    expect(v.format).toBe(2);
    await v.close();
    expect(format()).toBe(2);
    const again = await unlock();
    expect(migrations(again)).toHaveLength(1);
    await again.close();
    await expectCheckPasses();
  });

  it('a first-format container with a broken chain is not migrated until explained', async () => {
    await genuine();
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"x"}\' WHERE seq = 5'),
      'keep',
      { format: 1 },
    );
    await expectReadOnly('content', 5);
    expect(readFileSync(vaultPath(folder)).readUInt16LE(8)).toBe(1);
    await explain('Row 5 was edited by an old tool.');
    expect(readFileSync(vaultPath(folder)).readUInt16LE(8)).toBe(2);
    const v = await unlock();
    const actions = v.database
      .exec(
        "SELECT action FROM audit_log WHERE action IN ('vault.breakExplained', 'vault.format_migrated') ORDER BY seq",
      )[0]
      ?.values.map((r) => String(r[0]));
    expect(actions).toEqual(['vault.breakExplained', 'vault.format_migrated']);
    await v.close();
    await expectCheckPasses();
  });

  it('a main file rolled back to an older copy: a longer generation is ROLLBACK_SUSPECTED', async () => {
    await genuine();
    copyFileSync(vaultPath(folder, 2), vaultPath(folder));
    const v = await unlock();
    expect(v.rollback).toMatchObject([{ generation: 1 }]);
    expect(v.rollback[0]!.rows).toBeGreaterThan(v.rollback[0]!.mainRows);
    await v.close({ discard: true });
    // The app shows it as a warning with the vault's status.
    const service = new VaultService({
      config: TEST_CONFIG,
      prefs: new JsonFilePreferences(join(work.path, 'prefs.json')),
      emit: () => undefined,
    });
    const status = await service.unlock(folder, { passphrase: PASSPHRASE });
    expect(status.rollback).toMatchObject([{ generation: 1 }]);
    await service.lock();
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.generations[0]).toMatchObject({ ok: false, code: 'ROLLBACK_SUSPECTED' });
    expect(failureCode(report)).toBe('ROLLBACK_SUSPECTED');
    const r = await cli('vault', 'check', folder, '--passphrase-file', 'pass');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: ROLLBACK_SUSPECTED');
  });

  it('a one-step rollback: the head this machine remembers is not reached (V1)', async () => {
    const { head } = await genuine();
    const heads = new MapHeadMemory();
    const config = { ...TEST_CONFIG, heads };
    // This machine opens it and makes one change: the memory holds the newest head.
    const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    const id = v.meta('vault_id')!;
    expect(heads.recall(id)).toEqual(head);
    await note(v, 'the change that goes');
    await v.close();
    const newest = heads.recall(id)!;
    expect(newest.rows).toBe(head.rows + 1);
    // The folder's generations alone cannot tell a one-step rollback: every one is reached.
    copyFileSync(vaultPath(folder, 1), vaultPath(folder));
    expect(
      failureCode(await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG)),
    ).toBeNull();
    const before = snapshot();
    const rolled = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    await rolled.checksDone();
    expect(rolled.rollback).toContainEqual({
      generation: 0,
      rows: newest.rows,
      head: newest.head,
      mainRows: head.rows,
    });
    expect(rolled.readOnly).toMatchObject({
      reason: 'ROLLBACK_SUSPECTED',
      row: head.rows,
      expected: newest.head,
      found: head.head,
    });
    await expect(note(rolled, 'laundered')).rejects.toMatchObject({
      code: 'VAULT_READ_ONLY',
      details: { reason: 'ROLLBACK_SUSPECTED' },
    });
    await rolled.close();
    expect(snapshot()).toEqual(before);
    // The memory is not moved back by that unlock; `vault check` reports it on the main file.
    expect(heads.recall(id)).toEqual(newest);
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, config);
    expect(report.main).toMatchObject({ ok: false, code: 'ROLLBACK_SUSPECTED' });
    expect(failureCode(report)).toBe('ROLLBACK_SUSPECTED');
    // The app's status says so too.
    const service = new VaultService({
      config,
      prefs: new JsonFilePreferences(join(work.path, 'prefs')),
      emit: () => undefined,
    });
    const status = await service.unlock(folder, { passphrase: PASSPHRASE });
    expect(status.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    expect(status.rollback).toContainEqual({
      generation: 0,
      rows: newest.rows,
      mainRows: head.rows,
    });
    await service.lock();
    // A signed explanation cites the heads not reached, and re-anchors: changes are taken again.
    const e = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    await e.checksDone();
    const signing = createServices(() => e).signing;
    const [identity] = signing.identities();
    const { row } = await e.explainBreak({
      text: 'The vault file was put back to yesterday’s copy; the lost change is re-entered.',
      signer: signing.signer(identity!.id),
      signerSubject: identity!.subject,
    });
    expect(e.readOnly).toBeNull();
    expect(e.rollback).toEqual([]);
    const cited = JSON.parse(
      String(
        e.database.exec('SELECT changes FROM audit_log WHERE seq = ?', [row])[0]?.values[0]?.[0],
      ),
    ) as { generations: { rows: number; head: string }[]; breaks: unknown[] };
    expect(cited.generations).toContainEqual(newest);
    await note(e, 'work goes on');
    await e.close();
    expect(heads.recall(id)!.rows).toBe(head.rows + 2);
    expect(failureCode(await checkVault(folder, { passphrase: PASSPHRASE }, config))).toBeNull();
  });

  it('a rollback is not laundered by ordinary use: read-only until explained (V2)', async () => {
    await genuine();
    copyFileSync(vaultPath(folder, 3), vaultPath(folder));
    const before = snapshot();
    for (let i = 0; i < 3; i++) {
      const v = await unlock();
      await v.checksDone();
      expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
      expect(v.readOnly?.restored).toBeUndefined();
      await expect(note(v, `ordinary ${i}`)).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
      await expect(v.save()).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
      await v.close();
    }
    // Nothing was written: the generations that tell are all still there.
    expect(snapshot()).toEqual(before);
    const r = await cli('vault', 'check', folder, '--passphrase-file', 'pass');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: ROLLBACK_SUSPECTED');
    const { kinds } = await explain('An old copy was restored by hand; the later work is lost.');
    expect(kinds).toEqual([]);
    const after = await unlock();
    expect(after.rollback).toEqual([]);
    await note(after, 'work goes on');
    await after.close();
    await expectCheckPasses();
  });

  it('a restore that skips a kept generation is a rollback: read-only until a signed explanation names it', async () => {
    await genuine();
    const previous = await damagedAndRestored(2);
    // The restore's row names what it leaves behind, and acknowledges none of it: it is unsigned.
    const named = JSON.parse(
      String(
        previous.database.exec(
          "SELECT changes FROM audit_log WHERE action = 'vault.restoreGeneration'",
        )[0]?.values[0]?.[0],
      ),
    ) as { generations: { rows: number }[] };
    expect(named.generations.length).toBeGreaterThan(0);
    expect(previous.rollback.length).toBeGreaterThan(0);
    // Said as the restore it is (the banner's words), not as a copy someone put in place.
    expect(previous.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED', restored: true });
    await previous.close();
    const v = await unlock();
    await v.checksDone();
    expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    await expect(note(v, 'laundered')).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
    await v.close();
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(failureCode(report)).toBe('ROLLBACK_SUSPECTED');
    // The accreditor signs for the restore: it is a rollback explained, and work goes on.
    await explain('The main file was damaged; generation 2 restored, the later work re-entered.');
    const after = await unlock();
    expect(after.rollback).toEqual([]);
    await note(after, 'work goes on');
    await after.close();
    await expectCheckPasses();
  });

  it('R1: an old copy placed as a generation and restored leaves the remembered head reported', async () => {
    const { head } = await genuine();
    const heads = new MapHeadMemory();
    const config = { ...TEST_CONFIG, heads };
    const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    const id = v.meta('vault_id')!;
    await note(v, 'the decision that goes');
    await v.close();
    const newest = heads.recall(id)!;
    expect(newest.rows).toBe(head.rows + 1);
    // The insider puts the oldest kept copy in every generation's place and restores it.
    const oldest = readFileSync(vaultPath(folder, 3));
    for (const g of listGenerations(folder)) {
      writeFileSync(vaultPath(folder, g.generation), oldest);
    }
    const previous = await Vault.open(folder, { passphrase: PASSPHRASE }, config, {
      generation: 1,
    });
    await previous.restoreAsMain();
    expect(previous.rollback).toContainEqual(
      expect.objectContaining({ generation: 0, rows: newest.rows, head: newest.head }),
    );
    await expect(note(previous, 'laundered')).rejects.toMatchObject({
      code: 'VAULT_READ_ONLY',
      details: { reason: 'ROLLBACK_SUSPECTED' },
    });
    await previous.close();
    // The memory stays where it was; the next unlock and `vault check` still report it.
    expect(heads.recall(id)).toEqual(newest);
    const again = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    await again.checksDone();
    expect(again.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    await again.close();
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, config);
    expect(report.main).toMatchObject({ ok: false, code: 'ROLLBACK_SUSPECTED' });
  });

  it('R2 (round 21q): a one-step restore where no machine remembers the vault is told by the replaced file kept beside it', async () => {
    await genuine();
    const v = await unlock();
    await note(v, 'the decision that goes');
    await v.close();
    // TEST_CONFIG keeps no memory of heads: as on a machine that never saw the vault.
    const previous = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG, {
      generation: 1,
    });
    await previous.restoreAsMain();
    expect(previous.rollback).toEqual([expect.objectContaining({ generation: COPY_GENERATION })]);
    expect(previous.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED', restored: true });
    await previous.close();
    const again = await unlock();
    await again.checksDone();
    expect(again.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    await expect(note(again, 'laundered')).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
    expect(again.meta('the decision that goes')).toBeNull();
    await again.close();
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.main).toMatchObject({ ok: false, code: 'ROLLBACK_SUSPECTED' });
    expect(report.main.detail).toMatch(/^a kept damaged copy holds \d+ rows/);
    // Signed for, it is a rollback explained; the copy stays, acknowledged.
    await explain('The last change was undone on purpose: the decision is to be taken again.');
    const after = await unlock();
    expect(after.rollback).toEqual([]);
    await note(after, 'work goes on');
    await after.close();
    await expectCheckPasses();
  });

  it('R1: a restore row written by hand, naming the remembered head, acknowledges nothing', async () => {
    const { head } = await genuine();
    const heads = new MapHeadMemory();
    const config = { ...TEST_CONFIG, heads };
    const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    const id = v.meta('vault_id')!;
    await note(v, 'the decision that goes');
    await v.close();
    const newest = heads.recall(id)!;
    // An older copy in the main file's place, a restore row appended and the file sealed again
    // with its header anchored at the new head.
    copyFileSync(vaultPath(folder, 1), vaultPath(folder));
    await rewriteVault(
      folder,
      (db) =>
        appendAudit(
          db,
          firstUser(db),
          {
            action: 'vault.restoreGeneration',
            entityType: 'vault',
            entityId: id,
            changes: { generations: [newest] },
          },
          new Date(),
        ),
      'update',
    );
    const rolled = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    await rolled.checksDone();
    expect(auditHead(rolled.database).rows).toBe(head.rows + 1);
    expect(rolled.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED', expected: newest.head });
    await rolled.close();
    expect(heads.recall(id)).toEqual(newest);
  });

  describe('a rolled-back copy given another id is judged by the vault the folder held (21l V1)', () => {
    /** The main file put back to an older copy after five more saves seen here; no generations. */
    async function rolledBack(config: typeof TEST_CONFIG) {
      await genuine();
      const old = join(work.path, 'old-copy.awb');
      copyFileSync(vaultPath(folder), old);
      const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
      const id = v.meta('vault_id')!;
      for (let i = 0; i < 5; i++) {
        await note(v, `later work ${i}`);
        await v.save();
      }
      await v.close();
      copyFileSync(old, vaultPath(folder));
      for (const g of listGenerations(folder)) {
        rmSync(vaultPath(folder, g.generation));
      }
      return { id, newest: config.heads!.recall(id)! };
    }
    const renamed = (id: string) =>
      rewriteVault(
        folder,
        (db) => db.run("UPDATE vault_meta SET value = ? WHERE key = 'vault_id'", [id]),
        'keep',
      );

    it('a fresh id: ROLLBACK_SUSPECTED for the head the folder’s vault reached; check fails', async () => {
      const config = { ...TEST_CONFIG, heads: new MapHeadMemory() };
      const { newest } = await rolledBack(config);
      await renamed(randomUUID());
      const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
      await v.checksDone();
      expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED', expected: newest.head });
      await expect(note(v, 'laundered')).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
      await v.close();
      const report = await checkVault(folder, { passphrase: PASSPHRASE }, config);
      expect(failureCode(report)).toBe('ROLLBACK_SUSPECTED');
    });

    it('no id at all, or an empty one: still judged by the folder (21m V2)', async () => {
      for (const edit of [
        "DELETE FROM vault_meta WHERE key = 'vault_id'",
        "UPDATE vault_meta SET value = '' WHERE key = 'vault_id'",
      ]) {
        rmSync(folder, { recursive: true, force: true });
        const config = { ...TEST_CONFIG, heads: new MapHeadMemory() };
        const { newest } = await rolledBack(config);
        await rewriteVault(folder, (db) => db.run(edit), 'keep');
        const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
        await v.checksDone();
        expect(v.readOnly, edit).toMatchObject({
          reason: 'ROLLBACK_SUSPECTED',
          expected: newest.head,
        });
        await v.close();
      }
    });

    it('an id the memory file cannot keep: still judged by the folder, in the file memory too', async () => {
      const heads = new FileHeadMemory(join(work.path, 'data'));
      const config = { ...TEST_CONFIG, heads };
      const { newest } = await rolledBack(config);
      await renamed('ab_cd');
      const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
      await v.checksDone();
      expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED', expected: newest.head });
      await v.close();
      // What the file keeps is read back by a new reader (as at the next start of the app).
      expect(new FileHeadMemory(join(work.path, 'data')).vaultAt(folder)).not.toBeNull();
    });

    it('a new vault made here replaces the folder’s: not judged by the old one', async () => {
      const config = { ...TEST_CONFIG, heads: new MapHeadMemory() };
      const { id } = await rolledBack(config);
      rmSync(folder, { recursive: true });
      const { vault } = await Vault.create(folder, PASSPHRASE, PROFILE, config);
      expect(vault.meta('vault_id')).not.toBe(id);
      await note(vault, 'a new vault');
      await vault.close();
      const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
      await v.checksDone();
      expect(v.readOnly).toBeNull();
      expect(v.rollback).toEqual([]);
      await v.close();
    });
  });

  it('a generation whose own trail is broken is not restored, and the main file stays where it was', async () => {
    await genuine();
    await rewriteVault(
      folder,
      (db) => db.run("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2"),
      'keep',
      { generation: 2 },
    );
    const before = snapshot();
    const previous = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG, {
      generation: 2,
    });
    await previous.checksDone();
    await expect(previous.restoreAsMain()).rejects.toMatchObject({ code: 'VAULT_READ_ONLY' });
    await previous.close();
    // Refused before anything moved: the folder as it was, the main file opens.
    expect(snapshot()).toEqual(before);
    const v = await unlock();
    expect(v.readOnly).toBeNull();
    await v.close();
  });

  /** `awb vault recover` with the recovery key and NEW_PASSPHRASE; it must succeed. */
  async function recoverByCli(recoveryKey: string) {
    writeFileSync(join(work.path, 'rk'), recoveryKey);
    const r = await cli(
      'vault',
      'recover',
      folder,
      '--recovery-key-file',
      'rk',
      '--new-passphrase-file',
      'new',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    return r;
  }

  it('after `vault recover` the old passphrase and the old recovery key open nothing; check passes', async () => {
    const { recoveryKey } = await genuine();
    const old = { passphrase: PASSPHRASE, recoveryKey, dataKey: await dataKeyOf(folder) };
    const r = await recoverByCli(recoveryKey);
    const { recoveryKey: fresh } = JSON.parse(r.out) as { recoveryKey: string };
    expect(fresh).not.toBe(recoveryKey);
    expect(await openedByOldSecrets(folder, old)).toEqual([]);
    await expect(unlock()).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await expect(unlock({ recoveryKey })).rejects.toMatchObject({ code: 'WRONG_RECOVERY_KEY' });
    // The key was shown: nothing waits in a journal.
    expect(readdirSync(folder)).not.toContain('rekey.journal');
    await expectCheckPasses(NEW_PASSPHRASE);
    await (await unlock({ recoveryKey: fresh })).close();
  });

  it('copies of vault data under names the workbench never writes fail the check, and go with `vault recover` (21s)', async () => {
    const { recoveryKey } = await genuine();
    const old = { passphrase: PASSPHRASE, recoveryKey, dataKey: await dataKeyOf(folder) };
    const blob = readdirSync(join(folder, 'blobs')).find((n) => /^[0-9a-f]{64}$/.test(n))!;
    // What a backup tool, an editor or a file manager leaves: each a whole copy under the old
    // key. Beside them, files of the folder that hold no vault data.
    copyFileSync(vaultPath(folder), join(folder, 'vault.awb.tmp'));
    copyFileSync(vaultPath(folder), join(folder, 'vault.awb (copy)'));
    copyFileSync(join(folder, 'blobs', blob), join(folder, 'blobs', `${blob}.orig`));
    writeFileSync(join(folder, 'notes.txt'), 'AWBVLT: not a vault');
    writeFileSync(join(folder, 'short'), 'AWBBLOB');
    const strays = [`blobs/${blob}.orig`, 'vault.awb (copy)', 'vault.awb.tmp'];
    expect(await openedByOldSecrets(folder, old)).toEqual(expect.arrayContaining(strays));
    const before = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(before.strays.map((s) => [s.part, s.code]).sort()).toEqual(
      strays.map((s) => [s, 'STRAY_COPY']).sort(),
    );
    expect(failureCode(before)).toBe('STRAY_COPY');
    const checked = await cli('vault', 'check', folder, '--passphrase-file', 'pass', '--json');
    expect(checked.code).not.toBe(0);

    await recoverByCli(recoveryKey);
    expect(await openedByOldSecrets(folder, old)).toEqual([]);
    const left = readdirSync(folder);
    expect(left).toEqual(expect.arrayContaining(['notes.txt', 'short']));
    expect(left).not.toEqual(expect.arrayContaining(['vault.awb.tmp']));
    expect(left).not.toContain('vault.awb (copy)');
    expect(readdirSync(join(folder, 'blobs'))).not.toContain(`${blob}.orig`);
    const v = await unlock({ passphrase: NEW_PASSPHRASE });
    const row = v.database.exec("SELECT changes FROM audit_log WHERE action = 'vault.rekey'")[0]
      ?.values[0]?.[0];
    await v.close();
    const removed = (JSON.parse(String(row)) as { removed: { strayCopies: { name: string }[] } })
      .removed;
    expect(removed.strayCopies.map((c) => c.name).sort()).toEqual([...strays].sort());
    await expectCheckPasses(NEW_PASSPHRASE);
  });

  it('temp files that appear after unlock (writes cut short, under the old key) go with the re-key', async () => {
    const { recoveryKey } = await genuine();
    const old = { passphrase: PASSPHRASE, recoveryKey, dataKey: await dataKeyOf(folder) };
    const v = await unlock();
    await v.checksDone();
    // Unlock removed the temps there were; these come after it: a save's temp file holding the
    // whole container under the old key, and half an evidence file.
    copyFileSync(vaultPath(folder), join(folder, 'vault.awb.tmp-0123abcd'));
    writeFileSync(join(folder, 'blobs', `${'a'.repeat(64)}.tmp-4567`), 'half an evidence file');
    await v.rekey(PASSPHRASE, NEW_PASSPHRASE);
    // Gone with the re-key itself, not only at the next unlock (which removes temps anyway).
    const temps = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp-'));
    expect([...temps(folder), ...temps(join(folder, 'blobs'))]).toEqual([]);
    await v.close();
    expect(await openedByOldSecrets(folder, old)).toEqual([]);
  });

  it('a passphrase change after a restore (damaged copy kept): the copy is listed, then removed', async () => {
    const { recoveryKey } = await genuine();
    const old = { passphrase: PASSPHRASE, recoveryKey, dataKey: await dataKeyOf(folder) };
    const restored = await damagedAndRestored(1);
    await restored.close();
    const copies = readdirSync(folder).filter((n) => n.startsWith('vault.awb.damaged-'));
    expect(copies).toHaveLength(1);
    const bytes = readFileSync(join(folder, copies[0]!));
    // Its header is intact: the old passphrase still opens its key slot.
    expect(await openedByOldSecrets(folder, old)).toContain(copies[0]);
    const report = await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.copies).toMatchObject([{ part: copies[0], ok: true }]);

    const service = new VaultService({
      config: TEST_CONFIG,
      prefs: new JsonFilePreferences(join(work.path, 'prefs.json')),
      emit: () => undefined,
    });
    await service.unlock(folder, { passphrase: PASSPHRASE });
    await service.changePassphrase(PASSPHRASE, NEW_PASSPHRASE);
    const v = service.current();
    const row = v.database.exec("SELECT changes FROM audit_log WHERE action = 'vault.rekey'")[0]
      ?.values[0]?.[0];
    expect(JSON.parse(String(row))).toMatchObject({
      removed: {
        damagedCopies: [
          { name: copies[0], size: bytes.length, sha256: expect.any(String) as unknown },
        ],
        unreferencedEvidence: [expect.stringMatching(/^[0-9a-f]{64}$/) as unknown],
      },
    });
    await service.lock();
    expect(await openedByOldSecrets(folder, old)).toEqual([]);
    expect(readdirSync(folder).filter((n) => n.startsWith('vault.awb.damaged-'))).toEqual([]);
    await expectCheckPasses(NEW_PASSPHRASE);
    // The key was never confirmed: the next unlock shows it again.
    const again = await service.unlock(folder, { passphrase: NEW_PASSPHRASE });
    expect(again.confirmGroups).toHaveLength(2);
    const unshown = service.pendingRecoveryKey();
    await service.lock();
    // So does the command line, once, on its error stream; then the journal forgets it.
    const listed = await cli('systems', 'list', '--vault', folder, '--passphrase-file', 'new');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.err).toContain(`recoveryKey: ${unshown}`);
    expect(readdirSync(folder)).not.toContain('rekey.journal');
    const quiet = await cli('systems', 'list', '--vault', folder, '--passphrase-file', 'new');
    expect(quiet.err).not.toContain('recoveryKey');
  });

  it('the app: read-only in the status, an edit refused, explained over IPC', async () => {
    const { head } = await genuine();
    await rewriteVault(folder, (db) => db.run('DELETE FROM audit_log WHERE seq > 4'), 'keep');
    const { ctx } = makeTestContext(join(work.path, 'app'));
    const ipc = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, ctx);
    expect(await ipc('vault:unlock', { folder, passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
      value: {
        readOnly: {
          reason: 'AUDIT_CHAIN_BROKEN',
          row: 5,
          kind: 'anchor',
          expected: head.head,
          found: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        },
      },
    });
    // An edit from any screen is refused, with its reason and row, through the error path.
    expect(
      await ipc('systems:create', {
        ref: 'SYS-X',
        name: 'Refused',
        phase: 'operational',
        mode: 'dedicated',
        levels: [{ domain: 'national', level: 'RESTRICTED' }],
        userCount: 1,
        minClearance: 'RESTRICTED',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VAULT_READ_ONLY', details: { reason: 'AUDIT_CHAIN_BROKEN', row: 5 } },
    });
    const listing = await ipc('identities:list', {});
    const identityId = (listing as { value: { identities: { id: string }[] } }).value.identities[0]!
      .id;
    expect(
      await ipc('vault:explainBreak', { text: 'Cut by a restore of an old backup.', identityId }),
    ).toMatchObject({ ok: true, value: { row: 5, breaks: 1, status: { readOnly: null } } });
    expect(await ipc('vault:lock', {})).toMatchObject({ ok: true });
    await expectCheckPasses();
  });
});

/**
 * Who may explain (adversary 21b, F2 and F3): a signer's `identity.add` counts only within the
 * prefix of the trail this machine's head memory vouches for (the largest remembered head the
 * trail still reaches), and before the damage. A machine that remembers nothing falls back to:
 * added before the row preceding the earliest break.
 */
describe('who may explain: what this machine saw vouches for the signer', () => {
  const machine = () => ({ ...TEST_CONFIG, heads: new MapHeadMemory() });
  const open = (config: typeof TEST_CONFIG, at = folder) =>
    Vault.open(at, { passphrase: PASSPHRASE }, config);

  /** A vault `config`'s machine has seen from its creation: Anne's identity, then `notes`. */
  async function seen(config: typeof TEST_CONFIG, notes: string[]): Promise<void> {
    const { vault } = await Vault.create(folder, PASSPHRASE, PROFILE, config);
    await createServices(() => vault).signing.createSelfSigned({
      label: 'anne',
      commonName: 'Anne Accreditor',
      organisation: 'NIS',
      algorithm: 'ec-p256',
    });
    for (const n of notes) {
      await note(vault, n);
      await vault.save();
    }
    await vault.close();
  }

  /** Adds the insider's own self-signed identity to the vault at `at`; its id. */
  async function addMallory(config: typeof TEST_CONFIG, at = folder): Promise<string> {
    const v = await open(config, at);
    const id = await createServices(() => v).signing.createSelfSigned({
      label: 'mallory',
      commonName: 'Mallory Insider',
      organisation: 'NIS',
      algorithm: 'ec-p256',
    });
    await v.close();
    return id;
  }

  /** The explanation signed by the identity labelled `label`, on `config`'s machine. */
  async function explainAs(v: Vault, label: string): Promise<{ row: number }> {
    const signing = createServices(() => v).signing;
    const identity = signing.identities().find((i) => i.label === label)!;
    return v.explainBreak({
      text: 'What happened, as the accreditor found it.',
      signer: signing.signer(identity.id),
      signerSubject: identity.subject,
    });
  }

  it('F2: a rollback explained by a key added on the forked copy (another memory): SIGNER_NOT_VOUCHED, and so re-judged at unlock', async () => {
    const home = machine();
    await seen(home, ['a', 'b']);
    // The insider copies the folder; work goes on here (the row the rollback erases).
    const fork = join(work.path, 'fork');
    cpSync(folder, fork, { recursive: true });
    let v = await open(home);
    await note(v, 'erased by the rollback');
    await v.close();
    // On the copy, with another machine's memory: the insider's own key. Then put back.
    await addMallory(machine(), fork);
    rmSync(folder, { recursive: true, force: true });
    cpSync(fork, folder, { recursive: true });

    v = await open(home);
    await v.checksDone();
    expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    await expect(explainAs(v, 'mallory')).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'SIGNER_NOT_VOUCHED' },
    });
    expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    // The insider writes the explanation row into the file by hand instead, signed by Mallory
    // and acknowledging the head this machine remembers.
    const signing = createServices(() => v).signing;
    const mallory = signing.identities().find((i) => i.label === 'mallory')!;
    const [meta] = v.database.exec(
      'SELECT actor_id, actor_name, actor_organisation, actor_role FROM audit_log ORDER BY seq DESC LIMIT 1',
    )[0]!.values;
    const actor = {
      id: String(meta![0]),
      name: String(meta![1]),
      organisation: String(meta![2]),
      role: String(meta![3]),
    } as Actor;
    const vaultId = v.meta('vault_id')!;
    const at = new Date();
    const record = {
      breaks: [],
      text: 'Nothing happened.',
      previousHead: auditHead(v.database),
      generations: v.rollback.map((r) => ({ rows: r.rows, head: r.head })),
      signer: {
        fingerprint: createHash('sha256')
          .update(signing.signer(mallory.id).chain[0]!)
          .digest('hex'),
        subject: mallory.subject,
      },
    };
    const signature = await signStatement(
      explanationStatement({ vaultId, at: at.toISOString(), actor, record }),
      signing.signer(mallory.id),
    );
    await v.close();
    await rewriteVault(
      folder,
      (db) => {
        appendExplanation(db, actor, vaultId, { ...record, signature }, at);
      },
      'update',
    );
    // Re-judged by this machine's memory: the row explains nothing and is itself the break.
    v = await open(home);
    await v.checksDone();
    const row = auditHead(v.database).rows;
    expect(v.readOnly).toMatchObject({ reason: 'AUDIT_CHAIN_BROKEN', row, kind: 'signature' });
    expect(v.breaks().map((b) => [b.row, b.kind, b.found])).toEqual([
      [row, 'signature', 'SIGNER_NOT_VOUCHED'],
    ]);
    await v.close();
    expect(failureCode(await checkVault(folder, { passphrase: PASSPHRASE }, home))).toBe(
      'AUDIT_CHAIN_BROKEN',
    );
  });

  it('F3: a deleted row with the insider’s identity.add moved into the gap: SIGNER_NOT_VOUCHED here, SIGNER_NOT_BEFORE_BREAK on a fresh machine', async () => {
    const home = machine();
    await seen(home, ['a', 'victim', 'c']);
    await addMallory(home);
    let victim = 0;
    await rewriteVault(
      folder,
      (db) => {
        const all = db.exec(
          `SELECT seq, at, actor_id, actor_name, actor_organisation, actor_role, action,
                  entity_type, entity_id, changes, prev_hash FROM audit_log ORDER BY seq`,
        )[0]!.values;
        const last = all.at(-1)!; // Mallory's identity.add
        expect(last[6]).toBe('identity.add');
        victim = Number(all.find((r) => r[8] === 'victim')![0]);
        const prev = String(
          db.exec('SELECT hash FROM audit_log WHERE seq = ?', [victim - 1])[0]!.values[0]![0],
        );
        db.run('DELETE FROM audit_log WHERE seq IN (?, ?)', [victim, Number(last[0])]);
        const fields = [victim, ...last.slice(1, 10).map(String), prev];
        const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
        db.run(
          `INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_organisation, actor_role,
             action, entity_type, entity_id, changes, prev_hash, hash)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
          [...fields, hash] as (string | number)[],
        );
      },
      'update',
    );
    let v = await open(home);
    await v.checksDone();
    // The chain breaks only after the moved row.
    expect(v.readOnly).toMatchObject({
      reason: 'AUDIT_CHAIN_BROKEN',
      row: victim + 1,
      kind: 'link',
    });
    await expect(explainAs(v, 'mallory')).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'SIGNER_NOT_VOUCHED' },
    });
    await v.close();
    // A machine that remembers nothing: row n-1 of a break at row n may itself be forged.
    v = await open(TEST_CONFIG);
    await v.checksDone();
    expect(v.readOnly).toMatchObject({ row: victim + 1, kind: 'link' });
    await expect(explainAs(v, 'mallory')).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'SIGNER_NOT_BEFORE_BREAK' },
    });
    await v.close();
  });

  it('control: an identity added long before the damage explains it on the machine that saw the vault; re-judged the same at unlock and by `vault check`', async () => {
    const home = machine();
    await seen(home, ['a', 'b', 'c', 'd']);
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"forged"}\' WHERE seq = 5'),
      'update',
    );
    let v = await open(home);
    await v.checksDone();
    expect(v.readOnly).toMatchObject({ reason: 'AUDIT_CHAIN_BROKEN', row: 5, kind: 'content' });
    await explainAs(v, 'anne');
    expect(v.readOnly).toBeNull();
    // Work goes on; the head that vouched stays in the memory (pinned) for the re-judging.
    for (let i = 0; i < 3; i++) {
      await note(v, `after ${i}`);
      await v.save();
    }
    await v.close();
    v = await open(home);
    await v.checksDone();
    expect(v.readOnly).toBeNull();
    expect(v.audit.intact).toBe(true);
    await v.close();
    expect(failureCode(await checkVault(folder, { passphrase: PASSPHRASE }, home))).toBeNull();
  });

  it('control: on a fresh machine (no memory), an identity added long before the damage explains it under the fallback rule', async () => {
    await seen(machine(), ['a', 'b', 'c', 'd']);
    await rewriteVault(
      folder,
      (db) => db.run('UPDATE audit_log SET changes = \'{"value":"forged"}\' WHERE seq = 5'),
      'update',
    );
    const fresh = machine();
    let v = await open(fresh);
    await v.checksDone();
    expect(v.readOnly).toMatchObject({ reason: 'AUDIT_CHAIN_BROKEN', row: 5, kind: 'content' });
    await explainAs(v, 'anne');
    expect(v.readOnly).toBeNull();
    await v.close();
    v = await open(fresh);
    await v.checksDone();
    expect(v.readOnly).toBeNull();
    await v.close();
    expect(
      failureCode(await checkVault(folder, { passphrase: PASSPHRASE }, TEST_CONFIG)),
    ).toBeNull();
  });
});

describe('a re-key journal planted in the folder is not acted on', () => {
  /** A journal of the right shape, as anyone who may write to the folder can write one. */
  const planted = (over: Partial<RekeyJournalData>): RekeyJournalData => ({
    version: 1,
    startedAt: new Date().toISOString(),
    reason: 'passphrase',
    header: { salt: randomBytes(32).toString('hex'), kdf: TEST_CONFIG.kdf, slots: [] },
    forward: { nonce: '00'.repeat(12), data: '00'.repeat(48) },
    committed: false,
    cleaned: false,
    old: { generations: [], copies: [], blobs: [], unreferenced: [], temps: [] },
    mac: { old: '00'.repeat(32), new: '00'.repeat(32) },
    ...over,
  });
  const plant = (journal: unknown) =>
    writeFileSync(join(folder, REKEY_JOURNAL), JSON.stringify(journal));
  const mainSalt = () => peekHeader(vaultPath(folder), TEST_CONFIG.limits)!.salt.toString('hex');
  const blobsNow = () => readdirSync(join(folder, 'blobs')).sort();

  it('naming files outside the folder: no file anywhere is removed, and the unlock says so', async () => {
    await genuine();
    const outside = join(work.path, 'outside.tmp-1');
    writeFileSync(outside, 'the accreditor’s own file');
    const memory = join(work.path, 'vault-heads.json');
    writeFileSync(memory, '{}');
    for (const old of [
      { temps: ['../outside.tmp-1'] },
      { copies: [{ name: '../vault-heads.json', size: 2, sha256: '' }] },
      { copies: [{ name: 'vault.awb.damaged-x/../../vault-heads.json', size: 2, sha256: '' }] },
      { generations: [{ name: 'blobs/../../outside.tmp-1', fingerprint: null }] },
    ]) {
      // Marked committed under the main file's (public) salt: an unlock would finish it.
      plant(
        planted({
          header: { salt: mainSalt(), kdf: TEST_CONFIG.kdf, slots: [] },
          committed: true,
          old: { ...planted({}).old, ...old },
        }),
      );
      const v = await unlock();
      expect(v.rekeyNotice, JSON.stringify(old)).toEqual({
        state: 'refused',
        code: 'REKEY_JOURNAL_FOREIGN',
      });
      expect(existsSync(outside)).toBe(true);
      expect(existsSync(memory)).toBe(true);
      // Removed: it neither speaks at the next unlock nor blocks a restore.
      expect(existsSync(join(folder, REKEY_JOURNAL))).toBe(false);
      expect(v.readOnly).toBeNull();
      await v.close();
    }
  });

  it('of the right shape but no MAC under this vault’s key: the evidence stays', async () => {
    await genuine();
    const before = blobsNow();
    expect(before.length).toBe(2);
    // "Not committed" and listing no evidence: undoing it would remove every evidence file.
    plant(planted({}));
    const v = await unlock();
    expect(v.rekeyNotice).toEqual({ state: 'refused', code: 'REKEY_JOURNAL_FOREIGN' });
    expect(blobsNow()).toEqual(before);
    await v.close();
    await expectCheckPasses();
  });

  it('met by a mistyped passphrase, it removes no copy whose header does not read (21l R2-bis)', async () => {
    await genuine();
    const previous = await damagedAndRestored(1, 'header');
    await previous.close();
    const copy = readdirSync(folder).find((n) => n.startsWith('vault.awb.damaged-'))!;
    expect(peekHeader(join(folder, copy), TEST_CONFIG.limits)).toBeNull();
    plant(
      planted({
        header: { salt: mainSalt(), kdf: TEST_CONFIG.kdf, slots: [] },
        committed: true,
        old: { ...planted({}).old, copies: [{ name: copy, size: 0, sha256: '' }] },
      }),
    );
    await expect(Vault.open(folder, { passphrase: 'a typo' }, TEST_CONFIG)).rejects.toMatchObject({
      code: 'REKEY_UNFINISHED',
    });
    expect(existsSync(join(folder, copy))).toBe(true);
  });

  it('met by a mistyped passphrase, it removes no copy under the main file’s key', async () => {
    await genuine();
    // A damaged main file; generation 1 restored (it skips no kept generation, so the vault takes
    // changes again): the damaged copy is kept as evidence.
    const previous = await damagedAndRestored(1);
    await previous.close();
    const copy = readdirSync(folder).find((n) => n.startsWith('vault.awb.damaged-'))!;
    // "Committed" under the main file's (public) salt: a wrong secret would finish it.
    plant(
      planted({
        header: { salt: mainSalt(), kdf: TEST_CONFIG.kdf, slots: [] },
        committed: true,
        old: { ...planted({}).old, copies: [{ name: copy, size: 0, sha256: '' }] },
      }),
    );
    await expect(Vault.open(folder, { passphrase: 'a typo' }, TEST_CONFIG)).rejects.toMatchObject({
      code: 'REKEY_UNFINISHED',
    });
    expect(existsSync(join(folder, copy))).toBe(true);
    const v = await unlock();
    expect(v.rekeyNotice).toEqual({ state: 'refused', code: 'REKEY_JOURNAL_FOREIGN' });
    expect(existsSync(join(folder, copy))).toBe(true);
    await v.close();
  });

  it('a file in the journal’s place that is no journal: refused, not ignored', async () => {
    await genuine();
    for (const text of ['not json', '{"version":2}', JSON.stringify({ ...planted({}), mac: 1 })]) {
      writeFileSync(join(folder, REKEY_JOURNAL), text);
      const v = await unlock();
      expect(v.rekeyNotice, text).toEqual({ state: 'refused', code: 'REKEY_JOURNAL_FOREIGN' });
      expect(existsSync(join(folder, REKEY_JOURNAL))).toBe(false);
      await v.close();
    }
  });

  it('a genuine journal whose list was edited: nothing it lists is removed', async () => {
    await genuine();
    // A re-key that wrote its new main file but could not remove the old ones.
    const stuck = {
      ...TEST_CONFIG,
      fs: {
        ...TEST_CONFIG.fs,
        unlink: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
      },
    };
    const v = await Vault.open(folder, { passphrase: PASSPHRASE }, stuck);
    await v.rekey(PASSPHRASE, NEW_PASSPHRASE);
    await v.close();
    const journal = readJournal(folder)!;
    expect(journal).toMatchObject({ committed: true, cleaned: false });
    const kept = join(folder, 'vault.awb.damaged-2026-01-01');
    writeFileSync(kept, 'a restore kept this copy');
    plant({
      ...journal,
      old: {
        ...journal.old,
        copies: [
          ...journal.old.copies,
          { name: 'vault.awb.damaged-2026-01-01', size: 24, sha256: '' },
        ],
      },
    });
    const again = await unlock({ passphrase: NEW_PASSPHRASE });
    expect(again.rekeyNotice).toEqual({ state: 'refused', code: 'REKEY_JOURNAL_FOREIGN' });
    expect(existsSync(kept)).toBe(true);
    await again.close();
  });

  it('a rolled-back folder with a journal planted beside it is still found rolled back', async () => {
    const memory = new MapHeadMemory();
    const config = { ...TEST_CONFIG, heads: memory };
    const { vault } = await Vault.create(folder, PASSPHRASE, PROFILE, config);
    await note(vault, 'kept');
    await vault.save();
    await vault.close();
    const copy = join(work.path, 'copy');
    cpSync(folder, copy, { recursive: true });
    const later = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    await note(later, 'erased by the rollback');
    await later.save();
    await later.close();
    rmSync(folder, { recursive: true });
    cpSync(copy, folder, { recursive: true });
    plant(
      planted({ header: { salt: mainSalt(), kdf: TEST_CONFIG.kdf, slots: [] }, committed: true }),
    );
    const v = await Vault.open(folder, { passphrase: PASSPHRASE }, config);
    expect(v.readOnly).toMatchObject({ reason: 'ROLLBACK_SUSPECTED' });
    await v.close();
  });
});

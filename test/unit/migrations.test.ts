import { describe, expect, it } from 'vitest';
import {
  checkIntegrity,
  loadSqlJs,
  migrate,
  openDatabase,
  schemaVersion,
} from '../../electron/db/engine';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../electron/db/migrations';

/** Tables, columns and indexes as SQLite reports them: the schema snapshot. */
async function dumpSchema(): Promise<string> {
  const db = await openDatabase();
  const rows =
    db.exec(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )[0]?.values ?? [];
  db.close();
  return `${rows.map((r) => `-- ${String(r[0])} ${String(r[1])} on ${String(r[2])}\n${String(r[3])};`).join('\n\n')}\n`;
}

describe('migrations', () => {
  it('are numbered 1…N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('001 creates the vault tables on an empty database and passes the integrity checks', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toBe(1);
    const tables = db
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]
      ?.values.flat();
    expect(tables).toEqual(['audit_log', 'users', 'vault_meta']);
    expect(() => checkIntegrity(db)).not.toThrow();
    expect(() =>
      db.run(
        "INSERT INTO users (id, name, organisation, role, created_at) VALUES ('u', 'n', 'o', 'admin', 'x')",
      ),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('002 adds the register to a version-1 database, keeping its content', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    db.run(
      "INSERT INTO users (id, name, organisation, role, created_at) VALUES ('u1', 'Anne', 'Org', 'accreditor', 'now')",
    );
    db.run("INSERT INTO vault_meta (key, value) VALUES ('owner_id', 'u1')");
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(2);
    expect(db.exec('SELECT name FROM users')[0]?.values).toEqual([['Anne']]);
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s1', 'R', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run("INSERT INTO system_levels (system_id, domain, level) VALUES ('s1', 'nato', 'SECRET')");
    expect(() =>
      db.run(
        "INSERT INTO system_levels (system_id, domain, level) VALUES ('s1', 'mars', 'SECRET')",
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.run(
        "INSERT INTO system_levels (system_id, domain, level) VALUES ('ghost', 'eu', 'SECRET')",
      ),
    ).toThrow(/FOREIGN KEY/);
    db.run("DELETE FROM systems WHERE id = 's1'");
    expect(db.exec('SELECT count(*) FROM system_levels')[0]?.values[0]?.[0]).toBe(0);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('003 adds cases to a version-2 database with a register, and enforces the checklist links', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s1', 'R', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toBe(3);
    expect(db.exec('SELECT ref FROM systems')[0]?.values).toEqual([['R']]);
    db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('c', '1', '{}', 'x')");
    db.run(
      "INSERT INTO cases (id, ref, system_id, type, state, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k', 'K-1', 's1', 'initial', 'draft', 'c', '1', 'x', 'x')",
    );
    expect(() => db.run("UPDATE cases SET state = 'approved' WHERE id = 'k'")).toThrow(/CHECK/);
    expect(() =>
      db.run(
        "INSERT INTO cases (id, ref, system_id, type, state, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k2', 'K-2', 's1', 'initial', 'draft', 'c', '9', 'x', 'x')",
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.run("DELETE FROM systems WHERE id = 's1'")).toThrow(/FOREIGN KEY/);
    db.run(
      "INSERT INTO checklist_items (case_id, requirement_id, area, position, updated_at) VALUES ('k', 'PER-01', 'PER', 0, 'x')",
    );
    db.run(
      "INSERT INTO evidence (id, case_id, type, title, blob_address, file_name, sha256, size, uploaded_at) VALUES ('e', 'k', 'ssrs', 'S', 'a', 'f', 'h', 1, 'x')",
    );
    expect(() =>
      db.run(
        "INSERT INTO evidence_links (case_id, requirement_id, evidence_id) VALUES ('k', 'NOPE-01', 'e')",
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('004 adds the risk register to a version-3 database, keeping its cases', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 3));
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s1', 'R', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toBe(4);
    expect(db.exec('SELECT ref FROM systems')[0]?.values).toEqual([['R']]);
    db.run("INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES ('m', '{}', 1, 'x')");
    const insert = (id: string, treatment: string, matrix = 'm') =>
      db.run(
        `INSERT INTO risks (id, ref, system_id, matrix_id, scope, threat_event, likelihood, treatment, residual_likelihood, residual_impact, residual_level, residual_rank, created_at, updated_at)
         VALUES ('${id}', '${id}', 's1', '${matrix}', 'scope', 'event', 3, '${treatment}', 2, 2, 'low', 1, 'x', 'x')`,
      );
    insert('r1', 'reduce');
    expect(() => insert('r2', 'ignore')).toThrow(/CHECK/);
    expect(() => insert('r3', 'reduce', 'unknown')).toThrow(/FOREIGN KEY/);
    expect(() => db.run("DELETE FROM systems WHERE id = 's1'")).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.run(
        "INSERT INTO risk_criteria (id, matrix_id, owner_accepts_up_to, accreditor_accepts_up_to, max_acceptance_months, set_by, set_at) VALUES (2, 'm', 'low', 'high', 12, 'a', 'x')",
      ),
    ).toThrow(/CHECK/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('005 adds signed decisions to a version-4 database, keeping its cases', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s1', 'R', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('c', '1', '{}', 'x')");
    db.run(
      "INSERT INTO cases (id, ref, system_id, type, state, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k', 'K-1', 's1', 'initial', 'decision_pending', 'c', '1', 'x', 'x')",
    );
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toBe(5);
    const decision = (id: string, type: string, caseId = 'k') =>
      db.run(
        `INSERT INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, accepted_risks, dossier_sha256, language,
           signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by)
         VALUES ('${id}', '${id}', '${caseId}', '${type}', '[]', 'dedicated', '[]', '[]', '[]', 'h', 'da', 's', 'f', 'x', 'b', 'h', 'x', 'a')`,
      );
    decision('d1', 'full_approval');
    expect(() => decision('d2', 'approved')).toThrow(/CHECK/);
    expect(() => decision('d3', 'refusal', 'nope')).toThrow(/FOREIGN KEY/);
    expect(() => db.run("DELETE FROM cases WHERE id = 'k'")).toThrow(/FOREIGN KEY/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('006 adds the exchange log to a version-5 database', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    expect(migrate(db, MIGRATIONS.slice(0, 6))).toBe(6);
    const row = (direction: string) =>
      db.run(
        `INSERT INTO exchange_log (id, direction, kind, case_id, case_ref, counterpart, fingerprint, sha256, size, summary, at, actor)
         VALUES ('${direction}', '${direction}', 'submission', 'k', 'K-1', 'c', 'f', 'h', 1, '{}', 'x', 'a')`,
      );
    row('sent');
    expect(() => row('lost')).toThrow(/CHECK/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('007 keeps identities stored before, backfills decision signatures, and adds the CRL store', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 6));
    db.run(
      `INSERT INTO signing_identities (id, label, kind, p12, p12_password, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
       VALUES ('i1', 'old', 'self_signed', x'00', 'pw', 'pem', '[]', 's', 'i', '01', 'a', 'b', 'f1', 'x', 'y')`,
    );
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s', 'S', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('c', '1', '{}', 'x')");
    db.run(
      "INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k', 'K', 's', 'initial', 'decided', 't', 'c', '1', 'x', 'x')",
    );
    db.run(
      `INSERT INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, accepted_risks, dossier_sha256, language, signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by)
       VALUES ('d1', 'DEC-1', 'k', 'full_approval', '[]', 'dedicated', '[]', '[]', '[]', 'h', 'da', 'CN=Anne', 'f1', 't', 'b', 'p', 'x', 'Anne')`,
    );
    expect(migrate(db, MIGRATIONS.slice(0, 7))).toBe(7);
    expect(
      db.exec('SELECT kind, p12_password, key_der FROM signing_identities')[0]?.values,
    ).toEqual([['self_signed', 'pw', null]]);
    expect(db.exec('SELECT status, signatures_required FROM decisions')[0]?.values).toEqual([
      ['issued', 1],
    ]);
    expect(
      db.exec('SELECT seq, field, signer_fingerprint, signed_by FROM decision_signatures')[0]
        ?.values,
    ).toEqual([[1, 'Signature1', 'f1', 'Anne']]);
    // A token identity must name its token and key; a software one its key.
    expect(() =>
      db.run(
        `INSERT INTO signing_identities (id, label, kind, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
         VALUES ('i2', 'card', 'pkcs11', 'pem', '[]', 's', 'i', '02', 'a', 'b', 'f2', 'x', 'y')`,
      ),
    ).toThrow(/CHECK/);
    expect(() => db.run("UPDATE decisions SET status = 'draft'")).toThrow(/CHECK/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('008 gives trusted certificates their role, binds received systems and sets the reference prefix', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 7));
    db.run(
      "INSERT INTO users (id, name, organisation, role, created_at) VALUES ('u', 'Anne', 'Center for Cyber Security', 'accreditor', 'x')",
    );
    db.run("INSERT INTO vault_meta (key, value) VALUES ('owner_id', 'u')");
    db.run(
      `INSERT INTO signing_identities (id, label, kind, key_der, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
       VALUES ('i1', 'own', 'self_signed', x'00', 'pem', '[]', 's', 'i', '01', 'a', 'b', 'own', 'x', 'y')`,
    );
    for (const fp of ['own', 'theirs']) {
      db.run(
        "INSERT INTO trusted_certificates (fingerprint, subject, issuer, not_after, cert_pem, added_at, added_by) VALUES (?, 's', 'i', 'n', 'pem', 'x', 'y')",
        [fp],
      );
    }
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s', 'S', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('c', '1', '{}', 'x')");
    db.run(
      "INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k', 'K', 's', 'initial', 'submitted', 't', 'c', '1', 'x', 'x')",
    );
    db.run(
      "INSERT INTO exchange_log (id, direction, kind, case_id, case_ref, counterpart, fingerprint, sha256, size, summary, at, actor) VALUES ('l', 'received', 'submission', 'k', 'K', 'o', 'theirs', 'h', 1, '{}', '2026-01-01', 'Anne')",
    );
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toBe(8);
    // The accreditor's own certificate verifies documents; the one packages came from is an owner.
    expect(
      db.exec('SELECT fingerprint, role FROM trusted_certificates ORDER BY fingerprint')[0]?.values,
    ).toEqual([
      ['own', 'documents'],
      ['theirs', 'owner'],
    ]);
    expect(db.exec('SELECT system_id, anchor FROM system_senders')[0]?.values).toEqual([
      ['s', 'theirs'],
    ]);
    expect(db.exec("SELECT value FROM vault_meta WHERE key = 'ref_prefix'")[0]?.values).toEqual([
      ['CFCS'],
    ]);
    expect(db.exec('SELECT usage FROM signing_identities')[0]?.values).toEqual([['signing']]);
    expect(() => db.run("UPDATE signing_identities SET usage = 'both'")).toThrow(/CHECK/);
    expect(() => db.run("UPDATE trusted_certificates SET role = 'anyone'")).toThrow(/CHECK/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('009 widens the decision types keeping signatures, backfills finding history, and retires rather than deletes', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 8));
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s', 'S', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('c', '1', '{}', 'x')");
    db.run(
      "INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, created_at, updated_at) VALUES ('k', 'K', 's', 'initial', 'in_force', 't', 'c', '1', 'x', 'x')",
    );
    const decision = (id: string, type: string) =>
      db.run(
        `INSERT INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, valid_to, accepted_risks, dossier_sha256, language, signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by)
         VALUES ('${id}', '${id}', 'k', '${type}', '[]', 'dedicated', '[]', '[]', '2029-01-01', '[]', 'h', 'da', 'CN=Anne', 'f1', 't', 'b', 'p', 'x', 'Anne')`,
      );
    decision('d1', 'full_approval');
    expect(() => decision('d0', 'reinstatement')).toThrow(/CHECK/);
    db.run(
      "INSERT INTO decision_signatures (decision_id, seq, field, signer_subject, signer_fingerprint, signed_at, signed_by) VALUES ('d1', 1, 'Signature1', 'CN=Anne', 'f1', 't', 'Anne')",
    );
    db.run(
      "INSERT INTO findings (id, case_id, kind, severity, title, status, created_at, updated_at) VALUES ('f', 'k', 'finding', 'major', 'T', 'in_progress', '2026-02-01', '2026-02-02')",
    );
    expect(migrate(db, MIGRATIONS.slice(0, 9))).toBe(9);
    // The signatures survive the rebuild of their table; the new types are accepted.
    expect(db.exec('SELECT decision_id, signed_by FROM decision_signatures')[0]?.values).toEqual([
      ['d1', 'Anne'],
    ]);
    expect(db.exec("SELECT valid_to FROM decisions WHERE id = 'd1'")[0]?.values).toEqual([
      ['2029-01-01'],
    ]);
    decision('d2', 'reinstatement');
    decision('d3', 'amendment');
    expect(() => decision('d4', 'approved')).toThrow(/CHECK/);
    expect(() => db.run("DELETE FROM cases WHERE id = 'k'")).toThrow(/FOREIGN KEY/);
    // A finding's history starts with the status it had.
    expect(
      db.exec('SELECT finding_id, from_status, to_status, at FROM finding_events')[0]?.values,
    ).toEqual([['f', null, 'in_progress', '2026-02-01']]);
    expect(db.exec('SELECT retired_at FROM sites')).toEqual([]);
    expect(db.exec('SELECT outcome, closed_on FROM records')).toEqual([]);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('010 says where each risk and acceptance came from: made here, or received in a package', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 9));
    db.run(
      "INSERT INTO users (id, name, organisation, role, created_at) VALUES ('u', 'Anne', 'Myndigheden', 'accreditor', 'x')",
    );
    db.run(
      "INSERT INTO systems (id, ref, name, phase, mode, created_at, updated_at) VALUES ('s', 'S', 'N', 'operational', 'dedicated', 'x', 'x')",
    );
    db.run(
      "INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES ('nist-5x5', '{}', 1, 'x')",
    );
    const risk = (id: string) =>
      db.run(
        `INSERT INTO risks (id, ref, system_id, matrix_id, scope, threat_event, likelihood, treatment, residual_likelihood, residual_impact, residual_level, residual_rank, created_at, updated_at)
         VALUES ('${id}', '${id}', 's', 'nist-5x5', 'x', 'y', 1, 'reduce', 1, 1, 'low', 1, 'x', 'x')`,
      );
    // One made here (it has its 'created' review), one an owner's submission brought.
    risk('mine');
    risk('theirs');
    db.run(
      "INSERT INTO risk_reviews (risk_id, at, actor, note, matrix_id, residual_level, residual_rank) VALUES ('mine', 'x', 'Anne', 'created', 'nist-5x5', 'low', 1)",
    );
    const accept = (risk: string, role: string) =>
      db.run(
        `INSERT INTO risk_acceptances (risk_id, accepted_by, role, authority, justification, accepted_on, expires_on, fingerprint, snapshot, at)
         VALUES ('${risk}', 'X', '${role}', 'owner', 'j', '2026-01-01', '2027-01-01', 'f', '{}', 'x')`,
      );
    accept('mine', 'accreditor');
    accept('theirs', 'system_owner');
    expect(migrate(db, MIGRATIONS.slice(0, 10))).toBe(10);
    expect(db.exec('SELECT id, origin FROM risks ORDER BY id')[0]?.values).toEqual([
      ['mine', 'here'],
      ['theirs', 'received'],
    ]);
    expect(
      db.exec('SELECT risk_id, origin, claimed_by FROM risk_acceptances ORDER BY risk_id')[0]
        ?.values,
    ).toEqual([
      ['mine', 'here', null],
      ['theirs', 'received', null],
    ]);
    expect(() => db.run("UPDATE risks SET origin = 'elsewhere'")).toThrow(/CHECK/);
    expect(() => checkIntegrity(db)).not.toThrow();
    db.close();
  });

  it('refuses a database from a newer build', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'NEWER_VERSION' }));
    db.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves the database untouched', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    const broken = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        up: (d: typeof db) => d.run('CREATE TABLE nope ('),
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(
      db.exec("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0]?.values[0]?.[0],
    ).toBe(0);
    db.close();
  });

  it('foreign keys stay on after an export', async () => {
    const { exportDatabase } = await import('../../electron/db/engine');
    const db = await openDatabase();
    exportDatabase(db);
    expect(db.exec('PRAGMA foreign_keys')[0]?.values[0]?.[0]).toBe(1);
    expect(() =>
      db.run(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_organisation, actor_role, action, entity_type, entity_id, changes, prev_hash, hash) VALUES (1, 'x', 'ghost', 'n', 'o', 'r', 'a', 'e', 'i', '{}', 'p', 'h')",
      ),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('matches the committed schema snapshot', async () => {
    await expect(await dumpSchema()).toMatchFileSnapshot('./__snapshots__/schema.sql');
  });
});

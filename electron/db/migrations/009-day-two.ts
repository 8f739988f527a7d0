import type { Database } from 'sql.js';

/**
 * Day two of an accreditation:
 * - decisions after the first approval: a reinstatement lifts a suspension, an amendment
 *   changes an approval in force (the type's CHECK is widened; the table is rebuilt, its
 *   signatures kept aside while it is);
 * - how the disposal of a decommissioned system was verified (who, how, which evidence);
 * - a finding's or condition's status history;
 * - register entries are retired, not deleted (they stay in history and in old dossiers), and
 *   a record closes with an outcome.
 */
export const m009DayTwo = {
  version: 9,
  name: 'day two',
  up(db: Database): void {
    db.run(`
      CREATE TEMP TABLE decision_signatures_kept AS SELECT * FROM decision_signatures;
      CREATE TABLE decisions_9 (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE RESTRICT,
        type TEXT NOT NULL CHECK (type IN ('full_approval','interim_approval','approval_to_test','refusal','suspension','withdrawal','reinstatement','amendment')),
        levels TEXT NOT NULL,
        mode TEXT NOT NULL,
        sites TEXT NOT NULL,
        interconnections TEXT NOT NULL,
        valid_from TEXT,
        valid_to TEXT,
        accepted_risks TEXT NOT NULL,
        dossier_sha256 TEXT NOT NULL,
        language TEXT NOT NULL,
        signer_subject TEXT NOT NULL,
        signer_fingerprint TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        pdf_blob TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        signatures_required INTEGER NOT NULL DEFAULT 1 CHECK (signatures_required IN (1, 2)),
        status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('awaiting_countersignature', 'issued'))
      ) STRICT;
      INSERT INTO decisions_9 (id, ref, case_id, type, levels, mode, sites, interconnections, valid_from, valid_to,
          accepted_risks, dossier_sha256, language, signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256,
          created_at, created_by, signatures_required, status)
        SELECT id, ref, case_id, type, levels, mode, sites, interconnections, valid_from, valid_to,
          accepted_risks, dossier_sha256, language, signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256,
          created_at, created_by, signatures_required, status
        FROM decisions;
      DROP TABLE decisions;
      ALTER TABLE decisions_9 RENAME TO decisions;
      CREATE INDEX decisions_case ON decisions (case_id);
      CREATE INDEX decisions_valid_to ON decisions (valid_to);
      INSERT INTO decision_signatures SELECT * FROM decision_signatures_kept;
      DROP TABLE decision_signatures_kept;

      CREATE TABLE case_disposals (
        case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        verified_by TEXT NOT NULL,
        method TEXT NOT NULL,
        evidence TEXT NOT NULL,
        verified_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE finding_events (
        seq INTEGER PRIMARY KEY,
        finding_id TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        from_status TEXT,
        to_status TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX finding_events_finding ON finding_events (finding_id);
      INSERT INTO finding_events (finding_id, from_status, to_status, actor, at)
        SELECT id, NULL, status, '', created_at FROM findings;

      ALTER TABLE organisations ADD COLUMN retired_at TEXT;
      ALTER TABLE people ADD COLUMN retired_at TEXT;
      ALTER TABLE sites ADD COLUMN retired_at TEXT;
      ALTER TABLE approved_products ADD COLUMN retired_at TEXT;
      ALTER TABLE components ADD COLUMN retired_at TEXT;
      ALTER TABLE interconnections ADD COLUMN retired_at TEXT;
      ALTER TABLE records ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
      ALTER TABLE records ADD COLUMN closed_on TEXT;
      CREATE INDEX records_status ON records (status);
    `);
  },
};

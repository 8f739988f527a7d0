import type { Database } from 'sql.js';

/** Accreditation cases (issue 5): frozen catalogues, cases and their history, checklists, evidence, findings. */
export const m003Cases = {
  version: 3,
  name: 'cases',
  up(db: Database): void {
    db.run(`
      CREATE TABLE catalogues (
        id TEXT NOT NULL,
        version TEXT NOT NULL,
        json TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;

      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE RESTRICT,
        type TEXT NOT NULL CHECK (type IN ('initial','reaccreditation','significant_change','interconnection','interim_extension','decommissioning')),
        state TEXT NOT NULL CHECK (state IN ('draft','submitted','intake','returned','under_review','verification','awaiting_remediation',
          'decision_pending','decided','in_force','reaccreditation_due','suspended','withdrawn','expired','decommissioned','closed','cancelled')),
        title TEXT NOT NULL DEFAULT '',
        catalogue_id TEXT NOT NULL,
        catalogue_version TEXT NOT NULL,
        deadline TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        FOREIGN KEY (catalogue_id, catalogue_version) REFERENCES catalogues(id, version)
      ) STRICT;
      CREATE INDEX cases_system ON cases (system_id);
      CREATE INDEX cases_state ON cases (state);

      CREATE TABLE case_transitions (
        seq INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX case_transitions_case ON case_transitions (case_id);

      CREATE TABLE checklist_items (
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        requirement_id TEXT NOT NULL,
        area TEXT NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'not_assessed'
          CHECK (status IN ('not_assessed','compliant','partially','non_compliant','not_applicable','compensated')),
        statement TEXT NOT NULL DEFAULT '',
        justification TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL DEFAULT 'none' CHECK (verdict IN ('none','agreed','disagreed')),
        assessor_comment TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (case_id, requirement_id)
      ) STRICT;

      CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        effective_date TEXT,
        marking_level TEXT,
        marking_domain TEXT,
        blob_address TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        review_status TEXT NOT NULL DEFAULT 'submitted' CHECK (review_status IN ('submitted','accepted','rejected','superseded')),
        uploaded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evidence_case ON evidence (case_id);

      CREATE TABLE evidence_links (
        case_id TEXT NOT NULL,
        requirement_id TEXT NOT NULL,
        evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        PRIMARY KEY (case_id, requirement_id, evidence_id),
        FOREIGN KEY (case_id, requirement_id) REFERENCES checklist_items(case_id, requirement_id) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        requirement_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('finding','condition')),
        severity TEXT NOT NULL CHECK (severity IN ('critical','major','minor','observation')),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        recommended_action TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        due_date TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','in_progress','resolved','verified','accepted_as_risk')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX findings_case ON findings (case_id);
      CREATE INDEX findings_due ON findings (due_date);
    `);
  },
};

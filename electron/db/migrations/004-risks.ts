import type { Database } from 'sql.js';

/**
 * Risk assessment (issue 6): matrices as data, the vault's acceptance criteria, the risk
 * register with its links, acceptances (with the accepted state frozen), and the reviews and
 * recalculations that make trends and matrix changes traceable.
 */
export const m004Risks = {
  version: 4,
  name: 'risks',
  up(db: Database): void {
    db.run(`
      CREATE TABLE risk_matrices (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE risk_criteria (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        matrix_id TEXT NOT NULL REFERENCES risk_matrices(id),
        owner_accepts_up_to TEXT NOT NULL,
        accreditor_accepts_up_to TEXT NOT NULL,
        max_acceptance_months INTEGER NOT NULL,
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE risks (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE RESTRICT,
        case_id TEXT REFERENCES cases(id) ON DELETE SET NULL,
        matrix_id TEXT NOT NULL REFERENCES risk_matrices(id),
        scope TEXT NOT NULL,
        threat_source TEXT NOT NULL DEFAULT '',
        threat_event TEXT NOT NULL,
        vulnerability TEXT NOT NULL DEFAULT '',
        impact_c INTEGER,
        impact_i INTEGER,
        impact_a INTEGER,
        impact_auth INTEGER,
        likelihood INTEGER NOT NULL,
        inherent_level TEXT,
        inherent_rank INTEGER,
        treatment TEXT NOT NULL CHECK (treatment IN ('reduce','accept','avoid','share')),
        measures TEXT NOT NULL DEFAULT '',
        residual_likelihood INTEGER NOT NULL,
        residual_impact INTEGER NOT NULL,
        residual_level TEXT NOT NULL,
        residual_rank INTEGER NOT NULL,
        owner TEXT NOT NULL DEFAULT '',
        review_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX risks_system ON risks (system_id);
      CREATE INDEX risks_case ON risks (case_id);
      CREATE INDEX risks_residual ON risks (residual_rank DESC);

      CREATE TABLE risk_links (
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('requirement','finding')),
        target TEXT NOT NULL,
        PRIMARY KEY (risk_id, kind, target)
      ) STRICT;
      CREATE INDEX risk_links_target ON risk_links (kind, target);

      CREATE TABLE risk_acceptances (
        seq INTEGER PRIMARY KEY,
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        accepted_by TEXT NOT NULL,
        role TEXT NOT NULL,
        authority TEXT NOT NULL CHECK (authority IN ('owner','accreditor')),
        justification TEXT NOT NULL,
        accepted_on TEXT NOT NULL,
        expires_on TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX risk_acceptances_risk ON risk_acceptances (risk_id);

      CREATE TABLE risk_reviews (
        seq INTEGER PRIMARY KEY,
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL,
        matrix_id TEXT NOT NULL,
        inherent_level TEXT,
        inherent_rank INTEGER,
        residual_level TEXT NOT NULL,
        residual_rank INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX risk_reviews_risk ON risk_reviews (risk_id);

      CREATE TABLE risk_recalculations (
        seq INTEGER PRIMARY KEY,
        from_matrix TEXT NOT NULL,
        to_matrix TEXT NOT NULL,
        moved TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
    `);
  },
};

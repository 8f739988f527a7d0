import type { Database } from 'sql.js';

/**
 * Where a risk and an acceptance came from (issue 21): made in this vault ('here') or brought by
 * a package of the other side ('received'). A package may change only the rows its sender made;
 * an acceptance that arrived by package is kept as the sender's claim (attributed to the
 * certificate that signed it, with the name the package claimed beside it) and counts only if
 * this vault's criteria allow it.
 *
 * Rows from before: a risk made here has its 'created' review (packages never wrote one), and
 * an acceptance made here carries this vault's role (the other side's role came by package).
 */
export const m010PackageScope = {
  version: 10,
  name: 'package scope',
  up(db: Database): void {
    db.run(`
      ALTER TABLE risks ADD COLUMN origin TEXT NOT NULL DEFAULT 'here' CHECK (origin IN ('here','received'));
      UPDATE risks SET origin = 'received'
        WHERE NOT EXISTS (SELECT 1 FROM risk_reviews v WHERE v.risk_id = risks.id AND v.note = 'created');

      ALTER TABLE risk_acceptances ADD COLUMN origin TEXT NOT NULL DEFAULT 'here' CHECK (origin IN ('here','received'));
      ALTER TABLE risk_acceptances ADD COLUMN claimed_by TEXT;
      ALTER TABLE risk_acceptances ADD COLUMN signer_fingerprint TEXT;
      UPDATE risk_acceptances SET origin = 'received'
        WHERE role <> coalesce((SELECT role FROM users ORDER BY created_at LIMIT 1), role);
    `);
  },
};

import type { Database } from 'sql.js';

/** The organisation's initials as a reference prefix (frozen here, as this migration shipped). */
function initials(organisation: string): string {
  const words = organisation
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'O')
    .replace(/Å/g, 'A')
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  let prefix = words.map((w) => w[0]).join('');
  if (prefix.length < 2) {
    prefix = (words[0] ?? '').slice(0, 4);
  }
  prefix = prefix.replace(/^[0-9]+/, '').slice(0, 10);
  return /^[A-Z][A-Z0-9]{1,9}$/.test(prefix) ? prefix : 'AWB';
}

/**
 * The exchange, version 2:
 * - identities are for signing or for encryption (separate keys, separate key usages);
 * - a trusted certificate has a role: it verifies documents only, or it may also send decision
 *   packages (an authority) or submission packages (a system owner); certificates trusted before
 *   get the role their packages had: the counterpart's, as the vault's own role implies;
 * - each system received by submission is bound to the owner that sent it (the anchor its
 *   certificate chains to, its subject, and the encryption certificate answers go to); systems
 *   received before are bound to the certificate their last submission came from;
 * - each case's exchange has a sequence: the last package's number and digest, and how far the
 *   case's transitions had travelled;
 * - the dossier a decision was taken on is kept as it was (canonical JSON), by its hash;
 * - the vault numbers its references under a prefix (from its organisation's initials here).
 */
export const m008ExchangeV2 = {
  version: 8,
  name: 'exchange v2',
  up(db: Database): void {
    db.run(`
      ALTER TABLE signing_identities ADD COLUMN usage TEXT NOT NULL DEFAULT 'signing'
        CHECK (usage IN ('signing', 'encryption'));

      ALTER TABLE trusted_certificates ADD COLUMN role TEXT NOT NULL DEFAULT 'documents'
        CHECK (role IN ('documents', 'authority', 'owner'));
      UPDATE trusted_certificates SET role = CASE
          (SELECT role FROM users WHERE id = (SELECT value FROM vault_meta WHERE key = 'owner_id'))
          WHEN 'accreditor' THEN 'owner' ELSE 'authority' END
        WHERE fingerprint NOT IN (SELECT fingerprint FROM signing_identities);

      CREATE TABLE system_senders (
        system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
        anchor TEXT NOT NULL,
        subject TEXT NOT NULL,
        reply_to TEXT,
        bound_at TEXT NOT NULL
      ) STRICT;
      INSERT OR REPLACE INTO system_senders (system_id, anchor, subject, bound_at)
        SELECT c.system_id, l.fingerprint, '', l.at FROM exchange_log l JOIN cases c ON c.id = l.case_id
        WHERE l.direction = 'received' AND l.kind = 'submission' ORDER BY l.at;

      CREATE TABLE case_exchange (
        case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        digest TEXT NOT NULL,
        transitions_upto INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
      ) STRICT;

      ALTER TABLE exchange_log ADD COLUMN seq INTEGER;
      ALTER TABLE exchange_log ADD COLUMN marking TEXT NOT NULL DEFAULT '';
      CREATE INDEX exchange_log_sha256 ON exchange_log (sha256);

      CREATE TABLE dossier_snapshots (
        sha256 TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX dossier_snapshots_case ON dossier_snapshots (case_id);
    `);
    // A vault made before prefixes gets its organisation's initials (a new one chooses at creation).
    const organisation = db.exec(
      "SELECT organisation FROM users WHERE id = (SELECT value FROM vault_meta WHERE key = 'owner_id')",
    )[0]?.values[0]?.[0];
    if (typeof organisation === 'string') {
      db.run("INSERT OR IGNORE INTO vault_meta (key, value) VALUES ('ref_prefix', ?)", [
        initials(organisation),
      ]);
    }
  },
};

import type { Database } from 'sql.js';

/**
 * Signed decisions (issue 7): signing identities (key and certificate, only ever inside the
 * vault), the certificates the user trusts, decisions with the hash of the dossier they decided
 * on, and the documents issued.
 */
export const m005Decisions = {
  version: 5,
  name: 'decisions',
  up(db: Database): void {
    db.run(`
      CREATE TABLE signing_identities (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pkcs12','self_signed')),
        p12 BLOB NOT NULL,
        p12_password TEXT NOT NULL,
        cert_pem TEXT NOT NULL,
        chain_pem TEXT NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE trusted_certificates (
        fingerprint TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        not_after TEXT NOT NULL,
        cert_pem TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE RESTRICT,
        type TEXT NOT NULL CHECK (type IN ('full_approval','interim_approval','approval_to_test','refusal','suspension','withdrawal')),
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
        created_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX decisions_case ON decisions (case_id);
      CREATE INDEX decisions_valid_to ON decisions (valid_to);

      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        blob_address TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        signed INTEGER NOT NULL CHECK (signed IN (0, 1)),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX documents_case ON documents (case_id);
    `);
  },
};

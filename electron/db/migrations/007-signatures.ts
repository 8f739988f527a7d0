import type { Database } from 'sql.js';

/**
 * Signatures an authority can stand behind (issue 11):
 * - signing identities keep their key as PKCS#8 (RSA or EC) or live on a PKCS#11 token (then
 *   only the token's serial and the key's id are kept); identities stored before keep their
 *   PKCS#12 and are read as before;
 * - the trust store holds CRLs beside its anchors;
 * - a decision may need two signatures (four eyes): it records how many, whether it still
 *   awaits its countersignature, and every signature made on it.
 */
export const m007Signatures = {
  version: 7,
  name: 'signatures',
  up(db: Database): void {
    db.run(`
      CREATE TABLE signing_identities_7 (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pkcs12','self_signed','pkcs11')),
        key_der BLOB,
        p12 BLOB,
        p12_password TEXT,
        token_serial TEXT,
        token_label TEXT,
        key_id TEXT,
        cert_pem TEXT NOT NULL,
        chain_pem TEXT NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        CHECK ((kind = 'pkcs11') = (key_id IS NOT NULL AND token_serial IS NOT NULL)),
        CHECK (kind = 'pkcs11' OR key_der IS NOT NULL OR (p12 IS NOT NULL AND p12_password IS NOT NULL))
      ) STRICT;
      INSERT INTO signing_identities_7 (id, label, kind, p12, p12_password, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
        SELECT id, label, kind, p12, p12_password, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by
        FROM signing_identities;
      DROP TABLE signing_identities;
      ALTER TABLE signing_identities_7 RENAME TO signing_identities;

      CREATE TABLE trusted_crls (
        fingerprint TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT,
        entries INTEGER NOT NULL,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
      ) STRICT;

      ALTER TABLE decisions ADD COLUMN signatures_required INTEGER NOT NULL DEFAULT 1
        CHECK (signatures_required IN (1, 2));
      ALTER TABLE decisions ADD COLUMN status TEXT NOT NULL DEFAULT 'issued'
        CHECK (status IN ('awaiting_countersignature', 'issued'));

      CREATE TABLE decision_signatures (
        decision_id TEXT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        field TEXT NOT NULL,
        signer_subject TEXT NOT NULL,
        signer_fingerprint TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        signed_by TEXT NOT NULL,
        PRIMARY KEY (decision_id, seq),
        UNIQUE (decision_id, signer_fingerprint)
      ) STRICT;
      INSERT INTO decision_signatures (decision_id, seq, field, signer_subject, signer_fingerprint, signed_at, signed_by)
        SELECT id, 1, 'Signature1', signer_subject, signer_fingerprint, signed_at, created_by FROM decisions;
    `);
  },
};

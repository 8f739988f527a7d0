import type { Database } from 'sql.js';

/**
 * The register of classified systems and the security-authority records (issue 4).
 * Level codes are text checked by the services against the scheme in force (schemes are data).
 */
export const m002Register = {
  version: 2,
  name: 'register',
  up(db: Database): void {
    db.run(`
      CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('authority','system_owner','operator','supplier','other')),
        cvr TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        email TEXT NOT NULL DEFAULT '',
        briefed_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE clearances (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        issuing_body TEXT NOT NULL,
        expires_on TEXT NOT NULL
      ) STRICT;
      CREATE INDEX clearances_person ON clearances (person_id);
      CREATE INDEX clearances_expiry ON clearances (expires_on);

      CREATE TABLE systems (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        purpose TEXT NOT NULL DEFAULT '',
        owner_org_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        operator_org_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        phase TEXT NOT NULL CHECK (phase IN ('planned','build','test','operational','decommissioned')),
        mode TEXT NOT NULL CHECK (mode IN ('dedicated','system_high','compartmented','multilevel')),
        user_count INTEGER NOT NULL DEFAULT 0,
        min_clearance TEXT,
        boundary TEXT NOT NULL DEFAULT '',
        next_review TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX systems_owner ON systems (owner_org_id);

      CREATE TABLE system_levels (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        level TEXT NOT NULL,
        PRIMARY KEY (system_id, domain)
      ) STRICT;

      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        area_class TEXT NOT NULL DEFAULT '',
        max_level TEXT NOT NULL,
        tempest_zone TEXT NOT NULL DEFAULT '',
        last_inspection TEXT,
        next_inspection TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE system_sites (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        PRIMARY KEY (system_id, site_id)
      ) STRICT;

      CREATE TABLE approved_products (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        vendor TEXT NOT NULL DEFAULT '',
        version TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('crypto','boundary_device','tempest_equipment')),
        authority TEXT NOT NULL,
        reference TEXT NOT NULL,
        max_level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        expires_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE components (
        id TEXT PRIMARY KEY,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        product TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        site_id TEXT REFERENCES sites(id) ON DELETE SET NULL,
        level TEXT NOT NULL,
        tempest_level TEXT NOT NULL DEFAULT '',
        crypto INTEGER NOT NULL DEFAULT 0 CHECK (crypto IN (0, 1)),
        approved_product_id TEXT REFERENCES approved_products(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX components_system ON components (system_id);

      CREATE TABLE interconnections (
        id TEXT PRIMARY KEY,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        peer_system_id TEXT REFERENCES systems(id) ON DELETE SET NULL,
        peer_name TEXT NOT NULL DEFAULT '',
        local_level TEXT NOT NULL,
        peer_level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        boundary_product_id TEXT REFERENCES approved_products(id) ON DELETE SET NULL,
        boundary_device TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL CHECK (direction IN ('outbound','inbound','bidirectional')),
        approval_status TEXT NOT NULL CHECK (approval_status IN ('none','pending','approved','expired','refused')),
        valid_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX interconnections_system ON interconnections (system_id);

      CREATE TABLE system_people (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (system_id, person_id, role)
      ) STRICT;

      CREATE TABLE records (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        their_ref TEXT NOT NULL DEFAULT '',
        our_ref TEXT NOT NULL DEFAULT '',
        sent_on TEXT,
        received_on TEXT,
        valid_from TEXT,
        valid_to TEXT,
        follow_up_due TEXT,
        marking_level TEXT,
        marking_domain TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','awaiting_reply','closed')),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX records_follow_up ON records (follow_up_due);

      CREATE TABLE record_systems (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        PRIMARY KEY (record_id, system_id)
      ) STRICT;

      CREATE TABLE record_attachments (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        blob_address TEXT NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (record_id, blob_address)
      ) STRICT;

      CREATE TABLE classification_scheme (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};

-- index audit_log_entity on audit_log
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- index clearances_expiry on clearances
CREATE INDEX clearances_expiry ON clearances (expires_on);

-- index clearances_person on clearances
CREATE INDEX clearances_person ON clearances (person_id);

-- index components_system on components
CREATE INDEX components_system ON components (system_id);

-- index interconnections_system on interconnections
CREATE INDEX interconnections_system ON interconnections (system_id);

-- index records_follow_up on records
CREATE INDEX records_follow_up ON records (follow_up_due);

-- index systems_owner on systems
CREATE INDEX systems_owner ON systems (owner_org_id);

-- table approved_products on approved_products
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

-- table audit_log on audit_log
CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL REFERENCES users(id),
        actor_name TEXT NOT NULL,
        actor_organisation TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        changes TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;

-- table classification_scheme on classification_scheme
CREATE TABLE classification_scheme (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table clearances on clearances
CREATE TABLE clearances (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        issuing_body TEXT NOT NULL,
        expires_on TEXT NOT NULL
      ) STRICT;

-- table components on components
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

-- table interconnections on interconnections
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

-- table organisations on organisations
CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('authority','system_owner','operator','supplier','other')),
        cvr TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table people on people
CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        email TEXT NOT NULL DEFAULT '',
        briefed_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table record_attachments on record_attachments
CREATE TABLE record_attachments (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        blob_address TEXT NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (record_id, blob_address)
      ) STRICT;

-- table record_systems on record_systems
CREATE TABLE record_systems (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        PRIMARY KEY (record_id, system_id)
      ) STRICT;

-- table records on records
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

-- table sites on sites
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

-- table system_levels on system_levels
CREATE TABLE system_levels (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        level TEXT NOT NULL,
        PRIMARY KEY (system_id, domain)
      ) STRICT;

-- table system_people on system_people
CREATE TABLE system_people (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (system_id, person_id, role)
      ) STRICT;

-- table system_sites on system_sites
CREATE TABLE system_sites (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        PRIMARY KEY (system_id, site_id)
      ) STRICT;

-- table systems on systems
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

-- table users on users
CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
        role TEXT NOT NULL CHECK (role IN ('accreditor', 'system_owner')),
        created_at TEXT NOT NULL
      ) STRICT;

-- table vault_meta on vault_meta
CREATE TABLE vault_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

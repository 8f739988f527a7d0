-- index audit_log_entity on audit_log
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

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

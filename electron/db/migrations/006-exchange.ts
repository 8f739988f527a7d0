import type { Database } from 'sql.js';

/** The air-gap exchange (issue 7): every package sent or received, with its hash and sender. */
export const m006Exchange = {
  version: 6,
  name: 'exchange',
  up(db: Database): void {
    db.run(`
      CREATE TABLE exchange_log (
        id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('sent','received')),
        kind TEXT NOT NULL CHECK (kind IN ('submission','decision')),
        case_id TEXT NOT NULL,
        case_ref TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        summary TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL
      ) STRICT;
      CREATE INDEX exchange_case ON exchange_log (case_id);
    `);
  },
};

import type { Database } from 'sql.js';

/**
 * The audit anchor each received package cited (issue 21): the sender's trail (rows and last
 * hash) when it made the package, and when it says it made it. A package made later by the same
 * sender must cite a trail that reaches at least as far; one that is shorter, or one as long
 * with another last hash, means the sender's vault was rolled back or forked in between.
 */
export const m011SenderAnchor = {
  version: 11,
  name: 'sender anchor',
  up(db: Database): void {
    db.run(`
      ALTER TABLE exchange_log ADD COLUMN anchor_rows INTEGER;
      ALTER TABLE exchange_log ADD COLUMN anchor_head TEXT;
      ALTER TABLE exchange_log ADD COLUMN made_at TEXT;
    `);
  },
};

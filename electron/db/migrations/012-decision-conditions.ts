import type { Database } from 'sql.js';

/**
 * The conditions a decision was issued with, as its letter lists them (issue 21): what, for
 * which requirement, who, by when. The letter's signers sign their hash with the rest of the
 * decision's terms, so a vault receiving the decision takes its conditions only as signed.
 */
export const m012DecisionConditions = {
  version: 12,
  name: 'decision conditions',
  up(db: Database): void {
    db.run(`ALTER TABLE decisions ADD COLUMN conditions TEXT NOT NULL DEFAULT '[]';`);
  },
};

/**
 * The register as the exchange reads and writes it: whether a package's system is known here and
 * at which levels, whether its reference names another system, the system's row as a package
 * carries it, and — inside the importing change — a new system written as its owner registered it
 * and a known system's levels raised (never lowered) with a change row of its own, which four
 * eyes and the approval's scope read. The exchange reaches the register here, never through its
 * repository.
 */
import type { Database } from 'sql.js';
import type { SystemLevel } from '../../../shared/approval-scope';
import { appendAudit, type Actor } from '../../db/audit';
import { exists, writeSystemLevels } from './repository';

export {
  levelsOf as knownLevels,
  refTaken as refNamesAnother,
  systemCells as systemForPackage,
  insertSystemCells as writeReceivedSystem,
} from './repository';

export function systemKnown(db: Database, systemId: string): boolean {
  return exists(db, 'systems', systemId);
}

/**
 * A known system's levels raised to `after`, with the `system.update` row that says from what,
 * to what and by which package.
 */
export function raiseLevels(
  db: Database,
  actor: Actor,
  systemId: string,
  raise: { before: SystemLevel[]; after: SystemLevel[] },
  by: string,
): void {
  writeSystemLevels(db, systemId, raise.after);
  appendAudit(
    db,
    actor,
    {
      action: 'system.update',
      entityType: 'system',
      entityId: systemId,
      changes: { levels: [raise.before, raise.after], by },
    },
    new Date(),
  );
}

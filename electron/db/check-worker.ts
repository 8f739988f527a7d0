/**
 * The database checks, in a worker thread: SQLite's integrity_check and foreign_key_check and
 * the whole audit chain, over a copy of the image just unlocked. They take about a second on a
 * large vault; here they run beside the app instead of in the unlock the user waits for.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyAuditChain } from './audit';
import { checkIntegrity, loadSqlJs } from './engine';
import type { IntegrityReport } from './checks';

async function run(image: Uint8Array): Promise<IntegrityReport> {
  const SQL = await loadSqlJs();
  // As a Buffer, sql.js uses these bytes as its file instead of copying them again.
  const db = new SQL.Database(Buffer.from(image.buffer, image.byteOffset, image.length));
  try {
    let integrity: IntegrityReport['integrity'] = 'ok';
    let foreignKeyViolations = 0;
    try {
      checkIntegrity(db);
    } catch (error) {
      integrity = 'failed';
      const details = (error as { details?: { foreignKeyViolations?: number } }).details;
      foreignKeyViolations = details?.foreignKeyViolations ?? 0;
    }
    return { integrity, foreignKeyViolations, chain: verifyAuditChain(db) };
  } finally {
    db.close();
  }
}

void run(workerData as Uint8Array).then(
  (report) => parentPort?.postMessage(report),
  () =>
    parentPort?.postMessage({
      integrity: 'failed',
      foreignKeyViolations: 0,
      chain: { intact: false, rows: 0, brokenAt: 0 },
    } satisfies IntegrityReport),
);

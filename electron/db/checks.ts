/**
 * Runs the database checks (check-worker.ts) on a copy of an unlocked image, off the thread the
 * app answers on. The vault waits for them before its first save, so a damaged database is
 * never written over a good generation.
 */
import { runInWorker } from '../workers';
import type { ChainReport } from './audit';

export interface IntegrityReport {
  integrity: 'ok' | 'failed';
  foreignKeyViolations: number;
  chain: ChainReport;
}

/**
 * Checks `image` (which it takes: the caller must not use it afterwards). Resolves null when
 * the worker could not run at all, so the caller runs the checks itself.
 */
export function checkInBackground(image: Uint8Array): Promise<IntegrityReport | null> {
  return runInWorker<IntegrityReport>(import.meta.dirname, 'check-worker', image, [
    image.buffer as ArrayBuffer,
  ]);
}

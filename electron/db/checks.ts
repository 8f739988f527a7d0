/**
 * Runs the database checks (check-worker.ts) on a copy of an unlocked image, off the thread the
 * app answers on. The vault waits for them before its first save, so a damaged database is
 * never written over a good generation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChainReport } from './audit';

export interface IntegrityReport {
  integrity: 'ok' | 'failed';
  foreignKeyViolations: number;
  chain: ChainReport;
}

/** The worker script: the bundled one next to the built main, else the source through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = join(import.meta.dirname, 'check-worker.js');
  if (existsSync(bundled)) {
    return { file: bundled, execArgv: [] };
  }
  return { file: join(import.meta.dirname, 'check-worker.ts'), execArgv: ['--import', 'tsx'] };
}

/**
 * Checks `image` (which it takes: the caller must not use it afterwards). Resolves null when
 * the worker could not run at all, so the caller runs the checks itself.
 */
export function checkInBackground(image: Uint8Array): Promise<IntegrityReport | null> {
  const { file, execArgv } = workerEntry();
  return new Promise((resolve) => {
    const worker = new Worker(file, {
      execArgv,
      workerData: image,
      transferList: [image.buffer as ArrayBuffer],
    });
    let done = false;
    const finish = (report: IntegrityReport | null) => {
      if (!done) {
        done = true;
        resolve(report);
        void worker.terminate();
      }
    };
    worker.once('message', (report: IntegrityReport) => finish(report));
    // A worker that cannot run says nothing either way: the caller checks in its own thread.
    worker.once('error', () => finish(null));
    worker.once('exit', () => finish(null));
  });
}

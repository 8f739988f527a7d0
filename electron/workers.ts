/**
 * Runs one job in a worker thread and resolves with its one message, or null when the worker
 * could not run (the caller then does the job itself). The worker script is the bundled
 * `<name>.js` beside the running bundle, or the TypeScript source run through tsx in
 * development and tests. A worker's memory (a WebAssembly heap, a copy of a database) is
 * given back when it ends, which is why the big, short jobs run in one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';

export function runInWorker<T>(
  dir: string,
  name: string,
  data: unknown,
  transferList: TransferListItem[] = [],
): Promise<T | null> {
  const bundled = join(dir, `${name}.js`);
  const [file, execArgv] = existsSync(bundled)
    ? [bundled, []]
    : [join(dir, `${name}.ts`), ['--import', 'tsx']];
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(file, { execArgv, workerData: data, transferList });
    } catch {
      resolve(null);
      return;
    }
    let done = false;
    const finish = (value: T | null) => {
      if (!done) {
        done = true;
        resolve(value);
        void worker.terminate();
      }
    };
    worker.once('message', (value: T) => finish(value));
    worker.once('error', () => finish(null));
    worker.once('exit', () => finish(null));
  });
}

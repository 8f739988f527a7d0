/**
 * Renders a document in a separate worker process with a time limit: a layout that never
 * finishes becomes DOCUMENT_TIMEOUT, a layout that fails becomes DOCUMENT_FAILED, and the app
 * stays responsive either way. The launcher is injected: a Node child process by default, an
 * Electron utility process in the app.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentSpec } from '../../shared/documents';
import { AppError } from '../../shared/errors';

export interface WorkerHandle {
  send(spec: DocumentSpec): void;
  onMessage(listener: (reply: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}
export type WorkerLauncher = (entry: string) => WorkerHandle;

/** The worker script: the bundled one next to the built main, else the source run through tsx. */
export function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = join(import.meta.dirname, 'pdf-worker.js');
  if (existsSync(bundled)) {
    return { file: bundled, execArgv: [] };
  }
  // tsx as this module resolves it: `--import tsx` alone is resolved from the working folder,
  // and the command line run from outside the project found none (DOCUMENT_FAILED).
  return {
    file: join(import.meta.dirname, 'worker.ts'),
    execArgv: ['--import', import.meta.resolve('tsx')],
  };
}

/** A Node child process (CLI, browser preview, tests). */
export const nodeLauncher: WorkerLauncher = (entry) => {
  const { execArgv } = workerEntry();
  const child = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  return {
    send: (spec) => child.send(spec),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill('SIGKILL'),
  };
};

export const DEFAULT_TIMEOUT_MS = 120_000;

export function renderPdf(
  spec: DocumentSpec,
  options: { timeoutMs?: number; launcher?: WorkerLauncher } = {},
): Promise<Buffer> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, launcher = nodeLauncher } = options;
  return new Promise((resolve, reject) => {
    const worker = launcher(workerEntry().file);
    let settled = false;
    const finish = (outcome: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        outcome();
      }
    };
    const timer = setTimeout(
      () =>
        finish(() => {
          worker.kill();
          reject(
            new AppError('DOCUMENT_TIMEOUT', 'The document layout did not finish in time', {
              seconds: Math.round(timeoutMs / 1000),
            }),
          );
        }),
      timeoutMs,
    );
    worker.onMessage((reply) => {
      const r = reply as { ok: boolean; pdf?: string; message?: string };
      finish(() =>
        r.ok && r.pdf
          ? resolve(Buffer.from(r.pdf, 'base64'))
          : reject(new AppError('DOCUMENT_FAILED', r.message ?? 'The document layout failed')),
      );
    });
    worker.onExit((code) =>
      finish(() =>
        reject(
          new AppError('DOCUMENT_FAILED', `The document worker stopped (exit ${code ?? 'signal'})`),
        ),
      ),
    );
    worker.send(spec);
  });
}

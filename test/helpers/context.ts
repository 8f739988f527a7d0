import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HandlerContext } from '../../electron/ipc/context';
import { createPreviewContext } from '../../electron/preview/context';
import { TEST_CONFIG } from './vault';

export const projectRoot = resolve(import.meta.dirname, '..', '..');

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempFolder(prefix = 'awb-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestContext {
  ctx: HandlerContext;
  emitted: { channel: string; payload: unknown }[];
  opened: string[];
  dataFolder: string;
}

/** The preview's real context (real preferences file) in a temp folder, recording side effects. */
export function makeTestContext(dataFolder: string): TestContext {
  const emitted: TestContext['emitted'] = [];
  const opened: string[] = [];
  const ctx = createPreviewContext({
    projectRoot,
    dataFolder,
    emit: (channel, payload) => emitted.push({ channel, payload }),
    openExternal: async (url) => {
      opened.push(url);
    },
    vaultConfig: TEST_CONFIG,
  });
  return { ctx, emitted, opened, dataFolder };
}

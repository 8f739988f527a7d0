import { join } from 'node:path';
import { handlers } from '../../electron/ipc/handlers';
import { createPreviewContext } from '../../electron/preview/context';
import { startPreviewServer, type PreviewServer } from '../../electron/preview/server';
import { projectRoot } from './context';
import { TEST_CONFIG } from './vault';

/**
 * Starts the real preview server over the built renderer, with its own data folder (and, for a
 * test of the idle lock, an idle time in milliseconds).
 */
export function startTestPreview(
  dataFolder: string,
  options: { idle?: { limitMs: number; checkEveryMs: number } } = {},
): Promise<PreviewServer> {
  return startPreviewServer({
    rendererDir: join(projectRoot, 'dist', 'renderer'),
    bridgeFile: join(projectRoot, 'dist', 'preview', 'bridge.js'),
    handlers,
    createContext: (emit) =>
      createPreviewContext({
        projectRoot,
        dataFolder,
        emit,
        openExternal: async () => undefined,
        vaultConfig: TEST_CONFIG,
        ...(options.idle ? { idle: options.idle } : {}),
      }),
    log: { error: () => undefined },
  });
}

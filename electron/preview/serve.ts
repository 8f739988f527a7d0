/**
 * `npm run preview` (and the fallback of `npm start`): serves the built renderer and the core
 * on 127.0.0.1 and prints the URL with its token. Ctrl+C stops it.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlers } from '../ipc/handlers';
import { createPreviewContext } from './context';
import { startPreviewServer } from './server';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataFolder = process.env.AWB_DATA_DIR ?? join(homedir(), '.accreditation-workbench-preview');

const server = await startPreviewServer({
  rendererDir: join(projectRoot, 'dist', 'renderer'),
  bridgeFile: join(projectRoot, 'dist', 'preview', 'bridge.js'),
  handlers,
  createContext: (emit) => createPreviewContext({ projectRoot, dataFolder, emit }),
  log: {
    error: (message, meta) =>
      process.stderr.write(`[preview] ${message} ${JSON.stringify(meta ?? {})}\n`),
  },
  port: process.env.AWB_PREVIEW_PORT ? Number(process.env.AWB_PREVIEW_PORT) : 0,
});

process.stdout.write(
  `Browser preview of Accreditation Workbench (development and test only)\n` +
    `  data folder: ${dataFolder}\n` +
    `  open: ${server.url}\n` +
    `Press Ctrl+C to stop.\n`,
);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

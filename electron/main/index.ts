/**
 * Electron entry: single-instance lock, sandbox for every renderer, hardening before the first
 * window, the app:// protocol, IPC bound to the Electron-free handler table.
 */
import { app, BrowserWindow, dialog, powerMonitor, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlers } from '../ipc/handlers';
import { createCore } from '../services';
import { utilityLauncher } from './pdf-launcher';
import type { HandlerContext } from '../ipc/context';
import { installAppHardening, hardenSession } from './hardening';
import { registerIpc } from './ipc';
import { wireVaultLifecycle } from './lifecycle';
import { applyLocale } from './locale';
import { ElectronPreferences } from './preferences';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');

const log = {
  error(message: string, meta?: Record<string, unknown>): void {
    process.stderr.write(`[main] ${message} ${JSON.stringify(meta ?? {})}\n`);
  },
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  installAppHardening();
  const prefs = new ElectronPreferences();
  applyLocale(app.commandLine, prefs.get());

  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveRenderer(rendererDir);

    const emit: HandlerContext['emit'] = (channel, payload) => {
      for (const window of BrowserWindow.getAllWindows()) {
        window.webContents.send(channel, payload);
      }
    };
    // The newest audit head seen for each vault is kept on this machine (not in the vault folder).
    const core = createCore({
      dataFolder: app.getPath('userData'),
      prefs,
      emit,
      documents: { launcher: utilityLauncher },
      pkcs11Module: () => prefs.get().pkcs11Module,
    });
    const ctx: HandlerContext = {
      app: {
        appVersion: app.getVersion(),
        runtime: 'electron',
        versions: {
          electron: process.versions.electron ?? null,
          chrome: process.versions.chrome ?? null,
          node: process.versions.node,
        },
        platform: `${process.platform}-${process.arch}`,
        dataFolder: app.getPath('userData'),
      },
      prefs,
      emit,
      openExternal: (url) => shell.openExternal(url),
      async pickFolder() {
        const options = {
          properties: ['openDirectory', 'createDirectory'] as (
            'openDirectory' | 'createDirectory'
          )[],
        };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async pickPackage() {
        const options = {
          properties: ['openFile'] as 'openFile'[],
          filters: [{ name: 'Accreditation Workbench package', extensions: ['awbpkg'] }],
        };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async pickPkcs11Module() {
        const options = {
          properties: ['openFile'] as 'openFile'[],
          filters: [{ name: 'PKCS#11 module', extensions: ['so', 'dll', 'dylib'] }],
        };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      ...core,
    };
    wireVaultLifecycle(app, powerMonitor, core.vault, emit);
    registerIpc(handlers, ctx, log);
    mainWindow = createMainWindow(preloadPath);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });
}

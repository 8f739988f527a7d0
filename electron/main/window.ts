/**
 * The window factory: every window the app opens is created here, with secureWebPreferences —
 * the developer tools off in a packaged build (test/unit/window.test.ts).
 */
import { app, BrowserWindow } from 'electron';
import { APP_ENTRY_URL, secureWebPreferences } from './policy';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: secureWebPreferences(preloadPath, { packaged: app.isPackaged }),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

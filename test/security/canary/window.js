// The security gate's canary: a window as nobody may write one. The gate scans this folder
// beside electron/ and fails unless the scanner reports it, so a scanner that stops finding
// things (a broken install, a changed rule name) cannot pass the gate silently. Never imported.
import { BrowserWindow } from 'electron';

export default () =>
  new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });

/**
 * The developer tools are off in a packaged build: the window factory is run as the packaged
 * app runs it (Electron cannot start here; its API is replaced by a recorder) and the
 * webPreferences it hands to BrowserWindow are read back. No other code of the shipped main
 * process may make a window or open the tools.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../helpers/context';

const made: { webPreferences: Record<string, unknown> }[] = [];
const app = { isPackaged: true };

vi.mock('electron', () => ({
  app,
  BrowserWindow: class {
    constructor(options: { webPreferences: Record<string, unknown> }) {
      made.push(options);
    }
    once() {}
    loadURL() {
      return Promise.resolve();
    }
  },
}));

const { createMainWindow } = await import('../../electron/main/window');
const { secureWebPreferences } = await import('../../electron/main/policy');

beforeEach(() => {
  made.length = 0;
});

describe('the main window', () => {
  it('has no developer tools in a packaged build, and the hardened set otherwise', () => {
    app.isPackaged = true;
    createMainWindow('/app/preload.cjs');
    expect(made).toHaveLength(1);
    expect(made[0]!.webPreferences.devTools).toBe(false);
    expect(made[0]!.webPreferences).toStrictEqual(
      secureWebPreferences('/app/preload.cjs', { packaged: true }),
    );
  });

  it('has them in development (an unpackaged run)', () => {
    app.isPackaged = false;
    createMainWindow('/app/preload.cjs');
    expect(made[0]!.webPreferences.devTools).toBe(true);
  });
});

describe('the shipped main process', () => {
  // What electron-builder.yml packages of the main process is built from these folders;
  // electron/dev/ (the development tooling) is not shipped.
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return path === join(projectRoot, 'electron', 'dev') ? [] : sources(path);
      }
      return /\.tsx?$/.test(entry.name) ? [path] : [];
    });
  const files = sources(join(projectRoot, 'electron')).map((file) => ({
    file: relative(projectRoot, file),
    text: readFileSync(file, 'utf8'),
  }));

  it('makes windows only in the window factory', () => {
    expect(
      files.filter((f) => /new\s+BrowserWindow\b|BrowserView|WebContentsView/.test(f.text)),
    ).toEqual([expect.objectContaining({ file: join('electron', 'main', 'window.ts') })]);
  });

  it('never opens the developer tools, nor sets them on', () => {
    expect(
      files.filter((f) => /openDevTools|devTools\s*:\s*true/.test(f.text)).map((f) => f.file),
    ).toEqual([]);
  });
});

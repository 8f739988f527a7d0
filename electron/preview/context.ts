/**
 * Builds the handler context the browser preview (and the e2e fixtures) run the core with:
 * the same handlers as the desktop app, with file-backed preferences in a data folder of
 * its own and a plain-Node description of the runtime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerContext } from '../ipc/context';
import { JsonFilePreferences } from '../services/preferences';
import { createCore } from '../services';
import type { VaultServiceOptions } from '../services/vault-service';
import type { VaultConfig } from '../vault/vault';

export interface PreviewContextOptions {
  projectRoot: string;
  dataFolder: string;
  emit: HandlerContext['emit'];
  openExternal?: (url: string) => Promise<void>;
  /** Vault configuration; what ships unless a test injects its cheap KDF. */
  vaultConfig?: VaultConfig;
  /** A PKCS#11 module for token identities (the preview has no file dialog to choose one). */
  pkcs11Module?: string | null;
  /** Tests only: an idle lock in milliseconds instead of the preference's minutes. */
  idle?: VaultServiceOptions['idle'];
}

export function readAppVersion(projectRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

export function createPreviewContext(options: PreviewContextOptions): HandlerContext {
  const prefs = new JsonFilePreferences(options.dataFolder);
  const core = createCore({
    dataFolder: options.dataFolder,
    prefs,
    emit: options.emit,
    ...(options.vaultConfig ? { vaultConfig: options.vaultConfig } : {}),
    ...(options.idle ? { idle: options.idle } : {}),
    pkcs11Module: () => prefs.get().pkcs11Module ?? options.pkcs11Module ?? null,
  });
  return {
    app: {
      appVersion: readAppVersion(options.projectRoot),
      runtime: 'preview',
      versions: { electron: null, chrome: null, node: process.versions.node },
      platform: `${process.platform}-${process.arch}`,
      dataFolder: options.dataFolder,
    },
    prefs,
    emit: options.emit,
    openExternal:
      options.openExternal ??
      (async (url) => {
        // The preview has no OS integration of its own: it names the vetted link instead.
        process.stdout.write(`[preview] external link requested (open it yourself): ${url}\n`);
      }),
    // The browser has no native folder dialog: the UI asks for the path as text instead.
    pickFolder: async () => null,
    pickPackage: async () => null,
    pickPkcs11Module: async () => null,
    ...core,
  };
}

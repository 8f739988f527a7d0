/** The application: diagnostics, preferences, the external opener, the progress of long tasks. */
import { z } from 'zod';
import { LANGUAGES } from '../i18n';
import { Empty, event, invoke } from './common';
import { VaultStateSchema } from './vault';

export const LanguageSchema = z.enum(LANGUAGES);

/** Non-secret preferences only (electron-store in the app): never content, never keys. */
export const PreferencesSchema = z
  .object({
    language: LanguageSchema,
    recentVaults: z.array(z.string().min(1).max(4096)).max(10),
    idleLockMinutes: z.number().int().min(1).max(240),
    /**
     * The PKCS#11 module (a smart card or HSM vendor's library) for identities on a token. Set
     * only through the main process's file dialog: the window never names a library to load.
     */
    pkcs11Module: z.string().min(1).max(4096).nullable(),
  })
  .strict();
export type Preferences = z.infer<typeof PreferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  language: 'da',
  recentVaults: [],
  idleLockMinutes: 10,
  pkcs11Module: null,
};

export const PreferencesPatchSchema = z
  .object({
    language: LanguageSchema.optional(),
    idleLockMinutes: PreferencesSchema.shape.idleLockMinutes.optional(),
  })
  .strict();

export const DiagnosticsSchema = z
  .object({
    appVersion: z.string(),
    runtime: z.enum(['electron', 'preview']),
    versions: z
      .object({
        electron: z.string().nullable(),
        chrome: z.string().nullable(),
        node: z.string(),
      })
      .strict(),
    platform: z.string(),
    dataFolder: z.string(),
    vaultState: VaultStateSchema,
  })
  .strict();
export type Diagnostics = z.infer<typeof DiagnosticsSchema>;

export const appChannels = {
  'app:diagnostics': invoke(Empty, DiagnosticsSchema),
  'prefs:get': invoke(Empty, PreferencesSchema),
  'prefs:set': invoke(PreferencesPatchSchema, PreferencesSchema),
  'shell:openExternal': invoke(
    z.object({ url: z.string().min(1).max(2048) }).strict(),
    z.object({ opened: z.literal(true) }).strict(),
  ),
  'task:progress': event(
    z
      .object({
        task: z.enum(['package-export', 'package-import', 'rekey']),
        done: z.number(),
        total: z.number(),
      })
      .strict(),
  ),
} as const;

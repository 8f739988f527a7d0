/**
 * Preferences for the browser preview and the CLI: a JSON file in the data folder, parsed
 * (never trusted) on every read, written atomically. The desktop app uses electron-store
 * behind the same interface (electron/main/preferences.ts).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_PREFERENCES, PreferencesSchema, type Preferences } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PreferencesStore } from './host';

/** Reads untrusted stored preferences, keeping every valid field and defaulting the rest. */
export function sanitizePreferences(stored: unknown): Preferences {
  const whole = PreferencesSchema.safeParse(stored);
  if (whole.success) {
    return whole.data;
  }
  const result: Preferences = { ...DEFAULT_PREFERENCES };
  if (stored !== null && typeof stored === 'object') {
    const record = stored as Record<string, unknown>;
    for (const key of Object.keys(PreferencesSchema.shape) as (keyof Preferences)[]) {
      const field = PreferencesSchema.shape[key].safeParse(record[key]);
      if (field.success) {
        (result as Record<string, unknown>)[key] = field.data;
      }
    }
  }
  return result;
}

export function mergePreferences(current: Preferences, patch: Partial<Preferences>): Preferences {
  const merged = PreferencesSchema.safeParse({ ...current, ...patch });
  if (!merged.success) {
    throw new AppError('VALIDATION_FAILED', 'Preferences out of range');
  }
  return merged.data;
}

export class JsonFilePreferences implements PreferencesStore {
  private readonly file: string;

  constructor(dataFolder: string) {
    this.file = join(dataFolder, 'preferences.json');
  }

  get(): Preferences {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return { ...DEFAULT_PREFERENCES };
    }
    try {
      return sanitizePreferences(JSON.parse(text));
    } catch {
      return { ...DEFAULT_PREFERENCES };
    }
  }

  update(patch: Partial<Preferences>): Preferences {
    const next = mergePreferences(this.get(), patch);
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.tmp`;
      writeFileSync(temp, JSON.stringify(next, null, 2), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch {
      throw new AppError('PREFERENCES_UNAVAILABLE', 'Preferences could not be written');
    }
    return next;
  }
}

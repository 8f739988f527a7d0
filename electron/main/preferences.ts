/**
 * The desktop app's preferences: electron-store (non-secret values only: language, recent
 * vault folders, idle-lock minutes). What it reads is parsed, never trusted.
 */
import Store from 'electron-store';
import { DEFAULT_PREFERENCES, type Preferences } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PreferencesStore } from '../ipc/context';
import { mergePreferences, sanitizePreferences } from '../services/preferences';

export class ElectronPreferences implements PreferencesStore {
  private readonly store = new Store<{ preferences: Preferences }>({
    name: 'preferences',
    defaults: { preferences: DEFAULT_PREFERENCES },
    clearInvalidConfig: true,
  });

  get(): Preferences {
    return sanitizePreferences(this.store.get('preferences'));
  }

  update(patch: Partial<Preferences>): Preferences {
    const next = mergePreferences(this.get(), patch);
    try {
      this.store.set('preferences', next);
    } catch {
      throw new AppError('PREFERENCES_UNAVAILABLE', 'Preferences could not be written');
    }
    return next;
  }
}

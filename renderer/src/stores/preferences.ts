/** Preferences as the UI sees them; the core (electron-store or the preview's file) owns them. */
import { create } from 'zustand';
import type { Preferences } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n';
import { call } from '../api';

interface PreferencesState {
  loaded: boolean;
  prefs: Preferences | null;
  load: () => Promise<void>;
  setLanguage: (language: Language) => Promise<void>;
}

export const usePreferences = create<PreferencesState>((set, get) => ({
  loaded: false,
  prefs: null,
  async load() {
    const prefs = await call('prefs:get', {});
    set({ loaded: true, prefs: prefs ?? null });
  },
  // Optimistic: the UI switches at once; if the core refuses, the previous choice comes back
  // and the error sink says why.
  async setLanguage(language) {
    const previous = get().prefs;
    if (previous) {
      set({ prefs: { ...previous, language } });
    }
    const prefs = await call('prefs:set', { language });
    set({ prefs: prefs ?? previous });
  },
}));

export function useLanguage(): Language {
  return usePreferences((s) => s.prefs?.language ?? 'da');
}

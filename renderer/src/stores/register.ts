/**
 * Reference data of the open vault the screens share: the classification scheme in force and
 * the organisations. Loaded after unlock, cleared on lock.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { ClassificationScheme, type InfoDomain } from '../../../shared/classification';
import { call } from '../api';
import { registerReset } from './reset';

interface RegisterStore {
  scheme: ClassificationScheme | null;
  organisations: {
    id: string;
    name: string;
    type: string;
    cvr: string;
    contact: string;
    retiredAt: string | null;
  }[];
  load: () => Promise<void>;
  /** Items shown on the current screen, for the classification banner. */
  onScreen: { domain: InfoDomain; level: string }[];
  setOnScreen: (items: { domain: InfoDomain; level: string }[]) => void;
}

export const useRegister = create<RegisterStore>((set) => ({
  scheme: null,
  organisations: [],
  onScreen: [],
  async load() {
    const [scheme, orgs] = await Promise.all([
      call('register:scheme', {}),
      call('organisations:list', {}),
    ]);
    set({
      scheme: scheme ? new ClassificationScheme(scheme) : null,
      organisations: orgs?.organisations ?? [],
    });
  },
  setOnScreen: (onScreen) => set({ onScreen }),
}));

registerReset(() => useRegister.setState({ scheme: null, organisations: [], onScreen: [] }));

/** Declares what the screen shows, so the banner carries its highest marking. */
export function useOnScreen(items: { domain: InfoDomain; level: string }[]): void {
  const setOnScreen = useRegister((s) => s.setOnScreen);
  const key = JSON.stringify(items);
  useEffect(() => {
    setOnScreen(JSON.parse(key) as { domain: InfoDomain; level: string }[]);
    return () => setOnScreen([]);
  }, [key, setOnScreen]);
}

/** "HEM" style short label for a level in a domain. */
export function useLevelLabel(): (code: string | null | undefined, domain?: InfoDomain) => string {
  const scheme = useRegister((s) => s.scheme);
  return (code, domain = 'national') => (code ? (scheme?.label(code, domain) ?? code) : '—');
}

/**
 * The vault as the UI sees it. The core owns the state; this store mirrors `vault:status` and
 * follows `vault:stateChanged`, clearing every feature store when the vault locks.
 */
import { create } from 'zustand';
import type { VaultStatus } from '../../../shared/contract';
import { callRaw } from '../api';
import { useNotifications } from './notifications';
import { usePreferences } from './preferences';
import { resetAll } from './reset';

interface VaultStore {
  status: VaultStatus | null;
  /** The recovery key just created, shown once until confirmed. */
  recoveryKey: string | null;
  refresh: () => Promise<void>;
  applyStatus: (status: VaultStatus) => void;
  setRecoveryKey: (key: string | null) => void;
}

export const useVault = create<VaultStore>((set, get) => ({
  status: null,
  recoveryKey: null,
  async refresh() {
    const result = await callRaw('vault:status', {});
    if (result.ok) {
      get().applyStatus(result.value);
    } else {
      useNotifications.getState().pushError(result.error);
    }
  },
  applyStatus(status) {
    const before = get().status?.state;
    if (before === 'unlocked' && status.state !== 'unlocked') {
      resetAll();
      set({ recoveryKey: null });
    }
    set({ status });
  },
  setRecoveryKey: (recoveryKey) => set({ recoveryKey }),
}));

let subscribed = false;

/** Follows the core's vault events; call once at start-up. */
export function followVaultEvents(): void {
  if (subscribed) {
    return;
  }
  subscribed = true;
  window.workbench.on('vault:stateChanged', () => {
    void useVault.getState().refresh();
    // Opening a vault updates the recent-vaults list the core keeps in the preferences.
    void usePreferences.getState().load();
  });
  window.workbench.on('vault:saveFailed', ({ code }) =>
    useNotifications.getState().pushError({ code, message: code }),
  );
}

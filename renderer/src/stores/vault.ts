/**
 * The vault as the UI sees it. The core owns the state; this store mirrors `vault:status` and
 * follows `vault:stateChanged`, clearing every feature store when the vault locks.
 */
import { create } from 'zustand';
import type { VaultStatus } from '../../../shared/contract';
import { callRaw } from '../api';
import { newestFirst } from './newest';
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

// A refresh's answer may arrive after a newer status was applied (see newest.ts).
const order = newestFirst();

export const useVault = create<VaultStore>((set, get) => {
  function apply(status: VaultStatus): void {
    const before = get().status?.state;
    if (before === 'unlocked' && status.state !== 'unlocked') {
      resetAll();
      set({ recoveryKey: null });
    }
    set({ status });
  }
  return {
    status: null,
    recoveryKey: null,
    async refresh() {
      const ticket = order.ask();
      const result = await callRaw('vault:status', {});
      if (!result.ok) {
        useNotifications.getState().pushError(result.error);
      } else if (order.admit(ticket)) {
        apply(result.value); // unless a newer status was applied while this one was on its way
      }
    },
    applyStatus(status) {
      order.given();
      apply(status);
    },
    setRecoveryKey: (recoveryKey) => set({ recoveryKey }),
  };
});

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

/**
 * Ties the vault to the desktop session: OS suspend and screen lock lock the vault (saving
 * first); quitting saves and closes it first, and if that save fails the app stays open and
 * says so instead of dropping the change.
 */
import type { App, PowerMonitor } from 'electron';
import type { Emit } from '../ipc/context';
import type { VaultService } from '../services/vault-service';

export function wireVaultLifecycle(
  app: Pick<App, 'on' | 'quit'>,
  power: Pick<PowerMonitor, 'on'>,
  vault: Pick<VaultService, 'lock' | 'shutdown' | 'state'>,
  emit: Emit,
): void {
  const lockNow = (): void => {
    vault.lock('system').catch(() => emit('vault:saveFailed', { code: 'SAVE_FAILED' }));
  };
  power.on('suspend', lockNow);
  power.on('lock-screen', lockNow);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || vault.state() !== 'unlocked') {
      return;
    }
    event.preventDefault();
    vault
      .shutdown()
      .then(() => {
        quitting = true;
        app.quit();
      })
      .catch(() => emit('vault:saveFailed', { code: 'SAVE_FAILED' }));
  });
}

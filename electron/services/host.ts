/**
 * What the core needs from the process that hosts it (Electron's main process, the browser
 * preview, the CLI): a preferences store and a way to tell the window something changed. The
 * host implements these; the core only names them, so it never imports the host's layers.
 */
import type { EventChannel, PayloadOf, Preferences } from '../../shared/contract';

export interface PreferencesStore {
  get(): Preferences;
  /** Persists the merged preferences and returns them; throws AppError on failure. */
  update(patch: Partial<Preferences>): Preferences;
}

export type Emit = <E extends EventChannel>(channel: E, payload: PayloadOf<E>) => void;

/** Where a command writes and what it runs with: the terminal in use, or a test's buffers. */
import type { VaultConfig } from '../vault/vault';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  config: VaultConfig;
  cwd: string;
}

/**
 * The services of an open vault, built once and shared by Electron's main process, the browser
 * preview and the CLI, so every entry point sees the same wiring.
 */
import type { Vault } from '../vault/vault';
import { CaseService } from './cases';
import { DashboardService } from './dashboard';
import { RegisterService } from './register';
import { RiskService } from './risks';

export interface VaultServices {
  register: RegisterService;
  risks: RiskService;
  cases: CaseService;
  dashboard: DashboardService;
}

export function createServices(vault: () => Vault): VaultServices {
  const register = new RegisterService(vault);
  const risks = new RiskService(vault);
  return {
    register,
    risks,
    cases: new CaseService(vault, register, risks),
    dashboard: new DashboardService(vault, risks),
  };
}

/**
 * The services of an open vault, built once and shared by Electron's main process, the browser
 * preview and the CLI, so every entry point sees the same wiring.
 */
import type { Vault } from '../vault/vault';
import { CaseService } from './cases';
import { DashboardService } from './dashboard';
import { DecisionService, type DocumentOptions } from './decisions';
import { ExchangeService } from './exchange';
import { RegisterService } from './register';
import { RiskService } from '../areas/risks/use-cases';
import { SigningService, type SigningOptions } from './signing';

export interface VaultServices {
  register: RegisterService;
  risks: RiskService;
  cases: CaseService;
  dashboard: DashboardService;
  signing: SigningService;
  decisions: DecisionService;
  exchange: ExchangeService;
}

export function createServices(
  vault: () => Vault,
  documents: DocumentOptions = {},
  signingOptions: SigningOptions = {},
): VaultServices {
  const register = new RegisterService(vault);
  const risks = new RiskService(vault);
  const cases = new CaseService(vault, register, risks);
  const signing = new SigningService(vault, signingOptions);
  const decisions = new DecisionService(vault, register, cases, risks, signing, documents);
  return {
    register,
    risks,
    cases,
    dashboard: new DashboardService(vault, risks),
    signing,
    decisions,
    exchange: new ExchangeService(vault, register, cases, decisions, signing, risks),
  };
}

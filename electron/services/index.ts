/**
 * The core, built once and shared by Electron's main process, the browser preview and the CLI,
 * so every entry point sees the same wiring: `createCore` for a process that keeps a vault open
 * across requests (the app and the preview: the vault service, uploads and every service, tied
 * to the vault's lock and day), `createServices` for one that opens a vault for one command (the
 * CLI) — the same services either way.
 */
import type { EntityKind } from '../../shared/register';
import { FileHeadMemory } from '../vault/head-memory';
import { PRODUCTION_CONFIG, type Vault, type VaultConfig } from '../vault/vault';
import type { Emit, PreferencesStore } from './host';
import { Uploads } from './uploads';
import { VaultService, type VaultServiceOptions } from './vault-service';
import { CaseService } from '../areas/cases/use-cases';
import { DashboardService } from './dashboard';
import { DecisionService, type DocumentOptions } from '../areas/decisions/use-cases';
import { ExchangeService } from '../areas/exchange/use-cases';
import { RegisterService } from '../areas/register/use-cases';
import { RecordService } from '../areas/records/use-cases';
import { RiskService } from '../areas/risks/use-cases';
import { CatalogueService } from '../areas/catalogues/use-cases';
import { SigningService, type SigningOptions } from '../areas/identities/use-cases';

export interface VaultServices {
  register: RegisterService;
  records: RecordService;
  risks: RiskService;
  catalogues: CatalogueService;
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
  const records = new RecordService(vault, register);
  const risks = new RiskService(vault);
  const catalogues = new CatalogueService(vault, register);
  const cases = new CaseService(vault, register, risks, catalogues);
  const signing = new SigningService(vault, register, signingOptions);
  const decisions = new DecisionService(vault, register, records, cases, risks, signing, documents);
  return {
    register,
    records,
    risks,
    catalogues,
    cases,
    dashboard: new DashboardService(vault, register, risks),
    signing,
    decisions,
    exchange: new ExchangeService(vault, register, cases, decisions, signing, risks),
  };
}

/**
 * Corrects a register entry of any kind, the way the Register screen and `awb register update`
 * name them: a record by the records area, every other entry by the register.
 */
export function correctEntry(
  services: Pick<VaultServices, 'register' | 'records'>,
  kind: EntityKind,
  id: string,
  raw: unknown,
): Promise<boolean> {
  return kind === 'record'
    ? services.records.update(id, raw)
    : services.register.update(kind, id, raw);
}

export interface CoreOptions {
  /** This machine's data folder: the newest audit head of each vault is remembered there. */
  dataFolder: string;
  prefs: PreferencesStore;
  emit: Emit;
  /** What ships unless a test injects its cheap KDF (and, if it likes, a memory of its own). */
  vaultConfig?: VaultConfig;
  documents?: DocumentOptions;
  /** The PKCS#11 module token identities use, asked each time (a preference may change it). */
  pkcs11Module: () => string | null | undefined;
  /** Tests only: an idle lock in milliseconds instead of the preference's minutes. */
  idle?: VaultServiceOptions['idle'];
}

export interface Core extends VaultServices {
  vault: VaultService;
  uploads: Uploads;
}

/**
 * The core of a process that keeps a vault open: the vault service, uploads into its evidence
 * store (aborted when it locks), and every service of the open vault (the cases' deadlines
 * applied when the day changes).
 */
export function createCore(options: CoreOptions): Core {
  const vault = new VaultService({
    config: {
      heads: new FileHeadMemory(options.dataFolder),
      ...(options.vaultConfig ?? PRODUCTION_CONFIG),
    },
    prefs: options.prefs,
    emit: options.emit,
    ...(options.idle ? { idle: options.idle } : {}),
  });
  const uploads = new Uploads(() => vault.current());
  const services = createServices(() => vault.current(), options.documents ?? {}, {
    pkcs11Module: () => options.pkcs11Module() ?? null,
  });
  vault.onLock(() => uploads.abortAll());
  vault.onDay(() => services.cases.applyTime());
  return { ...services, vault, uploads };
}

/**
 * What a handler may use. Electron's main process and the browser preview each build one of
 * these and inject the platform pieces (preferences store, external opener, versions), so the
 * handlers themselves never import `electron` and run in plain Node.
 */
import type { Diagnostics } from '../../shared/contract';
import type { CaseService } from '../areas/cases/use-cases';
import type { CatalogueService } from '../areas/catalogues/use-cases';
import type { DashboardService } from '../services/dashboard';
import type { DecisionService } from '../areas/decisions/use-cases';
import type { ExchangeService } from '../areas/exchange/use-cases';
import type { RegisterService } from '../areas/register/use-cases';
import type { RecordService } from '../areas/records/use-cases';
import type { RiskService } from '../areas/risks/use-cases';
import type { SigningService } from '../areas/identities/use-cases';
import type { Uploads } from '../services/uploads';
import type { Emit, PreferencesStore } from '../services/host';
import type { VaultService } from '../services/vault-service';

export type { Emit, PreferencesStore };

export interface AppInfo {
  appVersion: string;
  runtime: Diagnostics['runtime'];
  versions: Diagnostics['versions'];
  platform: string;
  dataFolder: string;
}

export interface HandlerContext {
  app: AppInfo;
  prefs: PreferencesStore;
  emit: Emit;
  /** Hands an already-vetted URL to the operating system (never opened inside the app). */
  openExternal(url: string): Promise<void>;
  /** Asks the user for a folder (a native dialog in the app; null where there is none). */
  pickFolder(): Promise<string | null>;
  /** Asks the user for an exchange package to open (null where there is no native dialog). */
  pickPackage(): Promise<string | null>;
  /**
   * Asks the user for a PKCS#11 module (a native library the main process will load): only a
   * native dialog may choose one, never a path sent by the window (null where there is none).
   */
  pickPkcs11Module(): Promise<string | null>;
  vault: VaultService;
  /** The register of the open vault (VAULT_LOCKED while none is open). */
  register: RegisterService;
  /** The security-authority records of the open vault. */
  records: RecordService;
  /** Chunked uploads into the open vault's blob store. */
  uploads: Uploads;
  /** Accreditation cases of the open vault. */
  cases: CaseService;
  /** The requirement catalogues of the open vault. */
  catalogues: CatalogueService;
  /** The risk register, matrices and acceptance criteria of the open vault. */
  risks: RiskService;
  /** The portfolio dashboard of the open vault. */
  dashboard: DashboardService;
  /** Signing identities (software and token) and the trust store of the open vault. */
  signing: SigningService;
  /** Documents and decisions of the open vault. */
  decisions: DecisionService;
  /** Signed packages across the air gap. */
  exchange: ExchangeService;
}

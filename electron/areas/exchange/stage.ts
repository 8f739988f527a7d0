/**
 * What every stage of the exchange stands on: the vault and the services it composes, and the
 * facts of a package read and verified (read.ts), which the later stages take in turn —
 * authorise.ts (which rows its sender may write), plan.ts (the preview), apply.ts (the change).
 */
import type { Database, SqlValue } from 'sql.js';
import { AppError } from '../../../shared/errors';
import type { PackageKind, TrustRole } from '../../../shared/exchange';
import type { CaseState } from '../../../shared/lifecycle';
import { queryRows, text } from '../../db/query';
import type { Limits, Manifest, Sender } from '../../exchange/package';
import type { Vault } from '../../vault/vault';
import type { RiskService } from '../risks/use-cases';
import type { SigningService } from '../identities/use-cases';
import type { CaseService } from '../cases/use-cases';
import type { DecisionService } from '../decisions/use-cases';
import type { RegisterService } from '../register/use-cases';

export const all = queryRows;
export const s = text;

export type Row = Record<string, SqlValue>;

/** The states of an approval in force (the second: due for re-accreditation). */
export const IN_FORCE: CaseState[] = ['in_force', 'reaccreditation_due'];

/** The certificate role that may send a kind, and the vault role that receives it. */
export const SENDER_ROLE: Record<PackageKind, Exclude<TrustRole, 'documents'>> = {
  submission: 'owner',
  decision: 'authority',
};
export const RECEIVER: Record<PackageKind, 'accreditor' | 'system_owner'> = {
  submission: 'accreditor',
  decision: 'system_owner',
};

/** A package read whole and verified: its manifest, signer and the parts kept in memory. */
export interface Verified {
  manifest: Manifest;
  digest: string;
  sender: Sender;
  /** The anchor the sender's path reached, and the certificate's subject. */
  anchor: string;
  size: number;
  buffered: Map<string, Buffer>;
}

/** The vault and the services an exchange composes. */
export interface ExchangeDeps {
  vault: () => Vault;
  register: RegisterService;
  cases: CaseService;
  decisions: DecisionService;
  signing: SigningService;
  risks: RiskService;
  limits: Limits;
}

/** A stage of the exchange: the services it composes, and the vault's database as it stands. */
export abstract class ExchangeStage {
  protected readonly vault: () => Vault;
  protected readonly register: RegisterService;
  protected readonly cases: CaseService;
  protected readonly decisions: DecisionService;
  protected readonly signing: SigningService;
  protected readonly risks: RiskService;
  protected readonly limits: Limits;

  constructor(deps: ExchangeDeps) {
    this.vault = deps.vault;
    this.register = deps.register;
    this.cases = deps.cases;
    this.decisions = deps.decisions;
    this.signing = deps.signing;
    this.risks = deps.risks;
    this.limits = deps.limits;
  }

  protected get db(): Database {
    return this.vault().database;
  }

  protected caseRow(caseId: string): Row {
    const row = all(this.db, 'SELECT * FROM cases WHERE id = ?', [caseId])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    return row;
  }
}

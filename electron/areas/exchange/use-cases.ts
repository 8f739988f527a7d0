/**
 * The air-gap exchange (format 2, docs/package-format.md). A submission carries a case from the
 * system owner to the authority (profile, catalogue, answers, evidence, risks, audit excerpt); a
 * decision package carries the authority's steps on the case back (transitions, findings,
 * verdicts, risk acceptances, and an issued decision with its signed letter, its dossier and
 * the dossier report).
 *
 * Import asks, before a single part is read: is it for us, who signed it (path-validated), is
 * that certificate trusted to send this kind (an authority's decisions, the bound owner's
 * submissions), does the kind fit this vault, and is it new (not imported before, not older
 * than the last from that side, tied to this exchange). Then every part is verified as it is
 * read, and everything is applied in one vault change in which each state change is a
 * lifecycle transition the state machine must allow: either all of it lands, or nothing.
 *
 * The import runs in stages, each in its own module: read.ts opens the package and asks
 * sender.ts, before a single part is read, who sent it and whether it is for this vault and newer;
 * authorise.ts decides which rows its sender may write; plan.ts says what it would change (the
 * preview); apply.ts writes it. export.ts writes packages for the other side.
 */
import type { Database } from 'sql.js';
import type { PackageKind } from '../../../shared/exchange';
import { DEFAULT_LIMITS, type Limits } from '../../exchange/package';
import type { Vault } from '../../vault/vault';
import type { CaseService } from '../cases/use-cases';
import type { DecisionService } from '../decisions/use-cases';
import type { RegisterService } from '../register/use-cases';
import type { RiskService } from '../risks/use-cases';
import type { SigningService } from '../identities/use-cases';
import { ImportApply } from './apply';
import { RowScope } from './authorise';
import { PackageExport, type ExportOptions, type ExportResult } from './export';
import { ImportPlan, type ImportPreview } from './plan';
import { PackageRead } from './read';
import { exchangeLog } from './repository';
import { SenderCheck } from './sender';
import type { ExchangeDeps } from './stage';

export type { ExportOptions, ExportResult } from './export';
export type { ImportPreview } from './plan';

export class ExchangeService {
  private readonly exporter: PackageExport;
  private readonly reader: PackageRead;
  private readonly planner: ImportPlan;
  private readonly applier: ImportApply;

  constructor(
    private readonly vault: () => Vault,
    register: RegisterService,
    cases: CaseService,
    decisions: DecisionService,
    signing: SigningService,
    risks: RiskService,
    limits: Limits = DEFAULT_LIMITS,
  ) {
    const deps: ExchangeDeps = { vault, register, cases, decisions, signing, risks, limits };
    const senders = new SenderCheck(deps);
    const scoping = new RowScope(deps);
    this.exporter = new PackageExport(deps);
    this.reader = new PackageRead(deps, senders);
    this.planner = new ImportPlan(deps, senders, this.reader, scoping);
    this.applier = new ImportApply(deps, this.reader, scoping, this.planner);
  }

  private get db(): Database {
    return this.vault().database;
  }

  /** The encryption certificates a package of `kind` can be sent to (the counterpart's). */
  recipients(kind: PackageKind) {
    return this.exporter.recipients(kind);
  }

  /**
   * Writes a package of `kind` for a case into `folder`, named by its marking, case, kind and
   * sequence. Refused (nothing written) when this vault's role does not send that kind, when
   * the case is not at a step where it is sent, or when no recipient is trusted.
   */
  exportPackage(
    kind: PackageKind,
    caseId: string,
    folder: string,
    options: ExportOptions,
  ): Promise<ExportResult> {
    return this.exporter.exportPackage(kind, caseId, folder, options);
  }

  /**
   * The private key of a software encryption identity with its certificate (PEM, unencrypted),
   * written to `file` — mode 0600, never over an existing file — so a package can be checked
   * with openssl alone (docs/package-format.md). The identity's label must be typed again as
   * `confirm`; a signing key, and a key on a token, never leave. The audit trail records it.
   */
  exportEncryptionKey(
    identityId: string,
    confirm: string,
    file: string,
  ): Promise<{ label: string; fingerprint: string }> {
    return this.exporter.exportEncryptionKey(identityId, confirm, file);
  }

  /** The exchange log, newest first. */
  exchangeLog() {
    return exchangeLog(this.db);
  }

  /**
   * `awb verify` of a package: opened with this vault's keys, signed by a sender trusted for its
   * kind, every part as listed; for a decision, the letter's signatures and the dossier hash,
   * recomputed from the dossier it carries and compared with the record, the letter and the
   * report. Nothing is imported, and a package imported before verifies as well.
   */
  verifyPackage(file: string) {
    return this.reader.verifyPackage(file);
  }

  /** Verifies a package completely and says what importing it would change; the vault is not touched. */
  async inspect(file: string): Promise<ImportPreview> {
    const read = await this.reader.read(file, 'hash', [], new Map());
    return this.planner.plan(read).preview;
  }

  /**
   * Imports a verified package in one vault change; on any failure the vault is as it was.
   * One import at a time: each keeps the evidence it stored in a journal of its own until it is
   * saved or refused, and a refused import removes what it added. Two at once (a double click,
   * two windows) shared that journal, and a refused one removed a file the other had found
   * stored and went on to save a row for.
   */
  importPackage(
    file: string,
    options: { expect?: PackageKind; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ImportPreview> {
    return this.applier.importPackage(file, options);
  }
}

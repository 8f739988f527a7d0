/**
 * The last stage of an import: the package read (read.ts), its rows authorised (authorise.ts)
 * and planned (plan.ts) are written in one vault change, the case moved only by the steps the
 * lifecycle gives the sender; evidence stored as it was read is kept in a journal until the
 * change is saved or refused.
 */
import { SubmissionApply } from './apply-submission';
import { DecisionApply } from './apply-decision';
import { ExchangeStage, type ExchangeDeps } from './stage';
import type { PackageRead } from './read';
import type { RowScope } from './authorise';
import type { ImportPlan, ImportPreview } from './plan';
import { type PackageKind } from '../../../shared/exchange';
import { reject } from '../../exchange/package';
import { type StoredBlob } from '../../vault/blobs';
import { referencedBlobs } from '../../vault/check';
import { ImportJournal } from '../../vault/import-journal';

/**
 * Imports a verified package in one vault change; on any failure the vault is as it was. Each
 * state change is a lifecycle transition the state machine must allow: all of it lands, or nothing.
 */
export class ImportApply extends ExchangeStage {
  private readonly submissionApply: SubmissionApply;
  private readonly decisionApply: DecisionApply;

  constructor(
    deps: ExchangeDeps,
    private readonly reader: PackageRead,
    scoping: RowScope,
    private readonly planner: ImportPlan,
  ) {
    super(deps);
    this.submissionApply = new SubmissionApply(deps, reader, scoping, planner);
    this.decisionApply = new DecisionApply(deps, reader, scoping, planner);
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
    const turn = this.importing.then(() => this.importOnce(file, options));
    this.importing = turn.catch(() => undefined);
    return turn;
  }

  /** The import in progress, which the next waits for. */
  private importing: Promise<unknown> = Promise.resolve();

  private async importOnce(
    file: string,
    options: { expect?: PackageKind; onProgress?: (done: number, total: number) => void },
  ): Promise<ImportPreview> {
    // The case stands where time has taken it before the other side's steps are applied.
    await this.cases.applyTime();
    const created: StoredBlob[] = [];
    const stored = new Map<string, StoredBlob>();
    // Evidence goes into the blob store as it is verified (one read of the package). A journal
    // names what this import adds, so a crash before it is saved leaves nothing behind: the next
    // unlock removes what the saved vault does not refer to.
    this.journal = new ImportJournal(this.vault().folder);
    let applied = false;
    try {
      const read = await this.reader.read(
        file,
        'keep',
        created,
        stored,
        options.onProgress,
        this.journal,
      );
      if (options.expect && read.manifest.kind !== options.expect) {
        throw reject('WRONG_KIND', read.manifest.kind);
      }
      const planned = this.planner.plan(read);
      if (planned.submission) {
        await this.submissionApply.applySubmission(read, planned.submission, stored);
      } else {
        await this.decisionApply.applyDecision(read, planned.decision!, created, this.journal);
      }
      applied = true;
      await this.vault().save();
      this.journal.done();
      return planned.preview;
    } catch (error) {
      if (applied) {
        // The change is made and only its save failed: the vault keeps it (the next save writes
        // it), so the files it refers to stay, and so does the journal — should the vault never
        // be saved, the next unlock removes what the saved vault does not refer to.
        throw error;
      }
      // Refused: the files this import added go, unless something came to refer to them (the
      // same document uploaded meanwhile is one file) or an upload waiting holds them.
      const live = referencedBlobs(this.vault().database);
      for (const blob of created) {
        if (!live.has(blob.address) && !this.vault().blobs.held(blob.address)) {
          await this.vault().blobs.remove(blob.address);
        }
      }
      this.journal.done();
      throw error;
    } finally {
      this.journal = null;
    }
  }

  private journal: ImportJournal | null = null;
}

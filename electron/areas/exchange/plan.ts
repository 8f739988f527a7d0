/**
 * The fourth stage of an import: the preview. What a verified package would change — counts,
 * steps and decisions, then every row added or changed, field by field — checked against the
 * rules of sense and the rows its sender may write, without touching the vault.
 */
import { ExchangeStage, all, s, type ExchangeDeps, type Verified } from './stage';
import { knownLevels, systemKnown } from '../register/received';
import type { SenderCheck } from './sender';
import type { PackageRead } from './read';
import type { RowScope } from './authorise';
import { change, fieldChanges, previewRow } from '../../exchange/preview';
import type { Database } from 'sql.js';
import { raisedBy, type SystemLevel } from '../../../shared/approval-scope';
import { SystemInput } from '../../../shared/register';
import { type PackageKind, type PreviewChange, type PreviewRow } from '../../../shared/exchange';
import type { InfoDomain } from '../../../shared/classification';
import { DecisionContent, PARTS, SubmissionContent } from '../../exchange/content';
import { reject, type Manifest } from '../../exchange/package';
import {
  decisionPackageSense,
  refuseImpossiblePackage,
  submissionPackageSense,
} from '../../services/sense';

export interface ImportPreview {
  kind: PackageKind;
  caseId: string;
  caseRef: string;
  caseExists: boolean;
  /** Who the package says sent it, and who actually signed it (the certificate). */
  sender: string;
  signer: string;
  sequence: number;
  marking: string;
  /** The levels the signed marking stands for in this vault's scheme (for the banner). */
  levels: { domain: InfoDomain; level: string }[];
  encrypted: boolean;
  /** Counts, steps and decisions, then every row added or changed, field by field. */
  changes: PreviewChange[];
}

/**
 * A system a submission creates, validated as local entry validates one (SystemInput): at least
 * one level, each domain once, a reference of the register's form, texts within their bounds
 * (SYSTEM_INVALID, the field named). Whether its levels are this vault's is LEVEL_UNKNOWN's.
 */
function checkNewSystem(content: SubmissionContent): void {
  const sys = content.system;
  const parsed = SystemInput.safeParse({
    ref: sys.ref,
    name: sys.name,
    purpose: sys.purpose,
    phase: sys.phase,
    mode: sys.mode,
    levels: content.levels,
    userCount: sys.user_count,
    minClearance: sys.min_clearance,
    boundary: sys.boundary,
    nextReview: sys.next_review,
  });
  const issue = parsed.success ? null : parsed.error.issues[0];
  if (issue) {
    throw reject('SYSTEM_INVALID', `system.${issue.path.join('.')}: ${issue.message}`);
  }
  // Stored as sent: what local entry would trim is not what it would store.
  for (const [field, value] of [
    ['ref', sys.ref],
    ['name', sys.name],
  ] as const) {
    if (value !== value.trim()) {
      throw reject('SYSTEM_INVALID', `system.${field}: surrounding spaces`);
    }
  }
}

/**
 * A known system's levels as the submission declares them, held to what local entry allows (at
 * least one domain, each once), as a new system's are (round 20w: an empty list raised nothing
 * and passed the marking check).
 */
function checkDeclaredLevels(content: SubmissionContent): void {
  const parsed = SystemInput.shape.levels.safeParse(content.levels);
  const issue = parsed.success ? null : parsed.error.issues[0];
  if (issue) {
    throw reject('SYSTEM_INVALID', `system.levels: ${issue.message}`);
  }
}

/** What a verified package would change here, checked as far as it can be without writing. */
export class ImportPlan extends ExchangeStage {
  constructor(
    deps: ExchangeDeps,
    private readonly senders: SenderCheck,
    private readonly reader: PackageRead,
    private readonly scoping: RowScope,
  ) {
    super(deps);
  }

  /** What a verified package would change, checked as far as it can be without writing. */
  plan(read: Verified) {
    const { manifest } = read;
    const exists = all(this.db, 'SELECT state FROM cases WHERE id = ?', [manifest.case.id])[0];
    const changes: PreviewChange[] = [];
    let submission: SubmissionContent | null = null;
    let decision: DecisionContent | null = null;
    if (manifest.kind === 'submission') {
      submission = this.reader.content(read, PARTS.submission, SubmissionContent);
      this.scoping.checkSubmission(submission, manifest);
      const systemExists = systemKnown(this.db, submission.system.id);
      // A new system is validated as local entry validates it (SYSTEM_INVALID). Its levels, or
      // those it raises a known system to, are what the package says: this vault's codes, and its
      // signed marking must reach them.
      if (!systemExists) {
        checkNewSystem(submission);
      } else {
        checkDeclaredLevels(submission);
      }
      this.senders.checkMarkingLevel(manifest, submission.levels);
      // Nor below any evidence it carries: the writer marks a package with the highest of both.
      this.senders.checkEvidenceMarking(manifest, submission.evidence);
      // The catalogue, parsed and checked as the import does: this vault's own copy, or refused.
      const catalogue = this.scoping.submittedCatalogue(this.db, submission);
      const scoped = this.scoping.scoped(this.db, read, submission);
      // What it would store, held to the rules of sense (IMPOSSIBLE_CONTENT, each place named).
      refuseImpossiblePackage(submissionPackageSense(this.db, submission));
      changes.push(
        { what: 'system', ref: submission.system.ref, added: !systemExists },
        {
          what: 'case',
          ref: manifest.case.ref,
          added: !exists,
          states: exists ? [s(exists.state), submission.case.state] : [submission.case.state],
        },
        {
          what: 'catalogue',
          ref: `${catalogue.catalogue.id} ${catalogue.catalogue.version}`,
          sha256: catalogue.sha256,
        },
        { what: 'answers', n: submission.checklist.length - scoped.notApplicable.length },
        { what: 'evidence', n: submission.evidence.length },
        { what: 'risks', n: submission.risks.length },
      );
      if (scoped.notApplicable.length) {
        changes.push({ what: 'notApplicable', refs: scoped.notApplicable });
      }
      changes.push(
        ...this.submissionRows(this.db, submission, manifest, systemExists, Boolean(exists)),
      );
      changes.push(...scoped.rows);
    } else {
      decision = this.reader.content(read, PARTS.decision, DecisionContent);
      const steps = this.scoping.newSteps(decision, manifest.case.id, manifest.createdAt);
      this.scoping.checkDecision(decision, manifest);
      // What it would store, held to the rules of sense (IMPOSSIBLE_CONTENT, each place named).
      refuseImpossiblePackage(
        decisionPackageSense(this.db, manifest.case.id, decision, manifest.createdAt),
      );
      const known = new Set(
        all(this.db, 'SELECT id FROM decisions WHERE case_id = ?', [manifest.case.id]).map((r) =>
          s(r.id),
        ),
      );
      changes.push(
        ...decision.decisions
          .filter((d) => !known.has(d.id))
          .map((d) => ({ what: 'decision' as const, ref: d.ref, type: d.type })),
        {
          what: 'case',
          ref: manifest.case.ref,
          added: false,
          states: [s(exists!.state), ...steps.map((t) => t.to)],
        },
        { what: 'findings', n: decision.findings.length },
        { what: 'verdicts', n: decision.verdicts.length },
      );
      changes.push(...this.scoping.scoped(this.db, read, decision).rows);
    }
    const preview: ImportPreview = {
      kind: manifest.kind,
      caseId: manifest.case.id,
      caseRef: manifest.case.ref,
      caseExists: Boolean(exists),
      sender: `${manifest.sender.name}, ${manifest.sender.organisation}`,
      signer: read.sender.certificate.subject,
      sequence: manifest.sequence,
      marking: manifest.marking.text,
      levels: this.register.scheme().levelsOfMarking(manifest.marking.text),
      encrypted: true,
      changes,
    };
    return { preview, submission, decision };
  }

  /**
   * The levels of a system this vault knows that a submission raises (raisedBy): what it holds
   * and what it will hold; null where the submission raises nothing.
   */
  levelsRaised(
    db: Database,
    submission: SubmissionContent,
  ): { before: SystemLevel[]; after: SystemLevel[] } | null {
    const before = knownLevels(db, submission.system.id);
    const scheme = this.register.scheme();
    const after = raisedBy(before, submission.levels, (l) => scheme.rank(l));
    return after ? { before, after } : null;
  }

  /**
   * The rows a submission writes besides answers, evidence and risks, field by field: a new
   * system (its levels too), a new case (its type, title, deadline and catalogue), and where the
   * authority's answers will go when the package moves that (`reply_to`).
   */
  submissionRows(
    db: Database,
    submission: SubmissionContent,
    manifest: Manifest,
    systemExists: boolean,
    caseExists: boolean,
  ): PreviewRow[] {
    const rows: PreviewRow[] = [];
    const sys = submission.system;
    const raise = systemExists ? this.levelsRaised(db, submission) : null;
    if (raise) {
      const shown = (levels: SystemLevel[]) =>
        levels.map((l) => `${l.domain} ${l.level}`).join(', ');
      rows.push(
        previewRow('system', sys.ref, false, [
          change('levels', shown(raise.before), shown(raise.after)),
        ]),
      );
    }
    if (!systemExists) {
      const levels = submission.levels.map((l) => `${l.domain} ${l.level}`).join(', ');
      rows.push(
        previewRow(
          'system',
          sys.ref,
          true,
          fieldChanges(
            [
              'name',
              'purpose',
              'phase',
              'mode',
              'levels',
              'user_count',
              'min_clearance',
              'boundary',
              'next_review',
            ],
            null,
            { ...sys, levels },
          ),
        ),
      );
    }
    if (!caseExists) {
      const c = submission.case;
      rows.push(
        previewRow(
          'case',
          c.ref,
          true,
          fieldChanges(['type', 'title', 'deadline', 'catalogue_id', 'catalogue_version'], null, c),
        ),
      );
    }
    const bound = all(db, 'SELECT reply_to FROM system_senders WHERE system_id = ?', [sys.id])[0];
    const before =
      bound?.reply_to === undefined || bound.reply_to === null ? null : s(bound.reply_to);
    if (manifest.replyTo && manifest.replyTo !== before) {
      rows.push(
        previewRow('sender', sys.ref, !bound, [change('reply_to', before, manifest.replyTo)]),
      );
    }
    return rows;
  }
}

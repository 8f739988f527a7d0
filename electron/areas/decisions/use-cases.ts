/**
 * Signed decisions (issue 7): signing identities and the trust store, the documents the
 * authority issues (decision letter, dossier report, residual-risk acceptance, records extract)
 * and the decision itself. Issuing a decision freezes the SHA-256 of the dossier decided on,
 * renders and signs the letter, stores it in the blob store, creates its conditions as tracked
 * items and moves the case through the lifecycle — which refuses an approval while a
 * non-compliant requirement has no accepted risk.
 *
 * The SQL is the repository's (./repository.ts); the conditions a decision makes are the
 * cases' (areas/cases/steps.ts).
 *
 * Longer than 500 lines: one method per thing an accreditor does with a decision (preview,
 * issue, countersign, withdraw) and each document the authority issues, with the layout of the
 * letter and the dossier report they sign.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Database } from 'sql.js';
import type { ClassificationScheme } from '../../../shared/classification';
import { DecisionInput, DiscardInput, DocumentRequest } from '../../../shared/decisions';
import type { DocumentSpec } from '../../../shared/documents';
import {
  checklistAnswer,
  DOSSIER_FORMAT,
  DOSSIER_KEYWORD,
  type DossierSnapshot,
} from '../../../shared/dossier';
import { AppError } from '../../../shared/errors';
import {
  conditionRow,
  issuedConditions,
  type IssuedCondition,
  REF_KEYWORD,
  TERMS_KEYWORD,
  termsHash,
} from '../../documents/decision-terms';
import { fourEyesKeywords } from '../../documents/letter-keywords';
import { formatDay, translate, type Language, type MessageKey } from '../../../shared/i18n';
import {
  APPROVING,
  canTransition,
  DECISION_EFFECTS,
  DECISION_TYPES,
  type DecisionType,
} from '../../../shared/lifecycle';
import { addMonths } from '../../../shared/risk';
import { riskPoints } from '../../../shared/risk-charts';
import { canonicalDossier, readDossier, type CanonicalDossier } from '../../documents/dossier';
import { renderPdf, type WorkerLauncher } from '../../documents/render';
import { certifiedPath, judgeCountersigner, letterSigners } from '../../signing/four-eyes';
import { prepareForSigning, signPdf } from '../../signing/sign';
import { fingerprintOf, readCertificate } from '../../signing/x509';
import { DEFAULT_SAME_PERSON } from '../../../shared/decisions';
import type { PdfVerification } from '../../../shared/signatures';
import { decisionSense } from '../../../shared/sense';
import { newRef } from '../../db/refs';
import { auditHead } from '../../db/audit';
import { fourEyesPolicy, validityPolicy } from '../../services/policy';
import type { Vault } from '../../vault/vault';
import { addCondition, removeCondition } from '../cases/steps';
import type { CaseService } from '../cases/use-cases';
import { today } from '../../services/clock';
import type { RegisterService } from '../register/use-cases';
import type { RecordService } from '../records/use-cases';
import {
  approvalType,
  caseRequirements,
  maximumMonths,
  refuseNonsense,
  senseToday,
} from '../../services/sense';
import type { RiskService } from '../risks/use-cases';
import type { SigningService } from '../identities/use-cases';
import { signaturesNeeded } from './four-eyes';
import * as repo from './repository';
import { dossierReport, grouped, levelsText } from './dossier-report';

/** The signature fields of a decision letter: the accreditor's, and the countersignature's. */
export const SIGNATURE_FIELDS = ['Signature1', 'Signature2'] as const;

export interface DocumentOptions {
  /** Time limit of one document layout (the worker is killed after it). */
  timeoutMs?: number;
  launcher?: WorkerLauncher;
}

export class DecisionService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
    private readonly records: RecordService,
    private readonly cases: CaseService,
    private readonly risks: RiskService,
    private readonly signing: SigningService,
    private readonly documentOptions: DocumentOptions = {},
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  private requireAccreditor(what: string): void {
    if (this.vault().actor.role !== 'accreditor') {
      throw new AppError('TRANSITION_REFUSED', `Only an accreditor ${what}`, {
        reason: 'ACCREDITOR_ONLY',
      });
    }
  }

  // ---- documents --------------------------------------------------------------------------

  private scheme(): ClassificationScheme {
    return this.register.scheme();
  }

  private header(caseId: string, language: Language, titleKey: MessageKey, reference: string) {
    const detail = this.cases.getCase(caseId);
    const profile = this.register.getSystem(detail.systemId);
    const { system } = profile;
    const marking =
      this.scheme().highestMarking(system.levels)?.text ?? translate(language, 'doc.unmarked');
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(language, key, params);
    return {
      detail,
      profile,
      system,
      t,
      base: {
        language,
        title: t(titleKey, { system: `${system.ref} ${system.name}` }),
        marking,
        reference,
        version: '1',
        pageLabel: t('doc.page'),
        issuer: `${this.vault().actor.organisation}`,
        date: formatDay(language, today()),
      },
    };
  }

  private levelsText(levels: { domain: string; level: string }[], language: Language): string {
    return levelsText(this.scheme(), levels, language);
  }

  private levelName(id: string | null, language: Language): string {
    const criteria = this.risks.criteria();
    const matrix = criteria ? this.risks.matrix(criteria.matrixId) : null;
    return matrix?.levels.find((l) => l.id === id)?.[language] ?? id ?? '-';
  }

  /**
   * The head of the vault's audit trail as a document cites it: the row count and the last
   * row's hash. Whoever holds the document can later check the trail still reaches it
   * (`awb vault check --anchor <rows>:<hash>`), so a trail cut or rewritten since is caught.
   */
  private anchorText(language: Language): string {
    const { rows, head } = auditHead(this.db);
    return translate(language, 'doc.auditAnchor.value', { rows, hash: grouped(head) });
  }

  /** The dossier as it stands now: what a decision taken now would cite. */
  dossierSnapshot(caseId: string): CanonicalDossier {
    const detail = this.cases.getCase(caseId);
    const { system } = this.register.getSystem(detail.systemId);
    const criteria = this.risks.criteria();
    const snapshot: DossierSnapshot = {
      format: DOSSIER_FORMAT,
      version: 1,
      case: {
        id: detail.id,
        ref: detail.ref,
        type: detail.type,
        state: detail.state,
        title: detail.title,
        catalogue: detail.catalogue,
      },
      system: {
        id: system.id,
        ref: system.ref,
        name: system.name,
        mode: system.mode,
        levels: system.levels.map((l) => ({ domain: l.domain, level: l.level })),
      },
      checklist: detail.items.map(checklistAnswer),
      evidence: detail.evidence.map((e) => ({
        id: e.id,
        type: e.type,
        title: e.title,
        version: e.version,
        fileName: e.fileName,
        sha256: e.sha256,
        size: e.size,
        reviewStatus: e.reviewStatus,
      })),
      findings: detail.findings.map((f) => ({
        id: f.id,
        kind: f.kind,
        requirementId: f.requirementId,
        severity: f.severity,
        title: f.title,
        owner: f.owner,
        dueDate: f.dueDate,
        status: f.status,
      })),
      risks: this.risks.listRisks({ caseId }).map((r) => {
        const points = riskPoints(r);
        return {
          ref: r.ref,
          threatEvent: r.threatEvent,
          scope: r.scope,
          treatment: r.treatment,
          inherentLevel: r.inherentLevel,
          residualLevel: r.residualLevel,
          inherent: points.inherent,
          residual: points.residual,
          acceptance: { status: r.acceptance.status, expiresOn: r.acceptance.expiresOn },
        };
      }),
      matrix: criteria ? this.risks.matrix(criteria.matrixId) : null,
    };
    return canonicalDossier(snapshot);
  }

  /** A dossier kept in this vault, by its SHA-256. */
  dossierOf(sha256: string): CanonicalDossier | null {
    const json = repo.keptDossier(this.db, sha256);
    if (json === null) {
      return null;
    }
    const read = readDossier(Buffer.from(json));
    if ('problem' in read) {
      throw new AppError('CORRUPTED_CONTENT', 'The kept dossier snapshot does not read back');
    }
    return read;
  }

  /** A decision's signed letter, by the decision's id. */
  async letterOf(decisionId: string): Promise<Buffer> {
    const address = repo.letterAddress(this.db, decisionId);
    if (address === null) {
      throw new AppError('NOT_FOUND', 'No such decision');
    }
    return buffer(this.vault().blobs.read(address));
  }

  /** The dossier a case's decision was taken on, as kept when it was issued (or received). */
  decidedDossier(caseId: string): (CanonicalDossier & { decisionRef: string }) | null {
    const row = repo.decidedDossier(this.db, caseId);
    if (!row) {
      return null;
    }
    const read = readDossier(Buffer.from(row.json));
    if ('problem' in read) {
      throw new AppError('CORRUPTED_CONTENT', 'The kept dossier snapshot does not read back');
    }
    return { ...read, decisionRef: row.ref };
  }

  /**
   * The dossier report: profile, compliance matrix, risks with heat maps, findings, conditions,
   * evidence with hashes. Of a decided case it shows the dossier the decision was taken on (so a
   * report made later shows the hash the letter cites); otherwise the dossier as it is now.
   */
  dossierSpec(caseId: string, language: Language): DocumentSpec {
    const decided = this.decidedDossier(caseId);
    const { snapshot, sha256 } = decided ?? this.dossierSnapshot(caseId);
    return this.dossierReport(snapshot, sha256, language, decided?.decisionRef ?? null);
  }

  /** The dossier report of a snapshot. */
  dossierReport(
    snapshot: DossierSnapshot,
    sha256: string,
    language: Language,
    decisionRef: string | null,
  ): DocumentSpec {
    return dossierReport(snapshot, sha256, language, decisionRef, {
      scheme: this.scheme(),
      issuer: this.vault().actor.organisation,
      today: today(),
    });
  }

  /** The residual-risk acceptance: every accepted risk of the case with who accepted it, why and until when. */
  riskAcceptanceSpec(caseId: string, language: Language): DocumentSpec {
    const { detail, t, base } = this.header(caseId, language, 'doc.acceptance.title', '');
    const criteria = this.risks.criteria();
    const matrix = criteria ? this.risks.matrix(criteria.matrixId) : null;
    const level = (id: string | null) => matrix?.levels.find((l) => l.id === id)?.[language] ?? '-';
    const accepted = this.risks
      .listRisks({ caseId })
      .filter((r) => r.acceptance.status === 'accepted');
    return {
      ...base,
      kind: 'risk-acceptance',
      reference: `${detail.ref}-RA`,
      sections: [
        { type: 'paragraphs', paragraphs: [t('doc.acceptance.intro', { case: detail.ref })] },
        { type: 'facts', rows: [[t('doc.auditAnchor'), this.anchorText(language)]] },
        {
          type: 'table',
          columns: [
            t('risk.col.ref'),
            t('risk.col.event'),
            t('risk.col.residual'),
            t('doc.col.acceptedBy'),
            t('doc.col.justification'),
            t('doc.col.expires'),
          ],
          widths: [10, 28, 10, 16, 24, 12],
          rows: accepted.map((r) => [
            r.ref,
            `${r.threatEvent} (${r.scope})`,
            level(r.residualLevel),
            `${r.acceptance.by ?? ''} ${formatDay(language, r.acceptance.on, '')}`,
            r.acceptance.justification ?? '',
            formatDay(language, r.acceptance.expiresOn, ''),
          ]),
        },
        {
          type: 'signatures',
          heading: t('doc.signatures'),
          slots: [{ label: t('doc.signature.accreditor') }],
        },
      ],
    };
  }

  /** The records extract: the security-authority records of the vault. */
  recordsSpec(language: Language): DocumentSpec {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(language, key, params);
    const records = this.records.list({});
    const marking =
      this.scheme().highestMarking(
        records.flatMap((r) =>
          r.markingLevel
            ? [{ domain: (r.markingDomain ?? 'national') as never, level: r.markingLevel }]
            : [],
        ),
      )?.text ?? t('doc.unmarked');
    return {
      kind: 'records-extract',
      language,
      title: t('doc.records.title'),
      marking,
      reference: `REC-${today()}`,
      version: '1',
      pageLabel: t('doc.page'),
      issuer: this.vault().actor.organisation,
      date: formatDay(language, today()),
      sections: [
        {
          type: 'table',
          columns: [
            t('doc.col.type'),
            t('doc.col.title'),
            t('doc.col.counterpart'),
            t('doc.col.due'),
            t('doc.col.status'),
          ],
          widths: [18, 34, 24, 12, 12],
          rows: records.map((r) => [
            translate(language, `recordType.${r.type}` as MessageKey),
            r.title,
            r.counterpart,
            formatDay(language, r.followUpDue, '-'),
            translate(language, `recordStatus.${r.status}` as MessageKey),
          ]),
        },
      ],
    };
  }

  render(spec: DocumentSpec): Promise<Buffer> {
    return renderPdf(spec, this.documentOptions);
  }

  // ---- decisions --------------------------------------------------------------------------

  /** The default end of validity of each decision type on this case's system. */
  validityDefaults(caseId: string, from = today()): Record<DecisionType, string | null> {
    const { default: byType, byLevel } = validityPolicy();
    const detail = this.cases.getCase(caseId);
    const top = this.scheme().highestMarking(detail.systemLevels)?.code;
    return Object.fromEntries(
      DECISION_TYPES.map((type) => {
        const months = (top ? byLevel[top]?.[type] : undefined) ?? byType[type];
        return [type, months ? addMonths(from, months) : null];
      }),
    ) as Record<DecisionType, string | null>;
  }

  /**
   * The longest validity (months from its first day) each decision type may have on this case
   * (validity.json, maximum; an amendment: that of the approval it amends); null: none chosen.
   */
  validityMaximum(caseId: string): Record<DecisionType, number | null> {
    const amends = approvalType(this.db, caseId);
    return Object.fromEntries(
      DECISION_TYPES.map((type) => [type, maximumMonths(type, amends)]),
    ) as Record<DecisionType, number | null>;
  }

  /**
   * The rules of sense a decision is held to before anything is rendered or signed
   * (shared/sense.ts): its validity ends after it starts, has not ended by today and is no
   * longer than the policy allows; each condition's deadline is not past, and the requirement
   * it names is on the case's checklist. Otherwise VALIDATION_FAILED, each problem on its field.
   */
  private checkSense(caseId: string, input: ReturnType<typeof DecisionInput.parse>): void {
    const validFrom = input.validFrom ?? today();
    refuseNonsense(
      decisionSense(
        {
          validFrom,
          validTo: this.validityOf(caseId, input, validFrom),
          conditions: input.conditions,
        },
        {
          today: senseToday(),
          maxMonths: maximumMonths(input.type, approvalType(this.db, caseId)),
          requirements: caseRequirements(this.db, caseId),
        },
      ),
      'The decision says something that cannot be',
    );
  }

  /** The default end of validity for a decision type on this case's system. */
  defaultValidTo(caseId: string, type: DecisionType, from = today()): string | null {
    return this.validityDefaults(caseId, from)[type];
  }

  decision(caseId: string): repo.DecisionRecord | null {
    return repo.latestDecision(this.db, caseId);
  }

  async decisionPdf(caseId: string): Promise<Buffer> {
    const d = this.decision(caseId);
    if (!d) {
      throw new AppError('NOT_FOUND', 'The case has no decision');
    }
    return buffer(this.vault().blobs.read(d.pdfBlob));
  }

  /**
   * How many signatures a decision of `type` on this case needs (four eyes, resources/decisions):
   * by the highest level its system holds, or held since its last approval (signaturesNeeded).
   */
  signaturesRequired(caseId: string, type: DecisionType): 1 | 2 {
    const c = this.cases.getCase(caseId);
    return signaturesNeeded(this.db, this.register, { ...c, caseId }, type);
  }

  private decisionSpec(
    caseId: string,
    ref: string,
    input: ReturnType<typeof DecisionInput.parse>,
    validTo: string | null,
    snapshot: string,
    conditions: { text: string; owner: string; dueDate: string; requirementId?: string | null }[],
    signatures: 1 | 2,
    terms: string,
  ): DocumentSpec {
    const language = input.language;
    const { detail, profile, system, t, base } = this.header(
      caseId,
      language,
      'doc.decision.title',
      ref,
    );
    const { interconnections, sites } = profile;
    const accepted = this.risks
      .listRisks({ caseId })
      .filter((r) => r.acceptance.status === 'accepted');
    return {
      ...base,
      kind: 'decision-letter',
      title: `${translate(language, `decisionType.${input.type}`)} - ${system.ref} ${system.name}`,
      // Signed with the letter: the dossier it decides on, for `awb verify --dossier`.
      // And the record's reference and terms (documents/decision-terms.ts).
      keywords: [
        `${DOSSIER_KEYWORD}${snapshot}`,
        `${REF_KEYWORD}${ref}`,
        `${TERMS_KEYWORD}${terms}`,
        // And what a verifier with no record judges four eyes by.
        ...fourEyesKeywords(
          input.type,
          this.scheme().highestMarking(system.levels)?.code ?? null,
          signatures,
        ),
      ],
      sections: [
        {
          type: 'facts',
          rows: [
            [t('doc.decision.type'), translate(language, `decisionType.${input.type}`)],
            [t('doc.system'), `${system.ref} ${system.name}`],
            [t('doc.case'), `${detail.ref} - ${translate(language, `caseType.${detail.type}`)}`],
            [t('doc.levels'), this.levelsText(system.levels, language)],
            [t('doc.mode'), translate(language, `mode.${system.mode}` as MessageKey)],
            [t('doc.sites'), sites.map((x) => x.name).join(', ') || '-'],
            [
              t('doc.interconnections'),
              interconnections.map((i) => `${i.peer} (${i.domain})`).join(', ') || '-',
            ],
            [
              t('doc.validity'),
              validTo
                ? `${formatDay(language, input.validFrom ?? today())} - ${formatDay(language, validTo)}`
                : '-',
            ],
            [t('doc.dossierHash'), grouped(snapshot)],
            [t('doc.auditAnchor'), this.anchorText(language)],
          ],
        },
        { type: 'paragraphs', heading: t('doc.decision.reasons'), paragraphs: [input.reason] },
        {
          // Each condition as tracked afterwards: what, for which requirement, who, by when.
          type: 'table',
          heading: t('doc.conditions'),
          columns: [
            '#',
            t('doc.col.condition'),
            t('doc.col.requirement'),
            t('doc.col.owner'),
            t('doc.col.due'),
          ],
          widths: [5, 47, 12, 20, 16],
          rows: conditions.map((c, i) => [
            String(i + 1),
            c.text,
            c.requirementId || '-',
            c.owner,
            formatDay(language, c.dueDate, '-'),
          ]),
        },
        {
          type: 'table',
          heading: t('doc.acceptedRisks'),
          columns: [
            t('risk.col.ref'),
            t('risk.col.event'),
            t('risk.col.residual'),
            t('doc.col.expires'),
          ],
          widths: [12, 58, 15, 15],
          rows: accepted.map((r) => [
            r.ref,
            `${r.threatEvent} (${r.scope})`,
            this.levelName(r.residualLevel, language),
            formatDay(language, r.acceptance.expiresOn, '-'),
          ]),
        },
        { type: 'paragraphs', paragraphs: [t('doc.decision.closing')] },
        {
          type: 'signatures',
          heading: t('doc.signatures'),
          slots: [
            { label: t('doc.signature.accreditor') },
            ...(signatures === 2 ? [{ label: t('doc.signature.countersignature') }] : []),
          ],
        },
      ],
    };
  }

  /** The validity of the approval the case holds now: its latest issued decision with an end. */
  approvalValidity(caseId: string): { validFrom: string | null; validTo: string } | null {
    const approval = repo.approvalActedOn(this.db, caseId);
    return approval && { validFrom: approval.validFrom, validTo: approval.validTo };
  }

  /**
   * The end of validity a decision carries: an approval's is chosen (by default from the type
   * and level); an amendment may change the approval's; a reinstatement restores it; the others
   * end nothing.
   */
  private validityOf(caseId: string, input: ReturnType<typeof DecisionInput.parse>, from: string) {
    if (APPROVING.includes(input.type)) {
      return input.validTo ?? this.defaultValidTo(caseId, input.type, from);
    }
    const current = this.approvalValidity(caseId)?.validTo ?? null;
    if (input.type === 'amendment') {
      return input.validTo ?? current;
    }
    return input.type === 'reinstatement' ? current : null;
  }

  /** The letter a decision would produce now: its reference, validity and layout. */
  private letter(
    caseId: string,
    input: ReturnType<typeof DecisionInput.parse>,
    at = new Date().toISOString(),
  ) {
    const validFrom = input.validFrom ?? today();
    const validTo = this.validityOf(caseId, input, validFrom);
    const snapshot = this.dossierSnapshot(caseId);
    const ref = newRef(this.db, 'DEC');
    const required = this.signaturesRequired(caseId, input.type);
    const system = this.register.getSystem(this.cases.getCase(caseId).systemId);
    const accepted = this.risks
      .listRisks({ caseId })
      .filter((r) => r.acceptance.status === 'accepted')
      .map((r) => ({
        ref: r.ref,
        residualLevel: r.residualLevel,
        expiresOn: r.acceptance.expiresOn,
      }));
    // The record's terms as the decisions table will hold them: the letter binds their hash.
    const terms: repo.DecisionTerms = {
      ref,
      type: input.type,
      levels: JSON.stringify(system.system.levels),
      mode: system.system.mode,
      sites: JSON.stringify(system.sites.map((x) => x.name)),
      interconnections: JSON.stringify(system.interconnections.map((i) => i.id)),
      valid_from: validTo ? validFrom : null,
      valid_to: validTo,
      accepted_risks: JSON.stringify(accepted),
      conditions: JSON.stringify(issuedConditions(input.conditions)),
      dossier_sha256: snapshot.sha256,
      signatures_required: required,
      language: input.language,
      created_at: at,
      created_by: this.vault().actor.name,
    };
    const spec = this.decisionSpec(
      caseId,
      ref,
      input,
      validTo,
      snapshot.sha256,
      input.conditions,
      required,
      termsHash(terms),
    );
    return { ref, validFrom, validTo, snapshot, spec, required, terms };
  }

  /** The decision letter as it would be issued, unsigned and marked as a draft: to read before signing. */
  async previewDecision(caseId: string, raw: unknown): Promise<Buffer> {
    const input = DecisionInput.parse(raw);
    this.checkSense(caseId, input);
    const { spec } = this.letter(caseId, input);
    const draft = translate(input.language, 'doc.draft');
    const rendered = await this.render({
      ...spec,
      title: `${draft} - ${spec.title}`,
      version: draft,
    });
    return (await prepareForSigning(rendered)).pdf;
  }

  /**
   * The visible block of a signature: the certificate holder who signs (a countersigner on this
   * laptop is not the vault's owner), their organisation, when, and the certificate.
   */
  private block(language: Language, reason: string, identityId: string, signingTime: Date) {
    const cert = readCertificate(this.signing.certificatePem(identityId))!;
    const name = cert.subjectName.getField('CN')[0] ?? cert.subject;
    const organisation = cert.subjectName.getField('O')[0] ?? this.vault().actor.organisation;
    return {
      name,
      reason,
      location: organisation,
      signingTime,
      appearance: {
        title: name,
        lines: [
          translate(language, 'doc.signedBy', { name }),
          organisation,
          // The day as the letter's language writes it, the time of day in UTC.
          `${formatDay(language, signingTime.toISOString().slice(0, 10))} ${signingTime.toISOString().slice(11, 19)} UTC`,
          `SHA-256 ${fingerprintOf(Buffer.from(cert.rawData)).slice(0, 32)}`,
        ],
      },
    };
  }

  /**
   * Issues the decision on a case in "decision pending": checks the lifecycle would accept it,
   * renders and signs the letter (PAdES B-B), stores it, records the decision and its
   * conditions. A decision that needs four eyes waits for its countersignature (the letter
   * reserves the box for it); any other moves the case to "decided".
   */
  /** Requirements found wanting that neither an accepted risk nor this decision's conditions cover. */
  private uncovered(caseId: string, input: ReturnType<typeof DecisionInput.parse>): string[] {
    const conditioned = new Set(input.conditions.map((c) => c.requirementId).filter(Boolean));
    return this.risks.unacceptedNonCompliant(caseId).filter((id) => !conditioned.has(id));
  }

  async issueDecision(
    caseId: string,
    raw: unknown,
  ): Promise<{
    id: string;
    ref: string;
    pdfSha256: string;
    status: 'awaiting_countersignature' | 'issued';
  }> {
    this.requireAccreditor('issues decisions');
    const input = DecisionInput.parse(raw);
    const detail = this.cases.getCase(caseId);
    // A decision fits the case's state: it decides a pending case, or acts on an approval.
    const effect = DECISION_EFFECTS[detail.state]?.[input.type];
    if (effect === undefined) {
      throw new AppError('TRANSITION_REFUSED', 'This decision cannot be issued now', {
        reason: 'DECISION_NOT_HERE',
        type: input.type,
        state: detail.state,
      });
    }
    // Nothing impossible is signed: the dates and requirements first, before the lifecycle
    // counts the conditions' requirements as covered.
    this.checkSense(caseId, input);
    const verdict = effect
      ? canTransition(detail.state, effect, {
          ...this.cases.transitionContext(caseId, input.reason, this.uncovered(caseId, input)),
          decision: { type: input.type, signed: true },
        })
      : ({ ok: true } as const);
    if (!verdict.ok) {
      throw new AppError('TRANSITION_REFUSED', 'The decision cannot be issued now', {
        reason: verdict.code,
        ...verdict.params,
      });
    }
    if (this.decision(caseId)?.status === 'awaiting_countersignature') {
      throw new AppError('TRANSITION_REFUSED', 'The decision already awaits its countersignature', {
        reason: 'AWAITING_COUNTERSIGNATURE',
      });
    }
    const signer = this.signing.signer(input.identityId, input.pin);
    const identity = this.signing.identity(input.identityId);
    const signingTime = new Date();
    const { ref, snapshot, spec, required, terms } = this.letter(
      caseId,
      input,
      signingTime.toISOString(),
    );
    // Four eyes holds both signers to a CA trusted as the authority: a first signature no
    // countersignature could ever complete is not made.
    if (required === 2) {
      const certified = await certifiedPath(
        this.signing.identityCertificate(input.identityId),
        this.signing.identityChain(input.identityId),
        { authority: this.signing.trustStore('authority'), now: signingTime },
        'the first signer',
      );
      if ('refused' in certified) {
        throw new AppError(
          'FOUR_EYES_SIGNER_NOT_CERTIFIED',
          'Four eyes needs a certificate a CA trusted as the authority issued',
          { reason: certified.refused.reason, detail: certified.refused.detail },
        );
      }
    }
    const prepared = await prepareForSigning(await this.render(spec));
    const [own, countersign] = prepared.slots;
    const block = this.block(
      input.language,
      `${translate(input.language, `decisionType.${input.type}`)} ${ref}`,
      input.identityId,
      signingTime,
    );
    const pdf = await signPdf(prepared.pdf, signer, {
      ...block,
      field: SIGNATURE_FIELDS[0],
      slot: own,
      reserve:
        required === 2 && countersign
          ? [
              {
                field: SIGNATURE_FIELDS[1],
                slot: countersign,
                language: input.language,
              },
            ]
          : [],
    });
    // Nothing is stored or audited unverified: the letter must verify here, through the vault's
    // anchors trusted as an authority or the signer's own identity certificate, pinned.
    this.mustVerify(
      await this.signing.verifyAs(pdf, 'authority', [
        this.signing.identityCertificate(input.identityId),
      ]),
      1,
      'The signed letter does not verify',
      required === 2 && Boolean(countersign),
    );
    const stored = await this.vault().blobs.put(Readable.from([pdf]));
    const id = randomUUID();
    const now = new Date().toISOString();
    const actor = this.vault().actor;
    const status = required === 2 ? 'awaiting_countersignature' : 'issued';
    await this.vault().change(
      {
        action: 'decision.issue',
        entityType: 'decision',
        entityId: id,
        changes: {
          caseId,
          ref,
          type: input.type,
          validTo: terms.valid_to,
          dossierSha256: snapshot.sha256,
          pdfSha256: stored.sha256,
          signer: identity.fingerprint,
          signaturesRequired: required,
        },
      },
      (db) => {
        repo.insertDecision(db, {
          id,
          caseId,
          terms,
          letter: stored,
          status,
          first: {
            field: SIGNATURE_FIELDS[0],
            subject: identity.subject,
            fingerprint: identity.fingerprint,
            signedAt: signingTime.toISOString(),
            signedBy: actor.name,
          },
          dossier: { sha256: snapshot.sha256, json: snapshot.json, at: now },
        });
        for (const c of issuedConditions(input.conditions)) {
          addCondition(db, randomUUID(), caseId, conditionRow(ref, c), {
            ref,
            actor: actor.name,
            at: now,
          });
        }
      },
    );
    if (status === 'issued' && effect) {
      await this.cases.transition(caseId, effect, input.reason);
    }
    return { id, ref, pdfSha256: stored.sha256, status };
  }

  /**
   * A freshly signed letter must verify, every signature, before anything is kept: otherwise
   * SIGNATURE_INVALID with the verifier's reason, and nothing stored. `awaiting`: the letter
   * reserves a field for a countersignature still to come, which the file's verdict may say.
   */
  private mustVerify(
    check: PdfVerification,
    signatures: number,
    message: string,
    awaiting = false,
  ): void {
    const broken = check.signatures.find((x) => x.status !== 'valid');
    const status = (check as { status?: string }).status;
    const whole = check.valid || (awaiting && status === 'awaiting_countersignature');
    if (!whole || broken || check.signatures.length !== signatures) {
      const reason = broken?.reason ?? check.reason ?? 'MALFORMED_SIGNATURE';
      throw new AppError('SIGNATURE_INVALID', message, {
        reason,
        ...(broken?.detail ? { detail: broken.detail } : {}),
      });
    }
  }

  /**
   * Whether an identity of this vault may countersign after the first signer: four eyes means
   * two people (signing/four-eyes.ts). Throws COUNTERSIGNATURE_REFUSED with the reason.
   */
  private async checkCountersigner(
    caseId: string,
    firstFingerprint: string,
    identityId: string,
  ): Promise<void> {
    const firstId = this.signing.identityIdByFingerprint(firstFingerprint);
    // The first signer's certificate and chain: its identity here, or else as the letter carries it.
    const signed = firstId
      ? {
          certificate: this.signing.identityCertificate(firstId),
          chain: this.signing.identityChain(firstId),
        }
      : letterSigners(await this.decisionPdf(caseId)).find(
          (x) => x.fingerprint === firstFingerprint,
        );
    if (!signed) {
      throw new AppError('COUNTERSIGNATURE_REFUSED', 'The first signature cannot be read', {
        reason: 'NOT_AWAITING',
      });
    }
    const verdict = await judgeCountersigner({
      first: signed.certificate,
      second: this.signing.identityCertificate(identityId),
      chain: this.signing.identityChain(identityId),
      firstChain: signed.chain,
      authority: this.signing.trustStore('authority'),
      person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
      now: new Date(),
    });
    if (verdict) {
      throw new AppError(
        'COUNTERSIGNATURE_REFUSED',
        'The countersignature must come from a second person trusted as the authority',
        { reason: verdict.reason, detail: verdict.detail },
      );
    }
  }

  /**
   * The second accreditor's signature on a four-eyes decision: an incremental update of the same
   * letter, in the box reserved for it. Four eyes means two people: the countersigner holds
   * another key, not issued by the first signer's, names another person, and chains to an
   * anchor trusted as an authority. The countersigned letter must verify before it is kept.
   * Then the decision is issued and the case moves to "decided".
   */
  /**
   * Withdraws a decision that awaits its countersignature and so never took force (round 20k:
   * one accreditor's amendment nobody countersigned held the approval so that it could be
   * neither suspended nor withdrawn). The record, its signature row and the conditions it made
   * go; the audit row keeps its reference, its letter's hash and the reason; the case stays where
   * it is, and the next decision can be issued. Any accreditor may withdraw it: the first signer
   * changing their mind, or a colleague who will not countersign.
   */
  async discardAwaiting(caseId: string, raw: unknown): Promise<{ ref: string }> {
    this.requireAccreditor('withdraws decisions awaiting a countersignature');
    const { reason } = DiscardInput.parse(raw);
    const d = this.decision(caseId);
    if (!d || d.status !== 'awaiting_countersignature') {
      throw new AppError(
        'TRANSITION_REFUSED',
        'No decision on the case awaits a countersignature',
        {
          reason: 'NOT_AWAITING',
        },
      );
    }
    await this.vault().change(
      {
        action: 'decision.discard',
        entityType: 'decision',
        entityId: d.id,
        changes: { caseId, ref: d.ref, type: d.type, pdfSha256: d.pdfSha256, reason },
      },
      (db) => {
        // The conditions it made, as issueDecision made them (conditionRow), each by its text:
        // one finding for each condition (two alike made two).
        const made = (JSON.parse(repo.conditionsOf(db, d.id)) as IssuedCondition[]).map((c) =>
          conditionRow(d.ref, c),
        );
        for (const row of made) {
          removeCondition(db, caseId, row.description);
        }
        repo.deleteDecision(db, d.id);
      },
    );
    return { ref: d.ref };
  }

  async countersign(
    caseId: string,
    raw: { identityId: string; pin?: string | null; reason: string; language?: Language },
  ): Promise<{ pdfSha256: string }> {
    this.requireAccreditor('countersigns decisions');
    const d = this.decision(caseId);
    if (!d || d.status !== 'awaiting_countersignature') {
      throw new AppError('COUNTERSIGNATURE_REFUSED', 'No decision awaits a countersignature', {
        reason: 'NOT_AWAITING',
      });
    }
    const identity = this.signing.identity(raw.identityId);
    const cert = this.signing.identityCertificate(raw.identityId);
    const firstSignature = d.signatures[0];
    if (!firstSignature) {
      throw new AppError('COUNTERSIGNATURE_REFUSED', 'The decision has no first signature', {
        reason: 'NOT_AWAITING',
      });
    }
    await this.checkCountersigner(caseId, firstSignature.fingerprint, raw.identityId);
    const signer = this.signing.signer(raw.identityId, raw.pin);
    const language = raw.language ?? 'da';
    const signingTime = new Date();
    const before = await this.decisionPdf(caseId);
    const pdf = await signPdf(before, signer, {
      ...this.block(
        language,
        `${translate(language, 'doc.signature.countersignature')} ${d.ref}`,
        raw.identityId,
        signingTime,
      ),
      field: SIGNATURE_FIELDS[1],
    });
    // Both signatures must verify before the letter is kept: the first as when it was issued
    // (an authority, or the first signer's own identity, pinned), the second through an anchor
    // trusted as an authority, by the very certificate judged above.
    const firstId = this.signing.identityIdByFingerprint(firstSignature.fingerprint);
    const check = await this.signing.verifyAs(
      pdf,
      'authority',
      firstId ? [this.signing.identityCertificate(firstId)] : [],
    );
    this.mustVerify(check, 2, 'The countersigned letter does not verify');
    // By the field it was written in, not by its place in the list (signatures are listed in
    // /Fields order, which a letter made elsewhere may give as Signature2 first: round 20ay).
    const countersignature = check.signatures.find((s) => s.field === SIGNATURE_FIELDS[1]);
    if (countersignature?.signer?.fingerprint !== identity.fingerprint) {
      throw new AppError('SIGNATURE_INVALID', 'The countersignature is not by the countersigner', {
        reason: 'SIGNATURE_INVALID',
      });
    }
    const stored = await this.vault().blobs.put(Readable.from([pdf]));
    const actor = this.vault().actor;
    await this.vault().change(
      {
        action: 'decision.countersign',
        entityType: 'decision',
        entityId: d.id,
        changes: {
          ref: d.ref,
          signer: identity.fingerprint,
          subject: cert.subject,
          pdfSha256: stored.sha256,
        },
      },
      (db) =>
        repo.countersigned(db, d.id, stored, {
          field: SIGNATURE_FIELDS[1],
          subject: identity.subject,
          fingerprint: identity.fingerprint,
          signedAt: signingTime.toISOString(),
          signedBy: actor.name,
        }),
    );
    // The decision takes effect now that it has both signatures.
    const effect = DECISION_EFFECTS[this.cases.getCase(caseId).state]?.[d.type];
    if (effect) {
      await this.cases.transition(caseId, effect, raw.reason);
    }
    return { pdfSha256: stored.sha256 };
  }

  /** Renders (and, for the residual-risk acceptance, signs) a document of a case and keeps it. */
  async issueDocument(raw: unknown): Promise<{ id: string; sha256: string; pdf: Buffer }> {
    const request = DocumentRequest.parse(raw);
    const signed = request.kind === 'risk-acceptance';
    const spec =
      request.kind === 'dossier-report'
        ? this.dossierSpec(request.caseId, request.language)
        : this.riskAcceptanceSpec(request.caseId, request.language);
    let pdf = await this.render(spec);
    if (signed) {
      if (!request.identityId) {
        throw new AppError('NO_SIGNING_IDENTITY', 'Choose the identity that signs the acceptance');
      }
      this.requireAccreditor('signs residual-risk acceptances');
      const signer = this.signing.signer(request.identityId, request.pin);
      const prepared = await prepareForSigning(pdf);
      pdf = await signPdf(prepared.pdf, signer, {
        ...this.block(request.language, spec.title, request.identityId, new Date()),
        field: SIGNATURE_FIELDS[0],
        slot: prepared.slots[0],
      });
    }
    const stored = await this.vault().blobs.put(Readable.from([pdf]));
    const id = randomUUID();
    await this.vault().change(
      {
        action: 'document.issue',
        entityType: 'document',
        entityId: id,
        changes: { caseId: request.caseId, kind: request.kind, sha256: stored.sha256 },
      },
      (db) =>
        repo.insertDocument(db, {
          id,
          caseId: request.caseId,
          kind: request.kind,
          title: spec.title,
          language: request.language,
          stored,
          signed,
          createdBy: this.vault().actor.name,
        }),
    );
    return { id, sha256: stored.sha256, pdf };
  }
}

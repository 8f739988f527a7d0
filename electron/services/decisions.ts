/**
 * Signed decisions (issue 7): signing identities and the trust store, the documents the
 * authority issues (decision letter, dossier report, residual-risk acceptance, records extract)
 * and the decision itself. Issuing a decision freezes the SHA-256 of the dossier decided on,
 * renders and signs the letter, stores it in the blob store, creates its conditions as tracked
 * items and moves the case through the lifecycle — which refuses an approval while a
 * non-compliant requirement has no accepted risk.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Database, SqlValue } from 'sql.js';
import type { ClassificationScheme } from '../../shared/classification';
import { DecisionInput, DocumentRequest, SelfSignedInput } from '../../shared/decisions';
import type { DocumentSpec, Section } from '../../shared/documents';
import { AppError } from '../../shared/errors';
import { translate, type Language, type MessageKey } from '../../shared/i18n';
import {
  APPROVING,
  canTransition,
  DECISION_TYPES,
  type DecisionType,
} from '../../shared/lifecycle';
import { addMonths } from '../../shared/risk';
import { heatMapCells, riskPoints } from '../../shared/risk-charts';
import {
  certificateFacts,
  createSelfSigned,
  importPkcs12,
  sha256Hex,
  type Identity,
} from '../documents/identity';
import { renderPdf, type WorkerLauncher } from '../documents/render';
import { signPdf, verifyPdf, type Verification } from '../documents/sign';
import { optional, queryRows, text } from '../db/query';
import type { Vault } from '../vault/vault';
import type { CaseService } from './cases';
import { today, type RegisterService } from './register';
import type { RiskService } from './risks';

const all = queryRows;
const s = text;
const n = optional;

export const VALIDITY_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'resources',
  'decisions',
  'validity.json',
);

let validity: Validity | null = null;

interface Validity {
  default: Partial<Record<DecisionType, number>>;
  byLevel: Record<string, Partial<Record<DecisionType, number>>>;
}

export interface DocumentOptions {
  /** Time limit of one document layout (the worker is killed after it). */
  timeoutMs?: number;
  launcher?: WorkerLauncher;
}

/** A hash in two groups, so it wraps at a space rather than inside a group. */
export function grouped(hash: string): string {
  return (hash.match(/.{1,32}/g) ?? []).join(' ');
}

export class DecisionService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
    private readonly cases: CaseService,
    private readonly risks: RiskService,
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

  // ---- identities and trust ---------------------------------------------------------------

  identities() {
    const day = today();
    return all(
      this.db,
      'SELECT id, label, kind, subject, issuer, serial, not_before, not_after, fingerprint, created_at FROM signing_identities ORDER BY created_at',
    ).map((r) => ({
      id: s(r.id),
      label: s(r.label),
      kind: s(r.kind) as 'pkcs12' | 'self_signed',
      subject: s(r.subject),
      issuer: s(r.issuer),
      serial: s(r.serial),
      notBefore: s(r.not_before),
      notAfter: s(r.not_after),
      fingerprint: s(r.fingerprint),
      expired: s(r.not_after).slice(0, 10) < day,
      /** Days until the certificate expires (negative once it has). */
      daysLeft: Math.floor(
        (Date.parse(s(r.not_after)) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000,
      ),
    }));
  }

  private async storeIdentity(identity: Identity, label: string, kind: 'pkcs12' | 'self_signed') {
    if (
      all(this.db, 'SELECT 1 FROM signing_identities WHERE fingerprint = ?', [identity.fingerprint])
        .length
    ) {
      throw new AppError(
        'SIGNING_IDENTITY_INVALID',
        'That certificate is already a signing identity',
      );
    }
    const id = randomUUID();
    const actor = this.vault().actor;
    await this.vault().change(
      {
        action: 'identity.add',
        entityType: 'signing_identity',
        entityId: id,
        // Never the key or its password: the audit log names the certificate only.
        changes: { label, kind, subject: identity.subject, fingerprint: identity.fingerprint },
      },
      (db) => {
        db.run(
          `INSERT INTO signing_identities (id, label, kind, p12, p12_password, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            label,
            kind,
            new Uint8Array(identity.p12),
            identity.password,
            identity.certPem,
            JSON.stringify(identity.chainPem),
            identity.subject,
            identity.issuer,
            identity.serial,
            identity.notBefore,
            identity.notAfter,
            identity.fingerprint,
            new Date().toISOString(),
            actor.name,
          ],
        );
        // One trusts one's own certificate; an organisation's chain is added explicitly.
        db.run(
          `INSERT OR IGNORE INTO trusted_certificates (fingerprint, subject, issuer, not_after, cert_pem, added_at, added_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            identity.fingerprint,
            identity.subject,
            identity.issuer,
            identity.notAfter,
            identity.certPem,
            new Date().toISOString(),
            actor.name,
          ],
        );
      },
    );
    return id;
  }

  async createSelfSignedIdentity(raw: unknown): Promise<string> {
    const input = SelfSignedInput.parse(raw);
    const identity = createSelfSigned(input);
    return this.storeIdentity(identity, input.label, 'self_signed');
  }

  async importIdentity(bytes: Buffer, password: string, label: string): Promise<string> {
    return this.storeIdentity(importPkcs12(bytes, password), label, 'pkcs12');
  }

  /** A stored identity with its key material, for signing (never sent to the renderer). */
  signingIdentity(id: string): Identity & { id: string } {
    const row = all(this.db, 'SELECT * FROM signing_identities WHERE id = ?', [id])[0];
    if (!row) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    if (s(row.not_after) < new Date().toISOString()) {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'The signing certificate has expired');
    }
    return {
      id,
      p12: Buffer.from(row.p12 as Uint8Array),
      password: s(row.p12_password),
      certPem: s(row.cert_pem),
      chainPem: JSON.parse(s(row.chain_pem)) as string[],
      subject: s(row.subject),
      issuer: s(row.issuer),
      serial: s(row.serial),
      notBefore: s(row.not_before),
      notAfter: s(row.not_after),
      fingerprint: s(row.fingerprint),
    };
  }

  /** The identity whose certificate has this fingerprint, if this vault holds its key. */
  identityIdByFingerprint(fingerprint: string): string | null {
    const row = all(this.db, 'SELECT id FROM signing_identities WHERE fingerprint = ?', [
      fingerprint,
    ])[0];
    return row ? s(row.id) : null;
  }

  /** The signer certificate of an identity, to hand to verifiers (PEM). */
  certificatePem(identityId: string): string {
    const row = all(this.db, 'SELECT cert_pem FROM signing_identities WHERE id = ?', [
      identityId,
    ])[0];
    if (!row) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    return s(row.cert_pem);
  }

  trusted() {
    return all(this.db, 'SELECT * FROM trusted_certificates ORDER BY added_at').map((r) => ({
      fingerprint: s(r.fingerprint),
      subject: s(r.subject),
      issuer: s(r.issuer),
      notAfter: s(r.not_after),
      addedAt: s(r.added_at),
      addedBy: s(r.added_by),
    }));
  }

  async trust(pem: string): Promise<string> {
    let facts: ReturnType<typeof certificateFacts>;
    try {
      facts = certificateFacts(pem);
    } catch {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'The file is not a certificate');
    }
    await this.vault().change(
      {
        action: 'trust.add',
        entityType: 'certificate',
        entityId: facts.fingerprint,
        changes: { subject: facts.subject },
      },
      (db) =>
        db.run(
          `INSERT OR REPLACE INTO trusted_certificates (fingerprint, subject, issuer, not_after, cert_pem, added_at, added_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            facts.fingerprint,
            facts.subject,
            facts.issuer,
            facts.notAfter,
            pem,
            new Date().toISOString(),
            this.vault().actor.name,
          ],
        ),
    );
    return facts.fingerprint;
  }

  async untrust(fingerprint: string): Promise<void> {
    await this.vault().change(
      { action: 'trust.remove', entityType: 'certificate', entityId: fingerprint, changes: {} },
      (db) => db.run('DELETE FROM trusted_certificates WHERE fingerprint = ?', [fingerprint]),
    );
  }

  /** Verifies any signed PDF against this vault's trust store. */
  verify(pdf: Buffer): Verification {
    return verifyPdf(
      pdf,
      this.trusted().map((t) => t.fingerprint),
    );
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
        date: today(),
      },
    };
  }

  private levelsText(levels: { domain: string; level: string }[], language: Language): string {
    return levels
      .map(
        (l) =>
          `${translate(language, `domain.${l.domain}` as MessageKey)}: ${this.scheme().label(l.level, l.domain as never)}`,
      )
      .join('; ');
  }

  private levelName(id: string | null, language: Language): string {
    const criteria = this.risks.criteria();
    const matrix = criteria ? this.risks.matrix(criteria.matrixId) : null;
    return matrix?.levels.find((l) => l.id === id)?.[language] ?? id ?? '-';
  }

  /** The canonical content of the dossier a decision is taken on; its SHA-256 goes into the decision. */
  dossierSnapshot(caseId: string): { json: string; sha256: string } {
    const detail = this.cases.getCase(caseId);
    const snapshot = {
      case: { id: detail.id, ref: detail.ref, type: detail.type, catalogue: detail.catalogue },
      system: this.register.getSystem(detail.systemId).system,
      checklist: detail.items.map((i) => [
        i.requirementId,
        i.status,
        i.statement,
        i.justification,
        i.verdict,
        i.assessorComment,
        i.evidence,
      ]),
      evidence: detail.evidence.map((e) => [
        e.id,
        e.type,
        e.title,
        e.version,
        e.sha256,
        e.size,
        e.reviewStatus,
      ]),
      findings: detail.findings.map((f) => [
        f.id,
        f.kind,
        f.severity,
        f.title,
        f.status,
        f.dueDate,
      ]),
      risks: this.risks
        .listRisks({ caseId })
        .map((r) => [
          r.ref,
          r.inherentLevel,
          r.residualLevel,
          r.acceptance.status,
          r.acceptance.expiresOn,
        ]),
    };
    const json = JSON.stringify(snapshot);
    return { json, sha256: sha256Hex(json) };
  }

  private riskSections(caseId: string, language: Language): Section[] {
    const t = (key: MessageKey) => translate(language, key);
    const risks = this.risks.listRisks({ caseId });
    const criteria = this.risks.criteria();
    if (!criteria) {
      return [{ type: 'paragraphs', heading: t('doc.risks'), paragraphs: [t('doc.noCriteria')] }];
    }
    const matrix = this.risks.matrix(criteria.matrixId);
    const level = (id: string | null) => matrix.levels.find((l) => l.id === id)?.[language] ?? '-';
    return [
      {
        type: 'heatmap',
        heading: t('doc.risks'),
        axes: { likelihood: t('risk.axis.likelihood'), impact: t('risk.axis.impact') },
        maps: [
          {
            title: t('risk.heat.inherent'),
            ...heatMapCells(
              matrix,
              risks.flatMap((r) => {
                const p = riskPoints(r).inherent;
                return p ? [p] : [];
              }),
            ),
          },
          {
            title: t('risk.heat.residual'),
            ...heatMapCells(
              matrix,
              risks.map((r) => riskPoints(r).residual),
            ),
          },
        ],
      },
      {
        type: 'table',
        columns: [
          t('risk.col.ref'),
          t('risk.col.event'),
          t('risk.col.inherent'),
          t('risk.col.treatment'),
          t('risk.col.residual'),
          t('risk.col.acceptance'),
        ],
        widths: [10, 38, 12, 12, 12, 16],
        rows: risks.map((r) => [
          r.ref,
          `${r.threatEvent} (${r.scope})`,
          level(r.inherentLevel),
          translate(language, `treatment.${r.treatment}`),
          level(r.residualLevel),
          `${translate(language, `acceptance.${r.acceptance.status}`)}${r.acceptance.expiresOn ? ` ${r.acceptance.expiresOn}` : ''}`,
        ]),
      },
    ];
  }

  /** The dossier report: profile, compliance matrix, risks with heat maps, findings, conditions, evidence with hashes. */
  dossierSpec(caseId: string, language: Language): DocumentSpec {
    const { detail, system, t, base } = this.header(caseId, language, 'doc.dossier.title', '');
    const dossierSha256 = this.dossierSnapshot(caseId).sha256;
    const findings = detail.findings.filter((f) => f.kind === 'finding');
    const conditions = detail.findings.filter((f) => f.kind === 'condition');
    const findingRows = (list: typeof findings) =>
      list.map((f) => [
        f.requirementId ?? '-',
        translate(language, `severity.${f.severity}`),
        f.title,
        f.owner,
        f.dueDate ?? '-',
        translate(language, `findingStatus.${f.status}`),
      ]);
    const findingColumns = [
      t('doc.col.requirement'),
      t('doc.col.severity'),
      t('doc.col.title'),
      t('doc.col.owner'),
      t('doc.col.due'),
      t('doc.col.status'),
    ];
    return {
      ...base,
      kind: 'dossier-report',
      reference: detail.ref,
      version: dossierSha256.slice(0, 12),
      sections: [
        {
          type: 'facts',
          heading: t('doc.profile'),
          rows: [
            [t('doc.system'), `${system.ref} ${system.name}`],
            [t('doc.levels'), this.levelsText(system.levels, language)],
            [t('doc.mode'), translate(language, `mode.${system.mode}` as MessageKey)],
            [t('doc.case'), `${detail.ref} - ${translate(language, `caseType.${detail.type}`)}`],
            [t('doc.state'), translate(language, `state.${detail.state}`)],
            [t('doc.catalogue'), `${detail.catalogue.id} ${detail.catalogue.version}`],
            [t('doc.dossierHash'), grouped(dossierSha256)],
          ],
        },
        {
          type: 'table',
          heading: t('doc.compliance'),
          columns: [
            t('doc.col.requirement'),
            t('doc.col.area'),
            t('doc.col.status'),
            t('doc.col.verdict'),
            t('doc.col.statement'),
          ],
          widths: [11, 8, 15, 12, 54],
          rows: detail.items.map((i) => [
            i.requirementId,
            i.area,
            translate(language, `item.${i.status}`),
            translate(language, `verdict.${i.verdict}` as MessageKey),
            i.statement,
          ]),
        },
        ...this.riskSections(caseId, language),
        {
          type: 'table',
          heading: t('doc.findings'),
          columns: findingColumns,
          widths: [11, 11, 40, 14, 12, 12],
          rows: findingRows(findings),
        },
        {
          type: 'table',
          heading: t('doc.conditions'),
          columns: findingColumns,
          widths: [11, 11, 40, 14, 12, 12],
          rows: findingRows(conditions),
        },
        {
          type: 'table',
          heading: t('doc.evidence'),
          columns: [t('doc.col.title'), t('doc.col.version'), t('doc.col.status'), 'SHA-256'],
          widths: [30, 8, 12, 50],
          rows: detail.evidence.map((e) => [
            `${e.title} (${e.fileName})`,
            e.version,
            translate(language, `review.${e.reviewStatus}` as MessageKey),
            grouped(e.sha256),
          ]),
        },
      ],
    };
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
            `${r.acceptance.by ?? ''} ${r.acceptance.on ?? ''}`,
            r.acceptance.justification ?? '',
            r.acceptance.expiresOn ?? '',
          ]),
        },
      ],
    };
  }

  /** The records extract: the security-authority records of the vault. */
  recordsSpec(language: Language): DocumentSpec {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(language, key, params);
    const records = this.register.listRecords({});
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
      date: today(),
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
            r.followUpDue ?? '-',
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
    validity ??= JSON.parse(readFileSync(VALIDITY_FILE, 'utf8')) as Validity;
    const { default: byType, byLevel } = validity;
    const detail = this.cases.getCase(caseId);
    const top = this.scheme().highestMarking(detail.systemLevels)?.code;
    return Object.fromEntries(
      DECISION_TYPES.map((type) => {
        const months = (top ? byLevel[top]?.[type] : undefined) ?? byType[type];
        return [type, months ? addMonths(from, months) : null];
      }),
    ) as Record<DecisionType, string | null>;
  }

  /** The default end of validity for a decision type on this case's system. */
  defaultValidTo(caseId: string, type: DecisionType, from = today()): string | null {
    return this.validityDefaults(caseId, from)[type];
  }

  decision(caseId: string) {
    const r = all(
      this.db,
      'SELECT * FROM decisions WHERE case_id = ? ORDER BY created_at DESC LIMIT 1',
      [caseId],
    )[0];
    if (!r) {
      return null;
    }
    return {
      id: s(r.id),
      ref: s(r.ref),
      type: s(r.type) as DecisionType,
      validFrom: n(r.valid_from),
      validTo: n(r.valid_to),
      acceptedRisks: JSON.parse(s(r.accepted_risks)) as {
        ref: string;
        residualLevel: string;
        expiresOn: string | null;
      }[],
      dossierSha256: s(r.dossier_sha256),
      signer: s(r.signer_subject),
      signerFingerprint: s(r.signer_fingerprint),
      signedAt: s(r.signed_at),
      pdfSha256: s(r.pdf_sha256),
      pdfBlob: s(r.pdf_blob),
      createdBy: s(r.created_by),
    };
  }

  async decisionPdf(caseId: string): Promise<Buffer> {
    const d = this.decision(caseId);
    if (!d) {
      throw new AppError('NOT_FOUND', 'The case has no decision');
    }
    return buffer(this.vault().blobs.read(d.pdfBlob));
  }

  private decisionSpec(
    caseId: string,
    ref: string,
    input: ReturnType<typeof DecisionInput.parse>,
    validTo: string | null,
    snapshot: string,
    conditions: { text: string; dueDate?: string | null }[],
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
            [t('doc.validity'), validTo ? `${input.validFrom ?? today()} - ${validTo}` : '-'],
            [t('doc.dossierHash'), grouped(snapshot)],
          ],
        },
        { type: 'paragraphs', heading: t('doc.decision.reasons'), paragraphs: [input.reason] },
        {
          type: 'table',
          heading: t('doc.conditions'),
          columns: ['#', t('doc.col.title'), t('doc.col.due')],
          widths: [6, 74, 20],
          rows: conditions.map((c, i) => [String(i + 1), c.text, c.dueDate ?? '-']),
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
            r.acceptance.expiresOn ?? '-',
          ]),
        },
        { type: 'paragraphs', paragraphs: [t('doc.decision.closing')] },
      ],
    };
  }

  /** The letter a decision would produce now: its reference, validity and layout. */
  private letter(caseId: string, input: ReturnType<typeof DecisionInput.parse>) {
    const approving = APPROVING.includes(input.type);
    const validFrom = input.validFrom ?? today();
    const validTo = approving
      ? (input.validTo ?? this.defaultValidTo(caseId, input.type, validFrom))
      : null;
    const snapshot = this.dossierSnapshot(caseId);
    const count = Number(all(this.db, 'SELECT count(*) AS c FROM decisions')[0]?.c ?? 0);
    const ref = `DEC-${today().slice(0, 4)}-${String(count + 1).padStart(4, '0')}`;
    const spec = this.decisionSpec(caseId, ref, input, validTo, snapshot.sha256, input.conditions);
    return { ref, validFrom, validTo, snapshot, spec };
  }

  /** The decision letter as it would be issued, unsigned and marked as a draft: to read before signing. */
  async previewDecision(caseId: string, raw: unknown): Promise<Buffer> {
    const input = DecisionInput.parse(raw);
    const { spec } = this.letter(caseId, input);
    const draft = translate(input.language, 'doc.draft');
    return this.render({ ...spec, title: `${draft} - ${spec.title}`, version: draft });
  }

  /**
   * Issues the decision on a case in "decision pending": checks the lifecycle would accept it,
   * renders and signs the letter, stores it, records the decision and its conditions, and moves
   * the case to "decided".
   */
  async issueDecision(
    caseId: string,
    raw: unknown,
  ): Promise<{ id: string; ref: string; pdfSha256: string }> {
    this.requireAccreditor('issues decisions');
    const input = DecisionInput.parse(raw);
    const detail = this.cases.getCase(caseId);
    const verdict = canTransition(detail.state, 'decided', {
      ...this.cases.transitionContext(caseId, input.reason),
      decision: { type: input.type, signed: true },
    });
    if (!verdict.ok) {
      throw new AppError('TRANSITION_REFUSED', 'The decision cannot be issued now', {
        reason: verdict.code,
        ...verdict.params,
      });
    }
    const identity = this.signingIdentity(input.identityId);
    const { ref, validFrom, validTo, snapshot, spec } = this.letter(caseId, input);
    const approving = APPROVING.includes(input.type);
    const signingTime = new Date();
    const unsigned = await this.render(spec);
    const actor = this.vault().actor;
    const pdf = await signPdf(unsigned, identity, {
      name: actor.name,
      reason: `${translate(input.language, `decisionType.${input.type}`)} ${ref}`,
      location: actor.organisation,
      signingTime,
      lines: [
        translate(input.language, 'doc.signedBy', { name: actor.name }),
        actor.organisation,
        signingTime.toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
        `SHA-256 ${identity.fingerprint.slice(0, 32)}`,
      ],
    });
    const stored = await this.vault().blobs.put(Readable.from([pdf]));
    const accepted = this.risks
      .listRisks({ caseId })
      .filter((r) => r.acceptance.status === 'accepted')
      .map((r) => ({
        ref: r.ref,
        residualLevel: r.residualLevel,
        expiresOn: r.acceptance.expiresOn,
      }));
    const system = this.register.getSystem(detail.systemId);
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.vault().change(
      {
        action: 'decision.issue',
        entityType: 'decision',
        entityId: id,
        changes: {
          caseId,
          ref,
          type: input.type,
          validTo,
          dossierSha256: snapshot.sha256,
          pdfSha256: stored.sha256,
          signer: identity.fingerprint,
        },
      },
      (db) => {
        db.run(
          `INSERT INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, valid_from, valid_to, accepted_risks, dossier_sha256, language,
             signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            ref,
            caseId,
            input.type,
            JSON.stringify(system.system.levels),
            system.system.mode,
            JSON.stringify(system.sites.map((x) => x.name)),
            JSON.stringify(system.interconnections.map((i) => i.id)),
            approving ? validFrom : null,
            validTo,
            JSON.stringify(accepted),
            snapshot.sha256,
            input.language,
            identity.subject,
            identity.fingerprint,
            signingTime.toISOString(),
            stored.address,
            stored.sha256,
            now,
            actor.name,
          ] as SqlValue[],
        );
        for (const c of input.conditions) {
          db.run(
            `INSERT INTO findings (id, case_id, requirement_id, kind, severity, title, description, recommended_action, owner, due_date, status, created_at, updated_at)
             VALUES (?, ?, NULL, 'condition', 'major', ?, ?, '', ?, ?, 'open', ?, ?)`,
            [
              randomUUID(),
              caseId,
              c.text.slice(0, 300),
              `${ref}: ${c.text}`,
              c.owner,
              c.dueDate ?? null,
              now,
              now,
            ],
          );
        }
      },
    );
    await this.cases.transition(caseId, 'decided', input.reason);
    return { id, ref, pdfSha256: stored.sha256 };
  }

  /** Renders (and, for the residual-risk acceptance, signs) a document of a case and keeps it. */
  async issueDocument(raw: unknown): Promise<{ id: string; sha256: string; pdf: Buffer }> {
    const request = DocumentRequest.parse(raw);
    const spec =
      request.kind === 'dossier-report'
        ? this.dossierSpec(request.caseId, request.language)
        : this.riskAcceptanceSpec(request.caseId, request.language);
    let pdf = await this.render(spec);
    if (request.kind === 'risk-acceptance') {
      if (!request.identityId) {
        throw new AppError('NO_SIGNING_IDENTITY', 'Choose the identity that signs the acceptance');
      }
      this.requireAccreditor('signs residual-risk acceptances');
      const actor = this.vault().actor;
      pdf = await signPdf(pdf, this.signingIdentity(request.identityId), {
        name: actor.name,
        reason: spec.title,
        location: actor.organisation,
        lines: [
          translate(request.language, 'doc.signedBy', { name: actor.name }),
          actor.organisation,
          new Date().toISOString().slice(0, 10),
        ],
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
        db.run(
          `INSERT INTO documents (id, case_id, kind, title, language, blob_address, sha256, size, signed, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            request.caseId,
            request.kind,
            spec.title,
            request.language,
            stored.address,
            stored.sha256,
            stored.size,
            request.kind === 'risk-acceptance' ? 1 : 0,
            new Date().toISOString(),
            this.vault().actor.name,
          ],
        ),
    );
    return { id, sha256: stored.sha256, pdf };
  }
}

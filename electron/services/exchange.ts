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
 * Longer than 500 lines: the area's SQL, rules and use cases together, until the split by
 * capability into repository, domain and use cases.
 */
import { createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Database, SqlValue } from 'sql.js';
import type { ZodType } from 'zod';
import { parseCatalogue, type SystemProfile } from '../../shared/catalogue';
import { SystemInput } from '../../shared/register';
import { citedDossier, keywordValue, type DossierSnapshot } from '../../shared/dossier';
import { AppError } from '../../shared/errors';
import {
  PACKAGE_CLOCK_SKEW_MINUTES,
  PREVIEW_VALUE_MAX,
  type PackageKind,
  type PreviewChange,
  type PreviewRow,
  type PreviewTable,
  SUBMISSION_SENT_IN,
  type TrustRole,
} from '../../shared/exchange';
import type { ClassificationScheme, InfoDomain } from '../../shared/classification';
import type { DECISION_TYPES } from '../../shared/lifecycle';
import { REVIEW_STATES } from '../../shared/cases';
import {
  canTransition,
  DECISION_EFFECTS,
  stepTakers,
  type CaseState,
} from '../../shared/lifecycle';
import { assess, fingerprint, outOfScale, parseMatrix, type RiskMatrix } from '../../shared/risk';
import type { SignatureReason, SignatureReport } from '../../shared/signatures';
import { auditHead, canonicalJson } from '../db/audit';
import { queryRows, text } from '../db/query';
import { readDossier } from '../documents/dossier';
import {
  ACCEPTANCE_COLUMNS,
  DECISION_COLUMNS,
  DecisionContent,
  EVIDENCE_COLUMNS,
  FINDING_COLUMNS,
  PARTS,
  SubmissionContent,
} from '../exchange/content';
import { PACKAGE_SCOPE, RISK_CHANGES, type PackageScope } from '../exchange/scope';
import {
  markingText,
  packageFileName,
  parseJson,
  DEFAULT_LIMITS,
  isInstant,
  readPackage,
  reject,
  writePackage,
  type Limits,
  type Manifest,
  type ManifestPart,
  type PartSource,
  type Sender,
} from '../exchange/package';
import { DEFAULT_SAME_PERSON } from '../../shared/decisions';
import { judgeLetter } from '../signing/four-eyes';
import { sha256Hex } from '../signing/hash';
import { validatePath } from '../signing/path';
import { signedKeywords } from '../signing/verify';
import {
  CONDITION_TERMS,
  REF_KEYWORD,
  TERMS_KEYWORD,
  termsHash,
  unsignedCondition,
  unsignedRisk,
  acceptedAsListed,
  unlistedCondition,
} from '../documents/decision-terms';
import { derOf, fingerprintOf, readCertificate, x509 } from '../signing/x509';
import { namedRead, type StoredBlob } from '../vault/blobs';
import { referencedBlobs } from '../vault/check';
import { ImportJournal } from '../vault/import-journal';
import type { Vault } from '../vault/vault';
import * as riskRepo from '../areas/risks/repository';
import type { RiskService } from '../areas/risks/use-cases';
import { findingEvent, recordStep, WORKBENCH, type CaseService } from './cases';
import type { DecisionService } from './decisions';
import { fourEyesPolicy } from './policy';
import type { RegisterService } from './register';
import { decisionPackageSense, refuseImpossiblePackage, submissionPackageSense } from './sense';
import { findingRule, requirementRule, residualRule, type SenseIssue } from '../../shared/sense';
import { now as clockNow } from './clock';
import type { SigningService } from '../areas/identities/use-cases';

const all = queryRows;
const s = text;

/** A requirement's id as RiskInput takes it (a system's risk, outside any case's checklist). */
const REQUIREMENT_ID = /^[A-Z]{2,5}-\d{2,3}$/;

type Row = Record<string, SqlValue>;

/** The states of an approval in force (the second: due for re-accreditation). */
const IN_FORCE: CaseState[] = ['in_force', 'reaccreditation_due'];

/** A submission leaves the owner in these states: sent for assessment, or with remediation. */
const OWNER_SENDS: readonly CaseState[] = SUBMISSION_SENT_IN;

/** The certificate role that may send a kind, and the vault role that receives it. */
const SENDER_ROLE: Record<PackageKind, Exclude<TrustRole, 'documents'>> = {
  submission: 'owner',
  decision: 'authority',
};
const RECEIVER: Record<PackageKind, 'accreditor' | 'system_owner'> = {
  submission: 'accreditor',
  decision: 'system_owner',
};

function jsonPart(path: string, value: unknown, type: ManifestPart['type'] = 'json'): PartSource {
  const buffer = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  return {
    path,
    type,
    sha256: sha256Hex(buffer),
    size: buffer.length,
    open: () => Readable.from([buffer]),
  };
}

/** The export refused before anything is written, with its reason. */
function refuseExport(reason: string, params: Record<string, string> = {}): AppError {
  return new AppError('EXPORT_REFUSED', `The package cannot be written: ${reason}`, {
    reason,
    ...params,
  });
}

/** A certificate's common name (else its subject): how logs and history name a sender. */
function commonName(sender: Sender): string {
  return sender.certificate.subjectName.getField('CN')[0] ?? sender.certificate.subject;
}

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

export interface ExportOptions {
  identityId: string;
  pin?: string | null;
  /** The recipient's encryption certificate (fingerprint); the only one trusted, if absent. */
  recipient?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  file: string;
  /** SHA-256 of the manifest: the package's name in both vaults' logs. */
  sha256: string;
  size: number;
  parts: number;
  sequence: number;
  recipient: string;
  encrypted: true;
}

interface Verified {
  manifest: Manifest;
  digest: string;
  sender: Sender;
  /** The anchor the sender's path reached, and the certificate's subject. */
  anchor: string;
  size: number;
  buffered: Map<string, Buffer>;
}

/**
 * The marking `items` call for when the signed marking `text` does not carry it (null: it
 * does): the text must stand for a level above their highest, or for that level in every
 * domain present at it — "HEMMELIGT" does not mark what this vault knows as NATO SECRET,
 * though the levels are equivalent: NATO information travels under its own label.
 */
function markingShort(
  scheme: ClassificationScheme,
  text: string,
  items: { domain: InfoDomain; level: string }[],
): string | null {
  const top = scheme.highestMarking(items);
  if (!top) {
    return null;
  }
  const topRank = scheme.rank(top.code);
  const signed = scheme.levelsOfMarking(text);
  const rank = signed.length ? scheme.rank(signed[0]!.level) : 0;
  const carried = items
    .filter((i) => scheme.rank(i.level) === topRank)
    .every((i) => signed.some((s) => s.domain === i.domain));
  return rank > topRank || (rank === topRank && carried) ? null : top.text;
}

export class ExchangeService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
    private readonly cases: CaseService,
    private readonly decisions: DecisionService,
    private readonly signing: SigningService,
    private readonly risks: RiskService,
    private readonly limits: Limits = DEFAULT_LIMITS,
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  private caseRow(caseId: string): Row {
    const row = all(this.db, 'SELECT * FROM cases WHERE id = ?', [caseId])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    return row;
  }

  // ---- export ------------------------------------------------------------------------------

  /** The encryption certificates a package of `kind` can be sent to (the counterpart's). */
  recipients(kind: PackageKind) {
    return this.signing
      .recipients(kind === 'submission' ? 'authority' : 'owner')
      .map(({ certificate: _c, ...facts }) => facts);
  }

  /**
   * Writes a package of `kind` for a case into `folder`, named by its marking, case, kind and
   * sequence. Refused (nothing written) when this vault's role does not send that kind, when
   * the case is not at a step where it is sent, or when no recipient is trusted.
   */
  async exportPackage(
    kind: PackageKind,
    caseId: string,
    folder: string,
    options: ExportOptions,
  ): Promise<ExportResult> {
    const actor = this.vault().actor;
    if (actor.role === RECEIVER[kind]) {
      throw refuseExport('WRONG_ROLE', { kind });
    }
    const c = this.caseRow(caseId);
    const state = s(c.state) as CaseState;
    if (kind === 'submission' && !OWNER_SENDS.includes(state)) {
      throw refuseExport('NOT_SENT_NOW', { state });
    }
    if (kind === 'decision' && !this.exchangeOf(caseId)) {
      // The authority answers cases it received; a case made here has no owner to send to.
      throw refuseExport('NOT_RECEIVED', { state });
    }
    const signer = this.signing.signer(options.identityId, options.pin);
    const recipient = this.pickRecipient(kind, caseId, options.recipient);
    const { parts, summary } =
      kind === 'submission' ? this.submissionParts(c) : await this.decisionPackageParts(c);
    const system = all(this.db, 'SELECT id, ref FROM systems WHERE id = ?', [s(c.system_id)])[0]!;
    // The marking is the highest of what the package holds: the system's levels and every
    // evidence file's own marking (a TEMPEST report may be marked above the system it is about).
    const levels = [
      ...this.register.getSystem(s(c.system_id)).system.levels,
      ...all(
        this.db,
        `SELECT marking_domain, marking_level FROM evidence
          WHERE case_id = ? AND marking_domain IS NOT NULL AND marking_level IS NOT NULL`,
        [caseId],
      ).map((e) => ({ domain: s(e.marking_domain) as InfoDomain, level: s(e.marking_level) })),
    ];
    const scheme = this.register.scheme();
    const top = scheme.highestMarking(levels);
    const exchange = this.exchangeOf(caseId);
    const sequence = this.lastSent(caseId) + 1;
    const manifest: Parameters<typeof writePackage>[1]['manifest'] = {
      kind,
      createdAt: new Date().toISOString(),
      sender: { name: actor.name, organisation: actor.organisation, role: actor.role },
      case: { id: caseId, ref: s(c.ref) },
      system: { id: s(system.id), ref: s(system.ref) },
      sequence,
      previous: exchange?.digest ?? null,
      replyTo:
        this.signing.decryptionKeys().map((k) => fingerprintOf(derOf(k.certificate)))[0] ?? null,
      marking: { text: top?.text ?? 'UNMARKED', rank: top ? scheme.rank(top.code) : 0 },
      auditAnchor: auditHead(this.db),
    };
    mkdirSync(folder, { recursive: true });
    const file = join(folder, packageFileName(manifest));
    const written = await writePackage(file, {
      manifest,
      parts,
      signer,
      recipient: recipient.certificate,
      onProgress: options.onProgress,
    });
    const transitionsUpto = Number(
      all(this.db, 'SELECT max(seq) AS m FROM case_transitions WHERE case_id = ?', [caseId])[0]
        ?.m ?? 0,
    );
    await this.vault().change(
      {
        action: 'package.sent',
        entityType: 'case',
        entityId: caseId,
        changes: {
          kind,
          sha256: written.digest,
          sequence,
          recipient: recipient.subject,
          recipientFingerprint: recipient.fingerprint,
        },
      },
      (db) =>
        this.logRow(db, {
          direction: 'sent',
          kind,
          caseId,
          caseRef: s(c.ref),
          counterpart: recipient.subject,
          fingerprint: recipient.fingerprint,
          digest: written.digest,
          size: written.size,
          seq: sequence,
          marking: manifest.marking.text,
          summary: { ...summary, parts: parts.length, transitionsUpto },
        }),
    );
    return {
      file,
      sha256: written.digest,
      size: written.size,
      parts: parts.length,
      sequence,
      recipient: recipient.subject,
      encrypted: true,
    };
  }

  /**
   * The recipient: the one asked for, else (for an answer) the encryption certificate the
   * system's owner named in its submission, else the only one trusted in the counterpart's role.
   */
  private pickRecipient(kind: PackageKind, caseId: string, fingerprint: string | null | undefined) {
    const candidates = this.signing.recipients(
      SENDER_ROLE[kind === 'submission' ? 'decision' : 'submission'],
    );
    const bound = all(
      this.db,
      'SELECT s.reply_to, s.anchor, s.subject FROM system_senders s JOIN cases c ON c.system_id = s.system_id WHERE c.id = ?',
      [caseId],
    )[0];
    const replyTo = bound?.reply_to;
    const wanted = fingerprint ?? (kind === 'decision' && replyTo ? s(replyTo) : null);
    let chosen = wanted
      ? candidates.find((r) => r.fingerprint === wanted)
      : candidates.length === 1
        ? candidates[0]
        : undefined;
    // Where the owner asked its answers to go is followed only to the bound owner's certificate
    // (its anchor, or its organisation): what import checks (checkReplyTo), asked again here.
    if (chosen && !fingerprint && kind === 'decision' && bound && replyTo) {
      const own = organisationOf(s(bound.subject));
      const theirs = chosen.certificate.subjectName.getField('O')[0] ?? '';
      if (own !== '' && theirs !== own && chosen.fingerprint !== s(bound.anchor)) {
        chosen = undefined;
      }
    }
    if (!chosen) {
      throw new AppError(
        'NO_RECIPIENT',
        candidates.length > 1
          ? 'Choose which of the trusted encryption certificates to send to'
          : 'No encryption certificate of the other side is trusted for this',
        {
          role: SENDER_ROLE[kind === 'submission' ? 'decision' : 'submission'],
          candidates: candidates.length,
        },
      );
    }
    return chosen;
  }

  /** Owner → authority: everything the authority needs to assess the case. */
  private submissionParts(c: Row): { parts: PartSource[]; summary: Record<string, number> } {
    const db = this.db;
    const caseId = s(c.id);
    const evidence = all(db, 'SELECT * FROM evidence WHERE case_id = ? ORDER BY uploaded_at', [
      caseId,
    ]);
    const links = all(
      db,
      'SELECT evidence_id, requirement_id FROM evidence_links WHERE case_id = ?',
      [caseId],
    );
    // An owner's acceptances travel only for its own risks (the authority's are the authority's).
    const { risks, riskLinks, acceptances, matrices } = this.riskRows(caseId, s(c.system_id), true);
    // Rows of this vault, as the receiver's schema (content.ts) reads them.
    const content = {
      case: {
        id: caseId,
        ref: s(c.ref),
        type: s(c.type),
        state: s(c.state),
        title: s(c.title),
        catalogue_id: s(c.catalogue_id),
        catalogue_version: s(c.catalogue_version),
        deadline: c.deadline === null ? null : s(c.deadline),
      },
      catalogue: JSON.parse(
        s(
          all(db, 'SELECT json FROM catalogues WHERE id = ? AND version = ?', [
            c.catalogue_id!,
            c.catalogue_version!,
          ])[0]?.json,
        ),
      ) as unknown,
      system: all(db, 'SELECT * FROM systems WHERE id = ?', [c.system_id!])[0],
      levels: all(db, 'SELECT domain, level FROM system_levels WHERE system_id = ?', [
        c.system_id!,
      ]),
      checklist: all(
        db,
        'SELECT requirement_id, area, position, status, statement, justification FROM checklist_items WHERE case_id = ? ORDER BY position',
        [caseId],
      ),
      evidence: evidence.map((e, i) => ({
        ...pick(e, EVIDENCE_COLUMNS),
        part: PARTS.evidence(i),
        requirements: links.filter((l) => l.evidence_id === e.id).map((l) => s(l.requirement_id)),
      })),
      risks: risks,
      riskLinks: riskLinks,
      acceptances: acceptances,
      matrices,
      audit: all(
        db,
        `SELECT seq, at, actor_name, action, entity_type, entity_id, changes FROM audit_log
         WHERE entity_id = ? OR entity_id IN (SELECT id FROM evidence WHERE case_id = ?) ORDER BY seq`,
        [caseId, caseId],
      ),
    } as unknown as SubmissionContent;
    const parts: PartSource[] = [
      jsonPart(PARTS.submission, content),
      ...evidence.map((e, i) => ({
        path: PARTS.evidence(i),
        type: 'evidence' as const,
        sha256: s(e.sha256),
        size: Number(e.size),
        // The store's read fails unless the content is the one stored (and hashed) at upload.
        verified: true,
        open: () => namedRead(this.vault().blobs.read(s(e.blob_address)), s(e.id), s(e.title)),
      })),
    ];
    return {
      parts,
      summary: {
        evidence: evidence.length,
        risks: risks.length,
        checklist: content.checklist.length,
      },
    };
  }

  /**
   * What this side may send about the case's risks (electron/exchange/scope.ts): the risks made
   * here (of the case, and of its system without a case) with their links, and the acceptances
   * made here of any risk of the case — for an owner (`ownRisksOnly`), of its own risks only.
   * What the other side sent stays out: it has it.
   */
  private riskRows(caseId: string, systemId: string, ownRisksOnly = false) {
    return riskRepo.packageRisks(this.db, caseId, systemId, ownRisksOnly);
  }

  /** Authority → owner: its steps on the case and, once issued, the decision with its dossier. */
  private async decisionPackageParts(
    c: Row,
  ): Promise<{ parts: PartSource[]; summary: Record<string, number | string> }> {
    const db = this.db;
    const caseId = s(c.id);
    const records = all(
      db,
      "SELECT * FROM decisions WHERE case_id = ? AND status = 'issued' ORDER BY created_at",
      [caseId],
    );
    const { risks, riskLinks, acceptances, matrices } = this.riskRows(caseId, s(c.system_id));
    const content = {
      case: { id: caseId, ref: s(c.ref), state: s(c.state) as CaseState },
      transitions: all(
        db,
        "SELECT seq, from_state, to_state, actor_name, reason, at FROM case_transitions WHERE case_id = ? AND actor_role = 'accreditor' ORDER BY seq",
        [caseId],
      ).map((t) => ({
        seq: Number(t.seq),
        from: s(t.from_state) as CaseState,
        to: s(t.to_state) as CaseState,
        actor: s(t.actor_name),
        reason: s(t.reason),
        at: s(t.at),
      })),
      findings: all(
        db,
        `SELECT ${FINDING_COLUMNS.join(', ')} FROM findings WHERE case_id = ? ORDER BY created_at`,
        [caseId],
      ),
      verdicts: all(
        db,
        "SELECT requirement_id, verdict, assessor_comment FROM checklist_items WHERE case_id = ? AND (verdict <> 'none' OR assessor_comment <> '')",
        [caseId],
      ),
      risks: risks,
      riskLinks: riskLinks,
      acceptances: acceptances,
      matrices,
      decisions: records.map((record) => ({
        ...pick(record, DECISION_COLUMNS),
        signatures: all(
          db,
          'SELECT seq, field, signer_subject, signer_fingerprint, signed_at, signed_by FROM decision_signatures WHERE decision_id = ? ORDER BY seq',
          [s(record.id)],
        ),
      })),
    } as unknown as DecisionContent;
    const parts: PartSource[] = [jsonPart(PARTS.decision, content)];
    // Every decision travels with its signed letter, the dossier it was taken on and its report.
    for (const [n, record] of records.entries()) {
      const kept = this.decisions.dossierOf(s(record.dossier_sha256));
      if (!kept) {
        throw refuseExport('DOSSIER_NOT_KEPT', { decision: s(record.ref) });
      }
      const report = await this.decisions.render(
        this.decisions.dossierReport(
          kept.snapshot,
          kept.sha256,
          s(record.language) === 'en' ? 'en' : 'da',
          s(record.ref),
        ),
      );
      parts.push(
        jsonPart(PARTS.letter(n), await this.decisions.letterOf(s(record.id)), 'pdf'),
        jsonPart(PARTS.dossier(n), Buffer.from(kept.json), 'json'),
        jsonPart(PARTS.dossierReport(n), report, 'pdf'),
      );
    }
    return {
      parts,
      summary: {
        transitions: content.transitions.length,
        decisions: records.map((r) => s(r.ref)).join(' '),
      },
    };
  }

  /** One line of the exchange log, written inside the caller's vault change. */
  private logRow(
    db: Database,
    entry: {
      direction: 'sent' | 'received';
      kind: PackageKind;
      caseId: string;
      caseRef: string;
      counterpart: string;
      fingerprint: string;
      digest: string;
      size: number;
      seq: number;
      marking: string;
      summary: unknown;
      /** The sender's audit anchor a received package cited, and when it says it was made. */
      anchor?: { rows: number; head: string; madeAt: string };
    },
  ): void {
    db.run(
      `INSERT INTO exchange_log (id, direction, kind, case_id, case_ref, counterpart, fingerprint, sha256, size, summary, at, actor, seq, marking, anchor_rows, anchor_head, made_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        entry.direction,
        entry.kind,
        entry.caseId,
        entry.caseRef,
        entry.counterpart,
        entry.fingerprint,
        entry.digest,
        entry.size,
        JSON.stringify(entry.summary),
        new Date().toISOString(),
        this.vault().actor.name,
        entry.seq,
        entry.marking,
        entry.anchor?.rows ?? null,
        entry.anchor?.head ?? null,
        entry.anchor?.madeAt ?? null,
      ],
    );
  }

  /**
   * The private key of a software encryption identity with its certificate (PEM, unencrypted),
   * written to `file` — mode 0600, never over an existing file — so a package can be checked
   * with openssl alone (docs/package-format.md). The identity's label must be typed again as
   * `confirm`; a signing key, and a key on a token, never leave. The audit trail records it.
   */
  async exportEncryptionKey(
    identityId: string,
    confirm: string,
    file: string,
  ): Promise<{ label: string; fingerprint: string }> {
    const row = all(
      this.db,
      'SELECT label, kind, usage, key_der, cert_pem, fingerprint FROM signing_identities WHERE id = ?',
      [identityId],
    )[0];
    if (!row) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such identity');
    }
    const refuse = (reason: string) =>
      new AppError('KEY_EXPORT_REFUSED', `The key is not exported: ${reason}`, {
        reason,
        label: s(row.label),
      });
    if (s(row.usage) !== 'encryption') {
      throw refuse('SIGNING_KEY');
    }
    if (!(row.key_der instanceof Uint8Array)) {
      throw refuse('TOKEN_KEY');
    }
    if (confirm !== s(row.label)) {
      throw refuse('NOT_CONFIRMED');
    }
    const key = createPrivateKey({ key: Buffer.from(row.key_der), format: 'der', type: 'pkcs8' });
    const pem = `${key.export({ type: 'pkcs8', format: 'pem' }).toString()}${s(row.cert_pem)}`;
    const facts = { label: s(row.label), fingerprint: s(row.fingerprint) };
    if (existsSync(file)) {
      throw refuse('FILE_EXISTS');
    }
    // Recorded before it is written: a key that left the vault is always in the trail.
    await this.vault().change(
      {
        action: 'identity.keyExported',
        entityType: 'signing_identity',
        entityId: identityId,
        changes: { ...facts, usage: 'encryption', format: 'PKCS#8 PEM, unencrypted' },
      },
      () => undefined,
    );
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch {
      throw refuse('NOT_WRITTEN');
    }
    return facts;
  }

  exchangeLog() {
    return all(
      this.db,
      // The case is a link where it is in this vault (it is not, once disposed of).
      `SELECT l.*, c.id AS here FROM exchange_log l LEFT JOIN cases c ON c.id = l.case_id
       ORDER BY l.at DESC`,
    ).map((r) => ({
      direction: s(r.direction),
      kind: s(r.kind),
      caseId: r.here === null ? null : s(r.here),
      caseRef: s(r.case_ref),
      counterpart: s(r.counterpart),
      fingerprint: s(r.fingerprint),
      sha256: s(r.sha256),
      size: Number(r.size),
      sequence: r.seq === null ? null : Number(r.seq),
      marking: s(r.marking),
      at: s(r.at),
      actor: s(r.actor),
    }));
  }

  /** The case's exchange so far: the last package received (its number and digest). */
  private exchangeOf(caseId: string) {
    const row = all(this.db, 'SELECT * FROM case_exchange WHERE case_id = ?', [caseId])[0];
    return row
      ? {
          seq: Number(row.seq),
          digest: s(row.digest),
          transitionsUpto: Number(row.transitions_upto),
        }
      : null;
  }

  private lastSent(caseId: string): number {
    return Number(
      all(
        this.db,
        "SELECT max(seq) AS m FROM exchange_log WHERE case_id = ? AND direction = 'sent'",
        [caseId],
      )[0]?.m ?? 0,
    );
  }

  // ---- import ------------------------------------------------------------------------------

  /**
   * Whether the package is for this vault and from a sender trusted to send its kind: the
   * recipient it names, the marking outside, and the signer's path to an anchor trusted in the
   * role. Returns the anchor the sender's path reached.
   */
  private async checkSender(
    manifest: Manifest,
    sender: Sender,
    outerMarking: string,
    markingFile: string,
  ): Promise<string> {
    const own = this.signing.decryptionKeys().map((k) => fingerprintOf(derOf(k.certificate)));
    if (!own.includes(manifest.recipient)) {
      throw reject('WRONG_RECIPIENT', 'the signed manifest names another recipient');
    }
    if (outerMarking !== manifest.marking.text) {
      throw reject(
        'MARKING_MISMATCH',
        `outside "${outerMarking}", signed "${manifest.marking.text}"`,
      );
    }
    // Every line of MARKING.txt, not only the first: what it says is what the manifest says.
    if (markingFile !== markingText(manifest)) {
      const line = markingFile
        .split('\n')
        .findIndex((l, i) => l !== markingText(manifest).split('\n')[i]);
      throw reject('MARKING_MISMATCH', `MARKING.txt line ${line + 1} is not the signed text`);
    }
    // The sender is whoever signed: its path must reach an anchor trusted for this kind.
    const role = SENDER_ROLE[manifest.kind];
    const store = this.signing.trustStore(role);
    const path = await validatePath({
      signer: sender.certificate,
      pool: sender.certificates,
      anchors: store.anchors,
      crls: store.crls,
      now: new Date(),
    });
    if (path.reason) {
      const anywhere = this.signing.trustStore();
      const elsewhere = await validatePath({
        signer: sender.certificate,
        pool: sender.certificates,
        anchors: anywhere.anchors,
        crls: anywhere.crls,
        now: new Date(),
      });
      throw elsewhere.reason
        ? reject('UNTRUSTED_SENDER', reasonText(path.reason, path.detail))
        : reject(
            'WRONG_SENDER_ROLE',
            `${sender.certificate.subject} is not trusted as ${role === 'authority' ? 'an authority' : 'a system owner'}`,
          );
    }
    return path.path.at(-1)!.fingerprint;
  }

  /**
   * Everything decided from the manifest and its signer, before any part is read: the refusals
   * of docs/package-format.md, in order. Returns the anchor the sender's path reached.
   */
  private async authorize(
    manifest: Manifest,
    digest: string,
    sender: Sender,
    outerMarking: string,
    markingFile: string,
  ): Promise<string> {
    const db = this.db;
    const anchor = await this.checkSender(manifest, sender, outerMarking, markingFile);
    if (this.vault().actor.role !== RECEIVER[manifest.kind]) {
      throw reject(
        'WRONG_KIND',
        `a ${manifest.kind} package is not for a ${this.vault().actor.role} vault`,
      );
    }
    if (manifest.sender.role !== (manifest.kind === 'decision' ? 'accreditor' : 'system_owner')) {
      throw reject('MALFORMED', 'the sender role does not fit the kind');
    }
    // The case and its system: the decision's must be here; a submission's owner must be bound.
    const c = all(db, 'SELECT id, system_id FROM cases WHERE id = ?', [manifest.case.id])[0];
    if (manifest.kind === 'decision' && !c) {
      throw reject('UNKNOWN_CASE', `case ${manifest.case.ref} is not in this vault`);
    }
    if (c && s(c.system_id) !== manifest.system.id) {
      throw reject('MALFORMED', 'the case belongs to another system here');
    }
    if (manifest.kind === 'submission') {
      const system = all(db, 'SELECT id FROM systems WHERE id = ?', [manifest.system.id])[0];
      const bound = all(db, 'SELECT anchor, subject FROM system_senders WHERE system_id = ?', [
        manifest.system.id,
      ])[0];
      if (
        system &&
        (!bound ||
          s(bound.anchor) !== anchor ||
          (s(bound.subject) !== '' && s(bound.subject) !== sender.certificate.subject))
      ) {
        throw reject('NOT_SYSTEM_OWNER', `system ${manifest.system.ref} has another owner here`);
      }
    }
    // Not imported before, not older than the last from that side, tied to this exchange.
    if (all(db, 'SELECT 1 FROM exchange_log WHERE sha256 = ?', [digest]).length) {
      throw reject('PACKAGE_REPLAYED', `package ${digest.slice(0, 16)} was imported before`);
    }
    // Not dated ahead of this vault's clock by more than two clocks may differ: a package from
    // the future would never count as made before a later one, and every honest one would be
    // stale beside it.
    const skew = PACKAGE_CLOCK_SKEW_MINUTES * 60_000;
    if (Date.parse(manifest.createdAt) > clockNow().getTime() + skew) {
      throw reject(
        'PACKAGE_FROM_FUTURE',
        `made ${manifest.createdAt}, more than ${PACKAGE_CLOCK_SKEW_MINUTES} minutes after now here`,
      );
    }
    const exchange = this.exchangeOf(manifest.case.id);
    if (exchange && manifest.sequence <= exchange.seq) {
      throw reject(
        'PACKAGE_STALE',
        `sequence ${manifest.sequence}, but ${exchange.seq} was imported`,
      );
    }
    // Newer by the sender's own clock too: a package dated before one of the same case received
    // from that side is not what its sender made next (a backdated package would slip under the
    // trail check, which compares the packages a sender made before it).
    const later = all(
      db,
      `SELECT made_at FROM exchange_log
        WHERE case_id = ? AND direction = 'received' AND made_at > ?
        ORDER BY made_at DESC LIMIT 1`,
      [manifest.case.id, manifest.createdAt],
    )[0];
    if (later) {
      throw reject(
        'PACKAGE_STALE',
        `made ${manifest.createdAt}, before a package of this case made ${s(later.made_at)}`,
      );
    }
    // Nor before the newest package taken from its signer in any case: the first package of a
    // new case, backdated, would otherwise slip under the trail check (which compares a
    // signer's packages by when they were made). A signer's packages are imported in the order
    // it made them.
    const signerFingerprint = fingerprintOf(derOf(sender.certificate));
    const newer = all(
      db,
      `SELECT made_at, case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND made_at > ?
        ORDER BY made_at DESC LIMIT 1`,
      [signerFingerprint, manifest.createdAt],
    )[0];
    if (newer) {
      throw reject(
        'PACKAGE_BACKDATED',
        `made ${manifest.createdAt}, before a package of ${s(newer.case_ref)} by the same signer made ${s(newer.made_at)}`,
      );
    }
    // After the first package of a case every package answers one: a decision always (the
    // authority answers a submission), a later submission too (what came back in between).
    const sentHere = all(
      db,
      "SELECT 1 FROM exchange_log WHERE case_id = ? AND direction = 'sent' LIMIT 1",
      [manifest.case.id],
    ).length;
    if (
      manifest.previous === null &&
      (manifest.kind === 'decision' || manifest.sequence > 1 || sentHere)
    ) {
      throw reject('PREVIOUS_MISSING', `sequence ${manifest.sequence} names no package it answers`);
    }
    // It answers a package this vault sent in the case — a submission the last one: made
    // answering an earlier one, it was made without what came back since (a return with its
    // reasons, say), and its sender takes that first and sends again. An authority's answer is
    // taken whatever the owner sent meanwhile: a decision on what the authority had stands.
    if (manifest.previous !== null) {
      const sent = all(
        db,
        "SELECT sha256 FROM exchange_log WHERE case_id = ? AND direction = 'sent' ORDER BY seq DESC, rowid DESC",
        [manifest.case.id],
      ).map((r) => s(r.sha256));
      if (!sent.includes(manifest.previous)) {
        throw reject(
          'OUT_OF_SEQUENCE',
          'it answers a package this vault did not send in this case',
        );
      }
      if (manifest.kind === 'submission' && sent[0] !== manifest.previous) {
        throw reject(
          'OUT_OF_SEQUENCE',
          'it answers an earlier package of this case than the last one this vault sent',
        );
      }
    }
    const clash = all(db, 'SELECT id FROM cases WHERE ref = ? AND id <> ?', [
      manifest.case.ref,
      manifest.case.id,
    ])[0];
    if (clash) {
      throw reject('REFERENCE_CLASH', `case ${manifest.case.ref} names another case here`);
    }
    this.checkMarkingLevel(manifest, this.systemLevels(manifest.system.id));
    this.checkSenderTrail(db, manifest, signerFingerprint);
    if (manifest.kind === 'submission' && manifest.replyTo !== null) {
      await this.checkReplyTo(manifest.replyTo, sender, anchor);
    }
    return anchor;
  }

  /**
   * Where the authority's answers go (`replyTo`) is an encryption certificate of the system's
   * bound owner — the signer, whose anchor and subject the system is (or will be) bound to: one
   * trusted here as an owner's that reaches the same anchor, or names the same organisation (O)
   * as the signer's certificate. A certificate trusted here as anyone else's, or as another
   * organisation's, would send the answers (and what they say) to another organisation. A
   * certificate not trusted here at all is no recipient (the export asks again).
   */
  private async checkReplyTo(replyTo: string, sender: Sender, anchor: string): Promise<void> {
    const known = all(this.db, 'SELECT cert_pem FROM trusted_certificates WHERE fingerprint = ?', [
      replyTo,
    ])[0];
    const cert = known ? readCertificate(s(known.cert_pem)) : null;
    if (!cert) {
      return;
    }
    if (!(await this.ownersCertificate(cert, anchor, sender.certificate.subject))) {
      throw reject(
        'REPLY_TO_NOT_OWNER',
        `replyTo names ${cert.subject}, not a certificate of ${sender.certificate.subject}`,
      );
    }
  }

  /** Whether `cert` belongs to the owner bound by `anchor` and `subject` (see checkReplyTo). */
  private async ownersCertificate(
    cert: x509.X509Certificate,
    anchor: string,
    subject: string,
  ): Promise<boolean> {
    const trusted = this.signing
      .recipients('owner')
      .some((r) => r.fingerprint === fingerprintOf(derOf(cert)));
    if (!trusted) {
      return false;
    }
    const own = organisationOf(subject);
    if (own !== '' && organisationOf(cert.subject) === own) {
      return true;
    }
    const store = this.signing.trustStore('owner');
    const path = await validatePath({
      signer: cert,
      pool: [],
      anchors: store.anchors,
      crls: store.crls,
      now: new Date(),
    });
    return !path.reason && path.path.at(-1)?.fingerprint === anchor;
  }

  /** The levels this vault knows for a system (none when it does not know the system). */
  private systemLevels(systemId: string): { domain: InfoDomain; level: string }[] {
    return all(this.db, 'SELECT domain, level FROM system_levels WHERE system_id = ?', [
      systemId,
    ]).map((l) => ({ domain: s(l.domain) as InfoDomain, level: s(l.level) }));
  }

  /**
   * The sender's trail only grows: a package must cite an audit anchor that reaches at least as
   * far as any the same signer's packages made before it cited. A shorter trail (the sender's
   * vault put back to an older copy) is SENDER_TRAIL_SHORTER; one as long as a trail cited before
   * but ending otherwise (two vaults going on from one copy) is SENDER_TRAIL_FORKED. Packages of
   * different cases may arrive in any order: they are compared by when the sender made them.
   */
  private checkSenderTrail(db: Database, manifest: Manifest, fingerprint: string): void {
    const { rows, head } = manifest.auditAnchor;
    const longer = all(
      db,
      `SELECT anchor_rows, case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND anchor_rows > ? AND made_at < ?
        ORDER BY anchor_rows DESC LIMIT 1`,
      [fingerprint, rows, manifest.createdAt],
    )[0];
    if (longer) {
      throw reject(
        'SENDER_TRAIL_SHORTER',
        `its sender's trail has ${rows} entries; a package of ${s(longer.case_ref)} made before it cited ${Number(longer.anchor_rows)}`,
      );
    }
    const other = all(
      db,
      `SELECT case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND anchor_rows = ? AND anchor_head <> ?
        LIMIT 1`,
      [fingerprint, rows, head],
    )[0];
    if (other) {
      throw reject(
        'SENDER_TRAIL_FORKED',
        `its sender's trail of ${rows} entries ends otherwise than one a package of ${s(other.case_ref)} cited`,
      );
    }
  }

  /**
   * The signed marking is not below what this vault knows for the system, read by this vault's
   * scheme (its labels; the rank a manifest states is the sender's scheme's): a marking this
   * scheme does not know counts as none.
   */
  private checkMarkingLevel(
    manifest: Manifest,
    levels: { domain: InfoDomain; level: string }[],
  ): void {
    const scheme = this.register.scheme();
    // A level this scheme does not know has no rank to hold the marking to: a new system's
    // levels are this vault's codes, or the package is refused (no floor is skipped).
    const unknown = levels.find((l) => !scheme.level(l.level));
    if (unknown) {
      throw reject(
        'LEVEL_UNKNOWN',
        `the system's level ${unknown.level} (${unknown.domain}) is not in this vault's classification scheme`,
      );
    }
    const short = markingShort(scheme, manifest.marking.text, levels);
    if (short) {
      throw reject(
        'MARKING_BELOW_SYSTEM',
        `signed "${manifest.marking.text}", but the system is ${short} here`,
      );
    }
  }

  /**
   * The signed marking is not below any evidence item's marking, read by this vault's scheme as
   * the writer reads them when it chooses a package's marking (MARKING_BELOW_EVIDENCE); an
   * evidence level this scheme does not know is LEVEL_UNKNOWN.
   */
  private checkEvidenceMarking(manifest: Manifest, evidence: SubmissionContent['evidence']): void {
    const scheme = this.register.scheme();
    const levels = evidence.flatMap((e) =>
      typeof e.marking_level === 'string' && typeof e.marking_domain === 'string'
        ? [{ domain: e.marking_domain as InfoDomain, level: e.marking_level, title: e.title }]
        : [],
    );
    const unknown = levels.find((l) => !scheme.level(l.level));
    if (unknown) {
      throw reject(
        'LEVEL_UNKNOWN',
        `evidence ${String(unknown.title)} is marked ${unknown.level}, not in this vault's classification scheme`,
      );
    }
    const short = markingShort(scheme, manifest.marking.text, levels);
    if (short) {
      throw reject(
        'MARKING_BELOW_EVIDENCE',
        `signed "${manifest.marking.text}", but it carries evidence marked ${short}`,
      );
    }
  }

  /** Reads and verifies a whole package; evidence goes to `store` (or is only hashed). */
  private async read(
    file: string,
    store: 'keep' | 'hash',
    created: StoredBlob[],
    stored: Map<string, StoredBlob>,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Verified> {
    let anchor = '';
    let size = 0;
    const read = await readPackage(file, {
      keys: this.signing.decryptionKeys(),
      limits: this.limits,
      onProgress,
      authorize: async (manifest, digest, sender, marking, markingFile) => {
        anchor = await this.authorize(manifest, digest, sender, marking, markingFile);
      },
      consume: (part, stream) => {
        if (part.type !== 'evidence') {
          return null;
        }
        if (store === 'hash') {
          return hashOf(stream);
        }
        return this.vault()
          .blobs.put(stream as AsyncIterable<Uint8Array>, undefined, (address) =>
            this.journal?.add(address),
          )
          .then((blob) => {
            if (blob.created) {
              created.push(blob);
            }
            stored.set(part.path, blob);
            return blob;
          });
      },
    });
    try {
      size = statSync(file).size;
    } catch {
      size = 0;
    }
    return { ...read, anchor, size };
  }

  private content<T>(read: Verified, path: string, schema: ZodType<T>): T {
    const bytes = read.buffered.get(path);
    if (!bytes) {
      throw reject('MISSING_PART', path);
    }
    const parsed = schema.safeParse(parseJson<unknown>(bytes, this.limits, path));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw reject(
        'MALFORMED',
        `${path}: ${issue ? `${issue.path.join('.')} ${issue.message}` : ''}`,
      );
    }
    return parsed.data;
  }

  /**
   * `awb verify` of a package: opened with this vault's keys, signed by a sender trusted for its
   * kind, every part as listed; for a decision, the letter's signatures and the dossier hash,
   * recomputed from the dossier it carries and compared with the record, the letter and the
   * report. Nothing is imported, and a package imported before verifies as well.
   */
  async verifyPackage(file: string) {
    let anchor = '';
    let read;
    try {
      read = await readPackage(file, {
        keys: this.signing.decryptionKeys(),
        limits: this.limits,
        authorize: async (manifest, _digest, sender, marking, markingFile) => {
          anchor = await this.checkSender(manifest, sender, marking, markingFile);
        },
        consume: (part, stream) => (part.type === 'evidence' ? hashOf(stream) : null),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'PACKAGE_REJECTED') {
        return {
          valid: false,
          reason: String(error.details?.reason),
          detail: error.details?.detail ?? null,
        };
      }
      throw error;
    }
    const { manifest, digest, sender } = read;
    const facts = {
      kind: manifest.kind,
      case: manifest.case.ref,
      sequence: manifest.sequence,
      marking: manifest.marking.text,
      digest,
      signer: sender.certificate.subject,
      anchor,
      parts: manifest.parts.length,
    };
    const content =
      manifest.kind === 'decision'
        ? DecisionContent.safeParse(
            parseJson<unknown>(
              read.buffered.get(PARTS.decision) ?? Buffer.from('null'),
              this.limits,
              'decision',
            ),
          )
        : null;
    if (!content?.success || content.data.decisions.length === 0) {
      return { valid: content ? content.success : true, reason: null, ...facts };
    }
    const decisions = [];
    for (const [n, record] of content.data.decisions.entries()) {
      decisions.push({
        ref: record.ref,
        ...(await this.verifyDecisionParts(read, record, n, manifest.case.id)),
      });
    }
    const failed = decisions.find((d) => d.reason);
    const latest = decisions.at(-1)!;
    return {
      valid: !failed,
      reason: failed?.reason ?? null,
      ...facts,
      decisions: decisions.map((d) => ({ ref: d.ref, reason: d.reason, dossier: d.dossier })),
      letter: latest.letter,
      dossier: latest.dossier,
    };
  }

  /**
   * How many signatures this vault's four-eyes policy asks of a decision of `type` on the case's
   * system as this vault knows it (1 when the case or system is not known here).
   */
  private signaturesRequiredHere(caseId: string, type: (typeof DECISION_TYPES)[number]): 1 | 2 {
    const known = all(this.db, 'SELECT 1 FROM cases WHERE id = ?', [caseId]).length > 0;
    // As the vault's own decisions are held to it (an amendment or reinstatement as the
    // approval held here it acts on).
    return known ? this.decisions.signaturesRequired(caseId, type) : 1;
  }

  /**
   * The n-th decision's parts, checked: the letter verifies here through anchors trusted as an
   * authority (every signature; a letter that verifies only through anchors trusted for
   * documents is WRONG_SENDER_ROLE); a decision that needs four eyes is signed by two people
   * (FOUR_EYES_NOT_MET, see signing/four-eyes.ts); the dossier is canonical and is the one the
   * record, the signed letter and the signed-for report cite.
   */
  private async verifyDecisionParts(
    read: { buffered: Map<string, Buffer> },
    record: DecisionContent['decisions'][number],
    n: number,
    /** The case as the manifest names it: four eyes is judged by this vault's view of it. */
    caseId: string,
  ) {
    const letter = read.buffered.get(PARTS.letter(n));
    const report = read.buffered.get(PARTS.dossierReport(n));
    const dossierBytes = read.buffered.get(PARTS.dossier(n));
    if (!letter || !report || !dossierBytes) {
      throw reject('MISSING_PART', `the letter, dossier and report of ${record.ref}`);
    }
    const check = await this.signing.verifyLetter(letter);
    // Not valid through an authority: WRONG_SENDER_ROLE when it is valid through the anchors
    // trusted for documents (someone trusted, just not as the authority).
    const byAuthority = check.valid || !(await this.signing.verify(letter)).valid;
    // Four eyes by this vault's own policy for the system as known here, whatever the sender
    // says it needed: a package claiming one signature does not skip the check.
    const required = Math.max(
      Number(record.signatures_required) === 2 ? 2 : 1,
      this.signaturesRequiredHere(caseId, record.type),
    );
    const fourEyes =
      check.valid && (required === 2 || check.signatures.length > 1)
        ? await judgeLetter(letter, {
            authority: this.signing.trustStore('authority'),
            person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
            now: new Date(),
          })
        : null;
    const dossier = readDossier(dossierBytes);
    const cites = {
      record: record.dossier_sha256,
      letter: citedDossier(signedKeywords(letter)),
      report: citedDossier(signedKeywords(report)),
    };
    const matches =
      !('problem' in dossier) && Object.values(cites).every((c) => c === dossier.sha256);
    // The record is the one the letter's signers signed: its reference and the hash of its terms
    // are in the letter's signed keywords (documents/decision-terms.ts).
    const keywords = signedKeywords(letter);
    const bound =
      keywordValue(keywords, REF_KEYWORD) === record.ref &&
      keywordValue(keywords, TERMS_KEYWORD) === termsHash(record);
    return {
      reason: !byAuthority
        ? 'WRONG_SENDER_ROLE'
        : !check.valid
          ? (check.reason ?? 'SIGNATURE_INVALID')
          : fourEyes
            ? 'FOUR_EYES_NOT_MET'
            : !matches
              ? 'DOSSIER_MISMATCH'
              : bound
                ? null
                : 'DECISION_MISMATCH',
      fourEyes,
      letter: check,
      letterBytes: letter,
      reportBytes: report,
      dossierRead: dossier,
      dossier: {
        sha256: dossier.sha256,
        problem: 'problem' in dossier ? dossier.problem : null,
        cites,
        matches,
      },
    };
  }

  /**
   * The rows a submission writes besides answers, evidence and risks, field by field: a new
   * system (its levels too), a new case (its type, title, deadline and catalogue), and where the
   * authority's answers will go when the package moves that (`reply_to`).
   */
  private submissionRows(
    db: Database,
    submission: SubmissionContent,
    manifest: Manifest,
    systemExists: boolean,
    caseExists: boolean,
  ): PreviewRow[] {
    const rows: PreviewRow[] = [];
    const sys = submission.system;
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

  /** Verifies a package completely and says what importing it would change; the vault is not touched. */
  async inspect(file: string): Promise<ImportPreview> {
    const read = await this.read(file, 'hash', [], new Map());
    return this.plan(read).preview;
  }

  /** What a verified package would change, checked as far as it can be without writing. */
  private plan(read: Verified) {
    const { manifest } = read;
    const exists = all(this.db, 'SELECT state FROM cases WHERE id = ?', [manifest.case.id])[0];
    const changes: PreviewChange[] = [];
    let submission: SubmissionContent | null = null;
    let decision: DecisionContent | null = null;
    if (manifest.kind === 'submission') {
      submission = this.content(read, PARTS.submission, SubmissionContent);
      this.checkSubmission(submission, manifest);
      const systemExists =
        all(this.db, 'SELECT 1 FROM systems WHERE id = ?', [submission.system.id]).length > 0;
      // A new system is validated as local entry validates it (SYSTEM_INVALID); its levels are
      // what the package says: its signed marking must reach them.
      if (!systemExists) {
        checkNewSystem(submission);
        this.checkMarkingLevel(manifest, submission.levels);
      }
      // Nor below any evidence it carries: the writer marks a package with the highest of both.
      this.checkEvidenceMarking(manifest, submission.evidence);
      // The catalogue, parsed and checked as the import does: this vault's own copy, or refused.
      const catalogue = this.submittedCatalogue(this.db, submission);
      const scoped = this.scoped(this.db, read, submission);
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
      decision = this.content(read, PARTS.decision, DecisionContent);
      const steps = this.newSteps(decision, manifest.case.id, manifest.createdAt);
      this.checkDecision(decision, manifest);
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
      changes.push(...this.scoped(this.db, read, decision).rows);
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

  // ---- what a package may change (electron/exchange/scope.ts) --------------------------------

  /**
   * Every row the package would add or change here, checked against what its sender may decide
   * (PACKAGE_SCOPE): rows of the package's case and system only (OUTSIDE_CASE), existing rows
   * only if the sender made them (NOT_SENDERS_ROW), acceptances only in the signer's role
   * (ACCEPTANCE_NOT_SENDERS). Run on `db` as it stands: for the preview, and again inside the
   * import's change, whose writes are exactly what this returns.
   */
  private scoped(db: Database, read: Verified, content: SubmissionContent | DecisionContent) {
    const { manifest } = read;
    const scope = PACKAGE_SCOPE[manifest.kind];
    const caseId = manifest.case.id;
    const rows: PreviewRow[] = [];
    const answers: { requirementId: string; added: boolean; values: Cells }[] = [];
    const verdicts: { requirementId: string; values: Cells }[] = [];
    const findings: { id: string; added: boolean; from: string | null; values: Cells }[] = [];
    const items = new Map(
      all(db, 'SELECT * FROM checklist_items WHERE case_id = ?', [caseId]).map((i) => [
        s(i.requirement_id),
        i,
      ]),
    );
    const caseExists = all(db, 'SELECT 1 FROM cases WHERE id = ?', [caseId]).length > 0;
    /** A new case's items: this vault's instantiation of its catalogue for the system here. */
    const checklist: { requirement_id: string; area: string; position: number }[] = [];
    /** Requirements the package answers or links evidence to that are not on the case here. */
    const notApplicable = new Set<string>();
    const evidenceLinks: { evidenceId: string; requirementId: string }[] = [];
    if ('checklist' in content) {
      if (!caseExists) {
        checklist.push(...this.newChecklist(db, content));
      }
      const onChecklist = new Set([...items.keys(), ...checklist.map((i) => i.requirement_id)]);
      // The owner's answers to the items here: every answered item of a new case (its items are
      // this vault's), changed ones of a case it has here. Answers to anything else are not taken.
      for (const item of content.checklist) {
        if (!onChecklist.has(item.requirement_id)) {
          notApplicable.add(item.requirement_id);
          continue;
        }
        const before = caseExists ? (items.get(item.requirement_id) ?? null) : null;
        const values: Cells = {
          status: item.status,
          statement: item.statement,
          justification: item.justification,
        };
        const fields = fieldChanges(scope.checklist.change, before, values);
        if (fields.length) {
          answers.push({ requirementId: item.requirement_id, added: !caseExists, values });
          rows.push(previewRow('answer', item.requirement_id, !caseExists, fields));
        }
      }
      for (const e of content.evidence) {
        for (const requirementId of e.requirements) {
          if (onChecklist.has(requirementId)) {
            evidenceLinks.push({ evidenceId: e.id, requirementId });
          } else {
            notApplicable.add(requirementId);
          }
        }
      }
      for (const e of content.evidence) {
        const before = all(db, 'SELECT case_id, sha256 FROM evidence WHERE id = ?', [e.id])[0];
        if (before && s(before.case_id) !== caseId) {
          throw reject('OUTSIDE_CASE', `evidence ${e.id} belongs to another case here`);
        }
        // Evidence is never changed by a package: a known id comes back with the same file.
        if (before && s(before.sha256) !== e.sha256) {
          throw reject(
            'EVIDENCE_ID_REUSED',
            `evidence ${e.id} is held here with other content (${s(before.sha256).slice(0, 16)})`,
          );
        }
        // Every field it brings, and the requirements it links to: for a known file, the links
        // it adds (all a package can change about evidence held here).
        const linked = (before ? linksOfEvidence(db, e.id) : []).sort();
        const links = [
          ...new Set([
            ...linked,
            ...evidenceLinks.filter((l) => l.evidenceId === e.id).map((l) => l.requirementId),
          ]),
        ].sort();
        const fields = [
          ...(before
            ? []
            : fieldChanges(
                EVIDENCE_COLUMNS.filter((k) => k !== 'id'),
                null,
                e as unknown as Cells,
              )),
          ...(links.length !== linked.length
            ? [change('requirements', linked.join(', ') || null, links.join(', '))]
            : []),
        ];
        if (!before || fields.length) {
          rows.push(
            previewRow('evidence', e.title === null ? e.id : String(e.title), !before, fields),
          );
        }
      }
    } else {
      // Verdicts move only while the case is under review, here or on the way the package's
      // steps take it: after the decision they stand as the letter's dossier has them.
      const current = s(
        all(db, 'SELECT state FROM cases WHERE id = ?', [caseId])[0]?.state,
      ) as CaseState;
      const reviewed = [
        current,
        ...this.newSteps(content, caseId, read.manifest.createdAt).map((t) => t.to),
      ].some((state) => REVIEW_STATES.includes(state));
      for (const v of content.verdicts) {
        const before = items.get(v.requirement_id);
        if (!before) {
          throw reject('MALFORMED', `${v.requirement_id} is not on the case's checklist here`);
        }
        const values: Cells = { verdict: v.verdict, assessor_comment: v.assessor_comment };
        const fields = fieldChanges(scope.checklist.change, before, values);
        if (fields.length && !reviewed) {
          throw reject(
            'VERDICT_LOCKED',
            `the verdict on ${v.requirement_id} would change while the case is ${current}, not under review`,
          );
        }
        if (fields.length) {
          verdicts.push({ requirementId: v.requirement_id, values });
          rows.push(previewRow('verdict', v.requirement_id, false, fields));
        }
      }
      for (const f of content.findings) {
        const before = all(db, 'SELECT * FROM findings WHERE id = ?', [f.id])[0] ?? null;
        if (before && s(before.case_id) !== caseId) {
          throw reject('OUTSIDE_CASE', `finding ${f.id} belongs to another case here`);
        }
        // A decision's condition stays as its letter's signers signed it; only its status moves.
        const rewritten = CONDITION_TERMS.filter((k) => (f[k] ?? null) !== (before?.[k] ?? null));
        if (before?.kind === 'finding' && f.kind === 'condition') {
          throw reject(
            'DECISION_MISMATCH',
            `finding ${f.id} would become a condition that no decision's letter lists`,
          );
        }
        if (before?.kind === 'condition' && rewritten.length) {
          throw reject(
            'DECISION_MISMATCH',
            `condition ${f.id} would change its ${rewritten.join(', ')}: it stays as its decision was signed`,
          );
        }
        const shown = scope.findings.change.filter((k) => k !== 'updated_at');
        const fields = fieldChanges(shown, before, f);
        if (!before || fields.length) {
          findings.push({
            id: f.id,
            added: !before,
            from: before ? s(before.status) : null,
            values: f,
          });
          rows.push(
            previewRow('finding', f.title === null ? f.id : String(f.title), !before, fields),
          );
        }
      }
    }
    // What a risk may be linked to: a requirement on the case's checklist here (a new case's:
    // this vault's instantiation), a finding of the case — here, or arriving with it.
    const arriving = 'findings' in content ? content.findings.map((f) => f.id) : [];
    const findingsOf = (sql: string, id: string) =>
      new Set([...all(db, sql, [id]).map((f) => s(f.id)), ...arriving]);
    const risks = this.scopedRisks(db, read, scope, content, {
      requirements: new Set([...items.keys(), ...checklist.map((i) => i.requirement_id)]),
      caseFindings: findingsOf('SELECT id FROM findings WHERE case_id = ?', caseId),
      systemFindings: findingsOf(
        'SELECT f.id FROM findings f JOIN cases c ON c.id = f.case_id WHERE c.system_id = ?',
        manifest.system.id,
      ),
    });
    rows.push(...risks.rows);
    return {
      rows,
      answers,
      verdicts,
      findings,
      risks,
      checklist,
      notApplicable: [...notApplicable].sort(),
      evidenceLinks,
    };
  }

  /**
   * The catalogue a submission's case uses, as this vault holds it: parsed as the import parses
   * it (MALFORMED), the one the case names, the one a case here was opened on, and the same by
   * content hash as this vault's copy — or, for the shipped baseline, the copy in resources/
   * (CATALOGUE_UNKNOWN otherwise). A package never adds or changes a catalogue.
   */
  private submittedCatalogue(db: Database, content: SubmissionContent) {
    const parsed = parseCatalogue(content.catalogue);
    if (!parsed.ok) {
      throw reject('MALFORMED', 'catalogue');
    }
    const { id, version } = parsed.catalogue;
    if (content.case.catalogue_id !== id || content.case.catalogue_version !== version) {
      throw reject('MALFORMED', 'the case names another catalogue than the one it brings');
    }
    const here = all(db, 'SELECT catalogue_id, catalogue_version FROM cases WHERE id = ?', [
      content.case.id,
    ])[0];
    if (here && (s(here.catalogue_id) !== id || s(here.catalogue_version) !== version)) {
      throw reject(
        'CATALOGUE_UNKNOWN',
        `the case uses ${s(here.catalogue_id)} ${s(here.catalogue_version)} here, not ${id} ${version}`,
      );
    }
    const known = this.cases.catalogues.known(parsed.catalogue);
    if (!known) {
      throw reject('CATALOGUE_UNKNOWN', `${id} ${version} is not this vault's catalogue`);
    }
    return known;
  }

  /**
   * A new case's checklist, as this vault opens one: the requirements of its catalogue (this
   * vault's copy) that apply to the system as known here — its record, or for a new system the
   * levels and mode the submission brings (no components: a submission carries none).
   */
  private newChecklist(db: Database, content: SubmissionContent) {
    const { catalogue } = this.submittedCatalogue(db, content);
    const systemId = content.system.id;
    const profile: SystemProfile = all(db, 'SELECT 1 FROM systems WHERE id = ?', [systemId]).length
      ? this.cases.catalogues.systemProfile(systemId)
      : {
          levels: content.levels,
          mode: content.system.mode as SystemProfile['mode'],
          componentKinds: [],
        };
    return this.cases.catalogues
      .requirementsFor(catalogue, profile)
      .map((r, position) => ({ requirement_id: r.id, area: r.area, position }));
  }

  /** The risks, their links and the acceptances a package brings, as its sender may send them. */
  private scopedRisks(
    db: Database,
    read: Verified,
    scope: PackageScope,
    content: Pick<SubmissionContent, 'risks' | 'riskLinks' | 'acceptances' | 'matrices'>,
    targets: {
      requirements: ReadonlySet<string>;
      caseFindings: ReadonlySet<string>;
      systemFindings: ReadonlySet<string>;
    },
  ) {
    const { manifest } = read;
    const caseId = manifest.case.id;
    const systemId = manifest.system.id;
    const rows: PreviewRow[] = [];
    const ofThisCase = (r: Cells) =>
      r.system_id === systemId &&
      (r.case_id === null || r.case_id === undefined || r.case_id === caseId);
    // The matrices a risk may be scored on: this vault's, and those the authority sends. An
    // owner scores on the authority's criteria: a matrix of its own making (or the authority's
    // id with other levels) would let it rate its risks, and accept them, as it pleases.
    // A matrix this vault knows by that id (shipped or kept) must be the same matrix: a package
    // that brought another grid under a shipped id was kept beside it and scored every later
    // risk on its own levels (round 21n). One the authority sends that this vault lacks is kept,
    // and listed.
    const matrices = new Map<string, RiskMatrix>(this.risks.matrices().map((m) => [m.id, m]));
    for (const m of content.matrices) {
      const parsed = parseMatrix(m);
      if (!parsed.ok) {
        throw reject('MALFORMED', 'risk matrix');
      }
      const here = matrices.get(parsed.matrix.id);
      if (
        (here || manifest.kind === 'submission') &&
        canonicalJson(here ?? null) !== canonicalJson(parsed.matrix)
      ) {
        throw reject(
          'MATRIX_UNKNOWN',
          `risk matrix ${parsed.matrix.id} is ${here ? 'not this vault’s' : 'unknown here'}`,
        );
      }
      if (!here) {
        matrices.set(parsed.matrix.id, parsed.matrix);
        rows.push(
          previewRow('matrix', parsed.matrix.id, true, [
            change('name', null, parsed.matrix.name.en),
            change('levels', null, parsed.matrix.levels.map((l) => l.id).join(', ')),
            change(
              'grid',
              null,
              parsed.matrix.grid.map((row) => row.map((i) => i + 1).join(' ')).join(' / '),
            ),
          ]),
        );
      }
    }
    const risks: { values: Cells; added: boolean; links: { kind: string; target: string }[] }[] =
      [];
    const planned = new Map<string, Cells>();
    // The rules local entry holds a risk to (RiskService.validated), each place named.
    const nonsense: SenseIssue[] = [];
    for (const [n, r] of content.risks.entries()) {
      const row = r as Cells;
      if (!ofThisCase(row)) {
        throw reject('OUTSIDE_CASE', `risk ${r.ref} is of another case or system`);
      }
      const before = riskRepo.riskRow(db, r.id);
      if (before && !ofThisCase(before)) {
        throw reject('OUTSIDE_CASE', `risk ${s(before.ref)} is of another case or system here`);
      }
      if (before && s(before.origin) !== 'received') {
        throw reject('NOT_SENDERS_ROW', `risk ${s(before.ref)} was not made by the sender`);
      }
      // (A risk may move between the system and this case, as its editor moves it: both sides
      // of the move are this package's to send. One of another case is refused above.)
      for (const k of ['created_at', 'updated_at'] as const) {
        const at = row[k];
        if (at !== null && at !== undefined && !isInstant(at)) {
          throw reject('MALFORMED', `risk ${r.ref} has ${k} ${String(at)}`);
        }
        if (typeof at === 'string' && at > manifest.createdAt) {
          throw reject(
            'IMPOSSIBLE_CONTENT',
            `risk ${r.ref} has ${k} ${at}, after the package was made (${manifest.createdAt})`,
          );
        }
      }
      const values: Cells = Object.fromEntries(scope.risks.change.map((k) => [k, row[k] ?? null]));
      // The levels are this vault's arithmetic on the scores, never what the package says.
      const matrix = matrices.get(s(values.matrix_id));
      const scores = riskScores(values);
      if (!matrix || !scores || outOfScale(matrix, scores).length) {
        throw reject('MALFORMED', `risk ${r.ref} is not scored on a matrix it names`);
      }
      const assessed = assess(matrix, scores);
      nonsense.push(
        ...residualRule(assessed.inherent, assessed.residual, ['risks', n, 'residual_likelihood']),
      );
      Object.assign(values, {
        inherent_level: assessed.inherent?.id ?? null,
        inherent_rank: assessed.inherent?.index ?? null,
        residual_level: assessed.residual.id,
        residual_rank: assessed.residual.index,
      });
      const links = content.riskLinks
        .filter((l) => l.risk_id === r.id)
        .map((l) => ({ kind: l.kind, target: l.target }));
      const linksBefore = before ? riskRepo.linksOfRisk(db, r.id) : [];
      const shown = [...scope.risks.change, 'inherent_level', 'residual_level'];
      const fields = fieldChanges(shown, before, values);
      if (!before) {
        // Where a new risk is filed (the case, whose checks it then counts against, or the
        // system) and when it was made: written as the package says, so shown (round 21p).
        fields.push(
          change('case', null, row.case_id ? manifest.case.ref : null),
          ...fieldChanges(['created_at'], null, row),
        );
      }
      const linkText = (ls: { kind: string; target: string }[]) =>
        ls
          .map((l) => `${l.kind}:${l.target}`)
          .sort()
          .join(', ') || null;
      if (linkText(links) !== (before ? linkText(linksBefore) : null)) {
        fields.push(change('links', before ? linkText(linksBefore) : null, linkText(links)));
      }
      planned.set(r.id, { ...values, id: r.id, ref: r.ref, system_id: systemId });
      if (!before || fields.length) {
        risks.push({
          values: {
            ...values,
            id: r.id,
            ref: r.ref,
            system_id: systemId,
            case_id: row.case_id ?? null,
            created_at: row.created_at ?? null,
          },
          added: !before,
          links,
        });
        rows.push(previewRow('risk', r.ref, !before, fields));
      }
    }
    for (const [n, l] of content.riskLinks.entries()) {
      const risk = planned.get(l.risk_id);
      if (risk) {
        const ofCase = content.risks.find((r) => r.id === l.risk_id)?.case_id === caseId;
        const path = ['riskLinks', n, 'target'];
        nonsense.push(
          ...(l.kind === 'requirement'
            ? ofCase
              ? requirementRule(l.target, targets.requirements, path)
              : REQUIREMENT_ID.test(l.target)
                ? []
                : requirementRule(l.target, new Set(), path)
            : findingRule(l.target, ofCase ? targets.caseFindings : targets.systemFindings, path)),
        );
      }
      if (!planned.has(l.risk_id)) {
        // A link goes with its risk: only the sender's risks in the package carry links.
        throw riskRepo.riskExists(db, l.risk_id)
          ? reject(
              'NOT_SENDERS_ROW',
              `a link of risk ${l.risk_id}, which the package does not bring`,
            )
          : reject('MALFORMED', `a link of risk ${l.risk_id}, which does not exist`);
      }
    }
    refuseImpossiblePackage(nonsense);
    // Acceptances: the signer's claims, in its role, of risks of this case.
    const signer = commonName(read.sender);
    const acceptances: Cells[] = [];
    for (const a of content.acceptances) {
      const risk = planned.get(a.risk_id) ?? riskRepo.riskRow(db, a.risk_id);
      if (!risk) {
        throw reject('MALFORMED', `an acceptance of risk ${a.risk_id}, which does not exist`);
      }
      if (!ofThisCase(risk)) {
        throw reject('OUTSIDE_CASE', `an acceptance of risk ${s(risk.ref)}, of another case`);
      }
      if (a.role !== scope.sender || (scope.sender === 'system_owner' && a.authority !== 'owner')) {
        throw reject(
          'ACCEPTANCE_NOT_SENDERS',
          `risk ${s(risk.ref)} accepted as ${String(a.role)} (${String(a.authority)}) in a package signed by ${signer}`,
        );
      }
      // An owner accepts only its own risks: those it sends, or sent before (received here).
      // The authority's own risks are the authority's to accept; its acceptances may name any
      // risk of the case (accepting what the owner may not is the authority's to decide).
      if (
        scope.sender === 'system_owner' &&
        !planned.has(a.risk_id) &&
        s(risk.origin) !== 'received'
      ) {
        throw reject(
          'NOT_SENDERS_ROW',
          `an acceptance of risk ${s(risk.ref)}, which is not the sender's risk`,
        );
      }
      const same = riskRepo.acceptanceRowAt(db, a.risk_id, a.at);
      if (same) {
        const unchanged =
          s(same.origin) === 'received' &&
          (['justification', 'accepted_on', 'expires_on', 'fingerprint'] as const).every(
            (k) => same[k] === a[k],
          );
        if (!unchanged) {
          throw reject('NOT_SENDERS_ROW', `an acceptance of risk ${s(risk.ref)} kept here`);
        }
        continue;
      }
      // Dated on the sender's clock, not after the package, nor before an acceptance of the
      // risk received here before (from any signer of the other side: its colleague's package
      // planted one before the genuine): written in the order of their dates, the register
      // reads them in the order they were made (one dated a minute before one held would be
      // read as newer than it).
      // (Of the sender's: the receiver may accept a risk again whenever it likes.)
      const newest = s(
        all(
          db,
          "SELECT max(at) AS at FROM risk_acceptances WHERE risk_id = ? AND origin = 'received'",
          [a.risk_id],
        )[0]?.at ?? '',
      );
      if (!isInstant(a.at)) {
        throw reject('MALFORMED', `an acceptance of risk ${s(risk.ref)} dated ${String(a.at)}`);
      }
      if (a.at > manifest.createdAt || a.at < newest) {
        throw reject(
          'IMPOSSIBLE_CONTENT',
          `an acceptance of risk ${s(risk.ref)} dated ${a.at}: ${a.at < newest ? `before one held here (${newest})` : `after the package was made (${manifest.createdAt})`}`,
        );
      }
      const values: Cells = {
        ...Object.fromEntries(ACCEPTANCE_COLUMNS.map((k) => [k, a[k] ?? null])),
        // Attributed to the certificate that signed the package, never to the name it gives.
        accepted_by: signer,
        role: scope.sender,
        authority:
          scope.sender === 'system_owner'
            ? 'owner'
            : a.authority === 'owner'
              ? 'owner'
              : 'accreditor',
        claimed_by: a.accepted_by === null ? null : String(a.accepted_by),
        signer_fingerprint: fingerprintOf(derOf(read.sender.certificate)),
        origin: 'received',
      };
      acceptances.push(values);
      const refusal = this.risks.receivedRefusal(
        riskRepo.substanceOf(risk),
        scope.sender,
        s(values.accepted_on),
        s(values.expires_on),
      );
      // It counts here only if it accepts the risk as it will stand, under this vault's criteria.
      const valid =
        refusal === null && values.fingerprint === fingerprint(riskRepo.substanceOf(risk));
      // Every field written (round 21p): `at` decides which acceptance is the newest, and the
      // fingerprint what was accepted.
      const shown = [
        'accepted_by',
        'claimed_by',
        'role',
        'authority',
        'accepted_on',
        'expires_on',
        'justification',
        'at',
        'fingerprint',
      ];
      const fields = fieldChanges(
        shown.filter((k) => k !== 'claimed_by' || values.claimed_by !== signer),
        null,
        values,
      );
      rows.push({ ...previewRow('acceptance', s(risk.ref), true, fields), valid });
    }
    // Written in the order of their dates, so the newest written is the newest by date.
    acceptances.sort((x, y) => (s(x.at) < s(y.at) ? -1 : s(x.at) > s(y.at) ? 1 : 0));
    return { rows, risks, acceptances };
  }

  /** Writes what `scopedRisks` planned: the sender's risks with their links, and its claims. */
  private writeRisks(
    db: Database,
    planned: Pick<ReturnType<ExchangeService['scopedRisks']>, 'risks' | 'acceptances'>,
    read: Verified,
    now: string,
  ): void {
    const note = `received in package ${read.digest.slice(0, 16)}`;
    for (const r of planned.risks) {
      // A risk's matrix is a row of this vault's: a shipped one its criteria do not name is
      // stored from its own copy (an owner with no criteria yet receives the default's).
      riskRepo.keepShippedMatrix(db, String(r.values.matrix_id), now);
      const levels = ['inherent_level', 'inherent_rank', 'residual_level', 'residual_rank'];
      const set = [...RISK_CHANGES, ...levels];
      if (r.added) {
        const columns = [
          'id',
          'ref',
          'system_id',
          'case_id',
          'created_at',
          'updated_at',
          'origin',
          ...set,
        ];
        riskRepo.insertRiskRow(
          db,
          Object.fromEntries(
            columns.map((k) => [
              k,
              k === 'origin'
                ? 'received'
                : k === 'updated_at'
                  ? now
                  : k === 'created_at'
                    ? (r.values.created_at ?? now)
                    : (r.values[k] ?? null),
            ]),
          ),
        );
      } else {
        riskRepo.updateReceivedRisk(
          db,
          r.values.id ?? null,
          Object.fromEntries(set.map((k) => [k, r.values[k] ?? null])),
          now,
        );
      }
      riskRepo.replaceReceivedLinks(db, r.values.id ?? null, r.links);
      // The register's trend records what the package brought, and from whom.
      riskRepo.insertReceivedReview(db, r.values, {
        at: now,
        actor: commonName(read.sender),
        note,
      });
    }
    const columns = [...ACCEPTANCE_COLUMNS, 'origin', 'claimed_by', 'signer_fingerprint'];
    // What was accepted, as this vault now holds the risk: the sender's snapshot of it is its
    // own account, never what the risk's history here shows as accepted. One read per risk.
    const snapshots = new Map<string, string>();
    for (const a of planned.acceptances) {
      const riskId = s(a.risk_id);
      const snapshot = snapshots.get(riskId) ?? riskRepo.receivedSnapshot(db, riskId);
      snapshots.set(riskId, snapshot);
      riskRepo.insertAcceptanceRow(db, columns, { ...a, snapshot });
    }
  }

  /** A submission's content must be about the manifest's case and system, by its own references. */
  private checkSubmission(content: SubmissionContent, manifest: Manifest) {
    if (
      content.case.id !== manifest.case.id ||
      content.system.id !== manifest.system.id ||
      content.case.ref !== manifest.case.ref ||
      content.system.ref !== manifest.system.ref
    ) {
      throw reject('MALFORMED', 'the content is about another case than the manifest');
    }
    const listed = new Set(manifest.parts.filter((p) => p.type === 'evidence').map((p) => p.path));
    // One id, one file: the import would keep the first and leave the second's file unreferenced.
    const ids = new Set<string>();
    for (const e of content.evidence) {
      if (ids.has(e.id)) {
        throw reject('EVIDENCE_ID_REUSED', `evidence ${e.id} is listed twice`);
      }
      ids.add(e.id);
    }
    uniqueRows(content);
    for (const e of content.evidence) {
      const part = manifest.parts.find((p) => p.path === e.part);
      if (!part || !listed.delete(e.part) || part.sha256 !== e.sha256 || part.size !== e.size) {
        throw reject('MALFORMED', `evidence ${e.part} is not the part listed`);
      }
    }
    if (listed.size) {
      throw reject('UNLISTED_ENTRY', [...listed][0]);
    }
    const db = this.db;
    const systemClash = all(db, 'SELECT 1 FROM systems WHERE ref = ? AND id <> ?', [
      content.system.ref,
      content.system.id,
    ]).length;
    if (systemClash) {
      throw reject('REFERENCE_CLASH', `system ${content.system.ref} names another system here`);
    }
    this.checkRiskRefs(content.risks);
  }

  private checkRiskRefs(risks: { id: string; ref: string }[]) {
    for (const r of risks) {
      if (riskRepo.riskRefTaken(this.db, r.ref, r.id)) {
        throw reject('REFERENCE_CLASH', `risk ${r.ref} names another risk here`);
      }
    }
  }

  private checkDecision(content: DecisionContent, manifest: Manifest) {
    uniqueRows(content);
    if (content.case.id !== manifest.case.id || content.case.ref !== manifest.case.ref) {
      throw reject('MALFORMED', 'the content is about another case than the manifest');
    }
    // Exactly the parts of its decisions travel with it: a letter, a dossier and a report each.
    const expected = new Set([
      PARTS.decision,
      ...content.decisions.flatMap((_d, n) => [
        PARTS.letter(n),
        PARTS.dossier(n),
        PARTS.dossierReport(n),
      ]),
    ]);
    const listed = manifest.parts.map((p) => p.path);
    if (listed.length !== expected.size || !listed.every((p) => expected.has(p))) {
      throw reject('MALFORMED', 'the letter, dossier and report travel with each decision');
    }
    for (const d of content.decisions) {
      const clash = all(this.db, 'SELECT 1 FROM decisions WHERE ref = ? AND id <> ?', [
        d.ref,
        d.id,
      ]).length;
      if (clash) {
        throw reject('REFERENCE_CLASH', `decision ${d.ref} names another decision here`);
      }
      // A decision this vault holds is the same decision of the same case: never another's.
      const held = all(this.db, 'SELECT case_id, ref FROM decisions WHERE id = ?', [d.id])[0];
      if (held && s(held.case_id) !== manifest.case.id) {
        throw reject('OUTSIDE_CASE', `decision ${d.ref} is of another case here`);
      }
      if (held && s(held.ref) !== d.ref) {
        throw reject('REFERENCE_CLASH', `decision ${d.ref} is ${s(held.ref)} here`);
      }
    }
    this.checkRiskRefs(content.risks);
  }

  /** The authority's steps this vault has not applied yet, checked to start where the case is. */
  private newSteps(content: DecisionContent, caseId: string, madeAt: string) {
    // Steps are dated on the sender's clock in the order they were taken, none after the
    // package was made: decisions and steps are applied in the order of their dates, so a step
    // dated 2099 or "soon" would reorder them.
    const taken = [...content.transitions].sort((a, b) => a.seq - b.seq);
    let previous = '';
    for (const [n, step] of taken.entries()) {
      if (!isInstant(step.at) || (n > 0 && taken[n - 1]!.seq === step.seq)) {
        throw reject(
          'MALFORMED',
          `the step ${step.from} -> ${step.to} is dated ${String(step.at)}, numbered ${step.seq}`,
        );
      }
      if (step.at < previous || step.at > madeAt) {
        throw reject(
          'IMPOSSIBLE_CONTENT',
          `the step ${step.from} -> ${step.to} is dated ${step.at}: ${step.at < previous ? `before the step before it (${previous})` : `after the package was made (${madeAt})`}`,
        );
      }
      previous = step.at;
    }
    // The new ones are those not held here, none dated before one that is: a step's number is
    // the sender's to give, and one numbered 1000 made every later step look old.
    const held = all(
      this.db,
      "SELECT to_state, at FROM case_transitions WHERE case_id = ? AND actor_role = 'accreditor'",
      [caseId],
    );
    // (Held by where each went and when: where it came from is this vault's state at the time.)
    const key = (to: unknown, at: unknown) => `${String(at)} ${String(to)}`;
    const kept = new Set(held.map((h) => key(h.to_state, h.at)));
    const since = held.reduce((latest, h) => (s(h.at) > latest ? s(h.at) : latest), '');
    // (By number too: a step the sender sent before and this vault did not record — one it had
    // already taken by the clock, to re-accreditation due — is not new either.)
    const upto = this.exchangeOf(caseId)?.transitionsUpto ?? 0;
    const steps = taken.filter((t) => !kept.has(key(t.to, t.at)) && (t.seq > upto || t.at > since));
    const early = steps.find((t) => t.at < since);
    if (early) {
      throw reject(
        'IMPOSSIBLE_CONTENT',
        `the step ${early.from} -> ${early.to} is dated ${early.at}: before the step before it (${since})`,
      );
    }
    let state = s(
      all(this.db, 'SELECT state FROM cases WHERE id = ?', [caseId])[0]?.state,
    ) as CaseState;
    for (const step of steps) {
      // Only the authority's own steps: never one the lifecycle gives the owner.
      if (!stepTakers(step.from, step.to).includes(PACKAGE_SCOPE.decision.sender)) {
        throw reject(
          'STEP_NOT_SENDERS',
          `${step.from} -> ${step.to} is the system owner's step, not the authority's`,
        );
      }
      // An approval in force may have fallen due for re-accreditation on one side's clock and
      // not yet on the other's: both are the approval in force.
      if (step.from !== state && !(IN_FORCE.includes(step.from) && IN_FORCE.includes(state))) {
        throw reject(
          'TRANSITION_NOT_ALLOWED',
          `the package moves the case from ${step.from}, but here it is ${state}`,
        );
      }
      state = step.to;
    }
    if (
      state !== content.case.state &&
      !(IN_FORCE.includes(state) && IN_FORCE.includes(content.case.state))
    ) {
      throw reject(
        'TRANSITION_NOT_ALLOWED',
        `the steps end at ${state}, not at ${content.case.state}`,
      );
    }
    return steps;
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
      const read = await this.read(file, 'keep', created, stored, options.onProgress);
      if (options.expect && read.manifest.kind !== options.expect) {
        throw reject('WRONG_KIND', read.manifest.kind);
      }
      const planned = this.plan(read);
      if (planned.submission) {
        await this.applySubmission(read, planned.submission, stored);
      } else {
        await this.applyDecision(read, planned.decision!, created);
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

  /** The state change, the bookkeeping of the exchange, and the log line of a received package. */
  private received(
    db: Database,
    read: Verified,
    summary: Record<string, unknown>,
    transitionsUpto: number,
  ) {
    const { manifest, digest, sender } = read;
    db.run(
      `INSERT INTO case_exchange (case_id, seq, digest, transitions_upto, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, digest = excluded.digest,
         transitions_upto = max(transitions_upto, excluded.transitions_upto), at = excluded.at`,
      [manifest.case.id, manifest.sequence, digest, transitionsUpto, new Date().toISOString()],
    );
    this.logRow(db, {
      direction: 'received',
      kind: manifest.kind,
      caseId: manifest.case.id,
      caseRef: manifest.case.ref,
      counterpart: `${commonName(read.sender)}`,
      fingerprint: fingerprintOf(derOf(sender.certificate)),
      digest,
      size: read.size,
      seq: manifest.sequence,
      marking: manifest.marking.text,
      summary: {
        ...summary,
        claimedSender: `${manifest.sender.name}, ${manifest.sender.organisation}`,
      },
      anchor: { ...manifest.auditAnchor, madeAt: manifest.createdAt },
    });
  }

  /** Moves the case to `to` inside the import's change, if the lifecycle allows it from here. */
  private step(
    db: Database,
    caseId: string,
    to: CaseState,
    who: { actor: string; role: 'accreditor' | 'system_owner'; reason: string; at: string },
    adjust: (ctx: ReturnType<CaseService['transitionContext']>) => void = () => undefined,
  ) {
    const from = s(
      all(db, 'SELECT state FROM cases WHERE id = ?', [caseId])[0]?.state,
    ) as CaseState;
    const ctx = { ...this.cases.transitionContext(caseId, who.reason), role: who.role };
    adjust(ctx);
    if (from === to && IN_FORCE.includes(to)) {
      return; // the approval's time-based step, taken here already
    }
    // A package takes only its sender's steps (shared/lifecycle.ts, stepTakers).
    if (!stepTakers(from, to).includes(who.role)) {
      throw reject('STEP_NOT_SENDERS', `${from} -> ${to} is not the ${who.role}'s step`);
    }
    const verdict = canTransition(from, to, ctx);
    if (!verdict.ok) {
      throw reject('TRANSITION_NOT_ALLOWED', `${from} -> ${to}: ${verdict.code}`);
    }
    recordStep(db, caseId, from, to, {
      name: who.actor,
      role: who.role,
      reason: who.reason,
      at: who.at,
    });
    // One approval in force per system, here as at the authority.
    if (from === 'decided' && to === 'in_force') {
      this.cases.supersedeOthers(db, caseId, who.at);
    }
  }

  private async applySubmission(
    read: Verified,
    content: SubmissionContent,
    stored: ReadonlyMap<string, StoredBlob>,
  ) {
    const { manifest, digest, sender } = read;
    const c = content.case;
    if (content.matrices.some((m) => !parseMatrix(m).ok)) {
      throw reject('MALFORMED', 'risk matrix');
    }
    const now = new Date().toISOString();
    const who = {
      actor: commonName(read.sender),
      role: 'system_owner' as const,
      reason: `Submission package ${digest.slice(0, 16)} (sequence ${manifest.sequence})`,
      at: now,
    };
    const changes: Record<string, unknown> = {
      kind: 'submission',
      sha256: digest,
      sequence: manifest.sequence,
      signer: sender.certificate.subject,
      signerFingerprint: fingerprintOf(derOf(sender.certificate)),
    };
    await this.change(
      { action: 'package.received', entityType: 'case', entityId: c.id, changes },
      (db) => {
        // What it may change, checked again where it is written; the audit row names every row.
        const scoped = this.scoped(db, read, content);
        // The new system, the new case and where answers go, as the preview lists them.
        const own = this.submissionRows(
          db,
          content,
          manifest,
          all(db, 'SELECT 1 FROM systems WHERE id = ?', [content.system.id]).length > 0,
          all(db, 'SELECT 1 FROM cases WHERE id = ?', [c.id]).length > 0,
        );
        changes.rows = [...own, ...scoped.rows].map(auditRow);
        // The case's catalogue is this vault's own copy: nothing of the package's is stored.
        const catalogue = this.submittedCatalogue(db, content);
        changes.catalogue = {
          id: catalogue.catalogue.id,
          version: catalogue.catalogue.version,
          sha256: catalogue.sha256,
          source: catalogue.source,
        };
        if (scoped.notApplicable.length) {
          changes.notApplicable = scoped.notApplicable;
        }
        if (catalogue.source === 'shipped') {
          // The shipped baseline, from resources/, as a case opened here would store it; never
          // ahead of a version of it imported here (the newest is what new cases use).
          const older = all(db, 'SELECT min(imported_at) AS at FROM catalogues WHERE id = ?', [
            catalogue.catalogue.id,
          ])[0]?.at;
          db.run(
            'INSERT OR IGNORE INTO catalogues (id, version, json, imported_at) VALUES (?, ?, ?, ?)',
            [
              catalogue.catalogue.id,
              catalogue.catalogue.version,
              JSON.stringify(catalogue.catalogue),
              older ? new Date(Date.parse(s(older)) - 1).toISOString() : now,
            ],
          );
        }
        // No matrix is stored from a submission: each it names is this vault's own (scopedRisks).
        const sys = content.system;
        if (!all(db, 'SELECT 1 FROM systems WHERE id = ?', [sys.id]).length) {
          db.run(
            `INSERT INTO systems (id, ref, name, purpose, phase, mode, user_count, min_clearance, boundary, next_review, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              sys.id,
              sys.ref,
              sys.name,
              sys.purpose,
              sys.phase,
              sys.mode,
              sys.user_count,
              sys.min_clearance,
              sys.boundary,
              sys.next_review,
              now,
              now,
            ],
          );
          for (const l of content.levels) {
            db.run('INSERT INTO system_levels (system_id, domain, level) VALUES (?, ?, ?)', [
              sys.id,
              l.domain,
              l.level,
            ]);
          }
          // The system now belongs to this sender: later submissions for it must come from it.
          db.run(
            'INSERT INTO system_senders (system_id, anchor, subject, reply_to, bound_at) VALUES (?, ?, ?, ?, ?)',
            [sys.id, read.anchor, sender.certificate.subject, manifest.replyTo, now],
          );
        }
        // The owner's answers go where its latest submission says.
        if (manifest.replyTo) {
          db.run('UPDATE system_senders SET reply_to = ? WHERE system_id = ?', [
            manifest.replyTo,
            sys.id,
          ]);
        }
        const existing = all(db, 'SELECT state FROM cases WHERE id = ?', [c.id])[0];
        if (!existing) {
          db.run(
            `INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, deadline, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
            [
              c.id,
              c.ref,
              sys.id,
              c.type,
              c.title,
              c.catalogue_id,
              c.catalogue_version,
              c.deadline,
              now,
              now,
            ],
          );
        }
        // A new case's checklist is this vault's (the requirements that apply here); the package
        // brings only the owner's answers to its items.
        for (const item of existing ? [] : scoped.checklist) {
          db.run(
            'INSERT INTO checklist_items (case_id, requirement_id, area, position, updated_at) VALUES (?, ?, ?, ?, ?)',
            [c.id, item.requirement_id, item.area, item.position, now],
          );
        }
        const answered = PACKAGE_SCOPE.submission.checklist.change;
        for (const a of scoped.answers) {
          db.run(
            `UPDATE checklist_items SET ${answered.map((k) => `${k} = ?`).join(', ')}, updated_at = ?
             WHERE case_id = ? AND requirement_id = ?`,
            [...answered.map((k) => a.values[k] ?? null), now, c.id, a.requirementId],
          );
        }
        for (const e of content.evidence) {
          const blob = stored.get(e.part);
          if (!blob || blob.sha256 !== e.sha256) {
            throw reject('HASH_MISMATCH', e.part);
          }
          db.run(
            `INSERT OR IGNORE INTO evidence (id, case_id, type, title, version, author, effective_date, marking_level, marking_domain, blob_address, file_name, sha256, size, review_status, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?)`,
            [
              e.id,
              c.id,
              e.type,
              e.title,
              e.version,
              e.author,
              e.effective_date,
              e.marking_level,
              e.marking_domain,
              blob.address,
              e.file_name,
              blob.sha256,
              blob.size,
              e.uploaded_at,
            ],
          );
        }
        // Evidence links to the items here only.
        for (const l of scoped.evidenceLinks) {
          db.run(
            'INSERT OR IGNORE INTO evidence_links (case_id, requirement_id, evidence_id) VALUES (?, ?, ?)',
            [c.id, l.requirementId, l.evidenceId],
          );
        }
        this.writeRisks(db, scoped.risks, read, now);
        // The case moves as the owner moved it: new, or back from "returned", to "submitted"; a
        // case with remediation takes the update where it is. Anything else has left the owner.
        const from = existing ? (s(existing.state) as CaseState) : 'draft';
        if (from === 'returned' && c.state === 'submitted') {
          this.step(db, c.id, 'draft', who);
        }
        if ((from === 'draft' || from === 'returned') && c.state === 'submitted') {
          this.step(db, c.id, 'submitted', who);
        } else if (!(from === 'awaiting_remediation' && c.state === 'awaiting_remediation')) {
          throw reject(
            'TRANSITION_NOT_ALLOWED',
            `the case is ${from} here; a submission cannot change it`,
          );
        }
        const upto = Number(
          all(db, 'SELECT max(seq) AS m FROM case_transitions WHERE case_id = ?', [c.id])[0]?.m ??
            0,
        );
        this.received(
          db,
          read,
          {
            evidence: content.evidence.length,
            risks: content.risks.length,
            auditEntries: content.audit.length,
          },
          upto,
        );
      },
    );
  }

  private async applyDecision(read: Verified, content: DecisionContent, created: StoredBlob[]) {
    const { manifest, digest, sender } = read;
    const caseId = manifest.case.id;
    const known = new Set(
      all(this.db, 'SELECT id FROM decisions WHERE case_id = ?', [caseId]).map((r) => s(r.id)),
    );
    // The decisions this vault has not: each letter verified, its dossier recomputed, and both
    // (with the report) stored before the change that refers to them.
    const arriving: {
      record: DecisionContent['decisions'][number];
      letter: StoredBlob;
      report: StoredBlob;
      dossier: string;
      signed: SignatureReport[];
    }[] = [];
    const note = (address: string) => this.journal?.add(address);
    /** The decisions arriving, each with the dossier it was taken on (the last one last). */
    const decided: { record: DecisionContent['decisions'][number]; dossier: DossierSnapshot }[] =
      [];
    for (const [n, record] of content.decisions.entries()) {
      if (known.has(record.id)) {
        continue;
      }
      const checked = await this.verifyDecisionParts(read, record, n, caseId);
      if (checked.reason) {
        // A letter that fails verification, one no authority signed, or another dossier.
        const reason =
          checked.reason === 'DOSSIER_MISMATCH' ||
          checked.reason === 'DECISION_MISMATCH' ||
          checked.reason === 'WRONG_SENDER_ROLE' ||
          checked.reason === 'FOUR_EYES_NOT_MET'
            ? checked.reason
            : 'SIGNATURE_INVALID';
        throw reject(
          reason,
          `decision ${record.ref}: ${checked.reason}${checked.fourEyes ? ` (${checked.fourEyes.reason}: ${checked.fourEyes.detail})` : ''}`,
        );
      }
      if ('problem' in checked.dossierRead || checked.dossierRead.snapshot.case.id !== caseId) {
        throw reject('DOSSIER_MISMATCH', `decision ${record.ref}: the dossier is of another case`);
      }
      const unsigned = unsignedCondition(record, content.findings);
      if (unsigned !== null) {
        throw reject(
          'DECISION_MISMATCH',
          `decision ${record.ref}: the condition "${unsigned.slice(0, 80)}" does not arrive as its letter's signers signed it`,
        );
      }
      const letter = await this.vault().blobs.put(
        Readable.from([checked.letterBytes]),
        undefined,
        note,
      );
      const report = await this.vault().blobs.put(
        Readable.from([checked.reportBytes]),
        undefined,
        note,
      );
      created.push(...[letter, report].filter((b) => b.created));
      arriving.push({
        record,
        letter,
        report,
        dossier: checked.dossierRead.json,
        signed: checked.letter.signatures,
      });
      decided.push({ record, dossier: checked.dossierRead.snapshot });
    }
    // The verdicts a package brings with a decision are those of the dossier its letter cites:
    // verdicts lock once the case is decided, so a changed one would stand against the letter.
    const judged = decided.at(-1);
    for (const v of judged ? content.verdicts : []) {
      const held = judged!.dossier.checklist.find((i) => i.requirementId === v.requirement_id);
      if (
        held &&
        (held.verdict !== (v.verdict ?? '') || held.assessorComment !== (v.assessor_comment ?? ''))
      ) {
        throw reject(
          'DOSSIER_MISMATCH',
          `the verdict on ${v.requirement_id} is not the one the decision's dossier holds`,
        );
      }
    }
    const heldRisks = all(this.db, 'SELECT * FROM risks WHERE system_id = ?', [manifest.system.id]);
    const heldAcceptances = (origin: 'received' | 'own') =>
      all(
        this.db,
        `SELECT a.risk_id, a.expires_on, a.at, a.fingerprint FROM risk_acceptances a JOIN risks r ON r.id = a.risk_id
         WHERE r.system_id = ? AND ${origin === 'received' ? "a.origin = 'received'" : "a.origin <> 'received'"}`,
        [manifest.system.id],
      );
    // The acceptances the sender's side sent before (by any of its signers), and the receiver's
    // own: what a letter lists as accepted may be either.
    const held = {
      risks: heldRisks,
      acceptances: heldAcceptances('received'),
      own: heldAcceptances('own'),
    };
    // Every decision arriving, not the last listed only (two listed the other way round had
    // the older one judged).
    for (const { record, dossier } of decided) {
      const risky = unsignedRisk(content, held, record, dossier);
      if (risky) {
        throw reject(risky.reason, `decision ${record.ref}: ${risky.detail}`);
      }
    }
    // What each decision of the case lists as accepted, those held here included: acceptances
    // dated before a decision held here arrive in later packages too.
    const heldDecisions = all(
      this.db,
      'SELECT ref, created_at, accepted_risks, conditions FROM decisions WHERE case_id = ?',
      [caseId],
    );
    // A condition arriving new is one a letter lists (its decision's, arriving or held).
    const heldFindings = new Set(
      all(this.db, 'SELECT id FROM findings WHERE case_id = ?', [caseId]).map((f) => s(f.id)),
    );
    const stray = unlistedCondition(
      content.findings.filter((f) => !heldFindings.has(f.id)),
      [...heldDecisions, ...decided.map((d) => d.record)],
    );
    if (stray !== null) {
      throw reject(
        'DECISION_MISMATCH',
        `the condition "${stray}" is one no decision's letter lists`,
      );
    }
    const fingerprintNow = (risk: Record<string, unknown>) =>
      fingerprint(riskRepo.substanceOf(risk as Row));
    for (const record of [...heldDecisions, ...decided.map((d) => d.record)]) {
      const unlisted = acceptedAsListed(content, held, record, fingerprintNow);
      if (unlisted) {
        throw reject(unlisted.reason, `decision ${String(record.ref)}: ${unlisted.detail}`);
      }
    }
    const steps = this.newSteps(content, caseId, manifest.createdAt);
    const issuedFindings = content.findings.filter((f) => f.kind === 'finding').length;
    const now = new Date().toISOString();
    // Decisions and steps in the order the authority took them: each step is checked against
    // the decision that stood when it was taken (a suspension, then its reinstatement).
    const events = [
      ...arriving.map((a) => ({ at: a.record.created_at, decision: a })),
      ...steps.map((t) => ({ at: t.at, step: t })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 'decision' in a ? -1 : 1));
    // Each decision arrives with the step it takes (a suspension with in force → suspended):
    // a signed suspension held while the case stayed in force said two things at once.
    let state = s(all(this.db, 'SELECT state FROM cases WHERE id = ?', [caseId])[0]?.state);
    let awaited: { ref: string; to: CaseState } | null = null;
    // The steps the arriving decisions take (each the one after its decision).
    const taken = new Set<unknown>();
    for (const event of events) {
      if ('step' in event && event.step) {
        if (awaited && event.step.to !== awaited.to) {
          break;
        }
        if (awaited) {
          taken.add(event.step);
        }
        awaited = null;
        state = event.step.to;
      } else if ('decision' in event && event.decision && !awaited) {
        const effect = DECISION_EFFECTS[state as CaseState]?.[event.decision.record.type];
        awaited = effect ? { ref: event.decision.record.ref, to: effect } : null;
      }
    }
    if (awaited) {
      throw reject(
        'DECISION_MISMATCH',
        `decision ${awaited.ref} arrives without the step it takes (to ${awaited.to})`,
      );
    }
    const changes: Record<string, unknown> = {
      kind: 'decision',
      sha256: digest,
      sequence: manifest.sequence,
      signer: sender.certificate.subject,
      signerFingerprint: fingerprintOf(derOf(sender.certificate)),
      decisions: arriving.map((a) => a.record.ref),
    };
    await this.change(
      { action: 'package.received', entityType: 'case', entityId: caseId, changes },
      (db) => {
        const scoped = this.scoped(db, read, content);
        changes.rows = scoped.rows.map(auditRow);
        for (const m of content.matrices) {
          const parsed = parseMatrix(m);
          if (!parsed.ok) {
            throw reject('MALFORMED', 'risk matrix');
          }
          riskRepo.keepReceivedMatrix(db, parsed.matrix, now);
        }
        const findingChanges = PACKAGE_SCOPE.decision.findings.change;
        for (const f of scoped.findings) {
          const values = f.values;
          if (f.added) {
            db.run(
              `INSERT INTO findings (case_id, ${FINDING_COLUMNS.join(', ')}) VALUES (?, ${FINDING_COLUMNS.map(() => '?').join(', ')})`,
              [caseId, ...FINDING_COLUMNS.map((k) => values[k] ?? null)],
            );
          } else {
            db.run(
              `UPDATE findings SET ${findingChanges.map((k) => `${k} = ?`).join(', ')} WHERE id = ? AND case_id = ?`,
              [...findingChanges.map((k) => values[k] ?? null), f.id, caseId],
            );
          }
          // The finding's history here records what the package brought, and from whom.
          if (f.from !== values.status) {
            findingEvent(
              db,
              f.id,
              f.from,
              s(values.status),
              commonName(read.sender),
              WORKBENCH,
              now,
            );
          }
        }
        const judged = PACKAGE_SCOPE.decision.checklist.change;
        for (const v of scoped.verdicts) {
          db.run(
            `UPDATE checklist_items SET ${judged.map((k) => `${k} = ?`).join(', ')}, updated_at = ?
             WHERE case_id = ? AND requirement_id = ?`,
            [...judged.map((k) => v.values[k] ?? null), now, caseId, v.requirementId],
          );
        }
        this.writeRisks(db, scoped.risks, read, now);
        for (const event of events) {
          if ('decision' in event) {
            this.insertDecision(db, caseId, event.decision, read, now);
          } else {
            // Findings that were issued in between count as issued.
            const t = event.step;
            this.step(
              db,
              caseId,
              t.to,
              { actor: t.actor, role: 'accreditor', reason: t.reason, at: t.at },
              (ctx) => {
                ctx.openFindings = Math.max(ctx.openFindings, issuedFindings);
                // A decision's own step stands on its letter: its signers judged the register
                // at the authority, and the copy here may have moved since (a covering risk
                // revised after the decision, an owner's risk the authority revised and
                // accepted) without making the signed decision any less the authority's.
                if (taken.has(t)) {
                  ctx.unacceptedNonCompliant = 0;
                  ctx.unacceptedIds = [];
                }
              },
            );
          }
        }
        // The case's verdicts, once the package is in, are those of the dossier its newest
        // decision was taken on: a verdict changed after an interim package and left out of
        // the decision's kept the earlier one here.
        const decidedOn = decided.at(-1);
        if (decidedOn) {
          const verdictsHere = new Map(
            all(
              db,
              'SELECT requirement_id, verdict, assessor_comment FROM checklist_items WHERE case_id = ?',
              [caseId],
            ).map((i) => [s(i.requirement_id), i]),
          );
          for (const item of decidedOn.dossier.checklist) {
            const here = verdictsHere.get(item.requirementId);
            if (
              s(here?.verdict) !== item.verdict ||
              s(here?.assessor_comment) !== item.assessorComment
            ) {
              throw reject(
                'DOSSIER_MISMATCH',
                `the verdict on ${item.requirementId} here would not be the one the decision's dossier holds`,
              );
            }
          }
        }
        const upto = Math.max(0, ...content.transitions.map((t) => t.seq));
        this.received(
          db,
          read,
          {
            decisions: arriving.map((a) => a.record.ref),
            steps: steps.length,
            findings: content.findings.length,
          },
          upto,
        );
      },
    );
  }

  /** A received decision: its record and signatures, its dossier, its letter and report. */
  private insertDecision(
    db: Database,
    caseId: string,
    a: {
      record: DecisionContent['decisions'][number];
      letter: StoredBlob;
      report: StoredBlob;
      dossier: string;
      /** The letter's signatures as verified here: who signed is what the letter says. */
      signed: SignatureReport[];
    },
    read: Verified,
    now: string,
  ) {
    // The signers as the letter proves them, never as the package names them (signed_by too:
    // who signed, as the certificate says, not a name the package gives).
    const signers = a.signed.map((x, i) => ({
      seq: i + 1,
      field: x.field,
      signer_subject: x.signer?.subject ?? '',
      signer_fingerprint: x.signer?.fingerprint ?? '',
      signed_at: x.claimedTime ?? '',
      signed_by: x.signer?.subject ?? '',
    }));
    const d = {
      ...a.record,
      signer_subject: signers[0]?.signer_subject ?? '',
      signer_fingerprint: signers[0]?.signer_fingerprint ?? '',
      signed_at: signers[0]?.signed_at ?? '',
    };
    db.run(
      `INSERT INTO decisions (case_id, status, pdf_blob, pdf_sha256, ${DECISION_COLUMNS.join(', ')})
       VALUES (?, 'issued', ?, ?, ${DECISION_COLUMNS.map(() => '?').join(', ')})`,
      [caseId, a.letter.address, a.letter.sha256, ...DECISION_COLUMNS.map((k) => d[k] ?? null)],
    );
    for (const x of signers) {
      db.run(
        `INSERT INTO decision_signatures (decision_id, seq, field, signer_subject, signer_fingerprint, signed_at, signed_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [d.id, x.seq, x.field, x.signer_subject, x.signer_fingerprint, x.signed_at, x.signed_by],
      );
    }
    db.run(
      'INSERT OR IGNORE INTO dossier_snapshots (sha256, case_id, json, created_at) VALUES (?, ?, ?, ?)',
      [d.dossier_sha256, caseId, a.dossier, now],
    );
    db.run(
      `INSERT INTO documents (id, case_id, kind, title, language, blob_address, sha256, size, signed, created_at, created_by)
       VALUES (?, ?, 'dossier-report', ?, ?, ?, ?, ?, 0, ?, ?)`,
      [
        randomUUID(),
        caseId,
        `${d.ref} dossier`,
        s(d.language),
        a.report.address,
        a.report.sha256,
        a.report.size,
        now,
        commonName(read.sender),
      ],
    );
  }

  /** A vault change whose database errors (a constraint the content breaks) refuse the package. */
  private change<T>(entry: Parameters<Vault['change']>[0], job: (db: Database) => T): Promise<T> {
    return this.vault()
      .change(entry, job)
      .catch((error: unknown) => {
        if (error instanceof AppError) {
          throw error;
        }
        throw reject('MALFORMED', 'the content does not fit this vault');
      });
  }
}

type Cells = Record<string, SqlValue>;

/** The organisation (O) a distinguished name gives ('' for none, or a name that does not parse). */
/**
 * Every table of a package names each row once (by id, or by requirement for answers and
 * verdicts): two rows with one id are written in turn, the last one winning, and each is judged
 * against what the vault held before either — a signed condition carried by one row and undone
 * by the next.
 */
function uniqueRows(content: SubmissionContent | DecisionContent): void {
  for (const [table, rows] of Object.entries(content)) {
    if (!Array.isArray(rows)) {
      continue;
    }
    const seen = new Set<string>();
    for (const row of rows as Record<string, unknown>[]) {
      const key = row.id ?? row.requirement_id;
      if (typeof key !== 'string') {
        continue;
      }
      if (seen.has(key)) {
        throw reject('DUPLICATE_ROW', `two rows of ${table} are ${key}`);
      }
      seen.add(key);
    }
  }
}

function organisationOf(name: string): string {
  try {
    return new x509.Name(name).getField('O')[0] ?? '';
  } catch {
    return '';
  }
}

/** A previewed row as the import's audit row names it: each field with its [from, to]. */
function auditRow(row: PreviewRow) {
  return {
    table: row.table,
    ref: row.ref,
    added: row.added,
    fields: Object.fromEntries(row.fields.map((f) => [f.field, row.added ? f.to : [f.from, f.to]])),
    ...(row.valid === undefined ? {} : { validHere: row.valid }),
  };
}

/** A value as a preview shows it: text, shortened; null for nothing. */
function shown(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const text = value instanceof Uint8Array ? `${value.length} bytes` : String(value);
  return text.length > PREVIEW_VALUE_MAX ? `${text.slice(0, PREVIEW_VALUE_MAX - 1)}…` : text;
}

function change(field: string, from: string | null, to: string | null) {
  return { field, from: shown(from), to: shown(to) };
}

/**
 * The fields of a row that a package sets: for a row here, those whose value changes (from →
 * to); for a new row, every field it fills.
 */
function fieldChanges(
  fields: readonly string[],
  before: Cells | null,
  values: Record<string, SqlValue | undefined>,
): { field: string; from: string | null; to: string | null }[] {
  const text = (v: SqlValue | undefined) =>
    v === null || v === undefined ? null : v instanceof Uint8Array ? null : String(v);
  return fields.flatMap((field) => {
    const to = text(values[field]);
    if (!before) {
      return to === null || to === '' ? [] : [change(field, null, to)];
    }
    const from = text(before[field]);
    return from === to ? [] : [change(field, from, to)];
  });
}

/** The requirements an evidence file is linked to here. */
function linksOfEvidence(db: Database, evidenceId: string): string[] {
  return all(db, 'SELECT requirement_id FROM evidence_links WHERE evidence_id = ?', [
    evidenceId,
  ]).map((l) => s(l.requirement_id));
}

function previewRow(
  table: PreviewTable,
  ref: string,
  added: boolean,
  fields: PreviewRow['fields'],
): PreviewRow {
  return { what: 'row', table, ref, added, fields };
}

/** A risk's scores from its columns, if each is an integer (or null where an impact may be). */
function riskScores(values: Cells) {
  const score = (v: SqlValue | undefined) =>
    typeof v === 'number' && Number.isInteger(v) ? v : NaN;
  const impact = (v: SqlValue | undefined) => (v === null || v === undefined ? null : score(v));
  const scores = {
    likelihood: score(values.likelihood),
    residualLikelihood: score(values.residual_likelihood),
    residualImpact: score(values.residual_impact),
    confidentiality: impact(values.impact_c),
    integrity: impact(values.impact_i),
    availability: impact(values.impact_a),
    authenticity: impact(values.impact_auth),
  };
  return Object.values(scores).some((v) => Number.isNaN(v)) ? null : scores;
}

/** A stream's SHA-256, read through. */
async function hashOf(stream: AsyncIterable<unknown>): Promise<{ sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex') };
}

function pick<K extends string>(row: Row, keys: readonly K[]): Record<K, SqlValue> {
  return Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) as Record<K, SqlValue>;
}

function reasonText(reason: SignatureReason, detail: string | null): string {
  return detail ? `${reason}: ${detail}` : reason;
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

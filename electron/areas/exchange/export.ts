/**
 * A package written for the other side (docs/package-format.md): an owner's submission carries
 * the case to the authority (profile, catalogue, answers, evidence, risks, audit excerpt); the
 * authority's decision package carries its steps on the case back (transitions, findings,
 * verdicts, risk acceptances, and each issued decision with its signed letter, its dossier and
 * the dossier report). Also the key a walk-through with openssl needs.
 */
import { ExchangeStage, all, s, RECEIVER, SENDER_ROLE, type Row } from './stage';
import { exchangeOf, lastSent, logRow } from './repository';
import { organisationOf } from '../../exchange/names';
import { risksToSend } from '../risks/received';
import { systemForPackage } from '../register/received';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SqlValue } from 'sql.js';
import { AppError } from '../../../shared/errors';
import { type PackageKind, SUBMISSION_SENT_IN } from '../../../shared/exchange';
import type { InfoDomain } from '../../../shared/classification';
import { type CaseState } from '../../../shared/lifecycle';
import { auditHead } from '../../db/audit';
import type { DecisionContent, SubmissionContent } from '../../exchange/content';
import { DECISION_COLUMNS, EVIDENCE_COLUMNS, FINDING_COLUMNS, PARTS } from '../../exchange/content';
import {
  packageFileName,
  writePackage,
  type ManifestPart,
  type PartSource,
} from '../../exchange/package';
import { sha256Hex } from '../../signing/hash';
import { derOf, fingerprintOf } from '../../signing/x509';
import { namedRead } from '../../vault/blobs';

/** A submission leaves the owner in these states: sent for assessment, or with remediation. */
const OWNER_SENDS: readonly CaseState[] = SUBMISSION_SENT_IN;

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

function pick<K extends string>(row: Row, keys: readonly K[]): Record<K, SqlValue> {
  return Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) as Record<K, SqlValue>;
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

/** Writes a case's package for the other side: a submission, or the authority's answer. */
export class PackageExport extends ExchangeStage {
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
    if (kind === 'decision' && !exchangeOf(this.db, caseId)) {
      // The authority answers cases it received; a case made here has no owner to send to.
      throw refuseExport('NOT_RECEIVED', { state });
    }
    const signer = this.signing.signer(options.identityId, options.pin);
    const recipient = this.pickRecipient(kind, caseId, options.recipient);
    const { parts, summary } =
      kind === 'submission' ? this.submissionParts(c) : await this.decisionPackageParts(c);
    const { system } = this.register.getSystem(s(c.system_id));
    // The marking is the highest of what the package holds: the system's levels and every
    // evidence file's own marking (a TEMPEST report may be marked above the system it is about).
    const levels = [
      ...system.levels,
      ...all(
        this.db,
        `SELECT marking_domain, marking_level FROM evidence
          WHERE case_id = ? AND marking_domain IS NOT NULL AND marking_level IS NOT NULL`,
        [caseId],
      ).map((e) => ({ domain: s(e.marking_domain) as InfoDomain, level: s(e.marking_level) })),
    ];
    const scheme = this.register.scheme();
    const top = scheme.highestMarking(levels);
    const exchange = exchangeOf(this.db, caseId);
    const sequence = lastSent(this.db, caseId) + 1;
    const manifest: Parameters<typeof writePackage>[1]['manifest'] = {
      kind,
      createdAt: new Date().toISOString(),
      sender: { name: actor.name, organisation: actor.organisation, role: actor.role },
      case: { id: caseId, ref: s(c.ref) },
      system: { id: system.id, ref: system.ref },
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
        logRow(db, this.vault().actor.name, {
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
      ...systemForPackage(db, s(c.system_id)),
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
    return risksToSend(this.db, caseId, systemId, ownRisksOnly);
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
}

/**
 * The authority's decision package written in one vault change: each decision this vault has not
 * with its letter verified, its dossier recomputed and its terms as the letter's signers signed
 * them; the findings, verdicts and risks it may write; the authority's steps in the order it took
 * them, each decision arriving with the step it takes.
 */
import { ApplyStage } from './apply-steps';
import { all, s, type Verified } from './stage';
import { auditRow } from '../../exchange/preview';
import { commonName } from '../../exchange/names';
import { acceptedFingerprint, keepReceivedMatrices, writeReceivedRisks } from '../risks/received';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Database } from 'sql.js';
import { type DossierSnapshot } from '../../../shared/dossier';
import { DECISION_EFFECTS, type CaseState } from '../../../shared/lifecycle';
import type { SignatureReport } from '../../../shared/signatures';
import type { DecisionContent } from '../../exchange/content';
import { DECISION_COLUMNS, FINDING_COLUMNS } from '../../exchange/content';
import { PACKAGE_SCOPE } from '../../exchange/scope';
import { reject } from '../../exchange/package';
import {
  unsignedCondition,
  unsignedRisk,
  acceptedAsListed,
  unlistedCondition,
} from '../../documents/decision-terms';
import { type StoredBlob } from '../../vault/blobs';
import type { ImportJournal } from '../../vault/import-journal';
import { findingEvent, WORKBENCH } from '../cases/steps';

/** Writes a verified decision package. */
export class DecisionApply extends ApplyStage {
  async applyDecision(
    read: Verified,
    content: DecisionContent,
    created: StoredBlob[],
    /** Where the import notes each file it stores. */
    journal: ImportJournal | null,
  ) {
    const { manifest } = read;
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
    const note = (address: string) => journal?.add(address);
    /** The decisions arriving, each with the dossier it was taken on (the last one last). */
    const decided: { record: DecisionContent['decisions'][number]; dossier: DossierSnapshot }[] =
      [];
    for (const [n, record] of content.decisions.entries()) {
      if (known.has(record.id)) {
        continue;
      }
      const checked = await this.reader.verifyDecisionParts(read, record, n, caseId);
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
    for (const record of [...heldDecisions, ...decided.map((d) => d.record)]) {
      const unlisted = acceptedAsListed(content, held, record, acceptedFingerprint);
      if (unlisted) {
        throw reject(unlisted.reason, `decision ${String(record.ref)}: ${unlisted.detail}`);
      }
    }
    const steps = this.scoping.newSteps(content, caseId, manifest.createdAt);
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
      ...this.receivedAudit(read),
      decisions: arriving.map((a) => a.record.ref),
    };
    await this.change(
      { action: 'package.received', entityType: 'case', entityId: caseId, changes },
      (db) => {
        const scoped = this.scoping.scoped(db, read, content);
        changes.rows = scoped.rows.map(auditRow);
        keepReceivedMatrices(db, content.matrices, now);
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
        writeReceivedRisks(db, scoped.risks, read, now);
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
}

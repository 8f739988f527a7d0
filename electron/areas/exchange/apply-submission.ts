/**
 * An owner's submission written in one vault change: the system and case it brings (new ones as
 * this vault would make them), its answers, evidence and the owner's own risks, as the rows it
 * may write (authorise.ts) were planned, the case moved by the owner's steps only.
 */
import { ApplyStage } from './apply-steps';
import { all, s, type Verified } from './stage';
import { auditRow } from '../../exchange/preview';
import { commonName } from '../../exchange/names';
import { writeReceivedRisks } from '../risks/received';
import { raiseLevels, systemKnown, writeReceivedSystem } from '../register/received';
import { type CaseState } from '../../../shared/lifecycle';
import { parseMatrix } from '../../../shared/risk';
import type { SubmissionContent } from '../../exchange/content';
import { PACKAGE_SCOPE } from '../../exchange/scope';
import { reject } from '../../exchange/package';
import { type StoredBlob } from '../../vault/blobs';

/** Writes a verified submission. */
export class SubmissionApply extends ApplyStage {
  async applySubmission(
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
    const changes = this.receivedAudit(read);
    await this.change(
      { action: 'package.received', entityType: 'case', entityId: c.id, changes },
      (db) => {
        // What it may change, checked again where it is written; the audit row names every row.
        const scoped = this.scoping.scoped(db, read, content);
        // The new system, the new case and where answers go, as the preview lists them.
        const own = this.planner.submissionRows(
          db,
          content,
          manifest,
          systemKnown(db, content.system.id),
          all(db, 'SELECT 1 FROM cases WHERE id = ?', [c.id]).length > 0,
        );
        changes.rows = [...own, ...scoped.rows].map(auditRow);
        // The case's catalogue is this vault's own copy: nothing of the package's is stored.
        const catalogue = this.scoping.submittedCatalogue(db, content);
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
        if (!systemKnown(db, sys.id)) {
          writeReceivedSystem(db, sys, content.levels, now);
          // The system now belongs to this sender: later submissions for it must come from it.
          db.run(
            'INSERT INTO system_senders (system_id, anchor, subject, reply_to, bound_at) VALUES (?, ?, ?, ?, ?)',
            [sys.id, read.anchor, sender.certificate.subject, manifest.replyTo, now],
          );
        } else {
          // A known system's levels the owner raised (never lowered): the authority's record is
          // raised with a change row of its own, which four eyes and the approval's scope read.
          const raise = this.planner.levelsRaised(db, content);
          if (raise) {
            raiseLevels(db, this.vault().actor, sys.id, raise, who.reason);
          }
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
        writeReceivedRisks(db, scoped.risks, read, now);
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
}

/**
 * The third stage of an import: which rows the package may add or change here, as its sender
 * may decide them (answers, evidence and the owner's own risks from an owner; verdicts,
 * findings, steps and the authority's risks from the authority), each checked against what the
 * vault holds. Run for the preview, and again inside the import's change, whose writes are
 * exactly what it returns.
 */
import { ExchangeStage, all, s, IN_FORCE, type Verified } from './stage';
import { exchangeOf, linksOfEvidence } from './repository';
import { change, fieldChanges, previewRow, type Cells } from '../../exchange/preview';
import { checkRiskRefs, scopedRisks } from '../risks/received';
import { refNamesAnother, systemKnown } from '../register/received';
import type { Database } from 'sql.js';
import { parseCatalogue, type SystemProfile } from '../../../shared/catalogue';
import { type PreviewRow } from '../../../shared/exchange';
import { REVIEW_STATES } from '../../../shared/cases';
import { stepTakers, type CaseState } from '../../../shared/lifecycle';
import type { DecisionContent, SubmissionContent } from '../../exchange/content';
import { EVIDENCE_COLUMNS, PARTS } from '../../exchange/content';
import { PACKAGE_SCOPE } from '../../exchange/scope';
import { isInstant, reject, type Manifest } from '../../exchange/package';
import { CONDITION_TERMS } from '../../documents/decision-terms';

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

/**
 * Which rows a verified package may write here, by what its sender may decide
 * (electron/exchange/scope.ts, PACKAGE_SCOPE), and whether what it says is about the case and
 * system its manifest names.
 */
export class RowScope extends ExchangeStage {
  /**
   * Every row the package would add or change here, checked against what its sender may decide
   * (PACKAGE_SCOPE): rows of the package's case and system only (OUTSIDE_CASE), existing rows
   * only if the sender made them (NOT_SENDERS_ROW), acceptances only in the signer's role
   * (ACCEPTANCE_NOT_SENDERS). Run on `db` as it stands: for the preview, and again inside the
   * import's change, whose writes are exactly what this returns.
   */
  scoped(db: Database, read: Verified, content: SubmissionContent | DecisionContent) {
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
    const risks = scopedRisks(db, this.risks, read, scope, content, {
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
  submittedCatalogue(db: Database, content: SubmissionContent) {
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
    const profile: SystemProfile = systemKnown(db, systemId)
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

  /** A submission's content must be about the manifest's case and system, by its own references. */
  checkSubmission(content: SubmissionContent, manifest: Manifest) {
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
    if (refNamesAnother(db, content.system.ref, content.system.id)) {
      throw reject('REFERENCE_CLASH', `system ${content.system.ref} names another system here`);
    }
    checkRiskRefs(this.db, content.risks);
  }

  checkDecision(content: DecisionContent, manifest: Manifest) {
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
    checkRiskRefs(this.db, content.risks);
  }

  /** The authority's steps this vault has not applied yet, checked to start where the case is. */
  newSteps(content: DecisionContent, caseId: string, madeAt: string) {
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
    const upto = exchangeOf(this.db, caseId)?.transitionsUpto ?? 0;
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
}

/**
 * The risks a package carries, as the risks area judges and writes them for the exchange: what
 * this side sends (its own risks and acceptances), which risks, links and acceptances a package
 * may bring by what its sender may decide (scopedRisks: the owner's own risks only, levels
 * recomputed on this vault's matrices, acceptances attributed to the signer and counted only
 * under this vault's criteria), and how they are written (writeReceivedRisks).
 */
import {
  acceptanceRowAt,
  insertAcceptanceRow,
  insertReceivedReview,
  insertRiskRow,
  keepReceivedMatrix,
  keepShippedMatrix,
  linksOfRisk,
  packageRisks,
  receivedSnapshot,
  replaceReceivedLinks,
  riskExists,
  riskRefTaken,
  riskRow,
  substanceOf,
  updateReceivedRisk,
} from './repository';
import type { RiskService } from './use-cases';
import { change, fieldChanges, previewRow, type Cells } from '../../exchange/preview';
import { commonName } from '../../exchange/names';
import { queryRows as all, text as s } from '../../db/query';
import type { Database, SqlValue } from 'sql.js';
import type { PreviewRow } from '../../../shared/exchange';
import {
  assess,
  fingerprint,
  outOfScale,
  parseMatrix,
  type RiskMatrix,
} from '../../../shared/risk';
import { canonicalJson } from '../../db/audit';
import type { SubmissionContent } from '../../exchange/content';
import { ACCEPTANCE_COLUMNS } from '../../exchange/content';
import { RISK_CHANGES, type PackageScope } from '../../exchange/scope';
import { isInstant, reject, type Manifest, type Sender } from '../../exchange/package';
import { derOf, fingerprintOf } from '../../signing/x509';
import { refuseImpossiblePackage } from '../../services/sense';
import { findingRule, requirementRule, residualRule, type SenseIssue } from '../../../shared/sense';

type Row = Record<string, SqlValue>;

/** A requirement's id as RiskInput takes it (a system's risk, outside any case's checklist). */
const REQUIREMENT_ID = /^[A-Z]{2,5}-\d{2,3}$/;

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

/**
 * What this side may send about the case's risks (electron/exchange/scope.ts): the risks made
 * here (of the case, and of its system without a case) with their links, and the acceptances
 * made here of any risk of the case — for an owner (`ownRisksOnly`), of its own risks only.
 * What the other side sent stays out: it has it.
 */
export function risksToSend(db: Database, caseId: string, systemId: string, ownRisksOnly = false) {
  return packageRisks(db, caseId, systemId, ownRisksOnly);
}

/** The risks, their links and the acceptances a package brings, as its sender may send them. */
export function scopedRisks(
  db: Database,
  service: Pick<RiskService, 'matrices' | 'receivedRefusal'>,
  read: { manifest: Manifest; sender: Sender },
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
  const matrices = new Map<string, RiskMatrix>(service.matrices().map((m) => [m.id, m]));
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
  const risks: { values: Cells; added: boolean; links: { kind: string; target: string }[] }[] = [];
  const planned = new Map<string, Cells>();
  // The rules local entry holds a risk to (RiskService.validated), each place named.
  const nonsense: SenseIssue[] = [];
  for (const [n, r] of content.risks.entries()) {
    const row = r as Cells;
    if (!ofThisCase(row)) {
      throw reject('OUTSIDE_CASE', `risk ${r.ref} is of another case or system`);
    }
    const before = riskRow(db, r.id);
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
    const linksBefore = before ? linksOfRisk(db, r.id) : [];
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
      throw riskExists(db, l.risk_id)
        ? reject('NOT_SENDERS_ROW', `a link of risk ${l.risk_id}, which the package does not bring`)
        : reject('MALFORMED', `a link of risk ${l.risk_id}, which does not exist`);
    }
  }
  refuseImpossiblePackage(nonsense);
  // Acceptances: the signer's claims, in its role, of risks of this case.
  const signer = commonName(read.sender);
  const acceptances: Cells[] = [];
  for (const a of content.acceptances) {
    const risk = planned.get(a.risk_id) ?? riskRow(db, a.risk_id);
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
    const same = acceptanceRowAt(db, a.risk_id, a.at);
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
    const refusal = service.receivedRefusal(
      substanceOf(risk),
      scope.sender,
      s(values.accepted_on),
      s(values.expires_on),
    );
    // It counts here only if it accepts the risk as it will stand, under this vault's criteria.
    const valid = refusal === null && values.fingerprint === fingerprint(substanceOf(risk));
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
export function writeReceivedRisks(
  db: Database,
  planned: Pick<ReturnType<typeof scopedRisks>, 'risks' | 'acceptances'>,
  read: { digest: string; sender: Sender },
  now: string,
): void {
  const note = `received in package ${read.digest.slice(0, 16)}`;
  for (const r of planned.risks) {
    // A risk's matrix is a row of this vault's: a shipped one its criteria do not name is
    // stored from its own copy (an owner with no criteria yet receives the default's).
    keepShippedMatrix(db, String(r.values.matrix_id), now);
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
      insertRiskRow(
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
      updateReceivedRisk(
        db,
        r.values.id ?? null,
        Object.fromEntries(set.map((k) => [k, r.values[k] ?? null])),
        now,
      );
    }
    replaceReceivedLinks(db, r.values.id ?? null, r.links);
    // The register's trend records what the package brought, and from whom.
    insertReceivedReview(db, r.values, {
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
    const snapshot = snapshots.get(riskId) ?? receivedSnapshot(db, riskId);
    snapshots.set(riskId, snapshot);
    insertAcceptanceRow(db, columns, { ...a, snapshot });
  }
}

/** A risk a package brings names no other risk of this vault (REFERENCE_CLASH). */
export function checkRiskRefs(db: Database, risks: { id: string; ref: string }[]) {
  for (const r of risks) {
    if (riskRefTaken(db, r.ref, r.id)) {
      throw reject('REFERENCE_CLASH', `risk ${r.ref} names another risk here`);
    }
  }
}

/** What an acceptance of `risk` accepts as it stands here: the fingerprint of its substance. */
export function acceptedFingerprint(risk: Record<string, unknown>): string {
  return fingerprint(substanceOf(risk as Row));
}

/** The risk matrices a decision package brings, kept beside this vault's (MALFORMED if one does not parse). */
export function keepReceivedMatrices(
  db: Database,
  matrices: readonly unknown[],
  now: string,
): void {
  for (const m of matrices) {
    const parsed = parseMatrix(m);
    if (!parsed.ok) {
      throw reject('MALFORMED', 'risk matrix');
    }
    keepReceivedMatrix(db, parsed.matrix, now);
  }
}

/**
 * What a decision letter binds of its decision record. The letter's signatures (one or two
 * people, four eyes) cover its Keywords; among them the record's reference (`decision:<ref>`)
 * and a hash of its terms (`decision-terms-sha256:<hex>`): the type, the levels, mode, sites and
 * interconnections decided on, the validity, the accepted risks, the conditions (what, for which
 * requirement, who, by when), the dossier and how many
 * signatures it needs. A vault that receives a decision acts on the record, so it takes the
 * record only when its terms hash to what the letter's signers signed: one signer alone cannot
 * turn a signed three-month interim approval into a three-year full approval.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../db/audit';
import { DECISION_COLUMNS } from '../exchange/content';

export const TERMS_KEYWORD = 'decision-terms-sha256:';
export const REF_KEYWORD = 'decision:';
/** The columns of a decision record that are not its terms: its id, and who signed when. */
const UNBOUND = ['id', 'signer_subject', 'signer_fingerprint', 'signed_at'] as const;
type Term = Exclude<(typeof DECISION_COLUMNS)[number], (typeof UNBOUND)[number]>;

/**
 * The columns of a decision record (as the decisions table holds them and a package carries
 * them) its letter binds: every one but its id and who signed when (the letter itself says
 * that). A column added to the record is bound unless it is listed as unbound.
 */
export const TERMS_COLUMNS = DECISION_COLUMNS.filter(
  (c): c is Term => !(UNBOUND as readonly string[]).includes(c),
);

/** SHA-256 of a record's terms, as its columns hold them (JSON columns as their text). */
export function termsHash(row: Partial<Record<(typeof TERMS_COLUMNS)[number], unknown>>): string {
  const terms = Object.fromEntries(
    TERMS_COLUMNS.map((k) => [
      k,
      k === 'signatures_required' ? Number(row[k] ?? 1) : (row[k] ?? null),
    ]),
  );
  return createHash('sha256').update(canonicalJson(terms)).digest('hex');
}

/** A decision's condition as issued: what its letter lists and its record binds. */
export interface IssuedCondition {
  text: string;
  requirementId: string | null;
  owner: string;
  dueDate: string | null;
}

/** Conditions as a decision is issued with them, in the letter's order. */
export function issuedConditions(
  conditions: readonly {
    text: string;
    owner: string;
    dueDate?: string | null;
    requirementId?: string | null;
  }[],
): IssuedCondition[] {
  return conditions.map((c) => ({
    text: c.text,
    requirementId: c.requirementId || null,
    owner: c.owner,
    dueDate: c.dueDate ?? null,
  }));
}

/** The tracked finding a condition becomes: its columns as the findings table holds them. */
export function conditionRow(ref: string, c: IssuedCondition) {
  return {
    kind: 'condition',
    requirement_id: c.requirementId,
    title: c.text.slice(0, 300),
    description: `${ref}: ${c.text}`,
    owner: c.owner,
    due_date: c.dueDate,
  };
}

/** The columns of a condition's finding its decision binds: all but its status and dates. */
export const CONDITION_TERMS = [
  'kind',
  'requirement_id',
  'title',
  'description',
  'owner',
  'due_date',
] as const;

/**
 * The first condition a decision record binds (its `conditions`, whose hash its letter's signers
 * signed) that no finding among `findings` carries as signed; null when each arrives as issued.
 * A record whose conditions are not a list of conditions binds none that could arrive: its
 * text is named.
 */
export function unsignedCondition(
  record: { ref: string; conditions?: string | number | null },
  findings: readonly Partial<Record<(typeof CONDITION_TERMS)[number], unknown>>[],
): string | null {
  let bound: unknown;
  try {
    bound = JSON.parse(String(record.conditions ?? '[]'));
  } catch {
    return String(record.conditions);
  }
  if (!Array.isArray(bound)) {
    return String(record.conditions);
  }
  for (const c of bound as IssuedCondition[]) {
    const row = conditionRow(record.ref, c);
    if (!findings.some((f) => CONDITION_TERMS.every((k) => (f[k] ?? null) === row[k]))) {
      return String(c.text);
    }
  }
  return null;
}

/**
 * The first condition among `findings` (a finding of kind 'condition') that no decision among
 * `records` binds as issued; null when each is one a letter's signers signed. A condition that
 * no letter lists arrived beside a refusal and stood in the register as the decision's.
 */
export function unlistedCondition(
  findings: readonly Partial<Record<(typeof CONDITION_TERMS)[number], unknown>>[],
  records: readonly { ref?: unknown; conditions?: unknown }[],
): string | null {
  const bound = records.flatMap((record) => {
    try {
      const list: unknown = JSON.parse(
        typeof record.conditions === 'string' ? record.conditions : '[]',
      );
      return Array.isArray(list)
        ? (list as IssuedCondition[]).map((c) => conditionRow(String(record.ref), c))
        : [];
    } catch {
      return [];
    }
  });
  const stray = findings.find(
    (f) =>
      f.kind === 'condition' &&
      !bound.some((row) => CONDITION_TERMS.every((k) => (f[k] ?? null) === row[k])),
  );
  return stray ? String(stray.title) : null;
}

/** A risk row and an acceptance row as a package carries them (the columns compared here). */
type RiskCells = Partial<
  Record<
    | 'id'
    | 'ref'
    | 'case_id'
    | 'residual_level'
    | 'inherent_level'
    | 'treatment'
    | 'scope'
    | 'threat_event'
    | 'likelihood'
    | 'impact_c'
    | 'impact_i'
    | 'impact_a'
    | 'impact_auth'
    | 'residual_likelihood'
    | 'residual_impact'
    | 'created_at'
    | 'updated_at'
    | 'origin',
    unknown
  >
>;

const samePoint = (
  a: { likelihood: unknown; impact: unknown } | null,
  b: { likelihood: number; impact: number } | null,
) => (a === null || b === null ? a === b : a.likelihood === b.likelihood && a.impact === b.impact);

/** A risk's scores as the dossier records them: likelihood and combined impact, before and after. */
function pointsOf(r: RiskCells) {
  const impacts = [r.impact_c, r.impact_i, r.impact_a, r.impact_auth].filter(
    (v): v is number => typeof v === 'number',
  );
  return {
    inherent: impacts.length ? { likelihood: r.likelihood, impact: Math.max(...impacts) } : null,
    residual: { likelihood: r.residual_likelihood, impact: r.residual_impact },
  };
}
type AcceptanceCells = Partial<Record<'risk_id' | 'expires_on' | 'at' | 'fingerprint', unknown>>;

/**
 * The first risk a package brings with a decision that is not as its dossier has it; null when
 * each is. A risk the dossier holds arrives as the dossier has it, unless changed after the
 * decision; every risk the dossier holds arrives, or is the receiver's own; a risk of the case
 * made before the decision is one the dossier holds. (What the letter lists as accepted is
 * acceptedAsListed's.)
 */
export function unsignedRisk(
  content: {
    case: { id: string };
    risks: readonly RiskCells[];
  },
  held: { risks: readonly RiskCells[] },
  record: { created_at?: unknown },
  dossier: {
    risks: readonly {
      ref: string;
      residualLevel: string | null;
      inherentLevel: string | null;
      treatment: string;
      scope: string;
      threatEvent: string;
      inherent: { likelihood: number; impact: number } | null;
      residual: { likelihood: number; impact: number };
    }[];
  },
): { reason: 'DOSSIER_MISMATCH'; detail: string } | null {
  const decidedAt = typeof record.created_at === 'string' ? record.created_at : '';
  const after = (at: unknown) => typeof at === 'string' && at > decidedAt;
  for (const r of content.risks) {
    const decided = dossier.risks.find((d) => d.ref === r.ref);
    // The receiver works out the levels from the scores: both are compared.
    const same =
      decided !== undefined &&
      decided.residualLevel === r.residual_level &&
      decided.inherentLevel === r.inherent_level &&
      decided.treatment === r.treatment &&
      decided.scope === r.scope &&
      decided.threatEvent === r.threat_event &&
      samePoint(pointsOf(r).inherent, decided.inherent) &&
      samePoint(pointsOf(r).residual, decided.residual);
    // A risk of the case made before the decision is one its dossier holds (by its reference).
    const unheld =
      !decided && r.case_id === content.case.id && !after(r.created_at) && !after(r.updated_at);
    if ((decided && !same && !after(r.updated_at)) || unheld) {
      return {
        reason: 'DOSSIER_MISMATCH',
        detail: `risk ${String(r.ref)} is not as the decision's dossier holds it`,
      };
    }
  }
  // Every risk the dossier holds arrives, or is the receiver's own: a sender's risk held from
  // an earlier package stayed as it was while the dossier had it otherwise.
  const known = new Set(
    [...content.risks, ...held.risks.filter((r) => r.origin !== 'received')].map((r) => r.ref),
  );
  const missing = dossier.risks.find((d) => !known.has(d.ref));
  if (missing) {
    return {
      reason: 'DOSSIER_MISMATCH',
      detail: `risk ${missing.ref} of the decision's dossier does not arrive`,
    };
  }
  return null;
}

/**
 * Whether the acceptances a package brings agree with what a decision's letter lists as
 * accepted (null when they do): the letter's signers bound, for each accepted risk, the day its
 * acceptance ends; one package signer must not make the receiver's register say otherwise by
 * acceptances dated before the decision. For each risk the letter lists (`accepted_risks`):
 *
 * - an acceptance made before the decision ends that day: the sender's (arriving, or held from
 *   an earlier package) or the receiver's own (an owner's acceptance of its own risk, which
 *   the authority judged valid); the newest such one is the letter's;
 * - none of the sender's arrives dated after it and before the decision (it would be the newer,
 *   and the register shows the newer);
 * - if the letter's no longer accepts the risk as it now stands (its fingerprint), none older
 *   arriving does (the register would show that one instead: the genuine acceptance given
 *   another fingerprint let one dated a millisecond earlier stand).
 *
 * A risk of the case the letter does not list must not arrive with the sender's newest
 * acceptance before the decision still accepting it then (accepted afterwards, re-dated before).
 * `fingerprintOf` gives a risk's fingerprint as it will stand here (shared/risk.ts).
 */
export function acceptedAsListed(
  content: {
    case: { id: string };
    risks: readonly RiskCells[];
    acceptances: readonly AcceptanceCells[];
  },
  held: {
    risks: readonly RiskCells[];
    /** The sender's side's acceptances held here (received). */
    acceptances: readonly AcceptanceCells[];
    /** The receiver's own acceptances (of its own risks). */
    own: readonly AcceptanceCells[];
  },
  record: { ref?: unknown; created_at?: unknown; accepted_risks?: unknown },
  fingerprintOf: (risk: RiskCells) => string,
): { reason: 'DECISION_MISMATCH'; detail: string } | null {
  const decidedAt = typeof record.created_at === 'string' ? record.created_at : '';
  const before = (a: AcceptanceCells) => typeof a.at === 'string' && a.at <= decidedAt;
  const newestFirst = (a: AcceptanceCells, b: AcceptanceCells) =>
    String(a.at) < String(b.at) ? 1 : String(a.at) > String(b.at) ? -1 : 0;
  // What this package brings that is not held here already (a package carries again what its
  // sender made before).
  const arrived = new Set<AcceptanceCells>(
    content.acceptances.filter(
      (a) => !held.acceptances.some((h) => h.risk_id === a.risk_id && h.at === a.at),
    ),
  );
  const riskOf = (ref: unknown) =>
    content.risks.find((r) => r.ref === ref) ?? held.risks.find((r) => r.ref === ref);
  const mismatch = (detail: string) => ({ reason: 'DECISION_MISMATCH' as const, detail });
  let listed: unknown;
  try {
    listed = JSON.parse(String(record.accepted_risks));
  } catch {
    listed = null;
  }
  if (!Array.isArray(listed)) {
    return mismatch('the decision lists no accepted risks it could bind');
  }
  const entries = listed as { ref?: unknown; residualLevel?: unknown; expiresOn?: unknown }[];
  for (const entry of entries) {
    const risk = riskOf(entry.ref);
    const arriving = content.risks.find((r) => r.ref === entry.ref);
    const theirs = [...content.acceptances, ...held.acceptances]
      .filter((a) => risk !== undefined && a.risk_id === risk.id && before(a))
      .sort(newestFirst);
    const mine = held.own.filter((a) => risk !== undefined && a.risk_id === risk.id && before(a));
    const letters = [...theirs, ...mine]
      .filter((a) => (a.expires_on ?? null) === (entry.expiresOn ?? null))
      .sort(newestFirst)[0];
    const unsigned = `risk ${String(entry.ref)} does not arrive accepted as the decision's letter lists it`;
    if (
      !risk ||
      !letters ||
      (arriving &&
        typeof arriving.updated_at === 'string' &&
        arriving.updated_at <= decidedAt &&
        arriving.residual_level !== entry.residualLevel)
    ) {
      return mismatch(unsigned);
    }
    const current = fingerprintOf(risk);
    const newer = theirs.some((a) => arrived.has(a) && String(a.at) > String(letters.at));
    const masking =
      letters.fingerprint !== current &&
      theirs.some(
        (a) => arrived.has(a) && String(a.at) < String(letters.at) && a.fingerprint === current,
      );
    if (newer || masking) {
      return mismatch(unsigned);
    }
  }
  const listedRefs = new Set(entries.map((e) => e.ref));
  const day = decidedAt.slice(0, 10);
  for (const risk of content.risks) {
    if (listedRefs.has(risk.ref) || (risk.case_id !== content.case.id && risk.case_id !== null)) {
      continue;
    }
    const [newest] = [...content.acceptances, ...held.acceptances]
      .filter((a) => a.risk_id === risk.id && before(a))
      .sort(newestFirst);
    if (
      newest &&
      arrived.has(newest) &&
      typeof newest.expires_on === 'string' &&
      newest.expires_on > day &&
      newest.fingerprint === fingerprintOf(risk)
    ) {
      return mismatch(
        `risk ${String(risk.ref)} arrives accepted before the decision, which does not list it as accepted`,
      );
    }
  }
  return null;
}

/**
 * The risk register's rules that only the core needs (the arithmetic both processes use is in
 * shared/risk.ts): how this vault judges a risk's acceptances, whether an acceptance received in
 * a package counts here, and the view of a risk the screens and documents read. Pure: the
 * records come from the repository, the matrices and criteria from the use cases.
 */
import {
  acceptanceAuthority,
  acceptanceStatus,
  acceptanceValidHere,
  residualIndexOn,
  type AcceptanceStatus,
  type Authority,
  type ReceivedAcceptanceRefusal,
  type RiskCriteria,
  type RiskMatrix,
  type RiskSubstance,
} from '../../../shared/risk';

/** A stored risk, as the repository reads it (with its system's and case's references). */
export interface RiskRecord {
  /** What an acceptance accepts (shared/risk.ts, fingerprint). */
  substance: RiskSubstance;
  id: string;
  ref: string;
  systemId: string;
  systemRef: string;
  systemName: string;
  caseId: string | null;
  caseRef: string | null;
  measures: string;
  owner: string;
  reviewDate: string | null;
  inherentLevel: string | null;
  inherentRank: number | null;
  residualLevel: string;
  residualRank: number;
  updatedAt: string;
}

/** A stored acceptance of a risk: made here, or received in a package (the sender's claim). */
export interface AcceptanceRecord {
  riskId: string;
  acceptedBy: string;
  role: string;
  authority: string;
  justification: string;
  acceptedOn: string;
  expiresOn: string;
  fingerprint: string;
  origin: string;
  /** Received: the name the package gave (the acceptance is attributed to its signer). */
  claimedBy: string | null;
}

/** A risk's links, by kind. */
export interface RiskLinks {
  requirement: string[];
  finding: string[];
}

/** The record's own fields a view repeats as they are. */
type RiskRecordShown = Omit<RiskRecord, 'substance' | 'systemRef' | 'systemName'>;

export interface RiskView extends RiskSubstance, RiskRecordShown {
  /** The system's reference and name, as one text. */
  system: string;
  authority: Authority;
  acceptance: {
    /** A received acceptance this vault's criteria do not allow reads owner_/authority_not_valid. */
    status: AcceptanceStatus;
    /** Who accepted: for an acceptance received in a package, the certificate that signed it. */
    by: string | null;
    role: string | null;
    on: string | null;
    expiresOn: string | null;
    justification: string | null;
  };
  requirementIds: string[];
  findingIds: string[];
}

/** What this vault judges by: its criteria and matrix (if set), the day, and every matrix. */
export interface JudgeContext {
  criteria: RiskCriteria | null;
  matrix: RiskMatrix | null;
  day: string;
  /** Every matrix the vault can use (asked only for a risk scored on another matrix). */
  matrices: () => RiskMatrix[];
}

/** Text shown as absent when empty. */
const orNull = (v: string): string | null => (v === '' ? null : v);

/** The matrix a risk is scored on, if this vault knows it. */
function matrixOf(
  risk: RiskSubstance,
  context: Pick<JudgeContext, 'matrix' | 'matrices'>,
): RiskMatrix | undefined {
  const { matrix } = context;
  return matrix?.id === risk.matrixId
    ? matrix
    : context.matrices().find((m) => m.id === risk.matrixId);
}

/**
 * A risk's residual level on this vault's matrix (shared/risk.ts, residualIndexOn): what the
 * register shows, what an acceptance made here and one received are judged by. Null without a
 * matrix here, for a risk on a matrix this vault does not know, or without a residual level.
 */
export function residualHere(
  risk: RiskSubstance,
  context: Pick<JudgeContext, 'matrix' | 'matrices'>,
): number | null {
  const { matrix } = context;
  const riskMatrix = matrixOf(risk, context);
  return matrix && riskMatrix ? residualIndexOn(matrix, riskMatrix, risk) : null;
}

/**
 * Who may accept a risk here: by this vault's criteria, at the risk's residual level on this
 * vault's matrix (shared/risk.ts, residualIndexOn). 'none' without criteria, or for a risk on a
 * matrix this vault does not know.
 */
export function authorityHere(risk: RiskSubstance, context: JudgeContext): Authority {
  const { criteria, matrix } = context;
  const residual = residualHere(risk, context);
  return criteria && matrix && residual !== null
    ? acceptanceAuthority(matrix, criteria, residual)
    : 'none';
}

/**
 * Why an acceptance received in a package does not count here (null: it does): this vault's
 * criteria must let `role` accept the risk's residual level, on this vault's matrix, for the
 * term it runs (shared/risk.ts, acceptanceValidHere). Without criteria nothing counts.
 */
export function receivedRefusal(
  risk: RiskSubstance,
  role: string,
  acceptedOn: string,
  expiresOn: string,
  context: JudgeContext,
): ReceivedAcceptanceRefusal | null {
  const { criteria, matrix } = context;
  const riskMatrix = matrixOf(risk, context);
  if (!criteria || !matrix || !riskMatrix) {
    return 'NOT_ACCEPTABLE';
  }
  return acceptanceValidHere({
    matrix,
    criteria,
    riskMatrix,
    risk,
    role,
    acceptedOn,
    expiresOn,
    today: context.day,
  });
}

/**
 * A risk's acceptance status from its acceptances (newest first), as this vault judges them:
 * the newest acceptance valid here — made here, or received and allowed by this vault's
 * criteria (receivedRefusal) — decides, so a later claim that is not valid here never masks a
 * valid one. Without a valid one, the newest claim shows for what it is (the other side's,
 * not valid here); without any, 'none'. Returns the acceptance the status is about.
 */
export function judgeAcceptances(
  sub: RiskSubstance,
  acceptances: readonly AcceptanceRecord[],
  context: JudgeContext,
): { status: AcceptanceStatus; acceptance: AcceptanceRecord | null } {
  const statusOf = (a: AcceptanceRecord): AcceptanceStatus =>
    acceptanceStatus(sub, { fingerprint: a.fingerprint, expiresOn: a.expiresOn }, context.day);
  const validHere = (a: AcceptanceRecord) =>
    a.origin !== 'received' ||
    receivedRefusal(sub, a.role, a.acceptedOn, a.expiresOn, context) === null;
  // A current acceptance valid here stands, whatever was claimed after it.
  const current = acceptances.find((a) => validHere(a) && statusOf(a) === 'accepted');
  if (current) {
    return { status: 'accepted', acceptance: current };
  }
  const latest = acceptances[0];
  if (!latest) {
    return { status: 'none', acceptance: null };
  }
  // Nothing current counts here: a current claim is shown for what it is (the sender's, not
  // valid here); otherwise the newest acceptance valid here says why (re-accept, expired).
  const valid = acceptances.find(validHere);
  const claimed = statusOf(latest);
  if (claimed === 'accepted') {
    return {
      status: latest.role === 'accreditor' ? 'authority_not_valid' : 'owner_not_valid',
      acceptance: latest,
    };
  }
  return valid
    ? { status: statusOf(valid), acceptance: valid }
    : { status: claimed, acceptance: latest };
}

/** A risk as the register shows it: its record, who may accept it, and its acceptance judged. */
export function riskView(
  r: RiskRecord,
  links: RiskLinks | undefined,
  acceptances: readonly AcceptanceRecord[],
  context: JudgeContext,
): RiskView {
  const { status, acceptance: a } = judgeAcceptances(r.substance, acceptances, context);
  const { substance, systemRef, systemName, ...shown } = r;
  return {
    ...substance,
    ...shown,
    system: `${systemRef} ${systemName}`,
    authority: authorityHere(r.substance, context),
    acceptance: {
      status,
      by: a ? orNull(a.acceptedBy) : null,
      role: a ? orNull(a.role) : null,
      on: a ? orNull(a.acceptedOn) : null,
      expiresOn: a ? orNull(a.expiresOn) : null,
      justification: a ? orNull(a.justification) : null,
    },
    requirementIds: links?.requirement ?? [],
    findingIds: links?.finding ?? [],
  };
}

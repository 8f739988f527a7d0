/**
 * The rules of sense (issue 22): what no entry may say, however well-formed each of its fields
 * is alone — a validity that ends before it starts, has ended already or runs longer than the
 * policy allows; a verification, closing, receipt, briefing or inspection dated after today;
 * something closed before it was received or opened; a deadline already past when it is set; a
 * condition or finding naming a requirement the case does not have.
 *
 * One module for every write channel: the services call these (and through them the IPC
 * handlers and the command line), package import calls them on what a package would store, and
 * the forms call them to show a problem on its field before anything is sent. Each rule has its
 * own code; its text is `issue.<CODE>` in both languages (shared/i18n), and a problem is an issue
 * like any other (path, key, params), so it is shown on the field its path names.
 *
 * Pure: "today" is given, never read here (see `todayOf`).
 */
import { translate } from './i18n';
import { addMonths } from './risk';

/** One code per rule. Append-only, like error codes. */
export const SENSE_CODES = [
  /** A validity that ends on or before the day it starts. */
  'VALIDITY_ENDS_BEFORE_START',
  /** A validity that has ended before the day the decision is issued. */
  'VALIDITY_ENDED',
  /** A validity longer than the policy's maximum for the decision (validity.json, maximum). */
  'VALIDITY_TOO_LONG',
  /** A disposal verified on a day still to come. */
  'VERIFIED_IN_FUTURE',
  /** A disposal verified before its case was opened. */
  'VERIFIED_BEFORE_OPENED',
  /** A record closed on a day still to come. */
  'CLOSED_IN_FUTURE',
  /** A record closed before it was sent or received. */
  'CLOSED_BEFORE_RECEIVED',
  /** A closed record's sending or receipt moved after its closing. */
  'RECEIVED_AFTER_CLOSED',
  /** A record sent or received on a day still to come. */
  'RECEIVED_IN_FUTURE',
  /** A deadline (a case's, a finding's, a condition's, a record's follow-up) already past when set. */
  'DEADLINE_PASSED',
  /** A person briefed on a day still to come. */
  'BRIEFED_IN_FUTURE',
  /** A site's last inspection on a day still to come. */
  'INSPECTED_IN_FUTURE',
  /** A condition or finding naming a requirement that is not on the case's checklist. */
  'UNKNOWN_REQUIREMENT',
  /** A risk acceptance dated on a day still to come. */
  'ACCEPTED_IN_FUTURE',
  /** A risk acceptance that expires on or before the day it was given. */
  'ACCEPTANCE_ENDS_BEFORE_START',
  /** A residual risk above the inherent risk it is what remains of. */
  'RESIDUAL_ABOVE_INHERENT',
  /** A decision's condition due after the approval it belongs to has ended. */
  'CONDITION_AFTER_VALIDITY',
  /** A risk linked to a finding that is not one of the case's. */
  'UNKNOWN_FINDING',
  /** An end of validity on a decision that ends nothing (a suspension, a withdrawal, a refusal). */
  'VALIDITY_NOT_CARRIED',
  /** A reinstatement whose end of validity is not the one of the approval it restores. */
  'VALIDITY_NOT_RESTORED',
] as const;
export type SenseCode = (typeof SENSE_CODES)[number];

/** A problem found by a rule, shaped as every validation issue is (shared/i18n/issues.ts). */
export interface SenseIssue {
  /** The field, from the entry the rule was given (a wrapped request adds its wrapper). */
  path: (string | number)[];
  code: 'custom';
  /** The rule; its text is `issue.<key>`. */
  key: SenseCode;
  /** The rule's English text: what logs and the command line print. */
  message: string;
  params?: Record<string, string>;
}

/**
 * Today as the rules see it: every calendar day that is today somewhere on Earth (UTC−12 to
 * UTC+14). The core keeps days in UTC, its users do not; so an entry made late in the evening
 * is never refused as "in the future", nor an early one's deadline as "past". A day after
 * `latest` has happened nowhere yet; a day before `earliest` is over everywhere.
 */
export interface Today {
  earliest: string;
  latest: string;
}

const HOUR = 3_600_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function todayOf(now: Date): Today {
  const t = now.getTime();
  return { earliest: dayOf(t - 12 * HOUR), latest: dayOf(t + 14 * HOUR) };
}

type Path = readonly (string | number)[];

function problem(path: Path, key: SenseCode, params?: Record<string, string>): SenseIssue {
  return {
    path: [...path],
    code: 'custom',
    key,
    message: translate('en', `issue.${key}`, params),
    ...(params ? { params } : {}),
  };
}

// ---- the rules, one each -------------------------------------------------------------------

/**
 * A validity ends after it starts, has not ended on the day the decision is issued, and is no
 * longer than the policy's maximum (`maxMonths`; null: the policy sets none). One problem at
 * most, on the end date.
 */
export function validityRule(
  v: { validFrom: string; validTo: string; issuedOn: string; maxMonths: number | null },
  path: Path = ['validTo'],
): SenseIssue[] {
  if (v.validTo <= v.validFrom) {
    return [problem(path, 'VALIDITY_ENDS_BEFORE_START', { from: v.validFrom })];
  }
  if (v.validTo < v.issuedOn) {
    return [problem(path, 'VALIDITY_ENDED', { day: v.issuedOn })];
  }
  if (v.maxMonths !== null) {
    const latest = addMonths(v.validFrom, v.maxMonths);
    if (v.validTo > latest) {
      return [problem(path, 'VALIDITY_TOO_LONG', { months: String(v.maxMonths), latest })];
    }
  }
  return [];
}

/**
 * What a decision says of its approval's end (round 20k: a one-signature suspension carrying an
 * end in 2099 would have been taken, where it arrived, as the approval's): only a decision that
 * sets validity (`sets`: an approval, an amendment, a reinstatement) carries one, and a
 * reinstatement carries the end of the approval it restores (`current`, where known).
 */
export function carriedValidityRule(
  d: { type: string; validTo: string | null; sets: boolean; current: string | null },
  path: Path = ['validTo'],
): SenseIssue[] {
  if (!d.sets) {
    return d.validTo === null ? [] : [problem(path, 'VALIDITY_NOT_CARRIED', { type: d.type })];
  }
  if (d.type === 'reinstatement' && d.current !== null && d.validTo !== d.current) {
    return [problem(path, 'VALIDITY_NOT_RESTORED', { day: d.current })];
  }
  return [];
}

/** Something that has happened is not dated after today (`key` says what happened). */
export function happenedRule(
  day: string | null | undefined,
  today: Today,
  key: Extract<
    SenseCode,
    | 'VERIFIED_IN_FUTURE'
    | 'CLOSED_IN_FUTURE'
    | 'RECEIVED_IN_FUTURE'
    | 'BRIEFED_IN_FUTURE'
    | 'INSPECTED_IN_FUTURE'
    | 'ACCEPTED_IN_FUTURE'
  >,
  path: Path,
): SenseIssue[] {
  return day && day > today.latest ? [problem(path, key, { day: today.latest })] : [];
}

/** A deadline set now is not already past. */
export function deadlineRule(
  day: string | null | undefined,
  today: Today,
  path: Path,
): SenseIssue[] {
  return day && day < today.earliest
    ? [problem(path, 'DEADLINE_PASSED', { day: today.earliest })]
    : [];
}

/** Nothing ends (`day`) before it began (`began`): closed before received, verified before opened. */
export function orderRule(
  day: string | null | undefined,
  began: string | null | undefined,
  key: Extract<SenseCode, 'CLOSED_BEFORE_RECEIVED' | 'VERIFIED_BEFORE_OPENED'>,
  path: Path,
): SenseIssue[] {
  return day && began && day < began ? [problem(path, key, { day: began })] : [];
}

/** A closed record's sending or receipt (`day`) is not after its closing (`closedOn`). */
export function beforeClosingRule(
  day: string | null | undefined,
  closedOn: string | null | undefined,
  path: Path,
): SenseIssue[] {
  return day && closedOn && day > closedOn
    ? [problem(path, 'RECEIVED_AFTER_CLOSED', { day: closedOn })]
    : [];
}

/** A requirement named by a condition or finding is on the case's checklist. */
export function requirementRule(
  id: string | null | undefined,
  requirements: ReadonlySet<string>,
  path: Path,
): SenseIssue[] {
  return id && !requirements.has(id) ? [problem(path, 'UNKNOWN_REQUIREMENT', { id })] : [];
}

/** A finding a risk is linked to is one of the case's (or, for a system's risk, the system's). */
export function findingRule(
  id: string | null | undefined,
  findings: ReadonlySet<string>,
  path: Path,
): SenseIssue[] {
  return id && !findings.has(id) ? [problem(path, 'UNKNOWN_FINDING', { id })] : [];
}

// ---- the entries each channel writes -------------------------------------------------------

/** A condition of a decision: its deadline, and the requirement it answers. */
export function conditionSense(
  c: { dueDate?: string | null; requirementId?: string | null },
  ctx: { today: Today; requirements: ReadonlySet<string> },
  path: Path,
): SenseIssue[] {
  return [
    ...deadlineRule(c.dueDate, ctx.today, [...path, 'dueDate']),
    ...requirementRule(c.requirementId, ctx.requirements, [...path, 'requirementId']),
  ];
}

/**
 * A decision as it would be issued: its validity (when it carries one: `validTo`, from
 * `validFrom`, issued today) and each condition.
 */
export function decisionSense(
  d: {
    validFrom: string;
    validTo: string | null;
    conditions: readonly { dueDate?: string | null; requirementId?: string | null }[];
  },
  ctx: { today: Today; maxMonths: number | null; requirements: ReadonlySet<string> },
): SenseIssue[] {
  return [
    ...(d.validTo
      ? validityRule({
          validFrom: d.validFrom,
          validTo: d.validTo,
          issuedOn: ctx.today.earliest,
          maxMonths: ctx.maxMonths,
        })
      : []),
    ...d.conditions.flatMap((c, i) => {
      const own = conditionSense(c, ctx, ['conditions', i]);
      // A condition is met while the approval stands: not due after it has ended.
      return own.length || !d.validTo || !c.dueDate || c.dueDate <= d.validTo
        ? own
        : [problem(['conditions', i, 'dueDate'], 'CONDITION_AFTER_VALIDITY', { day: d.validTo })];
    }),
  ];
}

/** How a disposal was verified: not in the future, not before the case was opened. */
export function disposalSense(
  d: { verifiedOn: string },
  ctx: { today: Today; openedOn: string },
): SenseIssue[] {
  const path = ['verifiedOn'];
  const future = happenedRule(d.verifiedOn, ctx.today, 'VERIFIED_IN_FUTURE', path);
  return future.length
    ? future
    : orderRule(d.verifiedOn, ctx.openedOn, 'VERIFIED_BEFORE_OPENED', path);
}

/**
 * A record as created or corrected: sent and received not after today (nor after its closing,
 * if it is closed); its follow-up, when it is set or changed, not already past. `before` is the
 * record as stored (for a correction): an unchanged follow-up that has since passed is overdue,
 * not wrong.
 */
export function recordSense(
  r: { sentOn?: string | null; receivedOn?: string | null; followUpDue?: string | null },
  ctx: { today: Today; before?: { followUpDue: string | null; closedOn: string | null } },
): SenseIssue[] {
  const happened = (field: 'sentOn' | 'receivedOn') => {
    const future = happenedRule(r[field], ctx.today, 'RECEIVED_IN_FUTURE', [field]);
    return future.length ? future : beforeClosingRule(r[field], ctx.before?.closedOn, [field]);
  };
  const changed = (r.followUpDue ?? null) !== (ctx.before?.followUpDue ?? null);
  return [
    ...happened('sentOn'),
    ...happened('receivedOn'),
    ...(changed ? deadlineRule(r.followUpDue, ctx.today, ['followUpDue']) : []),
  ];
}

/** Closing a record: not on a day still to come, nor before it was sent or received. */
export function closingSense(
  c: { closedOn: string },
  ctx: { today: Today; sentOn: string | null; receivedOn: string | null },
): SenseIssue[] {
  const path = ['closedOn'];
  const future = happenedRule(c.closedOn, ctx.today, 'CLOSED_IN_FUTURE', path);
  const began = [ctx.sentOn, ctx.receivedOn]
    .filter((x): x is string => Boolean(x))
    .sort()
    .at(-1);
  return future.length ? future : orderRule(c.closedOn, began, 'CLOSED_BEFORE_RECEIVED', path);
}

/** A person: briefed not after today. */
export function personSense(p: { briefedOn?: string | null }, ctx: { today: Today }) {
  return happenedRule(p.briefedOn, ctx.today, 'BRIEFED_IN_FUTURE', ['briefedOn']);
}

/** A site: inspected last not after today. */
export function siteSense(s: { lastInspection?: string | null }, ctx: { today: Today }) {
  return happenedRule(s.lastInspection, ctx.today, 'INSPECTED_IN_FUTURE', ['lastInspection']);
}

/** A case being opened: its deadline not already past. */
export function caseSense(c: { deadline?: string | null }, ctx: { today: Today }) {
  return deadlineRule(c.deadline, ctx.today, ['deadline']);
}

/**
 * A finding (or condition) recorded on a case: its deadline not already past, its requirement
 * on the case's checklist.
 */
export function findingSense(
  f: { dueDate?: string | null; requirementId?: string | null },
  ctx: { today: Today; requirements: ReadonlySet<string> },
): SenseIssue[] {
  return conditionSense(f, ctx, []);
}

/** A risk acceptance: given not after today, expiring after it was given. */
export function acceptanceSense(
  a: { acceptedOn?: string | null; expiresOn?: string | null },
  ctx: { today: Today },
  path: Path = [],
): SenseIssue[] {
  const future = happenedRule(a.acceptedOn, ctx.today, 'ACCEPTED_IN_FUTURE', [
    ...path,
    'accepted_on',
  ]);
  if (future.length) {
    return future;
  }
  return a.expiresOn && a.acceptedOn && a.expiresOn <= a.acceptedOn
    ? [problem([...path, 'expires_on'], 'ACCEPTANCE_ENDS_BEFORE_START', { day: a.acceptedOn })]
    : [];
}

/**
 * A risk's residual level is not above its inherent level: what remains after treatment is
 * never more than there was (levels as the matrix orders them, lowest first).
 */
export function residualRule(
  inherent: { index: number; id: string } | null,
  residual: { index: number; id: string },
  path: Path = ['residualLikelihood'],
): SenseIssue[] {
  return inherent && residual.index > inherent.index
    ? [problem(path, 'RESIDUAL_ABOVE_INHERENT', { level: inherent.id })]
    : [];
}

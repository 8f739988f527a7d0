/**
 * The rules of sense (shared/sense.ts) where the core writes: today from the core's clock, the
 * policy's longest validities, a refusal as a validation failure naming each field — and the
 * check package import makes of what a decision package would store.
 */
import type { Database } from 'sql.js';
import { AppError } from '../../shared/errors';
import { APPROVING, type DecisionType } from '../../shared/lifecycle';
import { IsoDate } from '../../shared/register';
import {
  acceptanceSense,
  carriedValidityRule,
  deadlineRule,
  requirementRule,
  todayOf,
  validityRule,
  type SenseIssue,
  type Today,
} from '../../shared/sense';
import { queryRows, text } from '../db/query';
import { storedReviewDate } from '../areas/risks/repository';
import { approvalActedOn } from '../areas/decisions/repository';
import { SETS_VALIDITY } from '../../shared/decisions';
import type { DecisionContent, SubmissionContent } from '../exchange/content';
import { now } from './clock';
import { validityPolicy } from './policy';

/** Today as the rules see it, by the core's clock. */
export function senseToday(): Today {
  return todayOf(now());
}

/** Refuses the write when a rule found a problem: VALIDATION_FAILED, each problem on its field. */
export function refuseNonsense(
  issues: readonly SenseIssue[],
  message = 'The entry says something that cannot be',
): void {
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', message, { issues: [...issues] });
  }
}

/**
 * The longest validity (months) of a decision of `type` (validity.json, maximum): an approving
 * type's own; an amendment's is that of the approval it amends (`amends`); null for decisions
 * that choose no validity.
 */
export function maximumMonths(type: DecisionType, amends: DecisionType | null): number | null {
  const { maximum } = validityPolicy();
  if (APPROVING.includes(type)) {
    return maximum[type] ?? null;
  }
  if (type === 'amendment' && amends && APPROVING.includes(amends)) {
    return maximum[amends] ?? null;
  }
  return null;
}

/** The requirements on a case's checklist. */
export function caseRequirements(db: Database, caseId: string): Set<string> {
  return new Set(
    queryRows(db, 'SELECT requirement_id FROM checklist_items WHERE case_id = ?', [caseId]).map(
      (r) => text(r.requirement_id),
    ),
  );
}

/** The type of the latest approving decision issued on a case (what an amendment amends). */
export function approvalType(db: Database, caseId: string): DecisionType | null {
  const row = queryRows(
    db,
    `SELECT type FROM decisions WHERE case_id = ? AND status = 'issued'
       AND type IN (${APPROVING.map(() => '?').join(', ')}) ORDER BY rowid DESC LIMIT 1`,
    [caseId, ...APPROVING],
  )[0];
  return row ? (text(row.type) as DecisionType) : null;
}

/** Today as it was at an instant a package states (its own clock's), or now if it states none. */
function todayAt(instant: unknown): Today {
  const at = typeof instant === 'string' ? Date.parse(instant) : NaN;
  return todayOf(Number.isNaN(at) ? now() : new Date(at));
}

/**
 * What a decision package would store, held to the rules of sense: each decision this vault
 * does not have yet (its validity, as of the day it was issued), and each finding or condition
 * it adds or whose deadline it moves (its deadline, as of the day the finding was made; its
 * requirement on the case's checklist here); each risk's review date where it is new or moved,
 * and each acceptance (given not after, expiring after it was given), as of the day the package
 * was made (`madeAt`, its signed `createdAt`: never ahead of the receiver's clock, nor before the
 * signer's newest package here). The same rules as a submission's (submissionPackageSense).
 * The problems, each at its place in the package.
 */
export function decisionPackageSense(
  db: Database,
  caseId: string,
  content: Pick<DecisionContent, 'decisions' | 'findings' | 'risks' | 'acceptances'>,
  madeAt: string,
): SenseIssue[] {
  // The rules compare days: what is no day at all is malformed, before any rule is asked.
  const days: [string, unknown][] = [
    ...content.decisions.flatMap((d, n): [string, unknown][] => [
      [`decisions.${n}.valid_from`, d.valid_from],
      [`decisions.${n}.valid_to`, d.valid_to],
    ]),
    ...content.findings.map((f, n): [string, unknown] => [`findings.${n}.due_date`, f.due_date]),
    ...content.risks.map((r, n): [string, unknown] => [`risks.${n}.review_date`, r.review_date]),
    ...content.acceptances.flatMap((a, n): [string, unknown][] => [
      [`acceptances.${n}.accepted_on`, a.accepted_on],
      [`acceptances.${n}.expires_on`, a.expires_on],
    ]),
  ];
  refuseMalformedDays(days);
  const known = new Set(
    queryRows(db, 'SELECT id FROM decisions WHERE case_id = ?', [caseId]).map((r) => text(r.id)),
  );
  const issues: SenseIssue[] = [];
  let approved = approvalType(db, caseId);
  // The approval's end as the decisions before each one left it.
  let current = approvalActedOn(db, caseId)?.validTo ?? null;
  for (const [n, d] of content.decisions.entries()) {
    const sets = SETS_VALIDITY.includes(d.type);
    const validTo = typeof d.valid_to === 'string' ? d.valid_to : null;
    if (!known.has(d.id)) {
      issues.push(
        ...carriedValidityRule({ type: d.type, validTo, sets, current }, [
          'decisions',
          n,
          'valid_to',
        ]),
      );
    }
    if (sets && validTo !== null) {
      current = validTo;
    }
    if (!known.has(d.id) && typeof d.valid_to === 'string') {
      const issuedOn = todayAt(d.created_at).earliest;
      const validFrom = typeof d.valid_from === 'string' ? d.valid_from : issuedOn;
      issues.push(
        ...validityRule(
          {
            validFrom,
            validTo: d.valid_to,
            issuedOn,
            maxMonths: maximumMonths(d.type, approved),
          },
          ['decisions', n, 'valid_to'],
        ),
      );
    }
    if (APPROVING.includes(d.type)) {
      approved = d.type;
    }
  }
  const requirements = caseRequirements(db, caseId);
  for (const [n, f] of content.findings.entries()) {
    const before = queryRows(db, 'SELECT due_date FROM findings WHERE id = ?', [f.id])[0];
    const due = typeof f.due_date === 'string' ? f.due_date : null;
    if (!before || (before.due_date ?? null) !== due) {
      issues.push(...deadlineRule(due, todayAt(f.created_at), ['findings', n, 'due_date']));
    }
    issues.push(
      ...requirementRule(
        typeof f.requirement_id === 'string' ? f.requirement_id : null,
        requirements,
        ['findings', n, 'requirement_id'],
      ),
    );
  }
  const made = todayAt(madeAt);
  const day = (v: unknown) => (typeof v === 'string' ? v : null);
  for (const [n, r] of content.risks.entries()) {
    const before = queryRows(db, 'SELECT review_date FROM risks WHERE id = ?', [r.id])[0];
    if (!before || day(before.review_date) !== day(r.review_date)) {
      issues.push(...deadlineRule(day(r.review_date), made, ['risks', n, 'review_date']));
    }
  }
  for (const [n, a] of content.acceptances.entries()) {
    issues.push(
      ...acceptanceSense(
        { acceptedOn: day(a.accepted_on), expiresOn: day(a.expires_on) },
        { today: made },
        ['acceptances', n],
      ),
    );
  }
  return issues;
}

/** Refuses a package whose `days` (place, value) hold something that is not a day (MALFORMED). */
function refuseMalformedDays(days: readonly [string, unknown][]): void {
  for (const [path, value] of days) {
    if (value !== null && value !== undefined && !IsoDate.safeParse(value).success) {
      throw new AppError('PACKAGE_REJECTED', `Package rejected: MALFORMED (${path})`, {
        reason: 'MALFORMED',
        detail: `${path} is not a date`,
      });
    }
  }
}

/**
 * What a submission would store, held to the rules of sense as of the day it is imported (the
 * owner's clock is its own to set, so its claimed time moves no deadline): a new case's
 * deadline, a new system's next review, each risk's review date where it is new or moved, not
 * already past; each acceptance given not after today and expiring after it was given. The
 * days are days first (MALFORMED). The problems, each at its place in the package.
 */
export function submissionPackageSense(
  db: Database,
  content: Pick<SubmissionContent, 'case' | 'system' | 'risks' | 'acceptances' | 'evidence'>,
): SenseIssue[] {
  refuseMalformedDays([
    ['case.deadline', content.case.deadline],
    ['system.next_review', content.system.next_review],
    ...content.risks.map((r, n): [string, unknown] => [`risks.${n}.review_date`, r.review_date]),
    ...content.acceptances.flatMap((a, n): [string, unknown][] => [
      [`acceptances.${n}.accepted_on`, a.accepted_on],
      [`acceptances.${n}.expires_on`, a.expires_on],
    ]),
    ...content.evidence.map((e, n): [string, unknown] => [
      `evidence.${n}.effective_date`,
      e.effective_date,
    ]),
  ]);
  const today = senseToday();
  const issues: SenseIssue[] = [];
  const stored = (sql: string, id: string) => queryRows(db, sql, [id])[0] ?? null;
  const day = (v: unknown) => (typeof v === 'string' ? v : null);
  const caseBefore = stored('SELECT deadline FROM cases WHERE id = ?', content.case.id);
  if (!caseBefore) {
    issues.push(...deadlineRule(content.case.deadline, today, ['case', 'deadline']));
  }
  const systemBefore = stored('SELECT 1 AS x FROM systems WHERE id = ?', content.system.id);
  if (!systemBefore) {
    issues.push(...deadlineRule(content.system.next_review, today, ['system', 'next_review']));
  }
  for (const [n, r] of content.risks.entries()) {
    const before = storedReviewDate(db, r.id);
    if (!before || day(before.reviewDate) !== day(r.review_date)) {
      issues.push(...deadlineRule(day(r.review_date), today, ['risks', n, 'review_date']));
    }
  }
  for (const [n, a] of content.acceptances.entries()) {
    issues.push(
      ...acceptanceSense(
        { acceptedOn: day(a.accepted_on), expiresOn: day(a.expires_on) },
        { today },
        ['acceptances', n],
      ),
    );
  }
  return issues;
}

/** A package refused for what it would store: PACKAGE_REJECTED (IMPOSSIBLE_CONTENT), each place named. */
export function refuseImpossiblePackage(issues: readonly SenseIssue[]): void {
  const first = issues[0];
  if (first) {
    const detail = `${first.path.join('.')}: ${first.message}`;
    throw new AppError('PACKAGE_REJECTED', `Package rejected: IMPOSSIBLE_CONTENT (${detail})`, {
      reason: 'IMPOSSIBLE_CONTENT',
      detail,
      issues: [...issues],
    });
  }
}

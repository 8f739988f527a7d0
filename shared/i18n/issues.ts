/**
 * Validation problems in the user's language: each issue the core reports (a zod issue, or one
 * of the core's own checks) becomes a sentence for the field it names. The core's messages are
 * English and stable; a known one maps to its key, the rest by the issue's code. No raw
 * validator text reaches a screen.
 */
import { translate, type Language, type MessageKey } from './index';

export interface Issue {
  /** Where: the field's path (an imported file's checks may give it as one string). */
  path: readonly (string | number)[] | string;
  code?: string;
  message?: string;
  /** The core's own check: the message key (without `issue.`) and its values. */
  key?: string;
  params?: Record<string, string | number>;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** The fixed messages of the shared schemas and the core's checks, by their English text. */
const BY_MESSAGE: Record<string, string> = {
  'a date as YYYY-MM-DD': 'date',
  'not a real date': 'realDate',
  'a date between 1950 and 2100': 'dateRange',
  'the next inspection comes after the last': 'order',
  'valid to comes after valid from': 'order',
  'letters, digits, dot, dash or underscore': 'refChars',
  'at least one information domain with its maximum level': 'levels',
  'each domain once': 'domainOnce',
  'name the other end': 'peer',
  'refers to something that does not exist': 'missingRef',
  'refers to an entry that is retired': 'retiredRef',
  'components of the system are still at this site': 'siteInUse',
  'stays with its system: retire it and add it to the other': 'staysWithSystem',
  'accreditor only': 'accreditorOnly',
  'not a level of the matrix': 'matrixLevel',
};

export function issueText(language: Language, issue: Issue): string {
  const key = issue.key ?? (issue.message ? BY_MESSAGE[issue.message] : undefined) ?? byCode(issue);
  return translate(language, `issue.${key}` as MessageKey, {
    ...issue.params,
    // A bound is a number, written as the language writes numbers (8.000 in Danish).
    min: bound(issue.minimum),
    max: bound(issue.maximum),
  });
}

function bound(value: number | bigint | undefined): string | number {
  return typeof value === 'number' ? value : String(value ?? '');
}

function byCode(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'required'
        : issue.origin === 'array'
          ? 'tooFew'
          : issue.origin === 'string'
            ? 'tooShort'
            : 'tooSmall';
    case 'too_big':
      return issue.origin === 'string'
        ? 'tooLong'
        : issue.origin === 'array'
          ? 'tooMany'
          : 'tooBig';
    case 'invalid_type':
      return 'required';
    case 'invalid_format':
    case 'invalid_string':
      return pathOf(issue).endsWith('email') ? 'email' : 'format';
    case 'invalid_value':
    case 'invalid_enum_value':
    case 'invalid_union':
      return 'choice';
    default:
      return 'invalid';
  }
}

/** The request members that carry the entry a form edits (see shared/contract). */
const WRAPPERS = new Set([
  'input',
  'closing',
  'site',
  'system',
  'update',
  'finding',
  'meta',
  'decision',
  'disposal',
]);

/** An issue's path inside the entry a form edits (a request's wrapper taken off). */
function entryPath(issue: Issue): (string | number)[] {
  const path: (string | number)[] = typeof issue.path === 'string' ? [issue.path] : [...issue.path];
  return path.length > 1 && WRAPPERS.has(String(path[0])) ? path.slice(1) : path;
}

/** Issues by the field they name (the first segment of the path), in the user's language. */
export function issuesByField(
  language: Language,
  issues: readonly Issue[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) {
    // A request that wraps its entry ({ id, input }) names the entry's field after the wrapper.
    const field = String(entryPath(issue)[0] ?? '');
    out[field] ??= issueText(language, issue);
  }
  return out;
}

/**
 * Issues by their whole path inside the entry ("conditions.0.dueDate"), in the user's language:
 * for a form with rows, each row's field gets its own problem.
 */
export function issuesByPath(
  language: Language,
  issues: readonly Issue[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) {
    out[entryPath(issue).join('.')] ??= issueText(language, issue);
  }
  return out;
}

/** An issue's path as text: "requirements.0.severity". */
export function pathOf(issue: Issue): string {
  return Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path);
}

/**
 * Field-level errors, built once for every form (issue 22): a failed call's problems are put on
 * the field they name — a validation's issues by their path (electron/ipc/dispatch.ts), a rule of
 * sense by its own code and path (shared/sense.ts), a refusal that belongs to one field (a wrong
 * PIN, a folder in use) by the form's own table — in the user's language, on the step where the
 * field is, scrolled into view and focused. What names no field of the form is said once above
 * the form's button, and focused there, so no problem goes unsaid.
 *
 * Usage: `const form = useFormErrors()`, `<form {...form.element} data-form="name">`, each field
 * `error={form.error('path')}`, `<FormProblem form={form} />` near the button, and
 * `form.show(result.error)` / `form.clear()` around the call.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import {
  errorMessage,
  reasonMessage,
  translate,
  type Language,
  type MessageKey,
} from '../../shared/i18n';
import { issuesByPath, type Issue } from '../../shared/i18n/issues';
import type { ErrorInfo } from '../../shared/result';
import { useLanguage } from './stores/preferences';

export interface FormErrorsOptions {
  /** Refusals other than a validation that belong to one field: the code and the field's path. */
  codes?: Partial<Record<ErrorCode, string>>;
  /**
   * Called with the paths of the problems before they are shown: a form in steps goes to the step
   * that holds the first of them (so its message is never on another step).
   */
  reveal?: (paths: string[]) => void;
  /** A form of one field (a file to check): every refusal that names no field is said there. */
  field?: string;
  /**
   * Where the form's values sit in the call (`countersign` in `{ caseId, countersign }`): the
   * contract's issues name `countersign.reason`, the service's `reason`; both are the field `reason`.
   */
  within?: string;
  /**
   * The form's own words for a refusal that names no field (a lifecycle refusal said as the step
   * the user took), or null for the general wording: what was refused, and why.
   */
  describe?: (refusal: Refusal) => string | null;
}

type Refusal = Pick<ErrorInfo, 'code' | 'details'>;

/** A refusal in words: what was refused, then why when the core gave a reason. */
function refusalText(language: Language, refusal: Refusal): string {
  const why = reasonMessage(language, refusal.code, refusal.details);
  const what = errorMessage(language, refusal.code);
  return why ? `${what} ${translate(language, 'reason', { why })}` : what;
}

interface Shown {
  issues: readonly Issue[];
  /** A refusal on one field: by `codes`, or a message the form names (`showOn`). */
  coded:
    | { path: string; refusal: Refusal }
    | { path: string; key: MessageKey; params?: Record<string, string | number> }
    | null;
  /** A refusal that names no field. */
  general: Refusal | null;
  /** Counts the times problems were shown: each time brings them into view again. */
  n: number;
}

const NONE: Shown = { issues: [], coded: null, general: null, n: 0 };

export interface FormErrors {
  /** What the form element takes: `<form {...form.element}>` (its callback ref). */
  element: { ref: (form: HTMLFormElement | null) => void };
  /** The problem of a field (or of any field under it: `levels` gets `levels.0.level`). */
  error: (path: string) => string | undefined;
  /** Shows a failed call's problems on their fields. */
  show: (error: Pick<ErrorInfo, 'code' | 'details'>) => void;
  /** Shows problems the form found itself (the rules of sense, before anything is sent). */
  showIssues: (issues: readonly Issue[]) => void;
  /** Shows one message on one field (a refusal whose reason belongs to that field). */
  showOn: (path: string, key: MessageKey, params?: Record<string, string | number>) => void;
  clear: () => void;
  /** What no field of the form took: the general message and any issue left unplaced. */
  problem: string | null;
  /** Whether a problem is being shown. */
  failed: boolean;
}

const under = (key: string, path: string) => key === path || key.startsWith(`${path}.`);

export function useFormErrors(options: FormErrorsOptions = {}): FormErrors {
  const language = useLanguage();
  // The form element, held as state (not a ref): what is drawn from it is read in effects only.
  const [element, ref] = useState<HTMLFormElement | null>(null);
  const [shown, setShown] = useState<Shown>(NONE);
  // Issue texts the form's fields did not show (measured after the form is drawn).
  const [unplaced, setUnplaced] = useState<readonly string[]>([]);
  const { codes, reveal, field: only, describe, within } = options;

  const messages = useMemo(() => {
    const byPath = issuesByPath(language, shown.issues);
    const coded = shown.coded;
    if (coded) {
      byPath[coded.path] ??=
        'refusal' in coded
          ? refusalText(language, coded.refusal)
          : translate(language, coded.key, coded.params);
    }
    return byPath;
  }, [language, shown]);

  const error = useCallback(
    (path: string) => {
      const key = Object.keys(messages).find((k) => under(k, path));
      return key === undefined ? undefined : messages[key];
    },
    [messages],
  );

  const present = useCallback(
    (next: Omit<Shown, 'n'>) => {
      const paths = [...issuesPaths(next.issues), ...(next.coded ? [next.coded.path] : [])];
      if (paths.length > 0) {
        reveal?.(paths);
      }
      setUnplaced([]);
      setShown((s) => ({ ...next, n: s.n + 1 }));
    },
    [reveal],
  );

  const show = useCallback(
    (failure: Pick<ErrorInfo, 'code' | 'details'>) => {
      const issues = Array.isArray(failure.details?.issues)
        ? (failure.details.issues as Issue[]).map((issue) => inside(issue, within))
        : [];
      const field = codes?.[failure.code] ?? only;
      const refusal = { code: failure.code, details: failure.details };
      if (issues.length > 0) {
        present({ issues, coded: null, general: null });
      } else if (field !== undefined) {
        present({ issues: [], coded: { path: field, refusal }, general: null });
      } else {
        present({ issues: [], coded: null, general: refusal });
      }
    },
    [codes, only, within, present],
  );

  const showIssues = useCallback(
    (issues: readonly Issue[]) => present({ issues, coded: null, general: null }),
    [present],
  );

  const showOn = useCallback(
    (path: string, key: MessageKey, params?: Record<string, string | number>) =>
      present({ issues: [], coded: { path, key, ...(params ? { params } : {}) }, general: null }),
    [present],
  );

  const clear = useCallback(() => {
    setUnplaced([]);
    setShown((s) => ({ ...NONE, n: s.n }));
  }, []);

  useEffect(() => {
    const form = element;
    if (shown.n === 0 || !form) {
      return;
    }
    // Which texts did the form's fields show? The rest is said above the button.
    const onFields = [...form.querySelectorAll('.field__error')].map((e) => e.textContent ?? '');
    const left = Object.values(messages).filter(
      (text) => !onFields.some((shownText) => shownText.includes(text)),
    );
    // Measured from the drawn form, so it can only be known here (a second draw at most).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setUnplaced((before) => (sameList(before, left) ? before : left));
    // The first field with a problem, else the form's own message: into view, and focused.
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.querySelector<HTMLElement>('[data-form-problem]');
    target?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
    // Once per showing (and again once the unplaced part is drawn).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown.n, unplaced.length]);

  const generalText = shown.general
    ? (describe?.(shown.general) ?? refusalText(language, shown.general))
    : null;
  const problem = [generalText, ...unplaced].filter(Boolean).join(' ') || null;
  const attach = useMemo(() => ({ ref }), []);
  return {
    element: attach,
    error,
    show,
    showIssues,
    showOn,
    clear,
    problem,
    failed: shown.general !== null || shown.coded !== null || shown.issues.length > 0,
  };
}

/** An issue's path taken from under the object the form's values sit in (`within`). */
function inside(issue: Issue, within: string | undefined): Issue {
  const path = issue.path;
  if (within === undefined) {
    return issue;
  }
  if (typeof path === 'string') {
    return path.startsWith(`${within}.`)
      ? { ...issue, path: path.slice(within.length + 1) }
      : issue;
  }
  return path.length > 1 && path[0] === within ? { ...issue, path: path.slice(1) } : issue;
}

function issuesPaths(issues: readonly Issue[]): string[] {
  return Object.keys(issuesByPath('en', issues));
}

function sameList(a: readonly string[], b: readonly string[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The form's message for what no field took; focusable, so the form can bring it into view. */
/**
 * A form's submission of one call: busy while it runs; then, done, the form marked clean and
 * `done` called, or the failure shown on its fields (the text the user typed kept).
 */
export function useSubmit(
  form: Pick<FormErrors, 'clear' | 'show'>,
  { clean, done }: { clean: () => void; done: () => void },
): {
  busy: boolean;
  submit: (
    call: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>,
    after?: () => void,
  ) => void;
} {
  const [busy, setBusy] = useState(false);
  const submit = (
    call: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>,
    after?: () => void,
  ) => {
    setBusy(true);
    form.clear();
    void call().then((result) => {
      setBusy(false);
      after?.();
      if (result.ok) {
        form.clear();
        clean();
        done();
      } else {
        form.show(result.error);
      }
    });
  };
  return { busy, submit };
}

export function FormProblem({ form }: { form: Pick<FormErrors, 'problem'> }) {
  return form.problem ? (
    <p className="form-error" role="alert" tabIndex={-1} data-form-problem="">
      {form.problem}
    </p>
  ) : null;
}

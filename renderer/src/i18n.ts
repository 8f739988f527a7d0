import { useCallback, useMemo } from 'react';
import { translate, type MessageKey } from '../../shared/i18n';
import {
  issueText,
  issuesByField,
  issuesByPath,
  pathOf,
  type Issue,
} from '../../shared/i18n/issues';
import { useLanguage } from './stores/preferences';

/** The translation function for the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useLanguage();
  return useCallback((key, params) => translate(language, key, params), [language]);
}

/**
 * Validation problems from the core in the user's language: by field (for a form), or each as
 * "path: text" (for an imported file's report).
 */
export function useIssues() {
  const language = useLanguage();
  return useMemo(() => {
    const list = (error: { details?: Record<string, unknown> } | null | undefined) =>
      (error?.details?.issues ?? []) as Issue[];
    return {
      list,
      byField: (error: { details?: Record<string, unknown> } | null | undefined) =>
        issuesByField(language, list(error)),
      /** By whole path ("conditions.0.dueDate"): a form with rows; also the core's own checks run here. */
      byPath: (issues: readonly Issue[]) => issuesByPath(language, issues),
      lines: (error: { details?: Record<string, unknown> } | null | undefined) =>
        list(error).map((i) => `${pathOf(i)}: ${issueText(language, i)}`),
    };
  }, [language]);
}

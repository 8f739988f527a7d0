import { useCallback } from 'react';
import { translate, type MessageKey } from '../../shared/i18n';
import { useLanguage } from './stores/preferences';

/** The translation function for the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useLanguage();
  return useCallback((key, params) => translate(language, key, params), [language]);
}

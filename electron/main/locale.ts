/** The locale Chromium runs in (no `electron` import: tested in plain Node). */
import type { Preferences } from '../../shared/contract';
import { LOCALES } from '../../shared/i18n';

/**
 * Native controls (a date field's day.month.year, the spell checker) follow Chromium's locale,
 * which is set once, before the app is ready: the chosen language applies to them from the
 * next start.
 */
export function applyLocale(
  commandLine: { appendSwitch: (name: string, value: string) => void },
  preferences: Pick<Preferences, 'language'>,
): void {
  commandLine.appendSwitch('lang', LOCALES[preferences.language]);
}

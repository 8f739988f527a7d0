import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { PACKAGE_REASONS } from '../../shared/exchange';
import { errorMessage, messageKeys, translate } from '../../shared/i18n';
import { da } from '../../shared/i18n/da';
import { en } from '../../shared/i18n/en';

describe('translations', () => {
  it('Danish and English have the same keys and no empty text', () => {
    expect(Object.keys(da).sort()).toEqual(Object.keys(en).sort());
    for (const key of messageKeys()) {
      expect(translate('da', key).trim(), key).not.toBe('');
      expect(translate('en', key).trim(), key).not.toBe('');
    }
  });

  it('every error code has a message in both languages, and they differ', () => {
    for (const code of ERROR_CODES) {
      expect(errorMessage('en', code)).not.toBe(errorMessage('da', code));
    }
  });

  it('every reason a package is refused for reads differently, in both languages', () => {
    for (const language of ['da', 'en'] as const) {
      const texts = PACKAGE_REASONS.map((r) => translate(language, `package.reason.${r}`));
      expect(new Set(texts).size, language).toBe(PACKAGE_REASONS.length);
    }
    // No text for a reason the reader no longer gives.
    const known = new Set(PACKAGE_REASONS.map((r) => `package.reason.${r}`));
    expect(Object.keys(en).filter((k) => k.startsWith('package.reason.') && !known.has(k))).toEqual(
      [],
    );
  });

  it('navigation labels are actually translated', () => {
    expect(translate('da', 'nav.systems')).toBe('Systemer');
    expect(translate('en', 'nav.systems')).toBe('Systems');
  });
});

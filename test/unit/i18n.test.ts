import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
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

  it('navigation labels are actually translated', () => {
    expect(translate('da', 'nav.systems')).toBe('Systemer');
    expect(translate('en', 'nav.systems')).toBe('Systems');
  });
});

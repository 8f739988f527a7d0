import { LANGUAGES, type Language } from '../../../shared/i18n';
import { useT } from '../i18n';
import { useLanguage, usePreferences } from '../stores/preferences';

export function Settings() {
  const t = useT();
  const language = useLanguage();
  const setLanguage = usePreferences((s) => s.setLanguage);
  return (
    <fieldset className="field-group">
      <legend>{t('settings.language')}</legend>
      <p className="help" id="language-help">
        {t('settings.language.help')}
      </p>
      {LANGUAGES.map((lang: Language) => (
        <label key={lang} className="radio">
          <input
            type="radio"
            name="language"
            value={lang}
            checked={language === lang}
            aria-describedby="language-help"
            onChange={() => void setLanguage(lang)}
          />
          <span lang={lang}>{t(`settings.language.${lang}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

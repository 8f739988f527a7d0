import { passphraseStrength, type Strength } from '../../../shared/passphrase';
import { useT } from '../i18n';

/** Live feedback on a passphrase, judged by the same rule the core enforces. */
export function StrengthMeter({ passphrase, context }: { passphrase: string; context: string[] }) {
  const t = useT();
  if (passphrase.length === 0) {
    return null;
  }
  const strength: Strength = passphraseStrength(passphrase, context);
  return (
    <div className="strength" data-testid="strength" aria-live="polite">
      <div className="strength__bar" data-score={strength.score}>
        <span style={{ width: `${(strength.score + 1) * 20}%` }} />
      </div>
      <p>
        {t('strength.label')}: <strong>{t(`strength.${strength.score}`)}</strong>.{' '}
        {strength.acceptable
          ? t('strength.ok')
          : strength.issues.map((i) => t(`strength.${i}`)).join(' ')}
      </p>
    </div>
  );
}

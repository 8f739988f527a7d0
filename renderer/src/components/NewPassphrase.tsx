/** A new passphrase, its live strength feedback, and the repeat field that must match. */
import { passphraseStrength } from '../../../shared/passphrase';
import { useT } from '../i18n';
import { Field } from './Field';
import { StrengthMeter } from './StrengthMeter';

interface NewPassphraseProps {
  label: string;
  value: string;
  repeat: string;
  onChange: (value: string) => void;
  onRepeat: (value: string) => void;
  /** Words the passphrase must not lean on (the user's name, organisation). */
  context?: string[];
}

export function NewPassphrase({
  label,
  value,
  repeat,
  onChange,
  onRepeat,
  context = [],
}: NewPassphraseProps) {
  const t = useT();
  return (
    <>
      <Field
        label={label}
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="new-password"
        name="new-passphrase"
      />
      <StrengthMeter passphrase={value} context={context} />
      <Field
        label={t('vault.passphrase.repeat')}
        type="password"
        value={repeat}
        onChange={(e) => onRepeat(e.target.value)}
        error={repeat && repeat !== value ? t('vault.passphrase.mismatch') : null}
        autoComplete="new-password"
        name="repeat-passphrase"
      />
    </>
  );
}

/** Whether the pair can be submitted: strong enough, and repeated exactly. */
export function newPassphraseReady(value: string, repeat: string, context: string[] = []): boolean {
  return repeat === value && passphraseStrength(value, context).acceptable;
}

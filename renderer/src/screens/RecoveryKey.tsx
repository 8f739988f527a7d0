/** Step 3 of creating a vault: the recovery key, shown once, confirmed by typing two groups. */
import { useState, type FormEvent } from 'react';
import type { ErrorCode } from '../../../shared/errors';
import { errorMessage } from '../../../shared/i18n';
import { callRaw } from '../api';
import { Field } from '../components/Field';
import { useT } from '../i18n';
import { useLanguage } from '../stores/preferences';
import { useVault } from '../stores/vault';

export function RecoveryKey({ groups }: { groups: number[] }) {
  const t = useT();
  const language = useLanguage();
  const recoveryKey = useVault((s) => s.recoveryKey);
  const applyStatus = useVault((s) => s.applyStatus);
  const setRecoveryKey = useVault((s) => s.setRecoveryKey);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [error, setError] = useState<ErrorCode | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('vault:confirmRecoveryKey', {
      answers: groups.map((group) => ({ group, text: answers[group] ?? '' })),
    });
    if (r.ok) {
      setRecoveryKey(null);
      applyStatus(r.value);
    } else {
      setError(r.error.code);
    }
  }

  return (
    <div className="gate">
      <h1>{t('vault.create.step3')}</h1>
      <section className="panel" aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t('recovery.title')}</h2>
        <p>{t('recovery.intro')}</p>
        {recoveryKey ? (
          <p className="recovery-key" data-testid="recovery-key">
            {recoveryKey}
          </p>
        ) : null}
        <form onSubmit={(e) => void submit(e)}>
          <p>{t('recovery.confirmIntro', { a: groups[0] ?? 0, b: groups[1] ?? 0 })}</p>
          {groups.map((group) => (
            <Field
              key={group}
              label={t('recovery.group', { n: group })}
              value={answers[group] ?? ''}
              onChange={(e) => setAnswers({ ...answers, [group]: e.target.value })}
              autoComplete="off"
              spellCheck={false}
              maxLength={9}
            />
          ))}
          {error ? (
            <p className="form-error" role="alert">
              {errorMessage(language, error)}
            </p>
          ) : null}
          <button type="submit">{t('recovery.confirm')}</button>
        </form>
      </section>
    </div>
  );
}

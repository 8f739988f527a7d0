/**
 * The recovery key, shown until it is confirmed by typing two groups back: step 3 of creating a
 * vault, and after a re-key (a new passphrase or a new recovery key).
 */
import { useState, type FormEvent } from 'react';
import { callRaw } from '../api';
import { Field } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLoad } from '../load';
import { useVault } from '../stores/vault';

export function RecoveryKey({ groups }: { groups: number[] }) {
  const t = useT();
  const given = useVault((s) => s.recoveryKey);
  // A vault just created has an audit trail of one row; a re-keyed one has more.
  const created = useVault((s) => (s.status?.audit?.rows ?? 0) <= 1);
  const applyStatus = useVault((s) => s.applyStatus);
  const setRecoveryKey = useVault((s) => s.setRecoveryKey);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [copied, setCopied] = useState(false);
  const profile = useVault((s) => s.status?.profile);
  // After a reload (or a re-key) the key is fetched again from the core, which keeps it in
  // memory only until it is confirmed.
  const pending = useLoad(() => (given ? null : callRaw('vault:pendingRecoveryKey', {})), [given]);
  const recoveryKey = given ?? pending.data?.recoveryKey ?? null;
  const form = useFormErrors({ codes: { WRONG_RECOVERY_KEY: 'answers' } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('vault:confirmRecoveryKey', {
      answers: groups.map((group) => ({ group, text: answers[group] ?? '' })),
    });
    if (r.ok) {
      setRecoveryKey(null);
      applyStatus(r.value);
    } else {
      form.show(r.error);
    }
  }

  return (
    <div className="gate">
      <h1>{t(created ? 'vault.create.step3' : 'recovery.new')}</h1>
      <section className="panel" aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t('recovery.title')}</h2>
        <p>{t('recovery.intro')}</p>
        {recoveryKey ? (
          <>
            <p className="recovery-key" data-testid="recovery-key">
              {recoveryKey}
            </p>
            <div className="toolbar">
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void navigator.clipboard
                    .writeText(recoveryKey)
                    .then(() => setCopied(true))
                    .catch(() => setCopied(false))
                }
              >
                {t('recovery.copy')}
              </button>
              <button type="button" className="secondary" onClick={() => window.print()}>
                {t('recovery.print')}
              </button>
              {copied ? <span role="status">{t('recovery.copied')}</span> : null}
            </div>
            {/* The printed page: one sheet, marked, with nothing else of the screen on it. */}
            <section className="print-sheet" aria-hidden="true" data-testid="recovery-sheet">
              <p className="print-sheet__marking">{t('recovery.sheet.marking')}</p>
              <h1>{t('recovery.sheet.title')}</h1>
              <p>
                {t('recovery.sheet.vault', {
                  name: profile?.name ?? '—',
                  organisation: profile?.organisation ?? '—',
                  date: new Date().toISOString().slice(0, 10),
                })}
              </p>
              <p className="print-sheet__key">{recoveryKey}</p>
              <p>{t('recovery.sheet.keep')}</p>
              <p className="print-sheet__marking">{t('recovery.sheet.marking')}</p>
            </section>
          </>
        ) : null}
        <form {...form.element} data-form="recovery-confirm" onSubmit={(e) => void submit(e)}>
          <p>{t('recovery.confirmIntro', { a: groups[0] ?? 0, b: groups[1] ?? 0 })}</p>
          {groups.map((group, i) => (
            <Field
              key={group}
              // A wrong answer is said on the first group (the core does not say which).
              error={i === 0 ? form.error('answers') : undefined}
              label={t('recovery.group', { n: group })}
              value={answers[group] ?? ''}
              onChange={(e) => setAnswers({ ...answers, [group]: e.target.value })}
              autoComplete="off"
              spellCheck={false}
              maxLength={9}
            />
          ))}
          <FormProblem form={form} />
          <button type="submit">{t('recovery.confirm')}</button>
        </form>
      </section>
    </div>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { LANGUAGES, type Language, type MessageKey } from '../../../shared/i18n';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { ConfirmButton } from '../components/Confirm';
import { Field } from '../components/Field';
import { NewPassphrase, newPassphraseReady } from '../components/NewPassphrase';
import { useFormat } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLanguage, usePreferences } from '../stores/preferences';
import { useLevelLabel } from '../stores/register';
import { useVault } from '../stores/vault';
import { ReferenceData } from './ReferenceData';
import { SigningIdentities } from './Signing';

function LanguageChoice() {
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

function IdleLock() {
  const t = useT();
  const current = usePreferences((s) => s.prefs?.idleLockMinutes ?? 10);
  const load = usePreferences((s) => s.load);
  const [minutes, setMinutes] = useState(String(current));
  const [message, setMessage] = useState<string | null>(null);
  const form = useFormErrors();
  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('prefs:set', { idleLockMinutes: Number(minutes) });
    if (r.ok) {
      form.clear();
      setMessage(t('settings.saved'));
    } else {
      setMessage(null);
      form.show(r.error);
    }
    await load();
  }
  return (
    <form
      {...form.element}
      data-form="idle-lock"
      onSubmit={(e) => void submit(e)}
      className="field-group"
      noValidate
    >
      <Field
        label={t('settings.idle')}
        help={t('settings.idle.help')}
        type="number"
        min={1}
        max={240}
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        error={form.error('idleLockMinutes')}
      />
      <FormProblem form={form} />
      <button type="submit">{t('settings.save')}</button>
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}

/** The progress of a re-key (every evidence file sealed again), as it is reported. */
function useRekeyProgress(): { done: number; total: number } | null {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(
    () =>
      window.workbench.on('task:progress', (p) => {
        if (p.task === 'rekey') {
          setProgress({ done: p.done, total: p.total });
        }
      }),
    [],
  );
  return progress;
}

/**
 * Changing the passphrase re-keys the vault: a new data key, every evidence file sealed again,
 * the older generations removed, and a new recovery key to write down (the old one stops
 * working). The new key is shown, then confirmed, like at creation.
 */
function ChangePassphrase() {
  const t = useT();
  const applyStatus = useVault((s) => s.applyStatus);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const form = useFormErrors({ codes: { WRONG_PASSPHRASE: 'current' } });
  const [busy, setBusy] = useState(false);
  const progress = useRekeyProgress();
  async function submit(event?: FormEvent) {
    event?.preventDefault();
    form.clear();
    setBusy(true);
    const r = await callRaw('vault:changePassphrase', { current, next });
    setBusy(false);
    if (r.ok) {
      setCurrent('');
      setNext('');
      setRepeat('');
      applyStatus(r.value);
    } else {
      form.show(r.error);
    }
  }
  return (
    <form
      {...form.element}
      data-form="passphrase-change"
      onSubmit={(e) => void submit(e)}
      className="field-group"
      aria-label={t('settings.changePassphrase')}
    >
      <h3>{t('settings.changePassphrase')}</h3>
      <Field
        label={t('settings.currentPassphrase')}
        type="password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        autoComplete="current-password"
        error={form.error('current')}
      />
      <NewPassphrase
        label={t('settings.newPassphrase')}
        value={next}
        repeat={repeat}
        onChange={setNext}
        onRepeat={setRepeat}
      />
      <p className="help">{t('settings.rekey.help')}</p>
      <FormProblem form={form} />
      {busy ? (
        <progress
          max={progress?.total || 1}
          value={progress?.done ?? 0}
          aria-label={t('settings.rekey.progress')}
        />
      ) : null}
      <ConfirmButton
        label={t('settings.changePassphrase')}
        disabled={busy || !current || !newPassphraseReady(next, repeat)}
        impact={<p>{t('settings.rekey.impact')}</p>}
        onConfirm={() => submit()}
      />
    </form>
  );
}

/** A new recovery key: the vault is re-keyed under the same passphrase; the old key stops working. */
function NewRecoveryKey() {
  const t = useT();
  const applyStatus = useVault((s) => s.applyStatus);
  const [current, setCurrent] = useState('');
  const form = useFormErrors({ codes: { WRONG_PASSPHRASE: 'current' } });
  const [busy, setBusy] = useState(false);
  const progress = useRekeyProgress();
  const issue = () => {
    form.clear();
    setBusy(true);
    return callRaw('vault:newRecoveryKey', { current }).then((r) => {
      setBusy(false);
      setCurrent('');
      if (r.ok) {
        applyStatus(r.value);
      } else {
        form.show(r.error);
      }
    });
  };
  return (
    <form
      {...form.element}
      data-form="recovery-key-new"
      onSubmit={(e) => {
        e.preventDefault();
      }}
      className="field-group"
      aria-label={t('settings.newRecoveryKey')}
    >
      <h3>{t('settings.newRecoveryKey')}</h3>
      <p className="help">{t('settings.newRecoveryKey.help')}</p>
      <Field
        label={t('settings.currentPassphrase')}
        type="password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        autoComplete="current-password"
        error={form.error('current')}
      />
      <FormProblem form={form} />
      {busy ? (
        <progress
          max={progress?.total || 1}
          value={progress?.done ?? 0}
          aria-label={t('settings.rekey.progress')}
        />
      ) : null}
      <ConfirmButton
        label={t('settings.newRecoveryKey')}
        disabled={busy || !current}
        typed={t('settings.newRecoveryKey.word')}
        impact={<p>{t('settings.newRecoveryKey.impact')}</p>}
        onConfirm={issue}
      />
    </form>
  );
}

function RecoveryStatus() {
  const t = useT();
  const format = useFormat();
  const recovery = useVault((s) => s.status?.recoveryKey);
  if (!recovery) {
    return null;
  }
  const date = recovery.createdAt ? format.time(recovery.createdAt) : '';
  return (
    <p data-testid="recovery-status">
      <strong>{t('recovery.status')}:</strong>{' '}
      {!recovery.present
        ? t('recovery.status.absent')
        : recovery.confirmed
          ? t('recovery.status.confirmed', { date })
          : t('recovery.status.unconfirmed', { date })}
    </p>
  );
}

/** The accreditation policy in force (data shipped in resources/, read-only here). */
function Policy() {
  const t = useT();
  const label = useLevelLabel();
  const { data: policy } = useLoad(() => callRaw('settings:policy', {}), []);
  if (!policy) {
    return null;
  }
  const types = (list: readonly string[]) =>
    list.map((x) => t(`decisionType.${x}` as MessageKey)).join(', ');
  return (
    <section className="field-group" aria-labelledby="settings-policy" data-testid="policy">
      <h2 id="settings-policy">{t('policy.title')}</h2>
      <p className="help">{t('policy.help')}</p>
      <ul>
        <li>
          {t(
            policy.approval.verdictOnEveryRequirement
              ? 'policy.verdicts.on'
              : 'policy.verdicts.off',
          )}
        </li>
        <li>
          {t(
            policy.approval.partialNeedsRiskOrCondition
              ? 'policy.partial.on'
              : 'policy.partial.off',
          )}
        </li>
        <li>
          {t('policy.validity', {
            list: Object.entries(policy.validity.default)
              .map(([type, months]) => `${t(`decisionType.${type}` as MessageKey)}: ${months}`)
              .join(', '),
          })}
        </li>
        <li>
          {t('policy.maximum', {
            list: Object.entries(policy.validity.maximum)
              .map(([type, months]) => `${t(`decisionType.${type}` as MessageKey)}: ${months}`)
              .join(', '),
          })}
        </li>
        <li>{t('policy.due', { months: policy.validity.reaccreditationDueMonths })}</li>
        {policy.fourEyes.map((rule, i) => (
          <li key={i}>
            {t('policy.fourEyes', { types: types(rule.types), level: label(rule.fromLevel) })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every keyboard shortcut of the app, where it works. */
function Shortcuts() {
  const t = useT();
  const rows: [string, MessageKey][] = [
    ['J / K', 'keys.checklistMove'],
    ['1–6', 'keys.checklistStatus'],
    ['X', 'keys.checklistSelect'],
    ['← / →', 'keys.tabs'],
    ['Enter / ␣', 'keys.heatmap'],
    ['Esc', 'keys.cancel'],
    ['Tab / Shift+Tab', 'keys.focus'],
  ];
  return (
    <section className="field-group" aria-labelledby="settings-keys" data-testid="shortcuts">
      <h2 id="settings-keys">{t('keys.title')}</h2>
      <dl className="facts">
        {rows.map(([keys, what]) => (
          <div key={keys} className="facts__row">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{t(what)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Settings() {
  const t = useT();
  return (
    <div className="stack">
      <LanguageChoice />
      <section className="field-group" aria-labelledby="settings-vault">
        <h2 id="settings-vault">{t('settings.vault')}</h2>
        <RecoveryStatus />
        <IdleLock />
        <ChangePassphrase />
        <NewRecoveryKey />
      </section>
      <SigningIdentities />
      <Policy />
      <Shortcuts />
      <ReferenceData />
    </div>
  );
}

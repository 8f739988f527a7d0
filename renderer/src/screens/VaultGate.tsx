/**
 * Shown whenever no vault is unlocked: unlock (with recent vaults), create (a three-step
 * wizard), open with the recovery key, and restore a previous generation when the vault file
 * itself cannot be opened. Errors are shown where the user acts, translated from their code.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Profile } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import { errorMessage, LANGUAGES } from '../../../shared/i18n';
import { REF_PREFIX, suggestPrefix } from '../../../shared/references';
import { callRaw } from '../api';
import { Field } from '../components/Field';
import { NewPassphrase, newPassphraseReady } from '../components/NewPassphrase';
import { useFormat } from '../format';
import { useT } from '../i18n';
import { useLanguage, usePreferences } from '../stores/preferences';
import { useVault } from '../stores/vault';

type Tab = 'unlock' | 'create' | 'recover';
const DAMAGED: ErrorCode[] = [
  'CORRUPTED_HEADER',
  'CORRUPTED_BODY',
  'TRUNCATED',
  'CORRUPTED_CONTENT',
];

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function ErrorText({ code }: { code: ErrorCode | null }) {
  const language = useLanguage();
  if (!code) {
    return null;
  }
  return (
    <p className="form-error" role="alert" data-code={code}>
      {errorMessage(language, code)}
    </p>
  );
}

function FolderField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
}) {
  const t = useT();
  const [canBrowse, setCanBrowse] = useState(false);
  useEffect(() => {
    void callRaw('app:diagnostics', {}).then((r) =>
      setCanBrowse(r.ok && r.value.runtime === 'electron'),
    );
  }, []);
  return (
    <div className="folder-field">
      <Field
        label={t('vault.folder')}
        help={t('vault.folder.help')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        autoComplete="off"
        spellCheck={false}
        name="folder"
      />
      {canBrowse ? (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void callRaw('vault:pickFolder', {}).then(
              (r) => r.ok && r.value.folder && onChange(r.value.folder),
            )
          }
        >
          {t('vault.folder.browse')}
        </button>
      ) : null}
    </div>
  );
}

function Restore({ folder }: { folder: string }) {
  const t = useT();
  const format = useFormat();
  const applyStatus = useVault((s) => s.applyStatus);
  const [generations, setGenerations] = useState<
    { generation: number; size: number; modifiedAt: string }[] | null
  >(null);
  const [passphrase, setPassphrase] = useState('');
  const [chosen, setChosen] = useState(1);
  const [error, setError] = useState<ErrorCode | null>(null);
  useEffect(() => {
    void callRaw('vault:generations', { folder }).then((r) => {
      if (r.ok) {
        setGenerations(r.value.generations);
        setChosen(r.value.generations[0]?.generation ?? 1);
      }
    });
  }, [folder]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('vault:restore', { folder, generation: chosen, passphrase });
    if (r.ok) {
      applyStatus(r.value);
    } else {
      setError(r.error.code);
    }
  }
  return (
    <section className="panel" aria-labelledby="restore-title">
      <h2 id="restore-title">{t('restore.title')}</h2>
      <p>{t('restore.intro')}</p>
      {generations && generations.length === 0 ? <p>{t('restore.none')}</p> : null}
      {generations && generations.length > 0 ? (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset className="field-group">
            <legend>{t('restore.title')}</legend>
            {generations.map((g) => (
              <label key={g.generation} className="radio">
                <input
                  type="radio"
                  name="generation"
                  checked={chosen === g.generation}
                  onChange={() => setChosen(g.generation)}
                />
                {t('restore.generation', {
                  n: g.generation,
                  date: format.time(g.modifiedAt),
                  size: `${Math.ceil(g.size / 1024)} KiB`,
                })}
              </label>
            ))}
          </fieldset>
          <Field
            label={t('vault.passphrase')}
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="current-password"
          />
          <ErrorText code={error} />
          <button type="submit">{t('restore.submit')}</button>
        </form>
      ) : null}
    </section>
  );
}

function Unlock() {
  const t = useT();
  const recent = usePreferences((s) => s.prefs?.recentVaults ?? []);
  const applyStatus = useVault((s) => s.applyStatus);
  const lastFolder = useVault((s) => s.status?.folder ?? null);
  const [folder, setFolder] = useState(lastFolder ?? recent[0] ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [damagedFolder, setDamagedFolder] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const r = await callRaw('vault:unlock', { folder: folder.trim(), passphrase });
    setBusy(false);
    if (r.ok) {
      setPassphrase('');
      applyStatus(r.value);
      return;
    }
    setError(r.error.code);
    setDamagedFolder(DAMAGED.includes(r.error.code) ? folder.trim() : null);
  }

  return (
    <>
      <form onSubmit={(e) => void submit(e)} className="panel" aria-label={t('vault.tab.unlock')}>
        {recent.length > 0 ? (
          <fieldset className="field-group">
            <legend>{t('vault.recent')}</legend>
            <ul className="recent">
              {recent.map((f) => (
                <li key={f}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setFolder(f)}
                    aria-pressed={f === folder}
                  >
                    {f}
                  </button>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        <FolderField value={folder} onChange={setFolder} />
        <Field
          label={t('vault.passphrase')}
          type="password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          autoComplete="current-password"
          name="passphrase"
        />
        <ErrorText code={error} />
        <button type="submit" disabled={busy || !folder || !passphrase}>
          {busy ? t('vault.unlocking') : t('vault.unlock')}
        </button>
      </form>
      {damagedFolder ? <Restore folder={damagedFolder} /> : null}
    </>
  );
}

function Create() {
  const t = useT();
  const applyStatus = useVault((s) => s.applyStatus);
  const setRecoveryKey = useVault((s) => s.setRecoveryKey);
  const [step, setStep] = useState<1 | 2>(1);
  const [folder, setFolder] = useState('');
  const [profile, setProfile] = useState<Profile>({
    name: '',
    organisation: '',
    role: 'accreditor',
  });
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);

  const folderError =
    touched && !folder.trim()
      ? t('vault.required')
      : touched && !isAbsolutePath(folder.trim())
        ? t('vault.folder.absolute')
        : null;
  const nameError = touched && !profile.name.trim() ? t('vault.required') : null;
  const orgError = touched && !profile.organisation.trim() ? t('vault.required') : null;
  // The prefix of the vault's references: the organisation's initials unless the user types one.
  const [prefix, setPrefix] = useState('');
  const referencePrefix = prefix.trim() || suggestPrefix(profile.organisation);
  const prefixError =
    touched && !REF_PREFIX.test(referencePrefix) ? t('vault.create.prefixInvalid') : null;
  const context = [profile.name, profile.organisation];
  const ready = newPassphraseReady(passphrase, repeat, context);

  function next(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (
      folder.trim() &&
      isAbsolutePath(folder.trim()) &&
      profile.name.trim() &&
      profile.organisation.trim() &&
      REF_PREFIX.test(referencePrefix)
    ) {
      setStep(2);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) {
      return;
    }
    setBusy(true);
    setError(null);
    const r = await callRaw('vault:create', {
      folder: folder.trim(),
      passphrase,
      profile: { ...profile, referencePrefix },
    });
    setBusy(false);
    if (r.ok) {
      setRecoveryKey(r.value.recoveryKey);
      applyStatus(r.value.status);
    } else {
      setError(r.error.code);
    }
  }

  if (step === 1) {
    return (
      <form onSubmit={next} className="panel" aria-label={t('vault.create.step1')} noValidate>
        <h2>{t('vault.create.step1')}</h2>
        <FolderField value={folder} onChange={setFolder} error={folderError} />
        <Field
          label={t('vault.create.name')}
          value={profile.name}
          onChange={(e) => setProfile({ ...profile, name: e.target.value })}
          error={nameError}
          autoComplete="name"
          name="name"
        />
        <Field
          label={t('vault.create.organisation')}
          value={profile.organisation}
          onChange={(e) => setProfile({ ...profile, organisation: e.target.value })}
          error={orgError}
          autoComplete="organization"
          name="organisation"
        />
        <Field
          label={t('vault.create.prefix')}
          help={t('vault.create.prefixHelp', { example: `${referencePrefix}-CASE-2026-0001` })}
          value={prefix}
          placeholder={suggestPrefix(profile.organisation)}
          onChange={(e) => setPrefix(e.target.value.toUpperCase())}
          error={prefixError}
          name="referencePrefix"
          maxLength={10}
        />
        <fieldset className="field-group">
          <legend>{t('vault.create.role')}</legend>
          <p className="help">{t('vault.create.roleHelp')}</p>
          {(['accreditor', 'system_owner'] as const).map((role) => (
            <label key={role} className="radio">
              <input
                type="radio"
                name="role"
                checked={profile.role === role}
                onChange={() => setProfile({ ...profile, role })}
              />
              {t(`vault.role.${role}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('vault.create.next')}</button>
      </form>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="panel" aria-label={t('vault.create.step2')}>
      <h2>{t('vault.create.step2')}</h2>
      <NewPassphrase
        label={t('vault.passphrase')}
        value={passphrase}
        repeat={repeat}
        onChange={setPassphrase}
        onRepeat={setRepeat}
        context={context}
      />
      <ErrorText code={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setStep(1)}>
          {t('vault.create.back')}
        </button>
        <button type="submit" disabled={busy || !ready}>
          {busy ? t('vault.create.creating') : t('vault.create.submit')}
        </button>
      </div>
    </form>
  );
}

function Recover() {
  const t = useT();
  const applyStatus = useVault((s) => s.applyStatus);
  const recent = usePreferences((s) => s.prefs?.recentVaults ?? []);
  const [folder, setFolder] = useState(recent[0] ?? '');
  const [recoveryKey, setKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const ready = newPassphraseReady(passphrase, repeat);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const r = await callRaw('vault:recover', {
      folder: folder.trim(),
      recoveryKey,
      newPassphrase: passphrase,
    });
    setBusy(false);
    if (r.ok) {
      applyStatus(r.value);
    } else {
      setError(r.error.code);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="panel" aria-label={t('vault.tab.recover')}>
      <FolderField value={folder} onChange={setFolder} />
      <Field
        label={t('recovery.key')}
        help={t('recovery.key.help')}
        value={recoveryKey}
        onChange={(e) => setKey(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        name="recovery-key"
      />
      <NewPassphrase
        label={t('recovery.newPassphrase')}
        value={passphrase}
        repeat={repeat}
        onChange={setPassphrase}
        onRepeat={setRepeat}
      />
      <ErrorText code={error} />
      <button type="submit" disabled={busy || !folder || !recoveryKey || !ready}>
        {t('recovery.submit')}
      </button>
    </form>
  );
}

/** Why the vault locked (after the idle time, by the user, by the system), while it is locked. */
function LockReason() {
  const t = useT();
  const locked = useVault((s) => s.status?.locked ?? null);
  if (!locked) {
    return null;
  }
  return (
    <p className="gate__reason" role="status" data-testid="lock-reason">
      {locked.reason === 'idle'
        ? t('vault.lockedBy.idle', { minutes: locked.minutes ?? 0 })
        : t(`vault.lockedBy.${locked.reason}`)}
      {locked.kept ? ` ${t('vault.lockedBy.kept')}` : null}
    </p>
  );
}

export function VaultGate() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('unlock');
  const tabs: Tab[] = ['unlock', 'create', 'recover'];
  const language = useLanguage();
  const setLanguage = usePreferences((s) => s.setLanguage);
  return (
    <div className="gate">
      {/* The language is chosen before anything else: no one unlocks in a language they do not read. */}
      <div className="segmented gate__language" role="group" aria-label={t('settings.language')}>
        {LANGUAGES.map((lang) => (
          <button
            key={lang}
            type="button"
            lang={lang}
            aria-pressed={language === lang}
            className={language === lang ? 'tab tab--active' : 'tab'}
            onClick={() => void setLanguage(lang)}
          >
            {t(`settings.language.${lang}`)}
          </button>
        ))}
      </div>
      <h1>{t('vault.gate.title')}</h1>
      <LockReason />
      <p className="help">{t('vault.gate.intro')}</p>
      <div className="tabs" role="group" aria-label={t('vault.gate.title')}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            className={tab === name ? 'tab tab--active' : 'tab'}
            aria-pressed={tab === name}
            onClick={() => setTab(name)}
          >
            {t(`vault.tab.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'unlock' ? <Unlock /> : tab === 'create' ? <Create /> : <Recover />}
    </div>
  );
}

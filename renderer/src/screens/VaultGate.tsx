/**
 * Shown whenever no vault is unlocked: unlock (with recent vaults), create (a three-step
 * wizard), open with the recovery key, and restore a previous generation when the vault file
 * itself cannot be opened. Errors are shown where the user acts, translated from their code.
 */
import { useState, type FormEvent } from 'react';
import type { Profile } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import { LANGUAGES } from '../../../shared/i18n';
import { TEXT_MAX } from '../../../shared/limits';
import { REF_PREFIX, suggestPrefix } from '../../../shared/references';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { Field } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
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
  const { data } = useLoad(() => callRaw('app:diagnostics', {}), []);
  const canBrowse = data?.runtime === 'electron';
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
            void call('vault:pickFolder', {}).then((r) => r?.folder && onChange(r.folder))
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
  const { data } = useLoad(() => callRaw('vault:generations', { folder }), [folder]);
  const generations = data?.generations ?? null;
  const [passphrase, setPassphrase] = useState('');
  // The generation the user picked in this folder; until then, the newest.
  const [picked, setPicked] = useState<{ folder: string; generation: number } | null>(null);
  const chosen =
    picked?.folder === folder ? picked.generation : (generations?.[0]?.generation ?? 1);
  const setChosen = (generation: number) => setPicked({ folder, generation });
  const form = useFormErrors({ codes: { WRONG_PASSPHRASE: 'passphrase' } });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('vault:restore', { folder, generation: chosen, passphrase });
    if (r.ok) {
      applyStatus(r.value);
    } else {
      form.show(r.error);
    }
  }
  return (
    <section className="panel" aria-labelledby="restore-title">
      <h2 id="restore-title">{t('restore.title')}</h2>
      <p>{t('restore.intro')}</p>
      {generations && generations.length === 0 ? <p>{t('restore.none')}</p> : null}
      {generations && generations.length > 0 ? (
        <form {...form.element} data-form="vault-restore" onSubmit={(e) => void submit(e)}>
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
            error={form.error('passphrase')}
          />
          <FormProblem form={form} />
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
  const form = useFormErrors({
    codes: { WRONG_PASSPHRASE: 'passphrase', VAULT_NOT_FOUND: 'folder' },
  });
  const [damagedFolder, setDamagedFolder] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    form.clear();
    const r = await callRaw('vault:unlock', { folder: folder.trim(), passphrase });
    setBusy(false);
    if (r.ok) {
      setPassphrase('');
      applyStatus(r.value);
      return;
    }
    form.show(r.error);
    setDamagedFolder(DAMAGED.includes(r.error.code) ? folder.trim() : null);
  }

  return (
    <>
      <form
        {...form.element}
        data-form="vault-unlock"
        onSubmit={(e) => void submit(e)}
        className="panel"
        aria-label={t('vault.tab.unlock')}
      >
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
        <FolderField value={folder} onChange={setFolder} error={form.error('folder')} />
        <Field
          label={t('vault.passphrase')}
          type="password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          autoComplete="current-password"
          name="passphrase"
          error={form.error('passphrase')}
        />
        <FormProblem form={form} />
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
  // The core's problems on the step where their field is: the folder and the profile on step 1.
  const form = useFormErrors({
    codes: { VAULT_EXISTS: 'folder', FOLDER_NOT_WRITABLE: 'folder' },
    reveal: (paths) => {
      if (paths.some((p) => p === 'folder' || p.startsWith('profile'))) {
        setStep(1);
      }
    },
  });

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
      form.clear();
      setStep(2);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) {
      return;
    }
    setBusy(true);
    form.clear();
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
      form.show(r.error);
    }
  }

  if (step === 1) {
    return (
      <form
        {...form.element}
        data-form="vault-create"
        onSubmit={next}
        className="panel"
        aria-label={t('vault.create.step1')}
        noValidate
      >
        <h2>{t('vault.create.step1')}</h2>
        <FolderField
          value={folder}
          onChange={setFolder}
          error={folderError ?? form.error('folder')}
        />
        <Field
          label={t('vault.create.name')}
          value={profile.name}
          onChange={(e) => setProfile({ ...profile, name: e.target.value })}
          error={nameError ?? form.error('profile.name')}
          limit={TEXT_MAX.name}
          autoComplete="name"
          name="name"
        />
        <Field
          label={t('vault.create.organisation')}
          value={profile.organisation}
          onChange={(e) => setProfile({ ...profile, organisation: e.target.value })}
          error={orgError ?? form.error('profile.organisation')}
          limit={TEXT_MAX.organisation}
          autoComplete="organization"
          name="organisation"
        />
        <Field
          label={t('vault.create.prefix')}
          help={t('vault.create.prefixHelp', { example: `${referencePrefix}-CASE-2026-0001` })}
          value={prefix}
          placeholder={suggestPrefix(profile.organisation)}
          onChange={(e) => setPrefix(e.target.value.toUpperCase())}
          error={prefixError ?? form.error('profile.referencePrefix')}
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
        <FormProblem form={form} />
        <button type="submit">{t('vault.create.next')}</button>
      </form>
    );
  }
  return (
    <form
      {...form.element}
      data-form="vault-create-passphrase"
      onSubmit={(e) => void submit(e)}
      className="panel"
      aria-label={t('vault.create.step2')}
    >
      <h2>{t('vault.create.step2')}</h2>
      <NewPassphrase
        label={t('vault.passphrase')}
        value={passphrase}
        repeat={repeat}
        onChange={setPassphrase}
        onRepeat={setRepeat}
        context={context}
      />
      <FormProblem form={form} />
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
  const form = useFormErrors({
    codes: { WRONG_RECOVERY_KEY: 'recoveryKey', VAULT_NOT_FOUND: 'folder' },
  });
  const ready = newPassphraseReady(passphrase, repeat);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    form.clear();
    const r = await callRaw('vault:recover', {
      folder: folder.trim(),
      recoveryKey,
      newPassphrase: passphrase,
    });
    setBusy(false);
    if (r.ok) {
      applyStatus(r.value);
    } else {
      form.show(r.error);
    }
  }
  return (
    <form
      {...form.element}
      data-form="vault-recover"
      onSubmit={(e) => void submit(e)}
      className="panel"
      aria-label={t('vault.tab.recover')}
    >
      <FolderField value={folder} onChange={setFolder} error={form.error('folder')} />
      <Field
        label={t('recovery.key')}
        help={t('recovery.key.help')}
        value={recoveryKey}
        onChange={(e) => setKey(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        name="recovery-key"
        error={form.error('recoveryKey')}
      />
      <NewPassphrase
        label={t('recovery.newPassphrase')}
        value={passphrase}
        repeat={repeat}
        onChange={setPassphrase}
        onRepeat={setRepeat}
      />
      <FormProblem form={form} />
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

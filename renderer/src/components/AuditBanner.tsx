/**
 * The vault's trail, under the title while a vault is open: read-only with the first break
 * (its row, what was expected there and what was found) until an accreditor records a signed
 * explanation (the form is here); a kept generation the vault file does not reach (rollback
 * suspected); a re-key an earlier process left unfinished, finished or undone at this unlock.
 * Edits made meanwhile are refused by the core (VAULT_READ_ONLY) and shown as any error is.
 */
import { useState, type FormEvent } from 'react';
import type { MessageKey } from '../../../shared/i18n';
import { TEXT_MAX } from '../../../shared/limits';
import { callRaw } from '../api';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLoad } from '../load';
import { useVault } from '../stores/vault';
import { Field, SelectField, TextAreaField } from './Field';

/** A hash as it fits a line: its first 16 hex digits (the whole in the tooltip). */
function short(hash: string): string {
  return /^[0-9a-f]{64}$/.test(hash) ? `${hash.slice(0, 16)}…` : hash;
}

function ExplainForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const applyStatus = useVault((s) => s.applyStatus);
  const { data: listing } = useLoad(() => callRaw('identities:list', {}), []);
  const identities = (listing?.identities ?? [])
    .filter((i) => i.usage === 'signing' && !i.expired)
    .map((i) => ({ id: i.id, label: i.label, token: i.kind === 'pkcs11' }));
  // The identity the user chose; until then, the first that can sign.
  const [picked, setIdentityId] = useState('');
  const identityId = picked || (identities[0]?.id ?? '');
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const form = useFormErrors({ codes: { WRONG_PIN: 'pin', PIN_LOCKED: 'pin' } });
  const [busy, setBusy] = useState(false);
  const chosen = identities.find((i) => i.id === identityId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const r = await callRaw('vault:explainBreak', {
      text,
      identityId,
      ...(chosen?.token ? { pin } : {}),
    });
    setBusy(false);
    setPin('');
    if (r.ok) {
      form.clear();
      applyStatus(r.value.status);
      onDone();
    } else {
      form.show(r.error);
    }
  }

  if (!identities.length) {
    return <p>{t('audit.explain.noIdentity')}</p>;
  }
  return (
    <form
      {...form.element}
      data-form="audit-explain"
      className="audit-explain"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <TextAreaField
        label={t('audit.explain.text')}
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={form.error('text')}
        limit={TEXT_MAX.reason}
      />
      <SelectField
        label={t('audit.explain.identity')}
        value={identityId}
        onChange={(e) => setIdentityId(e.target.value)}
        error={form.error('identityId')}
      >
        {identities.map((i) => (
          <option key={i.id} value={i.id}>
            {i.label}
          </option>
        ))}
      </SelectField>
      {chosen?.token ? (
        <Field
          label={t('audit.explain.pin')}
          type="password"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          error={form.error('pin')}
        />
      ) : null}
      <FormProblem form={form} />
      <button type="submit" disabled={busy || !text.trim() || !identityId}>
        {t('audit.explain.submit')}
      </button>
    </form>
  );
}

export function AuditBanner() {
  const t = useT();
  const status = useVault((s) => s.status);
  const [explaining, setExplaining] = useState(false);
  if (status?.state !== 'unlocked') {
    return null;
  }
  const broken = status.readOnly;
  return (
    <>
      {broken ? (
        <div className="audit-alert" role="alert" data-testid="read-only-banner">
          <p title={`${broken.expected} / ${broken.found}`}>
            {broken.reason === 'ROLLBACK_SUSPECTED' && broken.restored
              ? t('audit.readOnlyRestored', { row: broken.row, expected: short(broken.expected) })
              : broken.reason === 'ROLLBACK_SUSPECTED'
                ? t('audit.readOnlyRollback', {
                    row: broken.row,
                    expected: short(broken.expected),
                    found: short(broken.found),
                  })
                : t('audit.readOnly', {
                    row: broken.row,
                    kind: t(`audit.breakKind.${broken.kind}` as MessageKey),
                    expected: short(broken.expected),
                    found: short(broken.found),
                  })}
          </p>
          <details open={explaining} onToggle={(e) => setExplaining(e.currentTarget.open)}>
            <summary>{t('audit.explain.title')}</summary>
            {explaining ? <ExplainForm onDone={() => setExplaining(false)} /> : null}
          </details>
        </div>
      ) : status.audit && !status.audit.intact ? (
        <p className="audit-alert" role="alert">
          {t('audit.broken', { seq: status.audit.brokenAt ?? 0 })}
        </p>
      ) : null}
      {(status.rollback ?? []).map((r) => (
        <p
          key={`${r.generation}:${r.rows}`}
          className="audit-alert"
          role="alert"
          data-testid="rollback-warning"
        >
          {broken?.restored
            ? t('rollback.leftByRestore', { rows: r.rows })
            : r.generation === 0
              ? t('rollback.remembered', { rows: r.rows, mainRows: r.mainRows })
              : r.generation < 0
                ? t('rollback.copy', { rows: r.rows, mainRows: r.mainRows })
                : t('rollback.warning', {
                    generation: r.generation,
                    rows: r.rows,
                    mainRows: r.mainRows,
                  })}
        </p>
      ))}
      {status.rekey?.state === 'refused' ? (
        // Someone other than this program wrote into the vault's folder: an alert, not a note.
        <p className="audit-alert" role="alert" data-testid="rekey-refused">
          {t('rekey.refused')}
        </p>
      ) : status.rekey ? (
        <p className="audit-notice" role="status">
          {status.rekey.state === 'finished'
            ? t('rekey.finished')
            : t('rekey.undone', { code: status.rekey.code ?? '' })}
        </p>
      ) : null}
    </>
  );
}

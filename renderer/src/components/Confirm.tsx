/**
 * An irreversible or far-reaching act asks first: the button opens an inline confirmation that
 * says what will happen (the impact), and for the weightiest acts the user types a word (the
 * case's reference, say) before the act is allowed. Escape or "Cancel" leaves everything as it was.
 */
import { useId, useState, type ReactNode } from 'react';
import { useT } from '../i18n';
import { useUnsaved } from '../stores/unsaved';

interface ConfirmProps {
  /** The button's text, and the act's name in the confirmation. */
  label: string;
  /** What will happen: the number of things affected, what cannot be undone. */
  impact: ReactNode;
  /** When given, the user must type exactly this to confirm. */
  typed?: string;
  onConfirm: () => Promise<unknown> | void;
  disabled?: boolean;
  /** Why the button is disabled (shown with it, never silent). */
  disabledReason?: string;
  className?: string;
  testId?: string;
}

export function ConfirmButton({
  label,
  impact,
  typed,
  onConfirm,
  disabled,
  disabledReason,
  className,
  testId,
}: ConfirmProps) {
  const t = useT();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [word, setWord] = useState('');
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <span className="confirm-trigger">
        <button
          type="button"
          className={className}
          disabled={disabled}
          aria-describedby={disabled && disabledReason ? `${id}-why` : undefined}
          onClick={() => setOpen(true)}
          data-testid={testId}
        >
          {label}
        </button>
        {disabled && disabledReason ? (
          <span id={`${id}-why`} className="help disabled-reason">
            {disabledReason}
          </span>
        ) : null}
      </span>
    );
  }
  const ready = !typed || word.trim() === typed;
  return (
    <div
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-impact`}
      className="panel confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          setOpen(false);
        }
      }}
    >
      <strong id={`${id}-title`}>{t('confirm.title', { act: label })}</strong>
      <div id={`${id}-impact`}>{impact}</div>
      {typed ? (
        <label className="field">
          <span className="field__label">{t('confirm.type', { word: typed })}</span>
          <input
            value={word}
            onChange={(e) => setWord(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      ) : null}
      <div className="toolbar">
        <button
          type="button"
          className="danger"
          disabled={!ready || busy}
          onClick={() => {
            setBusy(true);
            void Promise.resolve(onConfirm()).finally(() => {
              setBusy(false);
              setOpen(false);
              setWord('');
            });
          }}
          data-testid={testId ? `${testId}-confirm` : undefined}
        >
          {t('confirm.do', { act: label })}
        </button>
        <button type="button" className="secondary" autoFocus onClick={() => setOpen(false)}>
          {t('confirm.cancel')}
        </button>
      </div>
    </div>
  );
}

/** The question asked when leaving a screen with unsaved changes (rendered once, in the shell). */
export function UnsavedDialog() {
  const t = useT();
  const pending = useUnsaved((s) => s.pending);
  const leave = useUnsaved((s) => s.leave);
  const stay = useUnsaved((s) => s.stay);
  if (!pending) {
    return null;
  }
  return (
    <div className="modal-backdrop">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-title"
        className="panel confirm modal"
        data-testid="unsaved-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            stay();
          }
        }}
      >
        <strong id="unsaved-title">{t('unsaved.title')}</strong>
        <p>{t('unsaved.text')}</p>
        <div className="toolbar">
          <button type="button" className="danger" onClick={leave}>
            {t('unsaved.leave')}
          </button>
          <button type="button" className="secondary" autoFocus onClick={stay}>
            {t('unsaved.stay')}
          </button>
        </div>
      </div>
    </div>
  );
}

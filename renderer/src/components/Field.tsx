/** A labelled input with its help and error text wired for assistive technology. */
import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';
import { useT } from '../i18n';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  help?: string;
  error?: string | null;
}

export function Field({ label, help, error, ...input }: FieldProps) {
  const t = useT();
  const id = useId();
  // A date field's control follows the machine's locale, which may not be the app's language:
  // the chosen day is also written out the app's way, so 12/01 can never be misread.
  const day =
    input.type === 'date' &&
    typeof input.value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(input.value)
      ? t('field.dayIs', { day: input.value })
      : null;
  const helpId = help ? `${id}-help` : undefined;
  const dayId = day ? `${id}-day` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, dayId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      {help ? (
        <p className="help" id={helpId}>
          {help}
        </p>
      ) : null}
      {day ? (
        <p className="help" id={dayId} data-testid="field-day">
          {day}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  className?: string;
  error?: string | null;
}

/** A labelled select; the label is tied by id so the chosen option is not part of its name. */
export function SelectField({
  label,
  className = 'field',
  error,
  children,
  ...select
}: SelectFieldProps) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select
        id={id}
        aria-describedby={errorId}
        aria-invalid={error ? true : undefined}
        {...select}
      >
        {children}
      </select>
      {error ? (
        <p className="field__error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface ChoiceFieldProps<T extends string> {
  label: string;
  value: T | '';
  choices: readonly T[];
  /** The visible text of a choice (usually its translation). */
  render: (choice: T) => string;
  onChange: (choice: T | '') => void;
  /** When given, an empty first option with this text. */
  empty?: string;
  className?: string;
}

/** A labelled select over a list of codes, each shown by its translation. */
export function ChoiceField<T extends string>({
  label,
  value,
  choices,
  render,
  onChange,
  empty,
  className,
}: ChoiceFieldProps<T>) {
  return (
    <SelectField
      className={className}
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value as T | '')}
    >
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {choices.map((c) => (
        <option key={c} value={c}>
          {render(c)}
        </option>
      ))}
    </SelectField>
  );
}

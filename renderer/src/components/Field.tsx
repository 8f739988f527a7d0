/** A labelled input with its help and error text wired for assistive technology. */
import {
  useId,
  useState,
  type ChangeEvent,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { COUNTER_FROM } from '../../../shared/limits';
import { useT } from '../i18n';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  help?: string;
  error?: string | null;
  /**
   * The most characters the core accepts (shared/limits.ts): a counter shows near it, and a
   * longer text is named on the field as the user types. Never a `maxLength`: a pasted text
   * that is too long stays whole, for the user to shorten, instead of being cut silently.
   */
  limit?: number;
}

/** The length a field holds now: its value, or (uncontrolled) what was last typed. */
function useLength<E extends HTMLInputElement | HTMLTextAreaElement>(
  value: unknown,
  defaultValue: unknown,
  onChange: ((e: ChangeEvent<E>) => void) | undefined,
) {
  const [typed, setTyped] = useState<number | null>(null);
  const length =
    typeof value === 'string'
      ? value.length
      : (typed ?? (typeof defaultValue === 'string' ? defaultValue.length : 0));
  const change = (e: ChangeEvent<E>) => {
    setTyped(e.target.value.length);
    onChange?.(e);
  };
  return { length, change };
}

/** The counter near a limit, and the field's problem beyond it. */
function useLimit(id: string, length: number, limit: number | undefined) {
  const t = useT();
  if (limit === undefined || length < limit * COUNTER_FROM) {
    return { counter: null, over: null, counterId: undefined };
  }
  return {
    counter: t('field.counter', { n: length, max: limit }),
    over: length > limit ? t('field.over', { over: length - limit, max: limit }) : null,
    counterId: `${id}-count`,
  };
}

export function Field({ label, help, error, limit, ...input }: FieldProps) {
  const t = useT();
  const id = useId();
  const { length, change } = useLength(input.value, input.defaultValue, input.onChange);
  const { counter, over, counterId } = useLimit(id, length, limit);
  const problem = error || over;
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
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [helpId, dayId, counterId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        {...input}
        onChange={change}
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
      {counter ? (
        <p className="field__counter" id={counterId} data-testid="field-counter">
          {counter}
        </p>
      ) : null}
      {problem ? (
        <p className="field__error" id={errorId} role="alert">
          {[error, over].filter(Boolean).join(' ')}
        </p>
      ) : null}
    </div>
  );
}

interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string | null;
  limit?: number;
}

/** A labelled textarea with the same error, counter and limit as `Field`. */
export function TextAreaField({ label, error, limit, ...area }: TextAreaFieldProps) {
  const id = useId();
  const { length, change } = useLength(area.value, area.defaultValue, area.onChange);
  const { counter, over, counterId } = useLimit(id, length, limit);
  const problem = error || over;
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [counterId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <textarea
        id={id}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        {...area}
        onChange={change}
      />
      {counter ? (
        <p className="field__counter" id={counterId} data-testid="field-counter">
          {counter}
        </p>
      ) : null}
      {problem ? (
        <p className="field__error" id={errorId} role="alert">
          {[error, over].filter(Boolean).join(' ')}
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
  error?: string | null;
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
  error,
}: ChoiceFieldProps<T>) {
  return (
    <SelectField
      className={className}
      error={error}
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

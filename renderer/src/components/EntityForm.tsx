/**
 * A form described by its fields: labelled inputs, the core's validation issues shown on the
 * field they name, a general error otherwise. Used for the register's small "add" forms.
 */
import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/result';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useUnsavedForm } from '../stores/unsaved';
import { Field, SelectField } from './Field';

/**
 * A field of the form. `path` is where the core's issues about it come from when that is not its
 * name (a person's first clearance: `clearances.0.level`); `limit` its most characters.
 */
export type FieldSpec = { path?: string } & (
  | { name: string; label: string; kind: 'text' | 'date' | 'number'; limit?: number }
  | {
      name: string;
      label: string;
      kind: 'select';
      options: { value: string; label: string }[];
      empty?: string;
    }
  | { name: string; label: string; kind: 'checkbox' }
);

export type Values = Record<string, string | boolean>;

/** A short stable name for a text (FNV-1a, hex). */
function formKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

interface EntityFormProps {
  /** The form's name in the app's table of forms (data-form; test/e2e/forms.spec.ts). */
  name: string;
  title: string;
  fields: FieldSpec[];
  initial: Values;
  onSubmit: (values: Values) => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>;
  onDone?: () => void;
  /** Editing an existing entry: the values stay after saving, and the button says "save". */
  editing?: boolean;
}

export function EntityForm({
  name,
  title,
  fields,
  initial,
  onSubmit,
  onDone,
  editing = false,
}: EntityFormProps) {
  const t = useT();
  const form = useFormErrors();
  const [values, setValues] = useState<Values>(initial);
  // What the form held when it opened or was last saved: anything else is unsaved.
  const [baseline, setBaseline] = useState<Values>(initial);
  // Kept across a lock under a name this form alone has on its screen: its fields and start.
  useUnsavedForm(values, baseline, {
    form: `entity:${formKey(fields.map((f) => f.name).join(',') + JSON.stringify(initial))}`,
    restore: setValues,
  });
  const [done, setDone] = useState(false);
  const fieldError = (f: FieldSpec) => form.error(f.path ?? f.name);
  const set = (name: string, value: string | boolean) => setValues({ ...values, [name]: value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const result = await onSubmit(values);
    if (result.ok) {
      if (editing) {
        setBaseline(values);
      } else {
        setValues(initial);
      }
      form.clear();
      setDone(true);
      onDone?.();
      return;
    }
    form.show(result.error);
  }

  return (
    <form
      {...form.element}
      data-form={name}
      className="panel entity-form"
      onSubmit={(e) => void submit(e)}
      aria-label={title}
      noValidate
    >
      <h3>{title}</h3>
      <div className="form-grid">
        {fields.map((f) => {
          if (f.kind === 'select') {
            return (
              <SelectField
                key={f.name}
                label={f.label}
                value={String(values[f.name] ?? '')}
                onChange={(e) => set(f.name, e.target.value)}
                error={fieldError(f)}
              >
                {f.empty !== undefined ? <option value="">{f.empty}</option> : null}
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
            );
          }
          if (f.kind === 'checkbox') {
            return (
              <label key={f.name} className="radio">
                <input
                  type="checkbox"
                  checked={values[f.name] === true}
                  onChange={(e) => set(f.name, e.target.checked)}
                />
                {f.label}
              </label>
            );
          }
          return (
            <Field
              key={f.name}
              label={f.label}
              type={f.kind}
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
              error={fieldError(f)}
              limit={f.limit}
            />
          );
        })}
      </div>
      <FormProblem form={form} />
      {done ? <p role="status">{t(editing ? 'form.saved' : 'form.added')}</p> : null}
      <button type="submit">{t(editing ? 'form.edit' : 'form.add')}</button>
    </form>
  );
}

/** Empty text becomes null: what optional fields of the core expect. */
export function orNull(value: string | boolean | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function text(value: string | boolean | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** Register a security-authority record; the core's validation issues are shown on their fields. */
import { useState, type FormEvent } from 'react';
import { useUnsavedForm } from '../stores/unsaved';
import { DOMAINS } from '../../../shared/classification';
import {
  RECORD_STATUSES,
  RECORD_TYPES,
  type RecordInput,
  type RecordRow,
} from '../../../shared/register';
import { callRaw } from '../api';
import { Field, SelectField } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLevelLabel, useRegister } from '../stores/register';

type Draft = Required<Pick<RecordInput, 'type' | 'title' | 'counterpart' | 'status'>> &
  Record<string, string>;

/** A record as the form holds it (absent values empty). */
function draftOf(r: RecordRow): Draft {
  const draft: Draft = {
    type: r.type,
    title: r.title,
    counterpart: r.counterpart,
    status: r.status,
  };
  for (const key of [
    'theirRef',
    'ourRef',
    'sentOn',
    'receivedOn',
    'validFrom',
    'validTo',
    'followUpDue',
    'markingLevel',
    'markingDomain',
    'notes',
  ] as const) {
    draft[key] = r[key] ?? '';
  }
  return draft;
}

export function RecordForm({ onDone, existing }: { onDone: () => void; existing?: RecordRow }) {
  const t = useT();
  const form = useFormErrors();
  const label = useLevelLabel();
  const scheme = useRegister((s) => s.scheme);
  const [opened] = useState<Draft>(() =>
    existing
      ? draftOf(existing)
      : { type: 'correspondence', title: '', counterpart: '', status: 'open' },
  );
  const [draft, setDraft] = useState<Draft>(opened);
  const clean = useUnsavedForm(draft, opened, { form: 'record', restore: setDraft });
  const set = (key: string, value: string) => setDraft({ ...draft, [key]: value });
  const date = (key: string) => (
    <Field
      label={t(`record.field.${key}` as 'record.field.sentOn')}
      type="date"
      value={draft[key] ?? ''}
      onChange={(e) => set(key, e.target.value)}
      error={form.error(key)}
    />
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const opt = (key: string) => (draft[key] ? draft[key] : null);
    const record: RecordInput = {
      type: draft.type,
      title: draft.title,
      counterpart: draft.counterpart,
      status: draft.status,
      theirRef: draft.theirRef ?? '',
      ourRef: draft.ourRef ?? '',
      sentOn: opt('sentOn'),
      receivedOn: opt('receivedOn'),
      validFrom: opt('validFrom'),
      validTo: opt('validTo'),
      followUpDue: opt('followUpDue'),
      markingLevel: opt('markingLevel'),
      markingDomain: opt('markingDomain') as RecordInput['markingDomain'],
      notes: draft.notes ?? '',
      systemIds: existing?.systemIds ?? [],
    };
    const result = existing
      ? await callRaw('register:update', { kind: 'record', id: existing.id, input: record })
      : await callRaw('records:create', record);
    if (result.ok) {
      clean();
      onDone();
      return;
    }
    form.show(result.error);
  }

  return (
    <form
      {...form.element}
      data-form="record"
      className="panel"
      onSubmit={(e) => void submit(e)}
      aria-label={t(existing ? 'record.edit' : 'records.new')}
      noValidate
    >
      <div className="form-grid">
        <SelectField
          label={t('record.field.type')}
          value={draft.type}
          onChange={(e) => set('type', e.target.value)}
        >
          {RECORD_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`recordType.${x}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('record.field.title')}
          value={draft.title}
          onChange={(e) => set('title', e.target.value)}
          error={form.error('title')}
        />
        <Field
          label={t('record.field.counterpart')}
          value={draft.counterpart}
          onChange={(e) => set('counterpart', e.target.value)}
          error={form.error('counterpart')}
        />
        <Field
          label={t('record.field.theirRef')}
          value={draft.theirRef ?? ''}
          onChange={(e) => set('theirRef', e.target.value)}
        />
        <Field
          label={t('record.field.ourRef')}
          value={draft.ourRef ?? ''}
          onChange={(e) => set('ourRef', e.target.value)}
        />
        {date('sentOn')}
        {date('receivedOn')}
        {date('validFrom')}
        {date('validTo')}
        {date('followUpDue')}
        <SelectField
          label={t('record.field.marking')}
          value={draft.markingLevel ?? ''}
          onChange={(e) => set('markingLevel', e.target.value)}
        >
          <option value="">{t('system.none')}</option>
          {scheme?.levels.map((l) => (
            <option key={l.code} value={l.code}>
              {label(l.code, (draft.markingDomain as 'national' | undefined) ?? 'national')}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('record.field.markingDomain')}
          value={draft.markingDomain ?? ''}
          onChange={(e) => set('markingDomain', e.target.value)}
        >
          <option value="">{t('system.none')}</option>
          {DOMAINS.map((d) => (
            <option key={d} value={d}>
              {t(`domain.${d}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('record.field.status')}
          value={draft.status}
          onChange={(e) => set('status', e.target.value)}
        >
          {RECORD_STATUSES.map((x) => (
            <option key={x} value={x}>
              {t(`recordStatus.${x}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="field">
        <label htmlFor="record-notes" className="field__label">
          {t('record.field.notes')}
        </label>
        <textarea
          id="record-notes"
          rows={3}
          value={draft.notes ?? ''}
          onChange={(e) => set('notes', e.target.value)}
        />
      </div>
      <FormProblem form={form} />
      <button type="submit">{t(existing ? 'form.edit' : 'records.create')}</button>
    </form>
  );
}

/** Create or edit a system's profile; the core's validation issues are shown on their fields. */
import { useState, type FormEvent } from 'react';
import { useUnsavedForm } from '../stores/unsaved';
import { DOMAINS, type InfoDomain } from '../../../shared/classification';
import type { SystemDetail } from '../../../shared/contract';
import { MODES, PHASES, type SystemInput } from '../../../shared/register';
import { TEXT_MAX } from '../../../shared/limits';
import { callRaw } from '../api';
import { Field, SelectField, TextAreaField } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLevelLabel, useRegister } from '../stores/register';

type Draft = Omit<SystemInput, 'levels'> & { levels: Partial<Record<InfoDomain, string>> };

function toDraft(detail?: SystemDetail['system']): Draft {
  return {
    ref: detail?.ref ?? '',
    name: detail?.name ?? '',
    purpose: detail?.purpose ?? '',
    ownerOrgId: detail?.ownerOrgId ?? null,
    operatorOrgId: detail?.operatorOrgId ?? null,
    phase: detail?.phase ?? 'planned',
    mode: detail?.mode ?? 'system_high',
    levels: Object.fromEntries((detail?.levels ?? []).map((l) => [l.domain, l.level])),
    userCount: detail?.userCount ?? 0,
    minClearance: detail?.minClearance ?? null,
    boundary: detail?.boundary ?? '',
    nextReview: detail?.nextReview ?? null,
  };
}

export function SystemForm({
  existing,
  onDone,
}: {
  existing?: SystemDetail['system'];
  onDone: (id: string) => void;
}) {
  const t = useT();
  const form = useFormErrors();
  const label = useLevelLabel();
  const scheme = useRegister((s) => s.scheme);
  const organisations = useRegister((s) => s.organisations);
  const [opened] = useState<Draft>(() => toDraft(existing));
  const [draft, setDraft] = useState<Draft>(opened);
  const clean = useUnsavedForm(draft, opened, { form: 'system', restore: setDraft });
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const system: SystemInput = {
      ...draft,
      levels: DOMAINS.filter((d) => draft.levels[d]).map((d) => ({
        domain: d,
        level: draft.levels[d] ?? '',
      })),
      nextReview: draft.nextReview || null,
      minClearance: draft.minClearance || null,
      ownerOrgId: draft.ownerOrgId || null,
      operatorOrgId: draft.operatorOrgId || null,
    };
    const result = existing
      ? await callRaw('systems:update', { id: existing.id, system })
      : await callRaw('systems:create', system);
    if (result.ok) {
      clean();
      onDone(result.value.id);
      return;
    }
    form.show(result.error);
  }

  const orgSelect = (key: 'ownerOrgId' | 'operatorOrgId', text: string) => (
    <SelectField
      className="field"
      label={text}
      value={draft[key] ?? ''}
      onChange={(e) => set({ [key]: e.target.value || null })}
      error={form.error(key)}
    >
      <option value="">{t('system.none')}</option>
      {organisations.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </SelectField>
  );

  return (
    <form
      {...form.element}
      data-form="system"
      className="panel system-form"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <div className="form-grid">
        <Field
          label={t('system.field.ref')}
          value={draft.ref}
          onChange={(e) => set({ ref: e.target.value })}
          error={form.error('ref')}
          name="ref"
        />
        <Field
          label={t('system.field.name')}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          error={form.error('name')}
          limit={TEXT_MAX.name}
          name="name"
        />
        {orgSelect('ownerOrgId', t('system.field.owner'))}
        {orgSelect('operatorOrgId', t('system.field.operator'))}
        <SelectField
          label={t('system.field.phase')}
          value={draft.phase}
          onChange={(e) => set({ phase: e.target.value as Draft['phase'] })}
          error={form.error('phase')}
        >
          {PHASES.map((p) => (
            <option key={p} value={p}>
              {t(`phase.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('system.field.mode')}
          value={draft.mode}
          onChange={(e) => set({ mode: e.target.value as Draft['mode'] })}
          error={form.error('mode')}
        >
          {MODES.map((m) => (
            <option key={m} value={m}>
              {t(`mode.${m}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('system.field.userCount')}
          type="number"
          min={0}
          value={String(draft.userCount)}
          onChange={(e) => set({ userCount: Number(e.target.value) })}
          error={form.error('userCount')}
        />
        <SelectField
          label={t('system.field.minClearance')}
          value={draft.minClearance ?? ''}
          onChange={(e) => set({ minClearance: e.target.value || null })}
          error={form.error('minClearance')}
        >
          <option value="">{t('system.none')}</option>
          {scheme?.levels.map((l) => (
            <option key={l.code} value={l.code}>
              {label(l.code)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('system.field.nextReview')}
          type="date"
          value={draft.nextReview ?? ''}
          onChange={(e) => set({ nextReview: e.target.value || null })}
          error={form.error('nextReview')}
        />
      </div>
      <fieldset className="field-group">
        <legend>{t('system.field.levels')}</legend>
        {form.error('levels') ? (
          <p className="field__error" role="alert">
            {form.error('levels')}
          </p>
        ) : null}
        <div className="form-grid">
          {DOMAINS.map((d) => (
            <SelectField
              key={d}
              className="field"
              label={t(`domain.${d}`)}
              value={draft.levels[d] ?? ''}
              aria-invalid={form.error('levels') ? true : undefined}
              onChange={(e) =>
                set({ levels: { ...draft.levels, [d]: e.target.value || undefined } })
              }
            >
              <option value="">{t('system.level.none')}</option>
              {scheme?.levels.map((l) => (
                <option key={l.code} value={l.code}>
                  {label(l.code, d)}
                </option>
              ))}
            </SelectField>
          ))}
        </div>
      </fieldset>
      <TextAreaField
        label={t('system.field.purpose')}
        rows={3}
        value={draft.purpose}
        onChange={(e) => set({ purpose: e.target.value })}
        error={form.error('purpose')}
        limit={TEXT_MAX.purpose}
      />
      <TextAreaField
        label={t('system.field.boundary')}
        rows={3}
        value={draft.boundary}
        onChange={(e) => set({ boundary: e.target.value })}
        error={form.error('boundary')}
        limit={TEXT_MAX.boundary}
      />
      <FormProblem form={form} />
      <button type="submit">{t('systems.save')}</button>
    </form>
  );
}

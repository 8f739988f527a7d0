/**
 * Adding or reviewing a risk: scope and threat, impact on each security property, likelihood,
 * treatment and measures, residual likelihood and impact. The levels are shown as the user
 * chooses, computed by the same shared arithmetic the core stores.
 */
import { useState, type FormEvent } from 'react';
import type { RiskRow } from '../../../shared/contract';
import { assess, TREATMENTS, type RiskInput, type RiskMatrix } from '../../../shared/risk';
import { callRaw } from '../api';
import { Field, SelectField } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { useLanguage } from '../stores/preferences';
import { useUnsavedForm } from '../stores/unsaved';

const IMPACTS = ['confidentiality', 'integrity', 'availability', 'authenticity'] as const;

type Draft = Omit<RiskInput, 'requirementIds' | 'findingIds' | 'caseId' | 'reviewDate'> & {
  caseId: string;
  reviewDate: string;
  requirements: string;
};

function draftOf(risk: RiskRow | null, systemId: string, caseId: string): Draft {
  return {
    systemId: risk?.systemId ?? systemId,
    caseId: risk?.caseId ?? caseId,
    scope: risk?.scope ?? '',
    threatSource: risk?.threatSource ?? '',
    threatEvent: risk?.threatEvent ?? '',
    vulnerability: risk?.vulnerability ?? '',
    confidentiality: risk ? risk.confidentiality : 1,
    integrity: risk ? risk.integrity : 1,
    availability: risk ? risk.availability : 1,
    authenticity: risk ? risk.authenticity : null,
    likelihood: risk?.likelihood ?? 1,
    treatment: risk?.treatment ?? 'reduce',
    measures: risk?.measures ?? '',
    residualLikelihood: risk?.residualLikelihood ?? 1,
    residualImpact: risk?.residualImpact ?? 1,
    owner: risk?.owner ?? '',
    reviewDate: risk?.reviewDate ?? '',
    requirements: (risk?.requirementIds ?? []).join(', '),
  };
}

export function RiskForm({
  matrix,
  risk,
  systems,
  cases,
  initialSystem = '',
  initialCase = '',
  onSaved,
}: {
  matrix: RiskMatrix;
  risk: RiskRow | null;
  systems: { id: string; label: string }[];
  cases: { id: string; label: string; systemId: string }[];
  initialSystem?: string;
  initialCase?: string;
  onSaved: (id: string) => void;
}) {
  const t = useT();
  const form = useFormErrors();
  const language = useLanguage();
  const [opened] = useState<Draft>(() => draftOf(risk, initialSystem, initialCase));
  const [draft, setDraft] = useState<Draft>(opened);
  const clean = useUnsavedForm(draft, opened, { form: 'risk', restore: setDraft });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft({ ...draft, [key]: value });
  const levels = assess(matrix, {
    ...draft,
    confidentiality: draft.confidentiality ?? null,
    integrity: draft.integrity ?? null,
    availability: draft.availability ?? null,
    authenticity: draft.authenticity ?? null,
  });
  const levelName = (id: string | undefined) =>
    matrix.levels.find((l) => l.id === id)?.[language] ?? '—';

  const scale = (
    name: keyof Draft,
    label: string,
    labels: RiskMatrix['likelihood'],
    nullable: boolean,
  ) => (
    <SelectField
      label={label}
      value={draft[name] === null ? '' : String(draft[name])}
      onChange={(e) => set(name, (e.target.value === '' ? null : Number(e.target.value)) as never)}
    >
      {nullable ? <option value="">{t('risk.notAffected')}</option> : null}
      {labels.map((l, i) => (
        <option key={i} value={i + 1}>
          {`${i + 1} – ${l[language]}`}
        </option>
      ))}
    </SelectField>
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { requirements, caseId, reviewDate, ...rest } = draft;
    const input: RiskInput = {
      ...rest,
      caseId: caseId || null,
      reviewDate: reviewDate || null,
      requirementIds: requirements
        .split(/[\s,;]+/)
        .map((r) => r.trim().toUpperCase())
        .filter(Boolean),
      findingIds: risk?.findingIds ?? [],
    };
    const result = risk
      ? await callRaw('risks:update', { id: risk.id, risk: input })
      : await callRaw('risks:create', input);
    if (result.ok) {
      clean();
      form.clear();
      onSaved(risk ? risk.id : (result.value as { id: string }).id);
      return;
    }
    form.show(result.error);
  }

  const caseChoices = cases.filter((c) => c.systemId === draft.systemId);
  return (
    <form
      {...form.element}
      data-form="risk"
      className="panel entity-form risk-form"
      onSubmit={(e) => void submit(e)}
      aria-label={risk ? t('risk.review', { ref: risk.ref }) : t('risk.new')}
      noValidate
    >
      <h3>{risk ? t('risk.review', { ref: risk.ref }) : t('risk.new')}</h3>
      <div className="form-grid">
        <SelectField
          label={t('risk.system')}
          value={draft.systemId}
          disabled={risk !== null}
          onChange={(e) => setDraft({ ...draft, systemId: e.target.value, caseId: '' })}
        >
          <option value="">—</option>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('risk.case')}
          value={draft.caseId}
          onChange={(e) => set('caseId', e.target.value)}
        >
          <option value="">{t('risk.noCase')}</option>
          {caseChoices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('risk.scope')}
          value={draft.scope}
          error={form.error('scope')}
          onChange={(e) => set('scope', e.target.value)}
        />
        <Field
          label={t('risk.threatSource')}
          value={draft.threatSource ?? ''}
          onChange={(e) => set('threatSource', e.target.value)}
        />
        <Field
          label={t('risk.threatEvent')}
          value={draft.threatEvent}
          error={form.error('threatEvent')}
          onChange={(e) => set('threatEvent', e.target.value)}
        />
        <Field
          label={t('risk.vulnerability')}
          value={draft.vulnerability ?? ''}
          onChange={(e) => set('vulnerability', e.target.value)}
        />
      </div>
      <fieldset>
        <legend>{t('risk.inherentAssessment', { level: levelName(levels.inherent?.id) })}</legend>
        <div className="form-grid">
          {IMPACTS.map((p) => scale(p, t(`risk.impact.${p}`), matrix.impact, true))}
          {scale('likelihood', t('risk.likelihood'), matrix.likelihood, false)}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('risk.treatmentTitle')}</legend>
        <div className="form-grid">
          <SelectField
            label={t('risk.treatment')}
            value={draft.treatment}
            onChange={(e) => set('treatment', e.target.value as Draft['treatment'])}
          >
            {TREATMENTS.map((x) => (
              <option key={x} value={x}>
                {t(`treatment.${x}`)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('risk.measures')}
            value={draft.measures ?? ''}
            onChange={(e) => set('measures', e.target.value)}
          />
          <Field
            label={t('risk.requirements')}
            help={t('risk.requirements.help')}
            value={draft.requirements}
            error={form.error('requirementIds')}
            onChange={(e) => set('requirements', e.target.value)}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('risk.residualAssessment', { level: levelName(levels.residual.id) })}</legend>
        <div className="form-grid">
          {scale('residualLikelihood', t('risk.residualLikelihood'), matrix.likelihood, false)}
          {scale('residualImpact', t('risk.residualImpact'), matrix.impact, false)}
          <Field
            label={t('risk.owner')}
            value={draft.owner ?? ''}
            onChange={(e) => set('owner', e.target.value)}
          />
          <Field
            label={t('risk.reviewDate')}
            type="date"
            value={draft.reviewDate}
            error={form.error('reviewDate')}
            onChange={(e) => set('reviewDate', e.target.value)}
          />
        </div>
      </fieldset>
      <FormProblem form={form} />
      <button type="submit">{risk ? t('risk.saveReview') : t('risk.add')}</button>
    </form>
  );
}

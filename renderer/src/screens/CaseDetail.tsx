/**
 * One accreditation case: where it stands and what it may become next (with the reason when a
 * step is refused), what is still missing, the checklist grouped by area (keyboard-driven, with
 * bulk status), evidence with upload progress, findings and the history of its steps.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  editable,
  EVIDENCE_TYPES,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  ITEM_STATUSES,
  VERDICTS,
} from '../../../shared/cases';
import type { CaseDetail as Detail } from '../../../shared/contract';
import { errorMessage, reasonText, type MessageKey } from '../../../shared/i18n';
import type { CaseState } from '../../../shared/lifecycle';
import { ConfirmButton } from '../components/Confirm';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { EntityForm, orNull, text } from '../components/EntityForm';
import { EvidencePreview } from '../components/EvidencePreview';
import { ChoiceField, Field, SelectField } from '../components/Field';
import { FilePicker } from '../components/FilePicker';
import { KeptField } from '../components/KeptField';
import { TableHead } from '../components/TableHead';
import { CaseDecision } from './CaseDecision';
import { useCoded, useFormat, useRefusal } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { useIssues, useT } from '../i18n';
import type { ErrorInfo } from '../../../shared/result';
import { TEXT_MAX } from '../../../shared/limits';
import { hrefFor } from '../router';
import { useLanguage } from '../stores/preferences';
import { useLevelLabel, useOnScreen, useRegister } from '../stores/register';
import { useUnsaved } from '../stores/unsaved';
import { useVault } from '../stores/vault';
import { discardUpload, uploadFile, type UploadProgress } from '../upload';
import { UploadMeter } from '../components/UploadMeter';
import { DOMAINS, type InfoDomain } from '../../../shared/classification';
import { useUnsavedForm } from '../stores/unsaved';
import { EmptyRow } from '../components/EmptyRow';

type Item = Detail['items'][number];
type Status = (typeof ITEM_STATUSES)[number];

/** Steps that end a case or an approval for good: each asks first. */
const FINAL = new Set<CaseState>(['cancelled', 'closed', 'decommissioned']);

function Transitions({ detail, onMoved }: { detail: Detail; onMoved: () => void }) {
  const t = useT();
  const refusal = useRefusal();
  const language = useLanguage();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const move = (to: CaseState) =>
    callRaw('cases:transition', { caseId: detail.id, to, reason }).then((r) => {
      if (r.ok) {
        setReason('');
        setMessage(t('case.moved', { state: t(`state.${to}`) }));
        onMoved();
      } else {
        const reasonCode = r.error.details?.reason;
        const code = typeof reasonCode === 'string' ? reasonCode : '';
        setMessage(code ? refusal(code, r.error.details) : errorMessage(language, r.error.code));
      }
    });
  if (detail.next.length === 0) {
    return null;
  }
  return (
    <section className="panel" aria-labelledby="move-title">
      <h2 id="move-title">{t('case.move')}</h2>
      <Field label={t('case.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <ul className="moves">
        {detail.next.map(({ to, verdict }) => {
          const refused = !verdict.ok && verdict.code !== 'REASON_REQUIRED';
          return (
            <li key={to}>
              {FINAL.has(to) ? (
                <ConfirmButton
                  label={t('case.moveTo', { state: t(`state.${to}`) })}
                  disabled={refused}
                  testId={`move-${to}`}
                  typed={to === 'cancelled' ? detail.ref : undefined}
                  impact={<p>{t(`case.final.${to}` as MessageKey, { ref: detail.ref })}</p>}
                  onConfirm={() => move(to)}
                />
              ) : (
                <button
                  type="button"
                  disabled={refused}
                  data-testid={`move-${to}`}
                  onClick={() => void move(to)}
                >
                  {t('case.moveTo', { state: t(`state.${to}`) })}
                </button>
              )}
              {!verdict.ok ? (
                <span className="refusal">{refusal(verdict.code, verdict.params)}</span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}

function Checklist({
  detail,
  onChanged,
  focus,
}: {
  detail: Detail;
  onChanged: () => void;
  /** A requirement to bring into view (a blocker's link), with a counter to repeat it. */
  focus: { id: string; n: number } | null;
}) {
  const t = useT();
  const coded = useCoded();
  const language = useLanguage();
  const role = useVault((s) => s.status?.profile?.role ?? 'system_owner');
  const accreditor = role === 'accreditor';
  const may = editable(detail.state, role);
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<Status>('compliant');
  const [bulkVerdict, setBulkVerdict] = useState<(typeof VERDICTS)[number]>('agreed');
  const [bulkError, setBulkError] = useState<string | null>(null);
  const rows = useRef<Map<string, HTMLElement>>(new Map());
  const items = detail.items.filter(
    (i) => !onlyOpen || (may.answers ? i.status === 'not_assessed' : i.verdict === 'none'),
  );
  useEffect(() => {
    if (focus) {
      const row = rows.current.get(focus.id);
      row?.scrollIntoView({ block: 'center' });
      row?.focus();
    }
  }, [focus]);
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) {
      next.delete(id);
    } else {
      next.add(id);
    }
    setSelected(next);
  };

  // Saves refused, by item and field: the field keeps its text and says why, and the screen
  // counts as unsaved (leaving it asks first) until the text is saved.
  const [refused, setRefused] = useState<Record<string, Record<string, ErrorInfo>>>({});
  useUnsavedForm(refused, {});
  const issues = useIssues();
  const refusedText = (item: Item, field: string) => {
    const error = refused[item.requirementId]?.[field];
    if (!error) {
      return undefined;
    }
    const reason = issues.byField(error)[field] ?? errorMessage(language, error.code);
    return t('field.notSaved', { reason });
  };
  const update = async (item: Item, patch: Record<string, string>) => {
    const r = await callRaw('cases:updateItem', {
      caseId: detail.id,
      requirementId: item.requirementId,
      update: patch,
    });
    const next = { ...refused[item.requirementId] };
    for (const field of Object.keys(patch)) {
      if (r.ok) {
        delete next[field];
      } else {
        next[field] = r.error;
      }
    }
    // An item with nothing refused leaves the map: an empty entry would count as unsaved.
    setRefused((all) => {
      const { [item.requirementId]: _done, ...rest } = all;
      return Object.keys(next).length ? { ...rest, [item.requirementId]: next } : rest;
    });
    if (r.ok) {
      onChanged();
    }
  };

  function onKey(event: KeyboardEvent<HTMLElement>, item: Item, index: number) {
    if ((event.target as HTMLElement).closest('textarea, input, select')) {
      return;
    }
    const key = event.key.toLowerCase();
    const move = key === 'j' ? 1 : key === 'k' ? -1 : 0;
    if (move !== 0) {
      event.preventDefault();
      const next = items[index + move];
      if (next) {
        rows.current.get(next.requirementId)?.focus();
      }
    } else if (/^[1-6]$/.test(key) && may.answers) {
      event.preventDefault();
      void update(item, { status: ITEM_STATUSES[Number(key) - 1] ?? 'not_assessed' });
    } else if (key === 'x') {
      event.preventDefault();
      toggle(item.requirementId);
    }
  }

  async function applyBulk() {
    const r = await callRaw('cases:updateItems', {
      caseId: detail.id,
      requirementIds: [...selected],
      update: may.answers ? { status: bulk } : { verdict: bulkVerdict },
    });
    if (r.ok) {
      setBulkError(null);
      setSelected(new Set());
      onChanged();
    } else {
      setBulkError(errorMessage(language, r.error.code));
    }
  }
  const allShown = items.length > 0 && items.every((i) => selected.has(i.requirementId));

  const counts = ITEM_STATUSES.map(
    (status) => [status, detail.items.filter((i) => i.status === status).length] as const,
  );
  return (
    <div>
      <p className="view-note" data-testid="checklist-view">
        {t(accreditor ? 'view.authority' : 'view.owner')}
        {!may.answers ? ` ${t('view.locked')}` : ''}
      </p>
      {!accreditor ? (
        <p className="windows" aria-label={t('view.selfAssessment')}>
          {counts
            .filter(([, n]) => n > 0)
            .map(([status, n]) => (
              <span key={status} className="window">
                {t(`item.${status}`)}: {n}
              </span>
            ))}
        </p>
      ) : null}
      {may.answers ? <p className="help">{t('checklist.keys')}</p> : null}
      {may.answers || may.verdicts ? (
        <div className="toolbar" data-testid="bulk-toolbar">
          <label className="radio">
            <input
              type="checkbox"
              checked={onlyOpen}
              onChange={(e) => setOnlyOpen(e.target.checked)}
            />
            {t(may.answers ? 'checklist.open' : 'checklist.unjudged')}
          </label>
          <label className="radio">
            <input
              type="checkbox"
              checked={allShown}
              onChange={() =>
                setSelected(allShown ? new Set() : new Set(items.map((i) => i.requirementId)))
              }
            />
            {t('checklist.selectAll')}
          </label>
          <span role="status">{t('checklist.selected', { n: selected.size })}</span>
          {may.answers ? (
            <ChoiceField
              className="filter"
              label={t('checklist.bulk')}
              value={bulk}
              choices={ITEM_STATUSES}
              render={(s) => t(`item.${s}`)}
              onChange={(v) => setBulk(v as Status)}
            />
          ) : (
            <ChoiceField
              className="filter"
              label={t('checklist.bulkVerdict')}
              value={bulkVerdict}
              choices={VERDICTS}
              render={(v) => t(`verdict.${v}`)}
              onChange={(v) => setBulkVerdict(v as (typeof VERDICTS)[number])}
            />
          )}
          <button
            type="button"
            disabled={selected.size === 0}
            title={selected.size === 0 ? t('checklist.selectFirst') : undefined}
            onClick={() => void applyBulk()}
          >
            {t('checklist.apply')}
          </button>
          {bulkError ? (
            <p className="form-error" role="alert">
              {bulkError}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="checklist">
        {items.map((item, index) => {
          const progress = detail.progress.find((p) => p.area === item.area);
          const header =
            (index === 0 || items[index - 1]?.area !== item.area) && progress ? (
              <h3 className="area" key={`area-${item.area}`}>
                {t('checklist.area', {
                  area: item.area,
                  assessed: progress.assessed,
                  total: progress.total,
                })}
                <progress max={progress.total} value={progress.assessed} aria-hidden="true" />
              </h3>
            ) : null;
          return (
            <div key={item.requirementId}>
              {header}
              <article
                className={`item item--${item.status}`}
                tabIndex={0}
                ref={(el) => {
                  if (el) {
                    rows.current.set(item.requirementId, el);
                  }
                }}
                onKeyDown={(e) => onKey(e, item, index)}
                aria-labelledby={`req-${item.requirementId}`}
                data-testid="checklist-item"
              >
                <header>
                  <input
                    type="checkbox"
                    aria-label={t('checklist.select', { id: item.requirementId })}
                    checked={selected.has(item.requirementId)}
                    onChange={() => toggle(item.requirementId)}
                  />
                  <strong id={`req-${item.requirementId}`} className="mono">
                    {item.requirementId}
                  </strong>
                  <span lang={language === 'da' && item.textDa ? 'da' : 'en'}>
                    {language === 'da' && item.textDa ? item.textDa : item.text}
                  </span>
                </header>
                <p className="help">
                  {t('checklist.evidence', {
                    list: item.expectedEvidence.map((e) => coded('evidenceType', e)).join(', '),
                  })}
                </p>
                {may.answers ? (
                  <>
                    <div className="form-grid">
                      <ChoiceField
                        label={t('checklist.status')}
                        value={item.status}
                        choices={ITEM_STATUSES}
                        render={(s) => t(`item.${s}`)}
                        error={refusedText(item, 'status')}
                        onChange={(v) => void update(item, { status: v })}
                      />
                    </div>
                    <KeptField
                      keep={{ form: `statement:${item.requirementId}`, saved: item.statement }}
                      label={t('checklist.statement')}
                      defaultValue={item.statement}
                      limit={TEXT_MAX.statement}
                      error={refusedText(item, 'statement')}
                      onBlur={(e) =>
                        (e.target.value !== item.statement ||
                          refused[item.requirementId]?.statement) &&
                        void update(item, { statement: e.target.value })
                      }
                    />
                    {item.status === 'not_applicable' ? (
                      <KeptField
                        keep={{
                          form: `justification:${item.requirementId}`,
                          saved: item.justification,
                        }}
                        label={t('checklist.justification')}
                        defaultValue={item.justification}
                        limit={TEXT_MAX.justification}
                        error={refusedText(item, 'justification')}
                        onBlur={(e) =>
                          (e.target.value !== item.justification ||
                            refused[item.requirementId]?.justification) &&
                          void update(item, { justification: e.target.value })
                        }
                      />
                    ) : null}
                  </>
                ) : (
                  <p className="answer" data-testid="answer">
                    <strong>{t(`item.${item.status}`)}</strong> —{' '}
                    {item.statement || t('view.noStatement')}
                    {item.justification ? ` (${item.justification})` : ''}
                  </p>
                )}
                {may.verdicts ? (
                  <div className="form-grid">
                    <ChoiceField
                      label={t('checklist.verdict')}
                      value={item.verdict}
                      choices={VERDICTS}
                      render={(v) => t(`verdict.${v}`)}
                      error={refusedText(item, 'verdict')}
                      onChange={(v) => void update(item, { verdict: v })}
                    />
                    <Field
                      label={t('checklist.comment')}
                      defaultValue={item.assessorComment}
                      limit={TEXT_MAX.assessorComment}
                      error={refusedText(item, 'assessorComment')}
                      onBlur={(e) =>
                        (e.target.value !== item.assessorComment ||
                          refused[item.requirementId]?.assessorComment) &&
                        void update(item, { assessorComment: e.target.value })
                      }
                    />
                  </div>
                ) : item.verdict !== 'none' || item.assessorComment ? (
                  <p className="verdict" data-testid="verdict">
                    {t('view.authorityVerdict', { verdict: t(`verdict.${item.verdict}`) })}
                    {item.assessorComment ? ` — ${item.assessorComment}` : ''}
                  </p>
                ) : null}
              </article>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The evidence form as it opens: nothing typed yet, no requirement chosen, not marked. */
const NO_META = {
  type: 'ssrs',
  title: '',
  version: '',
  author: '',
  effectiveDate: '',
  requirementIds: [] as string[],
  markingDomain: '',
  markingLevel: '',
};

function Evidence({ detail, onChanged }: { detail: Detail; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const coded = useCoded();
  const [preview, setPreview] = useState<{ id: string; name: string } | null>(null);
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const language = useLanguage();
  const scheme = useRegister((s) => s.scheme);
  const level = useLevelLabel();
  const [meta, setMeta] = useState(NO_META);
  const [file, setFile] = useState<File | null>(null);
  const clean = useUnsavedForm({ meta, file: file?.name ?? null }, { meta: NO_META, file: null });
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  // A refusal on the field it names, what names no field under the form; in view either way.
  const form = useFormErrors({ within: 'meta' });
  const fieldError = form.error;
  const [note, setNote] = useState<string | null>(null);
  const cancel = useRef<AbortController | null>(null);
  const [fileField, setFileField] = useState(0);
  // The requirements each file documents, from the checklist's links.
  const linked = (evidenceId: string) =>
    detail.items.filter((i) => i.evidence.includes(evidenceId)).map((i) => i.requirementId);
  async function submit() {
    if (!file) {
      return;
    }
    form.clear();
    setNote(null);
    setProgress({ sent: 0, total: file.size, secondsLeft: null });
    const controller = new AbortController();
    cancel.current = controller;
    const uploaded = await uploadFile(file, setProgress, controller.signal);
    cancel.current = null;
    setProgress(null);
    if (!uploaded.ok) {
      if ('cancelled' in uploaded) {
        setNote(t('upload.cancelled', { name: file.name }));
      } else {
        form.show({ code: uploaded.code });
      }
      return;
    }
    const r = await callRaw('cases:addEvidence', {
      caseId: detail.id,
      uploadId: uploaded.uploadId,
      meta: {
        type: meta.type as (typeof EVIDENCE_TYPES)[number],
        title: meta.title || file.name,
        version: meta.version,
        author: meta.author,
        effectiveDate: meta.effectiveDate || null,
        requirementIds: meta.requirementIds,
        markingDomain: (meta.markingDomain || null) as InfoDomain | null,
        markingLevel: meta.markingLevel || null,
      },
    });
    if (r.ok) {
      clean();
      setFile(null);
      setFileField((n) => n + 1);
      setMeta(NO_META);
      onChanged();
    } else {
      // Refused: the form keeps what was typed and chosen; the stored file is not kept.
      await discardUpload(uploaded.uploadId);
      form.show(r.error);
    }
  }
  return (
    <>
      <table className="table" data-testid="evidence-table">
        <TableHead
          columns={
            [
              'evidence.type',
              'evidence.title',
              'evidence.version',
              'evidence.effective',
              'evidence.col.file',
              'evidence.col.sha',
              'evidence.col.review',
            ] as const
          }
        />
        <tbody>
          {detail.evidence.length === 0 ? <EmptyRow span={7} text={t('empty.evidence')} /> : null}
          {detail.evidence.map((e) => (
            <tr key={e.id}>
              <td>{coded('evidenceType', e.type)}</td>
              <td>
                {e.title}
                {e.markingLevel && e.markingDomain ? (
                  <div className="muted" data-testid="evidence-marking">
                    {t('evidence.markedAs', {
                      marking: level(e.markingLevel, e.markingDomain as InfoDomain),
                    })}
                  </div>
                ) : null}
                {linked(e.id).length ? (
                  <div className="muted" data-testid="evidence-links">
                    {t('evidence.linked', { refs: linked(e.id).join(', ') })}
                  </div>
                ) : null}
              </td>
              <td>{e.version}</td>
              <td>{format.day(e.effectiveDate)}</td>
              <td>
                {e.fileName} ({Math.ceil(e.size / 1024)} KiB){' '}
                <button
                  type="button"
                  className="secondary"
                  aria-label={`${t('preview.open')} ${e.fileName}`}
                  onClick={() => setPreview({ id: e.id, name: e.fileName })}
                >
                  {t('preview.open')}
                </button>
              </td>
              <td className="mono sha">{e.sha256}</td>
              <td>
                {accreditor ? (
                  <SelectField
                    className="filter"
                    label={t('evidence.col.review')}
                    value={e.reviewStatus}
                    onChange={(ev) =>
                      void call('cases:reviewEvidence', {
                        evidenceId: e.id,
                        status: ev.target.value as 'accepted',
                      }).then(onChanged)
                    }
                  >
                    {(['submitted', 'accepted', 'rejected', 'superseded'] as const).map((r) => (
                      <option key={r} value={r}>
                        {t(`review.${r}`)}
                      </option>
                    ))}
                  </SelectField>
                ) : (
                  t(`review.${e.reviewStatus}` as MessageKey)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview ? (
        <EvidencePreview
          key={preview.id}
          evidenceId={preview.id}
          name={preview.name}
          onClose={() => setPreview(null)}
        />
      ) : null}
      <form
        {...form.element}
        data-form="evidence"
        className="panel"
        aria-label={t('evidence.add')}
        onSubmit={(e) => (e.preventDefault(), void submit())}
      >
        <h3>{t('evidence.add')}</h3>
        <div className="form-grid">
          <ChoiceField
            label={t('evidence.type')}
            value={meta.type}
            choices={EVIDENCE_TYPES}
            render={(x) => coded('evidenceType', x)}
            onChange={(v) => setMeta({ ...meta, type: v })}
          />
          <Field
            label={t('evidence.title')}
            value={meta.title}
            error={fieldError('title')}
            onChange={(e) => setMeta({ ...meta, title: e.target.value })}
          />
          <Field
            label={t('evidence.version')}
            value={meta.version}
            error={fieldError('version')}
            onChange={(e) => setMeta({ ...meta, version: e.target.value })}
          />
          <Field
            label={t('evidence.author')}
            value={meta.author}
            error={fieldError('author')}
            onChange={(e) => setMeta({ ...meta, author: e.target.value })}
          />
          <Field
            label={t('evidence.effective')}
            type="date"
            value={meta.effectiveDate}
            error={fieldError('effectiveDate')}
            onChange={(e) => setMeta({ ...meta, effectiveDate: e.target.value })}
          />
          <SelectField
            label={t('evidence.markingDomain')}
            value={meta.markingDomain}
            error={fieldError('markingDomain')}
            onChange={(e) =>
              setMeta({
                ...meta,
                markingDomain: e.target.value,
                markingLevel: e.target.value ? meta.markingLevel : '',
              })
            }
          >
            <option value="">{t('evidence.marking.none')}</option>
            {DOMAINS.map((d) => (
              <option key={d} value={d}>
                {t(`domain.${d}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('evidence.markingLevel')}
            value={meta.markingLevel}
            disabled={!meta.markingDomain}
            error={fieldError('markingLevel')}
            onChange={(e) => setMeta({ ...meta, markingLevel: e.target.value })}
          >
            <option value="">{t('evidence.marking.none')}</option>
            {scheme?.levels.map((l) => (
              <option key={l.code} value={l.code}>
                {level(l.code, (meta.markingDomain || 'national') as InfoDomain)}
              </option>
            ))}
          </SelectField>
          <FilePicker
            // A new, empty file field once a file is added: it no longer names the last one.
            key={fileField}
            label={t('evidence.file')}
            onFile={setFile}
            testId="evidence-file"
          />
        </div>
        <fieldset className="field-group pick-list" data-testid="evidence-requirements">
          <legend>{t('evidence.requirements')}</legend>
          <p className="help">{t('evidence.requirements.help')}</p>
          {fieldError('requirementIds') ? (
            <p className="field__error" role="alert">
              {fieldError('requirementIds')}
            </p>
          ) : null}
          <ul>
            {detail.items.map((i) => (
              <li key={i.requirementId}>
                <label>
                  <input
                    type="checkbox"
                    checked={meta.requirementIds.includes(i.requirementId)}
                    onChange={(e) =>
                      setMeta({
                        ...meta,
                        requirementIds: e.target.checked
                          ? [...meta.requirementIds, i.requirementId]
                          : meta.requirementIds.filter((r) => r !== i.requirementId),
                      })
                    }
                  />{' '}
                  <span className="mono">{i.requirementId}</span>{' '}
                  {language === 'da' && i.textDa ? i.textDa : i.text}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        {progress !== null ? (
          <UploadMeter
            name={file?.name ?? ''}
            progress={progress}
            onCancel={() => cancel.current?.abort()}
          />
        ) : null}
        {note ? <p role="status">{note}</p> : null}
        <FormProblem form={form} />
        <button type="submit" disabled={!file || progress !== null}>
          {t('evidence.upload')}
        </button>
      </form>
    </>
  );
}

function Findings({ detail, onChanged }: { detail: Detail; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  return (
    <>
      {detail.findings.length === 0 ? <p>{t('findings.none')}</p> : null}
      <ul className="findings">
        {detail.findings.map((f) => (
          <li key={f.id} data-testid="finding">
            <strong>{t(`findingKind.${f.kind}` as MessageKey)}</strong> ·{' '}
            <strong>{t(`severity.${f.severity}`)}</strong>{' '}
            {f.requirementId ? <span className="mono">{f.requirementId}</span> : null} {f.title}
            {f.dueDate ? ` — ${t('findings.due')} ${format.day(f.dueDate)}` : ''}
            {f.owner ? ` — ${t('findings.ownerIs', { owner: f.owner })}` : ''}
            <details className="help" data-testid="finding-history">
              <summary>{t('findings.history', { n: f.history.length })}</summary>
              <ol>
                {f.history.map((h, i) => (
                  <li key={i}>
                    {format.time(h.at)} · {h.actor || '—'}:{' '}
                    {h.from
                      ? `${t(`findingStatus.${h.from}` as MessageKey)} → ${t(`findingStatus.${h.to}` as MessageKey)}`
                      : t(`findingStatus.${h.to}` as MessageKey)}
                    {h.note ? ` (${h.note})` : ''}
                  </li>
                ))}
              </ol>
            </details>
            <ChoiceField
              className="filter"
              label={t('findings.status')}
              value={f.status}
              choices={FINDING_STATUSES}
              render={(s) => t(`findingStatus.${s}`)}
              onChange={(v) =>
                void call('cases:setFindingStatus', {
                  findingId: f.id,
                  status: v as (typeof FINDING_STATUSES)[number],
                }).then(onChanged)
              }
            />
          </li>
        ))}
      </ul>
      <EntityForm
        name="finding"
        title={t('findings.add')}
        fields={[
          {
            name: 'requirementId',
            label: t('findings.requirement'),
            kind: 'select',
            empty: '—',
            options: detail.items.map((i) => ({ value: i.requirementId, label: i.requirementId })),
          },
          {
            name: 'severity',
            label: t('findings.severity'),
            kind: 'select',
            options: FINDING_SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) })),
          },
          { name: 'title', label: t('findings.title'), kind: 'text', limit: TEXT_MAX.findingTitle },
          { name: 'owner', label: t('findings.owner'), kind: 'text', limit: TEXT_MAX.owner },
          { name: 'dueDate', label: t('findings.due'), kind: 'date' },
        ]}
        initial={{ severity: 'major', kind: 'finding' }}
        onDone={onChanged}
        onSubmit={(v) =>
          callRaw('cases:addFinding', {
            caseId: detail.id,
            finding: {
              requirementId: orNull(v.requirementId),
              severity: text(v.severity) as (typeof FINDING_SEVERITIES)[number],
              title: text(v.title),
              owner: text(v.owner),
              dueDate: orNull(v.dueDate),
            },
          })
        }
      />
    </>
  );
}

/** Says so when the case's catalogue has a newer version, and what changed in it. */
function NewerCatalogue({ caseId }: { caseId: string }) {
  const t = useT();
  const { data } = useLoad(() => callRaw('cases:catalogueDiff', { id: caseId }), [caseId]);
  const newer = data?.newer ?? null;
  if (!newer) {
    return null;
  }
  const { added, removed, changed } = newer.diff;
  return (
    <details className="help" data-testid="newer-catalogue">
      <summary>
        {t('case.newerCatalogue', {
          version: newer.version,
          added: added.length,
          removed: removed.length,
          changed: changed.length,
        })}
      </summary>
      <p className="mono">
        {[
          ...added.map((id) => `+ ${id}`),
          ...removed.map((id) => `− ${id}`),
          ...changed.map((c) => `~ ${c.id}`),
        ].join('  ')}
      </p>
    </details>
  );
}

/** What holds the case back, each requirement a link to its checklist item (or to the risks). */
function Blockers({ detail, onOpen }: { detail: Detail; onOpen: (id: string) => void }) {
  const t = useT();
  if (detail.blockers.length === 0) {
    return (
      <p className="help" data-testid="blockers">
        {t('case.blockersNone')}
      </p>
    );
  }
  return (
    <details className="blockers" data-testid="blockers" open={detail.blockers.length <= 8}>
      <summary>{t('case.blockers', { n: detail.blockers.length })}</summary>
      <ul>
        {detail.blockers.map((b) => (
          <li key={`${b.requirementId}-${b.problem}`} data-testid="blocker">
            {b.problem === 'no_cover' ? (
              <a className="mono" href={hrefFor('risks', `case:${detail.id}`)}>
                {b.requirementId}
              </a>
            ) : (
              <button type="button" className="link mono" onClick={() => onOpen(b.requirementId)}>
                {b.requirementId}
              </button>
            )}{' '}
            {t(`blocker.${b.problem}`)}
          </li>
        ))}
      </ul>
    </details>
  );
}

const TABS = ['checklist', 'evidence', 'findings', 'decision', 'history'] as const;
/** The forms of the decision tab that keep their text across a lock (CaseDecision.tsx). */
const DECISION_FORMS = ['decision', 'countersign', 'discard', 'disposal'];

export function CaseDetail({ id }: { id: string }) {
  const t = useT();
  const guard = useUnsaved((s) => s.guard);
  const format = useFormat();
  const language = useLanguage();
  const { data: detail, reload } = useLoad(() => callRaw('cases:get', { id }), [id]);
  const [tab, setTab] = useState<(typeof TABS)[number]>('checklist');
  const [focus, setFocus] = useState<{ id: string; n: number } | null>(null);
  // Text kept across a lock in the decision tab's forms: choosing to restore it opens that tab.
  useEffect(
    () =>
      useUnsaved.subscribe((s) => {
        const here = (form: string) =>
          s.restoring.some((d) => d.form === form && d.route === window.location.hash);
        if (DECISION_FORMS.some(here)) {
          setTab('decision');
        }
      }),
    [],
  );
  // The banner stands for everything on the screen: the system's levels and each evidence
  // file's own marking (a document may be marked above the system it is about).
  useOnScreen([
    ...(detail?.systemLevels ?? []),
    ...(detail?.evidence ?? []).flatMap((e) =>
      e.markingDomain && e.markingLevel
        ? [{ domain: e.markingDomain as InfoDomain, level: e.markingLevel }]
        : [],
    ),
  ]);
  if (!detail) {
    return null;
  }
  return (
    <div className="detail">
      <p>
        <a href={hrefFor('cases')}>← {t('cases.back')}</a>
      </p>
      <h2 className="detail__title">
        <span className="mono">{detail.ref}</span> {detail.title} —{' '}
        <span data-testid="case-state">{t(`state.${detail.state}`)}</span>
      </h2>
      <p className="help">
        {t(`caseType.${detail.type}`)} · {t('case.catalogue', detail.catalogue)}
      </p>
      <NewerCatalogue caseId={detail.id} />
      <p data-testid="case-missing" className={detail.missing.length ? 'form-error' : undefined}>
        {detail.missing.length
          ? t('case.missing', { n: detail.missing.length })
          : t('case.complete')}
      </p>
      <Blockers
        detail={detail}
        onOpen={(requirementId) => {
          setTab('checklist');
          setFocus((f) => ({ id: requirementId, n: (f?.n ?? 0) + 1 }));
        }}
      />
      <p data-testid="case-unaccepted" className={detail.unaccepted.length ? 'warning' : 'help'}>
        {detail.unaccepted.length
          ? t('case.unaccepted', { n: detail.unaccepted.length, ids: detail.unaccepted.join(', ') })
          : t('case.allAccepted')}{' '}
        <a href={hrefFor('risks', `case:${detail.id}`)}>{t('case.risks')}</a>
      </p>
      <Transitions detail={detail} onMoved={reload} />
      <div role="tablist" aria-label={detail.ref} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            role="tab"
            type="button"
            aria-selected={tab === name}
            className={tab === name ? 'tab tab--active' : 'tab'}
            onClick={() => name !== tab && guard(() => setTab(name))}
            id={`case-tab-${name}`}
            aria-controls={`case-panel-${name}`}
          >
            {t(`case.tab.${name}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        className="tabpanel"
        id={`case-panel-${tab}`}
        aria-labelledby={`case-tab-${tab}`}
      >
        {tab === 'checklist' ? (
          <Checklist detail={detail} onChanged={reload} focus={focus} />
        ) : null}
        {tab === 'evidence' ? <Evidence detail={detail} onChanged={reload} /> : null}
        {tab === 'findings' ? <Findings detail={detail} onChanged={reload} /> : null}
        {tab === 'decision' ? <CaseDecision detail={detail} onChanged={reload} /> : null}
        {tab === 'history' ? (
          <table className="table">
            <TableHead columns={['col.when', 'col.who', 'col.what', 'case.reason'] as const} />
            <tbody>
              {detail.history.map((h, i) => (
                <tr key={i}>
                  <td>{format.time(h.at)}</td>
                  <td>
                    {h.actor} (
                    {h.role === 'accreditor' || h.role === 'system_owner'
                      ? t(`vault.role.${h.role}`)
                      : t('role.workbench')}
                    )
                  </td>
                  <td>
                    {t(`state.${h.from}` as MessageKey)} → {t(`state.${h.to}` as MessageKey)}
                  </td>
                  <td>{reasonText(language, h.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}

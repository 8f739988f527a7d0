/**
 * One security-authority record: its facts, edited in place, closed with an outcome, and its
 * attachments listed and opened inside the app.
 */
import { useCallback, useState, type FormEvent } from 'react';
import type { RecordRow } from '../../../shared/register';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { AttachButton } from '../components/AttachButton';
import { EvidencePreview } from '../components/EvidencePreview';
import { Field } from '../components/Field';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { hrefFor } from '../router';
import { useLevelLabel } from '../stores/register';
import { RecordForm } from './RecordForm';
import { useFormat } from '../format';
import { useOpenForRestore, useUnsavedForm } from '../stores/unsaved';

type Attachment = { address: string; name: string; sha256: string; size: number; addedAt: string };

function CloseRecord({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const form = useFormErrors();
  const [outcome, setOutcome] = useState('');
  const [closedOn, setClosedOn] = useState(new Date().toISOString().slice(0, 10));
  const clean = useUnsavedForm(outcome, '', { form: 'record-close', restore: setOutcome });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const r = await callRaw('records:close', { id, closing: { outcome, closedOn } });
    if (r.ok) {
      clean();
      onDone();
    } else {
      form.show(r.error);
    }
  }
  return (
    <form
      {...form.element}
      data-form="record-close"
      className="panel"
      aria-label={t('record.close')}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h3>{t('record.close')}</h3>
      <div className="form-grid">
        <Field
          label={t('record.field.outcome')}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          error={form.error('outcome')}
        />
        <Field
          label={t('record.field.closedOn')}
          type="date"
          value={closedOn}
          onChange={(e) => setClosedOn(e.target.value)}
          error={form.error('closedOn')}
        />
      </div>
      <FormProblem form={form} />
      <button type="submit">{t('action.close')}</button>
    </form>
  );
}

export function RecordDetail({ id }: { id: string }) {
  const t = useT();
  const format = useFormat();
  const label = useLevelLabel();
  const listed = useLoad(() => callRaw('records:list', { id }), [id]);
  const attached = useLoad(() => callRaw('records:attachments', { recordId: id }), [id]);
  const record: RecordRow | null = listed.data?.records[0] ?? null;
  const attachments: Attachment[] = attached.data?.attachments ?? [];
  const [editing, setEditing] = useState(false);
  // Kept text for this form, chosen after unlock: the form opens to take it back.
  useOpenForRestore('record', setEditing);
  const [open, setOpen] = useState<Attachment | null>(null);
  const { reload: reloadRecord } = listed;
  const { reload: reloadAttachments } = attached;
  const reload = useCallback(() => {
    reloadRecord();
    reloadAttachments();
  }, [reloadRecord, reloadAttachments]);
  if (!record) {
    return null;
  }
  const facts: [string, string][] = [
    [t('record.field.type'), t(`recordType.${record.type}`)],
    [t('record.field.counterpart'), record.counterpart],
    [t('record.field.theirRef'), record.theirRef || '—'],
    [t('record.field.ourRef'), record.ourRef || '—'],
    [t('record.field.sentOn'), format.day(record.sentOn)],
    [t('record.field.receivedOn'), format.day(record.receivedOn)],
    [t('record.field.validFrom'), format.day(record.validFrom)],
    [t('record.field.validTo'), format.day(record.validTo)],
    [t('record.field.followUpDue'), format.day(record.followUpDue)],
    [
      t('record.field.marking'),
      record.markingLevel ? label(record.markingLevel, record.markingDomain ?? 'national') : '—',
    ],
    [t('record.field.status'), t(`recordStatus.${record.status}`)],
    [t('record.field.notes'), record.notes || '—'],
  ];
  return (
    <div className="detail" data-testid="record-detail">
      <p>
        <a href={hrefFor('records')}>← {t('record.back')}</a>
      </p>
      <h2 className="detail__title">{record.title}</h2>
      {record.status === 'closed' && record.outcome ? (
        <p data-testid="record-outcome">
          {t('record.closedWith', { date: record.closedOn ?? '—', outcome: record.outcome })}
        </p>
      ) : null}
      {editing ? (
        <RecordForm
          existing={record}
          onDone={() => {
            setEditing(false);
            reload();
          }}
        />
      ) : (
        <>
          <dl className="facts">
            {facts.map(([k, v]) => (
              <div key={k} className="facts__row">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <button type="button" onClick={() => setEditing(true)}>
            {t('record.edit')}
          </button>
        </>
      )}
      {record.status !== 'closed' && !editing ? (
        <CloseRecord id={record.id} onDone={reload} />
      ) : null}
      <section aria-labelledby="attachments-title">
        <h3 id="attachments-title">{t('record.attachments')}</h3>
        {attachments.length === 0 ? (
          <p className="empty-inline">{t('record.noAttachments')}</p>
        ) : (
          <ul data-testid="attachments">
            {attachments.map((a) => (
              <li key={a.address}>
                <button type="button" className="link" onClick={() => setOpen(a)}>
                  {a.name}
                </button>{' '}
                <span className="help mono">
                  {format.number(Math.round((a.size / 1024) * 10) / 10)} KiB · SHA-256{' '}
                  {a.sha256.slice(0, 16)}…
                </span>
              </li>
            ))}
          </ul>
        )}
        <AttachButton recordId={record.id} title={record.title} onDone={reload} />
        {open ? (
          <EvidencePreview
            attachment={{ recordId: record.id, address: open.address }}
            name={open.name}
            onClose={() => setOpen(null)}
          />
        ) : null}
      </section>
    </div>
  );
}

/**
 * The decision on a case: what was decided and signed (with the letter and its verification),
 * or — for an accreditor in "decision pending" — the form that issues and signs it. Also the
 * documents of the case (dossier report, signed residual-risk acceptance) and its packages.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CaseDetail, ResponseOf } from '../../../shared/contract';
import { ConditionInput } from '../../../shared/decisions';
import { SUBMISSION_SENT_IN } from '../../../shared/exchange';
import type { ErrorCode } from '../../../shared/errors';
import { errorMessage, reasonMessage, type MessageKey } from '../../../shared/i18n';
import type { Issue } from '../../../shared/i18n/issues';
import {
  APPROVING,
  DECISION_EFFECTS,
  decisionsIn,
  type DecisionType,
} from '../../../shared/lifecycle';
import { TEXT_MAX } from '../../../shared/limits';
import { addMonths } from '../../../shared/risk';
import { decisionSense, todayOf } from '../../../shared/sense';
import { ConfirmButton } from '../components/Confirm';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { bytesOf, PdfView } from '../components/EvidencePreview';
import { Field, SelectField } from '../components/Field';
import { PathField } from '../components/PathField';
import { useFormat, useRefusal } from '../format';
import { FormProblem, useFormErrors, useSubmit } from '../forms';
import { useIssues, useT } from '../i18n';
import { pdfUrl } from '../pdf';
import { useLanguage } from '../stores/preferences';
import { useVault } from '../stores/vault';
import { grouped, useIdentities, VerificationResult } from './Signing';
import { useUnsavedForm } from '../stores/unsaved';

type Decision = ResponseOf<'decisions:get'>;

function PdfLink({ base64, name, label }: { base64: string; name: string; label: string }) {
  const url = useMemo(() => pdfUrl(base64), [base64]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <a className="button" href={url} download={name} data-testid="pdf-link">
      {label}
    </a>
  );
}

/** A decommissioned system: how its disposal was verified (who, how, when), then it closes. */
function Disposal({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const t = useT();
  const errors = useFormErrors({ within: 'disposal' });
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const disposal = useLoad(() => callRaw('cases:disposal', { id: detail.id }), [detail.id]);
  const recorded = disposal.data?.disposal ?? null;
  const [form, setForm] = useState({
    verifiedBy: '',
    method: '',
    verifiedOn: new Date().toISOString().slice(0, 10),
  });
  const clean = useUnsavedForm(
    { verifiedBy: form.verifiedBy, method: form.method },
    { verifiedBy: '', method: '' },
    { form: 'disposal', restore: (kept) => setForm((f) => ({ ...f, ...kept })) },
  );
  if (recorded) {
    return (
      <section className="panel" data-testid="disposal">
        <h3>{t('disposal.title')}</h3>
        <p>
          {t('disposal.recorded', {
            by: recorded.verifiedBy,
            on: recorded.verifiedOn,
            method: recorded.method,
          })}
        </p>
      </section>
    );
  }
  if (detail.state !== 'decommissioned' || !accreditor) {
    return null;
  }
  return (
    <form
      {...errors.element}
      data-form="disposal"
      className="panel entity-form"
      aria-label={t('disposal.title')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void callRaw('cases:recordDisposal', { caseId: detail.id, disposal: form }).then((r) => {
          if (r.ok) {
            clean();
            disposal.reload();
            onChanged();
          } else {
            errors.show(r.error);
          }
        });
      }}
    >
      <h3>{t('disposal.title')}</h3>
      <p className="help">{t('disposal.help')}</p>
      <div className="form-grid">
        <Field
          label={t('disposal.verifiedBy')}
          value={form.verifiedBy}
          onChange={(e) => setForm({ ...form, verifiedBy: e.target.value })}
          error={errors.error('verifiedBy')}
        />
        <Field
          label={t('disposal.method')}
          value={form.method}
          onChange={(e) => setForm({ ...form, method: e.target.value })}
          error={errors.error('method')}
        />
        <Field
          label={t('disposal.verifiedOn')}
          type="date"
          value={form.verifiedOn}
          onChange={(e) => setForm({ ...form, verifiedOn: e.target.value })}
          error={errors.error('verifiedOn')}
        />
      </div>
      <FormProblem form={errors} />
      <button type="submit">{t('disposal.record')}</button>
    </form>
  );
}

/** A condition row of the decision form, as typed (a key keeps each row's inputs its own). */
interface ConditionRow {
  key: number;
  text: string;
  owner: string;
  dueDate: string;
  requirementId: string;
}

/** A row as the core takes it: the requirement chosen, or none. */
function conditionOf(row: ConditionRow) {
  return {
    text: row.text,
    owner: row.owner,
    dueDate: row.dueDate,
    requirementId: row.requirementId || null,
  };
}

/**
 * Everything the form can tell before it asks the core: each condition's fields as the schema
 * takes them, and the rules of sense (shared/sense.ts) — the validity against today and the
 * policy's maximum, each deadline, each requirement. The core applies the same rules again.
 */
function localProblems(args: {
  validTo: string | null;
  rows: ConditionRow[];
  maxMonths: number | null;
  requirements: ReadonlySet<string>;
}): Issue[] {
  const now = new Date();
  const conditions = args.rows.map(conditionOf);
  const shape = conditions.flatMap((c, i) => {
    // An empty date is a date not given: "fill this in", rather than "not a date".
    const parsed = ConditionInput.safeParse({ ...c, dueDate: c.dueDate || undefined });
    return parsed.success
      ? []
      : parsed.error.issues.map((issue): Issue => ({
          path: [
            'conditions',
            i,
            ...issue.path.map((x) => (typeof x === 'number' ? x : String(x))),
          ],
          code: issue.code,
          message: issue.message,
          ...('minimum' in issue ? { minimum: issue.minimum } : {}),
          ...('maximum' in issue ? { maximum: issue.maximum } : {}),
          ...('origin' in issue ? { origin: String(issue.origin) } : {}),
        }));
  });
  const sense = decisionSense(
    {
      validFrom: now.toISOString().slice(0, 10),
      validTo: args.validTo,
      conditions: conditions.map((c) => ({
        dueDate: c.dueDate && /^\d{4}-\d{2}-\d{2}$/.test(c.dueDate) ? c.dueDate : null,
        requirementId: c.requirementId,
      })),
    },
    { today: todayOf(now), maxMonths: args.maxMonths, requirements: args.requirements },
  );
  return [...shape, ...sense];
}

function IssueForm({
  detail,
  info,
  onIssued,
}: {
  detail: CaseDetail;
  info: Decision;
  onIssued: () => void;
}) {
  const t = useT();
  const refusal = useRefusal();
  const fieldIssues = useIssues();
  const language = useLanguage();
  const [listing] = useIdentities();
  const types = decisionsIn(detail.state);
  const [type, setType] = useState<DecisionType>(types[0] ?? 'full_approval');
  const [validTo, setValidTo] = useState('');
  const [rows, setRows] = useState<ConditionRow[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [reason, setReason] = useState('');
  const [identityId, setIdentityId] = useState('');
  const [pin, setPin] = useState('');
  const [docLanguage, setDocLanguage] = useState<'da' | 'en'>(language);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  // What the core refused last, each on its field (and brought into view), until the form changes;
  // a refusal that names no field (the lifecycle's, four eyes') is said under the form, in view.
  const form = useFormErrors({
    within: 'decision',
    codes: { WRONG_PIN: 'pin', PIN_LOCKED: 'pin' },
    describe: (refused) => {
      const why = refused.details?.reason;
      // The lifecycle's reason alone, its decision type and state in words.
      return refused.code === 'TRANSITION_REFUSED' &&
        typeof why === 'string' &&
        reasonMessage(language, refused.code, refused.details) !== null
        ? refusal(why, refused.details)
        : null;
    },
  });
  // Only identities that sign: an encryption identity cannot, and is not offered.
  const identities = (listing?.identities ?? []).filter((i) => !i.expired && i.usage === 'signing');
  const chosen = identityId || identities[0]?.id || '';
  const onToken = identities.find((i) => i.id === chosen)?.kind === 'pkcs11';
  const approving = APPROVING.includes(type);
  const [draft, setDraft] = useState<Uint8Array | null>(null);
  const clean = useUnsavedForm(
    { validTo, rows: JSON.stringify(rows), reason },
    { validTo: '', rows: '[]', reason: '' },
    {
      form: 'decision',
      restore: (kept) => {
        setValidTo(kept.validTo);
        setRows(JSON.parse(kept.rows) as ConditionRow[]);
        setReason(kept.reason);
      },
    },
  );
  const requirements = useMemo(
    () => new Set(detail.items.map((i) => i.requirementId)),
    [detail.items],
  );
  const effectiveValidTo = approving ? validTo || info.defaults[type] || null : null;
  const maxMonths = info.maximum[type] ?? null;
  const problems = localProblems({ validTo: effectiveValidTo, rows, maxMonths, requirements });
  const local = fieldIssues.byPath(problems);
  const error = (path: string) => local[path] ?? form.error(path);
  const edited = () => {
    form.clear();
    setMessage(null);
  };
  const updateRow = (key: number, change: Partial<ConditionRow>) => {
    edited();
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...change } : r)));
  };
  const latest =
    approving && maxMonths !== null
      ? addMonths(new Date().toISOString().slice(0, 10), maxMonths)
      : null;
  const payload = () => ({
    type,
    validTo: effectiveValidTo,
    conditions: rows.map(conditionOf),
    identityId: chosen,
    language: docLanguage,
    reason,
    ...(onToken && pin ? { pin } : {}),
  });
  /**
   * A refusal: its problems on their fields (and a word under the form to look above), or — when
   * it names no field — its reason under the form, focused there.
   */
  const show = (error: { code: ErrorCode; details?: Record<string, unknown> }) => {
    form.show(error);
    setMessage(fieldIssues.list(error).length > 0 ? t('decision.fixFields') : null);
  };
  const issue = () => {
    setBusy(true);
    setMessage(null);
    return callRaw('decisions:issue', {
      caseId: detail.id,
      decision: payload(),
    }).then((r) => {
      setBusy(false);
      setPin('');
      if (r.ok) {
        clean();
        onIssued();
        return;
      }
      show(r.error);
    });
  };
  return (
    <form
      {...form.element}
      data-form="decision"
      className="panel entity-form"
      aria-label={t('decision.issue')}
      onSubmit={(e) => e.preventDefault()}
    >
      <h3>{t('decision.issue')}</h3>
      {identities.length === 0 ? <p className="warning">{t('decision.noIdentity')}</p> : null}
      <div className="form-grid">
        <SelectField
          label={t('decision.type')}
          value={type}
          onChange={(e) => {
            edited();
            setType(e.target.value as DecisionType);
          }}
        >
          {types.map((d) => (
            <option key={d} value={d}>
              {t(`decisionType.${d}`)}
            </option>
          ))}
        </SelectField>
        {approving ? (
          <Field
            label={t('decision.validTo')}
            type="date"
            help={
              latest
                ? t('decision.validTo.helpMax', { date: info.defaults[type] ?? '—', latest })
                : t('decision.validTo.help', { date: info.defaults[type] ?? '—' })
            }
            value={validTo || info.defaults[type] || ''}
            onChange={(e) => {
              edited();
              setValidTo(e.target.value);
            }}
            error={error('validTo')}
          />
        ) : null}
        <SelectField
          label={t('decision.identity')}
          value={chosen}
          onChange={(e) => setIdentityId(e.target.value)}
          error={error('identityId')}
        >
          {identities.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </SelectField>
        {onToken ? (
          <Field
            label={t('decision.pin')}
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            help={t('decision.pin.help')}
            error={error('pin')}
          />
        ) : null}
        <SelectField
          label={t('decision.language')}
          value={docLanguage}
          onChange={(e) => setDocLanguage(e.target.value === 'en' ? 'en' : 'da')}
        >
          <option value="da">{t('settings.language.da')}</option>
          <option value="en">{t('settings.language.en')}</option>
        </SelectField>
      </div>
      <fieldset className="conditions" aria-describedby="decision-conditions-help">
        <legend className="field__label">{t('decision.conditions')}</legend>
        <p className="help" id="decision-conditions-help">
          {t('decision.conditions.help')}
        </p>
        {rows.length === 0 ? <p className="help">{t('decision.condition.none')}</p> : null}
        {rows.map((row, i) => (
          <fieldset key={row.key} className="condition-row" data-testid="condition-row">
            <legend>{t('decision.condition.legend', { n: i + 1 })}</legend>
            <div className="form-grid">
              <Field
                label={t('decision.condition.text')}
                value={row.text}
                onChange={(e) => updateRow(row.key, { text: e.target.value })}
                error={error(`conditions.${i}.text`)}
                limit={TEXT_MAX.conditionText}
              />
              <Field
                label={t('decision.condition.owner')}
                value={row.owner}
                onChange={(e) => updateRow(row.key, { owner: e.target.value })}
                error={error(`conditions.${i}.owner`)}
                limit={TEXT_MAX.owner}
              />
              <Field
                label={t('decision.condition.dueDate')}
                type="date"
                value={row.dueDate}
                onChange={(e) => updateRow(row.key, { dueDate: e.target.value })}
                error={error(`conditions.${i}.dueDate`)}
              />
              <SelectField
                label={t('decision.condition.requirement')}
                value={row.requirementId}
                onChange={(e) => updateRow(row.key, { requirementId: e.target.value })}
                error={error(`conditions.${i}.requirementId`)}
              >
                <option value="">{t('decision.condition.noRequirement')}</option>
                {detail.items.map((item) => (
                  <option key={item.requirementId} value={item.requirementId}>
                    {item.requirementId}
                  </option>
                ))}
              </SelectField>
            </div>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                edited();
                setRows((current) => current.filter((r) => r.key !== row.key));
              }}
            >
              {t('decision.condition.remove', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            edited();
            setRows((current) => [
              ...current,
              { key: nextKey, text: '', owner: '', dueDate: '', requirementId: '' },
            ]);
            setNextKey((k) => k + 1);
          }}
        >
          {t('decision.condition.add')}
        </button>
      </fieldset>
      <Field
        label={t('decision.reason')}
        value={reason}
        onChange={(e) => {
          edited();
          setReason(e.target.value);
        }}
        error={error('reason')}
        limit={TEXT_MAX.reason}
      />
      <p className="help">{t('decision.dossier', { sha: grouped(info.dossierSha256) })}</p>
      <div className="toolbar">
        <button
          type="button"
          className="secondary"
          disabled={busy || !chosen}
          onClick={() => {
            setBusy(true);
            setMessage(null);
            void callRaw('decisions:preview', { caseId: detail.id, decision: payload() }).then(
              (r) => {
                setBusy(false);
                if (r.ok) {
                  setDraft(bytesOf(r.value.pdf));
                } else {
                  show(r.error);
                }
              },
            );
          }}
        >
          {t('decision.preview')}
        </button>
        <ConfirmButton
          label={busy ? t('decision.signing') : t('decision.issueAndSign')}
          disabled={busy || !chosen || reason.trim().length < 3 || problems.length > 0}
          disabledReason={
            !chosen
              ? t('decision.noIdentity')
              : problems.length > 0
                ? t('decision.fixFields')
                : reason.trim().length < 3
                  ? t('decision.reasonFirst')
                  : undefined
          }
          typed={type === 'withdrawal' || type === 'refusal' ? detail.ref : undefined}
          impact={
            <p>
              {t('decision.impact', {
                type: t(`decisionType.${type}`),
                ref: detail.ref,
                signer: identities.find((i) => i.id === chosen)?.label ?? '—',
              })}{' '}
              {DECISION_EFFECTS[detail.state]?.[type]
                ? t('decision.impact.state', {
                    state: t(`state.${DECISION_EFFECTS[detail.state]?.[type] ?? detail.state}`),
                  })
                : null}{' '}
              {t('confirm.irreversible')}
            </p>
          }
          onConfirm={issue}
          testId="issue-decision"
        />
      </div>
      {busy ? <progress aria-label={t('decision.signing')} /> : null}
      <FormProblem form={form} />
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
      {draft ? (
        <div data-testid="letter-draft">
          <PdfView data={draft} />
        </div>
      ) : null}
    </form>
  );
}

/** The second accreditor's signature on a four-eyes decision, with their own identity or token. */
function CountersignForm({
  detail,
  decision,
  onSigned,
}: {
  detail: CaseDetail;
  decision: NonNullable<Decision['decision']>;
  onSigned: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const [listing] = useIdentities();
  const signed = new Set(decision.signatures.map((x) => x.fingerprint));
  const identities = (listing?.identities ?? []).filter(
    (i) => !i.expired && i.usage === 'signing' && !signed.has(i.fingerprint),
  );
  const [identityId, setIdentityId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const errors = useFormErrors({
    within: 'countersign',
    codes: { WRONG_PIN: 'pin', PIN_LOCKED: 'pin' },
  });
  const chosen = identityId || identities[0]?.id || '';
  const onToken = identities.find((i) => i.id === chosen)?.kind === 'pkcs11';
  const clean = useUnsavedForm(reason, '', { form: 'countersign', restore: setReason });
  const { busy, submit } = useSubmit(errors, { clean, done: onSigned });
  return (
    <form
      className="panel entity-form"
      {...errors.element}
      data-form="countersign"
      aria-label={t('decision.countersign')}
      data-testid="countersign"
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          () =>
            callRaw('decisions:countersign', {
              caseId: detail.id,
              countersign: {
                identityId: chosen,
                reason,
                language,
                ...(onToken && pin ? { pin } : {}),
              },
            }),
          () => setPin(''),
        );
      }}
    >
      <h3>{t('decision.countersign')}</h3>
      <p className="help">{t('decision.countersign.help')}</p>
      {identities.length === 0 ? (
        <p className="warning">{t('decision.countersign.noIdentity')}</p>
      ) : null}
      <div className="form-grid">
        <SelectField
          label={t('decision.identity')}
          value={chosen}
          onChange={(e) => setIdentityId(e.target.value)}
          error={errors.error('identityId')}
        >
          {identities.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </SelectField>
        {onToken ? (
          <Field
            label={t('decision.pin')}
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            help={t('decision.pin.help')}
            error={errors.error('pin')}
          />
        ) : null}
      </div>
      <Field
        label={t('decision.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.error('reason')}
        limit={TEXT_MAX.reason}
      />
      <FormProblem form={errors} />
      {!chosen ? <p className="help disabled-reason">{t('decision.noIdentity')}</p> : null}
      <button type="submit" disabled={busy || !chosen}>
        {busy ? t('decision.signing') : t('decision.countersign.submit')}
      </button>
    </form>
  );
}

/**
 * Withdraws the decision awaiting its countersignature (it never took force): the first signer
 * changing their mind, or a colleague who will not countersign, so that another can be issued.
 */
function DiscardForm({ detail, onDiscarded }: { detail: CaseDetail; onDiscarded: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const errors = useFormErrors({ within: 'discard' });
  const clean = useUnsavedForm(reason, '', { form: 'discard', restore: setReason });
  const { busy, submit } = useSubmit(errors, { clean, done: onDiscarded });
  return (
    <form
      className="panel entity-form"
      {...errors.element}
      data-form="discard"
      aria-label={t('decision.discard')}
      data-testid="discard"
      onSubmit={(e) => {
        e.preventDefault();
        submit(() => callRaw('decisions:discard', { caseId: detail.id, discard: { reason } }));
      }}
    >
      <h3>{t('decision.discard')}</h3>
      <p className="help">{t('decision.discard.help')}</p>
      <Field
        label={t('decision.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.error('reason')}
        limit={TEXT_MAX.reason}
      />
      <FormProblem form={errors} />
      <button type="submit" className="secondary" disabled={busy}>
        {t('decision.discard.submit')}
      </button>
    </form>
  );
}

function Documents({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const language = useLanguage();
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const [listing] = useIdentities();
  const [busy, setBusy] = useState<string | null>(null);
  const [doc, setDoc] = useState<{ kind: string; pdf: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const identityId = listing?.identities.find((i) => !i.expired)?.id ?? null;
  const issue = (kind: 'dossier-report' | 'risk-acceptance') => {
    setBusy(kind);
    setError(null);
    void callRaw('documents:issue', { caseId: detail.id, kind, language, identityId }).then((r) => {
      setBusy(null);
      if (r.ok) {
        setDoc({ kind, pdf: r.value.pdf });
      } else {
        setError(errorMessage(language, r.error.code));
      }
    });
  };
  return (
    <section className="panel" aria-labelledby="documents-title">
      <h3 id="documents-title">{t('documents.title')}</h3>
      <div className="toolbar">
        <button
          type="button"
          className="secondary"
          disabled={busy !== null}
          onClick={() => issue('dossier-report')}
        >
          {t('documents.dossier')}
        </button>
        {accreditor ? (
          <button
            type="button"
            className="secondary"
            disabled={busy !== null || !identityId}
            onClick={() => issue('risk-acceptance')}
          >
            {t('documents.acceptance')}
          </button>
        ) : null}
      </div>
      {busy ? <progress aria-label={t('documents.rendering')} /> : null}
      {doc ? (
        <PdfLink
          base64={doc.pdf}
          name={`${detail.ref}-${doc.kind}.pdf`}
          label={t('documents.save', { kind: t(`documents.kind.${doc.kind}` as MessageKey) })}
        />
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function Packages({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const language = useLanguage();
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const [listing] = useIdentities();
  const [folder, setFolder] = useState('');
  // An owner sends submissions; an authority answers with decisions.
  const kind = accreditor ? 'decision' : 'submission';
  const offered = useLoad(() => callRaw('packages:recipients', { kind }), [kind]);
  const recipients: Recipients | null = offered.data?.recipients ?? null;
  // The recipient the user chose; until then, the first offered.
  const [chosen, setRecipient] = useState('');
  const recipient = chosen || (recipients?.[0]?.fingerprint ?? '');
  const [pin, setPin] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(
    () =>
      window.workbench.on('task:progress', (p) => {
        if (p.task === 'package-export') {
          setProgress({ done: p.done, total: p.total });
        }
      }),
    [],
  );
  const identity = listing?.identities.find((i) => !i.expired && i.usage === 'signing');
  // A submission is sent only at the steps that send it, a decision package only in answer to a
  // case that came from its owner: offered disabled otherwise, saying so.
  const notNow =
    kind === 'submission'
      ? !(SUBMISSION_SENT_IN as readonly string[]).includes(detail.state)
      : !detail.received;
  const blocked = notNow || !identity || !folder || !recipient;
  return (
    <section className="panel" aria-labelledby="packages-title">
      <h3 id="packages-title">{t('packages.title')}</h3>
      <p className="help">{t(`packages.help.${kind}`)}</p>
      <div className="form-grid">
        <PathField
          label={t('packages.folder')}
          value={folder}
          onChange={setFolder}
          placeholder="/media/usb"
          chooseLabel={t('packages.chooseFolder')}
          pick={async () => (await call('vault:pickFolder', {}))?.folder ?? null}
          onNoDialog={() => setMessage(t('packages.typePath'))}
        />
        {recipients?.length ? (
          <SelectField
            label={t('packages.recipientChoose')}
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
          >
            {recipients.map((r) => (
              <option key={r.fingerprint} value={r.fingerprint}>
                {r.subject} ({r.fingerprint.slice(0, 16)})
              </option>
            ))}
          </SelectField>
        ) : (
          <p className="warning">{t('packages.noRecipient')}</p>
        )}
        {identity?.kind === 'pkcs11' ? (
          <Field
            label={t('packages.pin')}
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        ) : null}
        {blocked ? (
          <p className="help disabled-reason" id="package-why" data-testid="package-why">
            {notNow
              ? kind === 'submission'
                ? t('packages.why.step', { state: t(`state.${detail.state}`) })
                : t('packages.why.notReceived')
              : t(
                  !identity
                    ? 'packages.why.identity'
                    : !recipient
                      ? 'packages.why.recipient'
                      : 'packages.why.folder',
                )}
          </p>
        ) : null}
        <button
          type="button"
          aria-describedby={blocked ? 'package-why' : undefined}
          disabled={blocked}
          onClick={() => {
            setMessage(null);
            setProgress({ done: 0, total: 1 });
            void callRaw('packages:export', {
              caseId: detail.id,
              kind,
              identityId: identity!.id,
              folder,
              recipient,
              pin: pin || null,
            }).then((r) => {
              setProgress(null);
              setPin('');
              if (r.ok) {
                setMessage(
                  t('packages.written', { file: r.value.file, sha: r.value.sha256.slice(0, 16) }),
                );
              } else {
                const why = reasonMessage(language, r.error.code, r.error.details);
                setMessage(
                  `${errorMessage(language, r.error.code)}${why ? ` ${t('reason', { why })}` : ''}`,
                );
              }
            });
          }}
        >
          {t(`packages.export.${kind}`)}
        </button>
      </div>
      {progress ? (
        <progress
          max={progress.total || 1}
          value={progress.done}
          aria-label={t('packages.title')}
        />
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}

type Recipients = ResponseOf<'packages:recipients'>['recipients'];

export function CaseDecision({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  // Asked again when the case moves: what can be decided, and what was, follow its state.
  const decided = useLoad(
    () => callRaw('decisions:get', { caseId: detail.id }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the state is why it is asked again
    [detail.id, detail.state],
  );
  const info: Decision | undefined = decided.data;
  const { data: letter } = useLoad(
    () => (info?.decision ? callRaw('documents:decisionPdf', { caseId: detail.id }) : null),
    [detail.id, info?.decision],
  );
  if (!info) {
    return null;
  }
  const d = info.decision;
  return (
    <div className="stack" data-testid="case-decision">
      {d ? (
        <section className="panel" aria-labelledby="decision-title">
          <h3 id="decision-title">
            <span className="mono">{d.ref}</span> {t(`decisionType.${d.type}`)}
          </h3>
          <dl className="facts">
            <div className="facts__row">
              <dt>{t('decision.validity')}</dt>
              <dd>{d.validTo ? `${format.day(d.validFrom)} – ${format.day(d.validTo)}` : '—'}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('decision.signedBy')}</dt>
              <dd>
                <ul className="plain-list">
                  {d.signatures.map((x) => (
                    <li key={x.fingerprint} data-testid="decision-signature">
                      {x.subject} · {format.time(x.signedAt)}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div className="facts__row">
              <dt>{t('decision.status')}</dt>
              <dd data-testid="decision-status">
                {d.status === 'issued'
                  ? t('decision.status.issued', { count: d.signatures.length })
                  : t('decision.status.awaiting')}
              </dd>
            </div>
            <div className="facts__row">
              <dt>{t('decision.acceptedRisks')}</dt>
              <dd>{d.acceptedRisks.map((r) => r.ref).join(', ') || '—'}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('doc.dossierHash')}</dt>
              <dd className="mono">{grouped(d.dossierSha256)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('decision.pdfHash')}</dt>
              <dd className="mono">{grouped(d.pdfSha256)}</dd>
            </div>
          </dl>
          {letter ? (
            <>
              <VerificationResult result={letter.verification} />
              <PdfLink base64={letter.pdf} name={`${d.ref}.pdf`} label={t('decision.saveLetter')} />
            </>
          ) : null}
        </section>
      ) : null}
      {d && d.status === 'awaiting_countersignature' && accreditor ? (
        <>
          <CountersignForm
            detail={detail}
            decision={d}
            onSigned={() => {
              decided.reload();
              onChanged();
            }}
          />
          <DiscardForm
            detail={detail}
            onDiscarded={() => {
              decided.reload();
              onChanged();
            }}
          />
        </>
      ) : accreditor && decisionsIn(detail.state).length > 0 ? (
        <IssueForm
          // A fresh form for each state: the decisions open here differ after each one.
          key={detail.state}
          detail={detail}
          info={info}
          onIssued={() => {
            decided.reload();
            onChanged();
          }}
        />
      ) : d ? null : (
        <p className="help">{t('decision.notYet')}</p>
      )}
      <Disposal detail={detail} onChanged={onChanged} />
      <Documents detail={detail} />
      <Packages detail={detail} />
    </div>
  );
}

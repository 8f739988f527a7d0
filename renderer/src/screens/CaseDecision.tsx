/**
 * The decision on a case: what was decided and signed (with the letter and its verification),
 * or — for an accreditor in "decision pending" — the form that issues and signs it. Also the
 * documents of the case (dossier report, signed residual-risk acceptance) and its packages.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CaseDetail, ResponseOf } from '../../../shared/contract';
import { errorMessage, reasonMessage, type MessageKey } from '../../../shared/i18n';
import {
  APPROVING,
  DECISION_EFFECTS,
  decisionsIn,
  type DecisionType,
} from '../../../shared/lifecycle';
import { ConfirmButton } from '../components/Confirm';
import { call, callRaw } from '../api';
import { bytesOf, PdfView } from '../components/EvidencePreview';
import { Field, SelectField } from '../components/Field';
import { PathField } from '../components/PathField';
import { useFormat, useRefusal } from '../format';
import { useIssues, useT } from '../i18n';
import { pdfUrl } from '../pdf';
import { useLanguage } from '../stores/preferences';
import { useVault } from '../stores/vault';
import { grouped, useIdentities, VerificationResult } from './Signing';
import { useUnsavedForm } from '../stores/unsaved';

type Decision = ResponseOf<'decisions:get'>;
type Verification = ResponseOf<'documents:verify'>;

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
  const fieldIssues = useIssues();
  const accreditor = useVault((s) => s.status?.profile?.role === 'accreditor');
  const [recorded, setRecorded] = useState<ResponseOf<'cases:disposal'>['disposal']>(null);
  const [form, setForm] = useState({
    verifiedBy: '',
    method: '',
    verifiedOn: new Date().toISOString().slice(0, 10),
  });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(0);
  const clean = useUnsavedForm(
    { verifiedBy: form.verifiedBy, method: form.method },
    { verifiedBy: '', method: '' },
  );
  useEffect(() => {
    void call('cases:disposal', { id: detail.id }).then((r) => setRecorded(r?.disposal ?? null));
  }, [detail.id, version]);
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
      className="panel entity-form"
      aria-label={t('disposal.title')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void callRaw('cases:recordDisposal', { caseId: detail.id, disposal: form }).then((r) => {
          if (r.ok) {
            clean();
            setVersion((v) => v + 1);
            onChanged();
          } else {
            setIssues(fieldIssues.byField(r.error));
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
          error={issues.verifiedBy}
        />
        <Field
          label={t('disposal.method')}
          value={form.method}
          onChange={(e) => setForm({ ...form, method: e.target.value })}
          error={issues.method}
        />
        <Field
          label={t('disposal.verifiedOn')}
          type="date"
          value={form.verifiedOn}
          onChange={(e) => setForm({ ...form, verifiedOn: e.target.value })}
          error={issues.verifiedOn}
        />
      </div>
      <button type="submit">{t('disposal.record')}</button>
    </form>
  );
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
  const language = useLanguage();
  const [listing] = useIdentities();
  const types = decisionsIn(detail.state);
  const [type, setType] = useState<DecisionType>(types[0] ?? 'full_approval');
  const [validTo, setValidTo] = useState('');
  const [conditions, setConditions] = useState('');
  const [reason, setReason] = useState('');
  const [identityId, setIdentityId] = useState('');
  const [pin, setPin] = useState('');
  const [docLanguage, setDocLanguage] = useState<'da' | 'en'>(language);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const identities = (listing?.identities ?? []).filter((i) => !i.expired);
  const chosen = identityId || identities[0]?.id || '';
  const onToken = identities.find((i) => i.id === chosen)?.kind === 'pkcs11';
  const approving = APPROVING.includes(type);
  const [draft, setDraft] = useState<Uint8Array | null>(null);
  const clean = useUnsavedForm(
    { validTo, conditions, reason },
    { validTo: '', conditions: '', reason: '' },
  );
  const payload = () => ({
    type,
    validTo: approving ? validTo || info.defaults[type] || null : null,
    conditions: conditions
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((text) => {
        // "REQ-01: text" ties the condition to a requirement of the case (it then covers it).
        const [head, ...rest] = text.split(':');
        const requirementId = head?.trim() ?? '';
        return rest.length > 0 && detail.items.some((i) => i.requirementId === requirementId)
          ? { text: rest.join(':').trim(), requirementId }
          : { text };
      }),
    identityId: chosen,
    language: docLanguage,
    reason,
    ...(onToken && pin ? { pin } : {}),
  });
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
      const code = r.error.details?.reason;
      setMessage(
        typeof code === 'string'
          ? refusal(code, r.error.details)
          : errorMessage(language, r.error.code),
      );
    });
  };
  return (
    <form
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
          onChange={(e) => setType(e.target.value as DecisionType)}
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
            help={t('decision.validTo.help', { date: info.defaults[type] ?? '—' })}
            value={validTo || info.defaults[type] || ''}
            onChange={(e) => setValidTo(e.target.value)}
          />
        ) : null}
        <SelectField
          label={t('decision.identity')}
          value={chosen}
          onChange={(e) => setIdentityId(e.target.value)}
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
      <div className="field">
        <label htmlFor="decision-conditions">{t('decision.conditions')}</label>
        <textarea
          id="decision-conditions"
          rows={3}
          value={conditions}
          onChange={(e) => setConditions(e.target.value)}
          aria-describedby="decision-conditions-help"
        />
        <p className="help" id="decision-conditions-help">
          {t('decision.conditions.help')}
        </p>
      </div>
      <Field
        label={t('decision.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
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
                  setMessage(errorMessage(language, r.error.code));
                }
              },
            );
          }}
        >
          {t('decision.preview')}
        </button>
        <ConfirmButton
          label={busy ? t('decision.signing') : t('decision.issueAndSign')}
          disabled={busy || !chosen || reason.trim().length < 3}
          disabledReason={
            !chosen
              ? t('decision.noIdentity')
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
    (i) => !i.expired && !signed.has(i.fingerprint),
  );
  const [identityId, setIdentityId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const chosen = identityId || identities[0]?.id || '';
  const onToken = identities.find((i) => i.id === chosen)?.kind === 'pkcs11';
  const clean = useUnsavedForm(reason, '');
  return (
    <form
      className="panel entity-form"
      aria-label={t('decision.countersign')}
      data-testid="countersign"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setMessage(null);
        void callRaw('decisions:countersign', {
          caseId: detail.id,
          countersign: {
            identityId: chosen,
            reason,
            language,
            ...(onToken && pin ? { pin } : {}),
          },
        }).then((r) => {
          setBusy(false);
          setPin('');
          if (r.ok) {
            clean();
            onSigned();
          } else {
            setMessage(errorMessage(language, r.error.code));
          }
        });
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
          />
        ) : null}
      </div>
      <Field
        label={t('decision.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {!chosen ? <p className="help disabled-reason">{t('decision.noIdentity')}</p> : null}
      <button type="submit" disabled={busy || !chosen}>
        {busy ? t('decision.signing') : t('decision.countersign.submit')}
      </button>
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
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
  const [recipients, setRecipients] = useState<Recipients | null>(null);
  const [recipient, setRecipient] = useState('');
  const [pin, setPin] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // An owner sends submissions; an authority answers with decisions.
  const kind = accreditor ? 'decision' : 'submission';
  useEffect(
    () =>
      window.workbench.on('task:progress', (p) => {
        if (p.task === 'package-export') {
          setProgress({ done: p.done, total: p.total });
        }
      }),
    [],
  );
  useEffect(() => {
    let live = true;
    void call('packages:recipients', { kind }).then((r) => {
      if (live && r) {
        setRecipients(r.recipients);
        setRecipient((current) => current || (r.recipients[0]?.fingerprint ?? ''));
      }
    });
    return () => {
      live = false;
    };
  }, [kind]);
  const identity = listing?.identities.find((i) => !i.expired && i.usage === 'signing');
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
        {!identity || !folder || !recipient ? (
          <p className="help disabled-reason" id="package-why" data-testid="package-why">
            {t(
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
          aria-describedby={!identity || !folder || !recipient ? 'package-why' : undefined}
          disabled={!identity || !folder || !recipient}
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
  const [info, setInfo] = useState<Decision | null>(null);
  const [letter, setLetter] = useState<{ pdf: string; verification: Verification } | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void call('decisions:get', { caseId: detail.id }).then((d) => live && d && setInfo(d));
    return () => {
      live = false;
    };
  }, [detail.id, version, detail.state]);
  useEffect(() => {
    let live = true;
    if (info?.decision) {
      void call('documents:decisionPdf', { caseId: detail.id }).then(
        (r) => live && r && setLetter(r),
      );
    }
    return () => {
      live = false;
    };
  }, [detail.id, info?.decision]);
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
        <CountersignForm
          detail={detail}
          decision={d}
          onSigned={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      ) : accreditor && decisionsIn(detail.state).length > 0 ? (
        <IssueForm
          // A fresh form for each state: the decisions open here differ after each one.
          key={detail.state}
          detail={detail}
          info={info}
          onIssued={() => {
            setVersion((v) => v + 1);
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

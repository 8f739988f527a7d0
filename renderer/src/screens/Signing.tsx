/**
 * Signing identities and the trust store (Settings): create a self-signed identity or import the
 * organisation's PKCS#12, see each certificate's fingerprint and expiry, export the certificate
 * for verifiers, and keep the list of certificates this vault trusts. Also the verification
 * result shown wherever a signed PDF is checked.
 */
import { useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { TRUST_ROLES, type TrustRole } from '../../../shared/exchange';
import { declarationText, errorMessage, signatureFieldText } from '../../../shared/i18n';
import { ConfirmButton } from '../components/Confirm';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { FileButton } from '../components/FileButton';
import { Fingerprint, TrustAdd } from '../components/TrustAdd';
import { ChoiceField, Field } from '../components/Field';
import { useFormat } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { TEXT_MAX } from '../../../shared/limits';
import { useT } from '../i18n';
import { fileToBase64 } from '../pdf';
import { useLanguage } from '../stores/preferences';
import { useLevelLabel } from '../stores/register';
import type { LetterDeclaration } from '../../../shared/signatures';

type Listing = ResponseOf<'identities:list'>;
type Verification = ResponseOf<'documents:verify'>;

/** Groups a fingerprint in fours so people can compare it aloud. */
export function grouped(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

export function useIdentities(): [Listing | null, () => void] {
  const { data, reload } = useLoad(() => callRaw('identities:list', {}), []);
  return [data ?? null, reload];
}

/** The date and time of an ISO instant in the UI's language. */
function when(iso: string | null, language: string): string {
  return iso
    ? new Date(iso).toLocaleString(language === 'da' ? 'da-DK' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'UTC',
      }) + ' UTC'
    : '—';
}

/** What four eyes was judged by: the decision a letter's signed keywords declare, or none. */
function Declaration({ declaration }: { declaration: LetterDeclaration }) {
  const language = useLanguage();
  const levelLabel = useLevelLabel();
  return (
    <p
      className="verification__declaration"
      data-testid="verification-declaration"
      data-kind={declaration.kind}
    >
      {declarationText(language, declaration, (code) => levelLabel(code))}
    </p>
  );
}

/** The outcome of verifying a PDF: the verdict, then every signature with its path and status. */
export function VerificationResult({ result }: { result: Verification }) {
  const t = useT();
  const language = useLanguage();
  return (
    <div
      className={
        result.valid ? 'verification verification--valid' : 'verification verification--invalid'
      }
      role="status"
      data-testid="verification"
      data-valid={result.valid ? 'true' : 'false'}
      data-status={result.status}
    >
      <strong>
        {result.status === 'valid'
          ? t('verify.valid', { count: result.signatures.length })
          : result.status === 'awaiting_countersignature'
            ? t('verify.awaiting', {
                count: result.signatures.length,
                fields: result.unsignedFields
                  .map((f) => signatureFieldText(language, f))
                  .join(', '),
              })
            : result.fourEyes
              ? t(result.signatures.length === 1 ? 'verify.fourEyesOne' : 'verify.fourEyes', {
                  count: result.signatures.length,
                  reason: t(`countersign.reason.${result.fourEyes.reason}`),
                })
              : result.notADecision
                ? t('verify.notADecision', { count: result.signatures.length })
                : t(result.status === 'indeterminate' ? 'verify.indeterminate' : 'verify.invalid', {
                    reason: t(`verify.reason.${result.reason ?? 'MALFORMED_SIGNATURE'}`),
                  })}
      </strong>
      <p className="verification__verdict" data-testid="verification-verdict">
        {t('verify.indication')}: {t(`verify.indication.${result.indication}`)}
        {result.subIndication ? ` — ${t(`verify.sub.${result.subIndication}`)}` : ''}
      </p>
      {result.declaration ? <Declaration declaration={result.declaration} /> : null}
      {result.signatures.map((sig, i) => (
        <section
          key={`${sig.field}-${i}`}
          className="verification__signature"
          data-testid="verified-signature"
          data-status={sig.status}
          aria-label={t('verify.signature', { n: i + 1 })}
        >
          <h4>
            {t('verify.signature', { n: i + 1 })}:{' '}
            {sig.field ? signatureFieldText(language, sig.field) : '—'} —{' '}
            {sig.status === 'valid'
              ? t('verify.status.valid')
              : `${t(`verify.status.${sig.status}`)}: ${t(`verify.reason.${sig.reason ?? 'MALFORMED_SIGNATURE'}`)}`}
          </h4>
          <dl className="facts">
            {sig.signer ? (
              <div className="facts__row">
                <dt>{t('verify.signer')}</dt>
                <dd>{sig.signer.subject}</dd>
              </div>
            ) : null}
            <div className="facts__row">
              <dt>{t('verify.signedAt')}</dt>
              <dd>{when(sig.claimedTime, language)}</dd>
            </div>
            {sig.revision !== null ? (
              <div className="facts__row">
                <dt>{t('verify.revision')}</dt>
                <dd>
                  {t('verify.revisionOf', { n: sig.revision, of: result.revisions })}
                  {sig.coversWholeFile ? '' : ` — ${t('verify.laterRevisions')}`}
                </dd>
              </div>
            ) : null}
            {sig.level ? (
              <div className="facts__row">
                <dt>{t('verify.level')}</dt>
                <dd>{sig.level}</dd>
              </div>
            ) : null}
            {sig.path.length ? (
              <div className="facts__row">
                <dt>{t('verify.path')}</dt>
                <dd>
                  <ol className="verification__path">
                    {sig.path.map((c) => (
                      <li key={c.fingerprint}>
                        {c.subject}
                        <div className="mono">{grouped(c.fingerprint)}</div>
                      </li>
                    ))}
                  </ol>
                </dd>
              </div>
            ) : null}
            {sig.warnings.length ? (
              <div className="facts__row">
                <dt>{t('verify.warnings')}</dt>
                <dd>
                  <ul>
                    {sig.warnings.map((w) => (
                      <li key={w}>{t(`verify.warning.${w}`)}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            {sig.detail ? (
              <div className="facts__row">
                <dt>{t('verify.detail')}</dt>
                <dd lang="en">{sig.detail}</dd>
              </div>
            ) : null}
          </dl>
        </section>
      ))}
      {result.unsignedFields.map((field) => (
        <section
          key={`unsigned-${field}`}
          className="verification__signature"
          data-testid="unsigned-field"
          data-status="unsigned"
        >
          <h4>
            {signatureFieldText(language, field)} — {t('verify.unsigned')}
          </h4>
        </section>
      ))}
    </div>
  );
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const ALGORITHMS = ['rsa-3072', 'ec-p256', 'ec-p384'] as const;
const USAGES = ['signing', 'encryption'] as const;

type TokenCertificates = ResponseOf<'identities:tokenCertificates'>['certificates'];

/** Identities on a smart card or HSM: the module, the token's certificates, adding one. */
function TokenIdentities({
  module,
  onChange,
  say,
}: {
  module: string | null;
  onChange: () => void;
  say: (text: string) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const [certificates, setCertificates] = useState<TokenCertificates | null>(null);
  return (
    <>
      <h3>{t('pkcs11.title')}</h3>
      <p className="help">{t('pkcs11.help')}</p>
      <p data-testid="pkcs11-module">
        {module ? t('pkcs11.module', { module }) : t('pkcs11.none')}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void call('identities:chooseModule', {}).then((r) => {
              if (r && r.pkcs11Module === module && !module) {
                say(t('pkcs11.noDialog'));
              }
              onChange();
            })
          }
        >
          {t('pkcs11.choose')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!module}
          title={module ? undefined : t('pkcs11.none')}
          onClick={() =>
            void callRaw('identities:tokenCertificates', {}).then((r) =>
              r.ok
                ? setCertificates(r.value.certificates)
                : say(errorMessage(language, r.error.code)),
            )
          }
        >
          {t('pkcs11.read')}
        </button>
      </div>
      {certificates ? (
        certificates.length ? (
          <ul className="identity-list" data-testid="token-certificates">
            {certificates.map((c) => (
              <li key={c.fingerprint}>
                <strong>{c.label || c.subject}</strong> — {c.subject} ({c.tokenLabel})
                <div className="mono">{grouped(c.fingerprint)}</div>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void callRaw('identities:addToken', {
                      fingerprint: c.fingerprint,
                      label: `${c.label || c.subject} (${c.tokenLabel})`,
                    }).then((r) => {
                      if (r.ok) {
                        say(t('pkcs11.added'));
                        onChange();
                      } else {
                        say(errorMessage(language, r.error.code));
                      }
                    })
                  }
                >
                  {t('pkcs11.use')}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('pkcs11.empty')}</p>
        )
      ) : null}
    </>
  );
}

export function SigningIdentities() {
  const t = useT();
  const format = useFormat();
  const language = useLanguage();
  const [listing, reload] = useIdentities();
  const [message, setMessage] = useState<string | null>(null);
  const [commonName, setCommonName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [algorithm, setAlgorithm] = useState<(typeof ALGORITHMS)[number]>('rsa-3072');
  const [usage, setUsage] = useState<(typeof USAGES)[number]>('signing');
  const [importUsage, setImportUsage] = useState<(typeof USAGES)[number]>('signing');
  const [role, setRole] = useState<TrustRole>('documents');
  const [password, setPassword] = useState('');
  const createForm = useFormErrors();
  const fail = (code: Parameters<typeof errorMessage>[1]) =>
    setMessage(errorMessage(language, code));
  if (!listing) {
    return null;
  }
  return (
    <section className="field-group" aria-labelledby="signing-title" data-testid="signing">
      <h2 id="signing-title">{t('signing.title')}</h2>
      <p className="help">{t('signing.help')}</p>
      {listing.identities.length ? (
        <ul className="identity-list">
          {listing.identities.map((i) => (
            <li key={i.id} data-testid="identity">
              <strong>{i.label}</strong> — {i.subject}
              <div className="muted">
                {t(`signing.usage.${i.usage}`)} · {t(`signing.kind.${i.kind}`)} · {i.algorithm}
                {i.token ? ` · ${t('signing.token', { token: i.token })}` : ''}
              </div>
              <div className="mono">{grouped(i.fingerprint)}</div>
              <div className={i.expired || i.daysLeft < 60 ? 'warning' : 'muted'}>
                {i.expired
                  ? t('signing.expired', { date: format.day(i.notAfter.slice(0, 10)) })
                  : t('signing.validUntil', {
                      date: format.day(i.notAfter.slice(0, 10)),
                      days: i.daysLeft,
                    })}
              </div>
              <div className="button-row">
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void call('identities:certificate', { id: i.id }).then(
                      (r) => r && download(`${i.label}.pem`, r.pem, 'application/x-pem-file'),
                    )
                  }
                >
                  {t('signing.exportCertificate')}
                </button>
                {i.usage === 'signing' ? (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      void call('identities:exchangeCertificates', { id: i.id }).then(
                        (r) =>
                          r && download(`${i.label} exchange.pem`, r.pem, 'application/x-pem-file'),
                      )
                    }
                  >
                    {t('signing.exchangeCertificates')}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('signing.none')}</p>
      )}
      <form
        {...createForm.element}
        data-form="identity"
        className="form-grid"
        aria-label={t('signing.create')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void callRaw('identities:createSelfSigned', {
            label: `${commonName} (${t(`signing.usageShort.${usage}`)}, ${t('signing.selfSigned')})`,
            commonName,
            organisation,
            algorithm,
            usage,
          }).then((r) => {
            if (r.ok) {
              createForm.clear();
              setMessage(t('signing.created'));
              reload();
            } else {
              setMessage(null);
              createForm.show(r.error);
            }
          });
        }}
      >
        <Field
          label={t('signing.commonName')}
          value={commonName}
          onChange={(e) => setCommonName(e.target.value)}
          error={createForm.error('commonName') ?? createForm.error('label')}
          limit={TEXT_MAX.commonName}
        />
        <Field
          label={t('signing.organisation')}
          value={organisation}
          onChange={(e) => setOrganisation(e.target.value)}
          error={createForm.error('organisation')}
          limit={TEXT_MAX.certificateOrganisation}
        />
        <ChoiceField
          label={t('signing.algorithm')}
          value={algorithm}
          choices={ALGORITHMS}
          render={(a) => t(`signing.algorithm.${a}`)}
          onChange={(a) => a && setAlgorithm(a)}
        />
        <ChoiceField
          label={t('signing.usage')}
          value={usage}
          choices={USAGES}
          render={(u) => t(`signing.usage.${u}`)}
          onChange={(u) => u && setUsage(u)}
        />
        <FormProblem form={createForm} />
        <button type="submit">{t('signing.create')}</button>
      </form>
      <div className="form-grid">
        <Field
          label={t('signing.p12Password')}
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ChoiceField
          label={t('signing.usage')}
          value={importUsage}
          choices={USAGES}
          render={(u) => t(`signing.usage.${u}`)}
          onChange={(u) => u && setImportUsage(u)}
        />
        <FileButton
          label={t('signing.importP12')}
          accept=".p12,.pfx,application/x-pkcs12"
          onFile={(file) => {
            void fileToBase64(file).then(async (data) => {
              const r = await callRaw('identities:importKeyFile', {
                label: file.name,
                data,
                password,
                usage: importUsage,
              });
              setPassword('');
              if (r.ok) {
                setMessage(t('signing.imported'));
                reload();
              } else {
                fail(r.error.code);
              }
            });
          }}
        />
      </div>
      <TokenIdentities module={listing.pkcs11Module} onChange={reload} say={setMessage} />
      <h3>{t('trust.title')}</h3>
      <p className="help">{t('trust.help')}</p>
      <ul className="identity-list">
        {listing.trusted.map((c) => (
          <li key={c.fingerprint} data-testid="trusted">
            {c.subject}
            <div className="muted">
              {[c.canSign ? t('trust.canSign') : null, c.canEncrypt ? t('trust.canEncrypt') : null]
                .filter(Boolean)
                .join(' · ')}
            </div>
            <div>
              <Fingerprint hex={c.fingerprint} />
            </div>
            <ChoiceField
              label={t('trust.role')}
              value={c.role}
              choices={TRUST_ROLES}
              render={(r) => t(`trust.role.${r}`)}
              onChange={(r) =>
                r &&
                void callRaw('trust:setRole', { fingerprint: c.fingerprint, role: r }).then((x) =>
                  x.ok ? reload() : fail(x.error.code),
                )
              }
            />
            <ConfirmButton
              label={t('trust.remove')}
              className="secondary"
              impact={
                <p>
                  {t('trust.remove.impact', {
                    subject: c.subject,
                    role: t(`trust.role.${c.role}`),
                  })}
                </p>
              }
              onConfirm={() =>
                callRaw('trust:remove', { fingerprint: c.fingerprint }).then((r) =>
                  r.ok ? reload() : fail(r.error.code),
                )
              }
            />
          </li>
        ))}
      </ul>
      <ChoiceField
        label={t('trust.role')}
        value={role}
        choices={TRUST_ROLES}
        render={(r) => t(`trust.role.${r}`)}
        onChange={(r) => r && setRole(r)}
      />
      <TrustAdd
        role={role}
        onAdded={(count) => {
          setMessage(t('trust.added', { count }));
          reload();
        }}
        onError={fail}
      />
      <h3>{t('trust.crls')}</h3>
      <p className="help">{t('trust.crls.help')}</p>
      {listing.crls.length ? (
        <ul className="identity-list">
          {listing.crls.map((c) => (
            <li key={c.fingerprint} data-testid="crl">
              {c.issuer}
              <div className={c.stale ? 'warning' : 'muted'}>
                {t('trust.crl.facts', {
                  entries: c.entries,
                  next: c.nextUpdate ? format.day(c.nextUpdate.slice(0, 10)) : '—',
                })}
                {c.stale ? ` — ${t('trust.crl.stale')}` : ''}
              </div>
              <ConfirmButton
                label={t('trust.remove')}
                className="secondary"
                impact={<p>{t('trust.removeCrl.impact')}</p>}
                onConfirm={() =>
                  callRaw('trust:removeCrl', { fingerprint: c.fingerprint }).then((r) =>
                    r.ok ? reload() : fail(r.error.code),
                  )
                }
              />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('trust.crl.none')}</p>
      )}
      <FileButton
        label={t('trust.addCrl')}
        accept=".crl,.pem"
        onFile={(file) => {
          void fileToBase64(file).then(async (data) => {
            const r = await callRaw('trust:addCrl', { data });
            if (r.ok) {
              setMessage(t('trust.crlAdded'));
              reload();
            } else {
              fail(r.error.code);
            }
          });
        }}
      />
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}

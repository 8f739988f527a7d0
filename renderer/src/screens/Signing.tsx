/**
 * Signing identities and the trust store (Settings): create a self-signed identity or import the
 * organisation's PKCS#12, see each certificate's fingerprint and expiry, export the certificate
 * for verifiers, and keep the list of certificates this vault trusts. Also the verification
 * result shown wherever a signed PDF is checked.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { errorMessage } from '../../../shared/i18n';
import { call, callRaw } from '../api';
import { FileButton } from '../components/FileButton';
import { Field } from '../components/Field';
import { useT } from '../i18n';
import { fileToBase64 } from '../pdf';
import { useLanguage } from '../stores/preferences';

type Listing = ResponseOf<'identities:list'>;
type Verification = ResponseOf<'documents:verify'>;

/** Groups a fingerprint in fours so people can compare it aloud. */
export function grouped(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

export function useIdentities(): [Listing | null, () => void] {
  const [listing, setListing] = useState<Listing | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void call('identities:list', {}).then((r) => live && r && setListing(r));
    return () => {
      live = false;
    };
  }, [version]);
  return [listing, useCallback(() => setVersion((v) => v + 1), [])];
}

export function VerificationResult({ result }: { result: Verification }) {
  const t = useT();
  return (
    <div
      className={
        result.valid ? 'verification verification--valid' : 'verification verification--invalid'
      }
      role="status"
      data-testid="verification"
    >
      <strong>
        {result.valid
          ? t(result.trusted ? 'verify.validTrusted' : 'verify.validUntrusted')
          : t('verify.invalid', {
              reason: t(`verify.failure.${result.failure ?? 'MALFORMED'}` as never),
            })}
      </strong>
      {result.signer ? (
        <dl className="facts">
          <div className="facts__row">
            <dt>{t('verify.signer')}</dt>
            <dd>{result.signer.subject}</dd>
          </div>
          <div className="facts__row">
            <dt>{t('verify.signedAt')}</dt>
            <dd>{result.signedAt ?? '—'}</dd>
          </div>
          <div className="facts__row">
            <dt>{t('verify.certificate')}</dt>
            <dd>
              {result.signer.notBefore.slice(0, 10)} – {result.signer.notAfter.slice(0, 10)}
            </dd>
          </div>
          <div className="facts__row">
            <dt>SHA-256</dt>
            <dd className="mono">{grouped(result.signer.fingerprint)}</dd>
          </div>
        </dl>
      ) : null}
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

export function SigningIdentities() {
  const t = useT();
  const language = useLanguage();
  const [listing, reload] = useIdentities();
  const [message, setMessage] = useState<string | null>(null);
  const [commonName, setCommonName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [password, setPassword] = useState('');
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
              <div className="mono">{grouped(i.fingerprint)}</div>
              <div className={i.expired || i.daysLeft < 60 ? 'warning' : 'muted'}>
                {i.expired
                  ? t('signing.expired', { date: i.notAfter.slice(0, 10) })
                  : t('signing.validUntil', { date: i.notAfter.slice(0, 10), days: i.daysLeft })}
              </div>
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
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('signing.none')}</p>
      )}
      <form
        className="form-grid"
        aria-label={t('signing.create')}
        onSubmit={(e) => {
          e.preventDefault();
          void callRaw('identities:createSelfSigned', {
            label: `${commonName} (${t('signing.selfSigned')})`,
            commonName,
            organisation,
          }).then((r) => {
            if (r.ok) {
              setMessage(t('signing.created'));
              reload();
            } else {
              fail(r.error.code);
            }
          });
        }}
      >
        <Field
          label={t('signing.commonName')}
          value={commonName}
          onChange={(e) => setCommonName(e.target.value)}
        />
        <Field
          label={t('signing.organisation')}
          value={organisation}
          onChange={(e) => setOrganisation(e.target.value)}
        />
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
        <FileButton
          label={t('signing.importP12')}
          accept=".p12,.pfx,application/x-pkcs12"
          onFile={(file) => {
            void fileToBase64(file).then(async (data) => {
              const r = await callRaw('identities:importKeyFile', {
                label: file.name,
                data,
                password,
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
      <h3>{t('trust.title')}</h3>
      <p className="help">{t('trust.help')}</p>
      <ul className="identity-list">
        {listing.trusted.map((c) => (
          <li key={c.fingerprint} data-testid="trusted">
            {c.subject}
            <div className="mono">{grouped(c.fingerprint)}</div>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void callRaw('trust:remove', { fingerprint: c.fingerprint }).then((r) =>
                  r.ok ? reload() : fail(r.error.code),
                )
              }
            >
              {t('trust.remove')}
            </button>
          </li>
        ))}
      </ul>
      <FileButton
        label={t('trust.add')}
        accept=".pem,.crt,.cer"
        onFile={(file) => {
          void file.text().then(async (pem) => {
            const r = await callRaw('trust:add', { pem });
            if (r.ok) {
              setMessage(t('trust.added'));
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

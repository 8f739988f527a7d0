/**
 * Trust after comparison (issue 22): choosing a certificate file trusts nothing yet. Its subject
 * and SHA-256 fingerprint are shown as people read them aloud (pairs of hex, four bytes to a
 * group), the user compares them with the sender by another channel and says so; only then does
 * the core add it (and refuses, with its own message, when the comparison is not confirmed).
 */
import { Fragment, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import type { TrustRole } from '../../../shared/exchange';
import { fingerprintGroups } from '../../../shared/fingerprint';
import { errorMessage } from '../../../shared/i18n';
import { callRaw } from '../api';
import { useT } from '../i18n';
import { useLanguage } from '../stores/preferences';
import { FileButton } from './FileButton';

type Inspected = ResponseOf<'trust:inspect'>['certificates'];

/** A SHA-256 fingerprint in eight groups of four bytes, as it is read aloud. */
export function Fingerprint({ hex }: { hex: string }) {
  return (
    <span className="fingerprint" data-testid="fingerprint" data-fingerprint={hex}>
      {fingerprintGroups(hex).map((group, i) => (
        <Fragment key={i}>
          {i ? ' ' : null}
          <span>{group}</span>
        </Fragment>
      ))}
    </span>
  );
}

export function TrustAdd({
  role,
  onAdded,
  onError,
}: {
  role: TrustRole;
  onAdded: (count: number) => void;
  onError: (code: ErrorCode) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const [pending, setPending] = useState<{ pem: string; certificates: Inspected } | null>(null);
  const [compared, setCompared] = useState(false);
  const [refused, setRefused] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);

  async function accept() {
    if (!pending) {
      return;
    }
    setBusy(true);
    // The fingerprints shown, as compared; without the confirmation none, and the core refuses.
    const r = await callRaw('trust:add', {
      pem: pending.pem,
      role,
      compared: compared ? pending.certificates.map((c) => c.fingerprint) : [],
    });
    setBusy(false);
    if (r.ok) {
      setPending(null);
      onAdded(r.value.fingerprints.length);
    } else {
      setRefused(r.error.code);
    }
  }

  return (
    <>
      <FileButton
        label={t('trust.add')}
        accept=".pem,.crt,.cer"
        testId="trust-file"
        onFile={(file) => {
          void file.text().then(async (pem) => {
            const r = await callRaw('trust:inspect', { pem });
            if (r.ok) {
              setPending({ pem, certificates: r.value.certificates });
              setCompared(false);
              setRefused(null);
            } else {
              onError(r.error.code);
            }
          });
        }}
      />
      {pending ? (
        <section
          className="panel trust-compare"
          aria-labelledby="trust-compare-title"
          data-testid="trust-compare"
        >
          <h4 id="trust-compare-title">{t('trust.compare.title')}</h4>
          <p className="help">{t('trust.compare.help')}</p>
          {pending.certificates.map((c) => (
            <dl key={c.fingerprint} className="trust-compare__certificate">
              <dt>{t('trust.compare.subject')}</dt>
              <dd>{c.subject}</dd>
              <dt>{t('trust.compare.fingerprint')}</dt>
              <dd>
                <Fingerprint hex={c.fingerprint} />
              </dd>
            </dl>
          ))}
          <label className="radio">
            <input
              type="checkbox"
              checked={compared}
              onChange={(e) => {
                setCompared(e.target.checked);
                setRefused(null);
              }}
            />
            {t('trust.compare.confirm')}
          </label>
          {refused ? (
            <p role="alert" className="field__error">
              {errorMessage(language, refused)}
            </p>
          ) : null}
          <div className="toolbar">
            <button type="button" disabled={busy} onClick={() => void accept()}>
              {t('trust.compare.accept')}
            </button>
            <button type="button" className="secondary" onClick={() => setPending(null)}>
              {t('trust.compare.cancel')}
            </button>
          </div>
        </section>
      ) : null}
    </>
  );
}

/**
 * Exchange and verification: check any signed PDF (integrity, signer, trust, time), receive a
 * package — verified completely and previewed before anything changes — and the log of what was
 * sent and received.
 */
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { errorMessage, previewLine, reasonMessage } from '../../../shared/i18n';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { hrefFor } from '../router';
import { useOnScreen } from '../stores/register';
import { FileButton } from '../components/FileButton';
import { PathField } from '../components/PathField';
import { TableHead } from '../components/TableHead';
import { useFormat } from '../format';
import { FormProblem, useFormErrors } from '../forms';
import { useT } from '../i18n';
import { fileToBase64 } from '../pdf';
import { useLanguage } from '../stores/preferences';
import { VerificationResult } from './Signing';

type Preview = ResponseOf<'packages:inspect'>;

function VerifyPdf() {
  const t = useT();
  const language = useLanguage();
  const [result, setResult] = useState<ResponseOf<'documents:verify'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p className="help">{t('verify.help')}</p>
      <FileButton
        label={t('verify.choose')}
        accept="application/pdf,.pdf"
        testId="verify-file"
        onFile={(file) => {
          setResult(null);
          void fileToBase64(file).then(async (pdf) => {
            const r = await callRaw('documents:verify', { pdf });
            if (r.ok) {
              setError(null);
              setResult(r.value);
            } else {
              setError(errorMessage(language, r.error.code));
            }
          });
        }}
      />
      {result ? <VerificationResult result={result} /> : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function ReceivePackage({ onImported }: { onImported: () => void }) {
  const t = useT();
  const language = useLanguage();
  const [file, setFile] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [imported, setImported] = useState<{ id: string; ref: string } | null>(null);
  // A package refused on inspection is said on its file's field.
  const form = useFormErrors({ field: 'file' });
  // The banner carries the marking of the package shown (its signed marking, read by this
  // vault's scheme), and nothing once it is gone.
  useOnScreen(preview?.levels ?? []);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(
    () =>
      window.workbench.on('task:progress', (p) => {
        if (p.task === 'package-import') {
          setProgress({ done: p.done, total: p.total });
        }
      }),
    [],
  );
  // A refusal reads as what was refused, then why (the reason, translated).
  const refused = (error: {
    code: Parameters<typeof errorMessage>[1];
    details?: Record<string, unknown>;
  }) => {
    const why = reasonMessage(language, error.code, error.details);
    setMessage(`${errorMessage(language, error.code)}${why ? ` ${t('reason', { why })}` : ''}`);
  };
  return (
    <section className="panel" aria-labelledby="receive-title">
      <h2 id="receive-title">{t('packages.receive')}</h2>
      <p className="help">{t('packages.receive.help')}</p>
      <form
        {...form.element}
        data-form="package-inspect"
        className="form-grid"
        aria-label={t('packages.receive')}
        onSubmit={(e) => {
          e.preventDefault();
          setPreview(null);
          setMessage(null);
          setImported(null);
          form.clear();
          void callRaw('packages:inspect', { file }).then((r) =>
            r.ok ? setPreview(r.value) : form.show(r.error),
          );
        }}
      >
        <PathField
          label={t('packages.file')}
          value={file}
          onChange={setFile}
          placeholder="/media/usb/NATO-SECRET--ACME-CASE-2026-0001--submission--0001.awbpkg"
          chooseLabel={t('packages.chooseFile')}
          pick={async () => (await call('packages:pickFile', {}))?.file ?? null}
          onNoDialog={() => setMessage(t('packages.typePath'))}
          error={form.error('file')}
        />
        <FormProblem form={form} />
        <button type="submit">{t('packages.check')}</button>
      </form>
      {preview ? (
        <div data-testid="package-preview">
          <p>
            {t('packages.verified', {
              kind: t(`packages.kind.${preview.kind}`),
              case: preview.caseRef,
              sender: preview.sender,
            })}
            {preview.encrypted ? ` ${t('packages.wasEncrypted')}` : ''}
          </p>
          <p className="muted" data-testid="package-facts">
            {t('packages.preview.facts', {
              sequence: preview.sequence,
              marking: preview.marking,
              signer: preview.signer,
            })}
          </p>
          <ul data-testid="package-changes">
            {preview.changes.map((c, i) => (
              <li key={i} className={c.what === 'row' && c.valid === false ? 'warning' : undefined}>
                {previewLine(language, c)}
              </li>
            ))}
          </ul>
          <button
            type="button"
            onClick={() => {
              setProgress({ done: 0, total: 1 });
              void callRaw('packages:import', { file }).then((r) => {
                setProgress(null);
                if (r.ok) {
                  setPreview(null);
                  setMessage(null);
                  setImported({ id: r.value.caseId, ref: r.value.caseRef });
                  onImported();
                } else {
                  refused(r.error);
                }
              });
            }}
          >
            {t('packages.import')}
          </button>
        </div>
      ) : null}
      {progress ? (
        <progress
          max={progress.total || 1}
          value={progress.done}
          aria-label={t('packages.receive')}
        />
      ) : null}
      {imported ? (
        <p role="status" data-testid="package-imported">
          <ImportedInto caseRef={imported.ref} href={hrefFor('cases', imported.id)} />
        </p>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}

/** "Imported into case X.", the case a link to it. */
function ImportedInto({ caseRef, href }: { caseRef: string; href: string }) {
  const t = useT();
  const [before, after] = t('packages.imported', { case: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <a href={href} data-testid="imported-case">
        {caseRef}
      </a>
      {after}
    </>
  );
}

export function Exchange() {
  const t = useT();
  const format = useFormat();
  const { data, reload } = useLoad(() => callRaw('packages:log', {}), []);
  const log = data?.entries ?? [];
  return (
    <div className="stack">
      <VerifyPdf />
      <ReceivePackage onImported={reload} />
      <section className="panel" aria-labelledby="log-title">
        <h2 id="log-title">{t('packages.log')}</h2>
        {log.length === 0 ? <p className="empty-inline">{t('packages.log.none')}</p> : null}
        <div
          className="table-scroll"
          tabIndex={0}
          aria-label={t('packages.log')}
          hidden={log.length === 0}
        >
          <table className="table">
            <TableHead
              columns={
                [
                  'packages.col.at',
                  'packages.col.direction',
                  'packages.col.case',
                  'packages.col.marking',
                  'packages.col.counterpart',
                  'packages.col.sha',
                ] as const
              }
            />
            <tbody>
              {log.map((l) => (
                <tr key={`${l.at}${l.sha256}`}>
                  <td>{format.time(l.at)}</td>
                  <td>
                    {t(`packages.direction.${l.direction as 'sent' | 'received'}`)} ·{' '}
                    {t(`packages.kind.${l.kind as 'submission' | 'decision'}`)}
                    {l.sequence ? ` ${l.sequence}` : ''}
                  </td>
                  <td>
                    {l.caseId ? (
                      <a className="mono" href={hrefFor('cases', l.caseId)} data-testid="log-case">
                        {l.caseRef}
                      </a>
                    ) : (
                      <span className="mono">{l.caseRef}</span>
                    )}
                  </td>
                  <td>{l.marking}</td>
                  <td>{l.counterpart}</td>
                  <td className="mono">{l.sha256.slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/**
 * Shows a piece of evidence inside the app: images through a local blob: URL, PDFs drawn page
 * by page onto a canvas by pdf.js. The CSP forbids frames, objects and workers, so pdf.js runs
 * its parser in this thread (its "fake worker", fed from the bundled module), fonts are drawn
 * as paths, and nothing is fetched: the bytes come from the vault through the core.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useEffect, useMemo, useRef, useState } from 'react';
import { callRaw } from '../api';
import { useT } from '../i18n';
import { useLoad, type Outcome } from '../load';
import { errorMessage } from '../../../shared/i18n';
import { useLanguage } from '../stores/preferences';

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;

export function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function ImageView({ data, name }: { data: Uint8Array<ArrayBuffer>; name: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([data])), [data]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img src={url} alt={name} className="preview__image" />;
}

type PdfDocument = PDFDocumentProxy;

async function loadPdf(data: Uint8Array): Promise<PdfDocument> {
  const pdfjs = await import('pdfjs-dist');
  const holder = globalThis as { pdfjsWorker?: unknown };
  // The parser runs in this thread: the worker module is handed over directly.
  holder.pdfjsWorker ??= await import('pdfjs-dist/build/pdf.worker.mjs');
  return pdfjs.getDocument({
    data,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  }).promise;
}

/** A PDF drawn page by page onto a canvas (used for evidence and for draft letters). */
export function PdfView({ data }: { data: Uint8Array }) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void loadPdf(data).then(
      (d) => live && setDoc(d),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [data]);
  useEffect(() => {
    if (!doc || !canvas.current) {
      return;
    }
    const target = canvas.current;
    let task: { cancel(): void } | null = null;
    void doc.getPage(page).then((p) => {
      const viewport = p.getViewport({ scale: 1.25 });
      target.width = viewport.width;
      target.height = viewport.height;
      const rendering = p.render({ canvas: target, viewport });
      task = rendering;
      return rendering.promise.catch(() => undefined);
    });
    return () => task?.cancel();
  }, [doc, page]);
  if (failed) {
    return <p className="form-error">{t('preview.failed')}</p>;
  }
  return (
    <div>
      {doc ? (
        <div className="toolbar">
          <button
            type="button"
            className="secondary"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            {t('preview.previous')}
          </button>
          <span data-testid="preview-page">{t('preview.page', { page, pages: doc.numPages })}</span>
          <button
            type="button"
            className="secondary"
            disabled={page >= doc.numPages}
            onClick={() => setPage(page + 1)}
          >
            {t('preview.next')}
          </button>
        </div>
      ) : (
        <progress aria-label={t('preview.open')} />
      )}
      <canvas ref={canvas} className="preview__canvas" data-testid="preview-canvas" />
    </div>
  );
}

export function EvidencePreview({
  evidenceId,
  attachment,
  name,
  onClose,
}: {
  /** A case's evidence, or a record's attachment. */
  evidenceId?: string;
  attachment?: { recordId: string; address: string };
  name: string;
  onClose: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  // A refusal is said here, in the panel the user opened (not as a notification).
  const content = useLoad(
    (): Promise<Outcome<{ data: string }>> =>
      attachment
        ? callRaw('records:attachmentContent', attachment)
        : callRaw('evidence:content', { evidenceId: evidenceId ?? '' }),
    [evidenceId, attachment],
    { show: 'inline' },
  );
  const base64 = content.data?.data;
  const data = useMemo(() => (base64 === undefined ? null : bytesOf(base64)), [base64]);
  const error = content.error ? errorMessage(language, content.error.code) : null;
  return (
    <section
      className="panel preview"
      aria-label={t('preview.title', { name })}
      data-testid="evidence-preview"
    >
      <div className="toolbar">
        <h3>{t('preview.title', { name })}</h3>
        <button type="button" className="secondary" onClick={onClose}>
          {t('preview.close')}
        </button>
      </div>
      {error ? <p className="form-error">{error}</p> : null}
      {data && IMAGE.test(name) ? <ImageView data={data} name={name} /> : null}
      {data && /\.pdf$/i.test(name) ? <PdfView data={data} /> : null}
      {data && !IMAGE.test(name) && !/\.pdf$/i.test(name) ? (
        <p>{t('preview.unsupported')}</p>
      ) : null}
    </section>
  );
}

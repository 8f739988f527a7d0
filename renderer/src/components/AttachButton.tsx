/** Attach a file to a record: chunked upload into the vault, followed and cancellable. */
import { useRef, useState } from 'react';
import { callRaw } from '../api';
import { useT } from '../i18n';
import { useNotifications } from '../stores/notifications';
import { discardUpload, uploadFile, type UploadProgress } from '../upload';
import { UploadMeter } from './UploadMeter';

export function AttachButton({
  recordId,
  title,
  onDone,
}: {
  recordId: string;
  title: string;
  onDone: () => void;
}) {
  const t = useT();
  const pushError = useNotifications((s) => s.pushError);
  const [progress, setProgress] = useState<(UploadProgress & { name: string }) | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const cancel = useRef<AbortController | null>(null);

  async function attach(file: File | undefined) {
    if (!file) {
      return;
    }
    setNote(null);
    setProgress({ name: file.name, sent: 0, total: file.size, secondsLeft: null });
    const controller = new AbortController();
    cancel.current = controller;
    const uploaded = await uploadFile(
      file,
      (p) => setProgress({ ...p, name: file.name }),
      controller.signal,
    );
    cancel.current = null;
    if (uploaded.ok) {
      const attached = await callRaw('records:attach', { recordId, uploadId: uploaded.uploadId });
      if (!attached.ok) {
        await discardUpload(uploaded.uploadId);
        pushError(attached.error);
      }
    } else if ('cancelled' in uploaded) {
      setNote(t('upload.cancelled', { name: file.name }));
    } else {
      pushError({ code: uploaded.code, message: uploaded.code });
    }
    setProgress(null);
    onDone();
  }

  return (
    <span className="attach">
      <label className="link-button">
        {t('attach.button')}
        <input
          type="file"
          className="visually-hidden"
          aria-label={t('attach.label', { title })}
          onChange={(e) => void attach(e.target.files?.[0])}
          data-testid="attach-input"
        />
      </label>
      {progress ? (
        <UploadMeter
          name={progress.name}
          progress={progress}
          onCancel={() => cancel.current?.abort()}
        />
      ) : null}
      {note ? <span role="status">{note}</span> : null}
    </span>
  );
}

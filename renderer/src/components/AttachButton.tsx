/** Attach a file to a record: chunked upload into the vault with a progress bar. */
import { useState } from 'react';
import { callRaw } from '../api';
import { useT } from '../i18n';
import { useNotifications } from '../stores/notifications';
import { uploadFile } from '../upload';

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
  const [progress, setProgress] = useState<{ name: string; sent: number; total: number } | null>(
    null,
  );

  async function attach(file: File | undefined) {
    if (!file) {
      return;
    }
    setProgress({ name: file.name, sent: 0, total: file.size });
    const uploaded = await uploadFile(file, (sent, total) =>
      setProgress({ name: file.name, sent, total }),
    );
    if (uploaded.ok) {
      const attached = await callRaw('records:attach', { recordId, uploadId: uploaded.uploadId });
      if (!attached.ok) {
        pushError(attached.error);
      }
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
        <progress
          max={progress.total || 1}
          value={progress.sent}
          aria-label={t('attach.progress', { name: progress.name })}
        />
      ) : null}
    </span>
  );
}

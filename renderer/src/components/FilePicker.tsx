/**
 * A file field written in the app's language: the browser's own control says "Choose File" and
 * "No file chosen" in the machine's language whatever the app's is. A labelled button opens the
 * chooser (a visually hidden input, so the keyboard and assistive technology reach it), and the
 * chosen file's name, or that none is chosen, is written beside it.
 */
import { useId, useState } from 'react';
import { useT } from '../i18n';

export function FilePicker({
  label,
  onFile,
  testId,
  accept,
}: {
  label: string;
  onFile: (file: File | null) => void;
  testId?: string;
  accept?: string;
}) {
  const t = useT();
  const id = useId();
  const [name, setName] = useState<string | null>(null);
  return (
    <div className="field">
      <span className="field__label" id={`${id}-label`}>
        {label}
      </span>
      <div className="file-picker">
        <label className="button secondary file-button">
          {t('file.choose')}
          <input
            type="file"
            accept={accept}
            className="visually-hidden"
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-chosen`}
            data-testid={testId}
            onChange={(e) => {
              const file = e.target.files?.[0] ?? null;
              setName(file?.name ?? null);
              onFile(file);
            }}
          />
        </label>
        <span
          id={`${id}-chosen`}
          className="help"
          data-testid={testId ? `${testId}-chosen` : undefined}
        >
          {name ?? t('file.none')}
        </span>
      </div>
    </div>
  );
}

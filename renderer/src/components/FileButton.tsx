/**
 * A button that opens the file chooser: a styled label around a visually hidden file input, so
 * it is reachable by keyboard and named for assistive technology. The chosen file is handed on
 * and the input is cleared, so the same file can be chosen again.
 */
export function FileButton({
  label,
  accept,
  onFile,
  testId,
}: {
  label: string;
  accept: string;
  onFile: (file: File) => void;
  testId?: string;
}) {
  return (
    <label className="button secondary file-button">
      {label}
      <input
        type="file"
        accept={accept}
        className="visually-hidden"
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) {
            onFile(file);
          }
        }}
      />
    </label>
  );
}

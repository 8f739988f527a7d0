/**
 * A path on this computer: typed, or chosen with the app's native dialog. The browser preview
 * has no dialog; `pick` then answers null and `onNoDialog` tells the user to type the path.
 */
import { Field } from './Field';

export function PathField({
  label,
  value,
  onChange,
  placeholder,
  chooseLabel,
  pick,
  onNoDialog,
  error,
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  placeholder: string;
  chooseLabel: string;
  pick: () => Promise<string | null>;
  onNoDialog: () => void;
  error?: string | null;
}) {
  return (
    <>
      <Field
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        error={error}
      />
      <button
        type="button"
        className="secondary"
        onClick={() => void pick().then((path) => (path ? onChange(path) : onNoDialog()))}
      >
        {chooseLabel}
      </button>
    </>
  );
}

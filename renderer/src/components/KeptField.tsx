/**
 * A text area that saves itself when it loses focus (a checklist statement, up to 8,000
 * characters, so several lines are in view), whose typed text is
 * kept across a lock until it is saved (issue 22): what differs from the saved text goes to the
 * core with the other forms' drafts, sealed there, and after unlock "Restore unsaved text" puts
 * it back into the field, focused, to be saved as it leaves it.
 */
import { useEffect, useId, useRef, useState, type ComponentProps } from 'react';
import type { Draft } from '../../../shared/contract';
import { useUnsaved } from '../stores/unsaved';
import { TextAreaField } from './Field';

type FieldProps = ComponentProps<typeof TextAreaField>;
type KeptText = Draft & { value: string };

function keptFor(form: string): KeptText | undefined {
  return useUnsaved
    .getState()
    .restoring.find(
      (d): d is KeptText =>
        d.form === form && d.route === window.location.hash && typeof d.value === 'string',
    );
}

export function KeptField({
  keep,
  ...props
}: FieldProps & {
  /** The field's name on its screen and the text saved now. */
  keep: { form: string; saved: string };
}) {
  const id = useId();
  const setDraft = useUnsaved((s) => s.setDraft);
  const restored = useUnsaved((s) => s.restored);
  const typed = useRef<string | null>(null);
  const form = keep.form;
  // Chosen to restore: this field's kept text, on this screen (now, or once it is chosen).
  const [back, setBack] = useState<string | null>(() => keptFor(form)?.value ?? null);
  useEffect(() => {
    const take = (draft: KeptText | undefined, show: boolean) => {
      if (!draft) {
        return;
      }
      typed.current = draft.value;
      restored(draft); // first: the change it makes finds nothing left to take
      setDraft(id, draft);
      if (show) {
        setBack(draft.value);
      }
    };
    take(keptFor(form), false); // already shown by the first render
    return useUnsaved.subscribe(() => take(keptFor(form), true));
  }, [form, id, setDraft, restored]);
  // Saved (the text typed is now the saved one): nothing left to keep.
  useEffect(() => {
    if (typed.current === keep.saved) {
      setDraft(id, null);
    }
  }, [keep.saved, id, setDraft]);
  useEffect(() => () => setDraft(id, null), [id, setDraft]);
  return (
    <TextAreaField
      key={back === null ? 'saved' : 'restored'}
      rows={3}
      {...props}
      defaultValue={back ?? props.defaultValue}
      autoFocus={back !== null || props.autoFocus}
      onChange={(e) => {
        const value = e.target.value;
        typed.current = value;
        setDraft(
          id,
          value === keep.saved ? null : { route: window.location.hash, form: keep.form, value },
        );
        props.onChange?.(e);
      }}
    />
  );
}

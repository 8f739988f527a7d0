/**
 * Unsaved edits: each form says whether it holds changes not yet saved; leaving the screen (a
 * menu link, a tab, closing the window) while one does asks first, in the app's own dialog.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import { registerReset } from './reset';

interface UnsavedState {
  dirty: ReadonlySet<string>;
  /** What to do if the user chooses to leave (null: nothing is asked). */
  pending: (() => void) | null;
  mark: (form: string, dirty: boolean) => void;
  /** Runs `go` now, or once the user agrees to leave their unsaved changes. */
  guard: (go: () => void) => void;
  leave: () => void;
  stay: () => void;
}

export const useUnsaved = create<UnsavedState>((set, get) => ({
  dirty: new Set(),
  pending: null,
  mark: (form, dirty) => {
    const next = new Set(get().dirty);
    if (dirty) {
      next.add(form);
    } else {
      next.delete(form);
    }
    if (next.size !== get().dirty.size) {
      set({ dirty: next });
    }
  },
  guard: (go) => {
    if (get().dirty.size === 0) {
      go();
    } else {
      set({ pending: go });
    }
  },
  leave: () => {
    const go = get().pending;
    set({ dirty: new Set(), pending: null });
    go?.();
  },
  stay: () => set({ pending: null }),
}));

/**
 * A form's part in the guard: unsaved while `value` differs from `saved` (compared as JSON),
 * clean once it goes. `clean()` says the value as it is now has been saved, at once (for a form
 * that saves and then leaves); a later edit makes the form unsaved again.
 */
export function useUnsavedForm(value: unknown, saved: unknown): () => void {
  const id = useId();
  const mark = useUnsaved((s) => s.mark);
  const current = JSON.stringify(value);
  const [savedNow, setSavedNow] = useState<string | null>(null);
  const dirty = current !== JSON.stringify(saved) && current !== savedNow;
  useEffect(() => mark(id, dirty), [mark, id, dirty]);
  useEffect(() => () => mark(id, false), [mark, id]);
  return useCallback(() => {
    mark(id, false);
    setSavedNow(current);
  }, [mark, id, current]);
}

registerReset(() => useUnsaved.setState({ dirty: new Set(), pending: null }));

// Closing or reloading the window with unsaved edits asks the browser's own question.
window.addEventListener('beforeunload', (event) => {
  if (useUnsaved.getState().dirty.size > 0) {
    event.preventDefault();
  }
});

/**
 * Unsaved edits: each form says whether it holds changes not yet saved; leaving the screen (a
 * menu link, a tab, closing the window) while one does asks first, in the app's own dialog.
 *
 * A form that names itself (its draft) also hands its unsaved value to the core, which seals it
 * beside the vault (never in plain storage), so a lock - idle, by the user, by the system -
 * keeps it: after unlock the same screen offers it back ("restore" or "discard", issue 22).
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { create } from 'zustand';
import type { Draft } from '../../../shared/contract';
import { callRaw } from '../api';
import { useNotifications } from './notifications';
import { registerReset } from './reset';

interface UnsavedState {
  dirty: ReadonlySet<string>;
  /** The unsaved values of the forms that name themselves, by form instance. */
  drafts: ReadonlyMap<string, Draft>;
  /** Drafts go to the core only while a vault is open and its kept drafts have been looked at. */
  active: boolean;
  /** The text kept at the last lock, offered back until the user restores or discards it. */
  offer: Draft[] | null;
  /** Chosen to restore: each is put back into its form when that form is on screen. */
  restoring: Draft[];
  setDraft: (form: string, draft: Draft | null) => void;
  /** After unlock: offers what was kept (none: drafts go to the core from now on). */
  offerDrafts: (drafts: Draft[]) => void;
  restoreOffer: () => void;
  discardOffer: () => void;
  restored: (draft: Draft) => void;
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
  drafts: new Map(),
  active: false,
  offer: null,
  restoring: [],
  pending: null,
  setDraft: (form, draft) => {
    const now = get().drafts.get(form);
    if (!draft && !now) {
      return;
    }
    if (draft && now && JSON.stringify(draft) === JSON.stringify(now)) {
      return;
    }
    const next = new Map(get().drafts);
    if (draft) {
      next.set(form, draft);
    } else {
      next.delete(form);
    }
    set({ drafts: next });
  },
  offerDrafts: (drafts) => set({ offer: drafts.length ? drafts : null, active: true }),
  restoreOffer: () => set({ restoring: get().offer ?? [], offer: null }),
  discardOffer: () => set({ offer: null, restoring: [] }),
  restored: (draft) => set({ restoring: get().restoring.filter((d) => d !== draft) }),
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

/** A form that keeps its unsaved text across a lock: its name on the screen and how to put a value back. */
export interface DraftOf<T> {
  form: string;
  restore: (value: T) => void;
}

/**
 * A form's part in the guard: unsaved while `value` differs from `saved` (compared as JSON),
 * clean once it goes. `clean()` says the value as it is now has been saved, at once (for a form
 * that saves and then leaves); a later edit makes the form unsaved again. With `draft`, the
 * unsaved value is kept (sealed by the core) across a lock and can be put back after unlock.
 */
export function useUnsavedForm<T>(value: T, saved: unknown, draft?: DraftOf<T>): () => void {
  const id = useId();
  const mark = useUnsaved((s) => s.mark);
  const setDraft = useUnsaved((s) => s.setDraft);
  const current = JSON.stringify(value);
  const [savedNow, setSavedNow] = useState<string | null>(null);
  const dirty = current !== JSON.stringify(saved) && current !== savedNow;
  useEffect(() => mark(id, dirty), [mark, id, dirty]);
  useEffect(() => () => mark(id, false), [mark, id]);
  const form = draft?.form ?? null;
  useEffect(() => {
    setDraft(
      id,
      dirty && form
        ? { route: window.location.hash, form, value: JSON.parse(current) as unknown }
        : null,
    );
  }, [setDraft, id, dirty, form, current]);
  useEffect(() => () => setDraft(id, null), [setDraft, id]);
  // Chosen to restore after unlock: this form's kept value, on this screen, goes back in.
  const restoreRef = useRef(draft?.restore);
  useEffect(() => {
    restoreRef.current = draft?.restore;
  });
  const back = useUnsaved((s) =>
    form ? s.restoring.find((d) => d.form === form && d.route === window.location.hash) : undefined,
  );
  const restored = useUnsaved((s) => s.restored);
  useEffect(() => {
    if (back && restoreRef.current) {
      restoreRef.current(back.value as T);
      restored(back);
    }
  }, [back, restored]);
  return useCallback(() => {
    mark(id, false);
    setSavedNow(current);
  }, [mark, id, current]);
}

/** The drafts as the core keeps them: every named form's unsaved value now. */
export function currentDrafts(): Draft[] {
  const { drafts, restoring } = useUnsaved.getState();
  // Chosen to restore but not yet on screen: still kept.
  return [...drafts.values(), ...restoring];
}

// The drafts go to the core shortly after they change (the core seals them at once), so an
// idle lock, a lock by the system or a crash finds them there; the core is never asked to
// keep anything while it is locked or while kept text waits for the user's choice.
let timer: ReturnType<typeof setTimeout> | null = null;
useUnsaved.subscribe((state, before) => {
  if (!state.active || state.offer) {
    return;
  }
  if (state.drafts === before.drafts && before.active && !before.offer) {
    return;
  }
  if (timer) {
    clearTimeout(timer);
  }
  timer = setTimeout(() => {
    timer = null;
    if (!useUnsaved.getState().active) {
      return;
    }
    void callRaw('vault:keepDrafts', { drafts: currentDrafts() }).then((r) => {
      if (!r.ok && r.error.code !== 'VAULT_LOCKED') {
        useNotifications.getState().pushError(r.error);
      }
    });
  }, 400);
});

registerReset(() => {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  useUnsaved.setState({
    dirty: new Set(),
    pending: null,
    drafts: new Map(),
    active: false,
    offer: null,
    restoring: [],
  });
});

// Closing or reloading the window with unsaved edits asks the browser's own question.
window.addEventListener('beforeunload', (event) => {
  if (useUnsaved.getState().dirty.size > 0) {
    event.preventDefault();
  }
});

/**
 * Whether kept text for `form` on this screen waits to be restored (chosen after unlock): a
 * screen that shows the form only on request (a "New …" or "Edit" button) opens it then, so the
 * text comes back where the user left it instead of into a closed form.
 */
export function useRestoring(form: string): boolean {
  return useUnsaved((s) =>
    s.restoring.some((d) => d.form === form && d.route === window.location.hash),
  );
}

/**
 * Opens a form the screen shows only on request when kept text for it is chosen after unlock:
 * `open(true)` once, as the restore begins (React's "adjusting state on a change" pattern, in
 * render, so the form is there in the same pass the text arrives).
 */
export function useOpenForRestore(form: string, open: (value: true) => void): void {
  const restoring = useRestoring(form);
  const [seen, setSeen] = useState(false);
  if (restoring !== seen) {
    setSeen(restoring);
    if (restoring) {
      open(true);
    }
  }
}

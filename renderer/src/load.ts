/**
 * The renderer's one way to load data for a screen (issue 23, item 7): `useLoad` runs a typed
 * call when its dependencies change and gives `{ data, error, loading, reload }`.
 *
 *   const cases = useLoad(() => callRaw('cases:list', { systemId }), [systemId]);
 *
 * Its rules, held by test/unit/load.test.ts (on `createLoader`, the part without React):
 *  - a stale answer is dropped: an answer to a call made before the dependencies last changed,
 *    before `reload`, or before the screen went away never reaches the screen, so an old answer
 *    cannot overwrite a newer one;
 *  - no error is lost: a failed call (or a loader that throws) gives its `error`, and by default
 *    is also said as a notification in the user's language, as `call` does; a screen that says
 *    it where the user looks passes `{ show: 'inline' }` and renders `error` itself;
 *  - `data` is the last answer that succeeded: kept while the next call runs and through a
 *    failure (a failed call never empties a screen), `undefined` until the first answer;
 *  - `reload()` calls again with the same dependencies (after the screen saved something).
 *
 * A loader that returns `null` loads nothing for now (a call that waits on a condition); the
 * call in flight, if any, is dropped. Screens never fetch from a hand-written `useEffect`:
 * test/unit/load.test.ts fails on one.
 */
import { useCallback, useEffect, useEffectEvent, useState, type DependencyList } from 'react';
import type { ErrorInfo } from '../../shared/result';
import { useNotifications } from './stores/notifications';

/** What a call answers: `callRaw`'s result. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A screen's loader: a call, or null when there is nothing to load yet. */
export type Load<T> = () => Promise<Outcome<T>> | null;

export interface LoadState<T> {
  /** The last answer that succeeded; undefined until the first. */
  data: T | undefined;
  /** The failure of the latest call, or null (a success clears it). */
  error: ErrorInfo | null;
  /** Whether a call is in flight whose answer will be shown. */
  loading: boolean;
}

export interface Loaded<T> extends LoadState<T> {
  /** Calls again with the same dependencies; the answer to the earlier call is dropped. */
  reload: () => void;
}

export interface LoadOptions {
  /**
   * 'notify' (the default): a failure is also said as a notification, like `call`.
   * 'inline': the screen says `error` itself, where the user looks.
   */
  show?: 'notify' | 'inline';
}

/** A loader that threw (it is not `callRaw`, which never does): still an error, never silence. */
const THREW: ErrorInfo = { code: 'INTERNAL', message: 'Loader failure' };

export interface Loader<T> {
  /**
   * Starts a call; its answer is applied unless another start or a stop came first. `failed`
   * hears of a failure that is applied (never of a stale one). Returns the stop.
   */
  start(call: Promise<Outcome<T>>, failed?: (error: ErrorInfo) => void): () => void;
  /** Nothing to load: the call in flight (if any) is dropped and loading ends. */
  idle(): void;
}

/**
 * The rules without React: each start makes every earlier call stale, and a stop (the effect's
 * cleanup: dependencies changed, reload, unmount) makes the current one stale too.
 */
export function createLoader<T>(
  update: (next: (state: LoadState<T>) => LoadState<T>) => void,
): Loader<T> {
  let current = 0;
  const settle = (ticket: number, outcome: Outcome<T>, failed?: (error: ErrorInfo) => void) => {
    if (ticket !== current) {
      return; // stale: a newer call, or none, is what the screen waits for
    }
    if (outcome.ok) {
      update(() => ({ data: outcome.value, error: null, loading: false }));
    } else {
      update((state) => ({ data: state.data, error: outcome.error, loading: false }));
      failed?.(outcome.error);
    }
  };
  return {
    start(call, failed) {
      current += 1;
      const ticket = current;
      update((state) => (state.loading ? state : { ...state, loading: true }));
      void call.then(
        (outcome) => settle(ticket, outcome, failed),
        () => settle(ticket, { ok: false, error: THREW }, failed),
      );
      return () => {
        if (ticket === current) {
          current += 1;
        }
      };
    },
    idle() {
      current += 1;
      update((state) => (state.loading ? { ...state, loading: false } : state));
    },
  };
}

/**
 * Runs `load` when `deps` change (the dependencies it reads, as for `useEffect`: the lint rule
 * react-hooks/exhaustive-deps checks them) and on `reload()`.
 */
export function useLoad<T>(load: Load<T>, deps: DependencyList, options?: LoadOptions): Loaded<T> {
  const [state, setState] = useState<LoadState<T>>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [version, setVersion] = useState(0);
  const [loader] = useState(() => createLoader<T>(setState));
  const show = options?.show ?? 'notify';
  const run = useEffectEvent(load);
  useEffect(
    () => {
      const call = run();
      if (call === null) {
        loader.idle();
        return undefined;
      }
      return loader.start(call, show === 'inline' ? undefined : notify);
    },
    // The caller's dependencies, checked at the call site (eslint.config.js: additionalHooks).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...deps, version, loader, show],
  );
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/**
 * `value` once it has stayed the same for `ms` (a search asked when typing pauses); the first
 * value at once. A timer, not a load: the load then depends on what this returns.
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A failure said as a notification (translated when shown), as `call` does. */
function notify(error: ErrorInfo): void {
  useNotifications.getState().pushError(error);
}

/** Two calls as one load: both answers, or the first failure. */
export async function together<A, B>(
  a: Promise<Outcome<A>>,
  b: Promise<Outcome<B>>,
): Promise<Outcome<[A, B]>> {
  const [first, second] = await Promise.all([a, b]);
  if (!first.ok) {
    return first;
  }
  if (!second.ok) {
    return second;
  }
  return { ok: true, value: [first.value, second.value] };
}

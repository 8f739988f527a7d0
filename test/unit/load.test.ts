/**
 * The renderer's one data-loading hook (issue 23, item 7): renderer/src/load.ts. Its rules, on
 * `createLoader` (the part of `useLoad` without React; this repository has no DOM test set-up):
 * a stale answer is dropped, an error is kept and said, data survives a failure, a reload drops
 * the call it replaces. test/unit/no-hand-loads.test.ts holds the screens to the hook.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../shared/result';
import { createLoader, together, type LoadState, type Outcome } from '../../renderer/src/load';

/** A call whose answer the test gives when it likes. */
function pending<T>() {
  let answer!: (outcome: Outcome<T>) => void;
  let fail!: (reason: unknown) => void;
  const promise = new Promise<Outcome<T>>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}

/** Lets settled promises run their callbacks. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A loader whose state and reported failures the test reads. */
function harness<T>() {
  let state: LoadState<T> = { data: undefined, error: null, loading: true };
  const failures: ErrorInfo[] = [];
  const loader = createLoader<T>((next) => {
    state = next(state);
  });
  return {
    loader,
    state: () => state,
    failures,
    failed: (error: ErrorInfo) => failures.push(error),
  };
}

const REFUSED: ErrorInfo = { code: 'NOT_FOUND', message: 'no such case' };

describe('useLoad: its rules (createLoader)', () => {
  it('shows an answer', async () => {
    const h = harness<string>();
    const call = pending<string>();
    h.loader.start(call.promise, h.failed);
    expect(h.state().loading).toBe(true);
    call.answer({ ok: true, value: 'A' });
    await flush();
    expect(h.state()).toEqual({ data: 'A', error: null, loading: false });
  });

  it('drops an answer to a call made before the dependencies changed (no old-over-new race)', async () => {
    const h = harness<string>();
    const first = pending<string>();
    const second = pending<string>();
    const stopFirst = h.loader.start(first.promise, h.failed);
    stopFirst(); // the effect's cleanup: the dependencies changed
    h.loader.start(second.promise, h.failed);
    second.answer({ ok: true, value: 'new' });
    await flush();
    first.answer({ ok: true, value: 'old' }); // the older call answers last
    await flush();
    expect(h.state()).toEqual({ data: 'new', error: null, loading: false });
  });

  it('drops an older answer even without a stop: each start makes the ones before it stale', async () => {
    const h = harness<string>();
    const first = pending<string>();
    const second = pending<string>();
    h.loader.start(first.promise, h.failed);
    h.loader.start(second.promise, h.failed);
    first.answer({ ok: true, value: 'old' });
    await flush();
    expect(h.state()).toEqual({ data: undefined, error: null, loading: true });
    second.answer({ ok: true, value: 'new' });
    await flush();
    expect(h.state().data).toBe('new');
  });

  it('drops an answer that arrives after the screen went away, failure included', async () => {
    const h = harness<string>();
    const call = pending<string>();
    const stop = h.loader.start(call.promise, h.failed);
    const before = h.state();
    stop(); // unmount
    call.answer({ ok: false, error: REFUSED });
    await flush();
    expect(h.state()).toBe(before);
    expect(h.failures).toEqual([]);
  });

  it('keeps an error: the screen gets it, and it is said once', async () => {
    const h = harness<string>();
    const call = pending<string>();
    h.loader.start(call.promise, h.failed);
    call.answer({ ok: false, error: REFUSED });
    await flush();
    expect(h.state()).toEqual({ data: undefined, error: REFUSED, loading: false });
    expect(h.failures).toEqual([REFUSED]);
  });

  it('a failure keeps the data shown before it; the next success clears the error', async () => {
    const h = harness<string>();
    const first = pending<string>();
    h.loader.start(first.promise, h.failed);
    first.answer({ ok: true, value: 'A' });
    await flush();
    const refused = pending<string>();
    h.loader.start(refused.promise, h.failed);
    expect(h.state()).toEqual({ data: 'A', error: null, loading: true });
    refused.answer({ ok: false, error: REFUSED });
    await flush();
    expect(h.state()).toEqual({ data: 'A', error: REFUSED, loading: false });
    const again = pending<string>();
    h.loader.start(again.promise, h.failed);
    again.answer({ ok: true, value: 'B' });
    await flush();
    expect(h.state()).toEqual({ data: 'B', error: null, loading: false });
  });

  it('a loader that throws is an error too, never silence', async () => {
    const h = harness<string>();
    const call = pending<string>();
    h.loader.start(call.promise, h.failed);
    call.fail(new Error('boom'));
    await flush();
    expect(h.state().error?.code).toBe('INTERNAL');
    expect(h.state().loading).toBe(false);
    expect(h.failures).toHaveLength(1);
  });

  it('reload after a save: the call in flight is dropped, the new answer shown', async () => {
    const h = harness<string[]>();
    const before = pending<string[]>();
    const stop = h.loader.start(before.promise, h.failed);
    // Saved something: reload (useLoad's cleanup then a new start, same dependencies).
    stop();
    const after = pending<string[]>();
    h.loader.start(after.promise, h.failed);
    after.answer({ ok: true, value: ['a', 'saved'] });
    before.answer({ ok: true, value: ['a'] });
    await flush();
    expect(h.state().data).toEqual(['a', 'saved']);
  });

  it('nothing to load (a loader returning null): the call in flight is dropped and loading ends', async () => {
    const h = harness<string>();
    const call = pending<string>();
    h.loader.start(call.promise, h.failed);
    h.loader.idle();
    expect(h.state().loading).toBe(false);
    call.answer({ ok: true, value: 'late' });
    await flush();
    expect(h.state().data).toBeUndefined();
  });

  it('an inline screen (no `failed`) still gets the error in its state', async () => {
    const h = harness<string>();
    const call = pending<string>();
    h.loader.start(call.promise);
    call.answer({ ok: false, error: REFUSED });
    await flush();
    expect(h.state().error).toBe(REFUSED);
  });

  it('together: both answers, or the first failure', async () => {
    const yes = <T>(value: T) => Promise.resolve({ ok: true as const, value });
    const no = (error: ErrorInfo) => Promise.resolve({ ok: false as const, error });
    expect(await together(yes(1), yes('b'))).toEqual({ ok: true, value: [1, 'b'] });
    expect(await together(no(REFUSED), yes('b'))).toEqual({ ok: false, error: REFUSED });
    expect(await together(yes(1), no(REFUSED))).toEqual({ ok: false, error: REFUSED });
  });
});

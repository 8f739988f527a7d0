/**
 * The renderer's vault store orders the statuses it is given (renderer/src/stores/newest.ts):
 * a refresh answered after a newer status was applied is dropped. Found as a flaky end-to-end
 * row: a recovery's unlock event was answered while the re-key ran, and that stale answer,
 * arriving last, replaced the recovery's status (the new key to confirm) with the dashboard's.
 * (The store itself needs the preload's `window`; this repository has no DOM test set-up, so
 * its rule is tested here as load.test.ts tests useLoad's.)
 */
import { describe, expect, it } from 'vitest';
import { newestFirst } from '../../renderer/src/stores/newest';

describe("the vault store's order of statuses (newestFirst)", () => {
  it("drops a refresh answered after an action's own status was applied", () => {
    const order = newestFirst();
    const refresh = order.ask(); // the unlock's event, during the recovery
    order.given(); // the recovery's answer, with the new key to confirm
    expect(order.admit(refresh)).toBe(false);
    expect(order.admit(order.ask())).toBe(true); // the event after the re-key
  });

  it('admits a refresh asked for after that status', () => {
    const order = newestFirst();
    order.given();
    const refresh = order.ask();
    expect(order.admit(refresh)).toBe(true);
  });

  it('of two refreshes, the later asked wins, whichever is answered first', () => {
    const late = newestFirst();
    const first = late.ask();
    const second = late.ask();
    expect(late.admit(second)).toBe(true);
    expect(late.admit(first)).toBe(false);

    const inOrder = newestFirst();
    const third = inOrder.ask();
    const fourth = inOrder.ask();
    expect(inOrder.admit(third)).toBe(true);
    expect(inOrder.admit(fourth)).toBe(true);
    // An answer admitted once is not newer than itself after a later one.
    expect(inOrder.admit(third)).toBe(false);
  });

  it('a status given directly is newer than every call asked before it, not after', () => {
    const order = newestFirst();
    const before = order.ask();
    order.given();
    const after = order.ask();
    expect(order.admit(before)).toBe(false);
    expect(order.admit(after)).toBe(true);
    order.given();
    expect(order.admit(after)).toBe(false);
  });
});

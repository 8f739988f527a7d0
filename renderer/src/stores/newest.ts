/**
 * Orders answers that can arrive out of order. A call takes a ticket when it asks; an answer
 * is admitted only if nothing newer was applied since: a status given directly (an action's own
 * answer) or the answer to a call asked later. Found as a flaky screen: a recovery's unlock event
 * was answered while the re-key still ran, and that stale answer, arriving last, replaced the
 * recovery's status (the new key to confirm) with the dashboard's.
 */
export interface NewestFirst {
  /** A ticket for a call about to be made. */
  ask(): number;
  /** Whether the answer to the call with this ticket is still the newest; if so, it counts as applied. */
  admit(ticket: number): boolean;
  /** A status given directly: newer than every call asked so far. */
  given(): void;
}

export function newestFirst(): NewestFirst {
  let last = 0;
  let applied = 0;
  return {
    ask: () => ++last,
    admit(ticket) {
      if (ticket < applied) {
        return false;
      }
      applied = ticket;
      return true;
    },
    given() {
      applied = ++last;
    },
  };
}

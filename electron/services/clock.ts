/**
 * The moment the core's rules of sense (shared/sense.ts) take as "now": the real time, or —
 * inside `asOf` — the moment an entry is recorded as of. Only code reaches `asOf`: the demo,
 * which tells a register's history (a record whose follow-up was due last month was entered
 * before then), and tests. No IPC channel, command or package can set it: what a person or a
 * package writes is always judged against the real time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const moment = new AsyncLocalStorage<Date>();

export function now(): Date {
  return moment.getStore() ?? new Date();
}

/** Runs `work` (and everything it awaits) as of `at`. */
export function asOf<T>(at: Date, work: () => T): T {
  return moment.run(at, work);
}

/** Today's date (UTC) by the core's clock. */
export function today(at = now()): string {
  return at.toISOString().slice(0, 10);
}

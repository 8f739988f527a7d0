/**
 * The renderer's only way to the core. Every call goes through `call`, which hands failures to
 * the one error sink (the notifications store) as translated messages, and returns
 * `undefined` so callers keep their previous state: a failed call never loses data on screen.
 */
import type { InvokeChannel, RequestOf, ResponseOf } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/result';
import { useNotifications } from './stores/notifications';

export async function call<C extends InvokeChannel>(
  channel: C,
  input: RequestOf<C>,
): Promise<ResponseOf<C> | undefined> {
  const result = await callRaw(channel, input);
  if (result.ok) {
    return result.value;
  }
  useNotifications.getState().pushError(result.error);
  return undefined;
}

/** For screens that show an error inline (e.g. a form field) instead of as a notification. */
export async function callRaw<C extends InvokeChannel>(
  channel: C,
  input: RequestOf<C>,
): Promise<{ ok: true; value: ResponseOf<C> } | { ok: false; error: ErrorInfo }> {
  try {
    return await window.workbench.invoke(channel, input);
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'Bridge failure' } };
  }
}

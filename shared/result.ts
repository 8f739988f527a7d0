/**
 * The result envelope every IPC call returns. Handlers throw; the dispatcher turns the
 * outcome into exactly one of these shapes, so the renderer never sees an exception,
 * a stack trace or a file path.
 */
import type { ErrorCode } from './errors';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Result<never> {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } };
}

/**
 * The one path every call takes, from Electron's ipcMain and from the browser preview alike:
 * known channel → zod-parse the payload → run the handler → check the response against the
 * contract → result envelope. Nothing thrown escapes; unexpected errors become INTERNAL
 * without their message (which might hold SQL, a path or worse).
 */
import {
  contract,
  isInvokeChannel,
  type InvokeChannel,
  type ResponseOf,
} from '../../shared/contract';
import { ZodError } from 'zod';
import { isAppError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { HandlerContext } from './context';
import type { HandlerTable } from './handlers';

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
}

function zodIssues(
  issues: readonly {
    path: readonly PropertyKey[];
    code: string;
    message: string;
    minimum?: unknown;
    maximum?: unknown;
    origin?: unknown;
  }[],
) {
  // What a translated message needs: the field, the kind of problem and its bounds.
  return issues.slice(0, 20).map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: i.code,
    message: i.message,
    ...(typeof i.minimum === 'number' ? { minimum: i.minimum } : {}),
    ...(typeof i.maximum === 'number' ? { maximum: i.maximum } : {}),
    ...(typeof i.origin === 'string' ? { origin: i.origin } : {}),
  }));
}

export async function dispatch(
  table: HandlerTable,
  channel: unknown,
  payload: unknown,
  ctx: HandlerContext,
  log?: Logger,
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return fail('UNKNOWN_CHANNEL', 'Unknown channel');
  }
  return dispatchKnown(table, channel, payload, ctx, log);
}

async function dispatchKnown<C extends InvokeChannel>(
  table: HandlerTable,
  channel: C,
  payload: unknown,
  ctx: HandlerContext,
  log?: Logger,
): Promise<Result<ResponseOf<C>>> {
  const spec = contract[channel];
  const parsed = spec.request.safeParse(payload);
  if (!parsed.success) {
    return fail('VALIDATION_FAILED', 'Payload does not match the contract', {
      issues: zodIssues(parsed.error.issues),
    });
  }
  ctx.vault.touch();
  try {
    const handler = table[channel] as (input: unknown, c: HandlerContext) => Promise<unknown>;
    const value = await handler(parsed.data, ctx);
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      log?.error('handler returned a value outside its contract', { channel });
      return fail('INTERNAL', 'Unexpected error');
    }
    return ok(checked.data as ResponseOf<C>);
  } catch (error) {
    if (isAppError(error)) {
      return fail(error.code, error.message, error.details);
    }
    if (error instanceof ZodError) {
      // A service re-validating what reached it (an import, a nested reference).
      return fail('VALIDATION_FAILED', 'Values are not valid', { issues: zodIssues(error.issues) });
    }
    log?.error('handler failed', {
      channel,
      error: error instanceof Error ? error.name : typeof error,
    });
    return fail('INTERNAL', 'Unexpected error');
  }
}

/**
 * Binds the handler table to ipcMain: one handler per invoke channel of the contract, each
 * checking that the sender is the app's own top frame before the payload is even parsed.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS } from '../../shared/contract';
import { fail } from '../../shared/result';
import type { HandlerContext } from '../ipc/context';
import { dispatch, type Logger } from '../ipc/dispatch';
import type { HandlerTable } from '../ipc/handlers';
import { isTrustedSender } from './policy';

function senderFrame(event: IpcMainInvokeEvent): { url: string; isTopFrame: boolean } | null {
  const frame = event.senderFrame;
  if (!frame) {
    return null;
  }
  return { url: frame.url, isTopFrame: frame.parent === null };
}

export function registerIpc(table: HandlerTable, ctx: HandlerContext, log: Logger): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(senderFrame(event))) {
        return fail('FORBIDDEN_SENDER', 'Sender is not the application window');
      }
      return dispatch(table, channel, payload, ctx, log);
    });
  }
}

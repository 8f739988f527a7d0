/**
 * The preload, generated from the contract: exposes exactly one object, `window.workbench`,
 * with `invoke` for the contract's invoke channels and `on` for its event channels. Never
 * ipcRenderer itself, never an arbitrary channel. Bundled as one CommonJS file (sandboxed
 * preloads cannot load ES modules or anything from node_modules at run time).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel } from '../../shared/channels';
import type { InvokeChannel, RequestOf, ResponseOf, WorkbenchApi } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';

export function createWorkbenchApi(
  renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
): WorkbenchApi {
  return Object.freeze({
    invoke<C extends InvokeChannel>(
      channel: C,
      input: RequestOf<C>,
    ): Promise<Result<ResponseOf<C>>> {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve(fail('UNKNOWN_CHANNEL', 'Unknown channel'));
      }
      return renderer.invoke(channel, input) as Promise<Result<ResponseOf<C>>>;
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) {
        throw new Error('Unknown event channel');
      }
      const wrapped = (_event: IpcRendererEvent, payload: unknown): void => {
        listener(payload as Parameters<typeof listener>[0]);
      };
      renderer.on(channel, wrapped);
      return () => {
        renderer.removeListener(channel, wrapped);
      };
    },
  } satisfies WorkbenchApi);
}

contextBridge.exposeInMainWorld('workbench', createWorkbenchApi(ipcRenderer));

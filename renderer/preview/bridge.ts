/**
 * The web bridge of the browser preview: implements `window.workbench` over the preview
 * server's HTTP API (same-origin fetch for calls, server-sent events for events), so the
 * renderer runs unchanged outside Electron. Served only by the preview server; the packaged
 * application never contains it.
 */
import type { InvokeChannel, RequestOf, ResponseOf, WorkbenchApi } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';

let events: EventSource | null = null;

const api: WorkbenchApi = {
  async invoke<C extends InvokeChannel>(
    channel: C,
    input: RequestOf<C>,
  ): Promise<Result<ResponseOf<C>>> {
    try {
      const response = await fetch(`/api/invoke/${channel}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? null),
      });
      if (!response.ok) {
        return fail('INTERNAL', `Preview server answered ${response.status}`);
      }
      return (await response.json()) as Result<ResponseOf<C>>;
    } catch {
      return fail('INTERNAL', 'Preview server unreachable');
    }
  },
  on(channel, listener) {
    events ??= new EventSource('/api/events');
    const handler = (message: MessageEvent<string>): void => {
      listener(JSON.parse(message.data) as Parameters<typeof listener>[0]);
    };
    events.addEventListener(channel, handler);
    return () => events?.removeEventListener(channel, handler);
  },
};

Object.defineProperty(window, 'workbench', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
  enumerable: false,
});

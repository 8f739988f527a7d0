import { beforeEach, describe, expect, it, vi } from 'vitest';

// The preload runs in Electron's sandbox; here `electron` is replaced by recorders so the
// exact surface it exposes to the page can be asserted.
const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from-main' }));
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => {
      exposed[key] = value;
    },
  },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((f) => f !== fn),
      );
    },
  },
}));

interface Api {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

beforeEach(async () => {
  await import('../../electron/preload/index');
});

describe('preload', () => {
  it('exposes exactly one frozen object with invoke and on, never ipcRenderer', () => {
    expect(Object.keys(exposed)).toEqual(['workbench']);
    const api = exposed.workbench as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipcRenderer');
  });

  it('forwards contract channels and refuses others without touching IPC', async () => {
    const api = exposed.workbench as Api;
    await expect(api.invoke('app:diagnostics', {})).resolves.toEqual({
      ok: true,
      value: 'from-main',
    });
    expect(invoke).toHaveBeenCalledWith('app:diagnostics', {});
    invoke.mockClear();
    await expect(api.invoke('vault:dump', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    await expect(api.invoke('__proto__', {})).resolves.toMatchObject({ ok: false });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('subscribes to contract events only, passing the payload but not the IPC event', () => {
    const api = exposed.workbench as Api;
    const seen: unknown[] = [];
    const off = api.on('vault:stateChanged', (payload) => seen.push(payload));
    const [listener] = listeners.get('vault:stateChanged') ?? [];
    listener?.({ sender: 'secret-ipc-event' }, { state: 'locked' });
    expect(seen).toEqual([{ state: 'locked' }]);
    off();
    expect(listeners.get('vault:stateChanged')).toEqual([]);
    expect(() => api.on('ipc:anything', () => undefined)).toThrow();
  });
});

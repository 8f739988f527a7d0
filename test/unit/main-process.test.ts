import { fork as forkChild } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../electron/main/policy';

// Electron cannot start here; its API is replaced by recorders so the main process's own code
// (IPC binding and hardening) is exercised for real against it.
const handles = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
const openExternal = vi.fn(async () => undefined);
const appListeners = new Map<string, (...args: unknown[]) => void>();
const utilityForks: { entry: string; serviceName: string | undefined }[] = [];

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
      handles.set(channel, fn),
  },
  shell: { openExternal },
  app: { on: (name: string, fn: (...args: unknown[]) => void) => appListeners.set(name, fn) },
  // A utility process stand-in that runs the real PDF worker as a Node child process.
  utilityProcess: {
    fork: (entry: string, _args: string[], options: { serviceName?: string }) => {
      utilityForks.push({ entry, serviceName: options.serviceName });
      const child = forkChild(entry, [], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      return {
        postMessage: (message: unknown) => child.send(message as object),
        on: (event: string, listener: (...args: unknown[]) => void) => child.on(event, listener),
        kill: () => child.kill('SIGKILL'),
      };
    },
  },
}));

const { registerIpc } = await import('../../electron/main/ipc');
const { hardenSession, hardenWebContents, installAppHardening } =
  await import('../../electron/main/hardening');
const { handlers } = await import('../../electron/ipc/handlers');
const { makeTestContext, tempFolder } = await import('../helpers/context');
const { INVOKE_CHANNELS } = await import('../../shared/channels');
const { wireVaultLifecycle } = await import('../../electron/main/lifecycle');
const { utilityLauncher } = await import('../../electron/main/pdf-launcher');
const { renderPdf } = await import('../../electron/documents/render');

function frame(url: string, top = true) {
  return { senderFrame: { url, parent: top ? null : {} } };
}

describe('registerIpc', () => {
  const folder = tempFolder();
  const { ctx } = makeTestContext(folder.path);
  registerIpc(handlers, ctx, { error: () => undefined });

  it('registers every invoke channel of the contract', () => {
    expect([...handles.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers the app top frame', async () => {
    const result = await handles.get('prefs:get')?.(frame(APP_ENTRY_URL), {});
    expect(result).toMatchObject({ ok: true, value: { language: 'da' } });
  });

  it.each([
    ['a subframe', frame(APP_ENTRY_URL, false)],
    ['a foreign page', frame('https://evil.example/')],
    ['a file page', frame('file:///tmp/x.html')],
    ['no frame', { senderFrame: null }],
  ])('refuses %s with FORBIDDEN_SENDER', async (_name, event) => {
    const result = await handles.get('prefs:set')?.(event, { language: 'en' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(ctx.prefs.get().language).toBe('da');
  });

  it('validates payloads', async () => {
    const result = await handles.get('prefs:set')?.(frame(APP_ENTRY_URL), { language: 'xx' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('hardening', () => {
  function fakeContents() {
    const on = new Map<
      string,
      (event: { preventDefault(): void; url?: string }, url?: string) => void
    >();
    let windowOpen: ((details: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (
        name: string,
        fn: (event: { preventDefault(): void; url?: string }, url?: string) => void,
      ) => on.set(name, fn),
      setWindowOpenHandler: (fn: (details: { url: string }) => { action: string }) => {
        windowOpen = fn;
      },
      getType: () => 'window',
      close: vi.fn(),
    };
    return { contents, on, open: (url: string) => windowOpen?.({ url }) };
  }
  function navEvent(url?: string) {
    return { preventDefault: vi.fn(), url };
  }

  it('denies every window.open and hands only vetted links to the OS', () => {
    const { contents, open } = fakeContents();
    hardenWebContents(contents as never);
    openExternal.mockClear();
    expect(open('https://example.org/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('app://workbench/index.html')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/']]);
  });

  it('blocks navigation and redirects away from the app, and every webview', () => {
    const { contents, on } = fakeContents();
    hardenWebContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = navEvent();
      on.get(name)?.(away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
      const inside = navEvent();
      on.get(name)?.(inside, 'app://workbench/index.html');
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    const frameNav = navEvent('file:///etc/passwd');
    on.get('will-frame-navigate')?.(frameNav);
    expect(frameNav.preventDefault).toHaveBeenCalled();
    const webview = navEvent();
    on.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('closes any webview contents created anyway', () => {
    installAppHardening();
    const close = vi.fn();
    appListeners.get('web-contents-created')?.({}, { getType: () => 'webview', close });
    expect(close).toHaveBeenCalled();
  });

  it('denies every permission and cancels every request that would leave the app', () => {
    const recorded: Record<string, (...args: never[]) => unknown> = {};
    let beforeRequest:
      ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
    const session = {
      setPermissionRequestHandler: (fn: never) => (recorded.request = fn),
      setPermissionCheckHandler: (fn: never) => (recorded.check = fn),
      setDevicePermissionHandler: (fn: never) => (recorded.device = fn),
      setDisplayMediaRequestHandler: (fn: never) => (recorded.display = fn),
      webRequest: {
        onBeforeRequest: (fn: typeof beforeRequest) => {
          beforeRequest = fn;
        },
      },
    };
    hardenSession(session as never);
    const granted: boolean[] = [];
    (recorded.request as (wc: unknown, p: string, cb: (b: boolean) => void) => void)(
      {},
      'media',
      (b) => granted.push(b),
    );
    expect(granted).toEqual([false]);
    expect((recorded.check as () => boolean)()).toBe(false);
    expect((recorded.device as () => boolean)()).toBe(false);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      beforeRequest?.({ url }, (r) => {
        cancel = r.cancel;
      });
      return cancel;
    };
    expect(decide('app://workbench/index.html')).toBe(false);
    expect(decide('https://update.example/')).toBe(true);
    expect(decide('http://127.0.0.1:9999/')).toBe(true);
    expect(decide('ws://127.0.0.1/')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('not a url')).toBe(true);
  });
});

describe('vault lifecycle wiring', () => {
  function setup(state: 'unlocked' | 'locked', outcome: 'ok' | 'fail') {
    const appHandlers = new Map<string, (event: { preventDefault(): void }) => void>();
    const powerHandlers = new Map<string, () => void>();
    const emitted: unknown[] = [];
    const calls: string[] = [];
    const result = () =>
      outcome === 'ok' ? Promise.resolve() : Promise.reject(new Error('save failed'));
    const app = {
      on: (name: string, fn: never) => appHandlers.set(name, fn),
      quit: () => calls.push('quit'),
    };
    const power = { on: (name: string, fn: never) => powerHandlers.set(name, fn) };
    const vault = {
      state: () => state,
      lock: () => (calls.push('lock'), result()),
      shutdown: () => (calls.push('shutdown'), result()),
    };
    wireVaultLifecycle(app as never, power as never, vault as never, (channel, payload) =>
      emitted.push({ channel, payload }),
    );
    return { appHandlers, powerHandlers, emitted, calls };
  }

  it('locks on suspend and on screen lock', async () => {
    const { powerHandlers, calls } = setup('unlocked', 'ok');
    powerHandlers.get('suspend')?.();
    powerHandlers.get('lock-screen')?.();
    await Promise.resolve();
    expect(calls).toEqual(['lock', 'lock']);
  });

  it('saves and closes before quitting, then quits', async () => {
    const { appHandlers, calls } = setup('unlocked', 'ok');
    const event = { preventDefault: vi.fn() };
    appHandlers.get('before-quit')?.(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['shutdown', 'quit']);
  });

  it('stays open and reports when the save before quitting fails', async () => {
    const { appHandlers, calls, emitted } = setup('unlocked', 'fail');
    appHandlers.get('before-quit')?.({ preventDefault: vi.fn() });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['shutdown']);
    expect(emitted).toEqual([{ channel: 'vault:saveFailed', payload: { code: 'SAVE_FAILED' } }]);
  });

  it('quits at once when no vault is open', () => {
    const { appHandlers, calls } = setup('locked', 'ok');
    const event = { preventDefault: vi.fn() };
    appHandlers.get('before-quit')?.(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });
});

describe('PDF layout in a utility process', () => {
  const spec = {
    kind: 'records-extract' as const,
    language: 'en' as const,
    title: 'Extract',
    marking: 'RESTRICTED',
    reference: 'REF-1',
    version: '1',
    pageLabel: 'Page {page} of {pages}',
    issuer: 'Authority',
    date: '2026-11-27',
    sections: [{ type: 'paragraphs' as const, paragraphs: ['One paragraph.'] }],
  };

  it('renders through the utility process and gets the PDF back', async () => {
    const pdf = await renderPdf(spec, { launcher: utilityLauncher });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(utilityForks.at(-1)).toMatchObject({ serviceName: 'PDF layout' });
    expect(utilityForks.at(-1)?.entry).toMatch(/worker\.ts$|pdf-worker\.js$/);
  });

  it('kills the utility process when its time is up', async () => {
    await expect(
      renderPdf(spec, { launcher: utilityLauncher, timeoutMs: 5 }),
    ).rejects.toMatchObject({
      code: 'DOCUMENT_TIMEOUT',
    });
  });
});

describe('the locale of native controls', () => {
  it('follows the chosen language: a Danish date field reads day.month.year', async () => {
    const { applyLocale } = await import('../../electron/main/locale');
    const switches: [string, string][] = [];
    const commandLine = {
      appendSwitch: (name: string, value: string) => switches.push([name, value]),
    };
    applyLocale(commandLine, { language: 'da' });
    applyLocale(commandLine, { language: 'en' });
    expect(switches).toEqual([
      ['lang', 'da-DK'],
      ['lang', 'en-GB'],
    ]);
  });
});

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/channels';
import { contract } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import { makeTestContext, tempFolder, type TestContext } from '../helpers/context';

let folder: ReturnType<typeof tempFolder>;
let tc: TestContext;

beforeEach(() => {
  folder = tempFolder();
  tc = makeTestContext(folder.path);
});
afterEach(() => folder.cleanup());

describe('contract completeness', () => {
  it('every invoke channel has a handler and every handler a channel', () => {
    const invokeInContract = Object.entries(contract)
      .filter(([, spec]) => spec.kind === 'invoke')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(handlers).sort()).toEqual(invokeInContract);
    expect([...INVOKE_CHANNELS].sort()).toEqual(invokeInContract);
  });

  it('the event list is exactly the contract events', () => {
    const events = Object.entries(contract)
      .filter(([, spec]) => spec.kind === 'event')
      .map(([name]) => name)
      .sort();
    expect([...EVENT_CHANNELS].sort()).toEqual(events);
  });

  it('channels are named area:verb', () => {
    for (const name of Object.keys(contract)) {
      expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    }
  });
});

describe('dispatch', () => {
  it('answers a valid call with ok and a value that matches the response schema', async () => {
    const result = await dispatch(handlers, 'app:diagnostics', {}, tc.ctx);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(contract['app:diagnostics'].response.parse(result.value)).toMatchObject({
        runtime: 'preview',
        dataFolder: folder.path,
        vaultState: 'none',
      });
    }
  });

  it('refuses an unknown channel', async () => {
    const result = await dispatch(handlers, 'vault:dropTables', {}, tc.ctx);
    expect(result).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel' },
    });
  });

  it.each([
    ['prefs:set', { language: 'fr' }],
    ['prefs:set', { language: 'en', extra: true }],
    ['prefs:set', { idleLockMinutes: 0 }],
    ['prefs:set', { idleLockMinutes: 1.5 }],
    ['prefs:get', null],
    ['prefs:get', 'x'],
    ['app:diagnostics', { a: 1 }],
    ['shell:openExternal', { url: 42 }],
    ['shell:openExternal', {}],
  ])('refuses %s with %j as VALIDATION_FAILED with the issues', async (channel, payload) => {
    const result = await dispatch(handlers, channel, payload, tc.ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('VALIDATION_FAILED');
      expect(Array.isArray(result.error.details?.issues)).toBe(true);
    }
  });

  it('persists preferences through the handler', async () => {
    const set = await dispatch(handlers, 'prefs:set', { language: 'en' }, tc.ctx);
    expect(set.ok).toBe(true);
    const again = makeTestContext(folder.path);
    const get = await dispatch(handlers, 'prefs:get', {}, again.ctx);
    expect(get).toMatchObject({ ok: true, value: { language: 'en' } });
  });

  it('opens only vetted external URLs', async () => {
    const good = await dispatch(
      handlers,
      'shell:openExternal',
      { url: 'https://example.org/x' },
      tc.ctx,
    );
    expect(good).toEqual({ ok: true, value: { opened: true } });
    const bad = await dispatch(
      handlers,
      'shell:openExternal',
      { url: 'file:///etc/passwd' },
      tc.ctx,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'EXTERNAL_URL_REFUSED' } });
    expect(tc.opened).toEqual(['https://example.org/x']);
  });

  it('hides unexpected errors behind INTERNAL without their message', async () => {
    const broken = {
      ...handlers,
      'prefs:get': async () => {
        throw new Error('SELECT * FROM secrets at /home/user/vault.awb');
      },
    };
    const logged: unknown[] = [];
    const result = await dispatch(broken, 'prefs:get', {}, tc.ctx, {
      error: (...args) => logged.push(args),
    });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Unexpected error' } });
    expect(JSON.stringify(logged)).not.toContain('secrets');
  });

  it('refuses a handler value outside its response schema', async () => {
    const broken = {
      ...handlers,
      'prefs:get': async () => ({ language: 'xx' }),
    } as unknown as typeof handlers;
    const result = await dispatch(broken, 'prefs:get', {}, tc.ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('hostile IPC (property)', () => {
  it('every channel answers arbitrary payloads with an envelope carrying a known code, never a throw', async () => {
    const channels = [...INVOKE_CHANNELS, 'nope:nope', '__proto__', 'constructor'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.anything(), async (channel, payload) => {
        const result = await dispatch(handlers, channel, payload, tc.ctx);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(ERROR_CODES).toContain(result.error.code);
        }
      }),
      { numRuns: 300 },
    );
  });
});

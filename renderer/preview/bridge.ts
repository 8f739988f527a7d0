/**
 * The web bridge of the browser preview: implements `window.workbench` over the preview
 * server's HTTP API (same-origin fetch for calls, a streamed same-origin fetch for the server's
 * events), so the renderer runs unchanged outside Electron. Served only by the preview server;
 * the packaged application never contains it.
 *
 * The token (electron/preview/server.ts): taken once from the URL's fragment (`#token=…`,
 * which is never sent over HTTP), removed from the address bar, kept in this tab's
 * sessionStorage (bound to this origin, so to this port) for reloads, and sent as the
 * `X-AWB-Token` header on every request to the API. Requests carry no cookies at all
 * (`credentials: 'omit'`): a cookie another local port set for 127.0.0.1 never reaches the
 * API, nor could the token reach another port as a cookie.
 */
import type { InvokeChannel, RequestOf, ResponseOf, WorkbenchApi } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';

const STORAGE_KEY = 'awb-preview-token';
const TOKEN_IN_FRAGMENT = /^#token=([0-9a-f]{16,128})$/;
const MISSING =
  'This page has no preview token: open the URL that `npm start` (or `npm run preview`) printed.';

function takeToken(): string | null {
  const offered = TOKEN_IN_FRAGMENT.exec(window.location.hash)?.[1];
  if (offered) {
    // Out of the address bar (and so out of the history) before the app's router reads it.
    window.history.replaceState(
      window.history.state,
      '',
      window.location.pathname + window.location.search,
    );
    try {
      window.sessionStorage.setItem(STORAGE_KEY, offered);
    } catch {
      // storage refused: the token lives in memory only, a reload asks for the URL again
    }
    return offered;
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

const token = takeToken();

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return token ? { ...extra, 'X-AWB-Token': token } : extra;
}

if (!token) {
  // Say so where the user looks, instead of an app whose every call fails.
  document.addEventListener('DOMContentLoaded', () => {
    const note = document.createElement('p');
    note.setAttribute('role', 'alert');
    note.textContent = MISSING;
    document.body.prepend(note);
  });
}

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
let streaming = false;

/** One server-sent event ("event: …", "data: …" lines) to its listeners. */
function deliver(frame: string): void {
  let channel = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) {
      channel = line.slice(6).trim();
    } else if (line.startsWith('data:')) {
      data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  const targets = listeners.get(channel);
  if (!targets || data.length === 0) {
    return;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(data.join('\n'));
  } catch {
    return;
  }
  for (const listener of targets) {
    listener(payload);
  }
}

/**
 * The event stream, read from a fetch (an EventSource cannot send the token header), and
 * opened again a second after it ends, as an EventSource would be.
 */
async function stream(): Promise<void> {
  for (;;) {
    try {
      const response = await fetch('/api/events', {
        headers: headers(),
        credentials: 'omit',
        cache: 'no-store',
      });
      if (response.status === 403) {
        return; // the token is missing or wrong: asking again will not help
      }
      if (response.ok && response.body) {
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffered = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffered += value.replace(/\r\n?/g, '\n');
          let end = buffered.indexOf('\n\n');
          while (end >= 0) {
            deliver(buffered.slice(0, end));
            buffered = buffered.slice(end + 2);
            end = buffered.indexOf('\n\n');
          }
        }
      }
    } catch {
      // the server went away or the stream broke: try again below
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const api: WorkbenchApi = {
  async invoke<C extends InvokeChannel>(
    channel: C,
    input: RequestOf<C>,
  ): Promise<Result<ResponseOf<C>>> {
    if (!token) {
      return fail('INTERNAL', MISSING);
    }
    try {
      const response = await fetch(`/api/invoke/${channel}`, {
        method: 'POST',
        credentials: 'omit',
        cache: 'no-store',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify(input ?? null),
      });
      if (response.status === 403) {
        return fail('INTERNAL', 'The preview refused the call: its token is missing or wrong.');
      }
      if (!response.ok) {
        return fail('INTERNAL', `Preview server answered ${response.status}`);
      }
      return (await response.json()) as Result<ResponseOf<C>>;
    } catch {
      return fail('INTERNAL', 'Preview server unreachable');
    }
  },
  on(channel, listener) {
    const handler: Listener = (payload) => listener(payload as Parameters<typeof listener>[0]);
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
    }
    set.add(handler);
    if (!streaming && token) {
      streaming = true;
      void stream();
    }
    return () => {
      listeners.get(channel)?.delete(handler);
    };
  },
};

Object.defineProperty(window, 'workbench', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
  enumerable: false,
});

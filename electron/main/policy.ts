/**
 * Security decisions as small pure functions (no `electron` import), so they are table-tested
 * with adversarial input in plain Node and shared by the browser preview:
 * - which URLs are the app itself, which may be handed to the OS, which may call IPC;
 * - the exact webPreferences every window gets;
 * - the Content-Security-Policy header;
 * - how an app:// URL maps to a file inside the renderer bundle (no traversal).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const MAX_URL_LENGTH = 2048;
// Control characters, spaces and line separators never belong in a URL we act on.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/;

function parse(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) {
    return null;
  }
  if (CONTROL_OR_SPACE.test(raw) || raw.includes('\\')) {
    return null;
  }
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True only for app://workbench/… with no credentials and no port. */
export function isAppUrl(raw: unknown): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/**
 * Whether a link may be handed to the operating system's browser, and in which normalised
 * form. Only http/https with a real host and no embedded credentials; everything else
 * (file:, javascript:, data:, smb:, custom schemes, app-internal URLs) is refused with null.
 */
export function externalUrlDecision(raw: unknown): string | null {
  // The raw text must already be "http(s)://host…": the URL parser would otherwise repair
  // sloppy forms such as "https:///path" or "http:example.org" into something else.
  if (typeof raw !== 'string' || !/^https?:\/\/[^/\\]/i.test(raw)) {
    return null;
  }
  const url = parse(raw);
  if (url === null) {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  if (url.username !== '' || url.password !== '') {
    return null;
  }
  const host = url.hostname;
  if (host === '' || host.startsWith('.') || host.endsWith('..')) {
    return null;
  }
  return url.href;
}

/** Navigation inside a window is allowed only to the app itself. */
export function isNavigationAllowed(raw: unknown): boolean {
  return isAppUrl(raw);
}

/**
 * IPC is answered only for the app's own top-level frame: a subframe, a page that navigated
 * away, or a frame whose URL cannot be read is refused.
 */
export function isTrustedSender(
  frame: { url: string; isTopFrame: boolean } | null | undefined,
): boolean {
  return frame != null && frame.isTopFrame && isAppUrl(frame.url);
}

/**
 * The exact webPreferences of every window. A unit test pins this object key by key:
 * change it only together with that test and a reason. The developer tools exist only in
 * development: a packaged build (`app.isPackaged`, told by the window factory) has none.
 */
export function secureWebPreferences(preloadPath: string, { packaged }: { packaged: boolean }) {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Chromium's spellchecker downloads dictionaries from the network: off on an air-gapped tool.
    spellcheck: false,
    // Middle-click would ask for a new window; window.open is denied anyway, this stops the ask.
    disableBlinkFeatures: 'Auxclick',
    devTools: !packaged,
  } as const;
}

/**
 * The Content-Security-Policy sent with every document of the app (and of the browser
 * preview): nothing remote, no inline or eval'd script, no plugins, no framing, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "child-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every response of the app:// protocol and of the browser preview. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Maps a request path ("/assets/index-abc.js") to a path relative to the renderer bundle, or
 * null when it is not a plain, existing-looking file name: no "..", no encoded separators, no
 * hidden files, no empty segments. "/" means index.html.
 */
export function resolveAssetPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded === '/' || decoded === '') {
    return 'index.html';
  }
  if (!decoded.startsWith('/') || decoded.includes('\\') || decoded.includes('\0')) {
    return null;
  }
  const segments = decoded.slice(1).split('/');
  for (const segment of segments) {
    if (!SAFE_SEGMENT.test(segment) || segment.startsWith('.')) {
      return null;
    }
  }
  return segments.join('/');
}

/** MIME types for the files a Vite build emits; anything else is served as octet-stream. */
export function contentTypeFor(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    js: 'text/javascript; charset=utf-8',
    mjs: 'text/javascript; charset=utf-8',
    css: 'text/css; charset=utf-8',
    json: 'application/json; charset=utf-8',
    svg: 'image/svg+xml',
    png: 'image/png',
    ico: 'image/x-icon',
    woff2: 'font/woff2',
    woff: 'font/woff',
    ttf: 'font/ttf',
    wasm: 'application/wasm',
  };
  return types[ext] ?? 'application/octet-stream';
}

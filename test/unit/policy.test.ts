import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  externalUrlDecision,
  isAppUrl,
  isNavigationAllowed,
  isTrustedSender,
  resolveAssetPath,
  secureWebPreferences,
  SECURITY_HEADERS,
} from '../../electron/main/policy';

describe('isAppUrl / isNavigationAllowed', () => {
  const allowed = [
    APP_ENTRY_URL,
    'app://workbench/',
    'app://workbench/index.html#/systems',
    'app://workbench/assets/x.js',
  ];
  const refused: unknown[] = [
    'app://evil/index.html',
    'app://workbench.evil.com/',
    'app://user@workbench/',
    'app://user:pw@workbench/',
    'app://workbench:8080/',
    'APP://other/',
    'file:///etc/passwd',
    'http://127.0.0.1/',
    'https://workbench/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'app://workbench/\u0000',
    ' app://workbench/',
    'app://workbench\\@evil/',
    '',
    null,
    undefined,
    42,
    {},
    `app://workbench/${'a'.repeat(3000)}`,
  ];
  it.each(allowed)('allows %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
    expect(isNavigationAllowed(url)).toBe(true);
  });
  it.each(refused.map((u) => [u]))('refuses %j', (url) => {
    expect(isAppUrl(url)).toBe(false);
    expect(isNavigationAllowed(url)).toBe(false);
  });
});

describe('externalUrlDecision', () => {
  it.each([
    ['https://www.cfcs.dk/', 'https://www.cfcs.dk/'],
    ['http://example.org/a?b=c#d', 'http://example.org/a?b=c#d'],
    ['HTTPS://EXAMPLE.ORG', 'https://example.org/'],
    ['https://xn--bcher-kva.example/', 'https://xn--bcher-kva.example/'],
  ])('hands %s to the OS as %s', (input, output) => {
    expect(externalUrlDecision(input)).toBe(output);
  });

  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'file:///etc/passwd',
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'smb://attacker/share',
    '\\\\attacker\\share',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'mailto:a@b.c',
    'ftp://example.org/',
    'app://workbench/index.html',
    'https://user:pass@example.org/',
    'https://user@example.org/',
    'https://exa mple.org/',
    'https://example.org/\n',
    '\thttps://example.org/',
    'https://example.org/\u2028',
    'https://',
    'https:///path',
    'http:example.org',
    '//example.org',
    'example.org',
    '',
    `https://example.org/${'x'.repeat(3000)}`,
  ])('refuses %j', (input) => {
    expect(externalUrlDecision(input)).toBeNull();
  });

  it('refuses non-strings', () => {
    for (const value of [null, undefined, 1, {}, [], true]) {
      expect(externalUrlDecision(value)).toBeNull();
    }
  });
});

describe('isTrustedSender', () => {
  it('trusts only the app top frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isTopFrame: true })).toBe(false);
    expect(isTrustedSender({ url: '', isTopFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('resolveAssetPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/index-AbC_1.js', 'assets/index-AbC_1.js'],
    ['/assets/index.css', 'assets/index.css'],
  ])('maps %s to %s', (input, output) => {
    expect(resolveAssetPath(input)).toBe(output);
  });
  it.each([
    '/../package.json',
    '/assets/../../etc/passwd',
    '/%2e%2e/package.json',
    '/assets/%2e%2e/%2e%2e/x',
    '/assets/..%2f..%2fx',
    '/assets%2f..%2f..%2fx',
    '/..\\x',
    '/assets\\..\\x',
    '/.env',
    '/assets/.hidden',
    '//etc/passwd',
    '/assets//x.js',
    '/x%00.js',
    '/%E0%A4%A',
    'relative.js',
    '/a b.js',
  ])('refuses %j', (input) => {
    expect(resolveAssetPath(input)).toBeNull();
  });
});

describe('secureWebPreferences', () => {
  it('is exactly the hardened set, with no developer tools when packaged', () => {
    expect(secureWebPreferences('/app/preload.cjs', { packaged: true })).toStrictEqual({
      preload: '/app/preload.cjs',
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
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
  });

  it('differs in development by the developer tools alone', () => {
    expect(secureWebPreferences('/app/preload.cjs', { packaged: false })).toStrictEqual({
      ...secureWebPreferences('/app/preload.cjs', { packaged: true }),
      devTools: true,
    });
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is the exact strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; media-src 'self' blob:; object-src 'none'; frame-src 'none'; worker-src 'none'; " +
        "child-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('allows no inline or eval script and no remote source anywhere', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    for (const [, values] of directives) {
      for (const v of values) {
        expect(v).not.toMatch(/unsafe|https?:|\*|wss?:/);
      }
    }
  });

  it('is sent with the other security headers', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });
});

/**
 * Session- and app-wide hardening applied before the first window exists: deny every
 * permission, every window.open, every navigation or redirect away from the app, every
 * webview, and any request that would leave the app:// origin (nothing leaves the machine).
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { APP_SCHEME, externalUrlDecision, isNavigationAllowed } from './policy';

const ALLOWED_REQUEST_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'data:', 'blob:']);

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.webRequest.onBeforeRequest((details, callback) => {
    let allowed = false;
    try {
      allowed = ALLOWED_REQUEST_SCHEMES.has(new URL(details.url).protocol);
    } catch {
      allowed = false;
    }
    callback({ cancel: !allowed });
  });
}

function openOutside(url: string): void {
  const vetted = externalUrlDecision(url);
  if (vetted !== null) {
    void shell.openExternal(vetted);
  }
}

export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function installAppHardening(): void {
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() === 'webview') {
      contents.close();
      return;
    }
    hardenWebContents(contents);
  });
}

/**
 * The app:// protocol: serves the built renderer from inside the application bundle with the
 * strict CSP and security headers. Only plain file names below the renderer folder resolve
 * (see resolveAssetPath); everything else is a 404.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_HOST, APP_SCHEME, contentTypeFor, resolveAssetPath, SECURITY_HEADERS } from './policy';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const asset = url.hostname === APP_HOST ? resolveAssetPath(url.pathname) : null;
    if (asset === null || request.method !== 'GET') {
      return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    }
    try {
      const body = await readFile(join(rendererDir, asset));
      return new Response(body, {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(asset) },
      });
    } catch {
      return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    }
  });
}

/**
 * The browser preview: a development and test server that serves the built renderer and the
 * same handler table as Electron's main process, so the UI and the core can be used and
 * end-to-end tested in a plain Chromium where no Electron runtime exists.
 *
 * Not part of the packaged application. Guarded like a local service should be:
 * - listens on 127.0.0.1 only, on a random port;
 * - the API (every call and the event stream) answers only a request that carries the
 *   per-run token in the `X-AWB-Token` header, compared in constant time. The page learns it
 *   from the URL's fragment (`/#token=…`, never sent over HTTP), drops it from the address bar
 *   and keeps it in the tab's sessionStorage, which is bound to this origin and so to this port;
 * - no cookie is set, read or needed: cookies on 127.0.0.1 are shared by every port, so a
 *   cookie would reach every other local service, and one tossed by a page on another port
 *   could lock or steer the API. The Cookie header is never looked at (a cookie bomb from
 *   another port is parsed and ignored: the header limit is raised for it);
 * - the Host header must name the server itself (no DNS rebinding); an Origin header must be
 *   its own, and an API call must be same-origin by Sec-Fetch-Site where the browser sends it;
 * - the static files are the renderer bundle and the bridge, which hold no secret: they are
 *   served without the token (a reload or a hash route needs no token in the URL);
 * - the same CSP and security headers as the app:// protocol.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { HandlerContext } from '../ipc/context';
import { dispatch, type Logger } from '../ipc/dispatch';
import type { HandlerTable } from '../ipc/handlers';
import { contentTypeFor, resolveAssetPath, SECURITY_HEADERS } from '../main/policy';

export interface PreviewOptions {
  /** Folder with the built renderer (index.html and assets/). */
  rendererDir: string;
  /** The compiled web bridge script that implements window.workbench over HTTP. */
  bridgeFile: string;
  handlers: HandlerTable;
  /** Builds the handler context; receives the emitter that pushes events to the pages. */
  createContext(emit: HandlerContext['emit']): HandlerContext;
  log?: Logger;
  port?: number;
}

export interface PreviewServer {
  /** The URL to open: the origin with the token in its fragment (`/#token=…`). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** The request header that carries the token (Node lower-cases header names). */
export const TOKEN_HEADER = 'x-awb-token';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * Chromium keeps up to 180 cookies of 4 KiB for 127.0.0.1, which any local page can set: a
 * header limit above that keeps a cookie bomb from another port from locking the preview out.
 */
const MAX_HEADER_BYTES = 1024 * 1024;
export const BRIDGE_PATH = '/preview-bridge.js';

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(offered: string, token: string): boolean {
  const x = createHash('sha256').update(offered, 'utf8').digest();
  const y = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(x, y);
}

/** The token the request carries in its header; a repeated header counts as none. */
function headerToken(req: IncomingMessage): string | null {
  const value = req.headers[TOKEN_HEADER];
  return typeof value === 'string' ? value : null;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      return null;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const token = randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();
  const emit: HandlerContext['emit'] = (channel, payload) => {
    const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) {
      res.write(frame);
    }
  };
  const ctx = options.createContext(emit);
  let origin = '';

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      } else {
        res.end();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (`http://${host}` !== origin) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      return;
    }
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) {
      send(res, 403, 'text/plain; charset=utf-8', 'Cross-origin request refused');
      return;
    }
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname.startsWith('/api/')) {
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') {
        send(res, 403, 'text/plain; charset=utf-8', 'Cross-site call refused');
        return;
      }
      const presented = headerToken(req);
      if (presented === null || !sameSecret(presented, token)) {
        send(
          res,
          403,
          'text/plain; charset=utf-8',
          'Missing or wrong token: open the URL printed by npm start.',
        );
        return;
      }
      await api(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
      return;
    }
    if (url.pathname === BRIDGE_PATH) {
      send(res, 200, contentTypeFor('x.js'), await readFile(options.bridgeFile));
      return;
    }
    const asset = resolveAssetPath(url.pathname);
    if (asset === null) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(join(options.rendererDir, asset));
    } catch {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    if (asset === 'index.html') {
      // The bridge must define window.workbench before the app's module script runs:
      // a classic script placed before it executes first.
      const html = body
        .toString('utf8')
        .replace('<head>', `<head>\n    <script src="${BRIDGE_PATH}"></script>`);
      send(res, 200, contentTypeFor(asset), html);
      return;
    }
    send(res, 200, contentTypeFor(asset), body);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '';
    }
    const match = /^\/api\/invoke\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(pathname);
    if (!match || req.method !== 'POST') {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      send(res, 415, 'text/plain; charset=utf-8', 'JSON required');
      return;
    }
    const text = await readBody(req);
    let payload: unknown;
    if (text === null) {
      payload = Symbol('too large');
    } else {
      try {
        payload = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
      } catch {
        payload = Symbol('not json');
      }
    }
    const result = await dispatch(options.handlers, match[1], payload, ctx, options.log);
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    async close() {
      // An open vault is saved and locked before the server goes away.
      await ctx.vault.shutdown().catch(() => undefined);
      for (const res of streams) {
        res.end();
      }
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

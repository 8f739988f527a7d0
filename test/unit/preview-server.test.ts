import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../electron/preview/server';
import { tempFolder } from '../helpers/context';
import { startTestPreview } from '../helpers/preview';

// Raw HTTP so that Host, Origin and Cookie can be forged the way a hostile page would.
function raw(
  server: PreviewServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let server: PreviewServer;
let token: string;
const folder = tempFolder();

beforeAll(async () => {
  server = await startTestPreview(folder.path);
  token = new URL(server.url).hash.replace(/^#token=/, '');
});
afterAll(async () => {
  await server.close();
  folder.cleanup();
});

/** A call to the API with the token in its header (and whatever else a test adds). */
function call(channel: string, body: string, headers: Record<string, string> = {}) {
  return raw(server, `/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-AWB-Token': token, ...headers },
    body,
  });
}

/** The first bytes of the event stream, or its refusal. */
function events(headers: Record<string, string>): Promise<{ status: number; first: string }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, path: '/api/events', headers },
      (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({ status: res.statusCode ?? 0, first: chunk.toString('utf8') });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('browser preview server', () => {
  it('listens on 127.0.0.1 only, and hands its token over in the fragment alone', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = new URL(server.url);
    expect(url.origin).toBe(server.origin);
    expect(url.search).toBe('');
    // A fragment is never sent over HTTP: not to this server, not to any other.
    expect(token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('serves the bundle without the token, with the CSP, the bridge first, and no cookie', async () => {
    const res = await raw(server, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.body.indexOf('/preview-bridge.js')).toBeGreaterThan(0);
    expect(res.body.indexOf('/preview-bridge.js')).toBeLessThan(res.body.indexOf('type="module"'));
    const bridge = await raw(server, '/preview-bridge.js');
    expect(bridge.status).toBe(200);
    for (const r of [res, bridge]) {
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.body).not.toContain(token);
    }
  });

  it('answers the API only with the token in its header', async () => {
    const ok = await call('prefs:get', '{}');
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { language: 'da' } });
    for (const headers of [
      { 'X-AWB-Token': '' },
      { 'X-AWB-Token': 'wrong' },
      { 'X-AWB-Token': token.slice(0, -1) },
      { 'X-AWB-Token': `${token}0` },
      { 'X-AWB-Token': token.toUpperCase() },
    ]) {
      expect((await call('prefs:get', '{}', headers)).status, JSON.stringify(headers)).toBe(403);
    }
    // Without the header nothing else counts: not a cookie, not the query string.
    const bare = { 'Content-Type': 'application/json' };
    for (const [path, headers] of [
      ['/api/invoke/prefs:get', bare],
      ['/api/invoke/prefs:get', { ...bare, Cookie: `awb_preview=${token}` }],
      ['/api/invoke/prefs:get', { ...bare, Cookie: `X-AWB-Token=${token}; token=${token}` }],
      [`/api/invoke/prefs:get?token=${token}`, bare],
    ] as const) {
      const res = await raw(server, path, { method: 'POST', headers, body: '{}' });
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
    }
  });

  it('ignores cookies: a tossed one changes no answer, and a cookie bomb locks nothing out', async () => {
    const plain = await call('prefs:get', '{}');
    const tossed = await call('prefs:get', '{}', {
      Cookie: 'awb_preview=wrong; X-AWB-Token=wrong; language=en',
    });
    expect(tossed.status).toBe(200);
    expect(tossed.body).toBe(plain.body);
    // What Chromium lets any local page set for 127.0.0.1: 180 cookies of 4 KiB.
    const bomb = Array.from({ length: 180 }, (_, i) => `c${i}=${'x'.repeat(4000)}`).join('; ');
    const bombed = await call('prefs:get', '{}', { Cookie: bomb });
    expect(bombed.status).toBe(200);
    expect(bombed.body).toBe(plain.body);
    expect((await raw(server, '/', { headers: { Cookie: bomb } })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding, another port, another name)', async () => {
    const port = Number(new URL(server.origin).port);
    for (const host of ['evil.example', `127.0.0.1:${port + 1}`, `localhost:${port}`]) {
      expect((await raw(server, '/', { headers: { Host: host } })).status, host).toBe(421);
      const res = await call('prefs:get', '{}', { Host: host });
      expect(res.status, host).toBe(421);
    }
  });

  it('refuses cross-origin and cross-site calls even with the token', async () => {
    const port = Number(new URL(server.origin).port);
    for (const headers of [
      { Origin: 'http://evil.example' } as Record<string, string>,
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ]) {
      const res = await call('prefs:set', '{"language":"en"}', headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(JSON.parse((await call('prefs:get', '{}')).body)).toMatchObject({
      value: { language: 'da' },
    });
    const own = await call('prefs:get', '{}', {
      Origin: server.origin,
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(own.status).toBe(200);
  });

  it('streams events only with the token in its header', async () => {
    expect((await events({})).status).toBe(403);
    expect((await events({ Cookie: `awb_preview=${token}` })).status).toBe(403);
    const open = await events({ 'X-AWB-Token': token });
    expect(open).toEqual({ status: 200, first: ': connected\n\n' });
  });

  it('answers calls with the same envelope as the desktop app', async () => {
    const bad = await call('prefs:set', '{not json');
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const unknown = await call('vault:dump', '{}');
    expect(JSON.parse(unknown.body)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
  });

  it('does not serve files outside the renderer bundle', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/.env',
    ]) {
      const res = await raw(server, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('accreditation-workbench');
    }
  });
});

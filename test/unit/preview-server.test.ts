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
let cookie: string;
const folder = tempFolder();

beforeAll(async () => {
  server = await startTestPreview(folder.path);
  const token = new URL(server.url).searchParams.get('token') ?? '';
  const first = await raw(server, `/?token=${token}`);
  expect(first.status).toBe(303);
  cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
});
afterAll(async () => {
  await server.close();
  folder.cleanup();
});

describe('browser preview server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sets an HttpOnly SameSite=Strict cookie from the token', async () => {
    const token = new URL(server.url).searchParams.get('token') ?? '';
    const res = await raw(server, `/?token=${token}`);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('refuses requests without, or with a wrong, token', async () => {
    expect((await raw(server, '/')).status).toBe(403);
    expect((await raw(server, '/?token=wrong')).status).toBe(403);
    expect((await raw(server, '/', { headers: { Cookie: 'awb_preview=wrong' } })).status).toBe(403);
    const call = await raw(server, '/api/invoke/prefs:get', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(call.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await raw(server, '/', { headers: { Cookie: cookie, Host: 'evil.example' } });
    expect(res.status).toBe(421);
  });

  it('refuses cross-origin calls even with the cookie', async () => {
    const res = await raw(server, '/api/invoke/prefs:set', {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: 'http://evil.example',
        'Content-Type': 'application/json',
      },
      body: '{"language":"en"}',
    });
    expect(res.status).toBe(403);
  });

  it('serves index.html with the CSP and the bridge injected before the app script', async () => {
    const res = await raw(server, '/', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body.indexOf('/preview-bridge.js')).toBeGreaterThan(0);
    expect(res.body.indexOf('/preview-bridge.js')).toBeLessThan(res.body.indexOf('type="module"'));
  });

  it('answers calls with the same envelope as the desktop app', async () => {
    const ok = await raw(server, '/api/invoke/prefs:get', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { language: 'da' } });
    const bad = await raw(server, '/api/invoke/prefs:set', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const unknown = await raw(server, '/api/invoke/vault:dump', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: '{}',
    });
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
      const res = await raw(server, path, { headers: { Cookie: cookie } });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('accreditation-workbench');
    }
  });
});

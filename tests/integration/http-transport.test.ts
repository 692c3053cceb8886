// Browser mode's HTTP transport (issue 9, defect 8, the station side): every refusal at the HTTP
// edge is a coded reply in the API's shape, never a dropped connection or an INTERNAL error;
// JSON means application/json; the built UI is served with its security headers, compressed.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, testBackend, topUp } from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import { MAX_BODY_BYTES, startHttpServer } from '../../backend/transport/http';
import { CSP } from '../../shared/csp';
import { rawRequest, type RawReply } from '../helpers/raw-http';

const TOKEN = 'http-edge-token-0123';

let b: Backend & { dataDir: string };
let staticDir: string;
let port: number;
let close: () => Promise<void>;

const INDEX_HTML = '<!doctype html><html><body><div id="root"></div></body></html>';
const APP_JS = `console.log(${JSON.stringify('驿站'.repeat(2000))});\n`;

beforeEach(async () => {
  b = await testBackend();
  staticDir = tempDir('yizhan-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), APP_JS);
  const s = await startHttpServer({ call: b.call, token: TOKEN, port: 0, staticDir });
  port = s.port;
  close = s.close;
});
afterEach(async () => {
  await close();
  b.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

/** One request to the test's server (rawRequest). */
const raw = (
  method: string,
  urlPath: string,
  headers?: Record<string, string | number>,
  body?: Parameters<typeof rawRequest>[4],
) => rawRequest(port, method, urlPath, headers, body);

/** A POST of the text `body` with the token, as JSON unless `headers` say otherwise. */
const post = (
  urlPath: string,
  body: Parameters<typeof rawRequest>[4],
  headers: Record<string, string | number> = {},
) =>
  raw(
    'POST',
    urlPath,
    { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  );

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  post(`/api/${channel}`, body === undefined ? '' : JSON.stringify(body), headers);

function coded(r: RawReply): { code: string; message: string; details: Record<string, unknown> } {
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(r.body.toString('utf8')) as { ok: boolean; error: any };
  expect(body.ok).toBe(false);
  expect(body.error.code).toMatch(/^[A-Z_]+$/);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  return body.error;
}

describe('defect 8: HTTP edges of browser mode', () => {
  it('a 10 MB body gets a coded 413 INVALID_INPUT reply instead of a dropped connection', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'a');
    const body = Buffer.concat([Buffer.from('{"x":"'), big, Buffer.from('"}')]);
    const r = await post('/api/float.balance', body, { 'content-length': body.length });
    expect(r.status).toBe(413);
    expect(coded(r)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'too_large' } });
    // Sent in chunks without a length, too.
    const chunked = await post('/api/float.balance', (req) => {
      for (let i = 0; i < 10; i++) req.write(big.subarray(0, 1024 * 1024));
    });
    expect(chunked.status).toBe(413);
    expect(coded(chunked).code).toBe('INVALID_INPUT');
    // The limit leaves room for every real argument.
    expect(MAX_BODY_BYTES).toBeGreaterThanOrEqual(16 * 1024);
  });

  it('a malformed % escape is a coded 400/404, not 500 INTERNAL', async () => {
    for (const p of [
      '/api/%E0%A4%A',
      '/api/float%',
      '/api/%zz',
      '/%E0%A4%A',
      '/assets/%',
      '/%c0%ae%c0%ae/x',
    ]) {
      const r = await post(p, '{}');
      expect([400, 404], `POST ${p}: ${r.status}`).toContain(r.status);
      expect(coded(r).code, p).not.toBe('INTERNAL');
      const g = await raw('GET', p);
      expect([400, 404], `GET ${p}: ${g.status}`).toContain(g.status);
      expect(coded(g).code, p).not.toBe('INTERNAL');
    }
  });

  it('application/jsonx (and other non-JSON types) is refused as INVALID_INPUT; application/json; charset=utf-8 is JSON', async () => {
    for (const type of [
      'application/jsonx',
      'application/json-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json2',
    ]) {
      const r = await api('float.balance', {}, { 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(coded(r), type).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'content-type' } });
    }
    const ok = await api('float.balance', {}, { 'content-type': 'application/json; charset=utf-8' });
    expect(ok.status).toBe(200);
    const noType = await raw('POST', '/api/float.balance', { authorization: `Bearer ${TOKEN}` });
    expect(noType.status).toBe(415);
    expect(coded(noType).code).toBe('INVALID_INPUT');
  });
});

describe('browser mode over Fastify: what stays', () => {
  it('an empty JSON body is "no argument" (the renderer sends one for argument-less channels)', async () => {
    const r = await api('float.balance', undefined);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toMatchObject({ ok: true, data: { balance: expect.any(String) } });
  });

  it('malformed JSON and a prototype-poisoning body are INVALID_INPUT', async () => {
    const bad = await post('/api/float.balance', '{"a":');
    expect(bad.status).toBe(400);
    expect(coded(bad)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'json' } });
    const poison = await post('/api/float.balance', '{"__proto__":{"x":1}}');
    expect(poison.status).toBe(400);
    expect(coded(poison).code).toBe('INVALID_INPUT');
  });

  it('the bearer token is required before a body is read; a wrong Host is refused (DNS rebinding)', async () => {
    const noAuth = await raw('POST', '/api/float.balance', { 'content-type': 'application/json' }, '{}');
    expect(noAuth.status).toBe(401);
    expect(coded(noAuth).code).toBe('UNAUTHORIZED');
    const wrong = await api('float.balance', {}, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    // A wrong token with a huge body is refused as unauthorised, not parsed.
    const wrongBig = await raw(
      'POST',
      '/api/float.balance',
      { authorization: 'Bearer nope', 'content-type': 'application/json' },
      Buffer.alloc(2 * MAX_BODY_BYTES, 'a'),
    );
    expect(wrongBig.status).toBe(401);
    for (const host of [
      'evil.example',
      'evil.example:80',
      `127.0.0.1.evil.example:${port}`,
      `[::1]:${port}`,
    ]) {
      const r = await raw('GET', '/', { host });
      expect(r.status, host).toBe(401);
      const a = await api('float.balance', {}, { host });
      expect(a.status, host).toBe(401);
      expect(coded(a).code).toBe('UNAUTHORIZED');
    }
    expect((await raw('GET', '/', { host: `localhost:${port}` })).status).toBe(200);
    // No Host at all (HTTP/1.0 allows it).
    const noHost = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => sock.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      sock.on('data', (c: Buffer) => (text += c.toString()));
      sock.on('end', () => resolve(text));
      sock.on('error', reject);
    });
    expect(noHost).toMatch(/^HTTP\/1\.[01] 401 /);
  });

  it('the API answers only POST; an unknown channel is NOT_FOUND', async () => {
    const get = await raw('GET', '/api/float.balance', { authorization: `Bearer ${TOKEN}` });
    expect(get.status).toBe(400);
    expect(coded(get).code).toBe('INVALID_INPUT');
    const unknown = await api('no.such', {});
    expect(unknown.status).toBe(404);
    expect(coded(unknown).code).toBe('NOT_FOUND');
    const nested = await api('float.balance/x', {});
    expect(nested.status).toBe(404);
  });

  /** The headers a file of the built UI is served with: its type, the CSP, nosniff, no referrer. */
  const uiHeaders = (type: RegExp, cacheControl: string) => ({
    'content-type': expect.stringMatching(type),
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': cacheControl,
  });

  it('serves the built UI with its CSP, nosniff, no-referrer and cache headers; SPA routes get index.html', async () => {
    const index = await raw('GET', '/');
    expect(index.status).toBe(200);
    expect(index.body.toString()).toBe(INDEX_HTML);
    expect(index.headers).toMatchObject(uiHeaders(/^text\/html/, 'no-store'));
    const spa = await raw('GET', '/day/close');
    expect(spa.status).toBe(200);
    expect(spa.body.toString()).toBe(INDEX_HTML);
    expect(spa.headers['content-security-policy']).toBe(CSP);
    expect(spa.headers['cache-control']).toBe('no-store');
    const js = await raw('GET', '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.body.toString()).toBe(APP_JS);
    expect(js.headers).toMatchObject(uiHeaders(/^(text|application)\/javascript/, 'public, max-age=3600'));
    const missingAsset = await raw('GET', '/assets/nope.js');
    expect(missingAsset.status).toBe(404);
    expect(coded(missingAsset).code).toBe('NOT_FOUND');
  });

  it('never serves a file outside the UI folder', async () => {
    const secret = path.join(path.dirname(staticDir), `${path.basename(staticDir)}-secret.txt`);
    fs.writeFileSync(secret, 'SECRET');
    try {
      for (const p of [
        `/../${path.basename(secret)}`,
        `/%2e%2e/${path.basename(secret)}`,
        `/..%2f${path.basename(secret)}`,
        `/assets/..%2f..%2f${path.basename(secret)}`,
        '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '/.%2e/.%2e/.%2e/etc/passwd',
      ]) {
        const r = await raw('GET', p);
        expect(r.body.toString(), p).not.toContain('SECRET');
        expect(r.body.toString(), p).not.toContain('root:');
        expect(r.status, p).toBeLessThan(500);
      }
    } finally {
      fs.rmSync(secret, { force: true });
    }
  });

  it('compresses the UI and API replies with br or gzip when asked', async () => {
    const br = await raw('GET', '/assets/app.js', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(APP_JS);
    const gz = await raw('GET', '/assets/app.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(APP_JS);
    expect(gz.headers['content-security-policy']).toBe(CSP);
    // A script the build compressed (renderer/vite.config.ts writes .br and .gz beside it) is sent
    // as the build wrote it, with the plain file's type and headers; without one, as above.
    const built = `${APP_JS}// as built\n`;
    fs.writeFileSync(path.join(staticDir, 'assets', 'built.js'), built);
    fs.writeFileSync(path.join(staticDir, 'assets', 'built.js.br'), zlib.brotliCompressSync(built));
    fs.writeFileSync(path.join(staticDir, 'assets', 'built.js.gz'), zlib.gzipSync(`${built}// gz\n`));
    const pre = await raw('GET', '/assets/built.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(pre.status).toBe(200);
    expect(pre.headers).toMatchObject({
      'content-encoding': 'br',
      'content-type': expect.stringMatching(/^(text|application)\/javascript/),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=3600',
      vary: expect.stringMatching(/accept-encoding/i),
    });
    expect(zlib.brotliDecompressSync(pre.body).toString()).toBe(built);
    const preGz = await raw('GET', '/assets/built.js', { 'accept-encoding': 'gzip' });
    expect(preGz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(preGz.body).toString()).toBe(`${built}// gz\n`);
    const plain = await raw('GET', '/assets/built.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(built);
    for (let i = 0; i < 4; i++) await topUp(b, '100');
    const list = await api('txn.list', {}, { 'accept-encoding': 'gzip' });
    expect(list.status).toBe(200);
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(list.body).toString())).toMatchObject({ ok: true });
  });

  it('listens on 127.0.0.1 only, and the start-up URL carries the token in the fragment', async () => {
    const s = await startHttpServer({ call: b.call, token: 'a b/c', port: 0 });
    try {
      expect(s.url).toBe(`http://127.0.0.1:${s.port}/#token=${encodeURIComponent('a b/c')}`);
      const addr = s.server.address();
      expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
      // No UI built: a clear NOT_FOUND, the API still works.
      const r = await fetch(`http://127.0.0.1:${s.port}/`);
      expect(r.status).toBe(404);
      expect(((await r.json()) as any).error.message).toMatch(/build:renderer/);
    } finally {
      await s.close();
    }
  });
});

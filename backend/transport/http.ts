// Browser mode: the same handler table over loopback HTTP. Bound to 127.0.0.1 only; every API
// call carries the bearer token printed in the start-up URL. Also serves the built renderer.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { httpStatusOf, YizhanError, type ApiReply } from '../../shared/errors';
import { CSP } from '../../shared/csp';

/** Largest request body: the biggest argument in the contract is well under 4 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export { CSP };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface HttpServerOptions {
  call: (channel: string, args: unknown) => Promise<ApiReply<unknown>>;
  token: string;
  port: number;
  /** Built renderer (index.html and assets); when absent only the API is served. */
  staticDir?: string | undefined;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startHttpServer(
  opts: HttpServerOptions,
): Promise<{ server: http.Server; port: number; url: string }> {
  const expected = Buffer.from(`Bearer ${opts.token}`);
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      console.error('[yizhan] http error', e);
      if (!res.headersSent) send(res, 500, { ok: false, error: new YizhanError('INTERNAL').toJSON() });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS-rebinding guard: only our own loopback names may address us.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== '127.0.0.1' && host !== 'localhost')
      return sendError(res, new YizhanError('UNAUTHORIZED', { reason: 'host' }));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST')
        return sendError(res, new YizhanError('INVALID_INPUT', { reason: 'method', variant: 'method' }));
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
        return sendError(res, new YizhanError('UNAUTHORIZED'));
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendError(
          res,
          new YizhanError('INVALID_INPUT', { reason: 'content-type', variant: 'contentType' }),
        );
      }
      let body: unknown;
      try {
        const text = await readBody(req);
        body = text.length === 0 ? undefined : JSON.parse(text);
      } catch (e) {
        return sendError(
          res,
          e instanceof YizhanError
            ? e
            : new YizhanError('INVALID_INPUT', { reason: 'json', variant: 'json' }),
        );
      }
      const reply = await opts.call(decodeURIComponent(url.pathname.slice(5)), body);
      return send(res, reply.ok ? 200 : httpStatusOf(reply.error.code), reply);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new YizhanError('NOT_FOUND'));
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    if (!opts.staticDir) return sendError(res, new YizhanError('NOT_FOUND', { variant: 'uiNotBuilt' }));
    const root = path.resolve(opts.staticDir);
    let file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    if (!file.startsWith(root + path.sep) && file !== root)
      return sendError(res, new YizhanError('NOT_FOUND'));
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html'); // SPA routes
    if (!fs.existsSync(file)) return sendError(res, new YizhanError('NOT_FOUND', { variant: 'uiNotBuilt' }));
    const ext = path.extname(file);
    res.writeHead(200, {
      'content-type': MIME[ext] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return { server, port, url: `http://127.0.0.1:${port}/#token=${encodeURIComponent(opts.token)}` };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new YizhanError('INVALID_INPUT', { reason: 'too_large', variant: 'tooLarge' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, e: YizhanError): void {
  send(res, httpStatusOf(e.code), { ok: false, error: e.toJSON() });
}

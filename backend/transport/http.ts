// Browser mode: the same handler table over loopback HTTP, on Fastify. Bound to 127.0.0.1 only;
// every API call carries the bearer token printed in the start-up URL (its fragment: the
// renderer reads it from location.hash, so it never reaches a server log). Also serves the built
// renderer (@fastify/static) with the app's CSP, compressed with br or gzip (the .br/.gz files the
// build wrote beside the scripts and stylesheets, else @fastify/compress at the request).
//
//   POST /api/<channel>   body: the argument as JSON (application/json; empty = no argument)
//   GET  /…               the built UI; paths without a file are the SPA's routes (index.html)
//
// Every refusal at this edge is a reply in the API's shape, { ok: false, error: { code,
// message, details } }, with a 4xx status: a wrong Host (DNS rebinding) or token is 401
// UNAUTHORIZED before a byte of the body is read; a body over MAX_BODY_BYTES is 413, a body that
// is not application/json 415, malformed JSON or a malformed %-escape 400 — all INVALID_INPUT,
// with `details.reason`.
import type http from 'node:http';
import { timingSafeEqual, randomBytes } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyCompress from '@fastify/compress';
import { httpStatusOf, YizhanError, type ApiReply } from '../../shared/errors';
import { CSP } from '../../shared/csp';

/** Largest request body: the biggest argument in the contract is well under 4 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export { CSP };

/** The client's login session (issue 12): one per browser tab, kept in its sessionStorage. */
export const SESSION_HEADER = 'x-yizhan-session';

export interface HttpServerOptions {
  /** Every call, with the client's session token (header x-yizhan-session): the backend checks
   *  the login and the permission (issue 12). */
  call: (
    channel: string,
    args: unknown,
    client: { session: string | undefined },
  ) => Promise<ApiReply<unknown>>;
  token: string;
  port: number;
  /** Built renderer (index.html and assets); when absent only the API is served. */
  staticDir?: string | undefined;
}

export interface HttpServer {
  /** The listening Node server (its address is 127.0.0.1). */
  server: http.Server;
  port: number;
  /** The start-up URL, token in the fragment. */
  url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/** The refusal for an error Fastify or a plugin raised before our handler ran. */
function edgeError(e: FastifyError): { status: number; error: YizhanError } {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        error: new YizhanError('INVALID_INPUT', {
          reason: 'too_large',
          maxBytes: MAX_BODY_BYTES,
          variant: 'tooLarge',
        }),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : 400,
        error: new YizhanError('INVALID_INPUT', { reason: 'content-type', variant: 'contentType' }),
      };
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 400, error: new YizhanError('INVALID_INPUT', { reason: 'url', variant: 'badUrl' }) };
    default:
      break;
  }
  const status = e.statusCode ?? 500;
  if (status === 404 || status === 403) return { status: 404, error: new YizhanError('NOT_FOUND') }; // e.g. a path @fastify/send refuses
  if (status >= 400 && status < 500)
    return { status, error: new YizhanError('INVALID_INPUT', { reason: 'request', variant: 'badRequest' }) };
  return { status: 500, error: new YizhanError('INTERNAL') };
}

function sendError(reply: FastifyReply, error: YizhanError, status = httpStatusOf(error.code)): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type('application/json; charset=utf-8')
    .send({ ok: false, error: error.toJSON() });
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const expected = Buffer.from(`Bearer ${opts.token}`);
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    forceCloseConnections: true,
    // A malformed %-escape or an over-long parameter: a coded 400, not Fastify's own body.
    frameworkErrors: (e, _req, reply) => {
      const { status, error } = edgeError(e);
      void sendError(reply, error, status);
    },
  });

  // DNS-rebinding guard, on every request: only our own loopback names may address us.
  app.addHook('onRequest', async (req, reply) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!LOOPBACK_NAMES.has(host))
      return sendError(reply, new YizhanError('UNAUTHORIZED', { reason: 'host' }));
    if (!req.url.startsWith('/api/')) return;
    // Before a byte of the body is read: neither a stranger nor a wrong method costs a parse.
    if (req.method !== 'POST')
      return sendError(reply, new YizhanError('INVALID_INPUT', { reason: 'method', variant: 'method' }));
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected))
      return sendError(reply, new YizhanError('UNAUTHORIZED'));
    if (mediaType(req.headers['content-type']) !== 'application/json')
      return sendError(
        reply,
        new YizhanError('INVALID_INPUT', { reason: 'content-type', variant: 'contentType' }),
        415,
      );
  });

  // JSON only (Fastify's text/plain parser goes); an empty body is "no argument". Fastify's own
  // parser refuses __proto__ and constructor.prototype keys.
  app.removeAllContentTypeParsers();
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text === '') {
        done(null, undefined);
        return;
      }
      json(req, text, (err, value) => {
        if (err) done(new YizhanError('INVALID_INPUT', { reason: 'json', variant: 'json' }));
        else done(null, value);
      });
    },
  );

  app.setErrorHandler((e: FastifyError | YizhanError, _req, reply) => {
    if (e instanceof YizhanError) return sendError(reply, e);
    const { status, error } = edgeError(e);
    if (status >= 500) console.error('[yizhan] http error', e);
    return sendError(reply, error, status);
  });

  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], globalDecompression: false });

  app.post<{ Params: { channel: string } }>('/api/:channel', async (req, reply) => {
    const header = req.headers[SESSION_HEADER];
    const session = typeof header === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(header) ? header : undefined;
    const r = await opts.call(req.params.channel, req.body, { session });
    return reply
      .code(r.ok ? 200 : httpStatusOf(r.error.code))
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type('application/json; charset=utf-8')
      .send(r);
  });

  const staticDir = opts.staticDir;
  if (staticDir) {
    const uiHeaders = (reply: FastifyReply, file: string) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      const plain = file.replace(/\.(br|gz)$/, '');
      reply.header('cache-control', plain.endsWith('.html') ? 'no-store' : 'public, max-age=3600');
    };
    await app.register(fastifyStatic, {
      root: staticDir,
      // The build writes a .br and a .gz beside each script and stylesheet (renderer/vite.config.ts):
      // sent as they are, not compressed again at each request; other files still are.
      preCompressed: true,
      cacheControl: false,
      dotfiles: 'deny',
      index: ['index.html'],
      setHeaders: uiHeaders,
    });
  }

  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const pathname = req.url.split('?', 1)[0]!;
    if (pathname.startsWith('/api/')) return sendError(reply, new YizhanError('NOT_FOUND'));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(reply, new YizhanError('NOT_FOUND'));
    if (!staticDir) return sendError(reply, new YizhanError('NOT_FOUND', { variant: 'uiNotBuilt' }));
    // A missing file (a name with an extension) is 404; any other path is one of the SPA's routes.
    if (/\.[A-Za-z0-9]+$/.test(pathname)) return sendError(reply, new YizhanError('NOT_FOUND'));
    return reply.sendFile('index.html');
  });

  await app.listen({ port: opts.port, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    server: app.server,
    port,
    url: `http://127.0.0.1:${port}/#token=${encodeURIComponent(opts.token)}`,
    close: () => app.close(),
  };
}

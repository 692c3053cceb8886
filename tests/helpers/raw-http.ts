// Test helper: one HTTP request with full control over the path, headers and body (fetch
// normalises them), to a server on 127.0.0.1.
import http from 'node:http';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** `method` `urlPath` on 127.0.0.1:`port` with exactly `headers`; the body is `body`, or what
 *  `body(req)` writes (in pieces, say) before the request is ended. The whole reply. */
export function rawRequest(
  port: number,
  method: string,
  urlPath: string,
  headers: Record<string, string | number> = {},
  body?: Buffer | string | ((req: http.ClientRequest) => void),
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof body === 'function') {
      body(req);
      req.end();
    } else req.end(body);
  });
}

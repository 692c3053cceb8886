// Test helper: a server under test (a Fastify app) listening on 127.0.0.1 at a free port.
import type { FastifyInstance } from 'fastify';

/** Starts `app` on 127.0.0.1 (a free port): `handle` with the app, its `url` and a `close()` that
 *  closes the app, then runs `cleanup` (its store, its folder). */
export async function serveOnLoopback<T extends object>(
  app: FastifyInstance,
  handle: T,
  cleanup: () => Promise<void>,
): Promise<T & { url: string; app: FastifyInstance; close(): Promise<void> }> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...handle,
    url,
    app,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

/** The clock of a server under test, which the test moves: `now()`, `setNow(iso)`, `advance(ms)`. */
export function movableClock(startIso: string) {
  let now = new Date(startIso);
  return {
    now: () => now,
    setNow: (iso: string) => void (now = new Date(iso)),
    advance: (ms: number) => void (now = new Date(now.getTime() + ms)),
  };
}

/** A reply's body `text` read as JSON where it is JSON; `otherwise` where it is not. */
export function jsonOr(text: string, otherwise: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}

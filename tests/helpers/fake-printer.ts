// A fake network receipt printer on 127.0.0.1: each connection's bytes are one job.
// Connections that send nothing are ignored (node-thermal-printer's isPrinterConnected opens and
// closes one). goDown() stops listening and resets open connections (a printer switched off:
// connections are refused); comeBack() listens again on the same port.
import fs from 'node:fs';
import net from 'node:net';

export class FakePrinter {
  readonly jobs: Buffer[] = [];
  /** Connections that closed without sending a byte (status checks). */
  emptyConnections = 0;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private waiters: { n: number; resolve: () => void }[] = [];

  private constructor(public port: number) {}

  static async start(): Promise<FakePrinter> {
    const p = new FakePrinter(0);
    await p.listen();
    return p;
  }

  /** The interface string for this printer. */
  get iface(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  get up(): boolean {
    return this.server !== null;
  }

  /** Switched off: stop listening and reset every open connection. */
  async goDown(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.resetAndDestroy();
    this.sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Switched on again, same port. */
  async comeBack(): Promise<void> {
    if (!this.server) await this.listen();
  }

  /**
   * Resolves once at least n jobs have arrived (in all). The bound is only there so that a test
   * that waits for a job that never comes fails with a message instead of hanging: it is generous,
   * since a busy machine may take a while.
   */
  waitForJobs(n: number, timeoutMs = 30_000): Promise<Buffer[]> {
    if (this.jobs.length >= n) return Promise.resolve(this.jobs.slice());
    return new Promise<Buffer[]>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`fake printer: ${this.jobs.length} of ${n} jobs after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve(this.jobs.slice());
        },
      });
    });
  }

  /**
   * Waits until every connection the printer has been sent is finished, and returns how many jobs
   * arrived (for "prints nothing more" assertions). Call it after the print call it follows has
   * returned: by then that call's connection is open or waiting in the listen backlog. A full
   * turn of the event loop's poll phase accepts whatever waits there, so: turn, and if a
   * connection is still open, wait for it to close and turn again. No clock is involved.
   */
  async settle(): Promise<number> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      if (this.sockets.size === 0) return this.jobs.length;
      await new Promise<void>((resolve) => {
        const left = () => {
          if (this.sockets.size === 0) resolve();
        };
        for (const s of this.sockets) s.once('close', left);
      });
    }
  }

  async stop(): Promise<void> {
    await this.goDown();
  }

  private listen(): Promise<void> {
    const server = net.createServer((sock) => this.accept(sock));
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.port }, () => {
        server.off('error', reject);
        this.port = (server.address() as net.AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private accept(sock: net.Socket): void {
    this.sockets.add(sock);
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', () => undefined); // a client that resets is fine
    sock.on('close', () => {
      this.sockets.delete(sock);
      if (chunks.length === 0) {
        this.emptyConnections++;
        return;
      }
      this.jobs.push(Buffer.concat(chunks));
      const ready = this.waiters.filter((w) => this.jobs.length >= w.n);
      this.waiters = this.waiters.filter((w) => this.jobs.length < w.n);
      for (const w of ready) w.resolve();
    });
  }
}

/** What a printer device file (a FIFO standing in for /dev/usb/lp…) receives, from now until the
 *  writer closes it. */
export function deviceBytes(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    fs.createReadStream(file)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

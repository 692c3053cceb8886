// Test helper: a server started as a real process (`node --import tsx <main> …`), ready once it
// prints `listening <url>`.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What it printed on stdout, and on stderr, so far. */
  output: () => string;
  errors: () => string;
  /** SIGTERM, then its exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `node [nodeArgs] --import tsx main args` and waits for the `listening <url>` line it
 *  prints; rejects with `<name> exited <code>: <stderr>` if it exits before. `onSpawn` sees the
 *  child at once (to kill it should the test fail before it listens). */
export async function startServerProcess(
  main: string,
  args: string[],
  opts: {
    name: string;
    nodeArgs?: string[];
    env?: NodeJS.ProcessEnv;
    onSpawn?: (child: ChildProcess) => void;
  },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.env ? { env: opts.env } : {}),
  });
  opts.onSpawn?.(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /^listening (\S+)$/m.exec(out);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      }
    }, 20);
    child.on('exit', (code) => (clearInterval(t), reject(new Error(`${opts.name} exited ${code}: ${err}`))));
  });
  return {
    url,
    child,
    output: () => out,
    errors: () => err,
    stop: async () => (child.kill('SIGTERM'), exited),
  };
}

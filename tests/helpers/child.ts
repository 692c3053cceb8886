// Starts tests/helpers/poster-child.ts in its own Node process (see there). The parent talks to it
// over stdin (one command a line) and reads its stdout; every wait is on a line arriving, never on
// a clock, so the tests do not depend on how busy the machine is.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

export const CHILD = path.resolve(__dirname, 'poster-child.ts');
const REPO = path.resolve(__dirname, '..', '..');

/**
 * The child as one JavaScript file (our TypeScript bundled, packages left to node_modules), so
 * that a test starting it a hundred times does not pay tsx's start-up each time. Built under
 * out/ (ignored by git), where node_modules resolves. Returns its path.
 */
export async function bundleChild(entry = CHILD): Promise<string> {
  const outfile = path.join(REPO, 'out', 'test', `${path.basename(entry, '.ts')}-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/** Starts the child: from its TypeScript through tsx, or from `bundled` (see bundleChild; any
 *  bundled program — `ready` then waits for a READY line it may never print, so wait on `line`),
 *  with `env` added to the parent's environment. */
export function startChild(args: string[], bundled?: string, env?: Record<string, string>) {
  const argv = bundled ? [bundled, ...args] : ['--import', 'tsx', CHILD, ...args];
  const child = spawn(process.execPath, argv, {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  let out = '';
  let err = '';
  let exitCode: number | null | undefined;
  const waiters: { test: (out: string) => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  const wake = () => {
    for (const w of waiters.slice()) {
      if (w.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      } else if (exitCode !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`child exited (${exitCode}) while a line was awaited:\n${out}\n${err}`));
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    wake();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.on('error', () => undefined); // a killed child's pipe
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, sig) => {
      exitCode = code ?? (sig ? -1 : null);
      wake();
      resolve(exitCode);
    }),
  );
  /** Resolves once the output so far passes the test (checked on every chunk, no polling). */
  const until = (test: (out: string) => boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ test, resolve, reject });
      wake();
    });
  const ready = until((o) => o.includes('READY\n'));
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    until,
    /** Resolves once a line matching re has been written. */
    line: (re: RegExp) => until((o) => o.split('\n').some((l) => re.test(l))),
    send: (line: string) => child.stdin.write(`${line}\n`),
    /** No more commands: the child's stdin is closed. */
    endInput: () => child.stdin.end(),
    output: () => out,
    errors: () => err,
  };
}

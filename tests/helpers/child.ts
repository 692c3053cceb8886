// Starts tests/helpers/poster-child.ts in its own Node process (see there). The parent talks to it
// over stdin (one command a line) and reads its stdout; every wait is on a line arriving, never on
// a clock, so the tests do not depend on how busy the machine is.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CHILD = path.resolve(__dirname, 'poster-child.ts');

export function startChild(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
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

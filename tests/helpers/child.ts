// Starts tests/helpers/poster-child.ts in its own Node process (see there).
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CHILD = path.resolve(__dirname, 'poster-child.ts');

export function startChild(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('READY')) {
        clearInterval(t);
        resolve();
      }
    }, 10);
    child.on('exit', (code) => {
      clearInterval(t);
      if (!out.includes('READY')) reject(new Error(`child exited ${code} before READY: ${err}`));
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))),
  );
  return { child, ready, exited, output: () => out, errors: () => err };
}

// No import circles (issue 8): madge walks the station's code — backend, db, shared and the
// renderer — and must find none. The same check on a fixture with a deliberate circle must find
// it, so the test cannot pass by finding nothing at all.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '..', '..');
const MADGE = path.join(REPO, 'node_modules', 'madge', 'bin', 'cli.js');

async function circles(dirs: string[]): Promise<string[][]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      MADGE,
      '--circular',
      '--json',
      '--no-spinner',
      '--extensions',
      'ts,tsx',
      '--ts-config',
      'tsconfig.node.json',
      ...dirs,
    ],
    { cwd: REPO, maxBuffer: 16 * 1024 * 1024 },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' })); // madge exits 1 when it finds one
  return JSON.parse(stdout) as string[][];
}

describe('import circles', () => {
  it('backend, db, shared and the renderer import in one direction only', async () => {
    expect(await circles(['backend', 'db', 'shared', 'renderer/src'])).toEqual([]);
  }, 300_000);

  it('the check finds a deliberate circle', async () => {
    // (Paths are relative to the one folder given.)
    expect(await circles(['tests/fixtures/circle'])).toEqual([['a.ts', 'b.ts']]);
  }, 300_000);
});

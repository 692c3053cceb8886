// Issue 13 problem 10: 帐 and 账 were mixed. 账 (as in 轧账, 账务, 记账) is the one character
// in everything an operator or a customer reads — screens, messages, slips, the faults a close
// records — and in the code that makes them. Shipped migrations 001–009 keep their text (a
// migration is never edited); 010 rewrites the one trigger of theirs that wrote 帐.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SHIPPED = /^db\/migrations\/00\d-/;
const ALLOWED = new Set(['db/migrations/010-wording.ts', 'db/migrations/index.ts']);

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(rel);
    return /\.(ts|tsx|json|css)$/.test(e.name) ? [rel] : [];
  });
}

describe('wording', () => {
  it('issue 13 problem 10: 账, never 帐, in the station, the platform, the screens, the messages and the slips', () => {
    const offenders = ['shared', 'db', 'backend', 'renderer/src', 'platform', 'electron', 'scripts']
      .flatMap(files)
      .filter((f) => !SHIPPED.test(f) && !ALLOWED.has(f))
      .filter((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').includes('帐'));
    expect(offenders).toEqual([]);
  });
});

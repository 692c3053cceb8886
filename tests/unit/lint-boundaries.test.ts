// The import boundaries in eslint.config.js bite: each rule is fed a deliberate violation (a file
// that is never written, linted as if it stood at that path) and must report it; the allowed
// import beside it must pass.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: REPO });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: { rule: string; file: string; bad: string; good: string }[] = [
  {
    rule: 'db ↛ backend',
    file: 'db/fixture.ts',
    bad: `import '../backend/backend';`,
    good: `import '../shared/money';`,
  },
  {
    rule: 'backend ↛ electron (package)',
    file: 'backend/services/fixture.ts',
    bad: `import 'electron';`,
    good: `import '../../db/open';`,
  },
  {
    rule: 'backend ↛ electron (folder)',
    file: 'backend/fixture.ts',
    bad: `import '../electron/main/ipc';`,
    good: `import '../shared/money';`,
  },
  {
    rule: 'Electron main ↛ db',
    file: 'electron/main/fixture.ts',
    bad: `import '../../db/open';`,
    good: `import '../../shared/errors';`,
  },
  {
    rule: 'Electron main ↛ backend',
    file: 'electron/main/fixture.ts',
    bad: `import '../../backend/backend';`,
    good: `import 'electron';`,
  },
  {
    rule: 'preload imports only electron',
    file: 'electron/preload/fixture.ts',
    bad: `import '../../shared/contract';`,
    good: `import 'electron';`,
  },
  {
    rule: 'platform ↛ db',
    file: 'platform/fixture.ts',
    bad: `import '../db/open';`,
    good: `import '../shared/exit-rule';`,
  },
  {
    rule: 'platform ↛ backend',
    file: 'platform/fixture.ts',
    bad: `import '../backend/monitor-signing';`,
    good: `import 'node:crypto';`,
  },
  {
    rule: 'platform ↛ electron',
    file: 'platform/fixture.ts',
    bad: `import '../electron/main/ipc';`,
    good: `import '../shared/money';`,
  },
  {
    rule: 'platform ↛ renderer',
    file: 'platform/fixture.ts',
    bad: `import '../renderer/src/api';`,
    good: `import '../shared/monitor-protocol';`,
  },
  {
    rule: 'backend ↛ platform (talks to it over HTTP only)',
    file: 'backend/gateway/fixture.ts',
    bad: `import '../../platform/server';`,
    good: `import '../../shared/monitor-protocol';`,
  },
  {
    rule: 'renderer → shared only',
    file: 'renderer/src/fixture.ts',
    bad: `import '../../backend/backend';`,
    good: `import '../../shared/money';`,
  },
  {
    rule: 'renderer → no Node',
    file: 'renderer/src/fixture.ts',
    bad: `import 'node:fs';`,
    good: `import 'react';`,
  },
  {
    rule: 'shared ↛ Node',
    file: 'shared/fixture.ts',
    bad: `import 'node:fs';`,
    good: `import 'decimal.js';`,
  },
  { rule: 'shared ↛ db', file: 'shared/fixture.ts', bad: `import '../db/open';`, good: `import './money';` },
];

describe('lint: import boundaries by runtime', () => {
  for (const c of cases) {
    it(`${c.rule}: a deliberate violation in ${c.file} is reported; the allowed import is not`, async () => {
      expect(await restricted(c.file, c.bad)).toHaveLength(1);
      expect(await restricted(c.file, c.good)).toEqual([]);
    });
  }
});

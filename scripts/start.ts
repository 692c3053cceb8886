// `npm start`: the desktop app where an Electron binary exists; otherwise browser mode, said plainly.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { runWeb, RENDERER_DIR } from './web';
import { electronBinary } from './electron-binary';

function ensureBuilt(script: string, marker: string): void {
  if (fs.existsSync(marker)) return;
  console.log(`Building (${script})…`);
  const r = spawnSync('npm', ['run', script], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const argv = process.argv.slice(2);
ensureBuilt('build:renderer', path.join(RENDERER_DIR, 'index.html'));
const bin = electronBinary();
if (bin) {
  ensureBuilt('build:electron', path.resolve('out/electron/main.cjs'));
  const child = spawn(bin, ['.', ...argv], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'No Electron binary on this machine (it cannot be downloaded here): starting browser mode instead.',
  );
  await runWeb(argv);
}

// `npm start`: the desktop app where an Electron binary exists; otherwise browser mode, said plainly.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { runWeb, RENDERER_DIR } from './web';

const require = createRequire(import.meta.url);

/** The Electron binary, if one was downloaded. (Requiring 'electron' would try to download it.) */
export function electronBinary(): string | undefined {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? path.join(dir, 'dist'), rel);
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

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
  console.log('No Electron binary on this machine (it cannot be downloaded here): starting browser mode instead.');
  await runWeb(argv);
}

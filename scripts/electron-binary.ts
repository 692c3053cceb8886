// Where the Electron binary is, if one was downloaded. (Requiring 'electron' from Node would try to
// download it; reading its path.txt does not.)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

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

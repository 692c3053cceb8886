// Builds the desktop app's Node side into out/electron: main (CJS), preload (CJS, sandboxed:
// a single file that imports only 'electron'), and the backend host. Native modules stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'info',
} as const;

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/main.ts'],
    outfile: 'out/electron/main.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'out/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['scripts/backend-host.ts'],
    outfile: 'out/electron/backend-host.cjs',
    format: 'cjs',
    // The embedded platform resolves files next to its modules (the dashboard's echarts).
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    external: ['better-sqlite3', 'argon2', 'node-thermal-printer', 'receiptline', 'exceljs', 'electron'],
  }),
]);

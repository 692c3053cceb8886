// The renderer's build: `npm run build:renderer` → out/renderer (served by browser mode and
// loaded by Electron from disk, hence relative asset paths).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../out/renderer'),
    emptyOutDir: true,
    // CSP `script-src 'self'`: no inline scripts, so no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2_500,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships /*#__PURE__*/ comments in places Rollup cannot use; harmless noise.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: { port: 5181, strictPort: false },
});

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
    // The first script holds the shell and the counter; the other screens are lazy chunks.
    chunkSizeWarningLimit: 1_000,
    sourcemap: false,
    rollupOptions: {
      output: {
        // Vendor chunks that change rarely (so an update re-fetches only the app's own code),
        // and ECharts kept whole in one chunk that only the screens with charts load. antd is
        // left to Rollup: one antd chunk would pull the tables and date pickers of every
        // screen into the counter's first load.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'vendor-react';
          if (/node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/.test(id))
            return 'vendor-echarts';
          if (/node_modules[\\/](i18next|react-i18next)[\\/]/.test(id)) return 'vendor-i18n';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // zod ships /*#__PURE__*/ comments in places Rollup cannot use; harmless noise.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: { port: 5181, strictPort: false },
});

// The renderer's build: `npm run build:renderer` → out/renderer (served by browser mode and
// loaded by Electron from disk, hence relative asset paths).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

/** antd's styles for the UI's theme made at build time (antd-styles.ts) and linked ahead of the
 *  app's own stylesheet (which overrides some of them, as it did antd's run-time styles). */
function antdStaticStyles(): Plugin {
  let fileName = '';
  return {
    name: 'yizhan-antd-static-styles',
    apply: 'build',
    async buildStart() {
      // antd names its styles' classes differently outside production builds.
      process.env['NODE_ENV'] = 'production';
      const { antdStaticCss } = await import('./antd-styles');
      const css = antdStaticCss();
      const hash = crypto.createHash('sha256').update(css).digest('base64url').slice(0, 8);
      fileName = `assets/antd-${hash}.css`;
      this.emitFile({ type: 'asset', fileName, source: css });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        // The stylesheets go to the end of the body, antd's first: the static shell above them
        // (index.html's 「正在启动」, styled inline) paints without waiting for them, while the
        // module script still runs only once they are in (scripts wait on pending stylesheets),
        // so antd finds its styles there.
        const sheets = [`<link rel="stylesheet" crossorigin href="./${fileName}">`];
        const rest = html.replace(/\s*<link rel="stylesheet"[^>]*>/g, (tag) => {
          sheets.push(tag.trim());
          return '';
        });
        if (sheets.length < 2) throw new Error('index.html: the app stylesheet link is missing');
        return rest.replace('</body>', `  ${sheets.join('\n    ')}\n  </body>`);
      },
    },
  };
}

/** Browser mode sends the scripts and stylesheets compressed. Compressing them at each request
 *  (@fastify/compress) cost the station's CPU and the tab's first load its wait: the build writes
 *  a `.br` (best quality) and a `.gz` beside each, which the server sends as they are
 *  (backend/transport/http.ts, @fastify/static `preCompressed`). Electron reads the plain files. */
const PRECOMPRESSED_MIN_BYTES = 1024;
function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'yizhan-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const [fileName, out] of Object.entries(bundle)) {
        if (!/^assets\/.+\.(js|css)$/.test(fileName)) continue;
        const body = Buffer.from(out.type === 'chunk' ? out.code : out.source);
        if (body.length < PRECOMPRESSED_MIN_BYTES) continue;
        const file = path.join(outDir, fileName);
        const br = zlib.brotliCompressSync(body, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        });
        fs.writeFileSync(`${file}.br`, br);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), antdStaticStyles(), precompressAssets()],
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
